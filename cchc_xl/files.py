"""Writing outputs safely: all or nothing, and never over an input."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable


class OutputError(OSError):
    """The output cannot be written where asked; the message is for the user, in Vietnamese."""


def backup_path(path: Path) -> Path:
    """Where `atomic_write(..., keep_backup=True)` keeps the previous output."""
    return path.with_name(f"{path.stem}.bak{path.suffix}")


def atomic_write(path: Path, write: Callable[[Path], None], keep_backup: bool = False) -> Path:
    """Let `write` fill a temporary file beside `path`, then move it into place in one step.

    A crash or an error leaves either the old file or the complete new one, never half a file.
    With `keep_backup`, an existing output is first copied to ``<name>.bak<suffix>``.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"Không ghi được '{path}': đây là một thư mục, hãy chọn tên tệp.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"Không ghi được '{path}': thư mục '{folder}' không tồn tại.")
    temp: Path | None = None
    try:
        handle, temp_name = tempfile.mkstemp(prefix=".~cchc-", suffix=path.suffix, dir=folder)
        os.close(handle)
        temp = Path(temp_name)
        write(temp)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private; outputs are ordinary files
        if keep_backup and path.exists():
            shutil.copy2(path, backup_path(path))
        os.replace(temp, path)
    except PermissionError as error:
        raise OutputError(f"Không ghi được '{path}': không có quyền ghi hoặc tệp đang mở ({error.strerror}).") from error
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
