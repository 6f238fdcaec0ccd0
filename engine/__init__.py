"""shotcheck's engine: pure functions from an immunization record to verdicts; no I/O."""
