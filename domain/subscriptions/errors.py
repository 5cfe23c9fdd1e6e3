"""Refusals of the plan and subscription use cases, in pt-BR, safe to show to a finance operator."""

from __future__ import annotations

from datetime import date

from domain.errors import Conflict, ValidationFailed


class InvalidPlan(ValidationFailed):
    code = "plan_invalid"


class PlanNameTaken(Conflict):
    code = "plan_name_taken"

    def __init__(self, name: str) -> None:
        super().__init__(f"Já existe um plano chamado “{name}”.", field="name", name=name)


class PlanInactive(Conflict):
    code = "plan_inactive"

    def __init__(self, name: str) -> None:
        super().__init__(f"O plano “{name}” está inativo: não aceita novas assinaturas.", field="plan_id")


class InvalidQuantity(ValidationFailed):
    code = "subscription_quantity_invalid"

    def __init__(self) -> None:
        super().__init__("A quantidade deve ser um número inteiro entre 1 e 100.000.", field="quantity")


class CurrencyDiffers(Conflict):
    code = "subscription_currency_differs"

    def __init__(self, plan_currency: str, account_currency: str) -> None:
        super().__init__(
            f"O plano é cobrado em {plan_currency} e a conta fatura em {account_currency}: escolha um plano na "
            "moeda da conta.",
            field="plan_id",
        )


class IntervalDiffers(Conflict):
    code = "subscription_interval_differs"

    def __init__(self) -> None:
        super().__init__(
            "A troca de plano só é possível entre planos de mesma periodicidade (mensal ↔ mensal, anual ↔ anual): "
            "cancele e crie uma nova assinatura.",
            field="plan_id",
        )


class NothingToChange(ValidationFailed):
    code = "subscription_nothing_to_change"

    def __init__(self) -> None:
        super().__init__("Escolha outro plano ou outra quantidade: nada mudaria.", field="plan_id")


class SubscriptionNotLive(Conflict):
    code = "subscription_not_live"

    def __init__(self, status_label: str) -> None:
        super().__init__(f"A assinatura está {status_label.lower()}: não pode mais ser alterada.")


class ChangeOutsidePeriod(ValidationFailed):
    code = "subscription_change_outside_period"

    def __init__(self, start: date, end: date) -> None:
        last = date.fromordinal(end.toordinal() - 1)
        super().__init__(
            f"A data da alteração deve estar no período atual ({start:%d/%m/%Y} a {last:%d/%m/%Y}).",
            field="changed_on",
        )


class InvalidTrial(ValidationFailed):
    code = "subscription_trial_invalid"

    def __init__(self) -> None:
        super().__init__("O período de teste deve ter entre 0 e 365 dias.", field="trial_days")
