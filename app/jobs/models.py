"""Async AI jobs: a completion or recipe request run by a worker, with its state kept here
(so it survives restarts of the API and of workers). Deleted with their owner.

`lease_expires_at` is the running attempt's lease, renewed by a heartbeat while it runs; a
running job whose lease expired lost its worker and is retried or failed by the reaper.
`attempts` counts claims; it is also the running attempt's token, so a worker that lost its
lease cannot overwrite what a later attempt (or a cancel) wrote.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String
from sqlmodel import Field, SQLModel

from app.infra.column_types import EnumText, UTCDateTime, utcnow


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class JobKind(StrEnum):
    COMPLETION = "completion"
    RECIPE = "recipe"


class Job(SQLModel, table=True):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_owner_created", "owner_id", "created_at"),
        Index("ix_jobs_status_lease", "status", "lease_expires_at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    # The API key it was started with: its daily USD cap applies when the job runs.
    api_key_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    kind: JobKind = Field(sa_column=Column(EnumText(JobKind, 16), nullable=False))
    status: JobStatus = Field(
        default=JobStatus.QUEUED, sa_column=Column(EnumText(JobStatus, 16), nullable=False)
    )
    # The body as the client sent it (echoed back), and the service's input built from it.
    request: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    params: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    warnings: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    problem: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    request_id: str | None = Field(default=None, sa_column=Column(String(128), nullable=True))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True)
    )
    # When a message for it was last sent to the queue (the reaper resends old ones).
    enqueued_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    started_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    lease_expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
