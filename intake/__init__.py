"""shotcheck's service: upload API, storage, durable queue, workers, accounts and the CLI."""
