"""The appendix as data: forms, their rows and their declared rules, loaded from TOML.

Each form version lives in ``cchc_xl/forms/catalogs/<form>.toml``. Nothing here knows about Excel;
the template, the reader, the rules and the consolidation all read the same `Form`.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from cchc_xl.forms.narrative import Phrase, PhraseError, parse_phrases

Kind = Literal["group", "count", "percent", "code", "date", "text"]
Aggregation = Literal["sum", "count_yes", "ratio", "none"]
OverTime = Literal["flow", "stock", "ratio"]

KINDS: tuple[str, ...] = ("group", "count", "percent", "code", "date", "text")
AGGREGATIONS: tuple[str, ...] = ("sum", "count_yes", "ratio", "none")
OVER_TIMES: tuple[str, ...] = ("flow", "stock", "ratio")
RULE_KINDS: tuple[str, ...] = ("sum", "le", "ratio")
#: Keys of a form's [framework] table: the rows the task framework sheet counts for.
FRAMEWORK_KEYS: tuple[str, ...] = ("planned", "done")
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
    #: commune indicators this district row totals (value = Σ communes' values of these codes)
    from_communes: tuple[str, ...] = ()
    parent: str | None = None
    depth: int = 0

    @property
    def unit_text(self) -> str:
        """The unit as shown: coded rows show their codes one per line, as the printed form does
        ("Không = 0")."""
        if self.kind == "code":
            return "\n".join(f"{meaning} = {code}" for code, meaning in self.choices.items())
        return self.unit

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
    #: the commune form whose rows `Row.from_communes` names (district forms only)
    commune_form: str | None = None
    #: "planned"/"done" -> the count rows the task framework sheet feeds (empty: no framework)
    framework: dict[str, str] = field(default_factory=dict)
    #: how the report's text words the figures of this form (`[[narrative]]`, see `narrative`)
    narrative: tuple[Phrase, ...] = ()
    _index: dict[str, Row] = field(init=False, repr=False, compare=False)
    _positions: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {r.code: r for r in self.rows})
        object.__setattr__(self, "_positions", {r.code: i for i, r in enumerate(self.rows)})

    def row(self, code: str) -> Row:
        try:
            return self._index[code]
        except KeyError:
            raise CatalogError(f"{self.id}: no row with code {code!r}") from None

    def has(self, code: str) -> bool:
        return code in self._index

    def position(self, code: str) -> int:
        """Where a code's row stands among the form's rows (0 for the first)."""
        self.row(code)
        return self._positions[code]

    @property
    def value_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.is_value)


def available_forms() -> list[str]:
    """Form ids shipped with the package, from the catalog file names."""
    folder = resources.files("cchc_xl.forms") / "catalogs"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


@cache
def load_form(form_id: str = DEFAULT_FORM) -> Form:
    """Load and validate one shipped form version."""
    if form_id not in available_forms():
        raise CatalogError(f"Không có biểu mẫu {form_id!r} (có: {', '.join(available_forms())})")
    text = (resources.files("cchc_xl.forms") / "catalogs" / f"{form_id}.toml").read_text("utf-8")
    return parse_form(tomllib.loads(text))


def parse_form(data: dict[str, Any]) -> Form:
    """Build a `Form` from the TOML structure, checking every cross-reference."""
    meta = data["form"]
    rows = _parse_rows(meta["id"], data["rows"])
    form = Form(
        id=meta["id"], title=meta["title"], heading=meta["heading"], level=meta["level"],
        version=meta["version"], sheet=meta["sheet"], rows=rows,
        rules=tuple(data.get("rules", ())), maps_onto=meta.get("maps_onto"),
        commune_form=meta.get("commune_form"), framework=dict(data.get("framework", {})),
        narrative=_parse_narrative(meta["id"], rows, data.get("narrative", [])),
    )
    _check_references(form)
    return form


def _parse_narrative(form_id: str, rows: tuple[Row, ...], raw: list[dict[str, Any]]) -> tuple[Phrase, ...]:
    try:
        return parse_phrases(form_id, raw, {r.code: r.kind for r in rows})
    except PhraseError as error:
        raise CatalogError(str(error)) from None


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
        if raw.get("over_time", "flow") not in OVER_TIMES:
            raise CatalogError(f"{form_id} {code}: unknown over_time {raw['over_time']!r}")
        seen.add(code)
        parent = _parent_code(code, seen)
        choices = {int(k): v for k, v in raw.get("choices", {}).items()}
        rows.append(Row(
            code=code, label=raw["label"], kind=raw["kind"], unit=raw.get("unit", ""),
            choices=choices, agg=raw.get("agg", "none"), weight=raw.get("weight"),
            over_time=raw.get("over_time", "flow"),
            required=raw.get("required", raw["kind"] not in ("group", "text")),
            required_if=raw.get("required_if"), maps_to=raw.get("maps_to"),
            from_communes=tuple(raw.get("from_communes", ())), parent=parent, depth=code.count("."),
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
        if (row.agg == "ratio" or row.over_time == "ratio") and row.weight is None:
            raise CatalogError(f"{form.id} {row.code}: agg or over_time = ratio needs a weight")
        if row.kind == "percent" and row.over_time == "flow":
            raise CatalogError(f"{form.id} {row.code}: a percentage does not add up over time")
    for rule in form.rules:
        _check_rule(form, rule)
    _check_commune_sources(form)
    _check_framework(form)


def _check_rule(form: Form, rule: dict[str, Any]) -> None:
    if rule.get("kind") not in RULE_KINDS:
        raise CatalogError(f"{form.id}: unknown rule kind in {rule}")
    for item in _rule_codes(rule):
        if not form.has(item) or not form.row(item).is_numeric:
            raise CatalogError(f"{form.id}: rule {rule} refers to {item!r}, not a numeric row")
    if rule["kind"] == "ratio":
        percent = form.row(rule["percent"])
        if percent.kind != "percent":
            raise CatalogError(f"{form.id}: ratio rule on {percent.code}, which is not a percentage")
        if percent.weight != rule["denominator"]:
            raise CatalogError(f"{form.id} {percent.code}: weight must be the ratio's denominator "
                               f"{rule['denominator']} (aggregation and roll-up use it)")


def _check_commune_sources(form: Form) -> None:
    """`from_communes` names rows of the declared commune form whose district total is a count:
    a count or a 0/1 code totalled by the commune sheet, or a percentage with a count as weight
    (it contributes its share of that count). Each changes over time as the district row does
    (a code is a stock; a percentage, as its weight)."""
    fed = [r for r in form.rows if r.from_communes]
    if not fed:
        return
    if form.commune_form is None:
        raise CatalogError(f"{form.id}: from_communes needs [form] commune_form")
    communes = load_form(form.commune_form)
    for row in fed:
        if row.kind != "count":
            raise CatalogError(f"{form.id} {row.code}: only a count row can total communes")
        for code in row.from_communes:
            if not communes.has(code) or not _feeds_a_count(communes, communes.row(code)):
                raise CatalogError(f"{form.id} {row.code}: {code!r} is not a count, a 0/1 row or a weighted "
                                   f"percentage of {communes.id}")
            counted = _counted(communes, communes.row(code))
            if counted.over_time != row.over_time:
                raise CatalogError(f"{form.id} {row.code}: over_time differs from {communes.id} {counted.code}")


def _summable(row: Row) -> bool:
    """A count added up, or a yes/no code whose total is the number of units answering yes."""
    return ((row.kind == "count" and row.agg == "sum")
            or (row.kind == "code" and set(row.choices) == {0, 1} and row.agg == "count_yes"))


def _feeds_a_count(communes: Form, row: Row) -> bool:
    if row.kind == "percent":
        return row.weight is not None and communes.row(row.weight).kind == "count"
    return _summable(row)


def _counted(communes: Form, row: Row) -> Row:
    """The row whose count a source contributes: itself, or a percentage's weight."""
    return communes.row(row.weight) if row.kind == "percent" and row.weight else row


def _check_framework(form: Form) -> None:
    if not form.framework:
        return
    if set(form.framework) != set(FRAMEWORK_KEYS):
        raise CatalogError(f"{form.id}: [framework] needs exactly {', '.join(FRAMEWORK_KEYS)}")
    for code in form.framework.values():
        if not form.has(code) or form.row(code).kind != "count":
            raise CatalogError(f"{form.id}: [framework] names {code!r}, not a count row")


def _rule_codes(rule: dict[str, Any]) -> list[str]:
    items: list[Any] = []
    for key in ("total", "parts", "left", "right", "percent", "numerator", "denominator"):
        value = rule.get(key, [])
        items.extend(value if isinstance(value, list) else [value])
    return [i for i in items if isinstance(i, str)]
