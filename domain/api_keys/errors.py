"""Refusals about API keys and API calls. Messages are pt-BR; the API maps `http_status`."""

from __future__ import annotations

from domain.errors import BillingError, Conflict


class ApiKeyRevoked(Conflict):
    code = "api_key_revoked"

    def __init__(self, name: str) -> None:
        super().__init__(f"A chave “{name}” já foi revogada.")


class IdempotencyKeyReused(BillingError):
    code = "idempotency_key_reused"
    http_status = 422

    def __init__(self) -> None:
        super().__init__(
            "Esta Idempotency-Key já foi usada com outra requisição (método, caminho ou corpo diferentes).",
            field="Idempotency-Key",
        )


class IdempotencyKeyInFlight(Conflict):
    code = "idempotency_key_in_flight"

    def __init__(self) -> None:
        super().__init__("Uma requisição com esta Idempotency-Key ainda está em andamento; tente de novo em instantes.")
