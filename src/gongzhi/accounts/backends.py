"""Log in with a username or a mobile number; on every request, the account and its roles in one query."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from gongzhi.core.fields import lookup
from gongzhi.core.scoping import remember_roles

#: Stand-ins for the account's id and the day while the statement is built (then replaced by the real ones).
_SOME_ID, _SOME_DAY = -918_273_645, date(1901, 2, 3)


@dataclass(frozen=True)
class _Statement:
    """The account-with-roles query of one database, compiled once per process: the SQL, where the id and
    the day go among its parameters, the converters of its columns, and the fields of each model's part."""

    sql: str
    params: tuple
    id_slots: tuple[int, ...]
    day_slots: tuple[int, ...]
    converters: tuple
    user_fields: tuple[str, ...]
    role_fields: tuple[str, ...]
    org_fields: tuple[str, ...]


_STATEMENTS: dict[str, _Statement] = {}


def _statement(using: str) -> _Statement:
    """The account's row joined to each of its roles in force on a day (or to none) and the role's
    organization, ordered by role. Built with the ORM (``FilteredRelation``) once per database: building a
    query of some sixty columns over three tables costs more than running it."""
    from .models import Role

    user_model = get_user_model()
    organization_model = Role._meta.get_field("organization").related_model
    user_fields = tuple(f.attname for f in user_model._meta.concrete_fields)
    role_fields = tuple(f.attname for f in Role._meta.concrete_fields)
    org_fields = tuple(f.attname for f in organization_model._meta.concrete_fields)
    in_force = FilteredRelation("roles", condition=Q(roles__starts_on__lte=_SOME_DAY)
                                & (Q(roles__ends_on__isnull=True) | Q(roles__ends_on__gte=_SOME_DAY)))
    query = (user_model._default_manager.using(using).filter(pk=_SOME_ID).annotate(role_in_force=in_force)
             .order_by("role_in_force__id")
             .values_list(*user_fields, *(f"role_in_force__{name}" for name in role_fields),
                          *(f"role_in_force__organization__{name}" for name in org_fields)))
    compiler = query.query.get_compiler(using)
    sql, params = compiler.as_sql()
    day = connections[using].ops.adapt_datefield_value(_SOME_DAY)
    converters = compiler.get_converters([column[0] for column in compiler.select])
    return _Statement(sql=sql, params=tuple(params),
                      id_slots=tuple(i for i, value in enumerate(params) if value == _SOME_ID),
                      day_slots=tuple(i for i, value in enumerate(params) if value == day),
                      converters=tuple(converters.items()),
                      user_fields=user_fields, role_fields=role_fields, org_fields=org_fields)


def user_with_roles(user_id):
    """The account ``user_id`` with its roles in force today and their organizations (``active_roles``), read
    in one query — the account's row joined to each role in force (or to none) — instead of two on every
    request. None for no such account."""
    from .models import Role

    user_model = get_user_model()
    using = router.db_for_read(user_model)
    statement = _STATEMENTS.get(using)
    if statement is None:
        statement = _STATEMENTS[using] = _statement(using)
    if len(statement.id_slots) != 1 or len(statement.day_slots) != 2:  # pragma: no cover - a changed query
        raise RuntimeError("the account-with-roles statement did not keep its id and day apart")
    connection = connections[using]
    params = list(statement.params)
    params[statement.id_slots[0]] = user_model._meta.pk.get_db_prep_value(user_id, connection)
    day = connection.ops.adapt_datefield_value(timezone.localdate())
    for slot in statement.day_slots:
        params[slot] = day
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        rows = cursor.fetchall()
    organization_model = Role._meta.get_field("organization").related_model
    first_role = len(statement.user_fields)
    first_org = first_role + len(statement.role_fields)
    user, roles = None, []
    for row in map(list, rows):
        for position, (converters, expression) in statement.converters:
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        if user is None:
            user = user_model.from_db(using, statement.user_fields, row[:first_role])
        if row[first_role] is None:  # no role in force: the account's row alone
            continue
        role = Role.from_db(using, statement.role_fields, row[first_role:first_org])
        role.organization = organization_model.from_db(using, statement.org_fields, row[first_org:])
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
