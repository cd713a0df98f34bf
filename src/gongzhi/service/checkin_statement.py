"""A QR check-in in one statement (PostgreSQL): ``service_check_in()``, a PL/pgSQL function that inserts the check-in
once (a second tap, or a parallel one, finds the first: ``ON CONFLICT DO NOTHING``, then its id) and posts the
activity points of a new one through ``points_post_award()`` (``points.award_statement``: the caps' rows, the entry).

``services.check_in`` used four round trips for this (the check-in's INSERT, the caps' upsert, the entry's INSERT and
COMMIT, with BEGIN before them) and built both rows as model instances. One statement outside a transaction is its
own transaction: the check-in and its entry are committed together or not at all. SQLite keeps the Python path
(``services.check_in``), which must stay equivalent: ``tests/service/test_checkin_statement.py`` checks in both ways.

``service_check_in_if()`` calls it only when its first argument is true: the QR check-in from the process's copy of
the activity (``services.check_in_from_copy``) passes a condition read in the same statement (the activity still as
copied and still visible to the participant, the point rules unchanged), and on false nothing is written and both
results are NULL.

Installed by migrations ``service 0006`` and ``0007``; ``install``/``uninstall`` take a schema editor.
"""

from __future__ import annotations

from django.db import connections, router

from gongzhi.core.statements import execute_hot
from gongzhi.core.trigger_sets import TriggerSet
from gongzhi.points import award_statement

FUNCTION = "service_check_in"

ARGUMENTS = (
    "p_activity bigint", "p_member bigint", "p_resident bigint", "p_at timestamptz", "p_recorded_by bigint",
    "p_key_prefix varchar", "p_source_type varchar", "p_occurred_on date", "p_created_at timestamptz",
    # The award (points.services.RuleAward.parameters()), all NULL for none.
    "p_organization bigint", "p_code varchar", "p_rule bigint", "p_group_organization bigint", "p_points numeric",
    "p_monthly_cap numeric", "p_yearly_cap numeric",
)


def create_sql() -> str:
    arguments = ", ".join(ARGUMENTS)
    return f"""CREATE OR REPLACE FUNCTION {FUNCTION}({arguments}, OUT checkin_id bigint, OUT created boolean)
    AS $$
    BEGIN
      INSERT INTO service_checkin (activity_id, member_id, resident_id, checked_in_at, checked_out_at, hours,
                                   by_hand_reason, recorded_by_id)
      VALUES (p_activity, p_member, p_resident, p_at, NULL, NULL, '', p_recorded_by)
      ON CONFLICT DO NOTHING
      RETURNING id INTO checkin_id;
      created := checkin_id IS NOT NULL;
      IF NOT created THEN
        -- Checked in before (or by a parallel tap, committed meanwhile): that check-in, nothing posted.
        SELECT id INTO checkin_id FROM service_checkin
        WHERE activity_id = p_activity AND (member_id = p_member OR resident_id = p_resident);
        RETURN;
      END IF;
      IF p_rule IS NOT NULL THEN
        PERFORM {award_statement.FUNCTION}(p_member, p_organization, p_code, p_rule, p_group_organization, p_points,
                                  p_monthly_cap, p_yearly_cap, p_key_prefix || checkin_id, p_source_type,
                                  checkin_id::text, NULL, p_occurred_on, '', p_recorded_by, p_created_at);
      END IF;
    END; $$ LANGUAGE plpgsql;"""  # noqa: S608 - constants of this module


#: ``service_check_in()``, created and dropped by the migration that brings it; nothing on SQLite.
FUNCTION_SET = TriggerSet.postgresql_function(FUNCTION, ARGUMENTS, create_sql)
install, uninstall = FUNCTION_SET.install, FUNCTION_SET.uninstall


GUARDED = "service_check_in_if"
GUARDED_ARGUMENTS = ("p_guard boolean", *ARGUMENTS)


def create_guarded_sql() -> str:
    arguments = ", ".join(GUARDED_ARGUMENTS)
    names = ", ".join(argument.split()[0] for argument in ARGUMENTS)
    return f"""CREATE OR REPLACE FUNCTION {GUARDED}({arguments}, OUT checkin_id bigint, OUT created boolean)
    AS $$
    BEGIN
      IF p_guard THEN
        SELECT f.checkin_id, f.created INTO checkin_id, created FROM {FUNCTION}({names}) f;
      END IF;
    END; $$ LANGUAGE plpgsql;"""  # noqa: S608 - constants of this module


#: ``service_check_in_if()``, created and dropped by migration ``service 0007``; nothing on SQLite.
GUARDED_SET = TriggerSet.postgresql_function(GUARDED, GUARDED_ARGUMENTS, create_guarded_sql)

_PLACES = ", ".join(["%s"] * len(ARGUMENTS))
_CALL = f"SELECT checkin_id, created FROM {FUNCTION}({_PLACES})"  # noqa: S608


def usable(model) -> str | None:
    """The database alias to check in on with the function (the router's for writing ``model``), or None where
    ``services.check_in`` writes the rows itself (SQLite)."""
    alias = router.db_for_write(model)
    return alias if connections[alias].vendor == "postgresql" else None


def check_in(alias: str, *, activity_id: int, member_id: int | None, resident_id: int | None, at, recorded_by_id,
             key_prefix: str, source_type: str, occurred_on, created_at, award: list,
             guard: tuple[str, list] | None = None) -> tuple[int | None, bool | None]:
    """Run ``service_check_in()``: (the check-in's id, whether it is new). ``guard``: a query (its SQL and
    parameters) whose rows say the check-in may be written; then ``service_check_in_if()`` runs in its stead, with
    ``EXISTS`` of the query, and (None, None) means it found none and wrote nothing."""
    params = [activity_id, member_id, resident_id, at, recorded_by_id, key_prefix, source_type, occurred_on,
              created_at, *award]
    sql = _CALL
    if guard is not None:
        sql = f"SELECT checkin_id, created FROM {GUARDED}(EXISTS ({guard[0]}), {_PLACES})"  # noqa: S608
        params = [*guard[1], *params]
    with connections[alias].cursor() as cursor:
        execute_hot(cursor, sql, params)
        checkin_id, created = cursor.fetchone()
    return checkin_id, created
