"""The reviewer pages in Chromium: sign in, the queue, fix, approve, reject, keyboard, refusals."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.review_ui.conftest import accessibility_problems, screenshot, sign_in
from tests.review_ui.live import Seeded

pytestmark = pytest.mark.browser
# Case data a worker pastes on the child view: applied 2026-10-01, notice of action 2026-11-17.
CASE = {"event": "application", "application_date": "2026-10-01", "medi_cal": "existing",
        "noa_date": "2026-11-17", "members": [{"id": "mother", "role": "parent", "in_au": True}],
        "children": [{"id": "mia", "birth_date": "2025-03-10"}]}


def test_a_reviewer_fixes_a_wrong_date_approves_and_sees_the_verdict_change(
        open_page: Any, live: tuple[str, Seeded]) -> None:
    _, seeded = live
    page = open_page(None)
    page.goto("/review/")
    page.wait_for_url("**/review/login**")
    page.get_by_label("User name").fill("rita")
    screenshot(page, "1-sign-in")
    sign_in(page, "rita")
    queue = page.locator("table.queue tbody tr")
    assert "Mia Santos" in queue.first.inner_text()  # the oldest verification due date first
    screenshot(page, "2-queue")
    assert accessibility_problems(page) == []

    page.get_by_role("link", name="Yellow card").first.click()
    page.get_by_role("button", name="Claim and review").click()
    page.wait_for_url(f"**/documents/{seeded.documents['mia']}")
    date = page.get_by_label("Dose 7 date")
    assert date.input_value() == "2036-06-20"
    assert "is after today" in page.locator("#why-dose-6-date").inner_text()
    # The flagged cell has focus and its box on the scan is selected.
    assert page.evaluate("document.activeElement.name") == "dose-6-date"
    assert page.locator("rect.box.selected").count() == 1
    assert page.locator("#verdict-status").inner_text() == "Not up to date"
    screenshot(page, "3-review")
    assert accessibility_problems(page) == []
    # At 1280×800 the page itself does not scroll: the scan and the fields scroll inside it.
    assert page.evaluate("[document.documentElement.scrollWidth, "
                         "document.documentElement.scrollHeight]") == [1280, 800]

    page.locator("rect.box.level-unsure").first.click()  # a box selects its field
    assert page.evaluate("document.activeElement.name") == "dose-10-vaccine"
    page.get_by_role("button", name="Rotate 90 degrees").click()
    assert "rotate(90" in (page.locator("g.turn").first.get_attribute("transform") or "")
    page.get_by_label("Dose 15 provider").focus()  # its box is on the back of the card
    assert page.locator("#page-label").inner_text() == "Page 2 of 2"
    assert page.locator("svg.page[data-page='2']").is_visible()
    page.keyboard.press("Alt+d")  # a dose added, then deleted again: nothing changes
    assert page.evaluate("document.activeElement.name") == "dose-15-vaccine"
    page.keyboard.press("Alt+Backspace")
    assert page.locator("#doses tbody tr").count() == 15
    date.fill("2026-06-20")
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.wait_for_url("**saved**")
    assert page.locator("#verdict-status").inner_text() == "Up to date"
    assert "was Not up to date" in page.locator("#notice").inner_text()

    page.get_by_role("button", name=re.compile("^Approve")).click()
    page.get_by_role("button", name=re.compile("^Approve")).click()  # unchecked fields: again
    page.wait_for_url("**done=approved**")
    assert "Approved mia.png" in page.locator("#notice").inner_text()

    page.goto(f"/review/children/{seeded.mia_child}")
    assert page.locator("#verdict-status").inner_text() == "Up to date"
    assert "#1 CAIR2 report, #2 Yellow card" in page.locator("table.merged").inner_text()
    page.get_by_text("Plan with case data").click()
    page.get_by_label(re.compile("^Case data")).fill(json.dumps(CASE))
    page.get_by_role("button", name="Show the timeline").click()
    assert "2026-12 to 2031-02" in page.locator("dl.timeline").inner_text()
    screenshot(page, "4-child", full_page=True)

    page.goto(f"/review/documents/{seeded.documents['unknown']}")
    page.get_by_role("button", name="Claim and review").click()
    page.get_by_role("button", name=re.compile("^Reject")).click()
    page.get_by_label("Reason").select_option("Not an immunization record")
    page.get_by_role("button", name="Reject & next").click()
    page.wait_for_url("**done=rejected**")
    page.goto(f"/review/documents/{seeded.documents['unknown']}")
    assert page.locator(".state").first.inner_text() == "Rejected"


def page_width(page: Any) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


class Keyboard:
    """Presses keys and counts them: a chord (Control+Enter) is one keystroke, a text its length."""

    def __init__(self, page: Any) -> None:
        self.page, self.count = page, 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count += len(text)


# The number of keystrokes the keyboard-only test uses to clear a typical flagged yellow card
# (claim, accept an unsure vaccine, retype a swapped date, accept a dose without a clinic,
# approve); the report quotes it, and a change to the flow shows up here.
KEYSTROKES_TO_CLEAR_A_CARD = 15


def test_a_reviewer_clears_a_flagged_yellow_card_with_the_keyboard_alone(
        open_page: Any, live: tuple[str, Seeded]) -> None:
    _, seeded = live
    page = open_page("kim")
    page.goto(f"/review/documents/{seeded.documents['leo']}")
    keys = Keyboard(page)
    with page.expect_navigation():
        keys.press("Enter")  # "Claim and review" has the focus
    assert page.evaluate("document.activeElement.name") == "dose-4-vaccine"  # "H1b", unsure
    keys.press("Enter")  # accept: Hib is right
    assert page.evaluate("document.activeElement.name") == "dose-7-date"  # day/month swapped
    keys.type("2025-10-08")  # the field's text is selected on focus: typing replaces it
    keys.press("Enter")
    assert page.evaluate("document.activeElement.id") == "cell-box-doses-8-provider"
    keys.press("Enter")  # no clinic written: nothing to fix, accepted as seen
    assert "All 3 fields checked" in page.locator("#progress").inner_text()
    screenshot(page, "6-keyboard-all-checked")
    with page.expect_navigation():
        keys.press("Control+Enter")
    assert "Approved leo.png" in page.locator("#notice").inner_text()
    assert keys.count == KEYSTROKES_TO_CLEAR_A_CARD

    page.goto(f"/review/documents/{seeded.documents['leo']}")
    assert page.locator(".state").first.inner_text() == "Accepted"
    assert page.get_by_label("Dose 8 date").input_value() == "2025-10-08"
    assert "3 of 3 fields to check were checked" in (page.locator("#history").text_content()
                                                      or "")


def test_a_claimed_document_is_blocked_for_others_and_a_supervisor_releases_it(
        open_page: Any, live: tuple[str, Seeded]) -> None:
    _, seeded = live
    ana = f"/review/documents/{seeded.documents['ana']}"
    omar = open_page("omar")
    omar.goto(ana)
    omar.get_by_role("button", name="Claim and review").click()
    omar.wait_for_selector("#approve")

    rita = open_page("rita")
    rita.goto(ana)
    assert "Claimed by omar" in rita.locator("#claimed-banner").inner_text()
    assert rita.locator("#approve").count() == 0
    assert rita.get_by_label("Dose 1 date").is_disabled()
    token = rita.locator("input[name=csrf_token]").first.input_value()
    forged = rita.request.post(f"{ana}/approve", form={"csrf_token": token,
                                                       "expected_version": "1"})
    assert forged.status == 409 and "claimed by omar" in forged.text()

    sam = open_page("sam", width=1920, height=1080)
    sam.goto(ana)
    screenshot(sam, "5-review-claimed-1920")
    audit = sam.locator("#history").text_content() or ""  # a supervisor sees the audit log
    assert "Audit log" in audit and "reviewer:omar" in audit and "claimed" in audit
    assert page_width(sam) == 1920
    sam.get_by_role("button", name="Release omar's claim").click()
    sam.wait_for_url("**done=released**")
    assert "Released ana.png" in sam.locator("#notice").inner_text()


def test_the_pages_refuse_station_keys_and_forms_without_their_csrf_token(
        open_page: Any, live: tuple[str, Seeded]) -> None:
    _, seeded = live
    anonymous = open_page(None)
    station = anonymous.request.get("/review/", max_redirects=0, headers={
        "Authorization": f"Bearer {seeded.station_key}"})
    assert station.status == 403 and "A station key cannot open" in station.text()

    rita = open_page("rita")
    claim = f"/review/documents/{seeded.documents['unknown']}/claim"
    for form in ({}, {"csrf_token": "not-the-token"}):
        refused = rita.request.post(claim, form=form, max_redirects=0)
        assert refused.status == 403 and "security token" in refused.text()
    logout = rita.request.post("/review/logout", form={}, max_redirects=0)
    assert logout.status == 403
    rita.goto("/review/")
    assert rita.url.endswith("/review/")  # still signed in: nothing was changed
