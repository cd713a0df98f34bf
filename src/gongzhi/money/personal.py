"""The money app's personal data: a member's income base is sensitive (masked everywhere, revealed by a
logged POST, seen only by the branch's dues staff and the member)."""

from gongzhi.core.personal import Category, register

register("money.DuesBase", "amount", mask="text", category=Category.SENSITIVE)
