"""System checks: defusedxml guards openpyxl; the audit retention is not below the legal minimum; in
production (`check --deploy`): no superuser accounts, an application database role that cannot undo
the append-only tables, collected static files, a shared cache, the trusted proxies named, and the
history partitions ready ahead."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def openpyxl_uses_defusedxml(app_configs, **kwargs):
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        return [checks.Error("openpyxl does not use defusedxml: install defusedxml.", id="gongzhi.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def no_superuser_in_production(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    try:
        count = get_user_model().objects.filter(is_superuser=True, is_active=True).count()
    except DatabaseError:
        return []
    if count:
        return [
            checks.Warning(
                "Active superuser accounts exist; production uses separate administrator, "
                "security and auditor roles instead.",
                id="gongzhi.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def application_role_cannot_undo_append_only(app_configs, databases=None, **kwargs):
    """The append-only triggers hold only against a role that cannot drop or disable them: the
    application must not connect as the tables' owner (nor a superuser, nor a member of the owner's
    role), nor hold TRUNCATE on them. Migrations run as the owner (docs/deployment.md)."""
    from django.db import DatabaseError, connection

    if settings.DEBUG or connection.vendor != "postgresql":
        return []
    query = """
        SELECT DISTINCT c.relname,
               pg_has_role(current_user, c.relowner, 'MEMBER') AS owns,
               has_table_privilege(current_user, c.oid, 'TRUNCATE') AS may_truncate,
               (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE NOT t.tgisinternal AND (t.tgname LIKE '%\\_append\\_only' OR t.tgname LIKE '%\\_no\\_truncate')
        ORDER BY c.relname"""
    try:
        with connection.cursor() as cursor:
            cursor.execute(query)
            rows = cursor.fetchall()
    except DatabaseError:
        return []
    exposed = [name for name, owns, may_truncate, superuser in rows if owns or may_truncate or superuser]
    if not exposed:
        return []
    return [checks.Warning(
        "The application's database role owns, may TRUNCATE or is a superuser over the append-only tables "
        f"({', '.join(exposed)}): it could disable their triggers. Run migrations as the owner role and the "
        "application as a role with only SELECT, INSERT, UPDATE and DELETE (docs/deployment.md).",
        id="gongzhi.W002")]


@checks.register(checks.Tags.staticfiles, deploy=True)
def static_files_collected(app_configs, **kwargs):
    """With the manifest storage every page names its CSS and JS by hashed names read from the
    manifest: without `collectstatic`, every page would answer 500."""
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []
    if staticfiles_storage.exists(staticfiles_storage.manifest_name):
        return []
    return [checks.Warning(
        f"The static files manifest is missing in {settings.STATIC_ROOT}: run `gongzhi collectstatic --noinput` "
        "after every update (pages would answer 500).", id="gongzhi.W003")]


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache_in_production(app_configs, **kwargs):
    """Rate limits and the login lockout count in the cache: with a per-process memory cache each
    worker counts alone, and a restart forgets."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or "locmem" not in backend.lower():
        return []
    return [checks.Warning(
        "The cache is each process's own memory: set GONGZHI_REDIS_URL (e.g. redis://127.0.0.1:6379/0) so that "
        "every worker shares the rate limits.", id="gongzhi.W004")]


@checks.register(checks.Tags.security, deploy=True)
def trusted_proxies_named(app_configs, **kwargs):
    """Production runs behind a reverse proxy (README): without naming it, every request seems to come
    from the proxy, and per-client limits would hold the whole town to one count."""
    if settings.DEBUG or settings.GONGZHI_TRUSTED_PROXIES:
        return []
    return [checks.Warning(
        "GONGZHI_TRUSTED_PROXIES is empty: behind nginx every client would share nginx's address for rate limits, "
        "the login lockout and the audit log. Name the proxy (e.g. GONGZHI_TRUSTED_PROXIES=127.0.0.1).",
        id="gongzhi.W005")]


@checks.register(checks.Tags.security)
def audit_retention_not_below_the_legal_minimum(app_configs, **kwargs):
    """Audit rows are kept at least 180 days (Cybersecurity Law art. 21); a configuration may only
    keep them longer. ``gongzhi partitions retain`` never applies a shorter period either."""
    from .partitions import LEGAL_MINIMUM_DAYS

    days = settings.GONGZHI_AUDIT_RETENTION_DAYS
    if isinstance(days, int) and days >= LEGAL_MINIMUM_DAYS:
        return []
    return [checks.Error(
        f"GONGZHI_AUDIT_RETENTION_DAYS is {days!r}: audit rows must be kept at least {LEGAL_MINIMUM_DAYS} days "
        "(Cybersecurity Law); set a whole number of days of at least that.", id="gongzhi.E002")]


@checks.register(checks.Tags.database, deploy=True)
def history_partitions_ahead(app_configs, databases=None, **kwargs):
    """The ledger and the audit log are partitioned by year on PostgreSQL: this year's and next
    year's partitions should exist, and the DEFAULT partition, which takes rows no year partition
    covers, should be empty (``gongzhi partitions ahead`` creates the partitions and moves them)."""
    from django.db import DatabaseError, connection

    from . import partitions

    if connection.vendor != "postgresql":
        return []
    try:
        missing = partitions.missing_ahead(connection)
        waiting = {table: partitions.default_rows(connection, table) for table in sorted(partitions.HISTORIES)}
    except DatabaseError:
        return []
    waiting = {table: rows for table, rows in waiting.items() if rows}
    if not missing and not waiting:
        return []
    problems = []
    if missing:
        problems.append(f"partitions missing: {', '.join(missing)}")
    if waiting:
        problems.append("rows in the default partition: "
                        + ", ".join(f"{table} {rows}" for table, rows in waiting.items()))
    return [checks.Warning(
        "History partitions are not ready (" + "; ".join(problems) + "). Run `gongzhi partitions ahead` "
        "and check that its monthly task runs (docs/scaling.md).", id="gongzhi.W006")]
def data_keys_readable(app_configs, **kwargs):
    """The keys sealing personal data must parse: a wrong key file would make every page fail."""
    from .crypto import CryptoError, MissingKeys, keyring, reset

    reset()
    try:
        keyring()
    except (MissingKeys, CryptoError) as exc:
        return [checks.Error(f"The data keys cannot be read: {exc}", id="gongzhi.E004")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def data_keys_outside_the_database(app_configs, **kwargs):
    """In production the keys come from GONGZHI_DATA_KEYS (a key file kept and backed up apart from the
    database), never from the generated development key under var/ beside the database."""
    if settings.DEBUG or getattr(settings, "GONGZHI_DATA_KEYS_FROM_ENV", False):
        return []
    return [checks.Error(
        "GONGZHI_DATA_KEYS is not set: personal data would be sealed with the development key under var/, next to "
        "the database. Create a key file (`gongzhi keys generate --file /etc/gongzhi/data-keys.json`), back it up "
        "apart from the database, and set GONGZHI_DATA_KEYS to its path.", id="gongzhi.E003")]
