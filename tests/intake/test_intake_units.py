"""Small pure pieces: filename labels, dose merging, pipeline loading, demo accounts, sniffing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from intake import fakes
from intake.accounts import authenticate_station
from intake.children import merge_records
from intake.db import Database
from intake.documents import clean_filename
from intake.errors import PipelineUnavailable, TooLarge, UnsupportedMediaType
from intake.limits import ParseLimits, check_header_pixels, preflight, sniff_media_type
from intake.pipeline import RealPipeline, load_pipeline
from intake.run_demo import ensure_demo_accounts


@pytest.mark.parametrize(("given", "label"), [
    ("card.png", "card.png"),
    ("../../etc/passwd", "passwd"),
    ("C:\\scans\\card.pdf", "card.pdf"),
    ("bell\x07.png", "bell.png"),
    ("", "unnamed"),
    ("dir/", "unnamed"),
    ("x" * 300, "x" * 200),
])
def test_a_filename_becomes_a_label_without_directories(given: str, label: str) -> None:
    assert clean_filename(given) == label


def test_the_same_dose_on_two_documents_is_merged() -> None:
    card = {"child": {"name": "A", "birth_date": "2022-01-01"},
            "doses": [{"date": "2022-03-01", "cvx": "20"},
                      {"date": "2023-01-05", "vaccine": "MMR"}]}
    registry = {"child": {"name": "a", "birth_date": "2022-01-01"},
                "doses": [{"date": "2023-01-05", "vaccine": "mmr"},
                          {"date": "2022-03-01", "cvx": "20"}, {"date": "2022-05-01", "cvx": "20"}],
                "immunity": [{"group": "Varicella", "kind": "history"}]}
    merged = merge_records([card, registry])
    assert merged is not None
    assert [d["date"] for d in merged["doses"]] == ["2022-03-01", "2022-05-01", "2023-01-05"]
    assert merged["immunity"] == [{"group": "Varicella", "kind": "history"}]
    assert merge_records([]) is None


def test_pipelines_load_by_name_and_a_missing_one_says_what_is_missing() -> None:
    assert isinstance(load_pipeline("intake.fakes:needs_review"), fakes.FakePipeline)
    assert isinstance(load_pipeline("intake.fakes:FakePipeline"), fakes.FakePipeline)
    assert isinstance(load_pipeline("real"), RealPipeline)
    with pytest.raises(PipelineUnavailable, match="no_such_module"):
        load_pipeline("no_such_module:thing")
    with pytest.raises(PipelineUnavailable, match="neither 'real' nor"):
        load_pipeline("nonsense")
    assert RealPipeline("calworks-sc").version.startswith("real/")


def test_the_media_type_comes_from_the_bytes() -> None:
    assert sniff_media_type(fakes.tiny_png()) == "image/png"
    assert sniff_media_type(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff_media_type(b"II*\x00rest") == "image/tiff"
    assert sniff_media_type(b"junk\n%PDF-1.7") == "application/pdf"
    for data in (b"", b"GIF89a", b"<html>"):
        with pytest.raises(UnsupportedMediaType):
            sniff_media_type(data)


def test_a_jpeg_header_over_the_pixel_limit_even_at_an_eighth_of_its_size_is_refused() -> None:
    # SOI, then a SOF0 segment declaring 12000 x 9000 pixels: 1500 x 1125 at an eighth.
    jpeg = b"\xff\xd8" + b"\xff\xc0\x00\x11\x08" + (9000).to_bytes(2, "big") + (
        12000).to_bytes(2, "big") + b"\x01" + b"\x00" * 9
    with pytest.raises(TooLarge, match="12000x9000"):
        check_header_pixels(jpeg, "image/jpeg", 1500 * 1125 - 1)
    check_header_pixels(jpeg, "image/jpeg", 1500 * 1125)
    # Over the limit whole, the JPEG is decoded smaller (extract.load): not refused.
    check_header_pixels(jpeg, "image/jpeg", 40_000_000)


def test_the_parsing_child_takes_a_jpeg_over_the_limit_and_a_png_up_to_twice_it() -> None:
    limits = ParseLimits(max_pages=5, max_page_pixels=1_000_000, max_decoded_bytes=50_000_000,
                         memory_mb=1024, timeout_seconds=30.0)

    def encoded(fmt: str, size: tuple[int, int]) -> bytes:
        out = io.BytesIO()
        Image.new("L", size, 255).save(out, format=fmt)
        return out.getvalue()

    preflight(encoded("JPEG", (1000, 2001)), limits)
    preflight(encoded("PNG", (1000, 2000)), limits)
    with pytest.raises(TooLarge, match="1000x2001"):
        preflight(encoded("PNG", (1000, 2001)), limits)


def test_a_png_header_over_twice_the_pixel_limit_is_refused() -> None:
    # A PNG decodes whole: up to twice the limit it is decoded and halved (extract.load).
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + (12000).to_bytes(4, "big") + (
        9000).to_bytes(4, "big")
    with pytest.raises(TooLarge, match="12000x9000"):
        check_header_pixels(png, "image/png", 12000 * 9000 // 2 - 1)
    check_header_pixels(png, "image/png", 12000 * 9000 // 2)


def test_demo_accounts_are_created_once(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path}/demo.db")
    database.migrate()
    first = ensure_demo_accounts(database, tmp_path / "var")
    again = ensure_demo_accounts(database, tmp_path / "var")
    assert first == again
    (tmp_path / "var" / "demo-station.key").write_text("sk_lost\n")
    rotated = ensure_demo_accounts(database, tmp_path / "var")
    assert rotated[0] != first[0] and rotated[1] == first[1]
    with database.session() as db:
        assert authenticate_station(db, rotated[0]) is not None
        assert authenticate_station(db, first[0]) is None
    database.dispose()
