"""Calling n8n: our webhooks (one httpx client, the shared secret header) and n8n's own REST API (the one the
editor calls, logged in as the owner account from settings).

Retried, with tenacity, only what cannot have changed anything: a call whose connection could not be set up
(n8n never saw it), a GET that failed in transit (reading changes nothing), and a login n8n's rate limit
refused. A webhook POST or a REST write that reached n8n is never sent twice: its failure is the caller's
to report.
"""

from __future__ import annotations

from typing import Any, Self

import httpx
from tenacity import (
    Retrying,
    retry_if_exception_type,
    retry_if_result,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential,
    wait_fixed,
)

from promptsales.errors import Unavailable
from promptsales.settings import Settings

SECRET_HEADER = "X-PromptSales-Secret"
# Tries of a call that failed before n8n answered, and the longest wait between two (n8n restarting).
TRANSPORT_ATTEMPTS = 4
TRANSPORT_WAIT_MAX_S = 2.0


def transport_retry(method: str) -> Retrying:
    """Calls `fn(*args)` again while it fails in a way that changed nothing in n8n: the connection could not
    be set up (any method), or the request failed in transit (GET only); the last failure is raised."""
    retryable = httpx.TransportError if method == "GET" else httpx.ConnectError
    return Retrying(
        retry=retry_if_exception_type(retryable),
        stop=stop_after_attempt(TRANSPORT_ATTEMPTS),
        wait=wait_exponential(multiplier=0.25, max=TRANSPORT_WAIT_MAX_S),
        reraise=True,
    )


class N8nWebhookError(Unavailable):
    """n8n answered with an error or could not be reached; the message says which and why. `status` is
    n8n's HTTP status, None when it could not be reached (callers tell a refusal from a failure by it)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class N8nClient:
    def __init__(self, settings: Settings, client: httpx.Client | None = None, timeout: float = 30.0):
        self.base = settings.n8n.url()
        secret = settings.n8n.webhook_secret
        headers = {SECRET_HEADER: secret.get_secret_value()} if secret else {}
        self.http = client or httpx.Client(timeout=timeout, headers=headers)

    def send(self, path: str, payload: dict[str, Any]) -> httpx.Response:
        """POST JSON to the production webhook `/webhook/{path}` and return n8n's answer, whatever its status;
        N8nWebhookError (status None) when n8n could not be reached."""
        url = f"{self.base}/webhook/{path.lstrip('/')}"
        try:
            return transport_retry("POST")(self.http.post, url, json=payload)
        except httpx.HTTPError as exc:
            raise N8nWebhookError(f"n8n is not reachable at {self.base}: {exc}") from exc

    def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST JSON to the production webhook `/webhook/{path}` and return its JSON answer; N8nWebhookError
        with n8n's status when it answered with an error."""
        response = self.send(path, payload)
        if response.status_code >= 400:
            detail = response.text[:300]
            raise N8nWebhookError(
                f"n8n webhook {path} answered {response.status_code}: {detail}", response.status_code
            )
        try:
            return response.json()
        except ValueError as exc:
            raise N8nWebhookError(f"n8n webhook {path} answered non-JSON: {response.text[:200]}") from exc

    def close(self) -> None:
        self.http.close()


class N8nApiError(Unavailable):
    """n8n's REST API refused a request or could not be reached; one line saying which and why."""


# n8n's login cookie per (base URL, owner email), kept for the life of the process: n8n in production mode
# allows five logins a minute per account, and the tests and the CLI make more calls than that.
_sessions: dict[tuple[str, str], dict[str, str]] = {}
# How long a login waits when n8n's rate limit refused it (its window is one minute).
LOGIN_RETRY_S = 65.0


