"""n8n 2.41.1 on Node 24, both from the npm registry, installed once outside the checkout.

`scripts/install-n8n` owns the install (cache folder keyed by localstack/n8n's lock file); this
module runs the server, n8n's own CLI (import:workflow, publish:workflow, import:credentials) against the same SQLite
database under .promptsales/n8n/, and the install's node-parameter rule (localstack/n8n/*.js).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import bcrypt
import httpx

from promptsales import n8n_workflows, progress
from promptsales.errors import Unavailable
from promptsales.localstack.base import ManagedProcess, ServiceStatus, port_in_use, wait_until
from promptsales.n8n_client import N8nApi
from promptsales.settings import PROJECT_ROOT, STATE_DIR, Settings

INSTALL_SCRIPT = PROJECT_ROOT / "scripts" / "install-n8n"
MINIMAL_PARAMETERS_SCRIPT = PROJECT_ROOT / "localstack" / "n8n" / "minimal-parameters.js"
WEBHOOK_GUARD = PROJECT_ROOT / "localstack" / "n8n" / "webhook-guard.js"
START_TIMEOUT_S = 90
EDITOR_READY_LINE = b"Editor is now accessible"


class N8nService:
    name = "n8n"

    def __init__(self, settings: Settings, state_dir: Path = STATE_DIR):
        """state_dir: where this n8n keeps its database, log and pid file (another folder: another n8n, as
        the tests' fresh one)."""
        self.full_settings = settings
        self.settings = settings.n8n
        self.state_dir = state_dir
        self.proc = ManagedProcess("n8n", state_dir)
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
                raise Unavailable(f"n8n: install failed: {reason}")
            self._install_dir = Path(result.stdout.strip().splitlines()[-1])
        return self._install_dir

    def _node_bin(self) -> Path:
        # install-n8n puts node-<version>/ beside the n8n folder.
        candidates = sorted(self.install_dir().parent.glob("node-*/bin"))
        if not candidates:
            raise Unavailable("n8n: Node 24 is missing from the cache; run scripts/install-n8n")
        return candidates[-1]

    def environment(self) -> dict[str, str]:
        if self.settings.encryption_key is None:
            raise Unavailable("n8n: N8N_ENCRYPTION_KEY is not set")
        if self.settings.owner_password is None:
            raise Unavailable("n8n: N8N_OWNER_PASSWORD is not set")
        env = {
            "PATH": f"{self._node_bin()}:{os.environ.get('PATH', '')}",
            "N8N_USER_FOLDER": str(self.state_dir / "n8n"),
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
            # Without it n8n runs as in development: every error a webhook caller gets carries a stack trace
            # with server paths. (It also waits 10 s before starting after an unclean stop, and limits
            # logins to 5 a minute per account.)
            "NODE_ENV": "production",
            # The owner account, set (created or overwritten) at every start, so no first visitor to /setup
            # becomes owner.
            "N8N_INSTANCE_OWNER_MANAGED_BY_ENV": "true",
            "N8N_INSTANCE_OWNER_EMAIL": self.settings.owner_email,
            "N8N_INSTANCE_OWNER_PASSWORD_HASH": owner_password_hash(self.full_settings),
            # Webhooks: the secret checked and the body size limited before n8n reads a body.
            "EXTERNAL_HOOK_FILES": str(WEBHOOK_GUARD),
            "PROMPTSALES_WEBHOOK_SECRET": secret.get_secret_value()
            if (secret := self.settings.webhook_secret)
            else "",
            "PROMPTSALES_PUBLIC_WEBHOOKS": self.settings.public_webhooks,
            "N8N_PAYLOAD_SIZE_MAX": str(self.settings.payload_size_max),
            # Executions kept for the editor's Executions tab, bounded in time and count.
            "EXECUTIONS_DATA_PRUNE": "true",
            "EXECUTIONS_DATA_MAX_AGE": str(self.settings.executions_max_age_hours),
            "EXECUTIONS_DATA_PRUNE_MAX_COUNT": str(self.settings.executions_max_count),
        }
        return env

    def _n8n_bin(self) -> str:
        binary = self.install_dir() / "node_modules" / ".bin" / "n8n"
        if not binary.exists():
            raise Unavailable(
                f"n8n: {binary} is missing; delete {self.install_dir()} and run scripts/install-n8n"
            )
        return str(binary)

    def cli(self, args: Sequence[str], timeout: float = 180) -> str:
        """Run an n8n CLI command against our database; return its output or raise with the reason."""
        env = {**os.environ, **self.environment()}
        result = subprocess.run(
            [self._n8n_bin(), *args],
            check=False,
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            cwd=self.state_dir,
        )
        output = result.stdout + result.stderr
        if result.returncode != 0:
            lines = [line for line in output.strip().splitlines() if line.strip()]
            raise Unavailable(f"n8n {args[0]} failed: {lines[-1] if lines else 'no output'}")
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
            raise Unavailable(
                f"n8n: port {self.settings.port} on {self.settings.host} is already in use by "
                "another process (set N8N_PORT to a free port)"
            )
        (self.state_dir / "n8n").mkdir(parents=True, exist_ok=True)
        offset = self.proc.log.stat().st_size if self.proc.log.exists() else 0
        self.proc.start([self._n8n_bin(), "start"], env=self.environment())
        # Readiness answers before published workflows are activated; their production webhooks are
        # registered only once n8n logs that the editor is accessible. Wait for both.
        wait_until(
            lambda: self._ready() and EDITOR_READY_LINE in self._log_since(offset),
            timeout=START_TIMEOUT_S,
            what="n8n",
            log=self.proc.log,
            alive=lambda: self.proc.pid() is not None,
            condition="/healthz/readiness answers and its log says the editor is accessible",
        )

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
    def import_workflows(self, files: Sequence[Path], force: bool = False) -> list[str]:
        """Import workflow files into n8n and publish the ones with a trigger; return their ids.

        Refused, with nothing imported, when n8n holds one of them as someone saved it after its last import
        (the editor, the REST API) and differently from the file, unless `force`. A running n8n is stopped
        for one `import:workflow` of all of them (it deactivates what it imports), started again, and each
        workflow with a trigger is then published by its id (kept inside the file) through the REST API. A
        stopped n8n cannot be asked what it holds: it is imported into only with `force`, and stays stopped
        (each workflow published with `publish:workflow`, which n8n applies when it starts).
        """
        workflows = {Path(path).resolve(): n8n_workflows.read(Path(path)) for path in files}
        n8n_workflows.check_ids(workflows)
        running = self.proc.pid() is not None
        if not running and not force:
            raise Unavailable(
                "n8n: not running; start it with `promptsales stack up` (an import first checks "
                "what n8n holds, so as not to overwrite a change made in the editor)"
            )
        publish = [
            workflow["id"]
            for workflow in workflows.values()
            if n8n_workflows.has_publishable_trigger(workflow)
        ]
        if not running:
            self._import_files(workflows)
            for workflow_id in publish:
                self.cli(["publish:workflow", f"--id={workflow_id}"])
            return [workflow["id"] for workflow in workflows.values()]
        with N8nApi(self.full_settings) as api:
            if not force:
                edits = n8n_workflows.edited_in_n8n(api, workflows, self.minimal_parameters)
                if edits:
                    raise Unavailable(n8n_workflows.refusal(edits))
            self.stop()
            try:
                self._import_files(workflows)
            finally:
                self.start()
            for workflow_id in publish:
                api.activate(workflow_id, api.workflow(workflow_id)["versionId"])
        return [workflow["id"] for workflow in workflows.values()]

    def _import_files(self, workflows: dict[Path, dict]) -> None:
        """One `import:workflow` of every file (each n8n CLI run boots n8n: several seconds)."""
        with tempfile.TemporaryDirectory(dir=self.state_dir / "n8n", prefix="import-") as folder:
            for number, path in enumerate(workflows):
                shutil.copyfile(path, Path(folder) / f"{number:03d}-{path.name}")
            self.cli(["import:workflow", "--separate", f"--input={folder}"])

    def minimal_parameters(self, nodes: list[dict]) -> list[dict | None]:
        """The nodes' parameters as the editor saves them, by the pinned n8n's own rule (n8n_workflows)."""
        result = subprocess.run(
            [str(self._node_bin() / "node"), str(MINIMAL_PARAMETERS_SCRIPT), str(self.install_dir())],
            input=json.dumps(
                [{key: node.get(key) for key in ("type", "typeVersion", "parameters")} for node in nodes]
            ),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if result.returncode != 0:
            lines = result.stderr.strip().splitlines() or ["no output"]
            raise Unavailable(f"n8n: reading node parameters failed: {lines[-1]}")
        return json.loads(result.stdout)

    def import_credentials(self, credentials: Sequence[dict]) -> None:
        """Create or update n8n credentials from settings; their data is encrypted by n8n on import."""
        if not credentials:
            return
        target = self.state_dir / "n8n" / "credentials-import.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch(mode=0o600)
        try:
            target.write_text(json.dumps(list(credentials)))
            self.cli(["import:credentials", f"--input={target}"])
        finally:
            target.unlink(missing_ok=True)


def owner_password_hash(settings: Settings) -> str:
    """The bcrypt hash n8n takes for its owner's password (N8N_INSTANCE_OWNER_PASSWORD_HASH).

    Its salt comes from the encryption key, the email and the password rather than at random: n8n signs
    each login with a digest of the stored hash, so a new salt at every start would log everyone out at
    every restart. The salt stays secret and changes whenever the password does."""
    n8n = settings.n8n
    if n8n.owner_password is None or n8n.encryption_key is None:
        raise Unavailable("n8n: N8N_OWNER_PASSWORD and N8N_ENCRYPTION_KEY must both be set")
    password = n8n.owner_password.get_secret_value().encode()
    digest = hmac.new(
        n8n.encryption_key.get_secret_value().encode(),
        b"n8n-owner:" + n8n.owner_email.lower().encode() + b":" + password,
        hashlib.sha256,
    ).digest()
    # bcrypt's base64 is the standard bit packing with its own alphabet.
    salt = base64.b64encode(digest[:16]).decode().rstrip("=").translate(_TO_BCRYPT_ALPHABET)
    return bcrypt.hashpw(password, f"$2b$10${salt}".encode()).decode()


_TO_BCRYPT_ALPHABET = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
)
