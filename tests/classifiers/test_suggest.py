"""`firewatch lexicon suggest` and the pure function behind it (classifiers/suggest.py)."""

import json
import subprocess
import sys

from classifiers.suggest import suggest
from firewatch.core.store.models import Post, Source

MISSED = ["过年的小烟炮到货 要的来", "小烟炮 便宜出 湖塘", "今年的小烟炮 老地方见", "新到一批大响子", "大响子 可以送"]
ALARMS = ["烟花主题馆开业 打卡有礼", "烟花主题馆 新北店", "这家烟花主题馆好拍", "小烟炮"]


def test_recurring_new_words_of_each_group_are_suggested(clf):
    result = suggest(clf, MISSED, ALARMS)
    missed = {c.ngram: c for c in result.missed}
    assert "小烟炮" in missed and missed["小烟炮"].posts == 3 and missed["小烟炮"].other_posts == 1
    assert "大响子" in missed
    assert "主题馆" in {c.ngram for c in result.false_alarms}


def test_known_terms_single_posts_and_particles_are_not_suggested(clf):
    result = suggest(clf, ["烟花现货 私聊 的了", "烟花现货 私聊 的了", "一次性的新词"], [])
    grams = {c.ngram for c in result.missed}
    assert not grams & {"烟花", "现货", "私聊", "烟花现货", "的了", "一次性的新词"}


def test_suggest_is_deterministic(clf):
    assert suggest(clf, MISSED, ALARMS) == suggest(clf, MISSED, ALARMS)


def _seed(ctx):
    with ctx.sessions.begin() as session:
        source = Source(name="forum", platform="forum")
        session.add(source)
        session.flush()
        rows = [(t, "confirmed", 0.1) for t in MISSED] + [(t, "dismissed", 0.9) for t in ALARMS[:3]]
        rows += [("小烟炮 高分已确认", "confirmed", 0.95), ("主题馆 低分已排除", "dismissed", 0.1)]
        for i, (text, status, score) in enumerate(rows):
            session.add(Post(source_id=source.id, key=f"s{i}", platform="forum", text=text, status=status, score=score))


def test_lexicon_suggest_reads_decisions_from_the_store(app_ctx, cli_env):
    _seed(app_ctx)
    run = lambda *a: subprocess.run([sys.executable, "-m", "firewatch", "lexicon", "suggest", *a], env=cli_env,
                                    capture_output=True, text=True, timeout=120)
    proc = run("--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert (report["missed_posts"], report["false_alarm_posts"]) == (5, 3)
    assert "小烟炮" in {c["ngram"] for c in report["missed"]}
    assert "主题馆" in {c["ngram"] for c in report["false_alarms"]}
    text = run()
    assert text.returncode == 0 and "漏报线索" in text.stdout and "不会自动添加" in text.stdout
    assert run("--low", "3").returncode == 2
