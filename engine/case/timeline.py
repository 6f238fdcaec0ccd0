"""The case timeline: the verification due date, the penalty, and the follow-ups to set."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from engine.case.model import Case, CaseChild, Member
from engine.dates import add_offset, parse_offset
from engine.rules import DEFAULT_PACK, CaseEvent, MediCal, Pack, Role, load_pack
from engine.rules.schema import DueDateRule

__all__ = ["Penalty", "Reminder", "Timeline", "penalized_members", "plan_case"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Penalty(_Frozen):
    """The immunization penalty: whether it applies, from when, until when, and on whom.

    Attributes:
        applies: whether, on the case as recorded, the grant is reduced for at least one
            month. The case has no "today": no verification recorded by the due date means the
            penalty applies, its start waiting for the notice of action's date.
        effective_from: the first day of the reduced grant (none until the NOA is sent).
        ends_after: the last month of the penalty, YYYY-MM (none while nothing ends it).
        restored_from: the first day of the restored grant.
        penalized: the ids of the members whose needs are taken out of the grant.
    """

    applies: bool
    effective_from: dt.date | None = None
    ends_after: str | None = None
    restored_from: dt.date | None = None
    penalized: tuple[str, ...] = ()


class Reminder(_Frozen):
    """A dated follow-up for the worker."""

    date: dt.date
    action: str


class Timeline(_Frozen):
    """What the case rules say for one case."""

    rules: str
    due_date: dt.date | None
    penalty: Penalty
    reminders: tuple[Reminder, ...]
    explanation: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The `shotcheck case --json` output."""
        return self.model_dump(mode="json")


_DATE_WORDS = {
    "application_date": "application date",
    "medi_cal_approval_date": "Medi-Cal approval date",
    "interview_date": "face-to-face interview date",
}


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _first_of_next_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1]) + dt.timedelta(days=1)


def _first_month_starting_on_or_after(day: dt.date) -> dt.date:
    return day if day == _first_of_month(day) else _first_of_next_month(day)


def _due_rule(pack: Pack, case: Case) -> DueDateRule:
    rules = pack.case.due_date[case.event]
    return rules.existing if case.medi_cal is MediCal.EXISTING else rules.applying


def _checked_on(case: Case) -> dt.date | None:
    if case.event is CaseEvent.REDETERMINATION:
        return case.interview_date
    return case.application_date


def penalized_members(pack: Pack, members: tuple[Member, ...]) -> tuple[str, ...]:
    """Who is penalized, trying the pack's situations in order (calworks-rules.md §5).

    A minor-parent case penalizes the senior parent(s); otherwise the parent(s) in the
    assistance unit; with no parent in it, the needy caretaker relative (a stepparent included).
    """
    rules = pack.case.penalty
    aided = [m for m in members if m.in_au]
    if any(m.role is Role.MINOR_PARENT for m in aided):
        return tuple(m.id for m in aided if m.role in rules.minor_parent_case.roles)
    parents = [m for m in aided if m.role in rules.parents_in_au.roles]
    if parents:
        return tuple(m.id for m in parents)
    absent = rules.parent_absent
    return tuple(
        m.id
        for m in aided
        if m.role in absent.roles and (m.is_needy_caretaker or not absent.needy_caretaker_only)
    )


def _sixth_birthday(pack: Pack, child: CaseChild) -> dt.date:
    return add_offset(child.birth_date, parse_offset(pack.requirement_ends_at.age))


def plan_case(case: Case, pack_name: str = DEFAULT_PACK) -> Timeline:
    """Work out a case's verification due date, penalty and reminders.

    Args:
        case: the case, with the dates known so far.
        pack_name: the rule pack whose day counts apply.

    Returns:
        The timeline; the due date is none while the date it is counted from (Medi-Cal
        approval, the RD interview) is not in the case yet.
    """
    pack = load_pack(pack_name)
    notes: list[str] = []
    reminders: list[Reminder] = []
    checked_on = _checked_on(case)
    age_limit = pack.requirement_ends_at.age
    missing = [
        c
        for c in case.children
        if not (c.verified or c.exempt)
        and (checked_on is None or checked_on < _sixth_birthday(pack, c))
    ]
    names = ", ".join(c.id for c in missing)
    for child in missing:
        sixth = _sixth_birthday(pack, child)
        reminders.append(
            Reminder(
                date=sixth,
                action=f"{child.id} turns {age_limit} old: the requirement ends for them.",
            )
        )

    rule = _due_rule(pack, case)
    counted_from: dt.date | None = getattr(case, rule.counted_from)
    field = _DATE_WORDS[rule.counted_from]
    if counted_from is None:
        notes.append(f"The due date is {rule.period} after the {field}, not in the case yet.")
        return _timeline(pack, None, Penalty(applies=False), reminders, notes)
    due = add_offset(counted_from, parse_offset(rule.period))
    notes.append(f"Verification is due by {due.isoformat()}: {rule.period} after the {field}.")
    if case.good_cause_date is not None:
        extension = pack.case.good_cause_extension.period
        due = add_offset(max(due, case.good_cause_date), parse_offset(extension))
        notes.append(
            f"Good cause found on {case.good_cause_date.isoformat()} moves the due date to "
            f"{due.isoformat()} ({extension} more) and suspends any penalty until then."
        )
    if not missing:
        notes.append(f"Every child under {age_limit} is verified or exempt: no penalty.")
        return _timeline(pack, due, Penalty(applies=False), reminders, notes)
    reminders.append(
        Reminder(date=due, action=f"Check that immunization verification arrived for {names}.")
    )
    return _penalty(pack, case, due, missing, reminders, notes)


