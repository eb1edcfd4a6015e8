#!/usr/bin/env bats
# exec and update cannot loosen a running container.

load helpers

setup ()
{
  setup_bundle
  start_container
}

teardown ()
{
  teardown_bundle
}

# A floor-holding process.json for exec, edited by the jq FILTER given.
process_file ()
{
  jq -n "{
      terminal: false,
      user: {uid: 65534, gid: 65534},
      args: [\"echo\", \"from-process-file\"],
      env: [\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\"],
      cwd: \"/\",
      capabilities: {},
      noNewPrivileges: true
    } | ${1:-.}" > "$TMP/process.json"
}

# refuse_exec ARGS...: `policyrun exec ARGS` is refused in the documented
# shape and the process did not run (it would have printed).
refuse_exec ()
{
  rm -f "$LOG"
  run --separate-stderr policyrun --log "$LOG" --log-format json exec "$@"
  assert_error '^policyrun: refused by floor'
  assert_log_line "$stderr"
  [ "$(container_status "$ID")" = running ]
}

cgroup_value ()
{
  cat "$(container_cgroup "$ID" "$1")/$2"
}

@test "exec: a command runs in the container" {
  run --separate-stderr policyrun exec "$ID" echo hi
  assert_success
  [ "$output" = hi ]
}

@test "exec: the process inherits the floor (uid 65534, no capabilities, no_new_privs)" {
  run --separate-stderr policyrun exec "$ID" sh -c 'id -u; grep -E "^(CapEff|NoNewPrivs):" /proc/self/status'
  assert_success
  [ "${lines[0]}" = 65534 ]
  [[ "$output" == *$'CapEff:\t0000000000000000'* ]]
  [[ "$output" == *$'NoNewPrivs:\t1'* ]]
}

@test "exec: words after the id belong to the command, not to exec (-u 0 is echo's)" {
  run --separate-stderr policyrun exec "$ID" echo -u 0
  assert_success
  [ "$output" = "-u 0" ]
}

@test "exec: a floor-holding --process file runs" {
  process_file
  run --separate-stderr policyrun exec --process "$TMP/process.json" "$ID"
  assert_success
  [ "$output" = from-process-file ]
}

@test "exec: --cap CAP_SYS_ADMIN is refused" {
  refuse_exec --cap CAP_SYS_ADMIN "$ID" echo ran
  assert_violation capabilities '(process\.)?capabilities'
}

@test "exec: -u 0 is refused" {
  refuse_exec -u 0 "$ID" echo ran
  assert_violation user '(process\.)?user\.uid' '--user'
}

@test "exec: --user 65534:0 is refused" {
  refuse_exec --user 65534:0 "$ID" echo ran
  assert_violation user '(process\.)?user\.gid'
}

@test "exec: --cwd /proc is refused" {
  refuse_exec --cwd /proc "$ID" echo ran
  assert_violation process '(process\.)?cwd'
}

@test "exec: --apparmor unconfined is refused" {
  refuse_exec --apparmor unconfined "$ID" echo ran
}

@test "exec: --process-label is refused" {
  refuse_exec --process-label system_u:system_r:spc_t:s0 "$ID" echo ran
}

@test "exec: --additional-gids 0 is refused" {
  refuse_exec --additional-gids 0 "$ID" echo ran
  assert_violation user '(process\.)?user\.additionalGids'
}

@test "exec: --no-new-privs=false is refused" {
  refuse_exec --no-new-privs=false "$ID" echo ran
  assert_violation no-new-privileges '(process\.)?noNewPrivileges'
}

@test "exec: a --process file with uid 0 is refused" {
  process_file '.user.uid = 0 | .args = ["echo", "ran"]'
  refuse_exec --process "$TMP/process.json" "$ID"
  assert_violation user '(process\.)?user\.uid' '--user'
}

@test "exec: a --process file with capabilities is refused" {
  process_file '.capabilities = {bounding: ["CAP_SYS_ADMIN"], effective: ["CAP_SYS_ADMIN"], permitted: ["CAP_SYS_ADMIN"]} | .args = ["echo", "ran"]'
  refuse_exec --process "$TMP/process.json" "$ID"
  assert_violation capabilities '(process\.)?capabilities'
}

@test "exec: a --process file without noNewPrivileges is refused" {
  process_file 'del(.noNewPrivileges) | .args = ["echo", "ran"]'
  refuse_exec --process "$TMP/process.json" "$ID"
  assert_violation no-new-privileges '(process\.)?noNewPrivileges'
}

@test "exec: a --process file with a duplicate key is refused" {
  process_file '.args = ["echo", "ran"]'
  sed -i 's/"uid": 65534,/"uid": 65534, "uid": 0,/' "$TMP/process.json"
  grep -q '"uid": 0' "$TMP/process.json"
  rm -f "$LOG"
  run --separate-stderr policyrun --log "$LOG" --log-format json exec --process "$TMP/process.json" "$ID"
  assert_error 'duplicate' 'uid'
  assert_log_line "$stderr"
}

@test "update: --memory 1g is refused and the cgroup still shows 100 MiB" {
  requires cgroups_v1
  rm -f "$LOG"
  run --separate-stderr policyrun --log "$LOG" --log-format json update --memory 1g "$ID"
  assert_error '^policyrun: refused by floor'
  assert_violation memory '(linux\.resources\.)?memory' '--memory'
  assert_log_line "$stderr"
  [ "$(cgroup_value memory memory.limit_in_bytes)" -eq "$FLOOR_MEMORY" ]
}

@test "update: --cpu-quota above the floor is refused and the cgroup keeps the floor" {
  requires cgroups_v1
  run --separate-stderr policyrun update --cpu-quota 100000 "$ID"
  assert_error '^policyrun: refused by floor'
  assert_violation cpu '(linux\.resources\.)?cpu'
  [ "$(cgroup_value cpu cpu.cfs_quota_us)" -eq "$FLOOR_CPU_QUOTA" ]
}

@test "update: --pids-limit=-1 is refused by the floor" {
  requires cgroups_v1
  run --separate-stderr policyrun update --pids-limit=-1 "$ID"
  assert_error '^policyrun: refused by floor'
  assert_violation pids '(linux\.resources\.)?pids'
  [ "$(cgroup_value pids pids.max)" -eq "$FLOOR_PIDS" ]
}

@test "update: --pids-limit -1 ID (value starting with -) is refused by the floor" {
  requires cgroups_v1
  run --separate-stderr policyrun update --pids-limit -1 "$ID"
  assert_error '^policyrun: refused by floor'
  assert_violation pids '(linux\.resources\.)?pids' '--pids-limit'
  [ "$(cgroup_value pids pids.max)" -eq "$FLOOR_PIDS" ]
}

@test "update: --pids-limit 100 (tighter) is accepted and applied" {
  requires cgroups_v1
  run --separate-stderr policyrun update --pids-limit 100 "$ID"
  assert_success
  [ "$(cgroup_value pids pids.max)" -eq 100 ]
}

@test "update: -r - with JSON on stdin over the floor is refused" {
  requires cgroups_v1
  rm -f "$LOG"
  run --separate-stderr policyrun --log "$LOG" --log-format json update -r - "$ID" \
    <<< '{"memory": {"limit": 1073741824, "swap": 1073741824}}'
  assert_error '^policyrun: refused by floor'
  assert_violation memory '(linux\.resources\.)?memory' '--memory'
  assert_log_line "$stderr"
  [ "$(cgroup_value memory memory.limit_in_bytes)" -eq "$FLOOR_MEMORY" ]
}

@test "update: -r=- with JSON on stdin over the floor is refused by the floor" {
  requires cgroups_v1
  rm -f "$LOG"
  run --separate-stderr policyrun --log "$LOG" --log-format json update -r=- "$ID" \
    <<< '{"memory": {"limit": 1073741824, "swap": 1073741824}}'
  assert_error '^policyrun: refused by floor'
  assert_violation memory '(linux\.resources\.)?memory' '--memory'
  assert_log_line "$stderr"
  [ "$(cgroup_value memory memory.limit_in_bytes)" -eq "$FLOOR_MEMORY" ]
}

@test "update: -r FILE over the floor is refused" {
  requires cgroups_v1
  echo '{"pids": {"limit": 100000}}' > "$TMP/resources.json"
  run --separate-stderr policyrun update -r "$TMP/resources.json" "$ID"
  assert_error '^policyrun: refused by floor'
  assert_violation pids '(linux\.resources\.)?pids'
  [ "$(cgroup_value pids pids.max)" -eq "$FLOOR_PIDS" ]
}

@test "update: Docker's own form (--resources - ID) with floor-holding JSON is applied" {
  requires cgroups_v1
  run --separate-stderr policyrun update --resources - "$ID" <<< '{"pids": {"limit": 128}}'
  assert_success
  [ "$(cgroup_value pids pids.max)" -eq 128 ]
}

@test "update: resources JSON with a duplicate key is refused" {
  requires cgroups_v1
  run --separate-stderr policyrun update -r=- "$ID" \
    <<< '{"pids": {"limit": 128, "limit": -1}}'
  assert_error 'duplicate'
  [ "$(cgroup_value pids pids.max)" -eq "$FLOOR_PIDS" ]
}

# ---- update: what the container ends up with ----------------------------
# runc 1.1 keeps the other value of the CPU pair when only one is given; the
# floor checks the pair after the update and names the flag that was given.

cpu_pair ()
{
  echo "$(cgroup_value cpu cpu.cfs_quota_us)/$(cgroup_value cpu cpu.cfs_period_us)"
}

@test "update: only --cpu-period raised tightens the ratio and is applied with the kept quota" {
  requires cgroups_v1
  run --separate-stderr policyrun update --cpu-period 200000 "$ID"
  assert_success
  [ "$(cpu_pair)" = "$FLOOR_CPU_QUOTA/200000" ] || fail "cgroup has $(cpu_pair)"
}

@test "update: only --cpu-quota lowered tightens the ratio and is applied with the kept period" {
  requires cgroups_v1
  run --separate-stderr policyrun update --cpu-quota 25000 "$ID"
  assert_success
  [ "$(cpu_pair)" = "25000/$FLOOR_CPU_PERIOD" ] || fail "cgroup has $(cpu_pair)"
}

@test "update: only --cpu-period lowered is refused with the merged pair, naming --cpu-period" {
  requires cgroups_v1
  run --separate-stderr policyrun update --cpu-period 50000 "$ID"
  assert_error '^policyrun: refused by floor'
  assert_violation cpu 'linux\.resources\.cpu\.period' '--cpus 0\.5'
  assert_error "is 50000 \(given by --cpu-period\) with the container's cpu.quota of $FLOOR_CPU_QUOTA: $FLOOR_CPU_QUOTA per period of 50000 \(--cpus 1\)"
  [[ "$stderr" != *"not set"* ]] || fail "described as if the quota were unset: $stderr"
  [ "$(cpu_pair)" = "$FLOOR_CPU_QUOTA/$FLOOR_CPU_PERIOD" ]
}

@test "update: only --cpu-quota raised is refused with the merged pair, naming --cpu-quota" {
  requires cgroups_v1
  run --separate-stderr policyrun update --cpu-quota 80000 "$ID"
  assert_error '^policyrun: refused by floor'
  assert_violation cpu 'linux\.resources\.cpu\.quota' '--cpus 0\.5'
  assert_error "is 80000 \(given by --cpu-quota\) with the container's cpu.period of $FLOOR_CPU_PERIOD: 80000 per period of $FLOOR_CPU_PERIOD \(--cpus 0\.8\)"
  [ "$(cpu_pair)" = "$FLOOR_CPU_QUOTA/$FLOOR_CPU_PERIOD" ]
}

@test "update: a later update merges with the last applied one, not with create's values" {
  requires cgroups_v1
  run --separate-stderr policyrun update --cpu-period 200000 "$ID"
  assert_success
  # 90000 per 100000 (create's period) would be above the floor; per the
  # period the first update applied, it is 0.45 CPU.
  run --separate-stderr policyrun update --cpu-quota 90000 "$ID"
  assert_success
  [ "$(cpu_pair)" = "90000/200000" ] || fail "cgroup has $(cpu_pair)"
  run --separate-stderr policyrun update --cpu-period 100000 "$ID"
  assert_error "is 100000 \(given by --cpu-period\) with the container's cpu.quota of 90000"
  [ "$(cpu_pair)" = "90000/200000" ]
}

@test "update: Docker's form with only the period set (quota 0) is merged, not read as unset" {
  requires cgroups_v1
  run --separate-stderr policyrun update --resources - "$ID" \
    <<< '{"memory":{"limit":0,"reservation":0,"kernel":0},"cpu":{"shares":0,"quota":0,"period":300000},"blockIO":{"weight":0}}'
  assert_success
  [ "$(cpu_pair)" = "$FLOOR_CPU_QUOTA/300000" ] || fail "cgroup has $(cpu_pair)"
  run --separate-stderr policyrun update --resources - "$ID" \
    <<< '{"cpu":{"shares":0,"quota":0,"period":20000}}'
  assert_violation cpu 'linux\.resources\.cpu\.period' '--cpus'
  assert_error "is 20000 \(given by --cpu-period\) with the container's cpu.quota of $FLOOR_CPU_QUOTA"
  [ "$(cpu_pair)" = "$FLOOR_CPU_QUOTA/300000" ]
}

@test "update: --memory alone lowers memory and memory+swap together (no swap)" {
  requires cgroups_v1
  local memsw
  memsw="$(container_cgroup "$ID" memory)/memory.memsw.limit_in_bytes"
  [ -e "$memsw" ] || skip "this kernel does not account swap (no memory.memsw.limit_in_bytes)"
  run --separate-stderr policyrun update --memory 50m "$ID"
  assert_success
  [ "$(cgroup_value memory memory.limit_in_bytes)" -eq 52428800 ]
  [ "$(cat "$memsw")" -eq 52428800 ]
}

@test "update: --memory-swap alone is checked against the container's memory limit" {
  requires cgroups_v1
  run --separate-stderr policyrun update --memory-swap 200m "$ID"
  assert_violation memory 'linux\.resources\.memory\.swap' '--memory-swap'
  assert_error "given by --memory-swap, with the container's memory.limit of $FLOOR_MEMORY"
  [ "$(cgroup_value memory memory.limit_in_bytes)" -eq "$FLOOR_MEMORY" ]
}
