"""GetRecommendations and GetPersonalizedRanking over the campaigns this replica serves.

GetRecommendations also serves recommenders (``recommenderArn``): the model of the custom recipe
the use case was trained as, with the use case's request rules and exclusions
(``runtime_service.use_cases``) and its ``recommenderConfig`` (exploration, metadata).
Promotions: ``runtime_service.promotions``.

A user's history is the user's bulk-imported interactions (read when the campaign is loaded) plus
the user's recent events read from the online store on every request (the events PutEvents
acknowledged), so an event changes that user's very next recommendations without retraining;
item ids the model does not know are ignored. Filters are evaluated per request over
the model's whole item index (``runtime_service.request_filters``), then the recipe ranks only
the allowed items, so an excluded item is never returned and fewer than ``numResults`` items
come back when the filter leaves fewer.

Item metadata for filters and ``metadataColumns``: the Items dataset's bulk records read when the
campaign was loaded, overlaid with the PutItems records of the model's items. Filters read them as
columns built once per deployment and rebuilt when the online store's records version of the
Items dataset changes (``runtime_service.item_columns``), so a PutItems call applies from the
next request. ``context`` is accepted and ignored (no recipe here uses
contextual metadata yet).

Speed (issue 5): each GetRecommendations is scored on its own calling thread by default; BLAS
runs one thread per call (``wiring``). Scoring concurrent requests together
(``runtime_service.scoring_batcher``) is available but off: with scoring at about 0.2 ms per user,
waking every waiting caller after its batch cost more of the process's one core than the shared
matrix product saved (bench, 2 cores, 64 calls in flight: 2,049 calls/s scoring alone against
1,617 batched, p99 at 500/s 7.2 ms against 14 ms).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from domain.errors import InvalidInputException, ResourceNotFoundException
from recipes.interactions import Histories, histories_from_lists
from recipes.personalization import PersonalizationModel, rank, recommend
from recipes.popularity import PopularityModel, recommend_popular
from recipes.related_items import RelatedItemsModel, related
from recipes.score_normalization import input_list_softmax
from runtime_service.item_columns import ItemColumnsCache
from runtime_service.model_registry import RANKING_RECIPES, Deployment, ModelRegistry
from runtime_service.promotions import merge_promoted, promoted_slots, promotion_of
from runtime_service.recommendation_ids import recommendation_id
from runtime_service.request_filters import FilterMasks
from runtime_service.scoring_batcher import ScoringBatcher
from runtime_service.use_cases import rules_of
from runtime_service.user_attributes import UserAttributes
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


class RuntimeOperations:
    """The PersonalizeRuntime operations, as functions over AWS-shaped dicts."""

    def __init__(
        self,
        store: MetadataStore,
        online: OnlineStore,
        registry: ModelRegistry,
        batcher: ScoringBatcher | None = None,
    ) -> None:
        """Create the operations.

        Args:
            store: The metadata store (filters).
            online: The online store (users' recent events, PutItems/PutUsers records).
            registry: The campaigns this replica serves.
            batcher: Scores concurrent GetRecommendations together; None (the default) scores
                each on its calling thread.

        """
        self.store = store
        self.online = online
        self.registry = registry
        self.batcher = batcher
        self._recommend = batcher.recommend if batcher is not None else recommend
        self.item_columns = ItemColumnsCache(online)
        self.filters = FilterMasks(store, self.item_columns, UserAttributes(store, online))

    def operations(self) -> dict[str, Any]:
        """The operations by AWS name, for ``servicekit.rpc_bridge.bridge_handler``."""
        return {
            "GetRecommendations": self.get_recommendations,
            "GetPersonalizedRanking": self.get_personalized_ranking,
        }

    # --- operations -----------------------------------------------------------------------------

    def get_recommendations(self, request: dict[str, Any]) -> dict[str, Any]:
        """GetRecommendations of a campaign or a recommender (exactly one of them).

        Raises:
            InvalidInputException: both or neither of ``campaignArn``/``recommenderArn``, a
                missing ``userId``/``itemId``, ``numResults`` too large, a bad promotion, or
                metadata the campaign (recommender) does not allow.
            ResourceNotFoundException: the campaign, recommender or a filter is not
                served/does not exist.

        """
        deployment = self._served(request)
        columns = _metadata_columns(request, deployment)
        limit = MAX_NUM_RESULTS_WITH_METADATA if columns else MAX_NUM_RESULTS
        k = int(request.get("numResults") or DEFAULT_NUM_RESULTS)
        if k > limit:
            raise InvalidInputException(f"numResults: {k} is more than the maximum {limit}")
        user_id = request.get("userId")
        item_id = request.get("itemId")
        _check_ids(deployment, user_id, item_id)
        promotion = promotion_of(request)
        events = self._user_events(deployment, user_id)
        mask = self.filters.mask(
            request.get("filterArn"),
            request.get("filterValues") or {},
            deployment,
            events,
            user_id,
            item_id,
        )
        history = None
        if isinstance(deployment.model, PersonalizationModel):
            history = self._history(deployment, user_id, events)
        excluded = self._excluded_codes(deployment, user_id, events)
        picked = self._top(deployment, history, item_id, k, _without(mask, excluded, deployment))
        merged = [(code, score, False) for code, score in picked]
        if promotion is not None:
            promoted_mask = self.filters.mask(
                promotion["filterArn"],
                promotion.get("filterValues") or {},
                deployment,
                events,
                user_id,
                item_id,
                where="promotions[0].",
            )
            slots = promoted_slots(k, promotion["percentPromotedItems"])
            promoted_mask = _without(promoted_mask, excluded, deployment)
            promoted = self._top(deployment, history, item_id, slots, promoted_mask)
            merged = merge_promoted(promoted, picked, k)
        scored = isinstance(deployment.model, PersonalizationModel)
        picked_ids = [deployment.item_id(code) for code, _, _ in merged]
        metadata = self._item_metadata(picked_ids, deployment) if columns else {}
        item_list = []
        for (_code, score, is_promoted), picked_id in zip(merged, picked_ids, strict=True):
            entry: dict[str, Any] = {"itemId": picked_id}
            if scored and math.isfinite(score):
                entry["score"] = score
            if is_promoted:
                entry["promotionName"] = promotion["name"]  # type: ignore[index]
            if columns:
                entry["metadata"] = _metadata_of(metadata.get(picked_id, {}), columns)
            item_list.append(entry)
        return {"itemList": item_list, "recommendationId": recommendation_id()}

    def _top(
        self,
        deployment: Deployment,
        history: Histories | None,
        item_id: str | None,
        k: int,
        mask: np.ndarray | None,
    ) -> list[tuple[int, float]]:
        """The model's k best (item code, score) under ``mask`` (bool (n_items,) or None)."""
        model = deployment.model
        if isinstance(model, PersonalizationModel):
            assert history is not None
            weight, cut_off = _exploration(deployment)
            codes, scores = self._recommend(
                model,
                history,
                k,
                candidate_mask=mask,
                exploration_weight=weight,
                exploration_item_age_cut_off=cut_off,
                exclude_history=deployment.use_case is None,
                # Spec §10.4: User-Personalization scores are the softmax over the catalogue.
                normalised_scores=True,
            )
        elif isinstance(model, RelatedItemsModel):
            query = np.array([deployment.item_code(item_id or "")], np.int64)
            codes, scores = related(model, query, k, candidate_mask=mask)
        elif isinstance(model, PopularityModel):
            codes, scores = recommend_popular(model, k, candidate_mask=mask)
        else:  # pragma: no cover - the artifact format knows only these three
            raise InvalidInputException(f"recipe {deployment.recipe} is not served")
        return [
            (c, s) for c, s in zip(codes[0].tolist(), scores[0].tolist(), strict=True) if c >= 0
        ]

    def _excluded_codes(
        self, deployment: Deployment, user_id: str | None, events: Sequence[Any]
    ) -> np.ndarray | None:
        """The int (m,) codes a recommender's use case leaves out for the user, or None."""
        if deployment.use_case is None or not user_id:
            return None
        event_type = rules_of(deployment.use_case).excluded_event_type
        if event_type is None:
            return None
        wanted = event_type.lower()
        streamed = [
            deployment.item_code(e.item_id) for e in events if e.event_type.lower() == wanted
        ]
        codes = np.array([code for code in streamed if code >= 0], np.int64)
        if deployment.histories is not None:
            bulk = deployment.histories.codes_of_type(user_id, event_type)
            codes = np.concatenate([codes, bulk.astype(np.int64)])
        return codes

    def get_personalized_ranking(self, request: dict[str, Any]) -> dict[str, Any]:
        """GetPersonalizedRanking: the input list re-ordered for the user, unknown items last.

        Raises:
            InvalidInputException: more than 500 items, a campaign whose model cannot rank,
                or metadata the campaign does not allow.
            ResourceNotFoundException: the campaign (or filter) is not served/does not exist.

        """
        if request.get("recommenderArn"):
            raise InvalidInputException(
                "recommenderArn: GetPersonalizedRanking takes a campaignArn only"
            )
        deployment = self._campaign(request.get("campaignArn"))
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
        mask = self.filters.mask(
            request.get("filterArn"),
            request.get("filterValues") or {},
            deployment,
            events,
            user_id,
            None,
        )
        codes = np.array([deployment.item_code(item) for item in input_list], np.int64)
        order, scores = rank(model, self._history(deployment, user_id, events), codes)
        metadata = self._item_metadata(input_list, deployment) if columns else {}
        ranking = []
        scores = input_list_softmax(codes[order], scores)
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
        return {"personalizedRanking": ranking, "recommendationId": recommendation_id()}

    # --- request parts --------------------------------------------------------------------------

    def _served(self, request: Mapping[str, Any]) -> Deployment:
        """The campaign or recommender the request names (exactly one of them)."""
        campaign_arn, recommender_arn = request.get("campaignArn"), request.get("recommenderArn")
        if bool(campaign_arn) == bool(recommender_arn):
            raise InvalidInputException("campaignArn, recommenderArn: give exactly one of them")
        if campaign_arn:
            return self._campaign(campaign_arn)
        deployment = self.registry.get(recommender_arn)
        if deployment is None or deployment.use_case is None:
            raise ResourceNotFoundException(
                f"recommenderArn: recommender {recommender_arn} does not exist or is not ACTIVE"
            )
        return deployment

    def _campaign(self, campaign_arn: str | None) -> Deployment:
        if not campaign_arn:
            raise InvalidInputException("campaignArn: required")
        deployment = self.registry.get(campaign_arn)
        if deployment is None or deployment.use_case is not None:
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
            if not streamed:  # already oldest first: no merge, no sort
                indptr = np.array([0, bulk_codes.shape[0]], np.int64)
                return Histories(indptr, bulk_codes, bulk_stamps)
            codes = np.concatenate([bulk_codes, codes])
            stamps = np.concatenate([bulk_stamps, stamps])
        return histories_from_lists([codes], [stamps])

    def _item_metadata(
        self, item_ids: Sequence[str], deployment: Deployment
    ) -> dict[str, dict[str, Any]]:
        """Bulk records of ``item_ids`` overlaid with their PutItems records."""
        return self.item_columns.records(deployment, item_ids)


def _check_ids(deployment: Deployment, user_id: str | None, item_id: str | None) -> None:
    """Refuse a request lacking the ``userId``/``itemId`` the recipe or use case needs."""
    what = "campaign" if deployment.use_case is None else f"{deployment.use_case} recommender"
    model = deployment.model
    if deployment.recipe in RANKING_RECIPES:
        raise InvalidInputException(
            f"campaignArn: a {deployment.recipe} campaign answers GetPersonalizedRanking"
        )
    rules = rules_of(deployment.use_case) if deployment.use_case is not None else None
    needs_user = rules.needs_user if rules else isinstance(model, PersonalizationModel)
    needs_item = rules.needs_item if rules else isinstance(model, RelatedItemsModel)
    if needs_user and not user_id:
        raise InvalidInputException(f"userId: required for a {what} of {deployment.recipe}")
    if needs_item and not item_id:
        raise InvalidInputException(f"itemId: required for a {what} of {deployment.recipe}")
    if isinstance(model, PersonalizationModel) and not user_id:
        raise InvalidInputException(f"userId: required for a {what} of {deployment.recipe}")


def _without(
    mask: np.ndarray | None, excluded: np.ndarray | None, deployment: Deployment
) -> np.ndarray | None:
    """``mask`` (bool (n_items,) or None) with the ``excluded`` codes (int (m,)) set False."""
    if excluded is None or excluded.shape[0] == 0:
        return mask
    allowed = np.ones(deployment.item_ids.shape[0], bool) if mask is None else mask.copy()
    allowed[excluded] = False
    return allowed


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
        config = "campaignConfig" if deployment.use_case is None else "recommenderConfig"
        raise InvalidInputException(
            f"metadataColumns: the {config}.enableMetadataWithRecommendations is not true"
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
