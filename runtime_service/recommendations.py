"""GetRecommendations and GetPersonalizedRanking over the campaigns this replica serves.

A user's history is the user's bulk-imported interactions (read when the campaign is loaded) plus
the user's recent events read from the online store on every request (the events PutEvents
acknowledged), so an event changes that user's very next recommendations without retraining;
item ids the model does not know are ignored. Filters are evaluated per request over
the model's whole item index (``runtime_service.filter_evaluation``), then the recipe ranks only
the allowed items, so an excluded item is never returned and fewer than ``numResults`` items
come back when the filter leaves fewer.

Item metadata for filters and ``metadataColumns``: the Items dataset's bulk records read when the
campaign was loaded, overlaid per request with the PutItems records of the model's items (one
online-store read over the catalogue; fine for catalogues of tens of thousands of items).
``context`` is accepted and ignored (no recipe here uses contextual metadata yet).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from domain.errors import InvalidInputException, ResourceNotFoundException
from domain.filter_expression import FilterExpression, parse_filter_expression
from domain.resources import ACTIVE
from recipes.interactions import Histories, histories_from_lists
from recipes.personalization import PersonalizationModel, rank, recommend
from recipes.popularity import PopularityModel, recommend_popular
from recipes.related_items import RelatedItemsModel, related
from runtime_service.filter_evaluation import ItemMetadata, evaluate_filter
from runtime_service.model_registry import RANKING_RECIPES, Deployment, ModelRegistry
from storage.metadata.store import MetadataStore
from storage.online.store import OnlineStore

DEFAULT_NUM_RESULTS = 25
MAX_NUM_RESULTS = 500
MAX_NUM_RESULTS_WITH_METADATA = 50
MAX_INPUT_LIST = 500
#: AWS defaults of ``itemExplorationConfig`` for User-Personalization (spec §12).
DEFAULT_EXPLORATION_WEIGHT = 0.3
DEFAULT_EXPLORATION_AGE_CUT_OFF = 30.0
EXPLORING_RECIPES = frozenset({"aws-user-personalization"})
FILTER_KIND = "filter"


@functools.lru_cache(maxsize=256)
def _parsed(expression: str) -> FilterExpression:
    return parse_filter_expression(expression)


class RuntimeOperations:
    """The PersonalizeRuntime operations, as functions over AWS-shaped dicts."""

    def __init__(self, store: MetadataStore, online: OnlineStore, registry: ModelRegistry) -> None:
        """Create the operations.

        Args:
            store: The metadata store (filters).
            online: The online store (users' recent events, PutItems/PutUsers records).
            registry: The campaigns this replica serves.

        """
        self.store = store
        self.online = online
        self.registry = registry

    def operations(self) -> dict[str, Any]:
        """The operations by AWS name, for ``servicekit.rpc_bridge.bridge_handler``."""
        return {
            "GetRecommendations": self.get_recommendations,
            "GetPersonalizedRanking": self.get_personalized_ranking,
        }

    # --- operations -----------------------------------------------------------------------------

    def get_recommendations(self, request: dict[str, Any]) -> dict[str, Any]:
        """GetRecommendations for a USER_PERSONALIZATION, POPULAR_ITEMS or RELATED_ITEMS campaign.

        Raises:
            InvalidInputException: a missing ``userId``/``itemId``, ``numResults`` too large,
                a recommender, promotions, or metadata the campaign does not allow.
            ResourceNotFoundException: the campaign (or filter) is not served/does not exist.

        """
        if request.get("recommenderArn"):
            raise InvalidInputException("recommenderArn: recommenders are not served yet")
        if request.get("promotions"):
            raise InvalidInputException("promotions: promotions are not supported yet")
        deployment = self._deployment(request.get("campaignArn"))
        columns = _metadata_columns(request, deployment)
        limit = MAX_NUM_RESULTS_WITH_METADATA if columns else MAX_NUM_RESULTS
        k = int(request.get("numResults") or DEFAULT_NUM_RESULTS)
        if k > limit:
            raise InvalidInputException(f"numResults: {k} is more than the maximum {limit}")
        model = deployment.model
        user_id = request.get("userId")
        item_id = request.get("itemId")
        events = self._user_events(deployment, user_id)
        mask = self._filter_mask(request, deployment, events, user_id, item_id)
        scored = True
        if isinstance(model, PersonalizationModel):
            if deployment.recipe in RANKING_RECIPES:
                raise InvalidInputException(
                    f"campaignArn: a {deployment.recipe} campaign answers GetPersonalizedRanking"
                )
            if not user_id:
                raise InvalidInputException("userId: required for a user-personalization campaign")
            weight, cut_off = _exploration(deployment)
            codes, scores = recommend(
                model,
                self._history(deployment, user_id, events),
                k,
                exclude_history=True,
                candidate_mask=mask,
                exploration_weight=weight,
                exploration_item_age_cut_off=cut_off,
            )
        elif isinstance(model, RelatedItemsModel):
            if not item_id:
                raise InvalidInputException("itemId: required for a related-items campaign")
            query = np.array([deployment.item_code(item_id)], np.int64)
            codes, scores = related(model, query, k, candidate_mask=mask)
            scored = False
        elif isinstance(model, PopularityModel):
            codes, scores = recommend_popular(model, k, candidate_mask=mask)
            scored = False
        else:  # pragma: no cover - the artifact format knows only these three
            raise InvalidInputException(f"campaignArn: recipe {deployment.recipe} is not served")
        picked = [(int(c), float(s)) for c, s in zip(codes[0], scores[0], strict=True) if c >= 0]
        picked_ids = [str(deployment.item_ids[c]) for c, _ in picked]
        metadata = self._item_metadata(picked_ids, deployment) if columns else {}
        item_list = []
        for code, score in picked:
            entry: dict[str, Any] = {"itemId": str(deployment.item_ids[code])}
            if scored and np.isfinite(score):
                entry["score"] = score
            if columns:
                entry["metadata"] = _metadata_of(metadata.get(entry["itemId"], {}), columns)
            item_list.append(entry)
        return {"itemList": item_list, "recommendationId": _recommendation_id()}

    def get_personalized_ranking(self, request: dict[str, Any]) -> dict[str, Any]:
        """GetPersonalizedRanking: the input list re-ordered for the user, unknown items last.

        Raises:
            InvalidInputException: more than 500 items, a campaign whose model cannot rank,
                or metadata the campaign does not allow.
            ResourceNotFoundException: the campaign (or filter) is not served/does not exist.

        """
        deployment = self._deployment(request.get("campaignArn"))
        model = deployment.model
        if not isinstance(model, PersonalizationModel):
            raise InvalidInputException(
                f"campaignArn: a {deployment.recipe} campaign cannot rank items"
            )
        input_list: list[str] = list(request.get("inputList") or [])
        if len(input_list) > MAX_INPUT_LIST:
            raise InvalidInputException(
                f"inputList: {len(input_list)} items; at most {MAX_INPUT_LIST} are allowed"
            )
        columns = _metadata_columns(request, deployment)
        user_id = request["userId"]
        events = self._user_events(deployment, user_id)
        mask = self._filter_mask(request, deployment, events, user_id, None)
        codes = np.array([deployment.item_code(item) for item in input_list], np.int64)
        order, scores = rank(model, self._history(deployment, user_id, events), codes)
        metadata = self._item_metadata(input_list, deployment) if columns else {}
        ranking = []
        for position, score in zip(order.tolist(), scores.tolist(), strict=True):
            code = int(codes[position])
            if mask is not None and code >= 0 and not mask[code]:
                continue
            entry: dict[str, Any] = {"itemId": input_list[position]}
            if code >= 0 and np.isfinite(score):
                entry["score"] = float(score)
            if columns:
                entry["metadata"] = _metadata_of(metadata.get(entry["itemId"], {}), columns)
            ranking.append(entry)
        return {"personalizedRanking": ranking, "recommendationId": _recommendation_id()}

    # --- request parts --------------------------------------------------------------------------

    def _deployment(self, campaign_arn: str | None) -> Deployment:
        if not campaign_arn:
            raise InvalidInputException("campaignArn: required")
        deployment = self.registry.get(campaign_arn)
        if deployment is None:
            raise ResourceNotFoundException(
                f"campaignArn: campaign {campaign_arn} does not exist or is not ACTIVE"
            )
        return deployment

    def _user_events(self, deployment: Deployment, user_id: str | None) -> list[Any]:
        """The user's recent events, newest first (none without a user)."""
        if not user_id:
            return []
        return self.online.recent_events(deployment.dataset_group_arn, user_id=user_id)

    @staticmethod
    def _history(deployment: Deployment, user_id: str | None, events: Sequence[Any]) -> Histories:
        """One history: the user's bulk interactions, then the streamed events' known items."""
        streamed = [(deployment.item_code(e.item_id), int(e.sent_at)) for e in reversed(events)]
        streamed = [(code, stamp) for code, stamp in streamed if code >= 0]
        codes = np.array([code for code, _ in streamed], np.int32)
        stamps = np.array([stamp for _, stamp in streamed], np.int64)
        if user_id and deployment.histories is not None:
            bulk_codes, bulk_stamps = deployment.histories.of(user_id)
            codes = np.concatenate([bulk_codes, codes])
            stamps = np.concatenate([bulk_stamps, stamps])
        return histories_from_lists([codes], [stamps])

    def _filter_mask(
        self,
        request: Mapping[str, Any],
        deployment: Deployment,
        events: Sequence[Any],
        user_id: str | None,
        item_id: str | None,
    ) -> np.ndarray | None:
        """The filter's bool (n_items,) mask of allowed items, or None without a filter."""
        filter_arn = request.get("filterArn")
        if not filter_arn:
            return None
        found = self.store.get_resource(filter_arn)
        if (
            found is None
            or found.kind != FILTER_KIND
            or found.dataset_group_arn != deployment.dataset_group_arn
        ):
            raise ResourceNotFoundException(
                f"filterArn: filter {filter_arn} does not exist in the campaign's dataset group"
            )
        if found.status != ACTIVE:
            raise InvalidInputException(f"filterArn: filter {filter_arn} is {found.status}")
        expression = _parsed(found.document["filterExpression"])
        records = self._item_metadata(deployment.item_ids.tolist(), deployment)
        columns = sorted({column for record in records.values() for column in record})
        ordered = [records.get(item, {}) for item in deployment.item_ids.tolist()]
        items = ItemMetadata(
            columns={column: [record.get(column) for record in ordered] for column in columns}
        )
        current_item = records.get(item_id) if item_id else None
        return evaluate_filter(
            expression,
            item_ids=deployment.item_ids,
            items=items,
            user_events=[(e.item_id, e.event_type) for e in events],
            user=self._user_record(deployment, user_id),
            current_item=current_item,
            filter_values=request.get("filterValues") or {},
        )

    def _item_metadata(
        self, item_ids: Sequence[str], deployment: Deployment
    ) -> dict[str, dict[str, Any]]:
        """Bulk records of ``item_ids`` overlaid with their PutItems records."""
        catalogue = deployment.items
        if catalogue is None:
            return {}
        ids = [str(item) for item in item_ids]
        merged = {item: dict(catalogue.records[item]) for item in ids if item in catalogue.records}
        for item, record in self.online.get_records(catalogue.dataset_arn, ids).items():
            merged.setdefault(item, {}).update(record.properties)
        return merged

    def _user_record(self, deployment: Deployment, user_id: str | None) -> dict[str, Any] | None:
        """The user's PutUsers record (bulk Users rows are not read by this increment)."""
        if not user_id:
            return None
        datasets = self.store.find_resources(
            ["dataset"], dataset_group_arn=deployment.dataset_group_arn
        )
        users = [d.arn for d in datasets if d.document.get("datasetType") == "USERS"]
        if not users:
            return None
        record = self.online.get_records(users[0], [user_id]).get(user_id)
        return dict(record.properties) if record is not None else None


def _exploration(deployment: Deployment) -> tuple[float, float]:
    """(explorationWeight, explorationItemAgeCutOff) of the deployed campaign config."""
    if deployment.recipe not in EXPLORING_RECIPES:
        return 0.0, DEFAULT_EXPLORATION_AGE_CUT_OFF
    config = deployment.campaign_config.get("itemExplorationConfig") or {}
    weight = float(config.get("explorationWeight", DEFAULT_EXPLORATION_WEIGHT))
    cut_off = float(config.get("explorationItemAgeCutOff", DEFAULT_EXPLORATION_AGE_CUT_OFF))
    return weight, cut_off


def _metadata_columns(request: Mapping[str, Any], deployment: Deployment) -> list[str]:
    """The Items columns ``metadataColumns`` asks for (checked against the campaign config)."""
    requested = request.get("metadataColumns") or {}
    if not requested:
        return []
    if not deployment.campaign_config.get("enableMetadataWithRecommendations"):
        raise InvalidInputException(
            "metadataColumns: the campaign's campaignConfig.enableMetadataWithRecommendations "
            "is not true"
        )
    unknown = sorted(key for key in requested if key.upper() != "ITEMS")
    if unknown:
        raise InvalidInputException(f"metadataColumns: only ITEMS is supported, got {unknown}")
    return [str(column) for values in requested.values() for column in values]


def _metadata_of(record: Mapping[str, Any], columns: Sequence[str]) -> dict[str, str]:
    """The requested columns of one item as strings (missing values left out)."""
    upper = {key.upper(): value for key, value in record.items()}
    values = {column: upper.get(column.upper()) for column in columns}
    return {column: str(value) for column, value in values.items() if value is not None}


def _recommendation_id() -> str:
    return f"RID-{uuid.uuid4().hex}"
