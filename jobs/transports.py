"""How messages leave the building: SMTP (or .eml files when no SMTP host is configured) and signed HTTP posts."""

from __future__ import annotations

import smtplib
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from config import Settings
from domain.communications.services import EmailToSend
from domain.webhooks import signing
from domain.webhooks.model import RESPONSE_EXCERPT
from domain.webhooks.services import DeliveryToSend

WEBHOOK_TIMEOUT = 10  # seconds
SMTP_TIMEOUT = 30


def build_message(email: EmailToSend, settings: Settings) -> EmailMessage:
    """RFC 5322: text and HTML alternatives, with its own Message-ID."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=email.id.hex[:16], domain=_domain(settings.mail_from))
    message["X-Fatura-Email-Id"] = str(email.id)
    message.set_content(email.body_text)
    message.add_alternative(email.body_html, subtype="html")
    return message


def send_email(email: EmailToSend, settings: Settings) -> str:
    """Send through SMTP, or write `var/outbox/<organization>/<id>.eml` without an SMTP host. Returns the
    Message-ID; raises on any failure (the caller records it and retries later)."""
    message = build_message(email, settings)
    if not settings.smtp_host:
        folder = settings.outbox_dir / str(email.organization_id)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{email.id}.eml"
        partial = target.with_suffix(".part")
        partial.write_bytes(message.as_bytes())
        partial.replace(target)
        return str(message["Message-ID"])
    if settings.smtp_tls == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT,
                                                context=ssl.create_default_context())  # fmt: skip
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT)
    with client:
        if settings.smtp_tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password or "")
        client.send_message(message)
    return str(message["Message-ID"])


@dataclass(frozen=True)
class PostResult:
    status_code: int | None
    response: str | None
    error: str | None
    millis: int


def post_webhook(delivery: DeliveryToSend, *, timeout: float = WEBHOOK_TIMEOUT) -> PostResult:
    """POST the stored body, signed now; whatever happens comes back as a result (never raises)."""
    body = delivery.body.encode()
    request = urllib.request.Request(
        delivery.url, data=body, method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": "Fatura-Webhooks/1.0",
            signing.HEADER: signing.sign(delivery.secret, body), "Fatura-Event": delivery.event,
            "Fatura-Delivery": str(delivery.id),
        },
    )  # fmt: skip
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            excerpt = response.read(RESPONSE_EXCERPT).decode("utf-8", "replace")
            return PostResult(response.status, excerpt, None, _millis(started))
    except urllib.error.HTTPError as error:
        excerpt = error.read(RESPONSE_EXCERPT).decode("utf-8", "replace") if error.fp else ""
        return PostResult(error.code, excerpt, f"HTTP {error.code}", _millis(started))
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return PostResult(None, None, f"{type(error).__name__}: {reason}", _millis(started))


def _millis(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip(" >") or "fatura.local"
