"""getContent: retrieval quality on the judged free-form queries, time to `tools/list` from process start,
and latency through the MCP client (targets: recall@5 >= 0.8 and no-match precision >= 0.9 on the
evaluation split; tools/list <= 2 s; p95 <= 100 ms uncached and <= 5 ms cached).

Quality: every query of promptsales_testkit/judged_queries.json (English and Spanish, 20 absent subjects;
judged by looking at the images), ranked two ways over the same index: "before", the ranking getContent had
until issue #23 (cosine similarity to the English description only, always an answer), and "after", the hybrid
(service.py). The figures are deterministic for a seed-42 load of 100 images. --calibrate also prints the
thresholds and lexical weight the calibration split picks (how service.py's constants were chosen).
Start-up: the real `promptsales mcp serve content` over stdio, timed from spawning the process.
Latency: uncached calls use distinct queries (each a cache miss); cached calls repeat them.
Needs the stack up and `promptsales seed` done (100 images, seed 42, for the quality figures to apply).
Run: promptsales bench content_get [--calls 60 --startups 3 --calibrate]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

import anyio
import mcp
from mcp import StdioServerParameters
from promptsales import clients
from promptsales.content import service as content_service
from promptsales.content.embeddings import build_embedder
from promptsales.content.lexical import LexicalIndex
from promptsales.content.models import MAX_LIMIT
from promptsales.content.server import build_server
from promptsales.content.vector_index import build_index
from promptsales.settings import get_settings
from promptsales_testkit import process_env
from promptsales_testkit.content_judged import figures, judged_queries
from psycopg_pool import ConnectionPool

CLI = str(Path(sys.executable).with_name("promptsales"))
WEIGHT_GRID = (0.5, 1.0, 1.5, 2.0, 3.0)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def rank_all(settings, embedder, queries: list[dict]) -> list[tuple]:
    """(query, vector matches, lexical answer, English-only vector matches) for every judged query."""
    rows = []
    with ConnectionPool(settings.postgres.dsn(), min_size=1, max_size=1) as pool:
        index, lexical = build_index(settings, pool), LexicalIndex(pool)
        for query in queries:
            vector = embedder.embed([query["query"]])[0]
            rows.append(
                (
                    query,
                    index.search(embedder.model_name, vector, content_service.CANDIDATES, []),
                    lexical.search(query["query"], [], content_service.CANDIDATES),
                    index.search(embedder.model_name, vector, MAX_LIMIT, [], lang="en"),
                )
            )
    return rows


def before(rows) -> list[list[str]]:
    return [[m.code for m in english] for *_, english in rows]


def after(rows) -> list[list[str] | None]:
    return [
        [code for code, _ in content_service.fuse(vector, lexical)]
        if content_service.is_good_match(vector, lexical)
        else None
        for _, vector, lexical, _ in rows
    ]


def calibrate(rows) -> None:
    """Per language: the threshold that decides the most calibration queries without a subject word right
    (the midpoint of the first best gap); then the lexical weight with the best recall@5 + MRR there."""
    calibration = [r for r in rows if r[0]["split"] == "calibration"]
    thresholds = {}
    for lang in ("en", "es"):
        cases = sorted(
            (v[0].score, bool(q["relevant"]))
            for q, v, lx, _ in calibration
            if v and v[0].lang == lang and not any(m.subject for m in lx.matches)
        )
        sims = [s for s, _ in cases]
        candidates = (
            [sims[0] - 0.01, *((a + b) / 2 for a, b in itertools.pairwise(sims)), sims[-1] + 0.01]
            if sims
            else [0.4]
        )
        thresholds[lang] = round(
            max(candidates, key=lambda t: (sum((s >= t) == present for s, present in cases), -t)), 3
        )
        print(
            f"  calibration, {lang}: {len(cases)} queries without a subject word -> threshold {thresholds[lang]}"
        )
    kept = dict(content_service.SIMILARITY_THRESHOLDS), content_service.LEXICAL_WEIGHT
    content_service.SIMILARITY_THRESHOLDS.update(thresholds)
    scored = []
    for weight in WEIGHT_GRID:
        content_service.LEXICAL_WEIGHT = weight
        result = figures([r[0] for r in calibration], after(calibration))
        scored.append((result.recall_at_5 + result.mrr, weight))
        print(f"  calibration, lexical weight {weight:g}: {result.line()}")
    print(
        f"  calibration picks: thresholds {thresholds}, lexical weight {max(scored)[1]:g} "
        f"(service.py has {kept[0]}, {kept[1]:g})"
    )
    content_service.SIMILARITY_THRESHOLDS.update(kept[0])
    content_service.LEXICAL_WEIGHT = kept[1]


def quality(settings, embedder, calibrating: bool) -> None:
    queries = judged_queries()
    rows = rank_all(settings, embedder, queries)
    print(
        f"quality on {len(queries)} judged queries (promptsales_testkit/judged_queries.json), "
        f"{embedder.model_name}"
    )
    if calibrating:
        calibrate(rows)
    for label, answers in (("before (vector only)", before(rows)), ("after (hybrid)", after(rows))):
        for split in ("calibration", "evaluation"):
            chosen = [i for i, q in enumerate(queries) if q["split"] == split]
            result = figures([queries[i] for i in chosen], [answers[i] for i in chosen])
            print(f"  {label:21} {split:11} {result.line()}")
        for lang in ("en", "es"):
            chosen = [i for i, q in enumerate(queries) if q["language"] == lang]
            print(
                f"  {label:21} {lang + ' (all)':11} "
                f"{figures([queries[i] for i in chosen], [answers[i] for i in chosen]).line()}"
            )
    print("  targets (evaluation split, after): recall@5 >= 0.8, no-match precision >= 0.9")


def startup(settings, runs: int) -> None:
    params = StdioServerParameters(command=CLI, args=["mcp", "serve", "content"], env=process_env(settings))

    async def once() -> tuple[float, float, float]:
        started = time.perf_counter()
        async with mcp.Client(params) as client:
            initialized = time.perf_counter() - started
            await client.list_tools()
            listed = time.perf_counter() - started
            answer = await client.call_tool("getContent", {"description": f"calm beach {time.time_ns()}"})
            if answer.is_error:
                raise SystemExit(f"getContent failed: {answer.content[0].text}")
            return initialized, listed, answer.structured_content["model_wait_ms"]

    print(f"start-up of `promptsales mcp serve content` over stdio, from spawning the process, {runs} runs")
    for _ in range(runs):
        initialized, listed, waited = anyio.run(once)
        print(
            f"  initialize {initialized:5.2f} s  tools/list {listed:5.2f} s  "
            f"(target <= 2 s: {'met' if listed <= 2 else 'NOT met'})  first getContent waited "
            f"{waited / 1000:5.2f} s for the model"
        )


def latency(settings, embedder, calls: int) -> None:
    server = build_server(settings, embedder=embedder, extensions=[])
    stamp = time.strftime("%H%M%S")
    judged = [q["query"] for q in judged_queries()]
    queries = [f"{judged[i % len(judged)]} ({stamp}-{i})" for i in range(calls)]

    def check(answer, from_cache: bool) -> None:
        if answer.is_error:
            raise SystemExit(
                f"getContent failed: {answer.content[0].text}\n"
                "(the benchmark needs `promptsales db init` and `promptsales seed` done)"
            )
        assert answer.structured_content["from_cache"] is from_cache

    async def run() -> tuple[list[float], list[float]]:
        async with mcp.Client(server) as client:
            await client.call_tool("getContent", {"description": "warm-up query", "limit": 5})
            timings: dict[bool, list[float]] = {False: [], True: []}
            for from_cache in (False, True):
                for query in queries:
                    started = time.perf_counter()
                    answer = await client.call_tool("getContent", {"description": query, "limit": 5})
                    timings[from_cache].append((time.perf_counter() - started) * 1000)
                    check(answer, from_cache)
            return timings[False], timings[True]

    uncached, cached = anyio.run(run)
    print(
        f"getContent through the MCP client (hybrid ranking), {len(queries)} calls each, limit 5, "
        f"{embedder.model_name}, {settings.pinecone.api_key and 'pinecone' or 'pgvector'} + PostgreSQL full text, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    for name, values, target in (("uncached", uncached, 100), ("cached", cached, 5)):
        p95 = percentile(values, 95)
        print(
            f"  {name:8} p50 {statistics.median(values):7.1f} ms  p95 {p95:7.1f} ms  max {max(values):7.1f} ms"
            f"  target p95 <= {target} ms: {'met' if p95 <= target else 'NOT met'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--startups", type=int, default=3)
    parser.add_argument("--calibrate", action="store_true", help="print what the calibration split picks")
    args = parser.parse_args()
    settings = get_settings()
    embedder = build_embedder(settings)
    mongo = clients.mongo(settings)
    count = clients.mongo_db(mongo, settings).images.count_documents({})
    mongo.close()
    if count != 100:
        print(f"note: {count} images are loaded; the judged queries were judged on 100 (seed 42)")
    quality(settings, embedder, args.calibrate)
    startup(settings, args.startups)
    latency(settings, embedder, args.calls)


if __name__ == "__main__":
    main()
