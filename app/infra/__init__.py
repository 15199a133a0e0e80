"""Infrastructure: the database engine and units of work, Redis, the caches, the rate
limiter's storage, the job queue, metrics, logging and the typed registry.

May import: `app.errors`, `app.settings`. Nothing here knows about HTTP, Flask, the spec or
users.
"""
