"""Sources are Scrapy spiders: `scrapy list` names every YAML source, `scrapy crawl NAME` works."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from firewatch.core.store.models import CrawlRun, Post
from tests.crawler.conftest import REPO

SCRAPY = str(Path(sys.executable).with_name("scrapy"))


def test_scrapy_list_names_every_yaml_source(cli_env):
    shipped = sorted(p.stem for p in (REPO / "config" / "sources").glob("*.yaml"))
    proc = subprocess.run([SCRAPY, "list"], cwd=REPO, env=cli_env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == shipped


def test_scrapy_crawl_name_stores_posts(app_ctx, cli_env, demo_sources, tmp_path):
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config, ignore=shutil.ignore_patterns("sources"))
    (config / "sources").mkdir()
    shutil.copy(demo_sources["demo-market"], config / "sources")
    env = {**cli_env, "FIREWATCH_CONFIG": str(config)}
    listed = subprocess.run([SCRAPY, "list"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert listed.stdout.split() == ["demo-market"]
    proc = subprocess.run([SCRAPY, "crawl", "demo-market", "-s", "LOG_LEVEL=WARNING"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    with app_ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 28
        assert session.scalars(select(CrawlRun)).one().status == "ok"


def test_crawl_by_name_and_all_enabled(app_ctx, cli_env, demo_sources, tmp_path):
    import yaml

    from tests.crawler.conftest import run_crawl

    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config, ignore=shutil.ignore_patterns("sources"))
    (config / "sources").mkdir()
    shutil.copy(demo_sources["demo-market"], config / "sources")
    captcha = yaml.safe_load(demo_sources["demo-captcha"].read_text(encoding="utf-8"))
    (config / "sources" / "demo-captcha.yaml").write_text(
        yaml.safe_dump({**captcha, "enabled": False}, allow_unicode=True), encoding="utf-8")
    env = {**cli_env, "FIREWATCH_CONFIG": str(config)}
    everything = run_crawl(env, "--all")
    assert everything.code == 0 and set(everything.summaries) == {"demo-market"}  # disabled one left out
    by_name = run_crawl(env, "demo-captcha")
    assert by_name.code == 3 and by_name.summaries["demo-captcha"]["status"] == "captcha"
    unknown = run_crawl(env, "no-such-source")
    assert unknown.code == 2 and "no-such-source" in unknown.stderr
