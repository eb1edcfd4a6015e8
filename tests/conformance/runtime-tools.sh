#!/bin/bash
# runtime-tools.sh: the OCI runtime-tools validation suite run against runc
# alone and against policyrun in audit mode ("mode": "audit", delegate runc),
# compared.  Audit mode must be transparent: every validation program must
# give policyrun exactly the results it gives runc, and runc's own failures
# on this machine must be the ones runtime-tools-known-failures.txt lists
# (each with its reason).  Either difference fails the script.
#
# The suite is Debian's: the source package golang-github-opencontainers-
# runtime-tools (apt-get source through sources.sh; the binary -dev package
# has the libraries but not validation/ nor cmd/runtimetest), built with
# Debian's Go in GOPATH mode against Debian's golang-*-dev packages (Debian
# strips vendored modules).  The one library Debian does not package,
# github.com/mndrix/tap-go, is replaced by runtime-tools-tap.go.  The
# programs' root filesystem (rootfs-amd64.tar.gz) is built from Debian's
# busybox-static.
#
# Environment:
#   POLICYRUN          the policyrun binary under test (required)
#   RUNC               the real runc (default: runc on PATH)
#   CONFORMANCE_CACHE  where the source, the build and the rootfs are kept
#                      (default /var/cache/policyrun-conformance)
#   RUNTIME_TOOLS_SRC  an unpacked runtime-tools source tree to use instead
#                      of Debian's source package
#   RUNTIME_TOOLS_ONLY validation names to run (space separated; debugging:
#                      the known-failure comparison then covers those only)
#   RUNTIME_TOOLS_TIMEOUT  seconds one program may take (default 120)
#   RUNTIME_TOOLS_SERIAL=1 run the two suites one after the other
#   RUNTIME_TOOLS_ALLOW_SKIP=1  when the source cannot be fetched, print a
#                      TAP skip saying so and exit 0 (default: fail)
#   RUNTIME_TOOLS_KEEP=1   keep the work directory (raw TAP, stderr, trail)
# With --record, runc's failures are printed in the known-failures format
# (reasons to be written by hand) and nothing is compared.
#
# Results are compared as "PROGRAM #N ok|not ok - DESCRIPTION" lines, one
# "PROGRAM plan N" line (the count of test points), and a failure line for
# a non-zero exit and for a YAML "error" that follows no test point (some
# programs report failures only that way).  TAP's other YAML and the
# diagnostics (pids, container ids, bundle paths, stderr) are left out, and
# container ids are normalised.  Prints TAP on stdout (per program: runc's
# failures are the known ones; policyrun gives runc's results) and one
# summary line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
record=false
[ "${1:-}" = --record ] && record=true

: "${POLICYRUN:?set POLICYRUN to the policyrun binary under test}"
POLICYRUN=$(realpath "$POLICYRUN")
RUNC=$(command -v "${RUNC:-runc}") || { echo "runtime-tools.sh: no runc" >&2; exit 1; }
cache=${CONFORMANCE_CACHE:-/var/cache/policyrun-conformance}
per_program=${RUNTIME_TOOLS_TIMEOUT:-120}
known=$here/runtime-tools-known-failures.txt
started=$(date +%s)

