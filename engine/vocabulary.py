"""The vaccine vocabulary: names people write and CVX codes, to a vaccine with its antigens.

Names come from `engine/data/vocabulary.yaml`; antigens and groups from the CDSi CVX-to-antigen
map. Matching ignores case, spaces and punctuation and never guesses: a name is known exactly
or it is unknown.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml

from engine.cdsi.supporting_data import canonical_cvx, data_dir, load_supporting_data
from engine.errors import DataError, UnknownVaccine
from engine.model import VaccineGroup

__all__ = ["Vaccine", "find", "lookup", "lookup_cvx", "names"]

_CVX_TEXT = re.compile(r"^\s*(?:cvx)?\s*[#:]?\s*(\d{1,3})\s*$", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
# The longest run of words `find` tries as one name ("hib prp omp" is three words).
_MAX_WORDS = 6


@dataclass(frozen=True, slots=True)
class Vaccine:
    """A vaccine as the engine knows it: CVX code, display name, antigens and vaccine groups."""

    cvx: str
    name: str
    antigens: tuple[str, ...]
    groups: tuple[VaccineGroup, ...]


def _key(text: str) -> str:
    return "".join(_WORD.findall(text.lower()))


@dataclass(frozen=True, slots=True)
class _Tables:
    by_alias: dict[str, str]
    by_cvx: dict[str, Vaccine]


def _vaccine(cvx: str, name: str | None) -> Vaccine | None:
    data = load_supporting_data()
    entry = data.schedule.cvx_map.get(cvx)
    if entry is None and name is None:
        return None
    antigens = tuple(a.antigen for a in entry.associations) if entry else ()
    groups = []
    for ours, cdsi_name in data.group_names.items():
        group = data.schedule.vaccine_groups[cdsi_name]
        if any(a in group.antigens for a in antigens):
            groups.append(VaccineGroup(ours))
    return Vaccine(
        cvx=cvx,
        name=name or (entry.description if entry else cvx),
        antigens=antigens,
        groups=tuple(groups),
    )


@functools.cache
def _tables() -> _Tables:
    path = data_dir() / "vocabulary.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = raw["vaccines"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: cannot read the vaccine vocabulary: {exc}") from exc
    by_alias: dict[str, str] = {}
    by_cvx: dict[str, Vaccine] = {}
    for entry in entries:
        unknown = set(entry) - {"cvx", "name", "aliases", "note"}
        if unknown:
            raise DataError(f"{path}: unknown keys {sorted(unknown)} in {entry!r}")
        cvx = canonical_cvx(str(entry["cvx"]))
        vaccine = _vaccine(cvx, str(entry["name"]))
        assert vaccine is not None
        by_cvx[cvx] = vaccine
        for alias in [entry["name"], *entry.get("aliases", ())]:
            key = _key(str(alias))
            if by_alias.get(key, cvx) != cvx:
                raise DataError(
                    f"{path}: {alias!r} names both CVX {by_alias[key]} and {cvx}"
                )
            by_alias[key] = cvx
    return _Tables(by_alias=by_alias, by_cvx=by_cvx)


def lookup_cvx(code: str) -> Vaccine:
    """The vaccine with this CVX code ("110", "03" or "3").

    Raises:
        UnknownVaccine: when the code is not a number or not in the CDSi CVX map.
    """
    try:
        cvx = canonical_cvx(code)
    except ValueError as exc:
        raise UnknownVaccine(f"{code!r} is not a CVX code (CVX codes are numbers)") from exc
    tables = _tables()
    known = tables.by_cvx.get(cvx) or _vaccine(cvx, None)
    if known is None:
        raise UnknownVaccine(f"CVX {cvx} is not in CDC's CVX-to-antigen map; check the code")
    return known


def lookup(text: str) -> Vaccine:
    """The vaccine a name or CVX code denotes: "DTaP", "Hep B", "Hib (PRP-OMP)", "CVX 110".

    Raises:
        UnknownVaccine: when the text is not a name the vocabulary knows; nothing is guessed.
    """
    match = _CVX_TEXT.match(text)
    if match:
        return lookup_cvx(match.group(1))
    tables = _tables()
    cvx = tables.by_alias.get(_key(text))
    if cvx is None:
        raise UnknownVaccine(
            f"unknown vaccine name {text.strip()!r}: give its CVX code or a name such as "
            "'DTaP', 'IPV', 'MMR', 'Hib (PRP-OMP)', 'Pediarix'"
        )
    return tables.by_cvx[cvx]


def find(text: str) -> Vaccine | None:
    """The one vaccine named somewhere in a piece of text ("DTaP #2", "given: Pentacel"), or None.

    For OCR text: every run of words that is a known name is a mention, and a mention inside a
    longer one does not count ("Hib" inside "Hib PRP-OMP"). One vaccine mentioned: that
    vaccine. None or several ("MMR and Varicella"): None, never a guess. Numbers alone are
    never read as CVX codes here, since dates and dose numbers sit beside names.
    """
    tables = _tables()
    whole = tables.by_alias.get(_key(text))
    if whole is not None:
        return tables.by_cvx[whole]
    words = _WORD.findall(text.lower())
    mentions: list[tuple[int, int, str]] = []
    for start in range(len(words)):
        for stop in range(start + 1, min(len(words), start + _MAX_WORDS) + 1):
            key = "".join(words[start:stop])
            cvx = tables.by_alias.get(key)
            if cvx is not None and not key.isdigit():
                mentions.append((start, stop, cvx))
    kept = {
        cvx
        for start, stop, cvx in mentions
        if not any(
            s <= start and stop <= e and (e - s) > (stop - start) for s, e, _ in mentions
        )
    }
    if len(kept) != 1:
        return None
    return tables.by_cvx[kept.pop()]


def names() -> tuple[str, ...]:
    """Every vaccine's display name in the vocabulary, sorted without case (for a picker).

    Each name is one `lookup` knows, so what a reviewer picks always normalises.
    """
    return tuple(sorted((v.name for v in _tables().by_cvx.values()), key=str.casefold))
