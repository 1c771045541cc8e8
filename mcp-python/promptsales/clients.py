"""Database and service clients, built from settings. Servers build them once (lifespan) and pass them in."""

from __future__ import annotations

import psycopg
import pymongo
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from promptsales.settings import Settings


def postgres(settings: Settings, database: str | None = None, **kwargs) -> psycopg.Connection:
    """A connection to PromptSales (default) or to a stand-in database, as the application role."""
    return psycopg.connect(settings.postgres.dsn(database), connect_timeout=5, **kwargs)


def ads_standin(settings: Settings, **kwargs) -> psycopg.Connection:
    return postgres(settings, settings.postgres.ads_standin_database, **kwargs)


def crm_standin(settings: Settings, **kwargs) -> psycopg.Connection:
    return postgres(settings, settings.postgres.crm_standin_database, **kwargs)


# What indexed views (PromptCrm's, db-init/promptcrm/080) require of every session that writes to their
# tables, and XML methods of every session that calls them: the options every db-init T-SQL file sets
# first. ODBC drivers start with most of them ON (Microsoft's: all but ARITHABORT, which ANSI_WARNINGS
# implies at compatibility level 90 and above); set here, they hold whatever driver and DSN defaults are.
SQLSERVER_SESSION_OPTIONS = (
    "SET ANSI_NULLS ON; SET ANSI_PADDING ON; SET ANSI_WARNINGS ON; SET ARITHABORT ON; "
    "SET CONCAT_NULL_YIELDS_NULL ON; SET QUOTED_IDENTIFIER ON; SET NUMERIC_ROUNDABORT OFF;"
)


def sqlserver(settings: Settings, database: str):
    """The production path for PromptAds/PromptCrm: pyodbc against SQL Server ("ads" or "crm")."""
    import pyodbc

    config = settings.promptads_mssql if database == "ads" else settings.promptcrm_mssql
    connection = pyodbc.connect(config.odbc_connection_string(), autocommit=False, timeout=10)
    connection.execute(SQLSERVER_SESSION_OPTIONS)
    connection.commit()
    return connection


def mongo(settings: Settings) -> pymongo.MongoClient:
    return pymongo.MongoClient(
        settings.mongodb.connection_uri(), serverSelectionTimeoutMS=3000, tz_aware=True
    )


def mongo_db(client: pymongo.MongoClient, settings: Settings):
    return client[settings.mongodb.database]


def redis_client(settings: Settings) -> redis.Redis:
    """The cache client: it fails fast, because a cache that is down must cost milliseconds, not retries
    with backoff; callers then answer uncached and say so."""
    return redis.Redis.from_url(
        settings.redis.url(),
        socket_timeout=0.5,
        socket_connect_timeout=0.25,
        retry=Retry(NoBackoff(), 0),
        health_check_interval=30,
        **settings.redis.tls_options(),
    )
