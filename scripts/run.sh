#!/usr/bin/env bash
# Installs what is needed, builds, and runs the main job on the flagship
# sample: the workbench window when there is a display, otherwise the same
# pipeline headless through the command-line twin.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh build
SAMPLE=${1:-samples/stacks/reliable.ioa}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/bin/ioawb-gui ] && [ -z "${IOAWB_HEADLESS:-}" ]; then
  exec build/bin/ioawb-gui "$SAMPLE"
fi
exec ./scripts/pipeline.sh "$SAMPLE"
