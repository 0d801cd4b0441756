"""Evidence export and verification cost, as a ratio against plain SHA-256 hashing of the same
package bytes measured in the same run (the least any verifier must do).

    .venv/bin/python bench/bench_evidence.py [--posts 20] [--kib 256] [--repeat 3]

Posts carry only raw crawl records (no browser capture), so Chromium is not part of the figure;
the export still writes the 笔录 PDF and 清单 XLSX.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from firewatch.core.review.cases import CaseFields, create_case  # noqa: E402
from firewatch.core.context import AppContext  # noqa: E402
from firewatch.evidence.export import export_case  # noqa: E402
from firewatch.evidence.verify import verify_package  # noqa: E402
from firewatch.core.settings import load_settings  # noqa: E402
from tests.evidence.conftest import COMPLETE_FIELDS, make_post  # noqa: E402


def build_case(ctx: AppContext, posts: int, kib: int) -> int:
    rng = random.Random(7)  # CJK text that gzip cannot shrink much, like real pages with images
    filler = "".join(chr(0x4E00 + rng.randrange(0x5000)) for _ in range(kib * 1024 // 3))
    with ctx.sessions() as session:
        ids = [make_post(session, ctx.settings, f"http://127.0.0.1:9/thread/{n}", post_no=n,
                         text=filler, status="approved").id for n in range(1, posts + 1)]
        case = create_case(session, CaseFields("基准测试案件", **COMPLETE_FIELDS), ids)
        session.commit()
        return case.id


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def sha256_file(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            hasher.update(block)
    return hasher.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--kib", type=int, default=256, help="Body size of each post's response")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        ctx = AppContext(load_settings(home=home, db=f"sqlite:///{Path(folder) / 'fw.db'}"))
        ctx.ensure_schema()
        case_id = build_case(ctx, args.posts, args.kib)
        exports, verifies, baselines = [], [], []
        for round_no in range(args.repeat):
            seconds, package = timed(lambda: export_case(ctx, case_id, Path(folder) / f"out{round_no}"))
            exports.append(seconds)
            seconds, report = timed(lambda: verify_package(package))
            assert report.ok, report.problems
            verifies.append(seconds)
            baselines.append(timed(lambda: sha256_file(package))[0])
        size = os.path.getsize(package)
        ctx.close()
    base = statistics.median(baselines)
    print(f"package: {args.posts} posts, {size / 1e6:.1f} MB")
    print(f"baseline sha256 of package: {base * 1000:.1f} ms")
    print(f"verify_package: {statistics.median(verifies) * 1000:.1f} ms  "
          f"ratio {statistics.median(verifies) / base:.1f}x baseline")
    print(f"export_case:    {statistics.median(exports) * 1000:.1f} ms  "
          f"ratio {statistics.median(exports) / base:.1f}x baseline")


if __name__ == "__main__":
    main()
