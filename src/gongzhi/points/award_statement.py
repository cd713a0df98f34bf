"""A rule's award posted inside the database (PostgreSQL): ``points_post_award()``, a PL/pgSQL function that does what
``post_points`` does for a new source once the rule in force is known (``services.rule_award``): the member's row
locked for a deduction, the caps' rows of the rule's group written and read (``points.caps``: month first, then the
year; locked until the transaction ends), the points cut to what the caps leave, the entry inserted (its key, totals
and rule groups' triggers run as for any insert). It returns the entry's id and points, or NULL when the caps leave
nothing.

A caller that writes its source in the same statement calls it from its own function (the QR check-in:
``service.checkin_statement``), so that the source, the caps and the entry take one round trip instead of four. It is
not called on SQLite, which keeps ``post_points``: a statement there is a call into the library, not a round trip.
The two must stay equivalent: ``tests/points/test_award_statement.py`` posts the same awards both ways (and
``tests/service/test_checkin_statement.py`` the check-ins).

Installed by migration ``points 0019``; ``install``/``uninstall`` take a schema editor.
"""

from __future__ import annotations

from gongzhi.core.trigger_sets import TriggerSet

FUNCTION = "points_post_award"

#: The function's arguments in order (the caller's SQL names them in this order).
ARGUMENTS = (
    "p_member bigint", "p_organization bigint", "p_code varchar", "p_rule bigint", "p_group_organization bigint",
    "p_points numeric", "p_monthly_cap numeric", "p_yearly_cap numeric", "p_key varchar", "p_source_type varchar",
    "p_source_id varchar", "p_hours numeric", "p_occurred_on date", "p_reason varchar", "p_posted_by bigint",
    "p_created_at timestamptz",
)

_KEY = "member_id, organization_id, code, year, month"


def _upsert(month: str) -> str:
    # points.caps.used(): an upsert adding nothing, whose row stays locked until the transaction ends.
    return (f"INSERT INTO points_rulegrouptotal ({_KEY}, points) "  # noqa: S608 - constants of this module
            f"VALUES (p_member, p_group_organization, p_code, v_year, {month}, 0) "
            f"ON CONFLICT ({_KEY}) DO UPDATE SET points = points_rulegrouptotal.points "
            f"RETURNING points_rulegrouptotal.points INTO v_used;")


def create_sql() -> str:
    arguments = ", ".join(ARGUMENTS)
    return f"""CREATE OR REPLACE FUNCTION {FUNCTION}({arguments}, OUT entry_id bigint, OUT awarded numeric)
    AS $$
    DECLARE
      v_year smallint := EXTRACT(YEAR FROM p_occurred_on);
      v_used numeric;
    BEGIN
      awarded := p_points;
      IF awarded < 0 THEN
        -- A deduction locks the member's row first (the shop's order), as post_points does.
        PERFORM 1 FROM members_member WHERE id = p_member FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION USING MESSAGE = 'no member ' || p_member, ERRCODE = 'foreign_key_violation';
        END IF;
      END IF;
      -- As post_points: caps only cut an award, and both rows are written whatever the month's cap left.
      IF p_points > 0 AND p_monthly_cap IS NOT NULL THEN
        {_upsert("EXTRACT(MONTH FROM p_occurred_on)")}
        awarded := LEAST(awarded, GREATEST(p_monthly_cap - v_used, 0));
      END IF;
      IF p_points > 0 AND p_yearly_cap IS NOT NULL THEN
        {_upsert("0")}
        awarded := LEAST(awarded, GREATEST(p_yearly_cap - v_used, 0));
      END IF;
      IF awarded = 0 THEN
        awarded := NULL;
        RETURN;
      END IF;
      INSERT INTO points_pointentry (member_id, organization_id, points, code, rule_id, source_type, source_id,
                                     idempotency_key, hours, occurred_on, reason, reverses_id, posted_by_id,
                                     created_at)
      VALUES (p_member, p_organization, awarded, p_code, p_rule, p_source_type, p_source_id, p_key, p_hours,
              p_occurred_on, p_reason, NULL, p_posted_by, p_created_at)
      RETURNING id INTO entry_id;
    END; $$ LANGUAGE plpgsql;"""  # noqa: S608 - constants of this module


#: ``points_post_award()``, created and dropped by the migration that brings it; nothing on SQLite.
FUNCTION_SET = TriggerSet.postgresql_function(FUNCTION, ARGUMENTS, create_sql)
install, uninstall = FUNCTION_SET.install, FUNCTION_SET.uninstall
