"""Campaign messages end to end through the n8n production webhook, LLM time reported separately.

Targets (N1): overhead excluding LLM time <= 300 ms per request; end to end <= 7 s for one audience and
<= 20 s for five. Two paths: the template composer (no LLM configured), and an OpenAI-compatible
endpoint — with no LLM reachable here, the local fake from promptsales_testkit.fakes answers after
--llm-delay seconds, so the overhead figure is real and the LLM figure is whatever that endpoint costs.
Every request uses a new campaign description, so the Redis LLM cache never answers.
Needs the stack with n8n up and the flow imported (`promptsales n8n import`).
Run: promptsales bench content_campaign [--requests 10 --llm-delay 1.0]
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

from promptsales import clients
from promptsales.content.campaign import WEBHOOK_PATH
from promptsales.dbinit import content as content_dbinit
from promptsales.localstack.n8n import N8nService
from promptsales.n8n_client import N8nClient
from promptsales.n8n_credentials import content_credentials
from promptsales.settings import OpenAISettings, Settings, get_settings
from promptsales_testkit.fakes.openai_server import FakeOpenAIServer


def audiences(n: int) -> list[dict]:
    return [
        {
            "name": f"Audience {i}",
            "country": ["Mexico", "Chile", "Spain", "Peru", "Colombia"][i % 5],
            "language": "es" if i % 2 else "en",
            "ageMin": 18 + i,
            "ageMax": 40 + i,
            "interests": ["running", "music", "travel"][: 1 + i % 3],
        }
        for i in range(n)
    ]


def measure(
    client: N8nClient, n_audiences: int, requests: int
) -> tuple[list[float], list[float], list[float]]:
    total, llm, flow = [], [], []
    for _ in range(requests):
        payload = {
            "campaignDescription": f"Spring sale on recycled running shoes, code {uuid.uuid4().hex[:8]}.",
            "audiences": audiences(n_audiences),
            "source": "bench",
        }
        started = time.perf_counter()
        answer = client.post(WEBHOOK_PATH, payload)
        total.append((time.perf_counter() - started) * 1000)
        assert len(answer["messages"]) == 3 * n_audiences
        # n8n sends the audiences' LLM calls concurrently: the LLM's share of the wall clock is the
        # longest call, not their sum (llmLatencyMs in the answer is the sum, for cost accounting).
        llm.append(max(float(c["latencyMs"]) for c in answer["aiCalls"]))
        flow.append(float(answer["flowMs"]))
    return total, llm, flow


def report(label: str, total: list[float], llm: list[float]) -> None:
    overhead = [t - l for t, l in zip(total, llm)]
    p95 = lambda v: sorted(v)[min(len(v) - 1, round(0.95 * (len(v) - 1)))]
    print(
        f"  {label:32} end-to-end p50 {statistics.median(total):7.0f} ms  p95 {p95(total):7.0f} ms | "
        f"LLM p50 {statistics.median(llm):6.0f} ms | overhead p50 {statistics.median(overhead):5.0f} ms  "
        f"p95 {p95(overhead):5.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--llm-delay", type=float, default=1.0, help="seconds the fake LLM takes per call")
    args = parser.parse_args()
    settings = get_settings()
    db = clients.mongo(settings)[settings.mongodb.database]
    client = N8nClient(settings, timeout=120)
    print(
        f"campaign messages through {settings.n8n.url()}/webhook/{WEBHOOK_PATH}, {args.requests} requests each"
    )
    content_dbinit.write_llm_integration(db, settings)
    for n in (1, 5):
        total, llm, _ = measure(client, n, args.requests)
        report(f"template composer, {n} audience(s)", total, llm)
    fake = FakeOpenAIServer(f"sk-bench-{uuid.uuid4().hex}", delay_s=args.llm_delay).start()
    llm_settings: Settings = settings.model_copy(
        update={
            "openai": OpenAISettings(
                api_key=fake.state.api_key, base_url=fake.base_url, chat_model="fake-chat-model"
            )
        }
    )
    try:
        N8nService(settings).import_credentials(content_credentials(llm_settings))
        content_dbinit.write_llm_integration(db, llm_settings)
        for n in (1, 5):
            total, llm, _ = measure(client, n, args.requests)
            report(f"LLM ({args.llm_delay:.1f} s fake), {n} audience(s)", total, llm)
    finally:
        content_dbinit.write_llm_integration(db, settings)
        fake.stop()
    print("targets: overhead p95 <= 300 ms; end to end <= 7 s (1 audience), <= 20 s (5 audiences)")


if __name__ == "__main__":
    main()
