"""The append-only, hash-chained audit trail.

Each event stores ``prev_hash`` and ``hash = sha256(prev_hash + canonical JSON of the event)``.
Changing, deleting or reordering any row breaks the chain from that row on, which
``verify_chain`` reports. This makes tampering evident; it does not prevent it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timezone
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from firewatch.core.store.models import AuditEvent, utcnow

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> str:
    at = event.at.astimezone(timezone.utc).isoformat(timespec="microseconds")
    body = {
        "at": at,
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "details": event.details,
        "ip": event.ip,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + _canonical(event)).encode("utf-8")).hexdigest()


def _lock_chain(session: Session) -> None:
    # Two writers must not both extend the same head; PostgreSQL serialises them with an
    # advisory transaction lock, SQLite already serialises writers.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))


def record(
    session: Session,
    action: str,
    *,
    actor: str = "",
    object_type: str = "",
    object_id: Any = "",
    details: dict[str, Any] | None = None,
    ip: str = "",
) -> AuditEvent:
    """Append one event to the chain (flushed, committed with the caller's transaction)."""
    _lock_chain(session)
    head = session.execute(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).scalar()
    event = AuditEvent(
        at=utcnow(),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=details or {},
        ip=ip,
        prev_hash=head or GENESIS,
    )
    event.hash = event_hash(event.prev_hash, event)
    session.add(event)
    session.flush()
    return event


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(session: Session) -> ChainReport:
    """Recompute every hash in id order; report the first row that does not hold."""
    prev = GENESIS
    count = 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=500)):
        count += 1
        if event.prev_hash != prev:
            return ChainReport(count, event.id, "prev_hash does not match the previous event")
        if event_hash(prev, event) != event.hash:
            return ChainReport(count, event.id, "content does not match its hash")
        prev = event.hash
    return ChainReport(count)


def events_for(session: Session, object_type: str, object_ids: list[str]) -> list[AuditEvent]:
    query = select(AuditEvent).where(
        AuditEvent.object_type == object_type, AuditEvent.object_id.in_(object_ids)
    )
    return list(session.scalars(query.order_by(AuditEvent.id)))


__all__ = ["record", "verify_chain", "events_for", "ChainReport"]
