"""Django's ``i18n`` template library with one change, loaded by ``{% load gongzhi_i18n %}`` in every template of
the project (tests/core/test_template_i18n.py holds them to it): ``{% translate "literal" %}`` translates its
message straight away.

Django's node makes a lazy translation of the message on every render and passes it through the rendering of
any value (local time, localization, a string made of it, escaping) before translating it: some five times the
work of translating it, for the two thousand-odd labels the templates name this way (a dozen on every page, more
on a form or a detail page). The node here gives the very same string — the message with its percent signs
doubled, translated in the language in force (with its context, if any), ``%%`` made ``%`` again, safe as the
literal is — and so the same page. A message read from a variable, given a filter or a context from a variable,
or marked ``noop``, keeps Django's node. A library of its own name rather than ``i18n`` in Django's place: two
libraries of one name are a configuration fault to Django's checks (templates.W003, which `check --deploy` fails
on)."""

from django import template
from django.templatetags import i18n as django_i18n
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext, pgettext

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


class LiteralTranslateNode(django_i18n.TranslateNode):
    """``{% translate "message" [context "context"] [as name] %}`` with literal message and context."""

    def __init__(self, node: django_i18n.TranslateNode, message: str, message_context: str | None):
        super().__init__(node.filter_expression, node.noop, node.asvar, node.message_context)
        # As Django's Variable.resolve gives it to gettext: the percent signs doubled, safe if the literal is.
        msgid = message.replace("%", "%%")
        self.msgid = mark_safe(msgid) if isinstance(message, SafeData) else msgid  # noqa: S308 (safe already)
        self.literal_context = message_context

    def render(self, context):
        if self.literal_context is None:
            value = gettext(self.msgid)
        else:
            value = pgettext(self.literal_context, self.msgid)
        if context.autoescape:
            value = conditional_escape(value)  # the translation of a literal is safe: as it is
        is_safe = isinstance(value, SafeData)
        value = value.replace("%%", "%")
        value = mark_safe(value) if is_safe else value  # noqa: S308 (safe already)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


def _literal(filter_expression) -> str | None:
    """The literal string of a filter expression without filters, else None."""
    if filter_expression is None or filter_expression.filters:
        return None
    var = filter_expression.var
    if isinstance(var, str):
        return var
    if isinstance(var, template.Variable) and var.lookups is None and isinstance(var.literal, str):
        return var.literal
    return None


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    message = _literal(node.filter_expression)
    message_context = _literal(node.message_context) if node.message_context is not None else None
    if node.noop or message is None or (node.message_context is not None and message_context is None):
        return node
    return LiteralTranslateNode(node, message, message_context)
