"""Refusals of segments, saved views and bulk actions. Messages are pt-BR and safe to show."""

from __future__ import annotations

from domain.errors import BillingError, Conflict, ValidationFailed


class InvalidSegment(ValidationFailed):
    """A filter tree that cannot run: `field` is the path of the condition to fix ("children.1.value")."""

    code = "invalid_segment"

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message, field=path or "tree")


class BuiltinViewReadOnly(BillingError):
    code = "builtin_view_read_only"
    http_status = 409

    def __init__(self, name: str) -> None:
        super().__init__(f"A visão “{name}” é padrão do sistema: salve uma cópia para alterá-la.")


class ViewNameInUse(Conflict):
    code = "view_name_in_use"

    def __init__(self, name: str) -> None:
        super().__init__(f"Já existe uma visão chamada “{name}”.", field="name")


class SharedViewNeedsPermission(BillingError):
    """Shared views belong to the team: changing one (or sharing) takes SEGMENTS_SHARE."""

    code = "shared_view_needs_permission"
    http_status = 403

    def __init__(self, name: str) -> None:
        super().__init__(f"A visão “{name}” é compartilhada: alterá-la exige a permissão SEGMENTS_SHARE.")


class BulkActionUnavailable(BillingError):
    code = "bulk_action_unavailable"
    http_status = 409

    def __init__(self, label: str) -> None:
        super().__init__(f"A ação “{label}” ainda não está disponível.")


class EmptySelection(ValidationFailed):
    code = "empty_selection"

    def __init__(self) -> None:
        super().__init__("Nenhum cliente seria alterado por esta ação.", field="tree")


class SelectionChanged(Conflict):
    """The operator confirmed a preview of N rows and the selection now has another size: show the new preview."""

    code = "selection_changed"

    def __init__(self, expected: int, now: int) -> None:
        super().__init__(f"A seleção mudou desde a prévia ({expected} → {now}). Revise a prévia e confirme de novo.",
                         expected=expected, now=now)  # fmt: skip
