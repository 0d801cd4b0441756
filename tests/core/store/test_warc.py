"""WARC records are written with digests, found again by offset, and tampering is detected."""

from firewatch.core.store.warc import WarcRecorder, check_digests, read_record


def test_exchange_round_trip_and_digest_check(tmp_path):
    path = tmp_path / "run.warc.gz"
    recorder = WarcRecorder(path)
    body = "<html><meta charset=gbk>烟花 出售</html>".encode("gbk")
    loc = recorder.write_exchange("http://127.0.0.1/t?id=1", status=200,
                                  response_headers=[("Content-Type", "text/html; charset=gbk")], body=body)
    recorder.write_exchange("http://127.0.0.1/t?id=2", status=200, response_headers=[], body=b"second")
    recorder.close()
    headers, status, payload = read_record(loc.path, loc.offset)
    assert headers.get_header("WARC-Record-ID") == loc.record_id
    assert status == "200" and payload == body
    assert headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    assert check_digests(str(path)) == []


def test_changed_payload_fails_digest_check(tmp_path):
    path = tmp_path / "run.warc"
    recorder = WarcRecorder(path, gzip=False)  # uncompressed, so a byte edit is easy to place
    recorder.write_exchange("http://127.0.0.1/x", status=200, response_headers=[], body=b"price 100 yuan")
    recorder.close()
    data = path.read_bytes().replace(b"price 100", b"price 900")
    path.write_bytes(data)
    assert check_digests(str(path))
