"""The counts of members and residents the organization pages show, registered into ``orgs.people`` when
members starts (orgs lies below members and does not import it)."""

from __future__ import annotations

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Member, Resident


def members_held(path_field: str = "path"):
    """Annotation: current members whose membership is held in the row's subtree."""
    inner = (
        Member.objects.current().filter(home_org__path__startswith=OuterRef(path_field))
        .order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")
    )
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def subtree(path: str) -> dict:
    """Members (and probationary ones) held in the subtree at ``path``, and residents registered there
    (two queries)."""
    members = Member.objects.current().filter(home_org__path__startswith=path).aggregate(
        total=Count("id"), probationary=Count("id", filter=Q(status="probationary")))
    return {
        "members": members["total"],
        "probationary": members["probationary"],
        "residents_registered": Resident.objects.filter(community__path__startswith=path).count(),
    }
