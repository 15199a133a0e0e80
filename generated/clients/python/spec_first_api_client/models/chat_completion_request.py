from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_completion_request_audio_type_0 import ChatCompletionRequestAudioType0
    from ..models.chat_completion_request_functions_item import ChatCompletionRequestFunctionsItem
    from ..models.chat_completion_request_stream_options_type_0 import ChatCompletionRequestStreamOptionsType0
    from ..models.chat_completion_request_tools_item import ChatCompletionRequestToolsItem
    from ..models.chat_message import ChatMessage
    from ..models.response_format import ResponseFormat


T = TypeVar("T", bound="ChatCompletionRequest")


@_attrs_define
class ChatCompletionRequest:
    """OpenAI's chat-completions request. Served: `model`, `messages`, `stream`,
    `stream_options.include_usage`, `max_tokens` / `max_completion_tokens`, `temperature`,
    `stop`, `response_format` (`text`, `json_schema`, `json_object`), `n` = 1, `user` and `seed` (accepted,
    ignored). Declared but refused with `unsupported_parameter`: `n` > 1, `tools`,
    `tool_choice`, `functions`, `function_call`, `logprobs`, `top_logprobs`, `audio`,
    `modalities` other than text, `top_p` other than 1, penalties other than 0. Anything
    else is a validation error.

        Example:
            {'model': 'fake-1', 'messages': [{'role': 'user', 'content': 'Summarise the water cycle in one sentence.'}],
                'temperature': 0}

        Attributes:
            model (str): An id from `GET /openai/models`. Example: fake-1.
            messages (list[ChatMessage]):
            stream (bool | None | Unset):  Default: False.
            stream_options (ChatCompletionRequestStreamOptionsType0 | None | Unset):
            max_tokens (int | None | Unset):
            max_completion_tokens (int | None | Unset):
            temperature (float | None | Unset):
            top_p (float | None | Unset): Accepted when 1 (the default); other values are refused.
            stop (list[str] | str | Unset): Up to 4 sequences that end the answer (not part of it).
            response_format (ResponseFormat | Unset): `text` (the default), `json_schema` (the answer is validated against
                the schema and
                repaired like a structured completion; sent upstream in strict mode unless `strict` is
                false) or `json_object` (OpenAI's JSON mode: any JSON object, validated and repaired
                the same way; no `json_schema` with it).
                 Example: {'type': 'json_schema', 'json_schema': {'name': 'summary', 'schema': {'type': 'object', 'properties':
                {'summary': {'type': 'string'}}, 'required': ['summary']}}}.
            n (int | None | Unset):
            user (str | Unset):
            seed (int | None | Unset):
            presence_penalty (float | None | Unset): Accepted when 0 (the default).
            frequency_penalty (float | None | Unset): Accepted when 0 (the default).
            tools (list[ChatCompletionRequestToolsItem] | Unset): Not served.
            tool_choice (Any | Unset): Not served.
            functions (list[ChatCompletionRequestFunctionsItem] | Unset): Not served.
            function_call (Any | Unset): Not served.
            logprobs (bool | None | Unset): Not served (false only).
            top_logprobs (int | None | Unset): Not served.
            modalities (list[str] | None | Unset):
            audio (ChatCompletionRequestAudioType0 | None | Unset): Not served.
    """

    model: str
    messages: list[ChatMessage]
    stream: bool | None | Unset = False
    stream_options: ChatCompletionRequestStreamOptionsType0 | None | Unset = UNSET
    max_tokens: int | None | Unset = UNSET
    max_completion_tokens: int | None | Unset = UNSET
    temperature: float | None | Unset = UNSET
    top_p: float | None | Unset = UNSET
    stop: list[str] | str | Unset = UNSET
    response_format: ResponseFormat | Unset = UNSET
    n: int | None | Unset = UNSET
    user: str | Unset = UNSET
    seed: int | None | Unset = UNSET
    presence_penalty: float | None | Unset = UNSET
    frequency_penalty: float | None | Unset = UNSET
    tools: list[ChatCompletionRequestToolsItem] | Unset = UNSET
    tool_choice: Any | Unset = UNSET
    functions: list[ChatCompletionRequestFunctionsItem] | Unset = UNSET
    function_call: Any | Unset = UNSET
    logprobs: bool | None | Unset = UNSET
    top_logprobs: int | None | Unset = UNSET
    modalities: list[str] | None | Unset = UNSET
    audio: ChatCompletionRequestAudioType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_completion_request_audio_type_0 import ChatCompletionRequestAudioType0  # noqa: PLC0415
        from ..models.chat_completion_request_stream_options_type_0 import ChatCompletionRequestStreamOptionsType0  # noqa: PLC0415

        model = self.model

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        stream: bool | None | Unset
        if isinstance(self.stream, Unset):
            stream = UNSET
        else:
            stream = self.stream

        stream_options: dict[str, Any] | None | Unset
        if isinstance(self.stream_options, Unset):
            stream_options = UNSET
        elif isinstance(self.stream_options, ChatCompletionRequestStreamOptionsType0):
            stream_options = self.stream_options.to_dict()
        else:
            stream_options = self.stream_options

        max_tokens: int | None | Unset
        if isinstance(self.max_tokens, Unset):
            max_tokens = UNSET
        else:
            max_tokens = self.max_tokens

        max_completion_tokens: int | None | Unset
        if isinstance(self.max_completion_tokens, Unset):
            max_completion_tokens = UNSET
        else:
            max_completion_tokens = self.max_completion_tokens

        temperature: float | None | Unset
        if isinstance(self.temperature, Unset):
            temperature = UNSET
        else:
            temperature = self.temperature

        top_p: float | None | Unset
        if isinstance(self.top_p, Unset):
            top_p = UNSET
        else:
            top_p = self.top_p

        stop: list[str] | str | Unset
        if isinstance(self.stop, Unset):
            stop = UNSET
        elif isinstance(self.stop, list):
            stop = self.stop

        else:
            stop = self.stop

        response_format: dict[str, Any] | Unset = UNSET
        if not isinstance(self.response_format, Unset):
            response_format = self.response_format.to_dict()

        n: int | None | Unset
        if isinstance(self.n, Unset):
            n = UNSET
        else:
            n = self.n

        user = self.user

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        presence_penalty: float | None | Unset
        if isinstance(self.presence_penalty, Unset):
            presence_penalty = UNSET
        else:
            presence_penalty = self.presence_penalty

        frequency_penalty: float | None | Unset
        if isinstance(self.frequency_penalty, Unset):
            frequency_penalty = UNSET
        else:
            frequency_penalty = self.frequency_penalty

        tools: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tools, Unset):
            tools = []
            for tools_item_data in self.tools:
                tools_item = tools_item_data.to_dict()
                tools.append(tools_item)

        tool_choice = self.tool_choice

        functions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.functions, Unset):
            functions = []
            for functions_item_data in self.functions:
                functions_item = functions_item_data.to_dict()
                functions.append(functions_item)

        function_call = self.function_call

        logprobs: bool | None | Unset
        if isinstance(self.logprobs, Unset):
            logprobs = UNSET
        else:
            logprobs = self.logprobs

        top_logprobs: int | None | Unset
        if isinstance(self.top_logprobs, Unset):
            top_logprobs = UNSET
        else:
            top_logprobs = self.top_logprobs

        modalities: list[str] | None | Unset
        if isinstance(self.modalities, Unset):
            modalities = UNSET
        elif isinstance(self.modalities, list):
            modalities = self.modalities

        else:
            modalities = self.modalities

        audio: dict[str, Any] | None | Unset
        if isinstance(self.audio, Unset):
            audio = UNSET
        elif isinstance(self.audio, ChatCompletionRequestAudioType0):
            audio = self.audio.to_dict()
        else:
            audio = self.audio

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model": model,
                "messages": messages,
            }
        )
        if stream is not UNSET:
            field_dict["stream"] = stream
        if stream_options is not UNSET:
            field_dict["stream_options"] = stream_options
        if max_tokens is not UNSET:
            field_dict["max_tokens"] = max_tokens
        if max_completion_tokens is not UNSET:
            field_dict["max_completion_tokens"] = max_completion_tokens
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if top_p is not UNSET:
            field_dict["top_p"] = top_p
        if stop is not UNSET:
            field_dict["stop"] = stop
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if n is not UNSET:
            field_dict["n"] = n
        if user is not UNSET:
            field_dict["user"] = user
        if seed is not UNSET:
            field_dict["seed"] = seed
        if presence_penalty is not UNSET:
            field_dict["presence_penalty"] = presence_penalty
        if frequency_penalty is not UNSET:
            field_dict["frequency_penalty"] = frequency_penalty
        if tools is not UNSET:
            field_dict["tools"] = tools
        if tool_choice is not UNSET:
            field_dict["tool_choice"] = tool_choice
        if functions is not UNSET:
            field_dict["functions"] = functions
        if function_call is not UNSET:
            field_dict["function_call"] = function_call
        if logprobs is not UNSET:
            field_dict["logprobs"] = logprobs
        if top_logprobs is not UNSET:
            field_dict["top_logprobs"] = top_logprobs
        if modalities is not UNSET:
            field_dict["modalities"] = modalities
        if audio is not UNSET:
            field_dict["audio"] = audio

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_completion_request_audio_type_0 import ChatCompletionRequestAudioType0  # noqa: PLC0415
        from ..models.chat_completion_request_functions_item import ChatCompletionRequestFunctionsItem  # noqa: PLC0415
        from ..models.chat_completion_request_stream_options_type_0 import ChatCompletionRequestStreamOptionsType0  # noqa: PLC0415
        from ..models.chat_completion_request_tools_item import ChatCompletionRequestToolsItem  # noqa: PLC0415
        from ..models.chat_message import ChatMessage  # noqa: PLC0415
        from ..models.response_format import ResponseFormat  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model")

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = ChatMessage.from_dict(messages_item_data)

            messages.append(messages_item)

        def _parse_stream(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        stream = _parse_stream(d.pop("stream", UNSET))

        def _parse_stream_options(data: object) -> ChatCompletionRequestStreamOptionsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                stream_options_type_0 = ChatCompletionRequestStreamOptionsType0.from_dict(data)

                return stream_options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatCompletionRequestStreamOptionsType0 | None | Unset, data)

        stream_options = _parse_stream_options(d.pop("stream_options", UNSET))

        def _parse_max_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_tokens = _parse_max_tokens(d.pop("max_tokens", UNSET))

        def _parse_max_completion_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_completion_tokens = _parse_max_completion_tokens(d.pop("max_completion_tokens", UNSET))

        def _parse_temperature(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        temperature = _parse_temperature(d.pop("temperature", UNSET))

        def _parse_top_p(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        top_p = _parse_top_p(d.pop("top_p", UNSET))

        def _parse_stop(data: object) -> list[str] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                stop_type_1 = cast(list[str], data)

                return stop_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str | Unset, data)

        stop = _parse_stop(d.pop("stop", UNSET))

        _response_format = d.pop("response_format", UNSET)
        response_format: ResponseFormat | Unset
        if isinstance(_response_format, Unset):
            response_format = UNSET
        else:
            response_format = ResponseFormat.from_dict(_response_format)

        def _parse_n(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        n = _parse_n(d.pop("n", UNSET))

        user = d.pop("user", UNSET)

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        def _parse_presence_penalty(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        presence_penalty = _parse_presence_penalty(d.pop("presence_penalty", UNSET))

        def _parse_frequency_penalty(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        frequency_penalty = _parse_frequency_penalty(d.pop("frequency_penalty", UNSET))

        _tools = d.pop("tools", UNSET)
        tools: list[ChatCompletionRequestToolsItem] | Unset = UNSET
        if _tools is not UNSET:
            tools = []
            for tools_item_data in _tools:
                tools_item = ChatCompletionRequestToolsItem.from_dict(tools_item_data)

                tools.append(tools_item)

        tool_choice = d.pop("tool_choice", UNSET)

        _functions = d.pop("functions", UNSET)
        functions: list[ChatCompletionRequestFunctionsItem] | Unset = UNSET
        if _functions is not UNSET:
            functions = []
            for functions_item_data in _functions:
                functions_item = ChatCompletionRequestFunctionsItem.from_dict(functions_item_data)

                functions.append(functions_item)

        function_call = d.pop("function_call", UNSET)

        def _parse_logprobs(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        logprobs = _parse_logprobs(d.pop("logprobs", UNSET))

        def _parse_top_logprobs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        top_logprobs = _parse_top_logprobs(d.pop("top_logprobs", UNSET))

        def _parse_modalities(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                modalities_type_0 = cast(list[str], data)

                return modalities_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        modalities = _parse_modalities(d.pop("modalities", UNSET))

        def _parse_audio(data: object) -> ChatCompletionRequestAudioType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                audio_type_0 = ChatCompletionRequestAudioType0.from_dict(data)

                return audio_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatCompletionRequestAudioType0 | None | Unset, data)

        audio = _parse_audio(d.pop("audio", UNSET))

        chat_completion_request = cls(
            model=model,
            messages=messages,
            stream=stream,
            stream_options=stream_options,
            max_tokens=max_tokens,
            max_completion_tokens=max_completion_tokens,
            temperature=temperature,
            top_p=top_p,
            stop=stop,
            response_format=response_format,
            n=n,
            user=user,
            seed=seed,
            presence_penalty=presence_penalty,
            frequency_penalty=frequency_penalty,
            tools=tools,
            tool_choice=tool_choice,
            functions=functions,
            function_call=function_call,
            logprobs=logprobs,
            top_logprobs=top_logprobs,
            modalities=modalities,
            audio=audio,
        )

        return chat_completion_request
