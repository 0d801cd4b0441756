"""Pull items and fields out of a page: HTML with CSS/XPath, JSON with JMESPath.

Values are plain text with whitespace folded; HTML found inside JSON values becomes text;
relative URLs resolve against the page. No site-specific code: selectors come from YAML.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, Iterable
from urllib.parse import urljoin

import jmespath
from parsel import Selector
from w3lib.html import remove_tags, remove_tags_with_content

from firewatch.core.sources import is_xpath

URL_FIELDS = ("url", "author_url")
LIST_FIELDS = ("images",)
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")


class PageDataError(ValueError):
    """The page is not what the listing format expects (e.g. JSON that does not parse)."""


def fold(text: str) -> str:
    """Collapse runs of whitespace (including full-width spaces and nbsp) to one space."""
    return _SPACE.sub(" ", text.replace("\u3000", " ").replace("\xa0", " ")).strip()


def html_to_text(value: str) -> str:
    """Text of an HTML fragment (as found inside JSON values): tags dropped, entities decoded."""
    if _TAG.search(value):
        value = remove_tags_with_content(value, which_ones=("script", "style"))
        value = re.sub(r"<br\s*/?>|</(p|div|li|tr|td|th|h[1-6]|section|article)>", " ", value, flags=re.I)
        value = remove_tags(value)
    return fold(html.unescape(value))


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        # JSONP and `window.data = {...}` wrappers are common in Chinese sites.
        match = re.search(r"[\[{].*[\]}]", text, re.S)
        if match:
            try:
                return json.loads(match.group(0))
            except ValueError:
                pass
        raise PageDataError(f"响应不是有效的 JSON: {exc}") from None


def select_html(root: Selector, selector: str):
    return root.xpath(selector) if is_xpath(selector) else root.css(selector)


def html_items(root: Selector, selector: str) -> list[Selector]:
    return list(select_html(root, selector))


def html_value(node: Selector, selector: str, field: str, base_url: str) -> Any:
    """One field from an HTML node: a URL, a list of URLs, or folded text."""
    if selector.endswith(" ::text") and not is_xpath(selector):
        # All text under the elements: inline tags (<em>) add no space, blocks (<p>, <br>) do.
        selector = selector[: -len(" ::text")].rstrip() or "*"
    found = select_html(node, selector)
    if field in LIST_FIELDS:
        return [urljoin(base_url, v.strip()) for v in _strings(found) if v.strip()]
    if field in URL_FIELDS:
        first = next((v.strip() for v in _strings(found) if v.strip()), "")
        return urljoin(base_url, first) if first else ""
    texts = [node.root for node in found if isinstance(node.root, str)]
    elements = [html_to_text(node.get()) for node in found if not isinstance(node.root, str)]
    return fold("".join(texts) + " ".join(elements))


def _strings(found: Iterable[Selector]) -> list[str]:
    """Text and attribute nodes as they are; element nodes as all their descendant text."""
    return [node.root if isinstance(node.root, str) else html_to_text(node.get()) for node in found]


def json_items(data: Any, selector: str) -> list[Any]:
    found = jmespath.search(selector, data)
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def json_value(item: Any, selector: str, field: str, base_url: str) -> Any:
    """One field from a JSON item; HTML inside string values becomes text."""
    found = jmespath.search(selector, item)
    if field in LIST_FIELDS:
        values = found if isinstance(found, list) else ([found] if found else [])
        return [urljoin(base_url, str(v)) for v in values if v]
    if found is None:
        return ""
    if field in URL_FIELDS:
        return urljoin(base_url, str(found).strip())
    if field == "published_at" and isinstance(found, (int, float)):
        return found
    if isinstance(found, list):
        found = " ".join(str(v) for v in found if v is not None)
    return html_to_text(str(found))


def extract_fields(node: Any, fields: dict[str, str], fmt: str, base_url: str) -> dict[str, Any]:
    getter = json_value if fmt == "json" else html_value
    return {field: getter(node, selector, field, base_url) for field, selector in fields.items()}


def first_value(root: Any, selector: str, fmt: str) -> str:
    """The first non-empty value of a page-level selector (next page link, end marker)."""
    if fmt == "json":
        found = jmespath.search(selector, root)
        if isinstance(found, list):
            found = found[0] if found else None
        return "" if found in (None, False, "", 0) else str(found)
    return next((v.strip() for v in _strings(select_html(root, selector)) if v.strip()), "")
