"""Business logic per resource: plain functions over a unit of work, returning domain
objects and raising `app.errors.DomainError`s. No Flask, no HTTP statuses, no wire models.

May import: `app.auth`, `app.infra`, `app.models`, `app.errors`, `app.settings`.
"""
