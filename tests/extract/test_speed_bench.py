"""The speed bench times extraction as it runs: with the line reader extraction would use."""

from __future__ import annotations

from bench.extraction_speed import _counting_engine
from extract.ocr import LineReader
from extract.pipeline import line_reader_for
from extract.settings import ExtractSettings


def test_the_bench_engine_is_the_line_reader_exactly_when_extraction_has_one() -> None:
    # An injected engine is the pipeline's line reader only when it is one: a bench engine
    # without the line reader's methods timed extraction without its second reads.
    has_reader = line_reader_for(ExtractSettings()) is not None

    assert isinstance(_counting_engine(), LineReader) is has_reader
