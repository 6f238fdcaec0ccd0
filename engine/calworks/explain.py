"""Plain sentences a worker can paste into a case note."""

from __future__ import annotations

import datetime as dt

from engine.calworks.chart import ChartOutcome, ChartRow
from engine.calworks.partial import Scenario
from engine.calworks.verdict import BOOSTER, ChildStatus, GroupStatus
from engine.cdsi.result import CdsiResult, EvaluationStatus
from engine.model import DatePrecision, Record, VaccineGroup

__all__ = [
    "child_headline",
    "doses_after_sentence",
    "invalid_dose_sentences",
    "group_sentence",
    "partial_sentences",
    "plural_doses",
    "status_words",
]

_STATUS_WORDS = {
    ChildStatus.UP_TO_DATE: "up to date",
    ChildStatus.IN_PROCESS: "in process",
    ChildStatus.NOT_UP_TO_DATE: "not up to date",
    ChildStatus.EXEMPT: "exempt",
    ChildStatus.NOT_REQUIRED: "not required to show immunizations",
}


def status_words(status: ChildStatus) -> str:
    """The child's status in words."""
    return _STATUS_WORDS[status]


def plural_doses(count: int) -> str:
    """"no valid dose", "1 valid dose", "3 valid doses"."""
    if count == 0:
        return "no valid dose"
    return f"{count} valid dose{'' if count == 1 else 's'}"


def child_headline(status: ChildStatus, as_of: dt.date, pack: str) -> str:
    """The first sentence: the child's status on the date under the pack."""
    return f"On {as_of.isoformat()} the child is {status_words(status)} ({pack} rules)."


def _row_name(group: VaccineGroup, row: ChartRow) -> str:
    if row.dose == BOOSTER:
        return f"{group} booster (a dose given at age {row.min_age} or older)"
    return f"{group} dose {row.dose}"


def _age(row: ChartRow) -> str:
    return f"(age {row.age})"


def group_sentence(
    group: VaccineGroup, outcome: ChartOutcome, as_of: dt.date, age_limit: str
) -> str:
    """The sentence on a group judged by its doses: complete, in process or overdue.

    Args:
        group: the vaccine group.
        outcome: the group judged on its doses.
        as_of: the date the verdict speaks for.
        age_limit: the age the requirement ends at, as the pack writes it ("6 years").
    """
    valid = plural_doses(len(outcome.valid))
    required = len(outcome.required)
    on = as_of.isoformat()
    if outcome.status is GroupStatus.COMPLETE:
        if outcome.completed_by is not None:
            return (
                f"{group} is complete: the valid dose of {outcome.completed_by.isoformat()}, "
                f"given at age {outcome.completion_age} or older, completes {group}; "
                f"{valid} on file."
            )
        if required:
            head = f"{group} is complete: {valid} on file, {required} required by {on}"
        elif outcome.valid:
            head = f"{group} is complete: {valid} on file, before any dose is required"
        else:
            head = f"{group} is complete: no dose is required by {on}"
        row = outcome.next_row
        if row is None:
            return f"{head}; no further dose is required under {age_limit}."
        return f"{head}; {_row_name(group, row)} is due by {row.due_by.isoformat()} {_age(row)}."
    if outcome.status is GroupStatus.IN_PROCESS:
        last = outcome.valid[-1]
        deadline = outcome.catch_up_deadline or last
        return (
            f"{group} is in process: {valid} on file, {required} required by {on}; "
            f"dose {len(outcome.valid) + 1} is due by {deadline.isoformat()} (catch-up spacing: "
            f"{outcome.catch_up_span} after dose {len(outcome.valid)} on {last.isoformat()})."
        )
    first, *rest = outcome.overdue
    parts = [f"{_row_name(group, first)} was due by {first.due_by.isoformat()} {_age(first)}"]
    parts += [
        f"{'the booster' if r.dose == BOOSTER else f'dose {r.dose}'} by "
        f"{r.due_by.isoformat()} {_age(r)}"
        for r in rest
    ]
    sentence = f"{', '.join(parts[:-1])} and {parts[-1]}" if len(parts) > 1 else parts[0]
    sentence += f"; {valid} on file"
    if any(r.dose == BOOSTER for r in outcome.overdue) and outcome.valid:
        sentence += f", none given at age {first.min_age or outcome.completion_age} or older"
    # The catch-up window is worth a mention only when it ran past the date the dose was due.
    window = outcome.catch_up_deadline
    if window is not None and outcome.valid and window > first.due_by:
        sentence += (
            f"; catch-up spacing allowed dose {len(outcome.valid) + 1} until "
            f"{window.isoformat()} ({outcome.catch_up_span} after dose "
            f"{len(outcome.valid)} on {outcome.valid[-1].isoformat()})"
        )
    return sentence + "."


