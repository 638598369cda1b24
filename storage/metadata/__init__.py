"""The metadata store: resources, links, tags and the jobs queue, on SQLite or PostgreSQL."""

from storage.metadata.store import MetadataStore, SqlMetadataStore, open_metadata_store

__all__ = ["MetadataStore", "SqlMetadataStore", "open_metadata_store"]
