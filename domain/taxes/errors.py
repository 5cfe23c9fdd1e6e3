"""Inputs the withholding engine refuses. Messages are pt-BR and name the field to fix."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.errors import ValidationFailed
from domain.taxes.rules import rate_text


class NegativeAmount(ValidationFailed):
    code = "withholding_negative_amount"

    def __init__(self, field: str, cents: int) -> None:
        super().__init__("O valor para cálculo das retenções não pode ser negativo.", field=field, cents=cents)


class CurrencyNotBrl(ValidationFailed):
    code = "withholding_currency_not_brl"

    def __init__(self, field: str, currency: str) -> None:
        super().__init__(
            f"Retenções na fonte só se calculam em reais (BRL), recebido {currency}.", field=field, currency=currency
        )


class InvalidServiceCode(ValidationFailed):
    code = "invalid_service_code"

    def __init__(self, service_code: str) -> None:
        super().__init__(
            f"Código de serviço {service_code!r} inválido: use o subitem da lista da LC 116/2003 (ex.: 17.01).",
            field="service_code",
            service_code=service_code,
        )


class InvalidIbgeCode(ValidationFailed):
    code = "invalid_ibge_code"

    def __init__(self, ibge_code: str | None) -> None:
        super().__init__(
            "Informe o código IBGE do município do ISS com 7 dígitos.", field="iss_municipality_ibge", ibge=ibge_code
        )


class IssRateRequired(ValidationFailed):
    code = "iss_rate_required"

    def __init__(self) -> None:
        super().__init__("O cliente retém ISS: informe a alíquota de ISS.", field="iss_rate")


class IssRateOutOfRange(ValidationFailed):
    code = "iss_rate_out_of_range"

    def __init__(self, rate: Decimal, low: Decimal, high: Decimal, service_code: str) -> None:
        super().__init__(
            f"Alíquota de ISS {rate_text(rate)} fora do intervalo legal para o subitem {service_code}: "
            f"de {rate_text(low)} a {rate_text(high)} (LC 116/2003 arts. 8 e 8-A). Informe 0.05 para 5%.",
            field="iss_rate",
            rate=str(rate),
            service_code=service_code,
        )


class InvalidExemptContribution(ValidationFailed):
    code = "invalid_exempt_contribution"

    def __init__(self, value: str) -> None:
        super().__init__(
            f"Isenção {value!r} inválida: só PIS, COFINS ou CSLL podem ser isentos na retenção.",
            field="exempt_contributions",
            value=value,
        )


class MonthlyPaymentsRequired(ValidationFailed):
    code = "csrf_monthly_payments_required"

    def __init__(self, paid_on: date) -> None:
        super().__init__(
            f"Pagamento em {paid_on:%d/%m/%Y}: a dispensa de PIS/COFINS/CSLL depende da soma dos pagamentos do mês "
            "ao prestador (Lei 10.833/2003 art. 31 §4, redação antiga); informe os pagamentos anteriores do mês.",
            field="earlier_payments_in_month",
            paid_on=paid_on,
        )


class WithholdingRuleMissing(ValidationFailed):
    code = "withholding_rule_missing"

    def __init__(self, tax: str, paid_on: date) -> None:
        super().__init__(
            f"Não há regra de retenção de {tax} cadastrada para pagamentos em {paid_on:%d/%m/%Y}.",
            field="paid_on",
            tax=tax,
            paid_on=paid_on,
        )


class PublicBodyWithholdingUnsupported(ValidationFailed):
    code = "public_body_withholding_unsupported"

    def __init__(self) -> None:
        super().__init__(
            "Retenção federal (IR e PIS/COFINS/CSLL) por órgão público segue regras próprias (Lei 9.430/1996 art. 64) "
            "que ainda não estão cadastradas no sistema.",
            field="customer_tax_type",
        )
