"""SQLModel tables. Import every table module here so Alembic sees its metadata."""
