"""Geometry of words on a page: lines, printed labels, and the text beside or below a label."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from extract.page import Box, Word, union_box

__all__ = ["Line", "find_label", "group_lines", "holds_text", "join_words", "normalise",
           "reads_like", "text_extent", "words_in"]


@dataclass(frozen=True, slots=True)
class Line:
    """Words sharing a baseline, left to right."""

    words: tuple[Word, ...]

    @property
    def box(self) -> Box:
        """Box around the line's words."""
        box = union_box([w.box for w in self.words])
        assert box is not None
        return box

    @property
    def text(self) -> str:
        """The line's text, words joined by single spaces."""
        return " ".join(w.text for w in self.words)


# Cached: label searches normalise the same words of a page again for every label asked.
@functools.lru_cache(maxsize=1 << 14)
def normalise(text: str) -> str:
    """Lower case, letters and digits only, single spaces: for comparing labels."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


# A page holds text (print or writing) when OCR read this many words of three letters or digits
# at this confidence: a blank back or a scanner's empty bed leaves specks, no such words.
_TEXT_WORDS = 3
_TEXT_WORD_CONFIDENCE = 0.5
_TEXT_WORD_CHARACTERS = 3


def holds_text(words: tuple[Word, ...]) -> bool:
    """Whether a page's words are text, not the specks a blank page is read as."""
    read = sum(1 for w in words if w.confidence >= _TEXT_WORD_CONFIDENCE
               and sum(ch.isalnum() for ch in w.text) >= _TEXT_WORD_CHARACTERS)
    return read >= _TEXT_WORDS


# A line whose extent is this many times its shortest word's height may be two rows of text
# joined by a tall word (see _text_rows); a line of words of one size never is.
_BRIDGED_LINE = 2.0
# Words at least this share of a line's tallest word's height are the ones that may bridge it.
_BRIDGE_SHARE = 0.9
# Two rows of text one above the other share at least this part of the narrower one's width,
# and reach at most this part of the shorter one's height into each other.
_STACKED_SHARE = 0.5
_STACKED_OVERLAP = 0.25


def group_lines(words: list[Word] | tuple[Word, ...]) -> list[Line]:
    """Cluster words into lines by vertical overlap, top to bottom.

    A word joins a line when its vertical centre lies within the line's current extent; words
    from a text layer and from OCR are treated alike. A line joined only through its tallest
    words is the rows of text they bridge (_text_rows).
    """
    lines: list[tuple[int, list[Word]]] = []
    for (top, bottom), line in _clustered(words):
        if len(line) > 1 and bottom - top > _BRIDGED_LINE * min(w.height for w in line):
            lines.extend((min(w.box[1] for w in row), row) for row in _text_rows(line))
        else:
            lines.append((top, line))
    # A line's box top is its extent's top: sorted by that, no box is built.
    lines.sort(key=lambda line: line[0])
    return [Line(tuple(sorted(line, key=lambda w: w.box[0]))) for _, line in lines]


def _clustered(words: list[Word] | tuple[Word, ...]) -> list[tuple[tuple[int, int], list[Word]]]:
    """Words clustered by vertical overlap, each cluster with its top and bottom."""
    lines: list[list[Word]] = []
    # Each line's top and bottom so far, kept beside it: every word is tried against the last
    # four lines, and recomputing their extents made this the text-layer path's hottest loop.
    extents: list[tuple[int, int]] = []
    for word in sorted(words, key=lambda w: (w.cy, w.box[0])):
        cy, word_height = word.cy, word.height
        for back in range(1, min(4, len(lines)) + 1):
            top, bottom = extents[-back]
            height = bottom - top
            if top - 0.1 * height <= cy <= bottom + 0.1 * height and abs(
                word_height - height
            ) < 2.5 * max(height, word_height):
                lines[-back].append(word)
                extents[-back] = (min(top, word.box[1]), max(bottom, word.box[3]))
                break
        else:
            lines.append([word])
            extents.append((word.box[1], word.box[3]))
    return list(zip(extents, lines, strict=True))


