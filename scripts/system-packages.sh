#!/usr/bin/env bash
# Make sure the Debian packages the archive needs are present.
#   run  : libmagic (type sniffing), LibreOffice (PDF renditions) in a bubblewrap sandbox, CJK fonts (stamps, letters; Fandol 仿宋/楷体 from texlive-lang-chinese)
#          libgl1 + libglib2.0-0 (OpenCV, which RapidOCR's Chinese OCR uses)
#   test : the above plus Chromium (browser tests), poppler-utils (PDF → PNG checks) and Tesseract
#          with its Chinese data (the OCR engine comparison, bench/ocr_bench.py)
# As root the missing ones are installed with apt-get; otherwise we print the one command to run.
set -euo pipefail
mode="${1:-run}"
pkgs=(python3-venv libmagic1 bubblewrap libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-ukai libgl1 libglib2.0-0 texlive-lang-chinese)
if [[ "$mode" == "test" ]]; then
  pkgs+=(chromium poppler-utils tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-osd)
fi
missing=()
for p in "${pkgs[@]}"; do
  # A GUI build of LibreOffice satisfies the -nogui requirement as well.
  alt="${p%-nogui}"
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then continue; fi
  if [[ "$alt" != "$p" ]] && dpkg-query -W -f='${Status}' "$alt" 2>/dev/null | grep -q "install ok installed"; then continue; fi
  missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少系统软件包 / missing system packages: ${missing[*]}" >&2
  echo "This is not a Debian-family system; install the equivalents of the packages above." >&2
  exit 1
fi
if [[ "$(id -u)" -eq 0 ]]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "缺少系统软件包 / missing system packages: ${missing[*]}" >&2
  echo "Run this once, then try again:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
