"""Small builders for the money tests: a receipt photo and PDF, a budget line, a key."""

from __future__ import annotations

import base64
import io
import secrets
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongzhi.money import services
from gongzhi.money.models import Purpose, Source


def key() -> str:
    return secrets.token_hex(8)


def png(name: str = "receipt.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def png64() -> str:
    """A receipt photo as the API takes it (base64)."""
    return base64.b64encode(png().read()).decode()


def pdf(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


def line(world, *, year: int, amount="3000.00", source=Source.ALLOCATION, purpose=Purpose.ACTIVITIES,
         organization=None):
    return services.save_budget_line(organization=organization or world.community_a, year=year, source=source,
                                     purpose=purpose, amount=Decimal(amount), by=world.users["community_staff"])
