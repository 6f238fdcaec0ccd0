"""Load stage: file bytes → pages, format sniffed from magic bytes, within the settings' limits."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from enum import StrEnum

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from extract import _pdfium
from extract.errors import CorruptFile, FileTooLarge, UnsupportedFile
from extract.page import PageImage, PageSource, Word
from extract.settings import ExtractSettings

__all__ = ["FileKind", "decoding_reduction", "load_pages", "set_decoding", "sniff"]

# A PDF page with fewer text-layer words than this is treated as a scanned image.
_MIN_TEXT_LAYER_WORDS = 5
# A PDF page a picture covers this much of is a scan, whatever text is laid on it: a header an
# imaging system stamps on export, a "received" line, an OCR layer drawn visibly or under the
# picture. Its rendering holds any visible text too, so reading it as a scan loses nothing; its
# text taken for the page loses the card. A registry printout's logo covers a few percent.
_SCAN_PICTURE_SHARE = 0.5
# Letter width in inches: the resolution guess for images that carry no dpi.
_LETTER_WIDTH_IN = 8.5
# The largest picture of a record: a photo shows the sheet and the table around it, but no
# picture shows twice the largest sheet an office scanner takes (11 x 17 in, tabloid) each way.
# A resolution that makes an image larger than this is not its paper's but a default written
# by software: 72 dpi in a phone's JPEG, or a PDF page made from a photo at its pixel count.
# Trusted, it had a strip card scanned at 300 dpi upsampled four times over (22 s, and no dose
# grid found).
_LARGEST_PICTURE_IN = (22.0, 34.0)
_POINTS_PER_INCH = 72.0
# How many times smaller a page over the pixel limit may be read: the scales libjpeg decodes
# at directly (1/1 to 1/8). A PNG or TIFF is decoded whole and then reduced.
_REDUCTIONS = (1, 2, 4, 8)
# A PNG or TIFF page up to this many times the pixel limit is decoded whole and reduced: a
# legal page at 600 dpi is 43 Mpx, an 11 x 17 in one 67 Mpx (at most 240 MB decoded in colour,
# under the parsing child's 2 GB); a larger one is refused unread.
_WHOLE_DECODE_OVER = 2


class FileKind(StrEnum):
    """The formats the service reads."""

    PNG = "PNG"
    JPEG = "JPEG"
    TIFF = "TIFF"
    PDF = "PDF"


def sniff(data: bytes) -> FileKind:
    """The file's format from its first bytes; the client's filename is never trusted.

    Raises:
        UnsupportedFile: for anything but PNG, JPEG, TIFF and PDF.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return FileKind.TIFF
    # Some writers put junk before the header; readers accept it within the first kilobyte.
    if b"%PDF-" in data[:1024]:
        return FileKind.PDF
    head = data[:8].hex(" ") if data else "an empty file"
    raise UnsupportedFile(
        f"the file is not a PNG, JPEG, TIFF or PDF (it starts with {head}); scan it to one of those"
    )


def load_pages(data: bytes, settings: ExtractSettings) -> list[PageImage]:
    """Decode every page of the file into a grayscale image (and text-layer words for PDFs).

    Raises:
        FileTooLarge: over the byte, page or pixel limit.
        UnsupportedFile: an unknown format.
        CorruptFile: a known format that does not decode.
    """
    if len(data) > settings.max_file_bytes:
        raise FileTooLarge(
            f"the file is {len(data)} bytes, over the limit of {settings.max_file_bytes} "
            "(SHOTCHECK_MAX_FILE_BYTES)"
        )
    kind = sniff(data)
    if kind is FileKind.PDF:
        return _load_pdf(data, settings)
    return _load_image(data, kind, settings)


def _too_many_pages(count: int, settings: ExtractSettings) -> FileTooLarge:
    return FileTooLarge(
        f"the file has {count} pages, over the limit of {settings.max_pages} (SHOTCHECK_MAX_PAGES)"
    )


def _load_image(data: bytes, kind: FileKind, settings: ExtractSettings) -> list[PageImage]:
    try:
        with warnings.catch_warnings():
            # Our own pixel limit is checked below; Pillow's bomb check must not warn first.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = None
            image = Image.open(io.BytesIO(data), formats=[kind.value])
            frames = int(getattr(image, "n_frames", 1))
            if frames > settings.max_pages:
                raise _too_many_pages(frames, settings)
            pages: list[PageImage] = []
            for index in range(frames):
                image.seek(index)
                width, height = image.size
                reduction = set_decoding(image, kind, settings.max_page_pixels)
                if reduction is None:
                    raise FileTooLarge(
                        f"page {index + 1} is {width}x{height} pixels, over the limit of "
                        f"{settings.max_page_pixels} (SHOTCHECK_MAX_PAGE_PIXELS)"
                    )
                # A JPEG was decoded smaller; a PNG or TIFF is decoded whole, then reduced.
                pages.append(_to_page(image, index + 1, reduction,
                                      after_decoding=kind is not FileKind.JPEG))
            return pages
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise CorruptFile(f"the {kind.value} image cannot be decoded: {exc}") from exc


