"""Earlier periods' figures per commune, for the comparison with the previous period.

Two kinds of file hold them: a district workbook written by this package (the commune columns
of its `Tổng hợp`, period from its `_cchc` sheet; the district's usual archive) and a commune
workbook (its unit and period, values placed as a consolidation places them). Folders are
scanned for both. A file that cannot be used becomes a problem; nothing stops the run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from cchc_xl.common.openpyxl_open import through_openpyxl
from cchc_xl.district import layout as district
from cchc_xl.district.placing import on_form, place
from cchc_xl.forms.catalog import CatalogError, Form, load_form
from cchc_xl.forms.numbers import Value
from cchc_xl.forms.periods import Period, PeriodError
from cchc_xl.read.inputs import LOCK_PREFIX, WORKBOOK_SUFFIXES, read_all
from cchc_xl.read.reader import Problem, read_meta_file

#: unit name -> period -> code -> value
Figures = dict[str, dict[Period, dict[str, Value]]]


@dataclass
class History:
    figures: Figures = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, unit: str, period: Period, values: dict[str, Value]) -> None:
        """The first figures found for a unit and period are kept."""
        self.figures.setdefault(unit, {}).setdefault(period, values)


def read_history(paths: Iterable[Path], form: Form) -> History:
    """Every commune's figures found in the files and folders, on the codes of `form`."""
    history = History()
    for path in _workbooks(paths, history):
        meta = read_meta_file(path)
        if meta.get("kind") == district.KIND:
            _read_district(path, meta, form, history)
        else:
            _read_commune(path, form, history)
    return history


def _workbooks(paths: Iterable[Path], history: History) -> list[Path]:
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(LOCK_PREFIX)
                            and p.suffix.lower() in WORKBOOK_SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            history.problems.append(Problem(path.name, f"Không tìm thấy tệp hoặc thư mục kỳ trước '{path}'.",
                                            kind="previous"))
    return list(dict.fromkeys(found))


def _read_district(path: Path, meta: dict[str, str], form: Form, history: History) -> None:
    source = _source_form(meta.get("form"), form)
    if source is None:
        history.problems.append(Problem(path.name, f"Bảng tổng hợp kỳ trước '{path.name}' theo biểu {meta.get('form')}, "
                                                   f"không so sánh được với biểu {form.id} (biểu cũ cần ghép mã: "
                                                   "cchc-xl form diff, rồi --earlier-form).", kind="previous"))
        return
    try:
        period = Period.parse(meta["period"])
    except (KeyError, PeriodError):
        history.problems.append(Problem(path.name, f"Bảng tổng hợp '{path.name}' không ghi kỳ báo cáo.",
                                        kind="previous"))
        return
    columns = through_openpyxl(path, lambda book: list(district.commune_columns(book[district.SUMMARY_SHEET], source, meta)),
                               None, data_only=True)
    if columns is None:
        history.problems.append(Problem(path.name, f"Bảng tổng hợp '{path.name}' đã bị sửa hay hỏng, không đọc được.",
                                        kind="previous"))
        return
    for name, values, _cells in columns:
        history.add(name, period, on_form(values, source, form))
    history.files.append(path.name)


def _source_form(form_id: str | None, form: Form) -> Form | None:
    """The form a district workbook was made on, when its figures can be put on `form`'s codes:
    `form` itself, or an earlier form mapped onto it and known in this process."""
    if form_id == form.id:
        return form
    try:
        source = load_form(form_id or "")
    except CatalogError:
        return None
    return source if source.maps_onto == form.id else None


def _read_commune(path: Path, form: Form, history: History) -> None:
    received, unreadable = read_all([path])
    history.problems += [Problem(u.path.name, u.message, kind="previous") for u in unreadable]
    for item in received:
        submission = item.submission
        if submission.period is None:
            history.problems.append(Problem(path.name, f"Tệp '{path.name}' không ghi kỳ báo cáo; không dùng để "
                                                       "so sánh.", kind="previous"))
            continue
        placed = place(item, form)
        history.add(submission.unit or path.stem, submission.period, placed.values)
        history.files.append(path.name)
