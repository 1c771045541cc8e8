"""Errors reported to a person as one line, without a traceback."""


class UserError(Exception):
    """Bad input or a failed precondition; the message says what to do."""
