"""A vaccine group against the chart: which required doses have fallen due, which are on file."""

from __future__ import annotations

import datetime as dt
import functools

from engine.calworks.verdict import BOOSTER, DoseLabel, GroupStatus, OverdueDose
from engine.dates import DATE_CACHE_SIZE, Offset, add_offset, parse_offset
from engine.rules import DoseRule, GroupRules

__all__ = ["ChartOutcome", "ChartRow", "assess_chart", "chart_rows"]

_WORST_FIRST = (GroupStatus.OVERDUE, GroupStatus.IN_PROCESS, GroupStatus.COMPLETE)


class ChartRow:
    """A required row of the chart for one child: its due-by date and who may fill it.

    Immutable by convention. A plain class rather than a frozen dataclass, as the CDSi state
    classes are (engine/cdsi/state.py): compiled, its __init__ is native code; rows and outcomes
    are made for every group of every record checked.
    """

    __slots__ = ("dose", "due_by", "age", "given_at_or_after", "min_age")

    def __init__(self, dose: DoseLabel, due_by: dt.date, age: str,
                 given_at_or_after: dt.date | None = None, min_age: str | None = None):
        self.dose = dose
        self.due_by = due_by
        self.age = age
        self.given_at_or_after = given_at_or_after
        self.min_age = min_age

    def __repr__(self) -> str:
        return f"ChartRow({self.dose!r}, due by {self.due_by})"


class ChartOutcome:
    """A group judged on its doses alone (before immunity and exemptions are considered).

    Immutable by convention; a plain class for the reason ChartRow gives.
    """

    __slots__ = ("status", "valid", "required", "next_due", "next_row", "overdue",
                 "completed_by", "completion_age", "catch_up_span", "catch_up_deadline")

    def __init__(
        self,
        *,
        status: GroupStatus,
        valid: tuple[dt.date, ...],
        required: tuple[ChartRow, ...],
        next_due: dt.date | None,
        next_row: ChartRow | None = None,
        overdue: tuple[ChartRow, ...] = (),
        completed_by: dt.date | None = None,
        completion_age: str | None = None,
        catch_up_span: str | None = None,
        catch_up_deadline: dt.date | None = None,
    ):
        self.status = status
        self.valid = valid
        self.required = required
        self.next_due = next_due
        self.next_row = next_row
        self.overdue = overdue
        self.completed_by = completed_by
        self.completion_age = completion_age
        self.catch_up_span = catch_up_span
        self.catch_up_deadline = catch_up_deadline

    def __repr__(self) -> str:
        return f"ChartOutcome({self.status}, valid={self.valid}, next_due={self.next_due})"

    @property
    def overdue_doses(self) -> tuple[OverdueDose, ...]:
        """The contract's view of the missing doses."""
        return tuple(OverdueDose(dose=row.dose, due_by=row.due_by) for row in self.overdue)

    @property
    def severity(self) -> tuple[int, int, dt.date]:
        """Sorts outcomes worst first: by status, then fewer valid doses, then earlier deadline."""
        return (_WORST_FIRST.index(self.status), len(self.valid), self.next_due or dt.date.max)


# A required row as the pack states it: its label, due-by age (as text and as an offset) and
# the minimum age of the dose that may fill it (as text and as an offset).
_Template = tuple[DoseLabel, Offset, str, Offset | None, str | None]


def _template(dose: DoseLabel, rule: DoseRule) -> _Template:
    given = rule.given_at_or_after
    return (dose, rule.due_by_offset, rule.due_by or "",
            parse_offset(given) if given else None, given)


def chart_rows(rules: GroupRules, birth: dt.date) -> tuple[ChartRow, ...]:
    """The group's required rows for a child born on `birth`, in chart order (booster last).

    Args:
        rules: the group's rules from the pack.
        birth: the child's birth date; due-by dates are ages added to it the CDSi way.
    """
    return _chart_rows(_Same(rules), birth)


class _Same:
    """A pack's group rules as a cache key, by identity.

    Pydantic models holding dicts do not hash; the key holds the rules, so their id cannot be
    reused by another object while the key lives.
    """

    __slots__ = ("rules",)

    def __init__(self, rules: GroupRules) -> None:
        self.rules = rules

    def __hash__(self) -> int:
        return id(self.rules)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.rules is self.rules


