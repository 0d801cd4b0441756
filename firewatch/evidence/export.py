"""Export a case as one signed WACZ package with the 笔录 PDF, 清单 XLSX and supporting files.

Export refuses (Chinese message, nothing written) when the case fields are incomplete, when a post
lacks supervisor approval (with ``require_approval``), or when a post's raw evidence is missing or
no longer matches the digests recorded when it was captured. Every export, and every refusal, is
written to the audit trail.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from firewatch.core import audit
from firewatch.core.context import AppContext
from firewatch.core.paths import OutsideHomeError
from firewatch.evidence import signing, timestamp
from firewatch.evidence.case_bundle import CaseBundle, PostEvidence, collect_case
from firewatch.evidence.inventory import inventory_xlsx
from firewatch.evidence.provenance import library_versions, machine, utc_now
from firewatch.evidence.record_content import case_info_rows, record_content
from firewatch.evidence.record_pdf import render_record
from firewatch.evidence.wacz import (INDEX, PAGES, PackageStage, cdxj_lines, datapackage, signed_digest,
                                     write_zip)
from firewatch.core.store.warc import check_digests, copy_records
from firewatch.core.review.exports import export_problems
from firewatch.core.store.models import Case


class ExportError(ValueError):
    """An export that must not happen; the message is Chinese, for officers."""


def export_case(ctx: AppContext, case_id: int, out_dir: Path, actor: str = "") -> Path:
    """Write ``case-ID-TIME.wacz`` into ``out_dir`` and return its path."""
    with ctx.sessions() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise ExportError(f"案件 {case_id} 不存在")
        problems = export_problems(session, case, ctx.settings.require_approval)
        bundle = None if problems else collect_case(session, case)
    if problems:
        _refuse(ctx, case_id, actor, "无法导出证据包：" + "；".join(problems))
    key = signing.load_or_create(ctx.settings.keys_dir)
    try:
        path, manifest_hash = build_package(ctx, bundle, Path(out_dir), key)
    except ExportError as exc:
        _refuse(ctx, case_id, actor, str(exc))
    with ctx.sessions() as session:
        audit.record(session, "case.export", actor=actor, object_type="case", object_id=case_id,
                     details={"package": str(path), "manifest_hash": manifest_hash,
                              "key_fingerprint": key.fingerprint,
                              "post_ids": [p.post_id for p in bundle.posts]})
        session.commit()
    return path


def _refuse(ctx: AppContext, case_id: int, actor: str, message: str) -> None:
    """Audit the refusal, then raise it."""
    with ctx.sessions() as session:
        audit.record(session, "case.export_refused", actor=actor, object_type="case",
                     object_id=case_id, details={"reason": message})
        session.commit()
    raise ExportError(message)


def build_package(ctx: AppContext, bundle: CaseBundle, out_dir: Path, key) -> tuple[Path, str]:
    created_at = utc_now().replace(microsecond=0)
    created = created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"case-{bundle.case_id}-", dir=out_dir))
    try:
        stage = PackageStage(staging)
        located = {p.post_id: _stage_post(ctx, stage, p) for p in bundle.posts}
        stage.add_bytes(INDEX, "\n".join(cdxj_lines(stage)).encode("utf-8") + b"\n",
                        "索引", "CDXJ", "archive/ 中各 WARC 记录的索引")
        stage.add_bytes(PAGES, _pages_jsonl(bundle), "页面列表", "JSON Lines", "涉案帖子页面列表")
        _stage_case_files(ctx, stage, bundle, located, key, created_at)
        content = record_content(ctx.settings, bundle, located, stage.members, key, created_at)
        evidence_members = list(stage.members)
        stage.add_bytes("case/record.pdf", render_record(content, ctx.settings.pdf_font), "提取笔录", "PDF", "电子数据提取笔录")
        stage.add_bytes("case/inventory.xlsx",
                        inventory_xlsx(evidence_members, case_info_rows(ctx.settings, bundle, created_at)),
                        "电子数据清单", "XLSX (Office Open XML)", "电子数据清单（与笔录所附清单相同）")
        title = f"案件 {bundle.fields.case_number or bundle.case_id}：{bundle.fields.title}"
        extra = {"home": _home(bundle), "firewatch": {"case_id": bundle.case_id,
                 "case_number": bundle.fields.case_number, "key_fingerprint": key.fingerprint}}
        manifest = datapackage(stage, created, title, extra)
        digest = signed_digest(manifest, created, key, _time_signature(manifest, ctx.settings.tsa_url))
        path = _free_name(out_dir, f"case-{bundle.case_id}-{created_at.strftime('%Y%m%dT%H%M%SZ')}")
        write_zip(stage, manifest, digest, path, created_at)
        return path, json.loads(digest)["hash"]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _free_name(out_dir: Path, stem: str) -> Path:
    """``stem.wacz``, or ``stem-2.wacz``… when two exports land in the same second."""
    path, number = out_dir / f"{stem}.wacz", 1
    while path.exists():
        number += 1
        path = out_dir / f"{stem}-{number}.wacz"
    return path


def _time_signature(manifest: bytes, url: str) -> bytes:
    """An RFC 3161 token over the manifest when a TSA is configured (empty otherwise)."""
    if not url:
        return b""
    try:
        return timestamp.request_token(url, hashlib.sha256(manifest).hexdigest())
    except timestamp.TimestampError as exc:
        raise ExportError(f"无法取得可信时间戳：{exc}") from exc


def _resolve(ctx: AppContext, stored: str) -> Path:
    """A stored evidence file, inside the home; a path leading elsewhere refuses the export."""
    try:
        return ctx.settings.in_home(stored)
    except OutsideHomeError as exc:
        raise ExportError(f"证据文件路径无效：{exc}") from exc


def _stage_post(ctx: AppContext, stage: PackageStage, evidence: PostEvidence) -> dict:
    """Copy one post's raw records and capture files into the stage; returns where each went."""
    located: dict = {"versions": {}, "capture": None}
    for warc_file, versions in _versions_by_file(ctx, evidence).items():
        member = f"archive/crawl-{evidence.post_id}-{_stem(warc_file)}.warc" + (
            ".gz" if warc_file.name.endswith(".gz") else "")
        try:
            expected = {v["warc_offset"]: v["warc_record_id"] for v in versions if v["warc_record_id"]}
            expected.update(_image_records(ctx, versions, warc_file))
            copied = copy_records(str(warc_file), set(expected) | {v["warc_offset"] for v in versions},
                                  stage.path(member), expected)
        except ValueError as exc:
            raise ExportError(f"帖子 #{evidence.post_id} 的原始网络数据记录无法读取：{exc}") from exc
        if check_digests(str(stage.path(member))):
            raise ExportError(f"帖子 #{evidence.post_id} 的原始网络数据 {warc_file} 校验值不符，可能已被改动")
        stage.register(member, "原始网络数据", "WARC 1.1", f"帖子 #{evidence.post_id} 巡查抓取时收到的原始 HTTP 响应")
        by_offset = {c.source_offset: c for c in copied}
        for version in versions:
            located["versions"][version["id"]] = {"member": member, "source_file": str(warc_file),
                                                  "stage_path": str(stage.path(member)),
                                                  "record": by_offset[version["warc_offset"]],
                                                  "copied": copied}
    if evidence.capture:
        located["capture"] = _stage_capture(ctx, stage, evidence)
    return located


