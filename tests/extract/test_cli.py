from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from extract import ExtractSettings, extract_document
from intake.cli import main


def cair2_pdf() -> bytes:
    """A registry printout with a text layer: read without OCR."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter)
    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawCentredString(306, 740, "Immunization History Report")
    pdf.setFont("Helvetica", 8)
    pdf.drawString(40, 720, "California Immunization Registry (CAIR2)")
    pdf.drawString(42, 700, "Patient Name:  RUIZ, ANA")
    pdf.drawString(340, 700, "Birth Date:  03/14/2022")
    pdf.drawString(42, 686, "Registry ID:  12345678")
    columns = (("Vaccine Group", 40), ("Date Administered", 118), ("Series", 200),
               ("Trade Name", 238), ("Dose", 358), ("Owned?", 396), ("Reaction", 438),
               ("Hist?", 502))
    for label, x in columns:
        pdf.drawString(x, 660, label)
    rows = [("DTP/aP", "05/20/2022", "1", "Pediarix"), ("", "07/21/2022", "2", "Pediarix"),
            ("HepB", "03/15/2022", "1", "Engerix-B Peds"), ("", "05/20/2022", "2", "Pediarix"),
            ("MMR", "03/20/2023", "1", "M-M-R II"), ("Polio", "05/20/2022", "1", "Pediarix")]
    y = 646
    for group, date, series, trade in rows:
        for value, x in zip((group, date, series, trade, "Full", "Yes"),
                            (40, 118, 200, 238, 358, 396), strict=True):
            pdf.drawString(x, y, value)
        y -= 13
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_text_layer_registry_report_is_read_exactly(settings: ExtractSettings) -> None:
    result = extract_document(cair2_pdf(), settings=settings)
    assert result.document_type.value == "cair2_report"
    assert result.child.name.value == "Ana Ruiz"
    assert str(result.child.birth_date.value) == "2022-03-14"
    read = [(d.cvx, str(d.date.value), d.dose_number.value) for d in result.doses]
    # Pediarix on one day under three groups is one dose.
    assert read == [("110", "2022-05-20", 1), ("110", "2022-07-21", 2),
                    (result.doses[2].cvx, "2022-03-15", 1), ("03", "2023-03-20", 1)]
    assert result.doses[2].groups == ["HepB"]
    assert not result.flags and not result.needs_review
    assert result.record is not None and len(result.record.doses) == 4


def test_shotcheck_extract_prints_the_json_contract(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(cair2_pdf())
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["extract", str(path), "--json"]) == 0
    payload = json.loads(out.getvalue())
    assert set(payload) >= {"document_type", "type_confidence", "child", "doses", "signatures",
                            "flags", "needs_review", "review_reasons", "record", "pages"}
    field = payload["doses"][0]["date"]
    assert set(field) == {"value", "text", "confidence", "page", "box"}
    assert payload["pages"]["count"] == 1


def test_shotcheck_ocr_prints_words_with_boxes(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(cair2_pdf())
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["ocr", str(path), "--json"]) == 0
    (page,) = json.loads(out.getvalue())
    assert page["source"] == "text_layer"
    assert {"text", "box", "confidence"} <= set(page["words"][0])


def test_a_file_that_is_not_a_scan_exits_2_with_a_message(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    assert main(["extract", str(path), "--json"]) == 2
    assert "PNG, JPEG, TIFF or PDF" in capsys.readouterr().err


def test_settings_come_from_shotcheck_environment_variables(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOTCHECK_REVIEW_THRESHOLD", "0.9")
    monkeypatch.setenv("SHOTCHECK_MAX_PAGES", "3")
    settings = ExtractSettings()
    assert settings.review_threshold == 0.9 and settings.max_pages == 3
