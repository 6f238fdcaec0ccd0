"""Hostile files generated on the fly (never committed): PDF bombs, huge page counts, truncation."""

from __future__ import annotations

import io
import zlib


def make_pdf(pages: int, content: bytes = b"", *, compressed: bool = False) -> bytes:
    """A minimal valid PDF with `pages` empty pages sharing one content stream."""
    objects: list[bytes] = []
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    filter_ = b" /Filter /FlateDecode" if compressed else b""
    objects.append(b"<< /Length " + str(len(content)).encode() + filter_ + b" >>\nstream\n"
                   + content + b"\nendstream")
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
              .encode())
    return out.getvalue()


def inflating_stream(gigabytes: float) -> bytes:
    """A zlib stream of spaces that inflates to `gigabytes` GB (about 1000:1), built quickly.

    One megabyte is deflated with a full flush, which makes its blocks independent of what came
    before, so the same bytes can be repeated; the checksum is computed for the whole.
    """
    chunk = b" " * (1 << 20)
    count = int(gigabytes * 1024)
    deflater = zlib.compressobj(9)
    head = deflater.compress(chunk) + deflater.flush(zlib.Z_FULL_FLUSH)
    body = deflater.compress(chunk) + deflater.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(count):
        adler = zlib.adler32(chunk, adler)
    tail = zlib.compressobj(9).flush()[2:-4]  # an empty final block, without header or checksum
    return head + body * (count - 1) + tail + adler.to_bytes(4, "big")


def pdf_bomb(gigabytes: float = 2.0) -> bytes:
    """A one-page PDF whose content stream inflates to gigabytes."""
    return make_pdf(1, inflating_stream(gigabytes), compressed=True)


def truncated_jpeg() -> bytes:
    """A JPEG cut off halfway: the header is fine, the picture is not."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.radial_gradient("L").resize((800, 800)).save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) // 2]


def many_frame_tiff(frames: int) -> bytes:
    """A TIFF with many tiny frames."""
    from PIL import Image

    buffer = io.BytesIO()
    images = [Image.new("L", (4, 4), 255) for _ in range(frames)]
    images[0].save(buffer, "TIFF", save_all=True, append_images=images[1:])
    return buffer.getvalue()
