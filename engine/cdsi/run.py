"""Evaluate a record the CDSi way: the orchestrator of chapters 4 to 9."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass

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
from engine.cdsi.schema import CvxAssociation, LiveVirusConflict, Series, SeriesType
from engine.cdsi.select import relevant_series
from engine.cdsi.signature import are_interchangeable
from engine.cdsi.skip import CompletedGroup
from engine.cdsi.state import (
    AdministeredDose,
    Patient,
    PatientSeries,
    SeriesStatus,
)
from engine.cdsi.supporting_data import canonical_cvx, load_supporting_data
from engine.cdsi.vaccine_group import combine_evaluations, group_forecast
from engine.dates import DATE_CACHE_SIZE, Offset, add_offset
from engine.errors import BadRecord, UnknownVaccine
from engine.model import Immunity, Record, VaccineGroup

__all__ = ["evaluate_record"]


def _resolve_doses(record: Record) -> tuple[AdministeredDose, ...]:
    resolved = []
    known = _index().known_cvx
    for index, dose in enumerate(record.doses):
        # The common case first: a code as CDC spells it, in the CVX-to-antigen map.
        cvx = dose.cvx if dose.cvx in known else None
        if cvx is None:
            cvx = _resolve_code(index, dose.cvx, dose.vaccine)
        if dose.cvx and dose.vaccine:
            _check_agreement(index, cvx, dose.vaccine)
        mvx = dose.mvx.strip().upper() if dose.mvx else None
        resolved.append(AdministeredDose(index=index, date=dose.date, cvx=cvx, mvx=mvx))
    return tuple(resolved)


def _resolve_code(index: int, code: str | None, name: str | None) -> str:
    # Imported here: the vocabulary builds on the supporting data, not the other way round.
    from engine.vocabulary import lookup

    try:
        if code:
            cvx = canonical_cvx(code)
            if cvx not in load_supporting_data().schedule.cvx_map:
                raise UnknownVaccine(f"CVX {cvx} is not in CDC's CVX-to-antigen map")
            return cvx
        return lookup(name or "").cvx
    except (UnknownVaccine, ValueError) as exc:
        raise UnknownVaccine(f"dose {index}: {exc}") from exc


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
    birth = record.child.birth_date
    for name, born_before in _index().born_before:
        # Birth before the immunity date counts only where no birth country is required: the
        # record does not say where the child was born (table 7-3).
        if birth < born_before:
            immune.add(name)
    for item in evidence:
        # Evidence counts for an antigen only where CDSi accepts that kind of evidence for it
        # (table 7-3): serology for HepB, measles, mumps, rubella, varicella; a history of
        # disease for varicella alone.
        codes = data.evidence_codes.get(item.kind.value, frozenset())
        for name in item.antigens or group_antigens[item.group.value]:
            antigen = data.antigens.get(name)
            if antigen is not None and antigen.immunity.clinical_history & codes:
                immune.add(name)
    return immune


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A relevant series of an antigen, with what `_cannot_matter` reads of it, derived once.

    `prunable`: a non-default Standard series whose series group has a default series at least
    as high in priority, and whose first target dose is never skipped in evaluation.
    `first_ages`: the absolute minimum ages of the first target dose (empty: no age bound).
    `first_vaccines`: the CVX codes that can be valid for the first target dose.
    """

    series: Series
    prunable: bool
    first_ages: tuple[Offset, ...]
    first_vaccines: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Index:
    """What every evaluation looks up in the supporting data, indexed once per process."""

    known_cvx: frozenset[str]
    group_antigens: dict[str, tuple[str, ...]]
    antigen_names: tuple[str, ...]
    group_of: dict[str, str]
    born_before: tuple[tuple[str, dt.date], ...]
    # By CVX code: the associations with the checked antigens (CVX-to-antigen map).
    associations: dict[str, tuple[CvxAssociation, ...]]
    # By (current CVX, previous CVX): the live virus conflicts between the two.
    conflicts: dict[tuple[str, str], tuple[LiveVirusConflict, ...]]


