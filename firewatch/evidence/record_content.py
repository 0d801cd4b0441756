"""What the 电子数据提取笔录 says, in Chinese: case fields, time, place, method, tools, each post
with its URL and entry steps, integrity and signature facts, and the signature lines.

Kept apart from the PDF layout (record_pdf.py) so the wording can be reviewed on its own.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from firewatch.evidence.case_bundle import CaseBundle, PostEvidence
from firewatch.core.clock import LocalClock
from firewatch.evidence.provenance import library_versions, machine
from firewatch.evidence.record_pdf import PostSection, RecordContent
from firewatch.core.store.warc import request_headers_for
from firewatch.core.settings import Settings

METHOD = ("网络在线提取。巡查程序通过 HTTP 访问公开网页并将收到的原始响应写入 WARC 文件；对涉案帖子另用 "
          "Chromium 无头浏览器打开，截取整页截图、保存渲染后的网页源代码（DOM）及浏览器收到的响应；"
          "对全部文件计算 SHA-256 完整性校验值，形成电子数据清单，并以本机 Ed25519 密钥签名。"
          "采集过程不修改、不向网页注入任何脚本。")
MEDIUM = "电子数据存储于网络服务提供者的服务器，无法扣押原始存储介质，故采用网络在线提取方式。"
NO_WITNESS_NOTE = ("按规定，无见证人时应对提取过程全程录像；本系统以整页截图和原始网络数据（WARC）固定提取过程，"
                   "录像须另行制作并随卷移送。")


def case_info_rows(settings: Settings, bundle: CaseBundle, exported_at: datetime) -> list[tuple[str, str]]:
    fields, host = bundle.fields, machine()
    witness = fields.witness.strip() or f"无。原因：{fields.no_witness_reason.strip()}\n{NO_WITNESS_NOTE}"
    tools = library_versions(_chromium_version(bundle))
    return [
        ("案件名称", fields.title), ("案由", fields.cause), ("案号", fields.case_number),
        ("办案单位", fields.unit or settings.unit),
        ("侦查（执法）人员", "、".join(fields.investigators)), ("见证人", witness),
        ("提取时间", _times(bundle, exported_at, settings.clock)),
        ("提取地点", f"{settings.place or host['hostname']}（计算机名 {host['hostname']}，"
                     f"machine-id {host['machine_id'] or '无'}）"),
        ("提取方法", METHOD), ("原始存储介质", MEDIUM),
        ("提取工具及版本", "；".join(f"{name} {version}" for name, version in tools.items())),
        ("系统环境", f"{host['os']}；时钟：{host['clock']}；操作系统用户 {host['user']}"),
        ("涉案帖子", f"{len(bundle.posts)} 条：" + "、".join(f"#{p.post_id}" for p in bundle.posts)),
    ]


def _chromium_version(bundle: CaseBundle) -> dict[str, str]:
    for evidence in bundle.posts:
        version = ((evidence.capture or {}).get("meta") or {}).get("tools", {}).get("chromium")
        if version:
            return {"chromium": version}
    return {}


def _times(bundle: CaseBundle, exported_at: datetime, clock: LocalClock) -> str:
    fetched = [v["fetched_at"] for p in bundle.posts for v in p.versions if v["fetched_at"]]
    captured = [p.capture["started_at"] for p in bundle.posts if p.capture and p.capture["started_at"]]
    lines = []
    if fetched:
        lines.append(f"原始网络数据抓取：{clock.text(min(fetched))} 至 {clock.text(max(fetched))}")
    if captured:
        lines.append(f"浏览器截图采集：{clock.text(min(captured))} 至 {clock.text(max(captured))}")
    lines.append(f"证据包生成：{clock.text(exported_at)}（UTC {exported_at.strftime('%Y-%m-%d %H:%M:%S')}）")
    return "\n".join(lines)


def record_content(settings: Settings, bundle: CaseBundle, located: dict, members, key,
                   exported_at: datetime) -> RecordContent:
    fields = bundle.fields
    return RecordContent(
        title="电子数据提取笔录",
        case_info=case_info_rows(settings, bundle, exported_at),
        posts=[post_section(settings, p, located[p.post_id]) for p in bundle.posts],
        members=members,
        integrity=_integrity_rows(key),
        public_key_pem=key.public_pem,
        signature_lines=_signature_lines(fields),
        footer=f"案号 {fields.case_number}　{fields.title}　电子数据提取笔录",
    )


def post_section(settings: Settings, evidence: PostEvidence, located: dict) -> PostSection:
    post, capture, clock = evidence.post, evidence.capture, settings.clock
    latest = evidence.versions[-1] if evidence.versions else None
    details = [
        ("网址", post["url"]), ("平台 / 来源", f"{post['platform']} / {evidence.source['name']}"),
        ("标题", post["title"]), ("发帖账号", " ".join(filter(None, [post["author"], post["author_id"]]))),
        ("发布时间", clock.text(post["published_at"]) or "页面未显示"),
        ("首次发现时间", clock.text(post["first_seen_at"])),
        ("帖子正文（摘录）", _excerpt(latest["text"] if latest else post["text"])),
        ("审核决定", _reviews(evidence, clock)),
    ]
    if capture:
        meta = capture["meta"] or {}
        details.append(("截图采集时间", f"{clock.text(capture['started_at'])}（HTTP {meta.get('http_status')}）"))
        details.append(("访问方式", _access(meta)))
        host = meta.get("machine") or {}
        details.append(("采集计算机", f"{host.get('hostname', '')}（machine-id {host.get('machine_id') or '无'}）"))
        details.append(("截图文件", located["capture"].get("screenshot_path", "")))
    has_shot = bool(capture and capture["screenshot_path"])
    screenshot = settings.in_home(capture["screenshot_path"]).read_bytes() if has_shot else None
    note = "" if screenshot else f"未能取得网页截图：{evidence.capture_failure}"
    return PostSection(heading=f"帖子 #{post['id']}", details=details,
                       entry_steps=entry_steps(evidence, located, clock), screenshot=screenshot,
                       screenshot_note=note)


def entry_steps(evidence: PostEvidence, located: dict, clock: LocalClock) -> list[str]:
    post, source = evidence.post, evidence.source
    steps = [f"由 firewatch 巡查来源「{source['name']}」（平台 {source['platform']}）检索公开网页发现该帖子。"]
    for version in evidence.versions:
        steps.extend(str(step) for step in (version["fields"] or {}).get("entry_steps", []))
        place = located["versions"].get(version["id"])
        if place is None:
            continue
        referer = _referer(place)
        if referer:
            steps.append(f"从页面 {referer} 进入帖子页面。")
        steps.append(f"访问 {version['url'] or post['url']}，于 {clock.text(version['fetched_at'])} 收到响应"
                     f"（第 {version['version_no']} 版），原始响应保存于 {place['member']}，"
                     f"记录 {place['record'].record_id}。")
    capture = evidence.capture
    if capture:
        meta = capture["meta"] or {}
        chromium = meta.get("tools", {}).get("chromium", "")
        steps.append(f"于 {clock.text(capture['started_at'])} 用 Chromium {chromium}"
                     f" 无头浏览器打开 {capture['url']}（最终网址 {meta.get('url_final', '')}），"
                     "页面加载完成后截取整页截图并保存渲染后的网页源代码。")
    steps.append("计算上述文件的 SHA-256 完整性校验值，列入电子数据清单，并对清单摘要进行 Ed25519 签名。")
    return steps


def _referer(place: dict) -> str:
    headers = request_headers_for(place["stage_path"], place["record"].record_id, place["copied"]) \
        if "stage_path" in place else []
    return unquote(next((value for name, value in headers if name.lower() == "referer"), ""))


def _access(meta: dict) -> str:
    access = meta.get("access") or {}
    if access.get("logged_in"):
        return f"使用巡查账号已登录的会话访问（会话文件 {access.get('storage_state', '')}）"
    return "未登录，以公开访问方式打开"


def _excerpt(text: str, limit: int = 600) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[:limit] + "……（全文见 case/case.json 及原始网络数据）"


def _reviews(evidence: PostEvidence, clock: LocalClock) -> str:
    if not evidence.reviews:
        return "无"
    return "\n".join(f"{clock.text(r['created_at'])} {r['user_name'] or r['user']}：{r['decision']}"
                     + (f"（{r['department']}）" if r["department"] else "")
                     + (f" {r['note']}" if r["note"] else "") for r in evidence.reviews)


def _integrity_rows(key) -> list[tuple[str, str]]:
    return [
        ("校验算法", "SHA-256"),
        ("文件清单", "datapackage.json 列出包内每个文件的路径、SHA-256 校验值和字节数（含本笔录及清单 XLSX）；"
                     "datapackage-digest.json 记录 datapackage.json 的 SHA-256 校验值。"),
        ("签名", "Ed25519，对 datapackage-digest.json 中 hash 字段的字符串（形如 sha256:…）签名，"
                 "签名值与公钥保存在该文件的 signedData 中。"),
        ("公钥指纹", f"{key.fingerprint}（公钥 DER 编码的 SHA-256）"),
        ("核验方法", "可不依赖本系统，用 sha256sum 与 openssl 核验，步骤见随附说明 docs/evidence.md；"
                     "或运行 firewatch verify 证据包文件。"),
        ("证明范围", "证明本系统在所记录的时间收到并保存了上述数据且此后未被改动；不能证明帖子的实际作者身份。"),
    ]


def _signature_lines(fields) -> list[str]:
    lines = [f"侦查（执法）人员：{name}　　签名：__________　　日期：__________" for name in fields.investigators]
    if fields.witness.strip():
        lines.append(f"见证人：{fields.witness}　　签名：__________　　日期：__________")
    lines.append("电子数据持有人（提供人）：__________　　签名：__________　　日期：__________")
    return lines
