"""The demo crawl's split between the two runs of `make test` (tests/crawl.py): every crawl module runs
in exactly one of the SQLite and PostgreSQL runs, so that together they crawl every account's pages;
a run on its own crawls them all."""

import importlib.util
from pathlib import Path

import pytest

from tests.crawl import SHARES, SPLIT, crawled_here, in_this_run

ROOT = Path(__file__).resolve().parent.parent
VENDORS = ("sqlite", "postgresql")


def test_every_crawl_module_has_a_share_and_every_share_a_module():
    modules = {path.stem for path in (ROOT / "tests").glob("test_browser_crawl*.py")}
    assert modules == set(SHARES)
    assert {database for database, _accounts in SHARES.values()} == set(VENDORS)


def test_split_runs_crawl_every_account_once_and_a_run_alone_crawls_all():
    everyone = [account for _database, accounts in SHARES.values() for account in accounts]
    assert len(everyone) == len(set(everyone)) >= 5
    split = {vendor: [a for module, (_d, accounts) in SHARES.items() if crawled_here(module, vendor, True)
                      for a in accounts] for vendor in VENDORS}
    assert sorted(split["sqlite"] + split["postgresql"]) == sorted(everyone)
    assert all(split[vendor] for vendor in VENDORS)  # each run does its share
    for vendor in VENDORS:
        assert all(crawled_here(module, vendor, False) for module in SHARES)


@pytest.mark.parametrize("module", sorted(SHARES))
def test_each_crawl_module_runs_in_its_share_of_the_runs(module):
    imported = importlib.import_module(f"tests.{module}")
    assert in_this_run(module) in imported.pytestmark


def test_make_test_splits_the_crawl_only_when_both_runs_happen(monkeypatch):
    """scripts/test_both.py has both runs split the crawl when PostgreSQL is reachable, and neither otherwise."""
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("test_both", ROOT / "scripts" / "test_both.py")
    test_both = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(test_both)
    monkeypatch.setenv(SPLIT, "1")
    assert test_both.run_environment(postgres=True)[SPLIT] == "1"
    assert SPLIT not in test_both.run_environment(postgres=False)