def _versions_by_file(ctx: AppContext, evidence: PostEvidence) -> dict[Path, list[dict]]:
    groups: dict[Path, list[dict]] = {}
    for version in evidence.versions:
        if not version["warc_path"] or version["warc_offset"] is None:
            continue
        path = _resolve(ctx, version["warc_path"])
        if not path.is_file():
            raise ExportError(f"帖子 #{evidence.post_id} 的原始网络数据文件缺失：{version['warc_path']}")
        groups.setdefault(path, []).append(version)
    return groups


def _image_records(ctx: AppContext, versions: list[dict], warc_file: Path) -> dict[int, str]:
    """The images OCR read for these versions (fields["ocr_images"]) that lie in the same crawl
    WARC: copied with the page, since the officer's finding rests on the text in the picture."""
    found: dict[int, str] = {}
    for version in versions:
        for image in (version.get("fields") or {}).get("ocr_images") or []:
            if (not isinstance(image, dict) or image.get("warc_offset") is None
                    or not image.get("warc_record_id") or not image.get("warc_path")):
                continue
            if _resolve(ctx, str(image["warc_path"])) == warc_file:
                found[int(image["warc_offset"])] = str(image["warc_record_id"])
    return found


def _stem(path: Path) -> str:
    return path.name.removesuffix(".gz").removesuffix(".warc")


