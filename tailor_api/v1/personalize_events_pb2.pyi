from tailor_api.v1 import constraints_pb2 as _constraints_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Action(_message.Message):
    __slots__ = ("action_id", "properties")
    ACTION_ID_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    action_id: str
    properties: str
    def __init__(self, action_id: _Optional[str] = ..., properties: _Optional[str] = ...) -> None: ...

class ActionInteraction(_message.Message):
    __slots__ = ("action_id", "user_id", "session_id", "timestamp", "event_type", "event_id", "recommendation_id", "impression", "properties")
    ACTION_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDATION_ID_FIELD_NUMBER: _ClassVar[int]
    IMPRESSION_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    action_id: str
    user_id: str
    session_id: str
    timestamp: float
    event_type: str
    event_id: str
    recommendation_id: str
    impression: _containers.RepeatedScalarFieldContainer[str]
    properties: str
    def __init__(self, action_id: _Optional[str] = ..., user_id: _Optional[str] = ..., session_id: _Optional[str] = ..., timestamp: _Optional[float] = ..., event_type: _Optional[str] = ..., event_id: _Optional[str] = ..., recommendation_id: _Optional[str] = ..., impression: _Optional[_Iterable[str]] = ..., properties: _Optional[str] = ...) -> None: ...

class Event(_message.Message):
    __slots__ = ("event_id", "event_type", "event_value", "item_id", "properties", "sent_at", "recommendation_id", "impression", "metric_attribution")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    EVENT_VALUE_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDATION_ID_FIELD_NUMBER: _ClassVar[int]
    IMPRESSION_FIELD_NUMBER: _ClassVar[int]
    METRIC_ATTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    event_type: str
    event_value: float
    item_id: str
    properties: str
    sent_at: float
    recommendation_id: str
    impression: _containers.RepeatedScalarFieldContainer[str]
    metric_attribution: MetricAttribution
    def __init__(self, event_id: _Optional[str] = ..., event_type: _Optional[str] = ..., event_value: _Optional[float] = ..., item_id: _Optional[str] = ..., properties: _Optional[str] = ..., sent_at: _Optional[float] = ..., recommendation_id: _Optional[str] = ..., impression: _Optional[_Iterable[str]] = ..., metric_attribution: _Optional[_Union[MetricAttribution, _Mapping]] = ...) -> None: ...

class Item(_message.Message):
    __slots__ = ("item_id", "properties")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    properties: str
    def __init__(self, item_id: _Optional[str] = ..., properties: _Optional[str] = ...) -> None: ...

class MetricAttribution(_message.Message):
    __slots__ = ("event_attribution_source",)
    EVENT_ATTRIBUTION_SOURCE_FIELD_NUMBER: _ClassVar[int]
    event_attribution_source: str
    def __init__(self, event_attribution_source: _Optional[str] = ...) -> None: ...

class PutActionInteractionsRequest(_message.Message):
    __slots__ = ("tracking_id", "action_interactions")
    TRACKING_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_INTERACTIONS_FIELD_NUMBER: _ClassVar[int]
    tracking_id: str
    action_interactions: _containers.RepeatedCompositeFieldContainer[ActionInteraction]
    def __init__(self, tracking_id: _Optional[str] = ..., action_interactions: _Optional[_Iterable[_Union[ActionInteraction, _Mapping]]] = ...) -> None: ...

class PutActionInteractionsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PutActionsRequest(_message.Message):
    __slots__ = ("dataset_arn", "actions")
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    dataset_arn: str
    actions: _containers.RepeatedCompositeFieldContainer[Action]
    def __init__(self, dataset_arn: _Optional[str] = ..., actions: _Optional[_Iterable[_Union[Action, _Mapping]]] = ...) -> None: ...

class PutActionsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PutEventsRequest(_message.Message):
    __slots__ = ("tracking_id", "user_id", "session_id", "event_list")
    TRACKING_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_LIST_FIELD_NUMBER: _ClassVar[int]
    tracking_id: str
    user_id: str
    session_id: str
    event_list: _containers.RepeatedCompositeFieldContainer[Event]
    def __init__(self, tracking_id: _Optional[str] = ..., user_id: _Optional[str] = ..., session_id: _Optional[str] = ..., event_list: _Optional[_Iterable[_Union[Event, _Mapping]]] = ...) -> None: ...

class PutEventsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PutItemsRequest(_message.Message):
    __slots__ = ("dataset_arn", "items")
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    dataset_arn: str
    items: _containers.RepeatedCompositeFieldContainer[Item]
    def __init__(self, dataset_arn: _Optional[str] = ..., items: _Optional[_Iterable[_Union[Item, _Mapping]]] = ...) -> None: ...

class PutItemsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PutUsersRequest(_message.Message):
    __slots__ = ("dataset_arn", "users")
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    dataset_arn: str
    users: _containers.RepeatedCompositeFieldContainer[User]
    def __init__(self, dataset_arn: _Optional[str] = ..., users: _Optional[_Iterable[_Union[User, _Mapping]]] = ...) -> None: ...

class PutUsersResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class User(_message.Message):
    __slots__ = ("user_id", "properties")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    properties: str
    def __init__(self, user_id: _Optional[str] = ..., properties: _Optional[str] = ...) -> None: ...
