"""`firewatch classify`, `eval` and `reclassify` as officers and IT staff run them."""

import json
import subprocess
import sys

from sqlalchemy import func, select

from classifiers import load_classifier
from firewatch.cli.classify_cmds import run_reclassify
from firewatch.core.store.models import Classification, Contact, Post, PostVersion, Source
from tests.classifiers.conftest import CONFIG_DIR, LABELLED, assert_spans_index_original


def firewatch(cli_env, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "firewatch", *args], env=cli_env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_classify_keeps_order_reports_bad_lines_and_exits_2(cli_env, tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "出售烟花 现货 vx: abc12345"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": 7, "title": "烟花三月", "text": "下扬州"}, ensure_ascii=False),
        "[1, 2]",
        json.dumps({"id": "s", "text": "\ud800 烟*花 包邮 私聊"}),   # lone surrogate, escaped
        "",
        json.dumps({"id": "e", "text": ""}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = firewatch(cli_env, "classify", str(src), "-o", str(out))
    assert proc.returncode == 2
    assert "第 2 行" in proc.stderr and "第 4 行" in proc.stderr and "第 1 行" not in proc.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", 7, "s", "e"]
    assert rows[0]["flagged"] and not rows[1]["flagged"] and rows[2]["flagged"]
    assert set(rows[0]) >= {"id", "score", "flagged", "label", "reasons", "contacts", "prices", "places"}
    assert rows[0]["contacts"][0] == {"kind": "wechat", "value": "abc12345", "start": 8, "end": 20,
                                      "field": "text", "text": "vx: abc12345"}
    assert_spans_index_original(rows[2], "\ud800 烟*花 包邮 私聊")


def test_classify_reads_stdin_and_writes_stdout(cli_env):
    proc = firewatch(cli_env, "classify", "-", stdin='{"id": 1, "text": "鞭炮一万响 八十元一盘 送货上门"}\n')
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)
    assert row["id"] == 1 and row["flagged"] and row["prices"][0]["amount"] == 80.0


def test_classify_missing_file_exits_2(cli_env, tmp_path):
    proc = firewatch(cli_env, "classify", str(tmp_path / "nope.jsonl"))
    assert proc.returncode == 2 and "找不到输入文件" in proc.stderr


def test_eval_prints_metrics_categories_and_worst_errors(cli_env):
    proc = firewatch(cli_env, "eval", str(LABELLED), "--json", "--errors", "3")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["n"] >= 400
    assert set(report["confusion"]) == {"tp", "fp", "fn", "tn"}
    assert sum(report["confusion"].values()) == report["n"]
    assert {"plain_sale", "buy_request", "song_poem"} <= set(report["per_category"])
    assert len(report["worst_errors"]) <= 3
    text = firewatch(cli_env, "eval", str(LABELLED), "--split", "holdout")
    assert text.returncode == 0 and "precision" in text.stdout and "confusion" in text.stdout


def test_eval_bad_labelled_file_names_the_line(cli_env, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "烟花", "label": 1}\n{"text": "x"}\n', encoding="utf-8")
    proc = firewatch(cli_env, "eval", str(bad))
    assert proc.returncode == 2 and "line 2" in proc.stderr


def test_bad_lexicon_exits_2_with_the_file_named(cli_env, config_copy):
    path = config_copy / "classifier.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("threshold: 0.5", "threshold: high"),
                    encoding="utf-8")
    env = dict(cli_env, FIREWATCH_CONFIG=str(config_copy))
    proc = firewatch(env, "classify", "-", stdin='{"id": 1, "text": "烟花"}\n')
    assert proc.returncode == 2 and "classifier.yaml" in proc.stderr and "threshold" in proc.stderr


def _seed_posts(ctx):
    with ctx.sessions.begin() as session:
        source = Source(name="longcheng-forum", platform="forum")
        session.add(source)
        session.flush()
        texts = [("出售烟花", "加特林 200元/箱 送货上门 微信 lc_yh2026"), ("禁放通告", "市区禁止燃放烟花爆竹"),
                 ("", "小区新开了奶茶店"), ("闲置", "飞天魔王到货，私聊，送货上门")]
        for i, (title, text) in enumerate(texts):
            post = Post(source_id=source.id, key=f"t{i}", platform="forum", title=title, text=text,
                        flagged=(i == 2))   # a stale flag the rescore must clear
            session.add(post)
            session.flush()
            session.add(PostVersion(post_id=post.id, version_no=1, title=title, text=text,
                                    content_hash=f"h{i}"))


