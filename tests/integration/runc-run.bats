#!/usr/bin/env bats
# A floor-holding busybox container runs through policyrun and real runc;
# the private bundle policyrun hands on is checked; absent limits are filled.

load helpers

setup ()
{
  setup_bundle
}

teardown ()
{
  teardown_bundle
  # No process of policyrun outlives the test's containers.
  if [ -n "${TMP:-}" ]; then poll_until no_helpers_left; fi
}

@test "run: a floor-holding container runs and prints its output" {
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$output" = "hello" ]
}

@test "run: the process is uid/gid 65534, without capabilities, with no_new_privs and seccomp" {
  update_config '.process.args = ["sh", "-c", "id -u; id -g; grep -E \"^(CapEff|CapBnd|NoNewPrivs|Seccomp):\" /proc/self/status"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [ "${lines[0]}" = 65534 ]
  [ "${lines[1]}" = 65534 ]
  [[ "$output" == *$'CapEff:\t0000000000000000'* ]]
  [[ "$output" == *$'CapBnd:\t0000000000000000'* ]]
  [[ "$output" == *$'NoNewPrivs:\t1'* ]]
  [[ "$output" == *$'Seccomp:\t2'* ]]
}

@test "run: a write to / fails inside the container" {
  update_config '.process.args = ["sh", "-c", "if touch /written 2>/dev/null; then echo writable; else echo read-only; fi"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$output" = "read-only" ]
  [ ! -e "$BUNDLE/rootfs/written" ]
}

@test "run: the container has no network interface but lo" {
  update_config '.process.args = ["sh", "-c", "ls /sys/class/net"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$output" = "lo" ]
}

@test "run: the container's exit status comes back through policyrun" {
  update_config '.process.args = ["sh", "-c", "exit 7"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 7 ]
}

@test "create/start/state/kill/delete: the whole life of a container through policyrun" {
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  [ -z "$output" ]
  [ "$(container_status "$ID")" = created ]
  [ -f "$(private_bundle "$ID")/config.json" ]

  run --separate-stderr policyrun start "$ID"
  assert_success
  wait_for_status "$ID" running

  run --separate-stderr policyrun state "$ID"
  assert_success
  [ "$(jq -r .status <<< "$output")" = running ]
  [ "$(jq -r .id <<< "$output")" = "$ID" ]
  # runc was handed the private bundle, not the caller's.
  [ "$(jq -r .bundle <<< "$output")" = "$(private_bundle "$ID")" ]

  run --separate-stderr policyrun kill "$ID" KILL
  assert_success
  wait_for_status "$ID" stopped

  run --separate-stderr policyrun delete "$ID"
  assert_success
  [ "$(container_status "$ID")" = absent ]
  if __runc list -q | grep -qx -- "$ID"; then fail "$ID still listed"; fi
  [ ! -e "$(private_bundle "$ID")" ]
  # The caller's bundle is untouched.
  [ -f "$BUNDLE/config.json" ]
  [ -x "$BUNDLE/rootfs/bin/busybox" ]
}

@test "create: the bundle defaults to the working directory" {
  update_config '.process.args = ["sleep", "1000"]'
  cd "$BUNDLE"
  run_to_files policyrun create "$ID"
  assert_success
  [ "$(container_status "$ID")" = created ]
  [ "$(jq -r .root.path "$(private_bundle "$ID")/config.json")" = "$BUNDLE/rootfs" ]
}

@test "create: the private bundle is root's, 0700/0600, and holds the caller's config made canonical" {
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  local priv
  priv=$(private_bundle "$ID")
  [ "$(stat -c '%a %u %g %F' "$priv")" = "700 0 0 directory" ]
  [ "$(stat -c '%a %u %g %F' "$priv/config.json")" = "600 0 0 regular file" ]
  [ "$(stat -c '%a %u' "$(dirname "$priv")")" = "700 0" ]
  [ "$(stat -c '%a %u' "$STATE")" = "700 0" ]
  [ "$(stat -c %i "$priv/config.json")" != "$(stat -c %i "$BUNDLE/config.json")" ]

  # root.path "rootfs" became absolute against the caller's bundle; nothing
  # else changed (this config already holds the floor, so nothing is filled).
  [ "$(jq -r .root.path "$BUNDLE/config.json")" = rootfs ]
  [ "$(jq -r .root.path "$priv/config.json")" = "$BUNDLE/rootfs" ]
  diff -u <(jq -S --arg r "$BUNDLE/rootfs" '.root.path = $r' "$BUNDLE/config.json") \
    <(jq -S . "$priv/config.json")
}

@test "create: relative bind sources become absolute against the caller's bundle" {
  mkdir "$BUNDLE/data"
  echo payload > "$BUNDLE/data/file"
  update_config '.process.args = ["cat", "/data/file"]
    | .mounts += [{destination: "/data", type: "bind", source: "data", options: ["rbind", "ro"]}]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$output" = payload ]
  run_to_files policyrun create --bundle "$BUNDLE" "$ID-2"
  assert_success
  [ "$(jq -r '.mounts[-1].source' "$(private_bundle "$ID-2")/config.json")" = "$BUNDLE/data" ]
}

