from tailor_api.v1 import constraints_pb2 as _constraints_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Algorithm(_message.Message):
    __slots__ = ("name", "algorithm_arn", "algorithm_image", "default_hyper_parameters", "default_hyper_parameter_ranges", "default_resource_config", "training_input_mode", "role_arn", "creation_date_time", "last_updated_date_time")
    class DefaultHyperParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class DefaultResourceConfigEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_ARN_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_IMAGE_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_HYPER_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_HYPER_PARAMETER_RANGES_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_RESOURCE_CONFIG_FIELD_NUMBER: _ClassVar[int]
    TRAINING_INPUT_MODE_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    algorithm_arn: str
    algorithm_image: AlgorithmImage
    default_hyper_parameters: _containers.ScalarMap[str, str]
    default_hyper_parameter_ranges: DefaultHyperParameterRanges
    default_resource_config: _containers.ScalarMap[str, str]
    training_input_mode: str
    role_arn: str
    creation_date_time: float
    last_updated_date_time: float
    def __init__(self, name: _Optional[str] = ..., algorithm_arn: _Optional[str] = ..., algorithm_image: _Optional[_Union[AlgorithmImage, _Mapping]] = ..., default_hyper_parameters: _Optional[_Mapping[str, str]] = ..., default_hyper_parameter_ranges: _Optional[_Union[DefaultHyperParameterRanges, _Mapping]] = ..., default_resource_config: _Optional[_Mapping[str, str]] = ..., training_input_mode: _Optional[str] = ..., role_arn: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ...) -> None: ...

class AlgorithmImage(_message.Message):
    __slots__ = ("name", "docker_uri")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DOCKER_URI_FIELD_NUMBER: _ClassVar[int]
    name: str
    docker_uri: str
    def __init__(self, name: _Optional[str] = ..., docker_uri: _Optional[str] = ...) -> None: ...

class AutoMLConfig(_message.Message):
    __slots__ = ("metric_name", "recipe_list")
    METRIC_NAME_FIELD_NUMBER: _ClassVar[int]
    RECIPE_LIST_FIELD_NUMBER: _ClassVar[int]
    metric_name: str
    recipe_list: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, metric_name: _Optional[str] = ..., recipe_list: _Optional[_Iterable[str]] = ...) -> None: ...

class AutoMLResult(_message.Message):
    __slots__ = ("best_recipe_arn",)
    BEST_RECIPE_ARN_FIELD_NUMBER: _ClassVar[int]
    best_recipe_arn: str
    def __init__(self, best_recipe_arn: _Optional[str] = ...) -> None: ...

class AutoTrainingConfig(_message.Message):
    __slots__ = ("scheduling_expression",)
    SCHEDULING_EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    scheduling_expression: str
    def __init__(self, scheduling_expression: _Optional[str] = ...) -> None: ...

class BatchInferenceJob(_message.Message):
    __slots__ = ("job_name", "batch_inference_job_arn", "filter_arn", "failure_reason", "solution_version_arn", "num_results", "job_input", "job_output", "batch_inference_job_config", "role_arn", "batch_inference_job_mode", "theme_generation_config", "status", "creation_date_time", "last_updated_date_time")
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    BATCH_INFERENCE_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    FILTER_ARN_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    NUM_RESULTS_FIELD_NUMBER: _ClassVar[int]
    JOB_INPUT_FIELD_NUMBER: _ClassVar[int]
    JOB_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    BATCH_INFERENCE_JOB_CONFIG_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    BATCH_INFERENCE_JOB_MODE_FIELD_NUMBER: _ClassVar[int]
    THEME_GENERATION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    job_name: str
    batch_inference_job_arn: str
    filter_arn: str
    failure_reason: str
    solution_version_arn: str
    num_results: int
    job_input: BatchInferenceJobInput
    job_output: BatchInferenceJobOutput
    batch_inference_job_config: BatchInferenceJobConfig
    role_arn: str
    batch_inference_job_mode: str
    theme_generation_config: ThemeGenerationConfig
    status: str
    creation_date_time: float
    last_updated_date_time: float
    def __init__(self, job_name: _Optional[str] = ..., batch_inference_job_arn: _Optional[str] = ..., filter_arn: _Optional[str] = ..., failure_reason: _Optional[str] = ..., solution_version_arn: _Optional[str] = ..., num_results: _Optional[int] = ..., job_input: _Optional[_Union[BatchInferenceJobInput, _Mapping]] = ..., job_output: _Optional[_Union[BatchInferenceJobOutput, _Mapping]] = ..., batch_inference_job_config: _Optional[_Union[BatchInferenceJobConfig, _Mapping]] = ..., role_arn: _Optional[str] = ..., batch_inference_job_mode: _Optional[str] = ..., theme_generation_config: _Optional[_Union[ThemeGenerationConfig, _Mapping]] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ...) -> None: ...

class BatchInferenceJobConfig(_message.Message):
    __slots__ = ("item_exploration_config", "ranking_influence")
    class ItemExplorationConfigEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class RankingInfluenceEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    ITEM_EXPLORATION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    RANKING_INFLUENCE_FIELD_NUMBER: _ClassVar[int]
    item_exploration_config: _containers.ScalarMap[str, str]
    ranking_influence: _containers.ScalarMap[str, float]
    def __init__(self, item_exploration_config: _Optional[_Mapping[str, str]] = ..., ranking_influence: _Optional[_Mapping[str, float]] = ...) -> None: ...

class BatchInferenceJobInput(_message.Message):
    __slots__ = ("s3_data_source",)
    S3_DATA_SOURCE_FIELD_NUMBER: _ClassVar[int]
    s3_data_source: S3DataConfig
    def __init__(self, s3_data_source: _Optional[_Union[S3DataConfig, _Mapping]] = ...) -> None: ...

class BatchInferenceJobOutput(_message.Message):
    __slots__ = ("s3_data_destination",)
    S3_DATA_DESTINATION_FIELD_NUMBER: _ClassVar[int]
    s3_data_destination: S3DataConfig
    def __init__(self, s3_data_destination: _Optional[_Union[S3DataConfig, _Mapping]] = ...) -> None: ...

class BatchInferenceJobSummary(_message.Message):
    __slots__ = ("batch_inference_job_arn", "job_name", "status", "creation_date_time", "last_updated_date_time", "failure_reason", "solution_version_arn", "batch_inference_job_mode")
    BATCH_INFERENCE_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    BATCH_INFERENCE_JOB_MODE_FIELD_NUMBER: _ClassVar[int]
    batch_inference_job_arn: str
    job_name: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    solution_version_arn: str
    batch_inference_job_mode: str
    def __init__(self, batch_inference_job_arn: _Optional[str] = ..., job_name: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ..., solution_version_arn: _Optional[str] = ..., batch_inference_job_mode: _Optional[str] = ...) -> None: ...

class BatchSegmentJob(_message.Message):
    __slots__ = ("job_name", "batch_segment_job_arn", "filter_arn", "failure_reason", "solution_version_arn", "num_results", "job_input", "job_output", "role_arn", "status", "creation_date_time", "last_updated_date_time")
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    BATCH_SEGMENT_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    FILTER_ARN_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    NUM_RESULTS_FIELD_NUMBER: _ClassVar[int]
    JOB_INPUT_FIELD_NUMBER: _ClassVar[int]
    JOB_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    job_name: str
    batch_segment_job_arn: str
    filter_arn: str
    failure_reason: str
    solution_version_arn: str
    num_results: int
    job_input: BatchSegmentJobInput
    job_output: BatchSegmentJobOutput
    role_arn: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    def __init__(self, job_name: _Optional[str] = ..., batch_segment_job_arn: _Optional[str] = ..., filter_arn: _Optional[str] = ..., failure_reason: _Optional[str] = ..., solution_version_arn: _Optional[str] = ..., num_results: _Optional[int] = ..., job_input: _Optional[_Union[BatchSegmentJobInput, _Mapping]] = ..., job_output: _Optional[_Union[BatchSegmentJobOutput, _Mapping]] = ..., role_arn: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ...) -> None: ...

class BatchSegmentJobInput(_message.Message):
    __slots__ = ("s3_data_source",)
    S3_DATA_SOURCE_FIELD_NUMBER: _ClassVar[int]
    s3_data_source: S3DataConfig
    def __init__(self, s3_data_source: _Optional[_Union[S3DataConfig, _Mapping]] = ...) -> None: ...

class BatchSegmentJobOutput(_message.Message):
    __slots__ = ("s3_data_destination",)
    S3_DATA_DESTINATION_FIELD_NUMBER: _ClassVar[int]
    s3_data_destination: S3DataConfig
    def __init__(self, s3_data_destination: _Optional[_Union[S3DataConfig, _Mapping]] = ...) -> None: ...

class BatchSegmentJobSummary(_message.Message):
    __slots__ = ("batch_segment_job_arn", "job_name", "status", "creation_date_time", "last_updated_date_time", "failure_reason", "solution_version_arn")
    BATCH_SEGMENT_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    batch_segment_job_arn: str
    job_name: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    solution_version_arn: str
    def __init__(self, batch_segment_job_arn: _Optional[str] = ..., job_name: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ..., solution_version_arn: _Optional[str] = ...) -> None: ...

class Campaign(_message.Message):
    __slots__ = ("name", "campaign_arn", "solution_version_arn", "min_provisioned_tps", "campaign_config", "status", "failure_reason", "creation_date_time", "last_updated_date_time", "latest_campaign_update")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ARN_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    MIN_PROVISIONED_TPS_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_CONFIG_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LATEST_CAMPAIGN_UPDATE_FIELD_NUMBER: _ClassVar[int]
    name: str
    campaign_arn: str
    solution_version_arn: str
    min_provisioned_tps: int
    campaign_config: CampaignConfig
    status: str
    failure_reason: str
    creation_date_time: float
    last_updated_date_time: float
    latest_campaign_update: CampaignUpdateSummary
    def __init__(self, name: _Optional[str] = ..., campaign_arn: _Optional[str] = ..., solution_version_arn: _Optional[str] = ..., min_provisioned_tps: _Optional[int] = ..., campaign_config: _Optional[_Union[CampaignConfig, _Mapping]] = ..., status: _Optional[str] = ..., failure_reason: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., latest_campaign_update: _Optional[_Union[CampaignUpdateSummary, _Mapping]] = ...) -> None: ...

class CampaignConfig(_message.Message):
    __slots__ = ("item_exploration_config", "enable_metadata_with_recommendations", "sync_with_latest_solution_version", "ranking_influence")
    class ItemExplorationConfigEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class RankingInfluenceEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    ITEM_EXPLORATION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    ENABLE_METADATA_WITH_RECOMMENDATIONS_FIELD_NUMBER: _ClassVar[int]
    SYNC_WITH_LATEST_SOLUTION_VERSION_FIELD_NUMBER: _ClassVar[int]
    RANKING_INFLUENCE_FIELD_NUMBER: _ClassVar[int]
    item_exploration_config: _containers.ScalarMap[str, str]
    enable_metadata_with_recommendations: bool
    sync_with_latest_solution_version: bool
    ranking_influence: _containers.ScalarMap[str, float]
    def __init__(self, item_exploration_config: _Optional[_Mapping[str, str]] = ..., enable_metadata_with_recommendations: _Optional[bool] = ..., sync_with_latest_solution_version: _Optional[bool] = ..., ranking_influence: _Optional[_Mapping[str, float]] = ...) -> None: ...

class CampaignSummary(_message.Message):
    __slots__ = ("name", "campaign_arn", "status", "creation_date_time", "last_updated_date_time", "failure_reason")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    name: str
    campaign_arn: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    def __init__(self, name: _Optional[str] = ..., campaign_arn: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ...) -> None: ...

