"""Under gunicorn each worker is its own process: with PROMETHEUS_MULTIPROC_DIR their values add up in /metrics,
and a dead worker's live gauges leave the sums (the child_exit hook)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

REPO = Path(__file__).resolve().parents[2]

WORKER = """
import os, sys
from inspect_app.core import metrics
metrics.observe_request("GET", "sites.Sites", 200, 0.02)
metrics.POOL_IN_USE.inc(2)
print(os.getpid())
"""
SCRAPE = "from inspect_app.core import metrics; import sys; sys.stdout.write(metrics.exposition()[0].decode())"


def _run(code: str, directory: Path) -> str:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True,
                          check=True, timeout=120).stdout


def _samples(text: str) -> dict:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_workers_values_are_summed_and_a_dead_workers_gauges_dropped(tmp_path):
    directory = tmp_path / "prom"
    directory.mkdir()
    (directory / "stale_from_last_run.db").write_bytes(b"")
    _run("from inspect_app.core.metrics import clear_multiprocess_dir; clear_multiprocess_dir(None)", directory)
    assert not (directory / "stale_from_last_run.db").exists()  # on_starting empties it

    pids = [int(_run(WORKER, directory)) for _ in range(2)]
    samples = _samples(_run(SCRAPE, directory))
    labels = (("endpoint", "sites.Sites"), ("method", "GET"), ("status", "200"))
    assert samples[("inspect_http_requests_total", labels)] == 2
    assert samples[("inspect_http_request_duration_seconds_count", labels)] == 2

    # The workers have exited; gunicorn's child_exit tells prometheus-client so their live gauges go.
    code = ("from inspect_app.core.metrics import child_exit\n"
            "class W: pass\n"
            + "".join(f"w = W(); w.pid = {pid}; child_exit(None, w)\n" for pid in pids)
            + "\n")
    assert samples.get(("inspect_db_pool_connections_in_use", ()), 0) == 4
    after = _samples(_run(code + SCRAPE, directory))
    assert after.get(("inspect_db_pool_connections_in_use", ()), 0) == 0
    assert after[("inspect_http_requests_total", labels)] == 2  # counters stay in the sums
