"""Write boundaries.yaml: a pair of cases on each side of every minimum age and interval.

`python -m tests.engine.cases.generate_boundaries` regenerates the file from the vendored CDSi
data (the default series of each group's first antigen). Each pair puts one dose on the first
day of the grace period (the absolute minimum: valid) and on the day before it (not valid),
with the earlier doses on their earliest valid dates, so only the limit under test binds. Target
doses an evaluation-time conditional skip could apply to are left out (a skip, not the
limit, decides them), as are limits another limit overrides on the same day; the script says which.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from engine.cdsi.schema import Interval, Series
from engine.cdsi.supporting_data import load_supporting_data
from engine.dates import Offset, add_offset

OUT = Path(__file__).with_name("boundaries.yaml")
BIRTH = dt.date(2021, 1, 15)
# The vaccine given for every dose of a group: a plain, preferable product for all its doses.
CVX = {"Polio": "10", "DTaP": "20", "MMR": "03", "Varicella": "21", "HepB": "08", "Hib": "48"}
CHILDHOOD = Offset(years=6)
ONE_DAY = dt.timedelta(days=1)
# The cases fall in the child's first six years; a limit in force then is the one tested.
CHILDHOOD_DAYS = dt.timedelta(days=3 * 365)


def _min_age(series: Series, k: int) -> Offset | None:
    # The absolute minimum age: the first day of the grace period, on which a dose is valid.
    ages = series.doses[k].ages
    return ages[0].abs_min if ages else None


def _earliest_schedule(series: Series, upto: int) -> list[dt.date]:
    """Dates for doses 1..upto on the earliest day each is valid (the grace period's first)."""
    dates: list[dt.date] = []
    for k in range(upto):
        candidates = [BIRTH]
        age = _min_age(series, k)
        if age is not None:
            candidates.append(add_offset(BIRTH, age))
        for interval in series.doses[k].intervals:
            reference = _reference(interval, dates)
            if reference is not None and interval.abs_min is not None:
                candidates.append(add_offset(reference, interval.abs_min))
        dates.append(max(candidates))
    return dates


def _reference(interval: Interval, dates: list[dt.date]) -> dt.date | None:
    if interval.from_previous:
        return dates[-1] if dates else None
    if interval.from_target_dose is not None and interval.from_target_dose <= len(dates):
        return dates[interval.from_target_dose - 1]
    return None


def _intervals_met(series: Series, k: int, dates: list[dt.date], on: dt.date) -> bool:
    for interval in series.doses[k].intervals:
        reference = _reference(interval, dates)
        if (
            reference is not None
            and interval.abs_min is not None
            and on < add_offset(reference, interval.abs_min)
        ):
            return False
    return True


def _case(
    group: str, name: str, dates: list[dt.date], last_status: str
) -> dict[str, Any]:
    statuses = ["valid"] * (len(dates) - 1) + [last_status]
    return {
        "name": name,
        "group": group,
        "birth_date": BIRTH.isoformat(),
        # A verdict needs the child born: a dose before birth is judged on the birth date.
        "as_of": max(dates[-1], BIRTH).isoformat(),
        "doses": [{"date": d.isoformat(), "cvx": CVX[group]} for d in dates],
        "expected": statuses,
    }


def _skip_is_inert(series: Series, k: int, latest: dt.date) -> bool:
    """Whether no evaluation-time skip of dose k can apply to a dose given by `latest`.

    A set is out of reach when it needs an age the child has not reached: an AND set with one
    such age condition, an OR set made only of them.
    """
    from engine.cdsi.schema import ConditionKind

    def unreached(condition: Any) -> bool:
        return (
            condition.kind is ConditionKind.AGE
            and condition.begin_age is not None
            and add_offset(BIRTH, condition.begin_age) > latest
        )

    for skip in series.doses[k].skips:
        if not skip.applies_to_evaluation():
            continue
        for skip_set in skip.sets:
            conditions = skip_set.conditions
            if skip_set.all_required and any(unreached(c) for c in conditions):
                continue
            if not skip_set.all_required and all(unreached(c) for c in conditions):
                continue
            return False
    return True


def _looser_series(
    others: list[Series],
    k: int,
    limit: Offset,
    interval: Interval | None,
    on: dt.date,
    first_dose: dt.date,
) -> str | None:
    """Another childhood series whose dose k accepts what this limit refuses, if any.

    Then the best-series selection, not this limit, decides the dose (the HepB 4-dose series
    takes a third dose too soon for the 3-dose series).
    """
    mine = add_offset(BIRTH, limit)
    for other in others:
        if k >= len(other.doses):
            continue
        start = other.doses[0].ages[0].abs_min if other.doses[0].ages else None
        if start is not None and first_dose < add_offset(BIRTH, start):
            continue  # the case's first dose cannot start this series
        target = other.doses[k]
        if interval is None:
            theirs = [r.abs_min for r in target.ages if r.is_in_force(on)]
        else:
            theirs = [
                i.abs_min for i in target.intervals
                if i.is_in_force(on)
                and i.from_previous == interval.from_previous
                and i.from_target_dose == interval.from_target_dose
            ] or [None]
        if any(t is None or add_offset(BIRTH, t) < mine for t in theirs):
            return other.name
    return None


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n, f"{n}th")


