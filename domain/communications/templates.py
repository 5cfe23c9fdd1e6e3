"""Message templates: pt-BR defaults per event, the organization's own versions, and a tiny safe {{variable}} renderer.

Only names from `VARIABLES` are replaced; anything else between braces stays as typed, so a template can never run
code or read attributes. The HTML version escapes every value (a customer named `<b>` stays text)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from domain.communications.events import EventType
from domain.errors import ValidationFailed

VARIABLES = {
    "nome": "Nome do cliente",
    "conta": "Conta de faturamento",
    "fatura": "Número da fatura",
    "valor": "Valor em aberto (R$ 1.234,56)",
    "vencimento": "Vencimento (dd/mm/aaaa)",
    "dias": "Dias até o vencimento ou de atraso",
    "link": "Link da fatura",
    "empresa": "Nome da sua empresa",
    "motivo": "Motivo (suspensão)",
}
SAMPLE_VARIABLES = {
    "nome": "Padaria Pão Quente Ltda",
    "conta": "Padaria Pão Quente — Matriz",
    "fatura": "INV-000123",
    "valor": "R$ 1.234,56",
    "vencimento": "10/12/2026",
    "dias": "3",
    "link": "https://fatura.example.com.br/faturas/exemplo",
    "empresa": "Acme Serviços Ltda",
    "motivo": "Fatura INV-000123 vencida há 15 dias",
}
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
MAX_SUBJECT = 200
MAX_BODY = 10_000


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


DEFAULT_TEMPLATES: dict[EventType, Template] = {
    EventType.INVOICE_CREATED: Template(
        "{{empresa}}: fatura {{fatura}} emitida",
        "Olá, {{nome}}.\n\nSua fatura {{fatura}} de {{valor}} foi emitida e vence em {{vencimento}}.\n"
        "Acesse: {{link}}\n\nAtenciosamente,\n{{empresa}}",
    ),
    EventType.INVOICE_DUE_SOON: Template(
        "Lembrete: a fatura {{fatura}} vence em {{dias}} dia(s)",
        "Olá, {{nome}}.\n\nLembramos que a fatura {{fatura}}, de {{valor}}, vence em {{vencimento}}.\n"
        "Para pagar ou baixar o boleto: {{link}}\n\nSe já pagou, desconsidere esta mensagem.\n{{empresa}}",
    ),
    EventType.INVOICE_DUE_TODAY: Template(
        "A fatura {{fatura}} vence hoje",
        "Olá, {{nome}}.\n\nA fatura {{fatura}}, de {{valor}}, vence hoje ({{vencimento}}).\n"
        "Pague por aqui: {{link}}\n\n{{empresa}}",
    ),
    EventType.INVOICE_OVERDUE: Template(
        "Fatura {{fatura}} vencida há {{dias}} dia(s)",
        "Olá, {{nome}}.\n\nNão identificamos o pagamento da fatura {{fatura}}, de {{valor}}, vencida em "
        "{{vencimento}}.\nRegularize para evitar a suspensão da conta {{conta}}: {{link}}\n\n"
        "Se já pagou, desconsidere esta mensagem.\n{{empresa}}",
    ),
    EventType.PAYMENT_RECEIVED: Template(
        "Pagamento recebido: fatura {{fatura}}",
        "Olá, {{nome}}.\n\nRecebemos o pagamento de {{valor}} referente à fatura {{fatura}}. Obrigado!\n\n{{empresa}}",
    ),
    EventType.PAYMENT_FAILED: Template(
        "Não conseguimos processar o pagamento da fatura {{fatura}}",
        "Olá, {{nome}}.\n\nO pagamento de {{valor}} da fatura {{fatura}} não foi aprovado.\n"
        "Tente novamente: {{link}}\n\n{{empresa}}",
    ),
    EventType.TRIAL_ENDING: Template(
        "Seu período de teste termina em {{dias}} dia(s)",
        "Olá, {{nome}}.\n\nSeu período de teste termina em {{vencimento}}. Cadastre uma forma de pagamento para "
        "continuar usando o serviço.\n\n{{empresa}}",
    ),
    EventType.ACCOUNT_SUSPENDED: Template(
        "Conta {{conta}} suspensa",
        "Olá, {{nome}}.\n\nA conta {{conta}} foi suspensa. Motivo: {{motivo}}.\n"
        "Regularize as faturas em aberto para reativá-la: {{link}}\n\n{{empresa}}",
    ),
    EventType.ACCOUNT_REACTIVATED: Template(
        "Conta {{conta}} reativada",
        "Olá, {{nome}}.\n\nA conta {{conta}} foi reativada. Obrigado!\n\n{{empresa}}",
    ),
}


def template_for(preferences: dict[str, Any] | None, event: EventType) -> Template:
    """The organization's version of the event's template, or the default."""
    own = ((preferences or {}).get("message_templates") or {}).get(str(event))
    if own and own.get("subject") is not None and own.get("body") is not None:
        return Template(own["subject"], own["body"])
    return DEFAULT_TEMPLATES[event]


def validated(subject: str, body: str) -> Template:
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise ValidationFailed("Informe o assunto.", field="subject")
    if not body:
        raise ValidationFailed("Informe o texto da mensagem.", field="body")
    if len(subject) > MAX_SUBJECT or "\n" in subject:
        raise ValidationFailed(f"O assunto tem uma linha de até {MAX_SUBJECT} caracteres.", field="subject")
    if len(body) > MAX_BODY:
        raise ValidationFailed(f"A mensagem tem no máximo {MAX_BODY} caracteres.", field="body")
    unknown = sorted({name for name in _PLACEHOLDER.findall(subject + body) if name not in VARIABLES})
    if unknown:
        names = ", ".join("{{" + n + "}}" for n in unknown)
        raise ValidationFailed(f"Variáveis desconhecidas: {names}.", field="body")
    return Template(subject, body)


def render_text(text: str, variables: dict[str, Any], *, escape: bool = False) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in VARIABLES:
            return match.group(0)
        found = "" if variables.get(name) is None else str(variables[name])
        return html.escape(found) if escape else found

    return _PLACEHOLDER.sub(value, text)


def render(template: Template, variables: dict[str, Any]) -> Rendered:
    """Subject and text with the values in place; the HTML escapes the template and the values, then links lines."""
    subject = " ".join(render_text(template.subject, variables).split())  # no header injection through a value
    text = render_text(template.body, variables)
    body_html = render_text(html.escape(template.body, quote=False), variables, escape=True).replace("\n", "<br>\n")
    return Rendered(subject, text, f'<div style="font-family: sans-serif; font-size: 14px">{body_html}</div>')


def preview(subject: str, body: str, variables: dict[str, Any] | None = None) -> Rendered:
    """What the editor shows as the operator types: the sample customer unless real values are given."""
    return render(Template(subject or "", body or ""), {**SAMPLE_VARIABLES, **(variables or {})})
