"""Save a document with a password to open it, through LibreOffice's own API (UNO).

`soffice --convert-to` cannot set a password, so the hostile corpus's encrypted .xls, .ods and
.docx are made the way a commune's office makes them: LibreOffice saving with «Lưu với mật khẩu».
Run by the system Python, which has LibreOffice's `uno` module:

    python3 uno_save_with_password.py SOURCE TARGET FILTER PASSWORD

FILTER is a LibreOffice filter name ("MS Excel 97", "calc8", "MS Word 2007 XML").
"""
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue

#: How long LibreOffice may take to start listening (0.5 s a try).
TRIES = 120


def prop(name, value):
    found = PropertyValue()
    found.Name, found.Value = name, value
    return found


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(TRIES):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # noqa: BLE001 - NoConnectException until soffice listens
            time.sleep(0.5)
    raise RuntimeError("LibreOffice did not start listening")


def main(source, target, filter_name, password):
    pipe = f"cchc_pw_{time.time_ns()}"
    with tempfile.TemporaryDirectory(prefix="cchc-lo-") as profile:
        office = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                                   "--invisible", "--norestore", f"--accept=pipe,name={pipe};urp;"])
        try:
            context = connect(pipe)
            desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                                    (prop("Hidden", True),))
            document.storeToURL(uno.systemPathToFileUrl(target),
                                (prop("FilterName", filter_name), prop("Password", password)))
            document.close(True)
            desktop.terminate()
        finally:
            try:
                office.wait(timeout=60)
            except subprocess.TimeoutExpired:
                office.kill()


if __name__ == "__main__":
    main(*sys.argv[1:5])
