"""Fast demo rows: customers and billing accounts as COPY text lines (PostgreSQL) or tuples (SQLite).

A million customers must seed in well under a minute, so this avoids per-row objects, dicts, `random.choice` and
per-field conversions: vocabularies are expanded once into pools, and each row is one formatted string.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from domain.documents.tax_ids import generate_cnpj, generate_cpf
from domain.text import fold
from persistence import seed_data as vocab

# Column order of the COPY / INSERT below; NOTE: must name every column of customer and billing_account.
CUSTOMER_COLUMNS = (
    "id, kind, document_type, document_number, country, name, legal_name, search_name, external_id, customer_type, "
    "status, preferred_currency, payment_terms_days, emails, phones, addresses, primary_email, city, uf, ibge_code, "
    "tags, custom_data, metadata, custom_fields, tax_identifiers, billing_model, wallet_mode, vat_validation_status, "
    "vat_validation_override, verification, peppol_id, prefer_einvoice, einvoice_email, communications_paused, "
    "accounts_count, balance_cents, mrr_cents, open_invoices_count, deleted_at, anonymized_at, merged_into_id, "
    "organization_id, created_at, updated_at"
)
ACCOUNT_COLUMNS = (
    "id, customer_id, name, email, billing_email, currency, billing_address, tax_id, tax_id_type, status, "
    "suspended_at, suspension_reason, closed_at, payment_terms_days, auto_collection, payment_method, "
    "customer_tax_type, withhold_iss, withhold_ir, withhold_csrf, withhold_inss, iss_rate, iss_municipality_code, "
    "nfse_policy, balance_cents, allowed_negative_balance_cents, mrr_amount_cents, deleted_at, organization_id, "
    "created_at, updated_at"
)
MRR_CHOICES = (0, 4900, 9900, 19900, 49900, 99900, 250000)
BUSINESS_TAX_TYPES = ("simples_optante", "lucro_presumido", "lucro_real", "lucro_real", "public_body")
PAYMENT_METHODS = ("boleto", "pix", "pix", "card", "transfer")


@lru_cache(maxsize=1)
def _people() -> list[tuple[str, str, str]]:
    names = [f"{f} {a} {b}" for f in vocab.FIRST_NAMES for a in vocab.LAST_NAMES for b in vocab.LAST_NAMES if a != b]
    return [(n, fold(n), fold(n).replace(" ", "")[:20]) for n in names]


@lru_cache(maxsize=1)
def _companies() -> list[tuple[str, str, str, str]]:
    trades = [f"{w} {k}" for w in vocab.COMPANY_WORDS for k in vocab.COMPANY_KINDS]
    return [(t, f"{t} {s}", fold(t), fold(t).replace(" ", "")[:20]) for t in trades for s in vocab.COMPANY_SUFFIXES]


def _tag_pool(rng: random.Random) -> list[str]:
    pool = []
    for _ in range(512):
        k = rng.choice([0, 0, 1, 1, 2, 3])
        pool.append("[" + ", ".join(f'"{t}"' for t in rng.sample(vocab.TAGS, k=k)) + "]")
    return pool


def _stamp_pool(rng: random.Random, *, postgres: bool) -> list[str]:
    now = datetime.now(UTC)
    stamps = []
    for _ in range(4096):
        moment = now - timedelta(days=rng.randint(0, 1100), seconds=rng.randint(0, 86_399))
        text = moment.strftime("%Y-%m-%d %H:%M:%S.%f")
        stamps.append(text + "+00" if postgres else text)
    return stamps


def _ids(count: int) -> Iterator[str]:
    """UUIDv7 layout (48-bit ms timestamp, version 7, variant 10) with a counter: unique, time-ordered, cheap."""
    ms = int(time.time() * 1000)
    head = (ms << 80) | (0x7 << 76) | (random.getrandbits(12) << 64) | (0b10 << 62)
    salt = random.getrandbits(30) << 32  # the counter owns the low 32 bits, so ids never collide within a run
    for n in range(count):
        yield f"{head | salt | n:032x}"


def generate(org_hex: str, start: int, count: int, *, postgres: bool) -> Iterator[tuple[list, list]]:
    """Yields (customer rows, account rows) in batches: COPY lines for PostgreSQL, tuples for SQLite."""
    rng = random.Random(start * 7919 + count)
    r = rng.random
    people, companies, cities = _people(), _companies(), vocab.CITIES
    tags, stamps = _tag_pool(rng), _stamp_pool(rng, postgres=postgres)
    streets, districts = vocab.STREETS, vocab.DISTRICTS
    ids = _ids(count * 3)
    t, f, null = ("t", "f", r"\N") if postgres else (1, 0, None)
    customers: list = []
    accounts: list = []
    for n in range(start, start + count):
        person = r() < 0.3
        city = cities[int(r() * len(cities))]
        if person:
            name, search, slug = people[int(r() * len(people))]
            legal, document, kind, doc_type, ctype = name, generate_cpf(n), "natural", "cpf", "consumer"
        else:
            name, legal, search, slug = companies[int(r() * len(companies))]
            document, kind, doc_type, ctype = generate_cnpj(n), "juridical", "cnpj", "business"
        email = f"financeiro.{n}@{slug}.com.br"
        created = stamps[int(r() * 4096)]
        customer_id = next(ids)
        address = (
            f'{{"kind": "billing", "cep": "{city[3]}{int(r() * 999) + 1:03d}", '
            f'"street": "{streets[int(r() * len(streets))]}", "number": "{int(r() * 3999) + 1}", "complement": "", '
            f'"district": "{districts[int(r() * len(districts))]}", "city": "{city[1]}", "uf": "{city[2]}", '
            f'"ibge_code": "{city[0]}"}}'
        )
        status = "active" if r() < 0.93 else ("suspended" if r() < 0.5 else "churned")
        n_accounts = 1 if r() < 0.88 else 2
        balance_total = mrr_total = 0
        for a in range(n_accounts):
            mrr = MRR_CHOICES[int(r() * 7)]
            balance = -int(r() * 500_000) if r() < 0.25 else 0
            balance_total, mrr_total = balance_total + balance, mrr_total + mrr
            suspended = status == "suspended"
            account = (
                next(ids), customer_id, "Principal" if person else vocab.ACCOUNT_NAMES[a],
                email if a == 0 else f"filial.{n}@{slug}.com.br", email, "BRL", address, document, doc_type,
                "suspended" if suspended else "active", created if suspended else null,
                "Inadimplência (demonstração)" if suspended else null, null, (10, 10, 15, 30)[int(r() * 4)], t,
                PAYMENT_METHODS[int(r() * 5)],
                "pessoa_fisica" if person else BUSINESS_TAX_TYPES[int(r() * 5)],
                f, t if not person and r() < 0.3 else f, t if not person and r() < 0.3 else f, f, null, null, null,
                balance, 0, mrr, null, org_hex, created, created,
            )  # fmt: skip
            accounts.append(_line(account) if postgres else account)
        customer = (
            customer_id, kind, doc_type, document, "BR", name, legal, search,
            f"LEG-{n:07d}" if r() < 0.5 else null, ctype, status, "BRL", 10,
            f'[{{"kind": "billing", "address": "{email}"}}]',
            f'[{{"kind": "work", "number": "+55 11 9{int(r() * 9000) + 1000}-{int(r() * 9000) + 1000}"}}]',
            f"[{address}]", email, city[1], city[2], city[0], tags[int(r() * 512)], '{"segmento": "demo"}',
            "{}", "{}", "{}", "postpaid", null, "UNVALIDATED", null, "{}", null, f, null, f,
            n_accounts, balance_total, mrr_total, 0, null, null, null, org_hex, created, created,
        )  # fmt: skip
        customers.append(_line(customer) if postgres else customer)
        if len(customers) >= 20_000:
            yield customers, accounts
            customers, accounts = [], []
    if customers:
        yield customers, accounts


def _line(values: tuple) -> str:
    return "\t".join(map(str, values)) + "\n"  # every value is a str or an int here (NULL is already "\\N")
