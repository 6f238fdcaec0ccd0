"""The vaccine names the review page offers: the engine's vocabulary when it is there."""

from __future__ import annotations

import functools

__all__ = ["COMMON_NAMES", "normalise_vaccine", "vaccine_names"]

# Offered when the engine's vocabulary cannot be imported (it is being written alongside this
# package); each is a name the vocabulary is meant to know, so nothing here is a guess.
COMMON_NAMES: tuple[str, ...] = (
    "DTaP", "Tdap", "DT (pediatric)", "IPV", "OPV", "Hib", "Hib (PRP-OMP)", "Hib (PRP-T)",
    "HepB", "HepA", "MMR", "MMRV", "Varicella", "Pediarix", "Pentacel", "Kinrix", "Vaxelis",
    "Quadracel", "ProQuad", "PCV13", "PCV15", "PCV20", "Influenza", "Rotavirus",
)


@functools.cache
def vaccine_names() -> tuple[str, ...]:
    """The names for the vaccine picker: the common ones the vocabulary knows, or all of them.

    Falls back to COMMON_NAMES when `engine.vocabulary` is missing or its data cannot be read,
    so the page still works while the engine is being built.
    """
    try:
        from engine import vocabulary
    except ImportError:
        return COMMON_NAMES
    known = []
    for name in COMMON_NAMES:
        try:
            known.append(vocabulary.lookup(name).name)
        except Exception:  # noqa: BLE001 - an unknown name or unreadable data: leave it out
            continue
    return tuple(dict.fromkeys(known)) or COMMON_NAMES


def normalise_vaccine(text: str) -> tuple[str, str | None]:
    """The vocabulary's name and CVX for what the reviewer typed, or the text and None.

    Returns:
        (name, cvx): the canonical name and code when the vocabulary knows the text; otherwise
        the stripped text as typed and None, so the check reports the unknown name itself.
    """
    cleaned = text.strip()
    try:
        from engine import vocabulary

        found = vocabulary.lookup(cleaned)
    except Exception:  # noqa: BLE001 - unknown, or the vocabulary is not there yet
        return cleaned, None
    return found.name, found.cvx
