"""The verdict panel: the check result (status, groups, explanation) in the reviewer's words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["GroupLine", "Verdict", "status_label", "verdict_of"]

_CHILD_STATUS = {
    "up_to_date": ("Up to date", "good"),
    "in_process": ("In process", "warn"),
    "not_up_to_date": ("Not up to date", "bad"),
    "exempt": ("Exempt", "good"),
    "not_required": ("Not required (six or older)", "good"),
}
_GROUP_STATUS = {
    "complete": ("complete", "good"),
    "immune": ("immune", "good"),
    "exempt": ("exempt", "good"),
    "in_process": ("in process", "warn"),
    "overdue": ("overdue", "bad"),
}


def status_label(status: str | None) -> str:
    """A child status as words, e.g. ``Not up to date``; the raw code when it is new to us."""
    if not status:
        return "No verdict"
    return _CHILD_STATUS.get(status, (status.replace("_", " "), "warn"))[0]


@dataclass(frozen=True)
class GroupLine:
    """One vaccine group's line of the verdict."""

    name: str
    status: str
    label: str
    tone: str
    doses: str
    next_due: str


@dataclass(frozen=True)
class Verdict:
    """The CalWORKs verdict as the page shows it; `available` is false without a check."""

    available: bool
    status: str = ""
    label: str = "No verdict yet"
    tone: str = "none"
    as_of: str = ""
    rules: str = ""
    groups: list[GroupLine] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)


_FORECAST = {"complete": ("complete", "good"), "immune": ("immune", "good"),
             "aged_out": ("aged out", "good"), "contraindicated": ("contraindicated", "warn")}


def _forecast_lines(forecast: dict[str, Any]) -> list[GroupLine]:
    """Group lines from the CDSi forecast, for a check made before the rule packs joined it."""
    lines = []
    for name, entry in sorted(forecast.items()):
        if not isinstance(entry, dict) or not entry:
            continue
        code = str(entry.get("status") or "")
        label, tone = _FORECAST.get(code, (code.replace("_", " "), "warn"))
        if code == "not_complete" and entry.get("dose_number"):
            label = f"dose {entry['dose_number']} due"
        lines.append(GroupLine(name=name, status=code, label=label, tone=tone, doses="",
                               next_due=str(entry.get("past_due") or entry.get("recommended")
                                            or "")))
    return lines


def verdict_of(check: dict[str, Any] | None, problem: str | None = None) -> Verdict:
    """The verdict panel of a check result (the `shotcheck check --json` contract).

    Args:
        check: the check, or None when there is no record (or the check could not run).
        problem: why there is no check, shown instead of the verdict.
    """
    if not check:
        return Verdict(available=False, explanation=[problem] if problem else [])
    status = str(check.get("status") or "")
    label, tone = _CHILD_STATUS.get(status, (status_label(status), "warn"))
    groups = []
    for name, group in sorted((check.get("groups") or {}).items()):
        if not isinstance(group, dict) or not group:
            continue
        code = str(group.get("status") or "")
        glabel, gtone = _GROUP_STATUS.get(code, (code.replace("_", " "), "warn"))
        valid, required = group.get("valid_doses"), group.get("required_doses")
        doses = (f"{valid} of {required} required" if valid is not None and required is not None
                 else "")
        groups.append(GroupLine(name=name, status=code, label=glabel, tone=gtone, doses=doses,
                                next_due=str(group.get("next_due") or "")))
    if not groups:
        groups = _forecast_lines(check.get("forecast") or {})
    if not status:
        label, tone = "No CalWORKs verdict in this check (CDSi forecast only)", "none"
    return Verdict(available=True, status=status, label=label, tone=tone,
                   as_of=str(check.get("as_of") or ""), rules=str(check.get("rules") or ""),
                   groups=groups,
                   explanation=[str(line) for line in check.get("explanation") or []])
