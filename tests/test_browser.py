"""The drawing page in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from mnistlab.serve import create_app
from mnistlab.synthetic import drawn_digit, strokes_in_box

from conftest import running_server

pytestmark = pytest.mark.mnist
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless, and quiet: this machine's closed network refuses Chromium's background traffic.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} does not exist.")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page_url(default_run) -> Iterator[str]:
    with running_server(create_app(default_run.paths["model"])) as url:
        yield url


def draw(page, digit: int) -> None:
    """Draw `digit` stroke by stroke with the mouse, as a person would."""
    box = page.locator("#pad").bounding_box()
    for stroke in strokes_in_box(digit, box["x"], box["y"], box["width"], box["height"]):
        page.mouse.move(*stroke[0])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(x, y, steps=4)
        page.mouse.up()


def lit_pixels(page, canvas_id: str) -> int:
    return page.evaluate(
        """(id) => { const c = document.getElementById(id);
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] + d[i+1] + d[i+2] > 60) n++;
             return n; }""",
        canvas_id,
    )


@pytest.mark.parametrize("digit", [7, 3])
def test_draw_a_digit_and_see_it_read(browser, page_url: str, digit: int, tmp_path: Path) -> None:
    page = browser.new_page()
    page.goto(page_url)
    page.wait_for_selector("body[data-model='loaded']")
    assert "test accuracy" in page.locator("#facts-list").inner_text()

    draw(page, digit)
    page.wait_for_selector("body[data-state='answered']")
    page.wait_for_function(
        f"document.getElementById('prediction').textContent === '{digit}'", timeout=10_000
    )
    assert page.locator("#bars .bar").count() == 10
    assert page.locator("#bars .bar.winner").get_attribute("data-digit") == str(digit)
    assert lit_pixels(page, "seen") > 500  # the 28×28 preview shows the digit
    assert lit_pixels(page, "template-first") > 0
    assert f"template of {digit}" in page.locator("#caption-first").inner_text()
    page.screenshot(path=str(tmp_path / f"drawn-{digit}.png"))

    page.click("#clear")
    assert page.locator("#prediction").inner_text() == "\u2013"  # the page's dash for "nothing yet"
    assert page.locator("#bars .bar").count() == 0
    page.close()


def test_upload_an_image(browser, page_url: str, tmp_path: Path) -> None:
    path = tmp_path / "five.png"
    drawn_digit(5, np.random.default_rng(2)).save(path)
    page = browser.new_page()
    page.goto(page_url)
    page.wait_for_selector("body[data-model='loaded']")
    page.set_input_files("#upload", str(path))
    page.wait_for_selector("body[data-state='answered']")
    assert page.locator("#prediction").inner_text() == "5"

    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    page.set_input_files("#upload", str(bad))
    page.wait_for_selector("body[data-state='error']")
    assert "not an image file" in page.locator("#status").inner_text()
    page.close()
