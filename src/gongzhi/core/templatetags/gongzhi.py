"""Template filters shared by every app: masking, query-string building; the ``url`` and ``main_menu`` tags."""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from gongzhi.core.navigation import menu_html
from gongzhi.core.personal import MASKS, mask_from_last4
from gongzhi.core.reversal import plain_reverser

register = template.Library()


class _PlainURLNode(URLNode):
    """Django's ``{% url %}`` for a URL name without arguments: reversed once (``core.reversal``)."""

    def render(self, context):
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        try:
            url = plain_reverser(current_app)(view_name)
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's ``{% url %}`` (this library is a builtin, loaded after Django's tags): the same node, but a
    URL without arguments (``{% url 'home' %}``, six in the base template of every page) is reversed once."""
    node = django_url(parser, token)
    if node.args or node.kwargs:
        return node
    return _PlainURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    """The base template's menu of task groups for the page's ``nav_items`` (``core.navigation.menu_html``)."""
    nav_items = context.get("nav_items", [])
    return mark_safe(menu_html(nav_items() if callable(nav_items) else nav_items))  # noqa: S308 (rendered escaped)


@register.filter
def mask(value, kind: str = "text") -> str:
    """``{{ member.phone|mask:"phone" }}``: the masked form of a personal value."""
    return MASKS[kind](value)


@register.filter
def mask_last4(last4, kind: str = "id") -> str:
    """``{{ member.id_number_last4|mask_last4:"id" }}``: the masked form from the last four characters kept
    beside an encrypted value (list pages: nothing decrypted)."""
    return mask_from_last4(last4, kind)


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with some parameters changed (for pagination and filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.items()), doseq=False) if params else "?"


@register.filter
def audit_label(code: str) -> str:
    """An audit action code as the log shows it: the current code, for old rows too (``core.audit``)."""
    from gongzhi.core.audit import action_label

    return action_label(code)


@register.filter
def percent(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


@register.inclusion_tag("core/_workdays_notice.html", takes_context=True)
def workdays_notice(context) -> dict:
    """The warning that next year's (or this year's) public holidays are not entered, for the staff whose
    deadlines count working days; nothing for anyone else."""
    from django.utils import timezone

    from gongzhi.core import workdays
    from gongzhi.core.permissions import can_manage_workdays, can_view_workdays

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can_view_workdays(user):
        return {"missing_year": None}
    return {"missing_year": workdays.missing_year(timezone.localdate()), "can_manage": can_manage_workdays(user)}
