#!/bin/bash
# Helpers for the Docker and containerd end-to-end tests.
#
# Each docker-*.bats / containerd-*.bats file starts one dockerd of its own
# in setup_file (lib/start-dockerd.sh: no bridge, no iptables, vfs storage, a
# persistent data root) with policyrun registered as the runtime "policyrun",
# imports the test images (lib/build-python-image.sh: Debian's python3 via
# debootstrap, and busybox-static), and stops it in teardown_file.
#
# `docker ARGS` is the 20.10 client talking to that daemon.  The policy the
# daemon's policyrun uses is $DOCKER_POLICY, with its private bundles in
# $DOCKER_STATE.  The tests never send traffic anywhere but to loopback.
#
# The files run one after another (bats' default, not --jobs): they share
# the daemon's paths.  A second suite at the same time needs its own
# POLICYRUN_TEST_ROOT and POLICYRUN_TEST_DATA.  The cgroup read-backs
# expect the cgroup v1 layout this project's CI machines have.

# Variables set here are used by the .bats files that load this one.
# shellcheck disable=SC2034

# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

LIB=$INTEGRATION_ROOT/lib
CODE=$INTEGRATION_ROOT/code
DOCKER_CLIENT=${DOCKER_CLIENT:-/usr/bin/docker}
PROBE=${PROBE:-$INTEGRATION_ROOT/../probe/probe}
PYTHON_IMAGE=${POLICYRUN_PYTHON_IMAGE:-policyrun-test/python:bookworm}
BUSYBOX_IMAGE=${POLICYRUN_BUSYBOX_IMAGE:-policyrun-test/busybox:latest}
export POLICYRUN_TEST_ROOT=${POLICYRUN_TEST_ROOT:-/run/policyrun-test}

# The document's command line, with --user added (see DESIGN.md: the
# capability test can only pass for a non-root process).
FLOOR_FLAGS=(--network none --memory 100m --memory-swap 100m --cpus 0.5 --read-only
  --cap-drop ALL --security-opt no-new-privileges --user 65534:65534)

# A loose baseline for the probe: runc, root, capabilities, no seccomp, no
# no-new-privileges, a writable root, no resource limits.  Only the probe
# table adds the host's network namespace, to reach the listener on the
# host's 127.0.0.1.  (Not --privileged: it asks for every capability Docker
# knows, and a host whose bounding set lacks one cannot start it.)
LOOSE_FLAGS=(--runtime=runc --cap-add SYS_ADMIN --cap-add SYS_PTRACE
  --security-opt seccomp=unconfined --security-opt apparmor=unconfined)

docker ()
{
  "$DOCKER_CLIENT" -H "unix://$DOCKER_SOCK" "$@"
}

ctr_ ()
{
  ctr --address "$CONTAINERD_SOCK" "$@"
}

# Prints a line on the terminal bats reports to (not captured as test output).
note ()
{
  echo "# $*" >&3
}

# host_has_vsock: this kernel makes AF_VSOCK sockets (perl-base is on every
# Debian; only the socket is made, nothing is sent).
host_has_vsock ()
{
  perl -e 'use Socket; socket(my $s, 40, SOCK_STREAM, 0) or exit 1'
}

docker_requires ()
{
  requires root jq
  [ -x "$DOCKER_CLIENT" ] || skip "test requires the docker client $DOCKER_CLIENT (apt-get install docker.io)"
  command -v dockerd > /dev/null || skip "test requires dockerd (apt-get install docker.io)"
  command -v debootstrap > /dev/null || skip "test requires debootstrap"
  [ -e /sys/fs/cgroup/memory/memory.limit_in_bytes ] \
    || skip "test requires the cgroup v1 memory controller at /sys/fs/cgroup/memory"
}

# setup_file for every Docker test file: one daemon per file.
docker_setup_file ()
{
  docker_requires
  check_policyrun
  [ -x "$PROBE" ] || fail "probe not built: $PROBE (make tests/probe/probe, or set PROBE)"
  export FILE_START=$SECONDS
  local sock
  sock=$(POLICYRUN=$POLICYRUN "$LIB/start-dockerd.sh") || fail "could not start dockerd"
  # shellcheck disable=SC1091
  source "$POLICYRUN_TEST_ROOT/env"
  export DOCKER_SOCK=$sock CONTAINERD_SOCK POLICYRUN_WRAPPER POLICYRUN_GVISOR_WRAPPER DOCKER_EXEC_ROOT
  export DOCKER_POLICY=$POLICYRUN_TEST_POLICY DOCKER_STATE=$POLICYRUN_TEST_STATE
  "$LIB/build-python-image.sh" "$DOCKER_SOCK" || fail "could not build the test images"
  note "$(basename "$BATS_TEST_FILENAME"): dockerd and images ready in $((SECONDS - FILE_START))s"
}

docker_teardown_file ()
{
  "$LIB/stop-dockerd.sh"
  note "$(basename "$BATS_TEST_FILENAME"): $((SECONDS - ${FILE_START:-$SECONDS}))s in all"
}

# What a failed test should show: how the daemon called the runtime.
docker_debug ()
{
  echo "--- last wrapper calls:"
  tail -n 5 "$POLICYRUN_TEST_ROOT/wrapper.log" 2> /dev/null
  echo "--- private bundles:"
  private_bundles
}

# What policyrun holds in its state (STATE/ROOTKEY/ID and ID@lock), one a line.
private_bundles ()
{
  find "$DOCKER_STATE" -mindepth 2 -maxdepth 2 2> /dev/null
}

# The private bundle directories alone (while containers live, each id also
# has its lock file, ID@lock, beside its bundle).
private_bundle_dirs ()
{
  find "$DOCKER_STATE" -mindepth 2 -maxdepth 2 -type d 2> /dev/null
}

