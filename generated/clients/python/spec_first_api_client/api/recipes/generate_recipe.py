from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.recipe_generate_request import RecipeGenerateRequest
from ...models.recipe_generation_envelope import RecipeGenerationEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: RecipeGenerateRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/recipes/generate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RecipeGenerationEnvelope | None:
    if response.status_code == 200:
        response_200 = RecipeGenerationEnvelope.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = RecipeGenerationEnvelope.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = Problem.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | RecipeGenerationEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RecipeGenerateRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[Problem | RecipeGenerationEnvelope]:
    """Generate a recipe

     Asks the model for a recipe from `ingredients` (and optional restrictions, cuisine and
    time limit), validated against `GeneratedRecipe` (repaired if needed, else 502
    `ai_invalid_output`). Kept as the caller's recipe unless `save` is false (201 with
    `Location`; 200 when not kept). Usage, cost, cache, quota, warnings (`unknown_price`
    among them) and errors as `POST /ai/completions`.
    The prompt template is versioned (`prompt_version`); the caller's text only ever goes
    into the user message, never the system prompt.

    Args:
        idempotency_key (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (RecipeGenerateRequest):  Example: {'ingredients': ['tomatoes', 'onion', 'garlic'],
            'dietary_restrictions': ['vegetarian'], 'cuisine_type': 'Italian', 'cooking_time_max':
            45}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RecipeGenerationEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        api_version=api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: RecipeGenerateRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Problem | RecipeGenerationEnvelope | None:
    """Generate a recipe

     Asks the model for a recipe from `ingredients` (and optional restrictions, cuisine and
    time limit), validated against `GeneratedRecipe` (repaired if needed, else 502
    `ai_invalid_output`). Kept as the caller's recipe unless `save` is false (201 with
    `Location`; 200 when not kept). Usage, cost, cache, quota, warnings (`unknown_price`
    among them) and errors as `POST /ai/completions`.
    The prompt template is versioned (`prompt_version`); the caller's text only ever goes
    into the user message, never the system prompt.

    Args:
        idempotency_key (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (RecipeGenerateRequest):  Example: {'ingredients': ['tomatoes', 'onion', 'garlic'],
            'dietary_restrictions': ['vegetarian'], 'cuisine_type': 'Italian', 'cooking_time_max':
            45}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RecipeGenerationEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RecipeGenerateRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[Problem | RecipeGenerationEnvelope]:
    """Generate a recipe

     Asks the model for a recipe from `ingredients` (and optional restrictions, cuisine and
    time limit), validated against `GeneratedRecipe` (repaired if needed, else 502
    `ai_invalid_output`). Kept as the caller's recipe unless `save` is false (201 with
    `Location`; 200 when not kept). Usage, cost, cache, quota, warnings (`unknown_price`
    among them) and errors as `POST /ai/completions`.
    The prompt template is versioned (`prompt_version`); the caller's text only ever goes
    into the user message, never the system prompt.

    Args:
        idempotency_key (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (RecipeGenerateRequest):  Example: {'ingredients': ['tomatoes', 'onion', 'garlic'],
            'dietary_restrictions': ['vegetarian'], 'cuisine_type': 'Italian', 'cooking_time_max':
            45}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RecipeGenerationEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: RecipeGenerateRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Problem | RecipeGenerationEnvelope | None:
    """Generate a recipe

     Asks the model for a recipe from `ingredients` (and optional restrictions, cuisine and
    time limit), validated against `GeneratedRecipe` (repaired if needed, else 502
    `ai_invalid_output`). Kept as the caller's recipe unless `save` is false (201 with
    `Location`; 200 when not kept). Usage, cost, cache, quota, warnings (`unknown_price`
    among them) and errors as `POST /ai/completions`.
    The prompt template is versioned (`prompt_version`); the caller's text only ever goes
    into the user message, never the system prompt.

    Args:
        idempotency_key (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (RecipeGenerateRequest):  Example: {'ingredients': ['tomatoes', 'onion', 'garlic'],
            'dietary_restrictions': ['vegetarian'], 'cuisine_type': 'Italian', 'cooking_time_max':
            45}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RecipeGenerationEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            api_version=api_version,
        )
    ).parsed
