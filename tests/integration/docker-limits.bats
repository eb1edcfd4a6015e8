#!/usr/bin/env bats
# Limits a caller did not ask for are filled in with the floor's values, and
# neither `docker exec` nor `docker update` can take a running container
# below the floor.  Limits are read back from the container's cgroup.

load docker-helpers

setup_file ()
{
  docker_setup_file
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

# start_floor_container: a running busybox container through policyrun with
# the document's flags; sets CID.
start_floor_container ()
{
  CID=$(docker run -d --runtime=policyrun "${FLOOR_FLAGS[@]}" "$BUSYBOX_IMAGE" sleep 300) \
    || fail "could not start a floor-holding container"
  [ "$(docker inspect --format '{{.State.Running}}' "$CID")" = true ] || fail "container $CID is not running"
}

@test "without --memory, --memory-swap, --cpus, --pids-limit the container gets the floor's limits" {
  CID=$(docker run -d --runtime=policyrun --network none --read-only --cap-drop ALL \
    --security-opt no-new-privileges --user 65534:65534 "$BUSYBOX_IMAGE" sleep 300)
  [ "$(docker inspect --format '{{.State.Running}}' "$CID")" = true ]
  assert_cgroup_floor "$CID"
  local mem cpu pids
  mem=$(docker_cgroup "$CID" memory)
  cpu=$(docker_cgroup "$CID" cpu)
  pids=$(docker_cgroup "$CID" pids)
  [ "$(cat "$mem/memory.limit_in_bytes")" -eq "$FLOOR_MEMORY" ]
  [ "$(cat "$mem/memory.memsw.limit_in_bytes")" -eq "$FLOOR_MEMORY" ]
  [ "$(cat "$cpu/cpu.cfs_quota_us")" -eq "$FLOOR_CPU_QUOTA" ]
  [ "$(cat "$cpu/cpu.cfs_period_us")" -eq "$FLOOR_CPU_PERIOD" ]
  [ "$(cat "$pids/pids.max")" -eq "$FLOOR_PIDS" ]
}

@test "the same container through runc has no limits (the cgroup check tells the difference)" {
  CID=$(docker run -d --runtime=runc --network none --read-only --cap-drop ALL \
    --security-opt no-new-privileges --user 65534:65534 "$BUSYBOX_IMAGE" sleep 300)
  run assert_cgroup_floor "$CID"
  [ "$status" -ne 0 ]
}

@test "the document's flags give the floor's limits in the cgroup" {
  start_floor_container
  assert_cgroup_floor "$CID"
}

@test "a plain docker exec into a policyrun container runs" {
  start_floor_container
  run docker exec "$CID" id
  [ "$status" -eq 0 ]
  [[ "$output" == "uid=65534"* ]]
}

@test "docker exec --privileged is refused and runs nothing" {
  start_floor_container
  run docker exec --privileged "$CID" echo EXEC-RAN
  [ "$status" -ne 0 ]
  [[ "$output" != *EXEC-RAN* ]]
  [[ "$output" == *"policyrun: refused by floor"* ]] || fail "no refusal in: $output"
  [[ "$output" == *"--privileged"* ]] || fail "the refusal does not name --privileged: $output"
  grep -q ' exec .*--process ' "$POLICYRUN_TEST_ROOT/wrapper.log"
}

@test "docker exec -u 0 is refused and runs nothing" {
  start_floor_container
  run docker exec -u 0 "$CID" echo EXEC-RAN
  [ "$status" -ne 0 ]
  [[ "$output" != *EXEC-RAN* ]]
  [[ "$output" == *"policyrun: refused by floor"* ]] || fail "no refusal in: $output"
  [[ "$output" == *"--user 65534:65534"* ]] || fail "the refusal does not name --user: $output"
}

@test "docker exec -u 0:0 with --privileged as root is refused" {
  start_floor_container
  run docker exec --privileged -u 0:0 "$CID" id
  [ "$status" -ne 0 ]
  [[ "$output" != *"uid=0"* ]]
  [[ "$output" == *"policyrun: refused by floor"* ]] || fail "no refusal in: $output"
}

@test "docker update --memory 1g leaves the container at the floor" {
  start_floor_container
  local mem
  mem=$(docker_cgroup "$CID" memory)
  run docker update --memory 1g "$CID"
  [ "$(cat "$mem/memory.limit_in_bytes")" -eq "$FLOOR_MEMORY" ]
  assert_cgroup_floor "$CID"
}

@test "docker update --memory 1g --memory-swap 1g reaches policyrun, is refused, and changes nothing" {
  start_floor_container
  local mem
  mem=$(docker_cgroup "$CID" memory)
  : > "$POLICYRUN_TEST_ROOT/wrapper.log"
  run docker update --memory 1g --memory-swap 1g "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"policyrun: refused by floor"* ]] || fail "no refusal in: $output"
  grep -q ' update ' "$POLICYRUN_TEST_ROOT/wrapper.log"
  [ "$(cat "$mem/memory.limit_in_bytes")" -eq "$FLOOR_MEMORY" ]
  [ "$(cat "$mem/memory.memsw.limit_in_bytes")" -eq "$FLOOR_MEMORY" ]
  assert_cgroup_floor "$CID"
}

@test "docker update --cpus 2 --pids-limit 100000 changes nothing" {
  start_floor_container
  run docker update --cpus 2 --pids-limit 100000 "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"policyrun: refused by floor"* ]] || fail "no refusal in: $output"
  assert_cgroup_floor "$CID"
}

@test "docker update within the floor is passed on (--memory 50m --memory-swap 50m)" {
  start_floor_container
  local mem
  mem=$(docker_cgroup "$CID" memory)
  run docker update --memory 50m --memory-swap 50m "$CID"
  [ "$status" -eq 0 ]
  [ "$(cat "$mem/memory.limit_in_bytes")" -eq $((50 * 1024 * 1024)) ]
}
