"""The appendix as data: forms, their rows and their declared rules, loaded from TOML.

Each form version lives in ``cchc_xl/catalogs/<form>.toml``. Nothing here knows about Excel;
the template, the reader, the rules and the consolidation all read the same `Form`.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

Kind = Literal["group", "count", "percent", "code", "date", "text"]
Aggregation = Literal["sum", "count_yes", "ratio", "none"]
OverTime = Literal["flow", "stock", "ratio"]

KINDS: tuple[str, ...] = ("group", "count", "percent", "code", "date", "text")
AGGREGATIONS: tuple[str, ...] = ("sum", "count_yes", "ratio", "none")
DEFAULT_FORM = "xa_2023"


class CatalogError(ValueError):
    """A catalog file contradicts itself (unknown code, kind, duplicate...)."""


@dataclass(frozen=True)
class Row:
    """One line of the appendix: an indicator or a group heading."""

    code: str
    label: str
    kind: Kind
    unit: str = ""
    choices: dict[int, str] = field(default_factory=dict)
    agg: Aggregation = "none"
    weight: str | None = None
    over_time: OverTime = "flow"
    required: bool = True
    required_if: str | None = None
    maps_to: str | None = None
    parent: str | None = None
    depth: int = 0

    @property
    def is_value(self) -> bool:
        """True for rows that carry a value cell (everything but group headings)."""
        return self.kind != "group"

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("count", "percent", "code", "date")


@dataclass(frozen=True)
class Form:
    """A versioned form: metadata, rows in print order, declared rules (raw dicts)."""

    id: str
    title: str
    heading: str
    level: str
    version: str
    sheet: str
    rows: tuple[Row, ...]
    rules: tuple[dict[str, Any], ...]
    maps_onto: str | None = None
    _index: dict[str, Row] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {r.code: r for r in self.rows})

    def row(self, code: str) -> Row:
        try:
            return self._index[code]
        except KeyError:
            raise CatalogError(f"{self.id}: no row with code {code!r}") from None

    def has(self, code: str) -> bool:
        return code in self._index

    @property
    def value_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.is_value)


def available_forms() -> list[str]:
    """Form ids shipped with the package, from the catalog file names."""
    folder = resources.files("cchc_xl") / "catalogs"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


@cache
def load_form(form_id: str = DEFAULT_FORM) -> Form:
    """Load and validate one shipped form version."""
    if form_id not in available_forms():
        raise CatalogError(f"Không có biểu mẫu {form_id!r} (có: {', '.join(available_forms())})")
    text = (resources.files("cchc_xl") / "catalogs" / f"{form_id}.toml").read_text("utf-8")
    return parse_form(tomllib.loads(text))


def parse_form(data: dict[str, Any]) -> Form:
    """Build a `Form` from the TOML structure, checking every cross-reference."""
    meta = data["form"]
    rows = _parse_rows(meta["id"], data["rows"])
    form = Form(
        id=meta["id"], title=meta["title"], heading=meta["heading"], level=meta["level"],
        version=meta["version"], sheet=meta["sheet"], rows=rows,
        rules=tuple(data.get("rules", ())), maps_onto=meta.get("maps_onto"),
    )
    _check_references(form)
    return form


def _parse_rows(form_id: str, raw_rows: list[dict[str, Any]]) -> tuple[Row, ...]:
    rows: list[Row] = []
    seen: set[str] = set()
    for raw in raw_rows:
        code = raw["code"]
        if code in seen:
            raise CatalogError(f"{form_id}: code {code} appears twice")
        if raw["kind"] not in KINDS:
            raise CatalogError(f"{form_id} {code}: unknown kind {raw['kind']!r}")
        if raw.get("agg", "none") not in AGGREGATIONS:
            raise CatalogError(f"{form_id} {code}: unknown aggregation {raw['agg']!r}")
        seen.add(code)
        parent = _parent_code(code, seen)
        choices = {int(k): v for k, v in raw.get("choices", {}).items()}
        rows.append(Row(
            code=code, label=raw["label"], kind=raw["kind"], unit=raw.get("unit", ""),
            choices=choices, agg=raw.get("agg", "none"), weight=raw.get("weight"),
            over_time=raw.get("over_time", "flow"),
            required=raw.get("required", raw["kind"] not in ("group", "text")),
            required_if=raw.get("required_if"), maps_to=raw.get("maps_to"),
            parent=parent, depth=code.count("."),
        ))
    return tuple(rows)


def _parent_code(code: str, seen: set[str]) -> str | None:
    """The nearest already-declared prefix of a dotted code ("3.3.1.a" -> "3.3.1")."""
    parts = code.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:cut])
        if candidate in seen:
            return candidate
    return None


def _check_references(form: Form) -> None:
    for row in form.rows:
        for ref in (row.weight, row.required_if):
            if ref is not None and not form.has(ref):
                raise CatalogError(f"{form.id} {row.code}: refers to unknown code {ref}")
        if row.kind == "code" and not row.choices:
            raise CatalogError(f"{form.id} {row.code}: a code row needs its choices")
        if row.agg == "ratio" and row.weight is None:
            raise CatalogError(f"{form.id} {row.code}: agg = ratio needs a weight")
    for rule in form.rules:
        for item in _rule_codes(rule):
            if not form.has(item) or not form.row(item).is_numeric:
                raise CatalogError(f"{form.id}: rule {rule} refers to {item!r}, not a numeric row")


def _rule_codes(rule: dict[str, Any]) -> list[str]:
    items: list[Any] = []
    for key in ("total", "parts", "left", "right"):
        value = rule.get(key, [])
        items.extend(value if isinstance(value, list) else [value])
    return [i for i in items if isinstance(i, str)]
