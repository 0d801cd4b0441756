"""Source YAML files as the admin pages manage them: list, read, validate, replace, enable.

The YAML file stays the single source of truth (``enabled`` included, which
``firewatch.core.sources.resolve_sources(all_sources=True)`` honours). Every write is validated with the
crawler's own schema first, from a temporary file in the same folder; only a valid text replaces
the file, atomically (``os.replace``), and the previous version is kept as ``NAME.yaml.bak``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from firewatch.core.sources import NAME_PATTERN, LoadedSource, SourceConfigError, load_source, source_files

NEW_FILE_MODE = 0o644
MAX_BYTES = 200_000  # far above any real source file; keeps a pasted mistake from filling the disk
ENABLED_LINE = re.compile(r"^enabled:[ \t]*[^#\n]*?([ \t]+#[^\n]*)?$", re.MULTILINE)

NEW_SOURCE_TEMPLATE = """\
# 新来源：按 docs/sources.md 填写，保存前会用与爬虫相同的规则校验。
name: {name}
platform: forum                  # weibo, douyin, xiaohongshu, tieba, xianyu, wechat, 58, forum ...
fetch: http                      # http | browser
start_urls: ["https://example.org/search?q={{keyword}}"]
enabled: false                   # 先停用：核对选择器后再启用
listing:
  items: "li.result"
  fields:
    url: "a::attr(href)"
    title: "a::text"
  max_pages: 5
