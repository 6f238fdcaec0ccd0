"""The error part of the OpenAPI document: every route lists its error answers with `Error`."""

from __future__ import annotations

from typing import Any

from intake.schemas import Error

__all__ = ["errors"]

_DESCRIPTIONS = {
    401: "no credentials, or unknown or expired ones",
    403: "a role that may not do this, or a missing CSRF token",
    404: "no such document, page, child or job",
    409: "claimed by another reviewer, a stale version, or a state that forbids it",
    413: "over a size, count or pixel limit",
    415: "not a PNG, JPEG, TIFF or PDF (sniffed from the bytes)",
    422: "a malformed request, or a record that does not match the contract",
    503: "the extractor or engine is not available",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry of a route for these error statuses."""
    return {status: {"model": Error, "description": _DESCRIPTIONS[status]} for status in statuses}
