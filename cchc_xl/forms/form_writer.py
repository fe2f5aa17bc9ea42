"""A form written out as a form file, in the layout the README documents and `form_text`
locates lines in: each row and each rule an inline table on its own line, comments on their
own lines above the item they explain, the `[form]` table last.

`form infer` writes what it derived from a province's appendix this way (its guesses as
comments for the officer to review), and `form diff` writes an old form back with its
`maps_to` proposals; both go through `parse_form` before anything is saved.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

from cchc_xl.forms.catalog import Form, Rate, Row
from cchc_xl.forms.form_text import SCHEMA

#: The order a row's fields are written in (those at their default are left out).
_ROW_ORDER = ("code", "label", "unit", "kind", "choices", "agg", "weight", "over_time", "required", "required_if",
              "maps_to", "from_communes")
_RULE_ORDER = ("kind", "total", "parts", "left", "right", "percent", "numerator", "denominator", "at_most", "message")
_RATE_ORDER = ("title", "numerator", "denominator")
_FORM_ORDER = ("id", "title", "heading", "level", "version", "sheet", "maps_onto", "commune_form")


@dataclass
class Item:
    """A row or a rule as the file's fields, with the comment lines written above it."""

    fields: dict[str, Any]
    comments: list[str] = field(default_factory=list)


def form_file_text(meta: dict[str, str], rows: list[Item], rules: list[Item], header: list[str],
                   rates: Sequence[Rate] = ()) -> str:
    """The text of a form file: `header` comment lines, schema, rows, rules, the declared
    rates when there are any, then `[form]`."""
    lines = [f"# {line}" if line else "#" for line in header]
    lines += [f"schema = {SCHEMA}", "", "rows = ["]
    lines += [line for row in rows for line in _item_lines(row, _ROW_ORDER)]
    lines += ["]", "", "rules = ["]
    lines += [line for rule in rules for line in _item_lines(rule, _RULE_ORDER)]
    if rates:
        lines += ["]", "", "rates = ["]
        lines += [line for rate in rates for line in _item_lines(Item(asdict(rate)), _RATE_ORDER)]
    lines += ["]", "", "[form]"]
    lines += [f"{key} = {_value(meta[key])}" for key in _FORM_ORDER if meta.get(key)]
    return "\n".join(lines) + "\n"


def row_fields(row: Row) -> dict[str, Any]:
    """A loaded row as the fields a file gives it (defaults left out, as a person writes it)."""
    fields: dict[str, Any] = {"code": row.code, "label": row.label, "unit": row.unit, "kind": row.kind}
    if row.is_value:
        fields |= {"choices": row.choices, "agg": row.agg, "weight": row.weight, "over_time": row.over_time,
                   "required_if": row.required_if}
        if row.required != (row.kind != "text"):
            fields["required"] = row.required
    fields |= {"maps_to": row.maps_to, "from_communes": list(row.from_communes)}
    return fields


def form_meta(form: Form) -> dict[str, str]:
    """A loaded form's `[form]` table."""
    return {key: getattr(form, key) for key in _FORM_ORDER if getattr(form, key)}


def _item_lines(item: Item, order: tuple[str, ...]) -> list[str]:
    shown = [f"{key} = {_value(item.fields[key])}" for key in order if _written(item.fields.get(key))]
    return [f"  # {line}" for line in item.comments] + [f"  {{ {', '.join(shown)} }},"]


def _written(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def _value(value: Any) -> str:
    """A TOML value: JSON's string escapes are TOML's basic-string escapes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_value(v)}" for key, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(str(value), ensure_ascii=False)
