#!/bin/bash
# The benchmark: prints figures on a Docker-shaped config.json (a real one
# captured from Docker when present), and runc against policyrun for a
# whole container when runc and root are available.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
policyrun=${POLICYRUN:-$src/policyrun}
bench=${BENCH_CHECK:-$src/tests/bench/bench-check}
config=$src/tests/fixtures/docker/doc-flags-user.json
[ -f "$config" ] || config=$src/tests/fixtures/floor-ok.json
"$bench" "$policyrun" "$config"

if [ "$(id -u)" = 0 ] && command -v runc >/dev/null; then
  work=$(mktemp -d /tmp/policyrun-bench.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  "$src/contrib/make-bundle.sh" "$work/b" true >/dev/null
  printf '{"state_dir": "%s/state"}\n' "$work" > "$work/policy.json"
  n=10
  t0=$(date +%s%N)
  for i in $(seq $n); do runc --root "$work/root" run --bundle "$work/b" "bench-runc-$i" >/dev/null; done
  t1=$(date +%s%N)
  for i in $(seq $n); do
    "$policyrun" --policy "$work/policy.json" --root "$work/root" run --bundle "$work/b" "bench-pr-$i" >/dev/null
    "$policyrun" --policy "$work/policy.json" --root "$work/root" delete "bench-pr-$i" >/dev/null 2>&1 || true
  done
  t2=$(date +%s%N)
  echo "whole container (run, $n times): runc $(( (t1 - t0) / n / 1000000 )) ms, policyrun $(( (t2 - t1) / n / 1000000 )) ms (policyrun's includes its delete)"
else
  echo "whole-container comparison skipped: needs root and runc"
fi
