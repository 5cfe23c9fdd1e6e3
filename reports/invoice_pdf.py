"""Invoice PDFs: WeasyPrint with the Jinja template in assets/, pt-BR formats, stored per organization and revision.

The template and stylesheet are parsed once per process (warm renders reuse them). A finalized invoice is printed
with the parties frozen at finalization (`Invoice.snapshot`); a draft shows the current registry data and a watermark.
"""

from __future__ import annotations

import base64
import mimetypes
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from config import ROOT
from domain.access.permissions import Actor
from domain.documents.tax_ids import mask_document
from domain.files.model import StoredFile
from domain.invoices.model import STATUSES, InvoiceStatus, LineSource
from domain.organizations.model import TAX_REGIME_LABELS, TaxRegime
from domain.payments.model import PAYMENT_METHOD_LABELS, PaymentKind
from domain.taxes.rules import CSRF_RULES, INSS_RULES, IRRF_RULES, IrrfCategory, Tax, find_rule, rate_text
from persistence import files
from persistence.queries import files as file_queries
from persistence.queries import invoices as invoice_queries
from persistence.queries.invoices import InvoiceDetail
from persistence.unit_of_work import SqlUnitOfWork
from reports.formats import DEFAULT_TZ, day, moment, money, number

ASSETS = ROOT / "assets"
CSS_PATH = ASSETS / "css" / "invoice.css"
DEFAULT_COLOR = "#1f4e79"
PDF = "application/pdf"
STAMPS = {"paid": "PAGA", "void": "CANCELADA", "uncollectible": "INCOBRÁVEL", "draft": "RASCUNHO"}
ACCOUNT_METHODS = {"boleto": "Boleto", "pix": "PIX", "card": "Cartão", "transfer": "Transferência"}
_lock = threading.Lock()


def render_invoice_pdf(detail: InvoiceDetail) -> bytes:
    """The PDF bytes of one invoice, as the customer receives it."""
    html = invoice_html(detail)
    from weasyprint import HTML  # NOTE: imported here so that the domain and the UI start without WeasyPrint

    stylesheet, fonts = _stylesheet(brand_color(detail))
    return HTML(string=html, base_url=str(ASSETS)).write_pdf(stylesheets=[stylesheet], font_config=fonts)


def brand_color(detail: InvoiceDetail) -> str:
    return _color((detail.organization.branding or {}).get("primary_color"))


def stylesheet_text(color: str) -> str:
    """The invoice stylesheet in the organization's colours."""
    return _css_source().replace("var(--brand-soft)", _soft(color)).replace("var(--brand)", color)


def invoice_html(detail: InvoiceDetail) -> str:
    return _template().render(doc=invoice_document(detail))


def pdf_filename(detail: InvoiceDetail) -> str:
    invoice = detail.invoice
    return f"fatura-{invoice.number or 'rascunho-' + str(invoice.id)[-8:]}.pdf"


def render_and_store(actor: Actor, invoice_id: uuid.UUID) -> StoredFile | None:
    """Render the current revision of a finalized invoice and keep it; running it twice keeps one file. Drafts are
    previews and are not stored (returns None)."""
    detail = invoice_queries.invoice_detail(actor, invoice_id)
    invoice = detail.invoice
    if invoice.status is InvoiceStatus.DRAFT:
        return None
    existing = file_queries.invoice_pdf(actor, invoice.id, invoice.revision)
    if existing is not None and files.path_of(existing).exists():
        return existing
    data = render_invoice_pdf(detail)
    with SqlUnitOfWork(actor) as uow:
        stored = files.save_bytes(
            uow,
            organization_id=invoice.organization_id,
            kind="invoice_pdf",
            filename=pdf_filename(detail),
            content_type=PDF,
            data=data,
            invoice_id=invoice.id,
            invoice_revision=invoice.revision,
        )
        uow.commit()
        return stored


