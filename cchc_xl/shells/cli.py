"""`cchc-xl`: the command line, a thin shell over the package's functions.

Exit codes follow the checks: 0 clean, 1 flags found, 2 a file could not be read or written.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

import typer
from rich.console import Console
from rich.markup import escape

from cchc_xl.common.collector import spare_shutdown
from cchc_xl.forms.catalog import DEFAULT_FORM, available_forms
from cchc_xl.forms.periods import Period, PeriodError
from cchc_xl.shells.control_layout import WORKBOOK_NAME

if TYPE_CHECKING:
    from rich.progress import Progress

    from cchc_xl.common.problems import Problem
    from cchc_xl.cycle.complete import CycleOptions
    from cchc_xl.cycle.run import ConsolidationResult
    from cchc_xl.cycle.status import StatusReport
    from cchc_xl.district.crosscheck import CrossCheck
    from cchc_xl.district.review import Review
    from cchc_xl.forms.catalog import Form

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Phụ lục thống kê CCHC: tạo mẫu, kiểm tra và tổng hợp số liệu các xã.")
#: Colour comes only from the markup the messages carry: rich's automatic highlighting would
#: colour numbers and dates at random inside Vietnamese sentences, and it costs two thirds of
#: printing a province's summary (400 lines: 27 ms highlighted, 9 ms without).
console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError as error:
        raise typer.BadParameter(str(error)) from error


def _fail(message: str) -> typer.Exit:
    errors.print(f"[red]Lỗi:[/red] {escape(message)}")
    return typer.Exit(2)


_FORM_CHOICE = (f"Biểu mẫu: một biểu có sẵn ({', '.join(available_forms())}) hoặc đường dẫn tới tệp biểu mẫu "
                ".toml của tỉnh (xem README).")


@app.command()
def catalog(form: str = typer.Option(DEFAULT_FORM, help=_FORM_CHOICE),
            as_json: bool = typer.Option(False, "--json", help="In dạng JSON."),
            period: str = typer.Option("2023", help="Kỳ dùng cho quy tắc ngày tháng.")) -> None:
    """In danh mục chỉ tiêu và quy tắc kiểm tra của một biểu mẫu."""
    _print_form(form, as_json, period, with_rules=False)


def _print_form(form: str, as_json: bool, period: str, with_rules: bool) -> None:
    """The form's rows as a table (and, `with_rules`, each rule), or all of it as JSON."""
    from rich.table import Table

    from cchc_xl.forms.rules import build_rules
    spec = _chosen_form(form)
    rules = build_rules(spec, _period(period))
    if as_json:
        payload = {
            "form": {"id": spec.id, "title": spec.title, "version": spec.version, "maps_onto": spec.maps_onto},
            "rows": [_row_dict(r) for r in spec.rows],
            "rules": [{"id": r.id, "kind": r.kind, "code": r.anchor, "description": r.description} for r in rules],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{spec.title} ({spec.id}, phiên bản {spec.version})")
    for title in ("Mã", "Chỉ tiêu", "Đơn vị", "Loại", "Tổng hợp", "Bắt buộc"):
        table.add_column(title)
    for r in spec.rows:
        required = "" if not r.is_value else ("khi " + r.required_if + " > 0" if r.required_if else ("có" if r.required else ""))
        table.add_row(r.code, r.label, r.unit, r.kind, r.agg if r.is_value else "", required)
    console.print(table)
    if not with_rules:
        console.print(f"{len(rules)} quy tắc kiểm tra (xem --json, hoặc cchc-xl form check).")
        return
    listing = Table(title=f"{len(rules)} quy tắc kiểm tra")
    for title in ("Quy tắc", "Mã", "Nội dung"):
        listing.add_column(title)
    for rule in rules:
        listing.add_row(rule.id, rule.anchor, escape(rule.description))
    console.print(listing)


def _chosen_form(spec: str) -> Form:
    """`forms.form_files.choose_form`, its Vietnamese error shown as the command's error."""
    from cchc_xl.forms.catalog import CatalogError
    from cchc_xl.forms.form_files import choose_form
    try:
        return choose_form(spec)
    except CatalogError as error:
        raise _fail(str(error)) from error


form_app = typer.Typer(no_args_is_help=True, help="Biểu mẫu của tỉnh: tệp .toml mô tả chỉ tiêu và quy tắc.")
app.add_typer(form_app, name="form")


@form_app.command("check")
def form_check(form: str = typer.Argument(..., help="Tệp biểu mẫu .toml (hoặc mã biểu có sẵn)."),
               as_json: bool = typer.Option(False, "--json", help="In dạng JSON."),
               period: str = typer.Option("2023", help="Kỳ dùng cho quy tắc ngày tháng.")) -> None:
    """Kiểm tra một tệp biểu mẫu và in các chỉ tiêu cùng mọi quy tắc kiểm tra của nó."""
    _print_form(form, as_json, period, with_rules=True)


@form_app.command("infer")
def form_infer(appendix: Path = typer.Argument(..., help="Tệp có bảng phụ lục (.xlsx, .xls, .ods, .docx), trống hay đã điền."),
               output: Path = typer.Option(..., "-o", "--output", help="Tệp biểu mẫu .toml cần tạo."),
               form_id: Optional[str] = typer.Option(None, "--id", help="Mã biểu (chữ thường, số, _); mặc định theo tên tệp -o."),
               level: str = typer.Option("xã", help="Cấp điền biểu: xã, huyện hoặc tỉnh.")) -> None:
    """Suy ra tệp biểu mẫu từ bảng phụ lục tỉnh đang dùng; các điều đoán được ghi chú '# suy luận'."""
    from cchc_xl.common.files import OutputError, atomic_write
    from cchc_xl.common.problems import ReadError
    from cchc_xl.forms.catalog import CatalogError
    from cchc_xl.read.form_infer import form_id_for, infer_form
    try:
        inferred = infer_form(appendix, form_id or form_id_for(output), level)
        atomic_write(output, lambda tmp: tmp.write_text(inferred.text, "utf-8"), keep_backup=True)
    except (ReadError, CatalogError, OutputError, OSError) as error:
        raise _fail(str(error)) from error
    for remark in inferred.remarks:
        console.print(escape(remark))
    console.print(f"Đã tạo [bold]{escape(str(output))}[/bold]: {inferred.rows} dòng, {inferred.rules} quy tắc, "
                  f"{inferred.guesses} điều suy luận cần xem lại (các dòng '# suy luận'). "
                  f"Kiểm tra: cchc-xl form check {escape(str(output))}")


@form_app.command("diff")
def form_diff(old: str = typer.Argument(..., help="Biểu cũ: tệp .toml hoặc mã biểu có sẵn."),
              new: str = typer.Argument(..., help="Biểu mới: tệp .toml hoặc mã biểu có sẵn."),
              output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                    help="Ghi biểu cũ kèm maps_to đề xuất vào tệp .toml này."),
              as_json: bool = typer.Option(False, "--json", help="In dạng JSON.")) -> None:
    """Đề xuất mỗi dòng của biểu cũ ứng với dòng nào của biểu mới (theo mã và tên chỉ tiêu)."""
    from cchc_xl.common.files import OutputError, atomic_write
    from cchc_xl.forms.catalog import CatalogError
    from cchc_xl.read.form_diff import mapped_form_text, propose_mapping
    old_form, new_form = _chosen_form(old), _chosen_form(new)
    matches = propose_mapping(old_form, new_form)
    if output is not None:
        if Path(old).exists() and output.resolve() == Path(old).resolve():
            raise _fail(f"Không ghi đè biểu cũ '{old}': chọn tên tệp khác cho -o.")
        try:
            text = mapped_form_text(old_form, new_form, matches)
            atomic_write(output, lambda tmp: tmp.write_text(text, "utf-8"), keep_backup=True)
        except (CatalogError, OutputError, OSError) as error:
            raise _fail(str(error)) from error
    if as_json:
        print(json.dumps([_match_dict(m) for m in matches], ensure_ascii=False, indent=2))
    else:
        _print_matches(matches, old_form, new_form)
    if output is not None:
        errors.print(f"Đã ghi {escape(str(output))}: biểu {old_form.id} với maps_onto = \"{new_form.id}\"; "
                     "xem lại các dòng '# ghép:' rồi chạy cchc-xl form check.")


