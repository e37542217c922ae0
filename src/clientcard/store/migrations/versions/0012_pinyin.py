"""Pinyin keys: names found and sorted by pinyin (issue 18)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

PLACEHOLDER: filled in by the issue 18 branch that owns it.
"""

from collections.abc import Sequence

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
