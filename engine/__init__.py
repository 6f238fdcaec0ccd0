"""shotcheck's engine: pure functions from an immunization record to verdicts; no I/O."""

# Before any engine module loads: the compiled build of the hot modules, when it matches the
# sources (engine/native.py).
from engine import native as _native

_native.install()