def _match_dict(match) -> dict:
    return {"old": match.old.code, "old_label": match.old.label, "new": match.new.code if match.new else None,
            "new_label": match.new.label if match.new else None, "how": match.how, "score": round(match.score, 1)}


def _print_matches(matches, old: Form, new: Form) -> None:
    """The rows to review as a table (a row whose code and label both agree is not shown), then
    how many of each kind of match, and the new rows no old row maps to."""
    from collections import Counter

    from rich.table import Table

    from cchc_xl.read.form_diff import HOW
    table = Table(title=f"Biểu {old.id} → biểu {new.id}: các dòng cần xem lại")
    for title in ("Mã cũ", "Chỉ tiêu cũ", "Mã mới", "Chỉ tiêu mới", "Cách ghép"):
        table.add_column(title)
    for m in (m for m in matches if not m.sure):
        table.add_row(m.old.code, m.old.label, m.new.code if m.new else "—", m.new.label if m.new else "", HOW[m.how])
    console.print(table)
    counts = Counter(m.how for m in matches)
    console.print("; ".join(f"{counts[how]} dòng {said}" for how, said in HOW.items() if counts[how]) + ".")
    reached = {m.new.code for m in matches if m.new}
    fresh = [r.code for r in new.rows if r.code not in reached]
    if fresh:
        console.print(f"Dòng chỉ có ở biểu mới ({len(fresh)}): {', '.join(fresh)}.")


