"""The extraction pipeline: load, clean, read, classify, parse, finish. Reads like a script."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np

from engine.model import Attestation, Child, Dose, Record, VaccineGroup
from extract.classify import classify_document, printed_words
from extract.cleanup import binarise_rendered, clean_page, turn_half
from extract.draft import Draft, PageText
from extract.errors import ToolMissing
from extract.finish import document_type_flag, finish_child, finish_doses
from extract.grid import find_ruling, remove_ruling
from extract.guard import GuardedEngine
from extract.layout import group_lines, normalise
from extract.load import load_pages
from extract.ocr import LineReader, OcrEngine, OcrRequest, Segmentation
from extract.page import PageImage, PageSource, Word
from extract.parse_cair2 import parse_cair2
from extract.parse_csf49 import parse_csf49, signature_flags
from extract.parse_yellow_card import parse_yellow_card
from extract.result import (
    DocumentType,
    DoseResult,
    ExtractionResult,
    PagesResult,
)
from extract.review import review_reasons
from extract.settings import ExtractSettings
from extract.vocabulary import match_vaccine

__all__ = [
    "extract_document", "ocr_engine_for", "read_page_words", "render_pages", "tesseract_engine",
    "warm_up",
]

_log = logging.getLogger(__name__)

# An upright printed form gives dozens of sure words; an upside-down one next to none.
_ENOUGH_GOOD_WORDS = 12
# Upside down, sure-looking nonsense passes the count above; our printed labels never do.
_ENOUGH_PRINTED_WORDS = 3
_SIX = frozenset(group.value for group in VaccineGroup)
# A "word" this thin and at least three times as long is a ruling line Tesseract read as
# dashes: the smallest print on our forms stands taller (its x-height is about 0.05 inch), and a
# dash written between a date's parts is shorter.
_RULE_TRACE_INCHES = 0.03
# Over this share of the page's letter-sized marks outside every word, the page read skipped
# text. Measured on 125 pages of three corpora: pages read well leave at most 0.24 (a
# handwritten card, whose scrawls Tesseract still boxes as words), the blurred phone photos
# whose table rows sparse mode skipped 0.45 and 0.52.
_UNREAD_INK_SHARE = 0.35
# A letter-sized mark, in inches: at least this tall (not a speck or a dot), at most this tall
# (not a box or a rule), at most this wide (a word whose blurred letters run into one blob).
_MARK_INCHES = (0.04, 0.4, 1.0)
# A word's box covers the marks within this many inches of it (its letters' edges).
_WORD_PAD_INCHES = 0.01

Parser = Callable[[list[PageText], OcrEngine | None, dt.date], Draft]
_PARSERS: dict[DocumentType, Parser] = {
    DocumentType.YELLOW_CARD: parse_yellow_card,
    DocumentType.CSF49: parse_csf49,
    DocumentType.CAIR2_REPORT: parse_cair2,
}


def ocr_engine_for(pages: list[PageImage], settings: ExtractSettings,
            ocr: OcrEngine | None) -> OcrEngine | None:
    """The guarded OCR engine for these pages; None when every page has a text layer.

    An injected engine (tests) is the line reader too when it is one (`LineReader`).
    """
    if all(page.source is PageSource.TEXT_LAYER for page in pages):
        return None
    if ocr is None:
        ocr, lines = tesseract_engine(settings), line_reader_for(settings)
    else:
        lines = ocr if isinstance(ocr, LineReader) else None
    return GuardedEngine(ocr, settings.ocr_timeout_seconds, lines)


def line_reader_for(settings: ExtractSettings) -> LineReader | None:
    """The handwriting line reader the settings ask for; None when off or not installed."""
    if settings.line_reader == "off":
        return None
    from extract._ppocr import paddle_line_reader

    try:
        return paddle_line_reader()
    except ToolMissing as exc:
        # Tesseract alone still reads every document, only handwritten dates less often.
        _log.warning("handwriting is read by Tesseract alone: %s", exc)
        return None


def warm_up(settings: ExtractSettings | None = None) -> None:
    """Load what every extraction reads once per process: the vocabulary and the line reader.

    A long-lived parsing process pays this on its first document; calling it first keeps that
    cost out of the first document's time.
    """
    match_vaccine("DTaP")
    line_reader_for(settings or ExtractSettings())


def tesseract_engine(settings: ExtractSettings) -> OcrEngine:
    """The Tesseract engine the settings ask for (the library, else the command)."""
    # Imported here so text-layer PDFs never need Tesseract installed.
    from extract._tesseract import TesseractEngine, shared_library_engine

    if settings.ocr_engine == "library":
        try:
            return shared_library_engine(settings.ocr_timeout_seconds)
        except ToolMissing:
            # No loadable libtesseract (another build, another platform): the command reads
            # the same words, more slowly; it raises its own ToolMissing if it is absent too.
            pass
    return TesseractEngine(timeout_seconds=settings.ocr_timeout_seconds,
                           memory_mb=settings.ocr_memory_mb)


def _clean(pages: list[PageImage], settings: ExtractSettings,
           ocr: OcrEngine | None) -> list[PageImage]:
    cleaned = []
    for page in pages:
        if page.source is PageSource.TEXT_LAYER:
            cleaned.append(replace(page, binary=binarise_rendered(page.image)))
        else:
            cleaned.append(clean_page(page, settings.work_dpi))
    return cleaned


def render_pages(data: bytes, settings: ExtractSettings | None = None,
                 ocr: OcrEngine | None = None) -> list[PageImage]:
    """The cleaned page images a reviewer sees; every box in a result refers to their pixels.

    Right after `extract_document` of the same bytes (what the service does) these are the
    very pages it read, turned the way it read them, and nothing is loaded or cleaned again.
    """
    settings = settings or ExtractSettings()
    read = _READ_PAGES.take(data, settings)
    if read is not None:
        return read
    pages = load_pages(data, settings)
    return _clean(pages, settings, ocr_engine_for(pages, settings, ocr))


class _LastPages:
    """The cleaned pages of the last document extracted, until `render_pages` takes them.

    One document at most, and none over `_MAX_BYTES`, so memory stays bounded.
    """

    _MAX_BYTES = 256 * 1024 * 1024

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: str | None = None
        self._pages: list[PageImage] = []

    @staticmethod
    def _key_of(data: bytes, settings: ExtractSettings) -> str:
        return hashlib.sha256(data).hexdigest() + settings.model_dump_json()

    def keep(self, data: bytes, settings: ExtractSettings, pages: list[PageImage]) -> None:
        size = sum(p.image.nbytes + (p.binary.nbytes if p.binary is not None else 0)
                   for p in pages)
        with self._lock:
            self._key, self._pages = None, []
            if size <= self._MAX_BYTES:
                self._key, self._pages = self._key_of(data, settings), pages

    def take(self, data: bytes, settings: ExtractSettings) -> list[PageImage] | None:
        with self._lock:
            if self._key is None or self._key != self._key_of(data, settings):
                return None
            pages, self._key, self._pages = self._pages, None, []
            return pages


_READ_PAGES = _LastPages()


def read_page_words(page: PageImage, ocr: OcrEngine | None,
                    read_dpi: float | None = None) -> PageText:
    """The page's words: its text layer, or OCR of the page with ruling lines removed.

    `read_dpi` (ExtractSettings.page_ocr_dpi): the resolution the whole page is read at, when
    lower than the page's; the words' boxes are given back in the page's pixels, and the
    field re-reads always work on the full-resolution page.
    """
    if page.source is PageSource.TEXT_LAYER or ocr is None:
        return PageText(page, page.words)
    upright = _read_ocr(page, ocr, read_dpi)
    if (_good_words(upright.words) >= _ENOUGH_GOOD_WORDS
            and _printed_words(upright.words) >= _ENOUGH_PRINTED_WORDS):
        return upright
    # Few real words: the page may be upside down (clean-up only levels lines of text, and a
    # page turned a quarter is turned the same way whichever quarter it was).
    flipped = _read_ocr(turn_half(page), ocr, read_dpi)
    return flipped if _upright_score(flipped.words) > _upright_score(upright.words) else upright


def _read_ocr(page: PageImage, ocr: OcrEngine, read_dpi: float | None) -> PageText:
    assert page.binary is not None
    ruling = find_ruling(page.binary, page.dpi, page.image if page.photographed else None)
    ocr_image = replace(page, image=remove_ruling(page.image, ruling))
    factor = 1.0 if read_dpi is None else read_dpi / page.dpi
    image = ocr_image.image if factor >= 0.95 else np.asarray(cv2.resize(
        ocr_image.image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA),
        dtype=np.uint8)

    def read(segmentation: Segmentation) -> list[Word]:
        words = ocr.read_words(image, OcrRequest(segmentation))
        return words if image is ocr_image.image else [
            replace(w, box=_scaled(w.box, 1 / factor)) for w in words]

    words = read(Segmentation.SPARSE)
    if _unread_share(words, page) > _UNREAD_INK_SHARE:
        # Sparse text mode skipped lines it found no layout for (a blurred phone photo whose
        # letters run together): read as one block of lines, and keep what the first read lacks.
        words = _with_missed_words(words, read(Segmentation.BLOCK))
    return PageText(page, tuple(_without_rule_traces(words, page.dpi)), ocr_image, ruling)


def _unread_share(words: list[Word], page: PageImage) -> float:
    """The share of the page's letter-sized marks that no word read covers.

    Marks are the binary page's ink blobs as tall as print or handwriting (not specks, not rules
    or boxes). Tesseract puts a word, even a wrong one, over nearly every mark it segmented, so
    marks left outside every word are text it skipped.
    """
    assert page.binary is not None
    count, _, stats, centres = cv2.connectedComponentsWithStats(
        (page.binary == 0).astype(np.uint8), connectivity=8)
    low, high, wide = (inches * page.dpi for inches in _MARK_INCHES)
    marks = [(int(cx), int(cy)) for (_, _, width, height, _), (cx, cy)
             in zip(stats[1:], centres[1:], strict=True)
             if low <= height <= high and width <= wide]
    if not marks:
        return 0.0
    covered = np.zeros(page.binary.shape, dtype=bool)
    pad = round(_WORD_PAD_INCHES * page.dpi)
    for word in words:
        left, top, right, bottom = word.box
        covered[max(0, top - pad):bottom + pad, max(0, left - pad):right + pad] = True
    return sum(1 for x, y in marks if not covered[y, x]) / len(marks)


def _with_missed_words(words: list[Word], block: list[Word]) -> list[Word]:
    """`words` with a second read's words where the first read has none, or only less sure ones.

    A word of the second read stands for the first read's words it overlaps when it is surer
    than each of them: the first read's scraps on a skipped line ('a', 'ee') give way to it.
    """
    def holds(word: Word, other: Word) -> bool:
        return word.box[0] <= other.cx <= word.box[2] and word.box[1] <= other.cy <= word.box[3]

    def overlap(one: Word, other: Word) -> bool:
        return holds(one, other) or holds(other, one)

    # Line numbers are only meaningful within one read: the second read's follow the first's.
    after = max((w.line for w in words), default=-1) + 1
    kept = list(words)
    for word in block:
        under = [w for w in kept if overlap(word, w)]
        if all(w.confidence < word.confidence for w in under):
            kept = [w for w in kept if w not in under]
            kept.append(replace(word, line=word.line + after))
    return kept


def _without_rule_traces(words: list[Word], dpi: float) -> list[Word]:
    """The words less the rule remnants Tesseract read as text ('——_—', '$$').

    Left in, such a trace becomes a table row of its own: a dose with no date.
    """
    thin = _RULE_TRACE_INCHES * dpi
    return [w for w in words
            if w.height > thin or w.box[2] - w.box[0] < 3 * thin
            or any(ch.isalnum() for ch in w.text)]


def _scaled(box: tuple[int, int, int, int], factor: float) -> tuple[int, int, int, int]:
    left, top, right, bottom = box
    return (round(left * factor), round(top * factor), round(right * factor),
            round(bottom * factor))


def _printed_words(words: tuple[Word, ...]) -> int:
    """Words of the labels our documents print, read: an upright page of ours has several."""
    known = printed_words()
    return sum(1 for w in words if normalise(w.text) in known)


def _upright_score(words: tuple[Word, ...]) -> tuple[int, int]:
    return _printed_words(words), _good_words(words)


def _good_words(words: tuple[Word, ...]) -> int:
    """Words OCR is sure of and that look like words: what an upright page has plenty of."""
    return sum(1 for w in words if w.confidence >= 0.8 and sum(c.isalpha() for c in w.text) >= 3)


def extract_document(
    data: bytes,
    *,
    filename: str | None = None,
    settings: ExtractSettings | None = None,
    ocr: OcrEngine | None = None,
) -> ExtractionResult:
    """Read one document's bytes into doses, flags, a confidence for each field and a Record.

    Args:
        data: the file as uploaded; its format is sniffed from its bytes.
        filename: the client's name for the file, used in messages only, never trusted.
        settings: limits and thresholds; read from SHOTCHECK_* variables when omitted.
        ocr: the OCR engine; Tesseract when omitted. Injected by tests.

    Raises:
        BadInput: the file is unsupported, corrupt or over a limit.
        ExternalToolError: OCR failed or timed out for this document.
    """
    del filename  # The format comes from the bytes; the name is not trusted.
    settings = settings or ExtractSettings()
    today = settings.today or dt.date.today()
    loaded = load_pages(data, settings)
    engine = ocr_engine_for(loaded, settings, ocr)
    pages = _clean(loaded, settings, engine)
    texts = [read_page_words(page, engine, settings.page_ocr_dpi) for page in pages]
    _READ_PAGES.keep(data, settings, [text.page for text in texts])
    lines = [line for text in texts[:2] for line in group_lines(text.words)]
    document_type, type_confidence = classify_document(lines)
    if document_type is not DocumentType.UNKNOWN and type_confidence < settings.type_threshold:
        document_type = DocumentType.UNKNOWN
    parser = _PARSERS.get(document_type)
    draft = parser(texts, engine, today) if parser else Draft(DocumentType.UNKNOWN)
    child, child_flags = finish_child(draft, today)
    finished = finish_doses(draft, child.birth_date.value, today)
    flags = document_type_flag(document_type) + child_flags + finished.flags
    flags += signature_flags(draft)
    reasons = review_reasons(
        document_type=document_type, type_confidence=type_confidence, child=child,
        doses=finished.doses, signatures=draft.signatures, attestations=draft.attestations,
        flags=flags, threshold=settings.review_threshold, type_threshold=settings.type_threshold,
        unread=draft.unread,
    )
    return ExtractionResult(
        document_type=document_type,
        type_confidence=type_confidence,
        child=child,
        doses=finished.doses,
        signatures=draft.signatures,
        attestations=draft.attestations,
        flags=flags,
        needs_review=bool(reasons),
        review_reasons=reasons,
        record=_record(child.birth_date.value, child.name.value, finished.doses, draft, today),
        pages=PagesResult(count=len(pages), sizes=[page.size for page in pages]),
    )


def _record(birth: dt.date | None, name: str | None, doses: list[DoseResult],
            draft: Draft, today: dt.date) -> Record | None:
    """The Record for `shotcheck check`; None without a birth date (the one required field)."""
    if birth is None:
        return None
    # Once per product and day, only dates that are possible: a dose before birth or in the
    # future is flagged for the reviewer and kept out until fixed.
    seen: set[tuple[str | None, dt.date]] = set()
    record_doses = []
    for dose in doses:
        day = dose.date.value
        if day is None or not (dose.cvx or dose.vaccine) or day < birth or day > today:
            continue
        if (dose.cvx or dose.vaccine, day) in seen:
            continue
        seen.add((dose.cvx or dose.vaccine, day))
        record_doses.append(Dose(date=day, cvx=dose.cvx, vaccine=dose.vaccine))
    attestations = tuple(
        Attestation(kind=a.kind, signed=a.signed, signer=a.signer, date=a.date,
                    groups=tuple(VaccineGroup(g) for g in a.groups if g in _SIX), until=a.until)
        for a in draft.attestations
    )
    return Record(child=Child(name=name, birth_date=birth), doses=tuple(record_doses),
                  attestations=attestations)
