from __future__ import annotations

import gc
import io

import numpy as np
import pytest
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from extract.errors import CorruptFile, FileTooLarge, UnsupportedFile
from extract.load import FileKind, load_pages, sniff
from extract.page import PageSource
from extract.settings import ExtractSettings

from .drawing import encode


def _page(size: tuple[int, int] = (850, 1100), shade: int = 255) -> Image.Image:
    return Image.new("L", size, shade)


def text_pdf(lines: list[str], pages: int = 1) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter)
    for _ in range(pages):
        y = 720
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 18
        pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_images_are_sniffed_by_their_bytes_not_their_name(fmt: str) -> None:
    assert sniff(encode(_page(), fmt)) is FileKind(fmt)


def test_a_pdf_with_junk_before_its_header_is_still_a_pdf() -> None:
    assert sniff(b"\r\n" + text_pdf(["hello world"])) is FileKind.PDF


def test_anything_else_is_refused_with_what_it_starts_with() -> None:
    with pytest.raises(UnsupportedFile, match="PNG, JPEG, TIFF or PDF"):
        sniff(b"GIF89a....")


def test_every_page_of_a_multipage_tiff_is_loaded(settings: ExtractSettings) -> None:
    frames = [_page(shade=s) for s in (255, 200, 150)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], dpi=(100, 100))
    pages = load_pages(out.getvalue(), settings)
    assert [p.number for p in pages] == [1, 2, 3]
    assert pages[1].image.mean() == pytest.approx(200, abs=1)
    assert pages[0].dpi == 100


@pytest.mark.parametrize(("pixels", "dpi", "read_dpi"), [
    ((2200, 3400), 100, 100.0),  # 22 x 34 in: twice a tabloid sheet each way
    ((2201, 3400), 100, 2201 / 8.5),  # a hundredth of an inch wider
    ((3400, 2201), 100, 3400 / 8.5),  # turned
    ((2200, 3401), 100, 2200 / 8.5),  # a hundredth of an inch taller
    ((1050, 4200), 300, 300.0),  # a strip card
    ((1050, 4200), 72, 1050 / 8.5),  # the same card stamped 72 dpi by software
])
def test_a_resolution_that_makes_the_page_larger_than_any_picture_is_not_believed(
        settings: ExtractSettings, pixels: tuple[int, int], dpi: int, read_dpi: float) -> None:
    (page,) = load_pages(encode(_page(pixels), "PNG", dpi=(dpi, dpi)), settings)

    assert page.dpi == pytest.approx(read_dpi, rel=1e-4)


def test_a_pdf_page_larger_than_any_picture_is_rendered_letter_wide() -> None:
    # A 4032 x 3024 phone photo placed at 72 dpi: a 56 x 42 in page.
    settings = ExtractSettings(pdf_dpi=100)
    photo = _pdf_page_of((4032, 3024))
    largest = _pdf_page_of((22 * 72, 34 * 72))

    (page,) = load_pages(photo, settings)
    (picture,) = load_pages(largest, settings)

    assert page.size[0] == pytest.approx(8.5 * 100, abs=1)
    assert page.size[1] == pytest.approx(8.5 * 100 * 3024 / 4032, abs=1)
    assert page.dpi == 100
    assert picture.size == pytest.approx((22 * 100, 34 * 100), abs=1)


def test_a_scan_stored_as_strips_is_a_scan(settings: ExtractSettings) -> None:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter)
    for strip in range(4):  # four strips of a quarter page each
        pdf.drawImage(ImageReader(_page((850, 275))), 0, strip * 198, 612, 198)
    pdf.drawString(18, 780, "Case 1234567 Doc 000042 Received 12/01/2026 Page 1 of 1")
    pdf.showPage()
    pdf.save()

    (page,) = load_pages(out.getvalue(), settings)

    assert page.source is PageSource.IMAGE


def _pdf_page_of(points: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=points)
    pdf.drawImage(ImageReader(_page()), 0, 0, *points)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_an_image_without_dpi_is_assumed_letter_width(settings: ExtractSettings) -> None:
    (page,) = load_pages(encode(_page((1700, 2200)), "PNG"), settings)
    assert page.dpi == pytest.approx(200)


