"""The MCP tools on their own server, through the SDK's in-memory client, against n8n and the fake."""

from __future__ import annotations

from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer
from promptsales.canva.service import CanvaService
from promptsales.canva.tool import register
from promptsales.mcp_server import PromptSalesServer

pytestmark = [pytest.mark.stack, pytest.mark.slow]


@pytest.fixture
def server(canva, images_db):
    """The tools alone on a server whose lifespan, like the content server's, opens the service and closes it."""

    @asynccontextmanager
    async def lifespan(_):
        service = CanvaService(canva.settings, images_db)
        try:
            yield SimpleNamespace(canva=service)
        finally:
            service.close()

    server = PromptSalesServer("canva-test", lifespan=lifespan)
    register(server)
    return server


def call(server: MCPServer, tool: str, arguments: dict[str, Any]):
    async def main():
        async with Client(server) as client:
            return await client.call_tool(tool, arguments)

    return anyio.run(main)


def text_of(result) -> str:
    return " ".join(block.text for block in result.content if getattr(block, "text", None))


def test_tools_are_described_with_schemas(server):
    async def main():
        async with Client(server) as client:
            return (await client.list_tools()).tools

    tools = {tool.name: tool for tool in anyio.run(main)}
    assert set(tools) == {"sendImageToCanva", "startCanvaConnection"}
    send = tools["sendImageToCanva"]
    assert send.output_schema["properties"]["asset_id"] and send.annotations.read_only_hint is False
    assert set(send.input_schema["required"]) == {"image_code"}
    assert all(prop.get("description") for prop in send.input_schema["properties"].values())


def test_connect_then_send_an_image_returns_the_asset_and_design_ids(canva, server):
    started = call(server, "startCanvaConnection", {}).structured_content
    assert started["status"] == "authorize" and started["authorize_url"].startswith(canva.fake.authorize_url)
    assert canva.callback(canva.consent(started["authorize_url"])).status_code == 200

    result = call(server, "sendImageToCanva", {"image_code": "img-0001", "create_design": True})
    assert result.is_error is False, text_of(result)
    out = result.structured_content
    state = canva.fake_state()
    assert out["asset_id"] == state["assets"][0]["id"] and out["design_id"] == state["designs"][0]["id"]
    assert out["image_code"] == "img-0001" and out["status"] == "uploaded"


@pytest.mark.parametrize(
    "arguments, status",
    [
        ({"image_code": "img-9999"}, "image_not_found"),
        ({"image_code": "../../etc/passwd"}, "invalid_image_code"),
        ({"image_code": ""}, "invalid_image_code"),
        ({"image_code": "img-0001", "design_title": "x" * 300}, "invalid_design_title"),
    ],
)
def test_bad_images_get_a_clear_error_and_never_reach_canva(canva, server, arguments, status):
    canva.connect()
    before = canva.token_row()
    result = call(server, "sendImageToCanva", arguments)
    assert result.is_error is True and f"{status}: " in text_of(result), text_of(result)
    assert canva.calls().get("asset_upload", 0) == 0
    assert canva.token_row() == before


def test_sending_before_connecting_says_what_to_do(canva, server):
    result = call(server, "sendImageToCanva", {"image_code": "img-0001"})
    assert result.is_error is True
    assert "not_connected: " in text_of(result) and "canva/connect" in text_of(result)
