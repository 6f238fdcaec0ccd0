"""The case timeline: verification due dates, good cause, the penalty and its end, reminders."""

from engine.case.model import Case, CaseChild, Member, parse_case
from engine.case.timeline import Penalty, Reminder, Timeline, penalized_members, plan_case

__all__ = [
    "Case",
    "CaseChild",
    "Member",
    "Penalty",
    "Reminder",
    "Timeline",
    "parse_case",
    "penalized_members",
    "plan_case",
]
