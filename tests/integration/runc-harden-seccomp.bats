#!/usr/bin/env bats
# Harden mode's seccomp profile with the real runc: a bundle without
# linux.seccomp gets the generated profile (every call libseccomp knows for
# this architecture but the deny-list, clone without namespace flags, socket
# without AF_VSOCK, clone3 ENOSYS, default EPERM).  runc loads it, a shell
# and ordinary programs run under it, and the ways out fail.  Without the
# profile (runc alone) the same attempts succeed, so these tests can fail.

load helpers

setup_file ()
{
  command -v cc > /dev/null || fail "cc not found (the suite's setup installs gcc and libc6-dev)"
  cc -static -O2 -pthread -o "$BATS_FILE_TMPDIR/escape" \
    "$BATS_TEST_DIRNAME/code/seccomp-escape.c"
}

setup ()
{
  setup_bundle
  [ -x "${PROBE:-}" ] || fail "the probe is not built: make tests/probe/probe and set PROBE"
  cp "$PROBE" "$BUNDLE/rootfs/probe"
  cp "$BATS_FILE_TMPDIR/escape" "$BUNDLE/rootfs/escape"
  # The bundle holds the floor but for seccomp: no profile at all.
  update_config 'del(.linux.seccomp)'
  write_policy '{"mode": "harden"}'
}

teardown ()
{
  teardown_bundle
}

@test "enforce refuses the bundle without a profile (what harden answers)" {
  write_policy '{}'
  refuse_create seccomp 'linux\.seccomp' 'seccomp=unconfined'
}

