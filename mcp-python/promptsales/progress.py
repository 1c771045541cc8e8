"""Progress of long commands, on a terminal only: what is being done, for how long, how fast.

A command opens one `activity(title)` around its work; code deep inside it (a loader, a service start)
calls `report(text)` or `rows(table, done, total)` without knowing whether anyone shows them. On a terminal
(stderr a TTY, not CI, TERM not "dumb") rich redraws one transient line on stderr: a spinner, the title,
the current step, elapsed seconds, and rows and rows/s while a table loads. Anywhere else nothing is
drawn: the command prints only its own final lines, so piped output and CI logs stay clean.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar


def interactive(stream=None) -> bool:
    stream = stream or sys.stderr
    return (
        hasattr(stream, "isatty")
        and stream.isatty()
        and not os.environ.get("CI")
        and os.environ.get("TERM") != "dumb"
    )


class _Line:
    """What the live line says; rendered by rich at each refresh, so the elapsed time keeps moving."""

    def __init__(self, title: str):
        from rich.spinner import Spinner

        self.title, self.step = title, ""
        self.started = self.step_started = time.monotonic()
        self.table: tuple[str, int, int | None, float] | None = None  # name, done, total, started
        self.spinner = Spinner("dots", style="cyan")

    def __rich__(self):
        from rich.text import Text

        now = time.monotonic()
        # One line whatever the terminal's width: cut at its end rather than wrapped.
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append_text(self.spinner.render(now))
        text.append(f" {self.title}", style="bold")
        if self.step:
            text.append(f": {self.step}")
        if self.table is not None:
            name, done, total, started = self.table
            if done:
                rate = done / max(now - started, 1e-6)
                text.append(
                    f"  {name} {done:,}" + (f"/{total:,}" if total else "") + f" rows, {rate:,.0f} rows/s"
                )
            else:  # a table sent in one piece (binary COPY): its size, then its rate once it is in
                text.append(f"  {name}: {total:,} rows" if total else f"  {name}")
        text.append(f"  {now - self.step_started:.1f} s", style="dim")
        if self.step_started != self.started:
            text.append(f" (total {now - self.started:.0f} s)", style="dim")
        return text


_line: ContextVar[_Line | None] = ContextVar("promptsales_progress_line", default=None)


@contextmanager
def activity(title: str) -> Iterator[None]:
    """Show the live line for the block, on a terminal; elsewhere do nothing."""
    if not interactive():
        yield
        return
    from rich.console import Console
    from rich.live import Live

    line = _Line(title)
    token = _line.set(line)
    # transient: the live line disappears at the end, leaving only the command's own final lines;
    # stdout is redirected above the live line, so those lines are never overwritten.
    with Live(line, console=Console(stderr=True), refresh_per_second=8, transient=True):
        try:
            yield
        finally:
            _line.reset(token)


def report(step: str) -> None:
    """The step now under way ("postgres: waiting for pg_ctl"); shown with its own elapsed time."""
    line = _line.get()
    if line is not None:
        line.step, line.step_started, line.table = step, time.monotonic(), None


def rows(table: str, done: int, total: int | None = None) -> None:
    """Rows of `table` written so far (rows/s counted from the first report for that table)."""
    line = _line.get()
    if line is None:
        return
    if line.table is None or line.table[0] != table:
        line.table = (table, done, total, time.monotonic())
    else:
        line.table = (table, done, total, line.table[3])
