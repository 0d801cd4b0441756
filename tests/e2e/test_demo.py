"""End to end: `firewatch demo` crawls the bundled demo site into a temporary database, the CLI
reads the posts and runs back, and the served review UI shows the flagged posts after login."""

import json
import re
import socket
import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cli(env, *args):
    out = subprocess.run([sys.executable, "-m", "firewatch", *args], env=env, capture_output=True,
                         text=True, check=True, timeout=120)
    return [json.loads(line) for line in out.stdout.splitlines()]


def _read_until_served(process, deadline):
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("按 Ctrl+C"):
            return lines
    raise AssertionError("demo never started the UI:\n" + "".join(lines))


@pytest.fixture
def demo_server(cli_env):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "firewatch", "demo", "--port", str(port), "--no-capture"],
        env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = _read_until_served(process, time.monotonic() + 300)
        yield port, "".join(lines)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _login(client, username, password):
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = client.post("/login", data={"csrf_token": token, "username": username,
                                           "password": password, "next": "/"})
    assert response.status_code in (200, 303), response.text[:500]


def test_demo_crawls_flags_and_serves(demo_server, cli_env):
    port, output = demo_server
    password = re.search(r"演示账号: demo  密码: (\S+)", output).group(1)

    posts = _cli(cli_env, "posts", "--json")
    flagged = [p for p in posts if p["flagged"]]
    assert len(posts) >= 60 and len(flagged) >= 15
    # Every demo source that is not walled off yields flagged posts: forum, JSON API, browser feed.
    assert {p["source"] for p in flagged} == {"demo-forum", "demo-market", "demo-feed"}
    runs = {r["source"]: r["status"] for r in _cli(cli_env, "runs", "--json")}
    assert runs["demo-forum"] == "ok" and runs["demo-captcha"] == "captcha"
    assert runs["demo-login"] == "login_required"

    with httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=True) as client:
        assert "/login" in str(client.get("/").url)  # nothing without login
        _login(client, "demo", password)
        queue = client.get("/queue")
        assert queue.status_code == 200
        top = max(flagged, key=lambda p: p["score"])
        shown = top["title"] or top["text"][:20]
        assert shown[:12] in queue.text
        assert not any(p["title"] and p["title"][:12] in queue.text for p in posts
                       if not p["flagged"] and len(p["title"]) >= 12)
