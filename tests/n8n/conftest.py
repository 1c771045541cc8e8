"""A fresh n8n of its own for this package: a second local n8n (its own folder, database and port, the
stack's settings and secrets otherwise), so editing, exporting and importing workflows here never touches
the stack's n8n. `cli` runs the real `promptsales` command against it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from promptsales.localstack.n8n import N8nService
from promptsales.settings import LOCAL_ENV_FILE, Settings

PROMPTSALES = Path(sys.executable).with_name("promptsales")


@dataclass
class FreshN8n:
    settings: Settings
    service: N8nService
    folder: Path
    env: dict[str, str]

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """`promptsales ARGS` as a person runs it against this n8n."""
        return subprocess.run(
            [str(PROMPTSALES), *args], env=self.env, capture_output=True, text=True, timeout=600, check=False
        )

    def wipe(self) -> None:
        """Stop it and forget everything it held: the next start is a brand-new n8n."""
        self.service.stop()
        shutil.rmtree(self.folder / "n8n")
        self.service.start()


def _free_port_pair() -> int:
    """A port that is free, and the next one too (n8n's task-runner broker listens there)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with socket.socket() as second:
            if second.connect_ex(("127.0.0.1", port + 1)) != 0 and port < 65000:
                return port
    raise RuntimeError("no two free ports next to each other")


@pytest.fixture(scope="package")
def fresh_n8n(stack: Settings, tmp_path_factory) -> Iterator[FreshN8n]:
    folder = tmp_path_factory.mktemp("fresh-n8n")
    port = _free_port_pair()
    settings = stack.model_copy(update={"n8n": stack.n8n.model_copy(update={"port": port})})
    shutil.copy(LOCAL_ENV_FILE, folder / "local.env")  # the same generated secrets, for the CLI runs
    env = {**os.environ, "PROMPTSALES_STATE_DIR": str(folder), "N8N_PORT": str(port)}
    service = N8nService(settings, state_dir=folder)
    service.start()
    try:
        yield FreshN8n(settings, service, folder, env)
    finally:
        service.stop()
