"""The organization tree: paths, subtree queries, moves."""

import pytest

from gongzhi.orgs.models import STEP, Organization, OrgKind
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def make_tree():
    street = OrganizationFactory(kind=OrgKind.STREET, name="街道")
    c1 = OrganizationFactory(kind=OrgKind.COMMUNITY, parent=street, name="一社区")
    c2 = OrganizationFactory(kind=OrgKind.COMMUNITY, parent=street, name="二社区")
    b1 = OrganizationFactory(parent=c1, name="一支部")
    g1 = OrganizationFactory(kind=OrgKind.GROUP, parent=b1, name="一小组")
    return street, c1, c2, b1, g1


def test_children_get_the_parent_path_as_prefix_and_one_more_segment():
    street, c1, c2, b1, g1 = make_tree()
    assert c1.path.startswith(street.path) and len(c1.path) == len(street.path) + STEP
    assert c1.path != c2.path
    assert (street.depth, c1.depth, b1.depth, g1.depth) == (1, 2, 3, 4)


def test_subtree_is_one_query(django_assert_num_queries):
    street, c1, c2, b1, g1 = make_tree()
    with django_assert_num_queries(1):
        names = sorted(o.name for o in Organization.objects.descendants_of(c1, include_self=True))
    assert names == sorted(["一社区", "一支部", "一小组"])


def test_ancestors_are_listed_from_the_root():
    street, c1, c2, b1, g1 = make_tree()
    assert list(Organization.objects.ancestors_of(g1)) == [street, c1, b1]
    assert g1.community() == c1


def test_moving_a_subtree_keeps_every_descendant_path_right():
    street, c1, c2, b1, g1 = make_tree()
    b1.move_to(c2)
    g1.refresh_from_db()
    assert b1.parent == c2
    assert b1.path.startswith(c2.path) and b1.depth == c2.depth + 1
    assert g1.path.startswith(b1.path) and g1.depth == b1.depth + 1
    assert list(Organization.objects.descendants_of(c1)) == []
    assert set(Organization.objects.descendants_of(c2)) == {b1, g1}
    for org in Organization.objects.all():
        if org.parent_id:
            parent = Organization.objects.get(pk=org.parent_id)
            assert org.path.startswith(parent.path) and org.depth == parent.depth + 1


def test_an_organization_cannot_move_under_its_own_descendant():
    street, c1, c2, b1, g1 = make_tree()
    with pytest.raises(ValueError):
        c1.move_to(g1)


def test_new_child_after_a_move_does_not_collide():
    street, c1, c2, b1, g1 = make_tree()
    b1.move_to(c2)
    b2 = OrganizationFactory(parent=c2, name="二支部")
    assert b2.path != b1.path
    assert len({o.path for o in Organization.objects.all()}) == Organization.objects.count()


def test_search_finds_by_name_pinyin_initials_and_code():
    street, c1, c2, b1, g1 = make_tree()
    OrganizationFactory(name="幸福社区党委", code="XF01", kind=OrgKind.COMMUNITY)
    assert list(Organization.objects.search("幸福").values_list("code", flat=True)) == ["XF01"]
    assert list(Organization.objects.search("xfsq").values_list("code", flat=True)) == ["XF01"]
    assert list(Organization.objects.search("xf01").values_list("code", flat=True)) == ["XF01"]
