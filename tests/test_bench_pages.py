"""The page bench (``bench/pages.py``, ``make bench``) kept from rotting: on a tiny generated street, every
page it times shows what its hand-written SQL finds (the same ids, counts and totals). PostgreSQL only:
the bench's SQL is PostgreSQL's (``scripts/test_postgres.py`` runs it)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_every_page_of_the_bench_answers_what_its_sql_finds():
    if connection.vendor != "postgresql":
        pytest.skip("the page bench's hand-written SQL is PostgreSQL's")
    from bench import fill, pages
    from bench.__main__ import generate

    from gongzhi.orgs.models import Organization, OrgKind

    street, _first = generate(300, 30_000, 600)
    community = Organization.objects.filter(kind=OrgKind.COMMUNITY, parent=street).order_by("code").first()
    assert fill.fill(street, 300)
    assert not fill.fill(street, 300), "filled twice"
    users = fill.users(street, community)

    def sql(query, params):
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()

    assert len(pages.cases(street, community, sql)) >= 30
    assert pages.differences(street, community, users, sql) == []
