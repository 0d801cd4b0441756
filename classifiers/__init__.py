"""firewatch's classifier: finds offers to sell fireworks in Chinese posts and explains why.

    from classifiers import load_classifier
    clf = load_classifier(Path("config"))
    verdict = clf.classify(text, title=title, platform=platform)
    verdict.to_dict()   # {score, flagged, label, reasons, contacts, prices, places}

A pure library: no database, no network, deterministic for a given lexicon (see
docs/classifier.md).
"""

from classifiers.classifier import CODE_VERSION, Classifier, load_classifier
from classifiers.lexicon import LexiconError
from classifiers.verdict import LABELS, Reason, Span, Verdict

__all__ = ["CODE_VERSION", "Classifier", "LABELS", "LexiconError", "Reason", "Span", "Verdict",
           "load_classifier"]
