"""A tiny fake pipeline for the review pages: draws a synthetic yellow card, reports boxes.

The bytes of a "scan" carry a JSON card spec after ``CARD:``; `CardPipeline.process` draws the
card as a PNG and returns the extraction (fields with value, text, confidence, page, box), flags
and the record, as the real extractor would. Its `check` is a small stand-in for the engine:
enough to see a verdict change when a reviewer fixes a date. Every child here is synthetic.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from engine.errors import BadRecord, UnknownVaccine
from engine.model import Record
from intake.pipeline import PipelineOutcome

WIDTH, HEIGHT = 1100, 1400
_TOP, _ROW = 330, 58
# Rows on the front of the card; the rest go on page 2, as a scanned back.
PER_PAGE = 13
_COLUMNS = (60, 300, 560, 860, 1040)  # vaccine | date given | clinic | next due
_FONTS = Path("/usr/share/fonts/truetype")
GROUPS = {"HepB": ["HepB"], "DTaP": ["DTaP"], "IPV": ["Polio"], "Hib": ["Hib"], "MMR": ["MMR"],
          "Varicella": ["Varicella"], "Pediarix": ["DTaP", "HepB", "Polio"]}
# Doses due by these ages in months: the fake engine's whole schedule.
DUE_BY = {"Polio": [3, 5, 18], "DTaP": [3, 5, 7, 18], "HepB": [3, 5, 18], "Hib": [3, 5, 18],
          "MMR": [15], "Varicella": [18]}


def _font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in (_FONTS / name, _FONTS / "dejavu/DejaVuSans.ttf"):
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def scan_bytes(card: dict[str, Any]) -> bytes:
    """The bytes a station uploads: a valid PNG header, then the card spec."""
    from intake.fakes import tiny_png

    return tiny_png() + b"CARD:" + json.dumps(card).encode() + b"\n"


def _field(value: Any, text: str | None, confidence: float, box: list[int] | None,
           page: int = 1) -> dict[str, Any]:
    return {"value": value, "text": text, "confidence": confidence,
            "page": page if box else None, "box": box}


def _draw(card: dict[str, Any], rows: list[dict[str, Any]], front: bool = True) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), (247, 228, 140))
    draw = ImageDraw.Draw(image)
    bold, small = _font("dejavu/DejaVuSans-Bold.ttf", 34), _font("dejavu/DejaVuSans.ttf", 20)
    hand = _font("fifthhorseman/dkg.ttf", 34)
    title = "CALIFORNIA IMMUNIZATION RECORD" if front else "OTHER VACCINES (continued)"
    draw.text((WIDTH // 2, 60), title, fill=(30, 30, 30), font=bold, anchor="mm")
    draw.text((WIDTH // 2, 100), "Comprobante de Inmunización", fill=(50, 50, 50), font=small,
              anchor="mm")
    if front:
        _draw_patient(draw, card, small, hand)
    heads = ("VACCINE", "DATE GIVEN", "DOCTOR OFFICE OR CLINIC", "NEXT DUE")
    for x, head in zip(_COLUMNS, heads, strict=False):
        draw.text((x + 8, _TOP - 34), head, fill=(30, 30, 30), font=small)
    bottom = _TOP + _ROW * PER_PAGE
    for x in _COLUMNS:
        draw.line((x, _TOP - 40, x, bottom), fill=(60, 60, 60), width=2)
    for i in range(PER_PAGE + 1):
        draw.line((_COLUMNS[0], _TOP + i * _ROW, _COLUMNS[-1], _TOP + i * _ROW),
                  fill=(60, 60, 60), width=2)
    for i, row in enumerate(rows):
        y = _TOP + i * _ROW + 6
        draw.text((_COLUMNS[0] + 10, y), row["text"], fill=(20, 30, 120), font=hand)
        draw.text((_COLUMNS[1] + 10, y), row.get("date_text", ""), fill=(20, 30, 120), font=hand)
        draw.text((_COLUMNS[2] + 10, y), row.get("provider", ""), fill=(120, 20, 40), font=hand)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _draw_patient(draw: ImageDraw.ImageDraw, card: dict[str, Any], small: Any, hand: Any) -> None:
    draw.text((60, 160), "Name", fill=(30, 30, 30), font=small)
    draw.text((60, 230), "Birthdate", fill=(30, 30, 30), font=small)
    draw.line((180, 190, 1040, 190), fill=(60, 60, 60), width=2)
    draw.line((180, 260, 600, 260), fill=(60, 60, 60), width=2)
    draw.text((190, 148), card["child"]["name"], fill=(20, 30, 120), font=hand)
    draw.text((190, 218), card["child"].get("birth_text", ""), fill=(20, 30, 120), font=hand)


def _cell_box(row: int, column: int) -> list[int]:
    y = _TOP + (row % PER_PAGE) * _ROW
    return [_COLUMNS[column] + 4, y + 4, _COLUMNS[column + 1] - 4, y + _ROW - 4]


class CardPipeline:
    """Reads the card spec out of the bytes; needs review whenever the spec has a flag."""

    version = "test/card"

    def process(self, data: bytes, filename: str) -> PipelineOutcome:
        """Draw the card and report what a reader would have read off it."""
        card: dict[str, Any] = json.loads(data[data.index(b"CARD:") + 5:].split(b"\n")[0])
        rows = card.get("doses", [])
        flags: list[dict[str, Any]] = list(card.get("flags", []))
        doses, record_doses = [], []
        for i, row in enumerate(rows):
            page = i // PER_PAGE + 1
            conf = {"vaccine": 0.95, "date": 0.93, "provider": 0.9, **row.get("conf", {})}
            provider = row.get("provider") or None
            doses.append({
                "vaccine": row.get("vaccine"), "cvx": None,
                "groups": GROUPS.get(row.get("vaccine") or "", []),
                "vaccine_text": _field(row["text"], row["text"], conf["vaccine"],
                                       _cell_box(i, 0), page),
                "date": _field(row.get("date"), row.get("date_text"), conf["date"],
                               _cell_box(i, 1), page),
                "provider": _field(provider, provider, conf["provider"] if provider else 0.0,
                                   _cell_box(i, 2), page),
                "dose_number": _field(None, None, 0.0, None),
            })
            if not provider:
                flags.append({"code": "missing_provider", "field": f"doses[{i}].provider",
                              "message": "no doctor office or clinic is written for this dose"})
            if row.get("date") and row.get("vaccine"):
                record_doses.append({"date": row["date"], "vaccine": row["vaccine"]})
        child = card["child"]
        record = ({"child": {"name": child["name"], "birth_date": child["birth_date"]},
                   "doses": record_doses} if child.get("birth_date") else None)
        reasons = [f"{f['code']} on {f['field']}" for f in flags]
        reasons += [f"doses[{i}].{k} confidence {v:.2f} is under 0.80"
                    for i, row in enumerate(rows)
                    for k, v in row.get("conf", {}).items() if v < 0.8]
        extraction = {
            "document_type": card.get("type", "yellow_card"), "type_confidence": 0.97,
            "child": {"name": _field(child["name"], child["name"], child.get("name_conf", 0.92),
                                     [180, 140, 1040, 192]),
                      "birth_date": _field(child.get("birth_date"), child.get("birth_text"), 0.9,
                                           [180, 210, 600, 262])},
            "doses": doses, "signatures": [], "attestations": [], "flags": flags,
            "needs_review": bool(reasons), "review_reasons": reasons, "record": record,
        }
        pages = [_draw(card, rows[:PER_PAGE])]
        if len(rows) > PER_PAGE:
            pages.append(_draw(card, rows[PER_PAGE:], front=False))
        extraction["pages"] = {"count": len(pages), "sizes": [[WIDTH, HEIGHT]] * len(pages)}
        return PipelineOutcome(extraction=extraction, pages=pages,
                               check=self.check(record, dt.date.today()) if record else None,
                               needs_review=bool(reasons))

    def check(self, record: dict[str, Any], as_of: dt.date) -> dict[str, Any] | None:
        """A stand-in for the engine: valid doses are dated from birth to `as_of`."""
        try:
            parsed = Record.model_validate(record)
        except ValueError as exc:
            raise BadRecord(f"the record does not match the Record contract: {exc}") from exc
        birth = parsed.child.birth_date
        months = ((as_of.year - birth.year) * 12 + as_of.month - birth.month
                  - (as_of.day < birth.day))
        valid = dict.fromkeys(DUE_BY, 0)
        for dose in parsed.doses:
            if (dose.vaccine or "") not in GROUPS:
                raise UnknownVaccine(f"unknown vaccine name {dose.vaccine!r}")
            if birth <= dose.date <= as_of:
                for group in GROUPS[dose.vaccine or ""]:
                    valid[group] += 1
        groups, explanation = {}, []
        for group, ages in DUE_BY.items():
            required = sum(1 for age in ages if months > age)
            status = "complete" if valid[group] >= required else "overdue"
            groups[group] = {"status": status, "valid_doses": valid[group],
                             "required_doses": required, "next_due": None, "overdue_doses": []}
            if status == "overdue":
                explanation.append(f"{group}: {valid[group]} valid doses of {required} due by "
                                   f"age {months} months")
        overall = "not_up_to_date" if explanation else "up_to_date"
        return {"as_of": as_of.isoformat(), "rules": "test", "status": overall, "groups": groups,
                "doses": [{"index": i, "evaluations": {}} for i in range(len(parsed.doses))],
                "forecast": {}, "explanation": explanation or ["every group is complete"]}
