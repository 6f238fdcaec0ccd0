"""Queue columns on documents (type, flag codes) and the case files of the child view.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _codes(extraction: Any) -> tuple[str | None, str | None]:
    if isinstance(extraction, str):
        extraction = json.loads(extraction)
    if not isinstance(extraction, dict):
        return None, None
    codes = sorted({str(f.get("code")) for f in extraction.get("flags") or [] if f.get("code")})
    kind = extraction.get("document_type")
    return (str(kind) if kind else None), (f" {' '.join(codes)} " if codes else " ")


def upgrade() -> None:
    """Add the columns, fill them from the stored extractions, add the case files table."""
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_type", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("flag_codes", sa.String(length=1000), nullable=True))
        batch_op.create_index(batch_op.f("ix_documents_document_type"), ["document_type"],
                              unique=False)
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT d.id, r.extraction FROM documents d JOIN processing_results r "
        "ON r.id = d.result_id")).all()
    for document_id, extraction in rows:
        kind, codes = _codes(extraction)
        bind.execute(sa.text("UPDATE documents SET document_type = :kind, flag_codes = :codes "
                             "WHERE id = :id"), {"kind": kind, "codes": codes, "id": document_id})
    op.create_table(
        "case_files",
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("case_number"),
    )


def downgrade() -> None:
    """Drop the case files and the queue columns."""
    op.drop_table("case_files")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_document_type"))
        batch_op.drop_column("flag_codes")
        batch_op.drop_column("document_type")
