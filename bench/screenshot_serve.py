"""A screenshot of the drawing page after drawing a digit with the mouse (for the README).

.venv/bin/python bench/screenshot_serve.py --model runs/<run>/model.keras --out docs/serve.png
"""

from __future__ import annotations

import argparse

from playwright.sync_api import sync_playwright

from mnistlab.synthetic import strokes_in_box

from serving import served

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--digit", type=int, default=2)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    with served(args.model) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=FLAGS)
        page = browser.new_page(viewport={"width": 1180, "height": 660})
        page.goto(url)
        page.wait_for_selector("body[data-model='loaded']")
        box = page.locator("#pad").bounding_box()
        for stroke in strokes_in_box(args.digit, box["x"], box["y"], box["width"], box["height"]):
            page.mouse.move(*stroke[0])
            page.mouse.down()
            for x, y in stroke[1:]:
                page.mouse.move(x, y, steps=4)
            page.mouse.up()
        page.wait_for_selector("body[data-state='answered']")
        page.wait_for_timeout(300)
        page.screenshot(path=args.out)
        browser.close()
    print(f"Saved {args.out}")


if __name__ == "__main__":
    main()
