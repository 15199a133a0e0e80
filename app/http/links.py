"""RFC 8288 `Link` headers for list pages: first, prev, next and last.

Targets are relative references (path and query of this request with `page` replaced), so
no Host or forwarded header a client controls ends up in them.
"""

from __future__ import annotations

from urllib.parse import urlencode

import flask


def page_links(path: str, query: list[tuple[str, str]], *, page: int, pages: int) -> str:
    """The header value for `page` of `pages` (`pages` 0 means an empty result: first and
    last are page 1). A page past the end links back to the last page as `prev`."""
    last = max(pages, 1)
    others = [(k, v) for k, v in query if k != "page"]

    def target(number: int) -> str:
        return f"{path}?{urlencode([*others, ('page', str(number))])}"

    rels: list[tuple[str, int]] = [("first", 1)]
    if page > 1:
        rels.append(("prev", min(page - 1, last)))
    if page < pages:
        rels.append(("next", page + 1))
    rels.append(("last", last))
    return ", ".join(f'<{target(n)}>; rel="{rel}"' for rel, n in rels)


def link_header(*, page: int, pages: int) -> dict[str, str]:
    """`{"Link": ...}` for the current request's list page."""
    request = flask.request
    query = [(k, v) for k, values in request.args.lists() for v in values]
    return {"Link": page_links(request.path, query, page=page, pages=pages)}
