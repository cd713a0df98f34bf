"""Log in with a username or a mobile number; on every request, the account and its roles in one query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import router
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from gongzhi.core.fields import lookup
from gongzhi.core.scoping import remember_roles
from gongzhi.core.statements import Statement

from . import scope_version


def _fields(model) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


def _account_with_roles(user_id, day):
    """The account's row joined to each of its roles in force on ``day`` (or to none) and the role's
    organization, ordered by role (``FilteredRelation``); compiled once (``core.statements``): building a
    query of some sixty columns over three tables costs more than running it."""
    from .models import Role

    organization_model = Role._meta.get_field("organization").related_model
    in_force = FilteredRelation("roles", condition=Q(roles__starts_on__lte=day)
                                & (Q(roles__ends_on__isnull=True) | Q(roles__ends_on__gte=day)))
    return (get_user_model()._default_manager.filter(pk=user_id).annotate(role_in_force=in_force)
            .order_by("role_in_force__id")
            .values_list(*_fields(get_user_model()), *(f"role_in_force__{name}" for name in _fields(Role)),
                         *(f"role_in_force__organization__{name}" for name in _fields(organization_model))))


_ACCOUNT_WITH_ROLES = Statement(_account_with_roles, hot=True)  # on every request: prepared where allowed


def user_with_roles(user_id):
    """The account ``user_id`` with its roles in force today and their organizations (``active_roles``), read
    in one query — the account's row joined to each role in force (or to none) — instead of two on every
    request, and marked as read so (its ``scope_version``: ``accounts.scope_version``). None for no such
    account."""
    from .models import Role

    user_model = get_user_model()
    organization_model = Role._meta.get_field("organization").related_model
    user_fields, role_fields, org_fields = _fields(user_model), _fields(Role), _fields(organization_model)
    rows = _ACCOUNT_WITH_ROLES.rows(user_id=user_model._meta.pk.to_python(user_id), day=timezone.localdate())
    using = router.db_for_read(user_model)
    first_role = len(user_fields)
    first_org = first_role + len(role_fields)
    user, roles = None, []
    for row in rows:
        if user is None:
            user = user_model.from_db(using, user_fields, row[:first_role])
        if row[first_role] is None:  # no role in force: the account's row alone
            continue
        role = Role.from_db(using, role_fields, row[first_role:first_org])
        role.organization = organization_model.from_db(using, org_fields, row[first_org:])
        roles.append(role)
    if user is not None:
        remember_roles(user, roles)
        scope_version.mark_read(user)
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
