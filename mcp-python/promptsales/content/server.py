"""The content MCP server (PC5, PC6): getContent and generateCampaignMessages.

Thin on purpose: tools state their inputs and call ContentService (service.py) or CampaignService
(campaign.py). Run it with `promptsales mcp serve content [--transport http --port 8765]`.

Other modules add tools through EXTENSIONS: each is `f(server, settings)`, called once by
`build_server`, and may build its own long-lived clients there (see promptsales.canva.tool).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

import gridfs
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from psycopg_pool import ConnectionPool
from pydantic import Field

from promptsales import clients
from promptsales.cache import Cache
from promptsales.content.campaign import CampaignFlowError, CampaignService
from promptsales.content.embeddings import Embedder, build_embedder
from promptsales.content.models import (
    MAX_DESCRIPTION,
    MAX_LIMIT,
    Audience,
    CampaignMessagesAnswer,
    ContentAnswer,
)
from promptsales.content.service import ContentInputError, ContentService, ContentUnavailable
from promptsales.content.vector_index import build_index
from promptsales.mcp_server import PromptSalesServer
from promptsales.n8n_client import N8nClient
from promptsales.settings import Settings

Extension = Callable[[MCPServer, Settings], None]


def _canva(server: MCPServer, settings: Settings) -> None:
    from promptsales.canva import tool as canva_tool

    canva_tool.register(server, canva_tool.build_service(settings, clients.mongo(settings)))


EXTENSIONS: list[Extension] = [_canva]


@dataclass
class ContentContext:
    content: ContentService
    campaigns: CampaignService
    files: gridfs.GridFS


def build_server(settings: Settings, embedder: Embedder | None = None,
                 extensions: list[Extension] | None = None) -> MCPServer:
    """The server; `embedder` lets one process share a loaded model (tests, benchmarks)."""

    @asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[ContentContext]:
        mongo = clients.mongo(settings)
        pool = ConnectionPool(settings.postgres.dsn(), min_size=1, max_size=4, open=True)
        redis_client = clients.redis_client(settings)
        n8n = N8nClient(settings, timeout=60.0)
        try:
            db = clients.mongo_db(mongo, settings)
            content = ContentService(db, build_index(settings, pool), embedder or build_embedder(settings),
                                     Cache(redis_client, settings.redis.key_prefix))
            yield ContentContext(content, CampaignService(n8n, db), gridfs.GridFS(db))
        finally:
            n8n.close()
            redis_client.close()
            pool.close()
            mongo.close()

    server = PromptSalesServer("promptsales-content", lifespan=lifespan, log_level=settings.log_level,
                       instructions="Find generated marketing images by description (getContent) and write "
                                    "three campaign messages per target audience (generateCampaignMessages).")

    @server.tool(name="getContent", annotations=ToolAnnotations(read_only_hint=True, idempotent_hint=True,
                                                                open_world_hint=False))
    def get_content(
        ctx: Context,
        description: Annotated[str, Field(description=f"what the image should show, in words (1-{MAX_DESCRIPTION} "
                                                      "characters), e.g. 'calm beach at dusk, pastel colours'")],
        limit: Annotated[int, Field(description=f"how many images to return, 1-{MAX_LIMIT}")] = 5,
        hashtags: Annotated[list[str] | None, Field(description="only images carrying all these hashtags, "
                                                                "e.g. ['#beach', '#pastel']")] = None,
    ) -> ContentAnswer:
        """Find the generated images that best match a text description, ranked by semantic similarity, with
        score, description, hashtags and the image URI. Says whether the answer came from the Redis cache."""
        try:
            return ctx.request_context.lifespan_context.content.get_content(description, limit, hashtags)
        except (ContentInputError, ContentUnavailable) as exc:
            raise ToolError(str(exc)) from exc

    @server.tool(name="generateCampaignMessages",
                 annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False,
                                             open_world_hint=True))
    def generate_campaign_messages(
        ctx: Context,
        campaign_description: Annotated[str, Field(description="what the campaign says and sells (10-4000 characters)")],
        audiences: Annotated[list[Audience], Field(description="1-10 target audiences: name, country, language, "
                                                               "age_min, age_max, interests")],
        ads_campaign_id: Annotated[int | None, Field(description="the PromptAds CampaignId this belongs to")] = None,
    ) -> CampaignMessagesAnswer:
        """Store a campaign request and write three messages per target audience (through the n8n flow), with the
        generator of each message (an LLM model name, or template-composer when no LLM is configured)."""
        try:
            return ctx.request_context.lifespan_context.campaigns.generate(campaign_description, audiences,
                                                                           ads_campaign_id)
        except (ContentInputError, CampaignFlowError) as exc:
            raise ToolError(str(exc)) from exc

    @server.resource("promptcontent://images/{code}.png", name="image", mime_type="image/png",
                     description="the master PNG of a generated image")
    def image_file(code: str, ctx: Context) -> bytes:
        stored = ctx.request_context.lifespan_context.files.find_one(
            {"metadata.code": code, "metadata.format": "master"})
        if stored is None:
            raise ValueError(f"no image {code}")
        return stored.read()

    for extend in EXTENSIONS if extensions is None else extensions:
        extend(server, settings)
    return server
