"""Evidence besides doses: immunity, exemptions, and what a signed CSF 49 attests on a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engine.calworks.chart import chart_rows
from engine.calworks.verdict import BOOSTER, ChildStatus
from engine.dates import add_offset, parse_offset
from engine.model import (
    Attestation,
    AttestationKind,
    Exemption,
    Immunity,
    ImmunityKind,
    Record,
    Signer,
    VaccineGroup,
)
from engine.rules import AttestationHolds, AttestationRule, ExemptionScope, Pack
from engine.rules.schema import ImmunityRule

__all__ = [
    "AttestationFinding",
    "GroupExemption",
    "assess_attestation",
    "child_exemption",
    "group_exemptions",
    "immunity_of",
]

_KIND_WORDS = {ImmunityKind.HISTORY: "history of disease", ImmunityKind.SEROLOGY: "serology"}
_STATED = {
    AttestationKind.AGE_APPROPRIATE: "stating age-appropriate immunizations",
    AttestationKind.IN_PROCESS: "stating the child is in the process of receiving immunizations",
    AttestationKind.MEDICAL_EXEMPTION: "stating the child cannot be immunized for medical reasons",
}
# What each kind of CSF 49 gives when it holds; a medical exemption works group by group instead.
_GIVES = {
    AttestationKind.AGE_APPROPRIATE: ChildStatus.UP_TO_DATE,
    AttestationKind.IN_PROCESS: ChildStatus.IN_PROCESS,
}


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def immunity_of(
    group: VaccineGroup, rule: ImmunityRule | None, entries: tuple[Immunity, ...], as_of: dt.date
) -> tuple[bool, str | None]:
    """Whether evidence of immunity covers every antigen of the group on `as_of`.

    Args:
        group: the vaccine group.
        rule: what evidence the pack accepts for the group (none: no evidence stands in).
        entries: the record's evidence of immunity, for every group.
        as_of: the date D; evidence dated after it is not on file yet.

    Returns:
        (immune, sentence): the sentence says what was on file, or why it does not count.
    """
    mine = [e for e in entries if e.group is group and (e.date is None or e.date <= as_of)]
    if not mine:
        return False, None
    if rule is None:
        return False, f"{group} accepts no evidence of immunity in place of doses."
    accepted = [e for e in mine if e.kind in rule.kinds]
    if not accepted:
        kinds = _join([_KIND_WORDS[k] for k in rule.kinds])
        shown = _join(sorted({_KIND_WORDS[e.kind] for e in mine}))
        return False, (
            f"{group}: {shown} on file is not evidence of immunity for {group} (only {kinds})."
        )
    wanted = {a.casefold(): a for a in rule.antigens}
    covered: set[str] = set()
    for entry in accepted:
        if entry.antigens is None:
            # A group-wide entry counts for every antigen unless each must be named (polio:
            # a combined titer is not evidence for the three serotypes).
            if not rule.each_antigen_named:
                covered.update(wanted)
            continue
        covered.update(a.casefold() for a in entry.antigens)
    lacking = [name for key, name in wanted.items() if key not in covered]
    shown = _join(sorted({_KIND_WORDS[e.kind] for e in accepted}))
    if lacking:
        return False, (
            f"{group}: {shown} on file does not show immunity to {_join(lacking)}, "
            f"so it is not evidence of immunity for {group}."
        )
    return True, f"{group} is immune: {shown} on file."


def _in_force(exemption: Exemption, as_of: dt.date) -> bool:
    starts, ends = exemption.from_, exemption.until
    return (starts is None or starts <= as_of) and (ends is None or as_of <= ends)


def child_exemption(record: Record, pack: Pack, as_of: dt.date) -> Exemption | None:
    """The exemption on file that covers the whole child on `as_of` (personal belief), if any."""
    for exemption in record.exemptions:
        rule = pack.exemptions.get(exemption.kind)
        if rule and rule.scope is ExemptionScope.CHILD and _in_force(exemption, as_of):
            return exemption
    return None


@dataclass(frozen=True, slots=True)
class GroupExemption:
    """A medical exemption in force: the groups it covers (all when empty) and where it is from."""

    groups: tuple[VaccineGroup, ...]
    described: str

    def covers(self, group: VaccineGroup) -> bool:
        """Whether the exemption covers `group` (one naming no group covers them all)."""
        return not self.groups or group in self.groups


def _span(starts: dt.date | None, ends: dt.date | None) -> str:
    parts = ([f"from {starts.isoformat()}"] if starts else []) + (
        [f"until {ends.isoformat()}"] if ends else ["with no end date"]
    )
    return " ".join(parts)


def group_exemptions(record: Record, pack: Pack, as_of: dt.date) -> list[GroupExemption]:
    """The medical exemptions on file (not CSF 49s) in force on `as_of`."""
    found = []
    for exemption in record.exemptions:
        rule = pack.exemptions.get(exemption.kind)
        if rule and rule.scope is ExemptionScope.GROUPS and _in_force(exemption, as_of):
            span = _span(exemption.from_, exemption.until)
            found.append(GroupExemption(exemption.groups, f"a medical exemption {span}"))
    return found


@dataclass(frozen=True, slots=True)
class AttestationFinding:
    """What one CSF 49 attests on the as-of date, with the sentence that says so."""

    attestation: Attestation
    holds: bool
    sentence: str
    gives: ChildStatus | None = None
    exemption: GroupExemption | None = None

    @property
    def described(self) -> str:
        """The CSF 49 in words, for the sentence that says it decided the child's status."""
        signed = self.attestation.date.isoformat() if self.attestation.date else "undated"
        return f"the CSF 49 signed {signed} {_STATED[self.attestation.kind]}"


