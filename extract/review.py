"""Review decision: a document waits for a reviewer when it has a flag or an unsure field."""

from __future__ import annotations

import math

from extract.result import (
    AttestationResult,
    ChildResult,
    DocumentType,
    DoseResult,
    Flag,
    SignatureResult,
)

__all__ = ["review_reasons"]


def review_reasons(
    *,
    document_type: DocumentType,
    type_confidence: float,
    child: ChildResult,
    doses: list[DoseResult],
    signatures: list[SignatureResult],
    attestations: list[AttestationResult],
    flags: list[Flag],
    threshold: float,
    type_threshold: float,
    unread: list[str] | None = None,
) -> list[str]:
    """Every reason a reviewer must look at the document; empty when it can be accepted.

    `unread`: what the parser saw on the page but could not read (Draft.unread).
    """
    reasons = [f"{flag.code.value} on {flag.field}" for flag in flags]
    reasons.extend(unread or [])
    if document_type is not DocumentType.UNKNOWN and type_confidence < type_threshold:
        reasons.append(f"document type {document_type.value} is unsure ({type_confidence:.2f})")
    if document_type is DocumentType.UNKNOWN:
        return reasons
    unsure: list[tuple[str, float]] = [
        ("child.name", child.name.confidence),
        ("child.birth_date", child.birth_date.confidence),
    ]
    for index, dose in enumerate(doses):
        unsure.append((f"doses[{index}].vaccine_text", dose.vaccine_text.confidence))
        unsure.append((f"doses[{index}].date", dose.date.confidence))
        if dose.provider.value is not None:
            unsure.append((f"doses[{index}].provider", dose.provider.confidence))
    for index, signature in enumerate(signatures):
        unsure.append((f"signatures[{index}]", signature.confidence))
    for index, attestation in enumerate(attestations):
        unsure.append((f"attestations[{index}]", attestation.confidence))
    reasons.extend(
        f"{name} confidence {_shown(confidence)} is under {threshold:.2f}"
        for name, confidence in unsure
        if confidence < threshold
    )
    if document_type is not DocumentType.CSF49 and not doses:
        reasons.append("no dose was found")
    return reasons


def _shown(confidence: float) -> str:
    """A confidence to two places, rounded down: 0.796 rounded would read 'under 0.80' as 0.80.

    Rounded to six places first, as 0.29 * 100 is 28.999999999999996 in binary.
    """
    return f"{math.floor(round(confidence * 100, 6)) / 100:.2f}"
