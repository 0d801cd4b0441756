"""Load and check the lexicon: config/lexicon/*.yaml, config/jurisdiction.yaml and
config/classifier.yaml. Bad data raises LexiconError naming the file and the key, so an edit
by IT staff fails loudly instead of silently changing what gets flagged."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from classifiers.pinyin_variants import PINYIN_FILE, pinyin_forms, syllables_of

# libyaml when present: the pure-Python parser takes ~0.3 s on these files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LEXICON_FILES = ("products.yaml", "commerce.yaml", "context.yaml")
COMMERCE_GROUPS = ("sale_intent", "regulars", "contact_cue", "delivery", "evasion", "picture_pointer")
COMMERCE_KEYS = COMMERCE_GROUPS + ("negation",)
CONTEXT_LISTS = ("buy_request", "reported_question", "legal_alternative", "disguise", "licensed_shop",
                 "refused_before", "not_offered_after", "refused_after", "simile_before", "lookalike_after",
                 "origin_goods", "catalogue_kinds")


class LexiconError(ValueError):
    """Lexicon or classifier configuration that cannot be used; the message names file and key."""


@dataclass(frozen=True)
class Entry:
    """One pattern in the automaton and what a match of it means."""

    pattern: str
    category: str            # product, euphemism, origin, sale_intent, ..., benign, place
    canonical: str = ""      # product a variant stands for; place name for places
    strength: str = "strong"  # strong | weak
    group: str = ""          # benign group, or district for places
    disguised: bool = False  # a pinyin / initials / homophone spelling of a product
    boundary: bool = True    # check word boundaries with jieba
    needs_context: bool = False
    mentions_product: bool = False  # a context phrase containing a product (烟花易冷, 可以放烟花)
    season: bool = False     # a weak product name that season words or shot counts confirm


@dataclass
class RuleConfig:
    weight: float
    description: str
    cap: float = 0.0  # benign groups: most term-strength counted (0 = the global cap)
    scope: str = "post"  # benign groups: "post" (anywhere) or "window" (near a product mention)


@dataclass
class Lexicon:
    entries: list[Entry]
    emoji: dict[str, str]
    search_keywords: list[str]
    euphemism_context: list[str]
    threshold: float
    bias: float
    window: int
    rules: dict[str, RuleConfig]
    benign_groups: dict[str, RuleConfig]
    benign_cap: float
    weak_only: float = 0.6
    context_window: int = 25
    max_offer_price: float = 20000.0
    marketplaces: frozenset[str] = frozenset()
    seasonal: frozenset[str] = frozenset()  # weak terms that season words or shot counts confirm
    negation: tuple[str, ...] = ()
    windowed_groups: frozenset[str] = frozenset()   # benign groups with scope: window
    calibration_knee: float = 2.0      # scores compress above sigmoid(knee) (rules.Rules._score)
    calibration_softness: float = 0.0  # 0: no compression
    digest: str = field(default="")


KNOWN_KEYS = {
    "products.yaml": {"search_keywords", "terms", "variants", "euphemisms", "euphemism_context",
                      "season_context", "origins", "origin_standins", "emoji"},
    "commerce.yaml": set(COMMERCE_KEYS),
    "context.yaml": {"benign", *CONTEXT_LISTS},
    "jurisdiction.yaml": {"city", "districts"},
    "classifier.yaml": {"threshold", "bias", "window", "context_window", "weak_only", "max_offer_price",
                        "marketplaces", "calibration", "rules", "benign"},
}


def load_lexicon(config_dir: Path) -> Lexicon:
    """Read and validate every classifier file under ``config_dir``."""
    config_dir = Path(config_dir)
    docs = {name: _read(config_dir / "lexicon" / name) for name in LEXICON_FILES}
    jurisdiction = _read(config_dir / "jurisdiction.yaml")
    settings = _read(config_dir / "classifier.yaml")
    checked = [(config_dir / "lexicon" / name, doc) for name, doc in docs.items()]
    checked += [(config_dir / "jurisdiction.yaml", jurisdiction), (config_dir / "classifier.yaml", settings)]
    for path, doc in checked:
        unknown = sorted(set(doc) - KNOWN_KEYS[path.name])
        if unknown:
            raise LexiconError(f"{path}: {unknown[0]}: unknown key (expected one of "
                               f"{', '.join(sorted(KNOWN_KEYS[path.name]))})")
    pinyin = _pinyin_table(config_dir / "lexicon" / PINYIN_FILE)
    entries = _product_entries(config_dir / "lexicon" / "products.yaml", docs["products.yaml"], pinyin)
    entries += _commerce_entries(config_dir / "lexicon" / "commerce.yaml", docs["commerce.yaml"], pinyin)
    entries += _context_entries(config_dir / "lexicon" / "context.yaml", docs["context.yaml"])
    entries += _place_entries(config_dir / "jurisdiction.yaml", jurisdiction)
    entries = _without_shadowed(entries)
    lexicon = _settings(config_dir / "classifier.yaml", settings, entries, docs["products.yaml"],
                        config_dir / "lexicon" / "products.yaml")
    commerce_path = config_dir / "lexicon" / "commerce.yaml"
    lexicon.negation = tuple(i["term"] for i in _term_list(commerce_path, "negation", docs["commerce.yaml"].get("negation")))
    lexicon.digest = _digest(config_dir)
    return lexicon


def _without_shadowed(entries: list[Entry]) -> list[Entry]:
    """Drop disguised spellings that normalise to a plain product term (煙花 → 烟花), and repeats;
    mark context phrases that contain a product name (they make a post about fireworks)."""
    plain = {e.pattern for e in entries if e.category == "product" and not e.disguised}
    kept = [e for e in entries if not (e.disguised and e.pattern in plain)]
    kept = [replace(e, mentions_product=True, boundary=e.category == "benign" and not e.pattern.startswith("《"))
            if e.category in ("benign", "legal_alternative") and any(p in e.pattern for p in plain) else e
            for e in kept]
    return list(dict.fromkeys(kept))


def _pinyin_table(path: Path) -> dict[str, list[str]]:
    """Precomputed syllables (optional file); missing terms are computed at load time."""
    if not path.is_file():
        return {}
    table = _read(path)
    for term, syllables in table.items():
        if not isinstance(syllables, list) or not all(isinstance(s, str) for s in syllables):
            raise LexiconError(f"{path}: {term}: expected a list of pinyin syllables")
    return {str(k): v for k, v in table.items()}


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise LexiconError(f"{path}: file is missing")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a mapping at the top level")
    return data


def _digest(config_dir: Path) -> str:
    h = hashlib.sha256()
    paths = [config_dir / "lexicon" / n for n in LEXICON_FILES]
    paths += [config_dir / "lexicon" / PINYIN_FILE, config_dir / "jurisdiction.yaml",
              config_dir / "classifier.yaml"]
    for path in (p for p in paths if p.is_file()):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _term_list(path: Path, key: str, value: Any, *, term_key: str = "term") -> list[dict[str, Any]]:
    """A list of plain strings or mappings with ``term_key``; returns mappings."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise LexiconError(f"{path}: {key}: expected a list of terms")
    items: list[dict[str, Any]] = []
    for i, item in enumerate(value):
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            item = {term_key: str(item)}
        if not isinstance(item, dict) or not str(item.get(term_key, "")).strip():
            raise LexiconError(f"{path}: {key}[{i}]: expected a term or a mapping with '{term_key}'")
        strength = item.get("strength", "strong")
        if strength not in ("strong", "weak"):
            raise LexiconError(f"{path}: {key}[{i}].strength: must be strong or weak, not {strength!r}")
        items.append({**item, term_key: _norm_term(str(item[term_key]))})
    return items


