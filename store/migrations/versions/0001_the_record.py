"""The record: results, the release index (versions with their counts, the tasks of each) and facts.

Revision ID: 0001
Revises:
Created: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SortedText = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "results",
        sa.Column("task_id", sa.BigInteger(), autoincrement=False, primary_key=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("processed_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger()),
        sa.Column("body", sa.LargeBinary(), nullable=False),
    )
    op.create_index("results_by_outcome", "results", ["outcome", "processed_at", "task_id"])
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("component", SortedText, nullable=False),
        sa.Column("version", SortedText, nullable=False),
        sa.Column("version_order", SortedText, nullable=False),
        sa.Column("tasks", sa.Integer(), nullable=False),
        sa.Column("first_announced", sa.BigInteger()),
        sa.Column("last_announced", sa.BigInteger()),
    )
    op.create_index("versions_by_name", "versions", ["component", "version"], unique=True)
    op.create_index("versions_in_order", "versions", ["component", "version_order"])
    op.create_table(
        "release_tasks",
        sa.Column("task_id", sa.BigInteger(), autoincrement=False, primary_key=True),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("versions.id"), autoincrement=False, primary_key=True),
        sa.Column("announced_at", sa.BigInteger(), nullable=False),
        sa.Column("closed_at", sa.BigInteger(), nullable=False),
    )
    op.create_index("release_tasks_by_version", "release_tasks", ["version_id", "closed_at", "task_id"])
    op.create_table(
        "facts",
        sa.Column("name", sa.String(length=64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in ("facts", "release_tasks", "versions", "results"):
        op.drop_table(table)
