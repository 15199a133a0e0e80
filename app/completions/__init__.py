"""The `completions` tag: completions, answer streams (served on the event loop), batches,
usage reports and the `ai_usage` table. Its `service` and `mapping` are what recipes and
jobs build on.

May import: `app.http`, `app.ai`, `app.accounts`, `app.infra`, `app.errors`,
`app.settings`, `generated`.
"""
