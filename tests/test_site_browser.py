"""The weights explorer and the comparison page in a real browser (Chromium, Playwright).

The shipped index's site is opened from disk; the explorer's sliders are moved to
random weights and the page's ranks must equal those of ``build`` with the same
weights (a ``weights`` entry in the methodology), for 20 weight sets; the link
with the weights reproduces them; the reset button restores the published ranking.
Skipped, with the reason, where Playwright or ``/usr/bin/chromium`` is missing.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update"]  # fmt: skip
YEAR = 2025

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (pip install playwright)"
)
if not CHROMIUM.is_file():
    pytest.skip(f"Chromium not found at {CHROMIUM}; apt-get install -y chromium",
                allow_module_level=True)  # fmt: skip


@pytest.fixture(scope="module")
def shipped() -> Any:
    from readiness_index import build

    return build()


@pytest.fixture(scope="module")
def site(shipped: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from readiness_index.report.site import render_reports

    out = tmp_path_factory.mktemp("explorer") / "site"
    return render_reports(shipped, out, year=YEAR, languages=("en", "de"))


@pytest.fixture(scope="module")
def page(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-explorer")
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=ARGS, headless=True, offline=True
        )
        prefix = site.resolve().as_uri() + "/"
        context.route("**/*", lambda route: route.continue_()
                      if route.request.url.startswith(prefix) else route.abort())  # fmt: skip
        tab = context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.errors = errors
        yield tab
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


def page_ranks(tab: Any) -> dict[str, int | None]:
    rows = tab.eval_on_selector_all(
        "#explorer-ranking tbody tr",
        "rows => rows.map(r => [r.dataset.country,"
        " r.querySelector('[data-field=rank]').textContent])",
    )
    return {country: None if rank == "–" else int(rank) for country, rank in rows}


def library_ranks(shipped: Any, weights: dict[str, float]) -> dict[str, int | None]:
    from readiness_index import build

    mapping = {**shipped.methodology.to_mapping(), "weights": weights}
    ranking = build(shipped.framework, shipped.source, mapping).ranking(YEAR)
    return {row.country: None if pd.isna(row.rank) else int(row.rank)
            for row in ranking.itertuples()}  # fmt: skip


def open_explorer(tab: Any, site: Path, fragment: str = "") -> None:
    tab.goto((site / "explorer.html").resolve().as_uri() + fragment)
    tab.wait_for_selector("html[data-explorer='ready']")


def test_published_ranking_without_moving_anything(page: Any, site: Path, shipped: Any) -> None:
    open_explorer(page, site)
    published = {row.country: None if pd.isna(row.rank) else int(row.rank)
                 for row in shipped.ranking(YEAR).itertuples()}  # fmt: skip
    assert page_ranks(page) == published
    assert not page.errors


def test_sliders_give_the_librarys_ranks(page: Any, site: Path, shipped: Any) -> None:
    framework = shipped.framework
    pillars = list(framework.children(framework.root))
    indicators = list(framework.indicator_codes)
    draw = random.Random(14)
    for trial in range(20):
        open_explorer(page, site)
        weights = {code: draw.randint(1, 50) / 10 for code in pillars}
        if trial % 4 == 3:  # every fourth set also moves three indicator weights
            weights.update({code: draw.randint(1, 50) / 10 for code in draw.sample(indicators, 3)})
        for code, weight in weights.items():
            slider = page.locator(f"input[type=range][data-code='{code}']")
            if not slider.is_visible():
                slider.locator("xpath=ancestor::details").locator("summary").click()
            slider.fill(str(weight))
        ranks = page_ranks(page)
        assert ranks == library_ranks(shipped, weights), weights
    assert not page.errors


def test_a_slider_changes_the_ranking_and_the_link_keeps_it(page: Any, site: Path) -> None:
    open_explorer(page, site)
    published = page_ranks(page)
    page.locator("input[type=range][data-code='compute']").fill("5")
    moved = page_ranks(page)
    assert moved != published
    link = page.locator("#share-link").get_attribute("href")
    assert link == "#compute=5"
    open_explorer(page, site, link)
    assert page_ranks(page) == moved
    assert page.locator("input[type=number][data-code='compute']").input_value() == "5"
    page.locator("#reset-weights").click()
    assert page_ranks(page) == published


def test_compare_shows_the_countries_picked(page: Any, site: Path) -> None:
    page.goto((site / "compare.de.html").resolve().as_uri() + "#AT,DE,FR")
    page.wait_for_selector("html[data-compare='ready']")
    shown = page.eval_on_selector_all(
        "#compare-table thead th[data-country]",
        "cells => cells.filter(c => !c.hidden).map(c => c.dataset.country)",
    )
    assert sorted(shown) == ["AT", "DE", "FR"]
    page.locator("input[value='FR']").uncheck()
    shown = page.eval_on_selector_all(
        "#compare-table tbody tr:first-child td[data-country]",
        "cells => cells.filter(c => !c.hidden).map(c => c.dataset.country)",
    )
    assert sorted(shown) == ["AT", "DE"]
    assert "Deutschland" in page.locator("#compare-table thead").inner_text()
    assert not page.errors
