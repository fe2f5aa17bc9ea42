"""Settings of the reporting cycle: the shipped `cycle.toml`, optionally overridden by a file.

Deadlines and trend thresholds differ between provinces, so they are data: `load_config`
returns the shipped tables with a user file's keys laid over them.
"""
from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from cchc_xl.common.problems import os_reason

Config = dict[str, dict[str, Any]]


class ConfigError(ValueError):
    """A settings file cannot be used; the message names it, in Vietnamese."""


def load_config(path: Path | str | None = None) -> Config:
    """The shipped settings, with the tables of `path` (if given) replacing them key by key."""
    shipped = tomllib.loads((resources.files("cchc_xl.forms") / "cycle.toml").read_text("utf-8"))
    if path is None:
        return shipped
    path = Path(path)
    try:
        override = tomllib.loads(path.read_text("utf-8"))
    except OSError as error:
        raise ConfigError(f"Không đọc được tệp cấu hình '{path}': {os_reason(error)}.") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"Tệp cấu hình '{path}' sai cú pháp TOML: {error}.") from error
    unknown = set(override) - set(shipped)
    if unknown:
        raise ConfigError(f"Tệp cấu hình '{path}': bảng không có [{', '.join(sorted(unknown))}] "
                          f"(chỉ có [{'], ['.join(shipped)}]).")
    return {table: {**values, **override.get(table, {})} for table, values in shipped.items()}
