"""What a webhook caller gets back (issue #22, item 8), from a real n8n with the project's settings (the fresh
one of conftest.py): without the secret, 403 before anything reads the body, whatever the body; over the
size limit, 413 with one line; n8n's own errors without a stack trace (NODE_ENV=production)."""

from __future__ import annotations

import json

import httpx
import pytest
from promptsales.etl import workflow
from promptsales.n8n_client import SECRET_HEADER
from promptsales.n8n_credentials import credentials_from_settings

pytestmark = pytest.mark.stack

TOO_LARGE = 17 * 1024 * 1024  # n8n's default limit is 16 MB (N8N_PAYLOAD_SIZE_MAX)


@pytest.fixture(scope="module")
def n8n_with_the_etl(fresh_n8n):
    """The fresh n8n serving the ETL webhook (imported unless it already is), with the stack's credentials."""
    fresh_n8n.service.import_credentials(credentials_from_settings(fresh_n8n.settings))
    url = f"{fresh_n8n.settings.n8n.url()}/webhook/{workflow.WEBHOOK_PATH}"
    secret = {SECRET_HEADER: fresh_n8n.settings.n8n.webhook_secret.get_secret_value()}
    if httpx.post(url, json={"full": "yes"}, headers=secret, timeout=60).status_code != 400:
        fresh_n8n.service.import_workflows([workflow.ON_ERROR_PATH, workflow.WORKFLOW_PATH])
    return fresh_n8n, url, secret


def _one_line_json(response: httpx.Response, code: int, says: str) -> None:
    assert response.status_code == code, response.text[:300]
    assert (
        "\n" not in response.text
        and "stacktrace" not in response.text
        and "node_modules" not in response.text
    )
    assert says in response.json()["message"]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "not-the-secret"}])
@pytest.mark.parametrize("body", [b"{not json", b"x" * TOO_LARGE, b"{}"])
def test_without_the_secret_nothing_else_answers(n8n_with_the_etl, headers, body):
    _, url, _ = n8n_with_the_etl
    answer = httpx.post(
        url, content=body, headers={"Content-Type": "application/json", **headers}, timeout=60
    )
    _one_line_json(answer, 403, "the X-PromptSales-Secret header is missing or wrong")


def test_the_editor_test_urls_and_unknown_paths_need_the_secret_too(n8n_with_the_etl):
    fresh, _, _ = n8n_with_the_etl
    for path in ("webhook-test/promptsales-etl-run", "webhook/no-such-webhook"):
        _one_line_json(
            httpx.post(f"{fresh.settings.n8n.url()}/{path}", json={}, timeout=60), 403, "missing or wrong"
        )


def test_a_public_webhook_is_left_to_n8n(n8n_with_the_etl):
    """The Canva redirect (N8N_PUBLIC_WEBHOOKS) is followed by a browser, without the header."""
    fresh, _, _ = n8n_with_the_etl
    answer = httpx.get(f"{fresh.settings.n8n.url()}/webhook/canva/oauth/callback?state=x", timeout=60)
    assert answer.status_code != 403  # n8n's own answer (404 here: the Canva flows are not imported)


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_the_limit_gets_413_in_one_line(n8n_with_the_etl, chunked):
    _, url, secret = n8n_with_the_etl
    body = json.dumps({"full": False, "padding": "x" * TOO_LARGE}).encode()
    content = iter([body[i : i + (1 << 20)] for i in range(0, len(body), 1 << 20)]) if chunked else body
    answer = httpx.post(
        url, content=content, headers={"Content-Type": "application/json", **secret}, timeout=120
    )
    _one_line_json(answer, 413, "the body is larger than 16 MB (N8N_PAYLOAD_SIZE_MAX); nothing was run")


def test_n8n_errors_carry_no_stack_trace(n8n_with_the_etl):
    fresh, url, secret = n8n_with_the_etl
    malformed = httpx.post(
        url, content=b'{"full": tru', headers={"Content-Type": "application/json", **secret}, timeout=60
    )
    _one_line_json(malformed, 422, "Failed to parse request body")
    unknown = httpx.post(
        f"{fresh.settings.n8n.url()}/webhook/no-such-webhook", json={}, headers=secret, timeout=60
    )
    _one_line_json(unknown, 404, "is not registered")
    refused = httpx.post(url, json={"full": "yes"}, headers=secret, timeout=60)
    assert refused.status_code == 400 and "stacktrace" not in refused.text  # the flow's own answer
