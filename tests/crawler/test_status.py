"""Response classification before extraction, including Sogou's real anti-spider page."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.status import classify_response

SOGOU = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "wechat-sogou"


def _read(name: str) -> str:
    return (SOGOU / name).read_text(encoding="utf-8")


def test_real_sogou_antispider_page_is_a_captcha():
    verdict = classify_response(200, "https://weixin.sogou.com/weixin?type=2&query=x", _read("search-gaokao-gzh-error.html"))
    assert verdict.status == "captcha" and verdict.stops


def test_real_sogou_result_pages_are_ok():
    for name in ("search-gaokao-article.html", "search-gaokao-gzh.html", "bitsea-history.html"):
        assert classify_response(200, "https://weixin.sogou.com/weixin", _read(name)).status == "ok", name


@pytest.mark.parametrize(
    ("status", "url", "redirected", "text", "headers", "expected"),
    [
        (429, "http://s/api", (), "{}", {}, "rate_limited"),
        (403, "http://s/", (), "forbidden", {}, "blocked"),
        (432, "http://s/api", (), "<html>", {}, "blocked"),
        (461, "http://s/api", (), "", {}, "captcha"),
        (200, "http://s/api", (), "{}", {"Verifytype": "102"}, "captcha"),
        (404, "http://s/t/1", (), "gone", {}, "not_found"),
        (503, "http://s/", (), "", {}, "server_error"),
        (200, "http://s/antispider/?from=%2Fx", ("http://s/x",), "<html></html>", {}, "captcha"),
        (200, "http://s/member.php?mod=logging&action=login", ("http://s/x",), "<p>hi</p>", {}, "login_required"),
        (200, "http://s/x", (), "<p>请求过于频繁，请稍后再试</p>", {}, "rate_limited"),
        (200, "http://s/x", (), "<p>您需要登录后才可以查看，请先登录。</p>", {}, "login_required"),
        (200, "http://s/x", (), "   \n ", {}, "empty"),
        (200, "http://s/login-tips", (), "<p>正常页面</p>", {}, "ok"),  # not redirected: a normal page
    ],
)
def test_signals(status, url, redirected, text, headers, expected):
    verdict = classify_response(status, url, text, redirected_from=redirected, headers=headers)
    assert verdict.status == expected, verdict


def test_source_blocked_markers_are_added():
    text = "<p>本站已暂停对您的服务</p>"
    assert classify_response(200, "http://s/", text).status == "ok"
    assert classify_response(200, "http://s/", text, extra_markers=["暂停对您的服务"]).status == "blocked"
