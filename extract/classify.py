"""Classify a document from its printed labels: yellow card, CSF 49, CAIR2 report or unknown."""

from __future__ import annotations

from extract.layout import Line, normalise, reads_like
from extract.result import DocumentType

__all__ = ["classify_document", "printed_words"]

# Printed cues of each document and their weight; titles weigh most. Cues are matched on
# normalised text so OCR punctuation slips do not matter.
_CUES: dict[DocumentType, tuple[tuple[str, float], ...]] = {
    DocumentType.YELLOW_CARD: (
        ("immunization record", 3.0),
        ("comprobante de inmunizacion", 2.0),
        ("california immunization record", 1.0),
        ("date given", 2.0),
        ("doctor office or clinic", 2.0),
        ("next dose due", 2.0),
        ("vaccine reactions", 1.0),
        ("allergies", 0.5),
        # The Spanish column headers of bilingual cards.
        ("medico o clinica", 1.0),
        ("proxima dosis", 1.0),
    ),
    DocumentType.CSF49: (
        ("request for verification of immunization", 3.0),
        ("csf 49", 3.0),
        ("part a", 1.0),
        ("part b", 1.0),
        ("case number", 1.5),
        ("case name", 1.0),
        ("age appropriate immunizations", 1.5),
        ("in the process of receiving", 1.5),
        ("medical reasons", 1.5),
        ("date signed", 1.0),
        ("verification due", 1.0),
    ),
    DocumentType.CAIR2_REPORT: (
        ("immunization history report", 3.0),
        ("cair", 2.0),
        ("registry id", 2.0),
        ("vaccine group", 2.0),
        ("date administered", 2.0),
        ("trade name", 1.5),
        ("series", 0.5),
        ("print date", 1.0),
        ("reaction", 0.5),
    ),
}


# Each type's printed title. Read as a line of its own, it names the type however little else
# was read (a blurred strip card's small print), though not surely.
_TITLES: dict[DocumentType, tuple[str, ...]] = {
    DocumentType.YELLOW_CARD: ("immunization record", "california immunization record"),
    DocumentType.CSF49: ("request for verification of immunization",),
    DocumentType.CAIR2_REPORT: ("immunization history report",),
}
# A cue of one word shorter than this is found only as printed, not with a letter wrong.
_LEAST_FUZZY_CUE = 5
# Under this share of its cues' weight found, a type is not considered.
_LEAST_SCORE = 0.2


def printed_words() -> frozenset[str]:
    """The words of every cue (four letters or more): what an upright page of ours prints.

    Upside down, Tesseract reads a page as sure-looking nonsense, never as these words.
    """
    return _PRINTED_WORDS


_PRINTED_WORDS = frozenset(word for cues in _CUES.values() for cue, _ in cues
                           for word in cue.split() if len(word) >= 4)


class _PageWords:
    """A page's normalised words, by line and in one run, indexed for the cue searches.

    A cue's first word is looked up among the page's words of about its length instead of
    being compared with each word in turn: a CAIR2 page has some six hundred words, and every
    cue of every type is looked for.
    """

    def __init__(self, lines: list[Line]) -> None:
        self.lines = [normalise(line.text).split() for line in lines]
        self.words = [word for line in self.lines for word in line]
        self.flat = " ".join(self.words)
        # Where each word stands: its line, its place in the line and its index in `words`.
        self.places: dict[str, list[tuple[int, int, int]]] = {}
        index = 0
        for line_index, line in enumerate(self.lines):
            for position, word in enumerate(line):
                self.places.setdefault(word, []).append((line_index, position, index))
                index += 1
        self._by_length: dict[int, list[str]] = {}
        for word in self.places:
            self._by_length.setdefault(len(word), []).append(word)
        self._close: dict[str, list[str]] = {}

    def close_to(self, expected: str) -> list[str]:
        """The page's distinct words `_close` to `expected`."""
        if expected not in self._close:
            self._close[expected] = [
                word for length in (len(expected) - 1, len(expected), len(expected) + 1)
                for word in self._by_length.get(length, ()) if _close(expected, word)]
        return self._close[expected]


