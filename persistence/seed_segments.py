"""Demo rows for Segmentos and Duplicados: three duplicate pairs (same e-mail, two branches of one CNPJ, a name typed
twice in one city) registered through the registry's own use case, and one shared view. Running it again adds
nothing (the pairs are recognized by their external ids).

NOTE: call `seed_segment_demo(database_url)` after persistence.seed.ensure_demo (the lead wires it into make run).
"""

from __future__ import annotations

from sqlalchemy import select

from domain.access.permissions import Actor
from domain.customers import services as customers
from domain.customers.model import Customer
from domain.documents.tax_ids import generate_cnpj
from domain.segments import services as segments
from domain.segments.model import SavedView, Visibility
from persistence.unit_of_work import SqlUnitOfWork

ADDRESS = {"kind": "billing", "cep": "01310-100", "street": "Av. Paulista", "number": "1000", "district": "Bela Vista",
           "city": "São Paulo", "uf": "SP", "ibge_code": "3550308"}  # fmt: skip
PAIRS = [
    ("Padaria Pão Quente", "Padaria Pao Quente Ltda", "compras@paoquente.com.br", "compras@paoquente.com.br", False),
    ("Atlântico Logística S.A.", "Atlântico Logística - Filial SP", "fiscal@atlantico.com.br",
     "filialsp@atlantico.com.br", True),
    ("Oficina Mecânica Souza", "Oficina Mecanica Souza", "contato@oficinasouza.com.br", "souza.oficina@gmail.com",
     False),
]  # fmt: skip
VIEW = {"version": 1, "op": "and", "children": [
    {"field": "uf", "cmp": "in", "value": ["SP", "RJ"]},
    {"op": "or", "children": [{"field": "tags", "cmp": "any", "value": ["vip"]},
                              {"field": "mrr", "cmp": "gte", "value": 99_900}]},
]}  # fmt: skip


def seed_segment_demo(database_url: str, slug: str = "demo") -> int:
    """Returns how many customers it registered (0 when the demo already has them)."""
    system = Actor.system("seed")
    with SqlUnitOfWork(system, database_url=database_url) as uow:
        org = uow.organizations.find_by_slug(slug)
        org_id = org.id if org is not None else None
    if org_id is None:
        return 0
    actor = Actor.system("demo", org_id)
    with SqlUnitOfWork(actor, database_url=database_url) as uow:
        if uow.session.scalar(select(Customer.id).where(Customer.external_id == "DUP-0-A")) is not None:
            return 0
    made = 0
    for n, (older, newer, older_email, newer_email, branch) in enumerate(PAIRS):
        for suffix, name, email, seed in (("A", older, older_email, 1), ("B", newer, newer_email, 2 if branch else 3)):
            document = generate_cnpj(90_000_000 + n * 10 + (0 if branch else seed), branch=seed if branch else 1)
            customers.create_customer(SqlUnitOfWork(actor, database_url=database_url), values={
                "kind": "juridical", "document_number": document, "name": name, "external_id": f"DUP-{n}-{suffix}",
                "emails": [{"kind": "billing", "address": email}], "addresses": [ADDRESS],
            }, accounts=[{"name": "Matriz"}])  # fmt: skip
            made += 1
    with SqlUnitOfWork(actor, database_url=database_url) as uow:
        has_view = uow.session.scalar(select(SavedView.id).where(SavedView.name == "Sudeste: VIP ou MRR alto"))
    if has_view is None:
        segments.create_saved_view(SqlUnitOfWork(actor, database_url=database_url), name="Sudeste: VIP ou MRR alto",
                                   tree=VIEW, visibility=Visibility.SHARED,
                                   columns=["name", "uf", "city", "mrr_cents", "balance_cents", "tags"],
                                   sort={"key": "mrr", "descending": True})  # fmt: skip
    return made