@functools.cache
def _index() -> _Index:
    data = load_supporting_data()
    schedule = data.schedule
    group_antigens = {
        ours: schedule.vaccine_groups[cdsi].antigens for ours, cdsi in data.group_names.items()
    }
    names = tuple(a for antigens in group_antigens.values() for a in antigens)
    wanted = set(names)
    associations = {
        cvx: tuple(a for a in entry.associations if a.antigen in wanted)
        for cvx, entry in schedule.cvx_map.items()
    }
    conflicts: dict[tuple[str, str], list[LiveVirusConflict]] = {}
    for current, found in schedule.conflicts_by_current.items():
        for conflict in found:
            conflicts.setdefault((current, conflict.previous_cvx), []).append(conflict)
    return _Index(
        known_cvx=frozenset(schedule.cvx_map),
        group_antigens=group_antigens,
        antigen_names=names,
        group_of={
            antigen: group.name
            for group in schedule.vaccine_groups.values()
            for antigen in group.antigens
        },
        born_before=tuple(
            (name, antigen.immunity.born_before)
            for name, antigen in data.antigens.items()
            if antigen.immunity.born_before is not None and antigen.immunity.birth_country is None
        ),
        associations={cvx: found for cvx, found in associations.items() if found},
        conflicts={key: tuple(found) for key, found in conflicts.items()},
    )


@functools.cache
def _candidates(antigen_name: str, sex: str) -> tuple[_Candidate, ...]:
    # The relevant series depend on the patient only through the sex (select.py).
    antigen = load_supporting_data().antigens[antigen_name]
    relevant = relevant_series(antigen, Patient(birth_date=dt.date.min, sex=sex, as_of=dt.date.min))
    return tuple(_candidate(series, relevant) for series in relevant)


def _candidate(series: Series, relevant: list[Series]) -> _Candidate:
    first = series.doses[0]
    ages = tuple(rule.abs_min for rule in first.ages if rule.abs_min is not None)
    # A rule without an absolute minimum age bounds nothing: then no age bound at all.
    bound = ages if len(ages) == len(first.ages) else ()
    prunable = (
        not series.default
        and series.series_type is SeriesType.STANDARD
        and not first.evaluation_skips
        and any(
            s.default and s.series_group == series.series_group and s.priority <= series.priority
            for s in relevant
        )
    )
    return _Candidate(
        series=series,
        prunable=prunable,
        first_ages=bound,
        first_vaccines=frozenset(first.acceptable) - first.inadvertent,
    )


class _Antigens:
    """Evaluates every relevant series of each antigen and remembers the best ones."""

    def __init__(self, patient: Patient, by_antigen: dict[str, list[AdministeredDose]]):
        self.patient = patient
        self.by_antigen = by_antigen
        self.data = load_supporting_data()
        self.series: dict[str, list[PatientSeries]] = {}
        self.best: dict[str, PatientSeries | None] = {}
        self.group_of = _index().group_of

    def run(self, other_status: Mapping[int, EvaluationStatus]) -> None:
        codes = frozenset(d.cvx for d in self.patient.history)
        for name, doses in self.by_antigen.items():
            antigen = self.data.antigens[name]
            twin = self._twin(name, doses, codes)
            if twin is not None:
                # Same data as far as this record can see, same doses: same answer.
                self.series[name], self.best[name] = self.series[twin], self.best[twin]
                continue
            chosen = [
                PatientSeries(c.series, doses, history=self.patient.history)
                for c in _candidates(antigen.name, self.patient.sex)
                if not _cannot_matter(c, doses, self.patient)
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
    candidate: _Candidate, doses: list[AdministeredDose], patient: Patient
) -> bool:
    """Whether a series can be left out: it can neither get a valid dose nor be chosen.

    A non-default Standard series with no valid dose is never scorable when its series group
    has a default series (SELECTSCORE-2), and then the default series is chosen over it
    (table 8-3). Every dose is weighed against the first target dose until one satisfies it;
    if that target dose cannot be skipped while evaluating and no dose is both an acceptable
    vaccine for it (not inadvertent) and given at or after its absolute minimum age, no dose
    can be valid. So an adult series is not evaluated for a child, nor a series of a product
    the record does not hold (fIPV, PRP-OMP), with the same outcome.
    """
    if not candidate.prunable:
        return False
    if not doses:
        return True
    ages = candidate.first_ages
    first_valid = min(patient.at_age(age) for age in ages) if ages else dt.date.min
    vaccines = candidate.first_vaccines
    return all(dose.cvx not in vaccines or dose.date < first_valid for dose in doses)