def _penalty(
    pack: Pack,
    case: Case,
    due: dt.date,
    missing: list[CaseChild],
    reminders: list[Reminder],
    notes: list[str],
) -> Timeline:
    verified = case.verification_date
    if verified is not None and verified <= due:
        notes.append(f"Verification arrived on {verified.isoformat()}, by the due date.")
        return _timeline(pack, due, Penalty(applies=False), reminders, notes)
    penalized = penalized_members(pack, case.members)
    if not penalized:
        notes.append("No member of the assistance unit can be penalized.")
        return _timeline(pack, due, Penalty(applies=False), reminders, notes)
    children, members = ", ".join(c.id for c in missing), ", ".join(penalized)
    youngest = max(missing, key=lambda c: c.birth_date)
    sixth = _sixth_birthday(pack, youngest)
    age_limit = pack.requirement_ends_at.age
    ends = [
        (_first_of_month(sixth), f"{youngest.id} turns {age_limit} old on {sixth.isoformat()}")
    ]
    if verified is not None:
        ends.append(
            (_first_of_next_month(verified), f"verification arrived {verified.isoformat()}")
        )
    restored, why_restored = min(ends)
    notice = pack.case.penalty.notice.period
    noa = case.noa_date
    if noa is None:
        if verified is not None:
            notes.append("Verification arrived after the due date but before any notice of action.")
            return _timeline(pack, due, Penalty(applies=False), reminders, notes)
        # The case has no "today": with nothing recorded, the timeline says what follows if
        # nothing arrives, and the reduced grant waits for the notice of action's date.
        reminders.append(
            Reminder(
                date=due + dt.timedelta(days=1),
                action=(
                    "Unless verification, an exemption or good cause is on file, send the notice "
                    "of action with a CW 2209 and a return envelope; the grant is reduced from "
                    f"the first month starting at least {notice} after it."
                ),
            )
        )
        notes.append(
            f"No verification is recorded for {children}. Unless it arrives by {due.isoformat()} "
            "or an exemption or good cause is found, the penalty falls on "
            f"{members} from the first month starting at least {notice} after a notice of action."
        )
        return _timeline(
            pack,
            due,
            Penalty(
                applies=True,
                restored_from=restored,
                ends_after=_month_before(restored),
                penalized=penalized,
            ),
            reminders,
            notes,
        )
    if noa <= due:
        notes.append(
            f"The notice of action of {noa.isoformat()} is not after the due date "
            f"{due.isoformat()}, so it cannot reduce the grant; send a new one if needed."
        )
        return _timeline(pack, due, Penalty(applies=False), reminders, notes)
    effective = _first_month_starting_on_or_after(add_offset(noa, parse_offset(notice)))
    if restored <= effective:
        notes.append(
            f"The penalty would start {effective.isoformat()} but ends before it "
            f"({why_restored}): no month is reduced."
        )
        return _timeline(pack, due, Penalty(applies=False), reminders, notes)
    notes.append(
        f"Verification for {children} was not received by the due date; the penalty falls on "
        f"{members}."
    )
    notes.append(
        f"Notice of action sent {noa.isoformat()}: the grant is reduced from "
        f"{effective.isoformat()}, the first month starting at least {notice} after it; "
        f"restored from {restored.isoformat()} ({why_restored})."
    )
    reminders.append(
        Reminder(date=effective, action=f"Check the reduced grant for {', '.join(penalized)}.")
    )
    if verified is not None and restored > verified:
        reminders.append(
            Reminder(
                date=verified,
                action=f"Remove the penalty effective {restored.isoformat()} and send the NOA.",
            )
        )
    last_month = _first_of_month(restored - dt.timedelta(days=1))
    reminders.append(
        Reminder(
            date=last_month,
            action=f"Verify the penalty ends after {_month_before(restored)} and benefits are "
            f"restored from {restored.isoformat()} ({why_restored}).",
        )
    )
    penalty = Penalty(
        applies=True,
        effective_from=effective,
        ends_after=_month_before(restored),
        restored_from=restored,
        penalized=penalized,
    )
    return _timeline(pack, due, penalty, reminders, notes)


def _month_before(first: dt.date) -> str:
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def _timeline(
    pack: Pack, due: dt.date | None, penalty: Penalty, reminders: list[Reminder], notes: list[str]
) -> Timeline:
    ordered = tuple(sorted(reminders, key=lambda r: r.date))
    return Timeline(
        rules=pack.name,
        due_date=due,
        penalty=penalty,
        reminders=ordered,
        explanation=tuple(notes),
    )
