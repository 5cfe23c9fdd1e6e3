"""Refusals of sign-in and operator management."""

from __future__ import annotations

from datetime import datetime

from domain.errors import BillingError, Conflict, NotAuthenticated, ValidationFailed


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__("E-mail ou senha incorretos.")


class AccountLocked(NotAuthenticated):
    code = "account_locked"

    def __init__(self, until: datetime) -> None:
        super().__init__("Acesso bloqueado por excesso de tentativas. Tente novamente mais tarde.", until=until)
        self.until = until


class TotpRequired(NotAuthenticated):
    code = "totp_required"

    def __init__(self) -> None:
        super().__init__("Informe o código do autenticador (2FA).", field="totp")


class InvalidTotp(NotAuthenticated):
    code = "invalid_totp"

    def __init__(self) -> None:
        super().__init__("Código do autenticador inválido.", field="totp")


class OperatorInactive(NotAuthenticated):
    code = "operator_inactive"

    def __init__(self) -> None:
        super().__init__("Este operador está desativado. Fale com um administrador.")


class EmailInUse(Conflict):
    code = "email_in_use"

    def __init__(self, email: str) -> None:
        super().__init__(f"O e-mail {email} já pertence a outro operador.", field="email")


class WeakPassword(ValidationFailed):
    code = "weak_password"

    def __init__(self) -> None:
        super().__init__("A senha deve ter pelo menos 10 caracteres, com letras e números.", field="password")


class UnknownRole(ValidationFailed):
    code = "unknown_role"

    def __init__(self, name: str) -> None:
        super().__init__(f"Papel desconhecido: {name}.", field="role")


class LastAdmin(BillingError):
    code = "last_admin"

    def __init__(self) -> None:
        super().__init__("A organização precisa de pelo menos um administrador ativo.")
