"""The CalWORKs verdict on a record: groups from doses and evidence, then the child."""

from __future__ import annotations

import datetime as dt

from engine.calworks.chart import ChartOutcome, assess_chart
from engine.calworks.evidence import (
    AttestationFinding,
    GroupExemption,
    assess_attestation,
    child_exemption,
    group_exemptions,
    immunity_of,
)
from engine.calworks.explain import (
    child_headline,
    doses_after_sentence,
    group_sentence,
    invalid_dose_sentences,
    partial_sentences,
    status_words,
)
from engine.calworks.partial import Evaluator, Scenario, default_evaluator, month_doses, scenarios
from engine.calworks.verdict import ChildStatus, DecidedBy, GroupStatus, GroupVerdict, Verdict
from engine.cdsi.result import CdsiResult
from engine.dates import add_offset, parse_offset
from engine.errors import BadRecord
from engine.model import Record, VaccineGroup
from engine.rules import DEFAULT_PACK, Pack, load_pack

__all__ = ["assess"]

# Better statuses rank higher: the child's status is the better of doses and attestation.
_WORST_FIRST = (ChildStatus.NOT_UP_TO_DATE, ChildStatus.IN_PROCESS, ChildStatus.UP_TO_DATE)


def _rank(status: ChildStatus) -> int:
    return _WORST_FIRST.index(status)


def _judge_group(
    group: VaccineGroup,
    pack: Pack,
    record: Record,
    as_of: dt.date,
    outcome: ChartOutcome,
    exemptions: list[GroupExemption],
) -> tuple[GroupVerdict, list[str]]:
    immune, immunity_sentence = immunity_of(
        group, pack.groups[group].immunity, record.immunity, as_of
    )
    exemption = next((e for e in exemptions if e.covers(group)), None)
    counts = {"valid_doses": len(outcome.valid), "required_doses": len(outcome.required)}
    if immune:
        verdict = GroupVerdict(status=GroupStatus.IMMUNE, next_due=None, **counts)
        return verdict, [immunity_sentence or f"{group} is immune."]
    notes = [immunity_sentence] if immunity_sentence else []
    if exemption is not None:
        verdict = GroupVerdict(status=GroupStatus.EXEMPT, next_due=None, **counts)
        return verdict, [f"{group} is exempt: {exemption.described}.", *notes]
    overdue = outcome.overdue_doses if outcome.status is GroupStatus.OVERDUE else ()
    verdict = GroupVerdict(
        status=outcome.status, next_due=outcome.next_due, overdue_doses=overdue, **counts
    )
    age_limit = pack.requirement_ends_at.age
    return verdict, [group_sentence(group, outcome, as_of, age_limit), *notes]


def _from_groups(groups: dict[VaccineGroup, GroupVerdict]) -> ChildStatus:
    statuses = {g.status for g in groups.values()}
    if GroupStatus.OVERDUE in statuses:
        return ChildStatus.NOT_UP_TO_DATE
    if GroupStatus.IN_PROCESS in statuses:
        return ChildStatus.IN_PROCESS
    return ChildStatus.UP_TO_DATE


def _decide(
    from_doses: ChildStatus, findings: list[AttestationFinding]
) -> tuple[ChildStatus, DecidedBy, str]:
    giving = [f for f in findings if f.holds and f.gives is not None]
    best = max(giving, key=lambda f: _rank(f.gives or from_doses), default=None)
    if best is None or best.gives is None:
        return from_doses, DecidedBy.DOSES, "Decided by the doses on file."
    if _rank(best.gives) > _rank(from_doses):
        return best.gives, DecidedBy.ATTESTATION, (
            f"Decided by {best.described}; the doses on file alone show the child "
            f"{status_words(from_doses)}."
        )
    return from_doses, DecidedBy.DOSES, (
        f"Decided by the doses on file; {best.described} shows no better."
    )