def _row_dict(row) -> dict:
    fields = ("code", "parent", "label", "unit", "kind", "agg", "weight", "over_time", "required", "required_if",
              "maps_to", "from_communes")
    data = {f: getattr(row, f) for f in fields}
    data["choices"] = {str(k): v for k, v in row.choices.items()}
    return data


@app.command()
def template(unit: Optional[str] = typer.Option(None, help='Tên đơn vị, ví dụ "Xã Hoằng Lưu".'),
             period: str = typer.Option(..., help="Kỳ báo cáo: 2023-Q1…Q4, 2023-6T, 2023-9T, 2023."),
             output: Optional[Path] = typer.Option(None, "-o", "--output", help="Tệp .xlsx cần tạo."),
             units_file: Optional[Path] = typer.Option(None, help="Tệp văn bản, mỗi dòng một đơn vị."),
             out_dir: Optional[Path] = typer.Option(None, help="Thư mục chứa các mẫu (khi dùng --units-file)."),
             form: str = typer.Option(DEFAULT_FORM, help=_FORM_CHOICE)) -> None:
    """Tạo mẫu phụ lục cho một xã, hoặc cho mọi xã trong --units-file."""
    from cchc_xl.common.files import OutputError
    from cchc_xl.commune.template import save_template
    from cchc_xl.forms.catalog import CatalogError
    from cchc_xl.read.units import UnitListError
    when = _period(period)
    spec = _chosen_form(form)
    try:
        jobs = _template_jobs(unit, output, units_file, out_dir, when)
        for name, target in jobs:
            save_template(target, name, when, spec)
            console.print(f"Đã tạo [bold]{escape(str(target))}[/bold] ({escape(name)}, {when.label})")
    except (CatalogError, OutputError, OSError, UnitListError) as error:
        raise _fail(str(error)) from error


