"""The Canva integration record (PC4) in PromptContent and the encrypted token table in PromptSales.

The record holds everything needed to talk to Canva except secrets: base URL, endpoints, scopes, the
auth method and where its secrets live, the status and the last refresh. The n8n workflows read their
Canva URLs from it, so the same workflow files run against Canva or against the test fake.

Tokens live in PostgreSQL (`canva.oauth_tokens`), encrypted by n8n's Crypto node with AES-256-GCM
(the node derives the key with scrypt from CANVA_TOKEN_KEY, held in n8n's encrypted credential
`psCanvaTokenKey`); Python never sees a token in clear.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
from pymongo.database import Database

from promptsales.cache import TTL_SECONDS
from promptsales.settings import Settings

INTEGRATION_NAME = "canva"
# The collection the PromptContent schema defines for external API integrations (PC1, PC4).
COLLECTION = "external_integrations"
# How long an authorize link (its state and PKCE verifier in Redis) stays usable.
STATE_TTL_SECONDS = TTL_SECONDS["canva:oauth-state"]

# Webhook paths of the workflows in n8n-workflows/canva-*.json.
WEBHOOK_CONNECT = "canva/connect"
WEBHOOK_CALLBACK = "canva/oauth/callback"
WEBHOOK_REFRESH = "canva/token/refresh"
WEBHOOK_ASSETS = "canva/assets"

TOKEN_TABLE_DDL = """
CREATE SCHEMA IF NOT EXISTS canva;
CREATE TABLE IF NOT EXISTS canva.oauth_tokens (
    integration       TEXT PRIMARY KEY,
    -- n8n Crypto node output: base64 of [0x01][salt 16][iv 12][GCM tag 16][ciphertext]
    access_token_enc  TEXT NOT NULL,
    refresh_token_enc TEXT NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    scope             TEXT NOT NULL DEFAULT '',
    -- bumped on every new token pair: refreshes compare-and-swap on it, so two never both rotate
    version           INTEGER NOT NULL DEFAULT 1,
    status            TEXT NOT NULL DEFAULT 'connected'
                      CHECK (status IN ('connected', 'reconnect_required')),
    -- set while one refresh is in flight; a crashed refresh frees it when the time passes
    refreshing_until  TIMESTAMPTZ,
    last_error        TEXT,
    connected_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    refreshed_at      TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
"""


def redirect_uri(settings: Settings) -> str:
    """The n8n callback webhook, unless CANVA_REDIRECT_URI names the public URL registered at Canva."""
    return settings.canva.redirect_uri or f"{settings.n8n.url()}/webhook/{WEBHOOK_CALLBACK}"


def record_from_settings(settings: Settings) -> dict[str, Any]:
    """The non-secret configuration; the client id is public (it travels in the authorize URL)."""
    canva = settings.canva
    api_base = canva.api_base.rstrip("/")
    return {
        "name": INTEGRATION_NAME,
        "displayName": "Canva Connect",
        "baseUrl": api_base,
        "authorizeUrl": canva.authorize_url,
        "tokenUrl": f"{api_base}/oauth/token",
        "redirectUri": redirect_uri(settings),
        "clientId": canva.client_id or "",
        "scopes": canva.scopes.split(),
        "methods": [
            {
                "name": "token",
                "method": "POST",
                "path": "/oauth/token",
                "contentType": "application/x-www-form-urlencoded",
            },
            {
                "name": "createAssetUploadJob",
                "method": "POST",
                "path": "/asset-uploads",
                "contentType": "application/octet-stream",
                "headers": ["Asset-Upload-Metadata"],
            },
            {"name": "getAssetUploadJob", "method": "GET", "path": "/asset-uploads/{jobId}"},
            {"name": "createDesign", "method": "POST", "path": "/designs", "contentType": "application/json"},
        ],
        "authMethod": {
            "type": "oauth2_authorization_code_pkce",
            "pkce": "S256",
            "tokenEndpointAuth": "client_secret_basic",
            "refreshTokenRotation": True,
            # Where the secrets are, never what they are.
            "clientSecretRef": "n8n credential psCanvaClient (httpBasicAuth), from CANVA_CLIENT_SECRET",
            "tokenStorage": "PostgreSQL canva.oauth_tokens, AES-256-GCM via n8n credential psCanvaTokenKey",
            "stateStorage": f"Redis {settings.redis.key_prefix}:canva:oauth-state:*, "
            f"TTL {STATE_TTL_SECONDS}s",
        },
        "stateKeyPrefix": f"{settings.redis.key_prefix}:canva:oauth-state",
        "stateTtlSeconds": STATE_TTL_SECONDS,
        "n8nWebhooks": {
            "connect": WEBHOOK_CONNECT,
            "callback": WEBHOOK_CALLBACK,
            "refresh": WEBHOOK_REFRESH,
            "sendAsset": WEBHOOK_ASSETS,
        },
    }


def write_record(db: Database, settings: Settings) -> dict[str, Any]:
    """Create or update the record's configuration; status and refresh times belong to the n8n flow."""
    now = datetime.now(UTC)
    db[COLLECTION].update_one(
        {"name": INTEGRATION_NAME},
        {
            "$set": {**record_from_settings(settings), "updatedAt": now},
            "$setOnInsert": {"status": "not_connected", "createdAt": now, "lastRefreshAt": None},
        },
        upsert=True,
    )
    return db[COLLECTION].find_one({"name": INTEGRATION_NAME}, {"_id": 0})


def ensure_token_table(conn: psycopg.Connection) -> None:
    conn.execute(TOKEN_TABLE_DDL)
    conn.commit()


def apply(settings: Settings) -> list[str]:
    """`db init` step: the token table in PromptSales and the integration record in PromptContent."""
    from promptsales import clients

    with clients.postgres(settings) as conn:
        ensure_token_table(conn)
    mongo = clients.mongo(settings)
    try:
        write_record(clients.mongo_db(mongo, settings), settings)
    finally:
        mongo.close()
    return ["canva.oauth_tokens", f"{settings.mongodb.database}.{COLLECTION}[name=canva]"]
