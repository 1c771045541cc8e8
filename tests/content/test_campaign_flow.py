"""generateCampaignMessages and the n8n flow end to end, through the production webhook of our own n8n:
the template path, the LLM path against a local OpenAI-compatible fake (request shape and Redis cache
checked), and every bad input with nothing stored."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import anyio
import httpx
import mcp
import pytest
from promptsales import clients
from promptsales.content.campaign import WEBHOOK_PATH
from promptsales.content.server import build_server
from promptsales.dbinit import content as content_dbinit
from promptsales.localstack.n8n import N8nService
from promptsales.n8n_client import SECRET_HEADER
from promptsales.n8n_credentials import content_credentials, credentials_from_settings
from promptsales.settings import PROJECT_ROOT, OpenAISettings, Settings
from promptsales_testkit.fakes.openai_server import FakeOpenAIServer

pytestmark = [pytest.mark.stack, pytest.mark.slow]
WORKFLOW = PROJECT_ROOT / "n8n-workflows" / "campaign-messages.json"


def audience(name: str, language: str = "en", **overrides) -> dict:
    return {
        "name": name,
        "country": "Mexico",
        "language": language,
        "ageMin": 18,
        "ageMax": 34,
        "interests": ["running", "music"],
        **overrides,
    }


@pytest.fixture(scope="module")
def flow(n8n: Settings) -> Iterator[Settings]:
    """The flow imported and published in our n8n, the LLM integration record as settings say (no key)."""
    url = f"{n8n.n8n.url()}/webhook/{WEBHOOK_PATH}"
    probe = httpx.post(
        url, json={}, headers={SECRET_HEADER: n8n.n8n.webhook_secret.get_secret_value()}, timeout=30
    )
    if probe.status_code != 400:  # not published yet (a fresh stack): import it, which restarts n8n
        service = N8nService(n8n)
        service.import_credentials(credentials_from_settings(n8n))
        service.import_workflows([WORKFLOW])
    db = clients.mongo(n8n)[n8n.mongodb.database]
    content_dbinit.apply_collections(db)
    content_dbinit.write_llm_integration(db, n8n)
    yield n8n
    content_dbinit.write_llm_integration(db, n8n)


def post(settings: Settings, payload, secret: str | None = None, raw: bytes | None = None) -> httpx.Response:
    headers = {
        SECRET_HEADER: secret if secret is not None else settings.n8n.webhook_secret.get_secret_value()
    }
    url = f"{settings.n8n.url()}/webhook/{WEBHOOK_PATH}"
    if raw is not None:
        return httpx.post(
            url, content=raw, headers={**headers, "Content-Type": "application/json"}, timeout=60
        )
    return httpx.post(url, json=payload, headers=headers, timeout=60)


def stored(settings: Settings, request_id: str) -> dict:
    db = clients.mongo(settings)[settings.mongodb.database]
    return {
        "request": db.campaign_requests.find_one({"requestId": request_id}),
        "log": db.message_logs.find_one({"requestId": request_id}),
        "ai": list(db.ai_request_logs.find({"requestId": request_id})),
    }


def test_template_path_through_the_mcp_tool(flow: Settings) -> None:
    server = build_server(flow, embedder=object(), extensions=[])  # this tool never embeds
    description = f"Recycled-sole running shoes, 20% off this week ({uuid.uuid4().hex[:6]})."

    async def run():
        async with mcp.Client(server) as client:
            return await client.call_tool(
                "generateCampaignMessages",
                {
                    "campaign_description": description,
                    "audiences": [
                        {
                            "name": "Young runners MX",
                            "country": "Mexico",
                            "language": "es",
                            "age_min": 18,
                            "age_max": 29,
                            "interests": ["running"],
                        },
                        {
                            "name": "Hikers US",
                            "country": "United States",
                            "language": "en",
                            "age_min": 30,
                            "age_max": 55,
                            "interests": ["hiking", "travel"],
                        },
                    ],
                    "ads_campaign_id": 17,
                },
            )

    answer = anyio.run(run)
    assert not answer.is_error, answer.content[0].text
    body = answer.structured_content
    assert [(m["audience"], m["index"]) for m in body["messages"]] == [
        ("Young runners MX", 1),
        ("Young runners MX", 2),
        ("Young runners MX", 3),
        ("Hikers US", 1),
        ("Hikers US", 2),
        ("Hikers US", 3),
    ]
    assert {m["generator"] for m in body["messages"]} == {"template-composer"}
    assert len({m["text"] for m in body["messages"]}) == 6
    assert "México" in body["messages"][0]["text"] and "hiking" in body["messages"][4]["text"]
    saved = stored(flow, body["request_id"])
    assert saved["request"]["status"] == "completed" and saved["request"]["adsCampaignId"] == 17
    assert [m["text"] for m in saved["log"]["messages"]] == [m["text"] for m in body["messages"]]
    assert sorted((a["audienceName"], a["generator"], a["cacheHit"]) for a in saved["ai"]) == [
        ("Hikers US", "template-composer", False),
        ("Young runners MX", "template-composer", False),
    ]


@pytest.fixture
def fake_llm(flow: Settings) -> Iterator[tuple[FakeOpenAIServer, Settings]]:
    key = f"sk-test-{uuid.uuid4().hex}"
    fake = FakeOpenAIServer(key).start()
    llm = flow.model_copy(
        update={"openai": OpenAISettings(api_key=key, base_url=fake.base_url, chat_model="fake-chat-model")}
    )
    db = clients.mongo(flow)[flow.mongodb.database]
    try:
        N8nService(flow).import_credentials(content_credentials(llm))  # read per execution: no restart
        content_dbinit.write_llm_integration(db, llm)
        yield fake, llm
    finally:
        content_dbinit.write_llm_integration(db, flow)
        fake.stop()


def test_llm_path_sends_the_right_request_and_caches_the_answer(fake_llm) -> None:
    fake, llm = fake_llm
    payload = {
        "campaignDescription": f"Winter coats from recycled wool ({uuid.uuid4().hex[:6]}).",
        "audiences": [audience("Students CL", "es", country="Chile")],
        "source": "test-platform",
    }
    first, second = post(llm, payload), post(llm, payload)
    assert first.status_code == second.status_code == 200, first.text
    requests = fake.chat_requests()
    assert len(requests) == 1  # the second answer came from Redis
    sent = requests[0]
    assert sent["headers"]["authorization"] == f"Bearer {llm.openai.api_key.get_secret_value()}"
    assert sent["headers"]["content-type"].startswith("application/json")
    assert sent["body"]["model"] == "fake-chat-model"
    assert [m["role"] for m in sent["body"]["messages"]] == ["system", "user"]
    assert payload["campaignDescription"] in sent["body"]["messages"][1]["content"]
    assert "Students CL" in sent["body"]["messages"][1]["content"]
    a, b = first.json(), second.json()
    assert [m["text"] for m in a["messages"]] == [
        f"[fake-llm] message {i} for Students CL" for i in (1, 2, 3)
    ]
    assert {m["generator"] for m in a["messages"] + b["messages"]} == {"fake-chat-model"}
    assert a["aiCalls"][0]["cacheHit"] is False and a["aiCalls"][0]["totalTokens"] > 0
    assert a["llmLatencyMs"] >= 40  # the fake waits 50 ms
    assert b["aiCalls"][0]["cacheHit"] is True and b["tokensSaved"] == a["aiCalls"][0]["totalTokens"]
    assert [m["text"] for m in b["messages"]] == [m["text"] for m in a["messages"]]
    ai = stored(llm, b["requestId"])["ai"]
    assert len(ai) == 1 and ai[0]["cacheHit"] is True and ai[0]["tokensSaved"] == b["tokensSaved"]
    assert ai[0]["model"] == "fake-chat-model" and ai[0]["latencyMs"] == 0


def _request_count(settings: Settings) -> int:
    return clients.mongo(settings)[settings.mongodb.database].campaign_requests.count_documents({})


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"campaignDescription": "", "audiences": [audience("A")]}, "campaignDescription must be text"),
        (
            {"campaignDescription": "x" * 10_000, "audiences": [audience("A")]},
            "10000 characters; at most 4000",
        ),
        ({"campaignDescription": "A good campaign message", "audiences": []}, "1 to 10 audiences"),
        (
            {"campaignDescription": "A good campaign message", "audiences": [{"name": "only a name"}]},
            "audiences[0].country is missing",
        ),
        (
            {"campaignDescription": "A good campaign message", "audiences": [audience("A", interests=[])]},
            "audiences[0].interests must list at least one",
        ),
        (
            {
                "campaignDescription": "A good campaign message",
                "audiences": [audience("A", ageMin=40, ageMax=20)],
            },
            "audiences[0].ageMin is above ageMax",
        ),
        (["not", "an", "object"], "must be a JSON object"),
    ],
)
def test_bad_payloads_get_400_and_store_nothing(flow: Settings, payload, problem: str) -> None:
    before = _request_count(flow)
    answer = post(flow, payload)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request" and problem in answer.json()["message"]
    assert _request_count(flow) == before


def test_malformed_json_and_wrong_secret_are_refused_before_the_flow(flow: Settings) -> None:
    before = _request_count(flow)
    malformed = post(flow, None, raw=b'{"campaignDescription": "half')
    assert malformed.status_code == 422 and "Failed to parse request body" in malformed.text
    wrong = post(
        flow,
        {"campaignDescription": "A good campaign message", "audiences": [audience("A")]},
        secret="not-the-secret",
    )
    assert wrong.status_code == 403
    assert _request_count(flow) == before


def test_the_mcp_tool_rejects_bad_input_before_calling_n8n(flow: Settings) -> None:
    server = build_server(flow, embedder=object(), extensions=[])
    good = {
        "name": "A",
        "country": "Chile",
        "language": "es",
        "age_min": 20,
        "age_max": 30,
        "interests": ["x"],
    }
    description = "A good campaign message"

    async def run():
        async with mcp.Client(server) as client:
            return [
                await client.call_tool("generateCampaignMessages", args)
                for args in (
                    {"campaign_description": "x" * 10_000, "audiences": [good]},
                    {"campaign_description": description, "audiences": [{"name": "A"}]},
                    {"campaign_description": description, "audiences": [{**good, "age_min": 50}]},
                    {"campaign_description": description, "audiences": []},
                    {"campaign_description": "Rain jackets\x00 20% off", "audiences": [good]},
                    {
                        "campaign_description": description,
                        "audiences": [{**good, "interests": ["ru\x07nning"]}],
                    },
                    {"campaign_description": description, "audiences": [good, {**good, "name": "a"}]},
                    {"campaign_description": description, "audiences": [good], "ads_campaign_id": 0},
                )
            ]

    before = _request_count(flow)
    long_text, missing, ages, empty, nul, bell, twins, campaign_id = anyio.run(run)
    assert all(a.is_error for a in (long_text, missing, ages, empty, nul, bell, twins, campaign_id))
    assert "campaign_description: must be at most 4000 characters" in long_text.content[0].text
    assert "audiences[0].country: required" in missing.content[0].text
    assert "audiences[0].age_min: required" in missing.content[0].text
    assert "age_min 50 is above age_max 30" in ages.content[0].text
    assert "audiences: must have at least 1 items" in empty.content[0].text
    assert "campaign_description contains control characters (U+0000)" in nul.content[0].text
    assert "audiences[0].interests contains control characters (U+0007)" in bell.content[0].text
    assert "audience names must be distinct" in twins.content[0].text
    assert "ads_campaign_id: must be at least 1" in campaign_id.content[0].text
    assert _request_count(flow) == before


def test_control_characters_sent_to_the_webhook_directly_get_400_and_store_nothing(flow: Settings) -> None:
    before = _request_count(flow)
    answers = [
        post(flow, payload)
        for payload in (
            {"campaignDescription": "Rain jackets\u0000 20% off this week", "audiences": [audience("A")]},
            {
                "campaignDescription": "Rain jackets, 20% off this week",
                "audiences": [audience("A\u001b[31m")],
            },
            {
                "campaignDescription": "Rain jackets, 20% off this week",
                "audiences": [audience("A", interests=["x\u0000"])],
            },
        )
    ]
    assert [a.status_code for a in answers] == [400, 400, 400]
    assert "campaignDescription contains control characters" in answers[0].json()["message"]
    assert "audiences[0].name contains control characters" in answers[1].json()["message"]
    assert "audiences[0].interests contains control characters" in answers[2].json()["message"]
    assert _request_count(flow) == before
    # Tab and line breaks are whitespace, not control characters to refuse.
    fine = post(
        flow, {"campaignDescription": "Rain jackets,\n\t20% off this week", "audiences": [audience("A")]}
    )
    assert fine.status_code == 200, fine.text


# Words of the English templates; a Spanish message must have none but those the caller wrote.
ENGLISH_TEMPLATE_WORDS = {
    "made",
    "for",
    "people",
    "who",
    "love",
    "and",
    "aged",
    "into",
    "find",
    "out",
    "more",
    "today",
    "join",
    "the",
    "crowd",
    "your",
    "next",
    "favourite",
    "starts",
    "here",
}


def test_spanish_template_messages_are_spanish_throughout(flow: Settings) -> None:
    description = f"Zapatillas de running con suela reciclada, 20% de descuento ({uuid.uuid4().hex[:6]})"
    answer = post(
        flow,
        {
            "campaignDescription": description,
            "audiences": [
                audience(
                    "Corredores MX", "es", country="Mexico", interests=["running", "música", "historia"]
                ),
                audience("Ciclistas PE", "Spanish", country="Peru", interests=["ciclismo", "montaña"]),
            ],
        },
    )
    assert answer.status_code == 200, answer.text
    messages = [m["text"] for m in answer.json()["messages"]]
    assert len(messages) == 6 and {m["generator"] for m in answer.json()["messages"]} == {"template-composer"}
    caller_words = set(
        re.findall(
            r"\w+",
            description.lower() + " corredores mx ciclistas pe running música historia ciclismo montaña",
        )
    )
    for text in messages:
        words = set(re.findall(r"\w+", text.lower())) - caller_words
        assert not words & ENGLISH_TEMPLATE_WORDS, (text, words & ENGLISH_TEMPLATE_WORDS)
        assert "Mexico" not in text and "Peru" not in text  # the caller's English country names
    assert "en México y disfrutan de running, música e historia." in messages[0]  # "e" before /i/
    assert "en Perú y disfrutan de ciclismo y montaña." in messages[3]


def test_mongodb_down_is_a_clear_error_and_nothing_is_half_written(flow: Settings) -> None:
    """Through the MCP tool, which checks the store first: n8n's own MongoDB node waits about a minute
    for a server that is down (measured), so the webhook alone would answer only after that."""
    from promptsales.localstack.mongodb import MongoService

    mongo_service = MongoService(flow)
    server = build_server(flow, embedder=object(), extensions=[])
    description = f"Flash sale on rain jackets ({uuid.uuid4().hex[:6]})."
    arguments = {
        "campaign_description": description,
        "audiences": [
            {
                "name": "Commuters",
                "country": "Peru",
                "language": "es",
                "age_min": 25,
                "age_max": 45,
                "interests": ["cycling"],
            }
        ],
    }

    async def call_tool():
        async with mcp.Client(server) as client:
            return await client.call_tool("generateCampaignMessages", arguments)

    before = _request_count(flow)
    mongo_service.stop()
    try:
        down = anyio.run(call_tool)
    finally:
        mongo_service.start()
    assert down.is_error and "PromptContent MongoDB is unreachable" in down.content[0].text
    assert _request_count(flow) == before
    db = clients.mongo(flow)[flow.mongodb.database]
    assert db.message_logs.count_documents({"campaignDescription": description}) == 0
    back = anyio.run(call_tool)  # and the same request works once MongoDB is back
    assert not back.is_error and len(back.structured_content["messages"]) == 3


def test_the_webhook_alone_fails_within_seconds_when_mongodb_is_down(flow: Settings) -> None:
    """Called directly (not through the MCP tool), the flow's MongoDB node uses the 5 s timeouts the
    credential's connection string carries (n8n_credentials.MONGODB_NODE_TIMEOUTS): with the driver's
    defaults the webhook answered after 60.3 s, with them after 10.8 s (measured)."""
    import time

    from promptsales.localstack.mongodb import MongoService

    N8nService(flow).import_credentials(credentials_from_settings(flow))
    mongo_service = MongoService(flow)
    description = f"Flash sale on rain jackets ({uuid.uuid4().hex[:6]})."
    mongo_service.stop()
    try:
        started = time.monotonic()
        answer = post(flow, {"campaignDescription": description, "audiences": [audience("Commuters", "es")]})
        took = time.monotonic() - started
    finally:
        mongo_service.start()
    assert answer.status_code == 500, answer.text
    assert took < 25, f"the webhook answered after {took:.1f} s"
    db = clients.mongo(flow)[flow.mongodb.database]
    assert db.message_logs.count_documents({"campaignDescription": description}) == 0
