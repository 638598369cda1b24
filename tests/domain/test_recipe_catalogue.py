from __future__ import annotations

import re

import pytest

from domain.errors import InvalidInputException, ResourceNotFoundException
from domain.hyperparameters import validate_hpo_ranges, validate_hyperparameters
from domain.recipe_catalogue import (
    ALGORITHMS,
    CATALOGUE_TIMESTAMP,
    FEATURE_TRANSFORMATIONS,
    RECIPE_TYPES,
    RECIPES,
    HyperParameterSpec,
    RecipeEntry,
    algorithm_by_arn,
    algorithm_document,
    feature_transformation_by_arn,
    feature_transformation_document,
    list_recipes,
    recipe_by_arn,
    recipe_document,
    recipe_summary_document,
)

CUSTOM = {
    "aws-user-personalization": "USER_PERSONALIZATION",
    "aws-user-personalization-v2": "USER_PERSONALIZATION",
    "aws-personalized-ranking": "PERSONALIZED_RANKING",
    "aws-personalized-ranking-v2": "PERSONALIZED_RANKING",
    "aws-sims": "RELATED_ITEMS",
    "aws-similar-items": "RELATED_ITEMS",
    "aws-semantic-similarity": "RELATED_ITEMS",
    "aws-popularity-count": "POPULAR_ITEMS",
    "aws-trending-now": "POPULAR_ITEMS",
    "aws-item-affinity": "USER_SEGMENTATION",
    "aws-item-attribute-affinity": "USER_SEGMENTATION",
    "aws-next-best-action": "PERSONALIZED_ACTIONS",
}
LEGACY = {"aws-hrnn", "aws-hrnn-metadata", "aws-hrnn-coldstart"}
ECOMMERCE = {
    "aws-ecomm-recommended-for-you": "USER_PERSONALIZATION",
    "aws-ecomm-customers-who-viewed-x-also-viewed": "RELATED_ITEMS",
    "aws-ecomm-frequently-bought-together": "RELATED_ITEMS",
    "aws-ecomm-popular-items-by-purchases": "POPULAR_ITEMS",
    "aws-ecomm-popular-items-by-views": "POPULAR_ITEMS",
}
VOD = {
    "aws-vod-top-picks": "USER_PERSONALIZATION",
    "aws-vod-because-you-watched-x": "RELATED_ITEMS",
    "aws-vod-more-like-x": "RELATED_ITEMS",
    "aws-vod-most-popular": "POPULAR_ITEMS",
    "aws-vod-trending-now": "POPULAR_ITEMS",
}
AWS_ARN = re.compile(r"^arn:([a-z\d-]+):personalize:.*:.*:.+$")
AWS_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9\-_]*$")


def spec(recipe: str, name: str) -> HyperParameterSpec:
    matches = [s for s in RECIPES[recipe].hyperparameters if s.name == name]
    assert len(matches) == 1, (recipe, name)
    return matches[0]


# --- catalogue content -----


def test_catalogue_holds_exactly_the_shipped_recipes() -> None:
    expected = set(CUSTOM) | LEGACY | set(ECOMMERCE) | set(VOD)
    assert set(RECIPES) == expected
    assert all(entry.name == name for name, entry in RECIPES.items())


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_every_recipe_has_well_formed_arns_and_names(name: str) -> None:
    entry = RECIPES[name]
    assert entry.recipe_arn == f"arn:aws:personalize:::recipe/{name}"
    assert entry.algorithm_arn == f"arn:aws:personalize:::algorithm/{entry.algorithm_name}"
    assert entry.feature_transformation_arn == (
        f"arn:aws:personalize:::feature-transformation/{entry.feature_transformation_name}"
    )
    for arn in (entry.recipe_arn, entry.algorithm_arn, entry.feature_transformation_arn):
        assert AWS_ARN.match(arn) and len(arn) <= 256
    for item_name in (entry.name, entry.algorithm_name, entry.feature_transformation_name):
        assert AWS_NAME.match(item_name) and len(item_name) <= 63
    assert entry.recipe_type in RECIPE_TYPES
    assert entry.description and "\n" not in entry.description