def _stage_capture(ctx: AppContext, stage: PackageStage, evidence: PostEvidence) -> dict:
    capture, post_id = evidence.capture, evidence.post_id
    recorded = (capture["meta"] or {}).get("sha256", {})
    plan = [("warc_path", f"archive/capture-post{post_id}-{capture['id']}.warc.gz", "capture.warc.gz",
             "浏览器采集数据", "WARC 1.1", "浏览器采集时收到的 HTTP 响应、截图、DOM 及采集元数据"),
            ("screenshot_path", f"case/post-{post_id}-screenshot.png", "screenshot.png",
             "网页截图", "PNG", "Chromium 整页截图"),
            ("dom_path", f"case/post-{post_id}-dom.html", "dom.html",
             "网页源代码", "HTML", "浏览器渲染后的 DOM")]
    members = {}
    for column, member, name, category, fmt, description in plan:
        if not capture[column]:
            continue
        source = _resolve(ctx, capture[column])
        if not source.is_file():
            raise ExportError(f"帖子 #{post_id} 的采集文件缺失：{capture[column]}")
        shutil.copyfile(source, stage.path(member))
        added = stage.register(member, category, fmt, f"帖子 #{post_id} {description}")
        if name in recorded and recorded[name] != added.sha256:
            raise ExportError(f"帖子 #{post_id} 的采集文件 {source} 与采集时记录的校验值不符，可能已被改动")
        members[column] = member
    return members


def _pages_jsonl(bundle: CaseBundle) -> bytes:
    lines = [{"format": "json-pages-1.0", "id": "pages", "title": f"案件 {bundle.case_id} 涉案帖子"}]
    for evidence in bundle.posts:
        lines.append({"id": f"post-{evidence.post_id}", "url": evidence.post["url"],
                      "ts": _page_ts(evidence), "title": evidence.post["title"] or evidence.post["url"]})
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")


def _page_ts(evidence: PostEvidence) -> str:
    moment = (evidence.capture or {}).get("started_at") or (
        evidence.versions[-1]["fetched_at"] if evidence.versions else evidence.post["first_seen_at"])
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _home(bundle: CaseBundle) -> dict:
    first = bundle.posts[0]
    return {"url": first.post["url"], "ts": _page_ts(first)}


def _stage_case_files(ctx: AppContext, stage: PackageStage, bundle: CaseBundle, located: dict, key,
                      created_at: datetime) -> None:
    case_json = {
        "case_id": bundle.case_id, "case": bundle.fields.__dict__, "exported": ctx.settings.clock.both(created_at),
        "machine": machine(), "tools": library_versions(), "key_fingerprint": key.fingerprint,
        "posts": [_post_json(p, located[p.post_id]) for p in bundle.posts],
    }
    reviews = [dict(r, post_id=p.post_id) for p in bundle.posts for r in p.reviews]
    events = bundle.case_audit + [e for p in bundle.posts for e in p.audit]
    stage.add_bytes("case/case.json", _json(case_json), "案件信息", "JSON", "案件字段、帖子、版本与采集元数据")
    stage.add_bytes("case/reviews.json", _json(reviews), "审核记录", "JSON", "涉案帖子的审核决定")
    stage.add_bytes("case/audit.json", _json(sorted(events, key=lambda e: e["id"])), "审计日志", "JSON",
                    "涉案帖子与案件的审计事件（含哈希链值）")
    stage.add_bytes("case/public-key.pem", key.public_pem.encode("ascii"), "签名公钥", "PEM",
                    f"Ed25519 公钥，指纹 {key.fingerprint}")


def _post_json(evidence: PostEvidence, located: dict) -> dict:
    versions = []
    for version in evidence.versions:
        place = located["versions"].get(version["id"])
        packaged = ({"file": place["member"], "offset": place["record"].offset,
                     "source_file": place["source_file"], "source_offset": place["record"].source_offset}
                    if place else None)
        versions.append(dict(version, packaged=packaged))
    return {"post": evidence.post, "source": evidence.source, "versions": versions,
            "capture": evidence.capture, "capture_members": located["capture"],
            "capture_failure": evidence.capture_failure}


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=_plain).encode("utf-8")


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if hasattr(value, "__dict__"):
        return value.__dict__
    raise TypeError(type(value).__name__)
