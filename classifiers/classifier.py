"""The classifier: normalise → match → extract → rules, for a post's title, text and OCR text."""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Any

from classifiers import extract
from classifiers.context import PostContext
from classifiers.context_reader import ContextReader
from classifiers.lexicon import Entry, Lexicon, load_lexicon
from classifiers.match import Matcher
from classifiers.normalize import Normalised, Normaliser
from classifiers.evidence import EMOJI_GROUP, Item
from classifiers.rules import Rules
from classifiers.verdict import Span, Verdict

CODE_VERSION = "1.1"
MAX_FIELD_CHARS = 2_000_000   # longer input is cut, not refused: the verdict covers the start
MAX_EXTRACTED = 100            # distinct contacts, prices and places reported per post
NEGATABLE = frozenset({"sale_intent", "regulars", "delivery", "contact_cue", "evasion", "buy_request"})

log = logging.getLogger(__name__)


class Classifier:
    """Deterministic for a given lexicon; no database, no network."""

    def __init__(self, lexicon: Lexicon, lexicon_dir: Path | None = None):
        self.lexicon = lexicon
        self.lexicon_dir = lexicon_dir
        self.normalise = Normaliser(lexicon.emoji)
        self.matcher = Matcher(lexicon.entries)
        self.rules = Rules(lexicon)
        self.search_keywords: list[str] = list(lexicon.search_keywords)
        self._negated = _negation_pattern(lexicon.negation)
        self._context = ContextReader(self)
        self.version = _version(lexicon)

    def _is_negated(self, text: str, start: int) -> bool:
        """不送货, 严禁网络销售, 不要找微商: the sale word right after a negation does not count."""
        return self._negated is not None and self._negated.search(text, max(0, start - 5), start) is not None

    def warm_up(self) -> None:
        """Load everything lazy (jieba's dictionary) now; batch callers do this before a run."""
        self.matcher.boundaries.warm_up()

    def classify(self, text: Any = "", title: Any = "", platform: Any = "", ocr: Any = "",
                 context: PostContext | None = None) -> Verdict:
        """A verdict for any input; never raises. ``ocr`` is text read from the post's images
        (price lists posted as pictures); its spans say "ocr". ``context`` is what the caller
        knows around the post (the parent of a comment, the search keyword, the seller's
        confirmed sales; classifiers/context.py); each signal becomes its own reason. A bug that
        raises gives an ``error`` verdict, flagged so that a person looks at the post: a crash
        must not hide a seller."""
        try:
            fields = _as_text(text), _as_text(title), _as_text(platform).strip().lower(), _as_text(ocr)
            return self._classify(*fields, context=context if isinstance(context, PostContext) else None)
        except Exception as exc:  # noqa: BLE001 — the contract is "a verdict, whatever the input"
            log.exception("classifier failed on a post")
            return Verdict.failure(f"{type(exc).__name__}: {exc}")

    def _classify(self, text: str, title: str, platform: str = "", ocr: str = "",
                  context: PostContext | None = None) -> Verdict:
        fields = (("title", title), ("text", text), ("ocr", ocr))
        norms = [(name, self.normalise(value)) for name, value in fields if value]
        evidence = self._context.evidence(context, platform, "\n".join(n.text for _, n in norms)) if context else None
        # Most posts never mention a product: a small automaton says so, and then only places,
        # contacts and prices are extracted and the rules are skipped.
        candidate = any(self.matcher.has_candidate(norm.text) for _, norm in norms)
        candidate = candidate or bool(evidence and (evidence.anchors or evidence.has_history))
        find = self.matcher.find if candidate else self.matcher.find_places
        extracted: dict[str, list[dict[str, Any]]] = {"contacts": [], "prices": [], "places": []}
        items: list[Item] = []
        for name, norm in norms:
            self._field(name, norm, find(norm.text), candidate, items, extracted)
        if evidence and context.seller_history:
            self._context.match_history(evidence, context, items)
        decision = self.rules.decide(items, platform, evidence) if candidate else None
        extracted["prices"] = _used_prices(extracted["prices"], decision)
        contacts, prices, places = (_first_distinct(extracted[k]) for k in ("contacts", "prices", "places"))
        if decision is None:
            return Verdict(contacts=contacts, prices=prices, places=places)
        return Verdict(decision.score, decision.flagged, decision.label, decision.reasons,
                       contacts, prices, places)

    def _field(self, name: str, norm: Normalised, hits: list, candidate: bool, items: list[Item],
               extracted: dict[str, list]) -> None:
        quotes = _quotes(norm.original) if candidate else []
        found: list[Item] = []
        for hit in hits:
            if candidate or hit.entry.category == "place":
                if hit.entry.category in NEGATABLE and self._is_negated(norm.text, hit.start):
                    continue
                found.append(_entry_item(name, norm, hit.start, hit.end, hit.entry, quotes))
        contacts = self._extracted(name, norm, quotes, candidate, found, extracted)
        # A place name inside a phone number (139 0519 2233) is part of the number.
        found = [i for i in found if i.kind != "place" or not any(c.start <= i.start and i.end <= c.end
                                                                  for c in contacts)]
        items += found
        extracted["places"] += [{"name": i.term, "district": i.group, **_where(i.span)}
                                for i in found if i.kind == "place"]

    def _extracted(self, name: str, norm: Normalised, quotes: list, candidate: bool, found: list[Item],
                   extracted: dict[str, list]) -> list[Item]:
        """Contacts, prices, quantities and stock claims of one field, as Items (added to
        ``found``) and as the verdict's lists; returns the contact Items."""
        def item(kind: str, start: int, end: int, term: str | None = None, **extra) -> Item:
            span = _span(name, norm, start, end)
            made = Item(name, kind, start, end, span.text if term is None else term, span,
                        quoted=_inside(quotes, span), **extra)
            found.append(made)
            return made

        contacts = []
        for f in extract.contacts(norm.text):
            contacts.append(item("contact", f.start, f.end, f.value))
            extracted["contacts"].append({"kind": f.kind, "value": f.value, **_where(contacts[-1].span)})
        for f in extract.prices(norm.text):
            strength = "weak" if f.kind == "price_near" else "strong"
            made = item("price", f.start, f.end, _price_label(f.amount, f.value), strength=strength, amount=f.amount)
            extracted["prices"].append({"amount": f.amount, "unit": f.value, **_where(made.span), "_strength": strength})
        if candidate:
            for f in extract.quantities(norm.text):
                item("quantity", f.start, f.end)
            for f in extract.stock_claims(norm.text):
                item("sale_intent", f.start, f.end, group="stock")
        return contacts


