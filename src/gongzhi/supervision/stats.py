"""Supervision's figures for an organization's subtree and a period: checks made, rectifications closed on
time, complaints received and handled (concluded), and handled within the answer deadline."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import Figure

from .models import Complaint, ComplaintStatus, Rectification, RectificationStatus, SupervisionItem


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else None


def checks(organization, period) -> int:
    return SupervisionItem.objects.filter(organization__path__startswith=organization.path,
                                          checked_on__gte=period.start, checked_on__lte=period.end).count()


def _checks_by_area(organization, period):
    from .models import Area

    rows = dict(SupervisionItem.objects.filter(
        organization__path__startswith=organization.path, checked_on__gte=period.start,
        checked_on__lte=period.end).values_list("area").annotate(n=Count("id")).order_by())
    return [(str(Area(a).label), rows.get(a, 0)) for a in Area.values]


def rectified_on_time(organization, period) -> Decimal | None:
    """Of the rectifications whose deadline fell in the period, the share closed by the deadline."""
    rows = Rectification.objects.filter(organization__path__startswith=organization.path,
                                        deadline__gte=period.start, deadline__lte=period.end).aggregate(
        due=Count("id"), on_time=Count("id", filter=Q(status=RectificationStatus.CLOSED,
                                                      closed_on__lte=F("deadline"))))
    return _share(rows["on_time"], rows["due"])


def complaints_received(organization, period) -> int:
    return Complaint.objects.filter(organization__path__startswith=organization.path,
                                    received_on__gte=period.start, received_on__lte=period.end).count()


def complaints_handled(organization, period) -> int:
    return Complaint.objects.filter(organization__path__startswith=organization.path,
                                    status=ComplaintStatus.CONCLUDED, concluded_on__gte=period.start,
                                    concluded_on__lte=period.end).count()


def complaints_handled_on_time(organization, period) -> Decimal | None:
    """Of the complaints whose answer fell due in the period, the share concluded by then."""
    rows = Complaint.objects.filter(organization__path__startswith=organization.path,
                                    answer_due__gte=period.start, answer_due__lte=period.end).aggregate(
        due=Count("id"), on_time=Count("id", filter=Q(status=ComplaintStatus.CONCLUDED,
                                                      concluded_on__lte=F("answer_due"))))
    return _share(rows["on_time"], rows["due"])


FIGURES = [
    Figure(key="supervision.checks", label=_("Supervision checks"), unit="count", area="supervision",
           compute=checks, breakdown=_checks_by_area,
           description=_("Checks the supervision committee recorded in the period.")),
    Figure(key="supervision.rectified_on_time", label=_("Rectifications closed on time"), unit="percent",
           area="supervision", compute=rectified_on_time,
           description=_("Of the rectifications due in the period, the share verified and closed by the deadline.")),
    Figure(key="supervision.complaints_received", label=_("Complaints and reports received"), unit="count",
           area="supervision", compute=complaints_received, higher_is_better=None),
    Figure(key="supervision.complaints_handled", label=_("Complaints and reports handled"), unit="count",
           area="supervision", compute=complaints_handled,
           description=_("Complaints and reports concluded in the period, with an answer to the complainant.")),
    Figure(key="supervision.complaints_on_time", label=_("Complaints answered on time"), unit="percent",
           area="supervision", compute=complaints_handled_on_time,
           description=_("Of the complaints whose answer fell due in the period, the share concluded by then.")),
]
