"""The one error a format reader raises: a file that cannot become a document, with the check that failed."""

from __future__ import annotations


class FormatError(ValueError):
    """A file of a known format that cannot be read; `check` names the reason (`encrypted`, `damaged`,
    `no_text_layer`, …) and the message says it in one line."""

    def __init__(self, check: str, reason: str) -> None:
        super().__init__(reason)
        self.check = check
