#!/usr/bin/env bash
# Installs what Atelier needs to build, test and run, on Debian bookworm. Idempotent: only the
# packages that are missing are installed, so a second run costs a few dpkg queries.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang-format
  # kernel libraries
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libsqlite3-dev libpq-dev libssl-dev libsodium-dev libexpat1-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev postgresql-15 postgresql-client-15 wrk nginx-light curl
  python3
  chromium   # the browser of the web portal's end-to-end test (web/e2e), driven by playwright-core
  sqlite3    # web/e2e reads the e-mails the server queued (outbox rows) to follow their links
  john-data  # /usr/share/john/password.lst: common passwords refused by libs/auth's policy
  # libs/ocr: Tesseract 5 with its French and English models, Leptonica, poppler for PDFs
  libtesseract-dev libleptonica-dev tesseract-ocr-fra tesseract-ocr-eng libpoppler-cpp-dev
  libcairo2-dev  # libs/ocr tests: known text rendered into PNG and PDF
  tesseract-ocr  # the `tesseract` command, reference of the OCR benchmark
  # services/visiobook: EPUB (zip) and sentence breaking (ICU)
  libzip-dev libicu-dev
  # libs/media: narration (espeak-ng with its voices), MP4 through the FFmpeg libraries, the
  # panels' font, and the `ffmpeg` command, reference of the encode benchmark
  libespeak-ng-dev espeak-ng-data libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
  libswresample-dev fonts-dejavu-core ffmpeg
)

# Node.js builds the web portal. A node installed another way (nvm, NodeSource...) is kept: the
# Debian packages are only added when there is no node at all.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # nginx-light's package enables a site on port 80 at install; Atelier only runs nginx itself
  # (for the benchmark reference), so the system service is stopped where one was started.
  if command -v systemctl >/dev/null 2>&1; then "${sudo_cmd[@]}" systemctl disable --now nginx 2>/dev/null || true; fi
else
  echo "deps: all ${#packages[@]} packages present"
fi
