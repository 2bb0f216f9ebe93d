#!/usr/bin/env bash
# The README's test command: install what the tests need (idempotent), then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_tests.sh
export GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
set +e
python -m pytest -q "$@"
code=$?
set -e
# pytest exits 5 when it collected no test: that is a failure of the suite, say so plainly.
if [ "$code" -eq 5 ]; then echo "no tests were collected" >&2; exit 1; fi
exit "$code"
