"""Reliability: the web UI as an attacker sees it (Flask test client; the real-browser half is
test_reliability_browser.py).

- XSS payloads inside reports (text, title, agency, place names, source URL) and in every query parameter, its
  name included, come back as text: every page is parsed and must hold no script but our own files, no event
  handler attribute, no ``javascript:`` link, and must show the payload as its text;
- a Content-Security-Policy header on every response, errors included;
- ``/report/<id>`` never reaches a file outside the index: ``..``, absolute paths, encoded slashes, ``%2e%2e``;
- oversized and malformed parameters get a 400 with a message, never a 500.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest
from bs4 import BeautifulSoup

from search_helpers import build_index, make_report
from webui import create_app

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "</mark><script>alert(4)</script><mark>",
    "</textarea></title></style><script>alert(5)</script>",
    '<a href="javascript:alert(6)">点此</a>',
    "<iframe srcdoc='<script>alert(7)</script>'></iframe>",
    "{{ 7*7 }}{% raw %}",
    "&lt;script&gt;alert(8)&lt;/script&gt;",
    "<body onload=alert(9)>",
]
SAFE_SCRIPT_PREFIX = "/static/"


def evil_reports() -> list[dict]:
    reports = []
    for k, payload in enumerate(PAYLOADS):
        text = (f"关于执法的报告{payload}\n一、执法检查{payload}\n开展执法检查{payload}，执法记录仪全覆盖。\n"
                f"二、行政复议\n办理行政复议案件{payload}。\n")
        reports.append(make_report(f"evil-{k}.txt", text, title=f"{payload}法治政府建设报告",
                                   agency=f"某市公安局{payload}", province="广东省", city=f"广州市{payload}",
                                   county=f"{payload}区", level="市级", sector="公安", year=2021,
                                   source_url=f"javascript:alert({k})"))
    reports.append(make_report("sub/plain.txt", "关于执法的报告\n一、执法检查\n开展执法检查。\n", title="普通报告",
                               agency="某县公安局", province="广东省", city="深圳市", year=2022))
    return reports


@pytest.fixture(scope="module")
def evil_index(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("evil-index")
    build_index(index_dir, evil_reports()).close()
    return index_dir


@pytest.fixture(scope="module")
def client(evil_index):
    return create_app({"INDEX_DIR": str(evil_index), "CORPUS_DIR": str(evil_index.parent / "corpus")}).test_client()


def assert_inert(html: str) -> BeautifulSoup:
    """No markup from outside: only our own script files, no inline script, no handlers, no javascript: URLs."""
    soup = BeautifulSoup(html, "html.parser")
    scripts = [(s.get("src"), s.string) for s in soup.find_all("script")]
    assert [] == [s for s in scripts if not (s[0] or "").startswith(SAFE_SCRIPT_PREFIX) or (s[1] or "").strip()]
    handlers = [(tag.name, name) for tag in soup.find_all(True) for name in tag.attrs if name.lower().startswith("on")]
    assert [] == handlers
    links = [v for tag in soup.find_all(True) for k, v in tag.attrs.items()
             if k in ("href", "src", "action", "formaction", "srcdoc")
             and (isinstance(v, str) and (v.strip().lower().startswith("javascript:") or k == "srcdoc"))]
    assert ([], [], 1) == (links, soup.find_all(["iframe", "object", "embed"]), len(soup.find_all("body")))
    return soup


def quoted(path: str) -> str:
    return urllib.parse.quote(path, safe="/?=&")


@pytest.mark.parametrize("k", range(len(PAYLOADS)))
def test_payloads_inside_reports_are_text(client, k):
    payload = PAYLOADS[k]
    pages = [("/search", {"q": "执法", "city": f"广州市{payload}"}), ("/search", {"q": "复议 执法"}),
             (f"/report/evil-{k}.txt", {"q": "执法"}), ("/search", {"q": "执法", "mode": "words"}), ("/", {})]
    for path, params in pages:
        response = client.get(path, query_string=params)
        assert (200, True) == (response.status_code, bool(response.headers.get("Content-Security-Policy")))
        soup = assert_inert(response.get_data(as_text=True))
        assert payload in soup.get_text(), path


def test_report_json_keeps_payloads_as_data(client):
    body = client.get(quoted("/report.json?id=evil-0.txt&q=执法")).get_json()
    assert (PAYLOADS[0] + "法治政府建设报告", "某市公安局" + PAYLOADS[0]) == (body["report"]["title"],
                                                                          body["report"]["agency"])


def test_source_url_is_never_a_javascript_link(client):
    soup = assert_inert(client.get("/report/evil-1.txt").get_data(as_text=True))
    assert [] == [a["href"] for a in soup.find_all("a", href=True) if "alert" in a["href"]]


PARAMS = ["q", "mode", "sort", "page", "limit", "year", "year_from", "year_to", "province", "city", "county",
          "agency", "level", "sector", "kind"]


@pytest.mark.parametrize("path", ["/search", "/report/evil-0.txt", "/matrix", "/trend", "/explain"])
@pytest.mark.parametrize("param", PARAMS + ["unknown"])
@pytest.mark.parametrize("k", [0, 1, 3, 5])
def test_payloads_in_parameters_are_text(client, path, param, k):
    """Each parameter (and an unknown parameter's name) carrying a payload: a page or a 400, inert either way."""
    payload = PAYLOADS[k]
    query = {payload: "1"} if param == "unknown" else {param: payload}
    # followed: a filter value that is part of an agency's name is sent on to that agency's page (302)
    response = client.get(path, query_string=query, follow_redirects=True)
    assert response.status_code in (200, 400), response.status_code
    assert response.headers.get("Content-Security-Policy")
    assert_inert(response.get_data(as_text=True))


@pytest.mark.parametrize("path", ["/search.json", "/report.json"])
def test_json_error_messages_are_json(client, path):
    response = client.get(path, query_string={"q": PAYLOADS[0], "page": PAYLOADS[1]})
    assert ("application/json", True) == (response.mimetype, "error" in json.loads(response.get_data(as_text=True)))


# --------------------------------------------------------------------------------------------------
# Every response carries the CSP


CSP_PATHS = ["/", "/search?q=执法", "/search.json?q=执法", "/search.csv?q=执法", "/report/evil-0.txt",
             "/report.json?id=evil-0.txt", "/search?page=0", "/search.json?year=abc", "/report/nothing.txt", "/no-such-page", "/static/style.css",
             "/static/app.js", "/matrix", "/trend?q=执法", "/explain?q=执法"]


@pytest.mark.parametrize("path", CSP_PATHS)
def test_csp_on_every_response(client, path):
    response = client.get(quoted(path))
    response.close()  # a static file is streamed from an open file
    csp = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert ("'none'", "'self'", "nosniff") == (csp["default-src"], csp["script-src"],
                                              response.headers.get("X-Content-Type-Options"))
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


# --------------------------------------------------------------------------------------------------
# /report/<id> never reaches a file outside the index


SECRET = "绝密文件内容-SECRET-7f3a"
TRAVERSALS = [
    "/report/../secret.txt", "/report/../../secret.txt", "/report/..%2fsecret.txt", "/report/..%2Fsecret.txt",
    "/report/%2e%2e/secret.txt", "/report/%2e%2e%2fsecret.txt", "/report/%2E%2E%2Fsecret.txt",
    "/report/sub/../../secret.txt", "/report/sub/%2e%2e/%2e%2e/secret.txt", "/report/..%5csecret.txt",
    "/report/%5c..%5csecret.txt", "/report//etc/passwd", "/report/%2fetc%2fpasswd", "/report/%2Fetc/passwd",
    "/report/etc/passwd", "/report/%252e%252e%252fsecret.txt", "/report/.%2e/secret.txt", "/report/./sub/plain.txt",
    "/report/sub//plain.txt", "/report/sub/./plain.txt", "/report/secret.txt%00.txt", "/report/%00",
    "/report/..;/secret.txt", "/report/%c0%ae%c0%ae/secret.txt", "/report/" + "../" * 40 + "etc/passwd",
    "/report.json?id=../secret.txt", "/report.json?id=/etc/passwd", "/report.json?id=..%2fsecret.txt",
    "/report.json?id=%2e%2e/secret.txt", "/report.json?id=sub/../../secret.txt", "/report.json?id=",
    "/report/{SECRET_PATH}", "/report.json?id={SECRET_PATH}",
]


@pytest.fixture(scope="module")
def secret_file(evil_index):
    """A file beside the index (and one in the corpus folder the UI links to)."""
    for folder in (evil_index.parent, evil_index.parent / "corpus"):
        folder.mkdir(exist_ok=True)
        (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    return evil_index.parent / "secret.txt"


@pytest.mark.parametrize("path", TRAVERSALS)
def test_report_cannot_reach_outside_the_index(client, secret_file, path):
    path = path.replace("{SECRET_PATH}", urllib.parse.quote(str(secret_file)))
    response = client.get(path, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert (404, False, False) == (response.status_code, SECRET in body, "root:x:0:0" in body)


def test_a_report_in_a_subfolder_is_served(client):
    assert 200 == client.get("/report/sub/plain.txt").status_code


# --------------------------------------------------------------------------------------------------
# Oversized and malformed parameters: 400 with a message


BAD_PARAMS = [
    {"q": "法" * 501}, {"q": "法" * 10_000}, {"q": "执法\x00"}, {"q": "执法\x1b[31m"}, {"q": ["执法", "复议"]},
    {"page": "0"}, {"page": "-1"}, {"page": "1000000000"}, {"page": "１"}, {"page": "1.5"}, {"page": "abc"},
    {"page": "9" * 5000}, {"limit": "0"}, {"limit": "10001"}, {"limit": "1e3"},
    {"year": "abc"}, {"year": "21"}, {"year": "2022-2020"}, {"year": "99999"}, {"year": "２０２１"},
    {"year_from": "x"}, {"year": "2021", "year_from": "2020"},
    {"mode": "regex"}, {"sort": "random"}, {"mode": "Exact"}, {"sort": "<script>"},
    {"city": "广" * 101}, {"province": [f"省{k}" for k in range(51)]}, {"kind": "\x07"},
    {"unknown": "1"}, {"Q": "执法"}, {"q[]": "执法"},
]


@pytest.mark.parametrize("path", ["/search", "/search.json", "/search.csv"])
@pytest.mark.parametrize("params", BAD_PARAMS, ids=range(len(BAD_PARAMS)))
def test_bad_parameters_get_400_with_a_message(client, path, params):
    response = client.get(path, query_string=params)
    body = response.get_data(as_text=True)
    message = response.get_json()["error"] if path.endswith(".json") else BeautifulSoup(body, "html.parser").get_text()
    assert (400, True) == (response.status_code, len(message.strip()) > 0)


@pytest.mark.parametrize("path", ["/report/evil-0.txt?q=" + "法" * 600, "/report/evil-0.txt?page=2",
                                  "/report/" + "a" * 5000, "/report.json?id=" + "a" * 5000,
                                  "/report.json?id=evil-0.txt&id=evil-1.txt&q=" + "法" * 600])
def test_bad_report_parameters(client, path):
    assert client.get(path).status_code in (400, 404)
