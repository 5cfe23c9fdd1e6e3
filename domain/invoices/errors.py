"""Refusals of the invoice use cases, in pt-BR, safe to show to a finance operator."""

from __future__ import annotations

from domain.errors import BillingError, Conflict, ValidationFailed


class ActionNotAllowed(Conflict):
    code = "invoice_action_not_allowed"

    def __init__(self, number: str, status: str, action: str, allowed: list[str]) -> None:
        allowed_text = ", ".join(allowed) if allowed else "nenhuma"
        super().__init__(
            f"Fatura {number} está {status.lower()}: a ação “{action}” não é permitida neste estado. "
            f"Ações possíveis: {allowed_text}.",
            number=number,
            status=status,
            action=action,
        )


class EmptyInvoice(ValidationFailed):
    code = "invoice_empty"

    def __init__(self) -> None:
        super().__init__(
            "A fatura não tem itens de cobrança: inclua ao menos um item antes de finalizar.", field="lines"
        )


class ReasonRequired(ValidationFailed):
    code = "reason_required"

    def __init__(self) -> None:
        super().__init__("Informe o motivo (ao menos 3 caracteres).", field="reason")


class AccountNotBillable(Conflict):
    code = "billing_account_not_billable"

    def __init__(self, account_name: str, status: str) -> None:
        labels = {"suspended": "suspensa", "closed": "encerrada", "deleted": "excluída"}
        super().__init__(
            f"A conta de faturamento “{account_name}” está {labels.get(status, status)}: não recebe novas faturas.",
            status=status,
        )


class CustomerNotBillable(Conflict):
    code = "customer_not_billable"

    def __init__(self, customer_name: str, status: str) -> None:
        labels = {"suspended": "suspenso", "churned": "encerrado", "deleted": "excluído"}
        super().__init__(
            f"O cliente “{customer_name}” está {labels.get(status, status)}: não recebe novas faturas.", status=status
        )


class InvalidLine(ValidationFailed):
    code = "invoice_line_invalid"

    def __init__(self, position: int, message: str, field: str) -> None:
        super().__init__(f"Item {position}: {message}", field=field, position=position)


class DiscountTooLarge(ValidationFailed):
    code = "invoice_discount_too_large"

    def __init__(self) -> None:
        super().__init__("O desconto não pode ser maior que o subtotal mais os impostos.", field="manual_discount")


class NegativeDiscount(ValidationFailed):
    code = "invoice_discount_negative"

    def __init__(self) -> None:
        super().__init__("O desconto não pode ser negativo.", field="manual_discount")


class MissingServiceItem(ValidationFailed):
    code = "invoice_service_item_missing"

    def __init__(self, position: int) -> None:
        super().__init__(
            f"Item {position}: escolha o serviço (item da LC 116); a nota fiscal e as retenções dependem dele.",
            field="service_item_id",
            position=position,
        )


class MixedWithholdingServices(ValidationFailed):
    code = "invoice_mixed_withholding_services"

    def __init__(self, codes: list[str]) -> None:
        super().__init__(
            f"Os serviços {', '.join(codes)} têm retenções diferentes (IR, PIS/COFINS/CSLL ou INSS): emita uma fatura "
            "para cada um, como a NFS-e exige.",
            field="service_item_id",
        )


class NumberSeriesMissing(BillingError):
    code = "number_series_missing"

    def __init__(self) -> None:
        super().__init__("A organização não tem série de numeração de faturas configurada.")


class PaymentsExist(Conflict):
    code = "invoice_has_payments"

    def __init__(self, number: str) -> None:
        super().__init__(
            f"A fatura {number} tem pagamentos registrados: estorne-os antes de cancelar, ou marque-a como incobrável."
        )


class InvalidAmount(ValidationFailed):
    code = "invalid_amount"

    def __init__(self, message: str, field: str = "amount") -> None:
        super().__init__(message, field=field)


class RefundTooLarge(ValidationFailed):
    code = "refund_too_large"

    def __init__(self) -> None:
        super().__init__("O estorno não pode ser maior que o valor já pago na fatura.", field="amount")


class CurrencyNotSupported(ValidationFailed):
    code = "invoice_currency_mismatch"

    def __init__(self, expected: str, got: str) -> None:
        super().__init__(f"A fatura é em {expected}; o valor informado está em {got}.", field="currency")


class DraftChangedMeanwhile(Conflict):
    """Someone (another operator, an integration adding lines through the API) saved the draft after it was opened
    here: saving over it would silently drop their change."""

    code = "invoice_draft_changed"

    def __init__(self, number: str) -> None:
        super().__init__(
            f"O rascunho {number} foi alterado por outra pessoa ou integração depois que você o abriu. Recarregue a "
            "fatura para ver a versão atual antes de salvar."
        )
