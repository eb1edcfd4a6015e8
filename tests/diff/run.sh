#!/bin/bash
# Differential test: what policyrun hands the delegate, decoded the way runc
# decodes it (Go's encoding/json into the runtime-spec types), must hold the
# floor.
#
# Every tests/diff/corpus/*.json and every Docker-captured config in
# tests/fixtures/docker/ becomes a bundle's config.json, and policyrun is run
# on it exactly as containerd runs runc, with tests/diff/recorder.sh as the
# delegate.  Then:
#   refused   exit 1, nothing on stdout, one "policyrun: ..." line on stderr,
#             exactly one JSON error line in --log, the delegate never called;
#             a failure for accept-* cases;
#   accepted  the delegate was handed a private bundle (not the caller's, mode
#             0700, under the policy's state_dir) whose config.json holds the
#             floor in runc's view (tests/diff/decode); a failure for
#             refuse-* cases.
# accept-* and refuse-* cases (but refuse-strict-*) also prove themselves:
# runc's view of the original file, forgiving only what policyrun tightens
# (absent limits, deny-listed syscalls in allow rules, ...), must hold the
# floor, or be below it (or undecodable), respectively.
#
# DIFF_MODE=harden runs the same corpus under a harden policy.  Then every
# case that enforce refuses must either be rewritten and accepted, its
# hand-off holding the floor in runc's view, or be refused as what cannot
# be made safe: by the loader (rule "config": not strict JSON), or by the
# rules tests/diff/harden-refused.txt gives for it, exactly.  accept-*
# cases must come through as in enforce mode.
#
# Output is TAP.  Environment: POLICYRUN (default: ./policyrun),
# GOPATH_SPECS (where golang-github-opencontainers-specs-dev lives, default
# /usr/share/gocode), DIFF_ONLY (a shell pattern selecting case names),
# DIFF_KEEP (set: keep the bundles, records and logs for a look).
set -u
shopt -s extglob

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# The binary under test: $POLICYRUN, else ./policyrun (the build directory,
# as automake runs tests), else the source tree's.
if [ -z "${POLICYRUN:-}" ]; then
  POLICYRUN=$top/policyrun
  [ -x ./policyrun ] && POLICYRUN=./policyrun
fi
case $POLICYRUN in
  /*) ;;
  */*) POLICYRUN=$PWD/$POLICYRUN ;;
  *) POLICYRUN=$(command -v "$POLICYRUN" || echo "$POLICYRUN") ;;
esac
RECORDER=$here/recorder.sh
GOPATH_SPECS=${GOPATH_SPECS:-/usr/share/gocode}
DIFF_ONLY=${DIFF_ONLY:-*}
DIFF_MODE=${DIFF_MODE:-enforce}
case $DIFF_MODE in
  enforce | harden) ;;
  *) echo "Bail out! DIFF_MODE is \"$DIFF_MODE\", not enforce or harden"; exit 1 ;;
esac
HARDEN_REFUSED=$here/harden-refused.txt

if ! command -v go > /dev/null 2>&1; then
  echo "1..0 # SKIP go is missing (Debian: apt-get install golang-go golang-github-opencontainers-specs-dev)"
  exit 0
fi
for tool in jq timeout; do
  command -v "$tool" > /dev/null 2>&1 || { echo "Bail out! $tool is missing"; exit 1; }
