"""Source files: validation errors name the file, the key and the problem; nothing is crawled."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from firewatch.core.sources import SourceConfigError, load_source, source_files
from firewatch.demo.site import write_demo_sources
from tests.crawler.conftest import run_crawl, write_source

REPO = Path(__file__).resolve().parents[2]
GOOD = {
    "name": "good-forum",
    "platform": "forum",
    "start_urls": ["http://127.0.0.1:9/list"],
    "listing": {"items": "li.post", "fields": {"url": "a::attr(href)", "title": "a::text"}},
}


def _write(tmp_path: Path, data: dict, name: str = "src.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _with(path: tuple[str, ...], value) -> dict:
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    target = data
    for part in path[:-1]:
        target = target.setdefault(part, {})
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (("listing", "itmes"), "listing.itmes", "unknown key"),
        (("listing", "fields", "titel"), "listing.fields.titel", "unknown field name"),
        (("listing", "items"), "listing.items", "not a valid CSS selector"),
        (("start_urls",), "start_urls", "not an http(s) URL"),
        (("encoding",), "encoding", "unknown encoding"),
        (("fetch",), "fetch", "'http' or 'browser'"),
        (("politeness", "delay"), "politeness.delay", "greater than or equal to 0"),
        (("platform",), "platform", "required key is missing"),
        (("name",), "name", "should match pattern"),
    ],
)
def test_bad_value_names_file_key_and_problem(tmp_path, change, key, problem):
    values = {
        ("listing", "itmes"): "li", ("listing", "fields", "titel"): "a::text", ("listing", "items"): "li[[",
        ("start_urls",): ["ftp://x/"], ("encoding",): "klingon", ("fetch",): "telnet",
        ("politeness", "delay"): -1, ("platform",): _DELETE, ("name",): "Bad Name!",
    }
    path = _write(tmp_path, _with(change, values[change]))
    with pytest.raises(SourceConfigError) as caught:
        load_source(path)
    assert caught.value.path == str(path)
    assert caught.value.key == key
    assert problem in caught.value.problem
    assert str(path) in str(caught.value) and key in str(caught.value)


def test_bad_jmespath_is_named(tmp_path):
    data = {**GOOD, "listing": {"format": "json", "items": "data.[", "fields": {"id": "id"}}}
    with pytest.raises(SourceConfigError) as caught:
        load_source(_write(tmp_path, data))
    assert caught.value.key.startswith("listing") and "JMESPath" in caught.value.problem


def test_broken_yaml_and_missing_identity(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(SourceConfigError, match="not valid UTF-8 YAML"):
        load_source(broken)
    data = {**GOOD, "listing": {"items": "li", "fields": {"title": "a::text"}}}
    with pytest.raises(SourceConfigError, match="needs `url` or `id`"):
        load_source(_write(tmp_path, data))


def test_shipped_and_demo_sources_are_valid(tmp_path):
    for path in source_files(REPO / "config" / "sources"):
        assert load_source(path).config.name == path.stem
    demo = write_demo_sources("http://127.0.0.1:8000", tmp_path)
    names = {load_source(p).name for p in demo}
    assert names == {"demo-forum", "demo-market", "demo-feed", "demo-captcha", "demo-login"}
    sogou = load_source(REPO / "config" / "sources" / "wechat-sogou.yaml").config
    assert "2017–2021" in sogou.description


def test_crawl_refuses_bad_file_and_crawls_nothing(tmp_path, cli_env, page_server, app_ctx):
    good = write_source(tmp_path, {**GOOD, "start_urls": [page_server.base_url + "/list"]})
    bad = _write(tmp_path, _with(("listing", "fields", "titel"), "a::text"), "bad.yaml")
    result = run_crawl(cli_env, str(good), str(bad))
    assert result.code == 2
    assert "bad.yaml" in result.stderr and "listing.fields.titel" in result.stderr
    assert page_server.requests == []
    from sqlalchemy import func, select

    from firewatch.core.store.models import CrawlRun

    with app_ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(CrawlRun)) == 0
