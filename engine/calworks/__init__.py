"""CalWORKs verdicts: is a child's record age-appropriate on a date, and if not, what is missing."""

from engine.calworks.assess import assess
from engine.calworks.partial import Evaluator
from engine.calworks.verdict import (
    ChildStatus,
    DecidedBy,
    GroupStatus,
    GroupVerdict,
    OverdueDose,
    Verdict,
)

__all__ = [
    "ChildStatus",
    "DecidedBy",
    "Evaluator",
    "GroupStatus",
    "GroupVerdict",
    "OverdueDose",
    "Verdict",
    "assess",
]
