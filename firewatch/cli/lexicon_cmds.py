"""``lexicon suggest``: candidate terms from officers' decisions, for a lexicon maintainer.
The analysis is classifiers.suggest (pure, over texts); this command only reads the store."""

from __future__ import annotations

import json
from typing import Optional

import typer

from firewatch.cli import app
from firewatch.cli.common import EXIT_BAD_INPUT, fail

lexicon_app = typer.Typer(help="词库维护 (lexicon maintenance)", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")


@lexicon_app.command("suggest")
def suggest_cmd(
    low: float = typer.Option(0.5, help="Confirmed sales scored below this are misses"),
    high: float = typer.Option(0.5, help="Dismissed posts scored at or above this are false alarms"),
    limit: int = typer.Option(30, help="Candidates per list"),
    min_posts: int = typer.Option(2, help="Posts an n-gram must occur in"),
    json_output: Optional[bool] = typer.Option(False, "--json", help="One JSON object"),
) -> None:
    """Print n-grams that recur in missed sales and in false alarms and are not in the lexicon yet."""
    from classifiers.suggest import suggest
    from firewatch.cli.classify_cmds import _classifier
    from firewatch.cli.common import app_context

    if not 0 <= low <= 1 or not 0 <= high <= 1 or limit < 1 or min_posts < 1:
        fail("--low/--high 须在 0–1 之间，--limit 与 --min-posts 须为正整数", EXIT_BAD_INPUT)
    missed, alarms = _decided_texts(app_context(), low, high)
    result = suggest(_classifier(), missed, alarms, limit=limit, min_posts=min_posts)
    if json_output:
        typer.echo(json.dumps({"missed_posts": len(missed), "false_alarm_posts": len(alarms),
                               "missed": [c.__dict__ for c in result.missed],
                               "false_alarms": [c.__dict__ for c in result.false_alarms]}, ensure_ascii=False))
        return
    _print("漏报线索：已确认为销售但得分低的帖子", len(missed), result.missed)
    _print("误报线索：已排除但得分高的帖子", len(alarms), result.false_alarms)
    typer.echo("以上仅为候选词，请人工判断后再写入 config/lexicon（不会自动添加）。")


def _decided_texts(ctx, low: float, high: float) -> tuple[list[str], list[str]]:
    from sqlalchemy import select

    from firewatch.core.review.statuses import SALE_STATUSES
    from firewatch.core.store.models import Post

    def texts(condition) -> list[str]:
        with ctx.sessions() as session:
            rows = session.execute(select(Post.title, Post.text, Post.ocr_text).where(condition))
            return ["\n".join(part for part in row if part) for row in rows]

    return (texts(Post.status.in_(sorted(SALE_STATUSES)) & (Post.score < low)),
            texts((Post.status == "dismissed") & (Post.score >= high)))


def _print(heading: str, posts: int, candidates) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{heading}[/bold]（{posts} 条）")
    if not candidates:
        console.print("  （没有重复出现的新词）")
        return
    table = Table("候选词", "帖子数", "出现次数", "另一组帖子数")
    for c in candidates:
        table.add_row(c.ngram, str(c.posts), str(c.count), str(c.other_posts))
    console.print(table)