politeness: {{delay: 2.0, concurrency: 1, obey_robots: true}}
"""

# The crawler's messages are English (IT staff read them in the shell); the page says them in Chinese.
_PROBLEMS_ZH = (
    ("required key is missing", "缺少必填的键"),
    ("unknown key", "未知的键（允许的键见 docs/sources.md）"),
    ("not valid UTF-8 YAML", "不是有效的 UTF-8 YAML"),
    ("expected a mapping", "应为键值映射（name、platform、start_urls ……）"),
    ("cannot read the file", "无法读取文件"),
    ("unknown field name", "未知的字段名"),
    ("not an http(s) URL", "不是 http(s) 网址"),
    ("not a valid CSS selector", "CSS 选择器无效"),
    ("not a valid XPath selector", "XPath 选择器无效"),
    ("not a valid JMESPath expression", "JMESPath 表达式无效"),
    ("String should match pattern", "格式不符（小写字母、数字、- 和 _，以字母或数字开头，最长 100）"),
)


class SourceEditError(ValueError):
    """A change refused; ``str()`` is the Chinese message shown to the admin, naming the key."""


class SourceChanged(SourceEditError):
    """The file changed on disk since the admin opened it."""


@dataclass
class SourceEntry:
    """One file in the sources folder: its parsed config, or why it cannot be used."""

    stem: str
    path: Path
    loaded: LoadedSource | None
    error: str

    @property
    def name(self) -> str:
        return self.loaded.name if self.loaded else self.stem


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def describe_error(exc: SourceConfigError) -> str:
    """``exc`` in Chinese: the key it names and the problem (the original text kept for detail)."""
    original, more = exc.problem, ""
    counted = re.search(r" \(and (\d+) more\)$", original)
    if counted:
        original, more = original[:counted.start()], f"；另有 {counted.group(1)} 处错误"
    problem = original
    for english, chinese in _PROBLEMS_ZH:
        if english in original:
            problem = f"{chinese}（{original}）"
            break
    problem += more
    where = f"键 {exc.key}" if exc.key else "文件"
    return f"配置有误：{where}：{problem}"


def check_name(name: str) -> str:
    """``name`` if it is a valid source name (which also rules out any path), else an error."""
    if not re.fullmatch(NAME_PATTERN, name or ""):
        raise SourceEditError(f"来源名称不合规：{name!r}；只能用小写字母、数字、- 和 _，以字母或数字开头")
    return name


def path_for(sources_dir: Path, name: str) -> Path:
    """The file of source ``name`` inside ``sources_dir`` (existing .yml kept, else NAME.yaml)."""
    check_name(name)
    folder = sources_dir.resolve()
    for suffix in (".yaml", ".yml"):
        candidate = folder / f"{name}{suffix}"
        if candidate.is_file():
            break
    else:
        candidate = folder / f"{name}.yaml"
    if candidate.parent != folder:  # belt and braces: the name rules already forbid separators
        raise SourceEditError("来源名称不合规")
    return candidate


def list_entries(sources_dir: Path) -> list[SourceEntry]:
    entries = []
    for path in source_files(sources_dir):
        try:
            entries.append(SourceEntry(path.stem, path, load_source(path), ""))
        except SourceConfigError as exc:
            entries.append(SourceEntry(path.stem, path, None, describe_error(exc)))
    return entries


def read_entry(sources_dir: Path, name: str) -> tuple[SourceEntry, bytes]:
    """The entry for ``name`` and its raw bytes; SourceEditError when there is no such file."""
    path = path_for(sources_dir, name)
    if not path.is_file():
        raise FileNotFoundError(name)
    raw = path.read_bytes()
    try:
        return SourceEntry(name, path, load_source(path), ""), raw
    except SourceConfigError as exc:
        return SourceEntry(name, path, None, describe_error(exc)), raw


def validate_text(path: Path, text: str) -> tuple[bytes, LoadedSource]:
    """Validate ``text`` as the content of ``path`` without touching ``path``; errors in Chinese."""
    data = text.replace("\r\n", "\n").encode("utf-8")
    if len(data) > MAX_BYTES:
        raise SourceEditError(f"文件过大：{len(data)} 字节，上限 {MAX_BYTES}")
    temp = _write_temp(path, data)
    try:
        loaded = load_source(temp)
    except SourceConfigError as exc:
        raise SourceEditError(describe_error(exc)) from None
    finally:
        temp.unlink(missing_ok=True)
    if loaded.name != path.stem:
        raise SourceEditError(f"配置有误：键 name：须与文件名一致（应为 {path.stem}，实为 {loaded.name}）")
    _check_unique(path, loaded.name)
    return data, loaded


def _check_unique(path: Path, name: str) -> None:
    """No other file may carry the same ``name``: the crawler would silently pick one of them."""
    for entry in list_entries(path.parent):
        if entry.loaded and entry.loaded.name == name and entry.path.resolve() != path.resolve():
            raise SourceEditError(f"配置有误：键 name：与 {entry.path.name} 中的来源重名")


def _write_temp(path: Path, data: bytes) -> Path:
    """A temporary file next to ``path``, named so ``source_files`` never lists it."""
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    except OSError as exc:
        raise SourceEditError(f"无法写入来源目录 {path.parent}：{exc.strerror}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return Path(name)


def replace_file(path: Path, data: bytes) -> None:
    """Atomically put ``data`` at ``path``, keeping the previous content as ``path.bak``.

    The file keeps its permissions (mkstemp's 0600 would hide it from a crawler run by another
    account); a new file gets 0644, readable by the crawler whoever runs it.
    """
    mode = path.stat().st_mode & 0o777 if path.exists() else NEW_FILE_MODE
    if path.exists():
        _install(_write_temp(path, path.read_bytes()), path.with_name(path.name + ".bak"), mode)
    _install(_write_temp(path, data), path, mode)


def _install(temp: Path, target: Path, mode: int) -> None:
    try:
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError:
        temp.unlink(missing_ok=True)
        raise


def check_unchanged(raw: bytes, expected_sha256: str) -> None:
    if expected_sha256 and sha256_of(raw) != expected_sha256:
        raise SourceChanged("文件在您打开后已被修改，请重新打开后再编辑（未保存）")


def with_enabled(text: str, enabled: bool) -> str:
    """``text`` with its top-level ``enabled:`` set (comments kept), or the key appended."""
    value = "true" if enabled else "false"
    changed, count = ENABLED_LINE.subn(lambda m: f"enabled: {value}{m.group(1) or ''}", text)
    if count:
        return changed
    return text + ("" if text.endswith("\n") or not text else "\n") + f"enabled: {value}\n"
