"""Filters and the recipe catalogue through real gRPC, on each metadata backend."""

from __future__ import annotations

import grpc

from tests.control_plane.aws_calls import call, expect_error
from tests.control_plane.fixtures_data import make_group_with_datasets

INVALID = grpc.StatusCode.INVALID_ARGUMENT
NOT_FOUND = grpc.StatusCode.NOT_FOUND
IN_USE = grpc.StatusCode.FAILED_PRECONDITION


def test_filter_lifecycle(personalize):
    arns = make_group_with_datasets(personalize)
    group = arns["datasetGroupArn"]
    expression = (
        "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | "
        'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'
    )
    arn = call(
        personalize,
        "CreateFilter",
        name="in-genre",
        datasetGroupArn=group,
        filterExpression=expression,
    )["filterArn"]
    assert arn.endswith(":filter/in-genre")
    described = call(personalize, "DescribeFilter", filterArn=arn)["filter"]
    assert described["filterExpression"] == expression
    assert described["status"] == "ACTIVE"
    assert described["datasetGroupArn"] == group
    listed = call(personalize, "ListFilters", datasetGroupArn=group)["Filters"]
    assert [f["filterArn"] for f in listed] == [arn]
    expect_error(
        personalize,
        "DeleteDatasetGroup",
        "ResourceInUseException",
        IN_USE,
        datasetGroupArn=group,
    )
    call(personalize, "DeleteFilter", filterArn=arn)
    expect_error(
        personalize, "DescribeFilter", "ResourceNotFoundException", NOT_FOUND, filterArn=arn
    )


def test_malformed_or_unknown_field_filters_are_refused_with_their_reason(personalize):
    arns = make_group_with_datasets(personalize)
    group = arns["datasetGroupArn"]
    message = expect_error(
        personalize,
        "CreateFilter",
        "InvalidInputException",
        INVALID,
        name="bad",
        datasetGroupArn=group,
        filterExpression='EXCLUDE ItemID WHEN Items.GENRE IN ("x")',
    )
    assert '"WHERE"' in message and "WHEN" in message
    message = expect_error(
        personalize,
        "CreateFilter",
        "InvalidInputException",
        INVALID,
        name="bad",
        datasetGroupArn=group,
        filterExpression='INCLUDE ItemID WHERE Items.COLOUR IN ("red")',
    )
    assert "COLOUR" in message
    message = expect_error(
        personalize,
        "CreateFilter",
        "InvalidInputException",
        INVALID,
        name="bad",
        datasetGroupArn=group,
        filterExpression=(
            'INCLUDE ItemID WHERE Items.GENRE IN ("x") IF CurrentUser.PLAN IN ("gold")'
        ),
    )
    assert "PLAN" in message
    empty = call(personalize, "CreateDatasetGroup", name="empty")["datasetGroupArn"]
    message = expect_error(
        personalize,
        "CreateFilter",
        "InvalidInputException",
        INVALID,
        name="bad",
        datasetGroupArn=empty,
        filterExpression='INCLUDE ItemID WHERE Items.GENRE IN ("x")',
    )
    assert "ITEMS" in message
    expect_error(
        personalize,
        "CreateFilter",
        "ResourceNotFoundException",
        NOT_FOUND,
        name="bad",
        datasetGroupArn=group + "x",
        filterExpression='INCLUDE ItemID WHERE Items.GENRE IN ("x")',
    )
    assert call(personalize, "ListFilters")["Filters"] == []


def test_filter_name_taken_and_quota(personalize):
    group = make_group_with_datasets(personalize)["datasetGroupArn"]
    expression = "INCLUDE ItemID WHERE Items.PRICE < 10"
    call(personalize, "CreateFilter", name="f0", datasetGroupArn=group, filterExpression=expression)
    expect_error(
        personalize,
        "CreateFilter",
        "ResourceAlreadyExistsException",
        grpc.StatusCode.ALREADY_EXISTS,
        name="f0",
        datasetGroupArn=group,
        filterExpression=expression,
    )
    for index in range(1, 30):
        call(
            personalize,
            "CreateFilter",
            name=f"f{index}",
            datasetGroupArn=group,
            filterExpression=expression,
        )
    expect_error(
        personalize,
        "CreateFilter",
        "LimitExceededException",
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        name="f30",
        datasetGroupArn=group,
        filterExpression=expression,
    )


def test_recipe_catalogue(personalize):
    recipes = call(personalize, "ListRecipes")["recipes"]
    names = {r["name"] for r in recipes}
    assert {
        "aws-user-personalization",
        "aws-sims",
        "aws-popularity-count",
        "aws-trending-now",
        "aws-personalized-ranking",
    } <= names
    page = call(personalize, "ListRecipes", maxResults=3)
    assert len(page["recipes"]) == 3
    rest = call(personalize, "ListRecipes", nextToken=page["nextToken"])["recipes"]
    assert [r["name"] for r in page["recipes"] + rest] == [r["name"] for r in recipes]
    expect_error(personalize, "ListRecipes", "InvalidNextTokenException", INVALID, nextToken="zzz")
    ecommerce = call(personalize, "ListRecipes", domain="ECOMMERCE")["recipes"]
    assert ecommerce and all(r["domain"] == "ECOMMERCE" for r in ecommerce)

    recipe = call(personalize, "DescribeRecipe", recipeArn="arn:aws:personalize:::recipe/aws-sims")[
        "recipe"
    ]
    assert recipe["recipeType"] == "RELATED_ITEMS"
    assert recipe["status"] == "ACTIVE"
    algorithm = call(personalize, "DescribeAlgorithm", algorithmArn=recipe["algorithmArn"])[
        "algorithm"
    ]
    assert algorithm["defaultHyperParameters"]["popularity_discount_factor"] == "0.5"
    transformation = call(
        personalize,
        "DescribeFeatureTransformation",
        featureTransformationArn=recipe["featureTransformationArn"],
    )["featureTransformation"]
    assert transformation["featureTransformationArn"] == recipe["featureTransformationArn"]
    expect_error(
        personalize,
        "DescribeRecipe",
        "ResourceNotFoundException",
        NOT_FOUND,
        recipeArn="arn:aws:personalize:::recipe/aws-nonexistent",
    )
    expect_error(
        personalize,
        "DescribeAlgorithm",
        "ResourceNotFoundException",
        NOT_FOUND,
        algorithmArn="arn:aws:personalize:::algorithm/nope",
    )
