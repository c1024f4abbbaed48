"""The rendered site in a real browser: Chromium (Debian's package) driven by Playwright.

The shipped index is built with its editions and targets, rendered in English,
German and French, and opened from disk (``file://``). On each page checked: no
console error, no request leaves the site's folder, every chart is visible, every
link within the site leads to a page that exists. Screenshots of the overview and
of one country report are saved to ``docs/images/`` for the README only when asked,
with ``READINESS_INDEX_SCREENSHOTS=1`` in the environment: a normal run writes nothing
into the repository.

On every page type, in English and German: no horizontal overflow on a 390 px wide
phone (``scrollWidth``), no chart text below 10 px, no axe-core violation of WCAG 2.1
AA (``axe-playwright-python``, which ships axe-core), and a printed PDF within a
declared number of A4 pages (:data:`PRINT_PAGES`).

Skipped, with the reason, where Playwright or ``/usr/bin/chromium`` is missing
(install Chromium with ``apt-get install chromium``; never ``playwright install``).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
#: Set to ``1`` to refresh the README's screenshots in ``docs/images/``.
SCREENSHOTS = "READINESS_INDEX_SCREENSHOTS"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
YEAR = 2025

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (pip install playwright)"
)
if not CHROMIUM.is_file():
    pytest.skip(
        f"Chromium not found at {CHROMIUM}; install it with 'apt-get install -y chromium'",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped index rendered by the ``report`` command in three languages."""
    from click.testing import CliRunner

    from readiness_index.cli.report import report

    out = tmp_path_factory.mktemp("browser") / "site"
    outcome = CliRunner().invoke(
        report, ["--year", str(YEAR), "--out", str(out), "--lang", "en,de,fr"]
    )
    assert outcome.exit_code == 0, outcome.output
    return out


class Watcher:
    """Records console errors, page errors and every request of a browser context."""

    def __init__(self, site: Path) -> None:
        self.prefix = site.resolve().as_uri() + "/"
        self.errors: list[str] = []
        self.outside: list[str] = []

    def console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def page_error(self, error: Any) -> None:
        self.errors.append(f"page error: {error}")

    def route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.prefix):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


@pytest.fixture(scope="module")
def browser(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Watcher]]:
    watcher = Watcher(site)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=ARGS, headless=True,
            viewport={"width": 1280, "height": 900}, offline=True,
        )  # fmt: skip
        context.route("**/*", watcher.route)
        page = context.new_page()
        page.on("console", watcher.console)
        page.on("pageerror", watcher.page_error)
        yield page, watcher
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


def open_page(browser: tuple[Any, Watcher], site: Path, name: str) -> Any:
    page, watcher = browser
    watcher.errors.clear()
    watcher.outside.clear()
    page.goto((site / name).resolve().as_uri(), wait_until="load")
    return page


def check_page(browser: tuple[Any, Watcher], site: Path, name: str, charts: int) -> Any:
    """Open ``name`` and assert: no error, nothing from outside, charts visible, links good."""
    page = open_page(browser, site, name)
    _, watcher = browser
    assert page.locator("h1").first.is_visible()
    svgs = page.locator("svg.chart")
    assert svgs.count() == charts, name
    for index in range(charts):
        chart = svgs.nth(index)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert chart.is_visible() and box is not None, f"{name}: chart {index} not visible"
        assert box["width"] > 200 and box["height"] > 100, f"{name}: chart {index} is {box}"
        # a chart is an image; the map, whose squares are links, a named group of links
        assert chart.get_attribute("role") == ("group" if chart.locator("a").count() else "img")
    for link in _links(page):
        _check_link(site, name, link)
    assert not watcher.errors, f"{name}: {watcher.errors}"
    assert not watcher.outside, f"{name} asked for {watcher.outside}"
    return page


def _links(page: Any) -> list[str]:
    return list(
        page.evaluate(
            """() => [
              ...Array.from(document.querySelectorAll('a[href]:not(svg a)'), a => a.href),
              ...Array.from(document.querySelectorAll('svg a'),
                            a => new URL(a.getAttribute('xlink:href') || a.getAttribute('href'),
                                         document.baseURI).href),
            ]"""
        )
    )


def _check_link(site: Path, page: str, link: str) -> None:
    parsed = urlparse(link)
    if parsed.scheme in {"http", "https"}:
        return  # sources at their publishers: shown, never loaded
    assert parsed.scheme == "file", f"{page}: unexpected link {link}"
    target = Path(unquote(parsed.path))
    assert target.parent == site.resolve(), f"{page}: link {link} leaves the site"
    assert target.is_file(), f"{page}: broken link {link}"


def test_overview(browser: tuple[Any, Watcher], site: Path) -> None:
    page = check_page(browser, site, "index.html", charts=2)
    assert page.locator("table.ranking tbody tr").count() == 27
    tiles = page.evaluate(
        "() => new Set(Array.from(document.querySelectorAll('#tile-map a'),"
        " a => a.getAttribute('xlink:href'))).size"
    )
    assert tiles == 27  # every country's square links to its report
    _screenshot(page, "overview.png")


