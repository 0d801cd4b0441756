"""The source file schema (config/sources/NAME.yaml), validated with pydantic.

IT staff add sites by writing YAML, so every problem is reported with the file, the key and what
is wrong, before anything is crawled. Keys follow DESIGN.md "Contracts"; extensions are additive.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path
from typing import Literal, Optional, Union

import jmespath
import yaml
from pydantic import (
    BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator,
)

FIELD_NAMES = (
    "id", "url", "title", "text", "author", "author_id", "author_url",
    "published_at", "images", "location", "price",
)
FieldName = Literal[
    "id", "url", "title", "text", "author", "author_id", "author_url",
    "published_at", "images", "location", "price",
]
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,99}$"


class SourceConfigError(ValueError):
    """A source file that cannot be used; ``str()`` names the file, the key and the problem."""

    def __init__(self, path: str | Path, key: str, problem: str):
        self.path, self.key, self.problem = str(path), key, problem
        super().__init__(f"{path}: {key}: {problem}" if key else f"{path}: {problem}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def is_xpath(selector: str) -> bool:
    """XPath when it starts with / or ./ or ( — CSS otherwise (DESIGN.md)."""
    return selector.startswith(("/", "./", "("))


def check_selector(selector: str, fmt: str) -> str:
    """Compile ``selector`` once so a typo is reported at load time, not mid-crawl."""
    if not selector.strip():
        raise ValueError("empty selector")
    if fmt == "json":
        try:
            jmespath.compile(selector)
        except jmespath.exceptions.JMESPathError as exc:
            raise ValueError(f"not a valid JMESPath expression: {exc}") from None
        return selector
    from parsel import Selector

    probe = Selector(text="<html></html>")
    try:
        probe.xpath(selector) if is_xpath(selector) else probe.css(selector)
    except Exception as exc:  # cssselect and lxml raise several unrelated types
        kind = "XPath" if is_xpath(selector) else "CSS"
        raise ValueError(f"not a valid {kind} selector: {exc}") from None
    return selector


class PageParam(_Strict):
    """Paging by a query parameter: page=start, start+step, ... until a page yields no items."""

    param: str = Field(min_length=1)
    start: int = 1
    step: int = Field(1, ge=1)
    end: Optional[str] = Field(None, description="selector whose non-empty value marks the last page")


class Listing(_Strict):
    format: Literal["html", "json"] = "html"
    items: str
    fields: dict[FieldName, str]
    next_page: Union[str, PageParam, None] = None
    max_pages: int = Field(10, ge=1, le=10_000)

    @field_validator("items")
    @classmethod
    def _items(cls, value: str, info: ValidationInfo) -> str:
        return check_selector(value, info.data.get("format", "html"))

    @field_validator("fields")
    @classmethod
    def _fields(cls, fields: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        _check_fields(fields, info.data.get("format", "html"))
        if "url" not in fields and "id" not in fields:
            raise ValueError("needs `url` or `id` so that a post can be identified")
        return fields

    @field_validator("next_page")
    @classmethod
    def _next_page(cls, value, info: ValidationInfo):
        fmt = info.data.get("format", "html")
        if isinstance(value, str):
            check_selector(value, fmt)
        elif value is not None and value.end:
            try:
                check_selector(value.end, fmt)
            except ValueError as exc:
                raise ValueError(f"@end: {exc}") from None
        return value


class Detail(_Strict):
    format: Literal["html", "json"] = "html"
    fields: dict[FieldName, str]

    @field_validator("fields")
    @classmethod
    def _fields(cls, fields: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        _check_fields(fields, info.data.get("format", "html"))
        return fields


class Browser(_Strict):
    wait_for: Optional[str] = None
    scroll: int = Field(0, ge=0, le=500)
    storage_state: Optional[str] = None
    timeout: float = Field(15.0, gt=0, description="seconds to wait for `wait_for` and each scroll")
    block_resources: bool = Field(True, description="skip images, fonts and media to save memory")


class Politeness(_Strict):
    delay: float = Field(2.0, ge=0)
    concurrency: int = Field(1, ge=1, le=32)
    obey_robots: bool = True
    autothrottle: bool = True
    user_agent: Optional[str] = None
    timeout: float = Field(30.0, gt=0, description="download timeout in seconds")


class Ocr(_Strict):
    enabled: bool = Field(False, description="read text in the post's images (price lists as pictures)")
    max_images: int = Field(4, ge=1, le=20, description="images fetched and read per new or changed post")


class SourceConfig(_Strict):
    name: str = Field(pattern=NAME_PATTERN)
    platform: str = Field(min_length=1, max_length=32)
    fetch: Literal["http", "browser"] = "http"
    start_urls: list[str] = Field(min_length=1)
    keywords: Optional[list[str]] = None
    encoding: Optional[str] = None
    listing: Listing
    detail: Optional[Detail] = None
    browser: Optional[Browser] = None
    politeness: Politeness = Field(default_factory=Politeness)
    blocked_markers: list[str] = Field(default_factory=list)
    ocr: Ocr = Field(default_factory=Ocr)
    incremental: bool = Field(True, description="stop paging once a page holds only posts already seen")
    enabled: bool = True
    description: str = ""

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not re.match(r"^https?://[^/\s]+", url):
                raise ValueError(f"not an http(s) URL: {url!r}")
        return urls

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            try:
                codecs.lookup(value)
            except LookupError:
                raise ValueError(f"unknown encoding {value!r}") from None
        return value

    @model_validator(mode="after")
    def _browser_defaults(self) -> "SourceConfig":
        if self.fetch == "browser" and self.browser is None:
            self.browser = Browser()
        if self.keywords is not None and not any("{keyword}" in u for u in self.start_urls):
            raise ValueError("@keywords: given, but no start_url contains {keyword}")
        return self


def _check_fields(fields: dict[str, str], fmt: str) -> None:
    for key, selector in fields.items():
        try:
            check_selector(selector, fmt)
        except ValueError as exc:
            raise ValueError(f"@{key}: {exc}") from None


class LoadedSource(BaseModel):
    """A validated source with where it came from, as the crawler and the store need it."""

    config: SourceConfig
    path: str
    sha256: str

    @property
    def name(self) -> str:
        return self.config.name


def load_source(path: str | Path) -> LoadedSource:
    """Read and validate one source file; raises SourceConfigError naming file, key, problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceConfigError(path, "", f"cannot read the file: {exc.strerror}") from None
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SourceConfigError(path, "", f"not valid UTF-8 YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SourceConfigError(path, "", "expected a mapping of keys (name, platform, start_urls, ...)")
    try:
        config = SourceConfig.model_validate(data)
    except ValidationError as exc:
        raise _first_error(path, exc) from None
    return LoadedSource(config=config, path=str(path), sha256=hashlib.sha256(raw).hexdigest())


def _first_error(path: Path, exc: ValidationError) -> SourceConfigError:
    error = exc.errors()[0]
    key = ".".join(str(part) for part in error["loc"]
                   if not str(part).startswith(("str", "PageParam", "[key]", "function-")))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key (see docs/sources.md for the allowed keys)"
    elif error["type"] == "missing":
        message = "required key is missing"
    elif error["type"] == "literal_error" and error["loc"][-1] not in ("format", "fetch"):
        message = f"unknown field name; allowed: {', '.join(FIELD_NAMES)}"
    if message.startswith("@"):  # a validator naming the sub-key it refused
        sub, _, message = message[1:].partition(": ")
        key = f"{key}.{sub}" if key else sub
    extra = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return SourceConfigError(path, key or "(top level)", message + extra)


def source_files(sources_dir: str | Path) -> list[Path]:
    directory = Path(sources_dir)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def configured_sources(sources_dir: str | Path) -> list[LoadedSource]:
    """The valid source files in ``sources_dir`` (a broken file is left out here; the commands
    that crawl it report it)."""
    found = []
    for path in source_files(sources_dir):
        try:
            found.append(load_source(path))
        except SourceConfigError:
            continue
    return found


def resolve_sources(args: list[str], sources_dir: str | Path, *, all_sources: bool = False) -> list[LoadedSource]:
    """Map CLI arguments (a source name or a YAML path) to validated sources, all or nothing."""
    by_name = {}
    if all_sources or any(not _looks_like_path(a) for a in args):
        for file in source_files(sources_dir):
            loaded = load_source(file)
            by_name[loaded.name] = loaded
    chosen: list[LoadedSource] = []
    if all_sources:
        chosen.extend(s for s in by_name.values() if s.config.enabled)
    for arg in args:
        if _looks_like_path(arg):
            chosen.append(load_source(arg))
        elif arg in by_name:
            chosen.append(by_name[arg])
        else:
            known = ", ".join(sorted(by_name)) or "(none)"
            raise SourceConfigError(Path(sources_dir) / f"{arg}.yaml", "name", f"no source named {arg!r}; known: {known}")
    return _unique(chosen)


def _looks_like_path(arg: str) -> bool:
    return arg.endswith((".yaml", ".yml")) or "/" in arg


def _unique(sources: list[LoadedSource]) -> list[LoadedSource]:
    seen: dict[str, LoadedSource] = {}
    for source in sources:
        other = seen.get(source.name)
        if other is not None and Path(other.path).resolve() != Path(source.path).resolve():
            raise SourceConfigError(source.path, "name", f"{source.name!r} is also the name of {other.path}")
        seen.setdefault(source.name, source)
    return list(seen.values())