def test_recipe_types_and_domains() -> None:
    for name, recipe_type in CUSTOM.items():
        assert RECIPES[name].recipe_type == recipe_type, name
        assert RECIPES[name].domain is None and not RECIPES[name].legacy
    for names, domain in ((ECOMMERCE, "ECOMMERCE"), (VOD, "VIDEO_ON_DEMAND")):
        for name, recipe_type in names.items():
            assert RECIPES[name].recipe_type == recipe_type, name
            assert RECIPES[name].domain == domain and not RECIPES[name].legacy
            assert RECIPES[name].hyperparameters == ()
    for name in LEGACY:
        assert RECIPES[name].legacy and RECIPES[name].domain is None
        assert RECIPES[name].recipe_type == "USER_PERSONALIZATION"


def test_runtime_id_requirements_follow_the_recipe_type() -> None:
    assert RECIPES["aws-user-personalization"].requires_user_id
    assert not RECIPES["aws-user-personalization"].requires_item_id
    assert RECIPES["aws-sims"].requires_item_id and not RECIPES["aws-sims"].requires_user_id
    assert not RECIPES["aws-trending-now"].requires_user_id
    assert not RECIPES["aws-trending-now"].requires_item_id
    assert RECIPES["aws-personalized-ranking"].requires_user_id
    assert RECIPES["aws-next-best-action"].requires_user_id
    cwv = RECIPES["aws-ecomm-customers-who-viewed-x-also-viewed"]
    assert cwv.requires_user_id and cwv.requires_item_id
    fbt = RECIPES["aws-ecomm-frequently-bought-together"]
    assert fbt.requires_item_id and not fbt.requires_user_id


def test_user_personalization_hyperparameters() -> None:
    hidden = spec("aws-user-personalization", "hidden_dimension")
    assert (hidden.kind, hidden.default, hidden.min_value, hidden.max_value) == (
        "integer",
        "149",
        32,
        256,
    )
    assert hidden.tunable and hidden.scope == "algorithm"
    bptt = spec("aws-user-personalization", "bptt")
    assert (bptt.default, bptt.min_value, bptt.max_value, bptt.tunable) == ("32", 2, 32, True)
    mask = spec("aws-user-personalization", "recency_mask")
    assert mask.kind == "categorical" and mask.default == "true" and mask.tunable
    assert set(mask.values) == {"true", "false"}
    low = spec("aws-user-personalization", "min_user_history_length_percentile")
    high = spec("aws-user-personalization", "max_user_history_length_percentile")
    assert (low.default, high.default) == ("0.0", "0.99")
    assert low.scope == high.scope == "featurization"
    assert not low.tunable and not high.tunable


def test_hrnn_differs_from_user_personalization_in_hidden_dimension_default() -> None:
    assert spec("aws-hrnn", "hidden_dimension").default == "43"
    assert spec("aws-hrnn-metadata", "hidden_dimension").default == "43"
    assert spec("aws-hrnn-coldstart", "hidden_dimension").default == "149"
    relative = spec("aws-hrnn-coldstart", "cold_start_relative_from")
    assert relative.default == "latestItem"
    assert set(relative.values) == {"latestItem", "currentTime"}


def test_sims_hyperparameters() -> None:
    discount = spec("aws-sims", "popularity_discount_factor")
    assert (discount.kind, discount.default, discount.min_value, discount.max_value) == (
        "continuous",
        "0.5",
        0.0,
        1.0,
    )
    assert discount.tunable
    cointeraction = spec("aws-sims", "min_cointeraction_count")
    assert (cointeraction.kind, cointeraction.default) == ("integer", "3")
    assert (cointeraction.min_value, cointeraction.max_value, cointeraction.tunable) == (
        0,
        10,
        True,
    )
    assert spec("aws-sims", "min_item_interaction_count_percentile").default == "0.01"
    assert spec("aws-sims", "max_item_interaction_count_percentile").default == "0.9"
    assert spec("aws-sims", "min_user_history_length_percentile").default == "0.005"
    assert spec("aws-sims", "max_user_history_length_percentile").default == "0.995"
    assert RECIPES["aws-sims"].feature_transformation_name == "sims"


def test_trending_now_discovery_frequency() -> None:
    frequency = spec("aws-trending-now", "trend_discovery_frequency")
    assert frequency.kind == "categorical"
    assert set(frequency.values) == {"30 minutes", "1 hour", "2 hours", "3 hours", "1 day"}
    assert frequency.default == "2 hours"
    assert frequency.scope == "feature_transformation" and not frequency.tunable
    assert RECIPES["aws-trending-now"].algorithm_arn == (
        "arn:aws:personalize:::algorithm/aws-trending-now-custom"
    )


