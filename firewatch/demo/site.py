"""Serve the demo site on 127.0.0.1 in a background thread.

    site = DemoSite.start()          # free port
    site.base_url                    # "http://127.0.0.1:PORT"
    write_demo_sources(site.base_url, dest_dir)   # the demo's source YAML files
    site.stop()

Every request path is recorded in ``site.requests`` so tests can prove robots.txt was obeyed.
"""

from __future__ import annotations

import re
import threading
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import parse_qs, urlsplit

from firewatch.demo import feed, forum, market, walls
from firewatch.demo.content import DemoContent

TEMPLATES_DIR = Path(__file__).with_name("sources")
# The members-only board lets in a browser carrying this cookie (a saved login, storage_state).
SESSION_COOKIE, SESSION_VALUE = "fw_demo_session", "officer-logged-in"
HTML_UTF8 = "text/html; charset=utf-8"
JSON_UTF8 = "application/json; charset=utf-8"
INDEX = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>firewatch 演示站点</title></head>
<body><h1>演示站点（虚构内容）</h1><ul>
<li><a href="/forum/forum-2-1.html">龙城生活论坛（GBK，Discuz 风格）</a></li>
<li><a href="/api/market/search?q=%E7%83%9F%E8%8A%B1&amp;page=1">龙城闲置 搜索 API（JSON）</a></li>
<li><a href="/feed/">龙城生活圈（需要浏览器，无限滚动）</a></li>
<li><a href="/captcha/search?q=x">反爬验证码页</a></li><li><a href="/members/list">需要登录的版块</a></li>
</ul></body></html>"""


class DemoSite:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, content: DemoContent | None = None):
        self.content = content or DemoContent()
        self.requests: list[str] = []
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-site", daemon=True)
        forum.draw_attachments(self.content)  # the posters exist before the first request

    @classmethod
    def start(cls, host: str = "127.0.0.1", port: int = 0, content: DemoContent | None = None) -> "DemoSite":
        site = cls(host, port, content)
        site._thread.start()
        return site

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "DemoSite":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def route(self, path: str, query: dict[str, list[str]], cookies: dict[str, str] | None = None,
              ) -> tuple[int, str, bytes, dict[str, str]]:
        """(status, content type, body, extra headers) for a GET of ``path``."""
        if path == "/members/list" and (cookies or {}).get(SESSION_COOKIE) == SESSION_VALUE:
            return 200, forum.CONTENT_TYPE, forum.list_page(self.content, 1), {}  # logged in
        for pattern, handler in ROUTES:
            match = re.fullmatch(pattern, path)
            if match:
                result = handler(self, match, query)
                if result is not None:
                    return result
        return 404, HTML_UTF8, "<html><body><h1>404 页面不存在</h1></body></html>".encode(), {}


def _q(query: dict[str, list[str]], name: str, default: str = "") -> str:
    return (query.get(name) or [default])[0]


def _page(body: bytes | None, content_type: str = HTML_UTF8):
    return None if body is None else (200, content_type, body, {})


def _int(query, name: str, default: int) -> int:
    value = _q(query, name, str(default))
    return int(value) if value.isdigit() else default


ROUTES = [
    (r"/", lambda s, m, q: (200, HTML_UTF8, INDEX.encode(), {})),
    (r"/robots\.txt", lambda s, m, q: (200, "text/plain", forum.ROBOTS.encode(), {})),
    (r"/forum/?", lambda s, m, q: _page(forum.list_page(s.content, 1), forum.CONTENT_TYPE)),
    (r"/forum/forum-2-(\d+)\.html", lambda s, m, q: _page(forum.list_page(s.content, int(m[1])), forum.CONTENT_TYPE)),
    (r"/forum/thread-(\d+)-1-1\.html", lambda s, m, q: _page(forum.thread_page(s.content, int(m[1])), forum.CONTENT_TYPE)),
    (r"/forum/data/attachment/forum/(\d+)\.png",
     lambda s, m, q: _page(forum.attachment_png(s.content, int(m[1])), "image/png")),
    (r"/forum/private/thread-(\d+)-1-1\.html",
     lambda s, m, q: _page(forum.private_page(s.content, int(m[1])), forum.CONTENT_TYPE)),
    (r"/api/market/search", lambda s, m, q: (200, JSON_UTF8, market.search(s.content, _q(q, "q"), _int(q, "page", 1)), {})),
    (r"/market/item/(\d+)\.html", lambda s, m, q: _page(market.item_page(s.content, int(m[1])))),
    (r"/feed/?", lambda s, m, q: (200, HTML_UTF8, feed.shell(), {})),
    (r"/feed/api/notes", lambda s, m, q: (200, JSON_UTF8, feed.notes(s.content, _int(q, "cursor", 0)), {})),
    (r"/feed/note/(\d+)", lambda s, m, q: _page(feed.note_page(s.content, int(m[1])))),
    (r"/captcha/search", lambda s, m, q: (302, HTML_UTF8, b"", {"Location": walls.captcha_redirect("/captcha/search")})),
    (r"/antispider/", lambda s, m, q: (200, HTML_UTF8, walls.CAPTCHA_PAGE.encode(), {})),
    (r"/members/list", lambda s, m, q: (302, HTML_UTF8, b"", {"Location": walls.login_redirect("/members/list")})),
    (r"/member\.php", lambda s, m, q: (200, HTML_UTF8, walls.LOGIN_PAGE.encode(), {})),
    (r"/busy/api", lambda s, m, q: (429, JSON_UTF8, b'{"code":429,"msg":"too many requests"}', {"Retry-After": "60"})),
]


def _handler_for(site: DemoSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "DemoSite/1.0"

        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            parts = urlsplit(self.path)
            site.requests.append(self.path)
            cookies = SimpleCookie(self.headers.get("Cookie", ""))
            status, content_type, body, headers = site.route(
                parts.path, parse_qs(parts.query), {k: m.value for k, m in cookies.items()})
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass  # quiet: the site runs inside tests and the demo

    return Handler


def write_demo_sources(base_url: str, dest_dir: str | Path) -> list[Path]:
    """Render the demo's source YAML files (templates in firewatch/demo/sources) for ``base_url``."""
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for template in sorted(TEMPLATES_DIR.glob("*.yaml")):
        target = dest / template.name
        target.write_text(Template(template.read_text(encoding="utf-8")).substitute(base_url=base_url.rstrip("/")),
                          encoding="utf-8")
        written.append(target)
    return written
