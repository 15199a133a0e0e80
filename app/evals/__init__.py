"""Prompt evals (`flask ai eval`): datasets of cases kept in `evals/datasets/`, run through
the provider layer with pydantic-evals, scored, and reported against the previous run.

May import: `app.ai` (providers, answer schemas, prompts, prices), `app.errors`. No HTTP,
no database: an eval never touches users' quotas or usage rows.
"""
