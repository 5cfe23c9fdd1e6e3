"""Refusals of the LGPD area. Messages are pt-BR and say what to do next."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from domain.calendar import DEFAULT_TIMEZONE
from domain.customers.errors import describe_blockers
from domain.errors import BillingError, Conflict, ValidationFailed


class ErasureBlocked(Conflict):
    """The fiscal record is still moving: the law keeps it, and an open invoice needs its customer."""

    code = "lgpd_erasure_blocked"

    def __init__(self, open_invoices: int, active_subscriptions: int) -> None:
        super().__init__(
            f"Eliminação recusada: o cliente tem {describe_blockers(open_invoices, active_subscriptions)}. Os dados "
            "pessoais só podem ser anonimizados depois que as faturas forem pagas, canceladas ou baixadas e as "
            "assinaturas encerradas.",
            open_invoices=open_invoices, active_subscriptions=active_subscriptions,
        )  # fmt: skip


class ErasurePending(Conflict):
    code = "lgpd_erasure_pending"

    def __init__(self) -> None:
        super().__init__("Já existe uma solicitação de eliminação pendente para este cliente.")


class AlreadyAnonymized(Conflict):
    code = "lgpd_already_anonymized"

    def __init__(self) -> None:
        super().__init__("Os dados pessoais deste cliente já foram anonimizados.")


class WindowNotOver(Conflict):
    code = "lgpd_window_not_over"

    def __init__(self, confirm_after: datetime) -> None:
        super().__init__(
            f"A eliminação só pode ser confirmada a partir de {_moment(confirm_after)} (prazo de carência da "
            "organização).",
        )


class ErasureNotConfirmable(Conflict):
    code = "lgpd_erasure_not_pending"

    def __init__(self, status_label: str) -> None:
        super().__init__(f"A solicitação está “{status_label.lower()}” e não pode mais ser alterada.")


class ErasureNotExecutable(Conflict):
    code = "lgpd_erasure_not_confirmed"

    def __init__(self, status_label: str) -> None:
        super().__init__(f"A solicitação está “{status_label.lower()}”: só uma eliminação confirmada é executada.")


class ExportLinkInvalid(BillingError):
    code = "lgpd_export_link_invalid"
    http_status = 404

    def __init__(self, expired: bool) -> None:
        super().__init__("O link de download expirou: gere a exportação de novo." if expired
                         else "Link de download inválido.")  # fmt: skip


class InvalidWindow(ValidationFailed):
    code = "lgpd_invalid_window"

    def __init__(self) -> None:
        super().__init__("Prazo de carência: de 0 a 90 dias.", field="lgpd_erasure_window_days")


def _moment(value: datetime) -> str:
    """dd/mm/aaaa hh:mm on the organization's default clock (the screens format with Babel; messages need this)."""
    return value.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).strftime("%d/%m/%Y %H:%M")