class CampaignUpdateSummary(_message.Message):
    __slots__ = ("solution_version_arn", "min_provisioned_tps", "campaign_config", "status", "failure_reason", "creation_date_time", "last_updated_date_time")
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    MIN_PROVISIONED_TPS_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_CONFIG_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    solution_version_arn: str
    min_provisioned_tps: int
    campaign_config: CampaignConfig
    status: str
    failure_reason: str
    creation_date_time: float
    last_updated_date_time: float
    def __init__(self, solution_version_arn: _Optional[str] = ..., min_provisioned_tps: _Optional[int] = ..., campaign_config: _Optional[_Union[CampaignConfig, _Mapping]] = ..., status: _Optional[str] = ..., failure_reason: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ...) -> None: ...

class CategoricalHyperParameterRange(_message.Message):
    __slots__ = ("name", "values")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    name: str
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ...) -> None: ...

class ContinuousHyperParameterRange(_message.Message):
    __slots__ = ("name", "min_value", "max_value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MIN_VALUE_FIELD_NUMBER: _ClassVar[int]
    MAX_VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    min_value: float
    max_value: float
    def __init__(self, name: _Optional[str] = ..., min_value: _Optional[float] = ..., max_value: _Optional[float] = ...) -> None: ...

class CreateBatchInferenceJobRequest(_message.Message):
    __slots__ = ("job_name", "solution_version_arn", "filter_arn", "num_results", "job_input", "job_output", "role_arn", "batch_inference_job_config", "tags", "batch_inference_job_mode", "theme_generation_config")
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    FILTER_ARN_FIELD_NUMBER: _ClassVar[int]
    NUM_RESULTS_FIELD_NUMBER: _ClassVar[int]
    JOB_INPUT_FIELD_NUMBER: _ClassVar[int]
    JOB_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    BATCH_INFERENCE_JOB_CONFIG_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    BATCH_INFERENCE_JOB_MODE_FIELD_NUMBER: _ClassVar[int]
    THEME_GENERATION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    job_name: str
    solution_version_arn: str
    filter_arn: str
    num_results: int
    job_input: BatchInferenceJobInput
    job_output: BatchInferenceJobOutput
    role_arn: str
    batch_inference_job_config: BatchInferenceJobConfig
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    batch_inference_job_mode: str
    theme_generation_config: ThemeGenerationConfig
    def __init__(self, job_name: _Optional[str] = ..., solution_version_arn: _Optional[str] = ..., filter_arn: _Optional[str] = ..., num_results: _Optional[int] = ..., job_input: _Optional[_Union[BatchInferenceJobInput, _Mapping]] = ..., job_output: _Optional[_Union[BatchInferenceJobOutput, _Mapping]] = ..., role_arn: _Optional[str] = ..., batch_inference_job_config: _Optional[_Union[BatchInferenceJobConfig, _Mapping]] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ..., batch_inference_job_mode: _Optional[str] = ..., theme_generation_config: _Optional[_Union[ThemeGenerationConfig, _Mapping]] = ...) -> None: ...

class CreateBatchInferenceJobResponse(_message.Message):
    __slots__ = ("batch_inference_job_arn",)
    BATCH_INFERENCE_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    batch_inference_job_arn: str
    def __init__(self, batch_inference_job_arn: _Optional[str] = ...) -> None: ...

class CreateBatchSegmentJobRequest(_message.Message):
    __slots__ = ("job_name", "solution_version_arn", "filter_arn", "num_results", "job_input", "job_output", "role_arn", "tags")
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    FILTER_ARN_FIELD_NUMBER: _ClassVar[int]
    NUM_RESULTS_FIELD_NUMBER: _ClassVar[int]
    JOB_INPUT_FIELD_NUMBER: _ClassVar[int]
    JOB_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    job_name: str
    solution_version_arn: str
    filter_arn: str
    num_results: int
    job_input: BatchSegmentJobInput
    job_output: BatchSegmentJobOutput
    role_arn: str
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, job_name: _Optional[str] = ..., solution_version_arn: _Optional[str] = ..., filter_arn: _Optional[str] = ..., num_results: _Optional[int] = ..., job_input: _Optional[_Union[BatchSegmentJobInput, _Mapping]] = ..., job_output: _Optional[_Union[BatchSegmentJobOutput, _Mapping]] = ..., role_arn: _Optional[str] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class CreateBatchSegmentJobResponse(_message.Message):
    __slots__ = ("batch_segment_job_arn",)
    BATCH_SEGMENT_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    batch_segment_job_arn: str
    def __init__(self, batch_segment_job_arn: _Optional[str] = ...) -> None: ...

class CreateCampaignRequest(_message.Message):
    __slots__ = ("name", "solution_version_arn", "min_provisioned_tps", "campaign_config", "tags")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    MIN_PROVISIONED_TPS_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_CONFIG_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    name: str
    solution_version_arn: str
    min_provisioned_tps: int
    campaign_config: CampaignConfig
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, name: _Optional[str] = ..., solution_version_arn: _Optional[str] = ..., min_provisioned_tps: _Optional[int] = ..., campaign_config: _Optional[_Union[CampaignConfig, _Mapping]] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class CreateCampaignResponse(_message.Message):
    __slots__ = ("campaign_arn",)
    CAMPAIGN_ARN_FIELD_NUMBER: _ClassVar[int]
    campaign_arn: str
    def __init__(self, campaign_arn: _Optional[str] = ...) -> None: ...

class CreateDataDeletionJobRequest(_message.Message):
    __slots__ = ("job_name", "dataset_group_arn", "data_source", "role_arn", "tags")
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    DATA_SOURCE_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    job_name: str
    dataset_group_arn: str
    data_source: DataSource
    role_arn: str
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, job_name: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., data_source: _Optional[_Union[DataSource, _Mapping]] = ..., role_arn: _Optional[str] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class CreateDataDeletionJobResponse(_message.Message):
    __slots__ = ("data_deletion_job_arn",)
    DATA_DELETION_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    data_deletion_job_arn: str
    def __init__(self, data_deletion_job_arn: _Optional[str] = ...) -> None: ...

class CreateDatasetExportJobRequest(_message.Message):
    __slots__ = ("job_name", "dataset_arn", "ingestion_mode", "role_arn", "job_output", "tags")
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    INGESTION_MODE_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    JOB_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    job_name: str
    dataset_arn: str
    ingestion_mode: str
    role_arn: str
    job_output: DatasetExportJobOutput
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, job_name: _Optional[str] = ..., dataset_arn: _Optional[str] = ..., ingestion_mode: _Optional[str] = ..., role_arn: _Optional[str] = ..., job_output: _Optional[_Union[DatasetExportJobOutput, _Mapping]] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class CreateDatasetExportJobResponse(_message.Message):
    __slots__ = ("dataset_export_job_arn",)
    DATASET_EXPORT_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    dataset_export_job_arn: str
    def __init__(self, dataset_export_job_arn: _Optional[str] = ...) -> None: ...

class CreateDatasetGroupRequest(_message.Message):
    __slots__ = ("name", "role_arn", "kms_key_arn", "domain", "tags")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    KMS_KEY_ARN_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    name: str
    role_arn: str
    kms_key_arn: str
    domain: str
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, name: _Optional[str] = ..., role_arn: _Optional[str] = ..., kms_key_arn: _Optional[str] = ..., domain: _Optional[str] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class CreateDatasetGroupResponse(_message.Message):
    __slots__ = ("dataset_group_arn", "domain")
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    dataset_group_arn: str
    domain: str
    def __init__(self, dataset_group_arn: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class CreateDatasetImportJobRequest(_message.Message):
    __slots__ = ("job_name", "dataset_arn", "data_source", "role_arn", "tags", "import_mode", "publish_attribution_metrics_to_s3")
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    DATA_SOURCE_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    IMPORT_MODE_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_ATTRIBUTION_METRICS_TO_S3_FIELD_NUMBER: _ClassVar[int]
    job_name: str
    dataset_arn: str
    data_source: DataSource
    role_arn: str
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    import_mode: str
    publish_attribution_metrics_to_s3: bool
    def __init__(self, job_name: _Optional[str] = ..., dataset_arn: _Optional[str] = ..., data_source: _Optional[_Union[DataSource, _Mapping]] = ..., role_arn: _Optional[str] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ..., import_mode: _Optional[str] = ..., publish_attribution_metrics_to_s3: _Optional[bool] = ...) -> None: ...

class CreateDatasetImportJobResponse(_message.Message):
    __slots__ = ("dataset_import_job_arn",)
    DATASET_IMPORT_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    dataset_import_job_arn: str
    def __init__(self, dataset_import_job_arn: _Optional[str] = ...) -> None: ...

class CreateDatasetRequest(_message.Message):
    __slots__ = ("name", "schema_arn", "dataset_group_arn", "dataset_type", "tags")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_TYPE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    name: str
    schema_arn: str
    dataset_group_arn: str
    dataset_type: str
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, name: _Optional[str] = ..., schema_arn: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., dataset_type: _Optional[str] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class CreateDatasetResponse(_message.Message):
    __slots__ = ("dataset_arn",)
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    dataset_arn: str
    def __init__(self, dataset_arn: _Optional[str] = ...) -> None: ...

class CreateEventTrackerRequest(_message.Message):
    __slots__ = ("name", "dataset_group_arn", "tags")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    name: str
    dataset_group_arn: str
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, name: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class CreateEventTrackerResponse(_message.Message):
    __slots__ = ("event_tracker_arn", "tracking_id")
    EVENT_TRACKER_ARN_FIELD_NUMBER: _ClassVar[int]
    TRACKING_ID_FIELD_NUMBER: _ClassVar[int]
    event_tracker_arn: str
    tracking_id: str
    def __init__(self, event_tracker_arn: _Optional[str] = ..., tracking_id: _Optional[str] = ...) -> None: ...

class CreateFilterRequest(_message.Message):
    __slots__ = ("name", "dataset_group_arn", "filter_expression", "tags")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    FILTER_EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    name: str
    dataset_group_arn: str
    filter_expression: str
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, name: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., filter_expression: _Optional[str] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class CreateFilterResponse(_message.Message):
    __slots__ = ("filter_arn",)
    FILTER_ARN_FIELD_NUMBER: _ClassVar[int]
    filter_arn: str
    def __init__(self, filter_arn: _Optional[str] = ...) -> None: ...

class CreateMetricAttributionRequest(_message.Message):
    __slots__ = ("name", "dataset_group_arn", "metrics", "metrics_output_config")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    METRICS_OUTPUT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    name: str
    dataset_group_arn: str
    metrics: _containers.RepeatedCompositeFieldContainer[MetricAttribute]
    metrics_output_config: MetricAttributionOutput
    def __init__(self, name: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., metrics: _Optional[_Iterable[_Union[MetricAttribute, _Mapping]]] = ..., metrics_output_config: _Optional[_Union[MetricAttributionOutput, _Mapping]] = ...) -> None: ...

class CreateMetricAttributionResponse(_message.Message):
    __slots__ = ("metric_attribution_arn",)
    METRIC_ATTRIBUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    metric_attribution_arn: str
    def __init__(self, metric_attribution_arn: _Optional[str] = ...) -> None: ...

class CreateRecommenderRequest(_message.Message):
    __slots__ = ("name", "dataset_group_arn", "recipe_arn", "recommender_config", "tags")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    RECIPE_ARN_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDER_CONFIG_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    name: str
    dataset_group_arn: str
    recipe_arn: str
    recommender_config: RecommenderConfig
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, name: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., recipe_arn: _Optional[str] = ..., recommender_config: _Optional[_Union[RecommenderConfig, _Mapping]] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class CreateRecommenderResponse(_message.Message):
    __slots__ = ("recommender_arn",)
    RECOMMENDER_ARN_FIELD_NUMBER: _ClassVar[int]
    recommender_arn: str
    def __init__(self, recommender_arn: _Optional[str] = ...) -> None: ...

class CreateSchemaRequest(_message.Message):
    __slots__ = ("name", "schema", "domain")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    name: str
    schema: str
    domain: str
    def __init__(self, name: _Optional[str] = ..., schema: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class CreateSchemaResponse(_message.Message):
    __slots__ = ("schema_arn",)
    SCHEMA_ARN_FIELD_NUMBER: _ClassVar[int]
    schema_arn: str
    def __init__(self, schema_arn: _Optional[str] = ...) -> None: ...

class CreateSolutionRequest(_message.Message):
    __slots__ = ("name", "perform_hpo", "perform_auto_ml", "perform_auto_training", "perform_incremental_update", "recipe_arn", "dataset_group_arn", "event_type", "solution_config", "tags")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PERFORM_HPO_FIELD_NUMBER: _ClassVar[int]
    PERFORM_AUTO_ML_FIELD_NUMBER: _ClassVar[int]
    PERFORM_AUTO_TRAINING_FIELD_NUMBER: _ClassVar[int]
    PERFORM_INCREMENTAL_UPDATE_FIELD_NUMBER: _ClassVar[int]
    RECIPE_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    name: str
    perform_hpo: bool
    perform_auto_ml: bool
    perform_auto_training: bool
    perform_incremental_update: bool
    recipe_arn: str
    dataset_group_arn: str
    event_type: str
    solution_config: SolutionConfig
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, name: _Optional[str] = ..., perform_hpo: _Optional[bool] = ..., perform_auto_ml: _Optional[bool] = ..., perform_auto_training: _Optional[bool] = ..., perform_incremental_update: _Optional[bool] = ..., recipe_arn: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., event_type: _Optional[str] = ..., solution_config: _Optional[_Union[SolutionConfig, _Mapping]] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class CreateSolutionResponse(_message.Message):
    __slots__ = ("solution_arn",)
    SOLUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    solution_arn: str
    def __init__(self, solution_arn: _Optional[str] = ...) -> None: ...

class CreateSolutionVersionRequest(_message.Message):
    __slots__ = ("name", "solution_arn", "training_mode", "tags")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    TRAINING_MODE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    name: str
    solution_arn: str
    training_mode: str
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, name: _Optional[str] = ..., solution_arn: _Optional[str] = ..., training_mode: _Optional[str] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class CreateSolutionVersionResponse(_message.Message):
    __slots__ = ("solution_version_arn",)
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    solution_version_arn: str
    def __init__(self, solution_version_arn: _Optional[str] = ...) -> None: ...

class DataDeletionJob(_message.Message):
    __slots__ = ("job_name", "data_deletion_job_arn", "dataset_group_arn", "data_source", "role_arn", "status", "num_deleted", "creation_date_time", "last_updated_date_time", "failure_reason")
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    DATA_DELETION_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    DATA_SOURCE_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NUM_DELETED_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    job_name: str
    data_deletion_job_arn: str
    dataset_group_arn: str
    data_source: DataSource
    role_arn: str
    status: str
    num_deleted: int
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    def __init__(self, job_name: _Optional[str] = ..., data_deletion_job_arn: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., data_source: _Optional[_Union[DataSource, _Mapping]] = ..., role_arn: _Optional[str] = ..., status: _Optional[str] = ..., num_deleted: _Optional[int] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ...) -> None: ...

class DataDeletionJobSummary(_message.Message):
    __slots__ = ("data_deletion_job_arn", "dataset_group_arn", "job_name", "status", "creation_date_time", "last_updated_date_time", "failure_reason")
    DATA_DELETION_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    data_deletion_job_arn: str
    dataset_group_arn: str
    job_name: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    def __init__(self, data_deletion_job_arn: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., job_name: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ...) -> None: ...

class DataSource(_message.Message):
    __slots__ = ("data_location",)
    DATA_LOCATION_FIELD_NUMBER: _ClassVar[int]
    data_location: str
    def __init__(self, data_location: _Optional[str] = ...) -> None: ...

class Dataset(_message.Message):
    __slots__ = ("name", "dataset_arn", "dataset_group_arn", "dataset_type", "schema_arn", "status", "creation_date_time", "last_updated_date_time", "latest_dataset_update", "tracking_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_TYPE_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LATEST_DATASET_UPDATE_FIELD_NUMBER: _ClassVar[int]
    TRACKING_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    dataset_arn: str
    dataset_group_arn: str
    dataset_type: str
    schema_arn: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    latest_dataset_update: DatasetUpdateSummary
    tracking_id: str
    def __init__(self, name: _Optional[str] = ..., dataset_arn: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., dataset_type: _Optional[str] = ..., schema_arn: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., latest_dataset_update: _Optional[_Union[DatasetUpdateSummary, _Mapping]] = ..., tracking_id: _Optional[str] = ...) -> None: ...

class DatasetExportJob(_message.Message):
    __slots__ = ("job_name", "dataset_export_job_arn", "dataset_arn", "ingestion_mode", "role_arn", "status", "job_output", "creation_date_time", "last_updated_date_time", "failure_reason")
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_EXPORT_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    INGESTION_MODE_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    JOB_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    job_name: str
    dataset_export_job_arn: str
    dataset_arn: str
    ingestion_mode: str
    role_arn: str
    status: str
    job_output: DatasetExportJobOutput
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    def __init__(self, job_name: _Optional[str] = ..., dataset_export_job_arn: _Optional[str] = ..., dataset_arn: _Optional[str] = ..., ingestion_mode: _Optional[str] = ..., role_arn: _Optional[str] = ..., status: _Optional[str] = ..., job_output: _Optional[_Union[DatasetExportJobOutput, _Mapping]] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ...) -> None: ...

class DatasetExportJobOutput(_message.Message):
    __slots__ = ("s3_data_destination",)
    S3_DATA_DESTINATION_FIELD_NUMBER: _ClassVar[int]
    s3_data_destination: S3DataConfig
    def __init__(self, s3_data_destination: _Optional[_Union[S3DataConfig, _Mapping]] = ...) -> None: ...

class DatasetExportJobSummary(_message.Message):
    __slots__ = ("dataset_export_job_arn", "job_name", "status", "creation_date_time", "last_updated_date_time", "failure_reason")
    DATASET_EXPORT_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    dataset_export_job_arn: str
    job_name: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    def __init__(self, dataset_export_job_arn: _Optional[str] = ..., job_name: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ...) -> None: ...

class DatasetGroup(_message.Message):
    __slots__ = ("name", "dataset_group_arn", "status", "role_arn", "kms_key_arn", "creation_date_time", "last_updated_date_time", "failure_reason", "domain")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    KMS_KEY_ARN_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    name: str
    dataset_group_arn: str
    status: str
    role_arn: str
    kms_key_arn: str
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    domain: str
    def __init__(self, name: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., status: _Optional[str] = ..., role_arn: _Optional[str] = ..., kms_key_arn: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class DatasetGroupSummary(_message.Message):
    __slots__ = ("name", "dataset_group_arn", "status", "creation_date_time", "last_updated_date_time", "failure_reason", "domain")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    name: str
    dataset_group_arn: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    domain: str
    def __init__(self, name: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class DatasetImportJob(_message.Message):
    __slots__ = ("job_name", "dataset_import_job_arn", "dataset_arn", "data_source", "role_arn", "status", "creation_date_time", "last_updated_date_time", "failure_reason", "import_mode", "publish_attribution_metrics_to_s3", "tailor_records_imported", "tailor_progress")
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_IMPORT_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    DATA_SOURCE_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    IMPORT_MODE_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_ATTRIBUTION_METRICS_TO_S3_FIELD_NUMBER: _ClassVar[int]
    TAILOR_RECORDS_IMPORTED_FIELD_NUMBER: _ClassVar[int]
    TAILOR_PROGRESS_FIELD_NUMBER: _ClassVar[int]
    job_name: str
    dataset_import_job_arn: str
    dataset_arn: str
    data_source: DataSource
    role_arn: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    import_mode: str
    publish_attribution_metrics_to_s3: bool
    tailor_records_imported: int
    tailor_progress: float
    def __init__(self, job_name: _Optional[str] = ..., dataset_import_job_arn: _Optional[str] = ..., dataset_arn: _Optional[str] = ..., data_source: _Optional[_Union[DataSource, _Mapping]] = ..., role_arn: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ..., import_mode: _Optional[str] = ..., publish_attribution_metrics_to_s3: _Optional[bool] = ..., tailor_records_imported: _Optional[int] = ..., tailor_progress: _Optional[float] = ...) -> None: ...

class DatasetImportJobSummary(_message.Message):
    __slots__ = ("dataset_import_job_arn", "job_name", "status", "creation_date_time", "last_updated_date_time", "failure_reason", "import_mode", "tailor_records_imported", "tailor_progress")
    DATASET_IMPORT_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    IMPORT_MODE_FIELD_NUMBER: _ClassVar[int]
    TAILOR_RECORDS_IMPORTED_FIELD_NUMBER: _ClassVar[int]
    TAILOR_PROGRESS_FIELD_NUMBER: _ClassVar[int]
    dataset_import_job_arn: str
    job_name: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    import_mode: str
    tailor_records_imported: int
    tailor_progress: float
    def __init__(self, dataset_import_job_arn: _Optional[str] = ..., job_name: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ..., import_mode: _Optional[str] = ..., tailor_records_imported: _Optional[int] = ..., tailor_progress: _Optional[float] = ...) -> None: ...

class DatasetSchema(_message.Message):
    __slots__ = ("name", "schema_arn", "schema", "creation_date_time", "last_updated_date_time", "domain")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_ARN_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    name: str
    schema_arn: str
    schema: str
    creation_date_time: float
    last_updated_date_time: float
    domain: str
    def __init__(self, name: _Optional[str] = ..., schema_arn: _Optional[str] = ..., schema: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., domain: _Optional[str] = ...) -> None: ...

class DatasetSchemaSummary(_message.Message):
    __slots__ = ("name", "schema_arn", "creation_date_time", "last_updated_date_time", "domain")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_ARN_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    name: str
    schema_arn: str
    creation_date_time: float
    last_updated_date_time: float
    domain: str
    def __init__(self, name: _Optional[str] = ..., schema_arn: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., domain: _Optional[str] = ...) -> None: ...

class DatasetSummary(_message.Message):
    __slots__ = ("name", "dataset_arn", "dataset_type", "status", "creation_date_time", "last_updated_date_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    dataset_arn: str
    dataset_type: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    def __init__(self, name: _Optional[str] = ..., dataset_arn: _Optional[str] = ..., dataset_type: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ...) -> None: ...

class DatasetUpdateSummary(_message.Message):
    __slots__ = ("schema_arn", "status", "failure_reason", "creation_date_time", "last_updated_date_time")
    SCHEMA_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    schema_arn: str
    status: str
    failure_reason: str
    creation_date_time: float
    last_updated_date_time: float
    def __init__(self, schema_arn: _Optional[str] = ..., status: _Optional[str] = ..., failure_reason: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ...) -> None: ...

class DefaultCategoricalHyperParameterRange(_message.Message):
    __slots__ = ("name", "values", "is_tunable")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    IS_TUNABLE_FIELD_NUMBER: _ClassVar[int]
    name: str
    values: _containers.RepeatedScalarFieldContainer[str]
    is_tunable: bool
    def __init__(self, name: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ..., is_tunable: _Optional[bool] = ...) -> None: ...

class DefaultContinuousHyperParameterRange(_message.Message):
    __slots__ = ("name", "min_value", "max_value", "is_tunable")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MIN_VALUE_FIELD_NUMBER: _ClassVar[int]
    MAX_VALUE_FIELD_NUMBER: _ClassVar[int]
    IS_TUNABLE_FIELD_NUMBER: _ClassVar[int]
    name: str
    min_value: float
    max_value: float
    is_tunable: bool
    def __init__(self, name: _Optional[str] = ..., min_value: _Optional[float] = ..., max_value: _Optional[float] = ..., is_tunable: _Optional[bool] = ...) -> None: ...

class DefaultHyperParameterRanges(_message.Message):
    __slots__ = ("integer_hyper_parameter_ranges", "continuous_hyper_parameter_ranges", "categorical_hyper_parameter_ranges")
    INTEGER_HYPER_PARAMETER_RANGES_FIELD_NUMBER: _ClassVar[int]
    CONTINUOUS_HYPER_PARAMETER_RANGES_FIELD_NUMBER: _ClassVar[int]
    CATEGORICAL_HYPER_PARAMETER_RANGES_FIELD_NUMBER: _ClassVar[int]
    integer_hyper_parameter_ranges: _containers.RepeatedCompositeFieldContainer[DefaultIntegerHyperParameterRange]
    continuous_hyper_parameter_ranges: _containers.RepeatedCompositeFieldContainer[DefaultContinuousHyperParameterRange]
    categorical_hyper_parameter_ranges: _containers.RepeatedCompositeFieldContainer[DefaultCategoricalHyperParameterRange]
    def __init__(self, integer_hyper_parameter_ranges: _Optional[_Iterable[_Union[DefaultIntegerHyperParameterRange, _Mapping]]] = ..., continuous_hyper_parameter_ranges: _Optional[_Iterable[_Union[DefaultContinuousHyperParameterRange, _Mapping]]] = ..., categorical_hyper_parameter_ranges: _Optional[_Iterable[_Union[DefaultCategoricalHyperParameterRange, _Mapping]]] = ...) -> None: ...

class DefaultIntegerHyperParameterRange(_message.Message):
    __slots__ = ("name", "min_value", "max_value", "is_tunable")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MIN_VALUE_FIELD_NUMBER: _ClassVar[int]
    MAX_VALUE_FIELD_NUMBER: _ClassVar[int]
    IS_TUNABLE_FIELD_NUMBER: _ClassVar[int]
    name: str
    min_value: int
    max_value: int
    is_tunable: bool
    def __init__(self, name: _Optional[str] = ..., min_value: _Optional[int] = ..., max_value: _Optional[int] = ..., is_tunable: _Optional[bool] = ...) -> None: ...

class DeleteCampaignRequest(_message.Message):
    __slots__ = ("campaign_arn",)
    CAMPAIGN_ARN_FIELD_NUMBER: _ClassVar[int]
    campaign_arn: str
    def __init__(self, campaign_arn: _Optional[str] = ...) -> None: ...

class DeleteCampaignResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteDatasetGroupRequest(_message.Message):
    __slots__ = ("dataset_group_arn",)
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    dataset_group_arn: str
    def __init__(self, dataset_group_arn: _Optional[str] = ...) -> None: ...

class DeleteDatasetGroupResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteDatasetRequest(_message.Message):
    __slots__ = ("dataset_arn",)
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    dataset_arn: str
    def __init__(self, dataset_arn: _Optional[str] = ...) -> None: ...

class DeleteDatasetResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteEventTrackerRequest(_message.Message):
    __slots__ = ("event_tracker_arn",)
    EVENT_TRACKER_ARN_FIELD_NUMBER: _ClassVar[int]
    event_tracker_arn: str
    def __init__(self, event_tracker_arn: _Optional[str] = ...) -> None: ...

class DeleteEventTrackerResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteFilterRequest(_message.Message):
    __slots__ = ("filter_arn",)
    FILTER_ARN_FIELD_NUMBER: _ClassVar[int]
    filter_arn: str
    def __init__(self, filter_arn: _Optional[str] = ...) -> None: ...

class DeleteFilterResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteMetricAttributionRequest(_message.Message):
    __slots__ = ("metric_attribution_arn",)
    METRIC_ATTRIBUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    metric_attribution_arn: str
    def __init__(self, metric_attribution_arn: _Optional[str] = ...) -> None: ...

class DeleteMetricAttributionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteRecommenderRequest(_message.Message):
    __slots__ = ("recommender_arn",)
    RECOMMENDER_ARN_FIELD_NUMBER: _ClassVar[int]
    recommender_arn: str
    def __init__(self, recommender_arn: _Optional[str] = ...) -> None: ...

class DeleteRecommenderResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteSchemaRequest(_message.Message):
    __slots__ = ("schema_arn",)
    SCHEMA_ARN_FIELD_NUMBER: _ClassVar[int]
    schema_arn: str
    def __init__(self, schema_arn: _Optional[str] = ...) -> None: ...

class DeleteSchemaResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteSolutionRequest(_message.Message):
    __slots__ = ("solution_arn",)
    SOLUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    solution_arn: str
    def __init__(self, solution_arn: _Optional[str] = ...) -> None: ...

class DeleteSolutionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DescribeAlgorithmRequest(_message.Message):
    __slots__ = ("algorithm_arn",)
    ALGORITHM_ARN_FIELD_NUMBER: _ClassVar[int]
    algorithm_arn: str
    def __init__(self, algorithm_arn: _Optional[str] = ...) -> None: ...

class DescribeAlgorithmResponse(_message.Message):
    __slots__ = ("algorithm",)
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    algorithm: Algorithm
    def __init__(self, algorithm: _Optional[_Union[Algorithm, _Mapping]] = ...) -> None: ...

class DescribeBatchInferenceJobRequest(_message.Message):
    __slots__ = ("batch_inference_job_arn",)
    BATCH_INFERENCE_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    batch_inference_job_arn: str
    def __init__(self, batch_inference_job_arn: _Optional[str] = ...) -> None: ...

class DescribeBatchInferenceJobResponse(_message.Message):
    __slots__ = ("batch_inference_job",)
    BATCH_INFERENCE_JOB_FIELD_NUMBER: _ClassVar[int]
    batch_inference_job: BatchInferenceJob
    def __init__(self, batch_inference_job: _Optional[_Union[BatchInferenceJob, _Mapping]] = ...) -> None: ...

class DescribeBatchSegmentJobRequest(_message.Message):
    __slots__ = ("batch_segment_job_arn",)
    BATCH_SEGMENT_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    batch_segment_job_arn: str
    def __init__(self, batch_segment_job_arn: _Optional[str] = ...) -> None: ...

class DescribeBatchSegmentJobResponse(_message.Message):
    __slots__ = ("batch_segment_job",)
    BATCH_SEGMENT_JOB_FIELD_NUMBER: _ClassVar[int]
    batch_segment_job: BatchSegmentJob
    def __init__(self, batch_segment_job: _Optional[_Union[BatchSegmentJob, _Mapping]] = ...) -> None: ...

class DescribeCampaignRequest(_message.Message):
    __slots__ = ("campaign_arn",)
    CAMPAIGN_ARN_FIELD_NUMBER: _ClassVar[int]
    campaign_arn: str
    def __init__(self, campaign_arn: _Optional[str] = ...) -> None: ...

class DescribeCampaignResponse(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: Campaign
    def __init__(self, campaign: _Optional[_Union[Campaign, _Mapping]] = ...) -> None: ...

class DescribeDataDeletionJobRequest(_message.Message):
    __slots__ = ("data_deletion_job_arn",)
    DATA_DELETION_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    data_deletion_job_arn: str
    def __init__(self, data_deletion_job_arn: _Optional[str] = ...) -> None: ...

class DescribeDataDeletionJobResponse(_message.Message):
    __slots__ = ("data_deletion_job",)
    DATA_DELETION_JOB_FIELD_NUMBER: _ClassVar[int]
    data_deletion_job: DataDeletionJob
    def __init__(self, data_deletion_job: _Optional[_Union[DataDeletionJob, _Mapping]] = ...) -> None: ...

class DescribeDatasetExportJobRequest(_message.Message):
    __slots__ = ("dataset_export_job_arn",)
    DATASET_EXPORT_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    dataset_export_job_arn: str
    def __init__(self, dataset_export_job_arn: _Optional[str] = ...) -> None: ...

class DescribeDatasetExportJobResponse(_message.Message):
    __slots__ = ("dataset_export_job",)
    DATASET_EXPORT_JOB_FIELD_NUMBER: _ClassVar[int]
    dataset_export_job: DatasetExportJob
    def __init__(self, dataset_export_job: _Optional[_Union[DatasetExportJob, _Mapping]] = ...) -> None: ...

class DescribeDatasetGroupRequest(_message.Message):
    __slots__ = ("dataset_group_arn",)
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    dataset_group_arn: str
    def __init__(self, dataset_group_arn: _Optional[str] = ...) -> None: ...

class DescribeDatasetGroupResponse(_message.Message):
    __slots__ = ("dataset_group",)
    DATASET_GROUP_FIELD_NUMBER: _ClassVar[int]
    dataset_group: DatasetGroup
    def __init__(self, dataset_group: _Optional[_Union[DatasetGroup, _Mapping]] = ...) -> None: ...

class DescribeDatasetImportJobRequest(_message.Message):
    __slots__ = ("dataset_import_job_arn",)
    DATASET_IMPORT_JOB_ARN_FIELD_NUMBER: _ClassVar[int]
    dataset_import_job_arn: str
    def __init__(self, dataset_import_job_arn: _Optional[str] = ...) -> None: ...

class DescribeDatasetImportJobResponse(_message.Message):
    __slots__ = ("dataset_import_job",)
    DATASET_IMPORT_JOB_FIELD_NUMBER: _ClassVar[int]
    dataset_import_job: DatasetImportJob
    def __init__(self, dataset_import_job: _Optional[_Union[DatasetImportJob, _Mapping]] = ...) -> None: ...

class DescribeDatasetRequest(_message.Message):
    __slots__ = ("dataset_arn",)
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    dataset_arn: str
    def __init__(self, dataset_arn: _Optional[str] = ...) -> None: ...

class DescribeDatasetResponse(_message.Message):
    __slots__ = ("dataset",)
    DATASET_FIELD_NUMBER: _ClassVar[int]
    dataset: Dataset
    def __init__(self, dataset: _Optional[_Union[Dataset, _Mapping]] = ...) -> None: ...

class DescribeEventTrackerRequest(_message.Message):
    __slots__ = ("event_tracker_arn",)
    EVENT_TRACKER_ARN_FIELD_NUMBER: _ClassVar[int]
    event_tracker_arn: str
    def __init__(self, event_tracker_arn: _Optional[str] = ...) -> None: ...

class DescribeEventTrackerResponse(_message.Message):
    __slots__ = ("event_tracker",)
    EVENT_TRACKER_FIELD_NUMBER: _ClassVar[int]
    event_tracker: EventTracker
    def __init__(self, event_tracker: _Optional[_Union[EventTracker, _Mapping]] = ...) -> None: ...

class DescribeFeatureTransformationRequest(_message.Message):
    __slots__ = ("feature_transformation_arn",)
    FEATURE_TRANSFORMATION_ARN_FIELD_NUMBER: _ClassVar[int]
    feature_transformation_arn: str
    def __init__(self, feature_transformation_arn: _Optional[str] = ...) -> None: ...

class DescribeFeatureTransformationResponse(_message.Message):
    __slots__ = ("feature_transformation",)
    FEATURE_TRANSFORMATION_FIELD_NUMBER: _ClassVar[int]
    feature_transformation: FeatureTransformation
    def __init__(self, feature_transformation: _Optional[_Union[FeatureTransformation, _Mapping]] = ...) -> None: ...

class DescribeFilterRequest(_message.Message):
    __slots__ = ("filter_arn",)
    FILTER_ARN_FIELD_NUMBER: _ClassVar[int]
    filter_arn: str
    def __init__(self, filter_arn: _Optional[str] = ...) -> None: ...

class DescribeFilterResponse(_message.Message):
    __slots__ = ("filter",)
    FILTER_FIELD_NUMBER: _ClassVar[int]
    filter: Filter
    def __init__(self, filter: _Optional[_Union[Filter, _Mapping]] = ...) -> None: ...

class DescribeMetricAttributionRequest(_message.Message):
    __slots__ = ("metric_attribution_arn",)
    METRIC_ATTRIBUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    metric_attribution_arn: str
    def __init__(self, metric_attribution_arn: _Optional[str] = ...) -> None: ...

class DescribeMetricAttributionResponse(_message.Message):
    __slots__ = ("metric_attribution",)
    METRIC_ATTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    metric_attribution: MetricAttribution
    def __init__(self, metric_attribution: _Optional[_Union[MetricAttribution, _Mapping]] = ...) -> None: ...

class DescribeRecipeRequest(_message.Message):
    __slots__ = ("recipe_arn",)
    RECIPE_ARN_FIELD_NUMBER: _ClassVar[int]
    recipe_arn: str
    def __init__(self, recipe_arn: _Optional[str] = ...) -> None: ...

class DescribeRecipeResponse(_message.Message):
    __slots__ = ("recipe",)
    RECIPE_FIELD_NUMBER: _ClassVar[int]
    recipe: Recipe
    def __init__(self, recipe: _Optional[_Union[Recipe, _Mapping]] = ...) -> None: ...

class DescribeRecommenderRequest(_message.Message):
    __slots__ = ("recommender_arn",)
    RECOMMENDER_ARN_FIELD_NUMBER: _ClassVar[int]
    recommender_arn: str
    def __init__(self, recommender_arn: _Optional[str] = ...) -> None: ...

class DescribeRecommenderResponse(_message.Message):
    __slots__ = ("recommender",)
    RECOMMENDER_FIELD_NUMBER: _ClassVar[int]
    recommender: Recommender
    def __init__(self, recommender: _Optional[_Union[Recommender, _Mapping]] = ...) -> None: ...

class DescribeSchemaRequest(_message.Message):
    __slots__ = ("schema_arn",)
    SCHEMA_ARN_FIELD_NUMBER: _ClassVar[int]
    schema_arn: str
    def __init__(self, schema_arn: _Optional[str] = ...) -> None: ...

class DescribeSchemaResponse(_message.Message):
    __slots__ = ("schema",)
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    schema: DatasetSchema
    def __init__(self, schema: _Optional[_Union[DatasetSchema, _Mapping]] = ...) -> None: ...

class DescribeSolutionRequest(_message.Message):
    __slots__ = ("solution_arn",)
    SOLUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    solution_arn: str
    def __init__(self, solution_arn: _Optional[str] = ...) -> None: ...

class DescribeSolutionResponse(_message.Message):
    __slots__ = ("solution",)
    SOLUTION_FIELD_NUMBER: _ClassVar[int]
    solution: Solution
    def __init__(self, solution: _Optional[_Union[Solution, _Mapping]] = ...) -> None: ...

class DescribeSolutionVersionRequest(_message.Message):
    __slots__ = ("solution_version_arn",)
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    solution_version_arn: str
    def __init__(self, solution_version_arn: _Optional[str] = ...) -> None: ...

class DescribeSolutionVersionResponse(_message.Message):
    __slots__ = ("solution_version",)
    SOLUTION_VERSION_FIELD_NUMBER: _ClassVar[int]
    solution_version: SolutionVersion
    def __init__(self, solution_version: _Optional[_Union[SolutionVersion, _Mapping]] = ...) -> None: ...

class EventParameters(_message.Message):
    __slots__ = ("event_type", "event_value_threshold", "weight")
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    EVENT_VALUE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    event_type: str
    event_value_threshold: float
    weight: float
    def __init__(self, event_type: _Optional[str] = ..., event_value_threshold: _Optional[float] = ..., weight: _Optional[float] = ...) -> None: ...

class EventTracker(_message.Message):
    __slots__ = ("name", "event_tracker_arn", "account_id", "tracking_id", "dataset_group_arn", "status", "creation_date_time", "last_updated_date_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EVENT_TRACKER_ARN_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    TRACKING_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    event_tracker_arn: str
    account_id: str
    tracking_id: str
    dataset_group_arn: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    def __init__(self, name: _Optional[str] = ..., event_tracker_arn: _Optional[str] = ..., account_id: _Optional[str] = ..., tracking_id: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ...) -> None: ...

class EventTrackerSummary(_message.Message):
    __slots__ = ("name", "event_tracker_arn", "status", "creation_date_time", "last_updated_date_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EVENT_TRACKER_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    event_tracker_arn: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    def __init__(self, name: _Optional[str] = ..., event_tracker_arn: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ...) -> None: ...

class EventsConfig(_message.Message):
    __slots__ = ("event_parameters_list",)
    EVENT_PARAMETERS_LIST_FIELD_NUMBER: _ClassVar[int]
    event_parameters_list: _containers.RepeatedCompositeFieldContainer[EventParameters]
    def __init__(self, event_parameters_list: _Optional[_Iterable[_Union[EventParameters, _Mapping]]] = ...) -> None: ...

class FeatureTransformation(_message.Message):
    __slots__ = ("name", "feature_transformation_arn", "default_parameters", "creation_date_time", "last_updated_date_time", "status")
    class DefaultParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    FEATURE_TRANSFORMATION_ARN_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    name: str
    feature_transformation_arn: str
    default_parameters: _containers.ScalarMap[str, str]
    creation_date_time: float
    last_updated_date_time: float
    status: str
    def __init__(self, name: _Optional[str] = ..., feature_transformation_arn: _Optional[str] = ..., default_parameters: _Optional[_Mapping[str, str]] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., status: _Optional[str] = ...) -> None: ...

class FieldsForThemeGeneration(_message.Message):
    __slots__ = ("item_name",)
    ITEM_NAME_FIELD_NUMBER: _ClassVar[int]
    item_name: str
    def __init__(self, item_name: _Optional[str] = ...) -> None: ...

class Filter(_message.Message):
    __slots__ = ("name", "filter_arn", "creation_date_time", "last_updated_date_time", "dataset_group_arn", "failure_reason", "filter_expression", "status")
    NAME_FIELD_NUMBER: _ClassVar[int]
    FILTER_ARN_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    FILTER_EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    name: str
    filter_arn: str
    creation_date_time: float
    last_updated_date_time: float
    dataset_group_arn: str
    failure_reason: str
    filter_expression: str
    status: str
    def __init__(self, name: _Optional[str] = ..., filter_arn: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., dataset_group_arn: _Optional[str] = ..., failure_reason: _Optional[str] = ..., filter_expression: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class FilterSummary(_message.Message):
    __slots__ = ("name", "filter_arn", "creation_date_time", "last_updated_date_time", "dataset_group_arn", "failure_reason", "status")
    NAME_FIELD_NUMBER: _ClassVar[int]
    FILTER_ARN_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    name: str
    filter_arn: str
    creation_date_time: float
    last_updated_date_time: float
    dataset_group_arn: str
    failure_reason: str
    status: str
    def __init__(self, name: _Optional[str] = ..., filter_arn: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., dataset_group_arn: _Optional[str] = ..., failure_reason: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class GetSolutionMetricsRequest(_message.Message):
    __slots__ = ("solution_version_arn",)
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    solution_version_arn: str
    def __init__(self, solution_version_arn: _Optional[str] = ...) -> None: ...

class GetSolutionMetricsResponse(_message.Message):
    __slots__ = ("solution_version_arn", "metrics")
    class MetricsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    solution_version_arn: str
    metrics: _containers.ScalarMap[str, float]
    def __init__(self, solution_version_arn: _Optional[str] = ..., metrics: _Optional[_Mapping[str, float]] = ...) -> None: ...

class HPOConfig(_message.Message):
    __slots__ = ("hpo_objective", "hpo_resource_config", "algorithm_hyper_parameter_ranges")
    HPO_OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    HPO_RESOURCE_CONFIG_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_HYPER_PARAMETER_RANGES_FIELD_NUMBER: _ClassVar[int]
    hpo_objective: HPOObjective
    hpo_resource_config: HPOResourceConfig
    algorithm_hyper_parameter_ranges: HyperParameterRanges
    def __init__(self, hpo_objective: _Optional[_Union[HPOObjective, _Mapping]] = ..., hpo_resource_config: _Optional[_Union[HPOResourceConfig, _Mapping]] = ..., algorithm_hyper_parameter_ranges: _Optional[_Union[HyperParameterRanges, _Mapping]] = ...) -> None: ...

class HPOObjective(_message.Message):
    __slots__ = ("type", "metric_name", "metric_regex")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    METRIC_NAME_FIELD_NUMBER: _ClassVar[int]
    METRIC_REGEX_FIELD_NUMBER: _ClassVar[int]
    type: str
    metric_name: str
    metric_regex: str
    def __init__(self, type: _Optional[str] = ..., metric_name: _Optional[str] = ..., metric_regex: _Optional[str] = ...) -> None: ...

class HPOResourceConfig(_message.Message):
    __slots__ = ("max_number_of_training_jobs", "max_parallel_training_jobs")
    MAX_NUMBER_OF_TRAINING_JOBS_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_TRAINING_JOBS_FIELD_NUMBER: _ClassVar[int]
    max_number_of_training_jobs: str
    max_parallel_training_jobs: str
    def __init__(self, max_number_of_training_jobs: _Optional[str] = ..., max_parallel_training_jobs: _Optional[str] = ...) -> None: ...

class HyperParameterRanges(_message.Message):
    __slots__ = ("integer_hyper_parameter_ranges", "continuous_hyper_parameter_ranges", "categorical_hyper_parameter_ranges")
    INTEGER_HYPER_PARAMETER_RANGES_FIELD_NUMBER: _ClassVar[int]
    CONTINUOUS_HYPER_PARAMETER_RANGES_FIELD_NUMBER: _ClassVar[int]
    CATEGORICAL_HYPER_PARAMETER_RANGES_FIELD_NUMBER: _ClassVar[int]
    integer_hyper_parameter_ranges: _containers.RepeatedCompositeFieldContainer[IntegerHyperParameterRange]
    continuous_hyper_parameter_ranges: _containers.RepeatedCompositeFieldContainer[ContinuousHyperParameterRange]
    categorical_hyper_parameter_ranges: _containers.RepeatedCompositeFieldContainer[CategoricalHyperParameterRange]
    def __init__(self, integer_hyper_parameter_ranges: _Optional[_Iterable[_Union[IntegerHyperParameterRange, _Mapping]]] = ..., continuous_hyper_parameter_ranges: _Optional[_Iterable[_Union[ContinuousHyperParameterRange, _Mapping]]] = ..., categorical_hyper_parameter_ranges: _Optional[_Iterable[_Union[CategoricalHyperParameterRange, _Mapping]]] = ...) -> None: ...

class IntegerHyperParameterRange(_message.Message):
    __slots__ = ("name", "min_value", "max_value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MIN_VALUE_FIELD_NUMBER: _ClassVar[int]
    MAX_VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    min_value: int
    max_value: int
    def __init__(self, name: _Optional[str] = ..., min_value: _Optional[int] = ..., max_value: _Optional[int] = ...) -> None: ...

class ListBatchInferenceJobsRequest(_message.Message):
    __slots__ = ("solution_version_arn", "next_token", "max_results")
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    solution_version_arn: str
    next_token: str
    max_results: int
    def __init__(self, solution_version_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListBatchInferenceJobsResponse(_message.Message):
    __slots__ = ("batch_inference_jobs", "next_token")
    BATCH_INFERENCE_JOBS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    batch_inference_jobs: _containers.RepeatedCompositeFieldContainer[BatchInferenceJobSummary]
    next_token: str
    def __init__(self, batch_inference_jobs: _Optional[_Iterable[_Union[BatchInferenceJobSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListBatchSegmentJobsRequest(_message.Message):
    __slots__ = ("solution_version_arn", "next_token", "max_results")
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    solution_version_arn: str
    next_token: str
    max_results: int
    def __init__(self, solution_version_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListBatchSegmentJobsResponse(_message.Message):
    __slots__ = ("batch_segment_jobs", "next_token")
    BATCH_SEGMENT_JOBS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    batch_segment_jobs: _containers.RepeatedCompositeFieldContainer[BatchSegmentJobSummary]
    next_token: str
    def __init__(self, batch_segment_jobs: _Optional[_Iterable[_Union[BatchSegmentJobSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListCampaignsRequest(_message.Message):
    __slots__ = ("solution_arn", "next_token", "max_results")
    SOLUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    solution_arn: str
    next_token: str
    max_results: int
    def __init__(self, solution_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListCampaignsResponse(_message.Message):
    __slots__ = ("campaigns", "next_token")
    CAMPAIGNS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    campaigns: _containers.RepeatedCompositeFieldContainer[CampaignSummary]
    next_token: str
    def __init__(self, campaigns: _Optional[_Iterable[_Union[CampaignSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListDataDeletionJobsRequest(_message.Message):
    __slots__ = ("dataset_group_arn", "next_token", "max_results")
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    dataset_group_arn: str
    next_token: str
    max_results: int
    def __init__(self, dataset_group_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListDataDeletionJobsResponse(_message.Message):
    __slots__ = ("data_deletion_jobs", "next_token")
    DATA_DELETION_JOBS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    data_deletion_jobs: _containers.RepeatedCompositeFieldContainer[DataDeletionJobSummary]
    next_token: str
    def __init__(self, data_deletion_jobs: _Optional[_Iterable[_Union[DataDeletionJobSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListDatasetExportJobsRequest(_message.Message):
    __slots__ = ("dataset_arn", "next_token", "max_results")
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    dataset_arn: str
    next_token: str
    max_results: int
    def __init__(self, dataset_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListDatasetExportJobsResponse(_message.Message):
    __slots__ = ("dataset_export_jobs", "next_token")
    DATASET_EXPORT_JOBS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    dataset_export_jobs: _containers.RepeatedCompositeFieldContainer[DatasetExportJobSummary]
    next_token: str
    def __init__(self, dataset_export_jobs: _Optional[_Iterable[_Union[DatasetExportJobSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListDatasetGroupsRequest(_message.Message):
    __slots__ = ("next_token", "max_results")
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    next_token: str
    max_results: int
    def __init__(self, next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListDatasetGroupsResponse(_message.Message):
    __slots__ = ("dataset_groups", "next_token")
    DATASET_GROUPS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    dataset_groups: _containers.RepeatedCompositeFieldContainer[DatasetGroupSummary]
    next_token: str
    def __init__(self, dataset_groups: _Optional[_Iterable[_Union[DatasetGroupSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListDatasetImportJobsRequest(_message.Message):
    __slots__ = ("dataset_arn", "next_token", "max_results")
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    dataset_arn: str
    next_token: str
    max_results: int
    def __init__(self, dataset_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListDatasetImportJobsResponse(_message.Message):
    __slots__ = ("dataset_import_jobs", "next_token")
    DATASET_IMPORT_JOBS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    dataset_import_jobs: _containers.RepeatedCompositeFieldContainer[DatasetImportJobSummary]
    next_token: str
    def __init__(self, dataset_import_jobs: _Optional[_Iterable[_Union[DatasetImportJobSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListDatasetsRequest(_message.Message):
    __slots__ = ("dataset_group_arn", "next_token", "max_results")
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    dataset_group_arn: str
    next_token: str
    max_results: int
    def __init__(self, dataset_group_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListDatasetsResponse(_message.Message):
    __slots__ = ("datasets", "next_token")
    DATASETS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    datasets: _containers.RepeatedCompositeFieldContainer[DatasetSummary]
    next_token: str
    def __init__(self, datasets: _Optional[_Iterable[_Union[DatasetSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListEventTrackersRequest(_message.Message):
    __slots__ = ("dataset_group_arn", "next_token", "max_results")
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    dataset_group_arn: str
    next_token: str
    max_results: int
    def __init__(self, dataset_group_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListEventTrackersResponse(_message.Message):
    __slots__ = ("event_trackers", "next_token")
    EVENT_TRACKERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    event_trackers: _containers.RepeatedCompositeFieldContainer[EventTrackerSummary]
    next_token: str
    def __init__(self, event_trackers: _Optional[_Iterable[_Union[EventTrackerSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListFiltersRequest(_message.Message):
    __slots__ = ("dataset_group_arn", "next_token", "max_results")
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    dataset_group_arn: str
    next_token: str
    max_results: int
    def __init__(self, dataset_group_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListFiltersResponse(_message.Message):
    __slots__ = ("filters", "next_token")
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    filters: _containers.RepeatedCompositeFieldContainer[FilterSummary]
    next_token: str
    def __init__(self, filters: _Optional[_Iterable[_Union[FilterSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListMetricAttributionMetricsRequest(_message.Message):
    __slots__ = ("metric_attribution_arn", "next_token", "max_results")
    METRIC_ATTRIBUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    metric_attribution_arn: str
    next_token: str
    max_results: int
    def __init__(self, metric_attribution_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListMetricAttributionMetricsResponse(_message.Message):
    __slots__ = ("metrics", "next_token")
    METRICS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    metrics: _containers.RepeatedCompositeFieldContainer[MetricAttribute]
    next_token: str
    def __init__(self, metrics: _Optional[_Iterable[_Union[MetricAttribute, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListMetricAttributionsRequest(_message.Message):
    __slots__ = ("dataset_group_arn", "next_token", "max_results")
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    dataset_group_arn: str
    next_token: str
    max_results: int
    def __init__(self, dataset_group_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListMetricAttributionsResponse(_message.Message):
    __slots__ = ("metric_attributions", "next_token")
    METRIC_ATTRIBUTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    metric_attributions: _containers.RepeatedCompositeFieldContainer[MetricAttributionSummary]
    next_token: str
    def __init__(self, metric_attributions: _Optional[_Iterable[_Union[MetricAttributionSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListRecipesRequest(_message.Message):
    __slots__ = ("recipe_provider", "next_token", "max_results", "domain")
    RECIPE_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    recipe_provider: str
    next_token: str
    max_results: int
    domain: str
    def __init__(self, recipe_provider: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ..., domain: _Optional[str] = ...) -> None: ...

class ListRecipesResponse(_message.Message):
    __slots__ = ("recipes", "next_token")
    RECIPES_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    recipes: _containers.RepeatedCompositeFieldContainer[RecipeSummary]
    next_token: str
    def __init__(self, recipes: _Optional[_Iterable[_Union[RecipeSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListRecommendersRequest(_message.Message):
    __slots__ = ("dataset_group_arn", "next_token", "max_results")
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    dataset_group_arn: str
    next_token: str
    max_results: int
    def __init__(self, dataset_group_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListRecommendersResponse(_message.Message):
    __slots__ = ("recommenders", "next_token")
    RECOMMENDERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    recommenders: _containers.RepeatedCompositeFieldContainer[RecommenderSummary]
    next_token: str
    def __init__(self, recommenders: _Optional[_Iterable[_Union[RecommenderSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListSchemasRequest(_message.Message):
    __slots__ = ("next_token", "max_results")
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    next_token: str
    max_results: int
    def __init__(self, next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListSchemasResponse(_message.Message):
    __slots__ = ("schemas", "next_token")
    SCHEMAS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    schemas: _containers.RepeatedCompositeFieldContainer[DatasetSchemaSummary]
    next_token: str
    def __init__(self, schemas: _Optional[_Iterable[_Union[DatasetSchemaSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListSolutionVersionsRequest(_message.Message):
    __slots__ = ("solution_arn", "next_token", "max_results")
    SOLUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    solution_arn: str
    next_token: str
    max_results: int
    def __init__(self, solution_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListSolutionVersionsResponse(_message.Message):
    __slots__ = ("solution_versions", "next_token")
    SOLUTION_VERSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    solution_versions: _containers.RepeatedCompositeFieldContainer[SolutionVersionSummary]
    next_token: str
    def __init__(self, solution_versions: _Optional[_Iterable[_Union[SolutionVersionSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListSolutionsRequest(_message.Message):
    __slots__ = ("dataset_group_arn", "next_token", "max_results")
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    dataset_group_arn: str
    next_token: str
    max_results: int
    def __init__(self, dataset_group_arn: _Optional[str] = ..., next_token: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ListSolutionsResponse(_message.Message):
    __slots__ = ("solutions", "next_token")
    SOLUTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    solutions: _containers.RepeatedCompositeFieldContainer[SolutionSummary]
    next_token: str
    def __init__(self, solutions: _Optional[_Iterable[_Union[SolutionSummary, _Mapping]]] = ..., next_token: _Optional[str] = ...) -> None: ...

class ListTagsForResourceRequest(_message.Message):
    __slots__ = ("resource_arn",)
    RESOURCE_ARN_FIELD_NUMBER: _ClassVar[int]
    resource_arn: str
    def __init__(self, resource_arn: _Optional[str] = ...) -> None: ...

class ListTagsForResourceResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class MetricAttribute(_message.Message):
    __slots__ = ("event_type", "metric_name", "expression")
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    METRIC_NAME_FIELD_NUMBER: _ClassVar[int]
    EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    event_type: str
    metric_name: str
    expression: str
    def __init__(self, event_type: _Optional[str] = ..., metric_name: _Optional[str] = ..., expression: _Optional[str] = ...) -> None: ...

class MetricAttribution(_message.Message):
    __slots__ = ("name", "metric_attribution_arn", "dataset_group_arn", "metrics_output_config", "status", "creation_date_time", "last_updated_date_time", "failure_reason")
    NAME_FIELD_NUMBER: _ClassVar[int]
    METRIC_ATTRIBUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    METRICS_OUTPUT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    name: str
    metric_attribution_arn: str
    dataset_group_arn: str
    metrics_output_config: MetricAttributionOutput
    status: str
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    def __init__(self, name: _Optional[str] = ..., metric_attribution_arn: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., metrics_output_config: _Optional[_Union[MetricAttributionOutput, _Mapping]] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ...) -> None: ...

class MetricAttributionOutput(_message.Message):
    __slots__ = ("s3_data_destination", "role_arn")
    S3_DATA_DESTINATION_FIELD_NUMBER: _ClassVar[int]
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    s3_data_destination: S3DataConfig
    role_arn: str
    def __init__(self, s3_data_destination: _Optional[_Union[S3DataConfig, _Mapping]] = ..., role_arn: _Optional[str] = ...) -> None: ...

class MetricAttributionSummary(_message.Message):
    __slots__ = ("name", "metric_attribution_arn", "status", "creation_date_time", "last_updated_date_time", "failure_reason")
    NAME_FIELD_NUMBER: _ClassVar[int]
    METRIC_ATTRIBUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    name: str
    metric_attribution_arn: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    def __init__(self, name: _Optional[str] = ..., metric_attribution_arn: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ...) -> None: ...

class OptimizationObjective(_message.Message):
    __slots__ = ("item_attribute", "objective_sensitivity")
    ITEM_ATTRIBUTE_FIELD_NUMBER: _ClassVar[int]
    OBJECTIVE_SENSITIVITY_FIELD_NUMBER: _ClassVar[int]
    item_attribute: str
    objective_sensitivity: str
    def __init__(self, item_attribute: _Optional[str] = ..., objective_sensitivity: _Optional[str] = ...) -> None: ...

class Recipe(_message.Message):
    __slots__ = ("name", "recipe_arn", "algorithm_arn", "feature_transformation_arn", "status", "description", "creation_date_time", "recipe_type", "last_updated_date_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RECIPE_ARN_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_ARN_FIELD_NUMBER: _ClassVar[int]
    FEATURE_TRANSFORMATION_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    RECIPE_TYPE_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    recipe_arn: str
    algorithm_arn: str
    feature_transformation_arn: str
    status: str
    description: str
    creation_date_time: float
    recipe_type: str
    last_updated_date_time: float
    def __init__(self, name: _Optional[str] = ..., recipe_arn: _Optional[str] = ..., algorithm_arn: _Optional[str] = ..., feature_transformation_arn: _Optional[str] = ..., status: _Optional[str] = ..., description: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., recipe_type: _Optional[str] = ..., last_updated_date_time: _Optional[float] = ...) -> None: ...

class RecipeSummary(_message.Message):
    __slots__ = ("name", "recipe_arn", "status", "creation_date_time", "last_updated_date_time", "domain")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RECIPE_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    name: str
    recipe_arn: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    domain: str
    def __init__(self, name: _Optional[str] = ..., recipe_arn: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., domain: _Optional[str] = ...) -> None: ...

class Recommender(_message.Message):
    __slots__ = ("recommender_arn", "dataset_group_arn", "name", "recipe_arn", "recommender_config", "creation_date_time", "last_updated_date_time", "status", "failure_reason", "latest_recommender_update", "model_metrics")
    class ModelMetricsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    RECOMMENDER_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RECIPE_ARN_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDER_CONFIG_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    LATEST_RECOMMENDER_UPDATE_FIELD_NUMBER: _ClassVar[int]
    MODEL_METRICS_FIELD_NUMBER: _ClassVar[int]
    recommender_arn: str
    dataset_group_arn: str
    name: str
    recipe_arn: str
    recommender_config: RecommenderConfig
    creation_date_time: float
    last_updated_date_time: float
    status: str
    failure_reason: str
    latest_recommender_update: RecommenderUpdateSummary
    model_metrics: _containers.ScalarMap[str, float]
    def __init__(self, recommender_arn: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., name: _Optional[str] = ..., recipe_arn: _Optional[str] = ..., recommender_config: _Optional[_Union[RecommenderConfig, _Mapping]] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., status: _Optional[str] = ..., failure_reason: _Optional[str] = ..., latest_recommender_update: _Optional[_Union[RecommenderUpdateSummary, _Mapping]] = ..., model_metrics: _Optional[_Mapping[str, float]] = ...) -> None: ...

class RecommenderConfig(_message.Message):
    __slots__ = ("item_exploration_config", "min_recommendation_requests_per_second", "training_data_config", "enable_metadata_with_recommendations")
    class ItemExplorationConfigEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ITEM_EXPLORATION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    MIN_RECOMMENDATION_REQUESTS_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    TRAINING_DATA_CONFIG_FIELD_NUMBER: _ClassVar[int]
    ENABLE_METADATA_WITH_RECOMMENDATIONS_FIELD_NUMBER: _ClassVar[int]
    item_exploration_config: _containers.ScalarMap[str, str]
    min_recommendation_requests_per_second: int
    training_data_config: TrainingDataConfig
    enable_metadata_with_recommendations: bool
    def __init__(self, item_exploration_config: _Optional[_Mapping[str, str]] = ..., min_recommendation_requests_per_second: _Optional[int] = ..., training_data_config: _Optional[_Union[TrainingDataConfig, _Mapping]] = ..., enable_metadata_with_recommendations: _Optional[bool] = ...) -> None: ...

class RecommenderSummary(_message.Message):
    __slots__ = ("name", "recommender_arn", "dataset_group_arn", "recipe_arn", "recommender_config", "status", "creation_date_time", "last_updated_date_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDER_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    RECIPE_ARN_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDER_CONFIG_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    recommender_arn: str
    dataset_group_arn: str
    recipe_arn: str
    recommender_config: RecommenderConfig
    status: str
    creation_date_time: float
    last_updated_date_time: float
    def __init__(self, name: _Optional[str] = ..., recommender_arn: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., recipe_arn: _Optional[str] = ..., recommender_config: _Optional[_Union[RecommenderConfig, _Mapping]] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ...) -> None: ...

class RecommenderUpdateSummary(_message.Message):
    __slots__ = ("recommender_config", "creation_date_time", "last_updated_date_time", "status", "failure_reason")
    RECOMMENDER_CONFIG_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    recommender_config: RecommenderConfig
    creation_date_time: float
    last_updated_date_time: float
    status: str
    failure_reason: str
    def __init__(self, recommender_config: _Optional[_Union[RecommenderConfig, _Mapping]] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., status: _Optional[str] = ..., failure_reason: _Optional[str] = ...) -> None: ...

class S3DataConfig(_message.Message):
    __slots__ = ("path", "kms_key_arn")
    PATH_FIELD_NUMBER: _ClassVar[int]
    KMS_KEY_ARN_FIELD_NUMBER: _ClassVar[int]
    path: str
    kms_key_arn: str
    def __init__(self, path: _Optional[str] = ..., kms_key_arn: _Optional[str] = ...) -> None: ...

class Solution(_message.Message):
    __slots__ = ("name", "solution_arn", "perform_hpo", "perform_auto_ml", "perform_auto_training", "perform_incremental_update", "recipe_arn", "dataset_group_arn", "event_type", "solution_config", "auto_ml_result", "status", "creation_date_time", "last_updated_date_time", "latest_solution_version", "latest_solution_update")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    PERFORM_HPO_FIELD_NUMBER: _ClassVar[int]
    PERFORM_AUTO_ML_FIELD_NUMBER: _ClassVar[int]
    PERFORM_AUTO_TRAINING_FIELD_NUMBER: _ClassVar[int]
    PERFORM_INCREMENTAL_UPDATE_FIELD_NUMBER: _ClassVar[int]
    RECIPE_ARN_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    AUTO_ML_RESULT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LATEST_SOLUTION_VERSION_FIELD_NUMBER: _ClassVar[int]
    LATEST_SOLUTION_UPDATE_FIELD_NUMBER: _ClassVar[int]
    name: str
    solution_arn: str
    perform_hpo: bool
    perform_auto_ml: bool
    perform_auto_training: bool
    perform_incremental_update: bool
    recipe_arn: str
    dataset_group_arn: str
    event_type: str
    solution_config: SolutionConfig
    auto_ml_result: AutoMLResult
    status: str
    creation_date_time: float
    last_updated_date_time: float
    latest_solution_version: SolutionVersionSummary
    latest_solution_update: SolutionUpdateSummary
    def __init__(self, name: _Optional[str] = ..., solution_arn: _Optional[str] = ..., perform_hpo: _Optional[bool] = ..., perform_auto_ml: _Optional[bool] = ..., perform_auto_training: _Optional[bool] = ..., perform_incremental_update: _Optional[bool] = ..., recipe_arn: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., event_type: _Optional[str] = ..., solution_config: _Optional[_Union[SolutionConfig, _Mapping]] = ..., auto_ml_result: _Optional[_Union[AutoMLResult, _Mapping]] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., latest_solution_version: _Optional[_Union[SolutionVersionSummary, _Mapping]] = ..., latest_solution_update: _Optional[_Union[SolutionUpdateSummary, _Mapping]] = ...) -> None: ...

class SolutionConfig(_message.Message):
    __slots__ = ("event_value_threshold", "hpo_config", "algorithm_hyper_parameters", "feature_transformation_parameters", "auto_ml_config", "events_config", "optimization_objective", "training_data_config", "auto_training_config")
    class AlgorithmHyperParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class FeatureTransformationParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    EVENT_VALUE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    HPO_CONFIG_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_HYPER_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    FEATURE_TRANSFORMATION_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    AUTO_ML_CONFIG_FIELD_NUMBER: _ClassVar[int]
    EVENTS_CONFIG_FIELD_NUMBER: _ClassVar[int]
    OPTIMIZATION_OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    TRAINING_DATA_CONFIG_FIELD_NUMBER: _ClassVar[int]
    AUTO_TRAINING_CONFIG_FIELD_NUMBER: _ClassVar[int]
    event_value_threshold: str
    hpo_config: HPOConfig
    algorithm_hyper_parameters: _containers.ScalarMap[str, str]
    feature_transformation_parameters: _containers.ScalarMap[str, str]
    auto_ml_config: AutoMLConfig
    events_config: EventsConfig
    optimization_objective: OptimizationObjective
    training_data_config: TrainingDataConfig
    auto_training_config: AutoTrainingConfig
    def __init__(self, event_value_threshold: _Optional[str] = ..., hpo_config: _Optional[_Union[HPOConfig, _Mapping]] = ..., algorithm_hyper_parameters: _Optional[_Mapping[str, str]] = ..., feature_transformation_parameters: _Optional[_Mapping[str, str]] = ..., auto_ml_config: _Optional[_Union[AutoMLConfig, _Mapping]] = ..., events_config: _Optional[_Union[EventsConfig, _Mapping]] = ..., optimization_objective: _Optional[_Union[OptimizationObjective, _Mapping]] = ..., training_data_config: _Optional[_Union[TrainingDataConfig, _Mapping]] = ..., auto_training_config: _Optional[_Union[AutoTrainingConfig, _Mapping]] = ...) -> None: ...

class SolutionSummary(_message.Message):
    __slots__ = ("name", "solution_arn", "status", "creation_date_time", "last_updated_date_time", "recipe_arn")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    RECIPE_ARN_FIELD_NUMBER: _ClassVar[int]
    name: str
    solution_arn: str
    status: str
    creation_date_time: float
    last_updated_date_time: float
    recipe_arn: str
    def __init__(self, name: _Optional[str] = ..., solution_arn: _Optional[str] = ..., status: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., recipe_arn: _Optional[str] = ...) -> None: ...

class SolutionUpdateConfig(_message.Message):
    __slots__ = ("auto_training_config", "events_config")
    AUTO_TRAINING_CONFIG_FIELD_NUMBER: _ClassVar[int]
    EVENTS_CONFIG_FIELD_NUMBER: _ClassVar[int]
    auto_training_config: AutoTrainingConfig
    events_config: EventsConfig
    def __init__(self, auto_training_config: _Optional[_Union[AutoTrainingConfig, _Mapping]] = ..., events_config: _Optional[_Union[EventsConfig, _Mapping]] = ...) -> None: ...

class SolutionUpdateSummary(_message.Message):
    __slots__ = ("solution_update_config", "status", "perform_auto_training", "perform_incremental_update", "creation_date_time", "last_updated_date_time", "failure_reason")
    SOLUTION_UPDATE_CONFIG_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PERFORM_AUTO_TRAINING_FIELD_NUMBER: _ClassVar[int]
    PERFORM_INCREMENTAL_UPDATE_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    solution_update_config: SolutionUpdateConfig
    status: str
    perform_auto_training: bool
    perform_incremental_update: bool
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    def __init__(self, solution_update_config: _Optional[_Union[SolutionUpdateConfig, _Mapping]] = ..., status: _Optional[str] = ..., perform_auto_training: _Optional[bool] = ..., perform_incremental_update: _Optional[bool] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ...) -> None: ...

class SolutionVersion(_message.Message):
    __slots__ = ("name", "solution_version_arn", "solution_arn", "perform_hpo", "perform_auto_ml", "perform_incremental_update", "recipe_arn", "event_type", "dataset_group_arn", "solution_config", "training_hours", "training_mode", "tuned_hpo_params", "status", "failure_reason", "creation_date_time", "last_updated_date_time", "training_type")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    PERFORM_HPO_FIELD_NUMBER: _ClassVar[int]
    PERFORM_AUTO_ML_FIELD_NUMBER: _ClassVar[int]
    PERFORM_INCREMENTAL_UPDATE_FIELD_NUMBER: _ClassVar[int]
    RECIPE_ARN_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DATASET_GROUP_ARN_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    TRAINING_HOURS_FIELD_NUMBER: _ClassVar[int]
    TRAINING_MODE_FIELD_NUMBER: _ClassVar[int]
    TUNED_HPO_PARAMS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    TRAINING_TYPE_FIELD_NUMBER: _ClassVar[int]
    name: str
    solution_version_arn: str
    solution_arn: str
    perform_hpo: bool
    perform_auto_ml: bool
    perform_incremental_update: bool
    recipe_arn: str
    event_type: str
    dataset_group_arn: str
    solution_config: SolutionConfig
    training_hours: float
    training_mode: str
    tuned_hpo_params: TunedHPOParams
    status: str
    failure_reason: str
    creation_date_time: float
    last_updated_date_time: float
    training_type: str
    def __init__(self, name: _Optional[str] = ..., solution_version_arn: _Optional[str] = ..., solution_arn: _Optional[str] = ..., perform_hpo: _Optional[bool] = ..., perform_auto_ml: _Optional[bool] = ..., perform_incremental_update: _Optional[bool] = ..., recipe_arn: _Optional[str] = ..., event_type: _Optional[str] = ..., dataset_group_arn: _Optional[str] = ..., solution_config: _Optional[_Union[SolutionConfig, _Mapping]] = ..., training_hours: _Optional[float] = ..., training_mode: _Optional[str] = ..., tuned_hpo_params: _Optional[_Union[TunedHPOParams, _Mapping]] = ..., status: _Optional[str] = ..., failure_reason: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., training_type: _Optional[str] = ...) -> None: ...

class SolutionVersionSummary(_message.Message):
    __slots__ = ("solution_version_arn", "status", "training_mode", "training_type", "creation_date_time", "last_updated_date_time", "failure_reason")
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TRAINING_MODE_FIELD_NUMBER: _ClassVar[int]
    TRAINING_TYPE_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_DATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    solution_version_arn: str
    status: str
    training_mode: str
    training_type: str
    creation_date_time: float
    last_updated_date_time: float
    failure_reason: str
    def __init__(self, solution_version_arn: _Optional[str] = ..., status: _Optional[str] = ..., training_mode: _Optional[str] = ..., training_type: _Optional[str] = ..., creation_date_time: _Optional[float] = ..., last_updated_date_time: _Optional[float] = ..., failure_reason: _Optional[str] = ...) -> None: ...

class StartRecommenderRequest(_message.Message):
    __slots__ = ("recommender_arn",)
    RECOMMENDER_ARN_FIELD_NUMBER: _ClassVar[int]
    recommender_arn: str
    def __init__(self, recommender_arn: _Optional[str] = ...) -> None: ...

class StartRecommenderResponse(_message.Message):
    __slots__ = ("recommender_arn",)
    RECOMMENDER_ARN_FIELD_NUMBER: _ClassVar[int]
    recommender_arn: str
    def __init__(self, recommender_arn: _Optional[str] = ...) -> None: ...

class StopRecommenderRequest(_message.Message):
    __slots__ = ("recommender_arn",)
    RECOMMENDER_ARN_FIELD_NUMBER: _ClassVar[int]
    recommender_arn: str
    def __init__(self, recommender_arn: _Optional[str] = ...) -> None: ...

class StopRecommenderResponse(_message.Message):
    __slots__ = ("recommender_arn",)
    RECOMMENDER_ARN_FIELD_NUMBER: _ClassVar[int]
    recommender_arn: str
    def __init__(self, recommender_arn: _Optional[str] = ...) -> None: ...

class StopSolutionVersionCreationRequest(_message.Message):
    __slots__ = ("solution_version_arn",)
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    solution_version_arn: str
    def __init__(self, solution_version_arn: _Optional[str] = ...) -> None: ...

class StopSolutionVersionCreationResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Tag(_message.Message):
    __slots__ = ("tag_key", "tag_value")
    TAG_KEY_FIELD_NUMBER: _ClassVar[int]
    TAG_VALUE_FIELD_NUMBER: _ClassVar[int]
    tag_key: str
    tag_value: str
    def __init__(self, tag_key: _Optional[str] = ..., tag_value: _Optional[str] = ...) -> None: ...

class TagResourceRequest(_message.Message):
    __slots__ = ("resource_arn", "tags")
    RESOURCE_ARN_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    resource_arn: str
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, resource_arn: _Optional[str] = ..., tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class TagResourceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ThemeGenerationConfig(_message.Message):
    __slots__ = ("fields_for_theme_generation",)
    FIELDS_FOR_THEME_GENERATION_FIELD_NUMBER: _ClassVar[int]
    fields_for_theme_generation: FieldsForThemeGeneration
    def __init__(self, fields_for_theme_generation: _Optional[_Union[FieldsForThemeGeneration, _Mapping]] = ...) -> None: ...

class TrainingDataConfig(_message.Message):
    __slots__ = ("excluded_dataset_columns", "included_dataset_columns")
    class ExcludedDatasetColumnsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _struct_pb2.ListValue
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_struct_pb2.ListValue, _Mapping]] = ...) -> None: ...
    class IncludedDatasetColumnsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _struct_pb2.ListValue
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_struct_pb2.ListValue, _Mapping]] = ...) -> None: ...
    EXCLUDED_DATASET_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    INCLUDED_DATASET_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    excluded_dataset_columns: _containers.MessageMap[str, _struct_pb2.ListValue]
    included_dataset_columns: _containers.MessageMap[str, _struct_pb2.ListValue]
    def __init__(self, excluded_dataset_columns: _Optional[_Mapping[str, _struct_pb2.ListValue]] = ..., included_dataset_columns: _Optional[_Mapping[str, _struct_pb2.ListValue]] = ...) -> None: ...

class TunedHPOParams(_message.Message):
    __slots__ = ("algorithm_hyper_parameters",)
    class AlgorithmHyperParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ALGORITHM_HYPER_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    algorithm_hyper_parameters: _containers.ScalarMap[str, str]
    def __init__(self, algorithm_hyper_parameters: _Optional[_Mapping[str, str]] = ...) -> None: ...

class UntagResourceRequest(_message.Message):
    __slots__ = ("resource_arn", "tag_keys")
    RESOURCE_ARN_FIELD_NUMBER: _ClassVar[int]
    TAG_KEYS_FIELD_NUMBER: _ClassVar[int]
    resource_arn: str
    tag_keys: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, resource_arn: _Optional[str] = ..., tag_keys: _Optional[_Iterable[str]] = ...) -> None: ...

class UntagResourceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UpdateCampaignRequest(_message.Message):
    __slots__ = ("campaign_arn", "solution_version_arn", "min_provisioned_tps", "campaign_config")
    CAMPAIGN_ARN_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_VERSION_ARN_FIELD_NUMBER: _ClassVar[int]
    MIN_PROVISIONED_TPS_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_CONFIG_FIELD_NUMBER: _ClassVar[int]
    campaign_arn: str
    solution_version_arn: str
    min_provisioned_tps: int
    campaign_config: CampaignConfig
    def __init__(self, campaign_arn: _Optional[str] = ..., solution_version_arn: _Optional[str] = ..., min_provisioned_tps: _Optional[int] = ..., campaign_config: _Optional[_Union[CampaignConfig, _Mapping]] = ...) -> None: ...

class UpdateCampaignResponse(_message.Message):
    __slots__ = ("campaign_arn",)
    CAMPAIGN_ARN_FIELD_NUMBER: _ClassVar[int]
    campaign_arn: str
    def __init__(self, campaign_arn: _Optional[str] = ...) -> None: ...

class UpdateDatasetRequest(_message.Message):
    __slots__ = ("dataset_arn", "schema_arn")
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_ARN_FIELD_NUMBER: _ClassVar[int]
    dataset_arn: str
    schema_arn: str
    def __init__(self, dataset_arn: _Optional[str] = ..., schema_arn: _Optional[str] = ...) -> None: ...

class UpdateDatasetResponse(_message.Message):
    __slots__ = ("dataset_arn",)
    DATASET_ARN_FIELD_NUMBER: _ClassVar[int]
    dataset_arn: str
    def __init__(self, dataset_arn: _Optional[str] = ...) -> None: ...

class UpdateMetricAttributionRequest(_message.Message):
    __slots__ = ("add_metrics", "remove_metrics", "metrics_output_config", "metric_attribution_arn")
    ADD_METRICS_FIELD_NUMBER: _ClassVar[int]
    REMOVE_METRICS_FIELD_NUMBER: _ClassVar[int]
    METRICS_OUTPUT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    METRIC_ATTRIBUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    add_metrics: _containers.RepeatedCompositeFieldContainer[MetricAttribute]
    remove_metrics: _containers.RepeatedScalarFieldContainer[str]
    metrics_output_config: MetricAttributionOutput
    metric_attribution_arn: str
    def __init__(self, add_metrics: _Optional[_Iterable[_Union[MetricAttribute, _Mapping]]] = ..., remove_metrics: _Optional[_Iterable[str]] = ..., metrics_output_config: _Optional[_Union[MetricAttributionOutput, _Mapping]] = ..., metric_attribution_arn: _Optional[str] = ...) -> None: ...

class UpdateMetricAttributionResponse(_message.Message):
    __slots__ = ("metric_attribution_arn",)
    METRIC_ATTRIBUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    metric_attribution_arn: str
    def __init__(self, metric_attribution_arn: _Optional[str] = ...) -> None: ...

class UpdateRecommenderRequest(_message.Message):
    __slots__ = ("recommender_arn", "recommender_config")
    RECOMMENDER_ARN_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDER_CONFIG_FIELD_NUMBER: _ClassVar[int]
    recommender_arn: str
    recommender_config: RecommenderConfig
    def __init__(self, recommender_arn: _Optional[str] = ..., recommender_config: _Optional[_Union[RecommenderConfig, _Mapping]] = ...) -> None: ...

class UpdateRecommenderResponse(_message.Message):
    __slots__ = ("recommender_arn",)
    RECOMMENDER_ARN_FIELD_NUMBER: _ClassVar[int]
    recommender_arn: str
    def __init__(self, recommender_arn: _Optional[str] = ...) -> None: ...

class UpdateSolutionRequest(_message.Message):
    __slots__ = ("solution_arn", "perform_auto_training", "perform_incremental_update", "solution_update_config")
    SOLUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    PERFORM_AUTO_TRAINING_FIELD_NUMBER: _ClassVar[int]
    PERFORM_INCREMENTAL_UPDATE_FIELD_NUMBER: _ClassVar[int]
    SOLUTION_UPDATE_CONFIG_FIELD_NUMBER: _ClassVar[int]
    solution_arn: str
    perform_auto_training: bool
    perform_incremental_update: bool
    solution_update_config: SolutionUpdateConfig
    def __init__(self, solution_arn: _Optional[str] = ..., perform_auto_training: _Optional[bool] = ..., perform_incremental_update: _Optional[bool] = ..., solution_update_config: _Optional[_Union[SolutionUpdateConfig, _Mapping]] = ...) -> None: ...

class UpdateSolutionResponse(_message.Message):
    __slots__ = ("solution_arn",)
    SOLUTION_ARN_FIELD_NUMBER: _ClassVar[int]
    solution_arn: str
    def __init__(self, solution_arn: _Optional[str] = ...) -> None: ...
