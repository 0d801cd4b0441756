"""WARC writing and reading with warcio: the primary record of what was received, and when.

Every response that yields a post is written as a request/response record pair; warcio computes
the block and payload digests. A record is located by (file, byte offset, WARC-Record-ID).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import firewatch


@dataclass(frozen=True)
class WarcLocation:
    path: str
    offset: int
    record_id: str


def warc_date(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class WarcRecorder:
    """Appends records to one gzip WARC file; safe to share between threads of one process."""

    def __init__(self, path: Path, info: dict[str, str] | None = None, gzip: bool = True,
                 stored_as: str | None = None):
        """``stored_as`` is the name locations carry (the path relative to the home)."""
        self.path = Path(path)
        self.stored_as = stored_as or str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._file = open(self.path, "ab")
        self._writer = WARCWriter(self._file, gzip=gzip, warc_version="1.1")
        if self._file.tell() == 0:
            fields = {"software": f"firewatch/{firewatch.__version__}", "format": "WARC File Format 1.1"}
            fields.update(info or {})
            self._writer.write_record(self._writer.create_warcinfo_record(self.path.name, fields))

    def write_exchange(
        self,
        url: str,
        *,
        status: int,
        response_headers: list[tuple[str, str]],
        body: bytes,
        request_headers: list[tuple[str, str]] | None = None,
        method: str = "GET",
        fetched_at: datetime | None = None,
        protocol: str = "HTTP/1.1",
    ) -> WarcLocation:
        """Write a response and its request; returns where the response record starts."""
        date = warc_date(fetched_at or datetime.now(timezone.utc))
        headers = StatusAndHeaders(f"{status} {_reason(status)}", _plain(response_headers), protocol=protocol)
        response = self._writer.create_warc_record(
            url, "response", payload=BytesIO(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": date},
        )
        request = self._writer.create_warc_record(
            url, "request", payload=BytesIO(b""),
            http_headers=StatusAndHeaders(f"{method} {_path(url)} {protocol}",
                                          _plain(request_headers or []), is_http_request=True),
            warc_headers_dict={"WARC-Date": date},
        )
        record_id = response.rec_headers.get_header("WARC-Record-ID")
        with self._lock:
            offset = self._file.tell()
            self._writer.write_request_response_pair(request, response)
            self._file.flush()
        return WarcLocation(self.stored_as, offset, record_id)

    def write_resource(self, uri: str, data: bytes, content_type: str) -> WarcLocation:
        """Store a file produced by firewatch itself (screenshot, rendered DOM) as a resource."""
        record = self._writer.create_warc_record(
            uri, "resource", payload=BytesIO(data), warc_content_type=content_type,
        )
        with self._lock:
            offset = self._file.tell()
            self._writer.write_record(record)
            self._file.flush()
        return WarcLocation(self.stored_as, offset, record.rec_headers.get_header("WARC-Record-ID"))

    def close(self) -> None:
        with self._lock:
            if not self._file.closed:
                self._file.close()


def _plain(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    # The stored body is already decoded by the HTTP client; drop encodings that no longer apply.
    skip = {"content-encoding", "transfer-encoding"}
    return [(k, v) for k, v in headers if k.lower() not in skip]


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def read_record(path: str, offset: int):
    """The record at ``offset`` in ``path`` as (headers, http status line, payload bytes)."""
    with open(path, "rb") as stream:
        stream.seek(offset)
        for record in ArchiveIterator(stream):
            payload = record.content_stream().read()
            status = record.http_headers.get_statuscode() if record.http_headers else ""
            return record.rec_headers, status, payload
    raise ValueError(f"no WARC record at {path}:{offset}")


def check_digests(path: str) -> list[str]:
    """Problems found re-checking every record's block and payload digest (empty when intact)."""
    problems: list[str] = []
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream, check_digests=True)
        for record in iterator:
            record.content_stream().read()
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            if record.digest_checker.passed is False:
                problems.append(f"{record_id}: {'; '.join(map(str, record.digest_checker.problems))}")
    return problems


