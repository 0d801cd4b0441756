"""Fixtures for crawler tests: local HTTP servers, source files, and `firewatch crawl` runs.

Crawls run `firewatch crawl` in a subprocess (Twisted's reactor cannot restart in one process),
against servers on 127.0.0.1 that live in the test process and record every request.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import pytest
import yaml

from firewatch.demo.site import DemoSite, write_demo_sources

REPO = Path(__file__).resolve().parents[2]
FIREWATCH = [str(Path(sys.executable).with_name("firewatch"))]
FAST = {"delay": 0.0, "concurrency": 4, "autothrottle": False}


@dataclass
class Page:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})


class PageServer:
    """Serves ``pages[path_with_query or path]``; a callable value is called with the path."""

    def __init__(self) -> None:
        self.pages: dict[str, Page | Callable[[str], Page]] = {}
        self.requests: list[str] = []
        self.agents: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.requests.append(self.path)
                server.agents.append(self.headers.get("User-Agent", ""))
                page = server.pages.get(self.path) or server.pages.get(self.path.split("?")[0])
                if callable(page):
                    page = page(self.path)
                page = page or Page(404, b"not found")
                self.send_response(page.status)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def page_server() -> Iterator[PageServer]:
    server = PageServer()
    yield server
    server.stop()


@pytest.fixture
def demo_site() -> Iterator[DemoSite]:
    site = DemoSite.start()
    yield site
    site.stop()


@pytest.fixture
def demo_sources(demo_site: DemoSite, tmp_path: Path) -> dict[str, Path]:
    """The demo's source files for this test's site, with politeness delays removed."""
    paths = write_demo_sources(demo_site.base_url, tmp_path / "demo-sources")
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["politeness"] = {**data.get("politeness", {}), **FAST}
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return {p.stem: p for p in paths}


def write_source(directory: Path, data: dict, politeness: dict | None = None) -> Path:
    data = {**data, "politeness": {**FAST, **(politeness or {}), **data.get("politeness", {})}}
    path = directory / f"{data['name']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class CrawlResult:
    code: int
    summaries: dict[str, dict]
    stderr: str


def run_crawl(env: dict[str, str], *args: str, timeout: float = 120) -> CrawlResult:
    """`firewatch crawl ARGS --json` in a subprocess; summaries keyed by source name."""
    proc = subprocess.run([*FIREWATCH, "crawl", *args, "--json"], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)
    summaries = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            summaries[record["source"]] = record
    return CrawlResult(proc.returncode, summaries, proc.stderr)
