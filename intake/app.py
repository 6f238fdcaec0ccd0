"""The FastAPI application factory: routes, the one error handler, limits, workers at startup."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import entry_points

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.errors import ShotcheckError
from intake import routes_documents, routes_review, routes_session
from intake.batching import UploadWriter
from intake.db import Database
from intake.openapi import errors
from intake.pipeline import Pipeline, load_pipeline
from intake.settings import Settings
from intake.worker import Worker, run_workers

__all__ = ["create_app", "install_web_pages"]


def _error(status: int, code: str, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"code": code, "message": message, "status": status}, status_code=status,
                        headers=headers)


class BodyLimit:
    """Refuse request bodies over SHOTCHECK_MAX_REQUEST_BYTES before they are parsed or spooled.

    A declared Content-Length is refused at once; a chunked body is counted as it arrives and
    the request is answered 413 as soon as it passes the limit.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass through, counting body bytes."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        seen = 0
        over = False
        started = False

        async def counting_receive() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over:
                return  # whatever the app says about a cut-off body, the answer is 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not started:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"code": "TooLarge", "status": 413, "message": (
            f"the request is over {self.limit} bytes (SHOTCHECK_MAX_REQUEST_BYTES)")}).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class NoStore:
    """Add ``Cache-Control: no-store`` to every answer that does not set its own.

    Health data must not linger in shared or browser caches. A plain ASGI middleware: the
    decorator kind (BaseHTTPMiddleware) streams every body through an extra task and queue,
    which costs each 1 MB upload time on the event loop.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass through, adding the header to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_no_store)


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None, *,
               workers: int | None = None, database: Database | None = None) -> FastAPI:
    """Build the service: migrates the database now, starts worker threads with the app.

    Args:
        settings: configuration; read from SHOTCHECK_* variables when omitted.
        pipeline: the pipeline seam; the one SHOTCHECK_PIPELINE names when omitted.
        workers: worker threads started with the app; SHOTCHECK_WORKERS when omitted.
        database: an open database (tests share one); made from the settings when omitted.
    """
    settings = settings or Settings()
    pipeline = pipeline or load_pipeline(settings.pipeline, settings.rules)
    database = database or Database(settings.database_url)
    database.migrate()
    count = settings.workers if workers is None else workers
    writer = UploadWriter(database)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        started: tuple[list[Worker], list[threading.Thread]] = ([], [])
        if count:
            started = run_workers(database, settings, pipeline, count)
        try:
            yield
        finally:
            writer.close()
            for worker in started[0]:
                worker.stop()
            for thread in started[1]:
                thread.join(timeout=settings.parse_timeout_seconds + 5)

    app = FastAPI(
        title="shotcheck",
        version="1",
        summary="Intake and review of immunization records of children under six",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.pipeline = pipeline
    app.state.upload_writer = writer
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    app.add_middleware(NoStore)

    @app.exception_handler(ShotcheckError)
    async def shotcheck_error(_request: Request, exc: ShotcheckError) -> JSONResponse:
        return _error(exc.http_status, type(exc).__name__, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
        )
        return _error(422, "BadRequest", f"the request is not valid: {problems}"[:2000])

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # An unparseable body is input to fix like any other: 422, as BadInput says.
            return _error(422, "BadRequest", f"the request body cannot be parsed: {exc.detail}")
        return _error(exc.status_code, "HTTPError", str(exc.detail))

    @app.get("/healthz", tags=["health"], summary="The process answers")
    def healthz() -> dict[str, str]:
        """Liveness: no database, no authentication."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], summary="The database answers",
             responses=errors(503))
    def readyz() -> JSONResponse:
        """Readiness: 200 when the database is reachable, 503 otherwise."""
        if database.is_reachable():
            return JSONResponse({"status": "ready"})
        return _error(503, "NotReady", "the database is not reachable")

    app.include_router(routes_documents.router)
    app.include_router(routes_review.router)
    app.include_router(routes_session.router)
    return app


def install_web_pages(app: FastAPI) -> list[str]:
    """Mount the web pages other packages register under the `shotcheck.web` entry point.

    The reviewer pages (review_ui) depend on intake, never the other way round, so intake finds
    them by entry point rather than by import.

    Returns:
        The names of the installed page sets, for the startup log.
    """
    installed = []
    for entry in entry_points(group="shotcheck.web"):
        entry.load()(app)
        installed.append(entry.name)
    return installed
