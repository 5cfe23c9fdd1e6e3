"""Files and shortcuts for import tests: a small customer CSV, and upload → confirm → run in this process."""

from __future__ import annotations

import uuid

from domain.access.permissions import Actor
from domain.imports import services as imports
from domain.imports.columns import mapping_from_json
from domain.imports.model import ImportRun
from persistence import var_files
from persistence.queries import imports as queries
from persistence.unit_of_work import SqlUnitOfWork

HEADER = ("Nome;Razão Social;CPF/CNPJ;E-mail;Telefone;CEP;Logradouro;Número;Complemento;Bairro;Cidade;UF;Cód. IBGE;"
          "ID externo;Nome da conta;E-mail de cobrança;Forma de pagamento;Limite de crédito")  # fmt: skip
ROWS = [
    "Conceição Gonçalves;;529.982.247-25;conceicao@exemplo.com.br;(11) 98765-4321;01310-100;Av. Paulista;1000;ap. 12;"
    "Bela Vista;São Paulo;sp;3550308;CLI-1;Principal;conceicao.cobranca@exemplo.com.br;Pix;R$ 1.234,56",
    "Horizonte Tecnologia;Horizonte Tecnologia Ltda;11.222.333/0001-81;financeiro@horizonte.com.br;(21) 3333-4444;"
    "20040002;Rua da Assembleia;10;sala 301;Centro;Rio de Janeiro;RJ;3304557;CLI-2;Matriz;contas@horizonte.com.br;"
    "Boleto;1.500,00",
    ";;;;;;;;;;;;;;;;;",  # separator-only: skipped
    "Sem Documento;;;sem@exemplo.com.br;;;;;;;;;;CLI-3;;;;",  # rejected: no document
    "Padaria São João;;12.ABC.345/01DE-35;padaria@exemplo.com.br;;88010-400;Rua Felipe Schmidt;15;;Centro;"
    "Florianópolis;SC;4205407;CLI-4;;;Cartão;0,00",
    "Conceição de Novo;;52998224725;outra@exemplo.com.br;;;;;;;;;;CLI-5;;;;",  # rejected: duplicate of line 2
    "",
    "Erro de UF;;45.997.418/0001-53;uf@exemplo.com.br;;01310-100;Av. Paulista;1;;Centro;São Paulo;XY;;CLI-6;;;;",
]
# What a run of SAMPLE gives: lines 2, 3, 6 created; 5, 7, 9 rejected; 4 and 8 skipped.
SAMPLE_COUNTS = {"rows": 8, "accepted": 3, "rejected": 3, "skipped": 2, "created": 3, "already_present": 0,
                 "accounts_created": 3}  # fmt: skip


def sample_csv(encoding: str = "cp1252") -> bytes:
    return "\r\n".join([HEADER, *ROWS]).encode(encoding)


def upload(actor: Actor, data: bytes, name: str = "clientes.csv") -> ImportRun:
    from reports.spreadsheets import open_table

    return imports.register_upload(SqlUnitOfWork(actor), file_name=name, data=data, table=open_table(data, name),
                                   save=lambda run_id, file_name, raw: save(actor, run_id, file_name, raw))  # fmt: skip


def save(actor: Actor, run_id: uuid.UUID, name: str, data: bytes) -> str:
    return var_files.save_bytes(actor.organization_id, "imports", f"{run_id}-{name}", data)  # type: ignore[arg-type]


def start(actor: Actor, run: ImportRun, *, batch_size: int | None = None) -> ImportRun:
    """Confirm the automatic mapping; tests shrink the batch size to see several batches in a small file."""
    started = imports.start_import(SqlUnitOfWork(actor), run_id=run.id, mapping=mapping_from_json(run.mapping))
    if batch_size is not None:
        with SqlUnitOfWork(actor) as uow:
            uow.imports.get(run.id).batch_size = batch_size
            uow.commit()
    return started


def import_now(actor: Actor, data: bytes, name: str = "clientes.csv", **kw: object) -> queries.RunView:
    from jobs.imports import run_import_now

    run = start(actor, upload(actor, data, name), batch_size=kw.pop("batch_size", None))  # type: ignore[arg-type]
    run_import_now(actor, run.id, **kw)  # type: ignore[arg-type]
    return queries.get_run(actor, run.id)
