"""Contains all the data models used in inputs/outputs"""

from .account_update import AccountUpdate
from .account_update_envelope import AccountUpdateEnvelope
from .actor_kind import ActorKind
from .admin_user_update_request import AdminUserUpdateRequest
from .ai_message import AIMessage
from .ai_message_role import AIMessageRole
from .ai_service_health import AIServiceHealth
from .ai_stats import AIStats
from .ai_stats_envelope import AIStatsEnvelope
from .api_key import ApiKey
from .api_key_create_request import ApiKeyCreateRequest
from .api_key_created import ApiKeyCreated
from .api_key_created_envelope import ApiKeyCreatedEnvelope
from .api_key_page import ApiKeyPage
from .api_key_page_envelope import ApiKeyPageEnvelope
from .attributes import Attributes
from .audit_action import AuditAction
from .audit_event import AuditEvent
from .audit_event_details import AuditEventDetails
from .audit_event_page import AuditEventPage
from .audit_event_page_envelope import AuditEventPageEnvelope
from .audit_event_target_type_type_1 import AuditEventTargetTypeType1
from .audit_event_target_type_type_2_type_1 import AuditEventTargetTypeType2Type1
from .audit_event_target_type_type_3_type_1 import AuditEventTargetTypeType3Type1
from .batch_envelope import BatchEnvelope
from .batch_failure import BatchFailure
from .batch_failure_status import BatchFailureStatus
from .batch_request import BatchRequest
from .batch_result import BatchResult
from .batch_success import BatchSuccess
from .batch_success_status import BatchSuccessStatus
from .breaker_state import BreakerState
from .breaker_state_state import BreakerStateState
from .chat_completion import ChatCompletion
from .chat_completion_choice import ChatCompletionChoice
from .chat_completion_choice_finish_reason import ChatCompletionChoiceFinishReason
from .chat_completion_choice_logprobs_type_0 import ChatCompletionChoiceLogprobsType0
from .chat_completion_choice_message import ChatCompletionChoiceMessage
from .chat_completion_choice_message_role import ChatCompletionChoiceMessageRole
from .chat_completion_object import ChatCompletionObject
from .chat_completion_request import ChatCompletionRequest
from .chat_completion_request_audio_type_0 import ChatCompletionRequestAudioType0
from .chat_completion_request_functions_item import ChatCompletionRequestFunctionsItem
from .chat_completion_request_stream_options_type_0 import ChatCompletionRequestStreamOptionsType0
from .chat_completion_request_tools_item import ChatCompletionRequestToolsItem
from .chat_completion_usage import ChatCompletionUsage
from .chat_content_part import ChatContentPart
from .chat_content_part_additional_property import ChatContentPartAdditionalProperty
from .chat_message import ChatMessage
from .chat_message_role import ChatMessageRole
from .completion import Completion
from .completion_envelope import CompletionEnvelope
from .completion_finish_reason import CompletionFinishReason
from .completion_object_type_0 import CompletionObjectType0
from .create_completion_stream_response_200 import CreateCompletionStreamResponse200
from .create_completion_stream_response_200_event import CreateCompletionStreamResponse200Event
from .dependency_health import DependencyHealth
from .dependency_status import DependencyStatus
from .document import Document
from .document_create_request import DocumentCreateRequest
from .document_envelope import DocumentEnvelope
from .document_page import DocumentPage
from .document_page_envelope import DocumentPageEnvelope
from .document_status import DocumentStatus
from .document_update_request import DocumentUpdateRequest
from .field_error import FieldError
from .field_error_location import FieldErrorLocation
from .generated_recipe import GeneratedRecipe
from .generated_recipe_difficulty import GeneratedRecipeDifficulty
from .generated_recipe_ingredients_item import GeneratedRecipeIngredientsItem
from .generated_recipe_instructions_item import GeneratedRecipeInstructionsItem
from .health import Health
from .health_checks import HealthChecks
from .health_envelope import HealthEnvelope
from .health_status import HealthStatus
from .item import Item
from .item_attributes import ItemAttributes
from .item_create_request import ItemCreateRequest
from .item_envelope import ItemEnvelope
from .item_page import ItemPage
from .item_page_envelope import ItemPageEnvelope
from .item_update_request import ItemUpdateRequest
from .job import Job
from .job_completion_request import JobCompletionRequest
from .job_completion_request_kind import JobCompletionRequestKind
from .job_envelope import JobEnvelope
from .job_kind import JobKind
from .job_page import JobPage
from .job_page_envelope import JobPageEnvelope
from .job_recipe_request import JobRecipeRequest
from .job_recipe_request_kind import JobRecipeRequestKind
from .job_result_type_0 import JobResultType0
from .job_status import JobStatus
from .json_schema_format import JsonSchemaFormat
from .json_schema_format_schema import JsonSchemaFormatSchema
from .list_audit_events_order import ListAuditEventsOrder
from .list_audit_events_sort import ListAuditEventsSort
from .list_documents_order import ListDocumentsOrder
from .list_documents_sort import ListDocumentsSort
from .list_items_order import ListItemsOrder
from .list_items_sort import ListItemsSort
from .list_jobs_order import ListJobsOrder
from .list_jobs_sort import ListJobsSort
from .list_recipes_order import ListRecipesOrder
from .list_recipes_sort import ListRecipesSort
from .list_users_order import ListUsersOrder
from .list_users_sort import ListUsersSort
from .liveness import Liveness
from .liveness_envelope import LivenessEnvelope
from .liveness_status import LivenessStatus
from .login_request import LoginRequest
from .model import Model
from .model_list import ModelList
from .model_list_object import ModelListObject
from .model_object import ModelObject
from .model_stats import ModelStats
from .page_meta import PageMeta
from .problem import Problem
from .quota_status import QuotaStatus
from .recipe import Recipe
from .recipe_difficulty import RecipeDifficulty
from .recipe_envelope import RecipeEnvelope
from .recipe_generate_request import RecipeGenerateRequest
from .recipe_generate_request_provider import RecipeGenerateRequestProvider
from .recipe_generation import RecipeGeneration
from .recipe_generation_envelope import RecipeGenerationEnvelope
from .recipe_ingredients_item import RecipeIngredientsItem
from .recipe_instructions_item import RecipeInstructionsItem
from .recipe_page import RecipePage
from .recipe_page_envelope import RecipePageEnvelope
from .refresh_request import RefreshRequest
from .register_request import RegisterRequest
from .response_format import ResponseFormat
from .response_format_type import ResponseFormatType
from .response_schema_name import ResponseSchemaName
from .role import Role
from .stream_delta import StreamDelta
from .stream_done import StreamDone
from .stream_done_finish_reason import StreamDoneFinishReason
from .stream_object import StreamObject
from .success_envelope import SuccessEnvelope
from .text_summary import TextSummary
from .token_pair import TokenPair
from .token_pair_envelope import TokenPairEnvelope
from .token_pair_token_type import TokenPairTokenType
from .token_usage import TokenUsage
from .update_me_request import UpdateMeRequest
from .usage import Usage
from .usage_day import UsageDay
from .usage_envelope import UsageEnvelope
from .usage_totals import UsageTotals
from .user import User
from .user_envelope import UserEnvelope
from .user_page import UserPage
from .user_page_envelope import UserPageEnvelope
from .user_stats import UserStats
from .warning import Warning_
from .warning_details_type_0 import WarningDetailsType0

