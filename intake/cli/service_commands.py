"""Subcommands of the service: serve, worker, watch, stations, users, audit."""

from __future__ import annotations

import argparse
import gc
import getpass
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from engine import native
from intake.settings import Settings

__all__ = ["register"]


def _database(settings: Settings) -> Any:
    from intake.db import Database

    database = Database(settings.database_url)
    database.migrate()
    return database


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from intake.app import create_app, install_web_pages

    settings = Settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # The upload writer thread releases the GIL around every SQLite call; with the request
    # threads busy parsing multipart bodies, the default 5 ms switch interval makes it wait up to
    # 5 ms to get the GIL back each time, which caps uploads per second. 0.5 ms does not.
    sys.setswitchinterval(0.0005)
    app = create_app(settings, workers=args.workers)
    pages = install_web_pages(app)
    logging.getLogger("shotcheck").info("web pages: %s", ", ".join(pages) or "none installed")
    logging.getLogger("shotcheck").info("engine: %s", native.status())
    # Everything imported and built so far lives as long as the process: keep it out of the
    # collector's full passes, which otherwise stall uploads by 50-100 ms when one traverses
    # this heap (bench/intake_load.py: the p99 spikes went with it).
    gc.collect()
    gc.freeze()
    # No access log: request lines carry document ids only, but a quiet log is the safer default
    # for a service holding children's health data.
    uvicorn.run(app, host=args.host, port=args.port, access_log=args.access_log,
                log_level="info")
    return 0


def _worker(args: argparse.Namespace) -> int:
    from intake.pipeline import load_pipeline
    from intake.worker import Worker

    settings = Settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    database = _database(settings)
    pipeline = load_pipeline(settings.pipeline, settings.rules)
    logging.getLogger("shotcheck").info("engine: %s", native.status())
    workers = [Worker(database, settings, pipeline) for _ in range(args.threads)]
    threads = [threading.Thread(target=w.run, daemon=True) for w in workers]

    def stop(_signum: int, _frame: object) -> None:
        for worker in workers:
            worker.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=0.5)
    return 0


def _watch(args: argparse.Namespace) -> int:
    from intake.watch import HotFolder

    key = Path(args.key_file).read_text(encoding="utf-8").strip().splitlines()[-1].strip()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    folder = HotFolder(Path(args.directory), args.server, key, case_number=args.case_number,
                       settle_seconds=args.settle_seconds)
    if args.once:
        folder.scan_once()
        return 0
    folder.run(interval=args.interval)
    return 0


def _stations_add(args: argparse.Namespace) -> int:
    from intake.accounts import create_station

    database = _database(Settings())
    with database.session() as db:
        key = create_station(db, args.name)
    print(f"station {args.name!r} added; its key (shown only now, keep it in the key file):")
    print(key)
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            from engine.errors import BadInput

            raise BadInput("the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def _users_add(args: argparse.Namespace) -> int:
    from intake.accounts import create_user

    password = _read_password(args)
    database = _database(Settings())
    with database.session() as db:
        create_user(db, args.name, args.role, password)
    print(f"user {args.name!r} added with role {args.role}")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from intake.audit import events_for

    database = _database(Settings())
    with database.session() as db:
        events = events_for(db, args.document_id)
        for event in events:
            print(f"{event.at:%Y-%m-%dT%H:%M:%SZ}\t{event.actor}\t{event.action}"
                  f"\t{event.detail or ''}")
    if not events:
        from intake.errors import NotFound

        raise NotFound(f"no audit events for document {args.document_id!r}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the service's subcommands to the `shotcheck` parser."""
    serve = sub.add_parser("serve", help="run the API with in-process workers")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None,
                       help="worker threads (default SHOTCHECK_WORKERS)")
    serve.add_argument("--access-log", action="store_true", help="log every request line")
    serve.set_defaults(handler=_serve)

    worker = sub.add_parser("worker", help="run queue workers (scale-out)")
    worker.add_argument("--threads", type=int, default=1, help="workers in this process")
    worker.set_defaults(handler=_worker)

    watch = sub.add_parser("watch", help="upload new files of a scanning station's folder")
    watch.add_argument("directory")
    watch.add_argument("--server", required=True, help="e.g. http://127.0.0.1:8000")
    watch.add_argument("--key-file", required=True, help="file holding the station key")
    watch.add_argument("--case-number", default=None)
    watch.add_argument("--interval", type=float, default=2.0, help="seconds between scans")
    watch.add_argument("--settle-seconds", type=float, default=2.0,
                       help="a file's size must hold this long before it is sent")
    watch.add_argument("--once", action="store_true", help="scan once and exit")
    watch.set_defaults(handler=_watch)

    stations = sub.add_parser("stations", help="scanning stations").add_subparsers(
        dest="stations_command", required=True)
    add_station = stations.add_parser("add", help="add a station and print its key")
    add_station.add_argument("name")
    add_station.set_defaults(handler=_stations_add)

    users = sub.add_parser("users", help="reviewer accounts").add_subparsers(
        dest="users_command", required=True)
    add_user = users.add_parser("add", help="add a user (password from a prompt or stdin)")
    add_user.add_argument("name")
    add_user.add_argument("--role", choices=["reviewer", "supervisor", "admin"],
                          default="reviewer")
    add_user.set_defaults(handler=_users_add)

    audit = sub.add_parser("audit", help="print a document's audit log")
    audit.add_argument("document_id")
    audit.set_defaults(handler=_audit)
