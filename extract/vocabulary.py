"""Thin adapter to the vaccine vocabulary: the one place extraction names vaccines.

The engine's vocabulary (`engine.vocabulary`, `find`/`lookup`) is used when it is installed; until
then a small built-in table of the names found on California records stands in. Only this
module changes when the engine's vocabulary lands or changes shape.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

__all__ = [
    "VaccineMatch", "fuzzy_match_vaccine", "label_groups", "likeness_by_groups", "match_label",
    "match_vaccine", "vaccine_name_groups", "vaccine_names",
]

_OTHER_GROUPS = frozenset({"HepA", "Pneumococcal", "Influenza", "Rotavirus", "Meningococcal",
                           "HPV"})


@dataclass(frozen=True, slots=True)
class VaccineMatch:
    """A vaccine name recognised in text: normalised name, CVX code and vaccine groups."""

    name: str
    cvx: str | None
    groups: tuple[str, ...]
    exact: bool = True


# (aliases, normalised name, CVX, groups). CVX codes from CDC's CVX table; group names are
# CDSi's. Printed row labels of yellow cards ("MEASLES, MUMPS, RUBELLA") are aliases too.
_TABLE: tuple[tuple[tuple[str, ...], str, str, tuple[str, ...]], ...] = (
    (("pediarix", "dtap hepb ipv", "dtap hep b ipv"), "Pediarix", "110",
     ("DTaP", "HepB", "Polio")),
    (("pentacel", "dtap ipv hib"), "Pentacel", "120", ("DTaP", "Polio", "Hib")),
    (("kinrix", "dtap ipv"), "Kinrix", "130", ("DTaP", "Polio")),
    (("quadracel",), "Quadracel", "130", ("DTaP", "Polio")),
    (("vaxelis", "dtap ipv hib hepb"), "Vaxelis", "146", ("DTaP", "Polio", "Hib", "HepB")),
    (("proquad", "mmrv", "mmr v"), "MMRV", "94", ("MMR", "Varicella")),
    (("comvax", "hib hepb"), "Comvax", "51", ("Hib", "HepB")),
    (("twinrix",), "Twinrix", "104", ("HepA", "HepB")),
    (("dtap", "infanrix", "daptacel", "dtp dtap", "dtap dtp dt", "dtap dtp",
      "diphtheria tetanus pertussis", "dtap uf", "dtap dtp dt td tdap",
      # A printed row label OCR read only the first line of.
      "diphtheria", "diphtheria tetanus",
      # The registry's (CAIR2's) name for the group, printed in its Vaccine Group column.
      "dtp ap"), "DTaP", "20",
     ("DTaP",)),
    (("dtp",), "DTP", "01", ("DTaP",)),
    (("dt", "dt ped", "dt pediatric"), "DT", "28", ("DTaP",)),
    (("tdap", "boostrix", "adacel"), "Tdap", "115", ("DTaP",)),
    (("td", "tenivac"), "Td", "139", ("DTaP",)),
    (("ipv", "ipol", "polio", "polio ipv", "polio ipv opv", "polio ipv opv"), "IPV", "10",
     ("Polio",)),
    (("opv", "opv oral"), "OPV", "02", ("Polio",)),
    (("hib prp omp", "pedvaxhib", "pedvax hib", "prp omp"), "Hib (PRP-OMP)", "49", ("Hib",)),
    (("hib prp t", "acthib", "act hib", "hiberix", "prp t"), "Hib (PRP-T)", "48", ("Hib",)),
    (("hib", "hib unspecified", "hib uf", "haemophilus b", "hib haemophilus b",
      "hib meningitis", "haemophilus influenzae type b"), "Hib", "17", ("Hib",)),
    (("hep b", "hepb", "hbv", "hepatitis b", "engerix b", "engerix", "recombivax hb",
      "recombivax", "engerix b peds", "hepatitis b hepb"), "HepB", "08", ("HepB",)),
    (("mmr", "mmr ii", "m m r ii", "m m r", "priorix", "measles mumps rubella",
      "measles mumps"), "MMR", "03",
     ("MMR",)),
    (("varicella", "varivax", "var", "vzv", "chickenpox", "varicela", "varicella chickenpox"),
     "Varicella", "21", ("Varicella",)),
    (("hep a", "hepa", "hepatitis a", "havrix", "vaqta", "havrix peds"), "HepA", "83",
     ("HepA",)),
    (("pcv13", "prevnar 13", "prevnar13", "prevnar", "pcv 13", "pcv7"), "PCV13", "133",
     ("Pneumococcal",)),
    (("pcv", "pneumococcal", "pneumococcal conjugate", "pneumococcal pcv"), "PCV", "109",
     ("Pneumococcal",)),
    (("pcv15", "vaxneuvance", "pcv 15"), "PCV15", "215", ("Pneumococcal",)),
    (("pcv20", "prevnar 20", "pcv 20"), "PCV20", "216", ("Pneumococcal",)),
    (("influenza", "flu", "fluzone", "flulaval", "afluria", "iiv", "influenza flu"),
     "Influenza", "88", ("Influenza",)),
    (("fluarix quad", "fluarix quad pf", "fluarix", "flu pf"), "Influenza", "150",
     ("Influenza",)),
    (("rotavirus", "rota", "rotateq", "rv5"), "Rotavirus", "122", ("Rotavirus",)),
    (("rotarix", "rv1"), "Rotarix", "119", ("Rotavirus",)),
)


def _tokens(text: str) -> str:
    spaced = re.sub(r"[^a-z0-9]+", " ", text.lower())
    return f" {' '.join(spaced.split())} "


@functools.cache
def _aliases() -> tuple[tuple[str, str, int, VaccineMatch], ...]:
    """Every alias of the table, worked out once rather than at every lookup.

    Each as `_tokens` normalises text (without its padding), as written, its row's order in
    the table, and its vaccine.
    """
    return tuple(
        (_tokens(alias).strip(), alias, order, VaccineMatch(name, cvx, groups))
        for order, (aliases, name, cvx, groups) in enumerate(_TABLE)
        for alias in aliases
    )


def _builtin_find(text: str) -> VaccineMatch | None:
    found = _builtin_span(text)
    return found[0] if found else None


def _builtin_span(text: str) -> tuple[VaccineMatch, str] | None:
    """The name the text gives (the last one written) and the alias that matched it."""
    haystack = _tokens(text)
    found: list[tuple[int, int, int, tuple[VaccineMatch, str]]] = []
    for normal, alias, order, match in _aliases():
        needle = f" {normal} "
        start = haystack.find(needle)
        while start >= 0:
            found.append((start, start + len(needle), -order, (match, alias)))
            start = haystack.find(needle, start + 1)
    # A name inside a longer one ("ipv" in "dtap hepb ipv") is part of it, not a name of its own.
    outer = [f for f in found if not any(
        o is not f and o[0] <= f[0] and f[1] <= o[1] and (o[1] - o[0]) > (f[1] - f[0])
        for o in found)]
    if not outer:
        return None
    # Two products of different vaccines in one cell ('Hiberix HepA': two rows of a list read as
    # one) name no one dose: which was given on the row's date is not known.
    if any(not set(one[3][0].groups) & set(other[3][0].groups)
           for one in outer for other in outer):
        return None
    # Of several names, the last written wins: a product written after a printed row label
    # ("POLIO (IPV/OPV)  Pediarix") is what was given; ties go to table order.
    return max(outer, key=lambda f: (f[0], f[1] - f[0], f[2]))[3]


def _engine_vocabulary() -> Any | None:
    try:
        return importlib.import_module("engine.vocabulary")
    except ModuleNotFoundError:
        return None


def _adapt(found: Any) -> VaccineMatch | None:
    """Translate the engine vocabulary's answer, whatever its exact class, to a VaccineMatch."""
    if found is None:
        return None
    if isinstance(found, (list, tuple)):
        return _adapt(found[0]) if found else None
    name = getattr(found, "name", None) or getattr(found, "vaccine", None)
    cvx = getattr(found, "cvx", None)
    groups = [str(getattr(g, "value", g)) for g in getattr(found, "groups", None) or ()]
    # The engine names only the six groups it checks; the other groups a record lists are
    # named by their one antigen (HepA, Pneumococcal, Influenza).
    antigens = [str(a) for a in getattr(found, "antigens", None) or ()]
    groups += [a for a in antigens if a in _OTHER_GROUPS and a not in groups]
    if name is None and cvx is None:
        return None
    return VaccineMatch(str(name or cvx), str(cvx) if cvx is not None else None, tuple(groups))


