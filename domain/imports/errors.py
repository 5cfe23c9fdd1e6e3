"""Refusals of the import area: a file that cannot be read, a mapping that cannot be used, a run in the wrong state."""

from __future__ import annotations

from domain.errors import Conflict, ValidationFailed


class UnreadableFile(ValidationFailed):
    """The file cannot be turned into rows without guessing (encoding, format, broken accents): nothing is imported."""

    code = "unreadable_file"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, field="file", reason=reason)
        self.reason = reason


class MappingIncomplete(ValidationFailed):
    code = "import_mapping_incomplete"

    def __init__(self, message: str) -> None:
        super().__init__(message, field="mapping")


class ImportNotRunnable(Conflict):
    code = "import_not_runnable"


class ImportAlreadyRunning(Conflict):
    code = "import_already_running"

    def __init__(self, file_name: str) -> None:
        super().__init__(f"Este arquivo já está sendo importado (“{file_name}”). Aguarde o fim da importação.")
