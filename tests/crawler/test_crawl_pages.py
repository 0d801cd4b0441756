"""Real crawls of purpose-built pages: encodings, keyword encoding, saved Sogou pages, rate limits,
selector drift and unreachable hosts."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select

from firewatch.core.store.models import CrawlRun, Post, Source
from tests.crawler.conftest import Page, run_crawl, write_source

REPO = Path(__file__).resolve().parents[2]
SOGOU = REPO / "tests" / "fixtures" / "real" / "wechat-sogou"
LISTING = {"items": "li.post", "fields": {"id": "./@data-id", "title": "a::text", "url": "a::attr(href)",
                                          "text": "p ::text"}}
POSTS = [("1", "出售烟花爆竹，武进区送货上门", "加特林、礼花弹、鞭炮都有，电话0519-86683721。"),
         ("2", "煙花批發，常州市區可配送", "煙花爆竹批發，品種齊全，歡迎來電諮詢，價格實惠。"),
         ("3", "过年那个响的，懂的来", "新北区同城配送，薇信 yh8866cz，量大从优，先到先得。")]


def _listing_html(charset_meta: str = "") -> str:
    items = "".join(f'<li class="post" data-id="{i}"><a href="/t/{i}">{t}</a><p>{x}</p></li>' for i, t, x in POSTS)
    return f"<html><head>{charset_meta}<title>列表</title></head><body><ul>{items}</ul></body></html>"


def _titles(app_ctx, source: str) -> dict[str, str]:
    with app_ctx.sessions() as session:
        rows = session.scalars(select(Post).join(Source).where(Source.name == source)).all()
        return {p.key: p.title for p in rows}


def test_gbk_gb18030_and_big5_pages_decode(app_ctx, cli_env, page_server, tmp_path):
    page_server.pages["/gbk"] = Page(body=_listing_html('<meta charset="gbk">').encode("gbk"),
                                     headers={"Content-Type": "text/html"})
    page_server.pages["/gb18030"] = Page(body=_listing_html().encode("gb18030"),
                                         headers={"Content-Type": "text/html; charset=GB18030"})
    page_server.pages["/big5"] = Page(body=(_listing_html() * 3).encode("big5", errors="xmlcharrefreplace"),
                                      headers={"Content-Type": "text/html"})  # undeclared: detected
    page_server.pages["/forced"] = Page(body=_listing_html().encode("gbk"), headers={"Content-Type": "text/html"})
    paths = []
    for name in ("gbk", "gb18030", "big5"):
        paths.append(write_source(tmp_path, {"name": f"enc-{name}", "platform": "forum",
                                             "start_urls": [f"{page_server.base_url}/{name}"], "listing": LISTING}))
    paths.append(write_source(tmp_path, {"name": "enc-forced", "platform": "forum", "encoding": "gbk",
                                         "start_urls": [f"{page_server.base_url}/forced"], "listing": LISTING}))
    result = run_crawl(cli_env, *map(str, paths))
    assert result.code == 0, result.stderr
    expected = {i: t for i, t, _ in POSTS}
    for name in ("enc-gbk", "enc-gb18030", "enc-forced"):
        assert _titles(app_ctx, name) == expected, name
    big5 = _titles(app_ctx, "enc-big5")
    assert big5["2"] == "煙花批發，常州市區可配送"


def test_keyword_is_encoded_in_the_source_encoding(cli_env, page_server, tmp_path):
    page_server.pages["/search"] = Page(body=_listing_html('<meta charset="gbk">').encode("gbk"),
                                        headers={"Content-Type": "text/html"})
    path = write_source(tmp_path, {"name": "kw-gbk", "platform": "forum", "encoding": "gbk",
                                   "keywords": ["烟花", "炮仗", "🧨"],  # no emoji in GBK: skipped
                                   "start_urls": [f"{page_server.base_url}/search?kw={{keyword}}&x=1"],
                                   "listing": LISTING})
    assert run_crawl(cli_env, str(path)).code == 0
    searches = sorted(r for r in page_server.requests if r.startswith("/search"))
    assert searches == sorted(f"/search?kw={quote(k.encode('gbk'))}&x=1" for k in ("烟花", "炮仗"))


def _sogou_source(tmp_path: Path, base_url: str) -> Path:
    import yaml

    data = yaml.safe_load((REPO / "config" / "sources" / "wechat-sogou.yaml").read_text(encoding="utf-8"))
    data["start_urls"] = [url.replace("https://weixin.sogou.com", base_url) for url in data["start_urls"]]
    data["keywords"], data["listing"]["max_pages"] = ["高考"], 1
    data["politeness"] = {}
    return write_source(tmp_path, data)


def test_sogou_source_on_its_saved_result_page(app_ctx, cli_env, page_server, tmp_path):
    page_server.pages["/weixin"] = Page(body=(SOGOU / "search-gaokao-article.html").read_bytes())
    result = run_crawl(cli_env, str(_sogou_source(tmp_path, page_server.base_url)))
    assert result.code == 0 and result.summaries["wechat-sogou"]["new_items"] == 10
    with app_ctx.sessions() as session:
        post = session.scalars(select(Post).where(Post.author == "占豪")).one()
    assert post.key == "ab735a258a90e8e1-6bee54fcbd896b2a-83cfcd22fbb11285d4fbcc20fbf0e3aa"
    assert post.title == "高考有多重要,为什么要重视高考?丨微观点"
    assert post.url.startswith("http://mp.weixin.qq.com/s?src=3") and post.published_at.year == 2017


def test_sogou_antispider_page_stops_with_captcha(app_ctx, cli_env, page_server, tmp_path):
    page_server.pages["/weixin"] = Page(body=(SOGOU / "search-gaokao-gzh-error.html").read_bytes())
    result = run_crawl(cli_env, str(_sogou_source(tmp_path, page_server.base_url)))
    assert result.code == 3
    assert result.summaries["wechat-sogou"]["status"] == "captcha"
    assert "请输入验证码" in result.summaries["wechat-sogou"]["message"]
    with app_ctx.sessions() as session:
        assert session.scalars(select(Post)).all() == []


def test_rate_limit_stops_the_source(cli_env, demo_site, tmp_path):
    path = write_source(tmp_path, {"name": "busy", "platform": "weibo", "keywords": ["烟花", "鞭炮"],
                                   "start_urls": [demo_site.base_url + "/busy/api?q={keyword}"],
                                   "listing": {"format": "json", "items": "data", "fields": {"id": "id"}}},
                        politeness={"concurrency": 1})
    result = run_crawl(cli_env, str(path))
    assert result.code == 3 and result.summaries["busy"]["status"] == "rate_limited"
    assert "HTTP 429" in result.summaries["busy"]["message"]
    # the circuit breaker: after the first 429 no other request of this source is sent
    assert len([r for r in demo_site.requests if r.startswith("/busy/")]) == 1


def test_selector_drift_is_reported(app_ctx, cli_env, page_server, tmp_path):
    page_server.pages["/list"] = Page(body=_listing_html().encode("utf-8"))
    source = {"name": "drifty", "platform": "forum", "start_urls": [page_server.base_url + "/list"], "listing": LISTING}
    assert run_crawl(cli_env, str(write_source(tmp_path, source))).code == 0
    page_server.pages["/list"] = Page(body=_listing_html().replace('class="post"', 'class="row"').encode("utf-8"))
    result = run_crawl(cli_env, str(write_source(tmp_path, source)))
    assert result.code == 0
    summary = result.summaries["drifty"]
    assert summary["status"] == "empty" and "selector drift" in summary["message"]


def test_unreachable_host_is_an_error_run(app_ctx, cli_env, tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = write_source(tmp_path, {"name": "down", "platform": "forum", "start_urls": [f"http://127.0.0.1:{port}/"],
                                   "listing": LISTING, "politeness": {"obey_robots": False}})
    result = run_crawl(cli_env, str(path))
    assert result.code == 1 and result.summaries["down"]["status"] == "error"
    with app_ctx.sessions() as session:
        run = session.scalars(select(CrawlRun)).one()
    assert run.status == "error" and run.errors >= 1 and run.finished_at is not None


def test_user_agent_and_robots_from_politeness(cli_env, page_server, tmp_path):
    page_server.pages["/robots.txt"] = Page(body=b"User-agent: *\nDisallow: /list\n", headers={"Content-Type": "text/plain"})
    page_server.pages["/list"] = Page(body=_listing_html().encode("utf-8"))
    polite = write_source(tmp_path, {"name": "polite", "platform": "forum", "start_urls": [page_server.base_url + "/list"],
                                     "listing": LISTING, "politeness": {"user_agent": "fw-test/1.0"}})
    result = run_crawl(cli_env, str(polite))
    assert result.code == 0 and result.summaries["polite"]["status"] == "empty"
    assert page_server.requests == ["/robots.txt"]  # the disallowed listing was never fetched
    assert page_server.agents == ["fw-test/1.0"]


def test_bad_json_and_oversized_pages_are_errors(app_ctx, cli_env, page_server, tmp_path):
    page_server.pages["/api"] = Page(body="<html><body>系统维护中</body></html>".encode())
    page_server.pages["/big"] = Page(body=_listing_html().encode("utf-8") + b" " * 5000)
    api = write_source(tmp_path, {"name": "api", "platform": "weibo", "start_urls": [page_server.base_url + "/api"],
                                  "listing": {"format": "json", "items": "data", "fields": {"id": "id"}}})
    big = write_source(tmp_path, {"name": "big", "platform": "forum", "start_urls": [page_server.base_url + "/big"],
                                  "listing": LISTING})
    result = run_crawl(cli_env, str(api), str(big), "--set", "DOWNLOAD_MAXSIZE=4000")
    assert result.code == 1
    assert result.summaries["api"]["status"] == "error" and "JSON" in result.summaries["api"]["message"]
    assert result.summaries["big"]["status"] == "error" and result.summaries["big"]["errors"] == 1


def test_overlong_fields_are_cut_not_refused(app_ctx, cli_env, page_server, tmp_path):
    long_name = "卖家" * 200  # 400 characters: more than the author column holds
    page_server.pages["/list"] = Page(body=(
        f'<html><body><ul><li class="post" data-id="1"><a href="/t/1">出售烟花</a><p>武进区送货</p>'
        f'<span class="a">{long_name}</span></li></ul></body></html>').encode("utf-8"))
    listing = {**LISTING, "fields": {**LISTING["fields"], "author": "span.a::text"}}
    path = write_source(tmp_path, {"name": "long", "platform": "forum", "start_urls": [page_server.base_url + "/list"],
                                   "listing": listing})
    result = run_crawl(cli_env, str(path))
    assert result.code == 0 and result.summaries["long"]["new_items"] == 1, result.summaries
    with app_ctx.sessions() as session:
        assert session.scalars(select(Post)).one().author == long_name[:255]
