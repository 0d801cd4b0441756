"""``classify``, ``eval`` and ``reclassify``: the classifier from the command line."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Optional

import typer

from firewatch.cli import app
from firewatch.cli.common import EXIT_BAD_INPUT, app_context, fail

RECLASSIFY_BATCH = 500


def _classifier():
    """The classifier from the configured lexicon, fully loaded. Its tables (and jieba's
    dictionary) live for the whole run, so they are frozen out of the garbage collector's scans."""
    import gc

    from classifiers import LexiconError, load_classifier

    config = app_context().settings.config
    try:
        clf = load_classifier(config)
    except LexiconError as exc:
        fail(f"词库配置错误 (lexicon): {exc}", EXIT_BAD_INPUT)
    clf.warm_up()
    gc.collect()
    gc.freeze()
    # Each post allocates a few hundred short-lived tuples and none of them form cycles; the
    # default threshold (700) would run a young-generation collection every few posts.
    gc.set_threshold(50_000, 50, 50)
    return clf


def _input_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    stream = sys.stdin.buffer if str(path) == "-" else open(path, "rb")
    try:
        for n, raw in enumerate(stream, 1):
            yield n, (raw[3:] if n == 1 and raw.startswith(b"\xef\xbb\xbf") else raw)   # BOM
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _parse(n: int, line: bytes) -> tuple[dict[str, Any] | None, str]:
    """The post on line ``n``, or None and a Chinese message saying what is wrong. orjson first
    (fast); the standard parser decides when orjson refuses (invalid UTF-8, lone surrogates)."""
    import orjson

    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError:
        try:
            record = json.loads(line.decode("utf-8", errors="replace"))
        except json.JSONDecodeError as exc:
            return None, f"第 {n} 行：不是有效的 JSON（{exc.msg}，第 {exc.colno} 列），已跳过"
    if not isinstance(record, dict):
        return None, f"第 {n} 行：应为 JSON 对象 {{id, text, title?, platform?}}，已跳过"
    return record, ""


def _encode(record: dict[str, Any]) -> bytes:
    """One output line; text with lone surrogates falls back to ASCII escapes (still valid JSON)."""
    import orjson

    try:
        return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        return (json.dumps(record, ensure_ascii=True) + "\n").encode("ascii")