@test "harden: the private config holds the generated profile, compact, as the floor wants" {
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  local sc size
  sc=$(private_bundle "$ID")/config.json
  jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO" and .linux.seccomp.defaultErrnoRet == 1' "$sc"
  jq -e '.linux.seccomp.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X32"]' "$sc"
  jq -e '.linux.seccomp.syscalls | length == 4' "$sc"
  jq -e '.linux.seccomp.syscalls[0] | .action == "SCMP_ACT_ALLOW" and (.names | length > 250)
         and (.names | index("read") != null) and (.args == null)' "$sc"
  # Nothing of the deny-list, no io_uring, no unpinned clone or socket.
  jq -e '[.linux.seccomp.syscalls[0].names[] | select(IN("keyctl", "unshare", "setns", "mount",
          "bpf", "ptrace", "io_uring_setup", "clone", "clone3", "socket"))] | length == 0' "$sc"
  jq -e '.linux.seccomp.syscalls[1] == {names: ["clone"], action: "SCMP_ACT_ALLOW",
         args: [{index: 0, value: 2114060288, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ"}]}' "$sc"
  jq -e '.linux.seccomp.syscalls[2] | .names == ["socket"] and (.args | length == 5)' "$sc"
  jq -e '.linux.seccomp.syscalls[3] == {names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38}' "$sc"
  size=$(jq -c .linux.seccomp "$sc" | wc -c)
  echo "# generated profile: $size bytes" >&3
  [ "$size" -lt 8192 ] || fail "the generated profile is $size bytes"
  # runc took it: the container exists, created.
  [ "$(container_status "$ID")" = created ]
}

@test "harden: busybox sh runs under the generated profile, and AF_INET sockets open" {
  update_config '.process.args = ["sh", "-c", "echo hello from sh; nc 127.0.0.1 1 < /dev/null; echo done"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  echo "$stderr"
  [ "$status" -eq 0 ]
  grep -qx "hello from sh" <<< "$output" || fail "the shell did not start"
  grep -qx done <<< "$output" || fail "the shell did not finish"
  # nc reached connect() (nothing listens on port 1): socket(AF_INET) ran.
  grep -q "Connection refused" <<< "$stderr" || fail "nc did not reach connect(): $stderr"
}

@test "runc alone without a profile: the probe's ways out succeed (the test can fail)" {
  update_config '.process.args = ["/probe", "table"]'
  run --separate-stderr __runc run --bundle "$BUNDLE" "$ID"
  echo "$output"
  [ "$status" -eq 0 ]
  expect_row end table
  expect_row keyctl ok
  expect_row_not clone3_user ENOSYS
}

@test "harden: the probe: namespaces, clone3, keyctl and the deny-list fail" {
  update_config '.process.args = ["/probe", "table"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  echo "$stderr"
  [ "$status" -eq 0 ]
  expect_row end table
  expect_row clone_user EPERM
  expect_row clone3_user ENOSYS
  expect_row unshare_user EPERM
  expect_row unshare EPERM
  expect_row keyctl EPERM
  expect_row setns EPERM
  expect_row bpf EPERM
  expect_row ptrace EPERM
  expect_row_not io_uring ok
  expect_row_not vsock ok
}

@test "harden: clone/clone3/unshare/AF_VSOCK escapes fail, fork and threads work, x86 is stopped" {
  update_config '.process.args = ["/escape"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  echo "$stderr"
  [ "$status" -eq 0 ]
  grep -qx end <<< "$output" || fail "the program did not finish"
  expect clone_ns "errno 1 "
  expect clone3_ns "errno 38"
  fails unshare_user
  fails vsock
  fails vsock_high_bits
  fails socketpair_vsock
  expect fork ok
  expect thread ok
  expect i386_clone_ns killed
  expect i386_socketcall_vsock killed
  expect i386_unshare_user killed
}

@test "harden: a default that lets calls run is tightened in place, its own rules kept" {
  # A deny-list style profile: chdir fails with EOPNOTSUPP, keyctl (deny-
  # listed) is let run, clone fails with CLONE_NEWUSER only, everything else
  # runs by default.  The probe forks for every row: clone keeps running.
  update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [{names: ["chdir"], action: "SCMP_ACT_ERRNO", errnoRet: 95},
                 {names: ["keyctl"], action: "SCMP_ACT_ALLOW"},
                 {names: ["clone"], action: "SCMP_ACT_ERRNO",
                  args: [{index: 0, value: 268435456, valueTwo: 268435456, op: "SCMP_CMP_MASKED_EQ"}]}]}
    | .process.args = ["sh", "-c", "cd /tmp || echo chdir-failed; /probe table"]'
  run --separate-stderr __runc run --bundle "$BUNDLE" "$ID-runc"
  echo "$output"
  [ "$status" -eq 0 ]
  grep -qx chdir-failed <<< "$output" || fail "runc alone: the profile's chdir rule did not work"
  expect_row keyctl ok
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  echo "$stderr"
  [ "$status" -eq 0 ]
  grep -qx chdir-failed <<< "$output" || fail "the profile's own chdir rule was lost"
  expect_row end table
  expect_row keyctl EPERM
  expect_row clone_user EPERM
  expect_row clone3_user ENOSYS
  run_to_files policyrun create --bundle "$BUNDLE" "$ID-c"
  assert_success
  local sc
  sc=$(private_bundle "$ID-c")/config.json
  jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO"' "$sc"
  jq -e '.linux.seccomp.syscalls[0] == {names: ["chdir"], action: "SCMP_ACT_ERRNO", errnoRet: 95}' "$sc"
  jq -e '[.linux.seccomp.syscalls[].names[]] | index("keyctl") == null' "$sc"
}

@test "harden: a notify profile is replaced by the generated one, which runs" {
  update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO",
      listenerPath: "/run/nowhere.sock",
      syscalls: [{names: ["mkdir"], action: "SCMP_ACT_NOTIFY"}]}
    | .process.args = ["/probe", "table"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  echo "$stderr"
  [ "$status" -eq 0 ]
  expect_row end table
  expect_row keyctl EPERM
  run_to_files policyrun create --bundle "$BUNDLE" "$ID-c"
  assert_success
  local sc
  sc=$(private_bundle "$ID-c")/config.json
  jq -e '.linux.seccomp.listenerPath == null and (.linux.seccomp.syscalls | length == 4)' "$sc"
}
