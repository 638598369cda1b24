import json

import numpy as np
import pytest

from recipes.artifact_format import (
    ArtifactFormatError,
    load_extra_arrays,
    load_model,
    read_manifest,
    save_model,
)
from recipes.fitting import fit_recipe
from recipes.histories import histories_from_lists
from recipes.interactions import encode_ids
from recipes.item_features import categorical_feature_matrix
from recipes.personalization import PersonalizationOptions, recommend
from recipes.popularity import recommend_popular
from recipes.related_items import related

from .conftest import two_clusters

RECIPES = {
    "ease": ("aws-user-personalization", {}),
    "als": ("aws-personalized-ranking", {"hidden_dimension": "4"}),
    "popularity": ("aws-trending-now", {}),
    "sims": ("aws-sims", {}),
    "similar-items": ("aws-similar-items", {}),
}


def _fit(name):
    recipe, hyperparameters = RECIPES[name]
    data = two_clusters()
    algorithm = "als" if name == "als" else "auto"
    features, _ = categorical_feature_matrix({"g": ["A"] * 20 + ["B"] * 20}, 40)
    options = PersonalizationOptions(algorithm=algorithm, num_threads=1)
    return fit_recipe(recipe, data, hyperparameters, item_features=features, options=options)


def _answers(model):
    if hasattr(model, "item_gram"):
        return recommend(model, histories_from_lists([[0, 1], []]), 5)[0]
    if hasattr(model, "neighbour_codes"):
        return related(model, [0, 25, -1], 5)[0]
    return recommend_popular(model, 5)[0]


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_models_round_trip_memory_mapped_without_pickle(name, tmp_path) -> None:
    model = _fit(name)
    save_model(model, tmp_path, extra={"metrics": {"coverage": 0.5}})
    manifest = read_manifest(tmp_path)
    assert manifest["recipe"] == model.recipe and manifest["extra"]["metrics"]["coverage"] == 0.5
    for entry in manifest["arrays"].values():
        array = np.load(tmp_path / entry["file"], allow_pickle=False)
        assert list(array.shape) == entry["shape"]
    loaded = load_model(tmp_path)
    assert type(loaded) is type(model) and loaded.hyperparameters == model.hyperparameters
    for field_name, entry in manifest["arrays"].items():
        array = getattr(loaded, field_name)
        if 0 not in entry["shape"]:
            assert isinstance(array, np.memmap) and not array.flags.writeable
        np.testing.assert_array_equal(array, getattr(model, field_name))
    np.testing.assert_array_equal(_answers(loaded), _answers(model))
    in_memory = load_model(tmp_path, mmap=False)
    assert not any(isinstance(getattr(in_memory, f), np.memmap) for f in manifest["arrays"])


def test_id_maps_are_stored_as_unicode_arrays(tmp_path) -> None:
    _, item_ids = encode_ids(["item-é", "b", "a-long-item-id"])
    save_model(_fit("popularity"), tmp_path, extra_arrays={"item_ids": item_ids})
    loaded = load_extra_arrays(tmp_path)
    assert loaded["item_ids"].tolist() == ["item-é", "b", "a-long-item-id"]


def test_object_arrays_are_refused(tmp_path) -> None:
    ids = np.array(["a", "b"], dtype=object)
    with pytest.raises(ArtifactFormatError, match="object"):
        save_model(_fit("popularity"), tmp_path, extra_arrays={"ids": ids})


def test_incomplete_or_foreign_directories_are_refused(tmp_path) -> None:
    with pytest.raises(ArtifactFormatError, match="does not exist"):
        load_model(tmp_path)
    save_model(_fit("popularity"), tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["format_version"] = 99
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ArtifactFormatError, match="version"):
        load_model(tmp_path)


def test_arrays_that_disagree_with_the_manifest_are_refused(tmp_path) -> None:
    save_model(_fit("popularity"), tmp_path)
    np.save(tmp_path / "item_scores.npy", np.zeros(3, np.float32))
    with pytest.raises(ArtifactFormatError, match="item_scores"):
        load_model(tmp_path)
