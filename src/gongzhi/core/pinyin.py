"""Pinyin initials for Chinese name search (张三丰 → zsf)."""


def initials(text: str) -> str:
    if not text:
        return ""
    # Imported at the first name to index, not with the models: loading pypinyin's dictionaries costs about
    # a quarter of a second of CPU, which a process that never writes a name (a page server's start, a
    # management command, a test worker's collection) need not pay.
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(p[0] for p in parts if p and p[0].isalnum()).lower()[:100]
