"""Text folding, HTML inside JSON, relative URLs, and Chinese date formats."""

from __future__ import annotations

from datetime import datetime, timezone

from parsel import Selector

from crawler import extract
from crawler.dates import parse_date


def test_html_fields_fold_whitespace_and_resolve_urls():
    node = Selector(text='<li><a href="../t/9.html"> 出售\n\n 烟花 </a><div class="c"><p>第一行</p><p>第<em>二</em>行</p></div></li>')
    fields = extract.extract_fields(
        node, {"url": "a::attr(href)", "title": "a::text", "text": "div.c ::text"}, "html",
        "http://x.test/forum/list.html")
    assert fields == {"url": "http://x.test/t/9.html", "title": "出售 烟花", "text": "第一行 第二行"}


def test_xpath_and_images():
    node = Selector(text='<section data-id="7"><img src="/a.jpg"><img src="b.jpg"></section>')
    item = extract.html_items(node, "//section")[0]
    fields = extract.extract_fields(item, {"id": "./@data-id", "images": "img::attr(src)"}, "html", "http://x.test/d/")
    assert fields == {"id": "7", "images": ["http://x.test/a.jpg", "http://x.test/d/b.jpg"]}


def test_json_values_with_html_become_text():
    data = extract.parse_json('{"list":[{"id":3,"d":"<p>加特林&amp;礼花</p><br/>武进区<script>x()</script>","u":"/i/3"}]}')
    item = extract.json_items(data, "list")[0]
    fields = extract.extract_fields(item, {"id": "id", "text": "d", "url": "u"}, "json", "http://x.test/api")
    assert fields == {"id": "3", "text": "加特林&礼花 武进区", "url": "http://x.test/i/3"}


def test_jsonp_wrapper_and_bad_json():
    assert extract.parse_json('cb({"a": 1});') == {"a": 1}
    try:
        extract.parse_json("<html>验证</html>")
    except extract.PageDataError as exc:
        assert "JSON" in str(exc)
    else:
        raise AssertionError("bad JSON accepted")


def test_dates():
    now = datetime(2026, 1, 20, 4, 0, tzinfo=timezone.utc)  # 12:00 in Shanghai
    assert parse_date("2025-1-20 12:30", now) == datetime(2025, 1, 20, 4, 30, tzinfo=timezone.utc)
    assert parse_date("3 小时前", now) == datetime(2026, 1, 20, 1, 0, tzinfo=timezone.utc)
    assert parse_date("昨天 10:05", now) == datetime(2026, 1, 19, 2, 5, tzinfo=timezone.utc)
    assert parse_date("12月30日", now).year == 2025
    assert parse_date(1498908951) == datetime(2017, 7, 1, 11, 35, 51, tzinfo=timezone.utc)
    assert parse_date("1498908951") == parse_date(1498908951)


def test_local_times_are_read_in_the_configured_zone():
    from zoneinfo import ZoneInfo

    now = datetime(2026, 1, 20, 12, 0, tzinfo=timezone.utc)
    assert parse_date("2025-1-20 12:30", now, ZoneInfo("Europe/Berlin")) == datetime(2025, 1, 20, 11, 30, tzinfo=timezone.utc)
    assert parse_date("发表于 2026-01-02 08:00", now) == datetime(2026, 1, 2, 0, 0, tzinfo=timezone.utc)
    assert parse_date("置顶", now) is None
