"""Screenshot of one part of a dashboard page, for the README (PNG, Debian's chromium).

Opens ``URL`` in headless chromium (no request leaves 127.0.0.1 on this dashboard), waits for
the element ``--selector`` and writes a picture of that element alone, at the device scale
``--scale``, to ``--output``. The README's « Ce que vos pairs ont fait » (on the demo
publication, served by ``make run`` or ``make serve``):

    .venv/bin/python tools/screenshot.py \\
        "http://127.0.0.1:8050/territoire?code=DEP-38&millesime=2026" \\
        --selector "#fiche-pairs-realisations" --output docs/realisations-pairs.png
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")


def screenshot(url: str, selector: str, output: Path, width: int, scale: float) -> None:
    """Write the picture of the element ``selector`` of the page at ``url`` to ``output``."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(
                viewport={"width": width, "height": 900},
                device_scale_factor=scale,
                locale="fr-FR",
            )
            page.goto(url)
            element = page.locator(selector)
            element.wait_for(timeout=60_000)
            element.scroll_into_view_if_needed()
            output.parent.mkdir(parents=True, exist_ok=True)
            element.screenshot(path=str(output), animations="disabled")
        finally:
            browser.close()


def main() -> None:
    """Parse the command line and take the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--selector", required=True, help="élément à photographier (CSS)")
    parser.add_argument("--output", type=Path, required=True, help="fichier PNG écrit")
    parser.add_argument("--width", type=int, default=1100, help="largeur de la fenêtre (px)")
    parser.add_argument("--scale", type=float, default=1.0, help="facteur d'échelle")
    arguments = parser.parse_args()
    screenshot(arguments.url, arguments.selector, arguments.output, arguments.width,
               arguments.scale)  # fmt: skip
    print(f"Capture écrite : {arguments.output} ({arguments.output.stat().st_size} octets)")


if __name__ == "__main__":
    main()
