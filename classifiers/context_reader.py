"""Read a post's context (classifiers/context.py) into evidence the rules can weigh.

The parent of a comment is classified as a post of its own (without context, so no recursion):
its product mentions become anchors for the reply, its label says whether the reply answers a
buyer. The search keyword is matched against the lexicon. Earlier confirmed sales are matched to
the post's own contacts, so the reason can say which phone, WeChat or QQ links them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from classifiers import extract
from classifiers.context import PostContext
from classifiers.context_rules import WHOLE_POST, ContextEvidence
from classifiers.evidence import Item
from classifiers.verdict import Span, Verdict

if TYPE_CHECKING:
    from classifiers.classifier import Classifier

PRODUCT_RULES = ("product", "product_weak", "product_euphemism", "catalogue_line", "unnamed_offer")


class ContextReader:
    def __init__(self, classifier: "Classifier"):
        self._clf = classifier

    def evidence(self, context: PostContext, platform: str, visible: str) -> ContextEvidence:
        """``visible`` is the post's own normalised text (title, text, OCR)."""
        evidence = ContextEvidence(history_count=context.earlier_sales)
        self._thread(context, platform, evidence)
        evidence.found_by = self._keyword_products(context, visible)
        return evidence

    def _thread(self, context: PostContext, platform: str, evidence: ContextEvidence) -> None:
        parent = context.parent
        text, title = (parent.text, parent.title) if parent else ("", "")
        title_field = "parent_title" if title else "thread_title"
        title = title or context.thread_title
        if not (text or title):
            return
        verdict = self._clf._classify(text, title, platform)
        rename = {"text": "parent", "title": title_field}
        evidence.thread_label = verdict.label
        evidence.thread_products = _anchors(verdict, PRODUCT_RULES, rename)
        if not evidence.thread_products:
            evidence.thread_products = self._thread_phrases(((text, "parent"), (title, title_field)))
        evidence.thread_buy = [s for a in _anchors(verdict, ("buy_request",), rename) for s in [a.span]]
        if parent and parent.title and context.thread_title and context.thread_title != parent.title:
            more = self._clf._classify("", context.thread_title, platform)
            evidence.thread_products += _anchors(more, PRODUCT_RULES, {"title": "thread_title"})

    def _thread_phrases(self, fields) -> list[Item]:
        """Questions about where fireworks may be set off (今年过年能放吗): such a thread is about
        fireworks even without the word. (Where-to-buy questions count only with a product:
        求推荐 alone may want a mover.)"""
        items = []
        for value, name in fields:
            if not value:
                continue
            norm = self._clf.normalise(value)
            for hit in self._clf.matcher.find(norm.text):
                entry = hit.entry
                if entry.category == "benign" and entry.group == "where_legal":
                    start, end = norm.span(hit.start, hit.end)
                    items.append(Item(WHOLE_POST, "product", 0, 0, entry.pattern, Span(start, end, value[start:end], name)))
        return items

    def _keyword_products(self, context: PostContext, visible: str) -> list[Item]:
        """Strong product terms in the search keyword (烟花, 鞭炮; not 小金鱼, 常州 or 年货) that
        the post and its thread do not show: then the search matched something the crawl did not
        see (a tag, a picture's text). A keyword the post shows explains the hit and adds nothing:
        小金鱼 finds goldfish, 烟花爆竹 finds a mover who refuses them."""
        keyword = context.found_by.strip()
        if not keyword:
            return []
        norm = self._clf.normalise(keyword)
        parent = context.parent
        shown = visible + "\n".join(self._clf.normalise(t).text for t in (
            context.thread_title, parent.title if parent else "", parent.text if parent else "") if t)
        hits = [h for h in self._clf.matcher.find(norm.text)
                if h.entry.category == "product" and h.entry.strength == "strong"
                and norm.text[h.start:h.end] not in shown and h.entry.canonical not in shown]
        items = []
        for hit in hits:
            start, end = norm.span(hit.start, hit.end)
            span = Span(start, end, keyword[start:end], "found_by")
            items.append(Item(WHOLE_POST, "product", 0, 0, hit.entry.canonical or hit.entry.pattern, span))
        return items

    def match_history(self, evidence: ContextEvidence, context: PostContext, items: list[Item]) -> None:
        """Which identifier links each earlier sale to this post: the one the caller names, or a
        phone, WeChat or QQ both posts carry; otherwise the account the caller found it by."""
        own = [i for i in items if i.kind == "contact"]
        spans: list[Span] = []
        for sale in context.seller_history:
            matched, value = sale.matched, sale.value
            if not matched:
                matched, value = self._shared_contact(sale.text + "\n" + sale.title, own)
            evidence.history_refs.append(_ref(sale.id, matched, value))
            spans += [i.span for i in own if value and i.term == _comparable(value)]
        evidence.history_spans = sorted(set(spans))

    def _shared_contact(self, text: str, own: list[Item]) -> tuple[str, str]:
        values = {i.term for i in own}
        for found in extract.contacts(self._clf.normalise(text).text):
            if found.value in values:
                return found.kind, found.value
        return "account", ""


def _anchors(verdict: Verdict, rules: tuple[str, ...], rename: dict[str, str]) -> list[Item]:
    """The spans of ``verdict``'s reasons named ``rules``, as whole-post anchors whose spans
    name the context field they are in."""
    items = []
    for reason in verdict.reasons:
        if reason.rule not in rules:
            continue
        for span in reason.spans:
            moved = span._replace(field=rename.get(span.field, span.field))
            items.append(Item(WHOLE_POST, "product", 0, 0, span.text, moved))
    return items


def _ref(post_id: str | None, matched: str, value: str) -> dict[str, Any]:
    ref: dict[str, Any] = {"post": post_id, "matched": matched}
    if value:
        ref["value"] = value
    return ref


def _comparable(value: str) -> str:
    """A caller's identifier as extraction writes it: 139 0519 2233 → 13905192233, IDs lower case."""
    return "".join(ch for ch in value if ch not in " -").lower()
