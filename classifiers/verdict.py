"""What the classifier says about a post, as plain data the store, CLI and UI can keep."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

LABELS = ("sale", "buy_request", "legal_alternative", "benign", "none", "error")
ERROR_RULE = "classifier_error"


class Span(NamedTuple):
    """original[start:end] == text, in the field (title, text or ocr) it names."""

    start: int
    end: int
    text: str
    field: str


@dataclass
class Reason:
    rule: str
    weight: float
    description: str
    spans: list[Span] = field(default_factory=list)
    # Other posts this reason rests on (a seller's confirmed earlier sales): {post, matched, value}
    refs: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Verdict:
    score: float = 0.0
    flagged: bool = False
    label: str = "none"
    reasons: list[Reason] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    prices: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def failure(cls, problem: str) -> "Verdict":
        """The verdict when classification itself failed: queued for a person, never silent."""
        reason = Reason(ERROR_RULE, 0.0, f"分类器出错，需人工判断：{problem[:300]}")
        return cls(score=0.0, flagged=True, label="error", reasons=[reason])

    @property
    def failed(self) -> bool:
        return self.label == "error"

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "flagged": self.flagged,
            "label": self.label,
            "reasons": [_reason_dict(r) for r in self.reasons],
            "contacts": [dict(c) for c in self.contacts],
            "prices": [dict(p) for p in self.prices],
            "places": [dict(p) for p in self.places],
        }


def _reason_dict(reason: Reason) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": reason.rule, "weight": reason.weight, "description": reason.description,
        "spans": [{"start": s.start, "end": s.end, "text": s.text, "field": s.field} for s in reason.spans],
    }
    if reason.refs:
        out["refs"] = [dict(ref) for ref in reason.refs]
    return out
