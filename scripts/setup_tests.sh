#!/usr/bin/env bash
# Install what the test suite needs on a fresh Debian machine; idempotent and quiet (does nothing when all is there).
#   apt: chromium (the browser test drives Debian's Chromium, no browser download) and the OpenGL
#        packages listed in scripts/apt-packages.txt (offscreen rendering);
#   pip: requirements-dev.txt (requirements.txt plus pytest, gradio_client and playwright).
set -euo pipefail
cd "$(dirname "$0")/.."

wanted=(chromium)
if [ -f scripts/apt-packages.txt ]; then
  while read -r pkg; do wanted+=("$pkg"); done < <(grep -vE '^[[:space:]]*(#|$)' scripts/apt-packages.txt)
fi
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if command -v apt-get >/dev/null && { [ -z "$sudo" ] || command -v sudo >/dev/null; }; then
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup_tests: cannot install ${missing[*]} (no apt-get or root); the tests that need them are skipped" >&2
  fi
fi

if [ -f requirements-dev.txt ]; then
  python -m pip install -q --disable-pip-version-check --root-user-action=ignore -r requirements-dev.txt
else
  python -m pip install -q --disable-pip-version-check --root-user-action=ignore -r requirements.txt pytest gradio_client playwright
fi
