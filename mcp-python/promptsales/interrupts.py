"""Ctrl-C that never leaves a database half-written, and knows what it stopped.

- `atomic(conn, name)`: `conn.transaction()` whose commit Ctrl-C cannot split. An interrupt before the
  commit raises at once and the transaction rolls back; one that arrives while the commit runs is held
  until the commit is done and then raised, so the caller knows the work is in.
- `held()`: holds Ctrl-C over a short section that must finish once started (writes spanning two stores).
- `watch()`: what a command watches while it runs: the names committed (by `atomic` or `committed`), so
  after an interrupt it can say exactly what is done and what was left as it was.

Only the main thread receives signals, so elsewhere `held` holds nothing (and needs to hold nothing).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import psycopg


@dataclass
class Watch:
    committed: list[str] = field(default_factory=list)


_watch: ContextVar[Watch | None] = ContextVar("promptsales_interrupt_watch", default=None)


@contextmanager
def watch() -> Iterator[Watch]:
    """Collect the names committed inside the block (nested watches each see their own)."""
    current = Watch()
    token = _watch.set(current)
    try:
        yield current
    finally:
        _watch.reset(token)
    parent = _watch.get()
    if parent is not None:
        parent.committed.extend(current.committed)


def committed(name: str) -> None:
    """Record that `name` is now written whole (for work that commits some other way than `atomic`)."""
    current = _watch.get()
    if current is not None:
        current.committed.append(name)


@contextmanager
def held() -> Iterator[None]:
    """Run the block to its end even if Ctrl-C comes; raise KeyboardInterrupt after it if one came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: pending.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pending:
        raise KeyboardInterrupt


@contextmanager
def atomic(conn: psycopg.Connection, name: str) -> Iterator[None]:
    """One transaction named `name`: rolled back whole on any exception (Ctrl-C included), and committed
    whole once its body is done, the commit shielded from Ctrl-C."""
    transaction = conn.transaction()
    transaction.__enter__()
    try:
        yield
    except BaseException as exc:
        transaction.__exit__(type(exc), exc, exc.__traceback__)
        raise
    with held():
        transaction.__exit__(None, None, None)
        committed(name)
