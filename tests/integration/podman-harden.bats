#!/usr/bin/env bats
# Podman 4.3 (Debian, with conmon) calling policyrun in harden mode
# ("mode": "harden") as its OCI runtime, with none of the document's flags
# but --network none (Podman's default network for a rootful container is
# a bridge, which these tests never create).  What Podman asks for by
# default (root, its capabilities, a writable root, no limits) is
# rewritten to the floor; each test compares with the same command under
# policyrun in enforce mode, which refuses it, so that the test can fail.

load podman-helpers

setup_file ()
{
  podman_setup_file
  [ -d "${PODMAN_DIR:-}" ] || return 0
  jq -n --arg s "$PODMAN_STATE" --arg t "$PODMAN_DIR/harden.jsonl" \
    '{mode: "harden", state_dir: $s, trail_file: $t}' > "$PODMAN_DIR/harden.json"
  printf '#!/bin/sh\nexec %q --policy %q "$@"\n' "$POLICYRUN" "$PODMAN_DIR/harden.json" \
    > "$PODMAN_DIR/policyrun-harden"
  chmod 0755 "$PODMAN_DIR/policyrun-harden"
}

teardown_file ()
{
  podman_teardown_file
}

setup ()
{
  podman_requires
  check_policyrun
}

# A failed test leaves no container for the next one to trip over.
teardown ()
{
  pm rm -a -f -t 0 > /dev/null 2>&1 || true
}

# ph ARGS...: podman run through policyrun in harden mode.
ph ()
{
  pm --runtime "$PODMAN_DIR/policyrun-harden" "$@"
}

@test "podman harden: the document's three tests pass with only --network none; enforce refuses the same command" {
  run --separate-stderr pr run --rm --network none -v "$CODE/network.py:/code.py:ro" \
    "$PYTHON_IMAGE" python3 /code.py
  [ "$status" -ne 0 ] || fail "enforce mode accepted Podman's defaults: $output"
  [[ "$stderr" == *"policyrun: refused by floor"* ]] || fail "enforce: $stderr"

  local t
  for t in capability filesystem network; do
    run --separate-stderr ph run --rm --network none -v "$CODE/$t.py:/code.py:ro" \
      "$PYTHON_IMAGE" python3 /code.py
    [ "$status" -eq 0 ] || fail "$t.py: exit $status: $output $stderr"
    grep -q '✅ PASS' <<< "$output" || fail "$t.py printed no PASS: $output"
    ! grep -q 'FAIL' <<< "$output" || fail "$t.py: $output"
  done
  # Every create was a harden decision that changed something.
  local n
  n=$(jq -s '[.[] | select(.command == "create" and .mode == "harden" and .verdict == "accepted"
      and any(.tightened[]?; .field == "process.user" and .changed == true))] | length' \
    "$PODMAN_DIR/harden.jsonl")
  [ "$n" -ge 3 ] || fail "trail: $n hardened creates: $(cat "$PODMAN_DIR/harden.jsonl")"
  podman_nothing_left
}

@test "podman harden: the process runs as nobody in a user namespace, without capabilities, on a read-only root" {
  run --separate-stderr ph run --rm --network none "$BUSYBOX_IMAGE" sh -c \
    'id -u; id -g; tr -s " " < /proc/self/uid_map; grep -E "^(CapEff|CapBnd|NoNewPrivs):" /proc/self/status;
     touch /x 2>&1; echo touch=$?; env | grep -ci proxy || true'
  [ "$status" -eq 0 ] || fail "exit $status: $output $stderr"
  # The engine's loopback proxy stays the engine's: a proxy variable would
  # make the document's network test pass whatever the network.
  [ "${lines[-1]}" = 0 ] || fail "proxy variables reached the container: $output"
  [ "${lines[0]}" = 65534 ] || fail "uid: $output"
  [ "${lines[1]}" = 65534 ] || fail "gid: $output"
  [ "${lines[2]}" = " 0 1000000000 65536" ] || fail "uid_map: $output"
  grep -qx $'CapEff:\t0000000000000000' <<< "$output" || fail "CapEff: $output"
  grep -qx $'CapBnd:\t0000000000000000' <<< "$output" || fail "CapBnd: $output"
  grep -qx $'NoNewPrivs:\t1' <<< "$output" || fail "NoNewPrivs: $output"
  grep -q 'Read-only file system' <<< "$output" || fail "root writable: $output"
  grep -qx 'touch=1' <<< "$output" || fail "touch: $output"

  # The same under runc's own defaults through Podman: root, capabilities.
  # (Podman's NOFILE and NPROC are above what runc may raise to on this
  # host: lower ones are given.)
  run --separate-stderr pm --runtime "$RUNC" run --rm --network none --ulimit nofile=1024:1024 \
    --ulimit nproc=1024:1024 "$BUSYBOX_IMAGE" sh -c \
    'id -u; grep "^CapEff:" /proc/self/status'
  [ "$status" -eq 0 ] || fail "runc alone: exit $status: $output $stderr"
  [ "${lines[0]}" = 0 ] || fail "runc alone: uid $output"
  ! grep -qx $'CapEff:\t0000000000000000' <<< "$output" || fail "runc alone: no capabilities: $output"
  podman_nothing_left
}

@test "podman harden: the floor's limits read back from the cgroup" {
  local name=hl$$
  ph run -d --name "$name" --network none "$BUSYBOX_IMAGE" sleep 600
  [ "$(podman_cgroup_file "$name" memory memory.limit_in_bytes)" = "$FLOOR_MEMORY" ]
  if [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then
    [ "$(podman_cgroup_file "$name" memory memory.memsw.limit_in_bytes)" = "$FLOOR_MEMORY" ]
  fi
  [ "$(podman_cgroup_file "$name" pids pids.max)" = "$FLOOR_PIDS" ]
  [ "$(podman_cgroup_file "$name" cpu cpu.cfs_quota_us)" = 50000 ]
  # podman exec runs in the same hardened container.
  run --separate-stderr pm exec "$name" sh -c 'id -u; grep "^CapEff:" /proc/self/status'
  [ "$status" -eq 0 ] || fail "exec: exit $status: $output $stderr"
  [ "${lines[0]}" = 65534 ] || fail "exec uid: $output"
  [ "${lines[1]}" = $'CapEff:\t0000000000000000' ] || fail "exec CapEff: $output"
  pm rm -f -t 0 "$name"
  podman_nothing_left
}

@test "podman harden: a host device is still refused, and nothing is left" {
  run --separate-stderr ph run --rm --network none --device /dev/null:/dev/hostnull \
    "$BUSYBOX_IMAGE" true
  [ "$status" -ne 0 ] || fail "a host device was accepted in harden mode"
  [[ "$stderr" == *"policyrun: refused by floor"*"devices"* ]] || fail "$stderr"
  [ -z "$(pm ps -a -q)" ] || fail "containers left: $(pm ps -a)"
  podman_nothing_left
}
