"""Geometry of words on a page: lines, printed labels, and the text beside or below a label."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from extract.page import Box, Word, union_box

__all__ = ["Line", "find_label", "group_lines", "join_words", "normalise", "words_in"]


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


def group_lines(words: list[Word] | tuple[Word, ...]) -> list[Line]:
    """Cluster words into lines by vertical overlap, top to bottom.

    A word joins a line when its vertical centre lies within the line's current extent; words
    from a text layer and from OCR are treated alike.
    """
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
    # A line's box top is its extent's top: sorted by that, no box is built.
    return [Line(tuple(sorted(lines[i], key=lambda w: w.box[0])))
            for i in sorted(range(len(lines)), key=lambda i: extents[i][0])]


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
