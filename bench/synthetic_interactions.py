"""Synthetic interactions with planted topics, for the training benches.

About 140,000 users and 27,000 items, power-law user activity and Zipf item popularity, planted
topic structure (each user mostly follows two of 32 topics), timestamps over 120 days. Seeded:
the same ``rows`` always give the same file.
"""

from __future__ import annotations

import json
from pathlib import Path

N_USERS, N_ITEMS, N_TOPICS = 140_000, 27_000, 32
SPAN_SECONDS = 120 * 86_400
START_TIME = 1_700_000_000
CHUNK_ROWS = 2_000_000
FIELDS = (("USER_ID", "string"), ("ITEM_ID", "string"), ("EVENT_TYPE", "string"))
#: The Interactions schema of the generated CSV.
SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "Interactions",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [{"name": n, "type": t} for n, t in (*FIELDS, ("TIMESTAMP", "long"))],
        "version": "1.0",
    }
)


def generate(path: Path, rows: int) -> None:
    """Write ``rows`` synthetic interactions with planted topics to ``path`` (CSV)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    rng = np.random.default_rng(7)
    activity = rng.pareto(1.5, N_USERS) + 0.05
    user_cdf = np.cumsum(activity / activity.sum())
    primary = rng.integers(0, N_TOPICS, N_USERS)
    secondary = rng.integers(0, N_TOPICS, N_USERS)
    item_topic = rng.integers(0, N_TOPICS, N_ITEMS)
    # Zipf popularity (exponent 1) over a random permutation of the catalogue.
    popularity = 1.0 / (1.0 + rng.permutation(N_ITEMS))
    by_topic = np.argsort(item_topic, kind="stable")
    topic_cdf = np.zeros(N_ITEMS)
    for topic in range(N_TOPICS):
        members = by_topic[item_topic[by_topic] == topic]
        weights = popularity[members]
        topic_cdf[item_topic[by_topic] == topic] = topic + np.cumsum(weights) / weights.sum()
    global_cdf = np.cumsum(popularity / popularity.sum())
    event_types = np.array(["click", "view", "purchase"])
    options = pa_csv.WriteOptions(include_header=True, quoting_style="none")
    partial = path.with_suffix(".partial")
    with pa_csv.CSVWriter(partial, csv_schema(), write_options=options) as writer:
        for start in range(0, rows, CHUNK_ROWS):
            n = min(CHUNK_ROWS, rows - start)
            users = np.minimum(np.searchsorted(user_cdf, rng.random(n)), N_USERS - 1)
            route = rng.random(n)
            topic = np.where(route < 0.65, primary[users], secondary[users])
            position = np.searchsorted(topic_cdf, topic + rng.random(n))
            in_topic = by_topic[np.minimum(position, N_ITEMS - 1)]
            anywhere = np.minimum(np.searchsorted(global_cdf, rng.random(n)), N_ITEMS - 1)
            items = np.where(route < 0.85, in_topic, anywhere)
            table = pa.table(
                {
                    "USER_ID": pa.array(np.char.add("u", users.astype(str))),
                    "ITEM_ID": pa.array(np.char.add("i", items.astype(str))),
                    "EVENT_TYPE": pa.array(event_types[rng.integers(0, 3, n)]),
                    "TIMESTAMP": pa.array(START_TIME + rng.integers(0, SPAN_SECONDS, n)),
                }
            )
            writer.write_table(table)
    partial.rename(path)


def csv_schema():
    """The generated CSV's Arrow schema (ids as strings, TIMESTAMP int64)."""
    import pyarrow as pa

    return pa.schema([*((name, pa.string()) for name, _ in FIELDS), ("TIMESTAMP", pa.int64())])
