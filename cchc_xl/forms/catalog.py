"""The appendix as data: forms, their rows and their declared rules, loaded from TOML.

Each shipped form version lives in ``cchc_xl/forms/catalogs/<form>.toml``; a province's own form
is a file of the same format (`form_files`), registered here once read so that every part of the
product finds it by its id as it finds a shipped one. Nothing here knows about Excel; the
template, the reader, the rules and the consolidation all read the same `Form`.

Every form, shipped or not, is checked on load by the same code, whose messages are Vietnamese
and name the line and the field (`form_text.FormText`): a bad form never produces a workbook.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any, Callable, Literal

from cchc_xl.forms.form_text import SCHEMA, CatalogError, FormText
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
class Rate:
    """A share the chart sheet draws per commune: 100 × Σ numerator / Σ denominator (the
    online-file share, the on-time rate); blank where the denominator is blank or 0."""

    title: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]


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
    #: the shares declared in the file (`rates = [ … ]`); `rates` adds the ratio rules' ones
    declared_rates: tuple[Rate, ...] = ()
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

    @property
    def rates(self) -> tuple[Rate, ...]:
        """The shares worth a chart: those declared, then each ratio rule's percentage."""
        ratios = tuple(Rate(self.row(rule["percent"]).label, tuple(_rule_items(rule["numerator"])),
                            tuple(_rule_items(rule["denominator"]))) for rule in self.rules if rule["kind"] == "ratio")
        return self.declared_rates + ratios


def available_forms() -> list[str]:
    """Form ids shipped with the package, from the catalog file names."""
    folder = resources.files("cchc_xl.forms") / "catalogs"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


#: Forms read from staff's files in this process: id → the form and the text it was read from.
_USER_FORMS: dict[str, tuple[Form, str]] = {}


def load_form(form_id: str = DEFAULT_FORM) -> Form:
    """A form by its id: one read from a file in this process (`register_form`), else a shipped one."""
    user = _USER_FORMS.get(form_id)
    return user[0] if user is not None else _shipped_form(form_id)


@cache
def _shipped_form(form_id: str) -> Form:
    if form_id not in available_forms():
        known = available_forms() + sorted(_USER_FORMS)
        raise CatalogError(f"Không có biểu mẫu '{form_id}' (có: {', '.join(known)}; hoặc đường dẫn tới tệp "
                           "biểu mẫu .toml).")
    text = (resources.files("cchc_xl.forms") / "catalogs" / f"{form_id}.toml").read_text("utf-8")
    where = FormText(f"biểu có sẵn {form_id}", text)
    return parse_form(where.load(), where)


def register_form(form: Form, text: str) -> Form:
    """Make a form read from a file known by its id; the same id with another text is refused
    (two different forms would be mixed up in one consolidation), except the same form with
    its mapping onto a newer form added (`form diff -o`): the mapped one is kept, so files
    carrying the form as their template had it are read onto the newer form's codes."""
    known = _USER_FORMS.get(form.id)
    if known is not None and known[1] != text:
        mapped_apart = known[0].maps_onto and form.maps_onto and known[0] != form
        if _unmapped(known[0]) != _unmapped(form) or mapped_apart:
            raise CatalogError(f"Hai biểu mẫu khác nhau cùng mã '{form.id}' ({form.title}): đặt cho mỗi biểu một "
                               "mã riêng ở trường id của bảng [form].")
        if known[0].maps_onto:
            return known[0]
    _USER_FORMS[form.id] = (form, text)
    return form


def _unmapped(form: Form) -> Form:
    """The form without its `maps_onto` and `maps_to`: what two versions must share to be one."""
    return replace(form, maps_onto=None, rows=tuple(replace(row, maps_to=None) for row in form.rows))


def user_form_texts() -> list[str]:
    """The texts of the forms read from files in this process (for worker processes to know
    them), a form another maps onto before the one mapping onto it."""
    known = sorted(_USER_FORMS.values(), key=lambda known: known[0].maps_onto is not None)
    return [text for _, text in known]


def form_text(form_id: str) -> str | None:
    """The text a form was read from, for a workbook to carry it; None for a shipped form."""
    user = _USER_FORMS.get(form_id)
    return user[1] if user is not None else None


