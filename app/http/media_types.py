"""One spelling of a request's media type for every layer that reads it.

Media types are case-insensitive and their parameters are not part of the type (RFC 9110
section 8.3.1): `APPLICATION/JSON`, `application/json; charset=UTF-8` and
`Application/Json;charset=utf-8` all name JSON. Connexion compares the type with the spec
case-sensitively in places (its body-schema lookup), and an unmatched type skipped body
validation; Werkzeug and Connexion parse parameters differently (Connexion misses
`; charset=` after a space). So the `Content-Type` header is rewritten once, before
routing, as `type/subtype` in lowercase followed by `;name=value` parameters (names in
lowercase, values as sent): every layer after sees the same type and charset.
"""

from __future__ import annotations

from werkzeug.http import parse_options_header, quote_header_value

JSON = b"application/json"


def canonical_content_type(value: bytes) -> bytes:
    """`value` in the one spelling (cheap for the common `application/json`)."""
    if value == JSON:
        return value
    mimetype, options = parse_options_header(value.decode("latin-1"))
    parts = [mimetype.strip().lower()]
    parts += [f"{name}={quote_header_value(v)}" for name, v in options.items()]
    return ";".join(parts).encode("latin-1")
