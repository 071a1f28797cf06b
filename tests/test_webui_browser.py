"""The web UI in a real headless Chromium (Debian's chromium + chromium-driver), served by waitress.

Type a query and see highlighted snippets, select a city facet, jump between matches in a report, download the
CSV, a phone-width layout, and a report holding <script> that never runs. Screenshots go to tests/artifacts/.
"""

import csv
import io
import json
import shutil
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from search_helpers import build_index, make_report
from webui import create_app

pytestmark = pytest.mark.browser

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SKIP = ("browser tests need Debian's chromium and chromium-driver: apt-get install chromium chromium-driver")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
EVIL = "<script>alert(1)</script>"
WAIT = 20  # seconds a page may take to show what we wait for (a slow CI machine, not a timing assertion)

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(SKIP, allow_module_level=True)

from selenium import webdriver  # noqa: E402  (only once we know a browser is there)
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class LiveServer:
    """The app served by waitress on a free port of 127.0.0.1, in a thread."""

    def __init__(self, index_dir):
        from waitress.server import create_server

        self.server = create_server(create_app({"INDEX_DIR": str(index_dir)}), host="127.0.0.1", port=0,
                                    threads=4, clear_untrusted_proxy_headers=True)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def json(self, path: str) -> dict:
        with urllib.request.urlopen(self.url + path) as response:
            return json.load(response)

    def close(self):
        self.server.close()


def quote(path: str) -> str:
    return urllib.parse.quote(path, safe="/?=&#")


@pytest.fixture(scope="module")
def server(seed_index):
    live = LiveServer(seed_index)
    yield live
    live.close()


@pytest.fixture(scope="module")
def evil_server(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("evil-index")
    text = f"关于执法的报告{EVIL}\n一、执法检查\n开展执法检查{EVIL}，执法记录仪全覆盖。\n"
    build_index(index_dir, [make_report("evil.txt", text, title=f"{EVIL}报告", agency="某市公安局",
                                        province="广东", city="广州", year=2021)])
    live = LiveServer(index_dir)
    yield live
    live.close()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900"):
        options.add_argument(arg)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser):
    """The browser at desktop width; after the test, no console errors (a CSP violation would be one)."""
    browser.set_window_size(1280, 900)
    browser.get_log("browser")
    yield browser
    assert [] == [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def wait_for(driver, condition):
    return WebDriverWait(driver, WAIT).until(condition)


def screenshot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / name))


def test_slash_focuses_the_box_and_a_query_shows_highlighted_snippets(page, server):
    page.get(server.url + "/")
    ActionChains(page).send_keys("/").perform()
    box = page.switch_to.active_element
    assert "q" == box.get_attribute("id")
    box.send_keys("执法记录仪", Keys.ENTER)
    wait_for(page, lambda d: "/search?" in d.current_url)
    marks = [m.text for m in page.find_elements(By.CSS_SELECTOR, ".snippet mark")]
    data = server.json(quote("/search.json?q=执法记录仪"))
    expected = sum(s.count("<mark>") for h in data["hits"] for sec in h["sections"] for s in sec["snippets"])
    assert expected > 0
    assert ["执法记录仪"] * expected == marks
    assert "执法记录仪" == page.find_element(By.ID, "q").get_attribute("value")
    screenshot(page, "search.png")


def test_selecting_a_city_changes_counts_and_url(page, server):
    page.get(server.url + quote("/search?q=执法"))
    before = {a.get_attribute("data-value"): int(a.find_element(By.XPATH, "../span[@class='count']").text)
              for a in page.find_elements(By.CSS_SELECTOR, 'a[data-facet="city"]')}
    city, count = sorted(before.items())[0]
    page.find_element(By.CSS_SELECTOR, f'a[data-facet="city"][data-value="{city}"]').click()
    wait_for(page, lambda d: "city=" in d.current_url)
    assert {"q": ["执法"], "city": [city]} == urllib.parse.parse_qs(urllib.parse.urlsplit(page.current_url).query)
    assert f"找到 {count} 份报告" == page.find_element(By.ID, "summary").text
    assert [city] == [a.get_attribute("data-value")
                      for a in page.find_elements(By.CSS_SELECTOR, 'li.selected a[data-facet="city"]')]
    assert f"城市：{city} ×" == page.find_element(By.CSS_SELECTOR, ".chips li a").text
    assert count == len(page.find_elements(By.CSS_SELECTOR, "li.hit"))
    screenshot(page, "search-city.png")


def test_report_page_jumps_from_match_to_match(page, server):
    page.get(server.url + quote("/search?q=执法"))
    page.find_element(By.CSS_SELECTOR, "li.hit h3 a").click()
    bar = wait_for(page, lambda d: d.find_element(By.ID, "matchbar"))
    count = len(page.find_elements(By.CSS_SELECTOR, "mark[id^='m-']"))
    assert count >= 2 and str(count) == bar.get_attribute("data-count")
    page.find_element(By.ID, "next-match").click()
    page.find_element(By.ID, "next-match").click()
    assert ("m-2", f"第 2 / {count} 处") == (urllib.parse.urlsplit(page.current_url).fragment,
                                           page.find_element(By.ID, "match-pos").text)
    assert ["m-2"] == [m.get_attribute("id") for m in page.find_elements(By.CSS_SELECTOR, "mark.current")]
    ActionChains(page).send_keys("p").perform()
    assert ["m-1"] == [m.get_attribute("id") for m in page.find_elements(By.CSS_SELECTOR, "mark.current")]
    page.find_element(By.ID, "prev-match").click()  # wraps around to the last match
    assert [f"m-{count}"] == [m.get_attribute("id") for m in page.find_elements(By.CSS_SELECTOR, "mark.current")]
    screenshot(page, "report.png")


def test_csv_download_opens_as_utf8_with_bom(page, server, downloads):
    page.get(server.url + quote("/search?q=执法记录仪"))
    page.find_element(By.ID, "csv-link").click()
    done = wait_for(page, lambda d: [p for p in downloads.glob("*.csv")])
    body = done[0].read_bytes()
    data = server.json(quote("/search.json?q=执法记录仪&limit=10000"))
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert b"\xef\xbb\xbf" == body[:3]
    assert [(h["agency"], sec["heading"]) for h in data["hits"] for sec in h["sections"]] == [
        (r["agency"], r["heading"]) for r in rows]


def test_phone_width_has_no_sideways_scrolling(page, server):
    page.set_window_size(390, 844)
    for path in ("/", "/search?q=执法", "/report/000_27c9d69931be37ee.txt?q=执法"):
        page.get(server.url + quote(path))
        assert page.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    page.get(server.url + quote("/search?q=执法"))
    screenshot(page, "search-phone.png")


def test_script_in_a_report_does_not_run(page, evil_server):
    for path in ("/report/evil.txt?q=执法", "/search?q=执法", "/search?q=" + EVIL):
        page.get(evil_server.url + quote(path))
        time.sleep(0.3)  # give a (wrongly) injected script the chance to run before looking for its alert
        with pytest.raises(NoAlertPresentException):
            page.switch_to.alert.text
        assert EVIL in page.find_element(By.TAG_NAME, "main").text
    assert [] == page.find_elements(By.CSS_SELECTOR, "main script")
    screenshot(page, "evil-search.png")
