"""What contract tests use to act on a target: the run's S3 workspace and job ledger, the API callers that
check every response in passing, and the syntax boundaries derived from the schemas."""
