"""The MCP SDK's own floor: one trivial tool served exactly as the sales server is served (streamable HTTP,
JSON responses, stateless sessions), so a benchmark can measure what the SDK costs per call on this machine.
Run by promptsales_testkit.sales_bench.floor_server as
`python -m promptsales_testkit.sdk_floor_server PORT`."""

from __future__ import annotations

import sys

from mcp.server.mcpserver import MCPServer
from promptsales.mcp_server import serve
from pydantic import BaseModel


class Echo(BaseModel):
    text: str


server = MCPServer("sdk-floor", log_level="WARNING")


@server.tool()
async def echo(text: str) -> Echo:
    """Return the text: no I/O, no work, no worker thread (the cheapest tool the SDK serves)."""
    return Echo(text=text)


if __name__ == "__main__":
    serve(server, "http", "127.0.0.1", int(sys.argv[1]))
