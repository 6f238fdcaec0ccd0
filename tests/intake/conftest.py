"""Fixtures of the service tests (defined in intake_support, a module with a unique name)."""

from intake_support import make_service, service

__all__ = ["make_service", "service"]
