"""Demo rows of the registry that the set-based seed does not write: custom field definitions and portal users in
each of their states, created through the use cases (so they are audited like any operator's work).

Call after persistence.seed.seed_demo / ensure_demo: `seed_registry(database_url, slug="demo")`. Running it again
changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from domain.access.permissions import Actor
from domain.base import utcnow
from domain.billing_accounts.model import AccountStatus, BillingAccount
from domain.customers import services as customers
from domain.errors import NotAuthenticated
from domain.portal_users import services as portal
from domain.portal_users.model import PortalUser
from persistence.unit_of_work import SqlUnitOfWork

CUSTOM_FIELDS = (
    ("centro_custo", "Centro de custo", "choice", ["Vendas", "Operações", "Tecnologia"], False),
    ("gerente_conta", "Gerente da conta", "text", [], False),
    ("limite_credito", "Limite de crédito (R$)", "number", [], False),
)
DEMO_PASSWORD = "portal-demo-2026"


def seed_registry(database_url: str, *, slug: str = "demo", portal_users: int = 24) -> int:
    """Custom fields and `portal_users` portal users (active, pending, suspended, locked); returns how many users."""
    with SqlUnitOfWork(Actor.system("seed"), database_url=database_url) as uow:
        org_id = uow.organizations.get_by_slug(slug).id
    actor, portal_actor = Actor.system("seed", org_id), Actor.system("portal", org_id)
    with SqlUnitOfWork(actor, database_url=database_url) as uow:
        if uow.session.scalar(select(func.count()).select_from(PortalUser)):
            return 0
        defined = {d.key for d in uow.customers.custom_field_definitions()}
        accounts = list(
            uow.session.execute(
                select(BillingAccount.id, BillingAccount.email)
                .where(
                    BillingAccount.status == AccountStatus.ACTIVE,
                    BillingAccount.deleted_at.is_(None),
                    BillingAccount.email.is_not(None),
                )
                .order_by(BillingAccount.created_at.desc())
                .limit(portal_users)
            )
        )
    for position, (key, label, kind, choices, required) in enumerate(CUSTOM_FIELDS):
        if key not in defined:
            customers.save_custom_field(
                SqlUnitOfWork(actor, database_url=database_url),
                key=key,
                label=label,
                field_type=kind,
                choices=choices,
                required=required,
                position=position,
            )
    now = utcnow()
    for n, (account_id, email) in enumerate(accounts):
        local, domain = email.split("@", 1)
        link = portal.invite_portal_user(
            SqlUnitOfWork(actor, database_url=database_url),
            billing_account_id=account_id,
            email=f"portal.{local}@{domain}",
            name=f"Contato {n + 1}",
            now=now - timedelta(days=3),
            magic_link=True,
            password=n % 2 == 0,
            sso=n % 5 == 0,
        )
        if n % 4 == 3:
            continue  # still pending: the invitation is waiting
        portal.accept_invitation(
            SqlUnitOfWork(portal_actor, database_url=database_url),
            token=link.token,
            password=DEMO_PASSWORD if n % 2 == 0 else None,
            now=now - timedelta(days=2),
        )
        if n % 8 == 1:
            portal.suspend_portal_user(
                SqlUnitOfWork(actor, database_url=database_url),
                portal_user_id=link.portal_user_id,
                reason="Demonstração",
                now=now,
            )
        elif n == 4:  # one locked user shows the state; each refusal costs an argon2 verification
            for _ in range(5):  # locked out after five wrong passwords
                try:
                    portal.sign_in_with_password(
                        SqlUnitOfWork(portal_actor, database_url=database_url),
                        billing_account_id=account_id,
                        email=f"portal.{local}@{domain}",
                        password="senha-errada-1",
                        now=now,
                    )
                except NotAuthenticated:  # the refusals are the point
                    pass
    return len(accounts)
