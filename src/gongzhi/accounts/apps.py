from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongzhi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_manage_accounts

        return [NavItem(_("Accounts and roles"), "accounts:manage", "person-badge", can_manage_accounts, order=90)]

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from gongzhi.core import personal

        from .middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="gongzhi.accounts.session_clock")

        personal.register("accounts.user", "mobile", mask="phone")
