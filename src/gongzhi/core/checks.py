"""System checks: defusedxml guards openpyxl, and no superuser accounts in production."""

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
