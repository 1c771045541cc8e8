"""Inputs and outputs of the Canva flow, as the MCP tool and the tests see them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from promptsales.errors import Unavailable

# Statuses the n8n workflows answer with (the `status` field of every webhook answer).
ConnectionStatus = Literal["not_connected", "connected", "reconnect_required"]


class ConnectStart(BaseModel):
    """What a person needs to authorize PromptSales in Canva."""

    status: Literal["authorize"]
    authorize_url: str = Field(description="Open this URL in a browser to approve the Canva integration")
    state: str = Field(description="One-time value bound to this attempt; the callback refuses any other")
    expires_in_seconds: int = Field(description="How long the URL stays usable")


class SendImageResult(BaseModel):
    """An image of ours, now an asset in the connected Canva account (and optionally a design)."""

    status: Literal["uploaded"] = "uploaded"
    image_code: str = Field(description="Our image code, e.g. img-0001")
    asset_id: str = Field(description="Canva's id of the uploaded asset")
    asset_name: str
    design_id: str | None = Field(default=None, description="Canva's id of the design made from the asset")
    design_edit_url: str | None = None
    token_refreshed: bool = Field(description="Whether the access token was refreshed during this call")


class CanvaFlowError(Unavailable):
    """The Canva flow in n8n refused or failed. `status` is its stable machine-readable word (not_connected,
    reconnect_required, n8n_unreachable, ...), which callers tell the outcomes apart by; `message` says what
    to do; `http_status` is n8n's answer code."""

    def __init__(self, status: str, message: str, http_status: int | None = None):
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.http_status = http_status
