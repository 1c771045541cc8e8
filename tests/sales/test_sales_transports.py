"""The real `promptsales mcp serve sales` process, driven by the MCP SDK's stdio and streamable HTTP clients."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import httpx
import pytest
from mcp import Client, StdioServerParameters
from promptsales_testkit import process_env

pytestmark = [pytest.mark.stack, pytest.mark.slow]
CLI = str(Path(sys.executable).with_name("promptsales"))


async def ask(client: Client) -> tuple[set[str], dict, dict]:
    tools = {t.name for t in (await client.list_tools()).tools}
    first = await client.call_tool("top_campaigns", {"metric": "revenue", "limit": 2})
    second = await client.call_tool("top_campaigns", {"metric": "revenue", "limit": 2})
    return tools, first.structured_content, second.structured_content


def check(tools, first, second) -> None:
    assert "campaign_performance" in tools and len(tools) == 7
    assert [r["campaign"]["campaign_id"] for r in first["campaigns"]] == [102, 101]
    assert second["cache"]["hit"] is True and second["campaigns"] == first["campaigns"]


def test_stdio(sales_settings):
    params = StdioServerParameters(
        command=CLI, args=["mcp", "serve", "sales"], env=process_env(sales_settings)
    )

    async def main():
        async with Client(params) as client:
            return await ask(client)

    check(*anyio.run(main))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def http_server(settings, log_path: Path) -> Iterator[str]:
    """`promptsales mcp serve sales --transport http` on a free port; yields its MCP URL."""
    port = free_port()
    log = log_path.open("w")
    process = subprocess.Popen(
        [CLI, "mcp", "serve", "sales", "--transport", "http", "--port", str(port)],
        env=process_env(settings),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert process.poll() is None, log_path.read_text()
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_streamable_http(sales_settings, tmp_path):
    with http_server(sales_settings, tmp_path / "server.log") as url:

        async def main():
            async with Client(url) as client:
                return await ask(client)

        check(*anyio.run(main))


def test_http_keeps_no_session_so_any_replica_answers(sales_settings, tmp_path):
    """Two server processes (two replicas behind a plain Service): a client initialized against the first
    has its calls answered by the second, which never saw it; answers are JSON, not an event stream."""
    with (
        http_server(sales_settings, tmp_path / "a.log") as first,
        http_server(sales_settings, tmp_path / "b.log") as second,
    ):

        async def initialize() -> str:
            async with Client(first) as client:
                return client.protocol_version

        version = anyio.run(initialize)
        request = {
            "jsonrpc": "2.0",
            "id": 7,
            "method": "tools/call",
            "params": {"name": "top_campaigns", "arguments": {"metric": "revenue", "limit": 2}},
        }
        reply = httpx.post(
            second,
            json=request,
            timeout=10,
            headers={"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18"},
        )
        assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/json"), (
            reply.text
        )
        assert "mcp-session-id" not in reply.headers
        answer = reply.json()["result"]["structuredContent"]
        assert [r["campaign"]["campaign_id"] for r in answer["campaigns"]] == [102, 101]
        assert version  # the first replica negotiated a version; the second needed no handshake
