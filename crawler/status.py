"""Classify every response before extraction: ok, empty, captcha, login_required, rate_limited,
blocked, not_found, server_error.

A captcha page must never be parsed as an empty result (research/crawler-anchors.md §6), so the
status code, where a redirect ended, and anti-bot markers in the body are checked first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

OK, EMPTY, CAPTCHA, LOGIN_REQUIRED = "ok", "empty", "captcha", "login_required"
RATE_LIMITED, BLOCKED, NOT_FOUND, SERVER_ERROR = "rate_limited", "blocked", "not_found", "server_error"
# Response classes that trip the source's circuit breaker (and make `firewatch crawl` exit 3).
STOPPING = frozenset({CAPTCHA, LOGIN_REQUIRED, RATE_LIMITED, BLOCKED})

STATUS_CODES = {
    401: LOGIN_REQUIRED, 403: BLOCKED, 404: NOT_FOUND, 410: NOT_FOUND, 429: RATE_LIMITED,
    432: BLOCKED,  # Weibo: non-JSON 432 means the cookie/visitor was rejected
    461: CAPTCHA, 471: CAPTCHA,  # XHS: Verifytype/Verifyuuid captcha
}
CAPTCHA_MARKERS = (
    "请输入验证码", "请输入图中的验证码", "安全验证", "滑动验证", "拖动滑块", "人机验证", "seccodeImage",
    "captcha-verify", "baxia-dialog", "J_MIDDLEWARE_FRAME_WIDGET", "FAIL_SYS_USER_VALIDATE",
    "verify_check",
)
RATE_MARKERS = ("访问过于频繁", "请求过于频繁", "操作过于频繁", "操作太频繁", "访问频率过快")
LOGIN_MARKERS = ("请先登录", "登录后查看", "登录后可见", "登录后才能", "您需要登录", "登录已过期", "扫码登录后")
BLOCK_MARKERS = ("您的IP已被封", "访问被拒绝", "IP被禁止")
CAPTCHA_URL = re.compile(r"antispider|captcha|verifycode|seccode|/verify|security-check", re.I)
LOGIN_URL = re.compile(r"/login|/signin|/passport|website-login|/logon|member\.php\?mod=logging", re.I)
# Markers are looked for near the top of big pages only: anti-bot pages are small.
MARKER_WINDOW = 200_000


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str = ""

    @property
    def stops(self) -> bool:
        return self.status in STOPPING


def classify_response(
    status: int,
    url: str,
    text: str,
    *,
    redirected_from: tuple[str, ...] = (),
    headers: dict[str, str] | None = None,
    extra_markers: tuple[str, ...] | list[str] = (),
) -> Verdict:
    """Name what kind of answer this is; ``reason`` says which signal decided, in Chinese."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if "verifytype" in headers or "verifyuuid" in headers:
        return Verdict(CAPTCHA, f"HTTP {status} 带验证头 Verifytype")
    if status in STATUS_CODES:
        return Verdict(STATUS_CODES[status], f"HTTP {status}")
    if status >= 500:
        return Verdict(SERVER_ERROR, f"HTTP {status}")
    by_url = _classify_redirect(url, redirected_from)
    if by_url:
        return by_url
    window = text[:MARKER_WINDOW]
    by_marker = _classify_markers(window, tuple(extra_markers))
    if by_marker:
        return by_marker
    if not window.strip():
        return Verdict(EMPTY, "响应内容为空")
    return Verdict(OK)


def _classify_redirect(url: str, redirected_from: tuple[str, ...]) -> Verdict | None:
    if not redirected_from:
        return None
    path = urlsplit(url)
    target = f"{path.path}?{path.query}"
    if CAPTCHA_URL.search(target):
        return Verdict(CAPTCHA, f"被重定向到验证页 {url}")
    if LOGIN_URL.search(target):
        return Verdict(LOGIN_REQUIRED, f"被重定向到登录页 {url}")
    return None


def _classify_markers(text: str, extra: tuple[str, ...]) -> Verdict | None:
    for status, markers, label in (
        (CAPTCHA, CAPTCHA_MARKERS, "验证码"),
        (RATE_LIMITED, RATE_MARKERS, "访问频率限制"),
        (LOGIN_REQUIRED, LOGIN_MARKERS, "需要登录"),
        (BLOCKED, BLOCK_MARKERS + extra, "访问被封禁"),
    ):
        for marker in markers:
            if marker and marker in text:
                return Verdict(status, f"页面含{label}标志「{marker}」")
    return None
