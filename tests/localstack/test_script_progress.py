"""scripts/lib/progress.sh, which scripts/bootstrap and scripts/install-n8n run their long steps through:
a live line on a terminal only, one plain final line always, and Ctrl-C that stops the whole step, removes
what it half-wrote and exits 130."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import time
from pathlib import Path

from promptsales.settings import PROJECT_ROOT

LIB = PROJECT_ROOT / "scripts" / "lib" / "progress.sh"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _script(tmp_path: Path, seconds: int) -> list[str]:
    """A step that writes into a folder and says what it fetches, as pip or npm would."""
    step = (
        f'mkdir -p {tmp_path}/partial; for i in $(seq 1 {seconds * 4}); do echo "Downloading pkg-$i.whl"; '
        f"touch {tmp_path}/partial/$i; sleep 0.25; done"
    )
    script = (
        f"set -euo pipefail; . {LIB}; "
        f"run_step 'demo: installing' {tmp_path}/step.log '^Downloading' \"rm -rf '{tmp_path}/partial'\" "
        f"-- bash -c '{step}'; echo after-the-step"
    )
    return ["bash", "-c", script]


def _on_a_terminal(command: list[str], env: dict[str, str], interrupt_after: float | None = None):
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command, env=env, stdin=follower, stdout=follower, stderr=follower, start_new_session=True
    )
    os.close(follower)
    output, started = b"", time.monotonic()
    while True:
        if interrupt_after is not None and time.monotonic() - started > interrupt_after:
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the terminal's foreground group
            interrupt_after = None
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    return process.wait(timeout=30), ANSI.sub("", output.decode(errors="replace"))


def test_a_step_on_a_terminal_shows_what_it_fetches_then_one_final_line(tmp_path):
    env = {**os.environ, "TERM": "xterm"}
    env.pop("CI", None)
    code, drawn = _on_a_terminal(_script(tmp_path, 2), env)
    assert code == 0
    assert re.search(r"demo: installing  \d+s  Downloading pkg-\d+\.whl", drawn)
    assert re.search(r"demo: installing: done in \d+ s", drawn) and "after-the-step" in drawn


def test_a_step_in_ci_prints_only_its_final_line(tmp_path):
    result = subprocess.run(
        _script(tmp_path, 1),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "CI": "true"},
    )
    assert result.returncode == 0
    assert result.stderr.splitlines() == [result.stderr.strip()] and "done in" in result.stderr
    assert "\x1b" not in result.stderr and "Downloading" not in result.stderr + result.stdout


def test_ctrl_c_stops_the_step_removes_its_half_written_folder_and_exits_130(tmp_path):
    env = {**os.environ, "TERM": "xterm"}
    env.pop("CI", None)
    code, drawn = _on_a_terminal(_script(tmp_path, 30), env, interrupt_after=1.5)
    assert code == 130
    assert re.search(
        r"demo: installing: interrupted \(Ctrl-C\) after \d+ s; removed what it had half-written", drawn
    )
    assert "after-the-step" not in drawn and not (tmp_path / "partial").exists()
    time.sleep(0.6)  # a step still running would have written its next file by now
    assert not (tmp_path / "partial").exists()
