"""Classifying validated rows: duplicates inside the file, rows already registered, conflicts with storage.

The same classification serves the preview / dry run (nothing written) and the run (a transaction per batch), so the
preview's counts are what the run does, as long as nobody else registers the same customers in between.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from domain.billing_accounts.errors import AccountEmailInUse
from domain.customers.errors import ExternalIdInUse
from domain.documents.tax_ids import mask_document
from domain.imports.model import COUNTERS
from domain.imports.ports import Existing
from domain.imports.rows import AcceptedRow, ChunkResult, Problem, ValidationSpec

PREVIEW_PROBLEMS = 50


class FileKeys:
    """The keys taken by earlier valid rows of the same file: a later row with one of them is a duplicate."""

    def __init__(self, spec: ValidationSpec) -> None:
        self.spec = spec
        self.documents: dict[tuple[str, str], int] = {}
        self.external_ids: dict[str, int] = {}
        self.emails: dict[str, int] = {}

    def take(self, rows: list[AcceptedRow]) -> tuple[list[AcceptedRow], list[Problem]]:
        fresh, problems = [], []
        for row in rows:
            key = (row.document_type, row.document_number)
            if (first := self.documents.get(key)) is not None:
                label = {"cpf": "CPF", "cnpj": "CNPJ"}.get(row.document_type, "Identificador fiscal")
                masked = mask_document(row.document_type, row.document_number)
                problems.append(self._problem(row, "document", f"{label} {masked} repetido no arquivo: já aparece na "
                                                               f"linha {first}."))  # fmt: skip
            elif row.external_id and (first := self.external_ids.get(row.external_id)) is not None:
                message = f"ID externo “{row.external_id}” repetido no arquivo: já aparece na linha {first}."
                problems.append(self._problem(row, "external_id", message))
            elif row.account_email and (first := self.emails.get(row.account_email)) is not None:
                message = f"E-mail de cobrança {row.account_email} repetido no arquivo: já aparece na linha {first}."
                problems.append(self._problem(row, "account_email", message))
            else:
                self.documents[key] = row.line
                if row.external_id:
                    self.external_ids[row.external_id] = row.line
                if row.account_email:
                    self.emails[row.account_email] = row.line
                fresh.append(row)
        return fresh, problems

    def _problem(self, row: AcceptedRow, key: str, message: str) -> Problem:
        return Problem(row.line, self.spec.column_of(key), "duplicate_in_file", message, row.values)


@dataclass
class Resolution:
    """One batch against storage: what to create, what is already there, what conflicts."""

    create: list[AcceptedRow] = field(default_factory=list)
    present: list[AcceptedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def resolve(spec: ValidationSpec, rows: list[AcceptedRow], existing: Existing) -> Resolution:
    """A registered document makes the row "already present" (never updated, never created twice); an external id
    or billing e-mail held by another customer refuses it, with the registry's own message."""
    result = Resolution()
    for row in rows:
        if (row.document_type, row.document_number) in existing.documents:
            result.present.append(row)
        elif row.external_id and row.external_id in existing.external_ids:
            error = ExternalIdInUse(row.external_id, existing.external_ids[row.external_id])
            result.problems.append(Problem(row.line, spec.column_of("external_id"), error.code, error.message,
                                           row.values))  # fmt: skip
        elif row.account_email and row.account_email in existing.account_emails:
            account, owner = existing.account_emails[row.account_email]
            error = AccountEmailInUse(row.account_email, account, owner)
            result.problems.append(Problem(row.line, spec.column_of("account_email"), error.code, error.message,
                                           row.values))  # fmt: skip
        else:
            result.create.append(row)
    return result


@dataclass
class BatchOutcome:
    counts: dict[str, int]
    problems: list[Problem]
    resolution: Resolution


def classify(chunk: ChunkResult, fresh: list[AcceptedRow], duplicates: list[Problem],
             resolution: Resolution) -> BatchOutcome:  # fmt: skip
    rejected = chunk.rejected + len({p.line for p in duplicates}) + len({p.line for p in resolution.problems})
    accepted = len(resolution.create) + len(resolution.present)
    counts = {"rows": accepted + rejected + chunk.skipped, "accepted": accepted, "rejected": rejected,
              "skipped": chunk.skipped, "created": len(resolution.create), "already_present": len(resolution.present),
              "accounts_created": sum(1 for r in resolution.create if r.account is not None)}  # fmt: skip
    problems = sorted([*chunk.problems, *duplicates, *resolution.problems], key=lambda p: p.line)
    return BatchOutcome(counts, problems, resolution)


@dataclass
class ImportSummary:
    """A dry run: the counts a run would give and its problems (all of them, for the report)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    problems: list[Problem] = field(default_factory=list)

    @property
    def first_problems(self) -> list[Problem]:
        return self.problems[:PREVIEW_PROBLEMS]


def analyze(spec: ValidationSpec, chunks: Iterable[ChunkResult],
            lookup: Callable[[list[AcceptedRow]], Existing]) -> ImportSummary:  # fmt: skip
    """What importing would do, writing nothing: validation, duplicates in the file, rows already registered."""
    keys, summary = FileKeys(spec), ImportSummary()
    for chunk in chunks:
        fresh, duplicates = keys.take(chunk.accepted)
        outcome = classify(chunk, fresh, duplicates, resolve(spec, fresh, lookup(fresh) if fresh else Existing()))
        for name, value in outcome.counts.items():
            summary.counts[name] += value
        summary.problems.extend(outcome.problems)
    summary.counts["created"], summary.counts["accounts_created"] = 0, 0  # a dry run creates nothing...
    summary.counts["to_create"] = summary.counts["accepted"] - summary.counts["already_present"]  # ...it would
    return summary
