"""Errors of the service, all subclasses of the one hierarchy in engine.errors.

    ShotcheckError
    ├── BadInput                          exit 2, HTTP 422
    │   ├── BadUpload                     a malformed upload request (no file, a bad form field)
    │   ├── UnsupportedMediaType          HTTP 415: bytes that are not PNG, JPEG, TIFF or PDF
    │   └── TooLarge                      HTTP 413: over a byte, file-count or pixel limit
    ├── NotAuthenticated                  exit 5, HTTP 401: no or unknown credentials
    ├── Forbidden                         exit 5, HTTP 403: a role that may not do this
    │   └── CsrfFailed                    a cookie-authenticated change without its CSRF token
    ├── NotFound                          exit 6, HTTP 404: no such document, page, user or job
    ├── Conflict                          exit 7, HTTP 409: claimed by another, a stale version,
    │                                     a state that does not allow the action, a duplicate name
    └── ExternalToolError                 exit 4, HTTP 503
        └── PipelineUnavailable           the extractor or the engine check is not installed

The HTTP handler in intake.app maps any ShotcheckError to its `http_status` and the Error model.
"""

from __future__ import annotations

from engine.errors import BadInput, ExternalToolError, ShotcheckError

__all__ = [
    "BadUpload",
    "Conflict",
    "CsrfFailed",
    "Forbidden",
    "NotAuthenticated",
    "NotFound",
    "PipelineUnavailable",
    "TooLarge",
    "UnsupportedMediaType",
]


class BadUpload(BadInput):
    """An upload the station must fix: the message names the field."""


class UnsupportedMediaType(BadInput):
    """The bytes are not a format the service reads; the filename is never trusted."""

    http_status = 415


class TooLarge(BadInput):
    """Over a limit; the message names the limit and the setting that raises it."""

    http_status = 413


class NotAuthenticated(ShotcheckError):
    """No credentials, or credentials the service does not know (or that expired)."""

    exit_code = 5
    http_status = 401


class Forbidden(ShotcheckError):
    """Authenticated, but the role may not do this (a station on a reviewer route, and so on)."""

    exit_code = 5
    http_status = 403


class CsrfFailed(Forbidden):
    """A state-changing request authenticated by cookie came without the session's CSRF token."""


class NotFound(ShotcheckError):
    """The document, page, user, station or job does not exist."""

    exit_code = 6
    http_status = 404


class Conflict(ShotcheckError):
    """The action conflicts with the current state: claimed by another, stale version, etc."""

    exit_code = 7
    http_status = 409


class PipelineUnavailable(ExternalToolError):
    """The extractor or the engine check cannot be imported; the message says which."""
