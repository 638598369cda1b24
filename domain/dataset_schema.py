"""Validation of dataset schemas: the Avro ``schema`` string of CreateSchema (spec §4).

A schema is one flat Avro record whose ``name`` is the dataset type. This module parses it into a
:class:`DatasetSchema`, enforcing the field-type, attribute, naming, required/reserved-field and
metadata-count rules, and checks UpdateDataset schema replacements (spec §2.3). Every refusal is an
``InvalidInputException`` whose message starts with ``schema:`` and names the offending field.

Decisions where the reference is silent:
* Required and reserved fields must be spelled exactly (``USER_ID``); a field that differs only in
  case or non-alphanumeric characters (``user_id``, ``UserId``) is refused rather than guessed.
* Required fields may not be nullable; reserved fields listed as ``(+null)`` may be either.
* A one-element union such as ``["string"]`` (used by AWS default schemas) equals ``"string"``.
* "Metadata fields" (the count limits) are fields that are neither required nor reserved; the
  at-least-one rule for Users/Items/Actions counts every field besides the id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from domain.errors import InvalidInputException

PRIMITIVE_TYPES: tuple[str, ...] = ("float", "double", "int", "long", "string", "boolean", "null")
DOMAINS: tuple[str, ...] = ("ECOMMERCE", "VIDEO_ON_DEMAND")
MAX_SCHEMA_LENGTH = 20000
MAX_FIELD_NAME_LENGTH = 150
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ATTRIBUTES = ("categorical", "textual", "itemName")

# Canonical dataset type -> Avro record name, and the documented input spellings.
_RECORD_NAMES: dict[str, str] = {
    "INTERACTIONS": "Interactions",
    "ITEMS": "Items",
    "USERS": "Users",
    "ACTIONS": "Actions",
    "ACTION_INTERACTIONS": "ActionInteractions",
}
_SPELLINGS = ("Interactions", "Items", "Users", "Actions", "Action_Interactions")
_TYPE_BY_RECORD = {record: upper for upper, record in _RECORD_NAMES.items()}
_ID_FIELD = {"USERS": "USER_ID", "ITEMS": "ITEM_ID", "ACTIONS": "ACTION_ID"}
_MAX_METADATA = {
    "INTERACTIONS": 5,
    "USERS": 25,
    "ITEMS": 100,
    "ACTIONS": 10,
    "ACTION_INTERACTIONS": 5,
}


class _CaseInsensitiveTypes(Mapping[str, str]):
    """Read-only mapping of dataset-type spellings to canonical form, keys case-insensitive."""

    def __init__(self, spellings: tuple[str, ...]) -> None:
        self._spellings = spellings
        self._index = {s.lower(): s.upper() for s in spellings}

    def __getitem__(self, key: str) -> str:
        if not isinstance(key, str):
            raise KeyError(key)
        return self._index[key.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._spellings)

    def __len__(self) -> int:
        return len(self._spellings)


DATASET_TYPES: Mapping[str, str] = _CaseInsensitiveTypes(_SPELLINGS)
"""Accepted ``datasetType`` spellings (case-insensitive) -> canonical upper form."""


def canonical_dataset_type(value: str) -> str:
    """Return the canonical upper form (e.g. ``ACTION_INTERACTIONS``) of a ``datasetType``.

    Args:
        value: A dataset type in any letter case, e.g. ``Interactions`` or ``action_interactions``.

    Returns:
        One of ``INTERACTIONS``, ``ITEMS``, ``USERS``, ``ACTIONS``, ``ACTION_INTERACTIONS``.

    Raises:
        InvalidInputException: ``datasetType: ...`` when the value is not a dataset type.

    """
    try:
        return DATASET_TYPES[value]
    except KeyError:
        allowed = ", ".join(_SPELLINGS)
        raise InvalidInputException(
            f"datasetType: {value!r} is not a dataset type; must be one of {allowed}"
        ) from None


def record_name_for(dataset_type_upper: str) -> str:
    """Return the Avro record name of a dataset type, e.g. ``ActionInteractions``.

    Args:
        dataset_type_upper: A dataset type, preferably canonical; other spellings are normalised.

    Raises:
        InvalidInputException: When the value is not a dataset type.

    """
    return _RECORD_NAMES[canonical_dataset_type(dataset_type_upper)]


@dataclass(frozen=True)
class SchemaField:
    """One column of a dataset schema.

    Attributes:
        name: The field name as written in the schema (and expected as the CSV header).
        types: The Avro type as given: ``("string",)`` or a union such as ``("null", "long")``.
        categorical: Multi-valued (``|``-separated) categorical string.
        textual: Unstructured text (Items only).
        item_name: Holds the item's name (``itemName`` attribute; Items only).

    """

    name: str
    types: tuple[str, ...]
    categorical: bool = False
    textual: bool = False
    item_name: bool = False

    @property
    def nullable(self) -> bool:
        """Whether empty values are allowed (the type unions ``null``)."""
        return "null" in self.types

    @property
    def base_type(self) -> str:
        """The non-null primitive type (``null`` for a field typed only ``null``)."""
        return next((t for t in self.types if t != "null"), "null")


@dataclass(frozen=True)
class DatasetSchema:
    """A validated dataset schema.

    Attributes:
        record_name: The Avro record name, e.g. ``ActionInteractions``.
        dataset_type: Canonical upper form: INTERACTIONS, ITEMS, USERS, ACTIONS or
            ACTION_INTERACTIONS.
        fields: The fields in schema (= CSV column) order.
        domain: ``ECOMMERCE``, ``VIDEO_ON_DEMAND`` or ``None`` for a custom schema.

    """

    record_name: str
    dataset_type: str
    fields: tuple[SchemaField, ...]
    domain: str | None = None

    @property
    def field_names(self) -> tuple[str, ...]:
        """The field names in schema order."""
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> SchemaField | None:
        """Return the field with exactly this name, or ``None``."""
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class _Rule:
    """The fixed shape of a required or reserved field."""

    base: str
    null_ok: bool = False
    attr: str | None = None  # "categorical" / "textual" must be set; None: neither may be


_S, _SN, _L, _LN = _Rule("string"), _Rule("string", True), _Rule("long"), _Rule("long", True)
_F, _FN = _Rule("float"), _Rule("float", True)
_CAT = _Rule("string", attr="categorical")
_CATN = _Rule("string", null_ok=True, attr="categorical")
_TXTN = _Rule("string", null_ok=True, attr="textual")
_EVENT_RESERVED = {"EVENT_VALUE": _FN} | dict.fromkeys(
    ("IMPRESSION", "RECOMMENDATION_ID", "EVENT_ATTRIBUTION_SOURCE"), _SN
)
_Table = dict[str, tuple[dict[str, _Rule], dict[str, _Rule]]]  # type -> (required, reserved)
_CUSTOM: _Table = {
    "INTERACTIONS": (
        {"USER_ID": _S, "ITEM_ID": _S, "TIMESTAMP": _L},
        {"EVENT_TYPE": _S, **_EVENT_RESERVED},
    ),
    "USERS": ({"USER_ID": _S}, {}),
    "ITEMS": ({"ITEM_ID": _S}, {"CREATION_TIMESTAMP": _L}),
    "ACTIONS": (
        {"ACTION_ID": _S},
        {"CREATION_TIMESTAMP": _L, "TYPE": _SN}
        | dict.fromkeys(("VALUE", "EXPIRATION_TIMESTAMP", "REPEAT_FREQUENCY"), _LN),
    ),
    "ACTION_INTERACTIONS": (
        {"USER_ID": _S, "ACTION_ID": _S, "EVENT_TYPE": _S, "TIMESTAMP": _L},
        {"IMPRESSION": _SN, "RECOMMENDATION_ID": _SN},
    ),
}
_DOMAIN_INTERACTIONS = (
    {"USER_ID": _S, "ITEM_ID": _S, "TIMESTAMP": _L, "EVENT_TYPE": _S},
    _EVENT_RESERVED,
)
_ECOMMERCE_CATEGORICAL = ("CATEGORY_L2", "CATEGORY_L3", "AGE_GROUP", "ADULT", "GENDER")
_VOD_CATEGORICAL = ("GENRE_L2", "GENRE_L3", "CONTENT_OWNER", "CONTENT_CLASSIFICATION")
_DOMAIN_TABLES: dict[str, _Table] = {
    "ECOMMERCE": {
        "INTERACTIONS": _DOMAIN_INTERACTIONS,
        "USERS": ({"USER_ID": _S}, {}),
        "ITEMS": (
            {"ITEM_ID": _S, "PRICE": _F, "CATEGORY_L1": _CAT},
            dict.fromkeys(_ECOMMERCE_CATEGORICAL, _CATN)
            | {"PRODUCT_DESCRIPTION": _TXTN, "CREATION_TIMESTAMP": _L},
        ),
    },
    "VIDEO_ON_DEMAND": {
        "INTERACTIONS": _DOMAIN_INTERACTIONS,
        "USERS": ({"USER_ID": _S}, {"SUBSCRIPTION_MODEL": _CATN}),
        "ITEMS": (
            {"ITEM_ID": _S, "CREATION_TIMESTAMP": _L, "GENRES": _CAT},
            dict.fromkeys(("PRICE", "DURATION", "AVERAGE_RATING"), _FN)
            | dict.fromkeys(_VOD_CATEGORICAL, _CATN)
            | {"PRODUCT_DESCRIPTION": _TXTN},
        ),
    },
}


def _err(message: str) -> InvalidInputException:
    return InvalidInputException(f"schema: {message}")


def _key(name: str) -> str:
    """Comparison key for name uniqueness: alphanumerics only, case-folded."""
    return re.sub(r"[^A-Za-z0-9]", "", name).lower()


def _q(name: object) -> str:
    return json.dumps(name, ensure_ascii=False)


def _render(types: tuple[str, ...]) -> str:
    return types[0] if len(types) == 1 else json.dumps(list(types))


def _parse_type(label: str, raw: object) -> tuple[str, ...]:
    allowed = ", ".join(PRIMITIVE_TYPES)
    if isinstance(raw, str):
        if raw in PRIMITIVE_TYPES:
            return (raw,)
        raise _err(f"{label} has unsupported type {raw!r}; allowed types: {allowed}")
    members = raw if isinstance(raw, list) else [raw]
    if any(isinstance(m, dict | list) for m in members):
        raise _err(
            f"{label} has a complex type {_q(raw)}; nested records, arrays, maps and "
            "enums are not supported"
        )
    if isinstance(raw, list) and all(m in PRIMITIVE_TYPES for m in raw):
        if len(raw) == 1:
            return (raw[0],)
        if len(raw) == 2 and raw.count("null") == 1:
            return tuple(raw)
    raise _err(
        f"{label} has unsupported type {_q(raw)}; a union must be one of {allowed} "
        'together with "null"'
    )


def _parse_field(position: int, raw: object, dataset_type: str) -> SchemaField:
    if not isinstance(raw, dict):
        raise _err(f"fields[{position}] must be a JSON object")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise _err(f'fields[{position}] has no "name"')
    label = f"field {_q(name)}"
    if not _NAME_RE.fullmatch(name) or len(name) > MAX_FIELD_NAME_LENGTH:
        raise _err(
            f"{label} has an invalid name; names match [A-Za-z_][A-Za-z0-9_]* and have at most "
            f"{MAX_FIELD_NAME_LENGTH} characters"
        )
    if "type" not in raw:
        raise _err(f'{label} has no "type"')
    types = _parse_type(label, raw["type"])
    flags: dict[str, bool] = {}
    for attr in _ATTRIBUTES:
        value = raw.get(attr, False)
        if not isinstance(value, bool):
            raise _err(f'{label} attribute "{attr}" must be true or false')
        flags[attr] = value
    field = SchemaField(name, types, flags["categorical"], flags["textual"], flags["itemName"])
    record = _RECORD_NAMES[dataset_type]
    for attr, on in flags.items():
        if on and field.base_type != "string":
            raise _err(f"{label} is {attr} but of type {_render(types)}; only string fields can be")
        if on and attr != "categorical" and dataset_type != "ITEMS":
            raise _err(f"{label} is {attr}, which is allowed only in Items schemas, not {record}")
    if field.categorical and field.textual:
        raise _err(f"{label} cannot be both categorical and textual")
    return field


def _check_rule(field: SchemaField, rule: _Rule, kind: str) -> None:
    label = f"field {_q(field.name)}"
    if field.base_type != rule.base or (field.nullable and not rule.null_ok):
        expected = rule.base + (f" or {_render((rule.base, 'null'))}" if rule.null_ok else "")
        raise _err(f"{label} must be of type {expected}, found {_render(field.types)}")
    for attr, on in (("categorical", field.categorical), ("textual", field.textual)):
        if rule.attr == attr and not on:
            raise _err(f"{label} is a {kind} field and must be {attr}")
        if rule.attr != attr and on:
            raise _err(f"{label} is a {kind} field and must not be {attr}")
    if field.item_name:
        raise _err(f"{label} is a {kind} field and must not be itemName")


def parse_dataset_schema(schema_json: str, domain: str | None = None) -> DatasetSchema:
    """Parse and validate a CreateSchema ``schema`` string.

    Args:
        schema_json: The Avro record as JSON text.
        domain: ``ECOMMERCE`` or ``VIDEO_ON_DEMAND`` for a domain schema; ``None`` for custom.

    Returns:
        The validated schema; its ``dataset_type`` follows from the record name.

    Raises:
        InvalidInputException: ``schema: ...`` naming the field and the rule broken, or
            ``domain: ...`` for an unknown domain.

    """
    if domain is not None and domain not in DOMAINS:
        raise InvalidInputException(f"domain: {domain!r} must be one of {', '.join(DOMAINS)}")
    if not isinstance(schema_json, str) or not schema_json.strip():
        raise _err("must be a non-empty JSON string")
    if len(schema_json) > MAX_SCHEMA_LENGTH:
        raise _err(f"must be at most {MAX_SCHEMA_LENGTH} characters, found {len(schema_json)}")
    try:
        doc = json.loads(schema_json)
    except ValueError as exc:
        raise _err(f"is not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("type") != "record":
        raise _err('must be an Avro record: a JSON object with "type": "record"')
    record = doc.get("name")
    if record not in _TYPE_BY_RECORD:
        allowed = ", ".join(_TYPE_BY_RECORD)
        raise _err(f"record name must be one of {allowed}, found {_q(record)}")
    dataset_type = _TYPE_BY_RECORD[record]
    raw_fields = doc.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise _err('"fields" must be a non-empty list')
    fields = tuple(_parse_field(i, raw, dataset_type) for i, raw in enumerate(raw_fields))

    seen: dict[str, str] = {}
    for f in fields:
        other = seen.get(_key(f.name))
        if other is not None:
            clash = "appears twice" if other == f.name else f"collides with field {_q(other)}"
            raise _err(
                f"field {_q(f.name)} {clash}; names must be unique ignoring case and "
                "non-alphanumeric characters"
            )
        seen[_key(f.name)] = f.name
    textual = [f.name for f in fields if f.textual]
    if len(textual) > 1:
        raise _err(f"fields {', '.join(map(_q, textual))} are textual; at most 1 allowed")

    if domain is None:
        required, reserved = _CUSTOM[dataset_type]
    elif dataset_type in _DOMAIN_TABLES[domain]:
        required, reserved = _DOMAIN_TABLES[domain][dataset_type]
    else:
        raise _err(f"{record} schemas are not supported in domain {domain}")
    where = f"{record}" + (f" ({domain})" if domain else "")
    by_key = {_key(n): n for n in (*required, *reserved)}
    for f in fields:
        fixed = by_key.get(_key(f.name))
        if fixed is not None and fixed != f.name:
            raise _err(f"field {_q(f.name)} must be spelled {fixed} (reserved name)")
        if f.name in required:
            _check_rule(f, required[f.name], "required")
        elif f.name in reserved:
            _check_rule(f, reserved[f.name], "reserved")
    names = {f.name for f in fields}
    for name in required:
        if name not in names:
            raise _err(f"required field {_q(name)} is missing from the {where} schema")

    id_field = _ID_FIELD.get(dataset_type)
    if id_field is not None and len(fields) < 2:
        raise _err(f"{where} schemas need at least one metadata field besides {id_field}")
    metadata = [f.name for f in fields if f.name not in required and f.name not in reserved]
    limit = _MAX_METADATA[dataset_type]
    if len(metadata) > limit:
        listed = ", ".join(map(_q, metadata))
        raise _err(
            f"{where} schemas allow at most {limit} metadata fields (reserved ones excluded), "
            f"found {len(metadata)}: {listed}"
        )
    return DatasetSchema(record, dataset_type, fields, domain)


def schemas_compatible_for_update(old: DatasetSchema, new: DatasetSchema) -> None:
    """Check that ``new`` may replace ``old`` as a dataset's schema (UpdateDataset, spec §2.3).

    Only Items and Users datasets can change schema. The new schema must keep every old field with
    the same type (base type and nullability; union order is immaterial) and the same attributes;
    any field it adds must allow ``null``. The dataset type and domain must not change.

    Args:
        old: The dataset's current schema.
        new: The proposed replacement.

    Raises:
        InvalidInputException: ``schemaArn: ...`` naming the first incompatibility.

    """

    def fail(message: str) -> InvalidInputException:
        return InvalidInputException(f"schemaArn: {message}")

    if old.dataset_type not in ("ITEMS", "USERS"):
        raise fail(f"only Items and Users datasets can change schema, not {old.record_name}")
    if new.dataset_type != old.dataset_type:
        raise fail(f"the new schema is for {new.record_name}, the dataset is {old.record_name}")
    if new.domain != old.domain:
        raise fail(f"the new schema's domain {new.domain} differs from the dataset's {old.domain}")
    for f in old.fields:
        g = new.field(f.name)
        if g is None:
            raise fail(f"field {_q(f.name)} of the current schema is missing")
        shape = (f.base_type, f.nullable, f.categorical, f.textual, f.item_name)
        if shape != (g.base_type, g.nullable, g.categorical, g.textual, g.item_name):
            raise fail(f"field {_q(f.name)} must keep its type and attributes")
    old_names = set(old.field_names)
    for g in new.fields:
        if g.name not in old_names and not g.nullable:
            raise fail(f'new field {_q(g.name)} must allow null (e.g. ["null", "..."])')