def _needs_second_pass(
    history: tuple[AdministeredDose, ...], statuses: Mapping[int, EvaluationStatus]
) -> bool:
    # The first pass read every other antigen's earlier live dose as unevaluated (minimum
    # conflict end). That answer changes only for a dose falling between the minimum and the
    # full conflict end of an earlier dose that turned out not valid.
    live = load_supporting_data().schedule.conflicts_by_current
    conflicts = _index().conflicts
    for current in history:
        if current.cvx not in live:
            continue
        for previous in history:
            for conflict in conflicts.get((current.cvx, previous.cvx), ()):
                if (
                    statuses.get(previous.index, EvaluationStatus.VALID)
                    is not EvaluationStatus.VALID
                    and add_offset(previous.date, conflict.min_end)
                    <= current.date
                    < add_offset(previous.date, conflict.end)
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
    index = _index()
    # The history on the assessment date: a dose dated later was not yet given then, and gets
    # no evaluation.
    history = tuple(d for d in _resolve_doses(record) if d.date <= as_of)
    group_antigens = index.group_antigens
    patient = Patient(
        birth_date=record.child.birth_date,
        sex=record.child.sex.value,
        as_of=as_of,
        immune_antigens=frozenset(_immune_antigens(record, group_antigens)),
        history=history,
    )
    by_antigen = organize_history(history, patient, index.associations, index.antigen_names)
    antigens = _Antigens(patient, by_antigen)
    antigens.run({})
    statuses = antigens.dose_statuses()
    if _needs_second_pass(history, statuses):
        # A live virus dose of another antigen counts by its own evaluation (CALCDTCONFLICT-2),
        # known only after a first pass.
        antigens = _Antigens(patient, by_antigen)
        antigens.run(statuses)
    return _result(record, as_of, antigens, group_antigens)


# Evaluations are frozen and take few values: one shared instance per (status, reason).
_EVALUATIONS: dict[tuple[EvaluationStatus, str | None], DoseEvaluation] = {}


def _dose_evaluation(status: EvaluationStatus, reason: str | None) -> DoseEvaluation:
    found = _EVALUATIONS.get((status, reason))
    if found is None:
        found = _EVALUATIONS[(status, reason)] = DoseEvaluation(status=status, reason=reason)
    return found


# By our group name: the enum member (a lookup, not an Enum call per group and record).
_GROUPS = {group.value: group for group in VaccineGroup}

_DoseKey = tuple[int, tuple[tuple[VaccineGroup, EvaluationStatus, str | None], ...]]


# Dose results are frozen too, and records of the same schedule repeat them (dose 3 valid for
# Polio and DTaP): shared like the evaluations. Bounded, since the index varies with the record.
@functools.lru_cache(maxsize=DATE_CACHE_SIZE)
def _dose_result(key: _DoseKey) -> DoseResult:
    index, evaluations = key
    return DoseResult(
        index=index,
        evaluations={
            group: _dose_evaluation(status, reason) for group, status, reason in evaluations
        },
    )


def _result(
    record: Record,
    as_of: dt.date,
    antigens: _Antigens,
    group_antigens: Mapping[str, tuple[str, ...]],
) -> CdsiResult:
    data = antigens.data
    per_dose: list[dict[VaccineGroup, list[tuple[EvaluationStatus, str | None]]]] = [
        {} for _ in record.doses
    ]
    forecast: dict[VaccineGroup, GroupForecast] = {}
    valid_doses: dict[VaccineGroup, tuple[dt.date, ...]] = {}
    for ours, names in group_antigens.items():
        group = _GROUPS[ours]
        best = [ps for name in names if (ps := antigens.best.get(name)) is not None]
        fewest: tuple[dt.date, ...] | None = None
        seen: set[int] = set()
        for ps in best:
            if id(ps) in seen:
                # A twin antigen's series (Tetanus beside Diphtheria): the same statuses again.
                continue
            seen.add(id(ps))
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
        # The group's doses (a dose carrying two antigens of the group appears twice: the
        # forecast reads only their latest date).
        group_doses = [d for n in names for d in antigens.by_antigen[n]]
        info = data.schedule.vaccine_groups[data.group_names[ours]]
        forecast[group] = group_forecast(info, best, group_doses)
    doses = tuple(
        _dose_result(
            (
                index,
                tuple(
                    (group, *(found[0] if len(found) == 1 else combine_evaluations(found)))
                    for group, found in evaluations.items()
                ),
            )
        )
        for index, evaluations in enumerate(per_dose)
    )
    # Validated construction: pydantic-core checks these engine-made values faster than
    # model_construct copies them in Python.
    return CdsiResult(as_of=as_of, doses=doses, forecast=forecast, valid_doses=valid_doses)
