"""The demo site itself: enough realistic content, stable post URLs, the sources it renders."""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.error import HTTPError

import pytest

from firewatch.core.sources import load_source
from firewatch.demo.content import DemoContent
from firewatch.demo.site import DemoSite, write_demo_sources


@pytest.fixture(scope="module")
def site():
    with DemoSite.start() as running:
        yield running


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_content_has_sales_and_hard_negatives():
    content = DemoContent()
    posts = content.all_posts()
    assert len(posts) >= 80
    kinds = {p.kind for p in posts}
    assert kinds == {"sale", "negative"}
    text = " ".join(p.title + p.plain_text for p in posts)
    for disguise in ("烟*花", "yh", "🧨", "煙花", "炮仗", "加特林", "过年那个响的", "vx", "薇", "➕V", "0519-",
                     "同城配送", "送货上门", "武进区", "新北区", "天宁区", "价格表"):
        assert disguise in text, disguise
    for negative in ("烟花易冷", "烟花三月下扬州", "电子鞭炮", "冷焰火机", "禁止燃放", "举报", "破获"):
        assert negative in text, negative
    # the same seller (phone) on two sources
    forum = " ".join(p.plain_text for p in content.board("forum"))
    market = " ".join(p.plain_text for p in content.board("market"))
    assert "0519-86683721" in forum and "0519-86683721" in market


def test_forum_is_gbk_with_robots(site):
    status, headers, body = _get(site.base_url + "/forum/forum-2-1.html")
    assert status == 200 and "charset" not in headers["Content-Type"]
    page = body.decode("gbk")
    assert 'charset=gbk' in page and "下一页" in page and "/forum/private/" in page
    _, _, robots = _get(site.base_url + "/robots.txt")
    assert b"Disallow: /forum/private/" in robots
    status, _, thread = _get(site.base_url + "/forum/thread-1001-1-1.html")
    assert status == 200 and "0519-86683721" in thread.decode("gbk")
    assert _get(site.base_url + "/forum/forum-2-99.html")[0] == 404


def test_market_api_pages_to_end_marker(site):
    pages = []
    for page in range(1, 6):
        _, _, body = _get(f"{site.base_url}/api/market/search?q=%E7%83%9F%E8%8A%B1&page={page}")
        data = json.loads(body)["data"]
        pages.append(data)
        if data["end"]:
            break
    assert [p["end"] for p in pages] == [False, False, True]
    item = pages[0]["list"][0]
    assert re.search(r"<(p|div)>", item["desc_html"]) or "<" not in item["desc_html"]
    status, _, html = _get(site.base_url + item["link"])
    assert status == 200 and item["title"] in html.decode("utf-8")


def test_feed_note_pages_and_walls(site):
    _, _, shell = _get(site.base_url + "/feed/")
    assert b"note-item" in shell and "煙花" not in shell.decode("utf-8")  # content comes from JavaScript
    status, _, note = _get(site.base_url + "/feed/note/3013")
    assert status == 200 and "煙花" in note.decode("utf-8")
    status, _, captcha = _get(site.base_url + "/captcha/search?q=x")  # urllib follows the redirect
    assert status == 200 and "请输入验证码" in captcha.decode("utf-8")
    assert _get(site.base_url + "/busy/api")[0] == 429


def test_edit_changes_served_text(site):
    site.content.edit("forum", 1036, "内容已修改")
    assert "内容已修改" in _get(site.base_url + "/forum/thread-1036-1-1.html")[2].decode("gbk")


def test_written_sources_point_at_the_site(tmp_path):
    paths = write_demo_sources("http://127.0.0.1:12345/", tmp_path)
    for path in paths:
        config = load_source(path).config
        assert all(u.startswith("http://127.0.0.1:12345/") for u in config.start_urls)
