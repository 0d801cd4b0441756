"""The core everything else stands on: settings, the store, the source schema, the review rules,
audit, health and statistics queries. It imports nothing above it (crawler/, review_ui/,
firewatch.evidence, the CLI, the demo); a contract in pyproject.toml keeps it so."""
