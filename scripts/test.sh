#!/usr/bin/env bash
# Installs what is needed, builds everything and runs every test:
#  1. the normal build and its ctest suite (unit, CLI, generated code, GUI offscreen);
#  2. a clang-14 build (-O1, assertions on) with AddressSanitizer + UndefinedBehaviorSanitizer running the
#     unit tests once more and the libFuzzer targets for a bounded time.
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
JOBS=${IOAWB_JOBS:-$(nproc)}
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}

echo "== build"
./scripts/build.sh build
echo "== tests"
ctest --test-dir build --output-on-failure -j"$JOBS" --timeout 900

echo "== sanitizer build (clang-14, ASan + UBSan, libFuzzer)"
if [ ! -f build-asan/build.ninja ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
    -DIOAWB_SANITIZE=ON -DIOAWB_FUZZ=ON -DIOAWB_BUILD_GUI=OFF -DIOAWB_BUILD_OPTIMIZER=OFF -DIOAWB_BUILD_BENCH=OFF
fi
cmake --build build-asan -- -j"$JOBS"
echo "== sanitizer tests and fuzzing"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp:print_suppressions=1 \
  ctest --test-dir build-asan --output-on-failure -j"$JOBS" -L "unit|fuzz" --timeout 900
echo "== all tests passed"
