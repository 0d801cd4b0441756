"""A crawl captures what it flagged before it ends: posts are deleted within days."""

from __future__ import annotations

import subprocess

from sqlalchemy import select

from firewatch.core.store.models import Capture, Post
from tests.crawler.conftest import FIREWATCH, REPO


def test_crawl_captures_newly_flagged_posts(app_ctx, cli_env, demo_site, demo_sources):
    env = {**cli_env, "FIREWATCH_CAPTURE_AFTER_CRAWL": "true"}
    proc = subprocess.run([*FIREWATCH, "crawl", str(demo_sources["demo-forum"])], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    with app_ctx.sessions() as session:
        flagged = set(session.scalars(select(Post.id).where(Post.flagged.is_(True))))
        captured = {c.post_id: c for c in session.scalars(select(Capture))}
    assert flagged and set(captured) == flagged
    assert all(c.status == "ok" and c.screenshot_path for c in captured.values())
    assert f"取证截图: 成功 {len(flagged)} 条" in proc.stdout


def test_no_capture_flag_wins_over_the_setting(app_ctx, cli_env, demo_site, demo_sources):
    env = {**cli_env, "FIREWATCH_CAPTURE_AFTER_CRAWL": "true"}
    proc = subprocess.run([*FIREWATCH, "crawl", "--no-capture", str(demo_sources["demo-forum"])], env=env,
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    with app_ctx.sessions() as session:
        assert session.scalars(select(Capture)).first() is None