def test_transparency_is_paper(settings: ExtractSettings) -> None:
    (page,) = load_pages(encode(Image.new("RGBA", (100, 100), (0, 0, 0, 0)), "PNG"), settings)
    assert page.image.min() == 255


def test_a_text_layer_pdf_gives_words_in_page_pixels(settings: ExtractSettings) -> None:
    (page,) = load_pages(text_pdf(["Immunization History Report", "Patient Name: Test Child"]),
                         settings)
    assert page.source is PageSource.TEXT_LAYER
    first = page.words[0]
    assert first.text == "Immunization"
    scale = settings.pdf_dpi / 72
    assert first.box[0] == pytest.approx(72 * scale, abs=2)
    assert page.size[0] == pytest.approx(8.5 * settings.pdf_dpi, abs=1)
    assert page.size[1] == pytest.approx(11 * settings.pdf_dpi, abs=1)


def test_a_rendered_page_keeps_its_pixels_after_the_pdf_is_closed(
        settings: ExtractSettings) -> None:
    # The page is a view of the renderer's buffer, not a copy: that buffer must outlive the
    # bitmap and the document, whatever is allocated after them.
    (page,) = load_pages(text_pdf(["Immunization History Report"] * 20), settings)
    before = page.image.copy()
    gc.collect()
    for _ in range(4):
        load_pages(text_pdf(["Other text " * 8] * 30), settings)
    gc.collect()
    assert (before < 128).any()
    assert np.array_equal(page.image, before)


def test_an_image_only_pdf_is_rasterised_for_ocr(settings: ExtractSettings) -> None:
    data = encode(_page().convert("RGB"), "PDF", resolution=100)
    (page,) = load_pages(data, settings)
    assert page.source is PageSource.IMAGE and not page.words


# A logo's worth of picture: a registry printout has one; it does not make the page a scan.
_LOGO = (72.0, 72.0)


def _scan_with_text_over_it(lines: list[str], render_mode: int, alpha: float = 1.0,
                            in_a_form: bool = False,
                            picture: tuple[float, float] = _LOGO) -> bytes:
    # A picture with text laid over it, as a scanner's "searchable PDF" does (its own OCR of
    # the picture, drawn invisibly: render mode 3; OCRmyPDF draws it as a form). The picture is
    # a logo unless told: the text's own rendering decides then, not the picture's size.
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter)
    text = pdf.beginText(72, 720)
    text.setTextRenderMode(render_mode)
    for line in lines:
        text.textLine(line)
    if in_a_form:
        pdf.beginForm("ocr")
        pdf.setFillAlpha(alpha)
        pdf.drawText(text)
        pdf.endForm()
    pdf.drawImage(ImageReader(_page()), 0, 0, *picture)
    if in_a_form:
        pdf.doForm("ocr")
    else:
        pdf.setFillAlpha(alpha)
        pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.mark.parametrize("render_mode", [3, 7])
@pytest.mark.parametrize("in_a_form", [False, True])
def test_a_scan_under_invisible_ocr_text_is_read_as_a_scan(
        settings: ExtractSettings, render_mode: int, in_a_form: bool) -> None:
    lines = ["CALIFORNIA IMMUNIZATION RECORD", "Name Test Child Birthdate 1/2/2023"] * 3

    (page,) = load_pages(_scan_with_text_over_it(lines, render_mode, in_a_form=in_a_form),
                         settings)

    assert page.source is PageSource.IMAGE and not page.words


def test_a_scan_under_fully_transparent_text_is_read_as_a_scan(settings: ExtractSettings) -> None:
    lines = ["CALIFORNIA IMMUNIZATION RECORD", "Name Test Child Birthdate 1/2/2023"] * 3

    (hidden,) = load_pages(_scan_with_text_over_it(lines, 0, alpha=0.0), settings)
    (faint,) = load_pages(_scan_with_text_over_it(lines, 0, alpha=0.1), settings)

    assert hidden.source is PageSource.IMAGE and not hidden.words
    assert faint.source is PageSource.TEXT_LAYER