def _template_jobs(unit, output, units_file, out_dir, when: Period) -> list[tuple[str, Path]]:
    from cchc_xl.read.units import read_unit_names, template_file_name
    if units_file is not None:
        folder = out_dir or Path(".")
        folder.mkdir(parents=True, exist_ok=True)
        return [(name, folder / template_file_name(name, when)) for name in read_unit_names(units_file)]
    if unit is None:
        raise typer.BadParameter("Cần --unit hoặc --units-file.")
    return [(unit, output or Path(template_file_name(unit, when)))]


@app.command("build-workbook")
def build_workbook(output: Path = typer.Option(Path("workbooks") / WORKBOOK_NAME, "-o", "--output",
                                               help="Tệp .xlsm cần tạo (tệp .py cùng tên được tạo bên cạnh).")) -> None:
    """Tạo bảng điều khiển Excel có nút bấm (xlwings) làm mọi việc: tổng hợp, cộng dồn, tạo mẫu, kiểm tra, xem xã chưa nộp, in PDF."""
    from cchc_xl.common.files import OutputError
    from cchc_xl.shells.control import BuildError, build_control_workbook
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        workbook, module = build_control_workbook(output)
    except (BuildError, OutputError, OSError) as error:
        raise _fail(str(error)) from error
    console.print(f"Đã tạo [bold]{escape(str(workbook))}[/bold] và [bold]{escape(str(module))}[/bold] "
                  "(để hai tệp cùng thư mục).")


@app.command()
def check(paths: list[Path] = typer.Argument(..., help="Các tệp phụ lục đã nhập số liệu, hoặc thư mục chứa các tệp đó."),
          as_json: bool = typer.Option(False, "--json", help="In dạng JSON."),
          period: Optional[str] = typer.Option(None, help="Kỳ báo cáo, nếu tệp không ghi.")) -> None:
    """Kiểm tra số liệu bằng đúng các quy tắc của cột Kiểm tra trong Excel."""
    from cchc_xl.district.review import review_files
    from cchc_xl.read.inputs import ACCEPTED, expand
    files, skipped = expand(paths)
    if not files:
        raise _fail(f"Không tìm thấy tệp Excel hay báo cáo Word ({ACCEPTED}) nào để kiểm tra.")
    reviews = review_files(files, _period(period) if period else None)
    if as_json:
        items = [{**f.as_dict(), "unit": r.unit} for r in reviews for f in r.findings]
        items += [_problem_item(p, "unreadable" if r.unreadable else "problem", r.unit) for r in reviews for p in r.problems]
        items += [_problem_item(p, "skipped", None) for p in skipped]
        print(json.dumps(items, ensure_ascii=False, indent=2))
    else:
        _print_reviews(reviews, skipped)
    raise typer.Exit(_exit_code(reviews, skipped))


def _problem_item(problem: Problem, severity: str, unit: str | None) -> dict[str, object]:
    return {"file": problem.file, "code": problem.code, "rule": problem.kind, "message": problem.message,
            "cell": problem.cell, "severity": severity, "unit": unit}


def _print_reviews(reviews: list[Review], skipped: list[Problem]) -> None:
    """What was skipped and each file's problems on stderr, every flag in one table and the files
    without any on one line: a table per file made a province's thousand files print in 0.37 s,
    one table in 0.16 s."""
    from rich.table import Table
    problems = [f"[red]{escape(p.file)}[/red] {p.cell or ''} {escape(p.message)}"
                for p in [*skipped, *(p for r in reviews for p in r.problems)]]
    if problems:
        errors.print("\n".join(problems))
    flagged = [review for review in reviews if review.findings]
    if flagged:
        several = len(flagged) > 1
        count = sum(len(review.findings) for review in flagged)
        table = Table(title=f"{count} cảnh báo ở {len(flagged)} tệp/đơn vị" if several
                      else f"{escape(_reviewed(flagged[0]))}: {count} cảnh báo")
        for title in ("Tệp (đơn vị)",) * several + ("Ô", "Mã", "Quy tắc", "Nội dung"):
            table.add_column(title, overflow="fold")  # a file name or rule id is never cut short
        for review in flagged:
            named = (escape(_reviewed(review)),) * several
            for f in review.findings:
                table.add_row(*named, f.cell or "", f.code, f.rule, escape(f.message))
        console.print(table)
    clean = [_reviewed(review) for review in reviews if not review.findings and not review.unreadable]
    if clean:
        console.print(f"[green]{escape(', '.join(clean))}: không có cảnh báo.[/green]")


