"""Stored paths are relative to the home, and nothing outside the home is ever resolved."""

from pathlib import Path

import pytest

from firewatch.core.paths import OutsideHomeError, relative_to_home, resolve_in_home


def test_relative_and_absolute_paths_inside_the_home(tmp_path):
    home = tmp_path / "home"
    assert resolve_in_home(home, "warc/a.warc.gz") == (home / "warc/a.warc.gz").resolve()
    assert resolve_in_home(home, home / "captures/x.png") == (home / "captures/x.png").resolve()
    assert relative_to_home(home, home / "captures" / "post-1" / "shot.png") == "captures/post-1/shot.png"


@pytest.mark.parametrize("stored", ["../keys.pem", "/etc/passwd", "warc/../../outside", ""])
def test_paths_leading_out_of_the_home_are_refused(tmp_path, stored):
    with pytest.raises(OutsideHomeError):
        resolve_in_home(tmp_path / "home", stored)


def test_a_symlink_out_of_the_home_is_refused(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "secret.txt").write_text("x")
    (home / "link").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(OutsideHomeError):
        resolve_in_home(home, "link")


def test_a_moved_home_still_finds_its_files(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    (old / "warc").mkdir(parents=True)
    (old / "warc" / "a.warc.gz").write_bytes(b"x")
    stored = relative_to_home(old, old / "warc" / "a.warc.gz")
    old.rename(new)
    assert resolve_in_home(new, stored).read_bytes() == b"x"
    assert not Path(stored).is_absolute()
