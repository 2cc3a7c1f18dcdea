#!/usr/bin/env bash
# Installs what the whole test suite needs: the package with its test extra (pytest, hypothesis, httpx,
# schemathesis, playwright) and, for the dashboard's end-to-end test, Debian's Chromium (Playwright drives
# that browser; it never downloads one of its own). Without root or apt, the browser test is skipped
# (under CI, where the CI variable is set, it fails instead).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "install_test_deps: no chromium and no way to install it here; the dashboard test will be skipped" >&2
  fi
fi
