"""One owned resource's service machinery, written once: `OwnedResource`.

An owned resource is a versioned table whose rows belong to a user (items, documents, and
whatever `flask dev new-resource` scaffolds). Its service module declares one
`OwnedResource` and keeps only what is its own (field rules, lifecycle moves). This class
does the rest, the same way for every resource:

- the BOLA policy (`app.owned.policy.Ownership`) on every read, cached or not, and write;
- ETags from the version counter, `If-Match` on writes, 412 when a concurrent writer won;
- read-through caching: `<name>:one:<id>` and list pages under the viewer's scope
  (`<name>:list:<scope>:<digest>`), so one caller's view never reaches another; a write
  drops the row's entry and the list pages it can appear in;
- tags in a side table (`app.owned.tags`), when the resource has them;
- list pages: sort fields from the spec's `sort` enum, `q` over the search columns, the
  created-at window, the tag filter and equality filters.

Snapshots (the cached form) are the row's own pydantic JSON dump, restored with
`model_validate`, so a new column needs no cache code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import SQLModel, col, select

from app.accounts.principal import Principal
from app.errors import ForbiddenError, NotFoundError
from app.infra.cache import Cache, key_digest
from app.infra.column_types import utcnow
from app.infra.db import UnitOfWork
from app.infra.pagination import PageRequest, PageResult, contains_text, created_window, page_of
from app.owned import etags, tags
from app.owned.policy import Ownership

M = TypeVar("M", bound=SQLModel)
V = TypeVar("V", bound="Owned[Any]")
UNSET: Any = object()  # "not in the request", as opposed to an explicit null


@dataclass(frozen=True)
class Owned(Generic[M]):
    """A row with its tags, as services hand it to handlers."""

    row: M
    tags: list[str]

    @property
    def etag(self) -> str:
        return etags.etag(getattr(self.row, "id", None), getattr(self.row, "version", None))


def not_modified(view: Owned[Any], if_none_match: str | None) -> bool:
    """Whether a GET with this `If-None-Match` gets a 304."""
    return etags.not_modified(view.etag, if_none_match)


@dataclass(frozen=True)
class TagTable:
    """The side table of a resource's tags: its model and the column naming the row."""

    model: type[SQLModel]
    row_field: str

    def of(self, uow: UnitOfWork, ids: Sequence[int]) -> dict[int, list[str]]:
        return tags.tags_of(uow, getattr(self.model, self.row_field), self.model.tag, ids)  # type: ignore[attr-defined]

    def replace(
        self, uow: UnitOfWork, row_id: int, values: Sequence[str], *, new: bool
    ) -> list[str]:
        return tags.replace_tags(uow, self.model, self.row_field, row_id, values, new=new)

    def tagged(self, tag: str) -> Any:
        return tags.tagged(getattr(self.model, self.row_field), self.model.tag, tag)  # type: ignore[attr-defined]