def parse_form(data: dict[str, Any], where: FormText | None = None) -> Form:
    """Build a `Form` from the TOML structure, checking every field and cross-reference;
    messages say where (`where`: the file and its text, for line numbers)."""
    where = where or FormText("biểu mẫu")
    meta = _form_table(data, where)
    rows = _parse_rows(data.get("rows"), where)
    rules = _rule_list(data.get("rules", []), where)
    try:
        narrative = parse_phrases(meta["id"], data.get("narrative", []), {r.code: r.kind for r in rows})
    except PhraseError as error:
        raise CatalogError(f"{where.at()}, [[narrative]]: {error}") from None
    form = Form(
        id=meta["id"], title=meta["title"], heading=meta["heading"], level=meta["level"],
        version=meta["version"], sheet=meta["sheet"], rows=rows, rules=rules,
        maps_onto=meta.get("maps_onto"), commune_form=meta.get("commune_form"),
        framework=dict(data.get("framework", {})), narrative=narrative,
        declared_rates=_parse_rates(data.get("rates", []), where),
    )
    _check_references(form, where)
    return form


#: The keys a form file may hold at its top level, and in its [form] table.
TOP_KEYS = ("schema", "form", "rows", "rules", "rates", "framework", "narrative")
RATE_KEYS = ("title", "numerator", "denominator")
FORM_KEYS = ("id", "title", "heading", "level", "version", "sheet", "maps_onto", "commune_form")
FORM_REQUIRED = ("id", "title", "heading", "level", "version", "sheet")
LEVELS = ("xã", "huyện", "tỉnh")
ROW_KEYS = ("code", "label", "kind", "unit", "choices", "agg", "weight", "over_time", "required", "required_if",
            "maps_to", "from_communes")
#: The keys of each kind of rule: those it needs, then those it may have.
RULE_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sum": (("total", "parts"), ("message", "at_most")),
    "le": (("left", "right"), ("message",)),
    "ratio": (("percent", "numerator", "denominator"), ("message",)),
}
_ID = re.compile(r"^[a-z0-9_]+$")


def _form_table(data: dict[str, Any], where: FormText) -> dict[str, Any]:
    schema = data.get("schema", SCHEMA if not where.user else None)
    if schema != SCHEMA:
        said = "thiếu dòng schema = 1 ở đầu tệp" if schema is None else f"schema = {schema!r} không đọc được"
        raise CatalogError(f"{where.at(field='schema')}: {said} (phiên bản này đọc định dạng schema = {SCHEMA}).")
    _no_unknown(data, TOP_KEYS, where.at(), "khóa")
    meta = data.get("form")
    if not isinstance(meta, dict):
        raise CatalogError(f"{where.at()}: thiếu bảng [form] (id, title, heading, level, version, sheet).")
    _no_unknown(meta, FORM_KEYS, where.at() + ", bảng [form]", "trường")
    for key in FORM_REQUIRED:
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise CatalogError(f"{where.at(field=key)}: bảng [form] cần trường {key} (một chuỗi trong ngoặc kép).")
    if not _ID.match(meta["id"]):
        raise CatalogError(f"{where.at(field='id')}: mã biểu '{meta['id']}' chỉ được gồm chữ thường không dấu, "
                           "chữ số và dấu gạch dưới (ví dụ xa_2024_soc_trang).")
    if where.user and meta["id"] in available_forms():
        raise CatalogError(f"{where.at(field='id')}: mã biểu '{meta['id']}' trùng một biểu có sẵn; đặt mã khác "
                           f"(ví dụ {meta['id']}_tinh).")
    if meta["level"] not in LEVELS:
        raise CatalogError(f"{where.at(field='level')}: cấp '{meta['level']}' không có; dùng một trong: "
                           f"{', '.join(LEVELS)}.")
    return meta


def _no_unknown(table: dict[str, Any], allowed: tuple[str, ...], where: str, what: str) -> None:
    """A misspelt key is an error, never silently ignored (`knd = "count"` would lose the kind)."""
    unknown = [key for key in table if key not in allowed]
    if unknown:
        raise CatalogError(f"{where}: {what} '{unknown[0]}' không có; các {what} dùng được: {', '.join(allowed)}.")


def _parse_rows(raw_rows: Any, where: FormText) -> tuple[Row, ...]:
    if not isinstance(raw_rows, list) or not raw_rows:
        raise CatalogError(f"{where.at()}: thiếu danh sách chỉ tiêu rows = [ … ].")
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_rows):
        rows.append(_parse_row(raw, index, seen, where))
        seen[rows[-1].code] = index
    return tuple(rows)


