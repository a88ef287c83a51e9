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
mkdir -p "$OUT"

echo "== check $SPEC"
"$BIN" check "$SPEC"
if has prove; then
  echo "== prove $SPEC"
  "$BIN" prove "$SPEC"
fi
if has gen; then
  echo "== gen $SPEC --stack $STACK -> $OUT/gen"
  "$BIN" gen "$SPEC" --stack "$STACK" --out "$OUT/gen"
fi
if has optimize; then
  echo "== optimize $SPEC --stack $STACK -> $OUT/optimized"
  "$BIN" optimize "$SPEC" --stack "$STACK" --out "$OUT/optimized"
fi
if has export; then
  echo "== export $SPEC --stack $STACK -> $OUT/export"
  rm -rf "$OUT/export"
  "$BIN" export "$SPEC" --stack "$STACK" --out "$OUT/export"
  echo "   build it with: cmake -S $OUT/export -B $OUT/export/build && cmake --build $OUT/export/build"
fi
echo "== done"
