"""Spec-first Flask (Connexion) API with an LLM layer."""