def _reviewed(review: Review) -> str:
    """The file reviewed and its unit: the commune of its appendix, or of a district workbook's column."""
    return f"{review.file} ({review.unit})" if review.unit else review.file


def _exit_code(reviews: list[Review], skipped: list[Problem]) -> int:
    """As `consolidate`'s: 2 when a file could not be read, 1 when anything needs a look."""
    if any(r.unreadable for r in reviews):
        return 2
    return 1 if skipped or any(r.findings or r.problems for r in reviews) else 0


#: Fewer files than this are read without a progress bar.
PROGRESS_FROM = 10


class _ProgressBar:
    """A progress bar on stderr, started only once a run turns out to have many files, and
    only on a terminal: into a log or a pipe (a batch script, the benchmark) rich would draw
    nothing but still run its refresh thread, so there the bar's module is not even loaded."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.task = None

    def __enter__(self) -> "_ProgressBar":
        return self

    def __exit__(self, *_: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def update(self, done: int, total: int, name: str) -> None:
        if total < PROGRESS_FROM or not errors.is_terminal:
            return
        if self.progress is None:
            from rich.progress import Progress
            self.progress = Progress(console=errors, transient=True)
            self.progress.start()
            self.task = self.progress.add_task("Đang đọc", total=total)
        self.progress.update(self.task, completed=done, description=f"Đang đọc {name}")


def _consolidate(inputs: list[Path], output: Path, unit: str, when: Period, expect: Optional[Path],
                 options: CycleOptions | None = None, run: Callable[..., ConsolidationResult] | None = None
                 ) -> ConsolidationResult:
    from cchc_xl.common.files import OutputError
    from cchc_xl.cycle.complete import CycleOptions
    from cchc_xl.forms.catalog import CatalogError
    from cchc_xl.forms.config import ConfigError
    from cchc_xl.read.inputs import InputError
    if run is None:
        from cchc_xl.cycle.run import consolidate_files as run
    try:
        with _ProgressBar() as bar:
            result = run(inputs, output, unit, when, expect, bar.update, options=options or CycleOptions())
    except (InputError, OutputError, ConfigError, CatalogError) as error:
        raise _fail(str(error)) from error
    _print_summary(result)
    return result


#: Summary lines about files that did not count as sent, shown in red.
_RED_LINES = ("Không đọc", "Nộp trùng", "Chưa nộp", "Trễ hạn", "Thiếu quý")


def _print_summary(result: ConsolidationResult) -> None:
    """The summary in one print: a province's line per flagged commune costs one rendering."""
    first, *rest = result.summary_lines()
    lines = [f"[bold]{escape(first)}[/bold]"]
    lines += [f"[red]{escape(line)}[/red]" if line.startswith(_RED_LINES) else escape(line) for line in rest]
    console.print("\n".join(lines))


_FORM_HELP = ("Biểu của huyện (ví dụ huyen_2023, hoặc tệp biểu mẫu .toml): thêm sheet biểu huyện, dòng cộng từ các xã là công thức "
              "theo sheet Tổng hợp, dòng huyện tự nhập có kiểm tra.")
_OWN_HELP = "Tệp số liệu riêng của huyện theo biểu --form (biểu đã nhập, hoặc bảng tổng hợp đã nhập lần trước)."
_PREVIOUS_HELP = ("Bảng tổng hợp hoặc phụ lục của xã kỳ trước (tệp hoặc thư mục; dùng nhiều lần để thêm các kỳ "
                  "trước nữa): thêm sheet So sánh kỳ trước.")
