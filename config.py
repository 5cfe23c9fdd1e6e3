"""Configuration from environment variables. Every variable is listed in the README."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str | None
    var_dir: Path
    host: str
    port: int
    storage_secret: str
    seed_demo: bool
    embedded_worker: bool
    huey_immediate: bool
    queue_name: str = "fatura"
    login_max_attempts: int = 5
    login_lockout_minutes: int = 15
    # E-mail: SMTP when a host is set; otherwise (the embedded default) .eml files under var/outbox/.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_tls: str = "starttls"  # starttls | ssl | none
    mail_from: str = "Fatura <nao-responda@fatura.local>"

    @property
    def is_embedded(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def outbox_dir(self) -> Path:
        """Where e-mails go as .eml files when no SMTP host is configured."""
        return self.var_dir / "outbox"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    var_dir = Path(env.get("FATURA_VAR_DIR", ROOT / "var")).resolve()
    database_url = env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'fatura.db'}"
    redis_url = env.get("REDIS_URL") or None
    embedded = database_url.startswith("sqlite")
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        var_dir=var_dir,
        host=env.get("FATURA_HOST", "127.0.0.1"),
        port=int(env.get("FATURA_PORT", "8080")),
        storage_secret=env.get("FATURA_STORAGE_SECRET") or _local_secret(var_dir),
        seed_demo=_flag(env.get("FATURA_SEED_DEMO"), default=embedded),
        # The embedded default runs the Huey consumer inside the app; production runs `run.py worker`.
        embedded_worker=_flag(env.get("FATURA_EMBEDDED_WORKER"), default=redis_url is None),
        huey_immediate=_flag(env.get("FATURA_HUEY_IMMEDIATE"), default=False),
        queue_name=env.get("FATURA_QUEUE_NAME", "fatura"),
        login_max_attempts=int(env.get("FATURA_LOGIN_MAX_ATTEMPTS", "5")),
        login_lockout_minutes=int(env.get("FATURA_LOGIN_LOCKOUT_MINUTES", "15")),
        smtp_host=env.get("FATURA_SMTP_HOST") or None,
        smtp_port=int(env.get("FATURA_SMTP_PORT") or ("465" if env.get("FATURA_SMTP_TLS") == "ssl" else "587")),
        smtp_user=env.get("FATURA_SMTP_USER") or None,
        smtp_password=env.get("FATURA_SMTP_PASSWORD") or None,
        smtp_tls=(env.get("FATURA_SMTP_TLS") or "starttls").strip().lower(),
        mail_from=env.get("FATURA_MAIL_FROM") or "Fatura <nao-responda@fatura.local>",
    )


def _flag(value: str | None, *, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "sim"}


def _local_secret(var_dir: Path) -> str:
    """A per-installation secret for signed session cookies, kept under var/ so restarts keep sessions."""
    path = var_dir / "storage_secret"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    path.write_text(value)
    path.chmod(0o600)
    return value
