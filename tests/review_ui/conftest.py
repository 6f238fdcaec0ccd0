"""Fixtures of the review-page tests: the served app, Chromium through Playwright, sign-in."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.review_ui.live import (
    PASSWORD,
    LiveServer,
    Seeded,
    build_app,
    copy_database,
    seeded_database,
)

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def _need_chromium() -> None:
    message = ""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (make system-deps-test)"
    elif importlib.util.find_spec("playwright") is None:
        message = "the playwright package is missing: pip install -e '.[test]'"
    if not message:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    """The seeded database file the tests copy, and what is in it."""
    path = tmp_path_factory.mktemp("review-ui-seed") / "seed.db"
    return path, seeded_database(path)


@pytest.fixture
def live(tmp_path: Path, browser: Any,
         seeded: tuple[Path, Seeded]) -> Iterator[tuple[str, Seeded]]:
    """A fresh app for each test, served on 127.0.0.1 (a free port), over a copy of the seed.

    Each test gets its own database: "approve and next" claims documents, so tests sharing one
    would depend on their order.
    """
    copy_database(seeded[0], tmp_path / "review.db")
    app = build_app(tmp_path / "review.db")
    with LiveServer(app) as server:
        yield server.url, seeded[1]
    app.state.database.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless (Playwright's own browser download is not used)."""
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any, live: tuple[str, Seeded]) -> Iterator[Callable[..., Any]]:
    """Open a fresh browser context at 1280×800, signed in as `user` unless None."""
    contexts: list[Any] = []

    def make(user: str | None, width: int = 1280, height: int = 800) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      base_url=live[0])
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            sign_in(page, user)
        return page

    yield make
    for context in contexts:
        context.close()


def ready(page: Any) -> None:
    """Wait until the page's script has bound every handler (review.js marks <html>).

    Call it once the URL says the new page is the current one (or inside `submit`): the page
    before had the mark too.
    """
    from playwright.sync_api import expect

    expect(page.locator("html")).to_have_attribute("data-ready", "1")


def submit(page: Any, control: Any) -> None:
    """Click a control that posts a form and wait for the page it leads to, ready.

    Many posts answer with the same URL (claim, save, a refused form), so waiting for a URL
    would return at once with the old page still there: wait for the navigation itself.
    """
    with page.expect_navigation():
        control.click()
    ready(page)


def sign_in(page: Any, user: str) -> None:
    """Sign in through the page's form."""
    page.goto("/review/login")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Sign in"))
    assert page.url.endswith("/review/")


def screenshot(page: Any, name: str, full_page: bool = False) -> Path:
    """Save a PNG under test-output/screenshots/ (git-ignored) for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# Text under 4.5:1 contrast against its effective background, and controls without a name.
_AUDIT_JS = r"""
() => {
  const rgb = s => (s.match(/[\d.]+/g) || [0, 0, 0, 0]).map(Number);
  const lum = c => c.slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => { for (; el; el = el.parentElement) {
    const c = rgb(getComputedStyle(el).backgroundColor); if (c.length < 4 || c[3] > 0.5) return c; }
    return [255, 255, 255]; };
  const low = [];
  document.querySelectorAll("body *").forEach(el => {
    if (!el.offsetParent) return;
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim())
      .join("") || (el.tagName === "INPUT" ? el.value : "");
    if (!text) return;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) low.push(`${ratio.toFixed(2)} ${el.tagName} ${text.slice(0, 30)}`);
  });
  const unnamed = [...document.querySelectorAll("input:not([type=hidden]),select,textarea,button")]
    .filter(e => e.offsetParent && !(e.labels && e.labels.length) && !e.getAttribute("aria-label")
            && !e.textContent.trim()).map(e => e.outerHTML.slice(0, 80));
  return low.concat(unnamed);
}
"""


def accessibility_problems(page: Any) -> list[str]:
    """Text under 4.5:1 contrast and unnamed controls on the page (empty when all is well)."""
    problems: list[str] = page.evaluate(_AUDIT_JS)
    return problems
