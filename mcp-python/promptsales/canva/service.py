"""Calls to the Canva workflows in n8n, and the image lookup in GridFS that feeds them.

Every Canva request, token and retry happens inside n8n; this module only reads our image, sends it to
the `canva/assets` webhook (through the one n8n client, promptsales.n8n_client) and turns the workflow's
`status` into a result or a `CanvaFlowError`. Before anything is sent, a bad image code, title or size is
refused here as InvalidInput and an image we do not hold as NotFound, each worded `status: message` as the
flow's refusals are.
"""

from __future__ import annotations

import base64
import re

import gridfs
from pymongo.database import Database

from promptsales.canva.integration import WEBHOOK_ASSETS, WEBHOOK_CONNECT
from promptsales.canva.models import CanvaFlowError, ConnectStart, SendImageResult
from promptsales.errors import InvalidInput, NotFound
from promptsales.n8n_client import N8nClient, N8nWebhookError
from promptsales.settings import Settings

IMAGE_CODE = re.compile(r"^img-\d{4,}$")
MAX_IMAGE_BYTES = 50 * 1024 * 1024  # Canva's limit for image assets
DESIGN_TITLE_MAX = 255  # Canva's limit for design titles
# Uploads wait for Canva's async job and possibly one token refresh inside n8n.
N8N_TIMEOUT_S = 120.0


class CanvaService:
    def __init__(self, settings: Settings, images_db: Database, bucket: str = "fs"):
        self.n8n = N8nClient(settings, timeout=N8N_TIMEOUT_S)
        self.images_db = images_db
        self.bucket = bucket

    def close(self) -> None:
        self.n8n.close()

    # -- n8n ----------------------------------------------------------------------------------------------
    def _call(self, path: str, payload: dict) -> tuple[int, dict]:
        try:
            response = self.n8n.send(path, payload)
        except N8nWebhookError as exc:
            raise CanvaFlowError("n8n_unreachable", str(exc)) from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or "status" not in body:
            raise CanvaFlowError(
                "n8n_error",
                f"webhook {path} answered HTTP {response.status_code}: {response.text[:300]}",
                response.status_code,
            )
        return response.status_code, body

    def start_connection(self) -> ConnectStart:
        """Ask n8n for a one-time authorize URL (PKCE + state kept in Redis)."""
        code, body = self._call(WEBHOOK_CONNECT, {})
        if body["status"] != "authorize":
            raise CanvaFlowError(body["status"], body.get("message", "connect refused"), code)
        return ConnectStart(
            status="authorize",
            authorize_url=body["authorizeUrl"],
            state=body["state"],
            expires_in_seconds=body["expiresInSeconds"],
        )

    # -- images -------------------------------------------------------------------------------------------
    def load_image(self, image_code: str) -> tuple[bytes, str]:
        """The newest stored file for an image code: (bytes, display name)."""
        if not IMAGE_CODE.match(image_code or ""):
            raise InvalidInput(f"invalid_image_code: {image_code!r} is not an image code like img-0001")
        fs = gridfs.GridFS(self.images_db, collection=self.bucket)
        # The generator stores a master and a thumbnail per code (metadata.format); send the master.
        stored = fs.find_one(
            {"metadata.code": image_code, "metadata.format": "master"}, sort=[("uploadDate", -1)]
        ) or fs.find_one(
            {"metadata.code": image_code, "metadata.format": {"$exists": False}}, sort=[("uploadDate", -1)]
        )
        if stored is None:
            raise NotFound(
                f"image_not_found: no stored image {image_code} in PromptContent; "
                "list images with getContent or seed them with promptsales seed"
            )
        if stored.length > MAX_IMAGE_BYTES:
            raise InvalidInput(
                f"image_too_large: {image_code} is {stored.length} bytes; Canva takes up to 50 MB"
            )
        name = (stored.metadata or {}).get("title") or image_code
        return stored.read(), str(name)[:50]

    def send_image(
        self, image_code: str, create_design: bool = False, design_title: str | None = None
    ) -> SendImageResult:
        """Upload one image as a Canva asset (and optionally a design from it) through n8n."""
        if design_title is not None and not 1 <= len(design_title) <= DESIGN_TITLE_MAX:
            raise InvalidInput(f"invalid_design_title: design_title must be 1-{DESIGN_TITLE_MAX} characters")
        data, name = self.load_image(image_code)
        code, body = self._call(
            WEBHOOK_ASSETS,
            {
                "imageCode": image_code,
                "name": name,
                "pngBase64": base64.b64encode(data).decode(),
                "createDesign": create_design,
                "designTitle": design_title,
            },
        )
        if body["status"] != "uploaded":
            raise CanvaFlowError(body["status"], body.get("message", "the Canva flow failed"), code)
        return SendImageResult(
            image_code=image_code,
            asset_id=body["assetId"],
            asset_name=body["assetName"],
            design_id=body.get("designId"),
            design_edit_url=body.get("designEditUrl"),
            token_refreshed=bool(body.get("tokenRefreshed")),
        )
