"""The order the suite runs in, so that two workers finish together.

`make test` runs pytest-xdist with ``--dist loadfile``: a test module goes whole to one worker, so its
module-wide world or demo is built once, not once per worker. Workers take modules in collection order,
so the modules are collected longest first (longest-processing-time scheduling): a five-minute browser
crawl that started last would keep one worker busy long after the other had finished.

How long a module takes is read from ``tests/durations.json`` (seconds per module, as measured by
``make test-durations``); a module missing from it counts a quarter of a second per test, a browser
test ten seconds. A stale file only makes the order less good, never a test fail.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

DURATIONS = Path(__file__).resolve().parent / "durations.json"
RECORD = "GONGZHI_RECORD_DURATIONS"
PER_TEST, PER_BROWSER_TEST = 0.25, 10.0


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _known() -> dict[str, float]:
    try:
        return json.loads(DURATIONS.read_text())
    except (OSError, ValueError):
        return {}


def pytest_collection_modifyitems(session, config, items):
    known = _known()
    guessed: dict[str, float] = defaultdict(float)
    for item in items:
        guessed[_module(item.nodeid)] += PER_BROWSER_TEST if item.get_closest_marker("browser") else PER_TEST
    weight = {module: known.get(module, guess) for module, guess in guessed.items()}
    first_seen = {}
    for index, item in enumerate(items):
        first_seen.setdefault(_module(item.nodeid), index)
    # Stable: a module's tests keep their order, modules of equal weight keep theirs.
    items.sort(key=lambda item: (-weight[_module(item.nodeid)], first_seen[_module(item.nodeid)]))


class _Recorder:
    """Adds up each module's setup, call and teardown times (reported to the controller by every
    worker) and writes them to tests/durations.json at the end of a run of the whole suite (a failed
    test still took its time)."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)

    def pytest_runtest_logreport(self, report):
        self.seconds[_module(report.nodeid)] += report.duration

    def pytest_sessionfinish(self, session, exitstatus):
        config = session.config
        whole = config.args_source == pytest.Config.ArgsSource.TESTPATHS
        if not whole or config.getoption("keyword") or config.getoption("markexpr") or not self.seconds:
            return
        DURATIONS.write_text(json.dumps({module: round(seconds, 1) for module, seconds in
                                         sorted(self.seconds.items())}, indent=1) + "\n")


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    if os.environ.get(RECORD) and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Recorder(), "gongzhi-durations")
