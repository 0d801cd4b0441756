"""Candidate lexicon terms from officers' decisions, for a maintainer to read (nothing is added
automatically): word n-grams that recur in confirmed sales the classifier scored low (what it
misses) and in dismissed posts it scored high (what misleads it), and that the lexicon does not
hold yet. A pure function over texts; `firewatch lexicon suggest` feeds it from the store.

Segmentation is the classifier's own deterministic jieba tokenizer (HMM off, the lexicon as
user dictionary) over the normalised text, so 烟*花 and 煙花 count as 烟花.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from classifiers.classifier import Classifier

MAX_N = 3          # tokens per n-gram
MIN_POSTS = 2      # an n-gram must recur across posts to be worth a maintainer's look
# Tokens that never start or end a useful phrase: particles, pronouns, conjunctions.
EDGE_STOP = frozenset("的 了 是 在 和 也 都 就 还 又 吗 呢 吧 啊 哦 呀 我 你 他 她 它 这 那 有 不 没 很 要 会 能 给 把 被 让 就是".split())
WORD = re.compile(r"^[\u3400-\u9fffa-z][\u3400-\u9fffa-z0-9]*$")


@dataclass(frozen=True)
class Candidate:
    ngram: str
    posts: int          # how many posts of the group contain it
    count: int          # how often it occurs there
    other_posts: int    # how many posts of the other group contain it (lower is more telling)


@dataclass
class Suggestions:
    missed: list[Candidate]        # from confirmed sales scored low: sale or product wording
    false_alarms: list[Candidate]  # from dismissed posts scored high: benign wording


def suggest(clf: "Classifier", missed: Iterable[str], false_alarms: Iterable[str],
            limit: int = 30, min_posts: int = MIN_POSTS) -> Suggestions:
    """Rank n-grams of each group by how many of its posts contain them, dropping n-grams that
    contain a lexicon term already (烟花现货 adds nothing to 烟花 and 现货) and those as common in
    the other group."""
    known = clf.matcher.covers
    grams_missed = [_ngrams(clf, text) for text in missed]
    grams_alarm = [_ngrams(clf, text) for text in false_alarms]
    return Suggestions(_rank(grams_missed, grams_alarm, known, limit, min_posts),
                       _rank(grams_alarm, grams_missed, known, limit, min_posts))


def _ngrams(clf: "Classifier", text: str) -> Counter:
    tokens = clf.matcher.boundaries.tokens(clf.normalise(text).text)
    grams: Counter = Counter()
    for n in range(1, MAX_N + 1):
        for i in range(len(tokens) - n + 1):
            part = tokens[i:i + n]
            if part[0] in EDGE_STOP or part[-1] in EDGE_STOP or not all(WORD.match(t) for t in part):
                continue
            gram = "".join(part)
            if len(gram) >= 2:
                grams[gram] += 1
    return grams


def _rank(group: list[Counter], other: list[Counter], known, limit: int,
          min_posts: int) -> list[Candidate]:
    posts, counts, other_posts = Counter(), Counter(), Counter()
    for grams in group:
        posts.update(grams.keys())
        counts.update(grams)
    for grams in other:
        other_posts.update(grams.keys())
    candidates = [Candidate(g, posts[g], counts[g], other_posts[g]) for g in posts
                  if posts[g] >= min_posts and not known(g) and other_posts[g] < posts[g]]
    candidates.sort(key=lambda c: (-(c.posts - c.other_posts), -c.posts, -len(c.ngram), c.ngram))
    return _without_redundant(candidates)[:limit]


def _without_redundant(candidates: list[Candidate]) -> list[Candidate]:
    """Drop an n-gram inside a longer one that occurs in as many posts (过年那 / 过年那个响)."""
    kept: list[Candidate] = []
    for c in candidates:
        if not any(c.ngram in k.ngram and k.posts >= c.posts for k in kept):
            kept.append(c)
    return kept