def _norm_term(term: str) -> str:
    """Terms are matched against normalised text, so normalise them the same way."""
    return _plain_normaliser()(term.strip()).text


_PLAIN: list[Any] = []


def _plain_normaliser():
    if not _PLAIN:
        from classifiers.normalize import Normaliser
        _PLAIN.append(Normaliser({}))
    return _PLAIN[0]


def _product_entries(path: Path, doc: dict[str, Any], pinyin: dict[str, list[str]]) -> list[Entry]:
    entries: list[Entry] = []
    canonicals = set()
    for item in _term_list(path, "terms", doc.get("terms")):
        term, strength = item["term"], item.get("strength", "strong")
        canonicals.add(term)
        boundary = bool(item.get("boundary", True))
        entries.append(Entry(term, "product", term, strength, boundary=boundary, season=bool(item.get("season"))))
        # A product name in title marks is a work (《烟花》 the song or film), not the product.
        entries.append(Entry(f"《{term}》", "benign", group="song_poem", boundary=False))
        full, initials = bool(item.get("pinyin")), bool(item.get("initials"))
        syllables = syllables_of(term, pinyin) if full or initials else []
        for form in pinyin_forms(term, syllables, full, initials):
            entries.append(Entry(form, "product", term, strength, disguised=True, boundary=False))
    if not canonicals:
        raise LexiconError(f"{path}: terms: at least one product term is required")
    for i, item in enumerate(_term_list(path, "variants", doc.get("variants"), term_key="variant")):
        canonical = _norm_term(str(item.get("canonical", "")))
        if canonical not in canonicals:
            raise LexiconError(f"{path}: variants[{i}].canonical: {canonical!r} is not one of the terms")
        entries.append(Entry(item["variant"], "product", canonical, item.get("strength", "strong"),
                             disguised=True))
    for item in _term_list(path, "euphemisms", doc.get("euphemisms")):
        entries.append(Entry(item["term"], "euphemism", _norm_term(str(item.get("canonical", ""))),
                             "weak", needs_context=bool(item.get("needs_context"))))
    origins = _term_list(path, "origins", doc.get("origins"))
    for item in origins:
        entries.append(Entry(item["term"], "origin", item["term"], boundary=False))
    entries += _origin_standins(path, doc.get("origin_standins"), [i["term"] for i in origins])
    for item in _term_list(path, "euphemism_context", doc.get("euphemism_context")):
        entries.append(Entry(item["term"], "euphemism_context", boundary=False))
    for item in _term_list(path, "season_context", doc.get("season_context")):
        entries.append(Entry(item["term"], "season_context", boundary=False))
    return entries


