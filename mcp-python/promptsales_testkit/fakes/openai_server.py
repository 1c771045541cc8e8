"""A local OpenAI-compatible chat-completions server over real HTTP, for the campaign-message flow.

No LLM is reachable from here, so the LLM path is tested against this. It checks the request shape
the way OpenAI does (Bearer key, JSON body with `model` and a `messages` list of role/content pairs)
and answers 401/400 with OpenAI's error envelope when it is wrong. A good request gets three
messages as JSON content, `usage` token counts and a configurable delay, like a slow model would.
Every request it received is kept (headers and body) for the tests to assert on.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeOpenAIState:
    api_key: str
    delay_s: float = 0.05
    received: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _error(status: int, message: str, kind: str) -> tuple[int, dict]:
    return status, {"error": {"message": message, "type": kind, "param": None, "code": None}}


def check_chat_request(headers: dict[str, str], body: Any, api_key: str) -> tuple[int, dict] | None:
    """OpenAI's own refusals for what our flow could get wrong; None when the request is well formed."""
    if headers.get("authorization") != f"Bearer {api_key}":
        return _error(401, "Incorrect API key provided.", "invalid_request_error")
    if not isinstance(body, dict):
        return _error(400, "We could not parse the JSON body of your request.", "invalid_request_error")
    if not isinstance(body.get("model"), str) or not body["model"]:
        return _error(400, "you must provide a model parameter", "invalid_request_error")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return _error(400, "'messages' must be a non-empty array", "invalid_request_error")
    for message in messages:
        if (
            not isinstance(message, dict)
            or message.get("role") not in {"system", "user", "assistant"}
            or not isinstance(message.get("content"), str)
        ):
            return _error(400, "each message needs a role and string content", "invalid_request_error")
    return None


def _answer(body: dict) -> dict:
    user = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
    audience = user.split("Audience: ", 1)[-1].split(";", 1)[0]
    messages = [f"[fake-llm] message {i} for {audience}" for i in (1, 2, 3)]
    prompt_tokens = sum(len(m["content"].split()) for m in body["messages"])
    completion_tokens = sum(len(m.split()) for m in messages)
    return {
        "id": f"chatcmpl-fake-{int(time.time() * 1000)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body["model"],
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": json.dumps({"messages": messages})},
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def make_handler(state: FakeOpenAIState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _send(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                body: Any = json.loads(raw)
            except ValueError:
                body = None
            with state.lock:
                state.received.append({"path": self.path, "headers": headers, "body": body})
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(*_error(404, f"Unknown request URL: POST {self.path}", "invalid_request_error"))
                return
            refusal = check_chat_request(headers, body, state.api_key)
            if refusal:
                self._send(*refusal)
                return
            time.sleep(state.delay_s)
            self._send(200, _answer(body))

    return Handler


class FakeOpenAIServer:
    def __init__(self, api_key: str, host: str = "127.0.0.1", port: int = 0, delay_s: float = 0.05):
        self.state = FakeOpenAIState(api_key=api_key, delay_s=delay_s)
        self.httpd = ThreadingHTTPServer((host, port), make_handler(self.state))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeOpenAIServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def chat_requests(self) -> list[dict[str, Any]]:
        with self.state.lock:
            return [r for r in self.state.received if r["path"].rstrip("/") == "/v1/chat/completions"]
