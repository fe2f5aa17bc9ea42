"""Writing outputs safely: all or nothing, and never over an input.

Where the output cannot be written the user gets a Vietnamese `OutputError` naming the file
and nothing is half written: a folder given as the output, a missing folder, a file marked
read-only (refused on every system: Linux would let a rename replace it, Windows would not),
a folder without write permission, a file held open by Excel (Windows refuses to replace it:
PermissionError, WinError 32), a full disk or a name too long.
"""
from __future__ import annotations

import errno
import os
import shutil
import stat
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
    folder = check_writable(path, keep_backup)
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
    except Exception as error:
        cause = _os_error(error)
        if cause is None:
            raise
        raise OutputError(_why_not(path, cause)) from error
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    return path


def check_writable(path: Path, keep_backup: bool = False) -> Path:
    """Fail early (`OutputError`) where `atomic_write` surely would; returns the output's folder.

    A long run calls this before reading its inputs, so a wrong output path is told at once.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"Không ghi được '{path}': đây là một thư mục, hãy chọn tên tệp.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"Không ghi được '{path}': thư mục '{folder}' không tồn tại.")
    for target in (path, backup_path(path)) if keep_backup else (path,):
        if _read_only(target):
            raise OutputError(f"Không ghi được '{target}': tệp đang đặt chế độ chỉ đọc (Read-only). Hãy bỏ chế độ "
                              "chỉ đọc (chuột phải › Properties) hoặc chọn tên tệp khác.")
    return folder


def _os_error(error: BaseException | None) -> OSError | None:
    """The system error behind a failure: XlsxWriter wraps one in its FileCreateError."""
    while error is not None and not isinstance(error, OSError):
        error = error.__cause__ or error.__context__
    return error


def _read_only(path: Path) -> bool:
    """A file the user marked read-only (no write bit; Windows maps its Read-only attribute so)."""
    try:
        return not path.stat().st_mode & stat.S_IWUSR
    except OSError:
        return False


def _why_not(path: Path, error: OSError) -> str:
    """A Vietnamese reason for a failed write, naming the file concerned."""
    where = error.filename if isinstance(error.filename, str) and not Path(error.filename).name.startswith(".~cchc-") \
        else str(path)
    if isinstance(error, PermissionError):
        reason = ("không có quyền ghi vào thư mục, hoặc tệp đang mở trong Excel (hãy đóng tệp rồi chạy lại)"
                  f" ({error.strerror})")
    elif error.errno == errno.ENOSPC:
        reason = "ổ đĩa đã đầy"
    elif error.errno == errno.ENAMETOOLONG:
        reason = "tên tệp hoặc đường dẫn quá dài, hãy chọn tên ngắn hơn"
    elif error.errno == errno.EROFS:
        reason = "ổ đĩa chỉ cho đọc"
    else:
        reason = error.strerror or str(error)
    return f"Không ghi được '{where}': {reason}. Tệp cũ (nếu có) vẫn giữ nguyên."


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
