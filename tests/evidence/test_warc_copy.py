"""Copying a post's records out of a crawl WARC keeps them byte for byte, digests intact."""

from __future__ import annotations

import pytest

from firewatch.core.store.warc import WarcRecorder, check_digests, copy_records, read_record


@pytest.mark.parametrize("compressed", [True, False])
def test_copy_keeps_records_identical(tmp_path, compressed):
    source = tmp_path / ("run.warc.gz" if compressed else "run.warc")
    recorder = WarcRecorder(source, gzip=compressed)
    locations = [recorder.write_exchange(f"http://127.0.0.1/t/{n}", status=200, response_headers=[],
                                         body=f"帖子 {n} 烟花".encode() * 40) for n in range(4)]
    recorder.close()
    out = tmp_path / ("copy.warc.gz" if compressed else "copy.warc")
    copied = copy_records(str(source), {locations[1].offset, locations[3].offset}, out)
    assert [c.record_type for c in copied] == ["warcinfo", "response", "request", "response", "request"]
    raw = source.read_bytes()
    for record in copied:
        assert out.read_bytes()[record.offset:record.offset + record.length] == \
            raw[record.source_offset:record.source_offset + record.length]
    assert check_digests(str(out)) == []
    headers, status, payload = read_record(str(out), copied[3].offset)
    assert headers.get_header("WARC-Record-ID") == locations[3].record_id and payload.startswith("帖子 3".encode())


def test_bad_offset_is_a_clear_error(tmp_path):
    source = tmp_path / "run.warc.gz"
    recorder = WarcRecorder(source)
    location = recorder.write_exchange("http://127.0.0.1/t", status=200, response_headers=[], body=b"x" * 500)
    recorder.close()
    for shift in range(1, 40):  # garbage offsets never copy a "record"
        with pytest.raises(ValueError, match="no WARC record at offset"):
            copy_records(str(source), {location.offset + shift}, tmp_path / "out.warc.gz")
    with pytest.raises(ValueError, match="not <urn:uuid:other>"):
        copy_records(str(source), {location.offset}, tmp_path / "out.warc.gz",
                     {location.offset: "<urn:uuid:other>"})