@test "create: a relative --pid-file is written where runc writes it (the working directory)" {
  update_config '.process.args = ["sleep", "1000"]'
  mkdir "$TMP/cwd"
  cd "$TMP/cwd"
  run_to_files policyrun create --bundle "$BUNDLE" --pid-file init.pid "$ID"
  assert_success
  [ -s "$TMP/cwd/init.pid" ]
  [ ! -e "$BUNDLE/init.pid" ]
  [ "$(cat "$TMP/cwd/init.pid")" = "$(__runc state "$ID" | jq -r .pid)" ]
}

@test "create: absent memory, cpu and pids limits are filled in and the cgroup shows the floor" {
  requires cgroups_v1
  update_config '.process.args = ["sleep", "1000"]
    | del(.linux.resources.memory, .linux.resources.cpu, .linux.resources.pids)'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success

  local priv
  priv=$(private_bundle "$ID")/config.json
  [ "$(jq .linux.resources.memory.limit "$priv")" -eq "$FLOOR_MEMORY" ]
  [ "$(jq .linux.resources.cpu.quota "$priv")" -eq "$FLOOR_CPU_QUOTA" ]
  [ "$(jq .linux.resources.cpu.period "$priv")" -eq "$FLOOR_CPU_PERIOD" ]
  [ "$(jq .linux.resources.pids.limit "$priv")" -eq "$FLOOR_PIDS" ]

  local mem cpu pids
  mem=$(container_cgroup "$ID" memory)
  cpu=$(container_cgroup "$ID" cpu)
  pids=$(container_cgroup "$ID" pids)
  [ "$(cat "$mem/memory.limit_in_bytes")" -eq "$FLOOR_MEMORY" ]
  [ "$(cat "$cpu/cpu.cfs_quota_us")" -eq "$FLOOR_CPU_QUOTA" ]
  [ "$(cat "$cpu/cpu.cfs_period_us")" -eq "$FLOOR_CPU_PERIOD" ]
  [ "$(cat "$pids/pids.max")" -eq "$FLOOR_PIDS" ]
  if [ -e "$mem/memory.memsw.limit_in_bytes" ]; then
    [ "$(jq .linux.resources.memory.swap "$priv")" -eq "$FLOOR_MEMORY" ]
    [ "$(cat "$mem/memory.memsw.limit_in_bytes")" -eq "$FLOOR_MEMORY" ]
  fi
}

@test "create: the floor's limits are in force for a config that states them" {
  requires cgroups_v1 swap_accounting
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  local mem
  mem=$(container_cgroup "$ID" memory)
  [ "$(cat "$mem/memory.limit_in_bytes")" -eq "$FLOOR_MEMORY" ]
  [ "$(cat "$mem/memory.memsw.limit_in_bytes")" -eq "$FLOOR_MEMORY" ]
  [ "$(cat "$(container_cgroup "$ID" pids)/pids.max")" -eq "$FLOOR_PIDS" ]
}

