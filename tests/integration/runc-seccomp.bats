#!/usr/bin/env bats
# The seccomp floor as the real runc loads it: a static program inside the
# container tries clone and clone3 with namespace flags, unshare,
# socket(AF_VSOCK) (also with the family's upper bits set) and the same
# through the 32-bit entry.  With a loose profile, runc alone lets them
# through (so these tests can fail); through policyrun each one fails,
# while fork and threads (glibc's clone3 fallback) still work.

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
  cp "$BATS_FILE_TMPDIR/escape" "$BUNDLE/rootfs/escape"
  # The loose profile a caller may hand over: the helpers' list with clone,
  # clone3, socket, unshare and socketcall unconditional, on x86_64, x86 and
  # x32.
  update_config '.process.args = ["/escape"]
    | .linux.seccomp.architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]
    | .linux.seccomp.syscalls = [{action: "SCMP_ACT_ALLOW",
        names: (.linux.seccomp.syscalls[0].names
                + ["clone", "clone3", "socket", "unshare", "socketcall"])}]'
}

teardown ()
{
  teardown_bundle
}

@test "runc alone with the loose profile: every escape succeeds (the test can fail)" {
  run --separate-stderr __runc run --bundle "$BUNDLE" "$ID"
  echo "$output"
  [ "$status" -eq 0 ]
  grep -qx end <<< "$output" || fail "the program did not finish"
  expect clone_ns ok
  expect clone3_ns ok
  expect unshare_user ok
  expect fork ok
  expect thread ok
  expect i386_clone_ns ok
  expect i386_unshare_user ok
  if [ -e /dev/vsock ]; then
    expect vsock ok
    expect vsock_high_bits ok
    expect i386_socketcall_vsock ok
  else
    echo "# no /dev/vsock on this host: AF_VSOCK is not available to show" >&3
  fi
}

@test "policyrun: clone/clone3/unshare/AF_VSOCK escapes fail, fork and threads work" {
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  echo "$stderr"
  [ "$status" -eq 0 ]
  grep -qx end <<< "$output" || fail "the program did not finish"
  expect clone_ns "errno"
  expect clone3_ns "errno 38"
  fails unshare_user
  fails vsock
  fails vsock_high_bits
  fails socketpair_vsock
  expect fork ok
  expect thread ok
  # SCMP_ARCH_X86 is taken out of the profile (socketcall hides the
  # family), so the 32-bit entry is stopped by the filter.
  expect i386_clone_ns killed
  expect i386_socketcall_vsock killed
  expect i386_unshare_user killed
}

@test "policyrun: the private profile names clone3 ENOSYS and pins clone's flags" {
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  local sc
  sc=$(private_bundle "$ID")/config.json
  jq -e '.linux.seccomp.syscalls | any(.names == ["clone3"] and .action == "SCMP_ACT_ERRNO" and .errnoRet == 38)' "$sc"
  jq -e '.linux.seccomp.syscalls | any(.names == ["clone"] and .args[0].value == 2114060288 and .args[0].op == "SCMP_CMP_MASKED_EQ")' "$sc"
  jq -e '.linux.seccomp.architectures | index("SCMP_ARCH_X86") == null' "$sc"
  jq -e '[.linux.seccomp.syscalls[] | select(.names | index("socket")) | .args // [] | length] | all(. > 0)' "$sc"
}
