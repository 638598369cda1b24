"""Recommendation ids never repeat, within a process or across a fork."""

from __future__ import annotations

import os

from runtime_service.recommendation_ids import recommendation_id


def test_ids_are_unique_within_a_process():
    ids = [recommendation_id() for _ in range(1000)]
    assert len(set(ids)) == 1000
    assert all(i.startswith("RID-") and len(i) <= 40 for i in ids)


def test_a_forked_child_draws_its_own_prefix():
    parent = recommendation_id()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its first id, then leave at once
        os.write(write, recommendation_id().encode())
        os._exit(0)
    os.close(write)
    child = os.read(read, 100).decode()
    os.close(read)
    os.waitpid(pid, 0)
    assert child[4:20] != parent[4:20]
    assert child != recommendation_id()
