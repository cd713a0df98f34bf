"""The fonts a Word document names, as Chinese offices expect: every run carries its East Asian font
(``w:eastAsia``: 宋体 for the text, 黑体 for the headings) besides the Latin one, the styles and the document's
defaults name them too, without the theme fonts that would override them, and the East Asian language is
zh-CN. Word and WPS then draw the Chinese in SimSun/SimHei, or in the reader's substitute for them (fonts are
not embedded in a .docx); the charts, pictures, carry their own glyphs (``charts.py``)."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

LATIN = "Times New Roman"
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def names(chinese: bool) -> tuple[str, str]:
    """(text, headings) East Asian font names, as a Chinese or an English Word writes them."""
    return ("宋体", "黑体") if chinese else ("SimSun", "SimHei")


def _set_fonts(rpr, east_asian: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), LATIN)
    fonts.set(qn("w:eastAsia"), east_asian)


def _set_language(rpr, chinese: bool) -> None:
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), "zh-CN" if chinese else "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")


def _is_heading(style) -> bool:
    while style is not None:
        if style.name == "Title" or style.name.startswith("Heading"):
            return True
        style = style.base_style
    return False


def apply(document, *, chinese: bool) -> None:
    """Name the fonts on the defaults, on every style that names a font or is a heading, and on every run."""
    text, headings = names(chinese)
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault"))
        if rpr is not None and rpr.find(qn("w:rPr")) is not None:
            _set_fonts(rpr.find(qn("w:rPr")), text)
            _set_language(rpr.find(qn("w:rPr")), chinese)
    for style in document.styles:
        element = getattr(style, "element", None)
        if element is None or not hasattr(element, "get_or_add_rPr"):
            continue
        heading = _is_heading(style) if hasattr(style, "base_style") else False
        if heading or (element.rPr is not None and element.rPr.find(qn("w:rFonts")) is not None):
            _set_fonts(element.get_or_add_rPr(), headings if heading else text)
    for fonts in styles.iter(qn("w:rFonts")):  # the table styles' conditional parts name theme fonts too
        if any(fonts.get(qn(attribute)) for attribute in THEME_ATTRIBUTES):
            _set_fonts(fonts.getparent(), text)
    # Every run of the body and its tables, read from the XML (python-docx's ``paragraph.style`` looks the
    # default style up among all styles for each paragraph: seconds for a long document).
    heading_ids = {style.style_id for style in document.styles if hasattr(style, "base_style") and _is_heading(style)}
    for paragraph in document.element.body.iter(qn("w:p")):
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        east_asian = headings if style is not None and style.get(qn("w:val")) in heading_ids else text
        for run in paragraph.iter(qn("w:r")):
            _set_fonts(run.get_or_add_rPr(), east_asian)