# docker_run_floor IMAGE CMD...: the document's command through policyrun.
docker_run_floor ()
{
  docker run --rm --runtime=policyrun "${FLOOR_FLAGS[@]}" "$@"
}

# FLOOR_FLAGS without the flags named (each as one word, e.g. "--user
# 65534:65534" or "--read-only"), printed NUL-separated for mapfile -d ''.
floor_flags_without ()
{
  local drop=("$@") i=0 n=${#FLOOR_FLAGS[@]} f skip
  while [ $i -lt "$n" ]; do
    f=${FLOOR_FLAGS[$i]}
    skip=
    local d
    for d in "${drop[@]}"; do
      if [ "$d" = "$f" ]; then
        skip=1
      elif [ $((i + 1)) -lt "$n" ] && [ "$d" = "$f ${FLOOR_FLAGS[$((i + 1))]}" ]; then
        skip=2
      fi
      [ -n "$skip" ] && break
    done
    if [ -z "$skip" ]; then
      printf '%s\0' "$f"
      i=$((i + 1))
    else
      i=$((i + skip))
    fi
  done
}

# assert_docker_refused FIX-REGEX...: after `run docker run ...`, Docker
# reports policyrun's refusal: exit 125 (a daemon error, not 126/127), the
# refusal line in its message, and every FIX-REGEX (extended, matched
# literally where it holds no metacharacters) in that message.
assert_docker_refused ()
{
  [ "$status" -eq 125 ] || fail "docker exit status $status, want 125: $output"
  [[ "$output" == *"policyrun: refused by floor"* ]] \
    || fail "Docker's error does not carry policyrun's refusal: $output"
  local re
  for re in "$@"; do
    grep -Eq -- "$re" <<< "$output" || fail "Docker's error does not match /$re/: $output"
  done
}

# The container's cgroup directory for CONTROLLER (v1), from its init's pid.
docker_cgroup ()
{
  local id=$1 ctrl=$2 pid path
  pid=$(docker inspect --format '{{.State.Pid}}' "$id") || return 1
  [ "$pid" -gt 0 ] || fail "container $id has no running process"
  path=$(awk -F: -v c="$ctrl" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' \
    "/proc/$pid/cgroup")
  [ -n "$path" ] || fail "no $ctrl cgroup for pid $pid"
  echo "/sys/fs/cgroup/$ctrl$path"
}

# assert_cgroup_floor ID: the container's cgroup holds the floor's limits.
assert_cgroup_floor ()
{
  local id=$1 mem cpu pids v
  mem=$(docker_cgroup "$id" memory) || return 1
  cpu=$(docker_cgroup "$id" cpu) || return 1
  pids=$(docker_cgroup "$id" pids) || return 1
  v=$(cat "$mem/memory.limit_in_bytes")
  [ "$v" -le "$FLOOR_MEMORY" ] || fail "memory.limit_in_bytes is $v, above $FLOOR_MEMORY"
  if [ -e "$mem/memory.memsw.limit_in_bytes" ]; then
    v=$(cat "$mem/memory.memsw.limit_in_bytes")
    [ "$v" -le "$FLOOR_MEMORY" ] || fail "memory.memsw.limit_in_bytes is $v, above $FLOOR_MEMORY (swap allowed)"
  fi
  local quota period
  quota=$(cat "$cpu/cpu.cfs_quota_us")
  period=$(cat "$cpu/cpu.cfs_period_us")
  [ "$quota" -gt 0 ] || fail "cpu.cfs_quota_us is $quota: no CPU limit"
  [ $((quota * FLOOR_CPU_PERIOD)) -le $((FLOOR_CPU_QUOTA * period)) ] \
    || fail "cpu quota $quota/$period is above $FLOOR_CPU_QUOTA/$FLOOR_CPU_PERIOD"
  v=$(cat "$pids/pids.max")
  if [ "$v" = max ] || [ "$v" -gt "$FLOOR_PIDS" ]; then
    fail "pids.max is $v, above $FLOOR_PIDS"
  fi
}

# start_listener: a TCP listener on the host's 127.0.0.1 (the probe itself,
# in listen mode); sets LISTEN_PORT and LISTEN_PID.
start_listener ()
{
  local out=$BATS_TEST_TMPDIR/listen.out i
  "$PROBE" listen 0 > "$out" 2>&1 3>&- &
  LISTEN_PID=$!
  for i in $(seq 50); do
    [ -s "$out" ] && break
    sleep 0.1
  done
  LISTEN_PORT=$(awk '$1 == "port" { print $2 }' "$out")
  [ -n "$LISTEN_PORT" ] || fail "listener did not start: $(cat "$out")"
}

stop_listener ()
{
  if [ -n "${LISTEN_PID:-}" ]; then
    kill "$LISTEN_PID" 2> /dev/null || true
    wait "$LISTEN_PID" 2> /dev/null || true
    LISTEN_PID=
  fi
}

# cgroup_cpu_ratio ID SECONDS: CPU time the container's cgroup used over
# SECONDS of wall time, as a ratio (0.5 = half a CPU), printed with 3 decimals.
cgroup_cpu_ratio ()
{
  local id=$1 secs=$2 dir u0 u1 t0 t1
  dir=$(docker_cgroup "$id" cpuacct) || return 1
  u0=$(cat "$dir/cpuacct.usage")
  t0=$(date +%s%N)
  sleep "$secs"
  u1=$(cat "$dir/cpuacct.usage")
  t1=$(date +%s%N)
  awk -v du=$((u1 - u0)) -v dt=$((t1 - t0)) 'BEGIN { printf "%.3f\n", du / dt }'
}
