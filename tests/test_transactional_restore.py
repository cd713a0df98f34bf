"""After a test with a real commit, the next test finds the database as the migrations left it (tests/conftest.py:
in-memory SQLite restored from the run's template; otherwise flushed, and the reference tables a test changed seeded
again): nothing the test wrote, and the migrations' seeds, content types and permissions all there; those no test
changed are the same rows as before. Each test depends on the one before it running first in the same worker
(``--dist loadfile`` keeps a module's tests together, in order)."""

import os

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE: dict[str, int] = {}
ROWS: dict[str, list] = {}


def _counts() -> dict[str, int]:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from gongzhi.core.models import CalendarDay
    from gongzhi.members.models import JobCode

    return {"calendar days": CalendarDay.objects.count(), "job codes": JobCode.objects.count(),
            "content types": ContentType.objects.count(), "permissions": Permission.objects.count()}


def test_a_test_with_a_real_commit_changes_the_reference_tables():
    from django.contrib.auth.models import Permission

    from gongzhi.core.models import CalendarDay
    from tests.factories import UserFactory

    BEFORE.update(_counts())
    assert all(BEFORE.values()), BEFORE
    UserFactory(username="left-behind")
    CalendarDay.objects.filter(day__year=2024).delete()
    Permission.objects.filter(content_type__app_label="members").delete()
    assert _counts() != BEFORE


def test_the_next_test_finds_the_database_as_the_migrations_left_it():
    from gongzhi.accounts.models import User
    from tests import conftest, template_db

    assert BEFORE, "the first test of the module runs first"
    assert not User.objects.filter(username="left-behind").exists()
    assert _counts() == BEFORE
    made = os.environ.get(template_db.ENV, "")
    from django.db import connection

    restored = connection.vendor == "sqlite" and made.startswith("sqlite:")
    assert conftest._SQLITE_TEMPLATE == ([made.split(":", 1)[1]] if restored else [])


def _rows() -> dict[str, list]:
    from django.contrib.auth.models import Permission

    from gongzhi.core.models import CalendarDay
    from gongzhi.money.models import DuesRate

    return {"calendar days": list(CalendarDay.objects.order_by("pk").values_list("pk", "day", "kind")),
            "dues rates": list(DuesRate.objects.order_by("pk").values_list("pk", "basis", "percent")),
            "permissions": list(Permission.objects.order_by("pk").values_list("pk", "codename"))}


def test_a_test_with_a_real_commit_leaves_the_reference_tables_alone():
    from tests.factories import UserFactory

    ROWS.update(_rows())
    UserFactory(username="left-behind-too")


def test_reference_tables_no_test_changed_keep_their_rows():
    """The same rows, not the same rows written again (which have other keys): restored from the template on SQLite,
    kept by PostgreSQL's flush (as a superuser); a flush that empties them all (elsewhere) seeds them again."""
    from gongzhi.accounts.models import User
    from tests import conftest

    assert ROWS, "the test before runs first"
    assert not User.objects.filter(username="left-behind-too").exists()
    if conftest._SQLITE_TEMPLATE or conftest._REFERENCE_CONTENT:
        assert _rows() == ROWS
    else:
        assert _counts() == BEFORE
