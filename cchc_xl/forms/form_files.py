"""Forms as staff's files: read, checked and registered, chosen by id or by path, and carried
inside the workbooks made from them.

Wherever a form is chosen (`template --form`, `catalog`, `form check`, the district form of
`consolidate`), `choose_form` takes a shipped form's id or the path to a form file. A template
made from a file carries the file's text on its hidden `_cchc_form` sheet (`FORM_SHEET`), so the
filled copies are checked and consolidated with no option and no copy of the file: the reader
finds the text there and registers it (`form_from_text`) as this module registers a file.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from cchc_xl.common.problems import os_reason
from cchc_xl.forms.catalog import (
    CatalogError,
    Form,
    available_forms,
    form_text,
    load_form,
    parse_form,
    register_form,
)
from cchc_xl.forms.form_text import FormText

FORM_SUFFIX = ".toml"


def choose_form(spec: str) -> Form:
    """A shipped (or already registered) form by its id, else the form file at path `spec`."""
    if spec in available_forms() or form_text(spec) is not None:
        return load_form(spec)
    path = Path(spec)
    if path.suffix.lower() == FORM_SUFFIX or path.exists():
        return read_form_file(path)
    return load_form(spec)  # says which forms there are


def read_form_file(path: Path) -> Form:
    """The form in a file, checked and registered; every problem is a Vietnamese `CatalogError`."""
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise CatalogError(f"Không có tệp biểu mẫu '{path}'.") from None
    except UnicodeDecodeError:
        raise CatalogError(f"Tệp biểu mẫu '{path.name}' không phải văn bản UTF-8: lưu lại bằng Notepad, "
                           "chọn mã hóa UTF-8.") from None
    except OSError as error:
        raise CatalogError(f"Không đọc được tệp biểu mẫu '{path}': {os_reason(error)}.") from None
    return form_from_text(text, f"Tệp biểu mẫu '{path.name}'")


@cache
def parse_form_text(text: str, origin: str) -> Form:
    """The form a text declares, checked but not registered (`form infer` proves what it
    writes so). Each text is parsed once a process: a thousand filled copies carry the same form."""
    where = FormText(origin, text, user=True)
    return parse_form(where.load(), where)


def form_from_text(text: str, origin: str) -> Form:
    """The form a text declares, checked and registered under its id. Line ends and blank
    lines at either end are made uniform first: a workbook carrying the text gives it back so,
    and the same form must be recognised as the same."""
    text = "\n".join(text.splitlines()).strip("\n")
    return register_form(parse_form_text(text, origin), text)


def text_lines(form: Form) -> list[str] | None:
    """The lines a workbook made from `form` carries on its `FORM_SHEET`; None for a shipped form."""
    text = form_text(form.id)
    return None if text is None else text.split("\n")
