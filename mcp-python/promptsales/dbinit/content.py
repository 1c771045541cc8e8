"""PromptContent: MongoDB collections with $jsonSchema validators and indexes, and the pgvector index table.

`db-init/promptcontent/NNN_<collection>.json` each name a collection, its validator and its indexes;
a missing collection is created with the validator, an existing one gets it through `collMod`, and
indexes are created by name (a no-op when they exist), so this is safe to re-run. The `.sql` files
there create the vector table in the central PostgreSQL database (schema `content`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
from pymongo.database import Database
from pymongo.errors import PyMongoError

from promptsales import clients, interrupts, progress
from promptsales.cache import TTL_SECONDS
from promptsales.errors import Unavailable
from promptsales.settings import PROJECT_ROOT, Settings

SPEC_DIR = PROJECT_ROOT / "db-init" / "promptcontent"
LLM_INTEGRATION = "openai-chat"


def collection_specs(directory: Path = SPEC_DIR) -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))]


def apply_collections(db: Database) -> list[str]:
    applied = []
    existing = set(db.list_collection_names())
    for spec in collection_specs():
        name, validator = spec["collection"], spec["validator"]
        if name in existing:
            db.command(
                "collMod", name, validator=validator, validationLevel="strict", validationAction="error"
            )
        else:
            db.create_collection(
                name, validator=validator, validationLevel="strict", validationAction="error"
            )
        for index in spec.get("indexes", []):
            db[name].create_index(
                [tuple(k) for k in index["keys"]], name=index["name"], unique=index.get("unique", False)
            )
        applied.append(f"collection {name} (validator, {len(spec.get('indexes', []))} indexes)")
    return applied


def llm_integration_record(settings: Settings) -> dict[str, Any]:
    """The OpenAI-compatible chat endpoint as an external integration (PC4); the key stays in n8n."""
    ai = settings.openai
    return {
        "name": LLM_INTEGRATION,
        "displayName": "OpenAI-compatible chat completions",
        "baseUrl": (ai.base_url or "https://api.openai.com/v1").rstrip("/"),
        "methods": [
            {
                "name": "chatCompletions",
                "method": "POST",
                "path": "/chat/completions",
                "contentType": "application/json",
            }
        ],
        "authMethod": {
            "type": "bearer",
            "secretRef": "n8n credential psOpenAiChat (httpHeaderAuth), from OPENAI_API_KEY",
        },
        # Without a key the campaign-message flow uses the template composer and says so in every message.
        "enabled": ai.api_key is not None,
        "model": ai.chat_model,
        "cacheKeyPrefix": f"{settings.redis.key_prefix}:llm:chat:v0",
        "cacheTtlSeconds": TTL_SECONDS["llm:chat"],
    }


def write_llm_integration(db: Database, settings: Settings) -> None:
    from datetime import UTC, datetime

    db.external_integrations.update_one(
        {"name": LLM_INTEGRATION},
        {"$set": {**llm_integration_record(settings), "updatedAt": datetime.now(UTC)}},
        upsert=True,
    )


def apply_vector_table(settings: Settings, database: str | None = None) -> list[str]:
    applied = []
    with clients.postgres(settings, database) as conn:
        for path in sorted(SPEC_DIR.glob("*.sql")):
            progress.report(f"promptcontent: applying {path.name}")
            try:
                with interrupts.atomic(conn, f"promptcontent/{path.name}"):
                    conn.execute(path.read_text())
            except psycopg.Error as exc:
                raise Unavailable(
                    f"db-init/promptcontent/{path.name} failed: {str(exc).strip().splitlines()[0]}"
                ) from exc
            applied.append(f"applied {path.name}")
    return applied


def apply(settings: Settings) -> list[str]:
    mongo = clients.mongo(settings)
    try:
        db = clients.mongo_db(mongo, settings)
        lines = apply_collections(db)
        write_llm_integration(db, settings)
        lines.append(
            f"external_integrations[name={LLM_INTEGRATION}] enabled={settings.openai.api_key is not None}"
        )
    except PyMongoError as exc:
        raise Unavailable(
            f"PromptContent MongoDB at {settings.mongodb.host}:{settings.mongodb.port}: {exc}"
        ) from exc
    finally:
        mongo.close()
    lines += apply_vector_table(settings)
    # The Canva integration record (PC4) lives in the same collection; its module owns its content.
    from promptsales.canva import integration as canva_integration

    lines += canva_integration.apply(settings)
    return lines