def _first_due_after(pack: Pack, birth: dt.date, signed: dt.date, as_of: dt.date) -> str | None:
    falling = sorted(
        (row.due_by, group, row)
        for group, rules in pack.groups.items()
        for row in chart_rows(rules, birth)
        if signed < row.due_by <= as_of
    )
    if not falling:
        return None
    due, group, row = falling[0]
    dose = "booster" if row.dose == BOOSTER else f"dose {row.dose}"
    return f"{group} {dose} fell due by {due.isoformat()}"


def assess_attestation(
    attestation: Attestation, record: Record, pack: Pack, as_of: dt.date
) -> AttestationFinding:
    """Judge one CSF 49 on `as_of` (calworks-rules.md §4, attestation instead of doses).

    Args:
        attestation: what the CSF 49 states, who signed it and when.
        record: the record it belongs to (the birth date sets the due-by dates it must outlast).
        pack: the rule pack: who may sign each kind and how long each holds.
        as_of: the date D.

    Returns:
        Whether it holds on D, what it gives (a child status, or a medical exemption for
        groups), and the sentence that says so or why it counts for nothing.
    """
    rule = pack.attestations.get(attestation.kind)
    stated = _STATED[attestation.kind]

    def nothing(why: str) -> AttestationFinding:
        return AttestationFinding(attestation, False, f"The CSF 49 {stated} {why}.")

    if rule is None:
        return nothing(f"is not accepted under {pack.name}")
    if not attestation.signed:
        return nothing("is not signed, so it attests nothing")
    signed = attestation.date
    if signed is None:
        return nothing("has no date, so it cannot speak for any date")
    if signed > as_of:
        return nothing(f"was signed {signed.isoformat()}, after {as_of.isoformat()}")
    signer = attestation.signer
    # An unknown signer is enough only when every kind of signer would do.
    if (signer is None and set(rule.signers) != set(Signer)) or (
        signer is not None and signer not in rule.signers
    ):
        allowed = _join([s.value for s in rule.signers])
        shown = signer.value if signer else "an unidentified signer"
        return nothing(
            f"signed {signed.isoformat()} by {shown} counts only when signed by {allowed}"
        )
    holds, why = _holds(rule, attestation, signed, record, pack, as_of)
    if not holds:
        return nothing(f"signed {signed.isoformat()} {why}")
    described = f"The CSF 49 signed {signed.isoformat()} {stated}"
    if attestation.kind is AttestationKind.MEDICAL_EXEMPTION:
        groups = attestation.groups
        names = _join([g.value for g in groups]) if groups else "all vaccines"
        exemption = GroupExemption(
            attestation.groups, f"a medical exemption on a CSF 49 signed {signed.isoformat()} {why}"
        )
        return AttestationFinding(
            attestation, True, f"{described} exempts {names} {why}.", exemption=exemption
        )
    return AttestationFinding(
        attestation, True, f"{described} {why}.", gives=_GIVES.get(attestation.kind)
    )


def _holds(
    rule: AttestationRule,
    attestation: Attestation,
    signed: dt.date,
    record: Record,
    pack: Pack,
    as_of: dt.date,
) -> tuple[bool, str]:
    """Whether a signed CSF 49 still speaks on `as_of`, and the words that say until when."""
    if rule.holds is AttestationHolds.UNTIL_A_DOSE_FALLS_DUE:
        fell = _first_due_after(pack, record.child.birth_date, signed, as_of)
        if fell:
            return False, f"no longer holds: {fell}, after it was signed"
        return True, f"holds on {as_of.isoformat()}: no dose has fallen due since"
    if rule.holds is AttestationHolds.FOR_PERIOD and rule.period is not None:
        ends = add_offset(signed, parse_offset(rule.period))
        if as_of > ends:
            return False, f"held until {ends.isoformat()} ({rule.period})"
        return True, f"holds until {ends.isoformat()} ({rule.period} after signing)"
    until = attestation.until
    if until is not None and as_of > until:
        return False, f"ended on {until.isoformat()}"
    return True, _span(None, until)
