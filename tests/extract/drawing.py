"""Small synthetic pages drawn with PIL for unit tests (no real record; no generator needed)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
HAND = "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf"
WIDTH, HEIGHT = 2550, 3300  # letter at 300 dpi


def font(size: int, path: str = SANS) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


@dataclass
class Row:
    label: str
    vaccine: str
    date: str
    provider: str


def yellow_card(name: str, birth: str, rows: list[Row]) -> Image.Image:
    """A letter-size yellow card: title, patient block, ruled dose grid with four columns."""
    page = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(page)
    draw.text((600, 150), "CALIFORNIA IMMUNIZATION RECORD", font=font(64), fill=0)
    draw.text((700, 240), "Comprobante de Inmunización", font=font(44), fill=0)
    draw.text((150, 400), "Name:", font=font(40), fill=0)
    draw.text((330, 392), name, font=font(46, HAND), fill=20)
    draw.text((1400, 400), "Birthdate:", font=font(40), fill=0)
    draw.text((1640, 392), birth, font=font(46, HAND), fill=20)
    draw.text((150, 500), "Allergies:", font=font(40), fill=0)
    draw.text((1400, 500), "Sex:", font=font(40), fill=0)
    columns = [150, 800, 1300, 2000, 2400]
    top = 650
    draw.line([(columns[0], top), (columns[-1], top)], fill=0, width=4)
    for x, title in zip(columns, ["VACCINE", "DATE GIVEN", "DOCTOR OFFICE OR CLINIC",
                                  "NEXT DOSE DUE"], strict=False):
        draw.text((x + 15, top + 20), title, font=font(32), fill=0)
    y = top + 80
    draw.line([(columns[0], y), (columns[-1], y)], fill=0, width=4)
    for row in rows:
        if row.label:
            draw.text((columns[0] + 15, y + 25), row.label, font=font(34), fill=0)
        if row.vaccine:
            draw.text((columns[0] + 330, y + 15), row.vaccine, font=font(44, HAND), fill=30)
        draw.text((columns[1] + 20, y + 15), row.date, font=font(48, HAND), fill=30)
        draw.text((columns[2] + 20, y + 15), row.provider, font=font(40, HAND), fill=30)
        y += 95
        draw.line([(columns[0], y), (columns[-1], y)], fill=0, width=3)
    for x in columns:
        draw.line([(x, top), (x, y)], fill=0, width=4)
    return page


def png_bytes(image: Image.Image, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **params)
    return out.getvalue()


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()
