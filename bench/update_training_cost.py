"""Cost of a ``trainingMode=UPDATE`` version against a FULL one, on planted synthetic data.

Users and items fall in blocks; each user takes items of their own block (Zipf-popular within
it). The base model is fitted on the data without the new items; then 2% new items arrive, taken
by users of their block. Timed, as the trainer runs them (data loading, the same for both, left
out):

* FULL: the evaluation fit on the AWS split's training users plus the final fit on all data
  (each ``fit_personalization`` includes its prior-weight calibration fit); HPO off;
* UPDATE: ``recipes.model_update.update_personalization`` on all data.

Quality of the new items: for 1,000 users who took no new item, the share of their block's new
items in their top 25 (no exploration) from the updated model and from the full refit.

Writes bench/results/update_training_cost.json and prints a table. Run it alone:
``flock /tmp/tailor-bench.lock .venv/bin/python bench/update_training_cost.py``.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recipes.histories import histories_from_interactions  # noqa: E402
from recipes.interactions import Interactions, make_interactions  # noqa: E402
from recipes.metrics import aws_split  # noqa: E402
from recipes.model_update import update_personalization  # noqa: E402
from recipes.personalization import (  # noqa: E402
    PersonalizationModel,
    PersonalizationOptions,
    fit_personalization,
    recommend,
)

RESULTS = Path(__file__).resolve().parent / "results" / "update_training_cost.json"
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
#: (name, users, items, events per user, blocks)
CASES = (
    ("ease", 20_000, 5_000, 25, 50),
    ("als", 40_000, 30_000, 25, 100),
)
NEW_ITEM_SHARE = 0.02


def planted(
    n_users: int, n_items: int, per_user: int, blocks: int, seed: int = 0
) -> tuple[Interactions, Interactions, np.ndarray]:
    """(events without the new items, all events, block of each item)."""
    rng = np.random.default_rng(seed)
    n_new = int(n_items * NEW_ITEM_SHARE)
    n_old = n_items - n_new
    old_block = np.arange(n_old) % blocks
    new_block = np.arange(n_new) % blocks
    item_block = np.concatenate([old_block, new_block])
    old_by_block = [np.flatnonzero(old_block == b) for b in range(blocks)]
    new_by_block = [n_old + np.flatnonzero(new_block == b) for b in range(blocks)]
    user_block = rng.integers(blocks, size=n_users)
    users, items = [], []
    for user in range(n_users):
        pool = old_by_block[user_block[user]]
        weights = 1.0 / np.arange(1, pool.size + 1)
        chosen = rng.choice(
            pool, min(per_user, pool.size), replace=False, p=weights / weights.sum()
        )
        users.append(np.full(chosen.size, user))
        items.append(chosen)
    base_events = np.concatenate(users).size
    for user in np.flatnonzero(rng.random(n_users) < 0.3):
        pool = new_by_block[user_block[user]]
        chosen = pool[rng.random(pool.size) < 0.5]
        users.append(np.full(chosen.size, user))
        items.append(chosen)
    user_codes, item_codes = np.concatenate(users), np.concatenate(items)
    times = np.arange(user_codes.size, dtype=np.int64) * 10
    everything = make_interactions(user_codes, item_codes, times, n_users=n_users, n_items=n_items)
    before = make_interactions(
        user_codes[:base_events],
        item_codes[:base_events],
        times[:base_events],
        n_users=n_users,
        n_items=n_old,
    )
    return before, everything, item_block


def new_item_recall(
    model: PersonalizationModel, events: Interactions, item_block: np.ndarray, n_old: int
) -> float:
    """Share of their block's new items in the top 25 of 1,000 users who took no new item."""
    histories = histories_from_interactions(events)
    took_new = np.zeros(events.n_users, bool)
    took_new[events.user_codes[events.item_codes >= n_old]] = True
    rng = np.random.default_rng(1)
    users = rng.choice(np.flatnonzero(~took_new), 1000, replace=False)
    codes, _ = recommend(model, histories.rows(users), 25)
    first_items = np.full(events.n_users, -1)
    first_items[events.user_codes[::-1]] = events.item_codes[::-1]
    blocks = item_block[first_items[users]]
    new_blocks = item_block[n_old:]
    found, possible = 0, 0
    for row, block in enumerate(blocks):
        mine = n_old + np.flatnonzero(new_blocks == block)
        found += np.isin(codes[row], mine).sum()
        possible += min(mine.size, 25)
    return found / max(possible, 1)


def run_case(name: str, n_users: int, n_items: int, per_user: int, blocks: int) -> dict:
    before, everything, item_block = planted(n_users, n_items, per_user, blocks)
    options = PersonalizationOptions(algorithm=name, num_threads=THREADS)
    base = fit_personalization(before, options=options)

    started = time.perf_counter()
    split = aws_split(everything, seed=0)
    fit_personalization(split.train, options=options)
    refit = fit_personalization(everything, options=options)
    full_seconds = time.perf_counter() - started

    started = time.perf_counter()
    updated = update_personalization(base, everything, num_threads=THREADS)
    update_seconds = time.perf_counter() - started
    return {
        "case": name,
        "users": n_users,
        "items": n_items,
        "new_items": n_items - before.n_items,
        "events": len(everything),
        "full_seconds": round(full_seconds, 3),
        "update_seconds": round(update_seconds, 3),
        "speedup": round(full_seconds / update_seconds, 1),
        "new_item_recall_at_25_update": round(
            new_item_recall(updated, everything, item_block, before.n_items), 3
        ),
        "new_item_recall_at_25_full": round(
            new_item_recall(refit, everything, item_block, before.n_items), 3
        ),
    }


def main() -> None:
    rows = [run_case(*case) for case in CASES]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs"
    RESULTS.write_text(
        json.dumps({"machine": machine, "threads": THREADS, "cases": rows}, indent=2)
    )
    header = (
        "case", "users", "items", "new_items", "events", "full_seconds", "update_seconds",
        "speedup", "new_item_recall_at_25_update", "new_item_recall_at_25_full",
    )  # fmt: skip
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(str(row[key]) for key in header))


if __name__ == "__main__":
    main()
