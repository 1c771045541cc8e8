"""`sqlfluff parse --dialect tsql` over a folder: how the tests check T-SQL that cannot run here (no SQL Server)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SQLFLUFF = Path(sys.executable).with_name("sqlfluff")


def tsql_parse_errors(directory: Path) -> str:
    """What `sqlfluff parse --dialect tsql` rejects in a directory ("" when every file parses)."""
    result = subprocess.run([str(SQLFLUFF), "parse", "--dialect", "tsql", str(directory)],
                            check=False, capture_output=True, text=True, timeout=240)
    unparsable = [line for line in result.stdout.splitlines() if "PRS" in line or "unparsable" in line.lower()]
    if result.returncode == 0 and not unparsable:
        return ""
    return "\n".join(unparsable) or result.stdout[-3000:] + result.stderr[-2000:]
