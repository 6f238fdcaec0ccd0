"""The one module that talks to Tesseract: its library in-process, or its command (pytesseract)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import stat
import tempfile
import threading
from functools import cache
from pathlib import Path

import numpy as np
import pytesseract  # type: ignore[import-untyped]
from PIL import Image

from extract.errors import OcrFailed, OcrTimeout, ToolMissing
from extract.ocr import OcrRequest
from extract.page import Gray, Word

__all__ = ["TesseractEngine", "TesseractLibrary", "shared_library_engine", "tesseract_version"]

_INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-eng"
# pytesseract keeps the command in a module global; one lock keeps concurrent engines with
# different limits from swapping each other's wrapper mid-call.
_COMMAND_LOCK = threading.Lock()


def tesseract_version() -> str:
    """Tesseract's version, or ToolMissing with install guidance when it is not installed."""
    if shutil.which("tesseract") is None:
        raise ToolMissing(f"Tesseract is not installed; {_INSTALL_HINT}")
    try:
        return str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise ToolMissing(f"Tesseract does not run ({exc}); {_INSTALL_HINT}") from exc


@cache
def _limited_command(memory_mb: int) -> str:
    """A wrapper script running Tesseract under an address-space limit, one thread.

    pytesseract only takes a program path, so the limit lives in a tiny shell wrapper: `ulimit
    -v` is inherited by the exec'd Tesseract, and a page that would need more memory fails
    cleanly instead of taking the worker down.
    """
    binary = shutil.which("tesseract")
    if binary is None:
        raise ToolMissing(f"Tesseract is not installed; {_INSTALL_HINT}")
    folder = Path(tempfile.mkdtemp(prefix="shotcheck-tesseract-"))
    script = folder / "tesseract"
    script.write_text(
        "#!/bin/sh\n"
        f"ulimit -v {memory_mb * 1024} 2>/dev/null\n"
        "OMP_THREAD_LIMIT=1; export OMP_THREAD_LIMIT\n"
        f'exec "{binary}" "$@"\n'
    )
    script.chmod(stat.S_IRWXU)
    return str(script)


# Tesseract reads every line it is unsure of a second time with the colours inverted, in case it
# is white on black. Nothing on our forms is: the second reads only cost time, most on
# handwriting, which it is unsure of throughout.
_NO_INVERSION = "tessedit_do_invert"


class TesseractEngine:
    """`OcrEngine` backed by the Tesseract program, one subprocess per read.

    Args:
        timeout_seconds: a read still running after this is killed (OcrTimeout).
        memory_mb: address-space limit of the Tesseract process (OcrFailed when exceeded).
        lang: Tesseract language data to use.
    """

    def __init__(self, *, timeout_seconds: float = 60.0, memory_mb: int = 1024,
                 lang: str = "eng") -> None:
        self.version = tesseract_version()
        self._timeout = timeout_seconds
        self._command = _limited_command(memory_mb)
        self._lang = lang
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        """Read words with boxes (image pixels) and confidences (0..1) from `image`."""
        config = f"--psm {int(request.segmentation)} -c {_NO_INVERSION}=0"
        if request.whitelist:
            # Spaces stay allowed without being listed; shlex would split on them.
            config += f" -c tessedit_char_whitelist={request.whitelist.replace(' ', '')}"
        picture = Image.fromarray(image)
        # pytesseract hands the image over in a file of this format; PNG compression cost
        # ~0.1 s a page for nothing (the file lives for one read); PGM is written as is and, like
        # the PNG before it, carries no resolution, which would change what Tesseract reads.
        picture.format = "PPM"
        data = self._run(
            pytesseract.image_to_data, picture, lang=self._lang, config=config,
            output_type=pytesseract.Output.DICT,
        )
        words: list[Word] = []
        for i, text in enumerate(data["text"]):
            conf = float(data["conf"][i])
            if conf < 0 or not str(text).strip():
                continue
            x, y = int(data["left"][i]), int(data["top"][i])
            w, h = int(data["width"][i]), int(data["height"][i])
            line = (int(data["block_num"][i]) * 1000 + int(data["par_num"][i])) * 1000 + int(
                data["line_num"][i]
            )
            words.append(Word(str(text).strip(), (x, y, x + w, y + h), conf / 100.0, line))
        return words

    def _run(self, function: object, *args: object, **kwargs: object) -> dict[str, list[str]]:
        with _COMMAND_LOCK:
            pytesseract.pytesseract.tesseract_cmd = self._command
            try:
                result = function(*args, timeout=self._timeout, **kwargs)  # type: ignore[operator]
            except pytesseract.TesseractNotFoundError as exc:
                raise ToolMissing(f"Tesseract is not installed; {_INSTALL_HINT}") from exc
            except pytesseract.TesseractError as exc:
                raise OcrFailed(f"Tesseract failed on the page: {exc.message}".strip()) from exc
            except RuntimeError as exc:
                if "timeout" in str(exc).lower():
                    raise OcrTimeout(
                        f"Tesseract took longer than {self._timeout:g} s on a page; raise "
                        "SHOTCHECK_OCR_TIMEOUT_SECONDS or send a smaller scan"
                    ) from exc
                raise OcrFailed(f"Tesseract failed: {exc}") from exc
        return result  # type: ignore[no-any-return]


