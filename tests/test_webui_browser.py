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
    wait_for(page, lambda d: d.execute_script("return document.readyState") == "complete")  # its key handler set
    ActionChains(page).send_keys("/").perform()
    box = wait_for(page, lambda d: d.switch_to.active_element.get_attribute("id") == "q" and d.switch_to.active_element)
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


# --- the analysis pages: matrix and compare ---------------------------------------------------------------------------

def test_matrix_from_the_search_page_and_a_cell_opens_its_results(page, server):
    page.get(server.url + quote("/search?q=执法记录仪"))
    page.find_element(By.ID, "matrix-link").click()
    wait_for(page, lambda d: "/matrix?" in d.current_url)
    data = server.json(quote("/matrix.json?q=执法记录仪"))
    rows = page.find_elements(By.CSS_SELECTOR, "#matrix tbody tr")
    assert [row["key"]["province"] for row in data["table"]] == [r.find_element(By.TAG_NAME, "th").text for r in rows]
    expected = [c["matched"] for row in data["table"] for c in row["cells"] if c["matched"]]
    cells = page.find_elements(By.CSS_SELECTOR, "#matrix tbody td:not(.total) a")
    assert [str(n) for n in expected] == [a.text for a in cells]
    screenshot(page, "matrix.png")
    count = cells[0].text
    cells[0].click()
    wait_for(page, lambda d: "/search?" in d.current_url)
    assert f"找到 {count} 份报告" == page.find_element(By.ID, "summary").text
    assert count == str(len(page.find_elements(By.CSS_SELECTOR, "li.hit")))


def test_matrix_rows_by_city_and_coverage_without_query(page, server):
    page.get(server.url + quote("/matrix"))
    page.find_element(By.LINK_TEXT, "按城市").click()
    wait_for(page, lambda d: "rows=city" in d.current_url)
    data = server.json(quote("/matrix.json?rows=city"))
    shown = [td.text for td in page.find_elements(By.CSS_SELECTOR, "#matrix tbody td:not(.total)")]
    rules = [" · ".join(f"{label} {c['compliance'][name]}" for name, label in (("late", "逾期"), ("incomplete", "缺项"))
                        if c["compliance"][name]) for row in data["table"] for c in row["cells"]]
    assert [(str(c["held"]) if c["held"] else "无报告") for row in data["table"] for c in row["cells"]] == [
        text.split("\n")[0] for text in shown]
    assert rules == [text.split("\n")[1] if "\n" in text else "" for text in shown]
    screenshot(page, "matrix-coverage.png")


def _column_state(driver) -> list[dict]:
    return driver.execute_script("""
        return Array.prototype.map.call(document.querySelectorAll('#compare .cmp-body'), function (b) {
            return {top: b.scrollTop, max: b.scrollHeight - b.clientHeight,
                    secs: Array.prototype.map.call(b.querySelectorAll('.cmp-sec'),
                                                   function (s) { return [s.offsetTop, s.offsetHeight]; })};
        });""")


def _scroll_column(driver, i: int, top: float) -> None:
    driver.execute_script("document.querySelectorAll('#compare .cmp-body')[arguments[0]].scrollTop = arguments[1];",
                          i, top)


def test_compare_from_checked_results_scrolls_in_step(page, server):
    page.get(server.url + quote("/search?q=执法&sort=year"))
    hits = server.json(quote("/search.json?q=执法&sort=year"))["hits"]
    chosen = [h["file"] for h in hits if h["file"].startswith(("000_", "004_", "002_"))]
    for file in chosen:
        page.find_element(By.CSS_SELECTOR, f'input[name="ids"][value="{file}"]').click()
    page.find_element(By.CSS_SELECTOR, 'select[name="kind"] option[value="举措成效"]').click()
    page.find_element(By.ID, "compare-button").click()
    wait_for(page, lambda d: "/compare?" in d.current_url)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.current_url).query)
    assert {"ids": chosen, "kind": ["举措成效"], "q": ["执法"]} == query
    data = server.json(f"/compare.json?{urllib.parse.urlencode(query, doseq=True)}")
    columns = page.find_elements(By.CSS_SELECTOR, "#compare .cmp-col")
    assert [len(r["sections"]) for r in data["reports"]] == [
        len(c.find_elements(By.CSS_SELECTOR, ".cmp-sec")) for c in columns]
    assert [sum(len(s["matches"]) for s in r["sections"]) for r in data["reports"]] == [
        len(c.find_elements(By.TAG_NAME, "mark")) for c in columns]
    screenshot(page, "compare.png")

    # the column with most sections (举措成效: four in one report) leads, the others follow it
    state = _column_state(page)
    lead = max(range(len(state)), key=lambda i: len(state[i]["secs"]))
    assert len(state[lead]["secs"]) > 1

    def others(driver):
        return [c for i, c in enumerate(_column_state(driver)) if i != lead]

    def in_step(driver):
        """Every other column as far into its first section as the leading one is into its own."""
        now = _column_state(driver)
        top, height = now[lead]["secs"][0]
        fraction = (now[lead]["top"] - top) / height
        return all(abs(c["top"] - min(c["secs"][0][0] + fraction * c["secs"][0][1], c["max"])) <= 2
                   for i, c in enumerate(now) if i != lead)

    # halfway into its first section: the others show halfway into their first section
    first = state[lead]["secs"][0]
    _scroll_column(page, lead, first[0] + first[1] / 2)
    wait_for(page, in_step)
    # the top of its second section: the others at their second section, or at their end without one
    _scroll_column(page, lead, state[lead]["secs"][1][0])
    wait_for(page, lambda d: all(abs(c["top"] - min(c["secs"][1][0] if len(c["secs"]) > 1 else c["max"], c["max"])) <= 2
                                 for c in others(d)))
    screenshot(page, "compare-scrolled.png")

    # unticked: the columns scroll on their own
    page.find_element(By.ID, "sync-scroll").click()
    before = [c["top"] for c in others(page)]
    _scroll_column(page, lead, 0)
    time.sleep(0.3)  # a (wrongly) following column would have moved by now
    assert before == [c["top"] for c in others(page)]


