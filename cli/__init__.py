"""Command-line tools for Tailor."""
