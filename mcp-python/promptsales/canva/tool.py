"""MCP tools of the Canva integration, added to the content server by `register`.

The content server calls `register(server, build_service(settings, mongo_client))` once at start-up;
the service holds one HTTP client to n8n and the PromptContent database handle.
"""

from __future__ import annotations

from typing import Annotated

import pymongo
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from promptsales.canva.models import CanvaFlowError, ConnectStart, SendImageResult
from promptsales.canva.service import CanvaService
from promptsales.settings import Settings


def build_service(settings: Settings, mongo_client: pymongo.MongoClient) -> CanvaService:
    return CanvaService(settings, mongo_client[settings.mongodb.database])


def register(server: MCPServer, service: CanvaService) -> None:
    @server.tool(
        name="sendImageToCanva",
        annotations=ToolAnnotations(
            readOnlyHint=False, destructiveHint=False, idempotentHint=False, openWorldHint=True
        ),
    )
    def send_image_to_canva(
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
        try:
            return service.send_image(image_code, create_design, design_title)
        except CanvaFlowError as exc:
            raise ToolError(f"{exc.status}: {exc.message}") from exc

    @server.tool(
        name="startCanvaConnection",
        annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=False, openWorldHint=True),
    )
    def start_canva_connection() -> ConnectStart:
        """Start connecting PromptSales to a Canva account: returns a one-time authorize URL (valid
        10 minutes) that a person opens in a browser to approve the integration."""
        try:
            return service.start_connection()
        except CanvaFlowError as exc:
            raise ToolError(f"{exc.status}: {exc.message}") from exc
