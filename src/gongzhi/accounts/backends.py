"""Log in with a username or a mobile number; on every request, the account and its roles in one query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from gongzhi.core.fields import lookup
from gongzhi.core.scoping import remember_roles


def user_with_roles(user_id):
    """The account ``user_id`` with its roles in force today and their organizations (``active_roles``), read
    in one query — the account's row joined to each role in force (or to none) — instead of two on every
    request. None for no such account."""
    from .models import Role

    user_model = get_user_model()
    organization_model = Role._meta.get_field("organization").related_model
    today = timezone.localdate()
    user_fields = [f.attname for f in user_model._meta.concrete_fields]
    role_fields = [f.attname for f in Role._meta.concrete_fields]
    org_fields = [f.attname for f in organization_model._meta.concrete_fields]
    in_force = FilteredRelation("roles", condition=Q(roles__starts_on__lte=today)
                                & (Q(roles__ends_on__isnull=True) | Q(roles__ends_on__gte=today)))
    rows = (user_model._default_manager.filter(pk=user_id).annotate(role_in_force=in_force)
            .order_by("role_in_force__id")
            .values_list(*user_fields, *(f"role_in_force__{name}" for name in role_fields),
                         *(f"role_in_force__organization__{name}" for name in org_fields)))
    user, roles = None, []
    first_role, first_org = len(user_fields), len(user_fields) + len(role_fields)
    for row in rows:
        if user is None:
            user = user_model.from_db(rows.db, user_fields, row[:first_role])
        if row[first_role] is None:  # no role in force: the account's row alone
            continue
        role = Role.from_db(rows.db, role_fields, row[first_role:first_org])
        role.organization = organization_model.from_db(rows.db, org_fields, row[first_org:])
        roles.append(role)
    if user is not None:
        remember_roles(user, roles)
    return user


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user_model = get_user_model()
        username = username.strip()
        user = user_model.objects.filter(Q(username=username) | lookup(user_model, "mobile", username)).first()
        if user is None:
            # Spend the same time hashing as for a real account (no account enumeration by timing).
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The session's account (on every request), its roles read with it."""
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
