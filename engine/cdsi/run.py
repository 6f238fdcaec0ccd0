"""Evaluate a record the CDSi way: the orchestrator of chapters 4 to 9."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping

from engine.cdsi.best_series import select_best_series
from engine.cdsi.evaluate import evaluate_series
from engine.cdsi.forecast import forecast_series
from engine.cdsi.gather import organize_history
from engine.cdsi.result import (
    CdsiResult,
    DoseEvaluation,
    DoseResult,
    EvaluationStatus,
    GroupForecast,
)
from engine.cdsi.schema import Series, SeriesType
from engine.cdsi.select import relevant_series
from engine.cdsi.signature import are_interchangeable
from engine.cdsi.skip import CompletedGroup
from engine.cdsi.state import (
    AdministeredDose,
    Patient,
    PatientSeries,
    SeriesStatus,
    date_plus,
)
from engine.cdsi.supporting_data import canonical_cvx, load_supporting_data
from engine.cdsi.vaccine_group import combine_evaluations, group_forecast
from engine.dates import Offset
from engine.errors import BadRecord, UnknownVaccine
from engine.model import Immunity, Record, VaccineGroup

__all__ = ["evaluate_record"]


def _resolve_doses(record: Record) -> tuple[AdministeredDose, ...]:
    # Imported here: the vocabulary builds on the supporting data, not the other way round.
    from engine.vocabulary import lookup

    resolved = []
    cvx_map = load_supporting_data().schedule.cvx_map
    for index, dose in enumerate(record.doses):
        try:
            if dose.cvx:
                cvx = canonical_cvx(dose.cvx)
                if cvx not in cvx_map:
                    raise UnknownVaccine(f"CVX {cvx} is not in CDC's CVX-to-antigen map")
            else:
                cvx = lookup(dose.vaccine or "").cvx
        except (UnknownVaccine, ValueError) as exc:
            raise UnknownVaccine(f"dose {index}: {exc}") from exc
        if dose.cvx and dose.vaccine:
            _check_agreement(index, cvx, dose.vaccine)
        mvx = dose.mvx.strip().upper() if dose.mvx else None
        resolved.append(AdministeredDose(index=index, date=dose.date, cvx=cvx, mvx=mvx))
    return tuple(resolved)


def _check_agreement(index: int, cvx: str, name: str) -> None:
    # A dose naming both a code and a known name that carry different antigens is a record
    # the user must fix, not one to evaluate either way. An unknown name (free OCR text) is
    # left to the code.
    from engine.vocabulary import find, lookup_cvx

    named = find(name)
    if named is not None and set(named.antigens) != set(lookup_cvx(cvx).antigens):
        raise BadRecord(
            f"record: doses.{index}: cvx {cvx} and vaccine {name!r} name different vaccines"
        )


def _immune_antigens(record: Record, group_antigens: Mapping[str, tuple[str, ...]]) -> set[str]:
    data = load_supporting_data()
    immune: set[str] = set()
    evidence: tuple[Immunity, ...] = record.immunity
    for item in evidence:
        # Evidence counts for an antigen only where CDSi accepts that kind of evidence for it
        # (table 7-3): serology for HepB, measles, mumps, rubella, varicella; a history of
        # disease for varicella alone.
        codes = data.evidence_codes.get(item.kind.value, frozenset())
        for name in item.antigens or group_antigens[item.group.value]:
            antigen = data.antigens.get(name)
            if antigen is not None and antigen.immunity.clinical_history & codes:
                immune.add(name)
    for name, antigen in data.antigens.items():
        born_before = antigen.immunity.born_before
        # Birth before the immunity date counts only where no birth country is required: the
        # record does not say where the child was born (table 7-3).
        if (
            born_before is not None
            and antigen.immunity.birth_country is None
            and record.child.birth_date < born_before
        ):
            immune.add(name)
    return immune


@functools.cache
def _group_of_antigen() -> dict[str, str]:
    schedule = load_supporting_data().schedule
    return {
        antigen: group.name
        for group in schedule.vaccine_groups.values()
        for antigen in group.antigens
    }


class _Antigens:
    """Evaluates every relevant series of each antigen and remembers the best ones."""

    def __init__(self, patient: Patient, by_antigen: dict[str, list[AdministeredDose]]):
        self.patient = patient
        self.by_antigen = by_antigen
        self.data = load_supporting_data()
        self.series: dict[str, list[PatientSeries]] = {}
        self.best: dict[str, PatientSeries | None] = {}
        self.group_of = _group_of_antigen()

    def run(self, other_status: Mapping[int, EvaluationStatus]) -> None:
        codes = frozenset(d.cvx for d in self.patient.history)
        for name, doses in self.by_antigen.items():
            antigen = self.data.antigens[name]
            twin = self._twin(name, doses, codes)
            if twin is not None:
                # Same data as far as this record can see, same doses: same answer.
                self.series[name], self.best[name] = self.series[twin], self.best[twin]
                continue
            relevant = relevant_series(antigen, self.patient)
            chosen = [
                PatientSeries(s, doses, history=self.patient.history)
                for s in relevant
                if not _cannot_matter(s, relevant, doses, self.patient)
            ]
            self.series[name] = chosen
            defaults = {ps.series.series_group for ps in chosen if ps.series.default}
            for ps in chosen:
                completed = self._completed(chosen, ps)
                evaluate_series(ps, self.patient, self.data.schedule, completed, other_status)
                # A non-default Standard series without a valid dose, in a group with a default
                # series, is never scorable nor chosen (SELECTSCORE-2, table 8-3): its forecast
                # would be read by nobody.
                if (
                    ps.valid_count == 0
                    and not ps.series.default
                    and ps.series.series_type is SeriesType.STANDARD
                    and ps.series.series_group in defaults
                ):
                    continue
                forecast_series(ps, self.patient, self.data.schedule, completed)
            best = select_best_series(chosen, self.patient)
            fallback = next((ps for ps in chosen if ps.series.default), None)
            self.best[name] = best[0] if best else fallback or (chosen[0] if chosen else None)

    def _twin(
        self, name: str, doses: list[AdministeredDose], codes: frozenset[str]
    ) -> str | None:
        immune = name in self.patient.immune_antigens
        for done in self.series:
            if (
                self.group_of[done] == self.group_of[name]
                and self.by_antigen[done] == doses
                and (done in self.patient.immune_antigens) == immune
                and are_interchangeable(self.data.antigens[done], self.data.antigens[name], codes)
            ):
                return done
        return None

    def _completed(self, chosen: list[PatientSeries], me: PatientSeries) -> CompletedGroup:
        def completed(group: str) -> bool:
            # Only series evaluated before this one can be asked; they are complete or not.
            return any(
                ps is not me and ps.series.series_group == group and ps.forecast is not None
                and ps.forecast.status is SeriesStatus.COMPLETE
                for ps in chosen
            )
        return completed

    def dose_statuses(self) -> dict[int, EvaluationStatus]:
        statuses: dict[int, EvaluationStatus] = {}
        for ps in self.best.values():
            if ps is None:
                continue
            for position, dose in enumerate(ps.doses):
                status = ps.status[position]
                if status is None:
                    continue
                before = statuses.get(dose.index)
                statuses[dose.index] = status if before is None else combine_evaluations(
                    [(before, None), (status, None)]
                )[0]
        return statuses


def _cannot_matter(
    series: Series, relevant: list[Series], doses: list[AdministeredDose], patient: Patient
) -> bool:
    """Whether a series can be left out: it can neither get a valid dose nor be chosen.

    A non-default Standard series with no valid dose is never scorable when its series group
    has a default series (SELECTSCORE-2), and then the default series is chosen over it
    (table 8-3). Every dose is weighed against the first target dose until one satisfies it;
    if that target dose cannot be skipped while evaluating and every dose comes before its
    absolute minimum age, no dose can be valid. So an adult series is not evaluated for a
    child, with the same outcome.
    """
    if series.default or series.series_type is not SeriesType.STANDARD:
        return False
    if not any(s.default and s.series_group == series.series_group for s in relevant):
        return False
    if not doses:
        return True
    first_ages = _first_dose_ages(series)
    if first_ages is None:
        return False
    first_valid = min(patient.at_age(age) for age in first_ages)
    return all(dose.date < first_valid for dose in doses)


# Per series (by identity): the absolute minimum ages of its first dose, or None when that dose
# may be skipped in evaluation or has an age rule without one.
_FIRST_AGES: dict[int, tuple[Series, tuple[Offset, ...] | None]] = {}


def _first_dose_ages(series: Series) -> tuple[Offset, ...] | None:
    found = _FIRST_AGES.get(id(series))
    if found is not None and found[0] is series:
        return found[1]
    first = series.doses[0]
    ages = tuple(rule.abs_min for rule in first.ages if rule.abs_min is not None)
    can_skip = any(skip.applies_to_evaluation() for skip in first.skips)
    usable = ages if ages and len(ages) == len(first.ages) and not can_skip else None
    _FIRST_AGES[id(series)] = (series, usable)
    return usable


def _needs_second_pass(
    history: tuple[AdministeredDose, ...], statuses: Mapping[int, EvaluationStatus]
) -> bool:
    # The first pass read every other antigen's earlier live dose as unevaluated (minimum
    # conflict end). That answer changes only for a dose falling between the minimum and the
    # full conflict end of an earlier dose that turned out not valid.
    conflicts = load_supporting_data().schedule.conflicts_by_current
    for current in history:
        for conflict in conflicts.get(current.cvx, ()):
            for previous in history:
                if (
                    previous.cvx == conflict.previous_cvx
                    and statuses.get(previous.index, EvaluationStatus.VALID)
                    is not EvaluationStatus.VALID
                    and date_plus(previous.date, conflict.min_end)
                    <= current.date
                    < date_plus(previous.date, conflict.end)
                ):
                    return True
    return False


def evaluate_record(record: Record, as_of: dt.date) -> CdsiResult:
    """Evaluate every dose and forecast every checked vaccine group of a record on `as_of`.

    Every dose is read (an unknown vaccine is an error wherever it is), but only doses given on
    or before `as_of` make up the history; a later dose gets no evaluation.

    Raises:
        UnknownVaccine: naming the dose index when a dose names a vaccine nobody knows.
    """
    data = load_supporting_data()
    # The history on the assessment date: a dose dated later was not yet given then, and gets
    # no evaluation.
    history = tuple(d for d in _resolve_doses(record) if d.date <= as_of)
    group_antigens = {
        ours: data.schedule.vaccine_groups[cdsi].antigens for ours, cdsi in data.group_names.items()
    }
    patient = Patient(
        birth_date=record.child.birth_date,
        sex=record.child.sex.value,
        as_of=as_of,
        immune_antigens=frozenset(_immune_antigens(record, group_antigens)),
        history=history,
    )
    by_antigen = organize_history(
        history, patient, data.schedule, [a for names in group_antigens.values() for a in names]
    )
    antigens = _Antigens(patient, by_antigen)
    antigens.run({})
    statuses = antigens.dose_statuses()
    if _needs_second_pass(history, statuses):
        # A live virus dose of another antigen counts by its own evaluation (CALCDTCONFLICT-2),
        # known only after a first pass.
        antigens = _Antigens(patient, by_antigen)
        antigens.run(statuses)
    return _result(record, as_of, antigens, group_antigens, history)


# Evaluations are frozen and take few values: one shared instance per (status, reason), built
# without validation since both come from the engine itself.
_EVALUATIONS: dict[tuple[EvaluationStatus, str | None], DoseEvaluation] = {}


def _dose_evaluation(status: EvaluationStatus, reason: str | None) -> DoseEvaluation:
    found = _EVALUATIONS.get((status, reason))
    if found is None:
        found = _EVALUATIONS[(status, reason)] = DoseEvaluation.model_construct(
            status=status, reason=reason
        )
    return found


def _result(
    record: Record,
    as_of: dt.date,
    antigens: _Antigens,
    group_antigens: Mapping[str, tuple[str, ...]],
    history: tuple[AdministeredDose, ...],
) -> CdsiResult:
    data = antigens.data
    per_dose: list[dict[VaccineGroup, list[tuple[EvaluationStatus, str | None]]]] = [
        {} for _ in record.doses
    ]
    forecast: dict[VaccineGroup, GroupForecast] = {}
    valid_doses: dict[VaccineGroup, tuple[dt.date, ...]] = {}
    for ours, names in group_antigens.items():
        group = VaccineGroup(ours)
        best = [ps for name in names if (ps := antigens.best.get(name)) is not None]
        fewest: tuple[dt.date, ...] | None = None
        for ps in best:
            valid = []
            for position, dose in enumerate(ps.doses):
                status = ps.status[position]
                if status is None:
                    continue
                per_dose[dose.index].setdefault(group, []).append((status, ps.reason[position]))
                if status is EvaluationStatus.VALID:
                    valid.append(dose.date)
            if fewest is None or len(valid) < len(fewest):
                fewest = tuple(valid)
        valid_doses[group] = fewest or ()
        in_group = {d.index for n in names for d in antigens.by_antigen[n]}
        group_doses = [d for d in history if d.index in in_group]
        info = data.schedule.vaccine_groups[data.group_names[ours]]
        forecast[group] = group_forecast(info, best, group_doses)
    doses = tuple(
        DoseResult.model_construct(
            index=index,
            evaluations={
                group: _dose_evaluation(*combine_evaluations(found))
                for group, found in evaluations.items()
            },
        )
        for index, evaluations in enumerate(per_dose)
    )
    return CdsiResult.model_construct(
        as_of=as_of, doses=doses, forecast=forecast, valid_doses=valid_doses
    )