def _parse_row(raw: Any, index: int, seen: dict[str, int], where: FormText) -> Row:
    at = _row_place(raw, index, where)
    if not isinstance(raw, dict):
        raise CatalogError(f"{at()}: mỗi chỉ tiêu là một bảng {{ code = …, label = …, kind = … }}.")
    _no_unknown(raw, ROW_KEYS, at(), "trường")
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip() or any(c.isspace() for c in code):
        raise CatalogError(f"{at('code')}: mã chỉ tiêu phải là một chuỗi không có khoảng trắng, ví dụ \"3.3.1\".")
    if code in seen:
        raise CatalogError(f"{at('code')}: mã {code} đã có ở chỉ tiêu thứ {seen[code] + 1}; mỗi mã chỉ dùng một lần.")
    if not isinstance(raw.get("label"), str) or not raw["label"].strip():
        raise CatalogError(f"{at('label')}: thiếu tên chỉ tiêu (label).")
    _choose(raw, "kind", KINDS, at, None)
    _choose(raw, "agg", AGGREGATIONS, at, "none")
    _choose(raw, "over_time", OVER_TIMES, at, "flow")
    for key in ("unit", "weight", "required_if", "maps_to"):
        if key in raw and not isinstance(raw[key], str):
            raise CatalogError(f"{at(key)}: phải là một chuỗi trong ngoặc kép.")
    if "required" in raw and not isinstance(raw["required"], bool):
        raise CatalogError(f"{at('required')}: ghi true hoặc false.")
    parent = code.rsplit(".", 1)[0] if "." in code else None
    if parent is not None and parent not in seen:
        raise CatalogError(f"{at('code')}: chỉ tiêu {code} cần dòng cha {parent} đứng trước nó trong rows.")
    return Row(
        code=code, label=raw["label"], kind=raw["kind"], unit=raw.get("unit", ""),
        choices=_choices(raw.get("choices", {}), at), agg=raw.get("agg", "none"), weight=raw.get("weight"),
        over_time=raw.get("over_time", "flow"),
        required=raw.get("required", raw["kind"] not in ("group", "text")),
        required_if=raw.get("required_if"), maps_to=raw.get("maps_to"),
        from_communes=_codes(raw.get("from_communes", ()), at("from_communes")), parent=parent,
        depth=code.count("."),
    )


def _row_place(raw: Any, index: int, where: FormText) -> Callable[[str | None], str]:
    code = raw.get("code") if isinstance(raw, dict) else None
    item = f"chỉ tiêu {code}" if isinstance(code, str) and code else f"chỉ tiêu thứ {index + 1}"
    return lambda field=None: where.at("rows", index, field, item)


def _choose(raw: dict[str, Any], key: str, allowed: tuple[str, ...], at: Callable[[str | None], str],
            default: str | None) -> None:
    value = raw.get(key, default)
    if value not in allowed:
        said = f"'{value}' không có" if value is not None else "thiếu"
        raise CatalogError(f"{at(key)}: {said}; dùng một trong: {', '.join(allowed)}.")


def _choices(raw: Any, at: Callable[[str | None], str]) -> dict[int, str]:
    """`{ 0 = "Không", 1 = "Có" }`: whole-number codes, each with its meaning."""
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise CatalogError(f"{at('choices')}: ghi dạng {{ 0 = \"Không\", 1 = \"Có\" }}.")
    try:
        return {int(k): v for k, v in raw.items()}
    except ValueError:
        raise CatalogError(f"{at('choices')}: mỗi mã phải là một số nguyên (0, 1, 2…).") from None


def _codes(raw: Any, where: str) -> tuple[str, ...]:
    if not isinstance(raw, (list, tuple)) or not all(isinstance(c, str) for c in raw):
        raise CatalogError(f"{where}: ghi danh sách mã, ví dụ [\"3.3.1\", \"3.3.2\"].")
    return tuple(raw)


def _rule_list(raw: Any, where: FormText) -> tuple[dict[str, Any], ...]:
    if not isinstance(raw, list) or not all(isinstance(rule, dict) for rule in raw):
        raise CatalogError(f"{where.at()}: rules là danh sách các bảng {{ kind = …, … }}.")
    return tuple(raw)


