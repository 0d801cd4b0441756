"""The one generic spider; every YAML source becomes a subclass of it (see factory.py)."""