class N8nApi:
    """n8n's internal REST API (`/rest/...`), what the editor reads and writes workflows through, as the
    owner account (N8N_OWNER_EMAIL / N8N_OWNER_PASSWORD)."""

    def __init__(self, settings: Settings, timeout: float = 60.0):
        self.base = settings.n8n.url()
        self.email = settings.n8n.owner_email
        self._password = settings.n8n.owner_password
        self.http = httpx.Client(base_url=self.base, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _login(self) -> None:
        if self._password is None:
            raise N8nApiError("N8N_OWNER_PASSWORD is not set, so nothing can log in to n8n")
        body = {"emailOrLdapLoginId": self.email, "password": self._password.get_secret_value()}
        # A login refused by the rate limit (429) changed nothing: wait for its window and try again.
        rate_limited = Retrying(
            retry=retry_if_result(lambda answer: answer.status_code == 429),
            wait=wait_fixed(5),
            stop=stop_after_delay(LOGIN_RETRY_S),
            retry_error_callback=lambda state: state.outcome.result(),
        )
        response = rate_limited(self._send, "POST", "/rest/login", json=body, login=False)
        if response.status_code != 200:
            raise N8nApiError(
                f"n8n refused the login of {self.email} ({response.status_code}): "
                f"{_message(response)}; is N8N_OWNER_PASSWORD the password n8n was started with?"
            )
        _sessions[(self.base, self.email)] = dict(response.cookies)

    def _send(self, method: str, path: str, login: bool = True, **kwargs) -> httpx.Response:
        if login:
            if (self.base, self.email) not in _sessions:
                self._login()
            self.http.cookies.update(_sessions[(self.base, self.email)])
        try:
            response = transport_retry(method)(self.http.request, method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise N8nApiError(
                f"n8n is not reachable at {self.base} ({type(exc).__name__}: {exc}); "
                "is it running? See `promptsales stack status`"
            ) from exc
        if login and response.status_code == 401:  # the session ended (n8n restarted with another owner hash)
            _sessions.pop((self.base, self.email), None)
            self._login()
            return self._send(method, path, **kwargs)
        return response

    def _data(self, method: str, path: str, missing_ok: bool = False, **kwargs) -> Any:
        """The `data` n8n answers with; None for 404 when `missing_ok`; N8nApiError for any other refusal."""
        response = self._send(method, path, **kwargs)
        if missing_ok and response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise N8nApiError(f"n8n answered {response.status_code} to {method} {path}: {_message(response)}")
        return response.json()["data"]

    def workflows(self) -> list[dict]:
        """Every workflow n8n holds (archived ones too), as id, name, versionId and isArchived."""
        return self._data(
            "GET", "/rest/workflows", params={"select": '["id","name","versionId","isArchived"]'}
        )

    def workflow(self, workflow_id: str) -> dict | None:
        """The workflow as n8n holds it (the draft the editor shows), or None when n8n has no such id."""
        return self._data("GET", f"/rest/workflows/{workflow_id}", missing_ok=True)

    def version(self, workflow_id: str, version_id: str) -> dict | None:
        """One version from the workflow's history: who wrote it (`authors`; "import" for the n8n CLI's
        import) and when (`createdAt`)."""
        return self._data(
            "GET", f"/rest/workflow-history/workflow/{workflow_id}/version/{version_id}", missing_ok=True
        )

    def execution(self, execution_id: str) -> dict | None:
        """One execution as the editor's Executions tab lists it (mode, status, start), or None when n8n has
        not kept it."""
        return self._data("GET", f"/rest/executions/{execution_id}", missing_ok=True)

    def update(self, workflow_id: str, body: dict) -> dict:
        """Save a workflow as the editor does (PATCH with its versionId)."""
        return self._data("PATCH", f"/rest/workflows/{workflow_id}", json=body)

    def activate(self, workflow_id: str, version_id: str) -> dict:
        """Publish that version of the workflow: its triggers and webhooks start."""
        return self._data("POST", f"/rest/workflows/{workflow_id}/activate", json={"versionId": version_id})


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json().get("message", response.text))[:300]
    except ValueError:
        return response.text[:300]
