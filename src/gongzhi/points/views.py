"""Rules (inherited down the tree), the scoped ledger with filters, reversal with a reason."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.edge import messages_of, require
from gongzhi.core.paging import KeysetStatement, keyset_page
from gongzhi.core.rows import RowMarkup, RowUrl, choice_labels, escaped
from gongzhi.core.scoping import (
    VIEWER_OPTIONAL,
    get_visible_or_404,
    role_organizations,
    stand_in_viewer,
    viewer_values,
)
from gongzhi.core.statements import Statement
from gongzhi.members.models import Member
from gongzhi.orgs.models import Organization

from . import services
from . import shop as shop_service
from .forms import LedgerFilter, ReverseForm, RewardForm, RuleForm
from .models import PointEntry, PointRule, Redemption, Reward
from .permissions import (
    RUN_SHOP,
    can_edit_rules,
    can_read_ledger,
    can_read_rules,
    can_reverse,
    can_run_shop,
    reversible_where,
)


def rules(request, pk):
    org = get_visible_or_404(Organization, request.user, pk=pk)
    require(can_read_rules(request.user, org))
    editable = can_edit_rules(request.user, org)
    form = RuleForm(request.POST or None) if editable else None
    status = 200
    if request.method == "POST":
        require(editable)
        if form.is_valid():
            rule = form.save(commit=False)
            rule.organization = org
            try:
                services.add_rule(rule, by=request.user, request=request)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("Rule added."))
                return redirect("points:rules", pk=org.pk)
        status = 400
    today = timezone.localdate()
    own = PointRule.objects.filter(organization=org).order_by("code", "-effective_from")
    return render(request, "points/rules.html", {
        "org": org, "effective": services.effective_rules(org, today), "own": own, "form": form, "today": today,
    }, status=status)


LEDGER_ORDER = ("-occurred_on", "-id")


class LedgerRow(NamedTuple):
    """One line of the ledger page, read as values: the columns it shows (no member's sealed field) and what
    deciding on a correction needs, without a model instance per entry, member and organization."""

    id: int
    occurred_on: date
    code: str
    hours: Decimal | None
    reason: str
    points: Decimal
    reverses_id: int | None
    member_name: str
    organization_name: str
    organization_path: str
    organization_kind: str

    model = PointEntry  # the record a row stands for (the access matrix looks it up)

    @property
    def pk(self) -> int:
        return self.id


LEDGER_FIELDS = ("id", "occurred_on", "code", "hours", "reason", "points", "reverses_id", "member__name",
                 "organization__name", "organization__path", "organization__kind")


def _visible_entries(**viewer):
    return PointEntry.objects.visible_to(stand_in_viewer(**viewer)).values_list(*LEDGER_FIELDS)


#: The unfiltered ledger's pages and which of their entries were reversed, compiled once (core.statements).
_LEDGER_PAGE = KeysetStatement(_visible_entries, order=LEDGER_ORDER, optional=VIEWER_OPTIONAL)
_REVERSED = Statement(lambda ids: PointEntry.objects.filter(reverses__in=ids).order_by().values_list("reverses_id"))


def ledger(request):
    require(can_read_ledger(request.user))
    filters = LedgerFilter(request.GET or None)
    after, before = request.GET.get("after"), request.GET.get("before")
    data = filters.cleaned_data if filters.is_valid() else {}
    # Keyset pages: no count of the whole ledger, no OFFSET; page 50 reads what page 1 reads.
    if data.get("member") or data.get("code") or data.get("month"):
        entries = PointEntry.objects.visible_to(request.user).values_list(*LEDGER_FIELDS)
        if data["member"]:
            entries = entries.filter(member__name__icontains=data["member"].strip())
        if data["code"]:
            entries = entries.filter(code=data["code"])
        if data["month"]:
            year, month = (int(x) for x in data["month"].split("-"))
            entries = entries.filter(occurred_on__year=year, occurred_on__month=month)
        page = keyset_page(entries, order=LEDGER_ORDER, after=after, before=before, size=50, record=LedgerRow._make)
    else:
        page = _LEDGER_PAGE.page(PointEntry, after=after, before=before, size=50, record=LedgerRow._make,
                                 **viewer_values(request.user))
    reversed_ids = {row[0] for row in _REVERSED.rows(ids=[e.id for e in page])}
    rows, reversible = _ledger_rows(request.user, page, reversed_ids)
    return render(request, "points/ledger.html", {
        "may_propose": bool(_shop_orgs(request.user)),
        "filters": filters, "page": page, "rows": rows, "reversible": reversible, "reversed": reversed_ids,
    })


_LEDGER_ROW = RowMarkup("""
    <tr id="entry-{pk}"><td class="text-nowrap">{day}</td><td class="text-nowrap">{member}</td><td>{rule}{hours}{reason}</td><td class="text-end">{points}</td><td class="small">{organization}</td>
      <td>{correction}</td></tr>
  """)  # noqa: E501 (the markup as the template wrote it)


def _ledger_rows(user, page, reversed_ids) -> tuple[str, set]:
    """The ledger's rows and the ids of the entries the user may reverse. What each row shows is prepared
    once per page (core.rows): the correction is one form for the page, each reversible row a button that
    posts it to the row's own URL. Numbers are shown as the template showed them with localization off
    (``{:f}``: no grouping, a point)."""
    reverse_url, rules = RowUrl("points:reverse"), choice_labels(PointEntry, "code")
    may_reverse = reversible_where(user)
    reverse_label = escaped(_("Reverse"))
    button = ('<button class="btn btn-sm btn-outline-danger text-nowrap" type="submit" form="reverse-form" '
              'formaction="', f'">{reverse_label}</button>')
    reversed_label = format_html('<span class="badge text-bg-secondary">{}</span>', _("reversed"))
    rows, reversible = [], set()
    for e in page:
        if e.reverses_id is None and e.id not in reversed_ids and may_reverse(e.organization_path,
                                                                              e.organization_kind):
            reversible.add(e.id)
            correction = SafeString(button[0] + escaped(reverse_url(e.id)) + button[1])
        else:
            correction = reversed_label if e.id in reversed_ids else ""
        rows.append({
            "pk": str(e.id), "day": e.occurred_on.isoformat(), "member": e.member_name,
            "rule": rules.get(e.code, e.code), "hours": f" ({e.hours:f}h)" if e.hours else "",
            "reason": (SafeString(f'<div class="small text-body-secondary">{escaped(e.reason)}</div>') if e.reason
                       else ""),
            "points": f"{e.points:f}", "organization": e.organization_name, "correction": correction,
        })
    return _LEDGER_ROW.join(rows), reversible


@require_POST
def reverse(request, pk):
    entry = get_visible_or_404(PointEntry.objects.select_related("organization"), request.user, pk=pk)
    require(can_reverse(request.user, entry))
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the correction."))
    else:
        try:
            services.reverse_entry(entry=entry, reason=form.cleaned_data["reason"], by=request.user, request=request)
        except services.PointsError:
            messages.error(request, _("A correction cannot itself be reversed."))
        else:
            messages.success(request, _("Entry reversed."))
    return redirect("points:ledger")


def _shop_orgs(user):
    """The organizations whose shop the user runs (where a staff role is held): the reward form's choices."""
    return role_organizations(user, RUN_SHOP.roles)


def shop(request):
    member = Member.objects.filter(user=request.user).first()
    orgs = _shop_orgs(request.user)
    require(member is not None or bool(orgs))
    rewards = Reward.objects.visible_to(request.user).select_related("organization")
    form = RewardForm(organizations=orgs) if orgs else None
    return render(request, "points/shop.html", {
        "rewards": rewards, "member": member, "balance": services.balance(member) if member else None,
        "key": uuid.uuid4().hex, "form": form,
        "mine": Redemption.objects.filter(member=member).select_related("reward")[:20] if member else [],
    })


@require_POST
def reward_new(request):
    orgs = _shop_orgs(request.user)
    require(bool(orgs))
    form = RewardForm(request.POST, organizations=orgs)
    if form.is_valid():
        try:
            shop_service.add_reward(reward=form.save(commit=False), by=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
        else:
            messages.success(request, _("Item added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("points:shop")


@require_POST
def redeem(request, pk):
    reward = get_visible_or_404(Reward, request.user, pk=pk)
    member = Member.objects.filter(user=request.user).first()
    require(member is not None)
    key = (request.POST.get("key") or "")[:80]
    if not key:
        messages.error(request, _("Please try again."))
        return redirect("points:shop")
    try:
        _redemption, created = shop_service.redeem(member=member, reward=reward, key=f"{member.pk}:{key}",
                                                   by=request.user, request=request)
    except services.PointsError as exc:
        messages.error(request, str(exc))
    else:
        if created:
            messages.success(request, _("Redeemed: %(name)s.") % {"name": reward.name})
        else:
            messages.info(request, _("This redemption was already recorded: %(name)s.") % {"name": reward.name})
    return redirect("points:shop")


def redemptions(request):
    """Items waiting to be handed over in the organizations whose shop the user runs."""
    orgs = _shop_orgs(request.user)
    require(bool(orgs))
    state = request.GET.get("state", "waiting")
    items = (Redemption.objects.visible_to(request.user).where_user_can(request.user, RUN_SHOP)
             .select_related("member", "reward__organization", "handed_over_by").order_by("-created_at", "-id"))
    if state == "waiting":
        items = items.filter(handed_over_at__isnull=True, cancelled_at__isnull=True)
    elif state == "handed_over":
        items = items.filter(handed_over_at__isnull=False)
    elif state == "cancelled":
        items = items.filter(cancelled_at__isnull=False)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "points/redemptions.html", {"page": page, "state": state})


def _managed_redemption(request, pk):
    redemption = get_visible_or_404(Redemption.objects.select_related("reward__organization"), request.user, pk=pk)
    require(can_run_shop(request.user, redemption.reward.organization))
    return redemption


@require_POST
def hand_over(request, pk):
    redemption = _managed_redemption(request, pk)
    try:
        shop_service.hand_over(redemption=redemption, by=request.user, request=request)
    except services.PointsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Marked as handed over."))
    return redirect("points:redemptions")


@require_POST
def cancel_redemption(request, pk):
    redemption = _managed_redemption(request, pk)
    try:
        shop_service.cancel(redemption=redemption, reason=request.POST.get("reason", "")[:200], by=request.user,
                            request=request)
    except services.PointsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Cancelled: the points are given back and the item returned to stock."))
    return redirect("points:redemptions")


def manual_awards(request):
    """Proposals of manual awards and deductions: propose one, or decide those of colleagues."""
    from gongzhi.members.models import Member

    from . import awards
    from .forms import ManualAwardForm
    from .models import AwardStatus, ManualAward

    orgs = _shop_orgs(request.user)
    require(bool(orgs))
    user = request.user
    # Members held or living in the subtrees whose shop the user runs.
    members = Member.objects.current().filter(RUN_SHOP.q(user, "home_org__path", None)
                                              | RUN_SHOP.q(user, "community__path", None))
    organizations = Organization.objects.where_user_can(user, RUN_SHOP).filter(is_active=True).order_by("path")
    form = ManualAwardForm(request.POST or None, members=members.order_by("name_initials"),
                           organizations=organizations)
    if request.method == "POST":
        if form.is_valid():
            try:
                awards.propose(by=request.user, request=request, **form.cleaned_data)
            except services.PointsError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Proposed: a colleague must approve it before it is posted."))
                return redirect("points:manual_awards")
    items = (ManualAward.objects.visible_to(request.user).select_related("member", "organization", "proposed_by",
                                                                         "decided_by"))
    pending = [a for a in items.filter(status=AwardStatus.PENDING)[:100]]
    recent = list(items.exclude(status=AwardStatus.PENDING)[:30])
    return render(request, "points/manual_awards.html", {"form": form, "pending": pending, "recent": recent},
                  status=400 if request.method == "POST" else 200)


@require_POST
def manual_award_decide(request, pk):
    from . import awards
    from .models import ManualAward

    award = get_visible_or_404(ManualAward.objects.select_related("organization"), request.user, pk=pk)
    require(any(award.organization.path.startswith(o.path) for o in _shop_orgs(request.user)))
    try:
        awards.decide(award=award, approve=request.POST.get("decision") == "approve", by=request.user,
                      request=request)
    except services.PointsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decided."))
    return redirect("points:manual_awards")
