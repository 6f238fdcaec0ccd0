"""Server-rendered reviewer pages: the queue, a document beside its fields, the child view.

`install(app)` mounts them on the app intake's factory builds; intake never imports this package.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

__all__ = ["install"]

_STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    """Mount the reviewer pages under /review: routes, templates and static files.

    Args:
        app: the app `intake.app.create_app` built (its state holds the database, settings and
            pipeline the pages use).
    """
    from review_ui import routes_child, routes_document, routes_queue
    from review_ui.web import PREFIX, PageError, error_page

    async def page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageError)
        return error_page(request, exc)

    app.add_exception_handler(PageError, page_error)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=_STATIC), name="review_static")
    app.include_router(routes_queue.router)
    app.include_router(routes_document.router)
    app.include_router(routes_child.router)

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        """The service's root opens the reviewer pages."""
        from review_ui.web import see_other

        return see_other(f"{PREFIX}/")
