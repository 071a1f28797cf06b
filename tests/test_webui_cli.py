"""reports-web: its help, and the real console script serving the seed index over HTTP (waitress)."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from webui.cli import main

STARTUP = 60  # seconds the server may take to answer on a busy machine (a wait, not a timing assertion)


def test_help_names_every_option_and_an_example():
    result = CliRunner().invoke(main, ["--help"])
    assert 0 == result.exit_code
    for text in ("--index-dir", "--host", "--port", "127.0.0.1", "5000", "Example:", "REPORTS_INDEX_DIR"):
        assert text in result.output


@pytest.mark.parametrize("args, message", [
    (["--port", "70000"], "Invalid value for '--port'"),
    (["--port", "abc"], "Invalid value for '--port'"),
    (["--colour"], "No such option '--colour'"),
])
def test_bad_options_exit_2(args, message):
    result = CliRunner().invoke(main, args)
    assert (2, True) == (result.exit_code, message in result.output)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, deadline: float):
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, response.headers, response.read()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_console_script_serves_the_index(seed_index):
    port = free_port()
    script = Path(sys.executable).parent / "reports-web"
    server = subprocess.Popen([str(script), "--index-dir", str(seed_index), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/search.json?" + urllib.parse.urlencode({"q": "执法"})
        status, headers, body = get(url, time.monotonic() + STARTUP)
        assert (200, "reports-web") == (status, headers["Server"])
        assert 5 == json.loads(body)["total"]
        status, headers, body = get(f"http://127.0.0.1:{port}/", time.monotonic() + STARTUP)
        assert "共收录 5 份报告" in body.decode("utf-8")
        url = f"http://127.0.0.1:{port}/search.json?" + urllib.parse.urlencode({"q": "2022年 执法记录仪"})
        assert 200 == get(url, time.monotonic() + STARTUP)[0]
        maps = Path(f"/proc/{server.pid}/maps")
        if maps.exists():  # Linux: the server cut its queries with jieba alone (search.segmenter.jieba_only)
            assert "rjieba" not in maps.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()


def test_a_port_in_use_is_one_line_and_exit_2(seed_index):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        script = Path(sys.executable).parent / "reports-web"
        done = subprocess.run([str(script), "--index-dir", str(seed_index), "--port", str(port)],
                              capture_output=True, text=True, timeout=STARTUP)
    expected = (f"Error: port {port} on 127.0.0.1 is already in use: choose another with --port (make run "
                "PORT=…), or stop the program using it\n")
    assert (2, "", expected) == (done.returncode, done.stdout, done.stderr)
