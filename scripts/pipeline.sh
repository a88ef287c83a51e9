#!/usr/bin/env bash
# The headless pipeline on one spec: every stage the command-line twin has.
set -euo pipefail
cd "$(dirname "$0")/.."
SPEC=${1:-samples/stacks/reliable.ioa}
BIN=build/bin/ioawb
has() { "$BIN" --help 2>/dev/null | grep -qE "^\s+$1\b"; }
echo "== check $SPEC"
"$BIN" check "$SPEC"
