"""OAuth 2.1 on the MCP servers over HTTP: the real `promptsales mcp serve sales` process in secured mode,
against a local authorization server (promptsales_testkit/fakes/oauth_server.py). What must be refused follows
the MCP authorization spec and RFC 6750/8707/9728: no token, a token for another resource, expired, signed by an
unknown key, from another issuer, unsigned (401); too few scopes (403). A valid token gets the tools."""

from __future__ import annotations

import subprocess
import time

import anyio
import httpx
import httpx2
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from promptsales_testkit import process_env
from promptsales_testkit.fakes.oauth_server import FakeAuthorizationServer
from test_sales_transports import CLI, free_port

pytestmark = [pytest.mark.stack, pytest.mark.slow]


@pytest.fixture(scope="module")
def secured(sales_settings, tmp_path_factory):
    """(base URL, authorization server) of a sales server that requires tokens with scope mcp:tools."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("oauth") / "server.log"
    with FakeAuthorizationServer() as authority, log_path.open("w") as log:
        env = {
            **process_env(sales_settings),
            "MCP_OAUTH_ENABLED": "true",
            "MCP_OAUTH_ISSUER_URL": authority.issuer,
            "MCP_OAUTH_JWKS_URL": authority.jwks_url,
            "MCP_OAUTH_RESOURCE_URL": f"{base}/mcp",
            "MCP_OAUTH_REQUIRED_SCOPES": "mcp:tools",
        }
        process = subprocess.Popen(
            [CLI, "mcp", "serve", "sales", "--transport", "http", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=0.5).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.1)
            yield base, authority
        finally:
            process.terminate()
            process.wait(timeout=10)


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "0"},
    },
}


def post(base: str, token: str | None) -> httpx.Response:
    headers = {"Accept": "application/json, text/event-stream"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(f"{base}/mcp", json=INITIALIZE, headers=headers, timeout=10)


def test_a_request_without_a_token_is_refused_and_told_where_to_get_one(secured):
    base, authority = secured
    response = post(base, None)
    assert response.status_code == 401
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith("Bearer") and "resource_metadata=" in challenge
    metadata_url = challenge.split('resource_metadata="')[1].split('"')[0]
    metadata = httpx.get(metadata_url, timeout=5).json()
    assert metadata["resource"] == f"{base}/mcp"
    assert metadata["authorization_servers"] == [authority.issuer]


@pytest.mark.parametrize(
    "case", ["other audience", "expired", "unknown key", "other issuer", "unsigned", "garbage"]
)
def test_an_invalid_token_is_refused(secured, case):
    base, authority = secured
    audience = f"{base}/mcp"
    token = {
        "other audience": lambda: authority.issue("https://another-service.example/mcp"),
        "expired": lambda: authority.issue(
            audience, exp=int(time.time()) - 3600, iat=int(time.time()) - 7200
        ),
        # Same key id, another key: the signature does not verify.
        "unknown key": lambda: authority.issue(
            audience, key=rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ),
        "other issuer": lambda: authority.issue(audience, iss="https://evil.example"),
        "unsigned": lambda: jwt.encode(
            {
                "iss": authority.issuer,
                "sub": "x",
                "aud": audience,
                "scope": "mcp:tools",
                "exp": int(time.time()) + 300,
            },
            None,
            algorithm="none",
        ),
        "garbage": lambda: "not-a-jwt",
    }[case]()
    response = post(base, token)
    assert response.status_code == 401, (case, response.text)
    assert "invalid_token" in response.headers["www-authenticate"]


def test_a_valid_token_without_the_required_scope_is_forbidden(secured):
    base, authority = secured
    response = post(base, authority.issue(f"{base}/mcp", scope="profile email"))
    assert response.status_code == 403
    assert "insufficient_scope" in response.headers["www-authenticate"]


def test_a_valid_token_gets_the_tools(secured):
    base, authority = secured
    token = authority.issue(f"{base}/mcp")

    async def main():
        http_client = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30)
        async with (
            http_client,
            Client(streamable_http_client(f"{base}/mcp", http_client=http_client)) as client,
        ):
            return {t.name for t in (await client.list_tools()).tools}

    assert "campaign_performance" in anyio.run(main)
    assert authority.jwks_requests >= 1  # the keys really came from the authorization server


def test_serving_on_a_public_address_without_oauth_is_refused(sales_settings):
    result = subprocess.run(
        [
            CLI,
            "mcp",
            "serve",
            "sales",
            "--transport",
            "http",
            "--host",
            "0.0.0.0",
            "--port",
            str(free_port()),
        ],
        check=False,
        env=process_env(sales_settings),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert (
        "refusing to serve MCP on 0.0.0.0 without OAuth" in result.stderr and "Traceback" not in result.stderr
    )
