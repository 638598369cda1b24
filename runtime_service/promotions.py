"""Promotions (spec §10.3): a share of GetRecommendations' slots for items of a promotion filter.

One promotion per request: ``{name, percentPromotedItems 1..100, filterArn, filterValues}``.

* Slots: ``ceil(numResults × percentPromotedItems / 100)``. AWS does not say how it rounds
  (spec: UNVERIFIED); rounding up means any promotion gets at least one slot.
* The promoted items are the best-ranked items allowed by the promotion's filter (and not
  excluded otherwise: the user's history where the recipe excludes it); the request's filter
  does not apply to them. The other slots are the normal ranking under the request's filter,
  minus the promoted items (no duplicates). Too few items match: as many as match are promoted,
  and the normal ranking fills the rest.
* The promoted items go to random positions among the results, keeping their relative order,
  each with ``promotionName``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

from domain.errors import InvalidInputException

MAX_PROMOTIONS = 1

#: (item code, score) of one picked item.
Picked = tuple[int, float]


def promotion_of(request: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The request's promotion, checked, or None without one.

    Raises:
        InvalidInputException: more than one promotion, or one without a name, a percentage
            in 1..100 or a filter.

    """
    promotions = request.get("promotions") or []
    if not promotions:
        return None
    if len(promotions) > MAX_PROMOTIONS:
        raise InvalidInputException(
            f"promotions: {len(promotions)} promotions; at most {MAX_PROMOTIONS} is allowed"
        )
    promotion = promotions[0]
    if not promotion.get("name"):
        raise InvalidInputException("promotions[0].name: required")
    percent = promotion.get("percentPromotedItems")
    if percent is None or not 1 <= int(percent) <= 100:
        raise InvalidInputException("promotions[0].percentPromotedItems: required, 1 to 100")
    if not promotion.get("filterArn"):
        raise InvalidInputException("promotions[0].filterArn: required")
    return promotion


def promoted_slots(num_results: int, percent: int) -> int:
    """How many of ``num_results`` slots the promotion gets: ``ceil(n × percent / 100)``."""
    return min(num_results, math.ceil(num_results * int(percent) / 100))


def merge_promoted(
    promoted: Sequence[Picked],
    regular: Sequence[Picked],
    num_results: int,
    rng: random.Random | None = None,
) -> list[tuple[int, float, bool]]:
    """The response's items: ``promoted`` at random positions among ``regular``.

    Args:
        promoted: The promoted items, best first (at most the promotion's slots).
        regular: The normal ranking, best first (may hold promoted items: dropped here).
        num_results: Items wanted in all.
        rng: Source of the positions (a shared ``random`` by default).

    Returns:
        ``(code, score, is_promoted)`` of each item, in response order; both parts keep their
        own order.

    """
    taken = {code for code, _ in promoted}
    rest = [pick for pick in regular if pick[0] not in taken][: num_results - len(promoted)]
    total = len(promoted) + len(rest)
    positions = set((rng or random).sample(range(total), len(promoted)))
    promoted_iter, rest_iter = iter(promoted), iter(rest)
    merged = []
    for position in range(total):
        if position in positions:
            code, score = next(promoted_iter)
            merged.append((code, score, True))
        else:
            code, score = next(rest_iter)
            merged.append((code, score, False))
    return merged
