"""A generated sample shop for ``tailor quickstart``: items in categories, users, months of events.

Every user prefers one or two categories and mostly views (sometimes buys) popular items of
those; a few events land elsewhere. The structure is planted so that a personalization model
finds each user's categories and popularity alone cannot.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES = ("books", "electronics", "garden", "kitchen", "sports", "toys")
MEMBERSHIPS = ("basic", "plus", "premium")
DAY_SECONDS = 86_400
FAVOURITE_SHARE = 0.92
PURCHASE_SHARE = 0.12


def _schema(name: str, fields: list[dict]) -> str:
    return json.dumps(
        {
            "type": "record",
            "name": name,
            "namespace": "com.amazonaws.personalize.schema",
            "fields": fields,
            "version": "1.0",
        }
    )


SCHEMAS: dict[str, str] = {
    "Interactions": _schema(
        "Interactions",
        [
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
            {"name": "EVENT_TYPE", "type": "string"},
        ],
    ),
    "Items": _schema(
        "Items",
        [
            {"name": "ITEM_ID", "type": "string"},
            {"name": "CATEGORY", "type": "string", "categorical": True},
            {"name": "PRICE", "type": "float"},
            {"name": "CREATION_TIMESTAMP", "type": "long"},
        ],
    ),
    "Users": _schema(
        "Users",
        [
            {"name": "USER_ID", "type": "string"},
            {"name": "MEMBERSHIP", "type": "string", "categorical": True},
        ],
    ),
}


@dataclass
class Shop:
    """The generated shop.

    Attributes:
        category_of: Each item's category.
        price_of: Each item's price.
        created_at: Each item's creation time (epoch seconds).
        membership_of: Each user's membership tier.
        favourites: Each user's preferred categories.
        events: ``(user, item, timestamp, event_type)`` rows, oldest first.
    """

    category_of: dict[str, str] = field(default_factory=dict)
    price_of: dict[str, float] = field(default_factory=dict)
    created_at: dict[str, int] = field(default_factory=dict)
    membership_of: dict[str, str] = field(default_factory=dict)
    favourites: dict[str, list[str]] = field(default_factory=dict)
    events: list[tuple[str, str, int, str]] = field(default_factory=list)

    def items_in(self, category: str) -> list[str]:
        """The items of ``category``, in id order."""
        return [item for item, cat in self.category_of.items() if cat == category]

    def touched(self, user: str) -> Counter[str]:
        """How many of ``user``'s events fall in each category."""
        return Counter(self.category_of[item] for who, item, _, _ in self.events if who == user)

    def purchased(self, user: str) -> set[str]:
        """The items ``user`` bought."""
        return {item for who, item, _, kind in self.events if who == user and kind == "purchase"}

    def demo_user(self) -> tuple[str, str]:
        """A user worth showing, and a category they never touched.

        Among the users with an untouched category, the one with the most items of their
        favourite categories still unseen (so that their recommendations can show them), then
        the longest history.
        """
        touched: dict[str, Counter[str]] = {user: Counter() for user in self.membership_of}
        seen: dict[str, set[str]] = {user: set() for user in self.membership_of}
        for user, item, _, _ in self.events:
            touched[user][self.category_of[item]] += 1
            seen[user].add(item)
        sizes = Counter(self.category_of.values())
        best: tuple[tuple[int, int], str, str] | None = None
        for user, counts in touched.items():
            untouched = [category for category in CATEGORIES if category not in counts]
            favourites = self.favourites[user]
            unseen = sum(sizes[c] for c in favourites) - sum(
                self.category_of[item] in favourites for item in seen[user]
            )
            rank = (unseen, sum(counts.values()))
            if untouched and (best is None or rank > best[0]):
                best = (rank, user, untouched[0])
        if best is None:  # every user touched everything: take the least touched category
            user = next(iter(self.membership_of))
            return user, min(CATEGORIES, key=lambda category: touched[user][category])
        return best[1], best[2]

    def write_csvs(self, directory: Path) -> dict[str, Path]:
        """Write interactions.csv, items.csv and users.csv; their paths by dataset type."""
        directory.mkdir(parents=True, exist_ok=True)
        rows = {
            "Interactions": ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE"]
            + [f"{u},{i},{t},{kind}" for u, i, t, kind in self.events],
            "Items": ["ITEM_ID,CATEGORY,PRICE,CREATION_TIMESTAMP"]
            + [
                f"{item},{cat},{self.price_of[item]:.2f},{self.created_at[item]}"
                for item, cat in self.category_of.items()
            ],
            "Users": ["USER_ID,MEMBERSHIP"]
            + [f"{user},{tier}" for user, tier in self.membership_of.items()],
        }
        paths = {}
        for dataset_type, lines in rows.items():
            path = directory / f"{dataset_type.lower()}.csv"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            paths[dataset_type] = path
        return paths


def generate_shop(
    *, users: int, items: int, days: int, seed: int, now: int, events_per_user: int = 30
) -> Shop:
    """Generate a shop whose events span the ``days`` before ``now``.

    Args:
        users: Number of users (``user-0001`` ...).
        items: Number of items (``item-0001`` ...), spread round-robin over :data:`CATEGORIES`.
        days: Length of the event history in days.
        seed: Random seed; the same arguments give the same shop.
        now: Epoch seconds of the newest possible event.
        events_per_user: Mean events per user (each user gets half to one and a half times it).

    Returns:
        The shop.
    """
    rng = random.Random(seed)
    shop = Shop()
    start = now - days * DAY_SECONDS
    width = len(str(max(users, items)))
    for n in range(items):
        item = f"item-{n + 1:0{width}d}"
        shop.category_of[item] = CATEGORIES[n % len(CATEGORIES)]
        shop.price_of[item] = round(rng.uniform(3, 250), 2)
        shop.created_at[item] = start - rng.randrange(365 * DAY_SECONDS)
    by_category = {category: shop.items_in(category) for category in CATEGORIES}
    # Zipf-like popularity inside each category.
    weights = {
        cat: [1.0 / (rank + 1) ** 0.8 for rank in range(len(ids))]
        for cat, ids in by_category.items()
    }
    catalogue = list(shop.category_of)
    for n in range(users):
        user = f"user-{n + 1:0{width}d}"
        shop.membership_of[user] = rng.choices(MEMBERSHIPS, weights=(6, 3, 1))[0]
        favourites = rng.sample(CATEGORIES, rng.choice((1, 2)))
        shop.favourites[user] = favourites
        for _ in range(rng.randint(events_per_user // 2, events_per_user * 3 // 2)):
            if rng.random() < FAVOURITE_SHARE:
                category = rng.choice(favourites)
                item = rng.choices(by_category[category], weights=weights[category])[0]
            else:
                item = rng.choice(catalogue)
            kind = "purchase" if rng.random() < PURCHASE_SHARE else "view"
            shop.events.append((user, item, start + rng.randrange(days * DAY_SECONDS), kind))
    shop.events.sort(key=lambda event: event[2])
    return shop
