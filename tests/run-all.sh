#!/bin/bash
# The whole test suite, as CI runs it (as root, on Debian 12 with
# contrib/setup-debian.sh --test done):
#   - clang-format (the repository's .clang-format) over every C file;
#   - a plain build with warnings as errors: unit tests, runc integration
#     tests, the Go differential test, Docker and containerd end to end;
#   - an ASan/UBSan build: unit tests, runc integration tests, differential;
#   - a libFuzzer run of the JSON loader, the benchmark, make distcheck.
# Every build is out of tree, under build/.  A checkout that was configured
# in the source tree (./configure run there) is cleaned first with
# `make distclean`, which autotools needs before any out-of-tree build.
#
# A stage counts its TAP lines; a stage that exits non-zero without a failing
# TAP line counts as one failure, and a stage whose build failed is not run
# and counts as one failure too.  POLICYRUN_TEST_SKIP="docker ..." leaves the
# named stages out (each counts as one skip), for machines where they cannot
# run.  No stage may hang the run: each is killed after
# POLICYRUN_STAGE_TIMEOUT seconds (default 1200; the longest takes about 6
# minutes here) and counts as failed, its log's last lines printed.  Each
# stage's header says how long the run has gone.  Prints one summary line at
# the end:
#   "total: N passed, N failed, N skipped".
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${POLICYRUN_TEST_OUT:-$src/build/test-logs}
mkdir -p "$out" || exit 1
# No stage may read a log of an earlier run.
rm -f "$out"/*.log
skip_list=" ${POLICYRUN_TEST_SKIP:-} "
failed_stages=()
declare -A outcome # stage name -> passed | failed | skipped
passed=0 failed=0 skipped=0
stage_timeout=${POLICYRUN_STAGE_TIMEOUT:-1200}
run_start=$(date +%s)

# reap_marked MARKER: kill what a stage left running (every process whose
# environment holds MARKER).
reap_marked() {
  local proc
  for proc in /proc/[0-9]*; do
    [ "${proc#/proc/}" != $$ ] || continue
    if { tr '\0' '\n' <"$proc/environ"; } 2>/dev/null | grep -qxF "$1"; then
      echo "run-all.sh: killing ${proc#/proc/}, left by a stage" >&2
      kill -9 "${proc#/proc/}" 2>/dev/null || true
    fi
  done
}

# stage NAME NEEDS COMMAND...: run COMMAND unless a stage named in NEEDS (a
# space-separated list, "" for none) did not pass; keep its log in $out and
# count its TAP lines.
stage() {
  local name=$1 needs=$2 log="$out/$1.log" rc start dep
  shift 2
  if [[ $skip_list == *" $name "* ]]; then
    echo "--- $name: skipped (POLICYRUN_TEST_SKIP)"
    outcome[$name]=skipped skipped=$((skipped + 1))
    return
  fi
  for dep in $needs; do
    if [ "${outcome[$dep]:-}" != passed ]; then
      echo "--- $name: NOT RUN ($dep ${outcome[$dep]:-did not run})"
      outcome[$name]=failed failed=$((failed + 1))
      failed_stages+=("$name(not run)")
      return
    fi
  done
  start=$(date +%s)
  echo "=== $name: $* (at $((start - run_start))s)"
  # A stage runs in a shell of its own under timeout, in a process group of
  # its own (stdin is never the caller's); everything it starts carries
  # the marker, so that what outlives a killed stage (a nested timeout
  # makes a group of its own) is found and killed too.  Ctrl-C stops the
  # stage and the run.
  local marker="POLICYRUN_STAGE_RUN=$name.$$.$start"
  env "$marker" timeout -k 60 "$stage_timeout" bash -c '"$@"' "stage-$name" "$@" >"$log" 2>&1 </dev/null &
  local pid=$!
  trap 'kill -TERM -- -'"$pid"' 2>/dev/null; reap_marked "'"$marker"'"; echo "run-all.sh: interrupted"; exit 130' INT TERM
  rc=0
  wait "$pid" || rc=$?
  trap - INT TERM
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "not ok - stage $name killed after ${stage_timeout}s (POLICYRUN_STAGE_TIMEOUT)" >>"$log"
  fi
  reap_marked "$marker"
  local p f s
  p=$(grep -Ec '^ok [0-9]+' "$log" || true)
  s=$(grep -Eic '^ok [0-9]+.*# skip' "$log" || true)
  f=$(grep -Ec '^not ok [0-9]+' "$log" || true)
  # A stage that failed without saying which test failed is one failure.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
  fi
  passed=$((passed + p - s)) failed=$((failed + f)) skipped=$((skipped + s))
  if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
    outcome[$name]=failed
    failed_stages+=("$name")
    echo "--- $name FAILED (exit $rc, $f failures); last lines of $log:"
    tail -n 40 "$log"
  else
    outcome[$name]=passed
  fi
  grep -Ei '^ok [0-9]+.*# skip' "$log" | sed "s/^/    [$name] /" || true
  echo "--- $name: $((p - s)) passed, $f failed, $s skipped, exit $rc, $(($(date +%s) - start))s"
}

unit_tap() { # run make check and print every unit test's TAP lines
  # make check does not run the tests when they fail to build: never show
  # the logs of an earlier run.
  rm -f "$1"/tests/unit/*.log "$1"/tests/unit/*.trs "$1"/test-suite.log
  make -C "$1" -j2 check
  local rc=$?
  cat "$1"/tests/unit/*.log 2>/dev/null | grep -E '^(not )?ok [0-9]+'
  return $rc
}

format_check() { # one TAP line per C file: is it as clang-format writes it?
  local cf n=0 bad=0 f
  cf=$(command -v clang-format || command -v clang-format-14) || {
    echo "clang-format is not installed (contrib/setup-debian.sh --test installs it)"
    return 1
  }
  "$cf" --version
  cd "$src" || return 1
  while IFS= read -r f; do
    n=$((n + 1))
    if "$cf" --dry-run -Werror "$f"; then
      echo "ok $n - $f is formatted"
    else
      echo "not ok $n - $f is not formatted: clang-format -i $f"
      bad=$((bad + 1))
    fi
  done < <(find src oci-spec tests/unit tests/probe -name '*.[ch]' | LC_ALL=C sort)
  echo "1..$n"
  [ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}

prepare() { # the configure script, and a source tree that is not configured
  cd "$src" || return 1
  if [ -f config.status ]; then
    echo "run-all.sh: the source tree was configured in place (./configure);"
    echo "run-all.sh: running 'make distclean' there so that out-of-tree builds can be configured"
    if [ -f Makefile ]; then
      make distclean || return 1
    else
      rm -f config.status config.h config.log stamp-h1 || return 1
    fi
  fi
  [ -x configure ] || ./autogen.sh
}

build() { # build DIR CONFIGURE-ARGS...: from scratch, in a subshell (the cd stays in it)
  local dir=$1
  shift
  (rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" && "$src/configure" --enable-werror "$@" \
    && make -j2 && make -j2 tests/probe/probe tests/bench/bench-check)
}

# The stages run in shells of their own (stage): the helpers go with them.
export src
export -f unit_tap format_check prepare build

if [ -f "$src/config.status" ]; then
  echo "note: $src was configured in place (./configure there); the prepare stage runs"
  echo "note: 'make distclean' in it so that the out-of-tree builds under build/ can be configured"
fi
stage format "" format_check
stage prepare "" prepare
stage build-plain "prepare" build "$src/build/plain"
stage unit "build-plain" unit_tap "$src/build/plain"
stage runc "build-plain" make -C "$src/build/plain" check-integration
stage diff "build-plain" make -C "$src/build/plain" check-diff
stage docker "build-plain" make -C "$src/build/plain" check-docker
stage cri "build-plain" make -C "$src/build/plain" check-cri
# Audit mode against runc's own integration suite and the runtime-tools
# validation suite; the latter is skipped, saying why, where Debian's mirror
# cannot serve its source.
stage conformance "build-plain" env RUNTIME_TOOLS_ALLOW_SKIP=1 \
  make -C "$src/build/plain" check-conformance

stage build-asan "prepare" build "$src/build/asan" --enable-sanitizers
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
stage unit-asan "build-asan" unit_tap "$src/build/asan"
stage runc-asan "build-asan" make -C "$src/build/asan" check-integration
stage diff-asan "build-asan" make -C "$src/build/asan" check-diff
unset ASAN_OPTIONS UBSAN_OPTIONS

stage fuzz "build-plain" env BUILDDIR="$src/build/plain" "$src/tests/fuzz/run.sh" "${FUZZ_SECONDS:-60}"
stage bench "build-plain" make -C "$src/build/plain" bench
stage distcheck "build-plain" make -C "$src/build/plain" distcheck

echo
if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]} (logs in $out)"
fi
echo "run time: $(($(date +%s) - run_start))s"
echo "total: $passed passed, $failed failed, $skipped skipped"
[ ${#failed_stages[@]} -eq 0 ]