@dataclass(frozen=True)
class CopiedRecord:
    """A record copied byte for byte into another WARC: where it was and where it is now."""

    record_id: str
    record_type: str
    source_offset: int
    offset: int
    length: int


def copy_records(source: str, offsets: set[int], out_path: Path,
                 expected_ids: dict[int, str] | None = None) -> list[CopiedRecord]:
    """Copy the warcinfo record, the records at ``offsets`` and the request records made with
    them from ``source`` into ``out_path``, unchanged, so their original digests still hold.

    Records are copied as stored (one gzip member each when compressed); nothing is re-encoded.
    ``expected_ids`` (offset -> WARC-Record-ID) guards against an offset that points elsewhere.
    """
    wanted = _select_records(source, offsets, expected_ids or {})
    copied: list[CopiedRecord] = []
    with open(source, "rb") as src, open(out_path, "wb") as out:
        for record_id, record_type, offset, length in wanted:
            src.seek(offset)
            copied.append(CopiedRecord(record_id, record_type, offset, out.tell(), length))
            out.write(src.read(length))
    return copied


def _select_records(source: str, offsets: set[int],
                    expected_ids: dict[int, str]) -> list[tuple[str, str, int, int]]:
    """Seek to each wanted record instead of reading the whole (possibly large) crawl WARC."""
    found: list[tuple[str, str, int, int]] = []
    first = _records_at(source, 0, 1)
    if first and first[0][1] == "warcinfo" and 0 not in offsets:
        found.append(first[0][:4])
    for offset in sorted(offsets):
        records = _records_at(source, offset, 2)
        if not records or records[0][2] != offset or not records[0][0]:
            raise ValueError(f"{source}: no WARC record at offset {offset}")
        if expected_ids.get(offset, records[0][0]) != records[0][0]:
            raise ValueError(f"{source}: the record at offset {offset} is {records[0][0]}, "
                             f"not {expected_ids[offset]}")
        found.append(records[0][:4])
        if len(records) > 1 and records[1][1] == "request" and records[1][4] == records[0][0]:
            found.append(records[1][:4])
    return found


def _records_at(source: str, offset: int, count: int) -> list[tuple[str, str, int, int, str]]:
    """Up to ``count`` records from ``offset``: (id, type, offset, length, concurrent-to).

    A record's length runs to where the next one starts, so the blank lines that end records in
    uncompressed WARCs are copied too."""
    found = []
    with open(source, "rb") as stream:
        stream.seek(offset)
        iterator = ArchiveIterator(stream)
        try:
            for record in iterator:
                iterator.read_to_end(record)
                headers = record.rec_headers
                found.append((headers.get_header("WARC-Record-ID"), record.rec_type,
                              iterator.get_record_offset(), headers.get_header("WARC-Concurrent-To") or ""))
                if len(found) > count:
                    break
        except Exception as exc:  # noqa: BLE001 - warcio raises several kinds for a bad offset
            if not found:
                problem = f"{source}: no WARC record at offset {offset} ({type(exc).__name__})"
                raise ValueError(problem) from exc
    ends = [item[2] for item in found[1:]] + [Path(source).stat().st_size]
    return [(rid, kind, start, end - start, concurrent)
            for (rid, kind, start, concurrent), end in zip(found[:count], ends)]


def request_headers_for(path: str, response_id: str, candidates: list[CopiedRecord]) -> list[tuple[str, str]]:
    """HTTP headers of the request record made with response ``response_id`` (empty if none)."""
    for copied in candidates:
        if copied.record_type != "request":
            continue
        with open(path, "rb") as stream:
            stream.seek(copied.offset)
            for record in ArchiveIterator(stream):
                if record.rec_headers.get_header("WARC-Concurrent-To") == response_id:
                    return list(record.http_headers.headers) if record.http_headers else []
                break
    return []


def records_without_digest(path: str) -> list[str]:
    """Records that carry no WARC-Block-Digest: nothing to check them against (empty when all do)."""
    missing = []
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if not record.rec_headers.get_header("WARC-Block-Digest"):
                missing.append(f"{record.rec_headers.get_header('WARC-Record-ID')} ({record.rec_type})")
    return missing
