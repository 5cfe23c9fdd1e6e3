"""Templates: pt-BR defaults, variables replaced, unknown names kept and refused on save, HTML escaped, preview."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.communications import services as communications
from domain.communications import templates
from domain.communications.events import EventType
from domain.communications.model import OutboxEmail
from domain.errors import ValidationFailed
from persistence.queries import communications as queries
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account
from tests.support.communication_factories import invoice_due, local_today


def test_every_event_has_a_default_template_in_portuguese() -> None:
    assert set(templates.DEFAULT_TEMPLATES) == set(EventType)
    due_soon = templates.DEFAULT_TEMPLATES[EventType.INVOICE_DUE_SOON]
    assert due_soon.subject == "Lembrete: a fatura {{fatura}} vence em {{dias}} dia(s)"


def test_rendering_replaces_known_variables_and_leaves_the_rest_as_typed() -> None:
    rendered = templates.render(
        templates.Template("Fatura {{ fatura }} de {{nome}}", "Valor {{valor}} {{desconhecida}} {{__class__}}"),
        {"fatura": "INV-000009", "nome": "Ana", "valor": "R$ 10,00"},
    )
    assert rendered.subject == "Fatura INV-000009 de Ana"
    assert rendered.text == "Valor R$ 10,00 {{desconhecida}} {{__class__}}"


def test_html_escapes_values_and_the_template_while_text_keeps_them() -> None:
    rendered = templates.render(
        templates.Template("Olá {{nome}}", "Olá, {{nome}} <script>x</script>\nLink: {{link}}"),
        {"nome": 'Ana & <b>Bia</b> "ltda"', "link": "https://x.example/?a=1&b=2"},
    )
    assert rendered.text.startswith('Olá, Ana & <b>Bia</b> "ltda" <script>')
    assert "Ana &amp; &lt;b&gt;Bia&lt;/b&gt; &quot;ltda&quot; &lt;script&gt;x&lt;/script&gt;<br>" in rendered.html
    assert "https://x.example/?a=1&amp;b=2" in rendered.html and "<script>" not in rendered.html


def test_a_value_cannot_inject_a_header_through_the_subject() -> None:
    rendered = templates.render(templates.Template("Oi {{nome}}", "x"), {"nome": "Ana\r\nBcc: x@y.z"})
    assert rendered.subject == "Oi Ana Bcc: x@y.z"


def test_preview_uses_the_sample_customer() -> None:
    shown = templates.preview("Fatura {{fatura}}", "Olá, {{nome}}: {{valor}} até {{vencimento}}")
    assert shown.subject == "Fatura INV-000123"
    assert shown.text == "Olá, Padaria Pão Quente Ltda: R$ 1.234,56 até 10/12/2026"


def test_saved_templates_are_used_and_unknown_variables_are_refused(org, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed, match=r"\{\{total\}\}"):
        communications.save_template(SqlUnitOfWork(admin), event="invoice_created", subject="x", body="{{total}}")
    communications.save_template(
        SqlUnitOfWork(admin), event="invoice_created", subject="Nova fatura {{fatura}}",
        body="Prezado {{nome}}, valor {{valor}}.",
    )  # fmt: skip
    settings = queries.settings(admin)
    assert EventType.INVOICE_CREATED in settings.customized
    invoice_due(admin, make_account(org, name="Bar do Zé Ltda"), local_today() + timedelta(days=3))
    with SqlUnitOfWork(admin) as uow:
        (email,) = uow.session.query(OutboxEmail).all()
        uow.commit()
    assert email.subject == "Nova fatura INV-000001"
    assert email.body_text == "Prezado Bar do Zé Ltda, valor R$ 10.000,00."
    communications.restore_template(SqlUnitOfWork(admin), event="invoice_created")
    assert EventType.INVOICE_CREATED not in queries.settings(admin).customized
