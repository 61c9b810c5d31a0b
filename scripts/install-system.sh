#!/usr/bin/env bash
# System packages selfeval needs: Tesseract with Chinese data, poppler, CJK fonts,
# PostgreSQL (the database tests start a server of their own), Chromium (the report's
# browser tests drive it through Playwright), and LibreOffice Calc
# (only to regenerate samples).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng poppler-utils \
  fonts-noto-cjk fonts-wqy-zenhei libgl1 libglib2.0-0 postgresql chromium ${SELFEVAL_EXTRA_APT:-}