def test_reclassify_rescores_every_post_and_counts_flag_changes(app_ctx):
    _seed_posts(app_ctx)
    clf = load_classifier(CONFIG_DIR)
    result = run_reclassify(app_ctx, clf, batch=2)
    assert (result.total, result.newly_flagged, result.unflagged) == (4, 1, 1)
    with app_ctx.sessions() as session:
        posts = session.scalars(select(Post).order_by(Post.id)).all()
        assert [p.flagged for p in posts] == [True, False, False, False]
        assert posts[0].label == "sale" and posts[0].score > 0.9
        rows = session.scalars(select(Classification).order_by(Classification.post_id)).all()
        assert len(rows) == 4 and {r.classifier_version for r in rows} == {clf.version}
        assert all(r.version_id is not None for r in rows)
        contacts = session.scalars(select(Contact.value).where(Contact.post_id == posts[0].id)).all()
        assert contacts == ["lc_yh2026"]
    again = run_reclassify(app_ctx, clf, batch=100)
    assert (again.total, again.changed) == (4, 0)


def test_reclassify_command_after_a_lexicon_change(app_ctx, cli_env, config_copy):
    _seed_posts(app_ctx)
    env = dict(cli_env, FIREWATCH_CONFIG=str(config_copy))
    first = firewatch(env, "reclassify")
    assert first.returncode == 0, first.stderr
    assert "标记变化 2 条" in first.stdout
    products = config_copy / "lexicon" / "products.yaml"
    products.write_text(products.read_text(encoding="utf-8").replace("terms:\n", "terms:\n  - {term: 飞天魔王}\n", 1),
                        encoding="utf-8")
    second = firewatch(env, "reclassify")
    assert second.returncode == 0, second.stderr
    assert "已重新分类 4 条帖子" in second.stdout and "新增标记 1 条" in second.stdout
    with app_ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Post).where(Post.flagged)) == 2
        assert session.scalar(select(func.count(func.distinct(Classification.classifier_version)))) == 2


def test_classify_output_does_not_depend_on_hash_seed(cli_env, tmp_path):
    """Deterministic for a given lexicon: no set or dict ordering leaks into verdicts."""
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"out{seed}.jsonl"
        proc = subprocess.run([sys.executable, "-m", "firewatch", "classify", str(LABELLED), "-o", str(out)],
                              env=dict(cli_env, PYTHONHASHSEED=seed), capture_output=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_classify_and_eval_take_the_context_keys(cli_env, tmp_path):
    parent = {"title": "加特林现货 常州可送", "text": "99一箱 要的私"}
    lines = [{"id": "alone", "text": "还有两箱 要的抓紧"},
             {"id": "reply", "text": "还有两箱 要的抓紧", "parent": parent, "label": 1, "style": "invented"},
             {"id": "kw", "text": "新货到了，价格私聊，同城可送", "found_by": "烟花", "label": 1, "style": "modelled"},
             {"id": "hist", "text": "老规矩 老地方 私", "seller_history": [{"id": "p9", "matched": "account"}], "label": 1,
              "style": "quoted"}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    proc = firewatch(cli_env, "classify", str(src))
    assert proc.returncode == 0, proc.stderr
    rows = {r["id"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert not rows["alone"]["flagged"] and rows["reply"]["flagged"] and rows["kw"]["flagged"]
    spans = [s for r in rows["reply"]["reasons"] for s in r["spans"]]
    assert {"parent_title"} <= {s["field"] for s in spans}
    history = next(r for r in rows["hist"]["reasons"] if r["rule"] == "seller_history")
    assert history["refs"] == [{"post": "p9", "matched": "account"}]
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines[1:]), encoding="utf-8")
    report = json.loads(firewatch(cli_env, "eval", str(labelled), "--json").stdout)
    assert report["confusion"]["tp"] == 3 and report["comments"]["n"] == 1
    assert report["per_style"]["real_material"]["n"] == 2
    assert set(report["reliability"]["bands"]) == {"≥0.9", "0.7–0.9", "<0.7"}