say () { echo "runtime-tools: $*" >&2; }
die () { say "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (the validations create real containers)"
for tool in go jq tar timeout; do
  command -v "$tool" > /dev/null || die "needs $tool"
done

# ---- the source ------------------------------------------------------------
if [ -n "${RUNTIME_TOOLS_SRC:-}" ]; then
  src=$(realpath "$RUNTIME_TOOLS_SRC")
else
  if ! src=$(bash "$here/sources.sh" golang-github-opencontainers-runtime-tools "$cache/src"); then
    why="Debian's source of golang-github-opencontainers-runtime-tools cannot be fetched"
    # A machine whose mirror lacks the source may be let off, loudly.
    if [ "${RUNTIME_TOOLS_ALLOW_SKIP:-}" = 1 ]; then
      echo "1..1"
      echo "ok 1 # SKIP runtime-tools: $why (apt-get source failed)"
      exit 0
    fi
    die "$why"
  fi
fi
[ -d "$src/validation" ] && [ -d "$src/cmd/runtimetest" ] \
  || die "$src has no validation/ or cmd/runtimetest/"

# ---- the build -------------------------------------------------------------
# One build per source tree, tap shim and Go: the key names all three.
key=$( (echo "$src"; go version; sha256sum "$here/runtime-tools-tap.go" \
  ; find "$src/validation" "$src/cmd/runtimetest" -name '*.go' -print0 | sort -z \
  | xargs -0 sha256sum) | sha256sum | cut -c1-16)
build=$cache/runtime-tools-build-$key
if [ ! -f "$build/.done" ]; then
  say "building the validation programs in $build"
  rm -rf "$build"
  gopath=$build/gopath
  mkdir -p "$gopath/src/github.com/opencontainers" "$gopath/src/github.com/mndrix/tap-go" \
    "$build/bin"
  cp -a "$src" "$gopath/src/github.com/opencontainers/runtime-tools"
  # Debian's libraries, not whatever a tree brings along.
  rm -rf "$gopath/src/github.com/opencontainers/runtime-tools/vendor"
  cp "$here/runtime-tools-tap.go" "$gopath/src/github.com/mndrix/tap-go/tap.go"
  # Debian's Go, GOPATH mode, Debian's libraries only: nothing is downloaded.
  export GOPATH=$gopath:/usr/share/gocode GO111MODULE=off GOPROXY=off GOFLAGS=
  export GOCACHE=$cache/gocache
  (
    cd "$gopath/src/github.com/opencontainers/runtime-tools"
    # runtimetest runs inside the busybox rootfs: static, no libc.
    CGO_ENABLED=0 go build -o "$build/bin/runtimetest" ./cmd/runtimetest
    # One main per validation/NAME/; -o DIR names each binary NAME.
    mapfile -t mains < <(find validation -mindepth 2 -maxdepth 2 -name '*.go' \
      ! -path 'validation/util/*' -printf './%h\n' | sort -u)
    go build -o "$build/bin/" "${mains[@]}"
  ) || die "the validation programs do not build"
  touch "$build/.done"
fi

# ---- the root filesystem ----------------------------------------------------
# What PrepareBundle untars into every bundle: Debian's busybox-static, one
# hard link per applet, a passwd and a group.
rootfs_tar=$cache/rootfs-amd64.tar.gz
if [ ! -f "$rootfs_tar" ]; then
  busybox=/bin/busybox
  [ -x "$busybox" ] && ! ldd "$busybox" > /dev/null 2>&1 \
    || die "install busybox-static (the rootfs needs a static busybox)"
  dir=$(mktemp -d)
  mkdir -p "$dir"/{bin,sbin,dev,etc,proc,sys,tmp,root,run,var,usr/bin,usr/sbin}
  chmod 1777 "$dir/tmp"
  cp "$busybox" "$dir/bin/busybox"
  for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln "$dir/bin/busybox" "$dir/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
    > "$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$dir/etc/group"
  tar -C "$dir" --numeric-owner -czf "$rootfs_tar.tmp" .
  mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$dir"
fi

# ---- the runs ----------------------------------------------------------------
work=$(mktemp -d /tmp/runtime-tools.XXXXXX)
cleanup ()
{
  local root id
  for root in "$work"/root-*; do
    [ -d "$root" ] || continue
    for id in $("$RUNC" --root "$root" list -q 2> /dev/null); do
      "$RUNC" --root "$root" delete -f "$id" > /dev/null 2>&1 || true
    done
  done
  rm -rf "$work"
  # runc removes a container's own cgroup, not the parents the relative
  # cgroupsPath validations (testdir/cgrouptest/container) made: empty
  # ones go.
  find /sys/fs/cgroup -maxdepth 6 -type d -path '*/testdir/cgrouptest' 2> /dev/null \
    | while read -r dir; do rmdir "$dir" "${dir%/cgrouptest}" 2> /dev/null || true; done
}
trap cleanup EXIT
[ -n "${RUNTIME_TOOLS_KEEP:-}" ] && trap - EXIT && say "keeping $work"

# The programs run from a directory holding runtimetest and the rootfs
# tarball (PrepareBundle and CopyFile use relative names).
mkdir -p "$work/cwd"
cp "$build/bin/runtimetest" "$work/cwd/runtimetest"
ln -s "$rootfs_tar" "$work/cwd/rootfs-amd64.tar.gz"

# Both runtimes get a --root of their own, so what the suite leaves behind
# is found and removed, and nobody else's containers are touched.
mkdir -p "$work/bin"
cat > "$work/bin/runc" <<EOF
#!/bin/sh
exec '$RUNC' --root '$work/root-runc' "\$@"
EOF
jq -n --arg d "$RUNC" --arg t "$work/trail/decisions.jsonl" --arg s "$work/state" \
  '{mode: "audit", delegate: $d, trail_file: $t, state_dir: $s}' > "$work/policy.json"
cat > "$work/bin/policyrun" <<EOF
#!/bin/sh
exec '$POLICYRUN' --policy '$work/policy.json' '--root' '$work/root-policyrun' "\$@"
EOF
chmod +x "$work/bin/runc" "$work/bin/policyrun"

programs=()
if [ -n "${RUNTIME_TOOLS_ONLY:-}" ]; then
  read -r -a programs <<< "$RUNTIME_TOOLS_ONLY"
else
  for p in "$build"/bin/*; do
    name=${p##*/}
    [ "$name" = runtimetest ] || programs+=("$name")
  done
