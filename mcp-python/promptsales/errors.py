"""Errors reported to a person as one line, without a traceback."""


class UserError(Exception):
    """Bad input or a failed precondition; the message says what to do."""


class Interrupted(Exception):
    """Ctrl-C stopped a command; the message says what was finished and what was left as it was."""
