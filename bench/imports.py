"""imports: a 100,000-row customer file in Windows-1252 with `;`, Brazilian amounts and dates and ~5 % bad rows,
imported end to end on a fresh PostgreSQL database (read, decode, validate, dedupe, insert, error report).

Targets: ≤ 10 s and ≤ 500 MB peak memory (this process plus its validation workers); prints rows/s. A second
import of the same file is timed too: it must create nothing.
"""

from __future__ import annotations

import os
import random
import resource
import tempfile
import time
from pathlib import Path

from bench.common import fresh_database, report
from domain.access.permissions import Actor
from domain.documents.tax_ids import generate_cnpj, generate_cpf, mask_document
from domain.imports import services as imports
from domain.imports.columns import mapping_from_json
from domain.organizations import services as organizations
from domain.organizations.model import TaxRegime
from persistence import var_files
from persistence.queries import imports as queries
from persistence.unit_of_work import SqlUnitOfWork

ROWS, BAD_RATIO, TARGET_SECONDS, TARGET_MB = 100_000, 0.05, 10, 500
HEADER = ("Nome;Razão Social;CPF/CNPJ;E-mail;Telefone;CEP;Logradouro;Número;Complemento;Bairro;Cidade;UF;Cód. IBGE;"
          "Limite de crédito;Cliente desde;E-mail de cobrança;Forma de pagamento")  # fmt: skip
FIRST = ("João", "Maria", "José", "Ana", "Antônio", "Francisca", "Luís", "Conceição", "Sebastião", "Lúcia", "André")
LAST = ("Silva", "Araújo", "Gonçalves", "Conceição", "Magalhães", "Simões", "Leão", "Brandão", "Pereira", "Assunção")
COMPANY = ("Padaria", "Construtora", "Clínica", "Transportes", "Comércio", "Tecnologia", "Açougue", "Ótica")
CITIES = (("São Paulo", "SP", "3550308", "01310"), ("Rio de Janeiro", "rj", "3304557", "20040"),
          ("Belo Horizonte", "MG", "3106200", "30130"), ("Brasília", "df", "5300108", "70040"),
          ("Goiânia", "GO", "5208707", "74003"), ("Florianópolis", "sc", "4205407", "88010"))  # fmt: skip
BAD = ("check_digit", "email", "cep", "uf", "date", "amount", "duplicate", "name")


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["FATURA_VAR_DIR"] = folder
        path = Path(folder) / "clientes.csv"
        bad = write_file(path, ROWS)
        with fresh_database():
            actor = _organization()
            started = time.perf_counter()
            counts = import_file(actor, path)
            elapsed = time.perf_counter() - started
            again_started = time.perf_counter()
            again = import_file(actor, path)
            again_elapsed = time.perf_counter() - again_started
    assert counts["rejected"] == bad, (counts, bad)
    assert counts["created"] == ROWS - bad and again["created"] == 0, (counts, again)
    report("imports", "seconds_100k_rows", elapsed, "s", "≤", TARGET_SECONDS)
    report("imports", "rows_per_second", ROWS / elapsed, "rows/s", "≥", ROWS / TARGET_SECONDS)
    main_mb, helpers_mb = _peaks_mb()
    report("imports", "peak_memory_mb", main_mb + helpers_mb, "MB", "≤", TARGET_MB)
    report("imports", "peak_memory_main_process_mb", main_mb, "MB", "≤", TARGET_MB)
    report("imports", "rejected_rows", counts["rejected"], "rows", "≤", ROWS * BAD_RATIO * 1.2)
    report("imports", "second_import_seconds", again_elapsed, "s", "≤", TARGET_SECONDS)
    report("imports", "second_import_created", again["created"], "rows", "≤", 0)


