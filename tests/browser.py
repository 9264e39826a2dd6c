"""Headless Chromium for map tests: no network, console and request logs captured."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
MISSING = None if CHROMIUM and CHROMEDRIVER else (
    "headless Chromium is not installed (apt-get install chromium chromium-driver; "
    ".ci/run installs it)")
# CI sets this so that a missing browser fails the run instead of skipping map tests.
REQUIRED = os.environ.get("GRAPHKIT_REQUIRE_BROWSER") == "1"


@contextmanager
def chromium():
    """A Selenium driver for headless Chromium with networking cut off."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="graphkit-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-extensions",
                 "--disable-dev-shm-usage", "--window-size=1400,1000",
                 # any request to a host goes to a proxy that does not exist
                 "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_map(driver, path: Path, timeout: float = 30.0) -> float:
    """Open a map file and wait until it is drawn and settled; returns seconds taken."""
    driver.get_log("performance")  # drain what the start page asked for
    driver.get_log("browser")
    start = time.perf_counter()
    driver.get(path.resolve().as_uri())
    deadline = start + timeout
    while time.perf_counter() < deadline:
        if driver.execute_script("return !!(window.graphkitMap && window.graphkitMap.ready)"):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise TimeoutError(f"map {path} not ready within {timeout} s")


def requests_made(driver) -> list[str]:
    """Requests the page made to any host (http, https, ws, ftp) since it was opened."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.split(":", 1)[0].lower() in ("http", "https", "ws", "wss", "ftp"):
                urls.append(url)
    return urls


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
