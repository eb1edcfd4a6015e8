#!/usr/bin/env bats
# policyrun.* annotations lower one container's limits and deadline, and
# never raise them (rules POLICYRUN_ANNOTATIONS and LOWERED_LIMITS).

load helpers

setup ()
{
  setup_bundle
}

teardown ()
{
  teardown_bundle
}

# annotate JSON: the bundle's annotations become JSON (an object).
annotate ()
{
  update_config --argjson a "$1" '.annotations = $a'
}

# The container's cgroup v1 value FILE of CONTROLLER.
cgroup_value ()
{
  cat "$(container_cgroup "$ID" "$1")/$2"
}

@test "annotations: policyrun.memory=64m gives the container 64 MiB in its cgroup" {
  requires cgroups_v1
  annotate '{"policyrun.memory": "64m"}'
  start_container
  [ "$(cgroup_value memory memory.limit_in_bytes)" -eq 67108864 ]
  # Still no swap: memory+swap lowered with it where the host accounts swap.
  local memsw
  memsw=$(container_cgroup "$ID" memory)/memory.memsw.limit_in_bytes
  if [ -e "$memsw" ]; then
    [ "$(cat "$memsw")" -eq 67108864 ]
  fi
  # The private bundle (what runc was given) says so too.
  [ "$(jq .linux.resources.memory.limit "$(private_bundle "$ID")/config.json")" -eq 67108864 ]
}

@test "annotations: policyrun.cpus=0.25 and policyrun.pids=32 are applied" {
  requires cgroups_v1
  annotate '{"policyrun.cpus": "0.25", "policyrun.pids": "32"}'
  start_container
  [ "$(cgroup_value cpu cpu.cfs_quota_us)" -eq 25000 ]
  [ "$(cgroup_value cpu cpu.cfs_period_us)" -eq "$FLOOR_CPU_PERIOD" ]
  [ "$(cgroup_value pids pids.max)" -eq 32 ]
}

@test "annotations: policyrun.memory=1g (above the floor) is refused" {
  annotate '{"policyrun.memory": "1g"}'
  refuse_create annotations 'annotations\.policyrun\.memory' 'remove that --annotation'
  [[ "$stderr" == *"above the floor of 104857600 (100 MiB)"* ]]
}

@test "annotations: policyrun.memory above what the bundle asks is refused" {
  update_config '.linux.resources.memory = {limit: 52428800, swap: 52428800}'
  annotate '{"policyrun.memory": "80m"}'
  refuse_create annotations 'annotations\.policyrun\.memory' 'remove that --annotation'
  [[ "$stderr" == *"above linux.resources.memory.limit, which is 52428800"* ]]
}

@test "annotations: an unknown policyrun.* key is refused" {
  annotate '{"policyrun.bogus": "1"}'
  refuse_create annotations 'annotations\.policyrun\.bogus' 'remove that --annotation'
  [[ "$stderr" == *"not an annotation policyrun knows"* ]]
}

@test "annotations: a malformed value is refused" {
  annotate '{"policyrun.cpus": "1/4"}'
  refuse_create annotations 'annotations\.policyrun\.cpus' 'remove that --annotation'
}

@test "annotations: policyrun.timeout=2 kills a sleep under the policy's hour" {
  write_policy '{"timeout_seconds": 3600}'
  annotate '{"policyrun.timeout": "2"}'
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  run --separate-stderr policyrun start "$ID"
  assert_success
  # Only the watchdog can end it within poll_until's bound (60 s): the
  # sleep lasts 1000 s and the policy's deadline is an hour.
  poll_until container_stopped "$ID"
}

@test "annotations: policyrun.timeout=2s gives a deadline where the policy has none" {
  write_policy '{"timeout_seconds": 0}'
  annotate '{"policyrun.timeout": "2s"}'
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  run --separate-stderr policyrun start "$ID"
  assert_success
  poll_until container_stopped "$ID"
}

@test "annotations: policyrun.timeout=2 holds for run --detach too" {
  write_policy '{"timeout_seconds": 3600}'
  annotate '{"policyrun.timeout": "2"}'
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files policyrun run --detach --bundle "$BUNDLE" "$ID"
  assert_success
  poll_until container_stopped "$ID"
}

@test "annotations: policyrun.timeout later than the policy's deadline is refused" {
  write_policy '{"timeout_seconds": 3600}'
  annotate '{"policyrun.timeout": "2h"}'
  refuse_create annotations 'annotations\.policyrun\.timeout' 'remove that --annotation'
  [[ "$stderr" == *"later than the policy's deadline of 3600 seconds"* ]]
}

@test "annotations: update cannot raise a limit above the container's annotation" {
  requires cgroups_v1
  annotate '{"policyrun.memory": "64m", "policyrun.pids": "32"}'
  start_container
  rm -f "$LOG"
  run --separate-stderr policyrun --log "$LOG" --log-format json update --memory 100m --memory-swap 100m "$ID"
  assert_error '^policyrun: refused by floor'
  assert_violation memory '(linux\.resources\.)?memory' '--memory 64m'
  [[ "$stderr" == *"policyrun.memory annotation"* ]]
  assert_log_line "$stderr"
  [ "$(cgroup_value memory memory.limit_in_bytes)" -eq 67108864 ]
  run --separate-stderr policyrun update --pids-limit 64 "$ID"
  assert_error '^policyrun: refused by floor'
  assert_violation pids '(linux\.resources\.)?pids' '--pids-limit 32'
  [ "$(cgroup_value pids pids.max)" -eq 32 ]
  # Lower still is an update like any other.
  run --separate-stderr policyrun update --pids-limit 16 "$ID"
  assert_success
  [ "$(cgroup_value pids pids.max)" -eq 16 ]
}
