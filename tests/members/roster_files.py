"""Messy rosters built in the test with openpyxl: a title line, mixed date formats, full-width digits."""

from datetime import date, datetime

import openpyxl
from stdnum.cn import ric


def valid_id_number(birth: date, sex: str, area: str = "410102", serial: int = 12) -> str:
    """A valid ID number. (tests.factories.core.valid_id_number passes the 17-character body to
    ric.calc_check_digit, which expects the check character included, so its numbers fail validation.)"""
    body = f"{area}{birth:%Y%m%d}{serial * 2 + (1 if sex == 'male' else 0):03d}"
    return body + ric.calc_check_digit(body + "0")

# Area 410105, not the factories' 410102: MemberFactory's numbers run through every serial of its area
# and birth date, so after 500 members in one process it would make ID_1 itself.
ID_1 = valid_id_number(date(1985, 3, 12), "male", area="410105")
ID_2 = valid_id_number(date(1990, 7, 1), "female", area="410105")
ID_3 = valid_id_number(date(1958, 11, 30), "male", area="110101")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

CHINESE_HEADER = ["姓名", "所在党支部", "公民身份号码", "性别", "民族", "出生日期", "学历", "人员类别", "入党日期",
                  "转正日期", "工作岗位", "联系电话", "家庭住址"]


def good_rows():
    return [
        ["张 伟", "第一网格党支部", ID_1.translate(FULL_WIDTH), "男", "汉族", datetime(1985, 3, 12), "大学本科",
         "在职", "2010-07-01", "2011.07.01", "公司职员", 13812345678.0, "幸福社区3号楼2单元501"],
        ["李娜", "第二网格党支部", ID_2[:-1] + ID_2[-1].lower(), "女", "回族", "1990年7月1日", "硕士研究生",
         "在职", "2024/3/5", "", "教师", "１３９００００１１１１", "幸福社区5号楼101"],
        ["王建国", "第一网格党支部", ID_3, "男", "汉族", "19581130", "高中", "离退休", "19800701", "1981年7月1日",
         "", "010-66001234", "幸福社区1号楼"],
    ]


def write_roster(path, rows, header=None, title=True):
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["幸福社区党员花名册（2025年）"])
        sheet.append([])
    sheet.append(header or CHINESE_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
