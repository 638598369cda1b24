"""The PersonalizeRuntime gRPC handler: proto -> runtime operation -> proto, without JSON.

The generic bridge (``servicekit.rpc_bridge``) converts every request to a dict and every answer
back through ``google.protobuf.json_format``, which costs as much as scoring a request. The
runtime's requests and answers are few and flat, so this handler converts them by hand. What a
caller sees is the same as through the bridge: the same request validation
(``servicekit.request_validation``), the same AWS member names in the operation's dict, the same
error mapping (``servicekit.errors``) and the same ``tailor_grpc_*`` metrics.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import grpc
from google.protobuf import json_format

from domain.errors import NotImplementedOperation
from runtime_service.runtime_request_checks import validate_recommendations_request
from servicekit.errors import status_for
from servicekit.metrics import RPC_METRICS
from servicekit.request_validation import validate_request
from tailor_api.v1 import personalize_runtime_pb2 as runtime_pb2

Operation = Callable[[dict[str, Any]], dict[str, Any]]
SERVICE = runtime_pb2.DESCRIPTOR.services_by_name["PersonalizeRuntime"]


def runtime_handler(operations: Mapping[str, Operation]) -> grpc.GenericRpcHandler:
    """A generic handler serving every PersonalizeRuntime RPC from ``operations`` by AWS name.

    Args:
        operations: ``GetRecommendations``/``GetPersonalizedRanking`` functions over AWS-shaped
            dicts (``runtime_service.recommendations``); an RPC without one answers
            UNIMPLEMENTED.

    Returns:
        The handler to register on the server.

    """
    converters: dict[str, tuple[Callable[[Any], dict[str, Any]], Callable[[dict], Any]]] = {
        "GetRecommendations": (_recommendations_request, _recommendations_response),
        "GetPersonalizedRanking": (_ranking_request, _ranking_response),
    }
    validators = {"GetRecommendations": validate_recommendations_request}
    handlers = {}
    for method in SERVICE.methods:
        request_class = getattr(runtime_pb2, method.input_type.name)
        response_class = getattr(runtime_pb2, method.output_type.name)
        to_dict, to_response = converters.get(method.name, (None, None))
        operation = operations.get(method.name) if to_dict is not None else None
        handlers[method.name] = grpc.unary_unary_rpc_method_handler(
            _handle(
                method.name,
                operation,
                to_dict,
                to_response,
                validators.get(method.name, validate_request),
            ),
            request_deserializer=request_class.FromString,
            response_serializer=response_class.SerializeToString,
        )
    return grpc.method_handlers_generic_handler(SERVICE.full_name, handlers)


def _handle(
    name: str,
    operation: Operation | None,
    to_dict: Any,
    to_response: Any,
    validate: Callable[[Any], None],
) -> Any:
    # The label children of a successful call, looked up once rather than per call.
    ok_requests = RPC_METRICS.requests.labels(SERVICE.name, name, grpc.StatusCode.OK.name)
    latency = RPC_METRICS.latency.labels(SERVICE.name, name)

    def handle(request: Any, context: grpc.ServicerContext) -> Any:
        started = time.perf_counter()
        code = grpc.StatusCode.OK
        try:
            if operation is None:
                raise NotImplementedOperation(f"{name} is not implemented in this Tailor version")
            validate(request)
            return to_response(operation(to_dict(request)))
        except Exception as exc:  # noqa: BLE001 - every failure becomes a status, once, here
            code = grpc.StatusCode.INTERNAL
            code, status = status_for(exc, name)
            context.abort_with_status(status)
        finally:
            if code is grpc.StatusCode.OK:
                ok_requests.inc()
                latency.observe(time.perf_counter() - started)
            else:
                RPC_METRICS.observe(SERVICE.name, name, code, time.perf_counter() - started)

    return handle


def _common(request: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The members both requests share, as the bridge's JSON mapping names them."""
    for field, member in (
        ("campaign_arn", "campaignArn"),
        ("user_id", "userId"),
        ("filter_arn", "filterArn"),
    ):
        if request.HasField(field):
            params[member] = getattr(request, field)
    if request.filter_values:
        params["filterValues"] = dict(request.filter_values)
    if request.context:
        params["context"] = dict(request.context)
    if request.metadata_columns:
        params["metadataColumns"] = {
            key: json_format.MessageToDict(value) for key, value in request.metadata_columns.items()
        }
    return params


def _recommendations_request(request: runtime_pb2.GetRecommendationsRequest) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if request.HasField("item_id"):
        params["itemId"] = request.item_id
    if request.HasField("num_results"):
        params["numResults"] = request.num_results
    if request.HasField("recommender_arn"):
        params["recommenderArn"] = request.recommender_arn
    if request.promotions:
        params["promotions"] = [json_format.MessageToDict(p) for p in request.promotions]
    return _common(request, params)


def _ranking_request(request: runtime_pb2.GetPersonalizedRankingRequest) -> dict[str, Any]:
    return _common(request, {"inputList": list(request.input_list)})


def _fill_items(items: Any, entries: list[dict[str, Any]]) -> None:
    """Append ``entries`` to the repeated ``PredictedItem`` field ``items``, in place.

    Adding to the response's own field is about six times cheaper than building standalone
    ``PredictedItem`` messages and copying them into the response (measured: 13 µs against
    78 µs for 25 items).
    """
    add = items.add
    for entry in entries:
        item = add(item_id=entry["itemId"])
        score = entry.get("score")
        if score is not None:
            item.score = score
        promotion = entry.get("promotionName")
        if promotion is not None:
            item.promotion_name = promotion
        metadata = entry.get("metadata")
        if metadata:
            item.metadata.update(metadata)


def _recommendations_response(result: dict[str, Any]) -> runtime_pb2.GetRecommendationsResponse:
    response = runtime_pb2.GetRecommendationsResponse(recommendation_id=result["recommendationId"])
    _fill_items(response.item_list, result["itemList"])
    return response


def _ranking_response(result: dict[str, Any]) -> runtime_pb2.GetPersonalizedRankingResponse:
    response = runtime_pb2.GetPersonalizedRankingResponse(
        recommendation_id=result["recommendationId"]
    )
    _fill_items(response.personalized_ranking, result["personalizedRanking"])
    return response
