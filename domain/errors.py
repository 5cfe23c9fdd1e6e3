"""Errors a business rule raises. Their messages are pt-BR and safe to show to a finance operator."""

from __future__ import annotations


class BillingError(Exception):
    """A business rule refused the action. The message is safe to show to a finance user."""

    code = "billing_error"  # stable snake_case; used in logs, job results, the API and tests
    http_status = 422

    def __init__(self, message: str, *, field: str | None = None, **context: object) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.context = context


class ValidationFailed(BillingError):
    """Input that cannot be accepted as typed; `field` names the input to fix."""

    code = "validation_failed"
    http_status = 422


class NotFound(BillingError):
    """Also what an operator sees for another organization's rows: they do not exist for them."""

    code = "not_found"
    http_status = 404

    def __init__(self, entity: str, entity_id: object) -> None:
        super().__init__(f"Não encontrado: {entity} {entity_id}.", entity=entity, entity_id=str(entity_id))


class Conflict(BillingError):
    code = "conflict"
    http_status = 409


class PermissionDenied(BillingError):
    code = "permission_denied"
    http_status = 403

    def __init__(self, permission: str) -> None:
        super().__init__(f"Permissão necessária: {permission}.", permission=permission)
        self.permission = permission


class NotAuthenticated(BillingError):
    code = "not_authenticated"
    http_status = 401
