"""Recalculate workbooks with LibreOffice headless (the real spreadsheet engine on Linux), and
print them to PDF with it.

openpyxl stores formulas without results; converting a workbook through LibreOffice computes
every formula and stores the results, which `openpyxl.load_workbook(data_only=True)` then reads.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable


class LibreOfficeMissing(RuntimeError):
    pass


def soffice() -> str:
    """Path of the soffice binary, or an error saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise LibreOfficeMissing("LibreOffice không có trên máy: apt-get install -y libreoffice-calc-nogui")
    return found


def recalculate(paths: Iterable[Path], out_dir: Path, timeout: float = 300) -> list[Path]:
    """Recalculated copies of `paths` in `out_dir` (same names), in one LibreOffice run."""
    return convert(paths, out_dir, "xlsx:Calc MS Excel 2007 XML", ".xlsx", timeout)


def convert(paths: Iterable[Path], out_dir: Path, target: str, suffix: str, timeout: float = 300) -> list[Path]:
    """`paths` converted by LibreOffice to `target` (an output filter, "pdf:calc_pdf_Export")
    in `out_dir`, named as the sources with `suffix`, in one run.

    A private user profile per call lets several runs proceed side by side; the C locale keeps
    number-to-text conversions ("47.37") independent of the machine's language.
    """
    sources = [Path(p).resolve() for p in paths]
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cchc-lo-") as profile:
        command = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
                   "--convert-to", target, "--outdir", str(out_dir), *map(str, sources)]
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        subprocess.run(command, check=True, capture_output=True, timeout=timeout, env=env)
    results = [out_dir / (p.stem + suffix) for p in sources]
    missing = [str(p) for p in results if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not produce: {', '.join(missing)}")
    return results