def test_other_recipe_hyperparameters() -> None:
    for name in ("aws-user-personalization-v2", "aws-personalized-ranking-v2"):
        bias = spec(name, "apply_recency_bias")
        assert bias.default == "true" and not bias.tunable
    for name in ("item_id_hidden_dim", "item_metadata_hidden_dim"):
        dim = spec("aws-similar-items", name)
        assert (dim.default, dim.min_value, dim.max_value, dim.tunable) == ("100", 30, 200, True)
    period = spec("aws-next-best-action", "action_optimization_period")
    assert (period.default, period.min_value, period.max_value) == ("14", 7, 28)
    for name in ("aws-item-affinity", "aws-item-attribute-affinity"):
        hidden = spec(name, "hidden_dimension")
        assert hidden.default == "149" and not hidden.tunable
    assert RECIPES["aws-semantic-similarity"].hyperparameters == ()
    assert RECIPES["aws-popularity-count"].hyperparameters == ()
    assert spec("aws-personalized-ranking", "hidden_dimension").default == "149"


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_every_default_passes_its_own_validation(name: str) -> None:
    entry = RECIPES[name]
    for s in entry.hyperparameters:
        if s.kind == "categorical":
            assert s.default in s.values and not s.min_value and not s.max_value
        else:
            number = float(s.default)
            assert s.min_value is None or s.min_value <= number
            assert s.max_value is None or number <= s.max_value
            if s.kind == "integer":
                assert str(int(s.default)) == s.default
        if s.tunable:
            assert s.scope == "algorithm"
    assert validate_hyperparameters(entry, None, None) == {
        s.name: s.default for s in entry.hyperparameters
    }


def test_recipes_are_immutable() -> None:
    entry = RECIPES["aws-sims"]
    with pytest.raises(AttributeError):
        entry.name = "other"  # type: ignore[misc]
    assert isinstance(entry, RecipeEntry)


# --- lookups -----


def test_lookups_by_arn_find_catalogue_entries() -> None:
    up = RECIPES["aws-user-personalization"]
    assert recipe_by_arn("arn:aws:personalize:::recipe/aws-user-personalization") is up
    assert algorithm_by_arn(up.algorithm_arn).name == "aws-user-personalization"
    ft = feature_transformation_by_arn(
        "arn:aws:personalize:::feature-transformation/JSON-percentile-filtering"
    )
    assert {"aws-user-personalization", "aws-personalized-ranking", "aws-hrnn"} <= set(
        ft.recipe_names
    )
    trending = algorithm_by_arn("arn:aws:personalize:::algorithm/aws-trending-now-custom")
    assert trending.recipe_names == ("aws-trending-now",)


@pytest.mark.parametrize(
    ("lookup", "arn"),
    [
        (recipe_by_arn, "arn:aws:personalize:::recipe/aws-nope"),
        (recipe_by_arn, "arn:aws:personalize:::algorithm/aws-sims"),
        (recipe_by_arn, "arn:aws:personalize:us-east-1:123456789012:recipe/aws-sims"),
        (algorithm_by_arn, "arn:aws:personalize:::algorithm/aws-trending-now"),
        (algorithm_by_arn, "arn:aws:personalize:::recipe/aws-sims"),
        (feature_transformation_by_arn, "arn:aws:personalize:::feature-transformation/nope"),
        (feature_transformation_by_arn, "arn:aws:personalize:::recipe/aws-sims"),
    ],
)
def test_unknown_arns_raise_resource_not_found_naming_the_arn(lookup, arn: str) -> None:
    with pytest.raises(ResourceNotFoundException) as info:
        lookup(arn)
    assert arn in info.value.message


def test_every_recipe_algorithm_and_transformation_resolves() -> None:
    for entry in RECIPES.values():
        assert entry.name in algorithm_by_arn(entry.algorithm_arn).recipe_names
        assert (
            entry.name
            in feature_transformation_by_arn(entry.feature_transformation_arn).recipe_names
        )
    assert set(ALGORITHMS) == {e.algorithm_name for e in RECIPES.values()}
    assert set(FEATURE_TRANSFORMATIONS) == {e.feature_transformation_name for e in RECIPES.values()}


