"""`python -m promptsales.sales.demo`: ask the sales MCP server questions, as an MCP client does.

Starts the real server (`promptsales mcp serve sales`) as a subprocess and talks to it over stdio with
the MCP SDK's client; asks the same question twice to show the Redis cache hit. Needs `db init`,
`seed` and `etl run` done, so the summaries exist.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import anyio
from mcp import Client, StdioServerParameters

QUESTIONS = [
    ("sales_overview", {}),
    (
        "top_campaigns",
        {"metric": "sales_count", "limit": 3, "period_from": "2025-10-01", "period_to": "2025-12-31"},
    ),
    (
        "top_campaigns",
        {"metric": "sales_count", "limit": 3, "period_from": "2025-10-01", "period_to": "2025-12-31"},
    ),
    (
        "breakdown",
        {"dimension": "channel", "period_from": "2025-12-01", "period_to": "2025-12-31", "limit": 5},
    ),
]


async def run() -> int:
    promptsales = Path(sys.executable).with_name("promptsales")
    # The server reads the same settings as this process (state dir, ports), passed explicitly because
    # the stdio transport gives the child only a minimal environment.
    env = {
        key: value
        for key, value in os.environ.items()
        if key.startswith(("PROMPTSALES_", "POSTGRES_", "REDIS_", "MONGODB_", "N8N_", "OPENAI_", "PATH"))
    }
    server = StdioServerParameters(command=str(promptsales), args=["mcp", "serve", "sales"], env=env)
    async with Client(server) as client:
        for tool, arguments in QUESTIONS:
            answer = await client.call_tool(tool, arguments)
            if answer.is_error:
                print(f"{tool}: {answer.content[0].text}", file=sys.stderr)
                return 1
            body = dict(answer.structured_content)
            body.pop("metric_notes", None)  # definitions are long; the metrics resource has them
            text = json.dumps(body, default=str, ensure_ascii=False)
            print(f"{tool} {json.dumps(arguments)}\n  {text[:900]}{' ...' if len(text) > 900 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(anyio.run(run))
