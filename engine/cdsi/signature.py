"""What of an antigen's series data a record can see: lets identical antigens share one run.

Diphtheria and Tetanus (and Measles, Mumps and Rubella) have series that differ only in
vaccines a given record may not hold. Restricted to the CVX codes in the record, their data
are often equal; with the same doses, their evaluations and forecasts are then equal too, and
the engine evaluates one and reuses it for the others.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable

from engine.cdsi.schema import Antigen, SeriesType, VaccineRule

__all__ = ["are_interchangeable"]

# Fields that name things rather than decide anything.
_NAMES = {"name", "antigen", "description", "vaccine_type", "set_id", "trade_name", "volume"}
# Fields holding sets of CVX codes: restricted to the record's codes.
_CODE_SETS = {"inadvertent", "vaccine_types", "from_most_recent"}

def _sign(value: object, codes: frozenset[str]) -> Hashable:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if isinstance(value, VaccineRule) and value.cvx not in codes:
            return None
        parts: list[Hashable] = []
        for f in dataclasses.fields(value):
            if f.name in _NAMES or not f.compare:
                continue
            item = getattr(value, f.name)
            if f.name in _CODE_SETS:
                # An empty set means "any vaccine" where it appears; keep that apart from a set
                # that merely holds none of the record's codes.
                parts.append(("any",) if not item else ("some", frozenset(item) & codes))
            else:
                parts.append(_sign(item, codes))
        return (type(value).__name__, tuple(parts))
    if isinstance(value, tuple):
        signed = (_sign(v, codes) for v in value)
        # Vaccine lists are read as sets by the logic: compare them without their order.
        kept = [s for s in signed if s is not None]
        if kept and all(isinstance(s, tuple) and s[0] == "VaccineRule" for s in kept):
            return frozenset(kept)
        return tuple(kept)
    if isinstance(value, frozenset):
        return value
    assert isinstance(value, Hashable)
    return value


def _signature(antigen: Antigen, codes: frozenset[str]) -> Hashable:
    # Risk series are never relevant without patient observations (select.py): left out.
    return _sign(
        tuple(s for s in antigen.series if s.series_type is not SeriesType.RISK), codes
    )


def _all_codes(antigen: Antigen) -> set[str]:
    codes: set[str] = set()
    for series in antigen.series:
        for dose in series.doses:
            codes.update(v.cvx for v in (*dose.preferable, *dose.allowable))
            codes.update(dose.inadvertent)
            for interval in dose.intervals:
                codes.update(interval.from_most_recent)
            for skip in dose.skips:
                for skip_set in skip.sets:
                    for condition in skip_set.conditions:
                        codes.update(condition.vaccine_types)
    return codes


# Per pair of antigens (by identity): whether they agree when no code is present, and the codes
# on which they disagree.
_PAIRS: dict[tuple[int, int], tuple[Antigen, Antigen, bool, frozenset[str]]] = {}


def are_interchangeable(first: Antigen, second: Antigen, codes: frozenset[str]) -> bool:
    """Whether the two antigens' series decide alike for a record holding only `codes`.

    The data are compared code by code, once per pair: vaccine lists are read as sets (their
    order never matters to the logic), so agreeing on each code alone means agreeing on any
    set of them.
    """
    key = (id(first), id(second))
    found = _PAIRS.get(key)
    if found is None or found[0] is not first or found[1] is not second:
        base = _signature(first, frozenset()) == _signature(second, frozenset())
        differing = frozenset(
            code
            for code in _all_codes(first) | _all_codes(second)
            if _signature(first, frozenset({code})) != _signature(second, frozenset({code}))
        )
        found = (first, second, base, differing)
        _PAIRS[key] = found
    return found[2] and not (found[3] & codes)