# Rows are a pure function of the rules and the birth date, asked for by every group of every
# reading of a record (and by each CSF 49); the frozen rows are shared.
@functools.lru_cache(maxsize=DATE_CACHE_SIZE)
def _chart_rows(key: _Same, birth: dt.date) -> tuple[ChartRow, ...]:
    return tuple(
        ChartRow(
            dose=dose,
            due_by=add_offset(birth, due_by),
            age=age,
            given_at_or_after=add_offset(birth, given) if given is not None else None,
            min_age=min_age,
        )
        for dose, due_by, age, given, min_age in _templates(key)
    )


# The pack's rows read once per pack: the rules are pydantic models, slow to read field by
# field for every child.
@functools.cache
def _templates(key: _Same) -> tuple[_Template, ...]:
    rules = key.rules
    rows = [_template(n, rule) for n, rule in sorted(rules.doses.items()) if rule.required]
    if rules.booster is not None and rules.booster.required:
        rows.append(_template(BOOSTER, rules.booster))
    return tuple(rows)


def _fill(rows: tuple[ChartRow, ...], valid: tuple[dt.date, ...]) -> set[DoseLabel]:
    # Rows that need a dose given at a minimum age take the latest such dose first, so that the
    # early doses remain for the numbered rows; numbered rows then take doses in date order.
    unused = list(valid)
    filled: set[DoseLabel] = set()
    for row in rows:
        if row.given_at_or_after is None:
            continue
        fits = [d for d in unused if d >= row.given_at_or_after]
        if fits:
            unused.remove(fits[-1])
            filled.add(row.dose)
    for row in rows:
        if row.given_at_or_after is None and unused:
            unused.pop(0)
            filled.add(row.dose)
    return filled


def assess_chart(
    rules: GroupRules, birth: dt.date, as_of: dt.date, valid: tuple[dt.date, ...]
) -> ChartOutcome:
    """Judge one group on its valid doses (calworks-rules.md §2-§4, steps 3-5).

    Args:
        rules: the group's rules from the pack.
        birth: the child's birth date.
        as_of: the date D the verdict speaks for.
        valid: the dates of the group's valid doses on or before D, in date order.

    Returns:
        complete when every required dose due by D is on file (or one dose at the completion
        age is, for Hib); in process when not, but the next dose is not yet late under the
        catch-up spacing from the last valid dose; overdue otherwise.
    """
    rows = chart_rows(rules, birth)
    fallen_due = tuple(row for row in rows if as_of > row.due_by)
    completion = rules.completed_by_one_dose
    completed_by: dt.date | None = None
    if completion is not None:
        threshold = add_offset(birth, parse_offset(completion.dose_given_at_or_after))
        completed_by = next((d for d in valid if d >= threshold), None)
    filled = {row.dose for row in rows} if completed_by else _fill(rows, valid)
    unfilled = tuple(row for row in rows if row.dose not in filled)
    # Fallen due, read from the date: `row in fallen_due` would compare rows field by field.
    missing = tuple(row for row in unfilled if as_of > row.due_by)
    completion_age = completion.dose_given_at_or_after if completion else None
    if not missing:
        return ChartOutcome(
            status=GroupStatus.COMPLETE,
            valid=valid,
            required=fallen_due,
            next_due=unfilled[0].due_by if unfilled else None,
            next_row=unfilled[0] if unfilled else None,
            completed_by=completed_by,
            completion_age=completion_age,
        )
    spacing = rules.catch_up.get(len(valid)) if valid else None
    span = deadline = None
    if spacing is not None:
        span = spacing.within
        deadline = add_offset(valid[-1], parse_offset(span))
        if as_of <= deadline:
            return ChartOutcome(
                status=GroupStatus.IN_PROCESS,
                valid=valid,
                required=fallen_due,
                next_due=deadline,
                next_row=missing[0],
                completed_by=completed_by,
                completion_age=completion_age,
                catch_up_span=span,
                catch_up_deadline=deadline,
            )
    return ChartOutcome(
        status=GroupStatus.OVERDUE,
        valid=valid,
        required=fallen_due,
        next_due=missing[0].due_by,
        next_row=missing[0],
        overdue=missing,
        completed_by=completed_by,
        completion_age=completion_age,
        catch_up_span=span,
        catch_up_deadline=deadline,
    )
