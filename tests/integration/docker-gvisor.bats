#!/usr/bin/env bats
# gVisor through Docker: the runtime "policyrun-gvisor" (policyrun with
# runtimeArgs ["--gvisor"], as contrib/docker/daemon.json registers it) hands
# containers to the real runsc.  The document's three tests pass under it,
# the code is seen to run in gVisor's kernel, every loosening is still
# refused (Docker's flags, and runsc flags in a runtime's runtimeArgs), and
# exec, stop, rm and parallel runs leave nothing behind: no private bundle,
# no sandbox or gofer, no runsc state.

load docker-helpers

N=10

setup_file ()
{
  docker_setup_file
}

teardown_file ()
{
  docker_teardown_file
}

setup ()
{
  command -v runsc > /dev/null || skip "test requires runsc (apt-get install runsc)"
  CID=
}

teardown ()
{
  docker_debug
  stop_listener
  [ -z "$CID" ] || docker rm -f "$CID" > /dev/null 2>&1 || true
}

# runsc's state files (ID_sandbox:ID.state and .lock) under the runtime root
# Docker 20.10 gives every runtime of the moby namespace.
gvisor_state ()
{
  find "$DOCKER_EXEC_ROOT/runtime-runc/moby" -name '*_sandbox:*' 2> /dev/null || true
}

# gvisor_processes: the sandboxes and gofers of this daemon's containers.
gvisor_processes ()
{
  pgrep -a -f "runsc-(sandbox|gofer) --root=$DOCKER_EXEC_ROOT/" || true
}

# assert_nothing_left: no container, private bundle, sandbox, gofer or runsc
# state of this daemon remains.
assert_nothing_left ()
{
  [ -z "$(docker ps -aq)" ] || fail "containers left: $(docker ps -a)"
  [ -z "$(private_bundles)" ] || fail "private bundles left: $(private_bundles)"
  [ -z "$(gvisor_processes)" ] || fail "gVisor processes left: $(gvisor_processes)"
  [ -z "$(gvisor_state)" ] || fail "runsc state left: $(gvisor_state)"
}

run_gvisor_floor ()
{
  docker run --rm --runtime=policyrun-gvisor "${FLOOR_FLAGS[@]}" "$@"
}

@test "gVisor: the document's network test passes through policyrun-gvisor" {
  run run_gvisor_floor -v "$CODE/network.py:/code.py:ro" "$PYTHON_IMAGE" python3 /code.py
  [ "$status" -eq 0 ] || fail "$output"
  [ "$output" = "✅ PASS: Network blocked" ]
}

@test "gVisor: the document's filesystem test passes through policyrun-gvisor" {
  run run_gvisor_floor -v "$CODE/filesystem.py:/code.py:ro" "$PYTHON_IMAGE" python3 /code.py
  [ "$status" -eq 0 ] || fail "$output"
  [ "$output" = "✅ PASS: Filesystem read-only" ]
}

@test "gVisor: the document's capability test passes through policyrun-gvisor" {
  run run_gvisor_floor -v "$CODE/capability.py:/code.py:ro" "$PYTHON_IMAGE" python3 /code.py
  [ "$status" -eq 0 ] || fail "$output"
  [ "$output" = "✅ PASS: Cannot change UID" ]
  assert_nothing_left
}

@test "gVisor: the code runs in gVisor's kernel (its /proc/version, its own kernel release)" {
  # The floor's seccomp profile denies syslog(2), so dmesg cannot show
  # gVisor's boot messages; the kernel gVisor presents is its own.
  run run_gvisor_floor "$BUSYBOX_IMAGE" sh -c 'cat /proc/version; echo "release $(uname -r)"'
  [ "$status" -eq 0 ] || fail "$output"
  [ "${lines[0]}" != "$(cat /proc/version)" ] || fail "the container sees the host's kernel: $output"
  local release
  release=$(awk '$1 == "release" { print $2 }' <<< "$output")
  [ -n "$release" ] && [ "$release" != "$(uname -r)" ] \
    || fail "the container sees the host's kernel $(uname -r): $output"
  # The same command under runc sees the host's kernel and no gVisor.
  run docker run --rm --runtime=policyrun "${FLOOR_FLAGS[@]}" "$BUSYBOX_IMAGE" uname -r
  [ "$output" = "$(uname -r)" ] || fail "runc baseline: $output"
}

