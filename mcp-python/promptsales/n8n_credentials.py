"""The n8n credentials our workflows use, built from settings at import time (never kept in git).

Each entry is in n8n's credential export shape; `data` is plain here and n8n encrypts it on
import with N8N_ENCRYPTION_KEY. Workflows refer to credentials by these fixed ids and names.
"""

from __future__ import annotations

from promptsales.settings import Settings


def credentials_from_settings(settings: Settings) -> list[dict]:
    creds: list[dict] = []
    pg = settings.postgres
    if pg.password is not None:
        for cred_id, name, database in [
            ("psPostgresCentral", "PromptSales PostgreSQL", pg.database),
            ("psPostgresAdsStandin", "PromptAds stand-in (PostgreSQL)", pg.ads_standin_database),
            ("psPostgresCrmStandin", "PromptCrm stand-in (PostgreSQL)", pg.crm_standin_database),
        ]:
            creds.append({
                "id": cred_id, "name": name, "type": "postgres",
                "data": {"host": pg.host, "port": pg.port, "database": database, "user": pg.user,
                         "password": pg.password.get_secret_value(), "ssl": "disable",
                         "allowUnauthorizedCerts": False},
            })
    secret = settings.n8n.webhook_secret
    if secret is not None:
        creds.append({
            "id": "psWebhookHeaderAuth", "name": "PromptSales webhook secret", "type": "httpHeaderAuth",
            "data": {"name": "X-PromptSales-Secret", "value": secret.get_secret_value()},
        })
    return creds