__all__ = (
    "AccountUpdate",
    "AccountUpdateEnvelope",
    "ActorKind",
    "AdminUserUpdateRequest",
    "AIMessage",
    "AIMessageRole",
    "AIServiceHealth",
    "AIStats",
    "AIStatsEnvelope",
    "ApiKey",
    "ApiKeyCreated",
    "ApiKeyCreatedEnvelope",
    "ApiKeyCreateRequest",
    "ApiKeyPage",
    "ApiKeyPageEnvelope",
    "Attributes",
    "AuditAction",
    "AuditEvent",
    "AuditEventDetails",
    "AuditEventPage",
    "AuditEventPageEnvelope",
    "AuditEventTargetTypeType1",
    "AuditEventTargetTypeType2Type1",
    "AuditEventTargetTypeType3Type1",
    "BatchEnvelope",
    "BatchFailure",
    "BatchFailureStatus",
    "BatchRequest",
    "BatchResult",
    "BatchSuccess",
    "BatchSuccessStatus",
    "BreakerState",
    "BreakerStateState",
    "ChatCompletion",
    "ChatCompletionChoice",
    "ChatCompletionChoiceFinishReason",
    "ChatCompletionChoiceLogprobsType0",
    "ChatCompletionChoiceMessage",
    "ChatCompletionChoiceMessageRole",
    "ChatCompletionObject",
    "ChatCompletionRequest",
    "ChatCompletionRequestAudioType0",
    "ChatCompletionRequestFunctionsItem",
    "ChatCompletionRequestStreamOptionsType0",
    "ChatCompletionRequestToolsItem",
    "ChatCompletionUsage",
    "ChatContentPart",
    "ChatContentPartAdditionalProperty",
    "ChatMessage",
    "ChatMessageRole",
    "Completion",
    "CompletionEnvelope",
    "CompletionFinishReason",
    "CompletionObjectType0",
    "CreateCompletionStreamResponse200",
    "CreateCompletionStreamResponse200Event",
    "DependencyHealth",
    "DependencyStatus",
    "Document",
    "DocumentCreateRequest",
    "DocumentEnvelope",
    "DocumentPage",
    "DocumentPageEnvelope",
    "DocumentStatus",
    "DocumentUpdateRequest",
    "FieldError",
    "FieldErrorLocation",
    "GeneratedRecipe",
    "GeneratedRecipeDifficulty",
    "GeneratedRecipeIngredientsItem",
    "GeneratedRecipeInstructionsItem",
    "Health",
    "HealthChecks",
    "HealthEnvelope",
    "HealthStatus",
    "Item",
    "ItemAttributes",
    "ItemCreateRequest",
    "ItemEnvelope",
    "ItemPage",
    "ItemPageEnvelope",
    "ItemUpdateRequest",
    "Job",
    "JobCompletionRequest",
    "JobCompletionRequestKind",
    "JobEnvelope",
    "JobKind",
    "JobPage",
    "JobPageEnvelope",
    "JobRecipeRequest",
    "JobRecipeRequestKind",
    "JobResultType0",
    "JobStatus",
    "JsonSchemaFormat",
    "JsonSchemaFormatSchema",
    "ListAuditEventsOrder",
    "ListAuditEventsSort",
    "ListDocumentsOrder",
    "ListDocumentsSort",
    "ListItemsOrder",
    "ListItemsSort",
    "ListJobsOrder",
    "ListJobsSort",
    "ListRecipesOrder",
    "ListRecipesSort",
    "ListUsersOrder",
    "ListUsersSort",
    "Liveness",
    "LivenessEnvelope",
    "LivenessStatus",
    "LoginRequest",
    "Model",
    "ModelList",
    "ModelListObject",
    "ModelObject",
    "ModelStats",
    "PageMeta",
    "Problem",
    "QuotaStatus",
    "Recipe",
    "RecipeDifficulty",
    "RecipeEnvelope",
    "RecipeGenerateRequest",
    "RecipeGenerateRequestProvider",
    "RecipeGeneration",
    "RecipeGenerationEnvelope",
    "RecipeIngredientsItem",
    "RecipeInstructionsItem",
    "RecipePage",
    "RecipePageEnvelope",
    "RefreshRequest",
    "RegisterRequest",
    "ResponseFormat",
    "ResponseFormatType",
    "ResponseSchemaName",
    "Role",
    "StreamDelta",
    "StreamDone",
    "StreamDoneFinishReason",
    "StreamObject",
    "SuccessEnvelope",
    "TextSummary",
    "TokenPair",
    "TokenPairEnvelope",
    "TokenPairTokenType",
    "TokenUsage",
    "UpdateMeRequest",
    "Usage",
    "UsageDay",
    "UsageEnvelope",
    "UsageTotals",
    "User",
    "UserEnvelope",
    "UserPage",
    "UserPageEnvelope",
    "UserStats",
    "Warning_",
    "WarningDetailsType0",
)
