"""Account and role administration: the accounts of one's scope, creating accounts for people in the registry
or outside people, one-time activation codes on printable slips (one, or a sheet for a whole branch),
granting and ending roles, deactivation; and the public page where a person activates an account.

The security administrator uses these pages without seeing personal data: people are named, mobile numbers
masked, ID numbers never shown. Thin views: parse, authorise (``accounts.permissions``), call a service."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongzhi.core.edge import add_to_form, messages_of, require
from gongzhi.core.ratelimit import rate_limited
from gongzhi.core.scoping import parse_id
from gongzhi.orgs.models import BRANCH_LEVEL, COMMUNITY_LEVEL, GROUP_LEVEL, Organization

from . import services
from .admin_forms import ActivationForm, BranchForm, EndRoleForm, GrantRoleForm, OutsideAccountForm
from .models import ActivationCode, CodePurpose, Role, RoleKind, User
from .permissions import MANAGE_ACCOUNTS, can_grant, can_manage_account, can_manage_accounts, grantable_kinds

SEARCH_LIMIT = 20


def _orgs(user):
    return Organization.objects.where_user_can(user, MANAGE_ACCOUNTS).filter(is_active=True).order_by("path")


def _account_or_404(request, pk):
    require(can_manage_accounts(request.user))
    number = parse_id(pk)
    require(number is not None)
    return get_object_or_404(User.objects.managed_by(request.user).select_related("home_organization"), pk=number)


def _slips(request, issued, *, title):
    response = render(request, "accounts/slips.html", {
        "issued": issued, "title": title, "activate_url": request.build_absolute_uri("/accounts/activate/"),
        "valid_days": services.CODE_VALID_DAYS})
    response["Cache-Control"] = "no-store"
    return response


def accounts(request):
    require(can_manage_accounts(request.user))
    query = request.GET.get("q", "").strip()[:50]
    rows = (User.objects.managed_by(request.user).search(query).select_related("home_organization")
            .order_by("-is_active", "display_name", "username"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    roles = {}
    for role in (Role.objects.active(timezone.localdate()).filter(user__in=[u.pk for u in page])
                 .select_related("organization")):
        roles.setdefault(role.user_id, []).append(role)
    for account in page:
        account.current_roles = roles.get(account.pk, [])
    return render(request, "accounts/manage.html", {"page": page, "query": query})


def account_new(request):
    """Find a member or resident of one's scope by name and give him or her an account, or create one for an
    outside person."""
    require(can_manage_accounts(request.user))
    user = request.user
    organizations = _orgs(user)
    some = list(organizations[:200])
    kinds = [(k, RoleKind(k).label) for k in RoleKind.values if any(can_grant(user, k, o) for o in some)]
    form = OutsideAccountForm(request.POST if request.POST.get("action") == "outside" else None,
                              organizations=organizations, roles=kinds)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("member", "resident"):
                account = _create_from_registry(request, action, request.POST.get("person"))
            elif action == "outside" and form.is_valid():
                data = form.cleaned_data
                account = services.create_account(
                    home_organization=data["organization"], display_name=data["display_name"],
                    mobile=data["mobile"], role_kind=data["role"], role_organization=data["organization"],
                    by=user, request=request)
            else:
                account = None
            if account is not None:
                issued = services.issue_code(user=account, purpose=CodePurpose.ACTIVATE, by=user, request=request)
                return _slips(request, [issued], title=_("Activation slip"))
        except ValidationError as error:
            if action == "outside":
                add_to_form(form, error)
            else:
                messages.error(request, messages_of(error))
    query = request.GET.get("q", "").strip()[:50]
    found = _registry_search(user, query) if query else None
    return render(request, "accounts/account_new.html", {"form": form, "query": query, "found": found},
                  status=400 if request.method == "POST" else 200)


def _registry_models():
    return apps.get_model("members", "Member"), apps.get_model("members", "Resident")


def _registry_search(user, query: str) -> dict:
    """Members and residents without an account, held in one's scope, found by name only (no ID digits)."""
    member_model, resident_model = _registry_models()
    by_name = Q(name__icontains=query) | Q(name_initials__startswith=query.lower())
    members = (member_model.objects.current().filter(MANAGE_ACCOUNTS.q(user, "home_org__path", None))
               .filter(by_name, user__isnull=True).select_related("home_org").order_by("name")[:SEARCH_LIMIT])
    residents = (resident_model.objects.filter(MANAGE_ACCOUNTS.q(user, "community__path", None))
                 .filter(by_name, user__isnull=True, member__isnull=True).select_related("community")
                 .order_by("name")[:SEARCH_LIMIT])
    return {"members": list(members), "residents": list(residents)}


def _create_from_registry(request, kind: str, raw_pk):
    user = request.user
    member_model, resident_model = _registry_models()
    pk = parse_id(raw_pk)
    require(pk is not None)
    if kind == "member":
        person = get_object_or_404(member_model.objects.filter(MANAGE_ACCOUNTS.q(user, "home_org__path", None))
                                   .select_related("home_org"), pk=pk)
        org, role = person.home_org, RoleKind.MEMBER
        return services.create_account(home_organization=org, member=person,
                                       role_kind=role if can_grant(user, role, org) else "", role_organization=org,
                                       by=user, request=request)
    person = get_object_or_404(resident_model.objects.filter(MANAGE_ACCOUNTS.q(user, "community__path", None))
                               .select_related("community"), pk=pk)
    org, role = person.community, RoleKind.RESIDENT
    return services.create_account(home_organization=org, resident=person,
                                   role_kind=role if can_grant(user, role, org) else "", role_organization=org,
                                   by=user, request=request)