# The C API of libtesseract (tesseract/capi.h), as Debian's libtesseract5 exports it.
_LIBRARY_NAMES = ("libtesseract.so.5", "libtesseract.so")


@cache
def _library() -> ctypes.CDLL:
    """The Tesseract library with the signatures of the calls we make; ToolMissing if absent."""
    # OpenMP reads its thread limit when the library loads: Tesseract's threads only fight
    # each other (and the other worker) on our two-core machines.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    found = ctypes.util.find_library("tesseract")
    errors = []
    for name in ((found,) if found else ()) + _LIBRARY_NAMES:
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError as exc:
            errors.append(str(exc))
    else:
        raise ToolMissing(f"libtesseract cannot be loaded ({errors[-1]}); {_INSTALL_HINT}")
    handle, text = ctypes.c_void_p, ctypes.c_char_p
    signatures: dict[str, tuple[type | None, list[type]]] = {
        "TessBaseAPICreate": (handle, []),
        "TessBaseAPIDelete": (None, [handle]),
        "TessBaseAPIInit3": (ctypes.c_int, [handle, text, text]),
        "TessBaseAPISetVariable": (ctypes.c_int, [handle, text, text]),
        "TessBaseAPISetPageSegMode": (None, [handle, ctypes.c_int]),
        "TessBaseAPISetImage": (None, [handle, ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                       ctypes.c_int, ctypes.c_int]),
        "TessBaseAPIRecognize": (ctypes.c_int, [handle, handle]),
        "TessBaseAPIGetTsvText": (ctypes.c_void_p, [handle, ctypes.c_int]),
        "TessBaseAPIClear": (None, [handle]),
        "TessDeleteText": (None, [ctypes.c_void_p]),
        "TessMonitorCreate": (handle, []),
        "TessMonitorDelete": (None, [handle]),
        "TessMonitorSetDeadlineMSecs": (None, [handle, ctypes.c_int]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes
    _quiet_leptonica()
    return lib


# Leptonica's L_SEVERITY_NONE: its messages ("box outside rectangle") went to the command's
# stderr, which nobody read; in-process they would land in the service's log.
_LEPTONICA_SILENT = 6


def _quiet_leptonica() -> None:
    name = ctypes.util.find_library("lept") or "liblept.so.5"
    try:
        leptonica = ctypes.CDLL(name)
    except OSError:
        return  # Not found under that name: its notes are noise, not errors.
    leptonica.setMsgSeverity.argtypes = [ctypes.c_int]
    leptonica.setMsgSeverity(_LEPTONICA_SILENT)


class TesseractLibrary:
    """`OcrEngine` calling libtesseract inside this process, through its C API.

    The same recognition as `TesseractEngine` (same library, same settings, same TSV), without
    starting a process and loading the language model for every read: a page takes about eight
    reads (the page, then stacked cells of each field kind), and the start-up was a third of the
    OCR time. The time limit is Tesseract's own deadline; the memory limit is the process's
    (the service parses each document in a child process under RLIMIT_AS). Models are loaded
    once per engine and reused; an engine is safe to share between threads.

    Args:
        timeout_seconds: a read still running after this is cancelled (OcrTimeout).
        lang: Tesseract language data to use.
    """

    def __init__(self, *, timeout_seconds: float = 60.0, lang: str = "eng") -> None:
        self._lib = _library()
        self.version = tesseract_version()
        self._timeout = timeout_seconds
        self._lang = lang
        # Initialised APIs not in use; a read takes one (or makes one) and gives it back.
        self._idle: list[int] = []
        self._lock = threading.Lock()

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        """Read words with boxes (image pixels) and confidences (0..1) from `image`."""
        pixels = np.ascontiguousarray(image, dtype=np.uint8)
        api = self._take()
        lib = self._lib
        monitor = lib.TessMonitorCreate()
        try:
            lib.TessBaseAPISetPageSegMode(api, int(request.segmentation))
            # Set on every read: a whitelist stays in force on this API until replaced.
            whitelist = (request.whitelist or "").replace(" ", "")
            lib.TessBaseAPISetVariable(api, b"tessedit_char_whitelist", whitelist.encode())
            height, width = pixels.shape
            lib.TessBaseAPISetImage(api, pixels.ctypes.data, width, height, 1, width)
            lib.TessMonitorSetDeadlineMSecs(monitor, int(self._timeout * 1000))
            if lib.TessBaseAPIRecognize(api, monitor) != 0:
                raise OcrTimeout(
                    f"Tesseract took longer than {self._timeout:g} s on a page, or failed on "
                    "it; raise SHOTCHECK_OCR_TIMEOUT_SECONDS or send a smaller scan"
                )
            pointer = lib.TessBaseAPIGetTsvText(api, 0)
            if not pointer:
                raise OcrFailed("Tesseract gave no text for the page")
            try:
                tsv = ctypes.string_at(pointer).decode("utf-8", errors="replace")
            finally:
                lib.TessDeleteText(pointer)
            lib.TessBaseAPIClear(api)
        finally:
            lib.TessMonitorDelete(monitor)
            self._give_back(api)
        return _tsv_words(tsv)

    def _take(self) -> int:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        api = self._lib.TessBaseAPICreate()
        # NULL data path: the library's compiled-in tessdata folder, as the command uses.
        if self._lib.TessBaseAPIInit3(api, None, self._lang.encode()) != 0:
            self._lib.TessBaseAPIDelete(api)
            raise ToolMissing(f"Tesseract has no {self._lang!r} language data; {_INSTALL_HINT}")
        # Its notes ("Estimating resolution as ...") went to the command's stderr, unread.
        self._lib.TessBaseAPISetVariable(api, b"debug_file", b"/dev/null")
        self._lib.TessBaseAPISetVariable(api, _NO_INVERSION.encode(), b"0")
        return int(api)

    def _give_back(self, api: int) -> None:
        with self._lock:
            self._idle.append(api)

    def __del__(self) -> None:
        for api in getattr(self, "_idle", ()):
            self._lib.TessBaseAPIDelete(api)


@cache
def shared_library_engine(timeout_seconds: float, lang: str = "eng") -> TesseractLibrary:
    """One library engine per process and limit: its loaded models serve every document."""
    return TesseractLibrary(timeout_seconds=timeout_seconds, lang=lang)


def _tsv_words(tsv: str) -> list[Word]:
    """Words of Tesseract's TSV output, as `TesseractEngine` reads them through pytesseract.

    Columns: level, page, block, paragraph, line, word, left, top, width, height, conf, text.
    """
    words: list[Word] = []
    for row in tsv.splitlines():
        fields = row.split("\t", 11)
        if len(fields) < 12 or not fields[11].strip():
            continue
        # Whole percent, as pytesseract reads the command's TSV: the review threshold and the
        # golden files were set on those.
        conf = int(float(fields[10]))
        if conf < 0:
            continue
        block, paragraph, line_number = int(fields[2]), int(fields[3]), int(fields[4])
        x, y, w, h = (int(v) for v in fields[6:10])
        line = (block * 1000 + paragraph) * 1000 + line_number
        words.append(Word(fields[11].strip(), (x, y, x + w, y + h), conf / 100.0, line))
    return words
