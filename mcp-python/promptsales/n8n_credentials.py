"""The n8n credentials our workflows use, built from settings at import time (never kept in git).

Each entry is in n8n's credential export shape; `data` is plain here and n8n encrypts it on
import with N8N_ENCRYPTION_KEY. Workflows refer to credentials by these fixed ids and names.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from promptsales.settings import Settings

# n8n's MongoDB node takes the driver's defaults (30 s to find a server, twice): a webhook answered only
# after about 60 s when MongoDB was down (measured). A few seconds is plenty on a healthy network.
MONGODB_NODE_TIMEOUTS = {"serverSelectionTimeoutMS": "5000", "connectTimeoutMS": "5000"}


def with_fail_fast_timeouts(uri: str) -> str:
    """The MongoDB URI with our timeouts added, unless the URI already sets them itself."""
    parts = urlsplit(uri)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    present = {key.lower() for key in query}
    query.update({k: v for k, v in MONGODB_NODE_TIMEOUTS.items() if k.lower() not in present})
    return urlunsplit(parts._replace(query=urlencode(query)))


def credentials_from_settings(settings: Settings) -> list[dict]:
    creds: list[dict] = []
    pg = settings.postgres
    if pg.password is not None:
        for cred_id, name, database in [
            ("psPostgresCentral", "PromptSales PostgreSQL", pg.database),
            ("psPostgresAdsStandin", "PromptAds stand-in (PostgreSQL)", pg.ads_standin_database),
            ("psPostgresCrmStandin", "PromptCrm stand-in (PostgreSQL)", pg.crm_standin_database),
        ]:
            creds.append(
                {
                    "id": cred_id,
                    "name": name,
                    "type": "postgres",
                    "data": {
                        "host": pg.host,
                        "port": pg.port,
                        "database": database,
                        "user": pg.user,
                        "password": pg.password.get_secret_value(),
                        "ssl": "disable",
                        "allowUnauthorizedCerts": False,
                    },
                }
            )
    secret = settings.n8n.webhook_secret
    if secret is not None:
        creds.append(
            {
                "id": "psWebhookHeaderAuth",
                "name": "PromptSales webhook secret",
                "type": "httpHeaderAuth",
                "data": {"name": "X-PromptSales-Secret", "value": secret.get_secret_value()},
            }
        )
    creds += _etl_credentials(settings)
    creds += _canva_credentials(settings)
    creds += content_credentials(settings)
    return creds


def content_credentials(settings: Settings) -> list[dict]:
    """The OpenAI-compatible chat endpoint's key for the campaign-message flow (its base URL and model
    are in the `openai-chat` integration record); without a key the flow uses the template composer."""
    key = settings.openai.api_key
    if key is None:
        return []
    return [
        {
            "id": "psOpenAiChat",
            "name": "OpenAI-compatible chat endpoint",
            "type": "httpHeaderAuth",
            "data": {"name": "Authorization", "value": f"Bearer {key.get_secret_value()}"},
        }
    ]


def _etl_credentials(settings: Settings) -> list[dict]:
    """MongoDB, Redis and the two SQL Server databases, as the ETL workflow reads and writes them."""
    creds: list[dict] = [
        {
            "id": "psMongoContent",
            "name": "PromptContent MongoDB",
            "type": "mongoDb",
            "data": {
                "configurationType": "connectionString",
                "connectionString": with_fail_fast_timeouts(settings.mongodb.connection_uri()),
                "database": settings.mongodb.database,
            },
        }
    ]
    rd = settings.redis
    creds.append(
        {
            "id": "psRedis",
            "name": "PromptSales Redis",
            "type": "redis",
            "data": {
                "host": rd.host,
                "port": rd.port,
                "database": rd.db,
                "ssl": rd.tls,
                "password": rd.password.get_secret_value() if rd.password else "",
            },
        }
    )
    for cred_id, name, config in [
        ("psMssqlPromptAds", "PromptAds SQL Server", settings.promptads_mssql),
        ("psMssqlPromptCrm", "PromptCrm SQL Server", settings.promptcrm_mssql),
    ]:
        if config.password is None:
            continue  # only the production path uses these; the stand-in branch needs none
        creds.append(
            {
                "id": cred_id,
                "name": name,
                "type": "microsoftSql",
                "data": {
                    "server": config.host,
                    "port": config.port,
                    "database": config.database,
                    "user": config.user,
                    "password": config.password.get_secret_value(),
                    "tls": config.encrypt,
                    "allowUnauthorizedCerts": False,
                    "tdsVersion": "7_4",
                    "connectTimeout": 15000,
                    "requestTimeout": 60000,
                },
            }
        )
    return creds


def _canva_credentials(settings: Settings) -> list[dict]:
    """The Canva client (HTTP Basic on the token endpoint) and the key that encrypts stored Canva tokens."""
    canva = settings.canva
    creds: list[dict] = []
    if canva.client_id and canva.client_secret is not None:
        creds.append(
            {
                "id": "psCanvaClient",
                "name": "Canva client id and secret",
                "type": "httpBasicAuth",
                "data": {"user": canva.client_id, "password": canva.client_secret.get_secret_value()},
            }
        )
    if canva.token_key is not None:
        # The Crypto node derives the AES-256-GCM key from this passphrase with scrypt, random salt each time.
        creds.append(
            {
                "id": "psCanvaTokenKey",
                "name": "Canva token key (AES-256-GCM)",
                "type": "crypto",
                "data": {
                    "hmacSecret": "",
                    "signPrivateKey": "",
                    "encryptionPassphrase": canva.token_key.get_secret_value(),
                },
            }
        )
    return creds
