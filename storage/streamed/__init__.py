"""Data streamed in by the events service, durable before the reply.

The event log (PutEvents) and the records of PutItems/PutUsers/PutActions, written by one
group-commit writer per process, and read back as Arrow tables for training.
"""
