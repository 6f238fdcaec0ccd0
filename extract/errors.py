"""Errors of the extraction stage, all subclasses of the one hierarchy in engine.errors.

BadInput
├── UnsupportedFile        bytes that are none of PNG, JPEG, TIFF, PDF
├── CorruptFile            a recognised format that does not decode
└── FileTooLarge           over a byte, pixel or page limit from ExtractSettings
ExternalToolError
├── ToolMissing            Tesseract (or its language data) is not installed
├── OcrFailed              Tesseract exited with an error or ran out of memory
└── OcrTimeout             Tesseract (or an OCR engine) did not answer in time
"""

from __future__ import annotations

from engine.errors import BadInput, ExternalToolError

__all__ = [
    "CorruptFile",
    "FileTooLarge",
    "OcrFailed",
    "OcrTimeout",
    "ToolMissing",
    "UnsupportedFile",
]


class UnsupportedFile(BadInput):
    """The bytes are not a format the service reads; the message names what was found."""


class CorruptFile(BadInput):
    """The bytes claim a supported format but do not decode."""


class FileTooLarge(BadInput):
    """The file exceeds a byte, pixel or page limit; the message names the limit and its setting."""


class ToolMissing(ExternalToolError):
    """An external program is not installed; the message says how to install it."""


class OcrFailed(ExternalToolError):
    """The OCR engine failed on a document (an error exit, a crash, memory exhausted)."""


class OcrTimeout(ExternalToolError):
    """The OCR engine did not finish within the time limit for the document."""
