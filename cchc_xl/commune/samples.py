"""Sample communes shipped as data (the seeds' real values) and filled workbooks made from them.

Tests, the demo and the benchmark all fill templates through `fill_template`, so a sample
workbook is exactly what a commune would send after typing its numbers into our template.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from cchc_xl.common.files import atomic_write
from cchc_xl.commune.template import (
    NOTE_COL,
    REPORT_DATE_CELL,
    build_template,
    layout_for,
)
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.numbers import Value
from cchc_xl.forms.periods import Period


@dataclass(frozen=True)
class Sample:
    """One commune's report: values keyed by the codes of `form`."""

    name: str
    unit: str
    period: Period
    form: str
    values: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)
    group_values: dict[str, Any] = field(default_factory=dict)
    #: the date typed in "Ngày gửi báo cáo" (None: left blank, the file's date counts)
    sent: dt.date | None = None

    def values_2023(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Values re-keyed onto the 2023 form through `maps_to`, and those with no 2023 row."""
        form = load_form(self.form)
        if form.maps_onto is None:
            return dict(self.values), {}
        mapped, unmapped = {}, {}
        for code, value in self.values.items():
            target = form.row(code).maps_to
            (mapped if target else unmapped)[target or code] = value
        return mapped, unmapped


#: The demo: the samples of this period, consolidated for this district against this list,
#: with the district's own form.
DEMO_PERIOD = Period(2023, "Q2")
DEMO_UNIT = "Huyện Hoằng Hóa"
DEMO_FORM = "huyen_2023"
DEMO_EXPECTED = "hoang_hoa_communes.txt"
EXPECTED_FILE = "danh_sach_xa.txt"


def sample_names() -> list[str]:
    folder = resources.files("cchc_xl.commune") / "sample_data"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_sample(name: str) -> Sample:
    data = tomllib.loads((resources.files("cchc_xl.commune") / "sample_data" / f"{name}.toml").read_text("utf-8"))
    return Sample(name=name, unit=data["unit"], period=Period.parse(data["period"]), form=data["form"],
                  values=data["values"], notes=data.get("notes", {}),
                  group_values=data.get("group_values", {}), sent=data.get("sent"))


def fill_template(unit: str, period: Period, values: dict[str, Value | dt.date],
                  notes: dict[str, str] | None = None, form_id: str = "xa_2023",
                  sent: dt.date | None = None) -> Workbook:
    """A template with values typed into its value cells (notes into Ghi chú, the date the
    report is sent into its cell)."""
    form = load_form(form_id)
    layout = layout_for(form)
    workbook = build_template(unit, period, form)
    sheet = workbook[form.sheet]
    if sent is not None:
        sheet[REPORT_DATE_CELL] = sent
    for code, value in values.items():
        sheet[layout.value_cell(code)] = value
    for code, note in (notes or {}).items():
        sheet[f"{NOTE_COL}{layout.rows[code]}"] = note
    return workbook


def write_sample(sample: Sample, path: Path, period: Period | None = None) -> Path:
    """The sample typed into its form's template (a 2022 commune's values mapped onto 2023)."""
    values, _unmapped = sample.values_2023()
    form = load_form(sample.form)
    workbook = fill_template(sample.unit, period or sample.period, values, sample.notes,
                             form.maps_onto or form.id, sample.sent)
    return atomic_write(Path(path), workbook.save)


def write_samples(folder: Path, period: Period = DEMO_PERIOD) -> list[Path]:
    """Every sample of `period` as a filled workbook ``<name>.xlsx``, plus the expected list.

    Samples of other periods (Quảng Hòa's 2022 values) are left out: a consolidation adds up
    one period. Returns the workbooks written, in name order; the list is `EXPECTED_FILE`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_sample(sample, folder / f"{sample.name}.xlsx")
               for sample in map(load_sample, sample_names()) if sample.period == period]
    expected = (resources.files("cchc_xl.commune") / "sample_data" / DEMO_EXPECTED).read_text("utf-8")
    atomic_write(folder / EXPECTED_FILE, lambda temp: temp.write_text(expected, "utf-8"))
    return written
