#!/usr/bin/env bash
# The headless pipeline on one spec: every stage the command-line twin has,
# in the order a user takes them: check, prove, generate, optimize, export.
set -euo pipefail
cd "$(dirname "$0")/.."
SPEC=${1:-samples/stacks/reliable.ioa}
STACK=${2:-Reliable}
BIN=build/bin/ioawb
OUT=${IOAWB_OUT:-build/out}
has() { "$BIN" "$1" --help >/dev/null 2>&1; }
# Verdict stages (prove, optimize) report what they could not prove and the pipeline goes on:
# exit 1 = something refuted, 3 = unknown or timeout (see their output above).
verdict() {
  local rc=0
  "$@" || rc=$?
  case $rc in
    0) echo "   -> everything proved" ;;
    1) echo "   -> exit 1: something was refuted" ;;
    3) echo "   -> exit 3: some obligations are unknown (timeout); nothing refuted" ;;
    *) echo "   -> exit $rc: error"; exit "$rc" ;;
  esac
}
mkdir -p "$OUT"

echo "== check $SPEC"
"$BIN" check "$SPEC"
if has prove; then
  echo "== prove $SPEC"
  verdict "$BIN" prove "$SPEC" --quiet --timeout "${IOAWB_TIMEOUT:-10000}"
fi
if has gen; then
  echo "== gen $SPEC --stack $STACK -> $OUT/gen"
  "$BIN" gen "$SPEC" --stack "$STACK" --out "$OUT/gen"
fi
if has optimize; then
  echo "== optimize $SPEC --stack $STACK -> $OUT/optimized"
  verdict "$BIN" optimize "$SPEC" --stack "$STACK" --out "$OUT/optimized" --timeout "${IOAWB_OPT_TIMEOUT:-180000}"
fi
if has export; then
  echo "== export $SPEC --stack $STACK -> $OUT/export"
  rm -rf "$OUT/export"
  "$BIN" export "$SPEC" --stack "$STACK" --out "$OUT/export"
  echo "   build it with: cmake -S $OUT/export -B $OUT/export/build && cmake --build $OUT/export/build"
fi
echo "== done"
