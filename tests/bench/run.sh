#!/bin/bash
# The benchmark: figures, never assertions.  Prints `policyrun check` on a
# Docker-shaped config.json (a real one captured from Docker when present)
# and on configs of growing size, peak RSS, and, when runc and root are
# available, runc against policyrun for the container lifecycle Docker
# drives (create, start, wait, delete), run + delete and a passthrough
# `state`, in paired runs (BENCH_N of each, 40 by default).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
policyrun=${POLICYRUN:-$src/policyrun}
bench=${BENCH_CHECK:-$src/tests/bench/bench-check}
config=$src/tests/fixtures/docker/doc-flags-user.json
[ -f "$config" ] || config=$src/tests/fixtures/floor-ok.json
"$bench" "$policyrun" "$config"

if [ "$(id -u)" != 0 ] || ! command -v runc >/dev/null; then
  echo "lifecycle comparison skipped: needs root and runc"
  exit 0
fi
work=$(mktemp -d /tmp/policyrun-bench.XXXXXX)
cleanup () {
  # Whatever a failed run left: containers first, then the files.
  for id in $(runc --root "$work/root" list -q 2>/dev/null); do
    runc --root "$work/root" delete --force "$id" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
"$src/contrib/make-bundle.sh" "$work/b" true >/dev/null
printf '{"state_dir": "%s/state", "trail_file": "%s/decisions.jsonl"}\n' "$work" "$work" > "$work/policy.json"
"$bench" lifecycle "${BENCH_N:-40}" "$(command -v runc)" "$policyrun" "$work/policy.json" \
  "$work/root" "$work/b" "$work"
