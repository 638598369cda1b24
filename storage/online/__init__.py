"""The online store: what the runtime reads per request.

Each user's and session's recent events, and item/user metadata. SQL (the metadata database) by
default, Redis by URL.
"""
