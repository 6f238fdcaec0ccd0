"""Linking documents of one child across uploads, and the union of their doses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.audit import record_event
from intake.errors import NotFound
from intake.models import Child, Document, DocumentState, DocumentVersion
from intake.schemas import ChildView

__all__ = ["get_child", "link_child", "merge_records", "union_record"]

_SPACES = re.compile(r"\s+")


def _name_key(name: str) -> str:
    # Case and spacing differ between a yellow card and a CAIR2 printout; the person does not.
    return _SPACES.sub(" ", name).strip().casefold()


def link_child(db: Session, case_number: str | None, record: dict[str, Any] | None) -> int | None:
    """The child id for (case number, name, birth date), created on first sight.

    None when any of the three is missing: such a document stands alone.
    """
    if not case_number or not record:
        return None
    child = record.get("child") or {}
    name, birth = child.get("name"), child.get("birth_date")
    if not name or not birth:
        return None
    key = (case_number.strip(), _name_key(str(name)), dt.date.fromisoformat(str(birth)))
    query = select(Child.id).where(Child.case_number == key[0], Child.name_key == key[1],
                                   Child.birth_date == key[2])
    found = db.scalars(query).first()
    if found is not None:
        return found
    try:
        with db.begin_nested():
            db.add(Child(case_number=key[0], name_key=key[1], birth_date=key[2]))
    except IntegrityError:
        pass  # another worker linked the same child a moment ago
    return db.scalars(query).first()


def _dose_key(dose: dict[str, Any]) -> tuple[str, str]:
    name = dose.get("cvx") or _name_key(str(dose.get("vaccine") or ""))
    return str(dose.get("date")), str(name)


def merge_records(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One Record from many: the first record's child, every dose and piece of evidence once.

    The same date and vaccine on two documents is one dose seen twice.
    """
    if not records:
        return None
    merged: dict[str, Any] = {"child": records[0]["child"], "doses": []}
    seen: set[tuple[str, str]] = set()
    for record in records:
        for dose in record.get("doses", []):
            key = _dose_key(dose)
            if key not in seen:
                seen.add(key)
                merged["doses"].append(dose)
        for part in ("immunity", "exemptions", "attestations"):
            for item in record.get(part, []):
                if item not in merged.setdefault(part, []):
                    merged[part].append(item)
    merged["doses"].sort(key=lambda dose: str(dose.get("date")))
    return merged


def union_record(db: Session, child_id: int, document_id: str,
                 record: dict[str, Any] | None) -> tuple[dict[str, Any] | None, list[str]]:
    """The merged record of a child's documents, rejected ones left out, and their ids.

    `record` stands for `document_id`'s newest version (it may not be stored yet).
    """
    others = db.scalars(
        select(Document).where(Document.child_id == child_id, Document.id != document_id,
                               Document.state != DocumentState.REJECTED)
        .order_by(Document.created_at)
    ).all()
    records, ids = ([record], [document_id]) if record else ([], [])
    for other in others:
        version = db.scalars(
            select(DocumentVersion).where(DocumentVersion.document_id == other.id,
                                          DocumentVersion.number == other.current_version)
        ).first()
        if version is not None and version.record:
            records.append(version.record)
            ids.append(other.id)
    return merge_records(records), ids


def get_child(db: Session, child_id: int, actor_label: str,
              check: Callable[[dict[str, Any], dt.date], dict[str, Any] | None]) -> ChildView:
    """A child across documents: the merged record and its check today (audited).

    Raises:
        NotFound: no such child.
    """
    child = db.get(Child, child_id)
    if child is None:
        raise NotFound(f"no child with id {child_id}")
    record, ids = union_record(db, child_id, "", None)
    result = check(record, dt.date.today()) if record else None
    record_event(db, actor_label, "viewed_child", None, f"child {child_id}")
    return ChildView(id=child.id, case_number=child.case_number, documents=ids, record=record,
                     check=result)