def import_file(actor: Actor, path: Path) -> dict[str, int]:
    """What the Importações screen and its job do, in this process: upload, confirm the mapping, run, report."""
    from jobs.imports import run_import_now
    from reports.spreadsheets import open_table

    data = path.read_bytes()
    run = imports.register_upload(
        SqlUnitOfWork(actor), file_name=path.name, data=data, table=open_table(data, path.name),
        save=lambda run_id, name, raw: var_files.save_bytes(actor.organization_id, "imports", f"{run_id}-{name}", raw),
    )  # fmt: skip
    del data  # as in production: the screen that received the upload is not the worker that imports it
    imports.start_import(SqlUnitOfWork(actor), run_id=run.id, mapping=mapping_from_json(run.mapping))
    run_import_now(actor, run.id)
    return queries.get_run(actor, run.id).counts


def write_file(path: Path, rows: int, seed: int = 7) -> int:
    """The benchmark's file; returns how many rows are bad (each one with exactly one problem)."""
    rng = random.Random(seed)
    lines, bad, previous = [HEADER], 0, None
    out = path.open("wb")
    for n in range(rows):
        city, uf, ibge, cep = CITIES[n % len(CITIES)]
        person = n % 3 == 0
        document = mask_document("cpf", generate_cpf(n)) if person else mask_document("cnpj", generate_cnpj(n))
        name = f"{FIRST[n % 11]} {LAST[n % 10]} {LAST[(n // 10) % 10]}" if person else f"{COMPANY[n % 8]} {n} Ltda"
        legal = "" if person else f"{name} ME"
        email, day = f"contato{n}@cliente{n % 500}.com.br", f"{1 + n % 28:02d}/{1 + n % 12:02d}/2019"
        amount = f"R$ {rng.randint(0, 99)}.{rng.randint(0, 999):03d},{rng.randint(0, 99):02d}"
        postal, uf_text = f"{cep}-{n % 1000:03d}", uf
        defect = BAD[rng.randrange(len(BAD))] if rng.random() < BAD_RATIO else None
        if defect == "duplicate" and previous is None:
            defect = "check_digit"  # a duplicate needs a good row right before it
        if defect == "check_digit":
            document = document[:-1] + str((int(document[-1]) + 1) % 10)
        elif defect == "email":
            email = f"contato{n}@@cliente.com.br"
        elif defect == "cep":
            postal = f"{cep}-{n % 100:02d}"
        elif defect == "uf":
            uf_text = "XX"
        elif defect == "date":
            day = "31/02/2020"
        elif defect == "amount":
            amount = "1,234.56"
        elif defect == "duplicate":
            document = previous
        elif defect == "name":
            name = legal = ""
        bad += defect is not None
        previous = None if defect else document
        complement = f"sala {n % 90}" if n % 4 == 0 else ""
        lines.append(f"{name};{legal};{document};{email};(11) 9{n % 9000 + 1000}-{n % 8999 + 1000};{postal};"
                     f"Rua {LAST[n % 10]};{n % 3000 + 1};{complement};Centro;{city};{uf_text};{ibge};{amount};{day};"
                     f"cobranca{n}@cliente{n % 500}.com.br;{('Boleto', 'Pix', 'Cartão')[n % 3]}")  # fmt: skip
        if len(lines) >= 10_000:
            out.write(("\r\n".join(lines) + "\r\n").encode("cp1252"))
            lines = []
    out.write("\r\n".join(lines).encode("cp1252"))
    out.close()
    return bad


def _organization() -> Actor:
    org = organizations.create_organization(
        SqlUnitOfWork(Actor.system("bench")), slug="bench-imports", legal_name="Bench Importações Ltda",
        tax_regime=TaxRegime.LUCRO_PRESUMIDO,
    )  # fmt: skip
    return Actor.system("bench", org.id)


def _peaks_mb() -> tuple[float, float]:
    """This process's peak, and the sum of its helper processes' peaks (an upper bound: peaks need not coincide,
    and shared library pages are counted once per process)."""
    from jobs.import_workers import worker_peaks_mb

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, sum(worker_peaks_mb())
