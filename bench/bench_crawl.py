"""Crawl speed: the full pipeline (parse, clean, WARC, dedupe/version, classify, store) against the
same spider with no item pipelines, over the same local site of N posts, in the same run.

    .venv/bin/python bench/bench_crawl.py [--posts 5000] [--rounds 2]

Each crawl runs in its own process (Twisted's reactor cannot restart); the site is served from
this process. Prints posts per second for both and the ratio full / bare (target: >= 0.8).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.bench_site import BenchSite  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CHILD = """
import json, sys
from crawler.runner import crawl_sources
from firewatch.core.sources import load_source
from firewatch.core.context import AppContext
home, source, bare = sys.argv[1], sys.argv[2], sys.argv[3] == "bare"
ctx = AppContext.from_overrides(home=home, config="{config}")
ctx.ensure_schema()
settings = {{"LOG_LEVEL": "WARNING"}}
if bare:
    settings["ITEM_PIPELINES"] = {{}}
import time
started = time.perf_counter()
(summary,) = crawl_sources(ctx, [load_source(source)], settings=settings)
print(json.dumps({{**summary.to_dict(), "elapsed": time.perf_counter() - started}}))
"""


def source_file(base_url: str, posts: int, folder: Path, fetch: str = "http", concurrency: int = 8) -> Path:
    data = {
        "name": "bench-forum", "platform": "forum", "fetch": fetch,
        "start_urls": [base_url + "/list/0"],
        "listing": {"items": "tbody[id^=normalthread]",
                    "fields": {"url": "a.xst::attr(href)", "title": "a.xst::text", "author": "cite a::text",
                               "published_at": "em span::text"},
                    "next_page": "a.nxt::attr(href)", "max_pages": posts // 50 + 1},
        "detail": {"fields": {"text": "td.t_f ::text"}},
        "politeness": {"delay": 0, "concurrency": concurrency, "autothrottle": False},
        "incremental": False,
    }
    path = folder / "bench-forum.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def crawl_once(source: Path, folder: Path, mode: str) -> tuple[float, dict]:
    home = Path(tempfile.mkdtemp(prefix=f"{mode}-", dir=folder))
    code = CHILD.format(config=REPO / "config")
    proc = subprocess.run([sys.executable, "-c", code, str(home), str(source), mode], cwd=REPO,
                          capture_output=True, text=True, check=True)
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    return summary["elapsed"], summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    site = BenchSite(args.posts)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = source_file(site.base_url, args.posts, folder)
        best: dict[str, float] = {}
        for round_no in range(args.rounds):
            for mode in ("bare", "full"):
                elapsed, summary = crawl_once(source, folder, mode)
                expected_pages = args.posts + -(-args.posts // 50)  # details + listings
                assert summary["pages"] == expected_pages, summary
                assert mode == "bare" or summary["new_items"] == args.posts, summary
                rate = args.posts / elapsed
                best[mode] = max(best.get(mode, 0.0), rate)
                print(f"round {round_no + 1} {mode:4s}: {elapsed:6.1f} s  {rate:7.1f} posts/s  "
                      f"(status {summary['status']}, new {summary['new_items']})")
    site.stop()
    print(f"bare spider (no pipelines): {best['bare']:.1f} posts/s")
    print(f"full pipeline:              {best['full']:.1f} posts/s")
    print(f"ratio full/bare: {best['full'] / best['bare']:.2f} (target >= 0.80)")


if __name__ == "__main__":
    main()
