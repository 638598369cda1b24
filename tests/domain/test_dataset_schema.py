"""Tests for domain.dataset_schema: CreateSchema validation and UpdateDataset compatibility."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from domain.dataset_schema import (
    DATASET_TYPES,
    DatasetSchema,
    SchemaField,
    canonical_dataset_type,
    parse_dataset_schema,
    record_name_for,
    schemas_compatible_for_update,
)
from domain.errors import InvalidInputException

# --- helpers -------------------------------------------------------------------------------------


def record(name: str, fields: list[Any], **extra: Any) -> str:
    doc = {
        "type": "record",
        "name": name,
        "namespace": "com.amazonaws.personalize.schema",
        "fields": fields,
        "version": "1.0",
    }
    doc.update(extra)
    return json.dumps(doc)


def f(name: str, type_: Any = "string", **attrs: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **attrs}


def interactions(*extra: dict[str, Any]) -> str:
    return record("Interactions", [f("USER_ID"), f("ITEM_ID"), f("TIMESTAMP", "long"), *extra])


def items(*extra: dict[str, Any]) -> str:
    return record("Items", [f("ITEM_ID"), *extra])


def users(*extra: dict[str, Any]) -> str:
    return record("Users", [f("USER_ID"), *extra])


def rejects(schema: str, *fragments: str, domain: str | None = None) -> str:
    """Assert the schema is refused and the message carries every fragment."""
    with pytest.raises(InvalidInputException) as info:
        parse_dataset_schema(schema, domain)
    message = info.value.message
    assert message.startswith("schema: "), message
    for fragment in fragments:
        assert fragment in message, message
    return message


AWS_INTERACTIONS = """{
  "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
  "fields": [
    {"name": "USER_ID", "type": "string"},
    {"name": "ITEM_ID", "type": "string"},
    {"name": "EVENT_TYPE", "type": "string"},
    {"name": "EVENT_VALUE", "type": ["float", "null"]},
    {"name": "LOCATION", "type": "string", "categorical": true},
    {"name": "DEVICE", "type": ["string", "null"], "categorical": true},
    {"name": "TIMESTAMP", "type": "long"},
    {"name": "IMPRESSION", "type": "string"}
  ],
  "version": "1.0"
}"""

AWS_USERS = """{
  "type": "record", "name": "Users", "namespace": "com.amazonaws.personalize.schema",
  "fields": [
    {"name": "USER_ID", "type": "string"},
    {"name": "AGE", "type": "int"},
    {"name": "GENDER", "type": "string", "categorical": true}
  ],
  "version": "1.0"
}"""

AWS_ITEMS = """{
  "type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
  "fields": [
    {"name": "ITEM_ID", "type": "string"},
    {"name": "GENRES", "type": ["null", "string"], "categorical": true},
    {"name": "CREATION_TIMESTAMP", "type": "long"}
  ],
  "version": "1.0"
}"""

AWS_ECOMMERCE_ITEMS = """{
  "type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
  "fields": [
    {"name": "ITEM_ID", "type": "string"},
    {"name": "PRICE", "type": "float"},
    {"name": "CATEGORY_L1", "type": ["string"], "categorical": true}
  ],
  "version": "1.0"
}"""


# --- valid schemas -------------------------------------------------------------------------------


def test_aws_example_interactions_schema() -> None:
    schema = parse_dataset_schema(AWS_INTERACTIONS)
    assert schema.record_name == "Interactions"
    assert schema.dataset_type == "INTERACTIONS"
    assert schema.domain is None
    assert schema.field_names == (
        "USER_ID",
        "ITEM_ID",
        "EVENT_TYPE",
        "EVENT_VALUE",
        "LOCATION",
        "DEVICE",
        "TIMESTAMP",
        "IMPRESSION",
    )
    event_value = schema.field("EVENT_VALUE")
    assert event_value == SchemaField("EVENT_VALUE", ("float", "null"), False, False, False)
    assert event_value.nullable and event_value.base_type == "float"
    assert schema.field("LOCATION").categorical
    assert not schema.field("EVENT_TYPE").categorical
    assert schema.field("TIMESTAMP").types == ("long",)
    assert not schema.field("TIMESTAMP").nullable


def test_aws_example_users_schema() -> None:
    schema = parse_dataset_schema(AWS_USERS)
    assert schema.dataset_type == "USERS"
    assert schema.field("AGE") == SchemaField("AGE", ("int",), False, False, False)
    assert schema.field("GENDER").categorical


def test_aws_example_items_schema() -> None:
    schema = parse_dataset_schema(AWS_ITEMS)
    assert schema.dataset_type == "ITEMS"
    genres = schema.field("GENRES")
    assert genres.types == ("null", "string")
    assert genres.categorical and genres.nullable and genres.base_type == "string"


@pytest.mark.parametrize("union", [["string", "null"], ["null", "string"]])
def test_nullable_union_in_either_order(union: list[str]) -> None:
    schema = parse_dataset_schema(users(f("TIER", union, categorical=True)))
    tier = schema.field("TIER")
    assert tier.types == tuple(union)
    assert tier.nullable
    assert tier.base_type == "string"


@pytest.mark.parametrize("primitive", ["float", "double", "int", "long", "string", "boolean"])
def test_every_primitive_type_is_accepted(primitive: str) -> None:
    field = parse_dataset_schema(users(f("X", primitive))).field("X")
    assert field.base_type == primitive
    assert not field.nullable


def test_null_only_field_base_type_is_null() -> None:
    field = parse_dataset_schema(users(f("NOTHING", "null"))).field("NOTHING")
    assert field.nullable and field.base_type == "null"


def test_single_element_union_equals_plain_type() -> None:
    field = parse_dataset_schema(AWS_ECOMMERCE_ITEMS, "ECOMMERCE").field("CATEGORY_L1")
    assert field.types == ("string",)
    assert not field.nullable


def test_ecommerce_items_domain_schema() -> None:
    schema = parse_dataset_schema(AWS_ECOMMERCE_ITEMS, "ECOMMERCE")
    assert schema.domain == "ECOMMERCE"
    assert schema.dataset_type == "ITEMS"
    assert schema.field("PRICE").base_type == "float"
    full = items(
        f("PRICE", "float"),
        f("CATEGORY_L1", categorical=True),
        f("CATEGORY_L2", ["null", "string"], categorical=True),
        f("PRODUCT_DESCRIPTION", ["null", "string"], textual=True),
        f("CREATION_TIMESTAMP", "long"),
        f("GENDER", categorical=True),
        f("BRAND", categorical=True),
    )
    schema = parse_dataset_schema(full, "ECOMMERCE")
    assert schema.field("PRODUCT_DESCRIPTION").textual
    assert schema.field("BRAND").categorical


def test_video_on_demand_domain_schemas() -> None:
    vod_items = items(
        f("CREATION_TIMESTAMP", "long"),
        f("GENRES", categorical=True),
        f("AVERAGE_RATING", ["float", "null"]),
        f("CONTENT_OWNER", categorical=True),
    )
    assert parse_dataset_schema(vod_items, "VIDEO_ON_DEMAND").domain == "VIDEO_ON_DEMAND"
    vod_users = users(f("SUBSCRIPTION_MODEL", categorical=True))
    assert parse_dataset_schema(vod_users, "VIDEO_ON_DEMAND").dataset_type == "USERS"


def test_domain_interactions_with_event_type() -> None:
    schema = parse_dataset_schema(interactions(f("EVENT_TYPE")), "ECOMMERCE")
    assert schema.field("EVENT_TYPE").types == ("string",)


def test_actions_and_action_interactions_schemas() -> None:
    actions = record(
        "Actions",
        [
            f("ACTION_ID"),
            f("VALUE", ["null", "long"]),
            f("MEMBERSHIP_LEVEL", ["null", "string"], categorical=True),
            f("CREATION_TIMESTAMP", "long"),
            f("REPEAT_FREQUENCY", ["long", "null"]),
        ],
    )
    assert parse_dataset_schema(actions).dataset_type == "ACTIONS"
    action_interactions = record(
        "ActionInteractions",
        [f("USER_ID"), f("ACTION_ID"), f("EVENT_TYPE"), f("TIMESTAMP", "long")],
    )
    schema = parse_dataset_schema(action_interactions)
    assert schema.dataset_type == "ACTION_INTERACTIONS"
    assert schema.record_name == "ActionInteractions"


def test_item_name_attribute_on_items_string_field() -> None:
    schema = parse_dataset_schema(items(f("TITLE", itemName=True)))
    assert schema.field("TITLE").item_name


def test_field_lookup_and_frozen_dataclasses() -> None:
    schema = parse_dataset_schema(AWS_USERS)
    assert schema.field("NOPE") is None
    assert schema.field("gender") is None  # lookup is exact
    assert isinstance(schema, DatasetSchema)
    with pytest.raises(dataclasses.FrozenInstanceError):
        schema.domain = "ECOMMERCE"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        schema.fields[0].name = "X"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("build", "limit"),
    [
        (lambda extra: interactions(*extra), 5),
        (lambda extra: users(*extra), 25),
        (lambda extra: items(*extra), 100),
        (lambda extra: record("Actions", [f("ACTION_ID"), *extra]), 10),
        (
            lambda extra: record(
                "ActionInteractions",
                [f("USER_ID"), f("ACTION_ID"), f("EVENT_TYPE"), f("TIMESTAMP", "long"), *extra],
            ),
            5,
        ),
    ],
)
def test_metadata_limit_is_inclusive_and_enforced(build: Any, limit: int) -> None:
    fields = [f(f"M{i}", "int") for i in range(limit)]
    assert len(parse_dataset_schema(build(fields)).fields) >= limit
    message = rejects(build([*fields, f("EXTRA", "int")]), f"at most {limit} metadata", "EXTRA")
    assert f"found {limit + 1}" in message


def test_reserved_interaction_fields_do_not_count_as_metadata() -> None:
    reserved = [
        f("EVENT_TYPE"),
        f("EVENT_VALUE", "float"),
        f("IMPRESSION", ["null", "string"]),
        f("RECOMMENDATION_ID", ["string", "null"]),
        f("EVENT_ATTRIBUTION_SOURCE", "string"),
    ]
    custom = [f(f"CTX{i}", categorical=True) for i in range(5)]
    assert len(parse_dataset_schema(interactions(*reserved, *custom)).fields) == 13


# --- document-level rejections -------------------------------------------------------------------


def test_rejects_invalid_json() -> None:
    rejects('{"type": "record",', "not valid JSON")


@pytest.mark.parametrize("text", ["", "   "])
def test_rejects_empty_schema(text: str) -> None:
    rejects(text, "non-empty")


def test_rejects_overlong_schema() -> None:
    padded = users(f("A", "int", doc="x" * 20000))
    rejects(padded, "at most 20000 characters")


@pytest.mark.parametrize(
    "doc",
    [
        [],
        "record",
        {"type": "enum", "name": "Users", "symbols": ["A"]},
        {"name": "Users", "fields": [{"name": "USER_ID", "type": "string"}]},
    ],
)
def test_rejects_non_record(doc: Any) -> None:
    rejects(json.dumps(doc), "Avro record")


@pytest.mark.parametrize("name", ["Interaction", "interactions", "Action_Interactions", None])
def test_rejects_unknown_record_name(name: Any) -> None:
    rejects(record(name, [f("USER_ID")]), "record name must be one of", json.dumps(name))


@pytest.mark.parametrize("fields", [[], None, {"name": "USER_ID", "type": "string"}])
def test_rejects_missing_or_empty_fields(fields: Any) -> None:
    rejects(record("Users", fields), '"fields" must be a non-empty list')


def test_rejects_field_that_is_not_an_object() -> None:
    rejects(record("Users", [f("USER_ID"), "AGE"]), "fields[1] must be a JSON object")


def test_rejects_field_without_name() -> None:
    rejects(record("Users", [f("USER_ID"), {"type": "int"}]), 'fields[1] has no "name"')


@pytest.mark.parametrize("name", ["1ABC", "MY-FIELD", "HAS SPACE", "ÉTÉ", "A" * 151])
def test_rejects_invalid_field_name(name: str) -> None:
    rejects(users(f(name, "int")), f'field "{name}"', "invalid name")


def test_accepts_longest_field_name() -> None:
    assert parse_dataset_schema(users(f("A" * 150, "int"))).field("A" * 150) is not None


def test_rejects_field_without_type() -> None:
    rejects(record("Users", [f("USER_ID"), {"name": "AGE"}]), 'field "AGE" has no "type"')


@pytest.mark.parametrize("type_", ["bytes", "fixed", "STRING", 7])
def test_rejects_unsupported_type(type_: Any) -> None:
    rejects(users(f("AGE", type_)), 'field "AGE"', "unsupported type")


@pytest.mark.parametrize(
    "type_",
    [
        {"type": "record", "name": "Nested", "fields": []},
        {"type": "array", "items": "string"},
        {"type": "map", "values": "string"},
        {"type": "enum", "name": "E", "symbols": ["A"]},
        ["null", {"type": "array", "items": "string"}],
        [["string"], "null"],
    ],
)
def test_rejects_nested_types(type_: Any) -> None:
    rejects(users(f("TAGS", type_)), 'field "TAGS"', "nested records, arrays, maps and enums")


@pytest.mark.parametrize(
    "union", [["string", "int"], ["null", "null"], ["string", "null", "int"], [], ["bytes", "null"]]
)
def test_rejects_invalid_union(union: list[str]) -> None:
    rejects(users(f("MIXED", union)), 'field "MIXED"', "unsupported type")


# --- attribute rules -----------------------------------------------------------------------------


@pytest.mark.parametrize("attr", ["categorical", "textual", "itemName"])
def test_rejects_non_boolean_attribute(attr: str) -> None:
    rejects(items(f("GENRE", **{attr: "true"})), 'field "GENRE"', f'"{attr}" must be true or false')


@pytest.mark.parametrize("type_", ["int", ["null", "float"], "boolean"])
def test_rejects_categorical_on_non_string(type_: Any) -> None:
    rejects(users(f("AGE", type_, categorical=True)), 'field "AGE" is categorical', "only string")


def test_rejects_textual_outside_items() -> None:
    rejects(users(f("BIO", textual=True)), 'field "BIO" is textual', "only in Items")


def test_rejects_textual_on_non_string() -> None:
    rejects(items(f("SCORE", "double", textual=True)), 'field "SCORE" is textual', "only string")


def test_rejects_more_than_one_textual_field() -> None:
    message = rejects(
        items(f("DESCRIPTION", textual=True), f("SUMMARY", ["null", "string"], textual=True)),
        "at most 1",
    )
    assert '"DESCRIPTION"' in message and '"SUMMARY"' in message


def test_rejects_item_name_outside_items() -> None:
    rejects(interactions(f("TITLE", itemName=True)), 'field "TITLE" is itemName', "only in Items")


def test_rejects_item_name_on_non_string() -> None:
    rejects(items(f("TITLE", "int", itemName=True)), 'field "TITLE" is itemName', "only string")


def test_rejects_categorical_and_textual_together() -> None:
    rejects(
        items(f("DESCRIPTION", categorical=True, textual=True)),
        'field "DESCRIPTION"',
        "both categorical and textual",
    )


# --- naming --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [("GENRES_FIELD_1", "GENRESFIELD1"), ("Genre", "GENRE"), ("AGE", "AGE"), ("A", "A")],
)
def test_rejects_colliding_field_names(first: str, second: str) -> None:
    message = rejects(users(f(first, "int"), f(second, "int")), f'field "{second}"', "unique")
    if first != second:
        assert f'collides with field "{first}"' in message


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [("user_id", "USER_ID"), ("Timestamp", "TIMESTAMP"), ("EventType", "EVENT_TYPE")],
)
def test_rejects_misspelled_reserved_names(spelling: str, canonical: str) -> None:
    fields = {"USER_ID": f("USER_ID"), "ITEM_ID": f("ITEM_ID"), "TIMESTAMP": f("TIMESTAMP", "long")}
    fields[canonical] = f(spelling, "long" if canonical == "TIMESTAMP" else "string")
    schema = record("Interactions", list(fields.values()))
    rejects(schema, f'field "{spelling}"', f"must be spelled {canonical}")


# --- required and reserved fields ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fields", "missing"),
    [
        ("Interactions", [f("USER_ID"), f("ITEM_ID")], "TIMESTAMP"),
        ("Interactions", [f("ITEM_ID"), f("TIMESTAMP", "long")], "USER_ID"),
        ("Users", [f("AGE", "int"), f("NAME")], "USER_ID"),
        ("Items", [f("PRICE", "float")], "ITEM_ID"),
        ("Actions", [f("VALUE", "long")], "ACTION_ID"),
        (
            "ActionInteractions",
            [f("USER_ID"), f("ACTION_ID"), f("TIMESTAMP", "long")],
            "EVENT_TYPE",
        ),
    ],
)
def test_rejects_missing_required_field(name: str, fields: list[Any], missing: str) -> None:
    rejects(record(name, fields), f'required field "{missing}" is missing', name)


def test_rejects_required_field_of_wrong_type() -> None:
    schema = record("Interactions", [f("USER_ID"), f("ITEM_ID"), f("TIMESTAMP")])
    message = rejects(schema, 'field "TIMESTAMP" must be of type long, found string')
    assert message == 'schema: field "TIMESTAMP" must be of type long, found string'


def test_rejects_nullable_required_field() -> None:
    schema = record("Users", [f("USER_ID", ["string", "null"]), f("AGE", "int")])
    rejects(schema, 'field "USER_ID" must be of type string, found ["string", "null"]')


@pytest.mark.parametrize(
    ("schema", "field", "expected"),
    [
        (interactions(f("EVENT_VALUE", "int")), "EVENT_VALUE", 'float or ["float", "null"]'),
        (interactions(f("IMPRESSION", "long")), "IMPRESSION", "string or"),
        (interactions(f("EVENT_TYPE", ["string", "null"])), "EVENT_TYPE", "string,"),
        (items(f("CREATION_TIMESTAMP", "string")), "CREATION_TIMESTAMP", "long,"),
        (items(f("CREATION_TIMESTAMP", ["long", "null"])), "CREATION_TIMESTAMP", "long,"),
        (
            record("Actions", [f("ACTION_ID"), f("EXPIRATION_TIMESTAMP", "int")]),
            "EXPIRATION_TIMESTAMP",
            'long or ["long", "null"]',
        ),
    ],
)
def test_rejects_reserved_field_of_wrong_type(schema: str, field: str, expected: str) -> None:
    rejects(schema, f'field "{field}" must be of type {expected}')


def test_reserved_name_outside_its_dataset_type_is_ordinary_metadata() -> None:
    # CREATION_TIMESTAMP is reserved for Items/Actions only; in Users any type is fine.
    schema = parse_dataset_schema(users(f("CREATION_TIMESTAMP", categorical=True)))
    assert schema.field("CREATION_TIMESTAMP").categorical


def test_rejects_categorical_event_type() -> None:
    rejects(
        interactions(f("EVENT_TYPE", categorical=True)),
        'field "EVENT_TYPE"',
        "must not be categorical",
    )


def test_rejects_categorical_id_field() -> None:
    schema = record("Users", [f("USER_ID", categorical=True), f("AGE", "int")])
    rejects(schema, 'field "USER_ID" is a required field', "must not be categorical")


def test_rejects_item_name_on_reserved_field() -> None:
    schema = record("Items", [f("ITEM_ID", itemName=True), f("TITLE")])
    rejects(schema, 'field "ITEM_ID" is a required field', "must not be itemName")


@pytest.mark.parametrize("name", ["Users", "Items", "Actions"])
def test_rejects_schema_with_only_the_id(name: str) -> None:
    id_field = {"Users": "USER_ID", "Items": "ITEM_ID", "Actions": "ACTION_ID"}[name]
    rejects(record(name, [f(id_field)]), "at least one metadata field", id_field)


# --- domain rules --------------------------------------------------------------------------------


def test_rejects_unknown_domain() -> None:
    with pytest.raises(InvalidInputException) as info:
        parse_dataset_schema(AWS_USERS, "RETAIL")
    assert info.value.message.startswith("domain: ")
    assert "RETAIL" in info.value.message


def test_domain_items_require_domain_fields() -> None:
    custom_ok = items(f("CATEGORY_L1", categorical=True), f("CREATION_TIMESTAMP", "long"))
    assert parse_dataset_schema(custom_ok).domain is None
    rejects(custom_ok, 'required field "PRICE" is missing', "ECOMMERCE", domain="ECOMMERCE")
    rejects(custom_ok, 'required field "GENRES" is missing', domain="VIDEO_ON_DEMAND")


def test_rejects_domain_required_field_without_categorical() -> None:
    schema = items(f("PRICE", "float"), f("CATEGORY_L1"))
    rejects(schema, 'field "CATEGORY_L1"', "must be categorical", domain="ECOMMERCE")


def test_rejects_domain_textual_reserved_field_without_textual() -> None:
    schema = items(
        f("PRICE", "float"), f("CATEGORY_L1", categorical=True), f("PRODUCT_DESCRIPTION")
    )
    rejects(schema, 'field "PRODUCT_DESCRIPTION"', "must be textual", domain="ECOMMERCE")


def test_domain_interactions_require_event_type() -> None:
    assert parse_dataset_schema(interactions()).domain is None
    rejects(interactions(), 'required field "EVENT_TYPE"', domain="VIDEO_ON_DEMAND")


def test_rejects_actions_schema_in_a_domain() -> None:
    actions = record("Actions", [f("ACTION_ID"), f("VALUE", "long")])
    rejects(actions, "Actions schemas are not supported in domain ECOMMERCE", domain="ECOMMERCE")


# --- UpdateDataset compatibility -----------------------------------------------------------------


OLD_ITEMS = items(f("GENRES", ["null", "string"], categorical=True), f("PRICE", "float"))


def update_error(old: str, new: str) -> str:
    with pytest.raises(InvalidInputException) as info:
        schemas_compatible_for_update(parse_dataset_schema(old), parse_dataset_schema(new))
    assert info.value.message.startswith("schemaArn: ")
    return info.value.message


def test_update_accepts_added_nullable_field() -> None:
    new = items(
        f("GENRES", ["string", "null"], categorical=True),  # union order is immaterial
        f("BRAND", ["null", "string"], categorical=True),
        f("PRICE", "float"),
    )
    assert (
        schemas_compatible_for_update(parse_dataset_schema(OLD_ITEMS), parse_dataset_schema(new))
        is None
    )
    old_users = parse_dataset_schema(AWS_USERS)
    new_users = parse_dataset_schema(
        users(f("AGE", "int"), f("GENDER", categorical=True), f("CITY", ["null", "string"]))
    )
    schemas_compatible_for_update(old_users, new_users)


def test_update_rejects_added_non_nullable_field() -> None:
    new = items(f("GENRES", ["null", "string"], categorical=True), f("PRICE", "float"), f("BRAND"))
    assert '"BRAND" must allow null' in update_error(OLD_ITEMS, new)


def test_update_rejects_removed_field() -> None:
    new = items(f("GENRES", ["null", "string"], categorical=True))
    assert '"PRICE"' in update_error(OLD_ITEMS, new)


@pytest.mark.parametrize(
    "genres",
    [
        f("GENRES", ["null", "string"]),  # categorical dropped
        f("GENRES", "string", categorical=True),  # no longer nullable
        f("GENRES", ["null", "int"]),  # type changed
        f("GENRES", ["null", "string"], categorical=True, itemName=True),  # attribute added
    ],
)
def test_update_rejects_changed_field(genres: dict[str, Any]) -> None:
    new = items(genres, f("PRICE", "float"))
    assert 'field "GENRES" must keep its type and attributes' in update_error(OLD_ITEMS, new)


def test_update_rejects_interactions_dataset() -> None:
    assert "only Items and Users" in update_error(interactions(), interactions())


def test_update_rejects_changed_dataset_type() -> None:
    assert "Users" in update_error(OLD_ITEMS, AWS_USERS)


def test_update_rejects_changed_domain() -> None:
    old = parse_dataset_schema(AWS_ECOMMERCE_ITEMS, "ECOMMERCE")
    new = parse_dataset_schema(
        items(f("PRICE", "float"), f("CATEGORY_L1", ["string"], categorical=True))
    )
    with pytest.raises(InvalidInputException, match="domain"):
        schemas_compatible_for_update(old, new)


# --- dataset types -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Interactions", "INTERACTIONS"),
        ("interactions", "INTERACTIONS"),
        ("ITEMS", "ITEMS"),
        ("Users", "USERS"),
        ("actions", "ACTIONS"),
        ("Action_Interactions", "ACTION_INTERACTIONS"),
        ("ACTION_INTERACTIONS", "ACTION_INTERACTIONS"),
    ],
)
def test_canonical_dataset_type(spelling: str, canonical: str) -> None:
    assert canonical_dataset_type(spelling) == canonical
    assert DATASET_TYPES[spelling] == canonical
    assert spelling in DATASET_TYPES


@pytest.mark.parametrize("value", ["", "Clicks", "Item", "Action Interactions"])
def test_canonical_dataset_type_rejects_unknown(value: str) -> None:
    with pytest.raises(InvalidInputException) as info:
        canonical_dataset_type(value)
    assert info.value.message.startswith("datasetType: ")
    assert repr(value) in info.value.message


def test_dataset_types_mapping_lists_the_documented_spellings() -> None:
    assert list(DATASET_TYPES) == [
        "Interactions",
        "Items",
        "Users",
        "Actions",
        "Action_Interactions",
    ]
    assert len(DATASET_TYPES) == 5


@pytest.mark.parametrize(
    ("dataset_type", "record_name"),
    [
        ("INTERACTIONS", "Interactions"),
        ("ITEMS", "Items"),
        ("USERS", "Users"),
        ("ACTIONS", "Actions"),
        ("ACTION_INTERACTIONS", "ActionInteractions"),
    ],
)
def test_record_name_for(dataset_type: str, record_name: str) -> None:
    assert record_name_for(dataset_type) == record_name
    schema_fields = {
        "Interactions": [f("USER_ID"), f("ITEM_ID"), f("TIMESTAMP", "long")],
        "Items": [f("ITEM_ID"), f("A", "int")],
        "Users": [f("USER_ID"), f("A", "int")],
        "Actions": [f("ACTION_ID"), f("A", "int")],
        "ActionInteractions": [
            f("USER_ID"),
            f("ACTION_ID"),
            f("EVENT_TYPE"),
            f("TIMESTAMP", "long"),
        ],
    }[record_name]
    assert parse_dataset_schema(record(record_name, schema_fields)).dataset_type == dataset_type


def test_record_name_for_rejects_unknown() -> None:
    with pytest.raises(InvalidInputException, match="datasetType"):
        record_name_for("CLICKS")
