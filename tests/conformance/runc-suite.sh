#!/bin/bash
# runc-suite.sh: runc's own integration tests (tests/integration of Debian's
# runc source package, upstream tag v1.1.5) run twice on this machine, once
# against runc alone and once against policyrun in audit mode, and compared.
#
#   POLICYRUN=/path/to/policyrun runc-suite.sh [OUTDIR]
#
# Fails when runc's own failures here differ from runc-known-failures.txt,
# or when policyrun's results differ from runc's (audit mode must be
# transparent: same passes, same failures, same skips), or when the audit
# run wrote no audit records.  A test whose result differs is run once more
# against both runtimes (the suite has races of its own, e.g. recvtty's
# socket is dialled before it listens) and the second results count; every
# such re-run is named in the output.
#   OUTDIR             runc.tap, policyrun.tap, trail.jsonl, diffs; default
#                      a new directory under /tmp
#   CONFORMANCE_CACHE  the unpacked source, the helpers and images (reused);
#                      default /var/cache/policyrun-conformance
#   RUNC               the runtime compared against, default runc on PATH
#   RUNC_SUITE_FILES   the .bats files to run (names), default all
#   RUNC_SUITE_FILE_TIMEOUT  seconds one .bats file may take (default 300;
#                      the whole suite takes about 90 s here): a file that
#                      hangs is killed, its leftovers reaped, and it counts
#                      as a failure of both runs
#
# The tests never contact an outside address: git, curl and wget on the
# suite's PATH refuse (spec.bats clones GitHub, get-images.sh would download
# a missing image), and Go may not fetch modules (GOPROXY=off).
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
cache=${CONFORMANCE_CACHE:-/var/cache/policyrun-conformance}
out=${1:-$(mktemp -d /tmp/runc-suite.XXXXXX)}
: "${POLICYRUN:?set POLICYRUN to the policyrun binary under test}"
POLICYRUN=$(readlink -f "$POLICYRUN")
runc=$(readlink -f "${RUNC:-$(command -v runc)}")
known=$here/runc-known-failures.txt
mkdir -p "$cache" "$out"

say () { printf 'runc-suite: %s\n' "$*" >&2; }

# ---- the source, its helpers, the images ------------------------------------
src=$(bash "$here/sources.sh" runc "$cache/src")
integration=$src/tests/integration
[ -f "$integration/helpers.bash" ] || { say "no tests/integration in $src"; exit 1; }

# The helpers the tests run from fixed paths (helpers.bash: RECVTTY,
# SD_HELPER, SECCOMP_AGENT), built as Debian builds runc: Debian's Go,
# GO111MODULE=off, Debian's golang-*-dev packages under /usr/share/gocode
# (Debian strips the vendor directory), the source itself first on GOPATH.
build_helpers ()
{
  local gopath=$cache/runc-gopath cmd
  mkdir -p "$gopath/src/github.com/opencontainers"
  ln -sfn "$src" "$gopath/src/github.com/opencontainers/runc"
  for cmd in recvtty sd-helper seccompagent; do
    [ -x "$src/contrib/cmd/$cmd/$cmd" ] && continue
    say "building $cmd"
    (cd "$gopath/src/github.com/opencontainers/runc" \
      && GOPATH=$gopath:/usr/share/gocode GO111MODULE=off GOFLAGS='' GOPROXY=off \
        GOCACHE=$cache/runc-gocache go build -tags "seccomp urfave_cli_no_docs" \
        -o "contrib/cmd/$cmd/$cmd.tmp" "./contrib/cmd/$cmd") \
      || { say "building $cmd failed (Debian's golang-*-dev packages installed?)"; exit 1; }
    mv "$src/contrib/cmd/$cmd/$cmd.tmp" "$src/contrib/cmd/$cmd/$cmd"
  done
}
build_helpers
bash "$here/runc-images.sh" "$integration/testdata"

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

# The suite's PATH: git, curl and wget refuse, each saying so in the test's
# output.
offline=$out/offline-bin
mkdir -p "$offline"
for tool in git curl wget; do
  cat > "$offline/$tool" <<REFUSE
#!/bin/sh
echo "$tool: refused: tests contact no outside address (tests/conformance/runc-suite.sh)" >&2
exit 1
REFUSE
  chmod 0755 "$offline/$tool"
done
file_timeout=${RUNC_SUITE_FILE_TIMEOUT:-300}

files=()
if [ -n "${RUNC_SUITE_FILES:-}" ]; then
  for f in $RUNC_SUITE_FILES; do files+=("$integration/$f"); done