# --- ListRecipes -----


def test_list_recipes_without_domain_returns_everything_sorted() -> None:
    names = [entry.name for entry in list_recipes(None, None)]
    assert names == sorted(RECIPES)
    assert [entry.name for entry in list_recipes(None, "SERVICE")] == names


def test_list_recipes_filters_by_domain() -> None:
    assert {e.name for e in list_recipes("ECOMMERCE", None)} == set(ECOMMERCE)
    assert {e.name for e in list_recipes("VIDEO_ON_DEMAND", "SERVICE")} == set(VOD)


@pytest.mark.parametrize(
    ("domain", "provider", "named"),
    [("RETAIL", None, "RETAIL"), ("ecommerce", None, "ecommerce"), (None, "CUSTOM", "CUSTOM")],
)
def test_list_recipes_rejects_bad_filters(domain, provider, named: str) -> None:
    with pytest.raises(InvalidInputException) as info:
        list_recipes(domain, provider)
    assert named in info.value.message


# --- documents -----


def test_recipe_document_has_the_aws_members() -> None:
    document = recipe_document(RECIPES["aws-trending-now"])
    assert set(document) == {
        "name",
        "recipeArn",
        "algorithmArn",
        "featureTransformationArn",
        "status",
        "description",
        "recipeType",
        "creationDateTime",
        "lastUpdatedDateTime",
    }
    assert document["name"] == "aws-trending-now"
    assert document["recipeArn"] == "arn:aws:personalize:::recipe/aws-trending-now"
    assert document["algorithmArn"] == "arn:aws:personalize:::algorithm/aws-trending-now-custom"
    assert (
        document["featureTransformationArn"]
        == RECIPES["aws-trending-now"].feature_transformation_arn
    )
    assert document["status"] == "ACTIVE"
    assert document["recipeType"] == "POPULAR_ITEMS"
    assert document["creationDateTime"] == document["lastUpdatedDateTime"] == CATALOGUE_TIMESTAMP
    assert isinstance(document["creationDateTime"], float)


def test_recipe_summary_carries_domain_only_when_set() -> None:
    custom = recipe_summary_document(RECIPES["aws-sims"])
    assert set(custom) == {"name", "recipeArn", "status", "creationDateTime", "lastUpdatedDateTime"}
    assert custom["recipeArn"] == "arn:aws:personalize:::recipe/aws-sims"
    assert custom["status"] == "ACTIVE"
    domain = recipe_summary_document(RECIPES["aws-vod-top-picks"])
    assert domain["domain"] == "VIDEO_ON_DEMAND"
    assert domain["name"] == "aws-vod-top-picks"


def test_algorithm_document_has_the_aws_members_and_ranges() -> None:
    document = algorithm_document(algorithm_by_arn(RECIPES["aws-sims"].algorithm_arn))
    assert set(document) == {
        "name",
        "algorithmArn",
        "algorithmImage",
        "defaultHyperParameters",
        "defaultHyperParameterRanges",
        "defaultResourceConfig",
        "trainingInputMode",
        "creationDateTime",
        "lastUpdatedDateTime",
    }
    assert document["algorithmArn"] == "arn:aws:personalize:::algorithm/aws-sims"
    assert document["algorithmImage"]["name"] == "aws-sims"
    assert document["algorithmImage"]["dockerURI"]
    assert document["trainingInputMode"] == "File"
    assert document["defaultResourceConfig"] == {}
    assert document["defaultHyperParameters"] == {
        "popularity_discount_factor": "0.5",
        "min_cointeraction_count": "3",
    }
    ranges = document["defaultHyperParameterRanges"]
    assert ranges["integerHyperParameterRanges"] == [
        {"name": "min_cointeraction_count", "minValue": 0, "maxValue": 10, "isTunable": True}
    ]
    assert isinstance(ranges["integerHyperParameterRanges"][0]["minValue"], int)
    assert ranges["continuousHyperParameterRanges"] == [
        {"name": "popularity_discount_factor", "minValue": 0.0, "maxValue": 1.0, "isTunable": True}
    ]
    assert ranges["categoricalHyperParameterRanges"] == []
    assert "roleArn" not in document


