"""`python -m promptsales.canva setup|connect|send|status`: the Canva flow from a shell.

setup    create the token table and write the integration record from settings (what `db init` runs)
connect  print the one-time authorize URL to open in a browser
send     send an image (`send img-0001 [--design "Title"]`) and print Canva's ids
status   print the integration record (never a secret)

Exit codes as for `promptsales`: 0 ok, 2 usage or invalid input (a bad image code), 1 any other failure.
"""

from __future__ import annotations

import argparse
import json
import sys

from promptsales import clients
from promptsales.canva import integration
from promptsales.canva.service import CanvaService
from promptsales.errors import InvalidInput, PromptSalesError
from promptsales.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m promptsales.canva", description=__doc__.splitlines()[0])
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("setup")
    actions.add_parser("connect")
    send = actions.add_parser("send")
    send.add_argument("image_code")
    send.add_argument("--design", metavar="TITLE", help="also create a design with this title")
    actions.add_parser("status")
    args = parser.parse_args(argv)

    settings = get_settings()
    if args.action == "setup":
        for line in integration.apply(settings):
            print(f"applied {line}")
        return 0
    mongo = clients.mongo(settings)
    db = clients.mongo_db(mongo, settings)
    try:
        if args.action == "status":
            print(
                json.dumps(
                    db[integration.COLLECTION].find_one({"name": "canva"}, {"_id": 0}), indent=2, default=str
                )
            )
            return 0
        service = CanvaService(settings, db)
        try:
            if args.action == "connect":
                started = service.start_connection()
                print(f"Open within {started.expires_in_seconds // 60} minutes:\n{started.authorize_url}")
            else:
                result = service.send_image(args.image_code, args.design is not None, args.design)
                print(result.model_dump_json(indent=2))
        finally:
            service.close()
    except PromptSalesError as exc:  # a flow's refusal reads `status: message`, as the MCP tools answer it
        print(f"error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, InvalidInput) else 1
    finally:
        mongo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
