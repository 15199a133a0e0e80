"""Infrastructure: the database engine and units of work, the Redis client, logging.

May import: `app.settings`, `app.errors`. Nothing here knows about HTTP, Flask or users.
"""
