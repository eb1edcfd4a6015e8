#!/usr/bin/env bats
# The probe (tests/probe) in a busybox bundle under gVisor, through
# policyrun and the real runsc: every row the floor guarantees, read from
# gVisor's kernel, and the limits at work.  Where gVisor answers differently
# from Linux the probe says why (probe.c); the runc table of the same bundle
# shows the difference is only there.

load helpers
load gvisor-helpers

setup ()
{
  setup_gvisor
  bind_probe
  RO_DIR=$TMP/ro
  mkdir -p "$RO_DIR" "$BUNDLE/rootfs/data"
  # World-writable on the host, so only the mount can refuse a write.
  chmod 0777 "$RO_DIR"
  update_config --arg d "$RO_DIR" \
    '.mounts += [{destination: "/data", type: "bind", source: $d, options: ["rbind", "ro"]}]'
}

teardown ()
{
  stop_listener
  teardown_bundle
  teardown_gvisor
}

# gv_probe ID ARGS...: the probe as the container's process under gVisor,
# created and started as the shim does; waits (bounded) until the sandbox
# stops, then sets output to what the probe printed.
gv_probe ()
{
  local id=$1
  shift
  update_config --argjson a "$(printf '%s\n' /probe/probe "$@" | jq -R . | jq -s .)" '.process.args = $a'
  gv_create "$id"
  SANDBOX_PID=$(sandbox_pid "$id")
  SANDBOX_MEMCG=$(pid_cgroup "$SANDBOX_PID" memory)
  SANDBOX_CPUCG=$(pid_cgroup "$SANDBOX_PID" cpu)
  SANDBOX_PIDSCG=$(pid_cgroup "$SANDBOX_PID" pids)
  # The limits the sandbox lives under, read on the host before it runs.
  SANDBOX_MEM=$(cat "$SANDBOX_MEMCG/memory.limit_in_bytes")
  SANDBOX_QUOTA=$(cat "$SANDBOX_CPUCG/cpu.cfs_quota_us")
  SANDBOX_PERIOD=$(cat "$SANDBOX_CPUCG/cpu.cfs_period_us")
  SANDBOX_PIDS=$(cat "$SANDBOX_PIDSCG/pids.max")
  run --separate-stderr gvisor start "$id"
  assert_success
  poll_until gv_stopped "$id"
  output=$(cat "$TMP/$id.out")
  echo "$output"
}

@test "gvisor probe table: the sandbox holds the floor" {
  start_listener
  gv_probe "$ID" table -p "$LISTEN_PORT" -r /data
  expect_row end table
  expect_row uid 65534
  expect_row gid 65534
  expect_row groups none
  local set
  for set in cap_eff cap_prm cap_bnd cap_inh; do
    expect_row "$set" 0000000000000000
  done
  # gVisor has no CapAmb line nor PR_CAP_AMBIENT: the ambient set is within
  # the (empty) permitted and inheritable sets.
  expect_row cap_amb absent
  # From prctl under gVisor (its status has no NoNewPrivs line).
  expect_row no_new_privs 1
  expect_row seccomp 2
  expect_row interfaces lo
  expect_row_not tcp_connect ok
  expect_row setuid_0 EPERM
  expect_row setuid_other EPERM
  expect_row_not raw_socket ok
  expect_row write_root EROFS
  expect_row write_bind EROFS
  [ -z "$(ls -A "$RO_DIR")" ]
  local call
  for call in mount unshare unshare_user clone_user clone3_user vsock setns keyctl bpf ptrace \
    io_uring; do
    expect_row_not "$call" ok
  done
  # gVisor mounts no cgroup filesystem: the limits are the host's, on the
  # sandbox's cgroup, and they are the floor's.
  local row
  for row in cg_memory_limit cg_memsw_limit cg_cpu_quota cg_cpu_period cg_pids_max; do
    expect_row "$row" absent
  done
  [ "$SANDBOX_MEM" -eq "$FLOOR_MEMORY" ]
  [ "$SANDBOX_QUOTA" -eq "$FLOOR_CPU_QUOTA" ]
  [ "$SANDBOX_PERIOD" -eq "$FLOOR_CPU_PERIOD" ]
  [ "$SANDBOX_PIDS" != max ] && [ "$SANDBOX_PIDS" -le "$FLOOR_PIDS" ]
  run --separate-stderr gvisor delete "$ID"
  assert_success
  assert_nothing_left "$ID"
}

@test "gvisor probe table: the same bundle under runc differs only where gVisor's kernel answers differently" {
  update_config '.process.args = ["/probe/probe", "table", "-r", "/data"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID-runc"
  assert_success
  local runc_table=$output
  gv_probe "$ID" table -r /data
  local gv_table=$output
  # Rows documented in probe.c as read differently under gVisor.
  local differ='^(cap_amb|cg_memory_limit|cg_memsw_limit|cg_cpu_quota|cg_cpu_period|cg_pids_max|clone3_user|vsock|setns) '
  diff -u <(grep -Ev "$differ" <<< "$runc_table") <(grep -Ev "$differ" <<< "$gv_table")
  # Under runc the same rows hold the floor in Linux's own words.
  output=$runc_table
  expect_row cap_amb 0000000000000000
  expect_row cg_memory_limit "$FLOOR_MEMORY"
  expect_row cg_pids_max "$FLOOR_PIDS"
  expect_row_not clone3_user ok
  expect_row_not vsock ok
  expect_row_not setns ok
}

@test "gvisor probe mem: a hog is killed before 100 MiB" {
  gv_probe "$ID" mem 400
  [[ "$output" != *mem_done* ]]
  local last
  last=$(awk '$1 == "mem" { n = $2 } END { print n + 0 }' <<< "$output")
  echo "memory hog stopped after ${last} MiB"
  [ "$last" -lt 100 ]
  run --separate-stderr gvisor delete "$ID"
  assert_success
  assert_nothing_left "$ID"
}

@test "gvisor probe fork: a fork bomb does not get its 1000 processes" {
  gv_probe "$ID" fork 1000
  # gVisor's ptrace platform backs guest processes with host stubs, which the
  # sandbox's pids cgroup counts: the bomb meets EAGAIN or the sandbox ends.
  [[ "$output" != *"fork 1000 max"* ]]
  [ "$SANDBOX_PIDS" != max ] && [ "$SANDBOX_PIDS" -le "$FLOOR_PIDS" ]
  run --separate-stderr gvisor delete --force "$ID"
  assert_success
  assert_nothing_left "$ID"
}
