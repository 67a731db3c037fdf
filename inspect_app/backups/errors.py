"""The one error of backup and restore: a message code and its parameters, said in words by the CLI."""
from __future__ import annotations

from inspect_app.core.i18n import translate


class BackupError(Exception):
    """A backup or restore cannot go on; ``str()`` is the sentence for the operator."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(code)

    def __str__(self) -> str:
        return translate(self.code, **self.params)
