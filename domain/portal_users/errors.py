"""Refusals about portal users and their sign-in. Sign-in refusals never tell whether an e-mail exists."""

from __future__ import annotations

from datetime import datetime

from domain.errors import Conflict, NotAuthenticated


class PortalUserExists(Conflict):
    code = "portal_user_exists"

    def __init__(self, email: str, account_name: str) -> None:
        super().__init__(f"{email} já é usuário do portal da conta “{account_name}”.", field="email")


class InvalidPortalTransition(Conflict):
    code = "portal_user_invalid_transition"

    def __init__(self, current: str, action: str) -> None:
        super().__init__(f"Usuário do portal com situação “{current}” não pode ser {action}.")


class NoSignInMethod(Conflict):
    code = "portal_user_no_sign_in_method"

    def __init__(self) -> None:
        super().__init__("Escolha ao menos uma forma de acesso: link mágico, senha ou SSO.", field="methods")


class InvalidPortalToken(NotAuthenticated):
    """Unknown, used, revoked, expired or for another purpose: the visitor is told the same thing in each case."""

    code = "portal_token_invalid"

    def __init__(self) -> None:
        super().__init__("Este link é inválido ou expirou. Peça um novo.")


class PortalSignInRefused(NotAuthenticated):
    code = "portal_sign_in_refused"

    def __init__(self) -> None:
        super().__init__("E-mail ou senha incorretos.")


class PortalUserLocked(NotAuthenticated):
    code = "portal_user_locked"

    def __init__(self, until: datetime) -> None:
        super().__init__("Acesso bloqueado por excesso de tentativas. Tente novamente mais tarde.", until=until)
        self.until = until
