"""The suite's garbage collector (tests/conftest.py, ``pytest_collection_finish``): what was loaded before the
tests is frozen, and the thresholds are raised, in whichever process runs the tests (each xdist worker)."""

import gc

from tests.conftest import GC_THRESHOLDS


def test_what_was_loaded_before_the_tests_is_out_of_the_collectors_reach():
    assert gc.isenabled()
    assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.get_freeze_count() > 100_000  # Django, the apps and the collected tests


def test_a_tests_garbage_is_still_collected():
    class Cycle:
        pass

    first, second = Cycle(), Cycle()
    first.other, second.other = second, first
    alive = id(first)
    del first, second
    assert gc.collect() >= 2
    assert all(id(thing) != alive for thing in gc.get_objects() if isinstance(thing, Cycle))
