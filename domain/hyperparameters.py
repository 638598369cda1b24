"""Validation of a solution's hyperparameters against its recipe (CreateSolution's checks).

Values travel as strings in the API; they are parsed per kind, range-checked, and returned with
the recipe's defaults filled in. AWS's prefixed names (``training.bptt``, ``data.recency_mask``)
are accepted beside the bare ones.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from domain.errors import InvalidInputException
from domain.recipe_catalogue import RANGE_LISTS, HyperParameterSpec, RecipeEntry

#: Prefixes AWS puts before hyperparameter names in some documents; both forms are accepted.
HYPERPARAMETER_PREFIXES = ("training.", "data.")
_ALGORITHM_MAP = "algorithmHyperParameters"
_FEATURE_MAP = "featureTransformationParameters"
_INTEGER_RE = re.compile(r"^[+-]?\d+$")
_FLOAT_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _bare_name(key: str) -> str:
    for prefix in HYPERPARAMETER_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _find_spec(entry: RecipeEntry, key: str) -> HyperParameterSpec | None:
    for name in (key, _bare_name(key)):
        for spec in entry.hyperparameters:
            if spec.name == name:
                return spec
    return None


def _names(specs: Iterable[HyperParameterSpec]) -> str:
    names = [spec.name for spec in specs]
    return ", ".join(names) if names else "(none)"


def _describe_domain(spec: HyperParameterSpec) -> str:
    if spec.kind == "categorical":
        return "one of " + ", ".join(repr(v) for v in spec.values)
    noun = "an integer" if spec.kind == "integer" else "a number"
    convert = int if spec.kind == "integer" else (lambda v: v)
    low = "-inf" if spec.min_value is None else convert(spec.min_value)
    high = "+inf" if spec.max_value is None else convert(spec.max_value)
    return f"{noun} in [{low}, {high}]"


def _in_bounds(spec: HyperParameterSpec, number: float) -> bool:
    if spec.min_value is not None and number < spec.min_value:
        return False
    return spec.max_value is None or number <= spec.max_value


def _parse_value(entry: RecipeEntry, spec: HyperParameterSpec, key: str, value: object) -> str:
    """Check one hyperparameter value and return its normalised string form."""

    def invalid() -> InvalidInputException:
        return InvalidInputException(
            f"Invalid value {value!r} for hyperparameter {key!r} of recipe {entry.name}: "
            f"expected {_describe_domain(spec)}."
        )

    if not isinstance(value, str):
        raise invalid()
    text = value.strip()
    if spec.kind == "categorical":
        if spec.is_boolean:
            text = text.lower()
        if text not in spec.values:
            raise invalid()
        return text
    if spec.kind == "integer":
        if not _INTEGER_RE.match(text) or not _in_bounds(spec, int(text)):
            raise invalid()
        return str(int(text))
    if not _FLOAT_RE.match(text):
        raise invalid()
    number = float(text)
    if not math.isfinite(number) or not _in_bounds(spec, number):
        raise invalid()
    return text


def validate_hyperparameters(
    entry: RecipeEntry,
    algorithm_hyper_parameters: Mapping[str, str] | None,
    feature_transformation_parameters: Mapping[str, str] | None,
) -> dict[str, str]:
    """Check a solution's hyperparameters against its recipe and fill in defaults.

    Keys may be bare (``bptt``) or carry an AWS prefix (``training.bptt``, ``data.recency_mask``).
    Algorithm-scope names belong in ``algorithmHyperParameters``, feature-transformation names
    (``trend_discovery_frequency``) in ``featureTransformationParameters``; featurization names
    (``min_user_history_length_percentile``) are accepted in either map.

    Args:
        entry: The solution's recipe.
        algorithm_hyper_parameters: ``solutionConfig.algorithmHyperParameters`` (may be None).
        feature_transformation_parameters: ``solutionConfig.featureTransformationParameters``
            (may be None).

    Returns:
        Every hyperparameter of the recipe by bare name, the given value (normalised: integers
        without sign padding, booleans lower-case) or else the default.

    Raises:
        InvalidInputException: A key is unknown for the recipe or given in the wrong map, a key is
            given twice with different values, or a value does not parse or is out of range. The
            message names the key and value and lists the recipe's known hyperparameters.

    """
    given: dict[str, tuple[str, str]] = {}
    for map_name, parameters in (
        (_ALGORITHM_MAP, algorithm_hyper_parameters),
        (_FEATURE_MAP, feature_transformation_parameters),
    ):
        for key, value in (parameters or {}).items():
            spec = _find_spec(entry, key) if isinstance(key, str) else None
            if spec is None:
                raise InvalidInputException(
                    f"Unknown hyperparameter {key!r} (value {value!r}) in {map_name} for recipe "
                    f"{entry.name}; known hyperparameters: {_names(entry.hyperparameters)}."
                )
            if (spec.scope == "algorithm" and map_name != _ALGORITHM_MAP) or (
                spec.scope == "feature_transformation" and map_name != _FEATURE_MAP
            ):
                expected = _ALGORITHM_MAP if spec.scope == "algorithm" else _FEATURE_MAP
                raise InvalidInputException(
                    f"Hyperparameter {key!r} (value {value!r}) of recipe {entry.name} belongs in "
                    f"{expected}, not {map_name}."
                )
            normalised = _parse_value(entry, spec, key, value)
            previous = given.get(spec.name)
            if previous is not None and previous[1] != normalised:
                raise InvalidInputException(
                    f"Hyperparameter {spec.name!r} of recipe {entry.name} is given twice with "
                    f"different values: {previous[0]!r}={previous[1]!r} and {key!r}={value!r}."
                )
            given[spec.name] = (key, normalised)
    return {
        spec.name: given[spec.name][1] if spec.name in given else spec.default
        for spec in entry.hyperparameters
    }


def _range_number(
    entry: RecipeEntry, spec: HyperParameterSpec, member: str, value: object
) -> float | None:
    """Read ``minValue`` / ``maxValue`` of an HPO range; None when absent."""
    if value is None:
        return None
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or not math.isfinite(value):  # type: ignore[arg-type]
        ok = False
    elif spec.kind == "integer":
        ok = float(value).is_integer()  # type: ignore[arg-type]
    else:
        ok = True
    if not ok:
        kind = "an integer" if spec.kind == "integer" else "a number"
        raise InvalidInputException(
            f"HPO range {member} {value!r} of hyperparameter {spec.name!r} of recipe "
            f"{entry.name} must be {kind}."
        )
    return float(value)  # type: ignore[arg-type]


def _check_numeric_range(entry: RecipeEntry, spec: HyperParameterSpec, item: Mapping) -> None:
    low = _range_number(entry, spec, "minValue", item.get("minValue"))
    high = _range_number(entry, spec, "maxValue", item.get("maxValue"))
    low = spec.min_value if low is None else low
    high = spec.max_value if high is None else high
    if low is not None and high is not None and low > high:
        raise InvalidInputException(
            f"HPO range of hyperparameter {spec.name!r} of recipe {entry.name} has minValue "
            f"{item.get('minValue')!r} greater than maxValue {item.get('maxValue')!r}."
        )
    for bound in (low, high):
        if bound is not None and not _in_bounds(spec, bound):
            raise InvalidInputException(
                f"HPO range [{item.get('minValue')!r}, {item.get('maxValue')!r}] of "
                f"hyperparameter {spec.name!r} of recipe {entry.name} must lie within "
                f"{_describe_domain(spec)}."
            )


def _check_categorical_range(entry: RecipeEntry, spec: HyperParameterSpec, item: Mapping) -> None:
    values = item.get("values")
    if not isinstance(values, list | tuple) or not values:
        raise InvalidInputException(
            f"HPO range of hyperparameter {spec.name!r} of recipe {entry.name} needs a non-empty "
            f"values list; got {values!r}."
        )
    for value in values:
        text = value.strip().lower() if spec.is_boolean and isinstance(value, str) else value
        if text not in spec.values:
            raise InvalidInputException(
                f"HPO range value {value!r} of hyperparameter {spec.name!r} of recipe "
                f"{entry.name} is not {_describe_domain(spec)}."
            )


def validate_hpo_ranges(entry: RecipeEntry, ranges_document: Mapping[str, Any] | None) -> None:
    """Check ``hpoConfig.algorithmHyperParameterRanges`` against the recipe.

    Every named hyperparameter must be a tunable hyperparameter of the recipe (bare or prefixed
    name), appear in the list of its kind and at most once; numeric ranges need ``minValue <=
    maxValue`` inside the documented range (a missing bound means the documented one);
    categorical ranges need a non-empty list of allowed values.

    Args:
        entry: The solution's recipe.
        ranges_document: ``{integerHyperParameterRanges: [{name, minValue, maxValue}],
            continuousHyperParameterRanges: [...], categoricalHyperParameterRanges: [{name,
            values}]}``; None or empty means no ranges.

    Raises:
        InvalidInputException: The document breaks one of the rules above; the message names
            the offending hyperparameter and lists the recipe's tunable ones.

    """
    if not ranges_document:
        return
    if not isinstance(ranges_document, Mapping):
        raise InvalidInputException(
            f"algorithmHyperParameterRanges must be an object; got {ranges_document!r}."
        )
    tunable = [spec for spec in entry.hyperparameters if spec.tunable]
    seen: set[str] = set()
    for list_key, items in ranges_document.items():
        kind = RANGE_LISTS.get(list_key)
        if kind is None:
            raise InvalidInputException(
                f"Unknown member {list_key!r} in algorithmHyperParameterRanges; expected "
                f"{', '.join(RANGE_LISTS)}."
            )
        if items is None:
            continue
        if not isinstance(items, list | tuple):
            raise InvalidInputException(f"{list_key} must be a list; got {items!r}.")
        for item in items:
            if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
                raise InvalidInputException(
                    f"Each entry of {list_key} needs a string name; got {item!r}."
                )
            allowed_members = (
                {"name", "values"}
                if kind == "categorical"
                else {
                    "name",
                    "minValue",
                    "maxValue",
                }
            )
            extra = sorted(set(item) - allowed_members)
            if extra:
                raise InvalidInputException(
                    f"Unknown member(s) {', '.join(extra)} in {list_key} entry {item['name']!r}."
                )
            name = item["name"]
            spec = _find_spec(entry, name)
            if spec is None or not spec.tunable:
                raise InvalidInputException(
                    f"Hyperparameter {name!r} is not a tunable hyperparameter of recipe "
                    f"{entry.name}; tunable hyperparameters: {_names(tunable)}."
                )
            if spec.kind != kind:
                expected = next(key for key, k in RANGE_LISTS.items() if k == spec.kind)
                raise InvalidInputException(
                    f"Hyperparameter {name!r} of recipe {entry.name} is {spec.kind}; give its "
                    f"range in {expected}, not {list_key}."
                )
            if spec.name in seen:
                raise InvalidInputException(
                    f"Hyperparameter {name!r} of recipe {entry.name} has more than one HPO range."
                )
            seen.add(spec.name)
            if kind == "categorical":
                _check_categorical_range(entry, spec, item)
            else:
                _check_numeric_range(entry, spec, item)
