"""n8n 2.41.1 on Node 24, both from the npm registry, installed once outside the checkout.

`scripts/install-n8n` owns the install (cache folder keyed by localstack/n8n's lock file); this
module runs the server and n8n's own CLI (import:workflow, publish:workflow, import:credentials)
against the same SQLite database under .promptsales/n8n/.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

import httpx

from promptsales import progress
from promptsales.localstack.base import ManagedProcess, ServiceStatus, StackError, port_in_use, wait_until
from promptsales.settings import PROJECT_ROOT, STATE_DIR, Settings

INSTALL_SCRIPT = PROJECT_ROOT / "scripts" / "install-n8n"
START_TIMEOUT_S = 90
EDITOR_READY_LINE = b"Editor is now accessible"


class N8nService:
    name = "n8n"

    def __init__(self, settings: Settings):
        self.full_settings = settings
        self.settings = settings.n8n
        self.proc = ManagedProcess("n8n")
        self._install_dir: Path | None = None

    def address(self) -> str:
        return self.settings.url()

    # -- install and environment -------------------------------------------------------------------------
    def install_dir(self) -> Path:
        """Install n8n if needed (about 6 minutes cold) and return its folder."""
        if self._install_dir is None:
            progress.report("n8n: checking its install (scripts/install-n8n; about 6 minutes when cold)")
            result = subprocess.run([str(INSTALL_SCRIPT)], capture_output=True, text=True, check=False)
            if result.returncode != 0:
                reason = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
                raise StackError(f"n8n: install failed: {reason}")
            self._install_dir = Path(result.stdout.strip().splitlines()[-1])
        return self._install_dir

    def _node_bin(self) -> Path:
        # install-n8n puts node-<version>/ beside the n8n folder.
        candidates = sorted(self.install_dir().parent.glob("node-*/bin"))
        if not candidates:
            raise StackError("n8n: Node 24 is missing from the cache; run scripts/install-n8n")
        return candidates[-1]

    def environment(self) -> dict[str, str]:
        if self.settings.encryption_key is None:
            raise StackError("n8n: N8N_ENCRYPTION_KEY is not set")
        env = {
            "PATH": f"{self._node_bin()}:{os.environ.get('PATH', '')}",
            "N8N_USER_FOLDER": str(STATE_DIR / "n8n"),
            "N8N_ENCRYPTION_KEY": self.settings.encryption_key.get_secret_value(),
            "N8N_LISTEN_ADDRESS": self.settings.host,
            "N8N_PORT": str(self.settings.port),
            "N8N_HOST": self.settings.host,
            "N8N_PROTOCOL": "http",
            "N8N_WEBHOOK_URL": f"http://{self.settings.host}:{self.settings.port}/",
            "DB_TYPE": "sqlite",
            "GENERIC_TIMEZONE": "UTC",
            "TZ": "UTC",
            # Measured facts (ARCHITECTURE.md): these make 2.41.1 start cleanly offline.
            "N8N_DISABLED_MODULES": "mcp-registry",
            "N8N_DIAGNOSTICS_ENABLED": "false",
            "N8N_RUNNERS_MODE": "internal",
            # The task-runner broker listens too; beside the main port, so several stacks can coexist.
            "N8N_RUNNERS_BROKER_PORT": str(self.settings.port + 1),
            "N8N_SECURE_COOKIE": "false",
            # 2.41's default publication service activates published workflows from a reconciler loop
            # (every 10 s) after start-up; the classic path activates them before the editor line is
            # logged, so "started" means "every published webhook answers".
            "N8N_USE_WORKFLOW_PUBLICATION_SERVICE": "false",
            "N8N_VERSION_NOTIFICATIONS_ENABLED": "false",
            "N8N_TEMPLATES_ENABLED": "false",
            "N8N_PERSONALIZATION_ENABLED": "false",
            "N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS": "true",
            "N8N_LOG_LEVEL": "info",
            "NODE_OPTIONS": "--max-old-space-size=1536",
        }
        return env

    def _n8n_bin(self) -> str:
        binary = self.install_dir() / "node_modules" / ".bin" / "n8n"
        if not binary.exists():
            raise StackError(f"n8n: {binary} is missing; delete {self.install_dir()} and run scripts/install-n8n")
        return str(binary)

    def cli(self, args: Sequence[str], timeout: float = 180) -> str:
        """Run an n8n CLI command against our database; return its output or raise with the reason."""
        env = {**os.environ, **self.environment()}
        result = subprocess.run([self._n8n_bin(), *args], check=False, capture_output=True, text=True, env=env,
                                timeout=timeout, cwd=STATE_DIR)
        output = result.stdout + result.stderr
        if result.returncode != 0:
            lines = [line for line in output.strip().splitlines() if line.strip()]
            raise StackError(f"n8n {args[0]} failed: {lines[-1] if lines else 'no output'}")
        return output

    # -- server ----------------------------------------------------------------------------------------------
    def _ready(self) -> bool:
        try:
            return httpx.get(f"{self.address()}/healthz/readiness", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def _log_since(self, offset: int) -> bytes:
        try:
            with open(self.proc.log, "rb") as log:
                log.seek(offset)
                return log.read()
        except FileNotFoundError:
            return b""

    def start(self) -> None:
        if self.proc.pid() is not None:
            return
        if port_in_use(self.settings.host, self.settings.port):
            raise StackError(f"n8n: port {self.settings.port} on {self.settings.host} is already in use by "
                             "another process (set N8N_PORT to a free port)")
        (STATE_DIR / "n8n").mkdir(parents=True, exist_ok=True)
        offset = self.proc.log.stat().st_size if self.proc.log.exists() else 0
        self.proc.start([self._n8n_bin(), "start"], env=self.environment())
        # Readiness answers before published workflows are activated; their production webhooks are
        # registered only once n8n logs that the editor is accessible. Wait for both.
        wait_until(lambda: self._ready() and EDITOR_READY_LINE in self._log_since(offset),
                   timeout=START_TIMEOUT_S, what="n8n", log=self.proc.log,
                   alive=lambda: self.proc.pid() is not None,
                   condition="/healthz/readiness answers and its log says the editor is accessible")

    def stop(self) -> bool:
        return self.proc.stop(timeout=30)

    def restart(self) -> None:
        self.stop()
        self.start()

    def status(self) -> ServiceStatus:
        pid = self.proc.pid()
        healthy, detail = False, "not running"
        if pid is not None:
            healthy = self._ready()
            detail = "n8n 2.41.1, editor and webhooks" if healthy else "not ready"
        return ServiceStatus(self.name, self.address(), pid is not None, healthy, pid, detail)

    # -- workflows -------------------------------------------------------------------------------------------
    def import_workflows(self, files: Sequence[Path]) -> list[str]:
        """Import and publish workflow files; n8n must be stopped or is restarted so it loads them.

        `import:workflow` deactivates what it imports, so each workflow with a trigger is published
        again afterwards by its id (kept inside the file).
        """
        was_running = self.proc.pid() is not None
        if was_running:
            self.stop()
        ids = []
        try:
            for path in files:
                path = Path(path).resolve()
                workflow = read_workflow(path)
                self.cli(["import:workflow", f"--input={path}"])
                if has_publishable_trigger(workflow):
                    self.cli(["publish:workflow", f"--id={workflow['id']}"])
                ids.append(workflow["id"])
        finally:
            if was_running:
                self.start()
        return ids

    def import_credentials(self, credentials: Sequence[dict]) -> None:
        """Create or update n8n credentials from settings; their data is encrypted by n8n on import."""
        if not credentials:
            return
        target = STATE_DIR / "n8n" / "credentials-import.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch(mode=0o600)
        try:
            target.write_text(json.dumps(list(credentials)))
            self.cli(["import:credentials", f"--input={target}"])
        finally:
            target.unlink(missing_ok=True)


def read_workflow(path: Path) -> dict:
    try:
        workflow = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise StackError(f"n8n: {path} is not a readable workflow JSON file: {exc}") from exc
    if not isinstance(workflow, dict) or not workflow.get("id") or "nodes" not in workflow:
        raise StackError(f"n8n: {path} must be one exported workflow with its own \"id\" and \"nodes\"")
    return workflow


def has_publishable_trigger(workflow: dict) -> bool:
    """A trigger that can be published: webhooks and schedules; a manual trigger cannot be."""
    for node in workflow.get("nodes", []):
        kind = str(node.get("type", ""))
        if kind.endswith(("manualTrigger", "executeWorkflowTrigger")):
            continue
        if kind.endswith(("Trigger", ".webhook")):
            return True
    return False
