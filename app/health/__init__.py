"""The `health` tag: readiness of every dependency and liveness.

May import: `app.http`, `app.ai`, `app.infra`, `generated`.
"""
