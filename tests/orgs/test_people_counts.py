"""The organization pages count members and residents through what members registers into ``orgs.people``
(orgs lies below members and does not import it)."""

from gongzhi.members import counts
from gongzhi.orgs import people, selectors


def test_members_registered_the_counts_at_start_up():
    provider = people._provider()
    assert provider.members_held is counts.members_held and provider.subtree is counts.subtree


def test_the_figures_count_members_and_residents_of_the_subtree(world):
    community = selectors.subtree_figures(world.community_a)
    assert (community["members"], community["residents_registered"]) == (2, 1)  # branches A and B; 孙丽
    street = selectors.subtree_figures(world.street_a)
    assert (street["members"], street["residents_registered"]) == (3, 1)  # and the unit's member
    children = {o.pk: o.member_count for o in selectors.tree_children(world.community_a, world.users["street_admin"])}
    assert children == {world.branch_a.pk: 1, world.branch_b.pk: 1}
