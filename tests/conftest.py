"""Shared fixtures: LibreOffice recalculation (fails in CI when missing, skips elsewhere)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pytest

from cchc_xl.common.libreoffice import LibreOfficeMissing, recalculate, soffice
from cchc_xl.commune.samples import write_samples

REPO = Path(__file__).resolve().parents[1]


def _find_seeds() -> Path:
    """shared/seeds beside the checkout, however deep the checkout sits (main or a worktree)."""
    for folder in REPO.parents:
        if (folder / "shared" / "seeds").is_dir():
            return folder / "shared" / "seeds"
    return REPO.parent / "shared" / "seeds"


SEEDS = _find_seeds()


@pytest.fixture(scope="session")
def seed_text() -> Callable[[str], str]:
    """The text of a seed file by its number ("003")."""
    def read(number: str) -> str:
        [path] = SEEDS.glob(f"{number}_*.txt")
        return path.read_text("utf-8")
    return read


@pytest.fixture(scope="session")
def libreoffice() -> str:
    try:
        return soffice()
    except LibreOfficeMissing as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs LibreOffice: {error}")
        pytest.skip(str(error))


@pytest.fixture
def recalc(libreoffice: str, tmp_path: Path) -> Callable[..., list[Path]]:
    """Recalculate workbooks in LibreOffice; returns the recalculated copies."""
    def run(*paths: Path) -> list[Path]:
        return recalculate(paths, tmp_path / "recalculated")
    return run


@pytest.fixture(scope="session")
def recalc_once(libreoffice: str) -> Callable[[Path, Path], list[Path]]:
    """Session-wide recalculation for tests (such as Hypothesis ones) that make their own folders."""
    def run(path: Path, out_dir: Path) -> list[Path]:
        return recalculate([path], out_dir)
    return run


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    """The sample commune workbooks (and the expected-communes list) in a fresh folder."""
    folder = tmp_path_factory.mktemp("xa")
    write_samples(folder)
    return folder
