"""Linking documents of one child across uploads, and the union of their doses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.errors import ShotcheckError
from intake.accounts import Actor, has_role
from intake.audit import record_event
from intake.errors import Forbidden, NotFound
from intake.models import Child, Document, DocumentState, DocumentVersion, Role
from intake.schemas import ChildDocument, ChildView, DoseSource, MergedDose

__all__ = ["get_child", "link_child", "merge_records", "merge_with_sources", "union_record"]

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


def merge_with_sources(
        records: list[tuple[str, dict[str, Any]]]) -> tuple[dict[str, Any] | None,
                                                          list[list[DoseSource]]]:
    """One Record from many, and for each of its doses where it was read.

    Args:
        records: (document id, record) pairs; the first record's child is the merged child.

    Returns:
        (record, sources): the merged record (every dose and piece of evidence once, doses by
        date) or None without records; `sources[i]` lists the documents and dose indexes the
        merged record's dose `i` was read from. The same date and vaccine on two documents is
        one dose seen twice.
    """
    if not records:
        return None, []
    merged: dict[str, Any] = {"child": records[0][1]["child"], "doses": []}
    seen: dict[tuple[str, str], list[DoseSource]] = {}
    for document_id, record in records:
        for index, dose in enumerate(record.get("doses", [])):
            key = _dose_key(dose)
            if key not in seen:
                seen[key] = []
                merged["doses"].append(dose)
            seen[key].append(DoseSource(document_id=document_id, dose_index=index))
        for part in ("immunity", "exemptions", "attestations"):
            for item in record.get(part, []):
                if item not in merged.setdefault(part, []):
                    merged[part].append(item)
    merged["doses"].sort(key=lambda dose: str(dose.get("date")))
    return merged, [seen[_dose_key(dose)] for dose in merged["doses"]]


def merge_records(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One Record from many: the first record's child, every dose and piece of evidence once."""
    return merge_with_sources([("", record) for record in records])[0]


def _current_records(db: Session, child_id: int, document_id: str
                     ) -> list[tuple[Document, dict[str, Any] | None]]:
    rows = db.execute(
        select(Document, DocumentVersion.record)
        .outerjoin(DocumentVersion, and_(DocumentVersion.document_id == Document.id,
                                         DocumentVersion.number == Document.current_version))
        .where(Document.child_id == child_id, Document.id != document_id)
        .order_by(Document.created_at, Document.id)
    ).all()
    return [(document, record) for document, record in rows]


def union_record(db: Session, child_id: int, document_id: str,
                 record: dict[str, Any] | None) -> tuple[dict[str, Any] | None, list[str]]:
    """The merged record of a child's documents, rejected ones left out, and their ids.

    `record` stands for `document_id`'s newest version (it may not be stored yet).
    """
    records = [(document_id, record)] if record else []
    records += [(other.id, other_record) for other, other_record
                in _current_records(db, child_id, document_id)
                if other.state != DocumentState.REJECTED and other_record]
    merged, _sources = merge_with_sources(records)
    return merged, [document_id for document_id, _ in records]


def _merged_dose(dose: dict[str, Any], sources: list[DoseSource]) -> MergedDose:
    return MergedDose(date=dt.date.fromisoformat(str(dose["date"])),
                      date_precision=str(dose.get("date_precision") or "day"),
                      vaccine=dose.get("vaccine"), cvx=dose.get("cvx"), sources=sources)


def get_child(db: Session, child_id: int, actor: Actor,
              check: Callable[[dict[str, Any], dt.date], dict[str, Any] | None],
              on: dt.date | None = None, rules: str | None = None) -> ChildView:
    """A child across documents: the merged record with each dose's sources, checked on `on`.

    Args:
        db: the open transaction (the view is audited).
        child_id: the linked child.
        actor: who is looking (a reviewer).
        check: the engine check (the pipeline's).
        on: the date of the verdict; today when omitted.
        rules: the rule pack of the case timeline; without it no case data is read.

    Raises:
        NotFound: no such child.
    """
    if not has_role(actor, Role.REVIEWER):
        raise Forbidden("the child view is for reviewers")
    child = db.get(Child, child_id)
    if child is None:
        raise NotFound(f"no child with id {child_id}")
    day = on or dt.date.today()
    documents = _current_records(db, child_id, "")
    usable = [(d.id, r) for d, r in documents if d.state != DocumentState.REJECTED and r]
    record, sources = merge_with_sources(usable)
    result, problem = None, None
    if record:
        try:
            result = check(record, day)
        except ShotcheckError as exc:
            problem = f"the check could not run: {exc}"
    from intake.cases import get_case  # cases imports engine.case: only when asked

    case = get_case(db, child.case_number, actor, rules) if rules else None
    record_event(db, actor.label, "viewed_child", None, f"child {child_id} on {day}")
    return ChildView(
        id=child.id, case_number=child.case_number, as_of=day,
        documents=[d.id for d, _ in documents],
        document_details=[ChildDocument(id=d.id, filename=d.filename,
                                        document_type=d.document_type, state=d.state,
                                        version=d.current_version, due_date=d.due_date,
                                        created_at=d.created_at) for d, _ in documents],
        record=record,
        doses=[_merged_dose(dose, found) for dose, found in zip((record or {}).get("doses", []),
                                                                 sources, strict=True)],
        check=result, problem=problem, case=case)
