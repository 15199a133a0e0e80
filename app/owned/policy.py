"""Who reaches an owned row (the BOLA policy), decided in one place.

Services ask whose rows a caller reaches, never which role they hold: what a role may do at
all is the spec's `x-roles`, checked before a handler runs. Only two facts about the caller
matter here, and this module is the one place that derives them from the account:

- `manages_all`: may read and change every row (`admin`);
- `audits_all`: may read every row of an audited resource (`readonly`, the auditor role).

Everyone else reaches the rows they own, plus a resource's public rows (e.g. published
documents). A row the caller cannot see is `not_found`, exactly as a missing one, so ids
cannot be probed; a row they can see but not change is `not_found` too, unless the resource
says `refuse_visible` (then `forbidden`: the caller already knows it exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import col

from app.accounts.models import Role
from app.accounts.principal import Principal


def manages_all(principal: Principal) -> bool:
    return principal.role == Role.ADMIN


def audits_all(principal: Principal) -> bool:
    return principal.role in (Role.ADMIN, Role.READONLY)


@dataclass(frozen=True)
class Ownership:
    """The policy of one resource.

    `owner_field`: the column naming the owning user. `audited`: auditors read every row.
    `public`: `(field, value)` rows everyone may read (a lifecycle state, e.g. published).
    `refuse_visible`: writing a visible row of someone else is `forbidden`, not `not_found`.
    """

    owner_field: str = "owner_id"
    audited: bool = True
    public: tuple[str, Any] | None = None
    refuse_visible: bool = False

    def reads_all(self, principal: Principal) -> bool:
        return manages_all(principal) or (self.audited and audits_all(principal))

    def owner_of(self, row: Any) -> int:
        owner: int = getattr(row, self.owner_field)
        return owner

    def owns(self, principal: Principal, row: Any) -> bool:
        return self.owner_of(row) == principal.user_id

    def is_public(self, row: Any) -> bool:
        return self.public is not None and getattr(row, self.public[0]) == self.public[1]

    def can_read(self, principal: Principal, row: Any) -> bool:
        return self.reads_all(principal) or self.owns(principal, row) or self.is_public(row)

    def can_write(self, principal: Principal, row: Any) -> bool:
        return manages_all(principal) or self.owns(principal, row)

    def readable(self, principal: Principal, model: type[Any]) -> ColumnElement[bool]:
        """The SQL condition for the rows `principal` may read."""
        if self.reads_all(principal):
            return true()
        mine = col(getattr(model, self.owner_field)) == principal.user_id
        if self.public is None:
            return mine
        field, value = self.public
        return or_(mine, col(getattr(model, field)) == value)

    def list_scope(self, principal: Principal) -> str:
        """The cache scope of the caller's list pages: who sees the same rows shares it."""
        return "all" if self.reads_all(principal) else f"owner:{principal.user_id}"

    def list_scopes_touched(self, owner_id: int) -> tuple[str, ...]:
        """The list scopes a write to a row of `owner_id` can change (as cache patterns)."""
        if self.public is not None:
            return ("*",)  # a public row appears in everyone's lists
        return ("all:*", f"owner:{owner_id}:*")
