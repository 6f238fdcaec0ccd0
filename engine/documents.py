"""The document types and flag codes of documents.md, named once.

The extraction raises these codes and the synthetic corpus's ground truth expects them; one
definition keeps the two from drifting apart.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DocumentType", "FlagCode"]


class DocumentType(StrEnum):
    """The three kinds of paper the service reads, and `unknown` for anything else."""

    YELLOW_CARD = "yellow_card"
    CSF49 = "csf49"
    CAIR2_REPORT = "cair2_report"
    UNKNOWN = "unknown"


class FlagCode(StrEnum):
    """The flags documents.md lists; each names the field it is about."""

    MISSING_DATE = "missing_date"
    PARTIAL_DATE = "partial_date"
    UNREADABLE_DATE = "unreadable_date"
    AGE_INSTEAD_OF_DATE = "age_instead_of_date"
    DATE_BEFORE_BIRTH = "date_before_birth"
    DATE_IN_FUTURE = "date_in_future"
    POSSIBLE_DAY_MONTH_SWAP = "possible_day_month_swap"
    DUPLICATE_DOSE = "duplicate_dose"
    MISSING_PROVIDER = "missing_provider"
    MISSING_SIGNATURE = "missing_signature"
    MISSING_SIGNATURE_DATE = "missing_signature_date"
    UNKNOWN_VACCINE = "unknown_vaccine"
    UNKNOWN_DOCUMENT_TYPE = "unknown_document_type"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"