def _decide_child(
    rules: Pack,
    record: Record,
    as_of: dt.date,
    groups: dict[VaccineGroup, GroupVerdict],
    findings: list[AttestationFinding],
) -> tuple[ChildStatus, DecidedBy, str]:
    birth = record.child.birth_date
    sixth = add_offset(birth, parse_offset(rules.requirement_ends_at.age))
    if as_of >= sixth:
        return ChildStatus.NOT_REQUIRED, DecidedBy.AGE, (
            f"The requirement is for children under {rules.requirement_ends_at.age}; "
            f"the child reached that age on {sixth.isoformat()}."
        )
    if child_exemption(record, rules, as_of) is not None:
        return ChildStatus.EXEMPT, DecidedBy.EXEMPTION, (
            "Decided by the personal or religious belief affidavit on file."
        )
    status, decided_by, why = _decide(_from_groups(groups), findings)
    exempt = [g for g, v in groups.items() if v.status is GroupStatus.EXEMPT]
    exempting = [
        f.described
        for f in findings
        if f.exemption is not None and any(f.exemption.covers(g) for g in exempt)
    ]
    if decided_by is DecidedBy.DOSES and exempting:
        why = f"Decided by the doses on file with the medical exemption of {exempting[0]}."
    return status, decided_by, why


def _valid_on(reading: Scenario, group: VaccineGroup, as_of: dt.date) -> tuple[dt.date, ...]:
    return tuple(d for d in reading.valid_dates(group) if d <= as_of)


def assess(
    record: Record,
    cdsi: CdsiResult,
    as_of: dt.date,
    pack: str = DEFAULT_PACK,
    *,
    evaluate: Evaluator | None = None,
) -> Verdict:
    """Decide whether the child's immunizations are age-appropriate on `as_of` (CalWORKs).

    Args:
        record: the immunization record, with its evidence of immunity, exemptions and CSF 49s.
        cdsi: the CDSi evaluation of `record` (month-only doses on the first of their month).
        as_of: the date D the verdict speaks for.
        pack: the rule pack's name ("calworks-sc", the default, or "calworks-la").
        evaluate: evaluates a record the CDSi way; used only to try month-only doses on the last
            day of their month. Defaults to `engine.cdsi.evaluate_record` when it exists.

    Returns:
        The verdict: the child's status, each group's status and counts, and the sentences
        that explain it, each group's and which evidence decided the child's status.

    Raises:
        BadRecord: when `as_of` is before the child's birth date.
        BadInput: when no rule pack has the name `pack`.
    """
    rules = load_pack(pack)
    birth = record.child.birth_date
    if as_of < birth:
        raise BadRecord(f"as_of {as_of.isoformat()} is before the birth date {birth.isoformat()}")
    if evaluate is None and month_doses(record):
        evaluate = default_evaluator()
    readings = scenarios(record, cdsi, as_of, evaluate)
    findings = [assess_attestation(a, record, rules, as_of) for a in record.attestations]
    exemptions = group_exemptions(record, rules, as_of)
    exemptions += [f.exemption for f in findings if f.holds and f.exemption is not None]

    groups: dict[VaccineGroup, GroupVerdict] = {}
    group_notes: list[str] = []
    outcomes: dict[VaccineGroup, list[ChartOutcome]] = {}
    for group in VaccineGroup:
        seen = [
            assess_chart(rules.groups[group], birth, as_of, _valid_on(r, group, as_of))
            for r in readings
        ]
        outcomes[group] = seen
        worst = min(seen, key=lambda o: o.severity)
        groups[group], notes = _judge_group(group, rules, record, as_of, worst, exemptions)
        group_notes += notes

    status, decided_by, why = _decide_child(rules, record, as_of, groups, findings)
    extra = [doses_after_sentence(sum(d.date > as_of for d in record.doses), as_of)]
    # Past six the groups are kept in the result but not spelled out: nothing is owed.
    explanation = [
        child_headline(status, as_of, rules.name),
        why,
        *(group_notes if status is not ChildStatus.NOT_REQUIRED else []),
        *invalid_dose_sentences(record, cdsi, as_of),
        *partial_sentences(record, readings, outcomes),
        *[f.sentence for f in findings],
        *[s for s in extra if s],
    ]
    return Verdict(
        as_of=as_of,
        rules=rules.name,
        status=status,
        decided_by=decided_by,
        groups=groups,
        explanation=tuple(explanation),
    )
