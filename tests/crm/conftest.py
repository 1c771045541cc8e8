"""PromptCrm test fixtures: a fresh stand-in pair (PromptAds + PromptCrm) seeded at full scale once per session."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from promptsales.dbinit import ads as ads_init
from promptsales.dbinit import crm as crm_init
from promptsales.localstack.postgres import EXTENSIONS, PostgresService
from promptsales.settings import Settings
from psycopg import sql

import generators.ads
import generators.crm
from generators.options import SeedOptions


@dataclass(frozen=True)
class CrmWorld:
    settings: Settings
    options: SeedOptions
    counts: dict[str, int]
    seconds: float


def settings_for(stack: Settings, crm_database: str, ads_database: str) -> Settings:
    return stack.model_copy(update={"postgres": stack.postgres.model_copy(
        update={"crm_standin_database": crm_database, "ads_standin_database": ads_database})})


@pytest.fixture(scope="session")
def standin_settings():
    """settings_for, as a fixture: test modules here are not importable as a package."""
    return settings_for


@pytest.fixture(scope="session")
def crm_databases(stack: Settings) -> Iterator:
    """Factory for stand-in databases that live for the whole session (the function-scoped
    `fresh_database` of tests/conftest.py, made once per session for the expensive full-scale seed)."""
    admin = PostgresService(stack)
    created: list[str] = []

    def make(prefix: str) -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with admin._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(name), sql.Identifier(stack.postgres.user)))
        with admin._admin(name) as conn:
            for extension in EXTENSIONS:
                conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(extension)))
        created.append(name)
        return name

    yield make
    with admin._admin() as conn:
        for name in created:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def crm_world(stack: Settings, crm_databases) -> CrmWorld:
    """PromptAds generated first, then 500,000 CRM clients read against it, in a fresh pair of databases."""
    settings = settings_for(stack, crm_databases("test_crm"), crm_databases("test_ads"))
    options = SeedOptions()
    ads_init.apply(settings)
    crm_init.apply(settings)
    generators.ads.load(settings, options)
    started = time.perf_counter()
    counts = generators.crm.load(settings, options)
    return CrmWorld(settings, options, counts, time.perf_counter() - started)