def text_extent(boxes: list[Box]) -> tuple[int, int]:
    """The top and bottom of the text on one row, given its words' boxes.

    A box stretched by a mark beside it (a header label boxed down into the shaded band under
    it, a stain read as a word two rows tall) is left out: more than twice the row's median
    height. Table rows are cut where one row's text ends and the next's begins, and a cut
    through a row's words lost what the cell re-read of them.
    """
    heights = sorted(box[3] - box[1] for box in boxes)
    # The upper median: beside one word, a speck read as '.' is no measure of the text.
    typical = max(1, heights[len(heights) // 2])
    level = [box for box in boxes if box[3] - box[1] <= 2 * typical]
    return min(box[1] for box in level), max(box[3] for box in level)


def _text_rows(words: list[Word]) -> list[list[Word]]:
    """A line's words as the rows of text they stand on: one, unless its tallest joined two.

    A word box stretched by a mark beside it ('Vaccine' reaching from a report's shaded header
    band down to the first dose row) grows its line's extent over the next row, whose words
    then join it: the header swallowed the row and the dose was lost. Without the line's
    tallest words, the others fall apart into the rows they stand on; each tall word goes to
    the row its centre is nearest to. A line that holds together without them (a hand's tall
    strokes among its other words, a rule's trace read as letters) stays one.
    """
    tallest = max(w.height for w in words)
    bridging = [w for w in words if w.height >= _BRIDGE_SHARE * tallest]
    rows = _clustered([w for w in words if w.height < _BRIDGE_SHARE * tallest])
    if len(rows) < 2 or not _stacked([row for _, row in rows]):
        return [words]
    for word in bridging:
        nearest = min(rows, key=lambda row: max(row[0][0] - word.cy, word.cy - row[0][1], 0))
        nearest[1].append(word)
    return [row for _, row in rows]


def _stacked(rows: list[list[Word]]) -> bool:
    """Whether rows of words stand one above the other, each under the one above it.

    Under each other's width, and at most a quarter of a row's height into the next. A skewed
    photo's long line falls apart too without its tallest words, but into pieces side by side
    (its left end higher than its right); small print beside a stamp's taller letters, into
    pieces level with each other. Either is one line.
    """
    spans = sorted(((min(w.box[0] for w in row), max(w.box[2] for w in row),
                     min(w.box[1] for w in row), max(w.box[3] for w in row)) for row in rows),
                   key=lambda span: span[2])
    for (left, right, top, bottom), (left2, right2, top2, bottom2) in zip(
            spans, spans[1:], strict=False):
        shared = min(right, right2) - max(left, left2)
        if shared < _STACKED_SHARE * min(right - left, right2 - left2):
            return False
        if bottom - top2 > _STACKED_OVERLAP * min(bottom - top, bottom2 - top2):
            return False
    return True


def reads_like(read: str, printed: str, min_ratio: float = 0.8) -> bool:
    """Whether text read (normalised) is printed text with slips ('vaceine' for 'vaccine').

    find_label's measure, for one cell or word ('oate' is 'date').
    """
    return difflib.SequenceMatcher(None, read, printed).ratio() >= min_ratio


def find_label(
    lines: list[Line], phrase: str, *, min_ratio: float = 0.8, region: Box | None = None
) -> tuple[Box, int, int] | None:
    """Find a printed label (one or more words) tolerating OCR slips.

    Returns:
        The label's box, the index of its line, and the index of the word after it; or None.
    """
    target = normalise(phrase)
    size = len(target.split())
    # One matcher for the phrase: it indexes the phrase once, not once per candidate; each
    # candidate's cheap upper bounds on the ratio rule most of them out before the full match.
    matcher = difflib.SequenceMatcher(None)
    matcher.set_seq2(target)
    best: tuple[float, Box, int, int] | None = None
    for line_index, line in enumerate(lines):
        if region is not None and not _overlaps_rows(line, region):
            continue  # no chunk of the line can have its centre in the region
        # normalise() of words joined by spaces is their normalised forms joined, empty ones left.
        normals = [normalise(w.text) for w in line.words]
        for start in range(len(line.words)):
            for count in (size, size + 1, size - 1):
                if count < 1 or start + count > len(line.words):
                    continue
                if not normals[start] or not normals[start + count - 1]:
                    # A dash or bar beside the label adds nothing to compare, only to the box.
                    continue
                matcher.set_seq1(" ".join(n for n in normals[start : start + count] if n))
                floor = min_ratio if best is None else max(min_ratio, best[0])
                if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                    continue
                box = union_box([w.box for w in line.words[start : start + count]])
                assert box is not None
                if region is not None and not _inside(box, region):
                    continue
                ratio = matcher.ratio()
                if ratio >= min_ratio and (best is None or ratio > best[0]):
                    best = (ratio, box, line_index, start + count)
    return None if best is None else best[1:]


def _overlaps_rows(line: Line, region: Box) -> bool:
    # A chunk's box lies within the line's, so its centre row does too.
    _, top, _, bottom = line.box
    return bottom >= region[1] and top <= region[3]


def _inside(box: Box, region: Box) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] <= cx <= region[2] and region[1] <= cy <= region[3]


def words_in(words: list[Word] | tuple[Word, ...], region: Box) -> list[Word]:
    """Words whose centre lies in `region`, in reading order."""
    inside = [w for w in words if region[0] <= w.cx <= region[2] and region[1] <= w.cy <= region[3]]
    return [w for line in group_lines(inside) for w in line.words]


def join_words(words: list[Word]) -> tuple[str, float, Box | None]:
    """Text, mean confidence and box of a run of words; ('', 0, None) for none."""
    if not words:
        return "", 0.0, None
    text = " ".join(w.text for w in words)
    confidence = sum(w.confidence for w in words) / len(words)
    return text, confidence, union_box([w.box for w in words])
