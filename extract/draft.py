"""What a document parser hands on: fields as read, before normalising, flags and confidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.grid import Ruling
from extract.page import Box, PageImage, Word
from extract.result import AttestationResult, DocumentType, SignatureResult

__all__ = ["Draft", "DraftDose", "PageText", "TextField"]


@dataclass(frozen=True, slots=True)
class TextField:
    """Text read from one place on a page, with the reader's confidence.

    `readings` are independent re-reads of the same place (the cell OCR'd on its own, with
    a whitelist), used to measure agreement; empty when there were none. `choices` are the
    line recogniser's readings of a date, likeliest first, each with its share, for a later
    choice by what the rest of the document holds (extract.visits).
    """

    text: str = ""
    confidence: float = 0.0
    page: int | None = None
    box: Box | None = None
    readings: tuple[str, ...] = ()
    choices: tuple[tuple[str, float], ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing was written (or read) here."""
        return not self.text.strip()


@dataclass(frozen=True, slots=True)
class DraftDose:
    """One dose row as written. `label` is the printed row label (e.g. "Polio (IPV/OPV)")."""

    vaccine: TextField
    date: TextField
    provider: TextField = TextField()
    dose_number: TextField = TextField()
    label: str | None = None
    # Where no printed label was read above the row, `label` is a name written in an earlier
    # row (a card's block named by what was written in it): that dose's position. It names a
    # blank vaccine cell, or stands in for writing that did not read.
    named_by: int | None = None


@dataclass(frozen=True, slots=True)
class PageText:
    """A cleaned page with its words (from the text layer or OCR) in page pixels."""

    page: PageImage
    words: tuple[Word, ...]
    ocr_image: PageImage | None = None
    ruling: Ruling | None = None


@dataclass(slots=True)
class Draft:
    """A parser's reading of a document."""

    document_type: DocumentType
    child_name: TextField = TextField()
    birth_date: TextField = TextField()
    doses: list[DraftDose] = field(default_factory=list)
    signatures: list[SignatureResult] = field(default_factory=list)
    attestations: list[AttestationResult] = field(default_factory=list)
    # Which flags apply to this kind of document.
    requires_provider: bool = False
    requires_signature: bool = False
    signature_date: TextField | None = None
    # What the parser saw but could not read, each a reason for a reviewer to look.
    unread: list[str] = field(default_factory=list)
    # The document lists the doses of one printed group in date order (a registry printout):
    # a date out of that order is a misread one, or its neighbour is.
    dated_in_order: bool = False
    # The document prints every date in one format (a registry printout): a date with another
    # count of digits in a part ('11/1/2022' among '04/03/2023') has lost or gained a digit.
    dates_written_alike: bool = False

    def take_unlabelled_birth_date(self, date: TextField, how: str) -> None:
        """Take a birth date found without its label read, and say so to a reviewer.

        `how`: how the date was found instead. A cap on its confidence is not enough: the
        doses may choose another reading of it, surer than the cap (extract.finish).
        """
        self.birth_date = date
        self.unread.append(f"the birth date's label was not read: {how}")
