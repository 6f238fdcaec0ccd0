"""The vaccine names the review page offers, and what a typed name normalises to."""

from __future__ import annotations

import functools

from engine import vocabulary
from engine.errors import ShotcheckError

__all__ = ["normalise_vaccine", "vaccine_names"]


@functools.cache
def vaccine_names() -> tuple[str, ...]:
    """Every name of the engine's vocabulary, for the vaccine picker (each one `lookup` knows)."""
    return vocabulary.names()


def normalise_vaccine(text: str) -> tuple[str, str | None]:
    """The vocabulary's name and CVX for what the reviewer typed, or the text and None.

    Returns:
        (name, cvx): the canonical name and code when the vocabulary knows the text; otherwise
        the stripped text as typed and None, so the check reports the unknown name itself.
    """
    cleaned = text.strip()
    try:
        found = vocabulary.lookup(cleaned)
    except ShotcheckError:  # unknown: the check names it to the reviewer
        return cleaned, None
    return found.name, found.cvx