else
  files=("$integration"/*.bats)
fi

# bats_file NAME RUNTIME FILE TAP [FILTER]: one file (or the tests of it
# FILTER matches) through bats --tap under a terminal: runc's tests expect
# one (upstream's CI runs them under script), as runc run with "terminal":
# true and no --console-socket uses /dev/tty.  Test names get the file's
# name in front (names repeat across files).  The file gets its own TMPDIR,
# where bats keeps every test's runc --root and the helpers' pid files: what
# a test leaves running (a container, recvtty, seccompagent) would hold the
# terminal or bats' output open and hang the run, so it is reaped after the
# file, and a file that outlives $file_timeout seconds is killed.
bats_file ()
{
  local name=$1 runtime=$2 f=$3 tap=$4 filter=${5:-} base raw tmp rc=0
  base=$(basename "$f")
  raw=$out/$name.$base${filter:+.rerun}.tap
  # Short: the tests' unix sockets (recvtty's, seccompagent's) live below
  # it, and a socket's path holds at most 107 bytes.
  # Searchable by all, as /tmp is: tests run containers as other users
  # from bundles below it.
  tmp=$(mktemp -d /tmp/rs.XXXXXX)
  chmod 0755 "$tmp"
  local cmd=(bats --tap)
  [ -n "$filter" ] && cmd+=(--filter "$filter")
  cmd+=("$f")
  : > "$raw"
  (cd "$integration" && PATH=$offline:$PATH GOPROXY=off TMPDIR=$tmp RUNC=$runtime \
    timeout -k 30 "$file_timeout" script -qec \
    "$(printf '%q ' "${cmd[@]}") > $(printf '%q' "$raw") 2>&1" \
    /dev/null < /dev/null > /dev/null) || rc=$?
  reap "$tmp"
  sed -E "s/^((not )?ok [0-9]+ )/\1$base: /" "$raw" >> "$tap"
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    say "$name: $base killed after ${file_timeout}s"
    echo "not ok 0 $base: (the file did not finish within ${file_timeout}s)" >> "$tap"
  fi
}

# reap TMPDIR: what the tests of one file left behind under TMPDIR.  Every
# process the file started carries TMPDIR in its environment (a container's
# own process does not: its runc --root under TMPDIR says where it is).
reap ()
{
  local state id pidfile proc
  for proc in /proc/[0-9]*; do
    [ "${proc#/proc/}" != $$ ] || continue
    if { tr '\0' '\n' < "$proc/environ"; } 2> /dev/null | grep -qxF "TMPDIR=$1"; then
      say "reaping process ${proc#/proc/} ($({ tr '\0' ' ' < "$proc/cmdline"; } 2> /dev/null | cut -c1-80))"
      kill -9 "${proc#/proc/}" 2> /dev/null || true
    fi
  done
  for state in "$1"/bats-run-*/runc.*/state; do
    [ -d "$state" ] || continue
    for id in $("$runc" --root "$state" list -q 2> /dev/null); do
      say "reaping container $id left in $state"
      "$runc" --root "$state" delete -f "$id" > /dev/null 2>&1 || true
    done
  done
  for pidfile in "$1"/bats-run-*/runc.*/tty/pid "$1"/seccompagent.pid; do
    [ -f "$pidfile" ] || continue
    say "reaping process $(cat "$pidfile") ($pidfile)"
    kill -9 "$(cat "$pidfile")" 2> /dev/null || true
  done
  # A test killed halfway leaves its own mounts (mounts_recursive.bats
  # mounts tmpfs below its bundle); rm never crosses into one.
  local m
  awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r \
    | while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$1" || say "cannot remove $1"
}

