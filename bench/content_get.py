"""getContent latency through the MCP client in one process (targets: p95 <= 100 ms uncached, <= 5 ms cached).

Needs the stack up and `promptsales seed` done. Uncached calls use distinct queries built from the
generator's attributes (each a cache miss); cached calls repeat queries already answered.
Run: promptsales bench content_get [--calls 60]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import time

import anyio
import mcp
from promptsales.content.embeddings import build_embedder
from promptsales.content.server import build_server
from promptsales.settings import get_settings

from generators.content.attributes import MOODS, PALETTES, SUBJECTS, TIMES


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=60)
    args = parser.parse_args()
    settings = get_settings()
    embedder = build_embedder(settings)
    server = build_server(settings, embedder=embedder, extensions=[])
    stamp = time.strftime("%H%M%S")
    queries = [f"{MOODS[m][0]} {SUBJECTS[s][0]} {TIMES[t][0]} in {PALETTES[p][0]} colours ({stamp})"
               for s, p, m, t in itertools.islice(itertools.product(SUBJECTS, PALETTES, MOODS, TIMES), args.calls)]

    def check(answer, from_cache: bool) -> None:
        if answer.is_error:
            raise SystemExit(f"getContent failed: {answer.content[0].text}\n"
                             "(the benchmark needs `promptsales db init` and `promptsales seed` done)")
        assert answer.structured_content["from_cache"] is from_cache

    async def run() -> tuple[list[float], list[float]]:
        async with mcp.Client(server) as client:
            await client.call_tool("getContent", {"description": "warm-up query", "limit": 5})
            uncached, cached = [], []
            for query in queries:
                started = time.perf_counter()
                answer = await client.call_tool("getContent", {"description": query, "limit": 5})
                uncached.append((time.perf_counter() - started) * 1000)
                check(answer, from_cache=False)
            for query in queries:
                started = time.perf_counter()
                answer = await client.call_tool("getContent", {"description": query, "limit": 5})
                cached.append((time.perf_counter() - started) * 1000)
                check(answer, from_cache=True)
            return uncached, cached

    uncached, cached = anyio.run(run)
    print(f"getContent through the MCP client, {len(queries)} calls each, limit 5, "
          f"{embedder.model_name}, {settings.pinecone.api_key and 'pinecone' or 'pgvector'}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, values, target in (("uncached", uncached, 100), ("cached", cached, 5)):
        p95 = percentile(values, 95)
        print(f"  {name:8} p50 {statistics.median(values):7.1f} ms  p95 {p95:7.1f} ms  max {max(values):7.1f} ms"
              f"  target p95 <= {target} ms: {'met' if p95 <= target else 'NOT met'}")


if __name__ == "__main__":
    main()
