"""Organization scoping, enforced once for every ORM query and flush instead of remembered per query."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from domain.base import TenantScoped
from domain.organizations.model import Organization


class TenantViolation(RuntimeError):
    """A programming error: a row of one organization was about to be written from another's session."""


@event.listens_for(Session, "do_orm_execute")
def _scope_queries(state: ORMExecuteState) -> None:
    org_id = state.session.info.get("organization_id")
    if org_id is None:
        _require_system_session(state.session)
        return
    if state.execution_options.get("skip_tenant_scope"):
        return  # NOTE: used only by repositories for global uniqueness checks (operator logins)
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(
            with_loader_criteria(TenantScoped, lambda cls: cls.organization_id == org_id, include_aliases=True),
            with_loader_criteria(Organization, lambda cls: cls.id == org_id, include_aliases=True),
        )


@event.listens_for(Session, "before_flush")
def _stamp_and_check_rows(session: Session, _context: object, _instances: object) -> None:
    org_id = session.info.get("organization_id")
    if org_id is None:
        _require_system_session(session)
        return
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        if obj.organization_id is None:
            obj.organization_id = org_id
        elif obj.organization_id != org_id:
            raise TenantViolation(f"{type(obj).__name__} of another organization in this session")


def _require_system_session(session: Session) -> None:
    actor = session.info.get("actor")
    if actor is None or actor.kind != "system":
        raise TenantViolation("a session without an organization is only for system work")
