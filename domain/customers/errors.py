"""Refusals of the customer registry. Messages are pt-BR and name the field to fix."""

from __future__ import annotations

from domain.errors import Conflict, ValidationFailed


class InvalidFields(ValidationFailed):
    """Several inputs of one form are wrong at once: `errors` maps each field path to its message.

    Field paths are the form's: "name", "emails.0.address", "addresses.1.cep", "custom_fields.segmento".
    """

    code = "invalid_fields"

    def __init__(self, errors: dict[str, str]) -> None:
        first_field, first_message = next(iter(errors.items()))
        message = first_message if len(errors) == 1 else f"{first_message} (e mais {len(errors) - 1} campo(s))"
        super().__init__(message, field=first_field, fields=sorted(errors))
        self.errors = errors


class FieldCollector:
    """Runs one normalizer per field and keeps every refusal, so a form shows all its problems at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def take(self, field: str, error: ValidationFailed) -> None:
        self.errors.setdefault(field, error.message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidFields(self.errors)


class DocumentInUse(Conflict):
    code = "document_in_use"

    def __init__(self, masked: str, other_name: str) -> None:
        super().__init__(f"O documento {masked} já pertence ao cliente “{other_name}”.", field="document_number")


class ExternalIdInUse(Conflict):
    code = "external_id_in_use"

    def __init__(self, external_id: str, other_name: str) -> None:
        super().__init__(f"O ID externo “{external_id}” já pertence ao cliente “{other_name}”.", field="external_id")


class ReasonRequired(ValidationFailed):
    code = "reason_required"

    def __init__(self, what: str) -> None:
        super().__init__(f"Informe o motivo para {what}.", field="reason")


def clean_reason(reason: str | None) -> str | None:
    """The operator's reason with its spaces squashed; None when nothing was typed."""
    return " ".join((reason or "").split()) or None


def require_reason(reason: str | None, what: str) -> str:
    cleaned = clean_reason(reason)
    if not cleaned:
        raise ReasonRequired(what)
    return cleaned


class CustomerHasOpenItems(Conflict):
    code = "customer_has_open_items"

    def __init__(self, open_invoices: int, active_subscriptions: int) -> None:
        super().__init__(
            "O cliente não pode ser excluído: " + describe_blockers(open_invoices, active_subscriptions) + ".",
            open_invoices=open_invoices,
            active_subscriptions=active_subscriptions,
        )


def describe_blockers(open_invoices: int, active_subscriptions: int) -> str:
    """'2 faturas em aberto e 1 assinatura ativa': what keeps an account or customer from going away."""
    parts = []
    if open_invoices:
        parts.append(f"{open_invoices} fatura{'s' if open_invoices > 1 else ''} em aberto")
    if active_subscriptions:
        plural = "s" if active_subscriptions > 1 else ""
        parts.append(f"{active_subscriptions} assinatura{plural} ativa{plural}")
    return " e ".join(parts)