_CONFIG_HELP = "Tệp cấu hình thay cho cycle.toml: bảng \\[deadlines] (hạn nộp), \\[trends] (ngưỡng so sánh)."
_EARLIER_HELP = ("Biểu cũ đã ghép mã sang biểu đang dùng (tệp do cchc-xl form diff -o ghi): tệp theo biểu cũ, "
                 "của kỳ này hay kỳ trước, được cộng và so sánh theo mã mới; dùng nhiều lần nếu có nhiều biểu cũ.")


def _options(form: Optional[str], own: Optional[Path], previous: Optional[list[Path]],
             config: Optional[Path], earlier: Optional[list[Path]]) -> CycleOptions:
    from cchc_xl.cycle.complete import CycleOptions
    if own is not None and form is None:
        raise typer.BadParameter("--own cần --form (biểu của huyện).")
    chosen = _chosen_form(form).id if form is not None else None  # a file's form, registered by its id
    return CycleOptions(form=chosen, own=own, previous=tuple(previous or ()), config=config,
                        earlier=tuple(earlier or ()))


@app.command("consolidate")
def consolidate_command(
        inputs: list[Path] = typer.Argument(..., help="Các tệp phụ lục của xã, hoặc thư mục chứa chúng."),
        output: Path = typer.Option(..., "-o", "--output", help="Tệp tổng hợp .xlsx cần tạo."),
        unit: str = typer.Option(..., help='Đơn vị tổng hợp, ví dụ "Huyện Hoằng Hóa".'),
        period: str = typer.Option(..., help="Kỳ báo cáo: 2023-Q1…Q4, 2023-6T, 2023-9T, 2023."),
        expect: Optional[Path] = typer.Option(None, help="Danh sách xã phải nộp, mỗi dòng một xã; xã sáp nhập ghi «Xã Mới = Xã Cũ A, Xã Cũ B»."),
        form: Optional[str] = typer.Option(None, help=_FORM_HELP),
        own: Optional[Path] = typer.Option(None, help=_OWN_HELP),
        previous: Optional[list[Path]] = typer.Option(None, help=_PREVIOUS_HELP),
        config: Optional[Path] = typer.Option(None, help=_CONFIG_HELP),
        earlier_form: Optional[list[Path]] = typer.Option(None, help=_EARLIER_HELP)) -> None:
    """Tổng hợp phụ lục của các xã thành bảng của huyện, với tổng và kiểm tra bằng công thức sống."""
    result = _consolidate(inputs, output, unit, _period(period), expect, _options(form, own, previous, config, earlier_form))
    raise typer.Exit(result.exit_code)


@app.command("rollup")
def rollup_command(
        inputs: list[Path] = typer.Argument(..., help="Các phụ lục theo quý của các xã (tệp hoặc thư mục)."),
        output: Path = typer.Option(..., "-o", "--output", help="Tệp tổng hợp lũy kế .xlsx cần tạo."),
        unit: str = typer.Option(..., help='Đơn vị tổng hợp, ví dụ "Huyện Hoằng Hóa".'),
        period: str = typer.Option(..., help="Kỳ lũy kế: 2023-6T, 2023-9T hoặc 2023 (cả năm)."),
        expect: Optional[Path] = typer.Option(None, help="Danh sách xã phải nộp, mỗi dòng một xã; xã sáp nhập ghi «Xã Mới = Xã Cũ A, Xã Cũ B»."),
        form: Optional[str] = typer.Option(None, help=_FORM_HELP),
        own: Optional[Path] = typer.Option(None, help=_OWN_HELP),
        previous: Optional[list[Path]] = typer.Option(None, help=_PREVIOUS_HELP),
        config: Optional[Path] = typer.Option(None, help=_CONFIG_HELP),
        earlier_form: Optional[list[Path]] = typer.Option(None, help=_EARLIER_HELP)) -> None:
    """Cộng dồn phụ lục các quý của từng xã thành số liệu 6 tháng, 9 tháng hoặc cả năm (thiếu quý thì để trống)."""
    from cchc_xl.cycle.cumulative import rollup_files
    when = _period(period)
    if when.is_quarter:
        raise typer.BadParameter("rollup cộng dồn các quý: dùng 2023-6T, 2023-9T hoặc 2023; một quý thì dùng "
                                 "consolidate.", param_hint="--period")
    result = _consolidate(inputs, output, unit, when, expect, _options(form, own, previous, config, earlier_form), rollup_files)
    raise typer.Exit(result.exit_code)


