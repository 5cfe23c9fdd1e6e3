"""Form helpers of the registry screens: checks while the operator types (the domain's own normalizers, so the
screen and the use case never disagree), refusals shown beside their field, masks, and the reason dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from nicegui import run, ui

from domain.customers.contacts import normalize_email, normalize_phone
from domain.customers.errors import InvalidFields
from domain.customers.model import KIND_DOCUMENT_TYPE, CustomerKind
from domain.documents.addresses import normalize_cep, normalize_ibge_code, normalize_uf
from domain.documents.tax_ids import DocumentType, normalize_document
from domain.errors import BillingError, ValidationFailed

T = TypeVar("T")
MASKS = {"cpf": "###.###.###-##", "cnpj": "XX.XXX.XXX/XXXX-##", "cep": "#####-###"}  # Quasar: X = letter or digit


def check(normalizer: Callable[[str], Any], *, required: bool = False) -> Callable[[Any], str | None]:
    """A NiceGUI validation function from a domain normalizer: its pt-BR refusal, or None when acceptable."""

    def validate(value: Any) -> str | None:
        text = str(value or "").strip()
        if not text:
            return "Obrigatório." if required else None
        try:
            normalizer(text)
        except ValidationFailed as error:
            return error.message
        return None

    return validate


def document_check(kind: Callable[[], str]) -> Callable[[Any], str | None]:
    """Checks the document against the kind chosen right now (CPF, CNPJ or a foreign id)."""
    return lambda value: check(lambda text: normalize_document(document_type(kind()), text), required=True)(value)


def document_type(kind: str) -> DocumentType:
    return KIND_DOCUMENT_TYPE[CustomerKind(kind)]


email_check = check(normalize_email)
phone_check = check(normalize_phone)
cep_check = check(normalize_cep)
uf_check = check(normalize_uf)
ibge_check = check(normalize_ibge_code)


class Fields:
    """The inputs of one form by field path ("name", "emails.0.address"), to put a refusal beside its input."""

    def __init__(self) -> None:
        self.inputs: dict[str, ui.element] = {}

    def __setitem__(self, path: str, element: ui.element) -> None:
        self.inputs[path] = element

    def __getitem__(self, path: str) -> Any:
        return self.inputs[path]

    def show(self, refusal: BillingError) -> bool:
        """Mark each refused field; True when at least one refusal found its input."""
        errors = refusal.errors if isinstance(refusal, InvalidFields) else {refusal.field or "": refusal.message}
        shown = False
        for path, message in errors.items():
            element = self.inputs.get(path)
            if element is not None and hasattr(element, "error"):
                element.error = message
                shown = True
        return shown

    def clear(self) -> None:
        for element in self.inputs.values():
            if hasattr(element, "error") and element.error:
                element.error = None


async def submit(
    fields: Fields, fn: Callable[..., T], *args: Any, success: str | None = None, **kwargs: Any
) -> tuple[bool, T | None]:
    """Run a use case off the event loop; a refusal goes beside its fields (and in a notification), and nothing the
    operator typed is lost: the form stays open with their values."""
    fields.clear()
    try:
        result = await run.io_bound(fn, *args, **kwargs)
    except BillingError as refusal:
        fields.show(refusal)
        ui.notify(refusal.message, type="negative", multi_line=True)
        return False, None
    if success:
        ui.notify(success, type="positive")
    return True, result


def reason_dialog(
    title: str, action: str, use_case: Callable[[str], Any], *, success: str, then: str, required: bool = True,
    detail: str | None = None, danger: bool = False,
) -> None:  # fmt: skip
    """Ask for the operator's reason (it goes to the audit trail), run `use_case(reason)` off the event loop and go
    to `then`; a refusal is shown inside the dialog, which stays open with the reason typed. Esc closes it."""
    with ui.dialog() as dialog, ui.card().classes("w-[30rem] gap-2"):
        ui.label(title).classes("text-lg font-medium")
        if detail:
            ui.label(detail).classes("text-sm text-slate-600")
        reason = ui.textarea("Motivo" + ("" if required else " (opcional)")).classes("w-full")
        reason.props("autofocus rows=2 data-testid=reason-input")
        refusal = ui.label("").classes("text-sm text-negative").props("data-testid=reason-refusal")

        async def confirm() -> None:
            if required and not (reason.value or "").strip():
                reason.error = "Informe o motivo: ele fica registrado na auditoria."
                return
            try:
                await run.io_bound(use_case, reason.value or "")
            except BillingError as error:
                refusal.text = error.message
                ui.notify(error.message, type="negative", multi_line=True)
                return
            dialog.close()
            ui.notify(success, type="positive")
            ui.navigate.to(then)

        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button(action, on_click=confirm).props(
                f"color={'negative' if danger else 'primary'} data-testid=reason-confirm"
            )
    dialog.open()
