"""Replicas (``reports-index replicate DIR DEST``): a copied generation answers every page exactly as the index
it came from, and a server on the replica keeps answering from its old generation while the next is copied."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from build_helpers import add, make_corpus, modify, stored_docs
from indexer.build import PAUSE_ENV, build
from indexer.build import generations as gens
from search.engine import REFRESH_SECONDS
from webui import create_app

PAGES = ["/search.json?q=执法", "/search.json?q=执法监督", "/search.json?q=行政复议+OR+信访&sort=year",
         "/search.json?q=法治&province=广东", "/search.json?q=同句(执法+记录仪)", "/search.json?q=执法&mode=words",
         "/matrix.json?q=执法", "/trend.json?q=执法", "/compliance.json"]


def replicate(index_dir, dest, *args, env=None, popen=False):
    cmd = [sys.executable, "-m", "indexer.cli", "replicate", str(index_dir), str(dest), *args]
    if popen:
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ, **(env or {})))
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def pages(client) -> list:
    time.sleep(REFRESH_SECONDS)  # a server looks at CURRENT at most this often
    out = []
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        out.append(response.get_json())
    report = client.get("/search.json?q=执法").get_json()["hits"][0]["file"]
    out.append(client.get(f"/report.json?id={report}&q=执法").get_json())
    return out


def client_for(index_dir):
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()


def test_a_replica_answers_like_its_source_and_serves_through_the_next_copy(tmp_path):
    corpus, index_dir, dest = make_corpus(tmp_path / "corpus"), tmp_path / "index", tmp_path / "replica"
    build(corpus, index_dir, workers=1)
    run = replicate(index_dir, dest)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("copied gen-000001 (") and run.stdout.endswith(f"; {dest} serves gen-000001\n")
    source, replica = client_for(index_dir), client_for(dest)
    first = pages(source)
    assert pages(replica) == first
    assert stored_docs(dest) == stored_docs(index_dir)
    # a real copy: no file of the replica shares an inode with the source
    inodes = {os.stat(e.path).st_ino for e in os.scandir(index_dir / "gen-000001")}
    assert not inodes & {os.stat(e.path).st_ino for e in os.scandir(dest / "gen-000001")}

    modify(corpus)
    add(corpus)  # a new report: every page changes (an edit may only touch text the pages do not show)
    build(corpus, index_dir, workers=1)
    second = pages(source)
    assert second != first
    copying = replicate(index_dir, dest, env={PAUSE_ENV: "copied:3"}, popen=True)
    assert copying.stderr.readline().strip() == "PAUSED copied"  # copied, not yet swapped
    assert gens.generations(dest) == ["gen-000001", "gen-000002"]
    assert pages(replica) == first
    out, _ = copying.communicate(timeout=60)
    assert copying.returncode == 0 and out.endswith(f"; {dest} serves gen-000002\n")
    assert pages(replica) == second

    assert replicate(index_dir, dest).stdout == f"{dest} already serves gen-000002\n"
    (corpus / "renamed.txt").write_bytes((corpus / "000_27c9d69931be37ee.txt").read_bytes())
    build(corpus, index_dir, workers=1)
    run = replicate(index_dir, dest, "--json")
    assert json.loads(run.stdout)["removed"] == ["gen-000001"]
    assert gens.generations(dest) == ["gen-000002", "gen-000003"]
    assert pages(replica) == pages(source)


def test_replicating_without_an_index_is_an_error(tmp_path):
    run = replicate(tmp_path / "nothing", tmp_path / "replica")
    assert (run.returncode, run.stderr.strip()) == (
        2, f"Error: no index at {tmp_path}/nothing: run `reports-index build` first")
    assert not (tmp_path / "replica").exists()
