#!/usr/bin/env bats
# Harden mode under the real runc, for the resource, kernel, hooks and
# annotations layers: a config the floor refuses (1 GiB of memory with
# unlimited swap, an unlimited CPU quota, no pids limit, a hook off the
# allowlist, a host sysctl, cgroup v2 overrides, no masked paths) runs
# through policyrun with a harden policy, and what the container gets is
# read back from the kernel: its cgroup holds the floor's limits, the hook
# never ran, the masked paths are masked.

load helpers

setup ()
{
  setup_bundle
  requires cgroups_v1
  write_policy '{"mode": "harden"}'
}

teardown ()
{
  teardown_bundle
}

# The private config.json policyrun handed to runc.
private_config ()
{
  cat "$(private_bundle "$ID")/config.json"
}

@test "harden: 1 GiB, unlimited swap and CPU, no pids limit: the cgroup holds the floor" {
  update_config '
      .process.args = ["sleep", "1000"]
    | .linux.resources.memory = {limit: 1073741824, swap: -1}
    | .linux.resources.cpu = {quota: -1}
    | .linux.resources.unified = {"memory.max": "max"}
    | del(.linux.resources.pids)'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$(container_status "$ID")" = created ]
  private_config | jq -e '.linux.resources
      | .memory.limit == '$FLOOR_MEMORY'
    and .cpu.quota == '$FLOOR_CPU_QUOTA'
    and .pids.limit == '$FLOOR_PIDS'
    and (has("unified") | not)' > /dev/null \
    || fail "private config: $(private_config | jq -c .linux.resources)"

  local mem cpu pids
  mem=$(container_cgroup "$ID" memory)
  cpu=$(container_cgroup "$ID" cpu)
  pids=$(container_cgroup "$ID" pids)
  [ "$(cat "$mem/memory.limit_in_bytes")" = "$FLOOR_MEMORY" ]
  if [ -e "$mem/memory.memsw.limit_in_bytes" ]; then
    [ "$(cat "$mem/memory.memsw.limit_in_bytes")" = "$FLOOR_MEMORY" ]
  fi
  [ "$(cat "$cpu/cpu.cfs_quota_us")" = "$FLOOR_CPU_QUOTA" ]
  [ "$(cat "$cpu/cpu.cfs_period_us")" = "$FLOOR_CPU_PERIOD" ]
  [ "$(cat "$pids/pids.max")" = "$FLOOR_PIDS" ]
}

@test "harden: a policyrun.memory annotation still lowers the hardened limit" {
  update_config '
      .process.args = ["sleep", "1000"]
    | .linux.resources.memory = {limit: 1073741824, swap: 1073741824}
    | .annotations = {"policyrun.memory": "50m"}'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$(cat "$(container_cgroup "$ID" memory)/memory.limit_in_bytes")" = 52428800 ]
}

@test "harden: a hook off the allowlist is dropped and never runs; an allowed one runs" {
  local sh
  sh=$(readlink -f /bin/sh)
  write_policy "$(jq -n --arg sh "$sh" '{mode: "harden", hook_allowlist: [$sh]}')"
  update_config --arg sh "$sh" --arg bb "$BUSYBOX" --arg tmp "$TMP" '
      .process.args = ["sleep", "1000"]
    | .hooks = {createRuntime: [
        {path: $bb, args: ["sh", "-c", "touch \($tmp)/off-list-ran"]},
        {path: $sh, args: ["sh", "-c", "touch \($tmp)/allowed-ran"]}]}'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$(container_status "$ID")" = created ]
  [ ! -e "$TMP/off-list-ran" ] || fail "the hook off the allowlist ran"
  [ -e "$TMP/allowed-ran" ] || fail "the allowlisted hook did not run"
  private_config | jq -e --arg sh "$sh" '.hooks.createRuntime | length == 1 and .[0].path == $sh' \
    > /dev/null || fail "private hooks: $(private_config | jq -c .hooks)"
}

@test "harden: a host sysctl, rshared propagation and denied annotations are dropped; it runs" {
  update_config '
      .process.args = ["sh", "-c", "cat /proc/sys/kernel/core_pattern"]
    | .linux.sysctl = {"kernel.core_pattern": "|/tmp/evil"}
    | .linux.rootfsPropagation = "rshared"
    | .annotations = {"org.systemd.property.CPUQuota": "200%", "com.example.keep": "yes"}'
  local before
  before=$(cat /proc/sys/kernel/core_pattern)
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$output" != "|/tmp/evil" ]
  [ "$(cat /proc/sys/kernel/core_pattern)" = "$before" ]
}

@test "harden: emptied masked and read-only path lists are restored" {
  update_config '
      .process.args = ["sh", "-c", "wc -c < /proc/timer_list; if touch /proc/sysrq-trigger 2>/dev/null; then echo writable; else echo read-only; fi"]
    | .linux.maskedPaths = []
    | .linux.readonlyPaths = []'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [ "${lines[0]}" = 0 ] || fail "/proc/timer_list is readable: ${lines[0]} bytes"
  [ "${lines[1]}" = read-only ]
}

@test "harden: a hook that is not a hook is still refused" {
  update_config '.hooks = {createRuntime: ["/bin/sh"]}'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ] || fail "status $status: $stderr"
  [[ "$stderr" == policyrun:*hooks.createRuntime* ]] || fail "stderr: $stderr"
  assert_nothing_created "$ID"
}
