#!/usr/bin/env python3
"""Write k8s/secrets/<name>.env from secrets-templates/k8s/<name>.env.example, with random values.

`<generate>` becomes 40 random letters and digits (at least one upper, one lower, one digit: valid
in URIs, Redis and MongoDB key files, and SQL Server's password policy); `<generate:base64-32>` becomes
32 random bytes in base64 (the AES-256 key for Canva tokens). Existing files are never overwritten, so
running it again keeps your passwords. Files are created with mode 600. Standard library only.

    python3 k8s/secrets/generate-env-files.py [--out DIR] [--templates DIR]
"""

from __future__ import annotations

import argparse
import base64
import re
import secrets
import string
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"<generate(?::(base64-32))?>")
ALPHABET = string.ascii_letters + string.digits


def random_password(length: int = 40) -> str:
    while True:
        value = "".join(secrets.choice(ALPHABET) for _ in range(length))
        if (
            any(c.isupper() for c in value)
            and any(c.islower() for c in value)
            and any(c.isdigit() for c in value)
        ):
            return value


def fill(template: str) -> str:
    def replace(match: re.Match) -> str:
        if match.group(1) == "base64-32":
            return base64.b64encode(secrets.token_bytes(32)).decode()
        return random_password()

    return PLACEHOLDER.sub(replace, template)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--templates", type=Path, default=ROOT / "secrets-templates" / "k8s")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    templates = sorted(args.templates.glob("*.env.example"))
    if not templates:
        print(f"no *.env.example templates in {args.templates}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for template in templates:
        target = args.out / template.name.removesuffix(".example")
        if target.exists():
            print(f"kept    {target} (already exists)")
            continue
        target.touch(mode=0o600)
        target.write_text(fill(template.read_text()))
        print(f"created {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
