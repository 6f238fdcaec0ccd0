"""The one exception hierarchy of shotcheck; every layer raises subclasses of ShotcheckError.

    ShotcheckError                 exit 1, HTTP 500
    ├── BadInput                   exit 2, HTTP 422   (a record, case or file the user must fix)
    │   ├── BadRecord              a record that does not match the Record contract
    │   ├── BadCase                a case file that does not match the case contract
    │   └── UnknownVaccine         a vaccine name or CVX code the vocabulary does not know
    ├── DataError                  exit 3, HTTP 500   (supporting data or a rule pack is broken)
    └── ExternalToolError          exit 4, HTTP 503   (Tesseract or a parser failed or is missing)

The exit codes and HTTP statuses live here, on the classes, and nowhere else.
"""

from __future__ import annotations

__all__ = [
    "BadCase",
    "BadInput",
    "BadRecord",
    "DataError",
    "ExternalToolError",
    "ShotcheckError",
    "UnknownVaccine",
]


class ShotcheckError(Exception):
    """Base of every error shotcheck raises on purpose; its message tells the user what to do."""

    exit_code: int = 1
    http_status: int = 500


class BadInput(ShotcheckError):
    """Input the user can fix: the message names the field and what is wrong with it."""

    exit_code = 2
    http_status = 422


class BadRecord(BadInput):
    """A record that does not match the Record contract."""


class BadCase(BadInput):
    """A case file that does not match the case contract."""


class UnknownVaccine(BadInput):
    """A vaccine name or code the vocabulary does not know; never guessed."""


class DataError(ShotcheckError):
    """Supporting data or a rule pack that fails validation: a packaging fault, not the user's."""

    exit_code = 3


class ExternalToolError(ShotcheckError):
    """An external program (Tesseract, a PDF parser) failed, hung, or is not installed."""

    exit_code = 4
    http_status = 503