def _screenshot(page: Any, name: str) -> None:
    """Save a screenshot for the docs, only when :data:`SCREENSHOTS` asks for it."""
    if os.environ.get(SCREENSHOTS) != "1":
        return
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / name), full_page=True,
                    clip={"x": 0, "y": 0, "width": 1280, "height": 2300})  # fmt: skip


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Germany"), ("de", "Deutschland"), ("fr", "Allemagne")]
)
def test_country_page(
    browser: tuple[Any, Watcher], site: Path, language: str, heading: str
) -> None:
    suffix = "" if language == "en" else f".{language}"
    page = check_page(browser, site, f"DE-{YEAR}{suffix}.html", charts=2)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text().startswith(heading)
    from readiness_index import load_framework

    indicators = len(load_framework().active().indicators)
    assert page.locator("#indicators tbody tr").count() == indicators
    if language == "en":
        _screenshot(page, "country.png")


def test_methodology_page(browser: tuple[Any, Watcher], site: Path) -> None:
    page = check_page(browser, site, "methodology.html", charts=0)
    assert len(page.locator("[data-field='framework-hash']").inner_text()) == 64


def test_links_navigate(browser: tuple[Any, Watcher], site: Path) -> None:
    page = open_page(browser, site, "index.html")
    page.locator("table.ranking a").first.click()
    page.wait_for_url(f"**/*-{YEAR}.html")
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(f"**/*-{YEAR}.fr.html")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("navigation", name="Pages").get_by_role("link").first.click()
    page.wait_for_url("**/index.fr.html")
    page.locator("#tile-map text").filter(has_text="DE").first.click(force=True)
    page.wait_for_url(f"**/DE-{YEAR}.fr.html")  # a click on a square's label opens its report
    assert not browser[1].errors and not browser[1].outside


def test_print_stylesheet_hides_navigation(browser: tuple[Any, Watcher], site: Path) -> None:
    page = open_page(browser, site, f"DE-{YEAR}.html")
    assert page.locator("nav.pages").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("nav.pages").is_visible()
    assert page.locator("svg.chart").first.is_visible()
    page.emulate_media(media="screen")


# -- phones, accessibility, print ------------------------------------------------------------
PAGE_TYPES = ("index", f"DE-{YEAR}", "methodology", "explorer", "compare", "downloads")
PHONE = {"width": 390, "height": 844}
#: The most A4 pages each page type may print to (the shipped index, 27 countries).
PRINT_PAGES = {"index": 4, f"DE-{YEAR}": 8, "methodology": 16, "explorer": 3, "compare": 3,
               "downloads": 2}  # fmt: skip


def _name(stem: str, language: str) -> str:
    return f"{stem}.html" if language == "en" else f"{stem}.{language}.html"


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("stem", PAGE_TYPES)
def test_no_horizontal_overflow_on_a_phone(
    browser: tuple[Any, Watcher], site: Path, stem: str, language: str
) -> None:
    page, _ = browser
    page.set_viewport_size(PHONE)
    try:
        open_page(browser, site, _name(stem, language))
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{stem} ({language}) is {width} px wide at 390 px"
        smallest = page.evaluate(_SMALLEST_CHART_TEXT)
        assert smallest is None or smallest >= 10, f"{stem}: chart text of {smallest:.1f} px"
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


# the rendered size of the smallest chart text: its font size times the chart's scale
_SMALLEST_CHART_TEXT = """() => {
  let smallest = null;
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.viewBox.baseVal;
    if (!box || !box.width) continue;
    const scale = svg.getBoundingClientRect().width / box.width;
    for (const text of svg.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      smallest = smallest === null ? size : Math.min(smallest, size);
    }
  }
  return smallest;
}"""


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("stem", PAGE_TYPES)
def test_no_accessibility_violations(
    browser: tuple[Any, Watcher], site: Path, stem: str, language: str
) -> None:
    axe = pytest.importorskip(
        "axe_playwright_python.sync_playwright", reason="axe-playwright-python"
    )
    page = open_page(browser, site, _name(stem, language))
    results = axe.Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})  # fmt: skip
    violations = results.response["violations"]
    assert not violations, results.generate_report()


def test_map_is_one_named_link_per_country(browser: tuple[Any, Watcher], site: Path) -> None:
    page = open_page(browser, site, "index.de.html")
    links = page.evaluate(
        "() => Array.from(document.querySelectorAll('#tile-map a'),"
        " a => a.getAttribute('aria-label'))"
    )
    assert len(links) == 27 and all(links), links
    assert any(re.fullmatch(r"Deutschland: \d+,\d", link) for link in links), links
    assert page.locator("[role=img] a").count() == 0


@pytest.mark.parametrize("stem", PAGE_TYPES)
def test_print_fits_the_declared_pages(
    browser: tuple[Any, Watcher], site: Path, stem: str, tmp_path: Path
) -> None:
    page = open_page(browser, site, _name(stem, "en"))
    page.emulate_media(media="print")
    try:
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        page.emulate_media(media="screen")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= PRINT_PAGES[stem], f"{stem} prints to {pages} pages"
