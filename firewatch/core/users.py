"""Accounts for the review UI: creation, role changes and password checks with Argon2id.

Argon2id parameters follow OWASP's minimum or better (argon2-cffi's defaults: 64 MiB, 3 passes).
A stored hash made with older parameters is upgraded on the next successful login.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from firewatch.core import audit
from firewatch.core.store.models import User

ROLES = ("officer", "supervisor", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
MIN_PASSWORD_LENGTH = 8
MAX_USERNAME_LENGTH = 64

_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown user like that of a known one.
_DUMMY_HASH = _hasher.hash("firewatch-timing-equaliser")


class UserError(ValueError):
    """A user request that cannot be carried out; the message is Chinese, for officers."""


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"密码至少 {MIN_PASSWORD_LENGTH} 位")


def check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"未知角色 {role!r}，可选：{', '.join(ROLES)}")


def has_role(user: User, role: str) -> bool:
    """True when ``user`` holds ``role`` or a higher one (officer < supervisor < admin)."""
    return ROLE_RANK.get(user.role, -1) >= ROLE_RANK[role]


def find_user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def create_user(session: Session, username: str, password: str, role: str, *,
                display_name: str = "", actor: str = "", ip: str = "") -> User:
    """Add an account; refuses duplicates, unknown roles and short passwords."""
    username = username.strip()
    if not username or len(username) > MAX_USERNAME_LENGTH:
        raise UserError(f"用户名须为 1 至 {MAX_USERNAME_LENGTH} 个字符")
    check_role(role)
    check_new_password(password)
    if find_user(session, username) is not None:
        raise UserError(f"用户 {username} 已存在")
    user = User(username=username, password_hash=_hasher.hash(password), role=role,
                display_name=display_name.strip() or username, active=True)
    session.add(user)
    session.flush()
    audit.record(session, "user.create", actor=actor, object_type="user", object_id=user.id,
                 details={"username": username, "role": role}, ip=ip)
    return user


def set_password(session: Session, user: User, password: str, *, actor: str = "", ip: str = "") -> None:
    check_new_password(password)
    user.password_hash = _hasher.hash(password)
    session.flush()
    audit.record(session, "user.password", actor=actor, object_type="user", object_id=user.id,
                 details={"username": user.username}, ip=ip)


def set_role(session: Session, user: User, role: str, *, actor: str = "", ip: str = "") -> None:
    check_role(role)
    old, user.role = user.role, role
    session.flush()
    audit.record(session, "user.role", actor=actor, object_type="user", object_id=user.id,
                 details={"username": user.username, "from": old, "to": role}, ip=ip)


def set_active(session: Session, user: User, active: bool, *, actor: str = "", ip: str = "") -> None:
    user.active = active
    session.flush()
    audit.record(session, "user.activate" if active else "user.deactivate", actor=actor,
                 object_type="user", object_id=user.id, details={"username": user.username}, ip=ip)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (same cost either way)."""
    user = find_user(session, username.strip())
    if user is None or not user.active:
        _verify(_DUMMY_HASH, password)
        return None
    if not _verify(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def ensure_user(session: Session, username: str, role: str, password: str, *, actor: str = "") -> User:
    """Create ``username`` or, if it exists, reset its role and password (used by the demo)."""
    user = find_user(session, username.strip())
    if user is None:
        return create_user(session, username, password, role, actor=actor)
    if user.role != role:
        set_role(session, user, role, actor=actor)
    set_password(session, user, password, actor=actor)
    if not user.active:
        set_active(session, user, True, actor=actor)
    return user
