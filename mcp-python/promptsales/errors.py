"""The errors PromptSales reports to a person: one line, no traceback, saying what to do.

Three kinds, converted once at each boundary (the MCP servers answer them as tool errors; the CLI exits
2 for invalid input and 1 for the others; a stopped command exits 130):
- InvalidInput: what was asked is wrong (a bad argument, a file that is not a workflow); nothing changed.
- NotFound: what was named does not exist (a campaign, a workflow, an image).
- Unavailable: a service or precondition is missing (a database down, n8n not started, no data loaded).
"""

from typing import Any

# How much of a rejected value a message repeats: enough to recognise it, never a whole payload or secret.
SHOWN_VALUE_CHARS = 40


def shown(value: Any) -> str:
    """A rejected value as a message quotes it: its repr, shortened."""
    text = repr(value)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 3] + "..."


class PromptSalesError(Exception):
    """Base of every error meant for a person; the message is one line."""


class InvalidInput(PromptSalesError, ValueError):
    """Bad input; nothing was changed."""


class NotFound(PromptSalesError, LookupError):
    """The thing named does not exist."""


class Unavailable(PromptSalesError, RuntimeError):
    """A service, file or earlier step this needs is missing or down."""


class Interrupted(Exception):
    """Ctrl-C stopped a command; the message says what was finished and what was left as it was."""
