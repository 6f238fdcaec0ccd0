"""Read CDSi supporting-data XML (antigen and schedule files) into the typed structures."""

from __future__ import annotations

import datetime as dt
import functools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from engine.cdsi.schema import (
    AgeRule,
    AllowableInterval,
    Antigen,
    ConditionalSkip,
    ConditionKind,
    CountLogic,
    CvxAssociation,
    CvxEntry,
    Immunity,
    Interval,
    LiveVirusConflict,
    Schedule,
    Series,
    SeriesDose,
    SeriesType,
    SkipCondition,
    SkipContext,
    SkipSet,
    VaccineGroupInfo,
    VaccineRule,
)
from engine.dates import Offset, parse_offset
from engine.errors import DataError

__all__ = ["canonical_cvx", "read_antigen", "read_schedule"]

_EMPTY = {"", "n/a", "na"}


def canonical_cvx(code: str) -> str:
    """A CVX code in CDC's spelling: digits, at least two ("3" and "03" are both "03").

    Raises:
        ValueError: when the code is not a number.
    """
    stripped = code.strip()
    if not stripped.isdigit():
        raise ValueError(f"a CVX code is a number, not {code!r}")
    return f"{int(stripped):02d}"


def _text(element: ET.Element | None, tag: str) -> str | None:
    if element is None:
        return None
    found = element.find(tag)
    if found is None or found.text is None:
        return None
    value = " ".join(found.text.split())
    return None if value.lower() in _EMPTY else value


@functools.cache
def _interned_offset(text: str) -> Offset:
    # One Offset object per distinct text, so per-patient age caches keyed by identity hit.
    return parse_offset(text)


def _offset(element: ET.Element | None, tag: str) -> Offset | None:
    value = _text(element, tag)
    return None if value is None else _interned_offset(value)