@test "gVisor: the container's process is the sandbox: not root on the host, its own user and network namespaces, the floor's cgroup" {
  CID=$(docker run -d --runtime=policyrun-gvisor "${FLOOR_FLAGS[@]}" "$BUSYBOX_IMAGE" sleep 300)
  local pid
  pid=$(docker inspect --format '{{.State.Pid}}' "$CID")
  [ "$pid" -gt 0 ]
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q '^runsc-sandbox ' \
    || fail "pid $pid is not a gVisor sandbox: $(tr '\0' ' ' < "/proc/$pid/cmdline")"
  local uids u
  uids=$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "/proc/$pid/status")
  for u in $uids; do
    [ "$u" -ne 0 ] || fail "the sandbox runs as host uid 0 ($uids)"
  done
  [ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ] \
    || fail "the sandbox shares the host's user namespace"
  [ "$(readlink "/proc/$pid/ns/net")" != "$(readlink /proc/self/ns/net)" ] \
    || fail "the sandbox shares the host's network namespace"
  local ifaces
  ifaces=$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' "/proc/$pid/net/dev" | tr '\n' ' ')
  [ "$ifaces" = "lo " ] || fail "interfaces in the sandbox's namespace: $ifaces"
  local mem cpu
  mem=$(docker_cgroup "$CID" memory)
  [ "$(cat "$mem/memory.limit_in_bytes")" -le "$FLOOR_MEMORY" ]
  [ "$(cat "$mem/memory.memsw.limit_in_bytes")" -le "$FLOOR_MEMORY" ]
  cpu=$(docker_cgroup "$CID" cpu)
  local quota period
  quota=$(cat "$cpu/cpu.cfs_quota_us")
  period=$(cat "$cpu/cpu.cfs_period_us")
  [ "$quota" -gt 0 ] && [ $((quota * FLOOR_CPU_PERIOD)) -le $((FLOOR_CPU_QUOTA * period)) ] \
    || fail "cpu quota $quota/$period"
  docker rm -f "$CID" > /dev/null
  CID=
  assert_nothing_left
}

@test "gVisor: each loosening of the document's command is still refused" {
  local flags drops
  # Each line: the flag dropped from the document's command (as
  # floor_flags_without names it) | the flags added.
  while IFS='|' read -r drop add; do
    drops=()
    [ -z "$drop" ] || drops=("$drop")
    mapfile -d '' flags < <(floor_flags_without "${drops[@]}")
    [[ " ${flags[*]} " == *" --network none "* ]] || [ "$add" = "--network host" ] \
      || fail "the command lost --network none: ${flags[*]}"
    # shellcheck disable=SC2086
    run docker run --rm --runtime=policyrun-gvisor "${flags[@]}" $add \
      -v "$CODE/capability.py:/code.py:ro" "$PYTHON_IMAGE" python3 /code.py
    [ "$status" -eq 125 ] && [[ "$output" == *"policyrun: refused by floor"* ]] \
      || fail "not refused under gVisor: drop [$drop] add [$add]: $output"
    [[ "$output" != *PASS* ]] || fail "the code ran: $output"
  done << 'EOF'
--network none|--network host
--read-only|
--memory 100m|--memory 200m --memory-swap 200m
--cpus 0.5|--cpus 2
--cap-drop ALL|--cap-add NET_RAW
|--privileged
|--security-opt seccomp=unconfined
--user 65534:65534|--user 0:0
|-v /:/host:ro
EOF
  assert_nothing_left
}

@test "gVisor: a runtime whose runtimeArgs loosen runsc is refused, naming the flag" {
  local i=0 arg
  while read -r arg; do
    run docker run --rm --runtime="loose-gvisor-$i" "${FLOOR_FLAGS[@]}" \
      -v "$CODE/capability.py:/code.py:ro" "$PYTHON_IMAGE" python3 /code.py
    [ "$status" -ne 0 ] || fail "runtimeArgs $arg: the container ran: $output"
    [[ "$output" == *"${arg%%=*}"* ]] || fail "runtimeArgs $arg: the refusal does not name it: $output"
    [[ "$output" != *PASS* ]] || fail "runtimeArgs $arg: the code ran: $output"
    i=$((i + 1))
  done < "$POLICYRUN_TEST_ROOT/loose-gvisor-args"
  [ "$i" -ge 8 ]
  [ -z "$(docker ps -aq)" ] || docker rm -f $(docker ps -aq) > /dev/null
  assert_nothing_left
}