def _parse_rates(raw: Any, where: FormText) -> tuple[Rate, ...]:
    if not isinstance(raw, list) or not all(isinstance(rate, dict) for rate in raw):
        raise CatalogError(f"{where.at()}: rates là danh sách các bảng {{ title = …, numerator = […], "
                           "denominator = […] }}.")
    rates = []
    for index, item in enumerate(raw):
        at = lambda field, index=index: where.at("rates", index, field, f"tỷ lệ thứ {index + 1}")  # noqa: E731
        _no_unknown(item, RATE_KEYS, at(None), "trường")
        if not isinstance(item.get("title"), str) or not item["title"].strip():
            raise CatalogError(f"{at('title')}: cần tên tỷ lệ (một chuỗi trong ngoặc kép).")
        rates.append(Rate(item["title"], _codes(item.get("numerator"), at("numerator")),
                          _codes(item.get("denominator"), at("denominator"))))
    return tuple(rates)


def _check_rates(form: Form, where: FormText) -> None:
    """A share is of counts: each code names a count row of the form."""
    for index, rate in enumerate(form.declared_rates):
        for key in ("numerator", "denominator"):
            for code in getattr(rate, key):
                if not form.has(code) or form.row(code).kind != "count":
                    raise CatalogError(f"{where.at('rates', index, key, f'tỷ lệ thứ {index + 1}')}: mã {code} không "
                                       "phải chỉ tiêu đếm (count) của biểu.")


def _check_references(form: Form, where: FormText) -> None:
    for index, row in enumerate(form.rows):
        at = lambda field, index=index, row=row: where.at("rows", index, field, f"chỉ tiêu {row.code}")  # noqa: E731
        for key in ("weight", "required_if"):
            ref = getattr(row, key)
            if ref is not None and not form.has(ref):
                raise CatalogError(f"{at(key)}: mã {ref} không có trong biểu.")
        if row.kind == "code" and not row.choices:
            raise CatalogError(f"{at('choices')}: chỉ tiêu loại code cần các mã, ví dụ {{ 0 = \"Không\", 1 = \"Có\" }}.")
        if (row.agg == "ratio" or row.over_time == "ratio") and row.weight is None:
            raise CatalogError(f"{at('weight')}: agg hoặc over_time = ratio cần trường weight (mã của mẫu số).")
        if row.kind == "percent" and row.over_time == "flow":
            raise CatalogError(f"{at('over_time')}: tỷ lệ (%) không cộng dồn qua các quý; dùng stock hoặc ratio.")
    for index, rule in enumerate(form.rules):
        _check_rule(form, rule, lambda field, index=index: where.at("rules", index, field, f"quy tắc thứ {index + 1}"))
    _check_rates(form, where)
    _check_mapping(form, where)
    _check_commune_sources(form, where)
    _check_framework(form, where)


def _check_rule(form: Form, rule: dict[str, Any], at: Callable[[str | None], str]) -> None:
    kind = rule.get("kind")
    if kind not in RULE_KEYS:
        raise CatalogError(f"{at('kind')}: loại quy tắc '{kind}' không có; dùng một trong: {', '.join(RULE_KEYS)}.")
    needed, optional = RULE_KEYS[kind]
    _no_unknown(rule, ("kind", *needed, *optional), at(None), "trường")
    for key in needed:
        if key not in rule:
            raise CatalogError(f"{at(key)}: quy tắc {kind} cần trường {key}.")
    for key in needed:
        for item in _rule_items(rule[key]):
            if isinstance(item, str) and (not form.has(item) or not form.row(item).is_numeric):
                said = "không có trong biểu" if not form.has(item) else "không phải chỉ tiêu số"
                raise CatalogError(f"{at(key)}: mã {item} {said}.")
            if not isinstance(item, str) and (key not in ("left", "right") or not isinstance(item, (int, float))):
                raise CatalogError(f"{at(key)}: ghi mã chỉ tiêu trong ngoặc kép, ví dụ \"3.3.1\".")
    if kind == "sum":
        _check_sum_units(form, rule, at)
    if kind == "ratio":
        percent = form.row(rule["percent"])
        if percent.kind != "percent":
            raise CatalogError(f"{at('percent')}: {percent.code} không phải chỉ tiêu tỷ lệ (%).")
        if percent.weight != rule["denominator"]:
            raise CatalogError(f"{at('denominator')}: trường weight của {percent.code} phải là mẫu số "
                               f"{rule['denominator']} (tổng hợp và cộng dồn dùng nó).")


