"""The officers' review UI: FastAPI + Jinja2, server-rendered Chinese pages. See ``create_app``."""
