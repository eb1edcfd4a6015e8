#!/usr/bin/env bats
# gVisor mode with the real runsc, called as the runc.v2 shim calls a
# runtime: the container runs in a gVisor sandbox that holds the floor, the
# deadline kills it, and nothing outlives delete, also for 10 at once.

load helpers
load gvisor-helpers

setup ()
{
  setup_gvisor
}

teardown ()
{
  stop_listener
  teardown_gvisor
  [ -z "${TEST_NULL_NODE:-}" ] || rm -f "$TEST_NULL_NODE"
}

# A floor-holding process.json for exec, edited by the jq FILTER given.
process_file ()
{
  jq -n "{
      terminal: false,
      user: {uid: 65534, gid: 65534},
      args: [\"sh\", \"-c\", \"id -u; echo exec-ran; exec sleep 1000\"],
      env: [\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\"],
      cwd: \"/\",
      capabilities: {},
      noNewPrivileges: true
    } | ${1:-.}" > "$TMP/process.json"
}

@test "gvisor lifecycle: create, start, state, ps, exec, kill --all, delete --force through real runsc" {
  start_listener
  # The listener is reachable from the host (so "unreachable" below is the
  # sandbox's doing, not a dead listener).
  "$BUSYBOX" nc -w 2 127.0.0.1 "$LISTEN_PORT" < /dev/null
  # A directory anyone may write, so only the read-only root can refuse it
  # (gVisor checks permissions before the mount's read-only flag).
  mkdir -m 0777 "$BUNDLE/rootfs/rw"
  chmod 0777 "$BUNDLE/rootfs/rw"
  local script
  script="uname -r; cat /proc/version; id -u; id -g; ls /sys/class/net; touch /rw/written 2>&1"
  script+="; if nc -w 2 127.0.0.1 $LISTEN_PORT </dev/null; then echo loopback-reachable"
  script+="; else echo loopback-unreachable; fi; echo ready; exec sleep 1000"
  update_config --arg s "$script" '.process.args = ["sh", "-c", $s]'

  gv_create "$ID"
  [ -z "$(cat "$TMP/$ID.out")" ]
  gv_has_status "$ID" created
  [ -f "$(private_bundle "$ID")/config.json" ]
  [ "$(cat "$TMP/$ID.pid")" = "$(sandbox_pid "$ID")" ]

  run --separate-stderr gvisor --log "$TMP/$ID.log" --log-format json start "$ID"
  assert_success
  poll_until output_has "$ID" ready
  gv_has_status "$ID" running

  # The container ran under gVisor's kernel, not the host's.
  local out
  mapfile -t out < "$TMP/$ID.out"
  echo "container said: ${out[*]}"
  [ "${out[0]}" != "$(uname -r)" ]
  [ "${out[1]}" != "$(cat /proc/version)" ]
  [[ "${out[1]}" == "Linux version ${out[0]} "* ]]
  [ "${out[2]}" = 65534 ]
  [ "${out[3]}" = 65534 ]
  [ "${out[4]}" = lo ]
  [[ "${out[5]}" == *"Read-only file system"* ]]
  [ ! -e "$BUNDLE/rootfs/rw/written" ]
  [ "${out[6]}" = loopback-unreachable ]

  # The process the engine sees is the sandbox: runsc's own binary, host uid
  # not 0, in a user and network namespace that are not the host's.
  local pid
  pid=$(sandbox_pid "$ID")
  [ "$(tr '\0' ' ' < "/proc/$pid/cmdline" | cut -d' ' -f1)" = runsc-sandbox ]
  [ "$(readlink -f "/proc/$pid/exe")" = "$(readlink -f "$RUNSC")" ]
  local uid
  uid=$(awk '$1 == "Uid:" { print $3 }' "/proc/$pid/status")
  echo "sandbox pid $pid, host uid $uid"
  [ "$uid" -ne 0 ]
  [ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/1/ns/user)" ]
  [ "$(readlink "/proc/$pid/ns/net")" != "$(readlink /proc/1/ns/net)" ]
  [ "$(awk '$1 == "NoNewPrivs:" { print $2 }' "/proc/$pid/status")" = 1 ]
  [ "$(awk '$1 == "Seccomp:" { print $2 }' "/proc/$pid/status")" = 2 ]
  # Its host cgroup holds the floor's limits (and what policyrun wrote).
  local priv
  priv=$(private_bundle "$ID")/config.json
  [ "$(cat "$(pid_cgroup "$pid" memory)/memory.limit_in_bytes")" -eq "$FLOOR_MEMORY" ]
  [ "$(cat "$(pid_cgroup "$pid" cpu)/cpu.cfs_quota_us")" -eq "$FLOOR_CPU_QUOTA" ]
  [ "$(cat "$(pid_cgroup "$pid" cpu)/cpu.cfs_period_us")" -eq "$FLOOR_CPU_PERIOD" ]
  local pids_max
  pids_max=$(cat "$(pid_cgroup "$pid" pids)/pids.max")
  [ "$pids_max" != max ]
  [ "$pids_max" -eq "$(jq .linux.resources.pids.limit "$priv")" ]
  [ "$pids_max" -le "$FLOOR_PIDS" ]

  run --separate-stderr gvisor state "$ID"
  assert_success
  [ "$(jq -r .status <<< "$output")" = running ]
  [ "$(jq -r .id <<< "$output")" = "$ID" ]
  [ "$(jq -r .pid <<< "$output")" = "$pid" ]

  # ps lists the sandbox's own pids (the container's init is 1 in there).
  run --separate-stderr gvisor ps --format json "$ID"
  assert_success
  jq -e 'type == "array" and length >= 1' <<< "$output"

  # The exec'd process writes to the exec call's stdout (a file here, as
  # the shim gives it a pipe): $TMP/exec.out.
  process_file
  status=0
  gvisor --log "$TMP/$ID.log" --log-format json exec --process "$TMP/process.json" \
    --detach --pid-file "$TMP/exec.pid" "$ID" > "$TMP/exec.out" 2> "$TMP/exec.err" < /dev/null \
    || status=$?
  [ "$status" -eq 0 ] || fail "exec failed ($status): $(cat "$TMP/exec.err")"
  [ -s "$TMP/exec.pid" ]
  poll_until output_has exec exec-ran
  [ "$(head -n 1 "$TMP/exec.out")" = 65534 ]

  run --separate-stderr gvisor kill --all "$ID" 9
  assert_success
  poll_until gv_has_status "$ID" stopped

  run --separate-stderr gvisor --log "$TMP/$ID.log" --log-format json delete --force "$ID"
  assert_success
  assert_nothing_left "$ID"
  # The caller's bundle is untouched.
  [ -f "$BUNDLE/config.json" ]
  [ -x "$BUNDLE/rootfs/bin/busybox" ]
}

@test "gvisor lifecycle: kill ID 9 stops the sandbox; a plain delete then leaves nothing" {
  update_config '.process.args = ["sleep", "1000"]'
  gv_start "$ID"
  poll_until gv_has_status "$ID" running
  run --separate-stderr gvisor kill "$ID" 9
  assert_success
  poll_until gv_stopped "$ID"
  run --separate-stderr gvisor delete "$ID"
  assert_success
  assert_nothing_left "$ID"
}

@test "gvisor lifecycle: delete --force of a running container leaves nothing" {
  update_config '.process.args = ["sleep", "1000"]'
  gv_start "$ID"
  poll_until gv_has_status "$ID" running
  run --separate-stderr gvisor delete --force "$ID"
  assert_success
  assert_nothing_left "$ID"
}

@test "gvisor deadline: timeout_seconds 2 kills a sleep 60 (the watchdog watches the sandbox)" {
  write_policy '{"timeout_seconds": 2}'
  update_config '.process.args = ["sleep", "60"]'
  gv_start "$ID"
  local pid
  pid=$(sandbox_pid "$ID")
  # A watchdog holds a pidfd of the sandbox the engine sees.
  [ -n "$(watchdogs_of "$pid")" ] || fail "no watchdog holds a pidfd of sandbox $pid"
  # Bounded wait for the watchdog's kill (60 s would be the sleep's own end).
  poll_until gv_stopped "$ID"
  [ ! -e "/proc/$pid" ] || [ "$(awk '{ print $3 }' "/proc/$pid/stat")" = Z ]
  run --separate-stderr gvisor delete "$ID"
  assert_success
  assert_nothing_left "$ID"
}

@test "gvisor parallel: 10 create/start/delete at once leave nothing behind" {
  update_config '.process.args = ["sh", "-c", "echo up; exec sleep 1000"]'
  # Ids of one width: runsc 20221219 takes an id that is a prefix of another
  # on the same root ("x-1" of "x-10") as ambiguous and cannot delete it.
  local i pids=() ids=()
  for i in $(seq -w 10); do
    ids+=("$ID-p$i")
    (
      id=$ID-p$i
      gvisor create --bundle "$BUNDLE" --pid-file "$TMP/$id.pid" "$id" > "$TMP/$id.out" 2> "$TMP/$id.err" < /dev/null \
        && gvisor start "$id" 2>> "$TMP/$id.err" \
        && poll_until output_has "$id" up \
        && gvisor kill "$id" 9 2>> "$TMP/$id.err" \
        && gvisor delete --force "$id" 2>> "$TMP/$id.err"
    ) &
    pids+=($!)
  done
  local failed=0
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      echo "${ids[$i]} failed: $(cat "$TMP/${ids[$i]}.err")"
      failed=$((failed + 1))
    fi
  done
  [ "$failed" -eq 0 ]
  for i in "${ids[@]}"; do
    output_has "$i" up
  done
  [ -z "$(__runsc list -quiet)" ]
  assert_nothing_left "${ids[@]}"
}

# runsc gives its standard streams to the sandbox's user (65534); handed the
# host's /dev/null it would give the host's /dev/null away.  The test uses a
# null device node of its own in /dev, so that the host's is never touched.
@test "gvisor streams: runsc gives a null-device stdin to nobody; through policyrun it never sees the caller's" {
  local node=/dev/.policyrun-test-null-$$
  TEST_NULL_NODE=$node # teardown removes it
  rm -f "$node"
  mknod -m 0666 "$node" c 1 3
  update_config '.process.args = ["sh", "-c", "echo ready; exec sleep 1000"]'

  # runsc alone chowns it (so the test below can fail).
  cp -a "$BUNDLE" "$TMP/plain"
  __runsc create --bundle "$TMP/plain" "$ID-plain" < "$node" > "$TMP/plain.out" 2>&1 \
    || fail "runsc create failed: $(cat "$TMP/plain.out")"
  [ "$(stat -c %u:%g "$node")" = 65534:65534 ] \
    || fail "runsc alone left the node $(stat -c %u:%g "$node"): this test proves nothing"
  __runsc delete --force "$ID-plain" > "$TMP/plain.out" 2>&1
  chown 0:0 "$node"

  # Through policyrun: create, start, exec, each with the node as stdin,
  # stdout and stderr.
  gvisor --log "$TMP/$ID.log" --log-format json create --bundle "$BUNDLE" --pid-file "$TMP/$ID.pid" \
    "$ID" < "$node" > "$node" 2> "$node" || fail "create failed"
  gvisor --log "$TMP/$ID.log" --log-format json start "$ID" < "$node" > "$node" 2> "$node" \
    || fail "start failed"
  process_file '.args = ["true"]'
  gvisor exec --process "$TMP/process.json" "$ID" < "$node" > "$node" 2> "$node" \
    || fail "exec failed"
  [ "$(stat -c %u:%g:%a "$node")" = 0:0:666 ] \
    || fail "the caller's null device is now $(stat -c %u:%g:%a "$node")"
  ! ls -a /dev | grep -q '^\.policyrun-null-' || fail "a private null node was left in /dev"
}

@test "gvisor streams: a terminal or device as a stream of create, run or exec is refused" {
  local node=/dev/.policyrun-test-zero-$$
  TEST_NULL_NODE=$node # teardown removes it
  rm -f "$node"
  mknod -m 0666 "$node" c 1 5 # /dev/zero's numbers: a device, not the null device
  run --separate-stderr gvisor create --bundle "$BUNDLE" "$ID" < "$node"
  [ "$status" -eq 1 ] || fail "create with a device as stdin: status $status"
  [[ $stderr == *"descriptor 0 may not be a terminal or device (1:5)"* ]] || fail "$stderr"
  [ "$(stat -c %u:%g "$node")" = 0:0 ] || fail "the device was given away: $(stat -c %u:%g "$node")"
  [ "$(gv_status "$ID")" = absent ] || fail "a container was left: $(gv_status "$ID")"
  [ ! -e "$(private_bundle "$ID")" ] || fail "the private bundle was left"
}
