"""Organize immunization history (spec 4.2): break each dose into its antigens, by date."""

from __future__ import annotations

from collections.abc import Iterable

from engine.cdsi.schema import Schedule
from engine.cdsi.state import AdministeredDose, Patient

__all__ = ["organize_history"]


def organize_history(
    doses: Iterable[AdministeredDose],
    patient: Patient,
    schedule: Schedule,
    antigens: Iterable[str],
) -> dict[str, list[AdministeredDose]]:
    """The antigen administered records of each wanted antigen, in date order.

    A CVX code carries an antigen only between the association's begin and end ages; doses on
    the same day keep the record's order.
    """
    wanted = set(antigens)
    by_antigen: dict[str, list[AdministeredDose]] = {name: [] for name in wanted}
    for dose in doses:
        entry = schedule.cvx_map.get(dose.cvx)
        if entry is None:
            continue
        for association in entry.associations:
            if association.antigen not in wanted:
                continue
            if association.begin_age is not None and dose.date < patient.at_age(
                association.begin_age
            ):
                continue
            if association.end_age is not None and dose.date >= patient.at_age(
                association.end_age
            ):
                continue
            by_antigen[association.antigen].append(dose)
    for records in by_antigen.values():
        records.sort(key=lambda d: (d.date, d.index))
    return by_antigen
