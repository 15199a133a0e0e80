"""Why the database cannot be used, in one line with the fix: for the entry points that
stop on it (`python -m app`, `alembic upgrade head`, the flask CLI) instead of a traceback.

`explain(exc, url)` recognises what a newcomer meets first (a server not listening, a
database or role that does not exist, a wrong password, a driver that is not installed, a
SQLite file that cannot be opened) and returns None for anything else, which keeps its
traceback. Messages name the host, port, database and user, never the password.
"""

from __future__ import annotations

import re

from sqlalchemy import make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from app.settings import ConfigurationError

EMBEDDED = "unset DATABASE_URL for the embedded SQLite"
INSTALLED = "postgresql+psycopg2://user:password@host:5432/db or sqlite:///path/app.db"

_MISSING_DATABASE = re.compile(r'database "([^"]+)" does not exist')
_MISSING_ROLE = re.compile(r'role "([^"]+)" does not exist')
_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "timeout expired",
    "could not translate host name",
    "no route to host",
    "name or service not known",
    "network is unreachable",
    "server closed the connection unexpectedly",
)


class DatabaseUnusableError(ConfigurationError):
    """The database named by DATABASE_URL cannot be used; the message says how to fix it.
    A SystemExit (like every ConfigurationError): entry points end with the one line."""


def explain(exc: BaseException, url: str) -> str | None:
    """One line saying what is wrong with the database `url` and how to fix it, or None
    when `exc` is not a failure to reach or open it."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return f"DATABASE_URL is not a database URL: use {INSTALLED}, or {EMBEDDED}"
    if isinstance(exc, (ModuleNotFoundError, NoSuchModuleError)):
        return _missing_driver(exc, parsed)
    if isinstance(exc, DBAPIError):
        return _refused(str(exc.orig or exc), parsed)
    return None


def _missing_driver(exc: BaseException, url: URL) -> str:
    scheme = url.drivername
    package = getattr(exc, "name", None)
    what = f"the driver {scheme}" + (f" (Python package {package})" if package else "")
    return (
        f"DATABASE_URL uses {what}, which is not installed: use {INSTALLED} "
        f"(installed), or {EMBEDDED}"
    )


def _refused(text: str, url: URL) -> str | None:
    first = text.strip().splitlines()[0] if text.strip() else ""
    lowered = text.lower()
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    if url.get_backend_name() == "sqlite":
        if "unable to open database file" in lowered:
            return (
                f"Cannot open the SQLite file {url.database!r} (its directory is missing or "
                f"not writable): fix the path in DATABASE_URL, or {EMBEDDED}"
            )
        return None
    if found := _MISSING_DATABASE.search(text):
        return (
            f'Database "{found.group(1)}" does not exist on {where}: create it '
            f"(createdb -h {url.host or 'localhost'} -p {url.port or 5432} "
            f"-U {url.username or 'postgres'} {found.group(1)}) or fix its name in DATABASE_URL"
        )
    if _MISSING_ROLE.search(text) or "authentication failed" in lowered:
        return (
            f'The database at {where} refused user "{url.username}" ({_fatal(first)}): '
            "fix the user and password in DATABASE_URL"
        )
    if any(marker in lowered for marker in _UNREACHABLE):
        return (
            f"Cannot reach the database at {where} ({_fatal(first)}): start it, or fix the "
            f"host and port in DATABASE_URL, or {EMBEDDED}"
        )
    return None


def _fatal(line: str) -> str:
    """The driver's reason without its `connection to server at ... failed:` preamble."""
    reason = line.rsplit("failed:", 1)[-1].strip()
    return reason.removeprefix("FATAL:").strip() or line