def invoice_pdf_bytes(actor: Actor, invoice_id: uuid.UUID) -> tuple[str, bytes]:
    """For a download: the stored PDF of the current revision, rendering (and storing) it when missing."""
    detail = invoice_queries.invoice_detail(actor, invoice_id)
    if detail.invoice.status is InvoiceStatus.DRAFT:
        return pdf_filename(detail), render_invoice_pdf(detail)
    stored = render_and_store(actor, invoice_id)
    assert stored is not None
    return stored.filename, files.path_of(stored).read_bytes()


@dataclass
class Party:
    name: str = ""
    legal_name: str | None = None
    document: str | None = None
    document_label: str = "CNPJ"
    email: str | None = None
    address_lines: list[str] = field(default_factory=list)


def invoice_document(detail: InvoiceDetail) -> dict[str, Any]:
    """Everything the template prints, already formatted in pt-BR."""
    invoice, org = detail.invoice, detail.organization
    snapshot = invoice.snapshot or {}
    branding = org.branding or {}
    issuer = snapshot.get("issuer") or {
        "legal_name": org.legal_name,
        "trade_name": org.trade_name,
        "cnpj": org.cnpj,
        "municipal_registration": org.municipal_registration,
        "tax_regime": str(org.tax_regime),
    }
    name = issuer.get("trade_name") or issuer["legal_name"]
    cur = invoice.currency
    items = []
    for line in invoice.lines:
        if line.source is not LineSource.MANUAL:
            continue
        detail_bits = [  # (text, keep on one line)
            (f"Serviço {line.service_code} — {line.service_description}", False) if line.service_code else None,
            (f"Período {day(line.period_start)} a {day(line.period_end)}", True) if line.period_start else None,
        ]
        items.append(
            {
                "description": line.description,
                "detail": [b for b in detail_bits if b],
                "quantity": number(
                    line.quantity.normalize() if line.quantity == line.quantity.to_integral() else line.quantity
                ),
                "unit": money(line.unit_amount_cents, cur),
                "amount": money(line.amount_cents, cur),
            }
        )
    for line in invoice.lines:
        if line.source is not LineSource.MANUAL:
            items.append(
                {
                    "description": line.description,
                    "detail": [],
                    "quantity": "",
                    "unit": "",
                    "amount": money(line.amount_cents, cur),
                }
            )
    withholdings = [{"label": label, "amount": money(cents, cur)} for label, cents in _withholdings(invoice) if cents]
    payments = [
        {
            "date": day(p.paid_on),
            "method": PAYMENT_METHOD_LABELS.get(p.method, str(p.method))
            + (" (estorno)" if p.kind is PaymentKind.REFUND else ""),
            "reference": p.reference or "",
            "amount": money(p.amount_cents, cur),
        }
        for p in detail.payments
    ]
    status = str(invoice.status)
    return {
        "number": invoice.number,
        "status": status,
        "status_label": STATUSES[invoice.status].label,
        "stamp": STAMPS.get(status),
        "logo_data_uri": _logo(branding.get("logo_path"), org.id),
        "issuer": {
            "name": name,
            "legal_name": issuer["legal_name"],
            "initials": _initials(name),
            "cnpj": mask_document("cnpj", issuer["cnpj"]) if issuer.get("cnpj") else None,
            "municipal_registration": issuer.get("municipal_registration"),
            "regime": TAX_REGIME_LABELS.get(TaxRegime(issuer["tax_regime"]), ""),
        },
        "extra_fields": _extra_fields(branding.get("extra_fields")),
        "issued_on": day(invoice.issued_on) if invoice.issued_on else "—",
        "due_on": day(invoice.due_on),
        "period": f"{day(invoice.period_start)} a {day(invoice.period_end)}" if invoice.period_start else None,
        "customer": _customer(detail),
        "account": _account(detail),
        "lines": items,
        "subtotal": money(invoice.subtotal_cents, cur),
        "tax": money(invoice.tax_cents, cur),
        "discount": money(invoice.discount_cents, cur),
        "total": money(invoice.total_cents, cur),
        "has_tax": invoice.tax_cents != 0,
        "has_discount": invoice.discount_cents != 0,
        "withholdings": withholdings,
        "withheld": money(invoice.withheld_cents, cur),
        "withholding_on": day(invoice.withholding_on) if invoice.withholding_on else "—",
        "inss_notice": invoice.inss_cents > 0,
        "inss_amount": money(invoice.inss_cents, cur),
        "net": money(invoice.net_value_cents, cur),
        "paid_cents": invoice.amount_paid_cents,
        "paid": money(invoice.amount_paid_cents, cur),
        "outstanding": money(invoice.outstanding_cents, cur),
        "payments": payments,
        "memo": invoice.memo,
        "void_reason": invoice.void_reason,
        "voided_on": day(invoice.voided_at) if invoice.voided_at else "",
        "generated_at": moment(datetime.now(UTC), DEFAULT_TZ),
    }