@app.command()
def crosscheck(report: Path = typer.Argument(..., help="Báo cáo CCHC (.docx) của đơn vị."),
               appendix: Optional[Path] = typer.Argument(
                   None, help="Phụ lục số liệu (.xlsx, .xls, .ods) của báo cáo; bỏ trống: bảng phụ lục trong tệp Word."),
               as_json: bool = typer.Option(False, "--json", help="In dạng JSON.")) -> None:
    """Đối chiếu số liệu nêu trong lời văn báo cáo với bảng phụ lục."""
    from cchc_xl.common.problems import ReadError
    from cchc_xl.district.crosscheck import crosscheck_files
    try:
        result = crosscheck_files(report, appendix)
    except ReadError as error:
        raise _fail(str(error)) from error
    if as_json:
        print(json.dumps([f.as_dict() for f in result.findings], ensure_ascii=False, indent=2))
    else:
        _print_crosscheck(result)
    raise typer.Exit(1 if result.findings else 0)


def _print_crosscheck(result: CrossCheck) -> None:
    linked = len(result.mentions)
    console.print(f"[bold]{escape(result.file)}[/bold]: {linked + len(result.unlinked)} số liệu trong lời văn, "
                  f"{linked} đối chiếu được với phụ lục, {len(result.findings)} không khớp.")
    for finding in result.findings:
        console.print(f"[yellow]{escape(finding.rule)}[/yellow] {escape(finding.message)}")
    if not result.findings:
        console.print("[green]Lời văn báo cáo khớp với phụ lục ở mọi số liệu đối chiếu được.[/green]")


@app.command()
def samples(out: Path = typer.Option(Path("workbooks/samples"), "--out", help="Thư mục ghi phụ lục mẫu.")) -> None:
    """Ghi phụ lục mẫu của các xã (số liệu thật của Hoằng Lưu và các xã giả lập có lỗi)."""
    from cchc_xl.commune.samples import write_samples
    for path in write_samples(out):
        console.print(f"Đã tạo {escape(str(path))}")


@app.command()
def pdf(workbook: Path = typer.Argument(..., help="Bảng tổng hợp .xlsx do cchc-xl consolidate tạo."),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="Tệp PDF; mặc định cùng tên, đuôi .pdf.")) -> None:
    """In báo cáo gửi cấp trên ra PDF (biểu của huyện và sheet Tổng hợp, khổ A4) bằng LibreOffice."""
    from cchc_xl.common.files import OutputError
    from cchc_xl.common.libreoffice import LibreOfficeMissing
    from cchc_xl.common.problems import ReadError
    from cchc_xl.district.printing import write_pdf
    try:
        written = write_pdf(workbook, output)
    except (ReadError, OutputError, LibreOfficeMissing, OSError) as error:
        raise _fail(str(error)) from error
    console.print(f"Đã in báo cáo ra [bold]{escape(str(written))}[/bold]")


