"""Served-model quality: the evaluation model refreshed on all data against a full refit.

GetSolutionMetrics score the evaluation model, so they cannot tell whether the served model (the
evaluation model refreshed on every event, ``recipes.model_refresh``) is as good as the second
full fit it replaced. This bench holds out an outer AWS split (seed 1: the newest 10% of the
events of 10% of the users) of the synthetic interactions of ``bench/training_cost.py``, trains
on the rest exactly as ``trainer.solution_training`` does (inner AWS split, seed 0: fit on its
training users, then refresh on all) and as it did (a full fit on all), and scores the outer
users' held-out events from their older ones with each model:

    flock /tmp/tailor-bench.lock .venv/bin/python bench/refresh_quality.py [--size 5M]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic_interactions import csv_schema, generate  # noqa: E402

DATA_DIR = Path(__file__).resolve().parent / ".data"
SIZES = {"1M": 1_000_000, "5M": 5_000_000, "20M": 20_000_000}
HYPERPARAMETERS = {"hidden_dimension": "64", "bptt": "32", "recency_mask": "true"}


def main() -> int:
    """Fit, refresh and refit one size; print and return the outer split's metrics."""
    import pyarrow.csv as pa_csv

    from recipes.evaluation import aws_split, evaluate
    from recipes.fitting import fit_recipe
    from recipes.interactions import encode_ids, make_interactions
    from recipes.model_refresh import refresh_personalization

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="5M", choices=sorted(SIZES))
    args = parser.parse_args()
    path = DATA_DIR / f"training-{SIZES[args.size]}.csv"
    if not path.exists():
        DATA_DIR.mkdir(exist_ok=True)
        generate(path, SIZES[args.size])
    convert = pa_csv.ConvertOptions(column_types=csv_schema())
    table = pa_csv.read_csv(path, convert_options=convert)
    users, _ = encode_ids(table["USER_ID"])
    items, _ = encode_ids(table["ITEM_ID"])
    events = make_interactions(users, items, table["TIMESTAMP"].to_numpy())
    del table
    outer = aws_split(events, seed=1)
    served_data = events.select(~outer.held_out_events)
    seconds: dict[str, float] = {}

    def timed(name: str, function, *arguments, **keywords):
        started = time.perf_counter()
        result = function(*arguments, **keywords)
        seconds[name] = round(time.perf_counter() - started, 1)
        return result

    inner = aws_split(served_data, seed=0)
    evaluated = timed(
        "fit on split.train", fit_recipe, "aws-user-personalization", inner.train, HYPERPARAMETERS
    )
    del inner
    refreshed = timed("refresh on all", refresh_personalization, evaluated, served_data)
    refit = timed(
        "fit on all", fit_recipe, "aws-user-personalization", served_data, HYPERPARAMETERS
    )
    key = "normalized_discounted_cumulative_gain_at_25"
    result = {
        "size": args.size,
        "events": len(events),
        "outer_test_users": int(outer.test_user_codes.size),
        "seconds": seconds,
        "ndcg_at_25": {
            "evaluation model (split.train)": evaluate(evaluated, outer)[key],
            "served: refreshed on all": evaluate(refreshed, outer)[key],
            "before: full refit on all": evaluate(refit, outer)[key],
        },
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
