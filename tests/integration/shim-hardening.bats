#!/usr/bin/env bats
# What a container could inherit or be steered into besides its config:
# descriptors, socket activation, exec --process with flags beside it,
# --root spellings, restore, the wall-clock deadline, an untrusted
# delegate, a working directory that reaches /proc through the image.

load helpers

setup () { setup_bundle; }
teardown ()
{
  teardown_bundle
  # No process of policyrun outlives the test's containers.
  if [ -n "${TMP:-}" ]; then poll_until no_helpers_left; fi
}

@test "--preserve-fds is refused: the container would inherit the caller's descriptors" {
  run_to_files policyrun --log "$LOG" --log-format json create --preserve-fds 1 --bundle "$BUNDLE" "$ID"
  assert_error "refused by floor"
  assert_violation descriptors "--preserve-fds" "remove --preserve-fds"
  assert_nothing_created "$ID"
}

@test "a directory as the container's stdin is refused" {
  run_to_files bash -c "exec 0</; exec \"\$0\" --policy '$POLICY' --root '$ROOT' create --bundle '$BUNDLE' '$ID' < /" "$POLICYRUN"
  assert_error "refused by floor"
  assert_violation descriptors "stdio fd 0" "pipes or a terminal"
  assert_nothing_created "$ID"
}

@test "LISTEN_FDS socket activation does not pass a host directory into the container" {
  update_config '.process.args = ["sh", "-c", "if [ -e /proc/$$/fd/3 ]; then echo has-fd-3; else echo no-fd-3; fi"]'
  run bash -c "exec 3</; LISTEN_PID=\$\$ LISTEN_FDS=1 exec '$POLICYRUN' --policy '$POLICY' --root '$ROOT' run --bundle '$BUNDLE' '$ID'"
  assert_success
  [ "$output" = no-fd-3 ] || fail "the container holds the caller's fd 3: $output"
}

@test "restore is refused: a checkpoint's credentials are not in config.json" {
  run_to_files policyrun --log "$LOG" --log-format json restore --bundle "$BUNDLE" --image-path "$TMP" "$ID"
  assert_error "refused by floor" "restore" "checkpoint"
  assert_log_line "$stderr"
  assert_nothing_created "$ID"
}

@test "exec --process with -u beside it is refused, and the file is checked as it will run" {
  start_container
  jq -n '{args: ["id", "-u"], cwd: "/", user: {uid: 0, gid: 0}, noNewPrivileges: false, capabilities: {}}' > "$TMP/proc-root.json"
  run --separate-stderr policyrun exec --process "$TMP/proc-root.json" -u 65534:65534 --no-new-privs "$ID"
  assert_error "refused by floor"
  assert_violation process "--user" "in the --process file"
  assert_violation user "user.uid" "--user 65534:65534"
  assert_violation no-new-privileges "noNewPrivileges"
}

@test "exec --process gets the floor's RLIMIT_NOFILE even when the file lists other rlimits" {
  start_container
  jq -n '{args: ["sh", "-c", "ulimit -n"], cwd: "/", user: {uid: 65534, gid: 65534},
          env: ["PATH=/bin:/sbin:/usr/bin"],
          noNewPrivileges: true, capabilities: {},
          rlimits: [{type: "RLIMIT_CORE", hard: 0, soft: 0}]}' > "$TMP/proc.json"
  run --separate-stderr policyrun exec --process "$TMP/proc.json" "$ID"
  assert_success
  [ "$output" -le 1024 ] || fail "RLIMIT_NOFILE in the exec'd process is $output"
}

@test "--root '..' cannot reach outside the state directory" {
  mkdir -p "$TMP/victim"
  echo keep > "$TMP/victim/file"
  cd "$STATE" 2> /dev/null || { mkdir -p "$STATE" && cd "$STATE"; }
  # The recorder stands in for runc, which itself removes ROOT/ID on delete.
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" --delegate "$RECORDER" --root .. delete victim
  [ -f "$TMP/victim/file" ] || fail "delete with --root .. removed $TMP/victim"
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" --delegate "$RECORDER" --root .. create --bundle "$BUNDLE" escapee
  [ ! -e "$TMP/escapee" ] || fail "a private bundle was created outside the state directory"
  [ ! -e "$STATE/../escapee" ] || fail "a private bundle was created outside the state directory"
}

@test "the wall-clock deadline kills a container started with create and start" {
  write_policy '{"timeout_seconds": 2}'
  start_container
  poll_until container_stopped "$ID"
}

@test "the wall-clock deadline kills a container started with run" {
  write_policy '{"timeout_seconds": 2}'
  update_config '.process.args = ["sleep", "60"]'
  run policyrun run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 137 ] || fail "exit status $status, want 137 (SIGKILL)"
  # Nobody calls delete after run: the cleaner removes the private bundle.
  poll_until no_private_bundle "$ID"
}

@test "a delegate that others can replace is refused" {
  cp "$RECORDER" "$TMP/delegate"
  chmod 0777 "$TMP/delegate"
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" --delegate "$TMP/delegate" state x
  assert_error "not trusted" "writable by others"
}

@test "a working directory that reaches /proc through the image's symlinks is refused" {
  ln -s /proc/self/fd/7 "$BUNDLE/rootfs/work"
  update_config '.process.cwd = "/work"'
  refuse_create process "process.cwd" "--workdir"
}

@test "exec --cwd through the image's symlinks is refused" {
  start_container
  ln -s /proc/self/fd/7 "$BUNDLE/rootfs/work" 2> /dev/null || true
  run --separate-stderr policyrun exec --cwd /work "$ID" true
  assert_error "refused by floor"
  assert_violation process "process.cwd" "--workdir"
}

@test "the wall-clock deadline kills a container started with run --detach" {
  write_policy '{"timeout_seconds": 2}'
  update_config '.process.args = ["sleep", "60"]'
  run_to_files policyrun run --detach --bundle "$BUNDLE" "$ID"
  assert_success
  wait_for_status "$ID" running
  poll_until container_stopped "$ID"
}

@test "the deadline holds when the caller starts policyrun with stdin closed" {
  write_policy '{"timeout_seconds": 2}'
  update_config '.process.args = ["sleep", "60"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  policyrun start "$ID" <&-
  wait_for_status "$ID" running
  poll_until container_stopped "$ID"
}

@test "run with a relative --root: the deadline holds and the private bundle goes" {
  write_policy '{"timeout_seconds": 2}'
  update_config '.process.args = ["sleep", "60"]'
  cd "$TMP"
  run "$POLICYRUN" --policy "$POLICY" --root root run --bundle bundle "$ID"
  [ "$status" -eq 137 ] || fail "exit status $status, want 137 (SIGKILL)"
  poll_until no_private_bundle "$ID"
}
