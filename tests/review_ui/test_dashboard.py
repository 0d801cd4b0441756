"""Dashboard figures, inline SVG charts, source health and the XLSX summary."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from io import BytesIO

from bs4 import BeautifulSoup
from openpyxl import load_workbook
from sqlalchemy import select

from firewatch.core.store.models import CrawlRun, Source
from tests.review_ui.factory import make_post


def _seed(db):
    sources = db.scalars(select(Source).order_by(Source.id)).all()
    now = datetime.now(timezone.utc)
    reasons_noise = [{"rule": "noise_rule", "description": "噪声规则", "weight": 0.3, "spans": []}]
    reasons_good = [{"rule": "good_rule", "description": "有效规则", "weight": 0.5, "spans": []}]
    for i in range(4):
        make_post(db, sources[0], title=f"烟花{i}", text="", district="武进区", first_seen_at=now,
                  reasons=reasons_noise, status="dismissed")
    make_post(db, sources[1], title="鞭炮", text="", district="新北区", first_seen_at=now - timedelta(days=1),
              reasons=reasons_good, status="confirmed")
    make_post(db, sources[1], title="=HYPERLINK(\"http://x\")", text="", district="=1+1", first_seen_at=now)
    db.add(CrawlRun(source_id=sources[2].id, status="captcha", message="请输入验证码", started_at=now,
                    finished_at=now))
    db.add(CrawlRun(source_id=sources[0].id, status="ok", items=12, started_at=now, finished_at=now))
    db.commit()


def test_dashboard_shows_figures_as_inline_svg(officer, db):
    _seed(db)
    soup = BeautifulSoup(officer.get("/dashboard").text, "html.parser")
    svgs = soup.select(".chart svg")
    assert len(svgs) == 4
    assert "发现 6 条" in soup.get_text()
    rule_chart = svgs[3].get_text()
    assert rule_chart.index("噪声规则") < rule_chart.index("有效规则")  # wasteful rules first
    bad = {td.find_parent("tr").td.get_text(): td.get_text() for td in soup.select("td.bad-run")}
    captcha_source = db.scalars(select(Source).order_by(Source.id)).all()[2].name
    # The captcha source and the configured source never crawled need a person; the ok one not.
    assert bad == {captcha_source: "遇到验证码", "wechat-sogou": "从未运行"}
    assert f"firewatch login {captcha_source}" in soup.get_text()  # says what to do


def test_bad_dashboard_dates_get_a_clear_message(officer):
    response = officer.get("/dashboard?date_from=2026-02-01&date_to=2026-01-01")
    assert response.status_code == 400 and "统计期间" in response.text


def test_summary_xlsx_for_supervisors(officer, supervisor, db):
    _seed(db)
    assert officer.get("/dashboard/summary.xlsx").status_code == 403
    response = supervisor.get("/dashboard/summary.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["概况", "每日", "平台", "区域", "人员", "规则", "来源"]
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(values_only=True)}
    assert overview["发现疑似销售帖子"] == 6
    districts = [row[0] for row in book["区域"].iter_rows(min_row=2, values_only=True)]
    assert "'=1+1" in districts  # crawled text never becomes a formula
    rules = {row[0]: row[2:4] for row in book["规则"].iter_rows(min_row=2, values_only=True)}
    assert rules["noise_rule"] == (0, 4) and rules["good_rule"] == (1, 0)