@test "gVisor: exec, stop and rm work and leave nothing behind" {
  CID=$(docker run -d --runtime=policyrun-gvisor "${FLOOR_FLAGS[@]}" "$BUSYBOX_IMAGE" sleep 300)
  run docker exec "$CID" sh -c 'id -u; id -g; uname -r'
  [ "$status" -eq 0 ] || fail "$output"
  [ "${lines[0]}" = 65534 ] && [ "${lines[1]}" = 65534 ] || fail "$output"
  [ "${lines[2]}" != "$(uname -r)" ] || fail "exec did not run in the sandbox: $output"
  # An exec that loosens the floor is refused like under runc.
  run docker exec -u 0 "$CID" id -u
  [ "$status" -ne 0 ] && [[ "$output" == *"refused by floor"* ]] || fail "exec -u 0: $output"
  run docker stop -t 1 "$CID"
  [ "$status" -eq 0 ] || fail "$output"
  [ "$(docker inspect --format '{{.State.Running}}' "$CID")" = false ]
  docker rm "$CID" > /dev/null
  CID=
  assert_nothing_left
}

@test "gVisor: $N runs in parallel each print their PASS line and leave nothing behind" {
  local dir=$BATS_TEST_TMPDIR i start=$SECONDS
  for i in $(seq $N); do
    run_gvisor_floor -v "$CODE/filesystem.py:/code.py:ro" "$PYTHON_IMAGE" python3 /code.py \
      > "$dir/out.$i" 2>&1 &
  done
  wait
  note "$N parallel gVisor runs in $((SECONDS - start))s"
  for i in $(seq $N); do
    [ "$(cat "$dir/out.$i")" = "✅ PASS: Filesystem read-only" ] || fail "run $i: $(cat "$dir/out.$i")"
  done
  assert_nothing_left
}

# gvisor_probe_floor: the rows of the probe's table ($output) that the floor
# guarantees under gVisor (tests/probe/probe.c says where gVisor answers in
# its own words: no CapAmb line, no cgroup filesystem inside).
gvisor_probe_floor ()
{
  [ "$(table_value end)" = table ] || fail "no probe table: $output"
  [ "$(table_value uid)" = 65534 ] && [ "$(table_value gid)" = 65534 ] || fail "$output"
  local row
  for row in cap_eff cap_prm cap_bnd cap_inh; do
    [ "$(table_value "$row")" = 0000000000000000 ] || fail "$row: $output"
  done
  [ "$(table_value no_new_privs)" = 1 ] || fail "no_new_privs: $output"
  [ "$(table_value seccomp)" = 2 ] || fail "seccomp: $output"
  [ "$(table_value interfaces)" = lo ] || fail "interfaces: $output"
  [ "$(table_value tcp_connect)" != ok ] || fail "reached the host's listener: $output"
  [ "$(table_value setuid_0)" = EPERM ] || fail "setuid_0: $output"
  [ "$(table_value raw_socket)" != ok ] || fail "raw_socket: $output"
  [ "$(table_value write_root)" = EROFS ] || fail "write_root: $output"
  for row in mount unshare unshare_user clone_user setns keyctl bpf ptrace io_uring; do
    [ "$(table_value "$row")" != ok ] && [ "$(table_value "$row")" != MISSING ] \
      || fail "$row: $output"
  done
}

@test "gVisor: the probe finds the floor in the container's process and in an exec'd one" {
  start_listener
  CID=$(docker run -d --runtime=policyrun-gvisor "${FLOOR_FLAGS[@]}" -v "$PROBE:/probe:ro" \
    "$BUSYBOX_IMAGE" sh -c "/probe table -p $LISTEN_PORT; sleep 300")
  local i
  for i in $(seq 100); do
    output=$(docker logs "$CID" 2>&1)
    [ "$(table_value end)" = table ] && break
    sleep 0.1
  done
  gvisor_probe_floor
  # runsc 20221219 gives an exec'd process neither the container's user nor
  # its seccomp filter by itself; through policyrun it has both.
  output=$(docker exec "$CID" /probe table -p "$LISTEN_PORT" 2>&1)
  gvisor_probe_floor
  stop_listener
  docker rm -f "$CID" > /dev/null
  CID=
  assert_nothing_left
}
