"""MCP tools of the Canva integration, added to the content server by `register`.

The tools call the `CanvaService` the server's lifespan opened (its context's `canva`), which holds the
n8n client and the PromptContent database handle; the lifespan closes it. A refusal or failure reaches
the client as the tool's error, `status: message` (the server turns it into one, promptsales.mcp_server).
"""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from promptsales.canva.models import ConnectStart, SendImageResult
from promptsales.canva.service import CanvaService

# Both tools reach Canva (open world) and change what the Canva account holds, never our data.
ANNOTATIONS = ToolAnnotations(
    readOnlyHint=False, destructiveHint=False, idempotentHint=False, openWorldHint=True
)


def _service(ctx: Context) -> CanvaService:
    return ctx.request_context.lifespan_context.canva


def send_image_to_canva(
    ctx: Context,
    image_code: Annotated[str, Field(description="Our image code, e.g. img-0001 (from getContent)")],
    create_design: Annotated[
        bool, Field(description="Also create a Canva design from the uploaded asset")
    ] = False,
    design_title: Annotated[
        str | None,
        Field(description="Title of the design (1-255 characters); defaults to the image code"),
    ] = None,
) -> SendImageResult:
    """Send one of our generated images to the connected Canva account as an asset, and optionally
    create a design from it. Returns Canva's asset id (and design id and edit URL).
    Canva must be connected first (tool startCanvaConnection)."""
    return _service(ctx).send_image(image_code, create_design, design_title)


def start_canva_connection(ctx: Context) -> ConnectStart:
    """Start connecting PromptSales to a Canva account: returns a one-time authorize URL (valid
    10 minutes) that a person opens in a browser to approve the integration."""
    return _service(ctx).start_connection()


def register(server: MCPServer) -> None:
    server.tool(name="sendImageToCanva", annotations=ANNOTATIONS)(send_image_to_canva)
    server.tool(name="startCanvaConnection", annotations=ANNOTATIONS)(start_canva_connection)
