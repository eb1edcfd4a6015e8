#!/bin/sh
# Fuzz the strict JSON loader and writer (tests/fuzz/fuzz-json.c) with
# libFuzzer under ASan and UBSan for SECONDS (default 60), starting from the
# seed corpus in tests/fuzz/corpus.  New inputs go to a scratch directory,
# never into the seed corpus.  Prints one line; exits non-zero on a finding.
#
#   tests/fuzz/run.sh [SECONDS]
#   CC=clang-14 WORK=/tmp/policyrun-fuzz tests/fuzz/run.sh 120
#   BUILDDIR=build/plain tests/fuzz/run.sh     (config.h from an out-of-tree build)
set -eu

seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cc=${CC:-clang-14}
work=${WORK:-${TMPDIR:-/tmp}/policyrun-fuzz}
build=${BUILDDIR:-$top}

mkdir -p "$work/corpus" "$work/artifacts"
if [ ! -f "$build/config.h" ]; then
  echo "fuzz-json: BUILD FAILED (run ./configure first: config.h is missing)"
  exit 2
fi

# shellcheck disable=SC2046
if ! "$cc" -std=gnu17 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$build" -I"$top/oci-spec" $(pkg-config --cflags yajl 2>/dev/null || true) \
  "$here/fuzz-json.c" "$top/oci-spec/json.c" "$top/oci-spec/spec.c" \
  $(pkg-config --libs yajl 2>/dev/null || echo -lyajl) \
  -o "$work/fuzz-json" 2>"$work/build.log"; then
  echo "fuzz-json: BUILD FAILED (see $work/build.log)"
  exit 2
fi

set +e
"$work/fuzz-json" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -dict="$here/json.dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
  "$work/corpus" "$here/corpus" >"$work/fuzz.log" 2>&1
rc=$?
set -e

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -n 1)
cov=$(grep -o 'cov: [0-9]*' "$work/fuzz.log" | tail -n 1 | cut -d' ' -f2)
corpus=$(find "$work/corpus" -type f | wc -l)
if [ "$rc" -eq 0 ]; then
  echo "fuzz-json: OK, ${runs:-?} runs in ${seconds}s, coverage ${cov:-?}, corpus $corpus (log $work/fuzz.log)"
else
  artifact=$(ls -t "$work/artifacts" 2>/dev/null | head -n 1)
  echo "fuzz-json: FAILED (exit $rc) after ${runs:-?} runs, artifact $work/artifacts/${artifact:-none} (log $work/fuzz.log)"
  exit 1
fi
