"""Demo data for a first look: an account per role, items, and documents in every status.

Idempotent: each account, item (by owner and name) and document (by author and title) is
created only when missing, so running it twice changes nothing. The passwords are public
(they are printed), so the CLI refuses to seed in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from app.accounts.models import Role, User
from app.accounts.principal import Principal
from app.auth.service import AuthService, normalize_email
from app.documents import service as documents
from app.documents.models import Document, DocumentStatus
from app.infra.cache import Cache
from app.infra.db import UnitOfWork
from app.items import service as items
from app.items.models import Item
from app.users import service as users


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    full_name: str
    role: Role


@dataclass(frozen=True)
class SeededAccount:
    account: DemoAccount
    created: bool
    # False when the account existed and its password was changed since it was seeded.
    password_valid: bool


@dataclass(frozen=True)
class SeedReport:
    accounts: list[SeededAccount]
    items_created: int
    documents_created: int


ACCOUNTS = (
    DemoAccount("admin@example.com", "demo-admin-password", "Demo Admin", Role.ADMIN),
    DemoAccount("user@example.com", "demo-user-password", "Demo User", Role.USER),
    DemoAccount("readonly@example.com", "demo-readonly-password", "Demo Auditor", Role.READONLY),
)
# (owner email, name, price, tags, attributes)
ITEMS = (
    ("user@example.com", "Espresso cup", "4.50", ["kitchen"], {"color": "white"}),
    ("user@example.com", "Notebook", "12.00", ["office", "paper"], {"pages": 200}),
    ("user@example.com", "Desk lamp", "39.99", ["office"], {"watts": 8}),
    ("admin@example.com", "Server rack", "1249.00", ["infra"], {"units": 42}),
)
# (author email, title, final status, tags, content)
DOCUMENTS = (
    (
        "user@example.com",
        "Getting started",
        DocumentStatus.PUBLISHED,
        ["guide"],
        "# Getting started\n\nSign in, then create items and documents.",
    ),
    (
        "user@example.com",
        "Release notes (draft)",
        DocumentStatus.DRAFT,
        ["notes"],
        "Only the author and admins can see a draft.",
    ),
    (
        "user@example.com",
        "Old announcement",
        DocumentStatus.ARCHIVED,
        ["news"],
        "Archived: visible to the author and admins only.",
    ),
    (
        "admin@example.com",
        "House rules",
        DocumentStatus.PUBLISHED,
        ["policy"],
        "Published documents are readable by every signed-in user.",
    ),
)


def _account(uow: UnitOfWork, auth: AuthService, demo: DemoAccount) -> tuple[User, SeededAccount]:
    email = normalize_email(demo.email)
    existing = uow.session.exec(select(User).where(User.email == email)).first()
    if existing is not None:
        uow.release()  # verifying a hash is slow: hold no connection meanwhile
        valid = auth.passwords.verify(existing.password_hash, demo.password)
        return existing, SeededAccount(demo, created=False, password_valid=valid)
    user = users.create_user(
        uow,
        auth,
        email=email,
        password=demo.password,
        full_name=demo.full_name,
        role=demo.role,
    )
    return user, SeededAccount(demo, created=True, password_valid=True)


def seed_demo(uow: UnitOfWork, auth: AuthService, *, cache: Cache) -> SeedReport:
    seeded: list[SeededAccount] = []
    owners: dict[str, User] = {}
    for demo in ACCOUNTS:
        user, report = _account(uow, auth, demo)
        owners[demo.email] = user
        seeded.append(report)

    items_created = 0
    for owner_email, name, price, tags, attributes in ITEMS:
        owner = owners[owner_email]
        found = uow.session.exec(
            select(Item.id).where(Item.owner_id == owner.id, Item.name == name)
        ).first()
        if found is None:
            principal = Principal(user=owner, method="bearer")
            items.create_item(
                uow,
                principal,
                cache=cache,
                name=name,
                price=price,
                tags=tags,
                attributes=attributes,
            )
            items_created += 1

    documents_created = 0
    for author_email, title, status, tags, content in DOCUMENTS:
        author = owners[author_email]
        found = uow.session.exec(
            select(Document.id).where(Document.author_id == author.id, Document.title == title)
        ).first()
        if found is None:
            principal = Principal(user=author, method="bearer")
            view = documents.create_document(
                uow, principal, cache=cache, title=title, content=content, tags=tags
            )
            assert view.document.id is not None
            if status != DocumentStatus.DRAFT:
                action = "publish" if status == DocumentStatus.PUBLISHED else "archive"
                documents.transition(uow, principal, view.document.id, action, cache=cache)
            documents_created += 1
    return SeedReport(seeded, items_created, documents_created)
