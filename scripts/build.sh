#!/usr/bin/env bash
# Configures (once) and builds the project into the given directory (default: build).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-build}
shift || true
if [ ! -f "$DIR/build.ninja" ]; then
  cmake -S . -B "$DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
fi
cmake --build "$DIR" -- -j"${IOAWB_JOBS:-$(nproc)}"
