"""The OpenAI-compatible endpoint (`/openai/chat/completions`, `/openai/models`): OpenAI's
wire format over the completion services, so existing OpenAI tools and SDKs work unchanged.

May import: `app.completions` (its services), `app.ai`, `app.http` (plumbing), `app.errors`.
"""
