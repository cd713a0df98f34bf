"""Django merges every app's catalog into one: a msgid translated differently in two apps shows one
app's wording on the other's pages. Such msgids carry a context (pgettext) or one wording."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent


def _messages_script():
    spec = importlib.util.spec_from_file_location("gongzhi_messages_script", ROOT / "scripts" / "messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_msgid_is_translated_differently_in_two_catalogs():
    messages = _messages_script()
    assert messages.conflicts(messages.PACKAGE) == []


@pytest.mark.parametrize(("context", "msgid", "chinese"), [
    (None, "Activities", "志愿活动"),
    ("count", "Activities", "活动次数"),
    (None, "Members", "党员"),
    ("count", "Members", "党员人数"),
    (None, "Minutes", "会议记录"),
    ("study", "Minutes", "分钟"),
    (None, "Name", "名称"),
    ("person", "Name", "姓名"),
    ("study", "hours", "学时"),
    ("honour", "title", "称号"),
    (None, "title", "标题"),
])
def test_contexts_keep_each_wording_and_leave_english_alone(context, msgid, chinese):
    def translate():
        return translation.pgettext(context, msgid) if context else translation.gettext(msgid)

    with translation.override("zh-hans"):
        assert translate() == chinese
    with translation.override("en"):
        assert translate() == msgid


def test_service_navigation_item_reads_volunteer_activities(client_for):
    response = client_for("member").get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    body = response.content.decode()
    href = re.escape(reverse("service:upcoming"))
    link = re.search(rf'<a class="(?:nav-link|dropdown-item)[^"]*"[^>]*href="{href}">(.*?)</a>', body, re.S)
    assert link, "the member sees the service navigation item"
    text = re.sub(r"<span[^>]*></span>", "", link.group(1))  # the to-do badge, filled after the page
    assert text.strip().endswith("志愿活动")
    assert "活动次数" not in text
