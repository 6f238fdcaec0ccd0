"""The pipeline seam: what a worker calls to turn a document's bytes into an extraction and a check.

`Pipeline` is a Protocol so tests and benchmarks inject fakes (intake.fakes); `RealPipeline` is
the adapter over the extractor (`extract`) and the engine check (`engine.check`), imported lazily
so the service starts, and says clearly what is missing, while those parts are being built.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Protocol, runtime_checkable

from engine.errors import BadInput
from intake.errors import PipelineUnavailable

__all__ = ["Pipeline", "PipelineOutcome", "RealPipeline", "load_pipeline"]


@dataclass(frozen=True)
class PipelineOutcome:
    """What the pipeline made of one document.

    Attributes:
        extraction: the extraction result as JSON (the `shotcheck extract --json` contract).
        pages: the cleaned page images as PNG bytes, page 1 first.
        check: the engine check of the document's own record as JSON, None without a record.
        needs_review: whether a reviewer must look at it before it is accepted.
        failure: why the document cannot be read at all (unsupported, corrupt, over a limit);
            a failure is final, it is not retried.
    """

    extraction: dict[str, Any] | None = None
    pages: list[bytes] = field(default_factory=list)
    check: dict[str, Any] | None = None
    needs_review: bool = True
    failure: str | None = None


@runtime_checkable
class Pipeline(Protocol):
    """Turns bytes into an outcome; runs in a child process, so it must be picklable."""

    @property
    def version(self) -> str:
        """Names the code and data that produce outcomes; results are cached per version."""
        ...

    def process(self, data: bytes, filename: str) -> PipelineOutcome:
        """Read one document.

        Raise for a transient failure (it is retried); return an outcome with `failure` set for
        a document that cannot be read (it is final).
        """
        ...

    def check(self, record: dict[str, Any], as_of: dt.date) -> dict[str, Any] | None:
        """The engine check of a Record (JSON) on a date; re-run after every correction."""
        ...


def _import(module: str, name: str, what: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise PipelineUnavailable(
            f"{what} is not available ({module}.{name}: {exc}); install or finish that part of "
            "shotcheck, or set SHOTCHECK_PIPELINE to a fake for a demo"
        ) from exc


def _extract_function(name: str) -> Any:
    # The package may re-export from extract.pipeline, or not yet: accept either place.
    try:
        return _import("extract", name, "the extractor")
    except PipelineUnavailable:
        return _import("extract.pipeline", name, "the extractor")


class RealPipeline:
    """The production pipeline over the extractor and the engine check.

    It calls `extract.extract_document`, `extract.render_pages` and `engine.check.check_record`.
    """

    def __init__(self, rules: str = "calworks-sc") -> None:
        self.rules = rules

    @property
    def version(self) -> str:
        """The installed shotcheck version and the rule pack: a new release reprocesses."""
        try:
            release = metadata.version("shotcheck")
        except metadata.PackageNotFoundError:
            release = "0"
        return f"real/{release}/{self.rules}"

    def process(self, data: bytes, filename: str) -> PipelineOutcome:
        """Extract, render the pages and check the document's own record."""
        extract_document = _extract_function("extract_document")
        render_pages = _extract_function("render_pages")
        try:
            result = extract_document(data, filename=filename)
            pages = [page if isinstance(page, bytes) else page.to_png()
                     for page in render_pages(data)]
        except BadInput as exc:
            return PipelineOutcome(failure=str(exc))
        extraction: dict[str, Any] = result.model_dump(mode="json")
        record = extraction.get("record")
        check = None
        if record:
            try:
                check = self.check(record, dt.date.today())
            except BadInput as exc:
                # A vaccine the vocabulary does not know is the reviewer's to fix, not a reason
                # to fail the document: keep the extraction, send it to review, say why.
                reasons = extraction.setdefault("review_reasons", [])
                reasons.append(f"the check could not run: {exc}")
        return PipelineOutcome(
            extraction=extraction,
            pages=pages,
            check=check,
            needs_review=bool(result.needs_review) or check is None,
        )

    def check(self, record: dict[str, Any], as_of: dt.date) -> dict[str, Any] | None:
        """Run the engine on a Record; raises BadRecord (422) for an invalid one."""
        from engine.errors import BadRecord
        from engine.model import Record

        check_record = _import("engine.check", "check_record", "the engine check")
        try:
            parsed = Record.model_validate(record)
        except ValueError as exc:
            raise BadRecord(f"the record does not match the Record contract: {exc}") from exc
        result = check_record(parsed, as_of=as_of, rules=self.rules)
        dumped: dict[str, Any] = result.model_dump(mode="json")
        return dumped


def load_pipeline(spec: str, rules: str = "calworks-sc") -> Pipeline:
    """The pipeline a SHOTCHECK_PIPELINE value names: `real` or `module:attribute`.

    The attribute may be a Pipeline instance or a class (or factory) called without arguments.
    """
    if spec == "real":
        return RealPipeline(rules)
    module, _, attribute = spec.partition(":")
    if not attribute:
        raise PipelineUnavailable(
            f"SHOTCHECK_PIPELINE={spec!r} is neither 'real' nor 'module:attribute'"
        )
    target = _import(module, attribute, f"the pipeline {spec!r}")
    pipeline = target() if isinstance(target, type) or not isinstance(target, Pipeline) else target
    if not isinstance(pipeline, Pipeline):
        raise PipelineUnavailable(f"{spec!r} is not a Pipeline (version, process, check)")
    return pipeline
