"""`make run`: migrate the default database, ensure a demo station and reviewer, then serve.

The demo station key and reviewer password live in ``var/`` (git-ignored) so a second run prints
the same ones; nothing here is meant for production accounts.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

from sqlalchemy import select

from intake.accounts import authenticate_station, create_station, create_user, rotate_station_key
from intake.db import Database
from intake.models import Station, User
from intake.settings import Settings

__all__ = ["ensure_demo_accounts", "main"]

STATION = "demo-station"
REVIEWER = "demo-reviewer"


def ensure_demo_accounts(database: Database, folder: Path) -> tuple[str, str]:
    """The demo station key and reviewer password, created on first use (idempotent)."""
    folder.mkdir(parents=True, exist_ok=True)
    key_file, password_file = folder / "demo-station.key", folder / "demo-reviewer.password"
    with database.session() as db:
        key = key_file.read_text().strip() if key_file.exists() else ""
        if not key or authenticate_station(db, key) is None:
            exists = db.scalars(select(Station).where(Station.name == STATION)).first()
            key = rotate_station_key(db, STATION) if exists else create_station(db, STATION)
            key_file.write_text(key + "\n")
            key_file.chmod(0o600)
        if db.scalars(select(User).where(User.name == REVIEWER)).first() is None:
            password = secrets.token_urlsafe(12)
            create_user(db, REVIEWER, "supervisor", password)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        password = password_file.read_text().strip() if password_file.exists() else "(unknown)"
    return key, password


def main(argv: list[str] | None = None) -> int:
    """Prepare the demo accounts and run `shotcheck serve` on 127.0.0.1:8000."""
    settings = Settings()
    database = Database(settings.database_url)
    database.migrate()
    key, password = ensure_demo_accounts(database, Path("var"))
    database.dispose()
    print(f"database: {settings.database_url}   pipeline: {settings.pipeline}")
    print(f"demo station key (Authorization: Bearer …), also in var/demo-station.key:\n{key}")
    print(f"demo reviewer (supervisor role): {REVIEWER} / {password}")
    print("upload:  curl -H 'Authorization: Bearer KEY' -F file=@scan.png "
          "http://127.0.0.1:8000/api/v1/documents")
    print("review pages: http://127.0.0.1:8000/review/   API reference: http://127.0.0.1:8000/docs")
    sys.stdout.flush()
    from intake.cli import main as cli_main

    return cli_main(["serve", "--host", "127.0.0.1", "--port", "8000", *(argv or [])])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
