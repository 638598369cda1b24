"""Tailor's domain: entities, errors, ARNs, statuses and pure rules. Imports nothing of ours."""
