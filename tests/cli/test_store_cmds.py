"""`firewatch posts --json` and `firewatch runs --json` exactly as the contracts say."""

import json
import subprocess
import sys
from datetime import datetime, timezone

from firewatch.core.store.models import CrawlRun, Post, Source

POST_KEYS = ["id", "source", "platform", "url", "title", "text", "author", "published_at",
             "first_seen_at", "score", "flagged", "status"]
RUN_KEYS = ["source", "started_at", "finished_at", "status", "pages", "items", "new_items", "message",
            "hostname"]  # the contract's keys in order, then extensions


def _seed(ctx):
    with ctx.sessions.begin() as session:
        source = Source(name="longcheng-forum", platform="forum")
        session.add(source)
        session.flush()
        session.add(CrawlRun(source_id=source.id, status="ok", pages=3, items=7, new_items=5, hostname="patrol-1",
                             started_at=datetime(2026, 1, 20, 1, 0, tzinfo=timezone.utc),
                             finished_at=datetime(2026, 1, 20, 1, 2, tzinfo=timezone.utc)))
        session.add(Post(source_id=source.id, key="t1", platform="forum", url="http://x/t1",
                         title="出售烟花", text="加特林 200元/箱 送货上门", author="老王",
                         score=0.93, flagged=True))
        session.add(Post(source_id=source.id, key="t2", platform="forum", url="http://x/t2",
                         title="禁放通告", text="市区禁止燃放烟花爆竹", score=0.05, flagged=False))


def _run(cli_env, *args):
    result = subprocess.run([sys.executable, "-m", "firewatch", *args], env=cli_env,
                            capture_output=True, text=True, check=True)
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_posts_json_contract(app_ctx, cli_env):
    _seed(app_ctx)
    rows = _run(cli_env, "posts", "--json")
    assert [list(r) for r in rows] == [POST_KEYS, POST_KEYS]
    assert rows[0]["title"] == "出售烟花" and rows[0]["flagged"] is True
    assert rows[0]["source"] == "longcheng-forum" and rows[0]["score"] == 0.93
    datetime.fromisoformat(rows[0]["first_seen_at"])


def test_posts_flagged_filter(app_ctx, cli_env):
    _seed(app_ctx)
    assert [r["title"] for r in _run(cli_env, "posts", "--json", "--flagged")] == ["出售烟花"]


def test_runs_json_contract(app_ctx, cli_env):
    _seed(app_ctx)
    (run,) = _run(cli_env, "runs", "--json")
    assert list(run) == RUN_KEYS
    assert run["status"] == "ok" and run["pages"] == 3 and run["new_items"] == 5
    assert run["hostname"] == "patrol-1"
    assert datetime.fromisoformat(run["finished_at"]) > datetime.fromisoformat(run["started_at"])


def test_help_does_not_import_heavy_libraries():
    code = ("import sys; from firewatch.cli import app; "
            "heavy = [m for m in ('scrapy', 'playwright', 'jieba', 'pandas', 'reportlab') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
