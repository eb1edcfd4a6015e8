#!/bin/bash
# Helpers for the CRI tests (tests/integration/cri-*.bats): one private
# containerd with the CRI plugin per test file (start-containerd.sh), driven
# by cri.py the way kubelet drives it.  Loaded after the integration
# helpers.bash (requires, fail, check_policyrun, POLICYRUN).
#
# After cri_setup_file: CRI_SOCK, CRI_ROOT, CRI_PID, CRI_WRAPPER_LOG,
# CRI_CONFIGS, CRI_STATE, CRI_RUNC_ROOT (see start-containerd.sh), and
# `cri ARGS` runs the client against the rig.

# Variables set here are used by the .bats files that load this one.
# shellcheck disable=SC2034

CRI_DIR=$(cd "$BATS_TEST_DIRNAME/../cri" && pwd)
CRI_SPECS=$CRI_DIR/specs
export POLICYRUN_CRI_ROOT=${POLICYRUN_CRI_ROOT:-/run/policyrun-cri}
export POLICYRUN_CRI_DATA=${POLICYRUN_CRI_DATA:-/var/lib/policyrun-cri}

cri ()
{
  /usr/bin/python3 "$CRI_DIR/cri.py" --sock "$CRI_SOCK" "$@"
}

# Prints a line on the terminal bats reports to (not captured as output).
cri_note ()
{
  echo "# $*" >&3
}

# Skips (saying why) when this machine cannot run the rig.
cri_requires ()
{
  requires root jq cgroups_v1
  [ -x /usr/bin/containerd ] || skip "test requires containerd 1.6 (apt-get install containerd)"
  [ -x /usr/bin/containerd-shim-runc-v2 ] || skip "test requires containerd-shim-runc-v2 (apt-get install containerd)"
  [ -x /usr/lib/cni/loopback ] \
    || skip "test requires the CNI loopback plugin (apt-get install containernetworking-plugins)"
  /usr/bin/python3 -c 'import grpc, grpc_tools' 2> /dev/null \
    || skip "test requires python3 gRPC (apt-get install python3-grpcio python3-grpc-tools)"
  command -v gcc > /dev/null || skip "test requires gcc to build the pause image"
  file -L /bin/busybox 2> /dev/null | grep -q 'statically linked' \
    || skip "test requires a static busybox (apt-get install busybox-static)"
}

cri_setup_file ()
{
  cri_requires
  check_policyrun
  export CRI_FILE_START=$SECONDS
  POLICYRUN=$POLICYRUN "$CRI_DIR/start-containerd.sh" > /dev/null \
    || fail "could not start the CRI containerd (log: $POLICYRUN_CRI_ROOT/containerd.log)"
  # shellcheck disable=SC1091
  source "$POLICYRUN_CRI_ROOT/env"
  export CRI_SOCK CRI_ROOT CRI_PID CRI_WRAPPER_LOG CRI_CONFIGS CRI_STATE CRI_RUNC_ROOT
  export CRI_PROTO_CACHE=$CRI_ROOT
  cri_note "$(basename "$BATS_TEST_FILENAME"): containerd (CRI) and images ready in ${CRI_START_SECONDS}s"
}

cri_teardown_file ()
{
  "$CRI_DIR/stop-containerd.sh"
  cri_note "$(basename "$BATS_TEST_FILENAME"): $((SECONDS - ${CRI_FILE_START:-$SECONDS}))s in all"
}

# What a failed test should show: the runtime calls and the daemon's errors.
cri_debug ()
{
  echo "--- last wrapper calls:"
  tail -n 8 "$CRI_WRAPPER_LOG" 2> /dev/null | cut -c1-400
  echo "--- containerd errors:"
  grep 'level=error' "$CRI_ROOT/containerd.log" 2> /dev/null | tail -n 5 | cut -c1-400
}

# Removes every pod and container; a test whose pods cannot be removed fails.
cri_teardown ()
{
  rm -f "$CRI_ROOT/sandbox-via-runc"
  cri cleanup || fail "could not remove the test's pods"
}

# policyrun's private bundles left in its state (ROOTKEY/ID and ID@lock).
cri_private_bundles ()
{
  find "$CRI_STATE" -mindepth 2 -maxdepth 2 2> /dev/null
}

# The refusal policyrun gave, from a CRI error ("...policyrun: refused by
# floor ...: unknown"), or nothing when OUTPUT holds no refusal.
cri_refusal ()
{
  local out=$1
  case $out in
    *"policyrun: refused"*)
      out=policyrun:${out#*policyrun:}
      printf '%s\n' "${out%: unknown}"
      ;;
  esac
}

# cri_poll_log ID TEXT: polls the container's CRI log (every 0.1 s, at most
# 60 s) until a line is TEXT; the bound only ends a test that would hang.
cri_poll_log ()
{
  local i
  for i in $(seq 600); do
    cri logs "$1" 2> /dev/null | grep -qxF "$2" && return 0
    sleep 0.1
  done
  fail "container $1 did not print \"$2\" within 60 s; its log: $(cri logs "$1" 2>&1)"
}

# The network interfaces of process PID's network namespace, one a line.
cri_interfaces ()
{
  awk 'NR > 2 { sub(":", "", $1); print $1 }' "/proc/$1/net/dev"
}
