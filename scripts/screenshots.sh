#!/usr/bin/env bash
# Refreshes docs/screenshots/*.png: runs the workbench's screenshot mode
# (ioawb-gui --screenshot) under Xvfb on the bundled samples. Each picture is
# taken after the spec is checked and, where it matters, proved; the script
# stops at the first run that fails.
#
#   ./scripts/screenshots.sh [BUILD_DIR]        (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
BIN="$BUILD/bin/ioawb-gui"
OUT=docs/screenshots
[ -x "$BIN" ] || { echo "no $BIN: build first (./scripts/build.sh $BUILD)" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "xvfb-run not found (Debian: xvfb)" >&2; exit 2; }
mkdir -p "$OUT"

# Default settings and no recovery prompts: a scratch config and data home.
# The prover's result cache stays where it is, so unchanged proofs are quick.
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
export IOAWB_CACHE_DIR=${IOAWB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ioawb}
export XDG_CONFIG_HOME="$SCRATCH/config" XDG_DATA_HOME="$SCRATCH/data"

shot() {
  local png=$1; shift
  echo "== $png"
  xvfb-run -a -s "-screen 0 1600x1000x24" "$BIN" --screenshot "$OUT/$png" "$@"
}

# The bug sample shown with a counterexample: a seeded bug in the stack when
# there is one, else the relay fixture of the tests (a composition).
BUG=""
for f in samples/bugs/*reliable*.ioa samples/bugs/*.ioa; do
  [ -f "$f" ] && { BUG=$f; break; }
done
[ -n "$BUG" ] || BUG=tests/gui/data/relay_bug.ioa

# A spec with a typing mistake, for the diagnostics picture.
BROKEN="$SCRATCH/channel.ioa"
sed 's/eff buffer := buffer |- m/eff buffer := bufer |- m/' samples/channel.ioa > "$BROKEN"

shot workbench.png samples/stacks/reliable.ioa
shot workbench-1280x800.png --size 1280x800 samples/stacks/reliable.ioa
shot diagnostics.png --no-prove --allow-errors --show problems --size 1280x800 "$BROKEN"
shot counterexample.png --bmc --show counterexample "$BUG"
shot generated-code.png --no-prove --show code samples/stacks/reliable.ioa
shot optimizer.png --no-prove --show optimizer --size 1280x800 samples/stacks/reliable.ioa
shot export.png --no-prove --show export samples/stacks/reliable.ioa
echo "== screenshots in $OUT"
