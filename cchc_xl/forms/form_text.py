"""A form file's text: read as TOML with Vietnamese errors, and where each item stands in it.

A form file is written by staff (README, "Biểu mẫu của tỉnh"), so every message about it names
the file, the line and the field, the way an officer would look for it in Notepad. TOML parsers
give no positions for values, so the lines are found in the text itself, for the layout the
README documents: each row or rule an inline table on its own line inside `rows = [ … ]` /
`rules = [ … ]`, or a `[[rows]]` / `[[rules]]` block. A file laid out otherwise still loads; its
messages then name the item (the row's code, the rule's number) without a line.
"""
from __future__ import annotations

import re
import tomllib
from functools import cached_property
from typing import Any


class CatalogError(ValueError):
    """A form contradicts itself or the format (unknown code, kind, duplicate...); the message
    says where, in Vietnamese."""

#: The version of the form file format this release reads (`schema = 1` at the top of the file).
SCHEMA = 1
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")


class FormText:
    """The origin of a form (a file's name, or a built-in form's id) and, when known, its text."""

    def __init__(self, origin: str, text: str | None = None, user: bool = False) -> None:
        self.origin = origin
        self.text = text
        #: True for a staff's file: it may not take a built-in form's id
        self.user = user

    def load(self) -> dict[str, Any]:
        """The TOML data; a syntax error is a `CatalogError` naming the line."""
        try:
            return tomllib.loads(self.text or "")
        except tomllib.TOMLDecodeError as error:
            detail = str(error)
            found = _TOML_POSITION.search(detail)
            line = f", dòng {found.group(1)}" if found else ""
            raise CatalogError(f"{self.origin}{line}: sai cú pháp TOML ({_TOML_POSITION.sub('', detail)}); "
                               "kiểm tra dấu ngoặc kép, dấu phẩy, dấu ngoặc nhọn và dấu bằng.") from None

    def at(self, array: str | None = None, index: int | None = None, field: str | None = None,
           item: str | None = None) -> str:
        """Where something is: "tệp biểu mẫu 'x.toml', dòng 12 (chỉ tiêu 3.3.1), trường kind".

        `array` and `index` name an item of `rows`/`rules` (`item` says which in words);
        without them `field` is a key of the `[form]` table (or the top-level `schema`)."""
        line = self._item_line(array, index) if array is not None and index is not None else self._key_line(field)
        where = self.origin + (f", dòng {line}" if line is not None else "")
        if item:
            where += f" ({item})"
        return where + (f", trường {field}" if field else "")

    def _item_line(self, array: str, index: int) -> int | None:
        lines = self._items.get(array, [])
        return lines[index] if index < len(lines) else None

    def _key_line(self, key: str | None) -> int | None:
        """The line of `key` in the `[form]` table (or, for `schema`, at the top)."""
        if key is None or self.text is None:
            return None
        table, pattern = None, re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number, line in enumerate(self.text.splitlines(), start=1):
            header = _TABLE_HEADER.match(line)
            if header:
                table = header.group(1).strip()
            elif pattern.match(line) and table == (None if key == "schema" else "form"):
                return number
        return None

    @cached_property
    def _items(self) -> dict[str, list[int]]:
        """Array name → the line each of its items starts on."""
        found: dict[str, list[int]] = {}
        inside: str | None = None
        for number, line in enumerate((self.text or "").splitlines(), start=1):
            stripped = line.strip()
            block = re.match(r"^\[\[\s*(\w+)\s*\]\]", stripped)
            if block:
                found.setdefault(block.group(1), []).append(number)
                inside = None
                continue
            opening = re.match(r"^(\w+)\s*=\s*\[(.*)$", stripped)
            if opening and inside is None:
                inside = opening.group(1)
                found.setdefault(inside, [])
                stripped = opening.group(2).strip()
            if inside is None:
                continue
            if stripped.startswith("{"):
                found[inside].append(number)
            elif stripped.startswith("]"):
                inside = None
        return found
