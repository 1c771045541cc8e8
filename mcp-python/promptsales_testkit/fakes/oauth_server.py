"""A local OAuth 2.1 authorization server's public half, over real HTTP, for the MCP servers' token checks.

No identity provider is reachable from here. This one publishes what a resource server reads from a real
one: its signing keys as a JWKS (RFC 7517) at /jwks.json and its metadata (RFC 8414) at
/.well-known/oauth-authorization-server. `issue()` mints RS256 access tokens with the claims a real server
puts in them (iss, sub, aud, exp, iat, scope, client_id), each overridable so a test can make one wrong.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class FakeAuthorizationServer:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex[:12]
        self.jwks_requests = 0
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.issuer = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.jwks_url = f"{self.issuer}/jwks.json"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # http.server's naming
                if self.path == "/jwks.json":
                    server.jwks_requests += 1
                    public = json.loads(RSAAlgorithm.to_jwk(server.key.public_key()))
                    body = {"keys": [{**public, "kid": server.kid, "use": "sig", "alg": "RS256"}]}
                elif self.path == "/.well-known/oauth-authorization-server":
                    body = {
                        "issuer": server.issuer,
                        "jwks_uri": server.jwks_url,
                        "authorization_endpoint": f"{server.issuer}/authorize",
                        "token_endpoint": f"{server.issuer}/token",
                        "code_challenge_methods_supported": ["S256"],
                    }
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler

    def issue(
        self, audience: str, scope: str = "mcp:tools", key=None, kid: str | None = None, **overrides: Any
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": "user-42",
            "aud": audience,
            "iat": now,
            "exp": now + 300,
            "scope": scope,
            "client_id": "promptsales-test-client",
            **overrides,
        }
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
