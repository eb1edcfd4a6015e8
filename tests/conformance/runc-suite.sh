#!/bin/bash
# runc-suite.sh: runc's own integration tests (tests/integration of Debian's
# runc source package, upstream tag v1.1.5) run twice on this machine, once
# against runc alone and once against policyrun in audit mode, and compared.
#
#   POLICYRUN=/path/to/policyrun runc-suite.sh [CACHEDIR [OUTDIR]]
#
# Fails when runc's own failures here differ from runc-known-failures.txt,
# or when policyrun's failures differ from runc's (audit mode must be
# transparent), or when the audit run wrote no audit records.  Skipped
# tests are counted as skipped in both runs and must be the same.
#   CACHEDIR  the unpacked source, its helpers and images (reused)
#             default /var/cache/policyrun/conformance
#   OUTDIR    runc.tap, policyrun.tap, trail.jsonl; default a temp dir
#   RUNC      the runtime compared against, default the runc on PATH
#   RUNC_SUITE_FILES  optional list of .bats names to run (default: all)
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
cache=${1:-/var/cache/policyrun/conformance}
out=${2:-$(mktemp -d /tmp/runc-suite.XXXXXX)}
: "${POLICYRUN:?set POLICYRUN to the policyrun binary under test}"
POLICYRUN=$(readlink -f "$POLICYRUN")
runc=$(readlink -f "${RUNC:-$(command -v runc)}")
known=$here/runc-known-failures.txt
mkdir -p "$cache" "$out"

say () { printf 'runc-suite: %s\n' "$*" >&2; }

# ---- the source, its helpers, the images ------------------------------------
src=$("$here/sources.sh" runc "$cache")
integration=$src/tests/integration
[ -f "$integration/helpers.bash" ] || { say "no tests/integration in $src"; exit 1; }

# The helpers the tests run from fixed paths (helpers.bash: RECVTTY,
# SD_HELPER, SECCOMP_AGENT), built as Debian builds runc: Debian's Go,
# GO111MODULE=off, Debian's golang-*-dev packages under /usr/share/gocode
# (Debian strips the vendor directory), the source itself first on GOPATH.
build_helpers ()
{
  local gopath=$cache/gopath cmd
  mkdir -p "$gopath/src/github.com/opencontainers"
  ln -sfn "$src" "$gopath/src/github.com/opencontainers/runc"
  for cmd in recvtty sd-helper seccompagent; do
    [ -x "$src/contrib/cmd/$cmd/$cmd" ] && continue
    say "building $cmd"
    (cd "$gopath/src/github.com/opencontainers/runc" \
      && GOPATH=$gopath:/usr/share/gocode GO111MODULE=off GOFLAGS=-mod=mod GOPROXY=off \
        GOCACHE=$cache/gocache go build -tags "seccomp urfave_cli_no_docs" \
        -o "contrib/cmd/$cmd/$cmd.tmp" "./contrib/cmd/$cmd") \
      && mv "$src/contrib/cmd/$cmd/$cmd.tmp" "$src/contrib/cmd/$cmd/$cmd"
  done
}
build_helpers
"$here/runc-images.sh" "$integration/testdata"

# ---- the two runs ------------------------------------------------------------
# The audit runtime: a program named runc (the tests print basename $RUNC)
# that runs policyrun with an audit policy, the real runc as delegate.
audit=$out/audit
mkdir -p "$audit"
printf '{"mode": "audit", "trail_file": "%s"}\n' "$out/trail.jsonl" > "$audit/policy.json"
cat > "$audit/runc" <<WRAPPER
#!/bin/sh
exec "$POLICYRUN" --policy "$audit/policy.json" --delegate "$runc" "\$@"
WRAPPER
chmod 0755 "$audit/runc"
: > "$out/trail.jsonl"

files=()
if [ -n "${RUNC_SUITE_FILES:-}" ]; then
  for f in $RUNC_SUITE_FILES; do files+=("$integration/$f"); done