def _month(date: dt.date) -> str:
    return date.strftime("%Y-%m")


def partial_sentences(
    record: Record, readings: list[Scenario], outcomes: dict[VaccineGroup, list[ChartOutcome]]
) -> list[str]:
    """Sentences on each month-only dose: whether it counts, and outcomes that hang on the day."""
    if not readings or not readings[0].placed:
        return []
    sentences = []
    uncounted: set[VaccineGroup] = set()
    given = readings[0]
    for index, first in sorted(given.placed.items()):
        month = _month(first)
        if given.unchecked:
            sentences.append(
                f"The dose dated {month} (month and year only) counts only if it is valid on "
                "every day of that month; no CDSi evaluator was available to check the last "
                "day, so it is not counted."
            )
            continue
        for group in VaccineGroup:
            valid_on = {r.placed[index]: r.is_valid(index, group) for r in readings}
            if not any(valid_on.values()):
                continue
            ends = f"{min(valid_on).isoformat()} and {max(valid_on).isoformat()}"
            if all(valid_on.values()):
                verdict = f"it is valid on both {ends}, so it counts"
            else:
                bad = ", ".join(d.isoformat() for d, ok in sorted(valid_on.items()) if not ok)
                verdict = f"it is not valid if given on {bad}, so it does not count"
                uncounted.add(group)
            sentences.append(
                f"The {group} dose dated {month} (month and year only) counts only if it is "
                f"valid on every day of that month: {verdict}."
            )
    for group, seen in outcomes.items():
        statuses = {o.status for o in seen}
        # A dose that does not count already says why the outcome changes with the day.
        if len(statuses) > 1 and group not in uncounted:
            worst = min(seen, key=lambda o: o.severity)
            sentences.append(
                f"{group}: the outcome depends on the day of a month-only dose "
                f"({', '.join(sorted(s.value for s in statuses))}); the outcome that holds on "
                f"every day of the month is used: {worst.status.value}."
            )
    return sentences


def doses_after_sentence(count: int, as_of: dt.date) -> str | None:
    """A sentence about valid doses dated after the as-of date, which do not count on it."""
    if count == 0:
        return None
    which = "dose is" if count == 1 else "doses are"
    return f"{count} {which} dated after {as_of.isoformat()} and not counted on that date."


# Extraneous doses (a series already complete, a child too old for it) cost the child nothing.
_NOT_COUNTED = (EvaluationStatus.NOT_VALID, EvaluationStatus.SUB_STANDARD)


def invalid_dose_sentences(record: Record, cdsi: CdsiResult, as_of: dt.date) -> list[str]:
    """A sentence for each dose on file that CDSi does not count, with CDSi's reason.

    Month-only doses are left to `partial_sentences`, and doses after `as_of` to
    `doses_after_sentence`.
    """
    sentences = []
    for result in sorted(cdsi.doses, key=lambda r: r.index):
        if not 0 <= result.index < len(record.doses):
            continue
        dose = record.doses[result.index]
        if dose.date_precision is DatePrecision.MONTH or dose.date > as_of:
            continue
        for group, evaluation in result.evaluations.items():
            if evaluation.status in _NOT_COUNTED:
                why = f" (CDSi: {evaluation.reason})" if evaluation.reason else ""
                sentences.append(
                    f"The {group} dose of {dose.date.isoformat()} does not count{why}."
                )
    return sentences
