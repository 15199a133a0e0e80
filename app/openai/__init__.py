"""The OpenAI-compatible endpoint (`/openai/chat/completions`, `/openai/models`): OpenAI's
wire format over the completion services, so existing OpenAI tools and SDKs work unchanged.

May import: `app.http` (plumbing), `app.ai`, `app.infra`, `app.errors`, `app.settings`, and of
other resources `app.completions.service`, `app.completions.streaming`.
"""
