"""The audit log is kept at least 180 days (Cybersecurity Law art. 21): a shorter setting is refused."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def audit_kept_long_enough(app_configs, **kwargs):
    from .retention import AUDIT_MINIMUM_DAYS

    days = int(getattr(settings, "GONGZHI_AUDIT_RETENTION_DAYS", AUDIT_MINIMUM_DAYS))
    if days < AUDIT_MINIMUM_DAYS:
        return [checks.Error(
            f"GONGZHI_AUDIT_RETENTION_DAYS is {days}: the audit log must be kept at least {AUDIT_MINIMUM_DAYS} days.",
            hint="Set it to 180 or more (longer is allowed).", id="privacy.E001")]
    return []
