"""Lists of units (communes) and the file names derived from a unit's name.

Shared by the command line and the Excel button, so a template made either way gets the same
name and a list of communes is read the same way; `unit_key` is the one way every module
(consolidation, status, comparison with earlier periods) tells whether two names are one unit.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cchc_xl.forms.periods import Period

#: Words a unit name may start with or not ("UBND xã Hoằng Lưu" = "Hoằng Lưu"), stripped in order.
_PREFIXES = ("ubnd", "ủy ban nhân dân", "xã", "thị trấn", "phường", "huyện", "thị xã")


def unit_key(name: str) -> str:
    """A unit name reduced for matching: Unicode form, case, spacing (or underscores, as in file
    names) and the "UBND xã" in front ignored."""
    key = re.sub(r"[\s_]+", " ", unicodedata.normalize("NFC", name)).strip().casefold()
    for prefix in _PREFIXES:
        if key.startswith(prefix + " "):
            key = key[len(prefix) + 1:]
    return key


@dataclass(frozen=True)
class UnitList(Sequence[str]):
    """The units expected to report, in list order, and the former names each replaces.

    Since the 2025 reform a commune may be the merger of several former ones, whose staff still
    name their files by the old commune: a line "Xã Mới = Xã Cũ A, Xã Cũ B" of the expected list
    says so, and a file of Xã Cũ A is that of Xã Mới. As a sequence it is the current names."""

    names: tuple[str, ...]
    #: `unit_key` of a former name → the current name that replaced it
    formerly: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, index):  # noqa: ANN001, ANN204 - Sequence's own signature
        return self.names[index]

    def __len__(self) -> int:
        return len(self.names)

    def by_key(self) -> dict[str, str]:
        """Every name a unit may be known by (current or former), by key → its current name;
        the current names first, in list order (a name listed twice counts once)."""
        found: dict[str, str] = {}
        for name in self.names:
            found.setdefault(unit_key(name), name)
        return found | {key: name for key, name in self.formerly.items() if key not in found}

    def key(self, name: str) -> str:
        """The key of the unit `name` stands for: a former name gives its successor's key."""
        key = unit_key(name)
        return unit_key(self.formerly[key]) if key in self.formerly else key

    def successor(self, name: str) -> str | None:
        """The current name replacing `name`, when `name` is a former one."""
        return self.formerly.get(unit_key(name))


def unit_list(expected: Sequence[str] | None) -> UnitList:
    """`expected` as a `UnitList` (a plain list of names has no former names)."""
    return expected if isinstance(expected, UnitList) else UnitList(tuple(expected or ()))


class UnitListError(ValueError):
    """A list of units that contradicts itself (a former name given to two units …)."""


def parse_unit_list(text: str, name: str) -> UnitList:
    """One unit a line, `#` starts a comment, blank lines skipped; a line "Xã Mới = Xã Cũ A,
    Xã Cũ B" names a merged unit and the former ones it replaces. `name` is the file's, for
    the Vietnamese error."""
    names: list[str] = []
    formerly: dict[str, str] = {}
    where = f"Danh sách xã '{name}'"
    for number, line in enumerate(text.splitlines(), 1):
        unit, _, former = (part.strip() for part in line.split("#", 1)[0].partition("="))
        olds = [f.strip() for f in former.split(",") if f.strip()]
        if olds and not unit:
            raise UnitListError(f"{where}, dòng {number}: tên cũ phải đứng sau tên mới và dấu '=' (Xã Mới = Xã Cũ).")
        if unit:
            names.append(unit)
        for old in olds:
            if formerly.setdefault(unit_key(old), unit) != unit:
                raise UnitListError(f"{where}, dòng {number}: tên cũ '{old}' đã thuộc '{formerly[unit_key(old)]}'.")
    both = [unit for unit in names if unit_key(unit) in formerly]
    if both:
        raise UnitListError(f"{where}: '{both[0]}' vừa là tên cũ của '{formerly[unit_key(both[0])]}' vừa là một xã "
                            "trong danh sách; bỏ một trong hai.")
    return UnitList(tuple(names), formerly)


def read_unit_names(path: Path) -> list[str]:
    """The current names of a list of units (`parse_unit_list`); a UTF-8 byte-order mark
    (Notepad) tolerated."""
    return list(parse_unit_list(Path(path).read_text("utf-8-sig"), Path(path).name).names)


def safe_file_name(name: str) -> str:
    """A unit name usable as a file name on Windows (diacritics kept, separators replaced)."""
    cleaned = "".join("_" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in name).strip(" .")
    return cleaned.replace(" ", "_")[:80] or "don_vi"


def template_file_name(unit: str, period: Period) -> str:
    """The blank appendix sent to one commune for one period, e.g. ``Xã_Hoằng_Lưu_2023-Q2.xlsx``."""
    return f"{safe_file_name(unit)}_{period.key}.xlsx"
