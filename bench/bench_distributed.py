"""Shared-queue crawling: how much faster two `firewatch crawl --redis` workers finish a polite
crawl than one ordinary crawl, over the same local forum, in the same run.

    .venv/bin/python bench/bench_distributed.py [--posts 300] [--delay 0.1] [--redis URL]

A polite source is bound by its delay, not by CPU, so workers should add up (the delay holds per
worker). Modes: "single" (no Redis: the baseline), "shared x1" (one worker through Redis: the
queue's overhead), "shared x2" (two workers). Time runs from the site's first request to its
last expected page: process start-up (noisy on a busy machine) and the workers' idle wait at the
end are not counted. SQLite in WAL mode
is the shared database (two workers on one machine). Prints pages/s and ratios to the baseline.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.bench_crawl import source_file  # noqa: E402
from bench.bench_site import BenchSite  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
FIREWATCH = str(Path(sys.executable).with_name("firewatch"))


def polite_source(base_url: str, posts: int, folder: Path, delay: float) -> Path:
    path = source_file(base_url, posts, folder, concurrency=1)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["politeness"] = {"delay": delay, "concurrency": 1, "autothrottle": False}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def crawl(site: BenchSite, source: Path, folder: Path, workers: int, redis_url: str | None,
          expected_pages: int) -> float:
    """Seconds from the first request until the site served ``expected_pages`` pages (and
    robots.txt once per worker)."""
    home = Path(tempfile.mkdtemp(prefix="home-", dir=folder))
    env = {**os.environ, "FIREWATCH_HOME": str(home), "FIREWATCH_CONFIG": str(REPO / "config"),
           "FIREWATCH_CAPTURE_AFTER_CRAWL": "false", "FIREWATCH_REDIS_URL": ""}
    # Workers on a fresh database would race to create the schema: migrate it first, as deploy.md says.
    subprocess.run([FIREWATCH, "db", "upgrade"], env=env, cwd=REPO, check=True, capture_output=True)
    args = [FIREWATCH, "crawl", str(source), "--json", "--no-capture"]
    if redis_url:
        args += ["--redis", redis_url, "--redis-prefix", f"fwbench-{uuid.uuid4().hex[:8]}",
                 "--set", "FIREWATCH_REDIS_IDLE=2"]
    site.hits = 0
    procs = [subprocess.Popen(args, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(workers)]
    expected_hits, first_hit = expected_pages + workers, None
    while site.hits < expected_hits and any(p.poll() is None for p in procs):
        if first_hit is None and site.hits:
            first_hit = time.perf_counter()
        time.sleep(0.01)
    elapsed = time.perf_counter() - (first_hit or time.perf_counter())
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        if proc.returncode != 0:
            raise SystemExit(f"worker failed ({proc.returncode}): {err.decode()[-2000:]}")
    if site.hits != expected_hits:
        raise SystemExit(f"expected {expected_hits} requests, the site served {site.hits}")
    if redis_url:
        _delete_keys(redis_url, args[args.index("--redis-prefix") + 1])
    return elapsed


def _delete_keys(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    site = BenchSite(args.posts)
    expected = args.posts + -(-args.posts // 50)  # details + listings
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        source = polite_source(site.base_url, args.posts, Path(tmp), args.delay)
        for label, workers, redis_url in (("single", 1, None), ("shared x1", 1, args.redis),
                                          ("shared x2", 2, args.redis)):
            elapsed = crawl(site, source, Path(tmp), workers, redis_url, expected)
            results[label] = expected / elapsed
            print(f"{label:9s}: {elapsed:6.1f} s  {results[label]:6.1f} pages/s")
    site.stop()
    base = results["single"]
    print(f"ratio shared x1 / single: {results['shared x1'] / base:.2f}")
    print(f"ratio shared x2 / single: {results['shared x2'] / base:.2f} (ideal 2.0: the delay holds per worker)")


if __name__ == "__main__":
    main()
