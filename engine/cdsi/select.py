"""Select relevant patient series (spec 5.1): which antigen series apply to this patient."""

from __future__ import annotations

from engine.cdsi.schema import Antigen, Series, SeriesType
from engine.cdsi.state import Patient

__all__ = ["relevant_series"]


def relevant_series(antigen: Antigen, patient: Patient) -> list[Series]:
    """Standard and Evaluation Only series of the patient's sex (table 5-5).

    Risk series apply only when one of their indications describes an active patient
    observation; a record carries no observations, so none applies.
    """
    chosen = []
    for series in antigen.series:
        if series.required_genders and patient.sex not in series.required_genders:
            continue
        if series.series_type is SeriesType.RISK:
            continue
        chosen.append(series)
    return chosen
