"""Statements compiled once (core.statements): run with other values, a statement answers exactly what the
queryset built with those values answers, on both databases — texts with LIKE's own characters, dates, lists of
any length (none included), fixed values, model instances with their related rows and annotations — and a value
the ORM would not pass through unchanged fails loudly instead of running another query."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.transaction import TransactionManagementError

from gongzhi.core.statements import Fixed, Statement, StatementError
from gongzhi.orgs.models import Organization
from tests.factories.core import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    street = OrganizationFactory(kind="street", name="街道%_\\", established_on=date(2001, 5, 1))
    one = OrganizationFactory(kind="community", parent=street, name="一社区", established_on=date(2010, 1, 1))
    two = OrganizationFactory(kind="community", parent=street, name="二_社区", established_on=date(2020, 6, 30))
    OrganizationFactory(kind="grid", parent=one, name="网格")
    return street, one, two


def _by_path(path, since, kinds):
    return (Organization.objects.filter(path__startswith=path, established_on__gte=since, kind__in=kinds)
            .order_by("path").values_list("id", "name", "established_on"))


def test_rows_answer_what_the_queryset_answers_for_every_value(tree):
    street, one, two = tree
    statement = Statement(_by_path)
    for path in (street.path, one.path, two.path, "no such", "%", "_", street.path[:-1] + "_"):
        for since in (date(2000, 1, 1), date(2010, 1, 1), date(2020, 7, 1)):
            for kinds in (("street",), ("community", "grid"), (), ("community", "street", "grid")):
                assert statement.rows(path=path, since=since, kinds=kinds) == list(_by_path(path, since, kinds))


def test_a_shape_is_built_once(tree):
    street, one, _two = tree
    built = []

    def build(pk, limit):
        built.append(limit)
        return Organization.objects.filter(parent_id=pk).order_by("-id").values_list("name")[:limit]

    statement = Statement(build)
    assert statement.rows(pk=street.pk, limit=Fixed(1)) == list(build(street.pk, 1))
    assert statement.rows(pk=one.pk, limit=Fixed(1)) == list(build(one.pk, 1))
    assert statement.rows(pk=street.pk, limit=Fixed(5)) == list(build(street.pk, 5))
    # the test's own builds (two of one, one of five), the first run's look at the model, one per shape
    assert built.count(1) == 4 and built.count(5) == 2


def test_texts_with_like_characters_are_escaped(tree):
    statement = Statement(lambda text: Organization.objects.filter(name__contains=text).values_list("name"))
    for text in ("%", "_", "\\", "社区", "二_", "%_\\"):
        assert statement.rows(text=text) == list(Organization.objects.filter(name__contains=text)
                                                 .values_list("name"))


def test_model_instances_with_related_rows_and_annotations(tree):
    street, one, _two = tree

    def build(pk):
        return (Organization.objects.select_related("parent").filter(pk=pk)
                .annotate(children_count=Count("children")))

    statement = Statement(build)
    for organization in (street, one):
        got = statement.first(pk=organization.pk)
        want = build(organization.pk).get()
        assert (got.pk, got.name, got.path, got.children_count) == (want.pk, want.name, want.path,
                                                                    want.children_count)
        assert got.parent_id == want.parent_id
        if want.parent_id:
            assert got.parent.name == want.parent.name and got._state.db == want._state.db
    assert statement.first(pk=-1) is None
    assert statement.instances(pk=one.pk)[0].parent.pk == street.pk


def test_none_and_booleans_are_part_of_the_shape(tree):
    def build(active, parent):
        return Organization.objects.filter(is_active=active, parent_id=parent).values_list("name")

    statement = Statement(build)
    street = tree[0]
    for active in (True, False):
        for parent in (None, street.pk):
            assert statement.rows(active=active, parent=parent) == list(build(active, parent))


def test_an_empty_list_matches_nothing_without_a_query(tree, django_assert_num_queries):
    statement = Statement(lambda ids: Organization.objects.filter(id__in=ids).values_list("id"))
    statement.rows(ids=())
    with django_assert_num_queries(0):
        assert statement.rows(ids=()) == []


def test_a_value_the_orm_changes_fails_loudly(tree):
    changed = Statement(lambda code: Organization.objects.filter(code=code.upper()).values_list("id"))
    with pytest.raises(StatementError, match="code"):
        changed.rows(code="abc")
    with pytest.raises(StatementError, match="Fixed"):
        Statement(lambda x: Organization.objects.values_list("id")).rows(x=1.5)


def test_rows_and_instances_are_not_confused(tree):
    with pytest.raises(StatementError):
        Statement(lambda pk: Organization.objects.filter(pk=pk)).rows(pk=1)
    with pytest.raises(StatementError):
        Statement(lambda pk: Organization.objects.filter(pk=pk).values_list("id")).instances(pk=1)


def test_times_are_values_too(tree):
    from datetime import time

    from django.db.models import TimeField, Value

    statement = Statement(lambda pk, at: Organization.objects.filter(pk=pk)
                          .values_list("name", Value(at, output_field=TimeField())))
    street = tree[0]
    for at in (time(9, 30), time(0, 0), time(23, 59, 59, 999)):
        assert statement.rows(pk=street.pk, at=at) == [(street.name, at)]


def test_an_optional_value_may_be_left_out_but_never_changed(tree):
    street = tree[0]
    unused = Statement(lambda pk, viewer: Organization.objects.filter(pk=pk).values_list("name"), optional=("viewer",))
    assert unused.rows(pk=street.pk, viewer=5) == [(street.name,)]
    with pytest.raises(StatementError, match="viewer"):
        Statement(lambda pk, viewer: Organization.objects.filter(pk=pk).values_list("name")).rows(pk=street.pk,
                                                                                                  viewer=5)
    cut = Statement(lambda path: Organization.objects.filter(path__startswith=path[:4]).values_list("id"),
                    optional=("path",))
    with pytest.raises(StatementError):
        cut.rows(path=street.path)


def test_counted_rows_page_as_the_queryset_does(tree):
    from django.core.paginator import Paginator

    from gongzhi.core.statements import Counted

    def build(path):
        return Organization.objects.filter(path__startswith=path).order_by("path").values_list("id", "name")

    counted = Counted(build)
    street, one, _two = tree
    for path in (street.path, one.path, "no such"):
        for size in (1, 2, 3, 10):
            pages, expected = Paginator(counted.bind(path=path), size), Paginator(build(path), size)
            assert pages.count == expected.count and pages.num_pages == expected.num_pages
            for number in expected.page_range:
                assert list(pages.page(number).object_list) == list(expected.page(number).object_list)


def test_counted_rows_counted_without_the_shown_columns_joins(tree):
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongzhi.core.statements import Counted

    def scope(path):
        return Organization.objects.filter(path__startswith=path)

    def build(path):  # the parent's name: a LEFT JOIN, which changes no count
        return scope(path).order_by("path").values_list("id", "parent__name")

    street, one, _two = tree
    for counted, joins in ((Counted(build), 1), (Counted(build, counted=scope), 0)):
        for path in (street.path, one.path, "no such"):
            with CaptureQueriesContext(connection) as queries:
                pages = Paginator(counted.bind(path=path), 2)
                assert pages.count == Paginator(build(path), 2).count
            assert queries[0]["sql"].upper().count(" JOIN ") == joins
            for number in pages.page_range:
                assert list(pages.page(number).object_list) == list(Paginator(build(path), 2).page(number).object_list)


def test_an_insert_writes_the_row_create_writes():
    from django.forms.models import model_to_dict

    from gongzhi.core.models import Notification
    from gongzhi.core.statements import Insert

    user = UserFactory()
    insert = Insert(Notification)
    for number in range(3):  # compiled once, run again with other values
        row = insert.create(user=user, title=f"标题 {number}", url="/x/", key=f"k{number}")
        assert row.pk is not None and not row._state.adding and row._state.db == "default"
        assert row.created_at is not None  # auto_now_add, through the field's pre_save
        stored = Notification.objects.get(pk=row.pk)
        assert model_to_dict(stored) == model_to_dict(row)
        assert stored.created_at == row.created_at
    with pytest.raises(IntegrityError), transaction.atomic():  # the database's constraints still hold
        insert.create(user=user, title="again", key="k1")


def test_an_insert_leaves_a_listened_model_or_one_with_its_own_save_to_create():
    from django.db.models.signals import post_save

    from gongzhi.core.models import Notification
    from gongzhi.core.statements import Insert

    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.pk, created))

    post_save.connect(receiver, sender=Notification)
    try:
        row = Insert(Notification).create(user=UserFactory(), title="heard")
    finally:
        post_save.disconnect(receiver, sender=Notification)
    assert heard == [(row.pk, True)]
    street = Insert(Organization).create(code="INS", name="由 save 写入", kind="street")  # its own save(): the path
    assert street.path and Organization.objects.get(pk=street.pk).path == street.path


@pytest.mark.django_db(transaction=True)
def test_a_locking_statement_runs_only_in_a_transaction(tree):
    street, one, _two = tree
    lock = Statement(lambda pk: Organization.objects.select_for_update().filter(pk=pk).order_by().values_list("id"),
                     locks=True)
    with pytest.raises(TransactionManagementError):
        lock.rows(pk=street.pk)
    with transaction.atomic():
        assert lock.rows(pk=street.pk) == [(street.pk,)]
        assert lock.rows(pk=one.pk) == [(one.pk,)]
    with pytest.raises(StatementError, match="locks"):
        Statement(lambda pk: Organization.objects.select_for_update().filter(pk=pk).values_list("id")).rows(pk=1)
    with pytest.raises(StatementError, match="locks"), transaction.atomic():
        Statement(lambda pk: Organization.objects.filter(pk=pk).values_list("id"), locks=True).rows(pk=1)


@pytest.mark.parametrize("hot_allowed", [True, False], ids=["hot-prepared", "preparing-off"])
def test_a_hot_statement_is_prepared_at_its_first_run_where_the_settings_allow(tree, settings, hot_allowed):
    """PostgreSQL plans a hot statement (a QR check-in's) once per connection, not on every run: psycopg prepares
    it at its first run there (GONGZHI_DB_PREPARE_THRESHOLD=hot); other statements are not prepared, nor is
    anything with preparing off. The answers stay the queryset's."""
    from django.db import connection

    from gongzhi.core.models import Notification
    from gongzhi.core.statements import Insert

    if connection.vendor != "postgresql":
        pytest.skip("statements are prepared on PostgreSQL only")
    settings.GONGZHI_DB_PREPARE_HOT = hot_allowed
    street, one, two = tree
    hot = Statement(lambda path, since, kinds: _by_path(path, since, kinds).reverse(), hot=True)
    cold = Statement(_by_path)
    insert = Insert(Notification, hot=True)
    user = UserFactory()
    for path in (street.path, one.path, two.path):
        since, kinds = date(2000, 1, 1), ["street", "community", "grid"]
        assert hot.rows(path=path, since=since, kinds=kinds) == list(_by_path(path, since, kinds).reverse())
        assert cold.rows(path=path, since=since, kinds=kinds) == list(_by_path(path, since, kinds))
        insert.create(user=user, title=path, url="/x/", key=path)
    native = connection.connection
    assert native.prepare_threshold is None  # as the test settings have it, after each hot run too
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert Notification.objects.filter(user=user).count() == 3
    hot_sql = [sql for sql in prepared if "ORDER BY" in sql and "DESC" in sql and "orgs_organization" in sql]
    assert len(hot_sql) == (1 if hot_allowed else 0)
    assert len([sql for sql in prepared if "core_notification" in sql]) == (1 if hot_allowed else 0)
    assert not [sql for sql in prepared if "orgs_organization" in sql and "DESC" not in sql]  # the cold one
