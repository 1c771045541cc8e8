"""Refresh with rotation, one at a time, and the authenticated POST, all through n8n against the fake."""

from __future__ import annotations

import base64
import hashlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from promptsales.canva.models import CanvaFlowError
from promptsales.canva.service import CanvaService

pytestmark = [pytest.mark.stack, pytest.mark.slow]


@pytest.fixture
def service(canva, images_db):
    svc = CanvaService(canva.settings, images_db)
    yield svc
    svc.close()


def test_upload_and_design_return_canva_ids_for_our_image(canva, service, images_db):
    canva.connect()
    result = service.send_image("img-0001", create_design=True, design_title="Spring campaign")
    state = canva.fake_state()
    [asset] = state["assets"]
    [design] = state["designs"]
    stored = images_db["fs.files"].find_one({"metadata.code": "img-0001", "metadata.format": "master"})
    png = images_db["fs.chunks"].find_one({"files_id": stored["_id"]})["data"]
    assert result.asset_id == asset["id"] and asset["sha256"] == hashlib.sha256(png).hexdigest()
    assert asset["name"] == "Red test card" == result.asset_name
    assert result.design_id == design["id"] and design["asset_id"] == asset["id"]
    assert design["title"] == "Spring campaign" and result.design_edit_url.endswith("/edit")
    assert result.token_refreshed is False and canva.calls().get("token_refresh", 0) == 0


def test_an_expired_access_token_is_refreshed_once_and_the_post_retried(canva, service):
    canva.connect()
    version = canva.token_row()["version"]
    canva.control("expire-access-tokens")  # Canva now answers 401, our row still thinks it is valid
    result = service.send_image("img-0001")
    calls = canva.calls()
    assert result.token_refreshed is True and result.asset_id
    assert calls["token_refresh"] == 1 and calls["asset_upload"] == 2  # 401, then the retry
    row = canva.token_row()
    assert row["version"] == version + 1 and row["refreshing_until"] is None
    assert canva.decrypt(row["refresh_token_enc"]) in canva.fake_state()["live_refresh_tokens"]
    assert canva.record()["lastRefreshAt"] is not None


def test_a_token_close_to_expiry_is_refreshed_before_the_post(canva, service):
    canva.control("config", access_ttl_s=30)  # inside the 60 s margin
    canva.connect()
    canva.control("config", access_ttl_s=4 * 3600)
    result = service.send_image("img-0001")
    calls = canva.calls()
    assert result.token_refreshed is True
    assert calls["token_refresh"] == 1 and calls["asset_upload"] == 1  # no 401 was needed


def test_a_revoked_refresh_token_asks_for_a_reconnect_without_looping(canva, service):
    canva.connect()
    canva.control("revoke-refresh-tokens")
    canva.control("expire-access-tokens")
    with pytest.raises(CanvaFlowError) as failure:
        service.send_image("img-0001")
    assert failure.value.status == "reconnect_required" and "reconnect" in failure.value.message.lower()
    assert canva.calls()["token_refresh"] == 1
    assert canva.token_row()["status"] == "reconnect_required"
    assert canva.record()["status"] == "reconnect_required"
    # Later calls answer at once, without asking Canva again.
    with pytest.raises(CanvaFlowError) as again:
        service.send_image("img-0001")
    assert again.value.status == "reconnect_required"
    assert canva.calls()["token_refresh"] == 1 and canva.calls()["asset_upload"] == 1
    # Reconnecting heals it.
    canva.connect()
    assert service.send_image("img-0001").asset_id


def test_concurrent_refreshes_spend_the_refresh_token_once_and_keep_the_new_one(canva, service):
    canva.connect()
    version = canva.token_row()["version"]
    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(lambda _: canva.refresh(staleVersion=version), range(5)))
    statuses = sorted(answer["status"] for answer in answers)
    assert statuses == ["already_refreshed"] * 4 + ["refreshed"], answers
    calls = canva.calls()
    assert calls["token_refresh"] == 1 and calls.get("token_refresh_rejected", 0) == 0
    row = canva.token_row()
    assert row["version"] == version + 1
    live = canva.fake_state()["live_refresh_tokens"]
    assert live == [canva.decrypt(row["refresh_token_enc"])]  # the stored one is the only valid one
    # And it still works: the next refresh rotates again.
    assert canva.refresh(staleVersion=row["version"])["status"] == "refreshed"


def test_a_fresh_token_is_not_refreshed(canva):
    canva.connect()
    assert canva.refresh()["status"] == "fresh"
    assert canva.calls().get("token_refresh", 0) == 0


@pytest.mark.parametrize(
    "faults, status, token_calls",
    [
        ([400], "refresh_rejected", 1),  # a client error does not change on retry
        ([401], "client_auth_failed", 1),
        ([429, 429, 429], "canva_rate_limited", 3),  # rejected before processing: safe to retry, 1 s then 2 s
        ([500, 502, 503], "canva_unavailable", 3),
    ],
)
def test_token_endpoint_failures_on_refresh_keep_the_stored_tokens(canva, faults, status, token_calls):
    canva.connect()
    before = canva.token_row()
    canva.control("token-faults", statuses=faults)
    answer = canva.refresh(staleVersion=before["version"])
    assert answer["status"] == status and answer["canvaStatus"] == faults[-1]
    assert "unchanged" in answer["message"]
    assert canva.calls().get("token_refresh", 0) == 0  # every request was answered by a fault
    assert canva.calls()["token"] - 1 == token_calls
    after = canva.token_row()
    assert after["version"] == before["version"] and after["refreshing_until"] is None
    assert after["refresh_token_enc"] == before["refresh_token_enc"] and after["status"] == "connected"
    # The stored pair still works: the access token is live at Canva and the refresh token rotates normally.
    assert canva.decrypt(after["access_token_enc"]) in canva.fake_state()["live_access_tokens"]
    assert canva.refresh(staleVersion=before["version"])["status"] == "refreshed"


def test_a_passing_server_error_is_retried_and_the_refresh_succeeds(canva):
    canva.connect()
    version = canva.token_row()["version"]
    canva.control("token-faults", statuses=[503])
    assert canva.refresh(staleVersion=version)["status"] == "refreshed"
    assert canva.calls()["token_fault_503"] == 1 and canva.calls()["token_refresh"] == 1


def test_uploading_before_connecting_says_so(canva, service):
    with pytest.raises(CanvaFlowError) as failure:
        service.send_image("img-0001")
    assert failure.value.status == "not_connected" and failure.value.http_status == 409
    assert canva.calls().get("asset_upload", 0) == 0


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"imageCode": "img-0001"},
        {"imageCode": "../../etc/passwd", "pngBase64": base64.b64encode(b"x").decode()},
        {"imageCode": "img-0001", "pngBase64": ""},
    ],
)
def test_the_assets_webhook_refuses_incomplete_requests(canva, payload):
    answer = canva.webhook("canva/assets", payload)
    assert answer.status_code == 400 and answer.json()["status"] == "invalid_request"
    assert canva.calls().get("asset_upload", 0) == 0


def test_the_webhooks_need_the_shared_secret(canva):
    import httpx

    for path in ("canva/connect", "canva/assets", "canva/token/refresh"):
        answer = httpx.post(
            f"{canva.settings.n8n.url()}/webhook/{path}",
            json={},
            headers={"X-PromptSales-Secret": "wrong"},
            timeout=10,
        )
        assert answer.status_code in (401, 403)
