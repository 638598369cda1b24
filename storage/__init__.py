"""Tailor's stores: metadata (SQLAlchemy), and later data, artifacts and online state."""
