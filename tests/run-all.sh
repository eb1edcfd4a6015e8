#!/bin/bash
# The whole test suite, as CI runs it (as root, on Debian 12 with
# contrib/setup-debian.sh --test done):
#   - a plain build with warnings as errors: unit tests, runc integration
#     tests, the Go differential test, Docker and containerd end to end;
#   - an ASan/UBSan build: unit tests, runc integration tests, differential;
#   - a libFuzzer run of the JSON loader, the benchmark, make distcheck.
# Prints one summary line at the end: "total: N passed, N failed, N skipped".
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${POLICYRUN_TEST_OUT:-$src/build/test-logs}
mkdir -p "$out"
failed_stages=()
passed=0 failed=0 skipped=0

stage() { # stage NAME COMMAND...: run, keep the log, count its TAP lines
  local name=$1 log="$out/$1.log" rc start
  shift
  start=$(date +%s)
  echo "=== $name: $*"
  "$@" >"$log" 2>&1
  rc=$?
  local p f s
  p=$(grep -Ec '^ok [0-9]+' "$log" || true)
  s=$(grep -Eic '^ok [0-9]+.*# skip' "$log" || true)
  f=$(grep -Ec '^not ok [0-9]+' "$log" || true)
  passed=$((passed + p - s)) failed=$((failed + f)) skipped=$((skipped + s))
  if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
    failed_stages+=("$name")
    echo "--- $name FAILED (exit $rc, $f failing tests); last lines of $log:"
    tail -n 40 "$log"
  fi
  grep -Ei '^ok [0-9]+.*# skip' "$log" | sed "s/^/    [$name] /" || true
  echo "--- $name: $((p - s)) passed, $f failed, $s skipped, exit $rc, $(( $(date +%s) - start ))s"
}

unit_tap() { # run make check and print every unit test's TAP lines
  make -C "$1" -j2 check; local rc=$?
  cat "$1"/tests/unit/*.log 2>/dev/null | grep -E '^(not )?ok [0-9]+'
  return $rc
}

build() { # build DIR CONFIGURE-ARGS...
  local dir=$1
  shift
  mkdir -p "$dir" && cd "$dir" && "$src/configure" --enable-werror "$@" && make -j2 \
    && make -j2 tests/probe/probe tests/bench/bench-check
}

cd "$src" && { [ -x configure ] || ./autogen.sh; } >"$out/autogen.log" 2>&1 \
  || { echo "autogen failed"; cat "$out/autogen.log"; exit 1; }

stage build-plain build "$src/build/plain"
stage unit unit_tap "$src/build/plain"
stage runc make -C "$src/build/plain" check-integration
stage diff make -C "$src/build/plain" check-diff
stage docker make -C "$src/build/plain" check-docker

stage build-asan build "$src/build/asan" --enable-sanitizers
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
stage unit-asan unit_tap "$src/build/asan"
stage runc-asan make -C "$src/build/asan" check-integration
stage diff-asan make -C "$src/build/asan" check-diff
unset ASAN_OPTIONS UBSAN_OPTIONS

stage fuzz env BUILDDIR="$src/build/plain" "$src/tests/fuzz/run.sh" "${FUZZ_SECONDS:-60}"
stage bench make -C "$src/build/plain" bench
stage distcheck make -C "$src/build/plain" distcheck

echo
if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]} (logs in $out)"
fi
echo "total: $passed passed, $failed failed, $skipped skipped"
[ ${#failed_stages[@]} -eq 0 ]
