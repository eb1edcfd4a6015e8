#!/usr/bin/env bats
# exec under gVisor with the real runsc: runsc 20221219 starts an exec'd
# process without the container's seccomp filter (fixed upstream only in
# 2026) and, without --user, as uid 0.  policyrun starts every exec'd process
# through its loader (src/exec-seccomp.c, bound read-only into the container
# at create), which installs the container's checked filter and then execs
# the command: the process runs as the checked process, filtered.

load helpers
load gvisor-helpers

setup ()
{
  setup_gvisor
  bind_probe
}

teardown ()
{
  teardown_bundle
  teardown_gvisor
}

# The loader policyrun uses: beside the binary under test.
LOADER_NAME=policyrun-exec-seccomp
LOADER_IN_CONTAINER=/dev/.policyrun-exec-seccomp

requires_loader ()
{
  [ -x "$(dirname "$POLICYRUN")/$LOADER_NAME" ] \
    || fail "the exec loader is not built beside $POLICYRUN (make $LOADER_NAME)"
}

# A floor-holding process.json for exec, edited by the jq FILTER given.
process_file ()
{
  jq -n "{
      terminal: false,
      user: {uid: 65534, gid: 65534},
      args: [\"/probe/probe\", \"table\"],
      env: [\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\"],
      cwd: \"/\",
      capabilities: {},
      noNewPrivileges: true
    } | ${1:-.}" > "$TMP/process.json"
}

# Start $ID under gVisor: its init prints the probe's table, then "ready",
# then waits.  The table lands in $TMP/init-table.
start_probing_container ()
{
  requires_loader
  update_config '.process.args = ["sh", "-c", "/probe/probe table; echo ready; exec sleep 1000"]'
  gv_start "$ID"
  poll_until output_has "$ID" ready
  grep -v '^ready$' "$TMP/$ID.out" > "$TMP/init-table"
}

# same_as_init TABLE: TABLE is the init's table, row for row, but for
# clone3_user: runsc compiles the init's filter itself and, not knowing
# clone3 (gVisor 20221219 has none), skips the profile's clone3 rule, so the
# init reads the default action (EPERM); the loader's filter is compiled
# with libseccomp as runc compiles it and gives the rule's ENOSYS.  Both
# deny the call.
same_as_init ()
{
  local want got
  want=$(grep -v '^clone3_user ' "$TMP/init-table")
  got=$(grep -v '^clone3_user ' <<< "$1")
  diff -u <(echo "$want") <(echo "$got") || fail "the exec'd process differs from the init"
  expect_row clone3_user ENOSYS "$1"
  [[ "$(table_value clone3_user "$(cat "$TMP/init-table")")" == E* ]]
}

@test "gvisor exec: without --process the process runs filtered as the container's user, exactly as its init" {
  start_probing_container
  run --separate-stderr gvisor exec "$ID" /probe/probe table
  assert_success
  expect_row uid 65534 "$output"
  expect_row seccomp 2 "$output"
  expect_row no_new_privs 1 "$output"
  expect_row cap_eff 0000000000000000 "$output"
  # Calls the checked profile denies and gVisor itself would let run.
  expect_row unshare_user EPERM "$output"
  expect_row ptrace EPERM "$output"
  expect_row io_uring EPERM "$output"
  # Every row, the filter's answers included, is the init's.
  same_as_init "$output"
  # runsc was given policyrun's process file: the loader, the filter in hex,
  # "--", then the command.
  local f
  f=$(ls "$(private_bundle "$ID")"/exec-*.json)
  [ "$(jq -c '.args[0], .args[2:]' "$f" | tr '\n' ' ')" \
    = "\"$LOADER_IN_CONTAINER\" [\"--\",\"/probe/probe\",\"table\"] " ] || fail "process file: $(cat "$f")"
  jq -er '.args[1] | test("^([0-9a-f]{16})+$")' "$f"
  [ "$(jq -c .user "$f")" = '{"uid":65534,"gid":65534}' ] || fail "process file: $(cat "$f")"
}

@test "gvisor exec: with --process (as the shim calls it) the process runs filtered, as the file says" {
  start_probing_container
  process_file
  run --separate-stderr gvisor exec --process "$TMP/process.json" "$ID"
  assert_success
  expect_row uid 65534 "$output"
  expect_row seccomp 2 "$output"
  same_as_init "$output"

  # Detached with a pid file, as the runc.v2 shim execs.
  process_file '.args = ["sh", "-c", "grep ^Seccomp: /proc/self/status; echo exec-ran"]'
  status=0
  gvisor exec --process "$TMP/process.json" --detach --pid-file "$TMP/exec.pid" "$ID" \
    > "$TMP/exec.out" 2> "$TMP/exec.err" < /dev/null || status=$?
  [ "$status" -eq 0 ] || fail "detached exec failed ($status): $(cat "$TMP/exec.err")"
  [ -s "$TMP/exec.pid" ]
  poll_until output_has exec exec-ran
  [ "$(head -n 1 "$TMP/exec.out")" = $'Seccomp:\t2' ]
}

@test "gvisor exec: a call the floor denies fails in the exec'd process (syslog through dmesg, unshare)" {
  start_probing_container
  run --separate-stderr gvisor exec "$ID" sh -c 'dmesg; echo "dmesg=$?"; unshare -U true; echo "unshare=$?"'
  assert_success
  [[ "$stderr" == *"dmesg: klogctl: Operation not permitted"* ]] || fail "dmesg ran: $output $stderr"
  [ "${lines[0]}" = dmesg=1 ] || fail "dmesg ran: $output"
  [ "${lines[1]}" = unshare=1 ] || fail "unshare ran: $output"
  [[ "$stderr" == *"unshare"*"Operation not permitted"* ]] || fail "stderr: $stderr"
  [[ "$output" != *"Starting gVisor"* ]] || fail "gVisor's log was read: $output"
}

@test "gvisor exec: runsc alone starts exec'd processes unfiltered (why the loader is there)" {
  start_probing_container
  # stdin a file of the test's own: runsc alone gives its streams to the
  # sandbox's user, and the host's /dev/null is not the test's to give.
  : > "$TMP/no-input"
  run --separate-stderr __runsc exec --user=65534:65534 "$ID" /probe/probe table < "$TMP/no-input"
  assert_success
  [ "$(table_value seccomp "$output")" = 0 ] \
    || skip "this runsc filters exec'd processes itself (seccomp row: $(table_value seccomp "$output"))"
  # The rows the loader's filter changes: without it gVisor lets them run.
  expect_row unshare_user ok "$output"
  expect_row ptrace ok "$output"
}

@test "gvisor exec: -u 0 is refused, and runs nothing" {
  start_probing_container
  run --separate-stderr gvisor exec -u 0 "$ID" sh -c 'echo ran-as-root'
  assert_error '^policyrun: refused by floor' 'user\.uid is 0'
  [[ "$output" != *ran-as-root* ]]
  process_file '.user.uid = 0 | .args = ["sh", "-c", "echo ran-as-root"]'
  run --separate-stderr gvisor exec --process "$TMP/process.json" "$ID"
  assert_error '^policyrun: refused by floor' 'user\.uid is 0'
  gv_has_status "$ID" running
}

@test "gvisor exec: a command that cannot run fails closed with status 127 and one line" {
  start_probing_container
  run -127 --separate-stderr gvisor exec "$ID" /no/such/program arg
  [ -z "$output" ]
  [ "$stderr" = "policyrun-exec-seccomp: cannot run /no/such/program: not found" ] \
    || fail "stderr: $stderr"
}

@test "gvisor exec: the loader is bound read-only in /dev, where the container's user cannot replace it" {
  start_probing_container
  local m
  m=$(jq -c --arg d "$LOADER_IN_CONTAINER" '.mounts[] | select(.destination == $d)' \
    "$(private_bundle "$ID")/config.json")
  [ "$(jq -r .source <<< "$m")" = "$(readlink -f "$(dirname "$POLICYRUN")")/$LOADER_NAME" ] \
    || fail "loader mount: $m"
  [ "$(jq -c .options <<< "$m")" = '["bind","ro","nosuid","nodev"]' ] || fail "loader mount: $m"
  # The last mount: nothing of the caller's covers it.
  [ "$(jq -r '.mounts[-1].destination' "$(private_bundle "$ID")/config.json")" = "$LOADER_IN_CONTAINER" ]
  run --separate-stderr gvisor exec "$ID" sh -c \
    "echo x > $LOADER_IN_CONTAINER; mv $LOADER_IN_CONTAINER /dev/x; rm -f $LOADER_IN_CONTAINER; md5sum $LOADER_IN_CONTAINER"
  assert_success
  [[ "$stderr" == *"can't create $LOADER_IN_CONTAINER"* ]] || fail "stderr: $stderr"
  [[ "$stderr" == *"can't rename"* ]] || fail "stderr: $stderr"
  [[ "$stderr" == *"can't remove"* ]] || fail "stderr: $stderr"
  # The loader is the host's, unchanged.
  [ "${output%% *}" = "$(md5sum < "$(dirname "$POLICYRUN")/$LOADER_NAME" | cut -d' ' -f1)" ] \
    || fail "loader in the container: $output"
  # The caller's config is not touched.
  [ -z "$(jq -c --arg d "$LOADER_IN_CONTAINER" '.mounts[] | select(.destination == $d)' \
    "$BUNDLE/config.json")" ] || fail "the caller's config was changed"
}

@test "gvisor create: refused when the loader beside policyrun is not trusted" {
  mkdir -p "$TMP/bin"
  cp "$POLICYRUN" "$TMP/bin/policyrun"
  cp "$(dirname "$POLICYRUN")/$LOADER_NAME" "$TMP/bin/$LOADER_NAME" 2> /dev/null || cp "$PROBE" "$TMP/bin/$LOADER_NAME"
  chmod 0777 "$TMP/bin/$LOADER_NAME"
  run --separate-stderr "$TMP/bin/policyrun" --gvisor --policy "$POLICY" --root "$ROOT" \
    create --bundle "$BUNDLE" "$ID"
  assert_error "$LOADER_NAME is not trusted: it is writable by others"
  no_private_bundle "$ID"
  [ "$(gv_status "$ID")" = absent ]
}

@test "runc exec is unchanged: no loader mount, the command runs itself" {
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "policyrun create failed ($status): $stderr"
  run --separate-stderr policyrun start "$ID"
  assert_success
  wait_for_status "$ID" running
  [ -z "$(jq -c --arg d "$LOADER_IN_CONTAINER" '.mounts[] | select(.destination == $d)' \
    "$(private_bundle "$ID")/config.json")" ] || fail "runc container got the loader mount"
  run --separate-stderr policyrun exec "$ID" sh -c 'grep ^Seccomp: /proc/self/status'
  assert_success
  [ "$output" = $'Seccomp:\t2' ]
  # runc built the process from the bundle itself: no process file written.
  [ -z "$(ls "$(private_bundle "$ID")"/exec-*.json 2> /dev/null)" ] || fail "a process file was written"
}