def test_visible_text_beside_a_logo_is_the_page_s_text(settings: ExtractSettings) -> None:
    lines = ["CALIFORNIA IMMUNIZATION RECORD", "Name Test Child Birthdate 1/2/2023"] * 3

    (page,) = load_pages(_scan_with_text_over_it(lines, 0), settings)

    assert page.source is PageSource.TEXT_LAYER
    assert [w.text for w in page.words[:3]] == ["CALIFORNIA", "IMMUNIZATION", "RECORD"]


@pytest.mark.parametrize(("picture", "source"), [
    ((612.0, 396.0), PageSource.IMAGE),  # half the letter page: a scan
    ((612.0, 395.0), PageSource.TEXT_LAYER),  # a point short of half
])
def test_a_page_a_picture_covers_half_of_is_a_scan_whatever_text_is_stamped_on_it(
        settings: ExtractSettings, picture: tuple[float, float], source: PageSource) -> None:
    # An imaging system's export header, drawn as visible text over the scanned card.
    header = ["Case 1234567 Document 42 Received 12/01/2026 Page 1 of 2"]

    (page,) = load_pages(_scan_with_text_over_it(header, 0, picture=picture), settings)

    assert page.source is source


def test_too_many_bytes_pages_or_pixels_are_refused() -> None:
    tiny = ExtractSettings(max_file_bytes=100)
    with pytest.raises(FileTooLarge, match="SHOTCHECK_MAX_FILE_BYTES"):
        load_pages(encode(_page(), "PNG"), tiny)
    with pytest.raises(FileTooLarge, match="SHOTCHECK_MAX_PAGES"):
        load_pages(text_pdf(["a b c d e"], pages=3), ExtractSettings(max_pages=2))
    with pytest.raises(FileTooLarge, match="SHOTCHECK_MAX_PAGE_PIXELS"):
        load_pages(encode(_page((3000, 3000)), "PNG"), ExtractSettings(max_page_pixels=1_000_000))


def test_a_jpeg_over_the_pixel_limit_is_decoded_smaller_not_refused() -> None:
    settings = ExtractSettings(max_page_pixels=1_000_000)
    # 1.2 Mpx, over the limit: decoded at half size, its resolution halved with it.
    scan = encode(_page((1000, 1200)).convert("RGB"), "JPEG", dpi=(600, 600))
    # 1.0 Mpx exactly: decoded whole.
    within = encode(_page((1000, 1000)).convert("RGB"), "JPEG", dpi=(600, 600))

    (reduced,) = load_pages(scan, settings)
    (whole,) = load_pages(within, settings)

    assert reduced.size == (500, 600) and reduced.dpi == pytest.approx(300)
    assert whole.size == (1000, 1000) and whole.dpi == pytest.approx(600)


def test_a_png_up_to_twice_the_pixel_limit_is_read_halved_and_a_larger_one_refused() -> None:
    settings = ExtractSettings(max_page_pixels=1_000_000)

    (halved,) = load_pages(encode(_page((1000, 2000)), "PNG", dpi=(600, 600)), settings)
    with pytest.raises(FileTooLarge, match="1000x2001 pixels"):
        load_pages(encode(_page((1000, 2001)), "PNG"), settings)

    assert halved.size == (500, 1000) and halved.dpi == pytest.approx(300, rel=1e-3)


def test_a_pixel_bomb_is_refused_before_it_is_decoded() -> None:
    bomb = encode(Image.new("1", (20000, 20000), 1), "PNG")
    with pytest.raises(FileTooLarge):
        load_pages(bomb, ExtractSettings())


def test_a_truncated_file_is_corrupt_not_a_crash(settings: ExtractSettings) -> None:
    data = encode(_page(), "PNG")
    with pytest.raises(CorruptFile):
        load_pages(data[:60], settings)
    with pytest.raises(CorruptFile):
        load_pages(b"%PDF-1.4\n garbage", settings)