def _origin_standins(path: Path, doc: Any, origins: list[str]) -> list[Entry]:
    """Production towns standing in for the product (浏阳直发, 醴陵老厂, 本厂在上栗): every origin
    with every supply word after it (``after``) or before it (``before``)."""
    if doc is None:
        return []
    if not isinstance(doc, dict) or set(doc) - {"after", "before", "fillers"}:
        raise LexiconError(f"{path}: origin_standins: expected a mapping with after, before and fillers lists")
    after = [i["term"] for i in _term_list(path, "origin_standins.after", doc.get("after"))]
    before = [i["term"] for i in _term_list(path, "origin_standins.before", doc.get("before"))]
    fillers = [i["term"] for i in _term_list(path, "origin_standins.fillers", doc.get("fillers"))]
    patterns = [o + f + w for o in origins for f in [""] + fillers for w in after]
    patterns += [w + o for o in origins for w in before]
    return [Entry(p, "euphemism", "烟花", "weak", group="origin_standin") for p in patterns]


def _commerce_entries(path: Path, doc: dict[str, Any], pinyin: dict[str, list[str]]) -> list[Entry]:
    """Sale wording; terms marked ``pinyin: true`` also match their whole-word pinyin (you huo,
    siliao: sellers who spell the whole post in pinyin)."""
    entries = []
    for group in COMMERCE_GROUPS:
        for item in _term_list(path, group, doc.get(group)):
            strength = item.get("strength", "strong")
            entries.append(Entry(item["term"], group, strength=strength, boundary=False))
            if item.get("pinyin"):
                syllables = syllables_of(item["term"], pinyin)
                forms = [f for f in pinyin_forms(item["term"], syllables, True, False) if f.isascii()]
                entries += [Entry(f, group, strength=strength, disguised=True, boundary=False) for f in forms]
    return entries


def _context_entries(path: Path, doc: dict[str, Any]) -> list[Entry]:
    entries = [Entry(item["term"], name, strength=item.get("strength", "strong"), boundary=False)
               for name in CONTEXT_LISTS for item in _term_list(path, name, doc.get(name))]
    benign = doc.get("benign") or {}
    if not isinstance(benign, dict):
        raise LexiconError(f"{path}: benign: expected a mapping of group name to terms")
    for group, terms in benign.items():
        for item in _term_list(path, f"benign.{group}", terms):
            entries.append(Entry(item["term"], "benign", strength=item.get("strength", "strong"),
                                 group=str(group), boundary=False))
    return entries


def _place_entries(path: Path, doc: dict[str, Any]) -> list[Entry]:
    entries = [Entry(item["term"], "place", item["term"], boundary=False)
               for item in _term_list(path, "city", doc.get("city"))]
    districts = doc.get("districts")
    if not isinstance(districts, dict) or not districts:
        raise LexiconError(f"{path}: districts: expected a mapping of district name to aliases and places")
    for district, spec in districts.items():
        if not isinstance(spec, dict):
            raise LexiconError(f"{path}: districts.{district}: expected a mapping with aliases and places")
        names = [{"term": _norm_term(str(district))}]
        for key in ("aliases", "places"):
            names += _term_list(path, f"districts.{district}.{key}", spec.get(key))
        entries += [Entry(item["term"], "place", item["term"], group=str(district), boundary=False)
                    for item in names]
    return entries


