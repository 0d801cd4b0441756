"""The classifier: normalise → match → extract → rules, for a post's title, text and OCR text."""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Any

from classifiers import extract
from classifiers.lexicon import Entry, Lexicon, load_lexicon
from classifiers.match import Matcher
from classifiers.normalize import Normalised, Normaliser
from classifiers.rules import Item, Rules
from classifiers.verdict import Span, Verdict

CODE_VERSION = "1.0"
MAX_FIELD_CHARS = 2_000_000   # longer input is cut, not refused: the verdict covers the start
MAX_EXTRACTED = 100            # distinct contacts, prices and places reported per post
NEGATABLE = frozenset({"sale_intent", "delivery", "contact_cue", "evasion", "buy_request"})

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
        self.version = _version(lexicon)

    def _is_negated(self, text: str, start: int) -> bool:
        """不送货, 严禁网络销售, 不要找微商: the sale word right after a negation does not count."""
        return self._negated is not None and self._negated.search(text, max(0, start - 5), start) is not None

    def warm_up(self) -> None:
        """Load everything lazy (jieba's dictionary) now; batch callers do this before a run."""
        self.matcher.boundaries.warm_up()

    def classify(self, text: Any = "", title: Any = "", platform: Any = "", ocr: Any = "") -> Verdict:
        """A verdict for any input; never raises. ``ocr`` is text read from the post's images
        (price lists posted as pictures); its spans say "ocr". A bug that raises gives an
        ``error`` verdict, flagged so that a person looks at the post: a crash must not hide a
        seller."""
        try:
            return self._classify(_as_text(text), _as_text(title), _as_text(platform).strip().lower(),
                                  _as_text(ocr))
        except Exception as exc:  # noqa: BLE001 — the contract is "a verdict, whatever the input"
            log.exception("classifier failed on a post")
            return Verdict.failure(f"{type(exc).__name__}: {exc}")

    def _classify(self, text: str, title: str, platform: str = "", ocr: str = "") -> Verdict:
        fields = (("title", title), ("text", text), ("ocr", ocr))
        norms = [(name, self.normalise(value)) for name, value in fields if value]
        # Most posts never mention a product: a small automaton says so, and then only places,
        # contacts and prices are extracted and the rules are skipped.
        candidate = any(self.matcher.has_candidate(norm.text) for _, norm in norms)
        find = self.matcher.find if candidate else self.matcher.find_places
        extracted: dict[str, list[dict[str, Any]]] = {"contacts": [], "prices": [], "places": []}
        items: list[Item] = []
        for name, norm in norms:
            self._field(name, norm, find(norm.text), candidate, items, extracted)
        decision = self.rules.decide(items, platform) if candidate else None
        extracted["prices"] = _used_prices(extracted["prices"], decision)
        contacts, prices, places = (_first_distinct(extracted[k]) for k in ("contacts", "prices", "places"))
        if decision is None:
            return Verdict(contacts=contacts, prices=prices, places=places)
        return Verdict(decision.score, decision.flagged, decision.label, decision.reasons,
                       contacts, prices, places)

    def _field(self, name: str, norm: Normalised, hits: list, candidate: bool, items: list[Item],
               extracted: dict[str, list]) -> None:
        for hit in hits:
            if candidate or hit.entry.category == "place":
                if hit.entry.category in NEGATABLE and self._is_negated(norm.text, hit.start):
                    continue
                items.append(_entry_item(name, norm, hit.start, hit.end, hit.entry))
        for found in extract.contacts(norm.text):
            span = _span(name, norm, found.start, found.end)
            items.append(Item(name, "contact", found.start, found.end, found.value, span))
            extracted["contacts"].append({"kind": found.kind, "value": found.value, **_where(span)})
        for found in extract.prices(norm.text):
            span = _span(name, norm, found.start, found.end)
            strength = "weak" if found.kind == "price_near" else "strong"
            items.append(Item(name, "price", found.start, found.end, span.text, span, strength, amount=found.amount))
            extracted["prices"].append({"amount": found.amount, "unit": found.value, **_where(span),
                                        "_strength": strength})
        if candidate:
            for found in extract.quantities(norm.text):
                span = _span(name, norm, found.start, found.end)
                items.append(Item(name, "quantity", found.start, found.end, span.text, span))
        extracted["places"] += [
            {"name": i.term, "district": i.group, **_where(i.span)} for i in items
            if i.field == name and i.kind == "place"
        ]


def _used_prices(prices: list[dict[str, Any]], decision) -> list[dict[str, Any]]:
    """Prices to report: all certain ones, and 88米-style ones only where a rule used them."""
    used = set()
    if decision is not None:
        used = {(s.field, s.start) for r in decision.reasons if r.rule == "price" for s in r.spans}
    return [{k: v for k, v in p.items() if k != "_strength"} for p in prices
            if p["_strength"] == "strong" or (p["field"], p["start"]) in used]


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


def _entry_item(field: str, norm: Normalised, start: int, end: int, entry: Entry) -> Item:
    span = _span(field, norm, start, end)
    term = entry.canonical or entry.pattern
    disguised = entry.disguised or span.text != entry.pattern
    return Item(field, entry.category, start, end, term, span, entry.strength, entry.group,
                disguised, entry.needs_context, mentions_product=entry.mentions_product)


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
