"""The community's yearly evaluation of a member who reported there, as a reference for the member's
democratic appraisal in his or her own branch (collected by ``core.registries.appraisal_references``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongzhi.core.registries import AppraisalReference


def community_evaluations(member_ids: list[int], year: int) -> dict[int, list[str]]:
    from .models import MemberEvaluation

    found: dict[int, list[str]] = {}
    for evaluation in (MemberEvaluation.objects.filter(member_id__in=member_ids, year=year)
                       .select_related("community").order_by("community__name")):
        text = _("Evaluation by %(community)s, where the member reported: %(grade)s") % {
            "community": evaluation.community.name, "grade": evaluation.get_grade_display()}
        found.setdefault(evaluation.member_id, []).append(f"{text}（{evaluation.comment}）" if evaluation.comment
                                                          else text)
    return found


REFERENCES = [AppraisalReference(key="reports.community_evaluation", lookup=community_evaluations)]
