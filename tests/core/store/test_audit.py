"""The audit chain detects edits, deletions and reordering."""

from sqlalchemy import delete, update

from firewatch.core import audit
from firewatch.core.store.models import AuditEvent


def _fill(ctx, n=5):
    with ctx.sessions.begin() as session:
        for i in range(n):
            audit.record(session, "test.event", actor="张三", object_type="post", object_id=i,
                         details={"i": i, "说明": "确认"})


def test_intact_chain_verifies(app_ctx):
    _fill(app_ctx)
    with app_ctx.sessions() as session:
        report = audit.verify_chain(session)
    assert report.ok and report.checked == 5


def test_edited_row_breaks_chain(app_ctx):
    _fill(app_ctx)
    with app_ctx.sessions.begin() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == 3).values(actor="李四"))
    with app_ctx.sessions() as session:
        report = audit.verify_chain(session)
    assert not report.ok and report.broken_at == 3


def test_deleted_row_breaks_chain(app_ctx):
    _fill(app_ctx)
    with app_ctx.sessions.begin() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == 2))
    with app_ctx.sessions() as session:
        report = audit.verify_chain(session)
    assert not report.ok and report.broken_at == 3
