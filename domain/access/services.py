"""Use cases of sign-in, operators and roles."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from domain.access import passwords
from domain.access.errors import (
    AccountLocked,
    EmailInUse,
    InvalidCredentials,
    InvalidTotp,
    LastAdmin,
    OperatorInactive,
    TotpRequired,
    UnknownRole,
)  # fmt: skip
from domain.access.model import Operator, Role
from domain.access.permissions import Actor, Permission
from domain.errors import ValidationFailed
from domain.ports import UnitOfWork


def authenticate(
    uow: UnitOfWork, *, email: str, password: str, totp_code: str | None, now: datetime,
    max_attempts: int = 5, lockout_minutes: int = 15,
) -> Actor:  # fmt: skip
    """Sign an operator in; consecutive failures lock the login for a while, and every attempt is audited."""
    with uow:
        operator = uow.operators.find_by_email(email)
        if operator is None:
            passwords.verify_password(None, password)  # same cost as a real check: no user enumeration by timing
            raise InvalidCredentials()
        if operator.is_locked(now):
            raise AccountLocked(operator.locked_until)  # type: ignore[arg-type]
        if not passwords.verify_password(operator.password_hash, password):
            _fail(uow, operator, now, max_attempts, lockout_minutes)
        if not operator.is_active:
            raise OperatorInactive()
        if operator.totp_enabled:
            if not totp_code:
                raise TotpRequired()
            if not passwords.verify_totp(operator.totp_secret, totp_code):
                _fail(uow, operator, now, max_attempts, lockout_minutes, error=InvalidTotp())
        operator.register_successful_login(now)
        uow.describe("operator.signed_in")
        uow.commit()
        return operator.actor()


def _fail(
    uow: UnitOfWork, operator: Operator, now: datetime, max_attempts: int, lockout_minutes: int,
    error: Exception | None = None,
) -> None:  # fmt: skip
    operator.register_failed_login(now, max_attempts=max_attempts, lockout=timedelta(minutes=lockout_minutes))
    uow.describe("operator.sign_in_failed" if operator.locked_until is None else "operator.locked")
    uow.commit()
    if operator.locked_until is not None:
        raise AccountLocked(operator.locked_until)
    raise error or InvalidCredentials()


def load_actor(uow: UnitOfWork, *, operator_id: uuid.UUID) -> Actor | None:
    """The actor behind a session cookie, or None when the operator was deactivated meanwhile."""
    with uow:
        operator = uow.find(Operator, operator_id)
        if operator is None or not operator.is_active:
            return None
        return operator.actor()


def create_operator(uow: UnitOfWork, *, email: str, name: str, role_name: str, password: str) -> Operator:
    """An admin adds a finance staff member with a role; the e-mail is their login and unique."""
    with uow:
        uow.actor.require(Permission.OPERATORS_ADMIN)
        email = _clean_email(email)
        if not name.strip():
            raise ValidationFailed("Informe o nome do operador.", field="name")
        if uow.operators.email_taken(email):
            raise EmailInUse(email)
        role = _role(uow, role_name)
        operator = Operator(
            organization_id=uow.actor.organization_id, email=email, name=name.strip(), role_id=role.id, role=role,
            password_hash=passwords.hash_password(password),
        )  # fmt: skip
        uow.add(operator)
        uow.describe("operator.created")
        uow.commit()
        return operator


def update_operator(
    uow: UnitOfWork, *, operator_id: uuid.UUID, name: str, role_name: str, is_active: bool,
) -> Operator:  # fmt: skip
    """Change an operator's name, role or access; the organization always keeps one active admin."""
    with uow:
        uow.actor.require(Permission.OPERATORS_ADMIN)
        operator = uow.get(Operator, operator_id, label="Operador")
        role = _role(uow, role_name)
        was_admin = operator.role.name == "admin" and operator.is_active
        operator.name, operator.role_id, operator.role, operator.is_active = name.strip(), role.id, role, is_active
        if was_admin and not (role.name == "admin" and is_active):
            uow.flush()
            if not any(op.role.name == "admin" and op.is_active for op in uow.operators.list()):
                raise LastAdmin()
        uow.describe("operator.updated")
        uow.commit()
        return operator


def unlock_operator(uow: UnitOfWork, *, operator_id: uuid.UUID) -> None:
    """An admin lifts a lockout before it expires."""
    with uow:
        uow.actor.require(Permission.OPERATORS_ADMIN)
        uow.get(Operator, operator_id, label="Operador").unlock()
        uow.describe("operator.unlocked")
        uow.commit()


def set_password(uow: UnitOfWork, *, operator_id: uuid.UUID, password: str) -> None:
    """An admin resets a password, or operators change their own."""
    with uow:
        if uow.actor.id != operator_id:
            uow.actor.require(Permission.OPERATORS_ADMIN)
        operator = uow.get(Operator, operator_id, label="Operador")
        operator.password_hash = passwords.hash_password(password)
        operator.unlock()
        uow.describe("operator.password_changed")
        uow.commit()


def enable_totp(uow: UnitOfWork, *, operator_id: uuid.UUID, secret: str, code: str) -> None:
    """Operators turn on 2FA for themselves by proving their authenticator shows the right code."""
    with uow:
        if uow.actor.id != operator_id:
            uow.actor.require(Permission.OPERATORS_ADMIN)
        if not passwords.verify_totp(secret, code):
            raise InvalidTotp()
        operator = uow.get(Operator, operator_id, label="Operador")
        operator.totp_secret, operator.totp_enabled = secret, True
        uow.describe("operator.totp_enabled")
        uow.commit()


def disable_totp(uow: UnitOfWork, *, operator_id: uuid.UUID) -> None:
    with uow:
        if uow.actor.id != operator_id:
            uow.actor.require(Permission.OPERATORS_ADMIN)
        operator = uow.get(Operator, operator_id, label="Operador")
        operator.totp_secret, operator.totp_enabled = None, False
        uow.describe("operator.totp_disabled")
        uow.commit()


def save_role(
    uow: UnitOfWork, *, name: str, label: str, permissions: list[str], role_id: uuid.UUID | None = None,
) -> Role:  # fmt: skip
    """Create a custom role or change which permissions one grants; built-in roles keep their permissions."""
    with uow:
        uow.actor.require(Permission.OPERATORS_ADMIN)
        known = {p.value for p in Permission}
        unknown = sorted(set(permissions) - known)
        if unknown:
            raise ValidationFailed(f"Permissões desconhecidas: {', '.join(unknown)}.", field="permissions")
        if role_id is None:
            if not name.strip() or uow.roles.find_by_name(name.strip()):
                raise ValidationFailed("Informe um nome de papel novo.", field="name")
            role = Role(organization_id=uow.actor.organization_id, name=name.strip(), label=label, is_builtin=False)
            uow.add(role)
        else:
            role = uow.get(Role, role_id, label="Papel")
            if role.is_builtin:
                raise ValidationFailed("Papéis padrão não podem ser alterados; crie um novo papel.", field="name")
        role.label, role.permissions = label.strip() or role.name, sorted(set(permissions))
        uow.describe("role.saved")
        uow.commit()
        return role


def _role(uow: UnitOfWork, name: str) -> Role:
    role = uow.roles.find_by_name(name)
    if role is None:
        raise UnknownRole(name)
    return role


def _clean_email(email: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        message = "E-mail inválido: verifique o endereço (ex.: nome@empresa.com.br)."
        raise ValidationFailed(message, field="email") from error
