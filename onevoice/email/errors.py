"""The one error type of email touchpoints: a message that says what, where, and the fix."""

from __future__ import annotations


class EmailError(Exception):
    """An email could not be fetched or read; `str(error)` is one line a user can act on."""
