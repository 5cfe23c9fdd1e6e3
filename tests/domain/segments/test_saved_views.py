"""Saved views: private to their owner or shared with the team; shared ones change only with SEGMENTS_SHARE."""

from __future__ import annotations

import pytest

from domain.errors import NotFound, PermissionDenied, ValidationFailed
from domain.segments import services
from domain.segments.builtins import builtin_views
from domain.segments.errors import BuiltinViewReadOnly, InvalidSegment, SharedViewNeedsPermission, ViewNameInUse
from domain.segments.model import Visibility
from domain.segments.tree import TREE_VERSION, validate_tree
from persistence.queries.saved_views import list_views, open_view
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.factories import make_operator

SP_VIP = {"version": 1, "op": "and", "children": [
    {"field": "uf", "cmp": "in", "value": ["SP"]},
    {"op": "or", "children": [{"field": "tags", "cmp": "any", "value": ["VIP "]}, {"field": "mrr", "cmp": "gte",
                                                                                     "value": 100_000}]},
]}  # fmt: skip


@pytest.fixture
def people(org):  # type: ignore[no-untyped-def]
    return {role: make_operator(org, role) for role in ("finance_manager", "finance_operator", "auditor")}


def save(actor, name="SP VIP", visibility=Visibility.PRIVATE, **kw):  # type: ignore[no-untyped-def]
    return services.create_saved_view(SqlUnitOfWork(actor), name=name, tree=SP_VIP, visibility=visibility,
                                      columns=kw.pop("columns", ["name", "uf", "mrr_cents"]),
                                      sort=kw.pop("sort", {"key": "mrr", "descending": True}), **kw)  # fmt: skip


def test_opening_a_view_reproduces_exactly_what_was_saved(people) -> None:  # type: ignore[no-untyped-def]
    manager = people["finance_manager"]
    view = save(manager)
    opened = open_view(manager, view.id)
    assert opened.tree == validate_tree(SP_VIP)
    assert opened.tree["children"][1]["children"][0]["value"] == ["vip"]  # stored normalized, as the registry does
    assert (opened.columns, opened.sort) == (["name", "uf", "mrr_cents"], {"key": "mrr", "descending": True})


def test_a_private_view_is_seen_only_by_its_owner_and_a_shared_one_by_everyone(people) -> None:  # type: ignore[no-untyped-def]
    manager, operator = people["finance_manager"], people["finance_operator"]
    mine = save(manager, "Minha visão")
    shared = save(manager, "Da equipe", visibility=Visibility.SHARED)
    names_for_operator = [v.name for v in list_views(operator)]
    assert "Da equipe" in names_for_operator and "Minha visão" not in names_for_operator
    assert names_for_operator[:4] == [v.name for v in builtin_views()]  # built-ins first
    with pytest.raises(NotFound):
        open_view(operator, mine.id)
    assert open_view(operator, shared.id).name == "Da equipe"


def test_saving_or_editing_a_shared_view_needs_the_share_permission(people) -> None:  # type: ignore[no-untyped-def]
    manager, operator = people["finance_manager"], people["finance_operator"]
    with pytest.raises(PermissionDenied):
        save(operator, visibility=Visibility.SHARED)
    shared = save(manager, visibility=Visibility.SHARED)
    with pytest.raises(SharedViewNeedsPermission):
        services.update_saved_view(SqlUnitOfWork(operator), view_id=shared.id, name="Outro nome")
    updated = services.update_saved_view(SqlUnitOfWork(manager), view_id=shared.id, name="SP VIP (revisada)")
    assert open_view(operator, shared.id).name == updated.name == "SP VIP (revisada)"
    own = save(operator, "Só minha")
    services.update_saved_view(SqlUnitOfWork(operator), view_id=own.id, columns=["name"])
    assert open_view(operator, own.id).columns == ["name"]


def test_sharing_and_unsharing_a_view(people) -> None:  # type: ignore[no-untyped-def]
    manager, operator = people["finance_manager"], people["finance_operator"]
    view = save(manager)
    services.share_saved_view(SqlUnitOfWork(manager), view_id=view.id, visibility=Visibility.SHARED)
    assert open_view(operator, view.id).visibility is Visibility.SHARED
    services.share_saved_view(SqlUnitOfWork(manager), view_id=view.id, visibility=Visibility.PRIVATE)
    with pytest.raises(NotFound):
        open_view(operator, view.id)


def test_built_in_views_open_but_never_change(people) -> None:  # type: ignore[no-untyped-def]
    manager = people["finance_manager"]
    high_value = builtin_views()[0]
    assert open_view(people["auditor"], high_value.id).name == "Alto valor"
    with pytest.raises(BuiltinViewReadOnly):
        services.delete_saved_view(SqlUnitOfWork(manager), view_id=high_value.id)
    with pytest.raises(ViewNameInUse):
        save(manager, "alto valor")


def test_names_are_unique_among_the_views_an_operator_sees_and_a_view_needs_a_valid_filter(people) -> None:  # type: ignore[no-untyped-def]
    manager = people["finance_manager"]
    save(manager, "Carteira SP")
    with pytest.raises(ViewNameInUse):
        save(manager, "carteira sp")
    with pytest.raises(ValidationFailed):
        save(manager, "Colunas", columns=["nome_inexistente"])
    with pytest.raises(InvalidSegment):
        services.create_saved_view(SqlUnitOfWork(manager), name="Quebrada", tree={"version": 1, "op": "xor"})


def test_deleting_a_view(people) -> None:  # type: ignore[no-untyped-def]
    manager = people["finance_manager"]
    view = save(manager)
    services.delete_saved_view(SqlUnitOfWork(manager), view_id=view.id)
    with pytest.raises(NotFound):
        open_view(manager, view.id)


def test_the_tree_is_versioned_a_newer_version_is_refused_and_an_old_field_name_still_opens(monkeypatch) -> None:
    from domain.segments import tree as tree_module

    with pytest.raises(InvalidSegment) as refused:
        validate_tree({**SP_VIP, "version": TREE_VERSION + 1})
    assert "versão mais nova" in refused.value.message
    with pytest.raises(InvalidSegment, match="não existe"):
        validate_tree({"version": 1, "op": "and", "children": [{"field": "estado", "cmp": "eq", "value": "SP"}]})
    # A later release renames "uf" to "estado": views saved before keep working through the alias table.
    monkeypatch.setitem(tree_module.FIELD_ALIASES, "estado", "uf")
    upgraded = validate_tree({"version": 1, "op": "and", "children": [{"field": "estado", "cmp": "eq", "value": "SP"}]})
    assert upgraded["children"] == [{"field": "uf", "cmp": "eq", "value": "SP"}]
