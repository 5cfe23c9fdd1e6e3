"""Sign-in (password and optional TOTP) and sign-out."""

from __future__ import annotations

from datetime import UTC, datetime

from nicegui import APIRouter, run, ui

from config import load_settings
from domain.access import services as access
from domain.access.errors import TotpRequired
from domain.access.permissions import Actor
from domain.errors import BillingError
from persistence.unit_of_work import SqlUnitOfWork
from ui.auth import sign_in, sign_out

router = APIRouter()


@router.page("/login", title="Entrar · Fatura")
def login_page(redirect_to: str = "/") -> None:
    with ui.column().classes("absolute-center items-stretch w-80 gap-2"):
        ui.label("Fatura").classes("text-3xl font-bold text-slate-800 self-center")
        ui.label("Acesso da equipe financeira").classes("text-slate-500 self-center")
        email = ui.input("E-mail").props("autofocus autocomplete=username data-testid=email")
        password = ui.input("Senha", password=True, password_toggle_button=True).props(
            "autocomplete=current-password data-testid=password"
        )
        totp = ui.input("Código do autenticador (2FA)").props("inputmode=numeric data-testid=totp")
        totp.set_visibility(False)
        error = ui.label().classes("text-negative text-sm").props("role=alert data-testid=login-error")

        async def submit() -> None:
            error.text = ""
            try:
                actor, org_name = await run.io_bound(_authenticate, email.value, password.value, totp.value)
            except TotpRequired as refusal:
                totp.set_visibility(True)
                totp.run_method("focus")
                error.text = refusal.message
                return
            except BillingError as refusal:
                error.text = refusal.message
                password.value = ""
                return
            sign_in(actor, org_name)
            ui.navigate.to(redirect_to if redirect_to.startswith("/") else "/")

        for field in (email, password, totp):
            field.on("keydown.enter", submit)
        ui.button("Entrar", on_click=submit).props("color=primary data-testid=login-submit")


def _authenticate(email: str | None, password: str | None, totp: str | None) -> tuple[Actor, str]:
    settings = load_settings()
    actor = access.authenticate(
        SqlUnitOfWork(Actor.system("login")), email=email or "", password=password or "", totp_code=totp or None,
        now=datetime.now(UTC), max_attempts=settings.login_max_attempts,
        lockout_minutes=settings.login_lockout_minutes,
    )  # fmt: skip
    with SqlUnitOfWork(actor) as uow:
        return actor, uow.organizations.current().display_name


@router.page("/logout")
def logout_page() -> None:
    sign_out()
    ui.navigate.to("/login")
