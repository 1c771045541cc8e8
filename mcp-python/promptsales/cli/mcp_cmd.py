"""`promptsales mcp serve content|sales`: run an MCP server over stdio or streamable HTTP."""

from __future__ import annotations

import argparse
import importlib
from typing import get_args

from promptsales.errors import InvalidInput
from promptsales.mcp_server import serve
from promptsales.settings import LogLevel, Settings, load_settings

# server name -> "module:function"; the function takes Settings and returns an mcp MCPServer.
SERVERS = {
    "content": "promptsales.content.server:build_server",
    "sales": "promptsales.sales.server:build_server",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("mcp", help="run the MCP servers")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    serve = actions.add_parser("serve", help="serve one MCP server")
    serve.add_argument("server", choices=list(SERVERS))
    serve.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    serve.add_argument("--host", default="127.0.0.1", help="HTTP bind address")
    serve.add_argument("--port", type=int, default=None, help="HTTP port (content 8765, sales 8766)")
    serve.add_argument(
        "--log-level",
        type=str.upper,
        choices=get_args(LogLevel),
        default=None,
        help="what the server logs to stderr (default: PROMPTSALES_LOG_LEVEL, else WARNING)",
    )
    serve.set_defaults(handler=_serve)


def server_settings(args: argparse.Namespace) -> Settings:
    """The settings the server runs with: this command's flags over the environment, .env and defaults."""
    return load_settings(log_level=args.log_level)


def _serve(args: argparse.Namespace) -> int:
    if args.port is not None and not 1 <= args.port <= 65535:
        raise InvalidInput(f"--port must be between 1 and 65535 (got {args.port})")
    settings = server_settings(args)
    module, function = SERVERS[args.server].split(":")
    server = getattr(importlib.import_module(module), function)(settings)
    serve(
        server,
        args.transport,
        args.host,
        args.port or (8765 if args.server == "content" else 8766),
        allow_anonymous=settings.mcp_oauth.allow_anonymous,
    )
    return 0
