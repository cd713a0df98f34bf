"""``{% load gongzhi_i18n %}`` (``core.templatetags.gongzhi_i18n``): Django's ``i18n`` library, whose
``{% translate "literal" %}`` translates straight away — giving, in every language, the very string Django's own
node gives."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, engines
from django.templatetags import i18n as django_i18n
from django.utils import translation

from gongzhi.core.templatetags.gongzhi_i18n import LiteralTranslateNode

#: Each form of the tag: literals (with context, into a variable, with percent signs, quotes, markup and
#: backslashes), and those that keep Django's node (a variable, a filter, a context from a variable, noop).
TEMPLATES = [
    '{% translate "Skip to content" %}',
    "{% trans 'Log out' %}",
    '{% translate "Organization" context "menu" %}',
    '{% translate "Organization" context "no such context" %}',
    '{% translate "Receipt" context "funds" %}',
    '{% translate "Community" as label %}[{{ label }}]',
    '{% translate "Members" context "count" as label %}[{{ label }}]',
    '{% translate "50% done, 100%% sure" %}',
    '{% translate "<b>bold</b> & \\"quoted\\" it\'s" %}',
    "{% translate 'back\\\\slash \\'quote\\'' %}",
    '{% translate "Skip to content" noop %}',
    "{% translate message %}",
    '{% translate "Log out"|upper %}',
    '{% translate "Organization" context which %}',
    '{% autoescape off %}{% translate "<i>x</i> & y" %}{% endautoescape %}',
    '{% translate "Not found" as title %}{{ title|upper }}',
]


def _render(source: str, library: str) -> str:
    engine = Engine(libraries={"i18n": library})
    return engine.from_string("{% load i18n %}" + source).render(
        Context({"message": "Log out", "which": "menu"}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("source", TEMPLATES)
def test_the_tag_gives_what_djangos_gives(source, language):
    with translation.override(language):
        ours = _render(source, "gongzhi.core.templatetags.gongzhi_i18n")
        django = _render(source, "django.templatetags.i18n")
    assert ours == django
    assert type(ours) is type(django)


def test_a_literal_is_translated_in_the_language_in_force():
    template = engines["django"].from_string('{% load gongzhi_i18n %}{% translate "Skip to content" %}')
    with translation.override("en"):
        assert template.render({}) == "Skip to content"
    with translation.override("zh-hans"):
        chinese = template.render({})
    assert chinese != "Skip to content" and chinese.strip()
    with translation.override("en"):
        assert template.render({}) == "Skip to content"


def test_the_project_loads_the_library_for_i18n():
    """``{% load gongzhi_i18n %}`` in the project's templates gives the literal node, Django's node otherwise."""
    template = engines["django"].from_string(
        '{% load gongzhi_i18n %}{% translate "Log out" %}{% translate message %}{% translate "Log out" noop %}')
    nodes = template.template.nodelist.get_nodes_by_type(django_i18n.TranslateNode)
    assert [type(node) for node in nodes] == [LiteralTranslateNode, django_i18n.TranslateNode,
                                              django_i18n.TranslateNode]


def test_every_template_of_the_project_loads_this_library_rather_than_djangos():
    """A template that loads Django's ``i18n`` works, but pays Django's price on every literal: none does."""
    import re
    from pathlib import Path

    import gongzhi

    load = re.compile(r"\{%\s*load\s+([^%]*?)\s*%\}")
    templates = [path for path in Path(gongzhi.__file__).parent.rglob("templates/**/*") if path.is_file()]
    assert len(templates) > 150
    plain = [str(path) for path in templates
             if any("i18n" in match.split() for match in load.findall(path.read_text(errors="replace")))]
    assert plain == []
