#!/usr/bin/env bash
# Formats the C++ sources with the repository's .clang-format; with --check, fails on any drift.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.cpp' '*.hpp' | grep -v '^web/')
[ ${#files[@]} -gt 0 ] || exit 0
if [ "${1:-}" = "--check" ]; then
  if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/atelier-format.log; then
    grep -E '^[^ ].*(warning|error):' /tmp/atelier-format.log | cut -d: -f1 | sort -u |
      sed 's/^/format drift: /' >&2
    echo "run 'make format' to fix" >&2
    exit 1
  fi
  echo "format: ${#files[@]} files clean"
else
  clang-format -i "${files[@]}"
fi
