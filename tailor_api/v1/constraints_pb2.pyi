from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
RULE_FIELD_NUMBER: _ClassVar[int]
rule: _descriptor.FieldDescriptor

class ValueRule(_message.Message):
    __slots__ = ("min_length", "max_length", "pattern", "min", "max", "allowed")
    MIN_LENGTH_FIELD_NUMBER: _ClassVar[int]
    MAX_LENGTH_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    min_length: int
    max_length: int
    pattern: str
    min: float
    max: float
    allowed: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, min_length: _Optional[int] = ..., max_length: _Optional[int] = ..., pattern: _Optional[str] = ..., min: _Optional[float] = ..., max: _Optional[float] = ..., allowed: _Optional[_Iterable[str]] = ...) -> None: ...

class FieldRule(_message.Message):
    __slots__ = ("required", "min_items", "max_items", "value", "key", "inner_max_items")
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    MIN_ITEMS_FIELD_NUMBER: _ClassVar[int]
    MAX_ITEMS_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    INNER_MAX_ITEMS_FIELD_NUMBER: _ClassVar[int]
    required: bool
    min_items: int
    max_items: int
    value: ValueRule
    key: ValueRule
    inner_max_items: int
    def __init__(self, required: _Optional[bool] = ..., min_items: _Optional[int] = ..., max_items: _Optional[int] = ..., value: _Optional[_Union[ValueRule, _Mapping]] = ..., key: _Optional[_Union[ValueRule, _Mapping]] = ..., inner_max_items: _Optional[int] = ...) -> None: ...
