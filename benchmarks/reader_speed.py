"""How long `read_submission` takes per file (a quick measurement, not a test).

    python benchmarks/reader_speed.py --n 1000

Writes N filled templates (the Hoằng Lưu sample with seeded random counts) and N/10 copies of
each non-template sample (Word paste, 2022 layout) to a temporary folder, then prints ms per file
for the reader and for the read floor (python-calamine reading the same sheet).
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from cchc_xl.commune.samples import fill_template, load_sample
from cchc_xl.commune.variants import layout_2022_workbook, word_paste_workbook
from cchc_xl.read.reader import read_submission


def make_templates(folder: Path, n: int) -> list[Path]:
    sample = load_sample("hoang_luu_2023_q2")
    rng = random.Random(6)
    paths = []
    for i in range(n):
        values = {c: (rng.randint(0, 500) if isinstance(v, int) else v) for c, v in sample.values.items()}
        path = folder / f"xa_{i:04d}.xlsx"
        fill_template(f"Xã Số {i}", sample.period, values, sample.notes).save(path)
        paths.append(path)
    return paths


def make_copies(folder: Path, n: int, name: str, build) -> list[Path]:
    workbook = build()
    paths = [folder / f"{name}_{i:03d}.xlsx" for i in range(n)]
    for path in paths:
        workbook.save(path)
    return paths


def per_file_ms(paths: list[Path], read) -> float:
    start = time.perf_counter()
    for path in paths:
        read(path)
    return (time.perf_counter() - start) / len(paths) * 1000


def floor(path: Path) -> None:
    book = CalamineWorkbook.from_path(str(path))
    book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        groups = {
            "template": make_templates(folder, args.n),
            "word paste": make_copies(folder, max(1, args.n // 10), "word", word_paste_workbook),
            "2022 layout": make_copies(folder, max(1, args.n // 10), "old", layout_2022_workbook),
        }
        read_submission(groups["template"][0])  # warm the caches (catalogs, label keys)
        print(f"{'files':<12} {'n':>5} {'reader ms/file':>15} {'calamine floor':>15}")
        for name, paths in groups.items():
            print(f"{name:<12} {len(paths):>5} {per_file_ms(paths, read_submission):>15.2f} "
                  f"{per_file_ms(paths, floor):>15.2f}")


if __name__ == "__main__":
    main()
