import ast
import sys
from pathlib import Path

import pytest

from recipes.fitting import RECIPE_FAMILIES, fit_recipe
from recipes.personalization import PersonalizationModel
from recipes.popularity import PopularityModel
from recipes.related_items import RelatedItemsModel

from .conftest import two_clusters

TYPES = {
    "personalization": PersonalizationModel,
    "popularity-count": PopularityModel,
    "trending-now": PopularityModel,
    "sims": RelatedItemsModel,
    "similar-items": RelatedItemsModel,
    "semantic-similarity": RelatedItemsModel,
}


@pytest.mark.parametrize("recipe", sorted(RECIPE_FAMILIES))
def test_every_listed_recipe_fits_its_family(recipe) -> None:
    model = fit_recipe(recipe, two_clusters(), {})
    assert isinstance(model, TYPES[RECIPE_FAMILIES[recipe]])


def test_api_strings_and_prefixed_names_are_understood() -> None:
    model = fit_recipe(
        "aws-user-personalization",
        two_clusters(),
        {"training.bptt": "7", "data.recency_mask": "FALSE", "hidden_dimension": "40"},
    )
    assert model.hyperparameters["bptt"] == 7 and model.hyperparameters["recency_mask"] is False
    v2 = fit_recipe("aws-user-personalization-v2", two_clusters(), {"apply_recency_bias": "false"})
    assert v2.hyperparameters["recency_mask"] is False
    sims = fit_recipe("aws-sims", two_clusters(), {"popularity_discount_factor": "0.25"})
    assert sims.hyperparameters["popularity_discount_factor"] == 0.25


def test_recipes_without_an_implementation_are_refused() -> None:
    for recipe in ("aws-next-best-action", "nope"):
        with pytest.raises(ValueError, match="no implementation"):
            fit_recipe(recipe, two_clusters(), {})


def test_recipes_import_only_numeric_libraries() -> None:
    # Besides numeric libraries, recipes may use domain's plain data (filter expressions, errors).
    allowed = {"numpy", "scipy", "pyarrow", "implicit", "threadpoolctl", "recipes", "__future__"}
    allowed |= {"domain"}
    for path in (Path(__file__).resolve().parents[2] / "recipes").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top in allowed or top in sys.stdlib_module_names, f"{path.name}: {name}"
