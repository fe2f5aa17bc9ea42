"""The consolidation as data: the commune columns, where each value came from, what was dropped.

The orchestrator (`consolidate`, `cycle.run`) builds a `Consolidation`; every sheet writer reads
one. Writers import this module, never the orchestrator, so the district layer has no cycle.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from xlsxwriter.worksheet import Worksheet

from cchc_xl.common.problems import Problem
from cchc_xl.district.district_form import DistrictReport
from cchc_xl.district.layout import Layout
from cchc_xl.district.xlsx_out import Styles
from cchc_xl.forms.catalog import Form
from cchc_xl.forms.checks import Finding, FlagCounts
from cchc_xl.forms.numbers import Value
from cchc_xl.forms.periods import Period
from cchc_xl.forms.rules import Rule
from cchc_xl.read.inputs import Received, Sent, Unreadable
from cchc_xl.read.units import UnitList


class AddedSheet(Protocol):
    """A sheet a later stage adds to the district workbook: its name and how it writes itself."""

    name: str

    def write(self, ws: Worksheet, styles: Styles, layout: Layout) -> None: ...


@dataclass(frozen=True)
class Part:
    """One file behind a commune column: the period it reports and where each value came from."""

    period: Period | None
    received: Received
    cells: dict[str, str]  # code of the district's commune form -> "Sheet!D45" in the file


@dataclass(frozen=True)
class Commune(FlagCounts):
    """One column of the district sheet: a commune's placed values and their flags."""

    name: str
    #: the file of the column, or (cumulative figures) its quarterly files in order
    parts: tuple[Part, ...]
    values: dict[str, Value]
    notes: dict[str, str]  # the commune's Ghi chú, by code of the district form
    findings: tuple[Finding, ...]
    #: quarters a cumulative column lacks (its flows and rates stay blank, never zero-filled)
    missing_quarters: tuple[Period, ...] = ()

    @property
    def received(self) -> Received:
        """The column's file (for cumulative figures, the latest quarter's)."""
        return self.parts[-1].received

    @property
    def cells(self) -> dict[str, str]:
        return self.parts[-1].cells


@dataclass(frozen=True)
class Duplicate:
    """A second file for a commune already consolidated: listed, never added."""

    name: str
    kept: Received
    dropped: Received


@dataclass(frozen=True)
class Consolidation:
    form: Form
    unit: str
    period: Period
    rules: tuple[Rule, ...]
    communes: tuple[Commune, ...]
    duplicates: tuple[Duplicate, ...] = ()
    unreadable: tuple[Unreadable, ...] = ()
    #: every problem met: reading (per file), placing values, periods, duplicates, skipped files
    problems: tuple[Problem, ...] = ()
    #: the expected list (its current names, and the former names each replaces)
    expected: UnitList | None = None
    missing: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    #: the columns are cumulative figures rolled up from quarterly files
    from_quarters: bool = False
    #: the files received, as completeness and timeliness see them (`inputs.sent_record`)
    sent: tuple[Sent, ...] = ()
    #: the district's own form, when the reporting cycle adds it (`cycle.complete`)
    district: DistrictReport | None = None
    #: sheets the reporting cycle adds after `Kiểm tra` (comparison, completeness)
    sheets: tuple[AddedSheet, ...] = ()
    #: per commune whose report text was cross-checked: its figures disagreeing with its table
    report_flags: tuple[tuple[str, int], ...] = ()

    @property
    def error_count(self) -> int:
        return sum(c.error_count for c in self.communes) + (self.district.error_count if self.district else 0)

    @property
    def missing_count(self) -> int:
        return sum(c.missing_count for c in self.communes) + (self.district.missing_count if self.district else 0)

    @property
    def flag_count(self) -> int:
        return self.error_count + self.missing_count


@dataclass(frozen=True)
class Draft:
    """A commune column before it is named, ordered and checked."""

    basis: str  # the name its file states (or the file name)
    parts: tuple[Part, ...]
    values: dict[str, Value]
    notes: dict[str, str]
    missing_quarters: tuple[Period, ...] = ()
    #: the findings of `values`, when they were checked where the file was read
    findings: tuple[Finding, ...] | None = None