@app.command()
def classify(
    input_path: Path = typer.Argument(..., metavar="IN.jsonl", help="One post a line: {id, text, title?, platform?, ocr?, parent?, thread_title?, found_by?, seller_history?}; - for stdin"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write verdicts here (default stdout)"),
) -> None:
    """Classify posts from a JSON-lines file; one verdict a line, in input order."""
    if str(input_path) != "-" and not input_path.is_file():
        fail(f"找不到输入文件：{input_path}", EXIT_BAD_INPUT)
    if output and not output.parent.is_dir():
        fail(f"输出文件夹不存在：{output.parent}", EXIT_BAD_INPUT)
    from classifiers.evaluate import classify_record

    clf = _classifier()
    bad = 0
    out: BinaryIO = open(output, "wb") if output else sys.stdout.buffer
    try:
        for n, line in _input_lines(input_path):
            if not line.strip():
                continue
            record, problem = _parse(n, line)
            if record is None:
                bad += 1
                typer.echo(problem, err=True)
                continue
            verdict = classify_record(clf, record)
            out.write(_encode({"id": record.get("id"), **verdict.to_dict()}))
    finally:
        out.flush()
        if output:
            out.close()
    if bad:
        fail(f"共有 {bad} 行无法解析，其余已分类", EXIT_BAD_INPUT)


@app.command("eval")
def eval_(
    labelled: Path = typer.Argument(..., metavar="LABELED.jsonl", help="Posts with label (1 sale, 0 not) and category"),
    json_output: bool = typer.Option(False, "--json", help="Print the report as one JSON object"),
    split: Optional[str] = typer.Option(None, help="Only records whose 'split' field has this value (dev, holdout)"),
    errors: int = typer.Option(10, help="How many of the worst errors to show"),
) -> None:
    """Precision, recall, F1, confusion counts, per-category accuracy and the worst errors."""
    from classifiers.evaluate import LabelledDataError, evaluate, read_labelled

    if not labelled.is_file():
        fail(f"找不到标注文件：{labelled}", EXIT_BAD_INPUT)
    try:
        records = read_labelled(labelled)
    except LabelledDataError as exc:
        fail(f"标注文件有误：{exc}", EXIT_BAD_INPUT)
    if split:
        records = [r for r in records if r.get("split") == split]
    clf = _classifier()
    summary = evaluate(clf, records).summary(errors)
    summary["classifier_version"] = clf.version
    if json_output:
        typer.echo(json.dumps(summary, ensure_ascii=False))
        return
    _print_report(summary)


def _print_report(summary: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    c = summary["confusion"]
    console.print(f"分类器版本 {summary['classifier_version']}  样本 {summary['n']} 条")
    console.print(f"precision {summary['precision']:.4f}  recall {summary['recall']:.4f}  "
                  f"F1 {summary['f1']:.4f}  accuracy {summary['accuracy']:.4f}")
    console.print(f"confusion: TP {c['tp']}  FP {c['fp']}  FN {c['fn']}  TN {c['tn']}")
    table = Table("category", "label", "n", "correct", "rate")
    for name, row in summary["per_category"].items():
        table.add_row(name, str(row["label"]), str(row["n"]), str(row["correct"]), f"{row['rate']:.2f}")
    console.print(table)
    _print_styles_and_bands(console, summary)
    for err in summary["worst_errors"]:
        kind = "漏报 FN" if err["expected"] else "误报 FP"
        console.print(f"[bold]{kind}[/bold] {err['id']} ({err['category']}) score={err['score']:.3f} "
                      f"label={err['label']}: {(err['title'] + ' ' + err['text'])[:120]}", markup=True)
        for rule, weight, description in err["reasons"]:
            console.print(f"    {weight:+.2f} {rule}: {description}", markup=False)


def _print_styles_and_bands(console, summary: dict[str, Any]) -> None:
    from rich.table import Table

    rows = dict(summary.get("per_style") or {})
    if "comments" in summary:
        rows["comments"] = summary["comments"]
    if rows:
        table = Table("subset", "n", "precision", "recall", "F1")
        for name, m in rows.items():
            table.add_row(name, str(m["n"]), f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}")
        console.print(table)
    rel = summary["reliability"]
    table = Table("flagged, score", "posts", "sales", "share of sales")
    for name, band in rel["bands"].items():
        share = "-" if band["share"] is None else f"{band['share']:.3f}"
        table.add_row(name, str(band["flagged"]), str(band["sales"]), share)
    console.print(table)
    console.print(f"flagged at ≥0.99: {rel['certain']} ({rel['certain_share']:.3f})")


@app.command()
def reclassify(
    batch: int = typer.Option(RECLASSIFY_BATCH, help="Posts per database transaction"),
) -> None:
    """Rescore every stored post with the current lexicon and report how many flags changed."""
    if batch < 1:
        fail("--batch 必须是正整数", EXIT_BAD_INPUT)
    ctx = app_context()
    clf = _classifier()
    result = run_reclassify(ctx, clf, batch)
    typer.echo(
        f"已重新分类 {result.total} 条帖子（分类器版本 {clf.version}）；标记变化 {result.changed} 条："
        f"新增标记 {result.newly_flagged} 条，取消标记 {result.unflagged} 条"
    )


@dataclass
class ReclassifyResult:
    total: int = 0
    newly_flagged: int = 0
    unflagged: int = 0

    @property
    def changed(self) -> int:
        return self.newly_flagged + self.unflagged


def run_reclassify(ctx, clf, batch: int = RECLASSIFY_BATCH) -> ReclassifyResult:
    """Classify every stored post again, in id order and batches of ``batch`` (one transaction
    each, so an interrupted run keeps what it finished), storing verdicts with apply_verdict."""
    from rich.progress import Progress
    from sqlalchemy import func, select

    from firewatch.core.store.models import Post

    result = ReclassifyResult()
    with ctx.sessions() as session:
        total = session.scalar(select(func.count(Post.id))) or 0
    last_id = 0
    with Progress(transient=False) as progress:
        task = progress.add_task("重新分类", total=total)
        while True:
            with ctx.sessions() as session, session.begin():
                posts = session.scalars(
                    select(Post).where(Post.id > last_id).order_by(Post.id).limit(batch)).all()
                if not posts:
                    break
                versions = _latest_versions(session, [p.id for p in posts])
                for post in posts:
                    _rescore(session, clf, post, versions.get(post.id), result)
                last_id = posts[-1].id
            progress.advance(task, len(posts))
    return result


def _latest_versions(session, post_ids: list[int]) -> dict[int, int]:
    from sqlalchemy import func, select

    from firewatch.core.store.models import PostVersion

    rows = session.execute(select(PostVersion.post_id, func.max(PostVersion.id))
                           .where(PostVersion.post_id.in_(post_ids)).group_by(PostVersion.post_id))
    return {post_id: version_id for post_id, version_id in rows}


def _rescore(session, clf, post, version_id: int | None, result: ReclassifyResult) -> None:
    from firewatch.core.store.verdicts import apply_verdict

    was_flagged = bool(post.flagged)
    verdict = clf.classify(post.text or "", title=post.title or "", platform=post.platform or "",
                           ocr=post.ocr_text or "")   # context (found_by, parent, history): issue 11, store side pending
    apply_verdict(session, post, verdict.to_dict(), clf.version, version_id)
    result.total += 1
    if verdict.flagged and not was_flagged:
        result.newly_flagged += 1
    elif was_flagged and not verdict.flagged:
        result.unflagged += 1
