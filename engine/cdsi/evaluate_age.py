"""Evaluate age (spec 6.4): was the dose given at a valid age for the target dose?"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from engine.cdsi.schema import AgeRule, SeriesDose
from engine.cdsi.state import Patient

__all__ = ["AgeOutcome", "age_rule_in_force", "evaluate_age"]


class AgeOutcome(StrEnum):
    """The outcomes of table 6-15."""

    VALID = "valid"
    TOO_YOUNG = "too young"
    TOO_OLD = "too old"


def age_rule_in_force(target: SeriesDose, anchor: dt.date) -> AgeRule | None:
    """The target dose's age rule in force on `anchor` (RELEVANT-1/2), or None."""
    if target.only_age is not None:
        return target.only_age
    for rule in target.ages:
        if rule.is_in_force(anchor):
            return rule
    return None


def evaluate_age(target: SeriesDose, given: dt.date, patient: Patient) -> AgeOutcome:
    """Compare the date given with the absolute minimum and maximum age dates.

    The grace period lives in the data: the absolute minimum age is the minimum age less four
    days, and a dose between the two is valid.
    """
    rule = age_rule_in_force(target, given)
    if rule is None:
        return AgeOutcome.VALID
    if rule.abs_min is not None and given < patient.at_age(rule.abs_min):
        return AgeOutcome.TOO_YOUNG
    if rule.max is not None and given >= patient.at_age(rule.max):
        return AgeOutcome.TOO_OLD
    return AgeOutcome.VALID