def decoding_reduction(kind: FileKind, width: int, height: int, max_pixels: int) -> int | None:
    """How many times smaller a page of `width` x `height` pixels is read; None: refused.

    A page over `max_pixels` is read smaller, not refused, where that costs bounded memory;
    the least reduction that fits is taken. A JPEG decodes at 1/2, 1/4 or 1/8 directly, for
    about the memory of the smaller picture (a phone's 50 or 200 megapixel photo). A PNG or
    TIFF decodes whole: one over `_WHOLE_DECODE_OVER` times the limit is refused before it is
    decoded.
    """
    if kind is not FileKind.JPEG and width * height > _WHOLE_DECODE_OVER * max_pixels:
        return None
    return next((reduction for reduction in _REDUCTIONS
                 if -(-width // reduction) * -(-height // reduction) <= max_pixels), None)


def set_decoding(image: Image.Image, kind: FileKind, max_pixels: int) -> int | None:
    """How many times smaller the image's current frame is read; None: refused.

    As `decoding_reduction` answers; a JPEG's decoder is set to decode the frame that small.
    """
    width, height = image.size
    reduction = decoding_reduction(kind, width, height, max_pixels)
    if kind is FileKind.JPEG and reduction is not None and reduction > 1:
        image.draft(image.mode, (width // reduction, height // reduction))
    return reduction


def _to_page(image: Image.Image, number: int, reduction: int = 1,
             after_decoding: bool = False) -> PageImage:
    """One page in grayscale, `reduction` times smaller than the file's page.

    Made smaller here when `after_decoding`, else it was by the decoder; its resolution is
    scaled with it.
    """
    dpi_info = image.info.get("dpi")
    if isinstance(dpi_info, tuple) and dpi_info and reduction > 1:
        dpi_info = tuple(float(value) / reduction for value in dpi_info)
    # Phone photos carry their camera rotation in EXIF; scanners do not, and this is a no-op.
    upright = ImageOps.exif_transpose(image) if image.format == "JPEG" else image.copy()
    if upright.mode in ("RGBA", "LA", "P", "PA"):
        # Transparent pixels are paper, not ink.
        rgba = upright.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        upright = Image.alpha_composite(background, rgba)
    if upright.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(upright, dtype=np.float64)
        top = max(float(array.max()), 1.0)
        gray = (array * (255.0 / top)).clip(0, 255).astype(np.uint8)
    else:
        gray = np.asarray(upright.convert("L"), dtype=np.uint8).copy()
    if after_decoding and reduction > 1:
        gray = np.asarray(cv2.resize(gray, None, fx=1 / reduction, fy=1 / reduction,
                                     interpolation=cv2.INTER_AREA), dtype=np.uint8)
    height, width = gray.shape
    dpi = _dpi_of(dpi_info, width, height)
    return PageImage(number=number, image=gray, dpi=dpi, source=PageSource.IMAGE)


def _dpi_of(dpi_info: object, width: int, height: int) -> float:
    if isinstance(dpi_info, tuple) and dpi_info and float(dpi_info[0]) >= 50:
        dpi = float(dpi_info[0])
        if _fits_a_picture(width / dpi, height / dpi):
            return dpi
    return width / _LETTER_WIDTH_IN


def _fits_a_picture(width_in: float, height_in: float) -> bool:
    # To a hundredth of an inch: PNG keeps a resolution in whole pixels a metre.
    short, long = sorted((round(width_in, 2), round(height_in, 2)))
    return short <= _LARGEST_PICTURE_IN[0] and long <= _LARGEST_PICTURE_IN[1]


def _pdf_render_dpi(settings: ExtractSettings) -> Callable[[tuple[float, float]], float]:
    """The dpi a PDF page of a size (in points) is rendered at.

    The setting's; for a page larger than any picture of a record (a photo placed at its pixel
    count), the one that renders it as wide as a letter page at the setting's.
    """
    def dpi(size: tuple[float, float]) -> float:
        width, height = (side / _POINTS_PER_INCH for side in size)
        if _fits_a_picture(width, height):
            return float(settings.pdf_dpi)
        return settings.pdf_dpi * _LETTER_WIDTH_IN / width
    return dpi


def _load_pdf(data: bytes, settings: ExtractSettings) -> list[PageImage]:
    count = _pdfium.count_pages(data)
    if count > settings.max_pages:
        raise _too_many_pages(count, settings)
    if count == 0:
        raise CorruptFile("the PDF has no pages")
    pages: list[PageImage] = []
    for index, pdf_page in enumerate(
        _pdfium.read_pdf(data, _pdf_render_dpi(settings), settings.max_page_pixels)
    ):
        scale = pdf_page.dpi / _POINTS_PER_INCH
        if (len(pdf_page.words) >= _MIN_TEXT_LAYER_WORDS
                and pdf_page.picture_share < _SCAN_PICTURE_SHARE):
            words = tuple(
                Word(text, (round(x0 * scale), round(top * scale), round(x1 * scale),
                            round(bottom * scale)), 1.0, line=round(bottom))
                for text, x0, top, x1, bottom in pdf_page.words
            )
            pages.append(PageImage(index + 1, pdf_page.image, float(settings.pdf_dpi),
                                   PageSource.TEXT_LAYER, words))
        else:
            pages.append(
                PageImage(index + 1, pdf_page.image, float(settings.pdf_dpi), PageSource.IMAGE))
    return pages
