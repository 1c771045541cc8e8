"""The fake Canva keeps the documented contract, so tests against it mean something (no n8n needed)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest
from promptsales_testkit.fakes.canva_server import FakeCanvaServer


@pytest.fixture
def fake():
    server = FakeCanvaServer("cid", "csecret").start()
    yield server
    server.stop()


def authorize(fake: FakeCanvaServer, verifier: str, redirect: str = "http://127.0.0.1:1/cb") -> str:
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urlencode(
        {
            "client_id": "cid",
            "response_type": "code",
            "code_challenge": challenge,
            "code_challenge_method": "s256",
            "redirect_uri": redirect,
            "state": "s1",
            "scope": "asset:write",
        }
    )
    location = httpx.get(f"{fake.authorize_url}?{query}").headers["location"]
    return parse_qs(urlparse(location).query)["code"][0]


def token(fake: FakeCanvaServer, form: dict, auth=("cid", "csecret")) -> httpx.Response:
    return httpx.post(f"{fake.api_base}/oauth/token", data=form, auth=auth)


def test_code_exchange_checks_verifier_basic_auth_redirect_and_single_use(fake):
    verifier = secrets.token_hex(32)
    code = authorize(fake, verifier)
    good = {
        "grant_type": "authorization_code",
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": "http://127.0.0.1:1/cb",
    }
    assert token(fake, good, auth=("cid", "wrong")).status_code == 401
    assert token(fake, good).status_code == 200
    assert token(fake, good).json()["error"] == "invalid_grant"  # used
    code = authorize(fake, verifier)
    assert (
        token(fake, {**good, "code": code, "code_verifier": secrets.token_hex(32)}).json()["error"]
        == "invalid_grant"
    )
    code = authorize(fake, verifier)
    assert (
        token(fake, {**good, "code": code, "redirect_uri": "http://evil/cb"}).json()["error"]
        == "invalid_grant"
    )


def test_refresh_tokens_rotate_and_the_old_one_is_revoked(fake):
    verifier = secrets.token_hex(32)
    first = token(
        fake,
        {
            "grant_type": "authorization_code",
            "code": authorize(fake, verifier),
            "code_verifier": verifier,
            "redirect_uri": "http://127.0.0.1:1/cb",
        },
    ).json()
    second = token(fake, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert second.status_code == 200 and second.json()["refresh_token"] != first["refresh_token"]
    again = token(fake, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_upload_needs_a_live_bearer_token_and_octet_stream(fake):
    answer = httpx.post(
        f"{fake.api_base}/asset-uploads",
        content=b"\x89PNG\r\n\x1a\nxx",
        headers={
            "Authorization": "Bearer nope",
            "Content-Type": "application/octet-stream",
            "Asset-Upload-Metadata": '{"name_base64": "eA=="}',
        },
    )
    assert answer.status_code == 401


@pytest.mark.stack
def test_the_integration_record_passes_the_promptcontent_validator(fresh_mongo_db, stack):
    """The record is written into the collection the content engineer's validator guards (no secrets)."""
    from promptsales.canva import integration
    from promptsales.dbinit.content import apply_collections

    apply_collections(fresh_mongo_db)
    record = integration.write_record(fresh_mongo_db, stack)
    assert record["name"] == "canva" and record["status"] == "not_connected"
    assert {m["name"] for m in record["methods"]} == {
        "token",
        "createAssetUploadJob",
        "getAssetUploadJob",
        "createDesign",
    }
    again = integration.write_record(fresh_mongo_db, stack)  # safe to re-run
    assert fresh_mongo_db[integration.COLLECTION].count_documents({"name": "canva"}) == 1
    assert again["createdAt"] == record["createdAt"]