def _rule_items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _check_sum_units(form: Form, rule: dict[str, Any], at: Callable[[str | None], str]) -> None:
    """Parts counted in another unit than their total cannot add up to it (hồ sơ vs thủ tục)."""
    total = form.row(rule["total"])
    for code in _rule_items(rule["parts"]):
        part = form.row(code)
        if part.unit.strip().casefold() != total.unit.strip().casefold():
            raise CatalogError(f"{at('parts')}: {code} tính bằng \"{part.unit}\", còn tổng {total.code} tính bằng "
                               f"\"{total.unit}\"; các phần của một tổng phải cùng đơn vị.")


def _check_mapping(form: Form, where: FormText) -> None:
    """`maps_onto` names one other form, which maps onto none (a chain, let alone a cycle, would
    leave a file's figures without one place); each `maps_to` names a value row of it."""
    mapped = [(i, r) for i, r in enumerate(form.rows) if r.maps_to]
    if form.maps_onto is None:
        if mapped:
            index, row = mapped[0]
            raise CatalogError(f"{where.at('rows', index, 'maps_to', f'chỉ tiêu {row.code}')}: maps_to cần "
                               "maps_onto trong bảng [form] (biểu mà các mã chuyển sang).")
        return
    if form.maps_onto == form.id:
        raise CatalogError(f"{where.at(field='maps_onto')}: vòng lặp maps_onto: {form.id} → {form.id}.")
    target = load_form(form.maps_onto)
    if target.maps_onto is not None:
        loop = " (vòng lặp)" if target.maps_onto == form.id else ""
        raise CatalogError(f"{where.at(field='maps_onto')}: {form.id} → {target.id} → {target.maps_onto}{loop}; "
                           "chỉ chuyển được sang một biểu không chuyển tiếp sang biểu nào khác.")
    for index, row in mapped:
        if not target.has(row.maps_to) or target.row(row.maps_to).is_value != row.is_value:
            said = "dòng nhóm" if not row.is_value else "chỉ tiêu có số liệu"
            raise CatalogError(f"{where.at('rows', index, 'maps_to', f'chỉ tiêu {row.code}')}: mã {row.maps_to} "
                               f"không phải {said} của biểu {target.id}.")


def _check_commune_sources(form: Form, where: FormText) -> None:
    """`from_communes` names rows of the declared commune form whose district total is a count:
    a count or a 0/1 code totalled by the commune sheet, or a percentage with a count as weight
    (it contributes its share of that count). Each changes over time as the district row does
    (a code is a stock; a percentage, as its weight)."""
    fed = [(i, r) for i, r in enumerate(form.rows) if r.from_communes]
    if not fed:
        return
    if form.commune_form is None:
        raise CatalogError(f"{where.at(field='commune_form')}: from_communes cần commune_form trong bảng [form].")
    communes = load_form(form.commune_form)
    for index, row in fed:
        at = where.at("rows", index, "from_communes", f"chỉ tiêu {row.code}")
        if row.kind != "count":
            raise CatalogError(f"{at}: chỉ chỉ tiêu loại count mới cộng được từ các xã.")
        for code in row.from_communes:
            if not communes.has(code) or not _feeds_a_count(communes, communes.row(code)):
                raise CatalogError(f"{at}: {code} không phải chỉ tiêu đếm, mã 0/1 hay tỷ lệ có trọng số của "
                                   f"biểu {communes.id}.")
            counted = _counted(communes, communes.row(code))
            if counted.over_time != row.over_time:
                raise CatalogError(f"{at}: over_time khác với {counted.code} của biểu {communes.id}.")


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


def _check_framework(form: Form, where: FormText) -> None:
    if not form.framework:
        return
    at = f"{where.at()}, bảng [framework]"
    if set(form.framework) != set(FRAMEWORK_KEYS):
        raise CatalogError(f"{at}: cần đúng hai trường {', '.join(FRAMEWORK_KEYS)}.")
    for code in form.framework.values():
        if not form.has(code) or form.row(code).kind != "count":
            raise CatalogError(f"{at}: {code} không phải chỉ tiêu loại count của biểu.")
