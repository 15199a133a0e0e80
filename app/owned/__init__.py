"""What resources owned by a user share (items, documents): tags and ETags.

May import: `app.infra`, `app.errors`.
"""
