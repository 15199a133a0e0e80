"""Daily AI budget counters when there is no Redis: one row per scope (`user:<id>` or
`key:<id>`) and UTC day, holding the tokens and micro-dollars charged so far (settled usage
plus the worst case of every call still in flight). A reservation is one conditional
UPDATE, so parallel requests cannot pass the cap together (app/ai/budget_store.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Column, Date, String
from sqlmodel import Field, SQLModel


class AIBudgetCounter(SQLModel, table=True):
    __tablename__ = "ai_budget_counters"

    scope: str = Field(sa_column=Column(String(40), primary_key=True))
    day: date = Field(sa_column=Column(Date, primary_key=True))
    tokens: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    usd_micros: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
