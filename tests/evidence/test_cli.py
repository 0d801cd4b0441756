"""The real ``firewatch`` command against the test database: capture, case create, export, verify."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.evidence.conftest import make_post, serve_post
from tests.evidence.tamper import flip_byte

pytestmark = pytest.mark.browser
FIREWATCH = str(Path(sys.executable).parent / "firewatch")


def run(env, *args):
    return subprocess.run([FIREWATCH, *args], env=env, capture_output=True, text=True, timeout=300)


def test_capture_case_export_verify(app_ctx, cli_env, page_server, tmp_path):
    with app_ctx.sessions() as session:
        ids = [make_post(session, app_ctx.settings, serve_post(page_server, n), post_no=n,
                         status="approved").id for n in (1, 2)]
        make_post(session, app_ctx.settings, page_server.url("/thread/404"), post_no=3)
        session.commit()

    captured = run(cli_env, "capture")
    assert captured.returncode == 1  # one page is gone: recorded, retried next run
    assert "成功 2 条，失败 1 条" in captured.stdout and "HTTP 404" in captured.stderr

    created = run(cli_env, "case", "create", "武进区烟花爆竹网络销售案", "--post", str(ids[0]),
                  "--post", str(ids[1]), "--cause", "非法经营烟花爆竹", "--number", "常公行〔2026〕1号",
                  "--unit", "湖塘派出所", "--investigator", "张伟,李娜", "--no-witness-reason", "夜间巡查无见证人")
    assert created.returncode == 0, created.stderr
    case_id = created.stdout.strip().splitlines()[-1]
    assert case_id.isdigit()

    exported = run(cli_env, "export", "case", case_id, "-o", str(tmp_path / "out"), "--actor", "sup")
    assert exported.returncode == 0, exported.stderr
    package = Path(exported.stdout.strip().splitlines()[-1])
    assert package.is_file() and package.suffix == ".wacz"

    verified = run(cli_env, "verify", str(package))
    assert verified.returncode == 0, verified.stdout
    assert "核验通过" in verified.stdout
    public_key = Path(cli_env["FIREWATCH_HOME"]) / "keys" / "installation-ed25519.pub.pem"
    assert run(cli_env, "verify", str(package), "--key", str(public_key)).returncode == 0

    changed = flip_byte(package, tmp_path / "changed.wacz", "case/record.pdf")
    failed = run(cli_env, "verify", str(changed))
    assert failed.returncode == 1 and "case/record.pdf" in failed.stdout


def test_case_create_bad_post_and_incomplete_export(app_ctx, cli_env, tmp_path):
    missing = run(cli_env, "case", "create", "标题", "--post", "42")
    assert missing.returncode == 2 and "帖子 42 不存在" in missing.stderr
    with app_ctx.sessions() as session:
        post_id = make_post(session, app_ctx.settings, "http://127.0.0.1:9/x", post_no=1, status="approved").id
        session.commit()
    created = run(cli_env, "case", "create", "标题", "--post", str(post_id), "--investigator", "张伟")
    assert created.returncode == 0 and "导出证据包前须补全" in created.stderr
    refused = run(cli_env, "export", "case", created.stdout.split()[-1], "-o", str(tmp_path / "o"))
    assert refused.returncode == 2 and "侦查(执法)人员不少于二人" in refused.stderr


def test_verify_rejects_non_package(cli_env, tmp_path):
    junk = tmp_path / "junk.wacz"
    junk.write_bytes(b"not a zip")
    result = run(cli_env, "verify", str(junk))
    assert result.returncode == 1 and "不是可读取的 WACZ/ZIP 文件" in result.stdout
    assert run(cli_env, "verify", str(tmp_path / "absent.wacz")).returncode == 2


def test_case_create_refuses_a_post_nobody_confirmed(app_ctx, cli_env):
    """The rule lives in the core, so the command cannot bypass what the UI refuses."""
    with app_ctx.sessions() as session:
        post_id = make_post(session, app_ctx.settings, "http://127.0.0.1:9/y", post_no=1, status="new").id
        session.commit()
    refused = run(cli_env, "case", "create", "标题", "--post", str(post_id))
    assert refused.returncode == 2 and f"帖子 {post_id} 未被确认为销售" in refused.stderr
