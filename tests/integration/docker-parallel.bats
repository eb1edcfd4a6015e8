#!/usr/bin/env bats
# Twenty containers started at once through Docker with policyrun all run,
# each in its own private bundle, and `docker rm` leaves none behind.

load docker-helpers

N=20

setup_file ()
{
  docker_setup_file
}

teardown_file ()
{
  docker_teardown_file
}

teardown ()
{
  docker_debug
  local ids
  ids=$(docker ps -aq)
  # shellcheck disable=SC2086
  [ -z "$ids" ] || docker rm -f $ids > /dev/null 2>&1 || true
}

@test "$N containers started in parallel all run, and docker rm cleans up every private bundle" {
  local dir=$BATS_TEST_TMPDIR i start=$SECONDS
  for i in $(seq $N); do
    docker run -d --runtime=policyrun "${FLOOR_FLAGS[@]}" --name "par-$i" "$BUSYBOX_IMAGE" \
      sleep 300 > "$dir/id.$i" 2> "$dir/err.$i" &
  done
  wait
  note "$N detached runs in $((SECONDS - start))s"
  for i in $(seq $N); do
    [ -s "$dir/id.$i" ] || fail "container par-$i did not start: $(cat "$dir/err.$i")"
  done

  local running
  running=$(docker ps -q --filter status=running | wc -l)
  [ "$running" -eq $N ] || fail "$running of $N containers running"
  for i in $(seq $N); do
    [ "$(docker inspect --format '{{.HostConfig.Runtime}}' "par-$i")" = policyrun ]
    assert_cgroup_floor "par-$i"
  done
  [ "$(private_bundle_dirs | wc -l)" -eq $N ] || fail "want $N private bundles: $(private_bundles)"

  start=$SECONDS
  for i in $(seq $N); do
    docker rm -f "par-$i" > /dev/null 2> "$dir/rm.$i" &
  done
  wait
  note "$N parallel removals in $((SECONDS - start))s"
  [ -z "$(docker ps -aq)" ]
  [ -z "$(private_bundles)" ] || fail "private bundles left after docker rm: $(private_bundles)"
}

@test "$N document runs in parallel each print their PASS line and leave nothing behind" {
  local dir=$BATS_TEST_TMPDIR i start=$SECONDS
  for i in $(seq $N); do
    docker run --rm --runtime=policyrun "${FLOOR_FLAGS[@]}" -v "$CODE/filesystem.py:/code.py:ro" \
      "$PYTHON_IMAGE" python3 /code.py > "$dir/out.$i" 2>&1 &
  done
  wait
  note "$N parallel document runs in $((SECONDS - start))s"
  for i in $(seq $N); do
    [ "$(cat "$dir/out.$i")" = "✅ PASS: Filesystem read-only" ] || fail "run $i: $(cat "$dir/out.$i")"
  done
  [ -z "$(docker ps -aq)" ]
  [ -z "$(private_bundles)" ] || fail "private bundles left: $(private_bundles)"
}
