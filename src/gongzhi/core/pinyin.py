"""Pinyin initials for Chinese name search (张三丰 → zsf)."""

from pypinyin import Style, lazy_pinyin


def initials(text: str) -> str:
    if not text:
        return ""
    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(p[0] for p in parts if p and p[0].isalnum()).lower()[:100]
