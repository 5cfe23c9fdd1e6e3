"""Cliente › Auditoria: every change to the customer, its accounts and portal users, newest first, with who did it,
what changed and the reason given (one indexed lookup by the audit root, keyset-paged)."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from typing import Any

from nicegui import run, ui

from domain.access.permissions import Actor
from persistence.queries import audit as audit_queries
from persistence.queries.audit import AuditFilter, AuditRow
from ui.components.formats import moment

ACTIONS = {
    "customer.created": ("Cliente cadastrado", "person_add"), "customer.updated": ("Dados alterados", "edit"),
    "customer.suspended": ("Cliente suspenso", "pause_circle"), "customer.churned": ("Churn registrado", "logout"),
    "customer.reactivated": ("Cliente reativado", "play_circle"), "customer.deleted": ("Cliente excluído", "delete"),
    "customer.vat_override_set": ("VAT definido manualmente", "fact_check"),
    "customer.vat_override_cleared": ("Definição manual de VAT removida", "fact_check"),
    "billing_account.created": ("Conta criada", "account_balance_wallet"),
    "billing_account.updated": ("Conta alterada", "edit"), "billing_account.suspended": ("Conta suspensa", "pause"),
    "billing_account.reactivated": ("Conta reativada", "play_arrow"),
    "billing_account.closed": ("Conta encerrada", "lock"), "billing_account.deleted": ("Conta excluída", "delete"),
    "portal_user.invited": ("Usuário do portal convidado", "person_add"),
    "portal_user.invitation_resent": ("Convite reenviado", "forward_to_inbox"),
    "portal_user.invitation_accepted": ("Convite aceito", "how_to_reg"),
    "portal_user.suspended": ("Usuário do portal suspenso", "pause"),
    "portal_user.reactivated": ("Usuário do portal reativado", "play_arrow"),
    "portal_user.disabled": ("Usuário do portal desativado", "person_off"),
    "portal_user.unlocked": ("Usuário do portal desbloqueado", "lock_open"),
    "portal_user.password_reset_sent": ("Redefinição de senha enviada", "password"),
    "portal_user.password_reset": ("Senha redefinida", "password"),
    "portal_user.sign_in_failed": ("Falha de acesso ao portal", "gpp_maybe"),
    "portal_user.locked": ("Acesso ao portal bloqueado", "lock"),
    "portal_user.signed_in": ("Acesso ao portal", "login"),
    "portal_user.totp_enabled": ("2FA ativado pelo usuário do portal", "phonelink_lock"),
    "portal_user.totp_reset": ("2FA do usuário do portal desativado", "phonelink_erase"),
    "portal_user.email_changed": ("E-mail do usuário do portal alterado", "alternate_email"),
    "portal_user.email_verified": ("E-mail do usuário do portal confirmado", "mark_email_read"),
    "portal_user.methods_changed": ("Formas de acesso alteradas", "key"),
    "portal_user.magic_link_sent": ("Link de acesso enviado", "link"),
    # Other areas write on the customer's timeline too (merges, LGPD, bulk actions over segments).
    "customer.merged": ("Recebeu outro cadastro (mesclagem)", "merge"),
    "customer.merged_into": ("Mesclado em outro cliente", "merge"),
    "lgpd.erasure_requested": ("Eliminação LGPD solicitada", "privacy_tip"),
    "lgpd.erasure_confirmed": ("Eliminação LGPD confirmada", "privacy_tip"),
    "lgpd.erasure_cancelled": ("Eliminação LGPD cancelada", "privacy_tip"),
    "lgpd.erasure_refused": ("Eliminação LGPD recusada", "privacy_tip"),
    "lgpd.erasure_executed": ("Dados pessoais anonimizados (LGPD)", "privacy_tip"),
    "lgpd.export_requested": ("Exportação LGPD solicitada", "download"),
    "lgpd.export_generated": ("Exportação LGPD gerada", "download"),
    "lgpd.export_downloaded": ("Exportação LGPD baixada", "download"),
    "customer.tag_added": ("Etiqueta adicionada (ação em lote)", "sell"),
    "customer.tag_removed": ("Etiqueta removida (ação em lote)", "sell"),
    "segment.bulk_requested": ("Ação em lote solicitada", "playlist_add_check"),
    "invoice.created": ("Fatura criada", "receipt_long"), "invoice.draft_updated": ("Rascunho alterado", "edit"),
    "invoice.lines_changed": ("Itens da fatura alterados", "list"),
    "invoice.draft_deleted": ("Rascunho excluído", "delete"), "invoice.finalized": ("Fatura emitida", "task_alt"),
    "invoice.voided": ("Fatura cancelada", "block"), "invoice.written_off": ("Fatura incobrável", "money_off"),
    "payment.recorded": ("Pagamento registrado", "payments"), "payment.refunded": ("Pagamento estornado", "undo"),
    "invoice.lines_added": ("Itens adicionados à fatura", "playlist_add"),
    "billing_account.overdue_written_off": ("Faturas vencidas marcadas incobráveis", "money_off"),
    "subscription.created": ("Assinatura criada", "autorenew"), "subscription.changed": ("Assinatura alterada", "tune"),
    "subscription.canceled": ("Assinatura cancelada", "cancel"),
    "billing_run.batch": ("Faturamento de assinaturas", "event_repeat"),
    "communications.reminders_sent": ("Lembretes da régua enviados", "schedule_send"),
    "communications.invoices_announced": ("Faturas comunicadas ao cliente", "forward_to_inbox"),
    # Screens other than the customer's read these too (the Painel's recent activity, Auditoria).
    "operator.signed_in": ("Acesso da equipe", "login"), "operator.sign_in_failed": ("Falha de acesso", "gpp_maybe"),
    "plan.created": ("Plano criado", "sell"), "plan.updated": ("Plano alterado", "sell"),
    "api_key.created": ("Chave de API criada", "key"), "api_key.revoked": ("Chave de API revogada", "key_off"),
    "webhook_endpoint.created": ("Webhook criado", "webhook"),
    "webhook_endpoint.updated": ("Webhook alterado", "webhook"),
    "import.finished": ("Importação concluída", "upload_file"), "demo.seeded": ("Dados de demonstração", "science"),
}  # fmt: skip
ENTITIES = {"customer": "cliente", "billing_account": "conta", "portal_user": "usuário do portal",
            "invoice": "fatura", "payment": "pagamento", "background_job": "tarefa"}  # fmt: skip
FIELDS = {"status": "situação", "name": "nome", "email": "e-mail", "suspended_at": "suspensa em",
          "suspension_reason": "motivo", "closed_at": "encerrada em", "deleted_at": "excluída em",
          "billing_address": "endereço", "tax_id": "documento", "document_number": "documento",
          "failed_login_attempts": "tentativas falhas", "locked_until": "bloqueado até",
          "last_login_at": "último acesso", "payment_terms_days": "prazo",
          "payment_method": "forma de pagamento"}  # fmt: skip
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# Quasar's timeline is spacious; an audit trail is read in bulk.
_DENSE_CSS = """
.audit-timeline .q-timeline__title { font-size: 0.95rem; line-height: 1.3rem; margin: 0; font-weight: 600; }
.audit-timeline .q-timeline__subtitle { margin-bottom: 2px; }
.audit-timeline .q-timeline__content { padding-bottom: 10px; }
"""


async def build(actor: Actor, customer_id: uuid.UUID) -> None:
    state: dict[str, str | None] = {"cursor": None}
    ui.add_css(_DENSE_CSS)
    timeline = ui.timeline(side="right", layout="dense").classes("w-full max-w-5xl audit-timeline")
    timeline.props("data-testid=audit-timeline")
    more = ui.button("Carregar mais", icon="expand_more").props("flat dense")
    empty = ui.label("Nenhuma alteração registrada para este cliente.").classes("text-sm text-slate-500")

    async def load() -> None:
        filters = AuditFilter(root_id=str(customer_id))
        page = await run.io_bound(audit_queries.list_events, actor, filters, cursor=state["cursor"], limit=30)
        with timeline:
            for event in page.rows:
                _entry(event)
        state["cursor"] = page.next_cursor
        more.set_visibility(page.next_cursor is not None)
        empty.set_visibility(not page.rows and not timeline.default_slot.children)

    more.on_click(load)
    await load()


def _entry(event: AuditRow) -> None:
    label, icon = ACTIONS.get(event.action, (event.action, "history"))
    who = event.actor_name if event.actor_kind == "operator" else f"{event.actor_name} ({event.actor_kind})"
    entity = ENTITIES.get(event.entity_type, event.entity_type)
    named = event.changes.get("name")  # present on creation and on renames
    name = (named[1] or named[0]) if named else None
    with ui.timeline_entry(title=label, subtitle=f"{moment(event.occurred_at)} · {who}", icon=icon) as entry:
        entry.props(f"data-testid=audit-{event.action}")
        ui.label(f"{entity}{f' “{name}”' if name else ''}: {_summary(event.changes)}").classes(
            "text-xs text-slate-600 break-all"
        )
        if event.reason:
            ui.label(f"Motivo: {event.reason}").classes("text-sm text-slate-800 font-medium")


def _summary(changes: dict[str, Any]) -> str:
    """The fields that changed, without ids (the entity is named above) and with dates as people read them."""
    shown = {k: v for k, v in changes.items() if not k.endswith("_id") and k != "search_name"}
    parts = []
    for key, change in list(shown.items())[:6]:
        label = FIELDS.get(key, key)
        if not (isinstance(change, list) and len(change) == 2):  # set-based events (record_event) carry plain values
            parts.append(f"{label}: {_short(change)}")
        elif change[0] is None:
            parts.append(f"{label}: {_short(change[1])}")
        else:
            parts.append(f"{label}: {_short(change[0])} → {_short(change[1])}")
    extra = len(shown) - 6
    return "; ".join(parts) + (f" (+{extra})" if extra > 0 else "")


def _short(value: object) -> str:
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        return moment(datetime.fromisoformat(value))
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 48 else text[:45] + "…"
