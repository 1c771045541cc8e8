"""The sales MCP server (PS5): read-only tools over the PromptSales campaign summaries.

Thin on purpose: the lifespan opens the server's two clients (a read-only PostgreSQL pool and Redis) and
closes them; the tools (tools.py) hand their inputs to `SalesService` (service.py), which checks them,
resolves campaign names, and answers from Redis or PostgreSQL (queries.py). The guide, the metric glossary
and a question prompt come from resources.py.
Run it with `promptsales mcp serve sales [--transport http --port 8766]`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from promptsales import clients
from promptsales.cache import Cache
from promptsales.mcp_server import PromptSalesServer
from promptsales.sales import resources, tools
from promptsales.sales.service import SalesService, open_pool
from promptsales.settings import Settings


@dataclass
class SalesContext:
    service: SalesService


def _lifespan(settings: Settings) -> Callable[[MCPServer], AbstractAsyncContextManager[SalesContext]]:
    @asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[SalesContext]:
        pool = open_pool(settings)
        redis_client = clients.redis_client(settings)
        try:
            yield SalesContext(SalesService(pool, Cache(redis_client, settings.redis.key_prefix)))
        finally:
            pool.close()
            redis_client.close()

    return lifespan


def tool_guide() -> str:
    return resources.TOOL_GUIDE


def ask_about_campaigns(question: Annotated[str, Field(max_length=2000)]) -> str:
    return resources.question_prompt(question)


def build_server(settings: Settings) -> MCPServer:
    server = PromptSalesServer(
        "promptsales-sales",
        instructions=resources.TOOL_GUIDE,
        lifespan=_lifespan(settings),
        log_level=settings.log_level,
        oauth=settings.mcp_oauth,
    )
    for tool in tools.TOOLS:
        server.tool(annotations=tools.READ_ONLY)(tool)
    server.resource(
        "sales://guide",
        name="tool-guide",
        mime_type="text/markdown",
        description="How to pick a sales tool for a question",
    )(tool_guide)
    server.resource(
        "sales://metrics",
        name="metrics",
        mime_type="text/markdown",
        description="Every metric: unit and definition",
    )(resources.metrics_glossary)
    server.prompt(
        name="ask_about_campaigns", description="Answer a campaign-performance question with these tools"
    )(ask_about_campaigns)
    return server
