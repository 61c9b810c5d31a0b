#!/usr/bin/env bash
# Install everything selfeval needs on a fresh Debian/Ubuntu machine:
# system packages (Tesseract + Chinese data, poppler, CJK fonts) and the Python package
# with every extra (tests, samples, benchmarks, Excel and Parquet output). Add --with-libreoffice to be able to
# regenerate the samples (scripts/make_samples.py).
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRA_APT=""
if [ "${1:-}" = "--with-libreoffice" ]; then EXTRA_APT="libreoffice-calc libreoffice-writer"; fi
SELFEVAL_EXTRA_APT="$EXTRA_APT" bash scripts/install-system.sh
python3 -m pip install --quiet --disable-pip-version-check -e ".[all]"
echo "selfeval installed: $(command -v selfeval)"