def test_algorithm_document_accepts_a_recipe_and_lists_categorical_ranges() -> None:
    document = algorithm_document(RECIPES["aws-user-personalization"])
    assert document["name"] == "aws-user-personalization"
    assert document["defaultHyperParameters"] == {
        "hidden_dimension": "149",
        "bptt": "32",
        "recency_mask": "true",
    }
    ranges = document["defaultHyperParameterRanges"]
    assert ranges["categoricalHyperParameterRanges"] == [
        {"name": "recency_mask", "values": ["true", "false"], "isTunable": True}
    ]
    hidden = next(
        r for r in ranges["integerHyperParameterRanges"] if r["name"] == "hidden_dimension"
    )
    assert (hidden["minValue"], hidden["maxValue"]) == (32, 256)
    affinity = algorithm_document(RECIPES["aws-item-affinity"])
    assert (
        affinity["defaultHyperParameterRanges"]["integerHyperParameterRanges"][0]["isTunable"]
        is False
    )


def test_feature_transformation_document_has_the_aws_members() -> None:
    document = feature_transformation_document(RECIPES["aws-trending-now"])
    assert set(document) == {
        "name",
        "featureTransformationArn",
        "defaultParameters",
        "status",
        "creationDateTime",
        "lastUpdatedDateTime",
    }
    assert document["defaultParameters"] == {"trend_discovery_frequency": "2 hours"}
    assert document["status"] == "ACTIVE"
    assert (
        document["featureTransformationArn"]
        == RECIPES["aws-trending-now"].feature_transformation_arn
    )
    percentile = feature_transformation_document(
        feature_transformation_by_arn(
            RECIPES["aws-user-personalization"].feature_transformation_arn
        )
    )
    assert percentile["name"] == "JSON-percentile-filtering"
    assert percentile["defaultParameters"] == {
        "min_user_history_length_percentile": "0.0",
        "max_user_history_length_percentile": "0.99",
    }


# --- hyperparameter validation -----


def test_validate_fills_defaults_and_keeps_given_values() -> None:
    effective = validate_hyperparameters(
        RECIPES["aws-user-personalization"],
        {"hidden_dimension": "64", "recency_mask": "false"},
        {"max_user_history_length_percentile": "0.95"},
    )
    assert effective == {
        "hidden_dimension": "64",
        "bptt": "32",
        "recency_mask": "false",
        "min_user_history_length_percentile": "0.0",
        "max_user_history_length_percentile": "0.95",
    }


def test_validate_accepts_prefixed_names() -> None:
    effective = validate_hyperparameters(
        RECIPES["aws-user-personalization"],
        {"training.bptt": "16", "data.recency_mask": "False", "training.hidden_dimension": "32"},
        None,
    )
    assert effective["bptt"] == "16"
    assert effective["recency_mask"] == "false"
    assert effective["hidden_dimension"] == "32"
    assert "training.bptt" not in effective


def test_validate_accepts_range_edges_and_featurization_in_either_map() -> None:
    sims = RECIPES["aws-sims"]
    effective = validate_hyperparameters(
        sims,
        {"popularity_discount_factor": "1", "min_cointeraction_count": "0"},
        {"min_item_interaction_count_percentile": "0.0"},
    )
    assert effective["popularity_discount_factor"] == "1"
    assert effective["min_cointeraction_count"] == "0"
    assert effective["min_item_interaction_count_percentile"] == "0.0"
    nba = RECIPES["aws-next-best-action"]
    assert validate_hyperparameters(nba, {"action_optimization_period": "28"}, None) == {
        "action_optimization_period": "28"
    }
    assert validate_hyperparameters(nba, None, {"action_optimization_period": "7"}) == {
        "action_optimization_period": "7"
    }


def test_validate_trending_now_frequency() -> None:
    trending = RECIPES["aws-trending-now"]
    assert validate_hyperparameters(trending, {}, {"trend_discovery_frequency": "30 minutes"}) == {
        "trend_discovery_frequency": "30 minutes"
    }
    with pytest.raises(InvalidInputException) as info:
        validate_hyperparameters(trending, {}, {"trend_discovery_frequency": "4 hours"})
    assert "trend_discovery_frequency" in info.value.message and "4 hours" in info.value.message


def test_unknown_key_is_rejected_with_known_names() -> None:
    with pytest.raises(InvalidInputException) as info:
        validate_hyperparameters(RECIPES["aws-sims"], {"min_cointensity": "3"}, None)
    message = info.value.message
    assert "min_cointensity" in message and "'3'" in message
    assert "min_cointeraction_count" in message and "popularity_discount_factor" in message


