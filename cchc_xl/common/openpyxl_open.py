"""Opening a workbook with openpyxl for what calamine does not give, never failing the run.

A defined name, a district's sheet as openpyxl sees it, a template's flag counts: these come
from openpyxl, and only on files the reader has already let through (package inspection done).
A part calamine never needed may still be broken (an empty [Content_Types].xml), and openpyxl
meets it with exceptions of every kind (ParseError, TypeError, IndexError…): the caller then
goes without, which is why any exception counts. openpyxl is imported here, when a file is
opened, so a command that never needs it never loads it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")


def through_openpyxl(path: Path, use: Callable[[Any], T], default: T, **options: Any) -> T:
    """`use(workbook)` on the file opened by openpyxl, or `default` if openpyxl fails."""
    from openpyxl import load_workbook
    try:
        workbook = load_workbook(path, **options)
    except Exception:
        return default
    try:
        return use(workbook)
    except Exception:
        return default
    finally:
        if options.get("read_only"):
            workbook.close()
