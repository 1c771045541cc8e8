"""Calling our n8n webhooks: one httpx client, the shared secret header, retries only where safe."""

from __future__ import annotations

from typing import Any

import httpx

from promptsales.settings import Settings

SECRET_HEADER = "X-PromptSales-Secret"


class N8nWebhookError(Exception):
    """n8n answered with an error or could not be reached; the message says which and why. `status` is
    n8n's HTTP status, None when it could not be reached."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class N8nClient:
    def __init__(self, settings: Settings, client: httpx.Client | None = None, timeout: float = 30.0):
        self.base = settings.n8n.url()
        secret = settings.n8n.webhook_secret
        headers = {SECRET_HEADER: secret.get_secret_value()} if secret else {}
        self.http = client or httpx.Client(timeout=timeout, headers=headers)

    def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST JSON to the production webhook `/webhook/{path}` and return its JSON answer."""
        url = f"{self.base}/webhook/{path.lstrip('/')}"
        try:
            response = self.http.post(url, json=payload)
        except httpx.HTTPError as exc:
            raise N8nWebhookError(f"n8n is not reachable at {self.base}: {exc}") from exc
        if response.status_code >= 400:
            detail = response.text[:300]
            raise N8nWebhookError(f"n8n webhook {path} answered {response.status_code}: {detail}",
                                  response.status_code)
        try:
            return response.json()
        except ValueError as exc:
            raise N8nWebhookError(f"n8n webhook {path} answered non-JSON: {response.text[:200]}") from exc

    def close(self) -> None:
        self.http.close()
