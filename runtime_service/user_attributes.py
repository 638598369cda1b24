"""The users' attributes for ``IF CurrentUser.X`` filter conditions.

A user's attributes are the Users dataset's bulk row of the user (the last imported one), read
when the campaign is loaded (``user_catalogue_from_table``), overlaid by the user's PutUsers
record from the online store, read per request (a PutUsers call applies at once). The bulk rows
are kept columnar: an Arrow table sorted by user id plus a sorted id array to binary-search, not a
dict per user, so a million users cost their column data, not a million Python dicts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from recipes.interactions import encode_ids
from runtime_service.model_registry import Deployment, UserCatalogue
from storage.metadata.store import MetadataStore
from storage.online.store import OnlineStore

DATASET_KIND = "dataset"
USER_ID = "USER_ID"


def user_catalogue_from_table(dataset_arn: str, table: pa.Table) -> UserCatalogue:
    """Users rows (segments concatenated in import order) as a catalogue, the last row winning.

    Args:
        dataset_arn: The Users dataset.
        table: Its rows: USER_ID and the attribute columns.

    Returns:
        One row per user, sorted by user id.

    """
    codes, distinct = encode_ids(table.column(USER_ID))
    n_rows = codes.shape[0]
    # Each user's last row: rows grouped by user, in row order; the end of each group.
    order = np.lexsort((np.arange(n_rows), codes))
    ends = np.flatnonzero(np.r_[codes[order][1:] != codes[order][:-1], True])
    last = np.empty(distinct.shape[0], np.int64)
    last[codes[order][ends]] = order[ends]
    by_id = np.argsort(distinct, kind="stable")
    attributes = table.drop_columns([USER_ID]).take(pa.array(last[by_id]))
    return UserCatalogue(dataset_arn, distinct[by_id], attributes.combine_chunks())


class UserAttributes:
    """Reads users' attributes for the served deployments."""

    def __init__(self, store: MetadataStore, online: OnlineStore) -> None:
        """Create the reader over the metadata store (datasets) and the online store."""
        self.store = store
        self.online = online

    def record(self, deployment: Deployment, user_id: str) -> dict[str, Any] | None:
        """The attributes of ``user_id`` in ``deployment``'s dataset group, or None if unknown.

        Args:
            deployment: The served campaign or recommender.
            user_id: The request's user.

        Returns:
            The bulk row's values overlaid by the PutUsers record's (a PutUsers attribute
            replaces the bulk one of the same name, whatever its case).

        """
        catalogue = deployment.users
        if catalogue is not None:
            dataset_arn = catalogue.dataset_arn
            bulk = catalogue.record(user_id)
        else:  # a Users dataset created after the deployment: PutUsers records only
            datasets = self.store.find_resources(
                [DATASET_KIND], dataset_group_arn=deployment.dataset_group_arn
            )
            users = [d.arn for d in datasets if d.document.get("datasetType") == "USERS"]
            if not users:
                return None
            dataset_arn, bulk = users[0], None
        put = self.online.get_records(dataset_arn, [user_id]).get(user_id)
        if put is None:
            return bulk
        merged = {} if bulk is None else dict(bulk)
        overridden = {name.upper() for name in put.properties}
        merged = {name: value for name, value in merged.items() if name.upper() not in overridden}
        merged.update(put.properties)
        return merged
