"""A fast pass over the common GetRecommendations request before the generic validation.

``servicekit.request_validation.validate_request`` walks a request's descriptor and matches every
ARN against its pattern: about 15 µs per GetRecommendations, on every call. Most calls are the
same few campaigns and filters with a user id and a result count, so this module accepts such a
request after a handful of attribute reads, remembering the ARNs that passed the pattern. Any
request it is not sure about (maps, promotions, an ARN not seen yet, a value near a limit) goes
to ``validate_request``, which then raises exactly the error it always raised: the fast pass only
ever says "valid", never why something is not.
"""

from __future__ import annotations

import threading
from typing import Any

from servicekit.request_validation import validate_request
from tailor_api.v1 import personalize_runtime_pb2 as runtime_pb2

#: The AWS maxLength of the ids and ARNs of a GetRecommendations request.
MAX_ID_LENGTH = 256
#: ARNs remembered as valid; bounded because callers choose them.
MAX_KNOWN_ARNS = 1024

_known_arns: set[str] = set()
_known_lock = threading.Lock()
_ARN_FIELDS = ("campaign_arn", "filter_arn", "recommender_arn")
_ID_FIELDS = ("user_id", "item_id")


def validate_recommendations_request(request: runtime_pb2.GetRecommendationsRequest) -> None:
    """``validate_request(request)``, skipping the walk for a plain request seen before.

    Args:
        request: A GetRecommendations request.

    Raises:
        InvalidInputException: As ``validate_request`` does, for the same requests and with the
            same message.

    """
    if not _plainly_valid(request):
        validate_request(request)
        _remember_arns(request)


def _plainly_valid(request: runtime_pb2.GetRecommendationsRequest) -> bool:
    """Whether ``validate_request`` surely accepts ``request``, without walking it.

    True only without maps or promotions, with ARNs that passed before, ids within the length
    limit and a non-negative ``numResults``.
    """
    if request.context or request.filter_values or request.promotions or request.metadata_columns:
        return False
    for field in _ARN_FIELDS:
        if request.HasField(field) and getattr(request, field) not in _known_arns:
            return False
    for field in _ID_FIELDS:
        if request.HasField(field) and len(getattr(request, field)) > MAX_ID_LENGTH:
            return False
    return not (request.HasField("num_results") and request.num_results < 0)


def _remember_arns(request: Any) -> None:
    """Remember the ARNs of a request that passed ``validate_request`` (they match the pattern)."""
    arns = [getattr(request, field) for field in _ARN_FIELDS if request.HasField(field)]
    new = [arn for arn in arns if arn not in _known_arns]
    if not new:
        return
    with _known_lock:
        if len(_known_arns) + len(new) > MAX_KNOWN_ARNS:
            _known_arns.clear()
        _known_arns.update(new)
