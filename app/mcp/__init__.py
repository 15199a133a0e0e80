"""The MCP server (`/mcp`): the spec's `x-mcp: true` operations as tools for AI agents.

May import: `app.contract` (the spec), the `mcp` SDK, httpx and Starlette. Tool calls reach
the API only through its HTTP interface (in process), never its services, so every rule
of the REST path applies to them.
"""