def account_detail(request, pk):
    account = _account_or_404(request, pk)
    return _render_account(request, account)


def _render_account(request, account, *, grant_form=None, status=200):
    organizations = _orgs(request.user)
    roles = list(Role.objects.filter(user=account).select_related("organization").order_by("-starts_on", "-pk"))
    today = timezone.localdate()
    for role in roles:
        role.in_force = role.starts_on <= today and (role.ends_on is None or role.ends_on >= today)
        role.may_end = role.in_force and can_grant(request.user, role.kind, role.organization)
    current = [r for r in roles if r.in_force]
    codes = ActivationCode.objects.filter(user=account).select_related("created_by")[:10]
    return render(request, "accounts/account.html", {
        "account": account, "roles": roles, "codes": codes,
        "may_manage": can_manage_account(request.user, account, current),
        "grant_form": grant_form or GrantRoleForm(organizations=organizations),
        "end_form": EndRoleForm(), "now": timezone.now(),
    }, status=status)


@require_POST
def account_code(request, pk):
    """Issue a one-time code: the first activation, or a password reset. The code is on the answer only."""
    account = _account_or_404(request, pk)
    require(can_manage_account(request.user, account))
    purpose = CodePurpose.RESET if account.has_usable_password() or request.POST.get("purpose") == "reset" \
        else CodePurpose.ACTIVATE
    try:
        issued = services.issue_code(user=account, purpose=purpose, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, messages_of(error))
        return redirect("accounts:account", pk=account.pk)
    title = _("Password reset slip") if purpose == CodePurpose.RESET else _("Activation slip")
    return _slips(request, [issued], title=title)


@require_POST
def account_deactivate(request, pk):
    account = _account_or_404(request, pk)
    require(can_manage_account(request.user, account))
    try:
        services.deactivate_account(user=account, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, _("The account of %(name)s is deactivated; its history is kept.") % {
            "name": account})
    return redirect("accounts:account", pk=account.pk)


@require_POST
def role_grant(request, pk):
    account = _account_or_404(request, pk)
    require(can_manage_account(request.user, account))
    form = GrantRoleForm(request.POST, organizations=_orgs(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_role(user=account, kind=data["kind"], organization=data["organization"],
                                starts_on=data["starts_on"], ends_on=data["ends_on"], by=request.user,
                                request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:account", pk=account.pk)
    return _render_account(request, account, grant_form=form, status=400)


@require_POST
def role_end(request, pk, role_pk):
    account = _account_or_404(request, pk)
    number = parse_id(role_pk)
    require(number is not None)
    role = get_object_or_404(Role.objects.select_related("organization"), pk=number, user=account)
    require(can_manage_account(request.user, account) and can_grant(request.user, role.kind, role.organization))
    form = EndRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the role's last day as a date."))
        return redirect("accounts:account", pk=account.pk)
    try:
        services.end_role(role=role, on=form.cleaned_data["on"], by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, _("The role ends on %(day)s.") % {"day": form.cleaned_data["on"].isoformat()})
    return redirect("accounts:account", pk=account.pk)


def bulk_accounts(request):
    """Accounts for every member of a branch in one step, with a printable sheet of activation slips."""
    require(can_manage_accounts(request.user))
    branches = _orgs(request.user).filter(kind__in=BRANCH_LEVEL | COMMUNITY_LEVEL | GROUP_LEVEL)
    branches = [b for b in branches if RoleKind.MEMBER in grantable_kinds(request.user, b)]
    ids = [b.pk for b in branches]
    form = BranchForm(request.POST or None, branches=Organization.objects.filter(pk__in=ids).order_by("path"))
    if request.method == "POST" and form.is_valid():
        branch = form.cleaned_data["branch"]
        try:
            issued = services.create_branch_accounts(branch=branch, by=request.user, request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            if not issued:
                messages.info(request, _("Every member of %(org)s already has an account.") % {"org": branch.name})
                return redirect("accounts:bulk")
            return _slips(request, issued, title=_("Activation slips of %(org)s") % {"org": branch.name})
    selected = form.cleaned_data.get("branch") if form.is_bound and form.is_valid() else None
    preview = None
    branch_id = parse_id(request.GET.get("branch", ""))
    if branch_id in ids:
        selected = Organization.objects.get(pk=branch_id)
        preview = list(services.accountless_members(selected)[:500])
    return render(request, "accounts/bulk.html", {"form": form, "preview": preview, "selected": selected},
                  status=400 if request.method == "POST" else 200)


@login_not_required
@sensitive_post_parameters("code", "password1", "password2")
@rate_limited("activation")
def activate(request):
    """A person sets his or her password with the one-time code from the slip (on a phone, usually)."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.activate(login=data["login"], code=data["code"], password=data["password1"],
                                     request=request)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error("password1", error.error_dict["password"])  # the password profile's reasons
            else:
                form.add_error(None, error)
        else:
            login(request, user, backend="gongzhi.accounts.backends.UsernameOrMobileBackend")
            messages.success(request, _("Your password is set. Welcome, %(name)s.") % {"name": user})
            return redirect("home")
    return render(request, "accounts/activate.html", {"form": form},
                  status=400 if request.method == "POST" else 200)
