"""Benchmark: `firewatch classify` over N synthetic posts against a process that only runs
plain `jieba.lcut` over the same texts (title and text, as the classifier reads them). Both are
whole processes started the same way and timed in the same run; the classifier must be at least
2.0x faster, with peak memory under 300 MB.

    .venv/bin/python bench/bench_classify.py            # 100,000 posts
    .venv/bin/python bench/bench_classify.py --posts 5000
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_classify_corpus import write_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TARGET_RATIO = 2.0
MEMORY_LIMIT_MB = 300

JIEBA_BASELINE = """
import json, sys, jieba
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        post = json.loads(line)
        jieba.lcut(post.get("title", ""))
        jieba.lcut(post.get("text", ""))
"""


def run_measured(cmd: list[str]) -> tuple[float, float]:
    """Wall time in seconds and peak RSS in MB of ``cmd`` (sampled every 10 ms)."""
    start = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, proc.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.01)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"command failed with exit {proc.returncode}: {' '.join(cmd)}")
    return elapsed, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    args = parser.parse_args()
    firewatch = shutil.which("firewatch", path=str(Path(sys.executable).parent)) or "firewatch"
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "posts.jsonl"
        chars = write_corpus(corpus, args.posts)
        print(f"corpus: {args.posts} posts, {chars / 1e6:.1f} M characters")
        t_jieba, m_jieba = run_measured([sys.executable, "-c", JIEBA_BASELINE, str(corpus)])
        t_clf, m_clf = run_measured([firewatch, "classify", str(corpus), "-o", str(Path(tmp) / "out.jsonl")])
        with open(Path(tmp) / "out.jsonl", encoding="utf-8") as fh:
            flagged = sum(json.loads(line)["flagged"] for line in fh)
    ratio = t_jieba / t_clf
    print(f"plain jieba.lcut:    {t_jieba:8.2f} s   peak RSS {m_jieba:6.1f} MB")
    print(f"firewatch classify:  {t_clf:8.2f} s   peak RSS {m_clf:6.1f} MB   ({flagged} flagged)")
    print(f"speed-up: {ratio:.2f}x (target >= {TARGET_RATIO}x)   "
          f"memory: {m_clf:.0f} MB (limit {MEMORY_LIMIT_MB} MB)")
    ok = ratio >= TARGET_RATIO and m_clf < MEMORY_LIMIT_MB
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
