"""Source health: the latest finished run decides; blocked, login-expired and stale sources need a person."""

from datetime import datetime, timedelta, timezone

from firewatch.core.health import source_health
from firewatch.core.store.models import CrawlRun, Source

NOW = datetime(2027, 2, 1, 8, 0, tzinfo=timezone.utc)


def _run(session, source, status, hours_ago):
    at = NOW - timedelta(hours=hours_ago)
    session.add(CrawlRun(source_id=source.id, status=status, started_at=at, finished_at=at))


def test_health_judges_latest_run(app_ctx):
    with app_ctx.sessions.begin() as session:
        forum, xhs, weibo = (Source(name=n, platform="forum") for n in ("forum", "xhs", "weibo"))
        session.add_all([forum, xhs, weibo])
        session.flush()
        _run(session, forum, "captcha", 30)
        _run(session, forum, "ok", 2)          # recovered: latest run wins
        _run(session, xhs, "ok", 30)
        _run(session, xhs, "login_required", 3)
        _run(session, weibo, "ok", 50)         # stale
    with app_ctx.sessions() as session:
        report = {h.source: h for h in source_health(session, ["forum", "xhs", "weibo", "tieba"],
                                                     timedelta(hours=36), now=NOW)}
    assert report["forum"].ok and report["forum"].last_status == "ok"
    assert not report["xhs"].ok and "登录" in report["xhs"].problem
    assert not report["weibo"].ok and "36" in report["weibo"].problem
    assert report["tieba"].last_status == "never" and not report["tieba"].ok


def test_sources_crawled_from_a_path_and_disabled_sources(app_ctx):
    """The demo crawls YAML files outside config/sources: `health` and the dashboard both report
    them (one function, one answer); a disabled source is reported but needs nobody."""
    with app_ctx.sessions.begin() as session:
        demo, off = Source(name="demo-captcha", platform="forum"), Source(name="off", platform="weibo")
        session.add_all([demo, off])
        session.flush()
        _run(session, demo, "captcha", 1)
    with app_ctx.sessions() as session:
        report = source_health(session, ["off", "never-run"], timedelta(hours=36), now=NOW,
                               disabled=frozenset({"off"}))
    by_name = {h.source: h for h in report}
    assert [h.source for h in report] == ["off", "never-run", "demo-captcha"]
    assert not by_name["demo-captcha"].configured and "firewatch login demo-captcha" in by_name["demo-captcha"].problem
    assert by_name["off"].ok and by_name["off"].last_status == "disabled"
    assert "firewatch crawl never-run" in by_name["never-run"].problem
