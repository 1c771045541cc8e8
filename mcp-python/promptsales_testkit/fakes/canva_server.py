"""A local stand-in for Canva Connect, over real HTTP, following the documented contract.

Canva cannot be reached from here, so the tests talk to this server instead. It implements what our
n8n workflows use, as documented at canva.dev/docs/connect:

- the user's consent at the authorization URL (`GET /api/oauth/authorize?...`; answers a 302 to the
  redirect URL with `code` and `state`, or with `error=access_denied` when told to refuse);
- `POST /rest/v1/oauth/token` (form-encoded, client authentication with HTTP Basic): the
  authorization-code grant checks the code, that `redirect_uri` is the one sent to authorize and that
  SHA-256(code_verifier) is the `s256` code_challenge; the refresh grant rotates: each refresh token
  works once and is revoked by its use; access tokens expire after `access_ttl_s`;
- `POST /rest/v1/asset-uploads` (`application/octet-stream` body, `Asset-Upload-Metadata` header
  with `name_base64`) starts an asynchronous job, `GET /rest/v1/asset-uploads/{jobId}` reports it
  (`in_progress` on the first poll, then `success` with the asset);
- `POST /rest/v1/designs` creates a design from a preset type and an asset id.

Tests steer it through `/_test/*` (answer the next token requests with given statuses, revoke the
refresh tokens, expire access tokens, refuse the next consent) and read what it saw from `/_test/state`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass
class FakeCanvaState:
    client_id: str
    client_secret: str
    access_ttl_s: int = 4 * 3600
    codes: dict[str, dict] = field(default_factory=dict)  # code -> challenge, redirect_uri, scope
    access_tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (epoch seconds)
    refresh_tokens: dict[str, bool] = field(default_factory=dict)  # token -> still valid
    token_faults: list[int] = field(default_factory=list)  # statuses for the next token requests
    refuse_next_consent: bool = False
    jobs: dict[str, dict] = field(default_factory=dict)
    assets: dict[str, dict] = field(default_factory=dict)
    designs: dict[str, dict] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, what: str) -> None:
        self.calls[what] = self.calls.get(what, 0) + 1

    def issue_tokens(self, scope: str) -> dict[str, Any]:
        access, refresh = "fake-at-" + secrets.token_urlsafe(24), "fake-rt-" + secrets.token_urlsafe(24)
        self.access_tokens[access] = time.time() + self.access_ttl_s
        self.refresh_tokens[refresh] = True
        return {
            "access_token": access,
            "refresh_token": refresh,
            "token_type": "Bearer",
            "expires_in": self.access_ttl_s,
            "scope": scope,
        }


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _Handler(BaseHTTPRequestHandler):
    server: FakeCanvaServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest output readable
        return

    # -- plumbing -----------------------------------------------------------------------------------------
    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, payload: Any = None, headers: dict[str, str] | None = None) -> None:
        body = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if payload is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, code: str, message: str, oauth: bool = False) -> None:
        # The token endpoint speaks OAuth 2.0 errors; the REST API its own {code, message} shape.
        payload = (
            {"error": code, "error_description": message} if oauth else {"code": code, "message": message}
        )
        self._send(status, payload)

    @property
    def state(self) -> FakeCanvaState:
        return self.server.state

    def _bearer_ok(self) -> bool:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            self._error(401, "invalid_access_token", "missing bearer token")
            return False
        expiry = self.state.access_tokens.get(header[len("Bearer ") :])
        if expiry is None or expiry <= time.time():
            self._error(401, "invalid_access_token", "the access token is invalid or expired")
            return False
        return True

    # -- routes -------------------------------------------------------------------------------------------
    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path == "/api/oauth/authorize":
            return self._authorize(parse_qs(url.query))
        if url.path.startswith("/rest/v1/asset-uploads/"):
            with self.state.lock:
                self.state.count("get_upload_job")
                if not self._bearer_ok():
                    return
                job = self.state.jobs.get(url.path.rsplit("/", 1)[1])
                if job is None:
                    return self._error(404, "not_found", "no such upload job")
                job["polls"] += 1
                if job["polls"] >= 2 and job["status"] == "in_progress":
                    job["status"] = "success"
                answer = {"id": job["id"], "status": job["status"]}
                if job["status"] == "success":
                    answer["asset"] = self.state.assets[job["asset_id"]]
                return self._send(200, {"job": answer})
        if url.path == "/_test/state":
            with self.state.lock:
                s = self.state
                return self._send(
                    200,
                    {
                        "calls": dict(s.calls),
                        "valid_refresh_tokens": sum(s.refresh_tokens.values()),
                        "assets": list(s.assets.values()),
                        "designs": list(s.designs.values()),
                        "pending_codes": len(s.codes),
                        # So tests can check that what n8n stored decrypts to a token Canva issued.
                        "live_access_tokens": [t for t, exp in s.access_tokens.items() if exp > time.time()],
                        "live_refresh_tokens": [t for t, ok in s.refresh_tokens.items() if ok],
                    },
                )
        self._error(404, "not_found", f"no route {url.path}")

    def do_POST(self) -> None:
        url = urlparse(self.path)
        body = self._body()
        with self.state.lock:
            if url.path == "/rest/v1/oauth/token":
                return self._token(body)
            if url.path == "/rest/v1/asset-uploads":
                return self._upload(body)
            if url.path == "/rest/v1/designs":
                return self._design(body)
            if url.path.startswith("/_test/"):
                return self._control(url.path[len("/_test/") :], json.loads(body or b"{}"))
        self._error(404, "not_found", f"no route {url.path}")

    def _authorize(self, query: dict[str, list[str]]) -> None:
        one = {key: values[0] for key, values in query.items()}
        with self.state.lock:
            self.state.count("authorize")
            problems = []
            if one.get("client_id") != self.state.client_id:
                problems.append("unknown client_id")
            if one.get("response_type") != "code":
                problems.append("response_type must be code")
            if one.get("code_challenge_method", "").lower() != "s256":
                problems.append("code_challenge_method must be s256")
            if not 43 <= len(one.get("code_challenge", "")) <= 128:
                problems.append("code_challenge missing")
            if not one.get("redirect_uri"):
                problems.append("redirect_uri missing")
            if problems:
                return self._error(400, "invalid_request", "; ".join(problems))
            answer = {"state": one.get("state", "")}
            if self.state.refuse_next_consent:
                self.state.refuse_next_consent = False
                answer["error"] = "access_denied"
            else:
                code = "fake-code-" + secrets.token_urlsafe(16)
                self.state.codes[code] = {
                    "challenge": one["code_challenge"],
                    "redirect_uri": one["redirect_uri"],
                    "scope": one.get("scope", ""),
                }
                answer["code"] = code
            location = f"{one['redirect_uri']}?{urlencode(answer)}"
        self._send(302, None, {"Location": location})

    def _client_ok(self) -> bool:
        header = self.headers.get("Authorization", "")
        expected = base64.b64encode(f"{self.state.client_id}:{self.state.client_secret}".encode()).decode()
        return header == f"Basic {expected}"

    def _token(self, body: bytes) -> None:
        state = self.state
        state.count("token")
        if state.token_faults:
            status = state.token_faults.pop(0)
            state.count(f"token_fault_{status}")
            headers = {"Retry-After": "1"} if status == 429 else None
            code = {400: "invalid_request", 401: "invalid_client", 429: "too_many_requests"}.get(
                status, "server_error"
            )
            return self._send(status, {"error": code, "error_description": "injected by the test"}, headers)
        if "application/x-www-form-urlencoded" not in self.headers.get("Content-Type", ""):
            return self._error(400, "invalid_request", "the body must be form-encoded", oauth=True)
        if not self._client_ok():
            return self._error(401, "invalid_client", "client authentication failed", oauth=True)
        form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        grant = form.get("grant_type")
        if grant == "authorization_code":
            state.count("token_authorization_code")
            issued = state.codes.pop(form.get("code", ""), None)  # a code works once, even if it fails
            if issued is None:
                return self._error(400, "invalid_grant", "unknown or used authorization code", oauth=True)
            if form.get("redirect_uri") != issued["redirect_uri"]:
                return self._error(
                    400, "invalid_grant", "redirect_uri differs from the authorize request", oauth=True
                )
            verifier = form.get("code_verifier", "")
            if not 43 <= len(verifier) <= 128 or s256(verifier) != issued["challenge"]:
                return self._error(
                    400, "invalid_grant", "code_verifier does not match code_challenge", oauth=True
                )
            return self._send(200, state.issue_tokens(issued["scope"]))
        if grant == "refresh_token":
            state.count("token_refresh")
            token = form.get("refresh_token", "")
            if not state.refresh_tokens.get(token):
                state.count("token_refresh_rejected")
                return self._error(400, "invalid_grant", "refresh token revoked or already used", oauth=True)
            state.refresh_tokens[token] = False  # rotation: the old one is revoked by its use
            return self._send(200, state.issue_tokens("asset:read asset:write design:content:write"))
        self._error(400, "unsupported_grant_type", f"grant_type {grant!r}", oauth=True)

    def _upload(self, body: bytes) -> None:
        self.state.count("asset_upload")
        if not self._bearer_ok():
            return
        if self.headers.get("Content-Type") != "application/octet-stream":
            return self._error(400, "invalid_header", "Content-Type must be application/octet-stream")
        try:
            metadata = json.loads(self.headers.get("Asset-Upload-Metadata", ""))
            name = base64.b64decode(metadata["name_base64"], validate=True).decode()
        except (ValueError, KeyError, TypeError):
            return self._error(400, "invalid_header", "Asset-Upload-Metadata needs name_base64")
        if not body.startswith(PNG_MAGIC):
            return self._error(400, "invalid_file", "the body is not a supported image")
        asset_id = "FAKEAS" + secrets.token_hex(5).upper()
        job_id = "job-" + secrets.token_hex(6)
        now = int(time.time())
        self.state.assets[asset_id] = {
            "id": asset_id,
            "name": name,
            "tags": [],
            "created_at": now,
            "updated_at": now,
            "size_bytes": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
        }
        self.state.jobs[job_id] = {"id": job_id, "status": "in_progress", "asset_id": asset_id, "polls": 0}
        self._send(200, {"job": {"id": job_id, "status": "in_progress"}})

    def _design(self, body: bytes) -> None:
        self.state.count("create_design")
        if not self._bearer_ok():
            return
        try:
            request = json.loads(body)
            design_type = request["design_type"]
        except (ValueError, KeyError, TypeError):
            return self._error(400, "invalid_field", "design_type is required")
        asset_id = request.get("asset_id")
        if asset_id is not None and asset_id not in self.state.assets:
            return self._error(400, "invalid_field", f"asset {asset_id} not found")
        design_id = "FAKEDE" + secrets.token_hex(5).upper()
        design = {
            "id": design_id,
            "title": request.get("title", "Untitled"),
            "design_type": design_type,
            "asset_id": asset_id,
            "urls": {
                "edit_url": f"https://www.canva.com/design/{design_id}/edit",
                "view_url": f"https://www.canva.com/design/{design_id}/view",
            },
        }
        self.state.designs[design_id] = design
        self._send(200, {"design": design})

    def _control(self, action: str, body: dict) -> None:
        state = self.state
        if action == "token-faults":
            state.token_faults = [int(status) for status in body.get("statuses", [])]
        elif action == "revoke-refresh-tokens":
            state.refresh_tokens = {token: False for token in state.refresh_tokens}
        elif action == "expire-access-tokens":
            state.access_tokens = {token: 0.0 for token in state.access_tokens}
        elif action == "config":
            state.access_ttl_s = int(body.get("access_ttl_s", state.access_ttl_s))
        elif action == "reset":
            for name in ("codes", "access_tokens", "refresh_tokens", "jobs", "assets", "designs", "calls"):
                getattr(state, name).clear()
            state.token_faults, state.refuse_next_consent, state.access_ttl_s = [], False, 4 * 3600
        elif action == "refuse-next-consent":
            state.refuse_next_consent = True
        else:
            return self._error(404, "not_found", f"no test action {action}")
        self._send(200, {"ok": True})


class FakeCanvaServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        host: str = "127.0.0.1",
        port: int = 0,
        access_ttl_s: int = 4 * 3600,
    ):
        super().__init__((host, port), _Handler)
        self.state = FakeCanvaState(client_id, client_secret, access_ttl_s)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/rest/v1"

    @property
    def authorize_url(self) -> str:
        return f"{self.base_url}/api/oauth/authorize"

    def start(self) -> FakeCanvaServer:
        self._thread = threading.Thread(target=self.serve_forever, name="fake-canva", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


if __name__ == "__main__":
    # For demos:
    #   python -m promptsales_testkit.fakes.canva_server --port 58440 --client-id demo --client-secret s3cret
    import argparse

    parser = argparse.ArgumentParser(description="Serve the fake Canva Connect API until interrupted")
    parser.add_argument("--port", type=int, default=58440)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    args = parser.parse_args()
    server = FakeCanvaServer(args.client_id, args.client_secret, port=args.port)
    print(
        f"fake Canva: CANVA_API_BASE={server.api_base} CANVA_AUTHORIZE_URL={server.authorize_url}", flush=True
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()
