"""What both MCP servers share: errors a model can act on, and how they are served over HTTP.

Over HTTP they answer /healthz without a token (for probes), and with MCP_OAUTH_ENABLED every /mcp request
needs a valid OAuth 2.1 bearer token (promptsales.mcp_auth).

The SDK reports arguments that fail the input schema with pydantic's own text: a multi-line dump with a
documentation link per problem. `PromptSalesServer` turns that into one short line per problem that names
the field and what it accepts (the allowed values, the range, the format), and nothing else changes.
A tool's `PromptSalesError` (invalid input, not found, unavailable: promptsales.errors) becomes the tool's
error answer with its one-line message here, once for every tool, where the SDK would otherwise report it
as a crash and keep the message to itself.
"""

from __future__ import annotations

import gc
import ipaddress
import json
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from promptsales.errors import PromptSalesError, Unavailable, shown
from promptsales.mcp_auth import server_auth
from promptsales.settings import McpOAuthSettings

# Parts of pydantic's error location that name a branch of a union or a validator, not a field.
_UNION_TAGS = {"int", "str", "float", "bool", "date", "datetime", "list", "dict", "none", "literal"}


def _field(loc: tuple) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part.lower() in _UNION_TAGS or "[" in part:
            continue
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts) or "arguments"


def _expected(error: dict) -> str:
    """What the field accepts, in words, from pydantic's error type and context."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("literal_error", "enum"):
        return f"must be one of {ctx.get('expected', '').replace(chr(39), '')}"
    if kind in ("less_than_equal", "less_than", "greater_than_equal", "greater_than"):
        words = {
            "less_than_equal": ("at most", "le"),
            "less_than": ("less than", "lt"),
            "greater_than_equal": ("at least", "ge"),
            "greater_than": ("more than", "gt"),
        }[kind]
        return f"must be {words[0]} {ctx.get(words[1])}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return (
            "must not be empty"
            if ctx.get("min_length") == 1
            else f"must be at least {ctx.get('min_length')} characters"
        )
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} items"
    if kind == "too_short":
        return f"must have at least {ctx.get('min_length')} items"
    if kind == "missing":
        return "required, and missing"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind.startswith(("date", "datetime")):
        return "must be a date as YYYY-MM-DD"
    if kind.startswith("int"):
        return "must be a whole number"
    if kind.startswith(("float", "decimal")):
        return "must be a number"
    if kind.startswith("string") or kind == "str_type":
        return "must be text"
    if kind.startswith("bool"):
        return "must be true or false"
    if kind in ("list_type", "tuple_type", "set_type"):
        return "must be a list"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "must be an object"
    message = error["msg"].splitlines()[0]
    return message[:1].lower() + message[1:]


def describe(exc: ValidationError) -> str:
    """One line per problem: the field, what it accepts, and (shortened) what was sent."""
    lines: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        field = _field(tuple(error["loc"]))
        if field in lines:  # a union reports each branch; the first says enough
            continue
        got = "" if error["type"] == "missing" else f" (got {shown(error.get('input'))})"
        lines[field] = f"{field}: {_expected(error)}{got}"
    return "\n".join(lines.values())


class PromptSalesServer(MCPServer):
    """MCPServer whose argument errors read as one line per problem (see the module docstring), protected
    by OAuth over HTTP when `oauth` says so."""

    def __init__(self, *args, oauth: McpOAuthSettings | None = None, **kwargs):
        super().__init__(*args, **kwargs, **server_auth(oauth or McpOAuthSettings()))
        self._declares_headers: dict[str, bool] = {}

    async def call_tool(self, name: str, arguments: dict[str, Any], context=None):
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, ValidationError) and not isinstance(exc, UnexpectedToolError):
                raise ToolError(
                    f"Invalid arguments for {name}; nothing was run:\n{describe(cause)}"
                ) from cause
            if isinstance(cause, PromptSalesError):
                # Worded as the SDK words a ToolError a tool raised itself.
                raise ToolError(f"Error executing tool {name}: {cause}") from cause
            raise

    def _tool_input_schema(self, name: str) -> dict[str, Any] | None:
        """The schema the SDK checks a call's Mcp-Param-* headers against, or None when the tool declares no
        such header (no `x-mcp-header` in its schema): then there is nothing to check, and the SDK's walk of
        the whole input schema on every call (about a tenth of a cached call's CPU) is skipped. Tools are
        registered before serving, so the answer per tool is computed once."""
        if name not in self._declares_headers:
            schema = super()._tool_input_schema(name)
            self._declares_headers[name] = schema is not None and "x-mcp-header" in json.dumps(schema)
        return super()._tool_input_schema(name) if self._declares_headers[name] else None


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(server: MCPServer, transport: str, host: str, port: int, allow_anonymous: bool = False) -> None:
    """stdio as it is; streamable HTTP with JSON responses and no session state, so that replicas behind a
    plain Service answer any request (a request carries everything it needs; nothing lives between them).

    What start-up built (modules, the server, its schemas) lives as long as the process: frozen, the garbage
    collector stops re-scanning it in every full collection, a cost every call otherwise shares."""
    gc.collect()
    gc.freeze()
    if transport == "stdio":
        server.run("stdio")
        return
    if server.settings.auth is None and not _is_loopback(host) and not allow_anonymous:
        raise Unavailable(
            f"refusing to serve MCP on {host} without OAuth: set MCP_OAUTH_ENABLED=true (with its issuer, "
            "JWKS and resource URLs), or MCP_OAUTH_ALLOW_ANONYMOUS=true where no one else can reach it"
        )

    @server.custom_route("/healthz", methods=["GET"], include_in_schema=False)
    async def healthz(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    server.run("streamable-http", host=host, port=port, json_response=True, stateless_http=True)
