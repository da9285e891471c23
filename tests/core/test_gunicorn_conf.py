"""gunicorn.conf.py staggers worker recycling: no two workers are replaced at the same moment."""

import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

CONF = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))


@pytest.mark.parametrize("workers", [2, 3, 5])
def test_each_worker_recycles_after_a_different_number_of_requests(workers):
    server = SimpleNamespace(cfg=SimpleNamespace(workers=workers, max_requests=CONF["max_requests"]))
    limits = []
    for age in range(1, workers + 1):  # gunicorn's spawn counter
        worker = SimpleNamespace(age=age, max_requests=CONF["max_requests"])
        CONF["post_fork"](server, worker)
        limits.append(worker.max_requests)
    limits.sort()
    gaps = [b - a for a, b in zip(limits, limits[1:], strict=False)]
    assert len(set(limits)) == workers
    assert min(gaps) >= CONF["max_requests"] // workers  # evenly spread, never together
    assert CONF["max_requests_jitter"] == 0


def test_recycling_switched_off_stays_off():
    assert CONF["stagger"](0, 3, 2) == 0