def test_hyperparameter_of_another_recipe_is_unknown() -> None:
    with pytest.raises(InvalidInputException, match="hidden_dimension"):
        validate_hyperparameters(RECIPES["aws-sims"], {"hidden_dimension": "64"}, None)
    with pytest.raises(InvalidInputException, match="bptt"):
        validate_hyperparameters(RECIPES["aws-semantic-similarity"], {"bptt": "8"}, None)


def test_unknown_prefix_is_not_stripped() -> None:
    with pytest.raises(InvalidInputException, match="model.bptt"):
        validate_hyperparameters(RECIPES["aws-user-personalization"], {"model.bptt": "8"}, None)


@pytest.mark.parametrize(
    ("recipe", "key", "value"),
    [
        ("aws-user-personalization", "hidden_dimension", "abc"),
        ("aws-user-personalization", "hidden_dimension", "64.5"),
        ("aws-user-personalization", "hidden_dimension", ""),
        ("aws-user-personalization", "hidden_dimension", "1_00"),
        ("aws-user-personalization", "recency_mask", "yes"),
        ("aws-sims", "popularity_discount_factor", "half"),
        ("aws-sims", "popularity_discount_factor", "nan"),
        ("aws-sims", "popularity_discount_factor", "inf"),
        ("aws-hrnn-coldstart", "cold_start_max_duration", "1e999"),
        ("aws-hrnn-coldstart", "cold_start_max_interactions", "0"),
    ],
)
def test_non_parsing_values_are_rejected(recipe: str, key: str, value: str) -> None:
    with pytest.raises(InvalidInputException) as info:
        validate_hyperparameters(RECIPES[recipe], {key: value}, None)
    assert key in info.value.message and repr(value) in info.value.message


@pytest.mark.parametrize(
    ("recipe", "key", "value"),
    [
        ("aws-user-personalization", "hidden_dimension", "31"),
        ("aws-user-personalization", "hidden_dimension", "257"),
        ("aws-user-personalization", "bptt", "1"),
        ("aws-user-personalization", "training.bptt", "33"),
        ("aws-sims", "popularity_discount_factor", "1.01"),
        ("aws-sims", "popularity_discount_factor", "-0.1"),
        ("aws-sims", "min_cointeraction_count", "11"),
        ("aws-next-best-action", "action_optimization_period", "6"),
        ("aws-similar-items", "item_id_hidden_dim", "201"),
    ],
)
def test_out_of_range_values_are_rejected(recipe: str, key: str, value: str) -> None:
    with pytest.raises(InvalidInputException) as info:
        validate_hyperparameters(RECIPES[recipe], {key: value}, None)
    assert key in info.value.message and repr(value) in info.value.message


def test_non_string_value_is_rejected() -> None:
    with pytest.raises(InvalidInputException, match="hidden_dimension"):
        validate_hyperparameters(
            RECIPES["aws-user-personalization"],
            {"hidden_dimension": 64},  # type: ignore[dict-item]
            None,
        )


def test_wrong_map_is_rejected() -> None:
    with pytest.raises(InvalidInputException, match="algorithmHyperParameters"):
        validate_hyperparameters(RECIPES["aws-sims"], None, {"min_cointeraction_count": "3"})
    with pytest.raises(InvalidInputException, match="featureTransformationParameters"):
        validate_hyperparameters(
            RECIPES["aws-trending-now"], {"trend_discovery_frequency": "1 hour"}, None
        )


def test_conflicting_duplicates_are_rejected_but_equal_ones_pass() -> None:
    up = RECIPES["aws-user-personalization"]
    with pytest.raises(InvalidInputException, match="bptt"):
        validate_hyperparameters(up, {"bptt": "8", "training.bptt": "16"}, None)
    assert validate_hyperparameters(up, {"bptt": "8", "training.bptt": "8"}, None)["bptt"] == "8"
    with pytest.raises(InvalidInputException, match="min_user_history_length_percentile"):
        validate_hyperparameters(
            up,
            {"min_user_history_length_percentile": "0.1"},
            {"min_user_history_length_percentile": "0.2"},
        )


# --- HPO ranges -----


