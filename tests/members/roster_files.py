"""Rosters shaped as the national party member information system exports them, built in the test:
a title line above the header, the 16 fields, full-width digits, dates written five ways and as date
cells, genuine ID numbers (check characters computed by stdnum, X included, area codes of counties
created after the birth year), and the same rows as .xlsx (openpyxl and xlsxwriter) and .ods."""

import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape

import openpyxl
from stdnum.cn import ric


def genuine(area: str, birth: date, serial: int) -> str:
    """An ID number with a real check character (stdnum computes it; the last character is ignored)."""
    body = f"{area}{birth:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def valid_id_number(birth: date, sex: str, area: str = "410102", serial: int = 12) -> str:
    return genuine(area, birth, serial * 2 + (1 if sex == "male" else 0))


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# Genuine numbers. 411302 (宛城区) exists only from 1994: a retiree born in 1950 carries it because the
# number was issued after the county was created. Serial 006 gives 陈静 the check character X.
ZHANG = genuine("110101", date(1985, 3, 12), 21)          # 张伟, in-service, full
WANG = genuine("411302", date(1950, 6, 1), 31)            # 王建国, retired, joined = full in 1972
LI = genuine("410102", date(2001, 7, 1), 42)              # 李娜, student, probationary
LIU = genuine("110112", date(1978, 9, 9), 11)             # 刘强, mobile (通州区 exists from 1997)
CHEN = genuine("310101", date(1990, 1, 20), 6)            # 陈静, lost contact, check character X
ZHAO = genuine("110102", date(1940, 10, 1), 52)           # 赵敏, retired cadre, membership retained
assert CHEN.endswith("X")

ID_1, ID_2, ID_3 = ZHANG, LI, WANG

NATIONAL_HEADER = ["姓名", "所在党支部", "公民身份号码", "性别", "民族", "出生日期", "学历", "人员类别", "入党日期",
                   "转正日期", "工作岗位", "联系电话", "家庭住址", "党籍状态", "失联", "流动"]
# The same columns with an office's own category column and the dates and destinations apart.
OFFICE_HEADER = ["姓名", "所在党支部", "身份证号码", "性别", "民族", "出生日期", "学历", "人员类别", "加入党组织日期",
                 "转正日期", "工作岗位", "联系电话", "家庭住址", "党籍状态", "是否失联", "失去联系日期", "是否流动党员",
                 "外出流向", "党员类别"]


def national_rows(today: date | None = None):
    """Six members covering each category and state, one per way of writing a date."""
    return [
        ["张 伟", "第一网格党支部", ZHANG.translate(FULL_WIDTH), "男", "汉族", datetime(1985, 3, 12), "大学",
         "正式党员", datetime(2010, 7, 1), "2011.07.01", "公有经济控制企业管理岗位", 13812345678.0,
         "幸福社区3号楼2单元501", "正常", "否", "否"],
        ["王建国", "第一网格党支部", WANG, "男", "汉族", "1950年6月1日", "高中", "正式党员", "1972/5/1", "19720501",
         "退休人员", "010-66001234", "幸福社区1号楼", "正常", "", ""],
        ["李娜", "第二网格党支部", LI, "女", "回族", "20010701", "大学", "预备党员", "2025-09-01", "",
         "研究生一年级学生", "１３９００００１１１１", "幸福社区5号楼101", "正常", "否", "否"],
        ["刘强", "第二网格党支部", LIU, "男", "汉族", "1978-09-09", "初中", "正式党员", "2003.07.01", "2004.07.01",
         "外出务工经商人员", "13700002222", "幸福社区6号楼", "正常", "否", "是（广东省深圳市宝安区）"],
        ["陈静", "第一网格党支部", CHEN[:-1] + "x", "女", "汉族", "1990.01.20", "大专", "正式党员", "2012.06.30",
         "2013.06.30", "其他无业人员", "", "幸福社区2号楼", "停止党籍", "是（2023.05.01）", "否"],
        ["赵敏", "第二网格党支部", ZHAO, "女", "汉族", "1940-10-01", "大学", "正式党员", "1965.03.01", "1966.03.01",
         "离休干部", "", "幸福社区7号楼", "保留党籍", "否", "否"],
    ]


def office_rows():
    """The office's variant: 党员类别 decides the category, dates and destinations in their own columns."""
    return [
        ["张伟", "第一网格党支部", ZHANG, "男", "汉族", "", "本科", "正式党员", "2010-07-01", "2011-07-01", "公司职员",
         "13812345678", "幸福社区3号楼", "正常", "否", "", "否", "", "在职党员"],
        ["王建国", "第一网格党支部", WANG, "男", "汉族", "", "高中", "正式党员", "1972-05-01", "1972-05-01",
         "原纺织厂工人", "", "幸福社区1号楼", "正常", "", "", "", "", "离退休党员"],
        ["刘强", "第二网格党支部", LIU, "男", "汉族", "", "初中", "正式党员", "2003-07-01", "2004-07-01", "务工",
         "", "幸福社区6号楼", "正常", "否", "", "是", "浙江省杭州市", "农民党员"],
        ["陈静", "第一网格党支部", CHEN, "女", "汉族", "", "大专", "正式党员", "2012-06-30", "2013-06-30", "",
         "", "幸福社区2号楼", "正常", "是", "2023年5月1日", "否", "", "失联党员"],
    ]


def good_rows():
    """Three rows in the national layout (kept for the older tests of the import machinery)."""
    rows = national_rows()
    return [rows[0], rows[2], rows[1]]


def write_roster(path, rows, header=None, title=True):
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["幸福社区党委党员花名册（导出时间：2026年11月30日）"])
        sheet.append([])
    sheet.append(header or NATIONAL_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_xlsxwriter(path, rows, header=None):
    """The same sheet written by xlsxwriter (another producer's quirks: real date cells with a format)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("党员信息")
    dates = book.add_format({"num_format": "yyyy年m月d日"})
    sheet.write_row(0, 0, ["幸福社区党委党员信息"])
    sheet.write_row(1, 0, header or NATIONAL_HEADER)
    for index, row in enumerate(rows, start=2):
        for col, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(index, col, value, dates)
            elif isinstance(value, float):
                sheet.write_number(index, col, value)
            else:
                sheet.write_string(index, col, str(value))
    book.close()
    return path


def write_ods(path, rows, header=None):
    """A minimal OpenDocument spreadsheet, as LibreOffice or WPS save one (date cells as dates)."""

    def cell(value):
        if isinstance(value, datetime):
            return (f'<table:table-cell office:value-type="date" office:date-value="{value:%Y-%m-%d}">'
                    f"<text:p>{value:%Y-%m-%d}</text:p></table:table-cell>")
        if isinstance(value, float):
            return (f'<table:table-cell office:value-type="float" office:value="{value:.0f}">'
                    f"<text:p>{value:.0f}</text:p></table:table-cell>")
        if value in ("", None):
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    lines = [["幸福社区党委党员花名册"], header or NATIONAL_HEADER, *rows]
    body = "".join("<table:table-row>" + "".join(cell(v) for v in line) + "</table:table-row>" for line in lines)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="花名册">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path