def test_analysis_pages_fit_a_phone(page, server):
    page.set_window_size(390, 844)
    for path in ("/matrix?q=执法&rows=agency", "/trend?q=执法", "/explain?q=執法 记录仪 -信访",
                 "/related?id=000_27c9d69931be37ee.txt&section=20", "/compare?kind=问题不足&q=执法", "/compliance",
                 "/overlap", "/overlap?id=000_27c9d69931be37ee.txt", "/excerpts?x=000_27c9d69931be37ee.txt%23p-9"):
        page.get(server.url + urllib.parse.quote(path, safe="/?=&%"))
        assert page.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), path
    screenshot(page, "compare-phone.png")


@pytest.mark.parametrize("path, name", [("/trend?q=执法记录仪", "trend.png"), ("/explain?q=執法 记录仪 -信访", "explain.png"),
                                        ("/related?id=000_27c9d69931be37ee.txt&section=20", "related.png")])
def test_other_analysis_pages_render(page, server, path, name):
    page.get(server.url + quote(path))
    assert page.find_element(By.TAG_NAME, "h1").text
    screenshot(page, name)


def _basket_count(driver) -> int:
    return int(driver.find_element(By.ID, "basket-count").text)


def test_two_excerpts_go_into_the_basket_and_download_as_word(page, server, downloads):
    import docx

    page.get(server.url + "/excerpts")  # an empty basket page empties the remembered basket
    assert 0 == _basket_count(page)
    page.get(server.url + quote("/search?q=执法记录仪"))
    first = wait_for(page, lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, ".snippet button.add-excerpt")
                                      if b.is_displayed()])[0]
    from_snippet = first.get_attribute("data-excerpt")
    first.click()
    wait_for(page, lambda d: _basket_count(d) == 1)
    report = "001_609cb2b49e064600.txt"
    page.get(server.url + quote(f"/report/{report}"))
    button = page.find_element(By.CSS_SELECTOR, "#p-5 button.add-excerpt")
    button.click()
    wait_for(page, lambda d: _basket_count(d) == 2)
    assert "已摘录" == button.text
    page.find_element(By.ID, "basket-link").click()
    wait_for(page, lambda d: "/excerpts?" in d.current_url)
    assert [from_snippet, f"{report}#p-5"] == urllib.parse.parse_qs(urllib.parse.urlsplit(page.current_url).query)["x"]
    data = server.json(quote(f"/excerpts.json?x={from_snippet}&x={report}#p-5").replace("#", "%23"))
    shown = [e.text for e in page.find_elements(By.CSS_SELECTOR, ".excerpt > p:first-child")]
    assert sorted(e["text"] for e in data["excerpts"]) == sorted(shown) and 2 == len(shown)
    screenshot(page, "excerpts.png")
    page.find_element(By.ID, "excerpts-docx").click()
    done = wait_for(page, lambda d: [p for p in downloads.glob("*.docx") if p.stat().st_size])
    texts = [p.text for p in docx.Document(str(done[0])).paragraphs]
    assert all(e["text"] in texts for e in data["excerpts"])
    assert "摘录.docx" == done[0].name


def test_the_compliance_page_and_the_matrix_marks(page, server):
    page.get(server.url + "/compliance")
    assert "报告合规检查" == page.find_element(By.TAG_NAME, "h1").text
    data = server.json("/compliance.json")
    gaps = page.find_elements(By.CSS_SELECTOR, "#compliance td.bad")
    assert sum(len(r["missing"]) for r in data["reports"]) + data["summary"]["late"] == len(gaps)
    screenshot(page, "compliance.png")
    page.get(server.url + "/matrix?rows=agency")
    marked = page.find_elements(By.CSS_SELECTOR, "#matrix tbody td[data-rules]")
    grid = server.json("/matrix.json?rows=agency")
    assert sum(1 for row in grid["table"] for c in row["cells"] + [row]
               if c["compliance"]["state"] in ("late", "incomplete", "late_incomplete")) == len(marked)


@pytest.fixture(scope="module")
def copies_server(tmp_path_factory):
    from search_helpers import copies_corpus

    found = copies_corpus(tmp_path_factory.mktemp("copies"))
    live = LiveServer(found["index"])
    yield live
    live.close()


def test_a_marked_copy_opens_its_other_occurrence(page, copies_server):
    page.get(copies_server.url + "/report/c.txt?copies=1")
    marks = page.find_elements(By.CSS_SELECTOR, "a.copy[id]")
    data = copies_server.json("/overlap.json?id=c.txt")
    assert sorted(f"c-{p['start']}" for s in data["sources"] for p in s["passages"]) == sorted(
        m.get_attribute("id") for m in marks)
    screenshot(page, "report-copies.png")
    first = data["sources"][0]
    mark = page.find_element(By.ID, f"c-{first['passages'][0]['start']}")
    mark.click()
    wait_for(page, lambda d: f"/report/{first['file']}" in d.current_url)
    target = page.execute_script("return document.querySelector(':target')")
    assert f"c-{first['passages'][0]['other_start']}" == target.get_attribute("id")
    assert target.text.startswith(first["passages"][0]["text"][:10])
    page.get(copies_server.url + "/overlap")
    assert page.find_elements(By.CSS_SELECTOR, "#pairs tbody tr")
    screenshot(page, "overlap.png")
