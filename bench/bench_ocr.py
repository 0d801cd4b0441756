"""OCR cost in a crawl: the same local forum of N posts, each with one price-list picture, crawled
with the full pipeline with `ocr` off (baseline) and on, in the same run.

    .venv/bin/python bench/bench_ocr.py [--posts 40]

Each crawl runs in its own process (Twisted's reactor cannot restart). Prints posts per second for
both, the ratio ocr / baseline, and seconds per image read.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from firewatch.demo.poster import poster_png  # noqa: E402

CHILD = """
import json, sys, time
from crawler.runner import crawl_sources
from firewatch.core.sources import load_source
from firewatch.core.context import AppContext
ctx = AppContext.from_overrides(home=sys.argv[1], config=sys.argv[3])
ctx.ensure_schema()
started = time.perf_counter()
(summary,) = crawl_sources(ctx, [load_source(sys.argv[2])], settings={"LOG_LEVEL": "WARNING"})
print(json.dumps({**summary.to_dict(), "elapsed": time.perf_counter() - started}))
"""


def serve(posts: int) -> ThreadingHTTPServer:
    """A listing of ``posts`` posts, each with its own poster (so no response is cached)."""
    items = "".join(f'<li data-id="{n}"><a href="/t/{n}">看图</a><p>新年到了 看图</p>'
                    f'<img src="/img/{n}.png"></li>' for n in range(posts))
    listing = f"<html><body><ul>{items}</ul></body></html>".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path.startswith("/img/"):
                number = self.path.rsplit("/", 1)[1].split(".")[0]
                body, kind = poster_png(("春节烟花价目表", f"加特林 36发 {100 + int(number)}元/箱",
                                         f"微信 hy_cz{number} 送货上门")), "image/png"
            else:
                body, kind = listing, "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def source_file(base_url: str, folder: Path, ocr: bool) -> Path:
    data = {"name": "bench-ocr", "platform": "forum", "start_urls": [base_url + "/list"],
            "listing": {"items": "li", "fields": {"id": "./@data-id", "url": "a::attr(href)",
                                                  "title": "a::text", "text": "p ::text",
                                                  "images": "img::attr(src)"}},
            "politeness": {"delay": 0, "concurrency": 8, "autothrottle": False},
            "ocr": {"enabled": ocr}}
    path = folder / f"bench-ocr-{'on' if ocr else 'off'}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def crawl(source: Path, folder: Path) -> dict:
    home = tempfile.mkdtemp(prefix=source.stem, dir=folder)
    proc = subprocess.run([sys.executable, "-c", CHILD, home, str(source), str(REPO / "config")],
                          cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=40)
    args = parser.parse_args()
    server = serve(args.posts)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as tmp:
        off = crawl(source_file(base_url, Path(tmp), ocr=False), Path(tmp))
        on = crawl(source_file(base_url, Path(tmp), ocr=True), Path(tmp))
    server.shutdown()
    rate_off, rate_on = args.posts / off["elapsed"], args.posts / on["elapsed"]
    print(f"posts: {args.posts} (one picture each); run message with OCR: {on['message']}")
    print(f"ocr off (baseline): {rate_off:.1f} posts/s  ({off['elapsed']:.1f} s)")
    print(f"ocr on:             {rate_on:.1f} posts/s  ({on['elapsed']:.1f} s)")
    print(f"ratio on / off: {rate_on / rate_off:.2f}; "
          f"extra seconds per image: {(on['elapsed'] - off['elapsed']) / args.posts:.2f}")


if __name__ == "__main__":
    main()
