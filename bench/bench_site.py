"""A synthetic forum for the crawl benchmarks: N posts with realistic Chinese text (variants of the
demo posts), listing pages of 50 with a next link, one detail page per post. Served from a
thread pool in the benchmark process, so the crawler process only does crawling."""

from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from firewatch.demo.content import DemoContent

PER_PAGE = 50
FILLER = "楼主自用，诚信交易，有意者请联系，非诚勿扰。小区门口可以自提，也可以商量送货。"


def make_posts(count: int) -> list[tuple[str, str]]:
    base = DemoContent().all_posts()
    return [(f"{base[i % len(base)].title} #{i}", f"{base[i % len(base)].plain_text} {FILLER} 编号{i}")
            for i in range(count)]


class BenchSite:
    def __init__(self, count: int, browser_js: bool = False):
        self.posts = make_posts(count)
        self.browser_js = browser_js
        self.hits = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a browser closing early is fine
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def page(self, path: str) -> bytes | None:
        if path == "/robots.txt":
            return b"User-agent: *\nDisallow: /private/\n"
        if path.startswith("/list/"):
            return self._listing(int(path.split("/")[2]))
        if path.startswith("/t/"):
            index = int(path.split("/")[2])
            if 0 <= index < len(self.posts):
                title, text = self.posts[index]
                return _doc(title, f'<h1>{html.escape(title)}</h1><td class="t_f">{html.escape(text)}</td>', self.browser_js)
        return None

    def _listing(self, page: int) -> bytes | None:
        chunk = range(page * PER_PAGE, min((page + 1) * PER_PAGE, len(self.posts)))
        if not chunk:
            return None
        rows = "".join(f'<tbody id="normalthread_{i}"><tr><th><a class="xst" href="/t/{i}">'
                       f"{html.escape(self.posts[i][0])}</a></th><td><cite><a>用户{i % 97}</a></cite>"
                       f"<em><span>2026-01-{i % 28 + 1:02d} 12:00</span></em></td></tr></tbody>" for i in chunk)
        following = f'<a class="nxt" href="/list/{page + 1}">下一页</a>' if chunk.stop < len(self.posts) else ""
        return _doc(f"列表 {page}", f"<table>{rows}</table><div class='pg'>{following}</div>", self.browser_js)

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                site.hits += 1
                body = site.page(self.path)
                self.send_response(200 if body is not None else 404)
                body = body if body is not None else b"not found"
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        return Handler


def _doc(title: str, body: str, browser_js: bool) -> bytes:
    script = ""
    if browser_js:  # content shown by JavaScript, as on the pages that need a browser
        script = "<script>document.getElementById('c').style.display='block';</script>"
        body = f'<div id="c" style="display:none">{body}</div>'
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f"<body>{body}{script}</body></html>").encode("utf-8")
