"""API versions: the optional `API-Version` request header, and the version headers of
every response.

The latest version is the spec's `info.version`; `API_SUPPORTED_VERSIONS` and
`API_DEPRECATED_VERSIONS` name older ones still served. A request without the header gets
the latest. An unknown version, or a deprecated one past its sunset, is refused with
`400 unsupported_api_version` listing what is served. A deprecated version is answered
with `Deprecation` (RFC 9745: `@<epoch seconds>` of the day it was deprecated), `Sunset`
(RFC 8594: an HTTP-date) and `Link: <API_DEPRECATION_URL>; rel="deprecation"`.

The set of versions is configuration, not contract, so the check is ours, not Connexion's
(which validates only the header's shape from the spec). Checks answer in this order: an
unknown path or method (404, 405), missing or bad credentials (401), the caller's role and
rate limit (403, 429), then the version, then request validation: `refuse_unserved` runs in
the admission pass just before validation, while the edge pass stamps the version headers
(`stamp_for`) on every response, errors raised anywhere included.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime

from starlette.types import Scope, Send

from app.http.problems import send_problem
from app.http.request_id import HEADER as REQUEST_ID_HEADER
from app.settings import VersionDeprecation

HEADER = "API-Version"
_HEADER_KEY = HEADER.lower().encode("latin-1")
_REQUEST_ID_KEY = REQUEST_ID_HEADER.lower().encode("latin-1")


@dataclass(frozen=True)
class ApiVersions:
    latest: str
    supported: tuple[str, ...] = ()  # older versions served without notice
    deprecated: Mapping[str, VersionDeprecation] | None = None
    deprecation_url: str = "/docs"
    today: Callable[[], date] = lambda: datetime.now(UTC).date()

    def served(self) -> list[str]:
        """Every version served today, the latest first."""
        today = self.today()
        retired = {v for v, d in (self.deprecated or {}).items() if d.sunset <= today}
        older = [*self.supported, *(self.deprecated or {})]
        skip = retired | {self.latest}
        return [self.latest, *(v for v in dict.fromkeys(older) if v not in skip)]

    def response_headers(self, version: str) -> list[tuple[bytes, bytes]]:
        """`API-Version`, and the deprecation headers when `version` is deprecated."""
        headers = [(_HEADER_KEY, version.encode("latin-1"))]
        notice = (self.deprecated or {}).get(version)
        if notice is not None and version != self.latest:
            deprecated_at = calendar.timegm(notice.deprecated.timetuple())
            sunset = datetime(*notice.sunset.timetuple()[:3], tzinfo=UTC)
            link = f'<{self.deprecation_url}>; rel="deprecation"; type="text/html"'
            headers += [
                (b"deprecation", f"@{deprecated_at}".encode()),
                (b"sunset", format_datetime(sunset, usegmt=True).encode()),
                (b"link", link.encode("latin-1")),
            ]
        return headers


def _asked(scope: Scope) -> list[bytes]:
    return [v for k, v in scope.get("headers", []) if k == _HEADER_KEY]


def stamp_for(versions: ApiVersions, scope: Scope) -> list[tuple[bytes, bytes]]:
    """The served version's headers for this request (applied by the edge pass to every
    response): the version asked for when it is served, else the latest (the refusal
    itself comes from `refuse_unserved`)."""
    raw = _asked(scope)
    asked = raw[0].decode("latin-1") if len(raw) == 1 else None
    if asked not in versions.served():
        asked = None
    return versions.response_headers(asked or versions.latest)


def stamped(
    headers: list[tuple[bytes, bytes]], stamp: list[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    """Replace what Flask stamped; a `Link` joins the response's own (pagination) links."""
    names = {k for k, _ in stamp} - {b"link"}
    return [(k, v) for k, v in headers if k.lower() not in names] + stamp


async def refuse_unserved(versions: ApiVersions, scope: Scope, send: Send) -> bool:
    """Refuse an unsupported or repeated `API-Version` to an operation with 400
    `unsupported_api_version` (True when refused); called in the admission pass, after
    routing and authentication, before validation (see the module doc). Paths outside the
    operations (the docs, the spec) ignore the header."""
    raw = _asked(scope)
    if not raw:
        return False
    served = versions.served()
    if len(raw) == 1 and raw[0].decode("latin-1") in served:
        return False
    request_id = dict(scope.get("headers", [])).get(_REQUEST_ID_KEY, b"").decode("latin-1")
    shown = raw[0].decode("latin-1", "replace")[:40] if len(raw) == 1 else "several values"
    listed = ", ".join(served)
    await send_problem(
        send,
        status=400,
        code="unsupported_api_version",
        detail=(
            f"API-Version {shown!r} is not served; supported versions: {listed}; "
            f"latest: {versions.latest}."
        ),
        request_id=request_id,
        errors=[
            {
                "location": "header",
                "field": HEADER,
                "message": f"must be one of: {listed} (latest {versions.latest})",
            }
        ],
        headers=[(HEADER, versions.latest)],
    )
    return True
