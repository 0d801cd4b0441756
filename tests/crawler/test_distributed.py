"""Several workers, one crawl: real `firewatch crawl --redis` processes share one queue in the real
Redis (127.0.0.1:6379; FIREWATCH_TEST_REDIS to change) and crawl the demo site over HTTP.

Redis runs on every machine here and in CI, so a test that cannot reach it fails; it never skips.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redis
import yaml
from sqlalchemy import select

from firewatch.core.store.models import CrawlRun, Post, Source
from tests.conftest import CONFIG_DIR
from tests.crawler.conftest import FIREWATCH, REPO, run_crawl

pytestmark = pytest.mark.redis
REDIS_URL = os.environ.get("FIREWATCH_TEST_REDIS", "redis://127.0.0.1:6379/0")
IDLE = "FIREWATCH_REDIS_IDLE=3"


@pytest.fixture
def shared_redis():
    """A reachable Redis and a key prefix of this test's own; its keys are deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # no Redis: the test fails here
    prefix = f"fwtest-{uuid.uuid4().hex[:10]}"
    yield client, prefix
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def slow_forum(demo_sources) -> Path:
    """The demo forum with a small delay, so a crawl lasts long enough for two workers to share."""
    path = demo_sources["demo-forum"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["politeness"].update(delay=0.3, concurrency=1)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _worker(env, source: Path, prefix: str) -> subprocess.Popen:
    args = [*FIREWATCH, "crawl", str(source), "--redis", REDIS_URL, "--redis-prefix", prefix,
            "--set", IDLE, "--no-capture", "--json"]
    return subprocess.Popen(args, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _summary(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err[-3000:]
    (line,) = [line for line in out.splitlines() if line.startswith("{")]
    return json.loads(line)


def _fingerprint(url: str) -> str:
    from scrapy import Request
    from scrapy_redis.dupefilter import RFPDupeFilter

    return RFPDupeFilter(None, "").request_fingerprint(Request(url))


def _fetched(site) -> Counter:
    return Counter(path for path in site.requests if path != "/robots.txt")


def test_two_workers_share_one_crawl(app_ctx, cli_env, demo_site, slow_forum, shared_redis):
    client, prefix = shared_redis
    workers = [_worker(cli_env, slow_forum, prefix) for _ in range(2)]
    summaries = [_summary(w) for w in workers]

    fetched = _fetched(demo_site)
    assert fetched and max(fetched.values()) == 1, [p for p, n in fetched.items() if n > 1]  # no page twice
    assert demo_site.requests.count("/robots.txt") == 2  # each worker reads robots.txt itself...
    assert not [p for p in fetched if p.startswith("/forum/private/")]  # ...and obeys it
    assert all(s["pages"] > 0 for s in summaries), summaries  # both did part of the work
    scheduled = [p for p in fetched if p.startswith(("/forum/forum-", "/forum/thread-"))]
    # the runs' page counts add up to what the site served (images for OCR may count or not)
    assert len(scheduled) <= sum(s["pages"] for s in summaries) <= sum(fetched.values())

    with app_ctx.sessions() as session:
        posts = session.scalars(select(Post).join(Source).where(Source.name == "demo-forum")).all()
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
    threads = [p for p in fetched if "/forum/thread-" in p]
    assert len(posts) == len(threads) > 30  # every post once, one per detail page
    assert len({p.key for p in posts}) == len(posts)
    assert sum(s["new_items"] for s in summaries) == len(posts)
    assert [r.id for r in runs] == sorted(s["run_id"] for s in summaries)
    assert all(r.hostname == socket.gethostname() and r.status == "ok" for r in runs)
    assert all(f"{prefix}:demo-forum:requests" in r.message for r in runs)

    # the duplicate filter persists, with an expiry so tomorrow's crawl starts afresh
    dupefilter_key = f"{prefix}:demo-forum:dupefilter"
    assert all(client.sismember(dupefilter_key, _fingerprint(demo_site.base_url + p)) for p in scheduled)
    assert 0 < client.ttl(dupefilter_key) <= 3600


def test_rerun_fetches_nothing_until_reset(app_ctx, cli_env, demo_site, demo_sources, shared_redis):
    client, prefix = shared_redis
    forum = str(demo_sources["demo-forum"])
    shared = ["--redis", REDIS_URL, "--redis-prefix", prefix, "--set", IDLE, "--no-capture"]
    first = run_crawl(cli_env, forum, *shared)
    assert first.code == 0 and first.summaries["demo-forum"]["new_items"] > 30, first.stderr[-2000:]
    assert client.exists(f"{prefix}:demo-forum:dupefilter")

    demo_site.requests.clear()
    again = run_crawl(cli_env, forum, *shared)
    assert again.code == 0, again.stderr[-2000:]
    assert again.summaries["demo-forum"]["pages"] == 0 and not _fetched(demo_site)
    assert "本机没有分到页面" in again.summaries["demo-forum"]["message"]

    reset = subprocess.run([*FIREWATCH, "crawl", forum, "--redis", REDIS_URL, "--redis-prefix", prefix,
                            "--redis-reset"], env=cli_env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert reset.returncode == 0 and "已清空" in reset.stdout, reset.stderr
    assert not list(client.scan_iter(f"{prefix}:*"))
    assert not _fetched(demo_site)  # the reset crawled nothing

    fresh = run_crawl(cli_env, forum, *shared)
    # the listing is fetched again (then paging stops early: its posts are already stored)
    assert fresh.code == 0 and fresh.summaries["demo-forum"]["pages"] > 0
    assert "/forum/forum-2-1.html" in _fetched(demo_site)


def test_browser_sources_and_unreachable_redis_are_refused(app_ctx, cli_env, demo_sources, shared_redis):
    _, prefix = shared_redis
    browser = run_crawl(cli_env, str(demo_sources["demo-feed"]), "--redis", REDIS_URL, "--redis-prefix", prefix)
    assert browser.code == 2 and "浏览器来源不支持" in browser.stderr and "demo-feed" in browser.stderr
    down = run_crawl(cli_env, str(demo_sources["demo-forum"]), "--redis", "redis://:topsecret@127.0.0.1:1/0")
    assert down.code == 1 and "无法连接 Redis" in down.stderr and "topsecret" not in down.stderr
    with_env = run_crawl({**cli_env, "FIREWATCH_REDIS_URL": "redis://127.0.0.1:1/0"}, str(demo_sources["demo-forum"]))
    assert with_env.code == 1 and "无法连接 Redis" in with_env.stderr  # the setting alone turns it on


def test_all_sources_skips_browser_sources_with_a_notice(app_ctx, cli_env, demo_site, demo_sources, shared_redis,
                                                         tmp_path):
    _, prefix = shared_redis
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config, ignore=shutil.ignore_patterns("sources"))
    (config / "sources").mkdir()
    for name in ("demo-forum", "demo-feed"):
        shutil.copy(demo_sources[name], config / "sources" / f"{name}.yaml")
    env = {**cli_env, "FIREWATCH_CONFIG": str(config), "FIREWATCH_REDIS_URL": REDIS_URL}
    result = run_crawl(env, "--all", "--redis-prefix", prefix, "--set", IDLE, "--no-capture")
    assert result.code == 0, result.stderr[-2000:]
    assert list(result.summaries) == ["demo-forum"] and result.summaries["demo-forum"]["new_items"] > 30
    assert "已跳过浏览器来源" in result.stderr and "demo-feed" in result.stderr
    assert not [p for p in demo_site.requests if p.startswith("/feed")]
