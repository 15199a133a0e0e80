"""The gunicorn configuration file (`gunicorn --config python:app.serving.gunicorn_conf`).

gunicorn reads this module's globals; they come from the settings (environment and .env),
so invalid configuration stops the master once, with the settings' readable message,
before any worker forks.
"""

from __future__ import annotations

from app.serving.options import gunicorn_options
from app.settings import load_settings

globals().update(gunicorn_options(load_settings()))