fi

# run_programs RUNTIME NAME...: the programs against $work/bin/RUNTIME; the
# normalised results appended to $work/RUNTIME.results, the raw TAP and
# stderr kept under $work/RUNTIME/.
run_programs ()
{
  local runtime=$1 out=$work/$1 name rc id
  shift
  mkdir -p "$out" "$work/tmp-$runtime"
  for name in "$@"; do
    rc=0
    (cd "$work/cwd" && RUNTIME=$work/bin/$runtime TMPDIR=$work/tmp-$runtime \
      timeout -k 10 "$per_program" "$build/bin/$name" > "$out/$name.tap" 2> "$out/$name.err") \
      || rc=$?
    normalise "$name" "$rc" "$out/$name.tap" < "$out/$name.tap" >> "$work/$runtime.results"
    # What a program left behind would change the next one's results.
    for id in $("$RUNC" --root "$work/root-$runtime" list -q 2> /dev/null); do
      "$RUNC" --root "$work/root-$runtime" delete -f "$id" > /dev/null 2>&1 || true
    done
  done
}

# normalise NAME STATUS TAPFILE < TAPFILE: one line per test point, then the program's
# exit status when it is not 0 (a crash or util.Fatal is a failure too).
normalise ()
{
  local uuid='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
  sed -nE "s/^(not ok|ok) ([0-9]+)( - | |$)/$1 #\\2 \\1 - /p" \
    | sed -E -e "s/$uuid/ID/g" -e 's#/ocitest[0-9]+#/ocitestN#g' -e 's/ - $//'
  # A program's count of test points (one that prints none is seen too).
  echo "$1 plan $(grep -cE '^(not ok|ok) [0-9]+' "$3" || true)"
  # Some programs report a failure only as a YAML block that follows no
  # test point (poststart, poststop_fail, prestart_fail, ...): each such
  # block is a failure, named by the first line of its "error".
  awk -v name="$1" '
    /^(not ok|ok) [0-9]+/ { last = "point"; next }
    # the second line of a description made of an rfc2119 error
    /^Refer to: / && last == "point" { next }
    /^  ---$/ { inyaml = 1; orphan = (last != "point"); text = ""; want = 0; next }
    inyaml && /^  \.\.\.$/ {
      inyaml = 0; last = "yaml"
      if (orphan) print name " #- not ok - unreported: " (text == "" ? "(no error)" : text)
      next
    }
    inyaml {
      if (want) { sub(/^ +/, ""); text = $0; want = 0; next }
      if (text == "" && $0 ~ /^  error: /) {
        v = $0; sub(/^  error: /, "", v)
        if (v ~ /^[|>]-?$/) want = 1; else { gsub(/^"|"$/, "", v); text = v }
      }
      next
    }
    { last = "other" }
  ' "$3" | sed -E -e "s/$uuid/ID/g" -e 's/[0-9]{3,}/N/g'
  case $2 in
    0) ;;
    124 | 137) echo "$1 #- not ok - timed out after ${per_program}s" ;;
    *) echo "$1 #- not ok - exited $2" ;;
  esac
}

failures () { grep -E '^[^ ]+ #[0-9-]+ not ok' "$1" | grep -v ' # TODO' || true; }

# The two runs go side by side (two cores), except the programs that use
# runtime-tools' fixed cgroup paths (/cgrouptest, testdir/cgrouptest/...,
# pids/cgrouptest): those run one runtime after the other.
shared=() own=()
for name in "${programs[@]}"; do
  case $name in
    linux_cgroups_* | delete_only_create_resources | delete_resources) shared+=("$name") ;;
    *) own+=("$name") ;;
  esac
done
: > "$work/runc.results"
: > "$work/policyrun.results"
say "${#programs[@]} programs against runc alone and policyrun in audit mode"
if [ "${RUNTIME_TOOLS_SERIAL:-}" = 1 ]; then
  run_programs runc "${own[@]}"
  run_programs policyrun "${own[@]}"
else
  run_programs runc "${own[@]}" &
  runc_job=$!
  run_programs policyrun "${own[@]}"
  wait "$runc_job"
fi
run_programs runc "${shared[@]}"
run_programs policyrun "${shared[@]}"
elapsed=$(($(date +%s) - started))

