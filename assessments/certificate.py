"""An award's certificate as a PDF: landscape A4, English and Chinese on the
same page (recipient, title, program, cycle, category, citation, date of
publication, program office).

Chinese glyphs come from the TrueType font at ``settings.CERTIFICATE_FONT``
(Debian's fonts-wqy-microhei by default), embedded as a subset so every
viewer shows the same letters. Without that file the certificate falls back to
reportlab's built-in CID font STSong-Light, which is not embedded: the
reader's viewer must supply it, so a warning is logged.
"""

import io
import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepInFrame, Paragraph
from reportlab.platypus.frames import Frame

logger = logging.getLogger(__name__)

FALLBACK_FONT = "STSong-Light"
LATIN, LATIN_BOLD, LATIN_ITALIC = "Times-Roman", "Times-Bold", "Times-Italic"
INK = colors.HexColor("#2b2b2b")
RED = colors.HexColor("#9b1b1b")
GOLD = colors.HexColor("#b08d3c")
PAPER = colors.HexColor("#fffdf6")
WIDTH, HEIGHT = landscape(A4)


@lru_cache
def cjk_font(path):
    """The registered name of the font for Chinese text: the TrueType font at
    ``path`` (a .ttc collection's first face), else the CID fallback."""
    if path and Path(path).is_file():
        name = f"CertificateCJK-{Path(path).stem}"
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
        return name
    logger.warning(
        "Certificate font %r not found: using the non-embedded CID font %s, which "
        "depends on the reader's PDF viewer. Install fonts-wqy-microhei or set "
        "CERTIFICATE_FONT.",
        path,
        FALLBACK_FONT,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def _latin(text):
    """Whether Times (WinAnsi) can show ``text``."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


class _Page:
    def __init__(self, canvas, cjk):
        self.canvas, self.cjk = canvas, cjk

    def line(self, text, y, size, *, latin=LATIN, color=INK, x=WIDTH / 2, align="center"):
        """One line; Times when it can show it, the CJK font otherwise."""
        font = latin if _latin(text) else self.cjk
        self.canvas.setFont(font, size)
        self.canvas.setFillColor(color)
        draw = {
            "center": self.canvas.drawCentredString,
            "left": self.canvas.drawString,
            "right": self.canvas.drawRightString,
        }[align]
        draw(x, y, text)

    def paragraph(self, text, y_top, height, size):
        """``text`` wrapped (CJK-aware) and centred in a box, shrunk to fit."""
        style = ParagraphStyle(
            "citation",
            fontName=self.cjk,
            fontSize=size,
            leading=size * 1.45,
            alignment=TA_CENTER,
            textColor=INK,
            wordWrap="CJK",
        )
        lines = [Paragraph(_escape(part), style) for part in text.splitlines() if part.strip()]
        frame = Frame(130, y_top - height, WIDTH - 260, height, showBoundary=0)
        frame.addFromList([KeepInFrame(WIDTH - 260, height, lines, mode="shrink")], self.canvas)


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _frame(canvas):
    canvas.setFillColor(PAPER)
    canvas.rect(0, 0, WIDTH, HEIGHT, stroke=0, fill=1)
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(4)
    canvas.rect(22, 22, WIDTH - 44, HEIGHT - 44)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1)
    canvas.rect(32, 32, WIDTH - 64, HEIGHT - 64)
    canvas.setFillColor(GOLD)
    for x, y in ((32, 32), (WIDTH - 32, 32), (32, HEIGHT - 32), (WIDTH - 32, HEIGHT - 32)):
        path = canvas.beginPath()
        path.moveTo(x, y - 7)
        path.lineTo(x + 7, y)
        path.lineTo(x, y + 7)
        path.lineTo(x - 7, y)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)


def recipient_name(award):
    """The name the certificate bears: the person's, or the group's."""
    subject = award.subject_object
    person = getattr(subject, "student", None) or getattr(subject, "mentor", None)
    return person.user.full_name if person else subject.name


def _in(language, func):
    with translation.override(language):
        return func()


def certificate_texts(award):
    """What the certificate says, in English ("en") and Chinese ("zh")."""
    cycle = award.evaluation.cycle
    published = timezone.localdate(award.published_at or timezone.now())
    values = {"program": cycle.program.name, "cycle": cycle.name}

    def texts():
        return {
            "title": _("Certificate of Award"),
            "presented": _("This certificate is presented to"),
            "category": award.category.label,
            "for": _("as %(category)s of the %(cycle)s cycle of %(program)s")
            % {**values, "category": award.category.label},
            "date": _("Published on %(date)s") % {"date": date_format(published, "DATE_FORMAT")},
            "office": _("Program office"),
            "serial": _("Certificate no."),
        }

    return {"en": _in("en", texts), "zh": _in("zh-hans", texts)}


def render_certificate(award):
    """The certificate of ``award`` as PDF bytes."""
    cycle, texts = award.evaluation.cycle, certificate_texts(award)
    en, zh = texts["en"], texts["zh"]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(WIDTH, HEIGHT), pageCompression=1)
    name = recipient_name(award)
    canvas.setTitle(f"{en['title']} · {name} · {en['category']}")
    canvas.setAuthor(cycle.program.organisation)
    canvas.setSubject(f"{cycle.program.name} · {cycle.name}")
    page = _Page(canvas, cjk_font(settings.CERTIFICATE_FONT))
    _frame(canvas)
    page.line(cycle.program.organisation, HEIGHT - 70, 12, color=GOLD)
    page.line(zh["title"], HEIGHT - 118, 36, color=RED)
    page.line(en["title"].upper(), HEIGHT - 146, 17, latin=LATIN_BOLD, color=RED)
    page.line(f"{en['presented']} · {zh['presented']}", HEIGHT - 184, 12)
    page.line(name, HEIGHT - 226, 30, latin=LATIN_BOLD)
    canvas.setStrokeColor(GOLD)
    canvas.line(WIDTH / 2 - 160, HEIGHT - 238, WIDTH / 2 + 160, HEIGHT - 238)
    page.line(f"{en['category']} · {zh['category']}", HEIGHT - 270, 20, color=RED)
    page.line(en["for"], HEIGHT - 296, 12, latin=LATIN_ITALIC)
    page.line(zh["for"], HEIGHT - 316, 12)
    if award.citation:
        page.paragraph(award.citation, HEIGHT - 330, 110, 11)
    left, right, bottom = 90, WIDTH - 90, 78
    page.line(en["date"], bottom + 16, 10, x=left, align="left")
    page.line(zh["date"], bottom, 10, x=left, align="left")
    canvas.setStrokeColor(INK)
    canvas.line(right - 200, bottom + 34, right, bottom + 34)
    page.line(f"{en['office']} · {zh['office']}", bottom + 16, 10, x=right, align="right")
    page.line(cycle.program.name, bottom, 10, x=right, align="right")
    serial = f"{cycle.pk:04d}-{award.pk:06d}"
    page.line(f"{en['serial']} · {zh['serial']} {serial}", 44, 7, color=GOLD)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
