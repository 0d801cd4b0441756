"""Real crawls of the demo site over HTTP: GBK forum with detail pages and robots.txt, JSON API
with keyword paging to an end marker, captcha and login walls, re-crawls and WARC links."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select
from warcio.archiveiterator import ArchiveIterator

from firewatch.core.store.models import CrawlRun, Post, PostVersion, Source
from tests.crawler.conftest import run_crawl


def _posts(app_ctx, source: str) -> list[Post]:
    with app_ctx.sessions() as session:
        return list(session.scalars(select(Post).join(Source).where(Source.name == source).order_by(Post.key)))


def test_forum_and_market_then_walls(app_ctx, cli_env, demo_site, demo_sources):
    result = run_crawl(cli_env, *(str(demo_sources[n]) for n in ("demo-forum", "demo-market", "demo-captcha", "demo-login")))
    assert result.code == 3, result.stderr
    s = result.summaries
    assert s["demo-forum"]["status"] == "ok" and s["demo-forum"]["new_items"] == 39
    assert s["demo-market"]["status"] == "ok" and s["demo-market"]["new_items"] == 28
    assert s["demo-captcha"]["status"] == "captcha" and s["demo-captcha"]["items"] == 0
    assert s["demo-login"]["status"] == "login_required"
    assert "验证" in s["demo-captcha"]["message"] and "登录" in s["demo-login"]["message"]

    # robots.txt was read and its disallowed board never fetched
    assert "/robots.txt" in demo_site.requests
    assert not [r for r in demo_site.requests if r.startswith("/forum/private/")]

    # GBK pages decoded; the detail page's text overrides the listing's (which had none)
    forum = {p.key: p for p in _posts(app_ctx, "demo-forum")}
    post = next(p for p in forum.values() if p.url.endswith("thread-1001-1-1.html"))
    assert post.title == "过年烟花到货了，品种齐全，武进区可送货上门" and "0519-86683721" in post.text
    emoji = next(p for p in forum.values() if p.url.endswith("thread-1015-1-1.html"))
    assert "🧨" in emoji.title and "yanhuo_cz" in emoji.text
    assert post.published_at is not None and post.author == "常州老王"

    # JSON: one request per keyword, pages until data.end, HTML in values reduced to text
    searches = [parse_qs(urlsplit(r).query) for r in demo_site.requests if r.startswith("/api/market/search")]
    pages = {(q["q"][0], int(q["page"][0])) for q in searches}
    assert pages == {("烟花", 1), ("烟花", 2), ("烟花", 3), ("鞭炮", 1), ("鞭炮", 2)}
    market = {p.key: p for p in _posts(app_ctx, "demo-market")}
    assert market["2001"].text.startswith("过年用的组合烟花，36发 88元。") and "<" not in market["2001"].text
    assert market["2001"].url == demo_site.base_url + "/market/item/2001.html"
    assert market["2001"].images == [demo_site.base_url + "/market/img/2001-1.jpg"]
    assert market["2001"].price == "88" and market["2001"].author == "常州老王"


def test_versions_link_to_warc_records(app_ctx, cli_env, demo_site, demo_sources):
    assert run_crawl(cli_env, str(demo_sources["demo-forum"])).code == 0
    with app_ctx.sessions() as session:
        versions = session.scalars(select(PostVersion)).all()
        run = session.scalars(select(CrawlRun)).one()
    assert len(versions) == 39 and run.warc_path
    for version in versions[:5]:
        assert version.warc_path == run.warc_path and version.warc_record_id
        with open(app_ctx.settings.in_home(version.warc_path), "rb") as stream:
            stream.seek(version.warc_offset)
            record = next(iter(ArchiveIterator(stream)))
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Record-ID") == version.warc_record_id
        assert record.rec_headers.get_header("WARC-Target-URI") == version.url
        raw = record.content_stream().read()
        assert record.http_headers.get_header("Content-Length") == str(len(raw))
        body = html.unescape(raw.decode("gb18030"))
        assert version.text.split()[0] in body


def test_recrawl_updates_without_duplicates_and_stops_early(app_ctx, cli_env, demo_site, demo_sources):
    forum = str(demo_sources["demo-forum"])
    assert run_crawl(cli_env, forum).code == 0
    listing_pages = [r for r in demo_site.requests if "/forum/forum-2-" in r]
    assert len(listing_pages) == 4
    demo_site.content.edit("forum", 1001, "已售完，谢谢大家。")
    demo_site.requests.clear()

    second = run_crawl(cli_env, forum)
    assert second.code == 0, second.stderr
    summary = second.summaries["demo-forum"]
    assert summary["new_items"] == 0 and summary["updated_items"] == 1
    # incremental: page 1 holds only known posts, so pages 2-4 are not fetched again
    assert [r for r in demo_site.requests if "/forum/forum-2-" in r] == ["/forum/forum-2-1.html"]
    with app_ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 39
        post = session.scalars(select(Post).where(Post.url.like("%thread-1001-1-1.html"))).one()
        versions = session.scalars(select(PostVersion).where(PostVersion.post_id == post.id)
                                   .order_by(PostVersion.version_no)).all()
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
    assert post.text == "已售完，谢谢大家。" and post.version_count == 2
    assert [v.version_no for v in versions] == [1, 2] and "0519-86683721" in versions[0].text
    assert versions[1].crawl_run_id == runs[1].id and post.last_seen_at >= runs[1].started_at