def _date(element: ET.Element | None, tag: str) -> dt.date | None:
    value = _text(element, tag)
    if value is None:
        return None
    for pattern in ("%Y%m%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise DataError(f"cannot read the date {value!r} in <{tag}>")


def _flag(element: ET.Element | None, tag: str) -> bool:
    value = _text(element, tag)
    return value is not None and value.upper() in ("Y", "YES")


def _cvx_set(element: ET.Element | None, tag: str) -> frozenset[str]:
    value = _text(element, tag)
    if value is None:
        return frozenset()
    return frozenset(canonical_cvx(part) for part in re.split(r"[;,]", value) if part.strip())


def _dose_number(text: str | None) -> int:
    match = re.search(r"\d+", text or "")
    if match is None:
        raise DataError(f"a series dose without a number: {text!r}")
    return int(match.group())


def _read_age(element: ET.Element) -> AgeRule:
    return AgeRule(
        effective=_date(element, "effectiveDate"),
        cessation=_date(element, "cessationDate"),
        abs_min=_offset(element, "absMinAge"),
        min=_offset(element, "minAge"),
        earliest_rec=_offset(element, "earliestRecAge"),
        latest_rec=_offset(element, "latestRecAge"),
        max=_offset(element, "maxAge"),
    )


def _read_interval(element: ET.Element) -> Interval | None:
    from_target = _text(element, "fromTargetDose")
    interval = Interval(
        effective=_date(element, "effectiveDate"),
        cessation=_date(element, "cessationDate"),
        from_previous=_flag(element, "fromPrevious"),
        from_target_dose=None if from_target is None else _dose_number(from_target),
        from_most_recent=_cvx_set(element, "fromMostRecent"),
        from_observation=_text(element, "fromRelevantObs/code"),
        abs_min=_offset(element, "absMinInt"),
        min=_offset(element, "minInt"),
        earliest_rec=_offset(element, "earliestRecInt"),
        latest_rec=_offset(element, "latestRecInt"),
        # The data writes the interval priority flag as "override" (spec FORECASTPRIORITY-1: Y).
        priority=(_text(element, "intervalPriority") or "n").lower() not in ("n", "no"),
    )
    has_reference = (
        interval.from_previous
        or interval.from_target_dose is not None
        or interval.from_most_recent
        or interval.from_observation is not None
    )
    return interval if has_reference else None


def _read_allowable_interval(element: ET.Element) -> AllowableInterval | None:
    from_target = _text(element, "fromTargetDose")
    interval = AllowableInterval(
        effective=_date(element, "effectiveDate"),
        cessation=_date(element, "cessationDate"),
        from_previous=_flag(element, "fromPrevious"),
        from_target_dose=None if from_target is None else _dose_number(from_target),
        abs_min=_offset(element, "absMinInt"),
    )
    if not (interval.from_previous or interval.from_target_dose is not None):
        return None
    return interval


def _read_vaccine(element: ET.Element) -> VaccineRule:
    cvx = _text(element, "cvx")
    if cvx is None:
        raise DataError("a preferable or allowable vaccine without a CVX code")
    return VaccineRule(
        cvx=canonical_cvx(cvx),
        vaccine_type=_text(element, "vaccineType") or cvx,
        begin_age=_offset(element, "beginAge"),
        end_age=_offset(element, "endAge"),
        trade_name=_text(element, "tradeName"),
        mvx=_text(element, "mvx"),
        volume=_text(element, "volume"),
        forecast=_flag(element, "forecastVaccineType"),
    )


def _read_condition(element: ET.Element) -> SkipCondition:
    kind_text = (_text(element, "conditionType") or "").lower()
    try:
        kind = ConditionKind(kind_text)
    except ValueError as exc:
        raise DataError(f"unknown conditional skip condition type {kind_text!r}") from exc
    logic_text = (_text(element, "doseCountLogic") or "").lower()
    count_logic = None
    if logic_text:
        try:
            count_logic = CountLogic(logic_text if logic_text != "greater" else "greater than")
        except ValueError as exc:
            raise DataError(f"unknown dose count logic {logic_text!r}") from exc
    dose_count = _text(element, "doseCount")
    groups = _text(element, "seriesGroups")
    return SkipCondition(
        kind=kind,
        start_date=_date(element, "startDate"),
        end_date=_date(element, "endDate"),
        begin_age=_offset(element, "beginAge"),
        end_age=_offset(element, "endAge"),
        interval=_offset(element, "interval"),
        dose_count=None if dose_count is None else int(dose_count),
        valid_only=(_text(element, "doseType") or "").lower() == "valid",
        count_logic=count_logic,
        vaccine_types=_cvx_set(element, "vaccineTypes"),
        series_groups=tuple(g.strip() for g in re.split(r"[;,]", groups or "") if g.strip()),
    )


def _read_skip(element: ET.Element) -> ConditionalSkip | None:
    context = _text(element, "context")
    if context is None:
        return None
    sets = tuple(
        SkipSet(
            effective=_date(s, "effectiveDate"),
            cessation=_date(s, "cessationDate"),
            set_id=_text(s, "setID") or "",
            description=_text(s, "setDescription") or "",
            all_required=(_text(s, "conditionLogic") or "").upper() == "AND",
            conditions=tuple(_read_condition(c) for c in s.findall("condition")),
        )
        for s in element.findall("set")
    )
    return ConditionalSkip(
        context=SkipContext(context),
        all_sets_required=(_text(element, "setLogic") or "").upper() == "AND",
        sets=sets,
    )


def _read_series_dose(element: ET.Element) -> SeriesDose:
    intervals = (_read_interval(e) for e in element.findall("interval"))
    allowable = (_read_allowable_interval(e) for e in element.findall("allowableInterval"))
    skips = (_read_skip(e) for e in element.findall("conditionalSkip"))
    season = element.find("seasonalRecommendation")
    return SeriesDose(
        number=_dose_number(_text(element, "doseNumber")),
        ages=tuple(_read_age(e) for e in element.findall("age")),
        intervals=tuple(i for i in intervals if i is not None),
        allowable_intervals=tuple(i for i in allowable if i is not None),
        preferable=tuple(
            _read_vaccine(e) for e in element.findall("preferableVaccine") if len(e)
        ),
        allowable=tuple(_read_vaccine(e) for e in element.findall("allowableVaccine") if len(e)),
        inadvertent=frozenset(
            canonical_cvx(c) for e in element.findall("inadvertentVaccine")
            if (c := _text(e, "cvx")) is not None
        ),
        skips=tuple(s for s in skips if s is not None),
        recurring=_flag(element, "recurringDose"),
        season_start=_date(season, "startDate"),
        season_end=_date(season, "endDate"),
    )


def _read_series(element: ET.Element, antigen: str) -> Series:
    select = element.find("selectSeries")
    gender = _text(element, "requiredGender")
    equivalent = _text(element, "equivalentSeriesGroups")
    return Series(
        name=_text(element, "seriesName") or "",
        antigen=antigen,
        vaccine_group=_text(element, "vaccineGroup") or "",
        series_type=SeriesType(_text(element, "seriesType") or "Standard"),
        required_genders=frozenset(
            g.strip()[:1].upper() for g in re.split(r"[;,]", gender or "") if g.strip()
        ),
        default=_flag(select, "defaultSeries"),
        product_path=_flag(select, "productPath"),
        series_group=_text(select, "seriesGroup") or "",
        preference=int(_text(select, "seriesPreference") or "1"),
        priority=_text(select, "seriesPriority") or "A",
        min_age_to_start=_offset(select, "minAgeToStart"),
        max_age_to_start=_offset(select, "maxAgeToStart"),
        equivalent_groups=tuple(
            g.strip() for g in re.split(r"[;,]", equivalent or "") if g.strip()
        ),
        indications=tuple(
            code for i in element.findall("indication")
            if (code := _text(i, "observationCode/code")) is not None
        ),
        doses=tuple(_read_series_dose(e) for e in element.findall("seriesDose")),
    )


def _read_immunity(element: ET.Element | None) -> Immunity:
    if element is None:
        return Immunity()
    birth = element.find("dateOfBirth")
    return Immunity(
        clinical_history=frozenset(
            code for e in element.findall("clinicalHistory")
            if (code := _text(e, "guidelineCode")) is not None
        ),
        born_before=_date(birth, "immunityBirthDate"),
        birth_country=_text(birth, "birthCountry"),
        exclusions=frozenset(
            code for e in (birth.findall("exclusion") if birth is not None else ())
            if (code := _text(e, "exclusionCode")) is not None
        ),
    )


def read_antigen(path: Path, name: str) -> Antigen:
    """One antigen file: its series, immunity and contraindication codes."""
    root = ET.parse(path).getroot()
    codes = frozenset(
        code for e in root.iter("contraindication")
        if (code := _text(e, "observationCode")) is not None
    )
    return Antigen(
        name=name,
        series=tuple(_read_series(e, name) for e in root.findall("series")),
        immunity=_read_immunity(root.find("immunity")),
        contraindication_codes=codes,
    )


def read_schedule(path: Path) -> Schedule:
    """ScheduleSupportingData.xml: CVX map, live-virus conflicts, vaccine groups, observations."""
    root = ET.parse(path).getroot()
    cvx_map: dict[str, CvxEntry] = {}
    for entry in root.iter("cvxMap"):
        cvx = canonical_cvx(_text(entry, "cvx") or "")
        cvx_map[cvx] = CvxEntry(
            cvx=cvx,
            description=_text(entry, "shortDescription") or cvx,
            associations=tuple(
                CvxAssociation(
                    antigen=_text(a, "antigen") or "",
                    begin_age=_offset(a, "associationBeginAge"),
                    end_age=_offset(a, "associationEndAge"),
                )
                for a in entry.findall("association")
            ),
        )
    conflicts: dict[str, list[LiveVirusConflict]] = {}
    for element in root.iter("liveVirusConflict"):
        conflict = LiveVirusConflict(
            previous_cvx=canonical_cvx(_text(element, "previous/cvx") or ""),
            current_cvx=canonical_cvx(_text(element, "current/cvx") or ""),
            begin=_offset(element, "conflictBeginInterval") or Offset(),
            min_end=_offset(element, "minConflictEndInterval") or Offset(),
            end=_offset(element, "conflictEndInterval") or Offset(),
        )
        conflicts.setdefault(conflict.current_cvx, []).append(conflict)
    full = {
        _text(g, "name") or "": _flag(g, "administerFullVaccineGroup")
        for g in root.iter("vaccineGroup")
    }
    groups = {
        name: VaccineGroupInfo(
            name=name,
            antigens=tuple(a.text.strip() for a in m.findall("antigen") if a.text),
            administer_full_group=full.get(name, False),
        )
        for m in root.iter("vaccineGroupMap")
        if (name := _text(m, "name")) is not None
    }
    observations = {
        code: _text(o, "observationTitle") or code
        for o in root.iter("observation")
        if (code := _text(o, "observationCode")) is not None
    }
    return Schedule(
        cvx_map=cvx_map,
        conflicts_by_current={k: tuple(v) for k, v in conflicts.items()},
        vaccine_groups=groups,
        observations=observations,
    )
