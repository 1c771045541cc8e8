"""OAuth 2.1 resource-server protection of the MCP servers over HTTP (the MCP authorization spec).

The servers never issue tokens: a separate authorization server does (Keycloak, Entra ID, Auth0, ...). Each
request to /mcp must carry `Authorization: Bearer <JWT access token>`; the SDK's bearer middleware refuses a
missing or invalid token with 401 and a `WWW-Authenticate` header pointing at this server's protected-resource
metadata (RFC 9728), and a token without the required scopes with 403. `JwtTokenVerifier` decides what is
valid: signed by a key in the authorization server's JWKS with an allowed algorithm, issued by the configured
issuer, for this server (`aud` is its resource URL, RFC 8707), not expired.
"""

from __future__ import annotations

import logging
from typing import Any

import anyio.to_thread
import jwt
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings

from promptsales.errors import InvalidInput
from promptsales.settings import McpOAuthSettings

logger = logging.getLogger(__name__)
# Clock skew tolerated between the authorization server and this pod, in seconds.
LEEWAY_S = 30
# How long fetched signing keys are reused before the JWKS is read again (a rotated key is also fetched
# at once when a token names a key id not seen yet).
JWKS_CACHE_S = 300


class JwtTokenVerifier:
    """The SDK's TokenVerifier for JWT access tokens, checked against the authorization server's JWKS."""

    def __init__(self, config: McpOAuthSettings):
        self.issuer = config.issuer_url
        self.audience = config.resource_url
        self.algorithms = list(config.algorithms)
        self._keys = jwt.PyJWKClient(config.jwks_url, cache_keys=True, lifespan=JWKS_CACHE_S, timeout=5)

    def _decode(self, token: str) -> dict[str, Any]:
        key = self._keys.get_signing_key_from_jwt(token)
        return jwt.decode(
            token,
            key.key,
            algorithms=self.algorithms,
            audience=self.audience,
            issuer=self.issuer,
            leeway=LEEWAY_S,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            # Fetching the JWKS is blocking I/O (urllib): keep it off the event loop.
            claims = await anyio.to_thread.run_sync(self._decode, token)
        except jwt.PyJWTError as exc:
            logger.info("bearer token refused: %s", exc)
            return None
        scope = claims.get("scope", claims.get("scp", []))
        scopes = scope.split() if isinstance(scope, str) else [str(s) for s in scope]
        client_id = claims.get("client_id") or claims.get("azp") or claims["sub"]
        return AccessToken(
            token=token,
            client_id=str(client_id),
            scopes=scopes,
            expires_at=int(claims["exp"]),
            resource=self.audience,
            subject=str(claims["sub"]),
            claims=claims,
        )


def server_auth(config: McpOAuthSettings) -> dict[str, Any]:
    """MCPServer keyword arguments that turn the protection on (none when it is off)."""
    if not config.enabled:
        return {}
    missing = [
        name
        for name, value in (
            ("MCP_OAUTH_ISSUER_URL", config.issuer_url),
            ("MCP_OAUTH_JWKS_URL", config.jwks_url),
            ("MCP_OAUTH_RESOURCE_URL", config.resource_url),
        )
        if not value
    ]
    if missing:
        raise InvalidInput(f"MCP_OAUTH_ENABLED=true needs {', '.join(missing)}")
    if any(a.lower() == "none" or a.upper().startswith("HS") for a in config.algorithms):
        raise InvalidInput(
            f"MCP_OAUTH_ALGORITHMS must name asymmetric algorithms only (got {config.algorithms})"
        )
    # The verifier checks the audience itself, so the SDK need not compare AccessToken.resource again.
    auth = AuthSettings(
        issuer_url=config.issuer_url,
        resource_server_url=config.resource_url,
        required_scopes=config.required_scopes or None,
        validate_token_resource=False,
    )
    return {"auth": auth, "token_verifier": JwtTokenVerifier(config)}