@app.command()
def demo(out: Path = typer.Option(Path("cchc-demo"), "--out", help="Thư mục tạo bản chạy thử.")) -> None:
    """Chạy thử: tạo phụ lục mẫu của các xã rồi tổng hợp thành bảng của huyện (kèm biểu của huyện)."""
    from cchc_xl.commune.samples import (
        DEMO_FORM,
        DEMO_PERIOD,
        DEMO_UNIT,
        EXPECTED_FILE,
        write_samples,
    )
    from cchc_xl.cycle.complete import CycleOptions
    folder = out / "xa"
    written = write_samples(folder)
    console.print(f"Đã tạo {len(written)} phụ lục mẫu của các xã trong {escape(str(folder))}")
    result = _consolidate([folder], out / f"tong_hop_{DEMO_PERIOD.key}.xlsx", DEMO_UNIT, DEMO_PERIOD,
                          folder / EXPECTED_FILE, CycleOptions(form=DEMO_FORM))
    console.print(f"Mở bảng tổng hợp: [bold]{escape(str(result.output.resolve()))}[/bold]")


@app.command()
def status(folder: Path = typer.Argument(..., help="Thư mục chứa các tệp .xlsx các đơn vị đã gửi."),
           period: str = typer.Option(..., help="Kỳ báo cáo: 2023-Q1…Q4, 2023-6T, 2023-9T, 2023."),
           expect: Path = typer.Option(..., help="Tệp văn bản, mỗi dòng một đơn vị phải nộp; xã sáp nhập ghi «Xã Mới = Xã Cũ A, Xã Cũ B»."),
           as_json: bool = typer.Option(False, "--json", help="In dạng JSON."),
           config: Optional[Path] = typer.Option(None, help="Tệp cấu hình có bảng \\[deadlines].")) -> None:
    """Đơn vị nào đã nộp, chưa nộp, nộp trễ hạn (mã thoát 0 đủ và đúng hạn, 1 thiếu/trễ, 2 tệp lỗi)."""
    from cchc_xl.cycle.status import collect_status
    from cchc_xl.forms.config import ConfigError
    from cchc_xl.forms.periods import Deadlines
    from cchc_xl.read.inputs import InputError, read_expected
    when = _period(period)
    if not folder.is_dir():
        raise _fail(f"Không tìm thấy thư mục '{folder}'.")
    try:
        expected = read_expected(expect)
        report = collect_status(folder, when, expected, Deadlines.load(config))
    except (ConfigError, InputError) as error:
        raise _fail(str(error)) from error
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_status(report)
    raise typer.Exit(report.exit_code)


def _print_status(report: StatusReport) -> None:
    from rich.table import Table

    from cchc_xl.cycle.status import STATES
    table = Table(title=f"{report.period.label}: hạn nộp trước {report.due_before:%d/%m/%Y}")
    for title in ("Đơn vị", "Tình trạng", "Ngày gửi", "Nguồn ngày", "Tệp"):
        table.add_column(title)
    colours = {"on_time": "green", "late": "yellow", "missing": "red"}
    for unit in report.units:
        shown = f"[{colours[unit.state]}]{STATES[unit.state]}[/{colours[unit.state]}]"
        date = f"{unit.date:%d/%m/%Y}" if unit.date else ""
        source = {"workbook": "ngày nhập trong tệp", "file": "ngày sửa tệp"}.get(unit.date_source or "", "")
        table.add_row(escape(unit.unit), shown, date, source, escape(", ".join(unit.files)))
    console.print(table)
    counts = {state: sum(u.state == state for u in report.units) for state in STATES}
    console.print(f"Đã nộp {counts['on_time'] + counts['late']}/{len(report.units)} "
                  f"(đúng hạn {counts['on_time']}, trễ hạn {counts['late']}), chưa nộp {counts['missing']}.")
    for sent in report.unexpected:
        errors.print(f"[yellow]{escape(sent.file)}[/yellow]: đơn vị '{escape(sent.unit or '?')}' không có trong danh sách.")
    for sent in report.other_period:
        errors.print(f"[yellow]{escape(sent.file)}[/yellow]: kỳ {sent.period}, không phải {report.period.key}.")
    for problem in report.unreadable:
        errors.print(f"[red]{escape(problem['file'])}[/red]: {escape(problem['message'])}")


def main() -> None:
    """The `cchc-xl` entry point (the Excel buttons call the package's functions, not this)."""
    try:
        app()
    finally:
        spare_shutdown()