class OwnedResource(Generic[M, V]):
    """The reads and writes every owned resource shares (see the module docstring).

    `name`: cache namespace (the collection's name); `noun`: in messages ("Item 7 does not
    exist."); `view`: the service's view type (an `Owned` subclass); `sortable`: the field
    names it may be sorted by, usually `lambda: sort_fields("listItems")` (read lazily from
    the spec); `search`: the columns `q` matches.
    """

    def __init__(
        self,
        model: type[M],
        view: Callable[[M, list[str]], V],
        *,
        name: str,
        noun: str,
        policy: Ownership,
        sortable: Callable[[], Sequence[str]],
        search: Sequence[str],
        tags: TagTable | None = None,
    ) -> None:
        self.model, self.view, self.name, self.noun = model, view, name, noun
        self.policy, self.tags = policy, tags
        self._sortable = sortable
        self._search = tuple(search)
        self._id = getattr(model, "id")  # noqa: B009 (a column, not an attribute)

    # -- reads ---------------------------------------------------------------------------

    def get(self, uow: UnitOfWork, principal: Principal, row_id: int, *, cache: Cache) -> V:
        """The row, if the caller may read it; read through the cache."""

        def produce() -> dict[str, Any] | None:
            row = uow.session.get(self.model, row_id)
            return None if row is None else self._snapshot(row, self._tags_of(uow, [row_id]))

        snap = cache.get_or_set(f"{self.name}:one:{row_id}", produce)
        view = None if snap is None else self._restore(snap)
        if view is None or not self.policy.can_read(principal, view.row):
            raise self.not_found(row_id)
        return view

    def page(
        self,
        uow: UnitOfWork,
        principal: Principal,
        request: PageRequest,
        *,
        cache: Cache,
        q: str | None = None,
        tag: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> PageResult[V]:
        """A page of the rows the caller may read; `where`: equality filters (None: off)."""
        equal = {k: v for k, v in (where or {}).items() if v is not None}
        digest = key_digest(
            request.page, request.size, request.sort, request.order, q, tag,
            sorted(equal.items()), created_after, created_before,
        )  # fmt: skip

        def produce() -> dict[str, Any]:
            model = self.model
            statement = select(model).where(
                self.policy.readable(principal, model),
                *created_window(getattr(model, "created_at"), created_after, created_before),  # noqa: B009
                *(col(getattr(model, k)) == v for k, v in equal.items()),
            )
            if q:
                statement = statement.where(
                    contains_text(q, *(getattr(model, c) for c in self._search))
                )
            if tag is not None and self.tags is not None:
                statement = statement.where(col(self._id).in_(self.tags.tagged(tag)))
            sortable = {f: getattr(model, f) for f in self._sortable()}
            page = page_of(uow.session, statement, request, sortable=sortable, tiebreaker=self._id)
            ids = [r.id for r in page.items]  # type: ignore[attr-defined]
            row_tags = self._tags_by_id(uow, ids)
            snaps = [self._snapshot(r, row_tags[i]) for r, i in zip(page.items, ids, strict=True)]
            return {"total": page.total, "items": snaps}

        scope = self.policy.list_scope(principal)
        cached = cache.get_or_set(f"{self.name}:list:{scope}:{digest}", produce)
        views = [self._restore(snap) for snap in cached["items"]]
        return PageResult(items=views, total=cached["total"], page=request.page, size=request.size)

    # -- writes --------------------------------------------------------------------------

    def create(
        self,
        uow: UnitOfWork,
        principal: Principal,
        row: M,
        *,
        cache: Cache,
        tags: Sequence[str] = (),
    ) -> V:
        """Store `row` as the caller's (its owner field is set here, never by the client)."""
        setattr(row, self.policy.owner_field, principal.user_id)
        with uow.transaction() as session:
            session.add(row)
            session.flush()
            row_id: int = row.id  # type: ignore[attr-defined]
            stored = self.tags.replace(uow, row_id, tags, new=True) if self.tags else []
        self._invalidate(cache, row_id, principal.user_id)
        return self.view(row, stored)

    def change(
        self,
        uow: UnitOfWork,
        principal: Principal,
        row_id: int,
        apply: Callable[[M], None],
        *,
        cache: Cache,
        if_match: str | None = None,
        tags: Sequence[str] = UNSET,
    ) -> V:
        """Run `apply(row)` on a row the caller may change, in one transaction, honouring
        `If-Match`; a concurrent writer that read the same version loses with 412 (the
        version check is in the UPDATE itself). `tags`, if given, replace the row's."""
        try:
            with uow.transaction() as session:
                row = self._writable(uow, principal, row_id, if_match=if_match)
                apply(row)
                row.updated_at = utcnow()
                session.add(row)
                session.flush()  # the versioned UPDATE: StaleDataError if we lost a race
                if tags is UNSET:
                    stored = self._tags_of(uow, [row_id])
                elif self.tags is not None:
                    stored = self.tags.replace(uow, row_id, tags, new=False)
                else:
                    stored = []
        except StaleDataError:
            raise etags.PreconditionFailedError(etags.RACE_LOST) from None
        self._invalidate(cache, row_id, self.policy.owner_of(row))
        return self.view(row, stored)

    def delete(
        self,
        uow: UnitOfWork,
        principal: Principal,
        row_id: int,
        *,
        cache: Cache,
        if_match: str | None = None,
    ) -> None:
        """Delete a row the caller may change (its tags go with it: ON DELETE CASCADE)."""
        try:
            with uow.transaction() as session:
                row = self._writable(uow, principal, row_id, if_match=if_match)
                owner_id = self.policy.owner_of(row)
                session.delete(row)
        except StaleDataError:
            raise etags.PreconditionFailedError(etags.RACE_LOST) from None
        self._invalidate(cache, row_id, owner_id)

    # -- parts ---------------------------------------------------------------------------

    def not_found(self, row_id: int) -> NotFoundError:
        return NotFoundError(f"{self.noun} {row_id} does not exist.")

    def _writable(
        self, uow: UnitOfWork, principal: Principal, row_id: int, *, if_match: str | None = None
    ) -> M:
        row = uow.session.get(self.model, row_id)
        if row is None or not self.policy.can_read(principal, row):
            raise self.not_found(row_id)
        if not self.policy.can_write(principal, row):
            if self.policy.refuse_visible:
                raise ForbiddenError(f"{self.noun} {row_id} belongs to another user.")
            raise self.not_found(row_id)
        current = etags.etag(row_id, getattr(row, "version", None))
        etags.check_if_match(current, if_match, what=self.noun.lower())
        return row

    def _tags_of(self, uow: UnitOfWork, ids: Sequence[int]) -> list[str]:
        return self._tags_by_id(uow, ids)[ids[0]]

    def _tags_by_id(self, uow: UnitOfWork, ids: Sequence[int]) -> dict[int, list[str]]:
        if self.tags is None:
            return {i: [] for i in ids}
        return self.tags.of(uow, ids)

    def _snapshot(self, row: M, row_tags: list[str]) -> dict[str, Any]:
        return {"row": row.model_dump(mode="json"), "tags": row_tags}

    def _restore(self, snap: dict[str, Any]) -> V:
        return self.view(self.model.model_validate(snap["row"]), list(snap["tags"]))

    def _invalidate(self, cache: Cache, row_id: int, owner_id: int) -> None:
        lists = (f"{self.name}:list:{s}" for s in self.policy.list_scopes_touched(owner_id))
        cache.invalidate(f"{self.name}:one:{row_id}", *lists)