def _withholdings(invoice: Any) -> list[tuple[str, int]]:
    """Each withheld tax with the rate of the rule that computed it (from the inputs frozen at finalization)."""
    inputs = (invoice.snapshot or {}).get("withholding_inputs") or {}
    on = invoice.withholding_on or invoice.due_on
    irrf_rule, csrf_rule, inss_rule = (find_rule(rows, on) for rows in (IRRF_RULES, CSRF_RULES, INSS_RULES))
    category = IrrfCategory((inputs.get("service") or {}).get("irrf_category", "none"))
    iss_rate = (inputs.get("payer") or {}).get("iss_rate")
    rates = {
        Tax.IRRF: irrf_rule.rate_for(category) if irrf_rule else None,
        Tax.PIS: csrf_rule.pis_rate if csrf_rule else None,
        Tax.COFINS: csrf_rule.cofins_rate if csrf_rule else None,
        Tax.CSLL: csrf_rule.csll_rate if csrf_rule else None,
        Tax.INSS: inss_rule.rate if inss_rule else None,
        Tax.ISS: Decimal(iss_rate) if iss_rate else None,
    }
    amounts = {
        Tax.IRRF: invoice.irrf_cents,
        Tax.PIS: invoice.pis_cents,
        Tax.COFINS: invoice.cofins_cents,
        Tax.CSLL: invoice.csll_cents,
        Tax.INSS: invoice.inss_cents,
        Tax.ISS: invoice.iss_withheld_cents,
    }
    labels = {Tax.ISS: "ISS retido"}
    return [
        (labels.get(tax, tax.upper()) + (f" ({rate_text(rates[tax])})" if rates[tax] else ""), cents)  # type: ignore[arg-type]
        for tax, cents in amounts.items()
    ]


def _customer(detail: InvoiceDetail) -> Party:
    snap = (detail.invoice.snapshot or {}).get("customer")
    account_snap = (detail.invoice.snapshot or {}).get("account") or {}
    customer = detail.customer
    data = snap or {
        "name": customer.name,
        "legal_name": customer.legal_name,
        "document_type": customer.document_type,
        "document_number": customer.document_number,
        "email": customer.primary_email,
    }
    doc_type = data.get("document_type") or ""
    document = data.get("document_number")
    address = account_snap.get("address") if snap else (detail.account.billing_address or None)
    if not address:
        found = [a for a in (customer.addresses or []) if isinstance(a, dict)]
        address = found[0] if found else {}
    return Party(
        name=data["name"],
        legal_name=data.get("legal_name"),
        document=_mask(doc_type, document) if document else None,
        document_label={"cpf": "CPF", "cnpj": "CNPJ"}.get(doc_type, "Documento"),
        email=data.get("email"),
        address_lines=_address_lines(address),
    )


