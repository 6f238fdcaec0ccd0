"""The reviewer pages in Chromium: sign in, the queue, fix, approve, reject, keyboard, refusals.

Every wait is on something the page shows (Playwright's `expect` retries until it holds) or on
the navigation a form post starts (`submit`), never on time: a post that answers with the same
URL (claim, save) would satisfy a URL wait at once, with the old page still on screen.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.review_ui.conftest import accessibility_problems, ready, screenshot, sign_in, submit
from tests.review_ui.live import Seeded

pytestmark = pytest.mark.browser
# Case data a worker enters on the child view: applied 2026-10-01, notice of action 2026-11-17.
CASE = {"event": "application", "application_date": "2026-10-01", "medi_cal": "existing",
        "noa_date": "2026-11-17", "members": [{"id": "mother", "role": "parent", "in_au": True}],
        "children": [{"id": "mia", "birth_date": "2025-03-10"}]}


def focused(page: Any, name: str) -> None:
    """The input named `name` has the keyboard focus (waits for it)."""
    expect(page.locator(f'[name="{name}"]')).to_be_focused()


def test_a_reviewer_fixes_a_wrong_date_approves_and_sees_the_verdict_change(
        open_page: Any, live: tuple[str, Seeded]) -> None:
    _, seeded = live
    page = open_page(None)
    page.goto("/review/")
    expect(page).to_have_url(re.compile(r"/review/login\?next="))
    page.get_by_label("User name").fill("rita")
    screenshot(page, "1-sign-in")
    sign_in(page, "rita")
    expect(page.locator("table.queue tbody tr").first).to_contain_text("Mia Santos")  # due first
    screenshot(page, "2-queue")
    assert accessibility_problems(page) == []

    page.get_by_role("link", name="Yellow card").first.click()
    expect(page).to_have_url(re.compile(f"/documents/{seeded.documents['mia']}$"))
    ready(page)
    submit(page, page.get_by_role("button", name="Claim and review"))
    date = page.get_by_label("Dose 7 date")
    expect(date).to_have_value("2036-06-20")
    expect(page.locator("#why-dose-6-date")).to_contain_text("is after today")
    # The flagged cell has focus and its box on the scan is selected.
    focused(page, "dose-6-date")
    expect(page.locator("rect.box.selected")).to_have_count(1)
    expect(page.locator("#verdict-status")).to_have_text("Not up to date")
    # The vaccine picker offers the engine's vocabulary; the audit panel is there for reviewers.
    assert page.locator("#vaccines option").count() > 40
    expect(page.locator("#vaccines option[value='Pediarix']")).to_have_count(1)
    expect(page.locator("#audit summary")).to_contain_text("Audit log")
    expect(page.locator("#audit tbody")).to_contain_text("reviewer:rita")
    screenshot(page, "3-review")
    assert accessibility_problems(page) == []
    # At 1280×800 the page itself does not scroll: the scan and the fields scroll inside it.
    assert page.evaluate("[document.documentElement.scrollWidth, "
                         "document.documentElement.scrollHeight]") == [1280, 800]

    page.locator("rect.box.level-unsure").first.click()  # a box selects its field
    focused(page, "dose-10-vaccine")
    page.get_by_role("button", name="Rotate 90 degrees").click()
    expect(page.locator("g.turn").first).to_have_attribute("transform", re.compile(r"rotate\(90"))
    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator("#zoom-label")).not_to_have_text("100 %")
    page.get_by_label("Dose 15 provider").focus()  # its box is on the back of the card
    expect(page.locator("#page-label")).to_have_text("Page 2 of 2")
    expect(page.locator("svg.page[data-page='2']")).to_be_visible()
    page.keyboard.press("Alt+d")  # a dose added, then deleted again: nothing changes
    focused(page, "dose-15-vaccine")
    page.keyboard.press("Alt+Backspace")
    expect(page.locator("#doses tbody tr")).to_have_count(15)
    date.fill("2026-06-20")
    page.get_by_label("Dose 15 date").fill("2026-03")  # only the month is legible: say so
    submit(page, page.get_by_role("button", name=re.compile("^Save")))
    assert "done=saved" in page.url
    expect(page.locator("#verdict-status")).to_have_text("Up to date")
    expect(page.locator("#notice")).to_contain_text("was Not up to date")
    expect(page.get_by_label("Dose 15 date")).to_have_value("2026-03")

    approve = page.get_by_role("button", name=re.compile("^Approve"))
    approve.click()  # fields not checked yet: the first press says so and stays
    expect(page.locator("#progress")).to_contain_text("not checked yet")
    submit(page, approve)
    assert "done=approved" in page.url
    expect(page.locator("#notice")).to_contain_text("Approved mia.png")

    page.goto(f"/review/children/{seeded.mia_child}")
    ready(page)
    expect(page.locator("#verdict-status")).to_have_text("Up to date")
    merged = page.locator("table.merged")
    expect(merged).to_contain_text("#1 CAIR2 report dose 1, #2 Yellow card dose 1")
    # The month-only date stays a month: the registry's 2026-03-12 is not assumed to be it.
    expect(merged.get_by_role("row", name=re.compile(r"^2026-03 Varicella"))).to_have_count(1)
    page.get_by_text("Enter the case data").click()
    page.get_by_label(re.compile("^Case data")).fill(json.dumps(CASE))
    submit(page, page.get_by_role("button", name="Save and show the timeline"))
    expect(page.locator("#notice")).to_have_text("Case data saved.")
    expect(page.locator("dl.timeline")).to_contain_text("2026-12 to 2031-02")
    expect(page.locator("#case-saved")).to_contain_text("reviewer:rita")
    screenshot(page, "4-child", full_page=True)
    assert accessibility_problems(page) == []

    page.goto(f"/review/documents/{seeded.documents['unknown']}")
    ready(page)
    submit(page, page.get_by_role("button", name="Claim and review"))
    page.get_by_role("button", name=re.compile("^Reject")).click()
    page.get_by_label("Reason").select_option("Not an immunization record")
    submit(page, page.get_by_role("button", name="Reject & next"))
    assert "done=rejected" in page.url
    page.goto(f"/review/documents/{seeded.documents['unknown']}")
    expect(page.locator(".state").first).to_have_text("Rejected")


def test_the_queue_filters_by_flag_type_station_and_state(
        open_page: Any, live: tuple[str, Seeded]) -> None:
    page = open_page("rita")
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(4)  # the CAIR2 report was accepted without review
    page.get_by_label("Flag").select_option("missing_provider")
    submit(page, page.get_by_role("button", name="Filter"))
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Mia Santos")
    expect(rows.nth(1)).to_contain_text("Leo Park")
    page.get_by_label("Flag").select_option("")
    page.get_by_label("Type").select_option("unknown")
    submit(page, page.get_by_role("button", name="Filter"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("unknown.png")
    page.goto("/review/?state=accepted&station=front-desk")
    ready(page)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("CAIR2 report")
    expect(page.get_by_label("State")).to_have_value("accepted")


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
    ready(page)
    keys = Keyboard(page)
    with page.expect_navigation():
        keys.press("Enter")  # "Claim and review" has the focus
    ready(page)
    focused(page, "dose-4-vaccine")  # "H1b", unsure
    keys.press("Enter")  # accept: Hib is right
    focused(page, "dose-7-date")  # day and month swapped
    keys.type("2025-10-08")  # the field's text is selected on focus: typing replaces it
    keys.press("Enter")
    expect(page.locator("#cell-box-doses-8-provider")).to_be_focused()
    keys.press("Enter")  # no clinic written: nothing to fix, accepted as seen
    expect(page.locator("#progress")).to_contain_text("All 3 fields checked")
    screenshot(page, "6-keyboard-all-checked")
    with page.expect_navigation():
        keys.press("Control+Enter")
    ready(page)
    expect(page.locator("#notice")).to_contain_text("Approved leo.png")
    assert keys.count == KEYSTROKES_TO_CLEAR_A_CARD

    page.goto(f"/review/documents/{seeded.documents['leo']}")
    ready(page)
    expect(page.locator(".state").first).to_have_text("Accepted")
    expect(page.get_by_label("Dose 8 date")).to_have_value("2025-10-08")
    expect(page.locator("#history")).to_contain_text("3 of 3 fields to check were checked")


def test_a_claimed_document_is_blocked_for_others_and_a_supervisor_releases_it(
        open_page: Any, live: tuple[str, Seeded]) -> None:
    _, seeded = live
    ana = f"/review/documents/{seeded.documents['ana']}"
    omar = open_page("omar")
    omar.goto(ana)
    ready(omar)
    submit(omar, omar.get_by_role("button", name="Claim and review"))
    expect(omar.locator("#approve")).to_be_visible()

    rita = open_page("rita")
    rita.goto(ana)
    ready(rita)
    expect(rita.locator("#claimed-banner")).to_contain_text("Claimed by omar")
    expect(rita.locator("#approve")).to_have_count(0)
    expect(rita.get_by_label("Dose 1 date")).to_be_disabled()
    token = rita.locator("input[name=csrf_token]").first.input_value()
    forged = rita.request.post(f"{ana}/approve", form={"csrf_token": token,
                                                       "expected_version": "1"})
    assert forged.status == 409 and "claimed by omar" in forged.text()

    sam = open_page("sam", width=1920, height=1080)
    sam.goto("/review/")
    ready(sam)
    claimed_row = sam.locator("table.queue tbody tr", has_text="Ana Lee")
    expect(claimed_row).to_contain_text("omar")  # a supervisor sees everyone's claims
    sam.goto(ana)
    ready(sam)
    screenshot(sam, "5-review-claimed-1920")
    expect(sam.locator("#audit tbody")).to_contain_text("reviewer:omar")
    expect(sam.locator("#audit tbody")).to_contain_text("claimed")
    assert page_width(sam) == 1920
    submit(sam, sam.get_by_role("button", name="Release omar's claim"))
    assert "done=released" in sam.url
    expect(sam.locator("#notice")).to_contain_text("Released ana.png")


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
    ready(rita)
    assert rita.url.endswith("/review/")  # still signed in: nothing was changed
