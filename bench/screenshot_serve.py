"""A screenshot of the drawing page after drawing a digit with the mouse (for the README).

.venv/bin/python bench/screenshot_serve.py --model runs/<run>/model.keras --out docs/serve.png
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright

from mnistlab.synthetic import DIGIT_STROKES

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
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mnistlab", "serve", "--model", args.model, "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=FLAGS)
            page = browser.new_page(viewport={"width": 1180, "height": 660})
            page.goto(url)
            page.wait_for_selector("body[data-model='loaded']")
            box = page.locator("#pad").bounding_box()
            for stroke in DIGIT_STROKES[args.digit]:
                points = [
                    (
                        box["x"] + box["width"] * (0.15 + 0.7 * x),
                        box["y"] + box["height"] * (0.15 + 0.7 * y),
                    )
                    for x, y in stroke
                ]
                page.mouse.move(*points[0])
                page.mouse.down()
                for x, y in points[1:]:
                    page.mouse.move(x, y, steps=4)
                page.mouse.up()
            page.wait_for_selector("body[data-state='answered']")
            page.wait_for_timeout(300)
            page.screenshot(path=args.out)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"Saved {args.out}")


if __name__ == "__main__":
    main()