def _account(detail: InvoiceDetail) -> dict[str, Any]:
    snap = (detail.invoice.snapshot or {}).get("account")
    account = detail.account
    data = snap or {
        "name": account.name,
        "email": account.billing_email or account.email,
        "tax_id": account.tax_id,
        "tax_id_type": account.tax_id_type,
        "payment_method": str(account.payment_method),
    }
    tax_type = (data.get("tax_id_type") or "").lower()
    return {
        "name": data["name"],
        "email": data.get("email"),
        "tax_id": _mask(tax_type, data["tax_id"]) if data.get("tax_id") else None,
        "tax_id_label": {"cpf": "CPF", "cnpj": "CNPJ"}.get(tax_type, "Documento"),
        "payment_method": ACCOUNT_METHODS.get(data.get("payment_method") or "", "—"),
    }


def _mask(kind: str, value: str) -> str:
    try:
        return mask_document(kind, value) if kind in {"cpf", "cnpj"} else value
    except Exception:  # a legacy value that does not mask is printed as stored
        return value


def _address_lines(address: dict[str, Any]) -> list[str]:
    if not address:
        return []
    street = ", ".join(str(p) for p in (address.get("street"), address.get("number")) if p)
    if address.get("complement"):
        street += f" — {address['complement']}"
    cep = str(address.get("cep") or "")
    cep = f"{cep[:5]}-{cep[5:]}" if len(cep) == 8 and cep.isdigit() else cep
    city = " / ".join(str(p) for p in (address.get("city"), address.get("uf")) if p)
    second = " · ".join(p for p in (address.get("district"), city, f"CEP {cep}" if cep else "") if p)
    return [line for line in (street, second) if line]


def _extra_fields(raw: Any) -> list[dict[str, str]]:
    if isinstance(raw, dict):
        return [{"label": str(k), "value": str(v)} for k, v in raw.items()]
    fields = []
    for item in raw or []:
        if isinstance(item, dict):
            fields.append({"label": str(item.get("label", "")), "value": str(item.get("value", ""))})
        elif item:
            fields.append({"label": "", "value": str(item)})
    return fields


def _color(value: Any) -> str:
    text = str(value or "").strip()
    if text.startswith("#") and len(text) in (4, 7) and all(c in "0123456789abcdefABCDEF" for c in text[1:]):
        return text
    return DEFAULT_COLOR


def _soft(color: str) -> str:
    """A very light tint of the brand colour for boxes (mixed with white)."""
    hex_ = color[1:] if len(color) == 7 else "".join(c * 2 for c in color[1:])
    r, g, b = (int(hex_[i : i + 2], 16) for i in (0, 2, 4))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * 0.06 + 255 * 0.94) for c in (r, g, b)))


def _initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "F"


@lru_cache(maxsize=64)
def _logo_cached(path: str, mtime: float) -> str | None:
    kind = mimetypes.guess_type(path)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"


def _logo(logo_path: Any, organization_id: uuid.UUID) -> str | None:
    """The logo as a data URI: an absolute path, or one relative to the organization's files folder."""
    if not logo_path:
        return None
    path = Path(str(logo_path))
    if not path.is_absolute():
        path = files.organization_folder(organization_id) / path
    if not path.is_file():
        return None
    return _logo_cached(str(path), path.stat().st_mtime)


@lru_cache(maxsize=1)
def _template() -> Any:
    environment = Environment(loader=FileSystemLoader(ASSETS / "templates"), autoescape=select_autoescape(["html"]))
    return environment.get_template("invoice.html")


def _stylesheet(color: str) -> tuple[Any, Any]:
    with _lock:
        return _stylesheet_cached(color)


@lru_cache(maxsize=32)
def _stylesheet_cached(color: str) -> tuple[Any, Any]:
    from weasyprint import CSS

    fonts = _fonts()
    return CSS(string=stylesheet_text(color), font_config=fonts, base_url=str(ASSETS)), fonts


@lru_cache(maxsize=1)
def _fonts() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=1)
def _css_source() -> str:
    return CSS_PATH.read_text()
