#!/bin/bash
# Helpers for the gVisor-mode tests (gvisor-*.bats): policyrun hands the
# container to the real runsc, called as Docker's/containerd's runc.v2 shim
# calls a runtime (no engine involved).  Load after helpers.bash:
#
#   load helpers
#   load gvisor-helpers
#
# Each test gets what setup_bundle gives ($TMP, $BUNDLE, $ROOT, $STATE,
# $POLICY, $LOG) and an id that is unique on the host: runsc names its
# sandbox's control socket after the id alone, in the abstract namespace.

RUNSC=${RUNSC:-$(command -v runsc || true)}
RUNSC_RECORDER=$INTEGRATION_ROOT/runsc-recorder.sh

# requires_runsc: skip (saying why) when runsc is not installed.
requires_runsc ()
{
  [ -n "$RUNSC" ] && [ -x "$RUNSC" ] \
    || skip "test requires gVisor's runsc (apt-get install runsc; ${RUNSC:-none in PATH})"
}

setup_gvisor ()
{
  requires_runsc
  setup_bundle
  ID=gv$$-$BATS_TEST_NUMBER
  GV_LINKS=()
  GV_CGROUPS=()
}

# What a test may have left: containers on its runsc root, its veth links,
# its cgroups.  runsc processes of this root that outlive delete are killed
# last (by pid, each named by this test's own root).
teardown_gvisor ()
{
  [ -n "${ROOT:-}" ] && [ -d "$ROOT" ] || return 0
  local id pid link cg
  for id in $(__runsc list -quiet 2> /dev/null); do
    __runsc kill "$id" 9 > /dev/null 2>&1 || true
    __runsc delete --force "$id" > /dev/null 2>&1 || true
  done
  for pid in $(runsc_pids); do
    kill -9 "$pid" 2> /dev/null || true
  done
  for link in "${GV_LINKS[@]}"; do
    ip link del "$link" > /dev/null 2>&1 || true
  done
  for cg in "${GV_CGROUPS[@]}"; do
    rmdir "$cg" 2> /dev/null || true
  done
  poll_until no_helpers_left
  # runsc gives its standard streams to the sandbox's user: nothing a test
  # ran may have handed it the host's /dev/null.
  [ "$(stat -c %u:%g:%a /dev/null)" = 0:0:666 ] \
    || fail "the host's /dev/null is now $(stat -c %u:%g:%a /dev/null) (runsc was given it)"
}

# gvisor ARGS...: policyrun in gVisor mode with this test's policy and root,
# as an engine calls it (Docker's runtimeArgs put --gvisor first).
gvisor ()
{
  "$POLICYRUN" --gvisor --policy "$POLICY" --root "$ROOT" "$@"
}

# __runsc ARGS...: the real runsc on this test's root, with the flags it
# needs on this host.
__runsc ()
{
  "$RUNSC" --root="$ROOT" --network=none --oci-seccomp "$@"
}

# The container's status as runsc reports it, or "absent".
gv_status ()
{
  local state
  if state=$(__runsc state "$1" 2> /dev/null); then
    jq -r .status <<< "$state"
  else
    echo absent
  fi
}

gv_has_status ()
{
  [ "$(gv_status "$1")" = "$2" ]
}

gv_stopped ()
{
  local s
  s=$(gv_status "$1")
  [ "$s" = stopped ] || [ "$s" = absent ]
}

# The sandbox's host pid (what runsc state reports).
sandbox_pid ()
{
  __runsc state "$1" | jq -er '.pid | select(. > 0)'
}

# Host pids of runsc processes (sandbox, gofer, runsc itself) on this
# test's root: their command lines name it (the gofer's does not name the
# container, so a test checks this once all its containers are gone).
runsc_pids ()
{
  local p cmd
  for p in /proc/[0-9]*; do
    cmd=$({ tr '\0' ' ' < "$p/cmdline"; } 2> /dev/null) || continue
    [[ "$cmd" == *"--root=$ROOT "* ]] || continue
    [[ "$cmd" == *runsc* ]] || continue
    echo "${p#/proc/}"
  done
  return 0
}