def _rule(path: Path, key: str, value: Any) -> RuleConfig:
    if not isinstance(value, dict) or "weight" not in value:
        raise LexiconError(f"{path}: {key}: expected a mapping with weight and description")
    try:
        weight = float(value["weight"])
    except (TypeError, ValueError) as exc:
        raise LexiconError(f"{path}: {key}.weight: not a number: {value['weight']!r}") from exc
    try:
        cap = float(value.get("cap", 0.0))
    except (TypeError, ValueError) as exc:
        raise LexiconError(f"{path}: {key}.cap: not a number: {value['cap']!r}") from exc
    scope = str(value.get("scope", "post"))
    if scope not in ("post", "window"):
        raise LexiconError(f"{path}: {key}.scope: must be post or window, not {scope!r}")
    return RuleConfig(weight, str(value.get("description", key)), cap, scope)


def _number(path: Path, doc: dict[str, Any], key: str, lo: float, hi: float) -> float:
    value = doc.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise LexiconError(f"{path}: {key}: expected a number between {lo} and {hi}, got {value!r}")
    return float(value)


REQUIRED_RULES = (
    "product", "product_weak", "product_euphemism", "product_disguised", "extra_products", "origin",
    "sale_intent", "evasion", "contact", "contact_cue", "price", "quantity", "delivery", "jurisdiction",
    "jurisdiction_delivery", "disguise_legal", "buy_request", "legal_alternative", "licensed_shop",
    "marketplace", "picture_pointer", "regulars", "catalogue_line", "unnamed_offer", "thread_product", "thread_sale", "found_by", "reply_to_buyer", "seller_history",
    "ocr_price_list",
)


def _settings(path: Path, doc: dict[str, Any], entries: list[Entry], products: dict[str, Any],
              products_path: Path) -> Lexicon:
    rules_doc = doc.get("rules")
    if not isinstance(rules_doc, dict):
        raise LexiconError(f"{path}: rules: expected a mapping of rule name to weight and description")
    missing = [name for name in REQUIRED_RULES if name not in rules_doc]
    if missing:
        raise LexiconError(f"{path}: rules.{missing[0]}: missing")
    rules = {name: _rule(path, f"rules.{name}", rules_doc[name]) for name in rules_doc}
    benign_doc = doc.get("benign") or {}
    groups_doc = benign_doc.get("groups") if isinstance(benign_doc, dict) else None
    if not isinstance(groups_doc, dict):
        raise LexiconError(f"{path}: benign.groups: expected a mapping of group name to weight")
    groups = {name: _rule(path, f"benign.groups.{name}", v) for name, v in groups_doc.items()}
    for entry in entries:
        if entry.category == "benign" and entry.group not in groups:
            raise LexiconError(f"{path}: benign.groups.{entry.group}: missing (used in context.yaml)")
    emoji = products.get("emoji") or {}
    if not isinstance(emoji, dict):
        raise LexiconError(f"{products_path}: emoji: expected a mapping of emoji to text")
    keywords = [item["term"] for item in _term_list(products_path, "search_keywords",
                                                     products.get("search_keywords"))]
    knee, softness = _calibration(path, doc.get("calibration") or {})
    return Lexicon(
        entries=entries,
        emoji={str(k): str(v) for k, v in emoji.items()},
        search_keywords=keywords,
        euphemism_context=[e.pattern for e in entries if e.category == "euphemism_context"],
        threshold=_number(path, doc, "threshold", 0.0, 1.0),
        bias=_number(path, doc, "bias", -50.0, 50.0),
        window=int(_number(path, doc, "window", 1, 100000)),
        rules=rules,
        benign_groups=groups,
        windowed_groups=frozenset(g for g, cfg in groups.items() if cfg.scope == "window"),
        benign_cap=float(benign_doc.get("cap", 1.5)),
        weak_only=_number(path, doc, "weak_only", 0.0, 1.0),
        context_window=int(_number(path, doc, "context_window", 1, 100000)),
        max_offer_price=_number(path, doc, "max_offer_price", 0.0, 1e12),
        marketplaces=frozenset(item["term"] for item in _term_list(path, "marketplaces", doc.get("marketplaces"))),
        seasonal=frozenset(item["term"] for item in _term_list(products_path, "terms", products.get("terms"))
                           if item.get("season")),
        calibration_knee=knee,
        calibration_softness=softness,
    )


def _calibration(path: Path, doc: Any) -> tuple[float, float]:
    """``calibration: {knee, softness}``: where strong evidence starts to count less."""
    if not isinstance(doc, dict):
        raise LexiconError(f"{path}: calibration: expected a mapping with knee and softness")
    values = {f"calibration.{k}": v for k, v in {"knee": 2.0, "softness": 0.0, **doc}.items()}
    return (_number(path, values, "calibration.knee", -50.0, 50.0),
            _number(path, values, "calibration.softness", 0.0, 50.0))
