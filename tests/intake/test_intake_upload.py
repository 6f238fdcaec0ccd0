"""Uploading: authentication, idempotency, limits and hostile inputs at the door."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from intake_support import Service, document_bytes

from intake import fakes


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares a size; the pixel data is a stub (the header alone is refused)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


def test_health_needs_no_authentication(service: Service) -> None:
    assert service.client.get("/healthz").json() == {"status": "ok"}
    assert service.client.get("/readyz").json() == {"status": "ready"}


def test_an_upload_without_a_key_is_refused_with_the_error_model(service: Service) -> None:
    response = service.client.post("/api/v1/documents", files={"file": ("a.png", b"x")})
    assert response.status_code == 401
    assert response.json()["code"] == "NotAuthenticated"
    assert response.headers["www-authenticate"] == "Bearer"


def test_an_unknown_key_and_a_malformed_header_are_refused(service: Service) -> None:
    files = {"file": ("a.png", fakes.tiny_png())}
    for header in ("Bearer sk_nope", "Basic abc", "Bearer ss_nope"):
        response = service.client.post("/api/v1/documents", files=files,
                                       headers={"Authorization": header})
        assert response.status_code == 401, header


def test_a_reviewer_cannot_upload(service: Service) -> None:
    response = service.client.post("/api/v1/documents", headers=service.user(),
                                   files={"file": ("a.png", fakes.tiny_png())})
    assert response.status_code == 403
    assert "station" in response.json()["message"]


def test_an_upload_is_acknowledged_with_ids_once_stored(service: Service) -> None:
    station = service.station()
    data = document_bytes()
    response = service.client.post("/api/v1/documents", headers=station,
                                   files=[("file", ("a.png", data)),
                                          ("file", ("b.png", document_bytes()))],
                                   data={"case_number": "C-1", "due_date": "2026-12-24"})
    assert response.status_code == 202
    documents = response.json()["documents"]
    assert [d["state"] for d in documents] == ["queued", "queued"]
    assert [d["duplicate"] for d in documents] == [False, False]
    assert documents[0]["media_type"] == "image/png"
    view = service.client.get(f"/api/v1/documents/{documents[0]['id']}", headers=station)
    assert view.status_code == 200
    assert view.json()["state"] == "queued"


def test_the_same_bytes_again_give_the_same_document(service: Service) -> None:
    data = document_bytes()
    first = service.upload(service.station(), data)
    again = service.upload(service.station(), data, name="other-name.png")
    assert again["id"] == first["id"]
    assert again["duplicate"] is True
    assert service.process() == 1  # one document, one job


def test_a_text_file_named_png_is_refused_by_its_content(service: Service) -> None:
    response = service.client.post("/api/v1/documents", headers=service.station(),
                                   files={"file": ("card.png", b"just some text\n")})
    assert response.status_code == 415
    assert "not a PNG, JPEG, TIFF or PDF" in response.json()["message"]


def test_an_empty_file_and_a_missing_file_field_are_refused(service: Service) -> None:
    station = service.station()
    empty = service.client.post("/api/v1/documents", headers=station,
                                files={"file": ("a.png", b"")})
    assert empty.status_code == 422
    assert "empty" in empty.json()["message"]
    missing = service.client.post("/api/v1/documents", headers=station, data={"x": "1"})
    assert missing.status_code == 422
    assert missing.json()["code"] == "BadRequest"


def test_a_100_megapixel_png_is_refused_from_its_header(service: Service) -> None:
    response = service.client.post("/api/v1/documents", headers=service.station(),
                                   files={"file": ("huge.png", png_header(10_000, 10_000))})
    assert response.status_code == 413
    assert "10000x10000" in response.json()["message"]
    assert service.client.get("/healthz").status_code == 200


def test_a_request_over_the_size_limit_is_refused(make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(max_request_bytes=10_000, max_file_bytes=5_000)
    station = service.station()
    big = fakes.tiny_png() + b"\0" * 20_000
    response = service.client.post("/api/v1/documents", headers=station,
                                   files={"file": ("big.png", big)})
    assert response.status_code == 413
    assert "SHOTCHECK_MAX_REQUEST_BYTES" in response.json()["message"]
    one_file = fakes.tiny_png() + b"\0" * 6_000
    response = service.client.post("/api/v1/documents", headers=station,
                                   files={"file": ("big.png", one_file)})
    assert response.status_code == 413
    assert "SHOTCHECK_MAX_FILE_BYTES" in response.json()["message"]


def test_a_chunked_body_over_the_limit_is_cut_off(make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(max_request_bytes=10_000)

    def body():  # type: ignore[no-untyped-def]
        for _ in range(50):
            yield b"x" * 1000

    response = service.client.post(
        "/api/v1/documents", content=body(),
        headers={**service.station(), "Content-Type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413


def test_too_many_files_in_one_request_are_refused(make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(max_files_per_request=2)
    files = [("file", (f"{i}.png", document_bytes())) for i in range(3)]
    response = service.client.post("/api/v1/documents", headers=service.station(), files=files)
    assert response.status_code == 413


def test_a_filename_with_dot_dot_is_only_a_label(service: Service, tmp_path: Path) -> None:
    document = service.upload(service.station(), document_bytes(), name="../../etc/passwd.png")
    assert document["filename"] == "passwd.png"
    assert not (tmp_path.parent / "etc").exists()
    weird = service.upload(service.station(), document_bytes(), name="..\\..\\x\x07.png")
    assert "/" not in weird["filename"] and "\\" not in weird["filename"]
    assert weird["filename"].endswith(".png") and "\x07" not in weird["filename"]


def test_a_station_sees_its_own_documents_without_health_data(service: Service) -> None:
    station = service.station()
    document = service.upload(station, document_bytes())
    service.process()
    mine = service.client.get(f"/api/v1/documents/{document['id']}", headers=station).json()
    assert mine["state"] == "accepted"
    assert mine["extraction"] is None and mine["record"] is None and mine["check"] is None
    other = service.client.get(f"/api/v1/documents/{document['id']}", headers=service.station())
    assert other.status_code == 404


def test_an_unknown_document_is_404(service: Service) -> None:
    response = service.client.get("/api/v1/documents/nope", headers=service.user())
    assert response.status_code == 404
    assert response.json()["code"] == "NotFound"
