"""`python -m promptsales.content.demo`: one getContent answer and one campaign-message log, printed.

Goes through the MCP server in memory, exactly as an MCP client would; needs the stack (with n8n and
the flow imported) and `promptsales seed` done.
"""

from __future__ import annotations

import json
import sys

import anyio
import mcp

from promptsales.content.server import build_server
from promptsales.settings import get_settings

QUERY = {"description": "calm beach at dusk in soft pastel colours for an Instagram post", "limit": 3}
SPANISH = {"description": "zapatillas deportivas para una historia de TikTok, estilo arte pop", "limit": 3}
ABSENT = {"description": "vintage car engine", "limit": 3}
CAMPAIGN = {
    "campaign_description": "Zapatillas de running con suela reciclada: 20% de descuento esta semana en todas las tiendas.",
    "audiences": [
        {
            "name": "Jóvenes corredores MX",
            "country": "Mexico",
            "language": "es",
            "age_min": 18,
            "age_max": 29,
            "interests": ["running", "música"],
        },
        {
            "name": "Senderistas ES",
            "country": "Spain",
            "language": "es",
            "age_min": 30,
            "age_max": 55,
            "interests": ["senderismo", "viajes"],
        },
    ],
}


async def run() -> int:
    server = build_server(get_settings(), extensions=[])
    async with mcp.Client(server) as client:
        for tool, arguments in (
            ("getContent", QUERY),
            ("getContent", QUERY),
            ("getContent", SPANISH),
            ("getContent", ABSENT),
            ("generateCampaignMessages", CAMPAIGN),
        ):
            answer = await client.call_tool(tool, arguments)
            if answer.is_error:
                print(f"{tool}: {answer.content[0].text}", file=sys.stderr)
                return 1
            body = answer.structured_content
            if tool == "getContent":
                print(
                    f"getContent {json.dumps(arguments['description'], ensure_ascii=False)}: "
                    f"from_cache={body['from_cache']} language={body['language']} good_match={body['good_match']}"
                    f" model_wait_ms={body['model_wait_ms']:.0f}\n  {body['message']}"
                )
                for image in body["images"]:
                    print(
                        f"  {image['rank']}. {image['code']} similarity {image['similarity']:.3f} lexical "
                        f"{image['lexical']:.3f}  {image['title']}\n     {' '.join(image['hashtags'])}"
                    )
            else:
                print(f"generateCampaignMessages: request {body['request_id']}")
                for message in body["messages"]:
                    print(
                        f"  [{message['audience']} #{message['index']}] ({message['generator']}) {message['text']}"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(anyio.run(run))
