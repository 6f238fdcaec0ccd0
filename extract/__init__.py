"""Extraction: scans and PDFs of immunization records → doses, flags, confidence and a Record."""

from extract.errors import (
    CorruptFile,
    FileTooLarge,
    OcrFailed,
    OcrTimeout,
    ToolMissing,
    UnsupportedFile,
)
from extract.ocr import OcrEngine, OcrRequest, Segmentation
from extract.page import PageImage, Word
from extract.pipeline import extract_document, render_pages
from extract.result import DocumentType, ExtractionResult, FlagCode
from extract.settings import ExtractSettings

__all__ = [
    "CorruptFile",
    "DocumentType",
    "ExtractSettings",
    "ExtractionResult",
    "FileTooLarge",
    "FlagCode",
    "OcrEngine",
    "OcrFailed",
    "OcrRequest",
    "OcrTimeout",
    "PageImage",
    "Segmentation",
    "ToolMissing",
    "UnsupportedFile",
    "Word",
    "extract_document",
    "render_pages",
]
