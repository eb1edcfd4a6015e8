#!/usr/bin/env bats
# containerd without Docker: `ctr run --runc-binary` with policyrun (the
# wrapper that names the test policy) against the test dockerd's containerd.
# A floor-holding container runs; a loose one is refused and the refusal
# reaches the ctr user.  Each refusal is paired with the same command under
# plain runc, which runs it, so the refusal is known to be policyrun's.

load docker-helpers

NS=policyrun-test

setup_file ()
{
  docker_setup_file
  # shellcheck disable=SC1091
  source "$POLICYRUN_TEST_ROOT/env"
  export POLICYRUN_TEST_HARDEN_POLICY
}

teardown_file ()
{
  docker_teardown_file
}

setup ()
{
  command -v ctr > /dev/null || skip "test requires ctr (apt-get install containerd)"
  CTR_ID=ctr-$$-$BATS_TEST_NUMBER
  ROOTFS=$BATS_TEST_TMPDIR/rootfs
  cp -a "$(busybox_rootfs)" "$ROOTFS"
  cp "$PROBE" "$ROOTFS/probe"
  # A floor-holding spec (helpers.bash's floor_config).  ctr takes a spec
  # file whole (`ctr run --config FILE ID`), so it names the rootfs itself.
  SPEC_DIR=$BATS_TEST_TMPDIR/spec
  mkdir -p "$SPEC_DIR"
  floor_config "$SPEC_DIR"
  update_config --arg r "$ROOTFS" '.root.path = $r' "$SPEC_DIR"
}

teardown ()
{
  docker_debug
  local id
  for id in "$CTR_ID" "$CTR_ID-runc"; do
    ctr_ -n "$NS" task kill -s KILL "$id" > /dev/null 2>&1 || true
    ctr_ -n "$NS" task delete -f "$id" > /dev/null 2>&1 || true
    ctr_ -n "$NS" containers delete "$id" > /dev/null 2>&1 || true
  done
}

# ctr_spec_run ARGS...: the floor-holding spec with process.args = ARGS, run
# by ctr through policyrun (or through the binary RUNC_BINARY names).
ctr_spec_run ()
{
  local args
  args=$(printf '%s\n' "$@" | jq -R . | jq -cs .)
  update_config --argjson a "$args" '.process.args = $a' "$SPEC_DIR" \
    || fail "cannot set the spec's args"
  run ctr_ -n "$NS" run --rm --config "$SPEC_DIR/config.json" \
    --runc-binary "${RUNC_BINARY:-$POLICYRUN_WRAPPER}" "$CTR_ID"
}

@test "ctr run --runc-binary policyrun runs a floor-holding container" {
  ctr_spec_run /bin/sh -c 'id -u; echo ctr-ok'
  [ "$status" -eq 0 ] || fail "ctr run failed: $output"
  [ "${lines[0]}" = 65534 ]
  [ "${lines[1]}" = ctr-ok ]
  grep -q " create .*$CTR_ID\$" "$POLICYRUN_TEST_ROOT/wrapper.log"
  [ -z "$(private_bundles)" ] || fail "private bundles left: $(private_bundles)"
}

@test "ctr run --runc-binary policyrun-gvisor runs the container under gVisor" {
  command -v runsc > /dev/null || skip "test requires runsc (apt-get install runsc)"
  RUNC_BINARY=$POLICYRUN_GVISOR_WRAPPER ctr_spec_run /bin/sh -c 'id -u; uname -r; cat /proc/version'
  [ "$status" -eq 0 ] || fail "ctr run failed: $output"
  [ "${lines[0]}" = 65534 ]
  [ "${lines[1]}" != "$(uname -r)" ] || fail "the container saw the host's kernel: $output"
  [ "${lines[2]}" != "$(cat /proc/version)" ] || fail "the container saw the host's kernel: $output"
  grep -q "^gvisor .* create .*$CTR_ID\$" "$POLICYRUN_TEST_ROOT/wrapper.log"
  [ -z "$(private_bundles)" ] || fail "private bundles left: $(private_bundles)"
  ! pgrep -f "runsc-(sandbox|gofer) .*$CTR_ID" > /dev/null || fail "gVisor processes left"
}

@test "ctr run --runc-binary policyrun: the probe finds the floor inside the container" {
  ctr_spec_run /probe table
  [ "$status" -eq 0 ] || fail "ctr run failed: $output"
  [ "$(table_value cap_eff)" = 0000000000000000 ]
  [ "$(table_value cap_bnd)" = 0000000000000000 ]
  [ "$(table_value no_new_privs)" = 1 ]
  [ "$(table_value seccomp)" = 2 ]
  [ "$(table_value interfaces)" = lo ]
  [ "$(table_value write_root)" = EROFS ]
  [ "$(table_value setuid_0)" = EPERM ]
  [ "$(table_value cg_memory_limit)" = "$FLOOR_MEMORY" ]
  [ "$(table_value cg_pids_max)" = "$FLOOR_PIDS" ]
}