def _fuzzy_in(cue: str, page: _PageWords) -> bool:
    """Whether `cue` occurs in the page, allowing one wrong character in each word of the cue."""
    if cue in page.flat:
        return True
    first, *rest = cue.split()
    if not rest and len(first) < _LEAST_FUZZY_CUE:
        # One short word with a letter wrong is any junk a blurred page read makes: 'mair' on
        # a strip card's photo stood for CAIR2's 'cair', and the card's title alone, read
        # clearly, fell under the type threshold.
        return False
    words = page.words
    for seen in page.close_to(first):
        for _, _, start in page.places[seen]:
            if start + len(rest) < len(words) and all(_close(a, b) for a, b in zip(
                    rest, words[start + 1 : start + 1 + len(rest)], strict=True)):
                return True
    return False


def _words_on_a_line(cue: str, page: _PageWords) -> bool:
    """Whether every word of a several-word cue is on one line, in order, with others between.

    Two-line bilingual headers ("DATE GIVEN" over "FECHA") come out of OCR as one line with the
    words of both interleaved: "date fecha given".
    """
    wanted = cue.split()
    if len(wanted) < 2:
        return False
    # At most one foreign word between two of the cue's.
    reach = 2 * len(wanted) - 1
    for seen in page.close_to(wanted[0]):
        for line_index, start, _ in page.places[seen]:
            position = 1
            for word in page.lines[line_index][start + 1 : start + reach]:
                if position < len(wanted) and _close(wanted[position], word):
                    position += 1
            if position == len(wanted):
                return True
    return False


def _is_line(title: str, page: _PageWords) -> bool:
    """Whether a line holds the title's words and no others, each read with a slip or two.

    A phone photo's blurred title comes out 'CALIFORMA BAMUNIZATION RECORD': two slips in
    a long word. Word by word, a registry's 'California Immunization Registry' stays apart
    from the card's title, as a ratio over the whole line would not keep it.
    """
    wanted = title.split()
    return any(len(words) == len(wanted) and all(
        _close(a, b) or reads_like(b, a, _TITLE_WORD) for a, b in zip(wanted, words, strict=True))
        for words in page.lines)


# How closely each word of a title read as a line of its own must match (difflib ratio):
# 'califorma' is 0.84 of 'california', 'registry' 0.43 of 'record'.
_TITLE_WORD = 0.8


def _close(expected: str, seen: str) -> bool:
    if expected == seen:
        return True
    if len(expected) < 4 or abs(len(expected) - len(seen)) > 1:
        return False
    return sum(a != b for a, b in zip(expected, seen, strict=False)) + abs(
        len(expected) - len(seen)
    ) <= 1


def classify_document(lines: list[Line]) -> tuple[DocumentType, float]:
    """The document type and a confidence in 0..1, from the cues found on the first page.

    The confidence combines how much of the type's cues were found with the margin over the
    runner-up; a page with no strong cue is `unknown`.
    """
    page = _PageWords(lines)
    scores: dict[DocumentType, float] = {}
    for kind, cues in _CUES.items():
        total = sum(weight for _, weight in cues)
        found = sum(weight for cue, weight in cues
                    if _fuzzy_in(cue, page) or _words_on_a_line(cue, page))
        scores[kind] = found / total
        if any(_is_line(title, page) for title in _TITLES[kind]):
            scores[kind] = max(scores[kind], _LEAST_SCORE)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, best_score), (_, second_score) = ranked[0], ranked[1]
    if best_score < _LEAST_SCORE:
        return DocumentType.UNKNOWN, round(1.0 - best_score, 3)
    margin = best_score - second_score
    confidence = min(1.0, 0.5 * min(1.0, best_score / 0.5) + 0.5 * min(1.0, margin / 0.3))
    return best, round(confidence, 3)
