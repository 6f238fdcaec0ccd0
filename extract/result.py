"""The extraction result contract (`shotcheck extract FILE --json`), as pydantic models."""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from engine.documents import DocumentType, FlagCode
from engine.model import AttestationKind, Record, Signer

__all__ = [
    "AttestationResult",
    "ChildResult",
    "DocumentType",
    "DoseResult",
    "ExtractionResult",
    "Field",
    "Flag",
    "FlagCode",
    "PagesResult",
    "SignatureResult",
]

T = TypeVar("T")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Field(_Out, Generic[T]):
    """One value read off the page: the value, the text as written, and where and how sure."""

    value: T | None = None
    text: str | None = None
    confidence: float = 0.0
    page: int | None = None
    box: tuple[int, int, int, int] | None = None


class ChildResult(_Out):
    """The child the document is about."""

    name: Field[str]
    birth_date: Field[dt.date]


class DoseResult(_Out):
    """One dose as written and normalised; `vaccine` and `cvx` are null for an unknown name."""

    vaccine: str | None = None
    cvx: str | None = None
    groups: list[str] = []
    vaccine_text: Field[str]
    date: Field[dt.date]
    provider: Field[str]
    dose_number: Field[int]


class SignatureResult(_Out):
    """A signature line on the document and whether ink that looks like a signature is on it."""

    field: str
    present: bool
    confidence: float
    page: int | None = None
    box: tuple[int, int, int, int] | None = None


class AttestationResult(_Out):
    """What a CSF 49 states (the Record's attestation) plus the medical exemption's details."""

    kind: AttestationKind
    signed: bool
    signer: Signer | None = None
    date: dt.date | None = None
    groups: list[str] = []
    until: dt.date | None = None
    condition: str | None = None
    duration: str | None = None
    vaccines_text: str | None = None
    next_appointment: dt.date | None = None
    confidence: float = 0.0


class Flag(_Out):
    """A problem the reviewer must look at, naming the field (e.g. ``doses[2].date``)."""

    code: FlagCode
    field: str
    message: str


class PagesResult(_Out):
    """How many pages were read and their sizes in pixels of the cleaned page images."""

    count: int
    sizes: list[tuple[int, int]]


class ExtractionResult(_Out):
    """Everything one document yields; `record` is ready for `shotcheck check`."""

    document_type: DocumentType
    type_confidence: float
    child: ChildResult
    doses: list[DoseResult]
    signatures: list[SignatureResult]
    attestations: list[AttestationResult]
    flags: list[Flag]
    needs_review: bool
    review_reasons: list[str]
    record: Record | None
    pages: PagesResult
