"""Why a document waits for a reviewer, as the reviewer reads it."""

from __future__ import annotations

import datetime as dt

from extract.result import ChildResult, DocumentType, Field
from extract.review import review_reasons


def reasons_for_a_name_read(confidence: float) -> list[str]:
    child = ChildResult(name=Field[str](value="Ana Ruiz", confidence=confidence),
                        birth_date=Field[dt.date](value=dt.date(2022, 3, 4), confidence=0.95))
    return review_reasons(document_type=DocumentType.CAIR2_REPORT, type_confidence=0.99,
                          child=child, doses=[], signatures=[], attestations=[], flags=[],
                          threshold=0.8, type_threshold=0.8)


def test_a_confidence_just_under_the_threshold_does_not_read_as_the_threshold() -> None:
    assert "child.name confidence 0.79 is under 0.80" in reasons_for_a_name_read(0.7996)
    assert "child.name confidence 0.29 is under 0.80" in reasons_for_a_name_read(0.29)
    assert not any(r.startswith("child.name") for r in reasons_for_a_name_read(0.8))
