"""The saved real pages in tests/fixtures/real are byte-for-byte copies of shared/fixtures/real."""

import hashlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COPY = REPO / "tests" / "fixtures" / "real" / "wechat-sogou"
SHARED = REPO.parent / "shared" / "fixtures" / "real" / "wechat-sogou"


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_copies_are_present():
    assert (COPY / "search-gaokao-gzh-error.html").is_file()
    assert (COPY / "LICENSE").is_file()


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/ is not beside this clone")
def test_copies_match_shared_fixtures():
    assert _digests(COPY) == _digests(SHARED)
