"""The review rules, one home for the UI and the CLI alike: statuses, decisions, cases and what
an export needs."""
