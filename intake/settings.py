"""Service settings, read once from ``SHOTCHECK_*`` environment variables (pydantic-settings).

Every setting below can be given as an environment variable named ``SHOTCHECK_`` followed by the
field name in upper case (``SHOTCHECK_DATABASE_URL``); docs/operations.md repeats this table.

======================  ============================  ==============================================
setting                 default                       meaning
======================  ============================  ==============================================
DATABASE_URL            sqlite:///./var/shotcheck.db  SQLAlchemy URL; ``postgresql+psycopg://…``
                                                      to scale out
PIPELINE                real                          ``real`` or ``module:attribute`` of a
                                                      Pipeline (fakes: ``intake.fakes:…``)
RULES                   calworks-sc                   rule pack the engine check uses
AUTO_ACCEPT             true                          accept documents that need no review
MAX_REQUEST_BYTES       104857600                     one upload request, all files together
MAX_FILE_BYTES          52428800                      one file (shared with the extractor)
MAX_FILES_PER_REQUEST   20                            files in one upload request
MAX_PAGES               20                            pages or frames of one file (shared)
MAX_PAGE_PIXELS         40000000                      pixels of one page (shared)
MAX_DECODED_BYTES       268435456                     bytes a PDF's streams may inflate to
PARSE_TIMEOUT_SECONDS   120                           wall time of one document's parsing
PARSE_MEMORY_MB         2048                          address space of the parsing process
WORKERS                 2                             worker threads inside ``shotcheck serve``
LEASE_SECONDS           60                            a claimed job's lease (renewed while busy)
MAX_ATTEMPTS            3                             attempts before a job is dead
RETRY_BASE_SECONDS      5                             first retry delay, doubled each attempt
RETRY_MAX_SECONDS       600                           longest retry delay
POLL_SECONDS            1.0                           an idle worker's wait between claims
CLAIM_MINUTES           30                            a reviewer's claim on a document lasts
SESSION_IDLE_MINUTES    30                            reviewer session idle timeout
SESSION_ABSOLUTE_HOURS  12                            reviewer session absolute timeout
COOKIE_SECURE           false                         mark the session cookie Secure (HTTPS)
======================  ============================  ==============================================
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_DATABASE_URL", "Settings"]

DEFAULT_DATABASE_URL = "sqlite:///./var/shotcheck.db"


class Settings(BaseSettings):
    """The service's configuration; see the module docstring for the table of variables."""

    # extra="ignore": the extractor reads its own SHOTCHECK_* variables from the same environment.
    model_config = SettingsConfigDict(env_prefix="SHOTCHECK_", frozen=True, extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    pipeline: str = "real"
    rules: str = "calworks-sc"
    auto_accept: bool = True

    max_request_bytes: int = Field(default=100 * 1024 * 1024, gt=0)
    max_file_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    max_files_per_request: int = Field(default=20, gt=0)
    max_pages: int = Field(default=20, gt=0)
    max_page_pixels: int = Field(default=40_000_000, gt=0)
    max_decoded_bytes: int = Field(default=256 * 1024 * 1024, gt=0)
    parse_timeout_seconds: float = Field(default=120.0, gt=0)
    parse_memory_mb: int = Field(default=2048, ge=64)

    workers: int = Field(default=2, ge=0)
    lease_seconds: float = Field(default=60.0, gt=0)
    max_attempts: int = Field(default=3, ge=1)
    retry_base_seconds: float = Field(default=5.0, ge=0)
    retry_max_seconds: float = Field(default=600.0, ge=0)
    poll_seconds: float = Field(default=1.0, gt=0)

    claim_minutes: float = Field(default=30.0, gt=0)
    session_idle_minutes: float = Field(default=30.0, gt=0)
    session_absolute_hours: float = Field(default=12.0, gt=0)
    cookie_secure: bool = False
