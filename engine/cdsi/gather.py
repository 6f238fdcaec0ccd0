"""Organize immunization history (spec 4.2): break each dose into its antigens, by date."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from engine.cdsi.schema import CvxAssociation
from engine.cdsi.state import AdministeredDose, Patient

__all__ = ["organize_history"]


def organize_history(
    doses: Iterable[AdministeredDose],
    patient: Patient,
    associations: Mapping[str, tuple[CvxAssociation, ...]],
    antigens: Iterable[str],
) -> dict[str, list[AdministeredDose]]:
    """The antigen administered records of each wanted antigen, in date order.

    `associations` maps a CVX code to the antigens it carries (the schedule's CVX-to-antigen
    map). A CVX code carries an antigen only between the association's begin and end ages;
    doses on the same day keep the record's order.
    """
    by_antigen: dict[str, list[AdministeredDose]] = {name: [] for name in antigens}
    for dose in doses:
        for association in associations.get(dose.cvx, ()):
            records = by_antigen.get(association.antigen)
            if records is None:
                continue
            if association.begin_age is not None and dose.date < patient.at_age(
                association.begin_age
            ):
                continue
            if association.end_age is not None and dose.date >= patient.at_age(
                association.end_age
            ):
                continue
            records.append(dose)
    for records in by_antigen.values():
        records.sort(key=lambda d: (d.date, d.index))
    return by_antigen