@test "hand-off: the delegate gets a private bundle holding the floor, argv otherwise unchanged" {
  export RECORDER_LOG=$TMP/recorder.log RECORDER_DIR=$TMP/recorder
  mkdir -p "$RECORDER_DIR"
  update_config 'del(.linux.resources.pids)'
  run_to_files "$POLICYRUN" --policy "$POLICY" --delegate "$RECORDER" --root "$ROOT" \
    --log "$LOG" --log-format json create --bundle "$BUNDLE" --pid-file "$TMP/init.pid" "$ID"
  assert_success
  # One create (the cleaner may ask "state ID" after it, as runc keeps no
  # state for a container the recorder only pretended to create).
  [ "$(main_calls)" -eq 1 ]

  local priv argv
  priv=$(private_bundle "$ID")
  argv=$(head -n1 "$RECORDER_LOG")
  [ "$(jq -r '.[index("--bundle") + 1]' <<< "$argv")" != "$BUNDLE" ]
  [ "$(jq -r '.[index("--bundle") + 1]' <<< "$argv")" = "$priv" ]
  # Everything but the bundle is what the caller passed.
  [ "$(jq -c --arg p "$priv" --arg b "$BUNDLE" 'map(if . == $p then $b else . end)' <<< "$argv")" \
    = "$(jq -nc '$ARGS.positional' --args -- --root "$ROOT" --log "$LOG" --log-format json \
      create --bundle "$BUNDLE" --pid-file "$TMP/init.pid" "$ID")" ]

  # What the delegate read holds the floor.
  local cfg=$RECORDER_DIR/config-1.json
  jq -e --arg r "$BUNDLE/rootfs" '
      .root.path == $r and .root.readonly == true
    and .process.user.uid == 65534 and .process.user.gid == 65534
    and .process.noNewPrivileges == true
    and ([.process.capabilities // {} | .[] | length] | add // 0) == 0
    and .process.capabilities != null
    and .linux.resources.memory.limit == 104857600
    and .linux.resources.memory.swap == 104857600
    and .linux.resources.cpu.quota == 50000 and .linux.resources.cpu.period == 100000
    and .linux.resources.pids.limit == 256
    and ([.linux.namespaces[] | select(.type == "network")] | length) == 1
    and ([.linux.namespaces[] | select(.type == "network") | .path // empty] | length) == 0
    and .linux.seccomp.defaultAction == "SCMP_ACT_ERRNO"
    and ((.hooks // {}) | length) == 0
  ' "$cfg"
  # It is the private bundle's file, byte for byte.
  cmp "$cfg" "$priv/config.json"
  # The caller's config is untouched.
  [ "$(jq '.linux.resources.pids' "$BUNDLE/config.json")" = null ]
  # No refusal was logged; the one line there says, at level info, what
  # the floor filled in (here the pids limit).
  [ "$(wc -l < "$LOG")" -eq 1 ] || fail "log: $(cat "$LOG")"
  jq -e '.level == "info" and (.msg | startswith("policyrun: tightened")) and (.msg | contains("pids"))' "$LOG" \
    || fail "log: $(cat "$LOG")"
}

@test "hand-off: the delegate's output and exit status are policyrun's" {
  export RECORDER_LOG=$TMP/recorder.log RECORDER_DIR=$TMP/recorder RECORDER_EXEC=$RUNC
  mkdir -p "$RECORDER_DIR"
  update_config '.process.args = ["sh", "-c", "echo through; exit 3"]'
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" --delegate "$RECORDER" --root "$ROOT" \
    run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 3 ]
  [ "$output" = through ]
  # The first call is the caller's run, with the private bundle.  Helper
  # calls (the watchdog's and the cleaner's "state ID") may follow, never
  # precede it: the watchdog asks the delegate only once runc, started by
  # that call, has made its state directory.  Nothing else is called.
  head -n1 "$RECORDER_LOG" | jq -e --arg p "$(private_bundle "$ID")" \
    'index("run") != null and .[index("--bundle") + 1] == $p'
  [ "$(jq -s 'map(select(index("run") != null)) | length' "$RECORDER_LOG")" -eq 1 ]
  jq -s -e --arg id "$ID" '.[1:] | all(.[-2:] == ["state", $id])' "$RECORDER_LOG"
}

@test "hand-off: policyrun execs the delegate in its own process (no fork)" {
  cat > "$TMP/whoami-runtime" <<'SH'
#!/bin/sh
echo "delegate pid $$"
SH
  chmod +x "$TMP/whoami-runtime"
  run --separate-stderr sh -c 'echo "caller pid $$"; exec "$@"' sh \
    "$POLICYRUN" --policy "$POLICY" --delegate "$TMP/whoami-runtime" --root "$ROOT" \
    create --bundle "$BUNDLE" "$ID"
  assert_success
  [ "${#lines[@]}" -eq 2 ]
  [ "${lines[1]#delegate pid }" = "${lines[0]#caller pid }" ]
}

@test "run: Docker's own default seccomp profile is tightened (deny-listed calls out) and busybox runs" {
  local fixture=$INTEGRATION_ROOT/../fixtures/docker/doc-flags-user.json
  [ -f "$fixture" ] || skip "Docker's captured profile is missing: $fixture (tests/fixtures/capture-docker.sh)"
  jq -e '[.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | index("ptrace") != null' "$fixture"
  update_config --slurpfile d "$fixture" '.linux.seccomp = $d[0].linux.seccomp
    | .process.args = ["sh", "-c", "echo hello; grep ^Seccomp: /proc/self/status"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [ "${lines[0]}" = hello ]
  [ "${lines[1]}" = $'Seccomp:\t2' ]
  # What runc reads allows none of the deny-listed calls any more.
  run_to_files policyrun create --bundle "$BUNDLE" "$ID-2"
  assert_success
  local priv
  priv=$(private_bundle "$ID-2")/config.json
  jq -e '[.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]]
    | (index("ptrace") == null and index("io_uring_setup") == null and index("bpf") == null)' "$priv"
  [ "$(jq -c .linux.seccomp.defaultAction "$priv")" = '"SCMP_ACT_ERRNO"' ]
}

@test "create with an id already in use is refused and leaves that container's private bundle alone" {
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  local priv
  priv=$(private_bundle "$ID")/config.json
  cp "$priv" "$TMP/before.json"
  update_config '.hostname = "another"'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  cmp "$priv" "$TMP/before.json"
  [ "$(container_status "$ID")" = created ]
}

@test "run: after the container has exited, delete removes whatever private bundle is left" {
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$output" = hello ]
  [ "$(container_status "$ID")" = absent ]
  # runc has forgotten the container, so runc's delete fails; the private
  # bundle goes all the same.
  run --separate-stderr policyrun delete "$ID"
  [ ! -e "$(private_bundle "$ID")" ]
}
