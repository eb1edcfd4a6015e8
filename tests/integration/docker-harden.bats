#!/usr/bin/env bats
# Harden mode through Docker: `docker run --runtime=policyrun-harden IMAGE
# python3 /code.py` with none of the document's flags (no --network none,
# --memory, --memory-swap, --cpus, --read-only, --cap-drop ALL,
# --security-opt no-new-privileges, --user, and no -v: the code is in the
# image) runs the document's three tests and each prints its PASS line:
# policyrun rewrote what Docker asked for to the floor.  The container's
# cgroup holds the floor's limits, and the probe shows the rest.
#
# "policyrun-harden" is registered by lib/start-dockerd.sh: the policy
# named by its runtimeArgs is the suite's own with "mode": "harden".

load docker-helpers

setup_file ()
{
  docker_setup_file
  # shellcheck disable=SC1091
  source "$POLICYRUN_TEST_ROOT/env"
  export POLICYRUN_TEST_HARDEN_POLICY DOCKER_DATA_ROOT
  # One image per document test, the code at /code.py (Docker's classic
  # builder: COPY runs no container), and one with the probe at /probe.
  local name ctx
  for name in network filesystem capability; do
    ctx=$BATS_FILE_TMPDIR/ctx-$name
    mkdir -p "$ctx"
    cp "$CODE/$name.py" "$ctx/code.py"
    printf 'FROM %s\nCOPY code.py /code.py\n' "$PYTHON_IMAGE" > "$ctx/Dockerfile"
    DOCKER_BUILDKIT=0 docker build -q -t "policyrun-test/harden-$name:latest" "$ctx" > /dev/null \
      || fail "could not build the image for $name.py"
  done
  ctx=$BATS_FILE_TMPDIR/ctx-probe
  mkdir -p "$ctx"
  cp "$PROBE" "$ctx/probe"
  printf 'FROM %s\nCOPY probe /probe\n' "$BUSYBOX_IMAGE" > "$ctx/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t policyrun-test/harden-probe:latest "$ctx" > /dev/null \
    || fail "could not build the probe image"
}

teardown_file ()
{
  docker_teardown_file
}

setup ()
{
  CID=
}

teardown ()
{
  docker_debug
  [ -z "$CID" ] || docker rm -f "$CID" > /dev/null 2>&1 || true
}

# run_harden NAME: the document's test NAME with no flags at all.
run_harden ()
{
  # Docker warns on stderr that IPv4 forwarding is off (no --network).
  run --separate-stderr docker run --rm --runtime=policyrun-harden "policyrun-test/harden-$1" python3 /code.py
  echo "$output"
}

# The harden runtime, not another, was called: the wrapper's log names the
# harden policy that Docker's runtimeArgs passed.
assert_harden_runtime ()
{
  grep -q "^harden --policy $POLICYRUN_TEST_HARDEN_POLICY .* create " "$POLICYRUN_TEST_ROOT/wrapper.log" \
    || fail "no create through policyrun-harden in $(tail -n 5 "$POLICYRUN_TEST_ROOT/wrapper.log")"
}

@test "the harden runtime's policy is the suite's own in harden mode" {
  jq -e '.mode == "harden"' "$POLICYRUN_TEST_HARDEN_POLICY"
  jq -e --slurpfile p "$DOCKER_POLICY" 'del(.mode) == ($p[0] | del(.mode))' "$POLICYRUN_TEST_HARDEN_POLICY"
}

@test "without policyrun, the document's tests fail with no flags (what harden changes)" {
  run --separate-stderr docker run --rm --runtime=runc policyrun-test/harden-filesystem python3 /code.py
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "❌ FAIL: Filesystem writable" ]
  run --separate-stderr docker run --rm --runtime=runc policyrun-test/harden-capability python3 /code.py
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "❌ FAIL: Could change UID" ]
}

@test "harden, no flags: the document's network test passes" {
  run_harden network
  [ "$status" -eq 0 ]
  [ "$output" = "✅ PASS: Network blocked" ]
  assert_harden_runtime
}

@test "harden, no flags: the document's filesystem test passes" {
  run_harden filesystem
  [ "$status" -eq 0 ]
  [ "$output" = "✅ PASS: Filesystem read-only" ]
  assert_harden_runtime
}

@test "harden, no flags: the document's capability test passes" {
  run_harden capability
  [ "$status" -eq 0 ]
  [ "$output" = "✅ PASS: Cannot change UID" ]
  assert_harden_runtime
}

