#!/usr/bin/env bash
# Install what the tests need (LibreOffice for recalculation, the package with its dev extras)
# and run the whole suite. Safe to run again: installed pieces are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

# LibreOffice recalculates the generated workbooks; its Python bridge (uno, for the system
# python3) saves the password-protected .xls/.ods of the hostile-input tests.
if ! command -v soffice >/dev/null 2>&1 || ! /usr/bin/python3 -c "import uno" >/dev/null 2>&1; then
  echo "Installing LibreOffice Calc (headless) and its Python bridge..."
  if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libreoffice-calc-nogui python3-uno >/dev/null
fi

python3 -m pip install -q -e ".[dev]"
python3 -m pytest -q "$@"
