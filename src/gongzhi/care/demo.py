"""Demo care: elderly and other residents in need in 幸福社区 tagged, paired with party members,
a year of visits (a few pairings overdue) and the visit points they earned. bulk_create."""

from __future__ import annotations

from datetime import timedelta

from gongzhi.members.models import Member, Resident
from gongzhi.points.models import RuleCode
from gongzhi.points.services import bulk_post

from .models import CareKind, CareTag, Pairing, Visit

NOTES = ["聊家常，身体状况良好", "帮忙打扫卫生", "量血压，提醒按时服药", "代购生活用品", "陪同去社区卫生站"]


def build(ctx) -> None:
    rng, today, community = ctx.rng, ctx.today, ctx["xingfu"]
    elderly = list(Resident.objects.filter(community=community, birth_year__lte=today.year - 75,
                                           member__isnull=True).order_by("pk")[:24])
    members = list(Member.objects.filter(community=community).order_by("pk")[:24])
    if not elderly or not members:
        return
    kinds = [CareKind.LIVING_ALONE, CareKind.EMPTY_NEST, CareKind.DISABILITY, CareKind.ILLNESS, CareKind.LOW_INCOME]
    CareTag.objects.bulk_create([CareTag(resident=r, kind=kinds[i % len(kinds)]) for i, r in enumerate(elderly)])
    pairings = [Pairing(member=members[i % len(members)], resident=r, frequency_days=rng.choice([7, 14, 30]),
                        started_on=today - timedelta(days=365)) for i, r in enumerate(elderly)]
    Pairing.objects.bulk_create(pairings)
    visits = []
    for n, pairing in enumerate(pairings):
        day = pairing.started_on + timedelta(days=rng.randint(1, 7))
        stop = today - timedelta(days=pairing.frequency_days * 3 if n % 6 == 0 else rng.randint(0, 5))
        while day <= stop:
            visits.append(Visit(pairing=pairing, visited_on=day, note=rng.choice(NOTES)))
            day += timedelta(days=pairing.frequency_days + rng.randint(-2, 2))
    Visit.objects.bulk_create(visits, batch_size=2000)
    # The visit points each logged visit earns (``care.services.post_visit_points``), in bulk.
    visits.sort(key=lambda v: (v.visited_on, v.pk))
    bulk_post(code=RuleCode.VISIT, events=((v.pairing.member_id, community, v.visited_on, f"visit:{v.pk}", v)
                                           for v in visits))