@test "harden, no flags: the container's cgroup holds the floor's limits" {
  CID=$(docker run -d --runtime=policyrun-harden "policyrun-test/harden-network" \
    python3 -c 'import time; time.sleep(600)')
  [ -n "$CID" ]
  local mem cpu pids
  mem=$(docker_cgroup "$CID" memory)
  cpu=$(docker_cgroup "$CID" cpu)
  pids=$(docker_cgroup "$CID" pids)
  [ "$(cat "$mem/memory.limit_in_bytes")" = "$FLOOR_MEMORY" ]
  if [ -e "$mem/memory.memsw.limit_in_bytes" ]; then
    [ "$(cat "$mem/memory.memsw.limit_in_bytes")" = "$FLOOR_MEMORY" ]
  else
    note "no swap accounting on this host: memory.memsw.limit_in_bytes not read"
  fi
  [ "$(cat "$cpu/cpu.cfs_quota_us")" = "$FLOOR_CPU_QUOTA" ]
  [ "$(cat "$cpu/cpu.cfs_period_us")" = "$FLOOR_CPU_PERIOD" ]
  [ "$(cat "$pids/pids.max")" = "$FLOOR_PIDS" ]
}

@test "harden, no flags: the probe shows the floor and a user namespace onto the policy's host ids" {
  # runc's init enters the root as the mapped root (host id 1000000000),
  # which cannot walk through Docker 20.10's 0710 root:root data root, vfs/
  # and vfs/dir/: policyrun binds the root onto /run/policyrun-userns in a
  # mount namespace of runc's own and hands runc that path (bundle.h).
  [ "$(stat -c %a /dev/null)" = 666 ] || fail "this host's /dev/null is not 0666: runc cannot start a user namespace"
  run --separate-stderr docker run --rm --runtime=policyrun-harden policyrun-test/harden-probe /probe table
  echo "$output"
  [ "$status" -eq 0 ]
  expect_row end table
  expect_row uid 65534
  expect_row gid 65534
  local set
  for set in cap_eff cap_prm cap_bnd cap_inh cap_amb; do
    expect_row "$set" 0000000000000000
  done
  expect_row no_new_privs 1
  expect_row seccomp 2
  expect_row interfaces lo
  expect_row write_root EROFS
  expect_row setuid_0 EPERM
  expect_row cg_memory_limit "$FLOOR_MEMORY"
  expect_row cg_cpu_quota "$FLOOR_CPU_QUOTA"
  expect_row cg_pids_max "$FLOOR_PIDS"
  expect_row uid_map 0:1000000000:65536
  expect_row gid_map 0:1000000000:65536
  note "$DOCKER_DATA_ROOT, vfs, vfs/dir: $(stat -c %a "$DOCKER_DATA_ROOT" "$DOCKER_DATA_ROOT/vfs" "$DOCKER_DATA_ROOT/vfs/dir" | xargs)"
  # Nothing of the relocation is left on the host.
  ! grep -q " /run/policyrun-userns " /proc/self/mountinfo || fail "a relocation mount is left on the host"
  [ -z "$(ls -A /run/policyrun-userns)" ]
}

@test "harden, no flags: docker exec, stop and rm work on a container whose root was relocated" {
  CID=$(docker run -d --runtime=policyrun-harden policyrun-test/harden-probe /bin/sleep 600)
  [ -n "$CID" ]
  run --separate-stderr docker exec "$CID" /probe table
  echo "$output"
  echo "$stderr"
  [ "$status" -eq 0 ]
  expect_row uid 65534
  expect_row uid_map 0:1000000000:65536
  expect_row write_root EROFS
  run docker rm -f "$CID"
  [ "$status" -eq 0 ]
  CID=
  [ -z "$(private_bundle_dirs)" ] || fail "private bundles left: $(private_bundle_dirs)"
  ! grep -q " /run/policyrun-userns " /proc/self/mountinfo || fail "a relocation mount is left on the host"
}

@test "harden: the document's -v /code.py onto an image without it runs in a user namespace" {
  # runc would make /code.py as the mapped root in the image's / (EACCES);
  # policyrun makes the mount point first, as runc does without one.
  run --separate-stderr docker run --rm --runtime=policyrun-harden -v "$CODE/network.py:/code.py" \
    "$PYTHON_IMAGE" sh -c 'python3 /code.py && tr -s " " < /proc/self/uid_map'
  echo "$output"
  echo "$stderr"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "✅ PASS: Network blocked" ]
  [ "${lines[1]}" = " 0 1000000000 65536" ]
  assert_harden_runtime
}
