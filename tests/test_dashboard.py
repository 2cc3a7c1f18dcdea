"""End to end: the dashboard in headless Chromium (Debian's chromium, driven by Playwright) over a small
database: it loads with no request leaving the machine, filters, opens an event, draws every view, switches
language, and saves a screenshot. Skipped where no Chromium is installed (`scripts/install_test_deps.sh`
installs it; under CI its absence is an error)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    return sync_playwright


if CHROMIUM is None or _playwright() is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Chromium and Playwright for the dashboard test: run scripts/install_test_deps.sh")
    pytest.skip("no Chromium or Playwright here (scripts/install_test_deps.sh installs them)", allow_module_level=True)


@pytest.fixture(scope="module")
def base_url(event_db):
    import uvicorn

    from waqai.web.app import create_app

    db = event_db
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def test_dashboard(base_url, tmp_path):
    sync_playwright = _playwright()
    errors, foreign = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: foreign.append(r.url)
                if urlsplit(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:") else None)
        page.goto(base_url + "/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.wait_for_selector("[data-testid=event-item]")
        total = page.get_by_test_id("total").inner_text()
        all_items = page.get_by_test_id("event-item").count()
        assert all_items > 0 and any(c.isdigit() for c in total)
        # every quote shows its trigger highlighted
        assert page.locator("[data-testid=quote] mark.trigger").count() >= all_items

        # filter: one event type
        page.get_by_test_id("filter-type").select_option("ACCUSE")
        page.get_by_test_id("apply-filters").click()
        page.wait_for_function("() => document.querySelectorAll('[data-testid=event-item]').length > 0 && "
                               "[...document.querySelectorAll('[data-testid=event-item]')]"
                               ".every(e => e.innerText.includes('ACCUSE'))")
        accuse = page.get_by_test_id("event-item").count()
        assert 0 < accuse < all_items
        assert "ACCUSE" in page.url  # the filters are in the address

        # open the event and see its reports
        first = page.get_by_test_id("event-item").first
        event_id = first.get_attribute("data-event-id")
        page.goto(f"{base_url}/#/event/{event_id}")
        page.wait_for_selector("[data-testid=event-page] [data-testid=report]")
        assert page.locator("[data-testid=event-page] [data-testid=report]").count() >= 1

        # the people and organisations an event names: a person's chip lists the events that name them
        page.goto(f"{base_url}/#/events")
        page.wait_for_selector("[data-testid=entity-person]")
        chip = page.locator("[data-testid=entity-person]", has_text="غوتيريش").first
        chip.click()
        page.wait_for_function("() => location.hash.includes('entity=')")
        page.wait_for_function("() => document.querySelectorAll('[data-testid=event-item]').length > 0 && "
                               "[...document.querySelectorAll('[data-testid=event-item]')]"
                               ".every(e => e.innerText.includes('غوتيريش'))")
        assert page.get_by_test_id("event-item").count() < all_items
        assert "غوتيريش" in page.get_by_test_id("filter-entity").input_value()

        # the other views draw something
        for view, testid in (("map", "map"), ("network", "network"), ("polarity", "polarity"), ("dyads", "dyads")):
            page.goto(f"{base_url}/#/{view}")
            page.wait_for_selector(f"[data-testid={testid}] svg")
        page.goto(f"{base_url}/#/map")
        page.wait_for_selector("[data-testid=map] svg path")
        assert page.locator("[data-testid=map] svg path").count() > 100  # the country outlines
        page.goto(f"{base_url}/#/network")
        page.wait_for_selector("[data-testid=network] svg circle")

        # English, left to right
        page.get_by_test_id("lang-toggle").click()
        page.wait_for_function("() => document.documentElement.dir === 'ltr'")
        page.goto(f"{base_url}/#/events")
        page.wait_for_selector("[data-testid=event-item]")
        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
        browser.close()
    assert not errors, errors
    assert not foreign, foreign