# run_suite NAME RUNTIME: every file, one TAP file.
run_suite ()
{
  local name=$1 runtime=$2 f start=$SECONDS devnull
  : > "$out/$name.tap"
  # exec.bats checks that the host's /dev/null stays root's (runc #3674);
  # whoever changes it (this run, or anything else on the machine) is named.
  devnull=$(stat -c '%u:%g' /dev/null)
  [ "$devnull" = 0:0 ] || say "$name: host /dev/null is owned by $devnull before the run"
  for f in "${files[@]}"; do
    bats_file "$name" "$runtime" "$f" "$out/$name.tap"
  done
  [ "$(stat -c '%u:%g' /dev/null)" = "$devnull" ] \
    || say "$name: host /dev/null went from $devnull to $(stat -c '%u:%g' /dev/null) during the run"
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

# The known list: "FILE: NAME | why", comments and blank lines left out; only
# the files that were run.
sed -E -e '/^[[:space:]]*(#|$)/d' -e 's/[[:space:]]*\|.*$//' "$known" | sort > "$out/known.all"
: > "$out/known.failures"
for f in "${files[@]}"; do
  grep -F "$(basename "$f"): " "$out/known.all" >> "$out/known.failures" || true
done
sort -o "$out/known.failures" "$out/known.failures"

# Tests to run again: results that differ between the runs, and runc's
# failures that differ from the known list.
{
  diff <(cut -f2 "$out/runc.results" | paste - <(cut -f1 "$out/runc.results") | sort) \
    <(cut -f2 "$out/policyrun.results" | paste - <(cut -f1 "$out/policyrun.results") | sort) \
    | sed -nE 's/^[<>] (.*)\t[a-z]+$/\1/p' || true
  diff <(sed -nE 's/^fail\t//p' "$out/runc.results") "$out/known.failures" \
    | sed -nE 's/^[<>] //p' || true
} | sort -u > "$out/rerun.list"
reruns=$(wc -l < "$out/rerun.list")
if [ "$reruns" -gt 0 ]; then
  say "running again, against both runtimes: $(paste -sd';' "$out/rerun.list")"
  : > "$out/runc.rerun.tap"
  : > "$out/policyrun.rerun.tap"
  while IFS= read -r test; do
    file=${test%%: *} testname=${test#*: }
    # bats --filter is a regular expression: the whole name, quoted.
    filter="^$(printf '%s' "$testname" | sed -e 's/[][\.*^$(){}+?|]/\\&/g')\$"
    bats_file runc "$runc" "$integration/$file" "$out/runc.rerun.tap" "$filter"
    bats_file policyrun "$audit/runc" "$integration/$file" "$out/policyrun.rerun.tap" "$filter"
  done < "$out/rerun.list"
  for name in runc policyrun; do
    results "$out/$name.rerun.tap" > "$out/$name.rerun.results"
    # The second result replaces the first.
    awk -F'\t' 'NR == FNR { again[$2] = $1; next }
      { print (($2 in again) ? again[$2] : $1) "\t" $2 }' \
      "$out/$name.rerun.results" "$out/$name.results" > "$out/$name.results.new"
    mv "$out/$name.results.new" "$out/$name.results"
  done
fi

# ---- the comparison ----------------------------------------------------------
status=0
sed -nE 's/^fail\t//p' "$out/runc.results" > "$out/runc.failures"
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
# One TAP line per test of the suite: its result through policyrun in audit
# mode is runc's own, and a failure of runc's is a listed one.
join -t$'\t' -1 2 -2 2 -a 1 -a 2 -e missing -o 0,1.1,2.1 \
  <(sort -t$'\t' -k2 "$out/runc.results") <(sort -t$'\t' -k2 "$out/policyrun.results") \
  | awk -F'\t' -v known="$out/known.failures" '
    BEGIN { while ((getline k < known) > 0) listed[k] = 1 }
    { n++
      same = $2 == $3 && ($2 != "fail" || ($1 in listed))
      why = $2 == "fail" ? ($1 in listed ? " (listed in runc-known-failures.txt)" : " (not listed)") : ""
      printf "%s %d - %s: runc %s%s, policyrun (audit) %s\n", same ? "ok" : "not ok", n, $1, $2, why, $3 }
    END { print "1.." n }'
records=$(jq -s 'length' "$out/trail.jsonl")
# A subset (RUNC_SUITE_FILES) may start no container: records are required
# of the whole suite only.
if { [ -z "${RUNC_SUITE_FILES:-}" ] && [ "$records" -eq 0 ]; } \
  || ! jq -e -s 'all(.mode == "audit")' "$out/trail.jsonl" > /dev/null; then
  say "the audit run left no audit records in $out/trail.jsonl"
  status=1
fi
printf 'runc-suite: runc %d pass %d fail %d skip; policyrun (audit) %d pass %d fail %d skip; known failures %d; %d re-run; %d audit records; %s (%s)\n' \
  "$(count pass "$out/runc.results")" "$(count fail "$out/runc.results")" \
  "$(count skip "$out/runc.results")" "$(count pass "$out/policyrun.results")" \
  "$(count fail "$out/policyrun.results")" "$(count skip "$out/policyrun.results")" \
  "$(wc -l < "$out/known.failures")" "$reruns" "$records" \
  "$([ "$status" -eq 0 ] && echo PASS || echo FAIL)" "$out"
exit "$status"
