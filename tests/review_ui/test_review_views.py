"""The view models of the review pages, tested as data (no browser, no server)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake.accounts import Actor
from intake.schemas import (
    CaseView,
    ChildDocument,
    ChildView,
    DocumentView,
    DoseSource,
    MergedDose,
    QueueFilters,
    QueueItem,
    VersionSummary,
)
from review_ui.cells import Level, age_text, match_doses
from review_ui.child_view import child_page
from review_ui.document_view import review_page
from review_ui.forms import parse_date, parse_dose_date, read_form
from review_ui.queue_view import queue_page
from review_ui.verdict import verdict_of
from tests.review_ui import cards
from tests.review_ui.card import CardPipeline, scan_bytes

RITA = Actor("user", 1, "rita", "reviewer")
SAM = Actor("user", 2, "sam", "supervisor")
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def view_of(card: dict[str, Any], *, record: dict[str, Any] | None = None,
            actions: tuple[str, ...] = ("extracted",), claimed_by: str | None = "rita",
            state: str = "needs_review") -> DocumentView:
    outcome = CardPipeline().process(scan_bytes(card), "card.png")
    extraction = outcome.extraction or {}
    record = record if record is not None else extraction.get("record")
    return DocumentView(
        id="doc-1", sha256="0" * 64, filename="card.png", media_type="image/png", size=1,
        state=state, failure=None, case_number="C-1", due_date=dt.date(2026, 12, 10),
        created_at=NOW, updated_at=NOW, page_count=1, version=len(actions), needs_review=True,
        claimed_by=claimed_by, claimed_until=NOW if claimed_by else None, child_id=None,
        linked_documents=[], extraction=extraction, record=record,
        check=CardPipeline().check(record, dt.date(2026, 12, 3)) if record else None,
        history=[VersionSummary(number=i + 1, action=a, author="pipeline", state=state,
                                needs_review=True, note=None, created_at=NOW)
                 for i, a in enumerate(actions)], job=None)


def test_a_flagged_date_an_unsure_name_and_a_missing_clinic_are_the_fields_to_check() -> None:
    page = review_page(view_of(cards.MIA_CARD), RITA, threshold=0.8)
    to_check = [(c.key, c.level) for c in page.cells if c.needs_attention]
    assert to_check == [("doses[6].date", Level.FLAGGED), ("doses[10].vaccine_text", Level.UNSURE),
                        ("doses[14].provider", Level.FLAGGED)]
    date = page.doses[6].date
    assert date.value == "2036-06-20" and date.as_read == "06/20/2036"
    assert date.reasons == ["2036-06-20 is after today"]
    box = next(b for b in page.boxes if b.id == date.box_id)
    assert (box.page, box.level, box.x, box.width) == (1, Level.FLAGGED, 304, 252)
    assert page.attention == 3 and page.can_edit and not page.can_claim


def test_a_corrected_value_is_marked_edited_and_keeps_its_reason() -> None:
    view = view_of(cards.MIA_CARD)
    record = dict(view.record or {})
    record["doses"] = [dict(d) for d in record["doses"]]
    record["doses"][6]["date"] = "2026-06-20"
    page = review_page(view_of(cards.MIA_CARD, record=record, actions=("extracted", "corrected")),
                       RITA, threshold=0.8)
    cell = page.doses[6].date
    assert (cell.value, cell.level, cell.needs_attention) == ("2026-06-20", Level.EDITED, False)
    assert cell.reasons == ["2036-06-20 is after today"]
    assert page.verdict.label == "Up to date"


def test_a_dose_read_without_a_date_is_shown_until_the_first_correction() -> None:
    card = {"child": cards.LEO, "doses": [
        {"text": "MMR", "vaccine": "MMR", "date": None, "date_text": "2 mo", "provider": "X"},
        {"text": "IPV", "vaccine": "IPV", "date": "2024-10-07", "provider": "X"}]}
    page = review_page(view_of(card), RITA, threshold=0.8)
    # In the card's order, the undated dose where it was written.
    assert [(r.vaccine.value, r.date.value) for r in page.doses] == [("MMR", ""),
                                                                     ("IPV", "2024-10-07")]
    after = review_page(view_of(card, actions=("extracted", "corrected")), RITA, threshold=0.8)
    assert [r.vaccine.value for r in after.doses] == ["IPV"]


def test_record_doses_find_what_was_read_by_vaccine_and_date_then_vaccine_then_date() -> None:
    read = [{"vaccine": "DTaP", "date": {"value": "2025-01-01"}},
            {"vaccine": "DTaP", "date": {"value": "2025-03-01"}},
            {"vaccine": "MMR", "date": {"value": "2026-01-01"}}]
    record = [{"vaccine": "DTaP", "date": "2025-03-01"}, {"vaccine": "DTaP", "date": "2025-01-09"},
              {"vaccine": "Varicella", "date": "2026-01-01"}, {"vaccine": "HepA", "date": "x"}]
    assert match_doses(record, read) == [1, 0, 2, None]


def test_another_reviewers_claim_blocks_changes_and_only_a_supervisor_may_release_it() -> None:
    view = view_of(cards.ANA_CARD, claimed_by="omar")
    rita, sam = review_page(view, RITA, threshold=0.8), review_page(view, SAM, threshold=0.8)
    assert (rita.can_edit, rita.can_claim, rita.can_release) == (False, False, False)
    assert (sam.can_edit, sam.can_release) == (False, True)
    accepted = review_page(view_of(cards.ANA_CARD, claimed_by=None, state="accepted"), SAM,
                           threshold=0.8)
    assert accepted.can_reopen and not accepted.can_edit


def test_an_unchanged_form_sends_no_correction_and_a_changed_date_sends_the_doses() -> None:
    record = {"child": {"name": "Leo Park", "birth_date": "2024-08-05"},
              "doses": [{"date": "2024-10-07", "vaccine": "Pediarix"}]}
    form = {"expected_version": "2", "child_name": "Leo Park", "child_birth_date": "2024-08-05",
            "dose-0-vaccine": "Pediarix", "dose-0-date": "2024-10-07", "dose-0-orig": "Pediarix",
            "dose-5-vaccine": "", "dose-5-date": ""}
    assert read_form(form, record).correction is None
    changed = read_form({**form, "dose-0-date": "12/09/2024"}, record).correction
    assert changed is not None and changed.expected_version == 2 and changed.child is None
    assert [(d.date, d.vaccine) for d in changed.doses or []] == [(dt.date(2024, 12, 9),
                                                                   "Pediarix")]


def test_a_form_with_a_bad_date_or_no_birth_date_names_what_to_fix() -> None:
    form = {"expected_version": "1", "child_name": "X", "child_birth_date": "",
            "dose-0-vaccine": "DTaP", "dose-0-date": "2 mo", "dose-1-vaccine": "",
            "dose-1-date": "2025-01-01"}
    errors = read_form(form, None).errors
    assert errors == ["Birth date: enter the child's birth date (the check needs it).",
                      "Dose 1 (DTaP): “2 mo” is not a date (YYYY-MM-DD, or YYYY-MM when only the "
                      "month is written); enter it, or delete the row.",
                      "Dose 2: enter the vaccine, or delete the row."]
    assert parse_date("2/30/2025") is None and parse_date("3/1/2025") == dt.date(2025, 3, 1)


def test_a_dose_written_with_its_month_only_is_sent_with_month_precision() -> None:
    assert parse_dose_date("2025-05") == (dt.date(2025, 5, 1), "month")
    assert parse_dose_date("5/2025") == (dt.date(2025, 5, 1), "month")
    assert parse_dose_date("05/12/2025") == (dt.date(2025, 5, 12), "day")
    assert parse_dose_date("2025-13") is None and parse_dose_date("2025") is None
    record = {"child": {"name": "Leo Park", "birth_date": "2024-08-05"},
              "doses": [{"date": "2024-10-07", "vaccine": "Pediarix", "date_precision": "day"}]}
    form = {"expected_version": "1", "child_name": "Leo Park", "child_birth_date": "2024-08-05",
            "dose-0-vaccine": "Pediarix", "dose-0-date": "2024-10", "dose-0-orig": "Pediarix"}
    correction = read_form(form, record).correction
    assert correction is not None and correction.doses is not None
    assert (correction.doses[0].date, correction.doses[0].date_precision) == (
        dt.date(2024, 10, 1), "month")
    month_record = {**record, "doses": [{"date": "2024-10-01", "vaccine": "Pediarix",
                                         "date_precision": "month"}]}
    assert read_form(form, month_record).correction is None  # shown as 2024-10: unchanged


def _item(name: str, flags: list[str], kind: str = "yellow_card", **more: Any) -> QueueItem:
    return QueueItem(id=name, filename=f"{name}.png", state="needs_review", document_type=kind,
                     child_name=name.title(), birth_date=dt.date(2025, 3, 10),
                     station="front-desk", flags=flags, case_number=None,
                     due_date=more.get("due"), created_at=NOW, version=1,
                     claimed_by=more.get("claimed_by"), claimed_until=more.get("until"),
                     review_reasons=["doses[1].date confidence 0.55 is under 0.80"])


def test_queue_rows_say_due_dates_ages_and_claims_and_a_supervisor_may_release_any() -> None:
    items = [_item("mia", ["date_in_future"], due=dt.date(2026, 12, 1), claimed_by="omar",
                   until=NOW),
             _item("leo", ["missing_provider"], due=dt.date(2026, 12, 5)),
             _item("scan", ["unknown_document_type"], kind="unknown")]
    today = dt.date(2026, 12, 3)
    page = queue_page(items, QueueFilters(), SAM, today, ["front-desk"], total=3)
    assert [(r.child, r.due_tone, r.age, r.unsure, r.document_type) for r in page.rows] == [
        ("Mia", "overdue", "20 mo", 1, "Yellow card"), ("Leo", "soon", "20 mo", 1, "Yellow card"),
        ("Scan", "none", "20 mo", 1, "Unknown document")]
    assert page.rows[0].can_release and page.rows[0].claimed_by == "omar"
    assert not queue_page(items, QueueFilters(), RITA, today, []).rows[0].can_release
    # Every flag the extractor raises is offered, whether or not a document shows it now.
    assert {"missing_signature", "partial_date", "date_in_future"} <= set(page.flag_options)
    assert page.state_options[2] == ("needs_review", "Needs review")


def test_ages_are_said_in_months_under_two_then_years_and_months() -> None:
    born = dt.date(2024, 8, 5)
    assert [age_text(born, dt.date(2026, 8, d)) for d in (4, 5)] == ["23 mo", "2 y 0 mo"]
    assert age_text(None, dt.date(2026, 1, 1)) == "?"


def _child_view(on: dt.date, case: CaseView | None = None) -> ChildView:
    def document(n: int, kind: str, state: str) -> ChildDocument:
        return ChildDocument(id=f"d{n}", filename=f"{n}.png", document_type=kind, state=state,
                             version=1, due_date=dt.date(2026, 12, 10), created_at=NOW)

    return ChildView(
        id=1, case_number="C-1001", as_of=on, documents=["d1", "d2", "d3"],
        document_details=[document(1, "cair2_report", "accepted"),
                          document(2, "yellow_card", "needs_review"),
                          document(3, "yellow_card", "rejected")],
        record={"child": {"name": "Mia", "birth_date": "2025-03-10"},
                "doses": [{"date": "2025-05-01", "vaccine": "DTaP", "date_precision": "month"},
                          {"date": "2026-03-12", "vaccine": "MMR"}]},
        doses=[MergedDose(date=dt.date(2025, 5, 1), date_precision="month", vaccine="DTaP",
                          cvx=None, sources=[DoseSource(document_id="d2", dose_index=0)]),
               MergedDose(date=dt.date(2026, 3, 12), vaccine="MMR", cvx="03",
                          sources=[DoseSource(document_id="d1", dose_index=1),
                                   DoseSource(document_id="d2", dose_index=4),
                                   DoseSource(document_id="d2", dose_index=6)])],
        check=None, problem="no engine", case=case)


def test_merged_doses_link_every_document_and_line_they_were_read_from() -> None:
    page = child_page(_child_view(dt.date(2026, 12, 3)), dt.date(2026, 12, 3))
    assert [(d.date, d.vaccine, [(s.label, s.lines) for s in d.sources]) for d in page.doses] == [
        ("2025-05", "DTaP", [("#2 Yellow card", [1])]),
        ("2026-03-12", "MMR", [("#1 CAIR2 report", [2]), ("#2 Yellow card", [5, 7])])]
    assert page.merged_from == 2 and page.documents[2].state_label == "Rejected"


def test_the_child_view_counts_the_days_to_the_verification_due_date() -> None:
    before = child_page(_child_view(dt.date(2026, 12, 3)), dt.date(2026, 12, 3))
    after = child_page(_child_view(dt.date(2026, 12, 15)), dt.date(2026, 12, 15))
    assert before.due_note == "Verification due in 7 days."
    assert after.due_note == "Verification was due 5 days before this date."
    assert after.verdict.explanation == ["no engine"] and not after.verdict.available
    assert before.notes and before.timeline is None  # no case data on file: said, not hidden


def test_case_data_on_file_gives_the_timeline_in_words() -> None:
    case = CaseView(case_number="C-1001", data={"event": "application"}, updated_at=NOW,
                    updated_by="reviewer:rita", timeline={
                        "rules": "calworks-sc", "due_date": "2026-11-15",
                        "penalty": {"applies": True, "effective_from": "2026-12-01",
                                    "ends_after": "2031-02", "penalized": ["mother"]},
                        "reminders": [{"date": "2026-11-05", "action": "remind"}],
                        "explanation": ["due 45 days after"]})
    page = child_page(_child_view(dt.date(2026, 12, 3), case), dt.date(2026, 12, 3))
    assert page.timeline is not None
    assert (page.timeline.due_date, page.timeline.penalty_months, page.timeline.penalized) == (
        "2026-11-15", "2026-12 to 2031-02", "mother")
    assert page.case_saved.endswith("by reviewer:rita") and not page.notes


def test_the_verdict_puts_statuses_into_words_and_tones() -> None:
    verdict = verdict_of({"status": "in_process", "as_of": "2026-12-03", "rules": "calworks-sc",
                          "groups": {"DTaP": {"status": "in_process", "valid_doses": 1,
                                              "required_doses": 3, "next_due": "2027-01-01"},
                                     "MMR": {}},
                          "explanation": ["DTaP: 1 valid dose of 3"]})
    assert (verdict.label, verdict.tone) == ("In process", "warn")
    assert [(g.name, g.label, g.doses, g.next_due) for g in verdict.groups] == [
        ("DTaP", "in process", "1 of 3 required", "2027-01-01")]
    assert verdict_of({"as_of": "2026-12-03", "doses": []}).label.startswith("No CalWORKs")


def test_a_form_that_did_not_save_comes_back_as_the_reviewer_left_it() -> None:
    view = view_of(cards.ANA_CARD)
    form = {"child_name": "Ana Lee", "child_birth_date": "2025-01-20", "child_sex": "F",
            "dose-0-vaccine": "Pediarix", "dose-0-date": "bad", "dose-7-vaccine": "MMR",
            "dose-7-date": ""}  # dose 1 deleted, a dose added
    page = review_page(view, RITA, threshold=0.8, errors=["Dose 1 …"], form=form)
    assert [(r.index, r.vaccine.value, r.date.value, r.date.level) for r in page.doses] == [
        (0, "Pediarix", "bad", Level.EDITED), (7, "MMR", "", Level.EDITED)]
    assert page.child[2].value == "F" and page.errors == ["Dose 1 …"]


def test_a_csf49_shows_its_statement_and_flags_the_missing_signature_on_its_line() -> None:
    view = view_of(cards.ANA_CARD)
    extraction = dict(view.extraction or {})
    extraction.update(
        document_type="csf49",
        attestations=[{"kind": "in_process", "signed": False, "signer": None, "date": None,
                       "confidence": 0.9}],
        signatures=[{"field": "signature", "present": False, "confidence": 0.88, "page": 1,
                     "box": [100, 1200, 500, 1260]}],
        flags=[{"code": "missing_signature", "field": "signature",
                "message": "the form is not signed; it counts only if signed"}])
    page = review_page(view.model_copy(update={"extraction": extraction}), RITA, threshold=0.8)
    statement, signature = page.statements
    assert statement.value == "The child is in the process of being immunized; NOT signed"
    assert (signature.value, signature.level) == ("missing", Level.FLAGGED)
    assert signature.reasons == ["the form is not signed; it counts only if signed"]
    assert signature.box_id in {b.id for b in page.boxes} and page.document_flags == []
    assert page.document_type == "CSF 49"


def test_a_check_without_the_calworks_verdict_shows_the_cdsi_forecast_instead() -> None:
    verdict = verdict_of({"as_of": "2026-12-03", "rules": "calworks-sc", "doses": [],
                          "forecast": {"DTaP": {"status": "not_complete", "dose_number": 2,
                                                "recommended": "2026-12-20",
                                                "past_due": "2027-01-20"},
                                       "MMR": {"status": "complete"}}})
    assert verdict.available and verdict.tone == "none"
    assert verdict.label.startswith("No CalWORKs verdict")
    assert [(g.name, g.label, g.next_due) for g in verdict.groups] == [
        ("DTaP", "dose 2 due", "2027-01-20"), ("MMR", "complete", "")]