_FUZZY_RATIO = 0.8


@functools.cache
def _fuzzy_targets() -> tuple[tuple[str, Counter[str], VaccineMatch], ...]:
    """Every alias of four letters or more, normalised, with its letters and its vaccine."""
    return tuple(
        (target, Counter(target), replace(match, exact=False))
        for target, _, _, match in _aliases()
        if len(target) >= 4
    )


def fuzzy_match_vaccine(text: str) -> VaccineMatch | None:
    """A name misread by one or two letters ("Pediarx", "PCVv13"), marked not exact.

    Only names of four letters or more are tried, and a close second candidate of another
    vaccine means no answer: a guess must be unambiguous to be offered, and it is still sent
    to a reviewer by its lowered confidence.
    """
    tokens = _tokens(text).split()
    scored: list[tuple[float, VaccineMatch]] = []
    for size in (1, 2, 3):
        for start in range(len(tokens) - size + 1):
            window = " ".join(tokens[start : start + size])
            if len(window) < 4:
                continue
            letters = Counter(window)
            for target, target_letters, match in _fuzzy_targets():
                if abs(len(target) - len(window)) > 2:
                    continue
                # The letters both share bound the ratio from above (difflib's quick_ratio):
                # most names are ruled out before the full match.
                shared = sum((letters & target_letters).values())
                if 2 * shared < _FUZZY_RATIO * (len(window) + len(target)):
                    continue
                ratio = difflib.SequenceMatcher(None, window, target).ratio()
                if ratio >= _FUZZY_RATIO:
                    scored.append((ratio, match))
    if not scored:
        return None
    scored.sort(key=lambda item: item[0], reverse=True)
    best_ratio, best = scored[0]
    if any(m.groups != best.groups and best_ratio - r < 0.05 for r, m in scored[1:]):
        return None
    return exact_name(best) or best


