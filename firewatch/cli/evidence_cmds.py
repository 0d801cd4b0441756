"""Evidence commands: ``capture``, ``case create``, ``export case``, ``verify``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from firewatch.cli import app
from firewatch.cli.common import EXIT_BAD_INPUT, EXIT_FAILURE, app_context, fail

case_app = typer.Typer(help="案件 (cases): create a case from confirmed posts", no_args_is_help=True)
export_app = typer.Typer(help="导出证据包 (export evidence packages)", no_args_is_help=True)
app.add_typer(case_app, name="case")
app.add_typer(export_app, name="export")


@app.command()
def capture(
    limit: Optional[int] = typer.Option(None, help="Capture at most this many posts"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No per-post progress lines"),
) -> None:
    """Capture flagged posts in Chromium (screenshot, DOM, WARC); failed ones are retried next run.

    Exits 0 when every attempted capture succeeded, 1 when any failed (recorded for retry)."""
    from firewatch.evidence.capture import capture_pending

    ctx = app_context()
    try:
        summary = capture_pending(ctx, limit=limit, progress=not quiet)
    finally:
        ctx.close()
    typer.echo(f"采集完成：成功 {summary.ok} 条，失败 {summary.failed} 条")
    if summary.failed:
        raise typer.Exit(EXIT_FAILURE)


@case_app.command("create")
def case_create(
    title: str = typer.Argument(..., help="案件名称"),
    post: list[int] = typer.Option(..., "--post", help="Post id; repeat for several posts"),
    cause: str = typer.Option("", "--cause", help="案由, e.g. 非法经营烟花爆竹"),
    number: str = typer.Option("", "--number", help="案号 (case number)"),
    unit: str = typer.Option("", "--unit", help="办案单位; default: the `unit` setting"),
    investigator: list[str] = typer.Option([], "--investigator",
                                           help="侦查(执法)人员; repeat or separate with commas (two or more)"),
    witness: str = typer.Option("", "--witness", help="见证人"),
    no_witness_reason: str = typer.Option("", "--no-witness-reason", help="无见证人的原因"),
    actor: str = typer.Option("", "--actor", help="Who creates the case (for the audit trail)"),
) -> None:
    """Create a case from posts; prints the new case id on the last line."""
    from firewatch.core.review.cases import CaseError, CaseFields, create_case, investigator_names

    ctx = app_context()
    fields = CaseFields(title, cause, number, unit or ctx.settings.unit, investigator_names(investigator),
                        witness, no_witness_reason)
    try:
        with ctx.sessions() as session:
            case = create_case(session, fields, list(post), actor=actor)
            session.commit()
            case_id = case.id
    except CaseError as exc:
        fail(f"无法创建案件：{exc}", EXIT_BAD_INPUT)
    finally:
        ctx.close()
    missing = fields.problems()
    if missing:
        typer.echo("注意：导出证据包前须补全：" + "；".join(missing), err=True)
    typer.echo(case_id)


@export_app.command("case")
def export_case_command(
    case_id: int = typer.Argument(..., help="Case id (from `firewatch case create`)"),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the package"),
    actor: str = typer.Option("", "--actor", help="Who exports (for the audit trail)"),
) -> None:
    """Write the case's signed WACZ evidence package; prints its path on the last line."""
    from firewatch.evidence.export import ExportError, export_case
    from firewatch.evidence.signing import SigningKeyError

    ctx = app_context()
    try:
        path = export_case(ctx, case_id, out, actor=actor)
    except (ExportError, SigningKeyError) as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    finally:
        ctx.close()
    typer.echo(str(path))


@app.command()
def verify(
    package: Path = typer.Argument(..., help="A .wacz package made by `firewatch export case`"),
    key: Optional[str] = typer.Option(
        None, "--key", help="Expected signer: a public key PEM file or its sha256: fingerprint"),
    tsa_ca: Optional[Path] = typer.Option(
        None, "--tsa-ca", help="Root certificate (PEM) of the RFC 3161 timestamping authority"),
) -> None:
    """Check every file hash, WARC record digest, the manifest digest and the signature.

    Exits 0 only when all hold; otherwise 1, naming each missing or changed file."""
    from firewatch.evidence.verify import verify_package

    trusted = key
    if key and not key.startswith("sha256:"):
        if not Path(key).is_file():
            fail(f"找不到公钥文件：{key}", EXIT_BAD_INPUT)
        trusted = Path(key).read_text(encoding="ascii")
    if not package.is_file():
        fail(f"找不到证据包：{package}", EXIT_BAD_INPUT)
    if tsa_ca is not None and not tsa_ca.is_file():
        fail(f"找不到 TSA 根证书：{tsa_ca}", EXIT_BAD_INPUT)
    root = str(tsa_ca) if tsa_ca else (app_context().settings.tsa_ca or None)
    report = verify_package(package, trusted_key=trusted, tsa_ca=root)
    typer.echo(f"证据包：{package}")
    typer.echo(f"已核验文件 {report.files_checked} 个，WARC 记录 {report.warc_records_checked} 条")
    typer.echo(f"清单摘要：{report.manifest_hash}")
    typer.echo(f"签名公钥指纹：{report.key_fingerprint}")
    if report.timestamp:
        typer.echo(f"可信时间戳：{report.timestamp}")
    if report.ok:
        typer.echo("核验通过：所有文件、WARC 记录校验值和签名均一致")
        return
    for problem in report.problems:
        typer.echo(f"不一致：{problem}")
    typer.echo(f"核验失败：发现 {len(report.problems)} 处问题", err=True)
    raise typer.Exit(EXIT_FAILURE)
