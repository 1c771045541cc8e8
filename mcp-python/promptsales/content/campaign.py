"""generateCampaignMessages: check the request, hand it to the n8n flow, return the log it wrote.

The flow (n8n-workflows/campaign-messages.json) owns storage, the LLM call or template composer and
the LLM cache, so external platforms that call the webhook directly get the same behaviour.
"""

from __future__ import annotations

import time

from pymongo.database import Database
from pymongo.errors import PyMongoError

from promptsales.content.models import (
    MAX_AUDIENCES,
    MAX_CAMPAIGN_DESCRIPTION,
    Audience,
    CampaignMessagesAnswer,
)
from promptsales.content.service import check_plain_text
from promptsales.errors import InvalidInput, Unavailable
from promptsales.n8n_client import N8nClient

WEBHOOK_PATH = "content/campaign-messages"


def webhook_payload(
    campaign_description: str, audiences: list[Audience], ads_campaign_id: int | None
) -> dict:
    text = " ".join(check_plain_text("campaign_description", campaign_description or "").split())
    if len(text) < 10:
        raise InvalidInput(
            "campaign_description must say what the campaign is about (at least 10 characters)"
        )
    if len(text) > MAX_CAMPAIGN_DESCRIPTION:
        raise InvalidInput(
            f"campaign_description is {len(text):,} characters; at most "
            f"{MAX_CAMPAIGN_DESCRIPTION:,} are accepted"
        )
    if not 1 <= len(audiences) <= MAX_AUDIENCES:
        raise InvalidInput(f"give 1 to {MAX_AUDIENCES} audiences (got {len(audiences)})")
    names = [a.name.lower() for a in audiences]
    if len(set(names)) != len(names):
        raise InvalidInput("audience names must be distinct: each names its own three messages")
    for i, audience in enumerate(audiences):
        for field in ("name", "country", "language"):
            check_plain_text(f"audiences[{i}].{field}", getattr(audience, field))
        for interest in audience.interests:
            check_plain_text(f"audiences[{i}].interests", interest)
        if audience.age_min > audience.age_max:
            raise InvalidInput(
                f"audience {audience.name!r}: age_min {audience.age_min} is above age_max {audience.age_max}"
            )
    payload: dict = {
        "campaignDescription": text,
        "audiences": [a.webhook_shape() for a in audiences],
        "source": "mcp",
    }
    if ads_campaign_id is not None:
        payload["adsCampaignId"] = ads_campaign_id
    return payload


class CampaignService:
    def __init__(self, n8n: N8nClient, db: Database):
        self.n8n = n8n
        self.db = db

    def _check_store(self) -> None:
        # n8n's MongoDB node waits a long time for a server that is down; asking first gives the
        # caller a clear answer in seconds and sends nothing to the flow.
        try:
            self.db.client.admin.command("ping")
        except PyMongoError as exc:
            raise Unavailable(
                f"PromptContent MongoDB is unreachable ({type(exc).__name__}); nothing was "
                "sent or stored, try again when it is back"
            ) from exc

    def generate(
        self, campaign_description: str, audiences: list[Audience], ads_campaign_id: int | None = None
    ) -> CampaignMessagesAnswer:
        payload = webhook_payload(campaign_description, audiences, ads_campaign_id)
        self._check_store()
        started = time.perf_counter()
        body = self.n8n.post(WEBHOOK_PATH, payload)
        if "error" in body:
            # The flow's own refusal of the request (invalid_request), or a step that failed in it.
            kind = InvalidInput if body["error"] == "invalid_request" else Unavailable
            raise kind(f"{body['error']}: {body.get('message', '')}")
        body.setdefault("flowMs", (time.perf_counter() - started) * 1000)
        return parse_answer(body)


def parse_answer(body: dict) -> CampaignMessagesAnswer:
    return CampaignMessagesAnswer(
        request_id=body["requestId"],
        campaign_description=body["campaignDescription"],
        messages=[
            {
                "audience": m["audience"],
                "index": m["index"],
                "text": m["text"],
                "generator": m["generator"],
                "cache_hit": m["cacheHit"],
            }
            for m in body["messages"]
        ],
        ai_calls=[
            {
                "audience": c["audience"],
                "generator": c["generator"],
                "prompt_tokens": c["promptTokens"],
                "completion_tokens": c["completionTokens"],
                "latency_ms": c["latencyMs"],
                "cache_hit": c["cacheHit"],
                "tokens_saved": c["tokensSaved"],
            }
            for c in body["aiCalls"]
        ],
        llm_latency_ms=body["llmLatencyMs"],
        tokens_saved=body["tokensSaved"],
        flow_ms=body["flowMs"],
    )
