"""The bench's people and the domain rows its pages show: the street's administrator and a community's
secretary (with accounts), and households, residents, requests, care tags, pairings and visits, meetings
with their attendance, study materials and study records, upcoming activities — in proportion to the
members (``generate`` in ``bench.__main__`` makes the members, the ledger and the check-ins).

``fill`` is idempotent: it does nothing when the rows are there already (``--reuse`` of data generated
before the rows were added fills them once)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

YEAR = 2025
USERS = {"bench-street": "street", "bench-community": "community"}


def users(street, community):
    """The street administrator and the community secretary the pages are opened as."""
    from django.contrib.auth import get_user_model

    from gongzhi.accounts.models import Role, RoleKind

    made = {}
    for username, org, kind in (("bench-street", street, RoleKind.STREET_ADMIN),
                                ("bench-community", community, RoleKind.COMMUNITY_SECRETARY)):
        user, _created = get_user_model().objects.get_or_create(username=username,
                                                                defaults={"display_name": username})
        Role.objects.get_or_create(user=user, organization=org, kind=kind, defaults={"starts_on": date(2020, 1, 1)})
        made[username] = user
    return made


def _bulk(model, rows, size=5000):
    for i in range(0, len(rows), size):
        model.objects.bulk_create(rows[i:i + size])


def fill(street, members: int, seed: int = 11) -> bool:
    """Fill the domain rows once; ``True`` when it did."""
    from django.db import connection
    from django.utils import timezone

    from gongzhi.care.models import CareTag, Pairing, Visit
    from gongzhi.learning.models import Material, StudyRecord
    from gongzhi.meetings.models import Attendance, Meeting
    from gongzhi.members.models import Member, Resident
    from gongzhi.orgs.models import Building, Household, Organization, OrgKind
    from gongzhi.service.models import Activity
    from gongzhi.voice.models import Request

    if Resident.objects.filter(community__path__startswith=street.path).exists():
        return False
    rng = random.Random(seed)
    communities = list(Organization.objects.filter(kind=OrgKind.COMMUNITY, parent=street).order_by("code"))
    buildings = list(Building.objects.filter(grid__community__parent=street).select_related("grid"))
    # Households: enough for two residents each.
    per_building = max(2, members // len(buildings))
    _bulk(Household, [Household(building=b, entrance=1 + n % 4, floor=1 + n % 18, number=f"{n:04d}")
                      for b in buildings for n in range(per_building)])
    households = list(Household.objects.filter(building__in=buildings).select_related("building__grid")
                      .values_list("pk", "building__grid__community_id"))
    held = list(Member.objects.filter(home_org__path__startswith=street.path).values_list("pk", "community_id"))
    # Residents: two for each member; one in twenty is a member (linked), like the registers of a street.
    residents = []
    linked = rng.sample(held, min(len(held), members // 20))
    for n in range(members * 2):
        household, community = households[n % len(households)]
        member = linked[n] if n < len(linked) else None
        residents.append(Resident(community_id=member[1] if member else community,
                                  household_id=None if member else household,
                                  name=f"居民{n:07d}", name_initials="jm", sex=rng.choice(("male", "female")),
                                  birth_year=rng.randrange(1930, 2020), relation=rng.choice(("head", "spouse")),
                                  political_status="member" if member else "masses",
                                  member_id=member[0] if member else None))
    _bulk(Resident, residents)
    resident_ids = list(Resident.objects.filter(community__parent=street).values_list("pk", "community_id"))
    # Care: one resident in twenty is tagged, paired with a member and visited monthly.
    tagged = rng.sample(resident_ids, len(resident_ids) // 20)
    _bulk(CareTag, [CareTag(resident_id=r, kind=rng.choice(("alone", "empty_nest", "disability", "low_income")))
                    for r, _c in tagged])
    ids = [m for m, _c in held]
    _bulk(Pairing, [Pairing(member_id=rng.choice(ids), resident_id=r, frequency_days=30,
                            started_on=date(YEAR - 1, 12, 1)) for r, _c in tagged])
    pairings = list(Pairing.objects.filter(resident__community__parent=street).values_list("pk", flat=True))
    _bulk(Visit, [Visit(pairing_id=p, visited_on=date(YEAR, month, rng.randrange(1, 28)), key=f"bench:{p}:{month}")
                  for p in pairings for month in range(1, 13) if rng.random() < 0.8])
    # Requests: one for every four members over the year, most handled.
    grids_of = {}
    for b in buildings:
        grids_of.setdefault(b.grid.community_id, []).append(b)
    requests = []
    for n in range(members // 4):
        community = rng.choice(communities)
        created = timezone.make_aware(datetime(YEAR, 1, 1, 8)) + timedelta(minutes=rng.randrange(365 * 24 * 60))
        building = rng.choice(grids_of[community.pk])
        requests.append(Request(community=community, category=rng.choice(("environment", "property", "safety")),
                                text="楼道灯坏了", grid_id=building.grid_id, building=building, channel="qr",
                                tracking_number=f"B{n:09d}", status=rng.choice(("received", "accepted", "resolved",
                                                                                  "closed", "closed")),
                                handler=community, first_answer_due=created + timedelta(days=1),
                                resolution_due=(created + timedelta(days=7)).date(), created_at=created))
    _bulk(Request, requests)
    # Meetings: every branch and group meets monthly; attendance of 20 members each.
    by_org = {}
    for pk, home in Member.objects.filter(home_org__path__startswith=street.path).values_list("pk", "home_org_id"):
        by_org.setdefault(home, []).append(pk)
    meeting_orgs = list(Organization.objects.filter(path__startswith=street.path,
                                                    kind__in=(OrgKind.BRANCH, OrgKind.GROUP)))
    _bulk(Meeting, [Meeting(organization=org, kind="committee" if org.kind == OrgKind.BRANCH else "group",
                            topic=f"{month}月例会", date=date(YEAR, month, 10 + org.pk % 10), start_time=time(19),
                            place="党群服务中心", status="confirmed")
                    for org in meeting_orgs for month in range(1, 13)])
    meetings = list(Meeting.objects.filter(organization__path__startswith=street.path, kind="committee")
                    .values_list("pk", "organization_id"))
    attendance = []
    for meeting, org in meetings:
        for member in (by_org.get(org) or [])[:20]:
            attendance.append(Attendance(meeting_id=meeting, member_id=member,
                                         status=rng.choice(("present", "present", "present", "leave", "absent")),
                                         leave_reason="出差"))
    _bulk(Attendance, attendance)
    # Learning: the street and each community publish weekly; members study some of it.
    publishers = [street, *communities]
    _bulk(Material, [Material(organization=org, title=f"学习材料{org.code}-{week}", kind="article", body="……",
                              published_on=date(YEAR, 1, 1) + timedelta(weeks=week))
                     for org in publishers for week in range(52)])
    materials = list(Material.objects.filter(organization__in=publishers).values_list("pk", "published_on"))
    seen, records = set(), []
    for _n in range(members * 2):
        member, community = held[rng.randrange(len(held))]
        material, published = rng.choice(materials)
        if (material, member) in seen:
            continue
        seen.add((material, member))
        records.append(StudyRecord(material_id=material, member_id=member, organization_id=community,
                                   studied_on=min(published + timedelta(days=rng.randrange(14)), date(YEAR, 12, 31)),
                                   minutes=30))
    _bulk(StudyRecord, records)
    # Upcoming activities: from today on, a few hundred across the street.
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    _bulk(Activity, [Activity(organization=rng.choice(communities), title=f"即将开展的活动{n}", place="社区",
                              starts_at=start + timedelta(days=1 + n // 5, hours=n % 5),
                              ends_at=start + timedelta(days=1 + n // 5, hours=n % 5 + 2))
                     for n in range(max(members // 300, 40))])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return True