@test "ctr run --runc-binary policyrun refuses ctr's default (loose) container, and ctr shows why" {
  run ctr_ -n "$NS" run --rm --rootfs "$ROOTFS" "$CTR_ID-runc" /bin/echo CTR-RAN
  [ "$status" -eq 0 ] && [ "$output" = CTR-RAN ] || fail "plain runc did not run it: $output"

  run ctr_ -n "$NS" run --rm --rootfs --runc-binary "$POLICYRUN_WRAPPER" "$ROOTFS" "$CTR_ID" \
    /bin/echo CTR-RAN
  [ "$status" -ne 0 ]
  [[ "$output" != *CTR-RAN* ]]
  [[ "$output" == *"policyrun: refused by floor"* ]] || fail "ctr does not show the refusal: $output"
  local rule
  for rule in "user:" "capabilities:" "seccomp:" "filesystem:"; do
    [[ "$output" == *"$rule"* ]] || fail "refusal does not name $rule: $output"
  done
  [ -z "$(private_bundles)" ] || fail "private bundles left: $(private_bundles)"
}

@test "ctr run --runc-binary policyrun refuses a floor-holding spec that shares the host's network" {
  update_config 'del(.linux.namespaces[] | select(.type == "network"))' "$SPEC_DIR"
  ctr_spec_run /bin/echo CTR-RAN
  [ "$status" -ne 0 ]
  [[ "$output" != *CTR-RAN* ]]
  [[ "$output" == *"policyrun: refused by floor"* ]] || fail "ctr does not show the refusal: $output"
  [[ "$output" == *"network:"* ]] || fail "refusal does not name the network: $output"
  [[ "$output" == *"--network none"* ]] || fail "refusal does not name the fix: $output"
}

@test "ctr refuses an image imported from docker save when run with ctr's own flags" {
  # ctr's flags cannot express --user or --cap-drop ALL, so its strictest
  # command line is still below the floor: policyrun says so to the ctr user.
  local tar=$BATS_TEST_TMPDIR/busybox.tar image=docker.io/$BUSYBOX_IMAGE
  docker save -o "$tar" "$BUSYBOX_IMAGE"
  ctr_ -n "$NS" images import --snapshotter native "$tar" > /dev/null
  local flags=(--rm --snapshotter native --read-only --seccomp --memory-limit "$FLOOR_MEMORY"
    --cpu-quota "$FLOOR_CPU_QUOTA" --cpu-period "$FLOOR_CPU_PERIOD")
  run ctr_ -n "$NS" run "${flags[@]}" "$image" "$CTR_ID-runc" /bin/echo CTR-RAN
  [ "$status" -eq 0 ] && [ "$output" = CTR-RAN ] || fail "plain runc did not run it: $output"

  run ctr_ -n "$NS" run "${flags[@]}" --runc-binary "$POLICYRUN_WRAPPER" "$image" "$CTR_ID" \
    /bin/echo CTR-RAN
  [ "$status" -ne 0 ]
  [[ "$output" != *CTR-RAN* ]]
  [[ "$output" == *"policyrun: refused by floor"* ]] || fail "ctr does not show the refusal: $output"
  [[ "$output" == *"user:"* ]] || fail "refusal does not name the user: $output"
}

@test "ctr run --runc-binary policyrun in harden mode runs ctr's default container at the floor, in a user namespace" {
  # ctr's --runc-binary takes no arguments: a wrapper names the harden
  # policy.  The rootfs lies below bats' 0700 directories, which the mapped
  # root cannot walk: policyrun relocates it (bundle.h).
  local wrapper=$BATS_TEST_TMPDIR/policyrun-harden
  printf '#!/bin/sh\nexec %s --policy %s "$@"\n' "$POLICYRUN_TEST_ROOT/policyrun" \
    "$POLICYRUN_TEST_HARDEN_POLICY" > "$wrapper"
  chmod 0755 "$wrapper"
  # ctr's spec mounts a tmpfs on /run, which this busybox tree lacks: runc
  # would make it as the mapped root, in a directory of host root's, and
  # fail; policyrun makes it first.
  [ ! -e "$ROOTFS/run" ]
  run ctr_ -n "$NS" run --rm --runc-binary "$wrapper" --rootfs "$ROOTFS" "$CTR_ID" /probe table
  [ "$status" -eq 0 ] || fail "ctr run failed: $output"
  [ "$(table_value uid)" = 65534 ]
  [ "$(table_value cap_eff)" = 0000000000000000 ]
  [ "$(table_value no_new_privs)" = 1 ]
  [ "$(table_value seccomp)" = 2 ]
  [ "$(table_value interfaces)" = lo ]
  [ "$(table_value write_root)" = EROFS ]
  [ "$(table_value uid_map)" = 0:1000000000:65536 ]
  [ "$(table_value gid_map)" = 0:1000000000:65536 ]
  [ -d "$ROOTFS/run" ]
  [ -z "$(private_bundles)" ] || fail "private bundles left: $(private_bundles)"
  ! grep -q " /run/policyrun-userns " /proc/self/mountinfo || fail "a relocation mount is left on the host"
}
