"""Hostile-input limits: the format sniffed from bytes, pixel, page and inflation limits.

`sniff_media_type` and `check_header_pixels` read only a few header bytes and run in the API
process at upload. `preflight` decodes and runs only in the parsing child process, under its
memory and time limits (intake.isolation), before the pipeline sees the bytes.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zlib
from dataclasses import dataclass

from extract.errors import UnsupportedFile
from extract.load import FileKind, decoding_reduction, set_decoding, sniff
from intake.errors import TooLarge, UnsupportedMediaType

__all__ = ["ParseLimits", "check_header_pixels", "preflight", "sniff_media_type"]

PNG, JPEG, TIFF, PDF = "image/png", "image/jpeg", "image/tiff", "application/pdf"
_MEDIA_TYPES = {FileKind.PNG: PNG, FileKind.JPEG: JPEG, FileKind.TIFF: TIFF, FileKind.PDF: PDF}
_KINDS = {media_type: kind for kind, media_type in _MEDIA_TYPES.items()}
# JPEG start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) are not frames.
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_STREAM = re.compile(rb"stream\r?\n")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ParseLimits:
    """Limits of one document's parsing; picklable, handed to the child process."""

    max_pages: int
    max_page_pixels: int
    max_decoded_bytes: int
    memory_mb: int
    timeout_seconds: float


def sniff_media_type(data: bytes) -> str:
    """The media type from the magic bytes; the filename and Content-Type are never trusted.

    The pipeline's own sniffer (`extract.load.sniff`) decides, so the two never disagree.

    Raises:
        UnsupportedMediaType: anything but PNG, JPEG, TIFF or PDF.
    """
    try:
        kind = sniff(data)
    except UnsupportedFile as exc:
        raise UnsupportedMediaType(str(exc)) from exc
    return _MEDIA_TYPES[kind]


def _header_size(data: bytes, media_type: str) -> tuple[int, int] | None:
    if media_type == PNG and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if media_type == JPEG:
        index = 2
        while index + 9 <= len(data):
            if data[index] != 0xFF:
                return None
            marker = data[index + 1]
            length = struct.unpack(">H", data[index + 2:index + 4])[0]
            if marker in _SOF_MARKERS:
                height, width = struct.unpack(">HH", data[index + 5:index + 9])
                return width, height
            index += 2 + length
    return None


def check_header_pixels(data: bytes, media_type: str, max_pixels: int) -> None:
    """Refuse a PNG or JPEG whose header declares more pixels than the limit, without decoding.

    Raises:
        TooLarge: the declared size is over SHOTCHECK_MAX_PAGE_PIXELS.
    """
    size = _header_size(data, media_type)
    if size is None:
        return
    # A page over the limit is read smaller where that costs bounded memory (extract.load).
    if decoding_reduction(_KINDS[media_type], *size, max_pixels) is None:
        raise TooLarge(
            f"the image is {size[0]}x{size[1]} pixels, over the limit of {max_pixels} "
            "(SHOTCHECK_MAX_PAGE_PIXELS); scan at 300 dpi"
        )


def preflight(data: bytes, limits: ParseLimits) -> None:
    """Decode the document within the limits; run only in the parsing child process.

    Raises:
        UnsupportedMediaType: not a supported format.
        TooLarge: over the page, pixel or inflation limit.
        BadUpload: truncated or corrupt.
    """
    media_type = sniff_media_type(data)
    if media_type == PDF:
        _check_pdf(data, limits)
    else:
        _check_image(data, _KINDS[media_type], limits)


def _check_image(data: bytes, kind: FileKind, limits: ParseLimits) -> None:
    from PIL import Image

    from intake.errors import BadUpload

    try:
        with warnings.catch_warnings():
            # Our own pixel limit applies; Pillow's bomb check must not warn or raise first.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = None
            image = Image.open(io.BytesIO(data))
            frames = int(getattr(image, "n_frames", 1))
            if frames > limits.max_pages:
                raise TooLarge(
                    f"the image has {frames} frames, over the limit of {limits.max_pages} "
                    "(SHOTCHECK_MAX_PAGES)"
                )
            for frame in range(frames):
                image.seek(frame)
                width, height = image.size
                # Decoded as extract.load decodes it: a JPEG smaller when it is over the
                # limit, a PNG or TIFF whole up to twice the limit.
                if set_decoding(image, kind, limits.max_page_pixels) is None:
                    raise TooLarge(
                        f"page {frame + 1} is {width}x{height} pixels, over the limit of "
                        f"{limits.max_page_pixels} (SHOTCHECK_MAX_PAGE_PIXELS)"
                    )
                image.load()
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        raise BadUpload(f"the image is truncated or corrupt and cannot be decoded ({exc})") from exc


def _check_pdf(data: bytes, limits: ParseLimits) -> None:
    from intake.errors import BadUpload

    _check_inflation(data, limits.max_decoded_bytes)
    import pypdfium2  # type: ignore[import-untyped]

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise BadUpload(f"the PDF is truncated or corrupt and cannot be opened ({exc})") from exc
    try:
        pages = len(document)
    finally:
        document.close()
    if pages > limits.max_pages:
        raise TooLarge(
            f"the PDF has {pages} pages, over the limit of {limits.max_pages} (SHOTCHECK_MAX_PAGES)"
        )
    if pages == 0:
        raise BadUpload("the PDF has no pages")


def _check_inflation(data: bytes, limit: int) -> None:
    # A zip-bomb PDF holds small Flate streams that inflate to gigabytes; count what every
    # zlib stream inflates to, in bounded chunks, and stop at the limit instead of rendering.
    total = 0
    for match in _STREAM.finditer(data):
        start = match.end()
        if start + 2 > len(data) or not _is_zlib_header(data[start], data[start + 1]):
            continue  # DCT, JBIG2, raw or another filter
        inflater = zlib.decompressobj()
        position = start
        try:
            while not inflater.eof and position < len(data):
                chunk = data[position:position + _CHUNK]
                position += len(chunk)
                total += len(inflater.decompress(chunk, _CHUNK))
                while inflater.unconsumed_tail and not inflater.eof and total <= limit:
                    total += len(inflater.decompress(inflater.unconsumed_tail, _CHUNK))
                if total > limit:
                    raise TooLarge(
                        f"the PDF's compressed streams inflate to more than {limit} bytes "
                        "(SHOTCHECK_MAX_DECODED_BYTES): refused as a decompression bomb"
                    )
        except zlib.error:
            continue  # a damaged stream: the renderer reports it


def _is_zlib_header(cmf: int, flg: int) -> bool:
    return cmf & 0x0F == 8 and (cmf << 8 | flg) % 31 == 0
