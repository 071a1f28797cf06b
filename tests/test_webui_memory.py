import subprocess
import sys

import pytest

from webui import memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt: Linux only")
def test_tune_malloc_sets_glibcs_arena_cap_and_mmap_threshold():
    # in a fresh process: the settings are process-wide and must come before the server's threads allocate
    script = "from webui.memory import tune_malloc; print(tune_malloc())"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "True" == out.stdout.strip()


def test_tune_malloc_changes_nothing_off_linux(monkeypatch):
    monkeypatch.setattr(memory.sys, "platform", "darwin")
    assert memory.tune_malloc() is False