# Test points whose result is a race in the validation itself (listed as
# "flaky PROGRAM #N" with the reason) are left out of both comparisons.
grep -E '^flaky [^ ]+ #[0-9]+' "$known" | awk '{print $2 " " $3 " "}' > "$work/flaky" || true
for runtime in runc policyrun; do
  grep -v -F -f "$work/flaky" "$work/$runtime.results" > "$work/$runtime.compared" || true
done

count () { grep -cE "^[^ ]+ #[0-9-]+ $2( |$)" "$1" || true; }
runc_ok=$(count "$work/runc.compared" ok) runc_nok=$(count "$work/runc.compared" 'not ok')
pr_ok=$(count "$work/policyrun.compared" ok) pr_nok=$(count "$work/policyrun.compared" 'not ok')
nflaky=$(($(wc -l < "$work/runc.results") - $(wc -l < "$work/runc.compared")))

if $record; then
  failures "$work/runc.compared"
  say "runc $runc_ok ok, $runc_nok not ok; policyrun $pr_ok ok, $pr_nok not ok;" \
    "$nflaky flaky left out (${elapsed}s)"
  exit 0
fi

status=0
# The audit mode really ran: every program's create went through policyrun
# and left an audit record.
if ! jq -e -s 'length > 0 and all(.mode == "audit")' "$work/trail/decisions.jsonl" \
  > /dev/null 2>&1; then
  say "FAIL: policyrun wrote no audit trail (is \"mode\": \"audit\" in force?)"
  status=1
fi

# runc on this machine: exactly the known failures.
{ grep -vE '^[[:space:]]*(#|$)|^flaky ' "$known" || true; } | sort > "$work/known"
if [ -n "${RUNTIME_TOOLS_ONLY:-}" ]; then
  pattern=$(printf '%s\n' "${programs[@]}" | sed 's/.*/^& #/')
  grep -f <(echo "$pattern") "$work/known" > "$work/known.only" || true
  mv "$work/known.only" "$work/known"
fi
failures "$work/runc.compared" | sort > "$work/runc.failures"
if ! diff -u --label known-failures "$work/known" --label runc "$work/runc.failures" \
  > "$work/known.diff"; then
  say "FAIL: runc's failures here are not the known ones (- known, + runc):"
  cat "$work/known.diff" >&2
  status=1
fi

# policyrun in audit mode: exactly runc's results, passes and failures.
if ! diff -u --label runc "$work/runc.compared" --label policyrun "$work/policyrun.compared" \
  > "$work/transparency.diff"; then
  say "FAIL: policyrun in audit mode is not transparent (- runc, + policyrun):"
  cat "$work/transparency.diff" >&2
  for name in $(sed -nE 's/^[-+]([a-z0-9_]+) .*/\1/p' "$work/transparency.diff" | sort -u); do
    say "--- $name under policyrun, stderr:"
    sed 's/^/    /' "$work/policyrun/$name.err" >&2 || true
    say "--- $name under runc, stderr:"
    sed 's/^/    /' "$work/runc/$name.err" >&2 || true
  done
  status=1
fi

# TAP on stdout, for the test runner's count: per program, whether runc's
# failures are the known ones and whether policyrun gave runc's results.
lines_of () { grep -E "^$1 " "$2" || true; }
echo "1..$((2 * ${#programs[@]} + 1))"
n=1
trail_ok=ok
[ -s "$work/trail/decisions.jsonl" ] || trail_ok="not ok"
echo "$trail_ok $n - runtime-tools: policyrun in audit mode wrote its trail"
for name in "${own[@]}" "${shared[@]}"; do
  n=$((n + 1))
  if diff <(lines_of "$name" "$work/known") <(lines_of "$name" "$work/runc.failures") \
    > /dev/null; then
    echo "ok $n - runtime-tools $name: runc's failures are the known ones"
  else
    echo "not ok $n - runtime-tools $name: runc's failures are not the known ones"
  fi
  n=$((n + 1))
  if diff <(lines_of "$name" "$work/runc.compared") \
    <(lines_of "$name" "$work/policyrun.compared") > /dev/null; then
    echo "ok $n - runtime-tools $name: policyrun in audit mode gives runc's results"
  else
    echo "not ok $n - runtime-tools $name: policyrun in audit mode differs from runc"
  fi
done

verdict=transparent
[ $status = 0 ] || verdict=FAILED
echo "runtime-tools: ${#programs[@]} programs; runc $runc_ok ok, $runc_nok not ok" \
  "($(wc -l < "$work/known") known); policyrun audit $pr_ok ok, $pr_nok not ok;" \
  "$nflaky flaky left out; $verdict (${elapsed}s)"
exit $status