def _price_label(amount: float, unit: str) -> str:
    """How a price reads in a reason: 88元/盒, 45元 (one label per distinct price)."""
    return f"{amount:g}{unit}"


def _used_prices(prices: list[dict[str, Any]], decision) -> list[dict[str, Any]]:
    """Prices to report: all certain ones, and 88米-style ones only where a rule used them."""
    used = set()
    if decision is not None:
        used = {(s.field, s.start) for r in decision.reasons if r.rule == "price" for s in r.spans}
    kept = [{k: v for k, v in p.items() if k != "_strength"} for p in prices
            if p["_strength"] == "strong" or (p["field"], p["start"]) in used]
    # One price written twice (88、88元一盒) is one price: keep the reading that has a unit.
    with_unit = {(p["field"], p["amount"]) for p in kept if "/" in p["unit"]}
    return [p for p in kept if "/" in p["unit"] or (p["field"], p["amount"]) not in with_unit]


def _negation_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """Matches text that ends with a negation, optionally followed by one more character."""
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(f"(?:{alternatives})[^，。！？,.!?;；]?$")


def _first_distinct(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """First occurrence of each distinct value, at most MAX_EXTRACTED (a 1 MB post repeats)."""
    seen: set[tuple] = set()
    kept = []
    for item in found:
        key = tuple(v for k, v in item.items() if k not in ("start", "end", "text"))
        if key not in seen:
            seen.add(key)
            kept.append(item)
            if len(kept) >= MAX_EXTRACTED:
                break
    return kept


def _entry_item(field: str, norm: Normalised, start: int, end: int, entry: Entry,
                quotes: list[tuple[int, int]] = ()) -> Item:
    span = _span(field, norm, start, end)
    term = entry.canonical or entry.pattern
    disguised = entry.disguised or span.text != entry.pattern
    group = entry.group
    if disguised and entry.category == "product" and _only_symbols(span.text):
        group = EMOJI_GROUP   # 🎆 may only decorate an LED light or a greeting (rules.py)
    return Item(field, entry.category, start, end, term, span, entry.strength, group,
                disguised, entry.needs_context, mentions_product=entry.mentions_product,
                quoted=bool(quotes) and _inside(quotes, span))


QUOTE = re.compile(r"“[^”\n]{1,60}”|「[^」\n]{1,60}」|『[^』\n]{1,60}』|\"[^\"\n]{1,60}\"")


def _quotes(original: str) -> list[tuple[int, int]]:
    """Quoted stretches of the original text (a news report quoting a seller's slogan)."""
    if not any(mark in original for mark in "“「『\""):
        return []
    return [(m.start(), m.end()) for m in QUOTE.finditer(original)]


def _inside(quotes: list[tuple[int, int]], span: Span) -> bool:
    return any(start < span.start and span.end < end for start, end in quotes)


def _only_symbols(text: str) -> bool:
    """No letter, digit or CJK character: an emoji standing for the product."""
    return not any(ch.isalnum() for ch in text)


def _span(field: str, norm: Normalised, start: int, end: int) -> Span:
    o_start, o_end = norm.span(start, end)
    return Span(o_start, o_end, norm.original[o_start:o_end], field)


def _where(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "field": span.field, "text": span.text}


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    elif not isinstance(value, str):
        value = str(value)
    return value[:MAX_FIELD_CHARS]


def _version(lexicon: Lexicon) -> str:
    """Short hash of the lexicon files, this code version and the classifier sources."""
    h = hashlib.sha256(f"{CODE_VERSION}\0{lexicon.digest}\0".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def load_classifier(config_dir: Path | str) -> Classifier:
    """Build a classifier from ``config_dir`` (config/); raises LexiconError on bad data."""
    return Classifier(load_lexicon(Path(config_dir)), Path(config_dir))
