"""A confirmed bulk action travels through the real queue (Redis and SQLite) and a worker applies it with progress."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from domain.background_jobs.model import JobStatus
from domain.segments import bulk
from jobs import segments as segment_jobs
from persistence import files
from persistence.queries.files import background_job
from persistence.unit_of_work import SqlUnitOfWork
from reports import segment_export
from tests.jobs.test_queue import run_pending
from tests.support.segment_factories import make_customer

SAO_PAULO = {"version": 1, "op": "and", "children": [{"field": "uf", "cmp": "eq", "value": "SP"}]}


@pytest.fixture
def paulistas(org, tmp_path):  # type: ignore[no-untyped-def]
    files.configure(tmp_path / "files")
    for n, balance in enumerate((-12_345, 0, 99_900)):
        make_customer(org, f"Cliente SP {n}", uf="SP", city="São Paulo", balance_cents=balance, tags=["vip"])
    make_customer(org, "Cliente RJ", uf="RJ")
    yield org
    files.configure(None)


def request(actor, action: str, params: dict, expected: int):  # type: ignore[no-untyped-def]
    return bulk.request_bulk_action(SqlUnitOfWork(actor), action=action, tree=SAO_PAULO, params=params,
                                    expected=expected)  # fmt: skip


def test_a_queued_tag_action_is_applied_by_a_worker_and_the_job_reports_it(queue, paulistas, admin) -> None:  # type: ignore[no-untyped-def]
    job = request(admin, "add_tag", {"tag": "campanha-2026"}, 3)
    segment_jobs.run_segment_bulk_action(str(paulistas.id), str(job.id))
    assert run_pending() == 1
    done = background_job(admin, job.id)
    assert (done.status, done.progress, done.total) == (JobStatus.DONE, 3, 3)
    assert done.message == "Etiqueta “campanha-2026” adicionada a 3 clientes."


def test_an_export_writes_the_whole_selection_to_csv_and_excel(queue, paulistas, admin) -> None:  # type: ignore[no-untyped-def]
    columns = ["name", "uf", "balance_cents", "tags"]
    for action in ("export_csv", "export_xlsx"):
        job = request(admin, action, {"columns": columns, "sort": {"key": "balance", "descending": False}}, 3)
        segment_jobs.run_segment_bulk_action(str(paulistas.id), str(job.id))
        assert run_pending() == 1
        done = background_job(admin, job.id)
        assert done.status is JobStatus.DONE and done.message == "3 clientes exportados."
        name, data = segment_export.export_file(admin, done.result_file_id)
        if action == "export_csv":
            assert name.endswith(".csv")
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
            assert rows == [["Nome", "UF", "Saldo", "Etiquetas"], ["Cliente SP 0", "SP", "-123,45", "vip"],
                            ["Cliente SP 1", "SP", "0,00", "vip"], ["Cliente SP 2", "SP", "999,00", "vip"]]  # fmt: skip
        else:
            sheet = load_workbook(io.BytesIO(data)).active
            values = [[c.value for c in row] for row in sheet.iter_rows()]
            assert values[0] == ["Nome", "UF", "Saldo", "Etiquetas"] and len(values) == 4
            assert float(values[1][2]) == -123.45 and "R$" in sheet.cell(2, 3).number_format


def test_small_selections_run_right_away_without_waiting_for_a_worker(queue, paulistas, admin) -> None:  # type: ignore[no-untyped-def]
    job = request(admin, "remove_tag", {"tag": "vip"}, 3)
    assert segment_jobs.dispatch(paulistas.id, job) is True
    assert background_job(admin, job.id).status is JobStatus.DONE
    assert run_pending() == 0


def test_the_lgpd_bulk_export_asks_the_lgpd_area_for_one_export_per_batch_of_customers(queue, paulistas, admin):  # type: ignore[no-untyped-def]
    assert segment_jobs.lgpd_bulk_available()
    job = request(admin, "lgpd_export", {}, 3)
    segment_jobs.run_segment_bulk_action(str(paulistas.id), str(job.id))
    run_pending()
    done = background_job(admin, job.id)
    assert (done.status, done.message) == (JobStatus.DONE, "Exportação LGPD pedida para 3 clientes.")