else
  files=("$integration"/*.bats)
fi

# run_suite NAME RUNTIME: every file through bats --tap, its test names
# prefixed with the file's name (names repeat across files), one TAP file.
run_suite ()
{
  local name=$1 runtime=$2 f base start=$SECONDS
  : > "$out/$name.tap"
  for f in "${files[@]}"; do
    base=$(basename "$f")
    # runc's tests expect a terminal (upstream's CI runs them under script):
    # runc run with "terminal": true and no --console-socket uses /dev/tty.
    (cd "$integration" && RUNC=$runtime script -qec \
      "$(printf '%q ' bats --tap "$f") > $(printf '%q' "$out/$name.$base.tap") 2>&1" \
      /dev/null < /dev/null > /dev/null || true)
    sed -E "s/^((not )?ok [0-9]+ )/\1$base: /" "$out/$name.$base.tap" >> "$out/$name.tap"
  done
  say "$name: $((SECONDS - start))s"
}

# results TAPFILE: "STATUS<TAB>FILE: NAME" for every test (pass, fail, skip).
results ()
{
  sed -nE -e 's/^not ok [0-9]+ (.*)$/fail\t\1/p' \
    -e 's/^ok [0-9]+ (.*) # skip( .*)?$/skip\t\1/p' \
    -e '/ # skip/!s/^ok [0-9]+ (.*)$/pass\t\1/p' "$1" | sort -t$'\t' -k2
}

count () { grep -c "^$1"$'\t' "$2" || true; }

run_suite runc "$runc"
run_suite policyrun "$audit/runc"
results "$out/runc.tap" > "$out/runc.results"
results "$out/policyrun.tap" > "$out/policyrun.results"

# ---- the comparison ----------------------------------------------------------
status=0
sed -nE 's/^fail\t//p' "$out/runc.results" > "$out/runc.failures"
# The known list: "FILE: NAME | why", comments and blank lines left out; only
# the files that were run.
sed -E -e '/^[[:space:]]*(#|$)/d' -e 's/[[:space:]]*\|.*$//' "$known" | sort > "$out/known.all"
: > "$out/known.failures"
for f in "${files[@]}"; do
  grep -F "$(basename "$f"): " "$out/known.all" >> "$out/known.failures" || true
done
sort -o "$out/known.failures" "$out/known.failures"
if ! diff -u "$out/known.failures" "$out/runc.failures" > "$out/known.diff"; then
  say "runc's own failures here differ from $(basename "$known") (- listed, + runc):"
  sed -n '3,$p' "$out/known.diff" | grep '^[-+]' >&2
  status=1
fi
if ! diff -u "$out/runc.results" "$out/policyrun.results" > "$out/transparency.diff"; then
  say "policyrun in audit mode is not transparent (- runc, + policyrun):"
  sed -n '3,$p' "$out/transparency.diff" | grep '^[-+]' >&2
  status=1
fi
records=$(jq -s 'length' "$out/trail.jsonl")
if [ "$records" -eq 0 ] || ! jq -e -s 'all(.mode == "audit")' "$out/trail.jsonl" > /dev/null; then
  say "the audit run left no audit records in $out/trail.jsonl"
  status=1
fi
printf 'runc-suite: runc %d pass %d fail %d skip; policyrun (audit) %d pass %d fail %d skip; known failures %d; %d audit records; %s (%s)\n' \
  "$(count pass "$out/runc.results")" "$(count fail "$out/runc.results")" \
  "$(count skip "$out/runc.results")" "$(count pass "$out/policyrun.results")" \
  "$(count fail "$out/policyrun.results")" "$(count skip "$out/policyrun.results")" \
  "$(wc -l < "$out/known.failures")" "$records" \
  "$([ "$status" -eq 0 ] && echo PASS || echo FAIL)" "$out"
exit "$status"
