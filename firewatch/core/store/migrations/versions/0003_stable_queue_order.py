"""Queue order without the seen partition: opening a post no longer moves it

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-02 09:00:00
"""
from alembic import op


revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None

NEW = {"ix_posts_review_queue": ["flagged", "status", "score", "first_seen_at", "id"],
       "ix_posts_review_all": ["flagged", "score", "first_seen_at", "id"]}
OLD = {"ix_posts_review_queue": ["flagged", "status", "seen", "score", "first_seen_at", "id"],
       "ix_posts_review_all": ["flagged", "seen", "score", "first_seen_at", "id"],
       "ix_posts_queue": ["flagged", "status", "score", "first_seen_at"]}


def _replace(drop: dict[str, list[str]], create: dict[str, list[str]]) -> None:
    with op.batch_alter_table('posts', schema=None) as batch_op:
        for name in drop:
            batch_op.drop_index(name)
        for name, columns in create.items():
            batch_op.create_index(name, columns, unique=False)


def upgrade() -> None:
    _replace(OLD, NEW)


def downgrade() -> None:
    _replace(NEW, OLD)
