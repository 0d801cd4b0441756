"""Browser-mode crawling: pages per second and memory over ~1,000 pages.

    .venv/bin/python bench/bench_crawl_browser.py [--posts 1000] [--concurrency 4]

Crawls the benchmark forum (content shown by JavaScript) with `fetch: browser` through real
Chromium, sampling the resident memory of the crawl process and all its children (Chromium)
twice a second. Reports pages/s against the same source over plain HTTP in the same run, peak
RSS, and RSS growth after warm-up (target < 20%): the mean over pages 100–200 against the peak
over the last 10% of pages.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.bench_crawl import CHILD, REPO, source_file  # noqa: E402
from bench.bench_site import BenchSite  # noqa: E402

WARM_UP = (100, 300)
TAIL = 0.8  # the last 20% of pages


def tree_rss(proc: psutil.Process) -> int:
    """Memory of the crawler and its Chromium processes. PSS, so that pages shared between
    Chromium's processes (libraries, shared memory) are counted once, not once per process."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            info = p.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except psutil.Error:
            pass
    return total


def crawl_sampled(site: BenchSite, source: Path, folder: Path) -> tuple[dict, list[tuple[int, int]]]:
    home = Path(tempfile.mkdtemp(prefix="browser-", dir=folder))
    proc = subprocess.Popen([sys.executable, "-c", CHILD.format(config=REPO / "config"), str(home), str(source), "full"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    handle, samples = psutil.Process(proc.pid), []
    while proc.poll() is None:
        samples.append((site.hits, tree_rss(handle)))
        time.sleep(0.5)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"crawl failed:\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1]), samples


def growth(samples: list[tuple[int, int]], pages: int) -> dict[str, float]:
    warm = [rss for hits, rss in samples if WARM_UP[0] <= hits <= WARM_UP[1]]
    tail = [rss for hits, rss in samples if hits >= pages * TAIL]
    return {"warm_mean": sum(warm) / len(warm), "tail_mean": sum(tail) / len(tail),
            "warm_peak": max(warm), "tail_peak": max(tail)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    mib = 1024 * 1024
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = {}
        for fetch in ("http", "browser"):
            site = BenchSite(args.posts, browser_js=True)
            (folder / fetch).mkdir()
            source = source_file(site.base_url, args.posts, folder / fetch, fetch=fetch, concurrency=args.concurrency)
            summary, samples = crawl_sampled(site, source, folder)
            site.stop()
            assert summary["new_items"] == args.posts, summary
            results[fetch] = (summary, samples)
            print(f"{fetch:7s}: {summary['pages']} pages in {summary['elapsed']:.1f} s = "
                  f"{summary['pages'] / summary['elapsed']:.1f} pages/s, peak PSS {max(r for _, r in samples) / mib:.0f} MiB")
    http, browser = results["http"][0], results["browser"][0]
    ratio = (browser["pages"] / browser["elapsed"]) / (http["pages"] / http["elapsed"])
    g = growth(results["browser"][1], browser["pages"])
    print(f"browser/http pages-per-second ratio: {ratio:.2f}")
    print(f"browser PSS (crawler + Chromium), pages 100-300: mean {g['warm_mean'] / mib:.0f} MiB, "
          f"peak {g['warm_peak'] / mib:.0f} MiB; last 20%: mean {g['tail_mean'] / mib:.0f} MiB, "
          f"peak {g['tail_peak'] / mib:.0f} MiB")
    print(f"growth after warm-up: mean {(g['tail_mean'] / g['warm_mean'] - 1) * 100:.1f}% (target < 20%), "
          f"peak {(g['tail_peak'] / g['warm_peak'] - 1) * 100:.1f}%")


if __name__ == "__main__":
    main()
