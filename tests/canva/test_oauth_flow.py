"""Connecting Canva through n8n's production webhooks: PKCE, the one-time state, encrypted tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = [pytest.mark.stack, pytest.mark.slow]


def authorize_query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


def test_connect_builds_a_pkce_authorize_url_and_stores_encrypted_tokens(canva):
    started = canva.start()
    query = authorize_query(started["authorizeUrl"])
    assert started["authorizeUrl"].startswith(canva.fake.authorize_url + "?")
    assert query["code_challenge_method"] == "s256" and query["response_type"] == "code"
    assert query["client_id"] == canva.settings.canva.client_id
    assert query["state"] == started["state"] and len(started["state"]) == 32
    assert query["redirect_uri"] == f"{canva.settings.n8n.url()}/webhook/canva/oauth/callback"
    assert query["scope"].split() == canva.settings.canva.scopes.split()
    assert started["expiresInSeconds"] == 600

    answer = canva.callback(canva.consent(started["authorizeUrl"]))
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "connected"
    # The fake only issues tokens when SHA-256(verifier) matches the challenge, Basic auth and redirect match.
    calls = canva.calls()
    assert calls["token_authorization_code"] == 1 and calls["token"] == 1

    row = canva.token_row()
    live = canva.fake_state()
    for stored in (row["access_token_enc"], row["refresh_token_enc"]):
        assert "fake-" not in stored  # never in clear
    assert canva.decrypt(row["access_token_enc"]) in live["live_access_tokens"]
    assert canva.decrypt(row["refresh_token_enc"]) in live["live_refresh_tokens"]
    assert row["status"] == "connected" and row["version"] == 1

    record = canva.record()
    assert record["status"] == "connected" and record["lastRefreshAt"] is not None
    text = repr(record)
    assert canva.settings.canva.client_secret.get_secret_value() not in text
    assert "fake-at-" not in text and "fake-rt-" not in text
    assert record["authMethod"]["pkce"] == "S256" and record["baseUrl"] == canva.fake.api_base


def test_the_verifier_stays_in_redis_only_until_the_callback(canva):
    import redis

    started = canva.start()
    client = redis.Redis.from_url(canva.settings.redis.url())
    key = f"{canva.settings.redis.key_prefix}:canva:oauth-state:{started['state']}"
    verifier = client.get(key).decode()
    assert 43 <= len(verifier) <= 128 and 0 < client.ttl(key) <= 600
    challenge = authorize_query(started["authorizeUrl"])["code_challenge"]
    assert (
        challenge
        == base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    canva.callback(canva.consent(started["authorizeUrl"]))
    assert client.get(key) is None


def test_a_replayed_state_is_refused_and_keeps_the_tokens(canva):
    redirect = canva.consent(canva.start()["authorizeUrl"])
    assert canva.callback(redirect).status_code == 200
    before = canva.token_row()
    replay = canva.callback(redirect)
    assert replay.status_code == 400 and replay.json()["status"] == "state_replayed"
    assert canva.token_row() == before
    assert canva.calls()["token"] == 1  # the replay never reached Canva


@pytest.mark.parametrize(
    "query, status",
    [
        ("state={wrong}&code=fake-code-x", "state_unknown"),
        ("code=fake-code-x", "invalid_request"),
        ("state={state}", "invalid_request"),
        ("", "invalid_request"),
    ],
)
def test_a_wrong_or_missing_state_is_refused(canva, query, status):
    started = canva.start()
    url = f"{canva.settings.n8n.url()}/webhook/canva/oauth/callback?" + query.format(
        wrong=secrets.token_hex(16), state=started["state"]
    )
    answer = canva.callback(url)
    assert answer.status_code == 400 and answer.json()["status"] == status
    assert canva.token_row() is None
    assert canva.calls().get("token", 0) == 0


def test_a_state_from_another_attempt_cannot_exchange_this_code(canva):
    first, second = canva.start(), canva.start()
    redirect = canva.consent(first["authorizeUrl"])
    # Swap in the second attempt's state: the verifier under it does not match the first challenge.
    forged = redirect.replace(first["state"], second["state"])
    answer = canva.callback(forged)
    assert answer.status_code == 502 and answer.json()["status"] == "token_exchange_failed"
    assert answer.json()["canvaError"] == "invalid_grant"
    assert canva.token_row() is None


def test_access_denied_redirect_gives_a_clear_status(canva):
    canva.control("refuse-next-consent")
    redirect = canva.consent(canva.start()["authorizeUrl"])
    assert "error=access_denied" in redirect
    answer = canva.callback(redirect)
    assert answer.status_code == 400
    assert answer.json()["status"] == "access_denied" and "access_denied" in answer.json()["message"]
    assert canva.token_row() is None


@pytest.mark.parametrize("fault", [400, 429, 500])  # 401: see the refresh tests
def test_token_endpoint_failure_on_the_code_exchange_is_reported_and_not_retried(canva, fault):
    canva.connect()
    before = canva.token_row()
    canva.control("token-faults", statuses=[fault])
    answer = canva.callback(canva.consent(canva.start()["authorizeUrl"]))
    assert answer.status_code == 502
    assert answer.json()["status"] == "token_exchange_failed" and answer.json()["canvaStatus"] == fault
    assert canva.calls()[f"token_fault_{fault}"] == 1 and canva.calls()["token"] == 2
    assert canva.token_row() == before  # the earlier connection is untouched and still works
    assert canva.decrypt(before["access_token_enc"]) in canva.fake_state()["live_access_tokens"]