def likeness_by_groups(text: str) -> dict[frozenset[str], tuple[float, VaccineMatch]]:
    """How much a name read resembles the vaccines of each set of groups, however misread.

    For every set of groups, the best ratio (difflib) of the text to an alias of four letters
    or more of a vaccine covering exactly those groups, spaces left out (a hand's letters read
    apart: 'SENT AC EL'), and that vaccine. Too loose to name a vaccine on its own: it only
    weighs one reading against another.
    """
    written = _tokens(text).replace(" ", "")
    best: dict[frozenset[str], tuple[float, VaccineMatch]] = {}
    if not written:
        return best
    for target, groups, match in _squeezed_targets():
        ratio = difflib.SequenceMatcher(None, written, target).ratio()
        if ratio > best.get(groups, (-1.0, match))[0]:
            best[groups] = (ratio, match)
    return best


@functools.cache
def _squeezed_targets() -> tuple[tuple[str, frozenset[str], VaccineMatch], ...]:
    """`_fuzzy_targets` with spaces left out, each with its groups and the engine's entry."""
    return tuple((target.replace(" ", ""), frozenset(match.groups), exact_name(match) or match)
                 for target, _, match in _fuzzy_targets())


@functools.cache
def _groups_by_name() -> dict[str, str]:
    """Every name and alias as written, in the table's order, with its vaccine groups as one key."""
    groups: dict[str, str] = {}
    for _, written, _, match in _aliases():
        groups.setdefault(written, ",".join(sorted(match.groups)))
    return groups


@functools.cache
def vaccine_names() -> tuple[str, ...]:
    """Every name and alias the built-in table knows, for choosing among them by likelihood."""
    return tuple(_groups_by_name())


@functools.cache
def vaccine_name_groups() -> tuple[str, ...]:
    """What each of `vaccine_names()` counts as in a record: its vaccine groups, as one key."""
    return tuple(_groups_by_name().values())


def match_label(text: str) -> VaccineMatch | None:
    """A printed row label, tolerating OCR slips (labels are printed, so a slip is a misread)."""
    return match_vaccine(text) or fuzzy_match_vaccine(text)


def label_groups(label: str | None) -> frozenset[str]:
    """The vaccine groups a printed row label names; none for no label or one like 'OTHER'."""
    printed = match_label(label) if label else None
    return frozenset(printed.groups) if printed is not None else frozenset()


def exact_name(fuzzy: VaccineMatch) -> VaccineMatch | None:
    """The engine's entry for a fuzzily matched name, still marked not exact."""
    found = match_vaccine(fuzzy.name)
    if found is None:
        return None
    return VaccineMatch(found.name, found.cvx, found.groups, exact=False)


def _engine_find(vocabulary: Any, text: str) -> VaccineMatch | None:
    try:
        return _adapt(vocabulary.find(text))
    except Exception:  # noqa: BLE001 - an unknown name is an answer, not a failure
        return None


def match_vaccine(text: str) -> VaccineMatch | None:
    """The vaccine a cell's text names (e.g. "Pediarix", "Hib (PRP-OMP)", "DTaP #2"), or None.

    The engine's vocabulary answers first. When it finds nothing (a printed row label beside the
    written product, a label it does not list), the built-in table finds the name in the text
    and the engine is asked about that name alone, so CVX codes stay the engine's.
    """
    if not text or not text.strip():
        return None
    # OCR reads a lone capital B as 8 ("Hep 8").
    text = re.sub(r"(?<=[A-Za-z])\s*\b8\b", " B", text)
    vocabulary = _engine_vocabulary()
    if vocabulary is None or not hasattr(vocabulary, "find"):
        return _builtin_find(text)
    found = _engine_find(vocabulary, text)
    if found is not None:
        return found
    span = _builtin_span(text)
    if span is None:
        return None
    builtin, alias = span
    return _engine_find(vocabulary, alias) or _engine_find(vocabulary, builtin.name) or builtin
