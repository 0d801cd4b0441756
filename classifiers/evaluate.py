"""Measure the classifier against labelled posts: precision, recall, F1, confusion counts,
per-category accuracy and the worst errors with the reasons behind them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from classifiers.classifier import Classifier
from classifiers.context import context_from_record
from classifiers.verdict import Verdict

# Score bands of the reliability table: of the flagged posts in each, how many are sales.
BANDS = (("≥0.9", 0.9, 1.01), ("0.7–0.9", 0.7, 0.9), ("<0.7", 0.0, 0.7))
CERTAIN = 0.99   # scores this high should be rare, or they stop ranking
REAL_MATERIAL = ("quoted", "modelled")


class LabelledDataError(ValueError):
    """A labelled file that cannot be evaluated; the message names the line."""


@dataclass
class Outcome:
    record: dict[str, Any]
    verdict: dict[str, Any]

    @property
    def expected(self) -> bool:
        return bool(int(self.record["label"]))

    @property
    def predicted(self) -> bool:
        return bool(self.verdict["flagged"])


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
        for o in self.outcomes:
            key = ("t" if o.expected == o.predicted else "f") + ("p" if o.predicted else "n")
            c[key] += 1
        return c

    def metrics(self) -> dict[str, Any]:
        c = self.counts()
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        accuracy = (c["tp"] + c["tn"]) / len(self.outcomes) if self.outcomes else 0.0
        return {"n": len(self.outcomes), "precision": round(precision, 4), "recall": round(recall, 4),
                "f1": round(f1, 4), "accuracy": round(accuracy, 4), "confusion": c}

    def per_category(self) -> dict[str, dict[str, Any]]:
        """For each category: how many posts, how many the classifier got right."""
        table: dict[str, dict[str, Any]] = {}
        for o in self.outcomes:
            row = table.setdefault(str(o.record.get("category") or "-"),
                                   {"n": 0, "correct": 0, "label": int(o.expected)})
            row["n"] += 1
            row["correct"] += int(o.expected == o.predicted)
        for row in table.values():
            row["rate"] = round(row["correct"] / row["n"], 4)
        return dict(sorted(table.items()))

    def worst_errors(self, limit: int = 10) -> list[dict[str, Any]]:
        """False positives with the highest scores and false negatives with the lowest."""
        errors = [o for o in self.outcomes if o.expected != o.predicted]
        errors.sort(key=lambda o: abs(o.verdict["score"] - 0.5), reverse=True)
        return [{
            "id": o.record.get("id"), "category": o.record.get("category"),
            "expected": int(o.expected), "score": o.verdict["score"], "label": o.verdict["label"],
            "title": o.record.get("title", ""), "text": str(o.record.get("text", ""))[:200],
            "reasons": [(r["rule"], r["weight"], r["description"]) for r in o.verdict["reasons"]],
        } for o in errors[:limit]]

    def subset(self, keep) -> "Report":
        return Report([o for o in self.outcomes if keep(o.record)])

    def per_style(self) -> dict[str, dict[str, Any]]:
        """Metrics per ``style`` (quoted, modelled, invented), and for real material (quoted +
        modelled together), when the records say."""
        styles = sorted({str(o.record["style"]) for o in self.outcomes if o.record.get("style")})
        table = {style: self.subset(lambda r, s=style: r.get("style") == s).metrics() for style in styles}
        if any(s in REAL_MATERIAL for s in styles):
            table["real_material"] = self.subset(lambda r: r.get("style") in REAL_MATERIAL).metrics()
        return table

    def reliability(self) -> dict[str, Any]:
        """For the flagged posts in each score band, the share that are sales; and the share of
        flagged posts scored at CERTAIN or above."""
        flagged = [o for o in self.outcomes if o.predicted]
        bands = {}
        for name, low, high in BANDS:
            band = [o for o in flagged if low <= o.verdict["score"] < high]
            sales = sum(o.expected for o in band)
            bands[name] = {"flagged": len(band), "sales": sales,
                           "share": round(sales / len(band), 4) if band else None}
        certain = sum(o.verdict["score"] >= CERTAIN for o in flagged)
        return {"bands": bands, "certain": certain, "certain_share": round(certain / len(flagged), 4) if flagged else 0.0}

    def summary(self, limit: int = 10) -> dict[str, Any]:
        out = {**self.metrics(), "per_category": self.per_category(), "per_style": self.per_style(),
               "reliability": self.reliability(), "worst_errors": self.worst_errors(limit)}
        comments = self.subset(lambda r: bool(r.get("parent")))
        if comments.outcomes:
            out["comments"] = comments.metrics()
        return out


def read_labelled(path: Path) -> list[dict[str, Any]]:
    """Labelled posts, one JSON object a line with at least text and label (1 sale, 0 not)."""
    records = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LabelledDataError(f"{path}: line {n}: not valid JSON: {exc.msg}") from exc
            if not isinstance(record, dict) or record.get("label") not in (0, 1, "0", "1", True, False):
                raise LabelledDataError(f"{path}: line {n}: needs an object with label 0 or 1")
            records.append(record)
    return records


def classify_record(classifier: Classifier, record: dict[str, Any]) -> Verdict:
    """Classify one input line: text, title, platform, ocr and the context keys (parent,
    thread_title, found_by, seller_history; see classifiers/context.py)."""
    return classifier.classify(record.get("text", ""), title=record.get("title", ""),
                               platform=record.get("platform", ""), ocr=record.get("ocr", ""),
                               context=context_from_record(record))


def evaluate(classifier: Classifier, records: Iterable[dict[str, Any]]) -> Report:
    report = Report()
    for record in records:
        report.outcomes.append(Outcome(record, classify_record(classifier, record).to_dict()))
    return report
