"""The content MCP server (PC5, PC6): getContent and generateCampaignMessages, and the Canva tools.

Thin on purpose: tools state their inputs and call ContentService (service.py) or CampaignService
(campaign.py). Run it with `promptsales mcp serve content [--transport http --port 8765]`.

The lifespan opens every client the tools use (MongoDB, the PostgreSQL pool, Redis, the n8n clients) and
closes them when the server stops; tools find them on its ContentContext. Other modules add tools through
EXTENSIONS: each is `f(server)`, called once by `build_server` (see promptsales.canva.tool).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Literal

import gridfs
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from mcp_types import ToolAnnotations
from psycopg_pool import ConnectionPool
from pydantic import Field, StringConstraints

from promptsales import clients
from promptsales.cache import Cache
from promptsales.canva import tool as canva_tool
from promptsales.canva.service import CanvaService
from promptsales.content.campaign import CampaignService
from promptsales.content.embeddings import BackgroundEmbedder, Embedder, build_embedder
from promptsales.content.lexical import LexicalIndex
from promptsales.content.models import (
    MAX_AUDIENCES,
    MAX_CAMPAIGN_DESCRIPTION,
    MAX_DESCRIPTION,
    MAX_HASHTAGS,
    MAX_LIMIT,
    Audience,
    CampaignMessagesAnswer,
    ContentAnswer,
)
from promptsales.content.service import ContentService
from promptsales.content.vector_index import build_index
from promptsales.mcp_server import PromptSalesServer
from promptsales.n8n_client import N8nClient
from promptsales.settings import Settings

Extension = Callable[[MCPServer], None]
IMAGE_CODE = re.compile(r"^img-[0-9]{4,}$")
MODEL_LOAD_DELAY_S = 1.0
# The campaign flow waits for three messages per audience from the LLM.
N8N_TIMEOUT_S = 60.0

EXTENSIONS: list[Extension] = [canva_tool.register]
READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)
WRITES = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True
)


@dataclass
class ContentContext:
    content: ContentService
    campaigns: CampaignService
    files: gridfs.GridFS
    canva: CanvaService


def _lifespan(
    settings: Settings, embedder: Embedder
) -> Callable[[MCPServer], AbstractAsyncContextManager[ContentContext]]:
    @asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[ContentContext]:
        mongo = clients.mongo(settings)
        pool = ConnectionPool(settings.postgres.dsn(), min_size=1, max_size=4, open=True)
        redis_client = clients.redis_client(settings)
        n8n = N8nClient(settings, timeout=N8N_TIMEOUT_S)
        db = clients.mongo_db(mongo, settings)
        canva = CanvaService(settings, db)
        if isinstance(embedder, BackgroundEmbedder):
            # Now that the server is up, and a moment later: a client sends initialize and tools/list as it
            # connects, and the model's load (torch's import holds the GIL for long stretches) would slow them.
            embedder.start(delay_s=MODEL_LOAD_DELAY_S)
        try:
            content = ContentService(
                db,
                build_index(settings, pool),
                embedder,
                Cache(redis_client, settings.redis.key_prefix),
                LexicalIndex(pool),
            )
            yield ContentContext(content, CampaignService(n8n, db), gridfs.GridFS(db), canva)
        finally:
            canva.close()
            n8n.close()
            redis_client.close()
            pool.close()
            mongo.close()

    return lifespan


def get_content(
    ctx: Context,
    description: Annotated[
        str,
        Field(
            min_length=1,
            max_length=MAX_DESCRIPTION,
            description=(
                f"what the image should show, in words, in English or Spanish (1-{MAX_DESCRIPTION:,} characters, no "
                "control characters), e.g. 'calm beach at dusk, pastel colours' or 'playa tranquila al atardecer'"
            ),
        ),
    ],
    limit: Annotated[
        int, Field(ge=1, le=MAX_LIMIT, description=f"how many images to return, 1-{MAX_LIMIT}")
    ] = 5,
    hashtags: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=60)]] | None,
        Field(
            max_length=MAX_HASHTAGS,
            description=(
                f"only images carrying all these hashtags (0-{MAX_HASHTAGS}, English or Spanish, each 1-60 "
                "characters), e.g. ['#beach', '#pastel'] or ['playa']"
            ),
        ),
    ] = None,
    language: Annotated[
        Literal["en", "es"] | None,
        Field(
            description=(
                "the language of the titles, descriptions and hashtags in the answer; omitted: the query's"
            )
        ),
    ] = None,
) -> ContentAnswer:
    """Find the generated images that best match a text description (English or Spanish), ranked by a hybrid
    of semantic similarity and word matches in which the subject counts most. Each image comes with its
    score, description, hashtags and URI. When nothing fits well, says so (good_match false) and offers the
    closest hashtags instead. Says whether the answer came from the Redis cache, and whether it waited for the
    embedding model to load."""
    return ctx.request_context.lifespan_context.content.get_content(description, limit, hashtags, language)


def generate_campaign_messages(
    ctx: Context,
    campaign_description: Annotated[
        str,
        Field(
            min_length=10,
            max_length=MAX_CAMPAIGN_DESCRIPTION,
            description=(
                f"what the campaign says and sells (10-{MAX_CAMPAIGN_DESCRIPTION:,} characters, no control "
                "characters), best in the audiences' language: the template composer does not translate it"
            ),
        ),
    ],
    audiences: Annotated[
        list[Audience],
        Field(
            min_length=1,
            max_length=MAX_AUDIENCES,
            description=(
                f"1-{MAX_AUDIENCES} target audiences with distinct names: name, country, language, age_min, age_max, "
                "interests"
            ),
        ),
    ],
    ads_campaign_id: Annotated[
        int | None,
        Field(
            ge=1,
            le=2**63 - 1,
            description=("the PromptAds CampaignId this belongs to (a positive whole number)"),
        ),
    ] = None,
) -> CampaignMessagesAnswer:
    """Store a campaign request and write three messages per target audience (through the n8n flow), with the
    generator of each message (an LLM model name, or template-composer when no LLM is configured)."""
    return ctx.request_context.lifespan_context.campaigns.generate(
        campaign_description, audiences, ads_campaign_id
    )


def image_file(code: str, ctx: Context) -> bytes:
    if not IMAGE_CODE.match(code):
        raise ResourceNotFoundError(f"no image {code[:40]!r}: image codes look like img-0001")
    stored = ctx.request_context.lifespan_context.files.find_one(
        {"metadata.code": code, "metadata.format": "master"}
    )
    if stored is None:
        raise ResourceNotFoundError(f"no image {code}: getContent lists the codes there are")
    return stored.read()


def build_server(
    settings: Settings, embedder: Embedder | None = None, extensions: list[Extension] | None = None
) -> MCPServer:
    """The server; `embedder` lets one process share a loaded model (tests, benchmarks). Without one, the
    model loads in a background thread from the start, so `initialize` and `tools/list` answer at once."""
    lifespan = _lifespan(settings, embedder or build_embedder(settings, background=True))
    server = PromptSalesServer(
        "promptsales-content",
        lifespan=lifespan,
        log_level=settings.log_level,
        oauth=settings.mcp_oauth,
        instructions="Find generated marketing images by description (getContent) and "
        "write three campaign messages per target audience "
        "(generateCampaignMessages).",
    )
    server.tool(name="getContent", annotations=READ_ONLY)(get_content)
    server.tool(name="generateCampaignMessages", annotations=WRITES)(generate_campaign_messages)
    server.resource(
        "promptcontent://images/{code}.png",
        name="image",
        mime_type="image/png",
        description="the master PNG of a generated image, by its code (img-0001 ...)",
    )(image_file)
    for extend in EXTENSIONS if extensions is None else extensions:
        extend(server)
    return server