done
[ -x "$POLICYRUN" ] || { echo "Bail out! $POLICYRUN is not an executable (build it first)"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/policyrun-diff.XXXXXX") || { echo "Bail out! mktemp failed"; exit 1; }
sleeper=
# shellcheck disable=SC2317  # run by the trap
cleanup ()
{
  [ -n "$sleeper" ] && kill "$sleeper" 2> /dev/null
  if [ -n "${DIFF_KEEP:-}" ]; then
    echo "# kept $TMP"
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
mkdir -p "$TMP/state" "$TMP/root" "$TMP/cwd" "$TMP/bundles" "$TMP/rec"
jq -n --arg s "$TMP/state" --arg t "$TMP/decisions.jsonl" --arg m "$DIFF_MODE" \
  '{mode: $m, state_dir: $s, trail_file: $t}' > "$TMP/policy.json"

# harden: the rule ids a case that cannot be made safe is refused by
# ("refuse-linux-devices devices"), from harden-refused.txt.
harden_refused_rules ()
{
  [ -f "$HARDEN_REFUSED" ] || return 1
  awk -v n="$1" '$1 == n { $1 = ""; sub(/^ /, ""); sub(/ *#.*/, ""); print; found = 1 } END { exit !found }' \
    "$HARDEN_REFUSED"
}

# ---------------------------------------------------------------- decoder
# Built offline from Debian's Go packages; cached by the hash of its source
# and of the Go toolchain.
build_decoder ()
{
  local src=$here/decode/main.go key cache
  key=$( (go version; cat "$src") | sha256sum | cut -c1-16)
  cache=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/policyrun-diff
  if ! mkdir -p "$cache" 2> /dev/null || [ ! -w "$cache" ]; then
    cache=$TMP/cache
    mkdir -p "$cache"
  fi
  DECODE=$cache/decode-$key
  [ -x "$DECODE" ] && return 0
  if ! (cd "$here/decode" && GOPATH=$GOPATH_SPECS GO111MODULE=off GOPROXY=off GOFLAGS='' \
    GOCACHE=$cache/gocache go build -o "$DECODE.tmp" .) > "$TMP/build.log" 2>&1; then
    echo "Bail out! cannot build tests/diff/decode (needs golang-github-opencontainers-specs-dev in $GOPATH_SPECS)"
    sed 's/^/# /' "$TMP/build.log"
    exit 1
  fi
  mv -f "$DECODE.tmp" "$DECODE"
  find "$cache" -maxdepth 1 -name 'decode-*' ! -name "decode-$key" -delete 2> /dev/null
}
build_decoder

# ---------------------------------------------------------------- TAP
n=0
failed=0
tap ()
{
  n=$((n + 1))
  if [ "$1" = ok ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    failed=$((failed + 1))
  fi
}
diag () { sed 's/^/#   /'; }
show ()
{
  local label=$1 file=$2
  echo "#  $label:"
  if [ -s "$file" ]; then head -c 4000 "$file" | cat -v | diag; echo; else echo "#   (empty)"; fi
}

# Live PIDs behind Docker's /proc/PID/exe hook in a captured config: the
# floor must then judge whatever binary that is, so "accept" cannot be
# expected.
live_hook_pid ()
{
  local p
  for p in $(jq -r '[.hooks // {} | .[] | .[]? | .path] | .[]' "$1" 2> /dev/null \
    | sed -n 's|^/proc/\([0-9][0-9]*\)/exe$|\1|p'); do
    [ -e "/proc/$p" ] && { echo "$p"; return 0; }
  done
  return 1
}

# The expectation in this mode: under harden, what enforce refuses is
# hardened (see above).
mode_expect ()
{
  local name=$1 expect=$2
  if [ "$DIFF_MODE" = harden ] && { [ "$expect" = refuse ] || [ "$expect" = strict ]; }; then
    echo hardened
  else
    echo "$expect"
  fi
}

# run_case NAME FILE EXPECT   (EXPECT: accept, refuse, strict, any, or
# hardened: below the floor, rewritten to it, accepted)
idx=0
run_case ()
{
  local name=$1 file=$2 expect proof=$3
  expect=$(mode_expect "$1" "$3")
  idx=$((idx + 1))
  local B=$TMP/bundles/$idx R=$TMP/rec/$idx id=diff-$idx rc problems=()
  mkdir -p "$B/rootfs" "$R"
  cp -- "$file" "$B/config.json"
  # Docker's setkey hook names the container it was captured for: create
  # that one, as Docker would.
  local hooked
  hooked=$(jq -r 'first(.hooks.prestart[]? | select(.args[0]? == "libnetwork-setkey")
    | .args[2]) // empty' "$file" 2> /dev/null)
  [ -n "$hooked" ] && id=$hooked
  ln -s / "$B/hostroot"
  : > "$B/code.py"

  # The case proves itself: runc's view of the caller's file, forgiving
  # what policyrun tightens, must agree with the expectation.
  case $proof in
    accept | refuse)
      "$DECODE" -caller -bundle "$B" "$B/config.json" > "$R/orig.decode" 2>&1
      local holds=no what
      [ "$(cat "$R/orig.decode")" = ok ] && holds=yes
      if [ "$proof" = accept ]; then
        what="holds the floor (once tightened) in runc's view of the original"
      else
        what="is below the floor in runc's view of the original"
      fi
      if [ "$holds" = "$([ "$proof" = accept ] && echo yes || echo no)" ]; then
        tap ok "$name: $what"
      else
        tap "not ok" "$name: $what"
        show "runc's view of the original (tests/diff/decode -caller)" "$R/orig.decode"
      fi
      ;;
  esac

  # A root of its own: cases that name the same id (Docker's setkey hook)
  # must not find each other's container.
  mkdir -p "$TMP/root/$idx"
  (cd "$TMP/cwd" && RECORD_DIR=$R timeout 20 "$POLICYRUN" --policy "$TMP/policy.json" \
    --delegate "$RECORDER" --root "$TMP/root/$idx" --log "$B/log.json" --log-format json \
    create --bundle "$B" --pid-file "$B/pid" "$id") > "$R/stdout" 2> "$R/stderr"
  rc=$?

  if [ $rc -ne 0 ]; then
    [ $rc -eq 1 ] || problems+=("exit status $rc, not 1")
    [ -e "$R/argv" ] && problems+=("refused, yet the delegate was called")
    [ -s "$R/stdout" ] && problems+=("wrote to stdout")
    if [ "$(wc -l < "$R/stderr")" != 1 ] || ! head -c 10 "$R/stderr" | grep -q '^policyrun:'; then
      problems+=("stderr is not one \"policyrun: ...\" line")
    fi
    if [ ! -f "$B/log.json" ]; then
      problems+=("no --log file")
    elif [ "$(wc -l < "$B/log.json")" != 1 ] \
      || ! jq -e -s 'length == 1 and .[0].level == "error" and (.[0].msg | type == "string" and startswith("policyrun:")) and (.[0].time | type == "string")' \
        "$B/log.json" > /dev/null 2>&1; then
      problems+=("--log is not exactly one JSON line {level: error, msg: \"policyrun: ...\", time}")
    fi
    if [ "$expect" = accept ]; then
      problems+=("refused a config that must be accepted")
      [ "$name" = accept-floor-ok ] && echo "# the corpus's base config is refused: every refuse-* result is inconclusive"
    fi
    local want='' got_rules=''
    if [ "$expect" = hardened ]; then
      # What harden could not make safe, by the rules the trail names.
      got_rules=$(jq -r --arg id "$id" 'select(.id == $id) | [.violations[].rule] | unique | join(" ")' \
        "$TMP/decisions.jsonl" 2> /dev/null | tail -n 1)
      if want=$(harden_refused_rules "$name"); then
        [ "$got_rules" = "$want" ] || problems+=("refused by \"$got_rules\", harden-refused.txt says \"$want\"")
      elif [ "$got_rules" = config ]; then
        want="config"
      else
        problems+=("refused by \"$got_rules\": harden must rewrite it, or harden-refused.txt must say why not")
      fi
    fi
    if [ ${#problems[@]} -eq 0 ]; then
      tap ok "$name: refused${want:+ ($want: cannot be made safe)}"
    else
      tap "not ok" "$name: refused: $(IFS=';'; echo "${problems[*]}")"
      show "stderr" "$R/stderr"
      show "log.json" "$B/log.json"
      [ -s "$R/stdout" ] && show "stdout" "$R/stdout"
    fi
    return
  fi

  local got='' mode='' decoded=''
  if [ ! -e "$R/argv" ]; then
    problems+=("exit 0 but the delegate was never called")
  else
    got=$(cat "$R/bundle")
    if [ "$(realpath -m -- "$got")" = "$(realpath -m -- "$B")" ]; then
      problems+=("the delegate got the caller's bundle")
    fi
    case $got in
      "$TMP/state/"*) ;;
      *) problems+=("the delegate's bundle $got is not under state_dir") ;;
    esac
    mode=$(stat -c %a -- "$got" 2> /dev/null)
    [ "$mode" = 700 ] || problems+=("the private bundle's mode is ${mode:-unknown}, not 700")
    local decode_flags=()
    [ "$DIFF_MODE" = harden ] && decode_flags=(-harden)
    "$DECODE" -bundle "$got" -orig "$B/config.json" "${decode_flags[@]}" "$R/config.json" \
      > "$R/decode" 2>&1
    decoded=$(cat "$R/decode")
    [ "$decoded" = ok ] || problems+=("runc's view of what the delegate got is below the floor")
  fi
  case $expect in
    refuse | strict) problems+=("accepted a config that must be refused") ;;
    hardened)
      harden_refused_rules "$name" > /dev/null && problems+=("harden-refused.txt says it cannot be made safe, yet it was accepted")
      ;;
  esac
  if [ ${#problems[@]} -eq 0 ]; then
    tap ok "$name: accepted$([ "$expect" = hardened ] && echo " (hardened)"), runc's view of the hand-off holds the floor"
  else
    tap "not ok" "$name: accepted: $(IFS=';'; echo "${problems[*]}")"
    [ -s "$R/decode" ] && show "runc's view (tests/diff/decode)" "$R/decode"
    show "stderr" "$R/stderr"
    [ -e "$R/argv" ] && echo "#  delegate argv: $(tr '\0' ' ' < "$R/argv")"
  fi
}

# ---------------------------------------------------------------- corpus
for f in "$here"/corpus/*.json; do
  name=$(basename "$f" .json)
  # shellcheck disable=SC2254
  case $name in $DIFF_ONLY) ;; *) continue ;; esac
  case $name in
    accept-*) run_case "$name" "$f" accept ;;
    refuse-strict-*) run_case "$name" "$f" strict ;;
    refuse-*) run_case "$name" "$f" refuse ;;
    any-*) run_case "$name" "$f" any ;;
    *) tap "not ok" "$name: corpus file name must start with accept-, refuse- or any-" ;;
  esac
done

# Docker's hook shape naming a live process that is not the Docker daemon:
# resolving /proc/PID/exe is the only thing that tells them apart.
sleep 600 &
sleeper=$!
live=refuse-hook-live-pid-not-dockerd
# shellcheck disable=SC2254
case $live in
  $DIFF_ONLY)
    jq --arg p "/proc/$sleeper/exe" '.hooks = {prestart: [{path: $p,
      args: ["libnetwork-setkey", "-exec-root=/var/run/docker", "abc", "def"]}]}' \
      "$here/corpus/accept-floor-ok.json" > "$TMP/live-pid.json"
    run_case "$live" "$TMP/live-pid.json" refuse
    ;;
esac

# ---------------------------------------------------------------- Docker's own configs
# Floor-holding captures must be accepted (absent limits filled in, ptrace and
# io_uring_* taken out of Docker's profile); each single loosening refused.
# A capture not named here is expected to be what runc's view of it says.
docker_expect ()
{
  case $1 in
    doc-flags-user | no-limits | tmpfs | sysctl-kernel) echo accept ;;
    bind-root | cap-add-net-raw | cpus-2 | device | doc-flags | ipc-host | memory-200m | network-host \
      | no-cap-drop | no-nnp | no-read-only | no-user | pid-host | plain | privileged \
      | seccomp-unconfined | swap-above | writable-bind) echo refuse ;;
    *)
      if [ "$("$DECODE" -caller "$2")" = ok ]; then echo accept; else echo refuse; fi
      ;;
  esac
}
for f in "$top"/tests/fixtures/docker/*.json; do
  [ -e "$f" ] || continue
  base=$(basename "$f" .json)
  name=docker-$base
  # shellcheck disable=SC2254
  case $name in $DIFF_ONLY) ;; *) continue ;; esac
  # Only bundle configs: exec's process files and update's resources are not.
  argv=${f%.json}.argv
  if [ -f "$argv" ]; then
    jq -e -s 'any(.[]; index("create") != null or index("run") != null)' "$argv" > /dev/null 2>&1 || continue
  else
    jq -e 'has("ociVersion")' "$f" > /dev/null 2>&1 || continue
  fi
  expect=$(docker_expect "$base" "$f")
  if [ "$expect" = accept ] && pid=$(live_hook_pid "$f"); then
    echo "# $name: PID $pid of its hook is alive on this host; not expecting acceptance"
    expect=any
  fi
  run_case "$name" "$f" "$expect"
done

echo "1..$n"
if [ $failed -ne 0 ]; then
  echo "# $failed of $n failed"
  exit 1
fi
exit 0
