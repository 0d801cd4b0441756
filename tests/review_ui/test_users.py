"""Accounts: Argon2id hashes, authentication, rehashing and the demo's ensure_user."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from firewatch.core.store.models import AuditEvent, User
from firewatch.core.users import UserError, authenticate, create_user, ensure_user, has_role


def test_create_and_authenticate(db):
    user = create_user(db, " wang ", "long-enough-1", "officer", actor="test")
    assert user.username == "wang" and user.password_hash.startswith("$argon2id$")
    assert authenticate(db, "wang", "long-enough-1") is user
    assert authenticate(db, "wang", "wrong-password") is None
    assert authenticate(db, "nobody", "long-enough-1") is None
    user.active = False
    assert authenticate(db, "wang", "long-enough-1") is None


def test_weak_hash_parameters_are_upgraded_at_login(db):
    user = create_user(db, "old", "long-enough-1", "officer")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash("long-enough-1")
    weak = user.password_hash
    assert authenticate(db, "old", "long-enough-1") is user
    assert user.password_hash != weak and "m=65536" in user.password_hash


def test_roles_rank_officer_supervisor_admin(db):
    boss = create_user(db, "boss", "long-enough-1", "supervisor")
    assert has_role(boss, "officer") and has_role(boss, "supervisor") and not has_role(boss, "admin")
    with pytest.raises(UserError):
        create_user(db, "x", "long-enough-1", "chief")


def test_ensure_user_creates_then_resets(db):
    ensure_user(db, "demo", "officer", "first-password", actor="demo")
    ensure_user(db, "demo", "supervisor", "second-password", actor="demo")
    user = db.scalars(select(User).where(User.username == "demo")).one()
    assert user.role == "supervisor"
    assert authenticate(db, "demo", "second-password") is user
    actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["user.create", "user.role", "user.password"]