def test_valid_hpo_ranges_pass() -> None:
    validate_hpo_ranges(
        RECIPES["aws-user-personalization"],
        {
            "integerHyperParameterRanges": [
                {"name": "training.hidden_dimension", "minValue": 32, "maxValue": 256},
                {"name": "bptt", "minValue": 8, "maxValue": 8},
            ],
            "continuousHyperParameterRanges": [],
            "categoricalHyperParameterRanges": [
                {"name": "data.recency_mask", "values": ["true", "false"]}
            ],
        },
    )
    validate_hpo_ranges(
        RECIPES["aws-sims"],
        {
            "continuousHyperParameterRanges": [
                {"name": "popularity_discount_factor", "minValue": 0.1, "maxValue": 0.9}
            ]
        },
    )
    validate_hpo_ranges(RECIPES["aws-sims"], None)
    validate_hpo_ranges(RECIPES["aws-sims"], {})


@pytest.mark.parametrize(
    ("recipe", "document", "named"),
    [
        (
            "aws-user-personalization",
            {
                "integerHyperParameterRanges": [
                    {"name": "hidden_dimension", "minValue": 200, "maxValue": 100}
                ]
            },
            "hidden_dimension",
        ),
        (
            "aws-user-personalization",
            {
                "integerHyperParameterRanges": [
                    {"name": "hidden_dimension", "minValue": 16, "maxValue": 100}
                ]
            },
            "hidden_dimension",
        ),
        (
            "aws-user-personalization",
            {"integerHyperParameterRanges": [{"name": "bptt", "minValue": 2, "maxValue": 64}]},
            "bptt",
        ),
        (
            "aws-user-personalization",
            {"integerHyperParameterRanges": [{"name": "bptt", "minValue": 2.5, "maxValue": 16}]},
            "bptt",
        ),
        (
            "aws-sims",
            {
                "continuousHyperParameterRanges": [
                    {"name": "popularity_discount_factor", "minValue": 0.0, "maxValue": 1.5}
                ]
            },
            "popularity_discount_factor",
        ),
        (
            "aws-user-personalization",
            {
                "continuousHyperParameterRanges": [
                    {"name": "min_user_history_length_percentile", "minValue": 0.0, "maxValue": 0.5}
                ]
            },
            "min_user_history_length_percentile",
        ),
        (
            "aws-user-personalization",
            {"integerHyperParameterRanges": [{"name": "nope", "minValue": 1, "maxValue": 2}]},
            "nope",
        ),
        (
            "aws-item-affinity",
            {
                "integerHyperParameterRanges": [
                    {"name": "hidden_dimension", "minValue": 32, "maxValue": 64}
                ]
            },
            "hidden_dimension",
        ),
        (
            "aws-sims",
            {
                "continuousHyperParameterRanges": [
                    {"name": "min_cointeraction_count", "minValue": 1, "maxValue": 5}
                ]
            },
            "min_cointeraction_count",
        ),
        (
            "aws-user-personalization",
            {"categoricalHyperParameterRanges": [{"name": "recency_mask", "values": ["maybe"]}]},
            "recency_mask",
        ),
        (
            "aws-user-personalization",
            {"categoricalHyperParameterRanges": [{"name": "recency_mask", "values": []}]},
            "recency_mask",
        ),
        (
            "aws-user-personalization",
            {
                "integerHyperParameterRanges": [
                    {"name": "bptt", "minValue": 2, "maxValue": 8},
                    {"name": "training.bptt", "minValue": 4, "maxValue": 8},
                ]
            },
            "bptt",
        ),
        (
            "aws-user-personalization",
            {"booleanHyperParameterRanges": []},
            "booleanHyperParameterRanges",
        ),
    ],
)
def test_invalid_hpo_ranges_are_rejected(recipe: str, document: dict, named: str) -> None:
    with pytest.raises(InvalidInputException) as info:
        validate_hpo_ranges(RECIPES[recipe], document)
    assert named in info.value.message


def test_hpo_error_for_unknown_name_lists_the_tunable_ones() -> None:
    with pytest.raises(InvalidInputException) as info:
        validate_hpo_ranges(
            RECIPES["aws-sims"],
            {
                "integerHyperParameterRanges": [
                    {"name": "hidden_dimension", "minValue": 32, "maxValue": 64}
                ]
            },
        )
    message = info.value.message
    assert "popularity_discount_factor" in message and "min_cointeraction_count" in message
    assert "min_user_history_length_percentile" not in message
