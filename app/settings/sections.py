"""How a settings section is declared and read: each field's alias is its environment
variable (`DATABASE_URL`), code reads the short name (`settings.database.url`).

The environment stays flat (the variables keep the names they always had); the sources
below regroup it into sections, so the environment, an `.env` file and keyword arguments
(`Settings(database_url=...)`, as tests pass them) all name a setting the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsError
from pydantic_settings.sources import EnvSettingsSource, InitSettingsSource

ROOT_DIR = Path(__file__).resolve().parents[2]


class ConfigurationError(SystemExit):
    """Invalid configuration: exits with a readable message instead of a traceback."""


class Section(BaseModel):
    """A group of settings; built from env names (aliases) or short names alike."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True
    )


def _is_section(field: FieldInfo) -> bool:
    annotation = field.annotation
    return isinstance(annotation, type) and issubclass(annotation, Section)


def env_fields(settings_cls: type[BaseModel]) -> Iterator[tuple[str | None, str, FieldInfo]]:
    """(section or None for a top-level field, field name, field) for every setting."""
    for name, field in settings_cls.model_fields.items():
        if _is_section(field):
            section: type[Section] = field.annotation  # type: ignore[assignment]
            for sub_name, sub in section.model_fields.items():
                yield name, sub_name, sub
        else:
            yield None, name, field


def env_name(name: str, field: FieldInfo) -> str:
    """The environment variable a field is read from."""
    return field.alias or name.upper()


def env_names(settings_cls: type[BaseModel]) -> list[str]:
    """Every environment variable the settings read, in declaration order."""
    return [env_name(name, field) for _, name, field in env_fields(settings_cls)]


def group(settings_cls: type[BaseModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """Values by env name (`database_url`, any case) or by section (`database=...`, a
    section or a dict), regrouped into one dict per section, keyed by env name."""
    owners = {
        env_name(name, field).lower(): (section, env_name(name, field) if section else name)
        for section, name, field in env_fields(settings_cls)
    }
    data: dict[str, Any] = {}
    for key, value in values.items():
        if key in settings_cls.model_fields:
            data[key] = merge(data.get(key), value)
            continue
        if key.lower() not in owners:
            msg = f"unknown setting {key!r}"
            raise TypeError(msg)
        section, name = owners[key.lower()]
        if section is None:
            data[name] = value
        else:
            data[section] = merge(data.get(section), {name: value})
    return data


def merge(current: Any, value: Any) -> Any:
    """`value` over `current`, where either is a section or a dict of its values."""
    if isinstance(current, BaseModel):
        current = current.model_dump(by_alias=True, exclude_unset=True)
    if isinstance(current, dict) and isinstance(value, BaseModel):
        return {**value.model_dump(by_alias=True, exclude_unset=True), **current}
    if isinstance(current, dict) and isinstance(value, dict):
        return {**current, **value}
    return value


class SectionedInit(PydanticBaseSettingsSource):
    """Keyword arguments, grouped into sections (see `group`)."""

    def __init__(self, settings_cls: type[BaseSettings], init: InitSettingsSource) -> None:
        super().__init__(settings_cls)
        self.init_kwargs = init.init_kwargs

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ reads every key at once

    def __call__(self) -> dict[str, Any]:
        return group(self.settings_cls, self.init_kwargs)


class SectionedEnv(PydanticBaseSettingsSource):
    """The environment (or an .env file) by each setting's flat name, into sections.

    Wraps pydantic-settings' own source, which found the variables (case-insensitive,
    `_env_file=` honoured) and decodes JSON for dict-valued settings."""

    def __init__(self, settings_cls: type[BaseSettings], source: EnvSettingsSource) -> None:
        super().__init__(settings_cls)
        self.source = source

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ reads every key at once

    def __repr__(self) -> str:
        return type(self.source).__name__

    def __call__(self) -> dict[str, Any]:
        found: Mapping[str, str | None] = self.source.env_vars
        data: dict[str, Any] = {}
        for section, name, field in env_fields(self.settings_cls):
            variable = env_name(name, field)
            key = variable if self.source.case_sensitive else variable.lower()
            raw = found.get(key)
            if raw is None:
                continue
            try:
                value = self.source.prepare_field_value(variable, field, raw, False)
            except ValueError as exc:  # e.g. a JSON-valued setting that is not JSON
                msg = f'error parsing value for field "{variable}" from source "{self}"'
                raise SettingsError(msg) from exc
            if section is None:
                data[name] = value
            else:
                data.setdefault(section, {})[variable] = value
        return data
