#!/usr/bin/env bats
# Harden mode under gVisor, with the real runsc: a bundle far below the
# floor is rewritten to it and runs in a sandbox that holds it (no user
# namespace is added: the sandbox has its own).

load helpers
load gvisor-helpers

setup ()
{
  setup_gvisor
  write_policy '{"mode": "harden"}'
  # Root, a writable root, CAP_SYS_ADMIN, no seccomp, 1 GiB, no pids limit.
  update_config '.process.user = {uid: 0, gid: 0} | .root.readonly = false
    | .process.capabilities = {bounding: ["CAP_SYS_ADMIN"], effective: ["CAP_SYS_ADMIN"],
        permitted: ["CAP_SYS_ADMIN"]}
    | .process.noNewPrivileges = false | del(.linux.seccomp)
    | .linux.resources.memory = {limit: 1073741824, swap: -1} | del(.linux.resources.pids)
    | .process.args = ["sh", "-c", "id -u; id -g; grep ^CapEff /proc/self/status; touch /written 2>&1; echo ready; exec sleep 1000"]'
}

teardown () { teardown_gvisor; }

@test "gvisor harden: a bundle below the floor is refused by enforce, rewritten by harden, and runs at the floor" {
  write_policy '{}'
  run --separate-stderr gvisor create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ] || fail "enforce accepted it: $stderr"
  [[ $stderr == *"refused by floor"* ]] || fail "$stderr"

  write_policy '{"mode": "harden"}'
  gv_start "$ID"
  poll_until output_has "$ID" ready
  local out
  out=$(cat "$TMP/$ID.out")
  [ "$(sed -n 1p <<< "$out")" = 65534 ] || fail "uid: $out"
  [ "$(sed -n 2p <<< "$out")" = 65534 ] || fail "gid: $out"
  grep -qx 'CapEff:.*0000000000000000' <<< "$out" || fail "capabilities: $out"
  grep -q 'Read-only file system\|Permission denied' <<< "$out" || fail "the root was writable: $out"

  local priv pid
  priv=$(private_bundle "$ID")/config.json
  jq -e '.root.readonly == true and .process.noNewPrivileges == true
    and (.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO")
    and (.linux.namespaces | map(.type) | index("user") == null)' "$priv" > /dev/null \
    || fail "the private config: $(jq -c '{root, nnp: .process.noNewPrivileges, ns: .linux.namespaces}' "$priv")"
  pid=$(sandbox_pid "$ID")
  [ "$(cat "$(pid_cgroup "$pid" memory)/memory.limit_in_bytes")" -eq 104857600 ]
  [ "$(cat "$(pid_cgroup "$pid" pids)/pids.max")" -eq 1024 ]
  jq -e --arg id "$ID" 'select(.id == $id and .command == "create") | .mode == "harden"
    and .verdict == "accepted" and ([.tightened[] | .rule] | index("user") != null)' \
    "$TMP/trail/decisions.jsonl" > /dev/null || fail "trail: $(cat "$TMP/trail/decisions.jsonl")"
}
