"""Which of a list of names a line recogniser's frames most likely spell (a vaccine's name).

Reading a handwritten name character by character and then looking the string up loses what
the recogniser knew: for 'MMR' written with a loose R it may say 'K' first and 'R' a close
second, and 'MMK' is too short to match anything safely. Here every name of the vocabulary is
scored against the frames (the CTC likelihood of the frames given the name), so the second
choices count. Case, spaces and punctuation do not: 'Hep B', 'HEPB' and 'hep-b' are one name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["NameReading", "likeliest_name"]

_SYMBOLS = "abcdefghijklmnopqrstuvwxyz0123456789"
# What a writer may or may not put between letters: read as nothing, like the blank.
_IGNORED = " -()/.+&"
# A name this many nats less likely than the frames' own best reading is not what is written
# (a note, a scribble): the frames are then better explained by some other string. Measured
# on 417 handwritten vaccine names after the plain reading matched none: 2 nats gave 50 more
# right and 1 wrong; 3 gave 65 more and 6 wrong.
_NOT_WRITTEN = 2.0
# Further below the frames' best reading, a name is still what is written when the strokes fit
# it far better than any name that stands for something else: a pencilled 'Pediarix' read
# letter by letter as 'Padinix' is 6.5 nats below, and 9.7 nats above the next vaccine's name
# (Priorix). It is set apart by this many nats, and the strokes must still not be more than
# _MOST_PER_LETTER below it a letter, or a scribble would take whichever name it resembles
# least badly. Measured on the 94 handwritten vaccine cells of five corpora (committed, seeds
# 1618, 2718, 4242 and 8080) whose plain reading matched no name, each checked against the
# name written there: a name was given to 13 right and 2 wrong; with these, to 66 right and 3
# wrong, the new wrong one a row the check misplaced (read right). At 3 nats a letter, 3
# more right and 2 more wrong: a faint 'Prevnar 20' given 'DT', and an unknown 'Vacuna X'
# read 'VauNX' given Varicella by its short alias 'var' (7.9 nats below, 2.6 a letter).
_SET_APART = 5.0
_MOST_PER_LETTER = 2.5
_IMPOSSIBLE = -1e30


@dataclass(frozen=True, slots=True)
class NameReading:
    """The name chosen (its index in the list given) and its share of the names' likelihood."""

    index: int
    confidence: float


def folded(name: str) -> str:
    """A name as it is scored: lower case letters and digits only."""
    return "".join(ch for ch in name.lower() if ch in _SYMBOLS)


def _folded_frames(probabilities: npt.NDArray[np.float32],
                   characters: Mapping[int, str]) -> npt.NDArray[np.float64]:
    """Log-probabilities per frame of the blank and each symbol, both cases summed."""
    frames = np.zeros((probabilities.shape[0], 1 + len(_SYMBOLS)), dtype=np.float64)
    frames[:, 0] = probabilities[:, 0]
    for index, ch in characters.items():
        if ch in _IGNORED:
            frames[:, 0] += probabilities[:, index]
        elif (symbol := _SYMBOLS.find(ch.lower())) >= 0:
            frames[:, 1 + symbol] += probabilities[:, index]
    return np.log(np.maximum(frames, 1e-30))


def likeliest_name(probabilities: npt.NDArray[np.float32], characters: Mapping[int, str],
                   names: Sequence[str],
                   meanings: Sequence[str] | None = None) -> NameReading | None:
    """The name of `names` the frames most likely spell, or None when none is written.

    Args:
        probabilities: frames x classes, rows summing to 1; class 0 is the CTC blank.
        characters: the class index of each character the recogniser knows.
        names: the candidates (a vocabulary's names and aliases).
        meanings: what each name stands for (a vaccine's groups): a name is set apart only
            from names that stand for something else. Without them each name stands alone.
    """
    frames = _folded_frames(probabilities, characters)
    spelled = [[1 + _SYMBOLS.index(ch) for ch in folded(name)] for name in names]
    scores = _log_likelihoods(frames, spelled)
    best = int(np.argmax(scores))
    # The frames' own likeliest path, a lower bound on their likeliest string.
    below = float(frames.max(axis=1).sum()) - float(scores[best])
    if below > _NOT_WRITTEN and not (
            below <= _MOST_PER_LETTER * len(spelled[best])
            and _lead(scores, best, meanings or range(len(names))) >= _SET_APART):
        return None
    shares = np.exp(scores - scores[best])
    return NameReading(best, float(shares[best] / shares.sum()))


def _lead(scores: npt.NDArray[np.float64], best: int,
          meanings: Sequence[str] | Sequence[int]) -> float:
    """How much likelier the best name is than the likeliest name meaning something else."""
    others = [score for score, meaning in zip(scores, meanings, strict=True)
              if meaning != meanings[best]]
    return float(scores[best]) - max(others) if others else float("inf")


def _log_likelihoods(frames: npt.NDArray[np.float64],
                     spelled: list[list[int]]) -> npt.NDArray[np.float64]:
    """Log P(frames | name) for every name at once (the CTC forward pass, names as a batch)."""
    count = len(spelled)
    # At least one symbol wide: a name of punctuation only ('|') is all blank, and the first
    # frame's step onto a symbol must still have a column to land in.
    longest = max((len(s) for s in spelled), default=0)
    width = 2 * max(longest, 1) + 1
    # Each name with blanks around its symbols: _ M _ M _ R _.
    labels = np.zeros((count, width), dtype=np.intp)
    for row, symbols in enumerate(spelled):
        labels[row, 1 : 2 * len(symbols) : 2] = symbols
    lengths = np.array([2 * len(s) + 1 for s in spelled])
    inside = np.arange(width)[None, :] < lengths[:, None]
    # A jump over a blank is allowed between two different symbols only.
    skip = np.zeros((count, width), dtype=bool)
    skip[:, 2:] = (labels[:, 2:] != 0) & (labels[:, 2:] != labels[:, :-2])
    alpha = np.full((count, width), _IMPOSSIBLE)
    first = frames[0][labels]
    alpha[:, 0] = first[:, 0]
    alpha[:, 1] = np.where(lengths > 1, first[:, 1], _IMPOSSIBLE)
    alpha[~inside] = _IMPOSSIBLE
    for frame in frames[1:]:
        stay = alpha
        step = np.concatenate((np.full((count, 1), _IMPOSSIBLE), alpha[:, :-1]), axis=1)
        jump = np.concatenate((np.full((count, 2), _IMPOSSIBLE), alpha[:, :-2]), axis=1)
        jump = np.where(skip, jump, _IMPOSSIBLE)
        alpha = np.logaddexp(np.logaddexp(stay, step), jump) + frame[labels]
        alpha[~inside] = _IMPOSSIBLE
    rows = np.arange(count)
    last = alpha[rows, lengths - 1]
    before = np.where(lengths > 1, alpha[rows, np.maximum(lengths - 2, 0)], _IMPOSSIBLE)
    scores: npt.NDArray[np.float64] = np.logaddexp(last, before)
    return scores
