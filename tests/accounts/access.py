from tests.access import EVERYONE, PageCase

PAGE_CASES = [
    PageCase("accounts:login", public=True, allowed=EVERYONE, ok=frozenset({200, 302})),
    PageCase("accounts:logout", method="post", public=True, allowed=EVERYONE, ok=frozenset({302})),
    PageCase("accounts:profile"),
    PageCase("accounts:large_text", method="post", ok=frozenset({302})),
]

PAGE_CASES += [
    PageCase("accounts:my_data"),
    PageCase("accounts:my_data_download"),
]

# --- administration of accounts and roles -------------------------------------------------------------------
# Staff and the security administrator manage the accounts of their organizations; the own account is one
# looked after by community A (a resident role there), the foreign one community X's.

ACCOUNT_ADMINS = frozenset({"street_admin", "community_secretary", "community_staff", "security_admin"})


def _spare(w, own=True):
    from datetime import date

    from gongzhi.accounts.models import Role, RoleKind, User

    name = "spare_a" if own else "spare_x"
    community = w.community_a if own else w.community_x
    user = User.objects.filter(username=name).first()
    if user is None:
        user = User.objects.create(username=name, display_name="备用账号", home_organization=community)
        Role.objects.create(user=user, organization=community, kind=RoleKind.RESIDENT, starts_on=date(2024, 1, 1))
    return user


def _spare_role(w, own=True):
    user = _spare(w, own)
    return {"pk": user.pk, "role_pk": user.roles.first().pk}


PAGE_CASES += [
    PageCase("accounts:activate", public=True, allowed=EVERYONE),
    PageCase("accounts:activate", public=True, allowed=EVERYONE, method="post", ok=frozenset({400, 429}),
             data=lambda w: {"login": "member", "code": "AAAA-BBBB", "password1": "x", "password2": "x"}),
    PageCase("accounts:manage", allowed=ACCOUNT_ADMINS, query="?q=spare&page=2"),
    PageCase("accounts:account_new", allowed=ACCOUNT_ADMINS, query="?q=钱"),
    PageCase("accounts:account_new", allowed=ACCOUNT_ADMINS, method="post",
             data=lambda w: {"action": "outside", "display_name": "税务局联络员", "organization": w.community_a.pk,
                             "role": ""}),
    PageCase("accounts:bulk", allowed=ACCOUNT_ADMINS),
    PageCase("accounts:bulk", allowed=ACCOUNT_ADMINS, method="post", ok=frozenset({302}),
             data=lambda w: {"branch": w.branch_a.pk}),
    PageCase("accounts:account", own=lambda w: {"pk": _spare(w).pk}, foreign=lambda w: {"pk": _spare(w, False).pk},
             allowed=ACCOUNT_ADMINS),
    PageCase("accounts:account_code", own=lambda w: {"pk": _spare(w).pk},
             foreign=lambda w: {"pk": _spare(w, False).pk}, allowed=ACCOUNT_ADMINS, method="post"),
    PageCase("accounts:account_deactivate", own=lambda w: {"pk": _spare(w).pk},
             foreign=lambda w: {"pk": _spare(w, False).pk}, allowed=ACCOUNT_ADMINS, method="post",
             ok=frozenset({302})),
    PageCase("accounts:role_grant", own=lambda w: {"pk": _spare(w).pk},
             foreign=lambda w: {"pk": _spare(w, False).pk}, allowed=ACCOUNT_ADMINS, method="post",
             ok=frozenset({302, 400}),
             data=lambda w: {"kind": "member", "organization": w.branch_a.pk, "starts_on": "2026-01-01"}),
    PageCase("accounts:role_end", own=_spare_role, foreign=lambda w: _spare_role(w, False), allowed=ACCOUNT_ADMINS,
             method="post", ok=frozenset({302}), data=lambda w: {"on": "2026-06-30"}),
]
