"""Reliability: XSS payloads in reports and in every query parameter, opened in a real headless Chromium.

The pages of test_reliability_web.py's hostile index, each payload in each parameter: no alert opens, no script
sets its marker, and the console has no error (a Content-Security-Policy violation, i.e. a script we let through
and the browser had to block, is one). Error pages (400/404) are expected for some parameters: their "failed to
load resource" console line is the only console error allowed.
"""

from __future__ import annotations

import time
import urllib.parse

import pytest

from reliability import record
from search_helpers import build_index
from test_reliability_web import PAYLOADS, PARAMS, evil_reports
from test_webui_browser import LiveServer, browser, downloads  # noqa: F401  (fixtures, and the skip without Chromium)

pytestmark = pytest.mark.browser

# Payloads whose script would leave a trace the page can read (CSP aside, were our escaping to fail).
MARKED = [p.replace("alert(", "document.documentElement.dataset.pwned=(") for p in PAYLOADS]
OPENED: list[str] = []


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("hostile-index")
    reports = evil_reports()
    for report in reports[: len(PAYLOADS)]:  # the same reports again, with payloads that leave a trace
        k = int(report["file"].split("-")[1].split(".")[0])
        marked = {key: (value.replace(PAYLOADS[k], MARKED[k]) if isinstance(value, str) else value)
                  for key, value in report.items()}
        reports.append({**marked, "file": f"marked-{k}.txt"})
    build_index(index_dir, reports).close()
    live = LiveServer(index_dir)
    yield live
    live.close()
    record("browser", {"pages opened": len(OPENED)})


def visit(driver, url: str) -> list[str]:
    """Open ``url``; returns the console errors other than an expected failed load of a 4xx page."""
    driver.get_log("browser")
    driver.get(url)
    time.sleep(0.2)  # a (wrongly) injected script would have run by now
    OPENED.append(url)
    alert = driver.execute_script("return document.documentElement.dataset.pwned || null")
    try:
        text = driver.switch_to.alert.text
        driver.switch_to.alert.dismiss()
    except Exception:  # NoAlertPresentException: what we want
        text = None
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"
              and not ("Failed to load resource" in e["message"] and "status of 4" in e["message"])]
    assert (None, None) == (text, alert), url
    return errors


def test_reports_holding_payloads(browser, hostile_server):  # noqa: F811
    urls = []
    for k in range(len(PAYLOADS)):
        for name in (f"evil-{k}.txt", f"marked-{k}.txt"):
            urls.append(f"/report/{name}?q=执法")
    urls += ["/", "/search?q=执法", "/search?q=复议&mode=words", "/search?q=执法&sort=year",
             "/trend?q=执法", "/matrix?q=执法"]
    errors = {url: visit(browser, hostile_server.url + urllib.parse.quote(url, safe="/?=&")) for url in urls}
    assert {url: [] for url in urls} == errors


@pytest.mark.parametrize("path,payloads", [
    ("/search", (0, 2)),
    pytest.param("/search", (2, len(PAYLOADS)), marks=pytest.mark.slow),
    pytest.param("/search.json", (0, 2), marks=pytest.mark.slow),
    pytest.param("/report/evil-0.txt", (0, 2), marks=pytest.mark.slow),
    pytest.param("/trend", (0, 2), marks=pytest.mark.slow),
    pytest.param("/matrix", (0, 2), marks=pytest.mark.slow),
], ids=["search", "search-all", "search.json", "report", "trend", "matrix"])
def test_payloads_in_every_parameter(browser, hostile_server, path, payloads):  # noqa: F811
    urls = []
    for payload in PAYLOADS[slice(*payloads)] + MARKED[slice(*payloads)]:
        for param in PARAMS + [payload]:
            query = {param: "1"} if param == payload else {param: payload}
            urls.append(f"{path}?{urllib.parse.urlencode(query)}")
    errors = {url: visit(browser, hostile_server.url + url) for url in urls}
    assert {url: [] for url in urls} == errors