no_runsc_left ()
{
  [ -z "$(runsc_pids)" ]
}

# runsc keeps ROOT/ID_sandbox:ID.{state,lock} (not ROOT/ID/): nothing of ID.
no_runsc_state ()
{
  local id=$1 f
  for f in "$ROOT"/*; do
    [ -e "$f" ] || continue
    [[ "$(basename "$f")" == *"$id"* ]] && return 1
  done
  return 0
}

# assert_nothing_left ID...: after delete or a refused start, no trace of
# the IDs: no runsc process on the root, no runsc state, no private bundle,
# no policyrun helper.
assert_nothing_left ()
{
  local id
  poll_until no_runsc_left
  for id in "$@"; do
    assert_gone "$id"
  done
  poll_until no_helpers_left
}

assert_gone ()
{
  local id=$1
  no_runsc_state "$id" || fail "runsc state of $id left under $ROOT: $(ls -a "$ROOT")"
  [ "$(gv_status "$id")" = absent ] || fail "runsc still knows $id: $(__runsc state "$id")"
  poll_until no_private_bundle "$id"
}

# gv_create ID [ARGS...]: create ID from $BUNDLE as the runc.v2 shim does;
# the container's stdout and stderr go to $TMP/ID.out and $TMP/ID.err
# (files, since the sandbox holds them open after create returns).
gv_create ()
{
  local id=$1
  shift
  status=0
  gvisor --log "$TMP/$id.log" --log-format json create --bundle "$BUNDLE" \
    --pid-file "$TMP/$id.pid" "$@" "$id" > "$TMP/$id.out" 2> "$TMP/$id.err" < /dev/null \
    || status=$?
  stderr=$(cat "$TMP/$id.err")
  [ "$status" -eq 0 ] || fail "create $id failed ($status): $stderr"
}

# gv_start ID: create ID, then start it, as the shim does.
gv_start ()
{
  gv_create "$@" || return 1
  run --separate-stderr gvisor --log "$TMP/$1.log" --log-format json start "$1"
  [ "$status" -eq 0 ] || fail "start $1 failed ($status): $stderr"
}

# The container's output holds a line LINE (for poll_until).
output_has ()
{
  grep -qx -- "$2" "$TMP/$1.out" 2> /dev/null
}

# The host cgroup directory of PID for CONTROLLER (cgroup v1).
pid_cgroup ()
{
  local pid=$1 ctrl=$2 path
  path=$(awk -F: -v c="$ctrl" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' \
    "/proc/$pid/cgroup")
  [ -n "$path" ] || fail "no $ctrl cgroup for pid $pid"
  echo "/sys/fs/cgroup/$ctrl$path"
}

# start_listener: a listener on the host's 127.0.0.1 (the probe's listen
# mode); sets LISTEN_PORT and LISTEN_PID.
start_listener ()
{
  coproc LISTENER { exec "$PROBE" listen 0; }
  LISTEN_PID=$LISTENER_PID
  local line
  read -r line <&"${LISTENER[0]}" || fail "the host listener did not start"
  LISTEN_PORT=${line#port }
  [[ "$LISTEN_PORT" =~ ^[0-9]+$ ]] || fail "the host listener said: $line"
}

stop_listener ()
{
  [ -z "${LISTEN_PID:-}" ] || kill "$LISTEN_PID" 2> /dev/null || true
}

# The probe, from the build, bound read-only at /probe in $BUNDLE.
bind_probe ()
{
  [ -n "${PROBE:-}" ] && [ -x "$PROBE" ] || fail "probe not built: ${PROBE:-unset} (make tests/probe/probe, or set PROBE)"
  mkdir -p "$BUNDLE/rootfs/probe"
  update_config --arg d "$(dirname "$PROBE")" \
    '.mounts += [{destination: "/probe", type: "bind", source: $d, options: ["rbind", "ro"]}]'
}
