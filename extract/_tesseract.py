"""The one module that talks to Tesseract (through pytesseract), with time and memory limits."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import threading
from functools import cache
from pathlib import Path

import pytesseract  # type: ignore[import-untyped]
from PIL import Image

from extract.errors import OcrFailed, OcrTimeout, ToolMissing
from extract.ocr import OcrRequest
from extract.page import Gray, Word

__all__ = ["TesseractEngine", "tesseract_version"]

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
        config = f"--psm {int(request.segmentation)}"
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
