"""A client library for accessing Spec-first Flask LLM API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
