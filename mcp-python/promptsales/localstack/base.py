"""What every local service shares: pid files, logs, port checks, waiting for health."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from promptsales import progress
from promptsales.errors import Unavailable
from promptsales.settings import STATE_DIR


def failed(message: str, log: Path | None) -> Unavailable:
    """A local-stack failure a person can act on: one line, naming the log to read."""
    return Unavailable(f"{message} (log: {log})" if log else message)


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    address: str
    running: bool
    healthy: bool
    pid: int | None
    detail: str = ""


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_until(
    check: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    log: Path | None,
    alive: Callable[[], bool] | None = None,
    condition: str = "it answers",
) -> None:
    """Poll `check` until it is true; fail early when the process died. `condition` says, on the progress
    line, what is awaited."""
    progress.report(f"{what}: waiting until {condition} (up to {timeout:.0f} s)")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if alive is not None and not alive():
            raise failed(f"{what} exited during start-up", log)
        time.sleep(0.25)
    raise failed(f"{what} did not become ready within {timeout:.0f} s", log)


class ManagedProcess:
    """A long-running child we start detached, with its pid file and log under .promptsales/<name>/."""

    def __init__(self, name: str, root: Path = STATE_DIR):
        self.name = name
        self.dir = root / name
        self.pid_file = self.dir / f"{name}.pid"
        self.log = self.dir / f"{name}.log"

    def pid(self) -> int | None:
        """The pid we recorded, if that process still runs and is still ours.

        The pid file holds the pid and the process start time, so a recycled pid is not taken for ours.
        """
        try:
            pid_text, started = self.pid_file.read_text().split()
            pid = int(pid_text)
        except (FileNotFoundError, ValueError):
            return None
        if not _alive(pid) or _start_time(pid) != started:
            return None
        return pid

    def start(
        self, argv: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path | None = None
    ) -> int:
        self.dir.mkdir(parents=True, exist_ok=True)
        full_env = {**os.environ, **(env or {})}
        try:
            with open(self.log, "ab") as log:
                proc = subprocess.Popen(
                    list(argv),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    env=full_env,
                    cwd=cwd or self.dir,
                    start_new_session=True,
                )
        except FileNotFoundError as exc:
            raise Unavailable(f"{self.name}: cannot run {argv[0]!r}: {exc.strerror}") from exc
        self.pid_file.write_text(f"{proc.pid} {_start_time(proc.pid)}")
        return proc.pid

    def stop(self, timeout: float = 20.0) -> bool:
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.pid_file.unlink(missing_ok=True)
        return True


def _start_time(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie child of ours counts as gone.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    if state == "Z":
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        return False
    return True
