"""What the n8n client sends again (tenacity) and what it never does, against small real HTTP servers on
127.0.0.1 that stand where n8n would: a call whose connection could not be set up is tried again, a GET that
failed in transit too, a login the rate limit refused too; a POST or PATCH that reached the server never."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from promptsales.n8n_client import N8nApi, N8nApiError, N8nClient, N8nWebhookError
from promptsales.settings import N8nSettings, Settings
from pydantic import SecretStr

# (method, path, how many times it was asked before) -> (status, JSON body), or None: drop the connection
# without answering (the request reached the server; the answer never came back).
Script = Callable[[str, str, int], tuple[int, dict] | None]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _server(
    script: Script, port: int | None = None, start_after_s: float = 0.0
) -> Iterator[tuple[str, Counter]]:
    """An HTTP server answering by `script`, listening only `start_after_s` seconds from now; yields its base
    URL and the count of requests per (method, path)."""
    port = port or _free_port()
    asked: Counter = Counter()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            key = (self.command, self.path.split("?")[0])
            answer = script(*key, asked[key])
            asked[key] += 1
            if answer is None:
                self.close_connection = True
                return
            status, body = answer
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if self.path == "/rest/login" and status == 200:
                self.send_header("Set-Cookie", "n8n-auth=test-session; Path=/")
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = _answer

        def log_message(self, *args) -> None:
            pass

    holder: dict = {}

    def run() -> None:
        time.sleep(start_after_s)
        holder["server"] = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        holder["server"].serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", asked
    finally:
        while "server" not in holder and thread.is_alive():
            time.sleep(0.05)
        holder["server"].shutdown()
        holder["server"].server_close()


def _settings(base_url: str) -> Settings:
    return Settings(
        n8n=N8nSettings(
            base_url=base_url,
            webhook_secret=None,
            owner_email="owner@test.local",
            owner_password=SecretStr("not-used-by-the-test-server"),
        )
    )


def test_a_webhook_whose_connection_could_not_be_set_up_is_sent_once_n8n_listens():
    with _server(lambda method, path, before: (200, {"ok": True}), start_after_s=0.3) as (base, asked):
        client = N8nClient(_settings(base))
        try:
            assert client.post("content/campaign-messages", {"x": 1}) == {"ok": True}
        finally:
            client.close()
    assert asked == Counter({("POST", "/webhook/content/campaign-messages"): 1})


def test_a_webhook_post_that_reached_n8n_is_never_sent_again():
    with _server(lambda method, path, before: None) as (base, asked):
        client = N8nClient(_settings(base))
        try:
            with pytest.raises(N8nWebhookError, match="n8n is not reachable at") as failure:
                client.post("etl/run", {})
        finally:
            client.close()
    assert failure.value.status is None
    assert asked == Counter({("POST", "/webhook/etl/run"): 1})


def test_nothing_listening_is_tried_a_few_times_then_one_clear_error():
    base = f"http://127.0.0.1:{_free_port()}"
    client = N8nClient(_settings(base))
    started = time.monotonic()
    try:
        with pytest.raises(N8nWebhookError, match=f"n8n is not reachable at {base}"):
            client.post("etl/run", {})
    finally:
        client.close()
    assert time.monotonic() - started < 10  # a few short waits, not a hang


def _rest(method: str, path: str, before: int) -> tuple[int, dict] | None:
    """A login refused once by the rate limit; a GET dropped the first time; a PATCH always dropped."""
    if path == "/rest/login":
        return (429, {"message": "Too many requests"}) if before == 0 else (200, {"data": {}})
    if method == "GET":
        return None if before == 0 else (200, {"data": [{"id": "w1"}]})
    return None


def test_a_rate_limited_login_and_a_get_dropped_in_transit_are_tried_again():
    with _server(_rest) as (base, asked), N8nApi(_settings(base)) as api:
        assert api.workflows() == [{"id": "w1"}]
    assert asked == Counter({("POST", "/rest/login"): 2, ("GET", "/rest/workflows"): 2})


def test_a_rest_write_dropped_in_transit_is_never_sent_again():
    def script(method: str, path: str, before: int) -> tuple[int, dict] | None:
        return (200, {"data": {}}) if path == "/rest/login" else None

    with (
        _server(script) as (base, asked),
        N8nApi(_settings(base)) as api,
        pytest.raises(N8nApiError, match="n8n is not reachable at"),
    ):
        api.update("w1", {"name": "x"})
    assert asked == Counter({("POST", "/rest/login"): 1, ("PATCH", "/rest/workflows/w1"): 1})