def _age_pair(
    group: str, series: Series, others: list[Series], k: int, notes: list[str]
) -> list[dict[str, Any]]:
    rule = series.doses[k].ages[0] if series.doses[k].ages else None
    if rule is None or rule.abs_min is None:
        return []
    prior = _earliest_schedule(series, k)
    inside = add_offset(BIRTH, rule.abs_min)
    outside = inside - ONE_DAY
    if not _intervals_met(series, k, prior, outside):
        notes.append(f"{group} dose {k + 1} age: an interval binds past the minimum age")
        return []
    looser = _looser_series(others, k, rule.abs_min, None, inside, (prior or [inside])[0])
    if looser is not None:
        notes.append(f"{group} dose {k + 1} age: the {looser} accepts it; selection decides")
        return []
    dose = f"{group} {_ordinal(k + 1)} dose"
    return [
        _case(group, f"A {dose} at {rule.abs_min} of age, the first day of the grace period, "
              "is valid", [*prior, inside], "valid"),
        _case(group, f"A {dose} a day younger than {rule.abs_min}, before the grace period, "
              "is not valid", [*prior, outside], "not_valid"),
    ]


def _interval_pair(
    group: str, series: Series, others: list[Series], k: int, notes: list[str]
) -> list[dict[str, Any]]:
    target = series.doses[k]
    limits: list[tuple[Offset, Interval | None, int]] = []
    if target.allowable_intervals:
        # A dose too soon for the preferable interval may still meet the allowable one, which
        # is then the limit that decides validity.
        for allowable in target.allowable_intervals:
            if allowable.abs_min is not None and allowable.from_previous:
                limits.append((allowable.abs_min, None, k))
    else:
        for interval in target.intervals:
            if interval.abs_min is None or not interval.is_in_force(BIRTH + CHILDHOOD_DAYS):
                continue
            if interval.from_previous:
                limits.append((interval.abs_min, interval, k))
            elif interval.from_target_dose is not None:
                limits.append((interval.abs_min, interval, interval.from_target_dose))
    pairs = []
    for abs_min, interval_rule, reference_dose in limits:
        prior = _earliest_schedule(series, k)
        age = _min_age(series, k)
        # Move the reference dose (and the doses after it) late enough that the age limit of
        # this dose is met a day before the interval's grace period.
        if age is not None:
            needed = add_offset(BIRTH, age) + ONE_DAY + ONE_DAY - (
                add_offset(prior[reference_dose - 1], abs_min) - prior[reference_dose - 1]
            )
            shift = max(dt.timedelta(0), needed - prior[reference_dose - 1])
            prior = [d + shift if i >= reference_dose - 1 else d for i, d in enumerate(prior)]
        inside = add_offset(prior[reference_dose - 1], abs_min)
        outside = inside - ONE_DAY
        others_met = all(
            add_offset(ref, i.abs_min) <= outside
            for i in target.intervals
            if i.abs_min is not None
            and (ref := _reference(i, prior)) is not None
            and _reference(i, prior) != prior[reference_dose - 1]
        )
        if not others_met or (age is not None and outside < add_offset(BIRTH, age)):
            notes.append(f"{group} dose {k + 1} interval {abs_min}: another limit binds")
            continue
        if interval_rule is not None:
            looser = _looser_series(others, k, abs_min, interval_rule, inside, prior[0])
            if looser is not None:
                notes.append(
                    f"{group} dose {k + 1} interval {abs_min}: the {looser} accepts it;"
                    " selection decides"
                )
                continue
        dose = f"{group} {_ordinal(k + 1)} dose"
        after = f"dose {reference_dose}"
        pairs += [
            _case(group, f"A {dose} {abs_min} after {after}, the first day of the grace "
                  "period, is valid", [*prior, inside], "valid"),
            _case(group, f"A {dose} a day less than {abs_min} after {after}, before the grace "
                  "period, is not valid", [*prior, outside], "not_valid"),
        ]
    return pairs


def generate() -> tuple[list[dict[str, Any]], list[str]]:
    """All boundary cases and the notes on limits left out."""
    data = load_supporting_data()
    cases: list[dict[str, Any]] = []
    notes: list[str] = []
    for group, cdsi_name in data.group_names.items():
        antigen = data.schedule.vaccine_groups[cdsi_name].antigens[0]
        series = next(s for s in data.antigens[antigen].series if s.default)
        others = [
            s for s in data.antigens[antigen].series
            if s is not series
            and s.series_type.value == "Standard"
            and s.doses[0].ages
            and (s.doses[0].ages[0].abs_min is None
                 or add_offset(BIRTH, s.doses[0].ages[0].abs_min) < add_offset(BIRTH, CHILDHOOD))
        ]
        for k in range(len(series.doses)):
            age = _min_age(series, k)
            if age is not None and add_offset(BIRTH, age) >= add_offset(BIRTH, CHILDHOOD):
                break
            for case in _age_pair(group, series, others, k, notes) + _interval_pair(
                group, series, others, k, notes
            ):
                latest = dt.date.fromisoformat(case["doses"][-1]["date"])
                if all(_skip_is_inert(series, j, latest) for j in range(k + 1)):
                    cases.append(case)
                else:
                    notes.append(f"{group} dose {k + 1}: a conditional skip can apply")
    return cases, notes


def main() -> None:
    cases, notes = generate()
    header = (
        "# Generated by `python -m tests.engine.cases.generate_boundaries` from the vendored\n"
        "# CDSi data; edit the generator, not this file. Each case: a sentence, the group, the\n"
        "# birth date, the doses, the assessment date and the expected status of each dose.\n"
        + "".join(f"# left out: {note}\n" for note in notes)
    )
    body = yaml.safe_dump({"cases": cases}, sort_keys=False, width=100, allow_unicode=True)
    OUT.write_text(header + body, encoding="utf-8")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
