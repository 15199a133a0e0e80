"""Authentication and authorization building blocks (no Flask, no request handling)."""
