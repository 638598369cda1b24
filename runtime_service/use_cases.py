"""What a recommender's domain use case asks of a GetRecommendations request (spec §6.6).

A recommender is served by the model of the custom recipe it was trained as
(``trainer.recommender_training.USE_CASES``); the use case adds its own request rules:

* which of ``userId``/``itemId`` it requires: userId for recommended-for-you and top-picks,
  itemId for the "related" use cases (customers-who-viewed-x-also-viewed,
  frequently-bought-together, because-you-watched-x, more-like-x), neither for the popular
  ones. A related use case may still be given a ``userId`` (filters on the user's interactions
  or attributes need it), and the spec's "userId+itemId" for them is read as "itemId required".
* which of the user's items it leaves out: the spec (§6.6) says recommended-for-you
  "auto-excludes purchased items" and top-picks "auto-excludes watched"; so only the user's
  ``Purchase`` (``Watch``) events are excluded, not every item the user interacted with (a
  viewed item may be recommended again). Event types match case-insensitively, as in filters.
  Other use cases exclude nothing of the user's history.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UseCaseRules:
    """The request rules of one domain use case.

    Attributes:
        needs_user: ``userId`` is required.
        needs_item: ``itemId`` is required.
        excluded_event_type: The user's items with this EVENT_TYPE are never recommended; None
            when nothing of the user's history is excluded.

    """

    needs_user: bool = False
    needs_item: bool = False
    excluded_event_type: str | None = None


_USER = UseCaseRules(needs_user=True)
_ITEM = UseCaseRules(needs_item=True)
_NEITHER = UseCaseRules()

#: Domain recipe name -> its rules (spec §6.6).
USE_CASE_RULES: dict[str, UseCaseRules] = {
    "aws-ecomm-recommended-for-you": UseCaseRules(True, False, "Purchase"),
    "aws-ecomm-customers-who-viewed-x-also-viewed": _ITEM,
    "aws-ecomm-frequently-bought-together": _ITEM,
    "aws-ecomm-popular-items-by-purchases": _NEITHER,
    "aws-ecomm-popular-items-by-views": _NEITHER,
    "aws-vod-top-picks": UseCaseRules(True, False, "Watch"),
    "aws-vod-because-you-watched-x": _ITEM,
    "aws-vod-more-like-x": _ITEM,
    "aws-vod-most-popular": _NEITHER,
    "aws-vod-trending-now": _NEITHER,
}


def rules_of(use_case: str) -> UseCaseRules:
    """The rules of ``use_case`` (a use case not listed requires nothing, excludes nothing)."""
    return USE_CASE_RULES.get(use_case, _NEITHER)
