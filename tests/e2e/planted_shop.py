"""A small shop with planted structure for the whole-workflow test, written as CSV files.

100 items, half "books" and half "garden"; 300 users in two equal clusters, each user's events
going mostly (90%) to their cluster's category, popular items more often (Zipf-like inside a
category), the rest anywhere; 10% of events are purchases.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = ("books", "garden")
N_ITEMS, N_USERS, EVENTS_PER_USER = 100, 300, 20
CATEGORY_SHARE, PURCHASE_SHARE = 0.9, 0.1
DAY = 86_400
SCHEMA_FIELDS = {
    "Interactions": [
        {"name": "USER_ID", "type": "string"},
        {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
        {"name": "EVENT_TYPE", "type": "string"},
    ],
    "Items": [
        {"name": "ITEM_ID", "type": "string"},
        {"name": "CATEGORY", "type": "string", "categorical": True},
        {"name": "CREATION_TIMESTAMP", "type": "long"},
    ],
}


@dataclass(frozen=True)
class PlantedShop:
    """The generated shop.

    Attributes:
        category_of: Each item's category.
        cluster_of: Each user's category.
        events: ``(user, item, timestamp, event_type)`` rows.
        created_at: The items' creation time (all the same, long before the events).
    """

    category_of: dict[str, str]
    cluster_of: dict[str, str]
    events: list[tuple[str, str, int, str]]
    created_at: int

    def items_in(self, category: str) -> list[str]:
        """The items of ``category``, most popular first (the order events were drawn by)."""
        return [item for item, cat in self.category_of.items() if cat == category]

    def users_in(self, category: str) -> list[str]:
        """The users of ``category``'s cluster, in id order."""
        return [user for user, cat in self.cluster_of.items() if cat == category]

    def history(self, user: str) -> list[tuple[str, str]]:
        """``(item, event_type)`` of the user's imported events."""
        return [(item, kind) for who, item, _, kind in self.events if who == user]

    def write_csvs(self, directory: Path) -> dict[str, Path]:
        """interactions.csv and items.csv; their paths by dataset type."""
        directory.mkdir(parents=True, exist_ok=True)
        lines = {
            "Interactions": ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE"]
            + [f"{user},{item},{stamp},{kind}" for user, item, stamp, kind in self.events],
            "Items": ["ITEM_ID,CATEGORY,CREATION_TIMESTAMP"]
            + [f"{item},{cat},{self.created_at}" for item, cat in self.category_of.items()],
        }
        paths = {}
        for dataset_type, rows in lines.items():
            paths[dataset_type] = directory / f"{dataset_type.lower()}.csv"
            paths[dataset_type].write_text("\n".join(rows) + "\n", encoding="utf-8")
        return paths


def plant_shop(now: int, seed: int = 7) -> PlantedShop:
    """Two user clusters, each preferring one category; Zipf-like popularity inside a category.

    Events span the 60 days before ``now`` minus an hour; items were created 400 days before, so
    exploration (which favours items younger than 30 days) leaves every item alone.
    """
    rng = random.Random(seed)
    category_of = {f"item-{n:03d}": CATEGORIES[n % 2] for n in range(N_ITEMS)}
    catalogue = list(category_of)
    by_category = {cat: [i for i in catalogue if category_of[i] == cat] for cat in CATEGORIES}
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(N_ITEMS // len(CATEGORIES))]
    end = now - 3600
    start = end - 60 * DAY
    cluster_of, events = {}, []
    for n in range(N_USERS):
        user = f"user-{n:03d}"
        cluster_of[user] = CATEGORIES[n % 2]
        for _ in range(EVENTS_PER_USER):
            if rng.random() < CATEGORY_SHARE:
                item = rng.choices(by_category[cluster_of[user]], weights=weights)[0]
            else:
                item = rng.choice(catalogue)
            kind = "purchase" if rng.random() < PURCHASE_SHARE else "click"
            events.append((user, item, start + rng.randrange(end - start), kind))
    return PlantedShop(category_of, cluster_of, events, start - 400 * DAY)


def avro_schema(dataset_type: str) -> str:
    """The Avro schema JSON of ``dataset_type`` (``Interactions`` or ``Items``)."""
    return json.dumps(
        {
            "type": "record",
            "name": dataset_type,
            "namespace": "com.amazonaws.personalize.schema",
            "fields": SCHEMA_FIELDS[dataset_type],
            "version": "1.0",
        }
    )
