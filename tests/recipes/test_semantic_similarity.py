"""Semantic-Similarity's TF-IDF approximation: planted text with known neighbours."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
import scipy.sparse as sp

from recipes import semantic_similarity
from recipes.artifact_format import load_model, save_model
from recipes.interactions import Interactions, make_interactions
from recipes.related_items import RelatedItemsModel, related
from recipes.semantic_similarity import (
    fit_semantic_similarity,
    fit_semantic_similarity_reference,
    item_term_counts,
    text_terms,
)

# Pairs (0, 1), (2, 3), (4, 5) share their distinctive words; every item says "great" and "the".
DESCRIPTIONS = [
    "The great <b>waterproof</b> hiking boots",
    "Hiking boots, waterproof &amp; great for the trail",
    "The great espresso coffee grinder",
    "Burr grinder for espresso coffee: the great choice",
    "Wireless noise-cancelling headphones, the great sound",
    "The great headphones: wireless, noise cancelling",
    None,  # item 6 has no text
]


def few_events(n_items: int) -> Interactions:
    """Item 6 is the most popular (three users), then item 0 (one user)."""
    return make_interactions([0, 1, 2, 3], [6, 6, 6, 0], n_users=4, n_items=n_items)


def test_text_is_lowercased_stripped_of_markup_and_split_into_words() -> None:
    rows, words = text_terms(pa.array(["<p>Rock&amp;Roll</p> a 42 Café", None, "x-ray"]))
    assert rows.tolist() == [0, 0, 0, 0, 2]
    assert words.to_pylist() == ["rock", "roll", "42", "café", "ray"]


def test_term_counts_join_text_fields_and_categorical_values() -> None:
    counts, terms = item_term_counts(
        {"NAME": pa.array(["red shoe", "blue"]), "TEXT": pa.array(["shoe shoe", None])},
        {"GENRE": pa.array(["Sport|Casual", None])},
        2,
    )
    by_term = dict(zip(terms.tolist(), counts.toarray()[0].tolist(), strict=True))
    assert by_term == {"red": 1, "shoe": 3, "blue": 0, "GENRE=Sport": 1, "GENRE=Casual": 1}
    with pytest.raises(ValueError, match="3 items"):
        item_term_counts({"NAME": pa.array(["a"])}, {}, 3)


def test_items_whose_descriptions_share_words_are_neighbours() -> None:
    counts, _ = item_term_counts({"DESCRIPTION": pa.array(DESCRIPTIONS)}, {}, len(DESCRIPTIONS))
    model = fit_semantic_similarity(few_events(len(DESCRIPTIONS)), counts)
    assert isinstance(model, RelatedItemsModel) and model.recipe == "aws-semantic-similarity"
    codes, scores = related(model, np.arange(6), 1)
    assert codes[:, 0].tolist() == [1, 0, 3, 2, 5, 4]
    assert (scores[:, 0] > 0.5).all()
    # Other items share only common words ("the", "great", "for"): far weaker neighbours.
    for item in range(6):
        start, end = model.neighbour_indptr[item], model.neighbour_indptr[item + 1]
        assert (model.neighbour_scores[start + 1 : end] < 0.2).all()
    assert 6 not in model.neighbour_codes.tolist()


def test_items_without_text_get_popular_items() -> None:
    counts, _ = item_term_counts({"DESCRIPTION": pa.array(DESCRIPTIONS)}, {}, len(DESCRIPTIONS))
    model = fit_semantic_similarity(few_events(len(DESCRIPTIONS)), counts)
    codes, scores = related(model, np.array([6, -1]), 2)
    assert codes.tolist() == [[0, 1], [6, 0]]
    assert scores.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    first, _ = related(model, np.array([2]), 6)
    assert first[0].tolist() == [3, 0, 5, 1, 4, 6]  # all neighbours, then popular items


def test_neighbours_match_the_dense_pairwise_reference() -> None:
    rng = np.random.default_rng(4)
    counts = sp.random(60, 25, density=0.12, random_state=rng, dtype=np.float32)
    counts.data = np.ceil(counts.data * 3)
    counts = counts.tocsr()
    model = fit_semantic_similarity(
        make_interactions([0], [0], n_users=1, n_items=60), counts, max_neighbours=60
    )
    reference = fit_semantic_similarity_reference(counts)
    for item in range(60):
        start, end = model.neighbour_indptr[item], model.neighbour_indptr[item + 1]
        codes, scores = model.neighbour_codes[start:end], model.neighbour_scores[start:end]
        assert (np.diff(scores) <= 1e-6).all()  # best first
        expected = dict(reference[item])
        assert sorted(codes.tolist()) == sorted(expected)
        np.testing.assert_allclose(scores, [expected[c] for c in codes.tolist()], rtol=1e-4)


def test_the_model_round_trips_through_the_artifact_format(tmp_path) -> None:
    counts, _ = item_term_counts({"DESCRIPTION": pa.array(DESCRIPTIONS)}, {}, len(DESCRIPTIONS))
    model = fit_semantic_similarity(few_events(len(DESCRIPTIONS)), counts)
    save_model(model, tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert isinstance(loaded, RelatedItemsModel) and loaded.recipe == model.recipe
    np.testing.assert_array_equal(
        related(loaded, np.arange(7), 3)[0], related(model, np.arange(7), 3)[0]
    )


def test_blocked_products_give_the_same_neighbours(monkeypatch) -> None:
    rng = np.random.default_rng(5)
    counts = sp.random(300, 40, density=0.08, random_state=rng, dtype=np.float32).tocsr()
    events = make_interactions([0], [0], n_users=1, n_items=300)
    whole = fit_semantic_similarity(events, counts)
    monkeypatch.setattr(semantic_similarity, "_CELLS_PER_BLOCK", 50)
    assert len(semantic_similarity._blocks(semantic_similarity.tfidf_rows(counts))) > 10
    blocked = fit_semantic_similarity(events, counts)
    np.testing.assert_array_equal(blocked.neighbour_indptr, whole.neighbour_indptr)
    np.testing.assert_array_equal(blocked.neighbour_codes, whole.neighbour_codes)
    np.testing.assert_allclose(blocked.neighbour_scores, whole.neighbour_scores, rtol=1e-6)


def test_words_in_many_items_do_not_make_neighbours() -> None:
    # 400 items all say "shipping"; 40 of them say "included" too (10% > 5%, 40 < 100 items:
    # kept); item pairs (2k, 2k + 1) share a distinctive word.
    text = [f"free shipping{' included' if n < 40 else ''} word{n // 2}" for n in range(400)]
    counts, _ = item_term_counts({"DESCRIPTION": pa.array(text)}, {}, 400)
    model = fit_semantic_similarity(make_interactions([0], [0], n_users=1, n_items=400), counts)
    lengths = np.diff(model.neighbour_indptr)
    assert lengths[40:].tolist() == [1] * 360  # only the partner: "free shipping" dropped
    assert (lengths[:40] == 39).all()  # partner first, then the other "included" items
    assert model.neighbour_codes[model.neighbour_indptr[2]] == 3
