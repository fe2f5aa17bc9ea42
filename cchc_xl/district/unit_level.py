"""Whose sheet a consolidation is: the consolidating unit's kind, told from its name.

Since the 2025 reform a province (Sở Nội vụ, or "Tỉnh …") consolidates its communes and wards
directly, where a district (huyện) did before. The sheets name the whole and its members in
the unit's own words: "Toàn tỉnh", "Số xã, phường báo cáo"; "Toàn huyện", "Số xã báo cáo".
"""
from __future__ import annotations

from dataclasses import dataclass

from cchc_xl.read.matching import label_key


@dataclass(frozen=True)
class UnitLevel:
    """The consolidating unit's kind ("tỉnh", "huyện", "thành phố" …) and what it is made of."""

    kind: str
    #: the units it consolidates, as its sheets count them ("xã", "xã, phường")
    members: str

    @property
    def whole(self) -> str:
        """The unit as a whole, in a total's header: "Toàn tỉnh"."""
        return f"Toàn {self.kind}"


#: The name's first words → the unit's kind; a name matching none (or naming only its office)
#: is read as a district, the product's first user.
_KINDS: tuple[tuple[str, UnitLevel], ...] = tuple((label_key(prefix), level) for prefix, level in (
    ("Sở Nội vụ", UnitLevel("tỉnh", "xã, phường")),
    ("Tỉnh", UnitLevel("tỉnh", "xã, phường")),
    ("Thành phố", UnitLevel("thành phố", "xã, phường")),
    ("TP", UnitLevel("thành phố", "xã, phường")),
    ("Thị xã", UnitLevel("thị xã", "xã, phường")),
    ("Quận", UnitLevel("quận", "phường")),
    ("Huyện", UnitLevel("huyện", "xã")),
))
_DISTRICT = UnitLevel("huyện", "xã")
_OFFICE = tuple(label_key(t) for t in ("UBND", "Ủy ban nhân dân", "Uỷ ban nhân dân", "Phòng Nội vụ"))


def unit_level(unit: str) -> UnitLevel:
    """The kind of the unit named `unit` ("Tỉnh Sóc Trăng", "UBND huyện Hoằng Hóa", "TP. Huế")."""
    key = label_key(unit)
    for office in _OFFICE:
        if key == office or key.startswith(office + " "):
            key = key[len(office):].strip()
    return next((level for prefix, level in _KINDS if key == prefix or key.startswith(prefix + " ")), _DISTRICT)
