#!/usr/bin/env bats
# The second security review's classes, tried as a Docker user would: what
# runc alone really does with each setting (so every test can fail), and what
# reaches the container through policyrun.

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
  if [ -n "${SOCK_PID:-}" ]; then
    kill "$SOCK_PID" 2> /dev/null || true
    wait "$SOCK_PID" 2> /dev/null || true
  fi
}

# floor_run FLAGS... IMAGE CMD...: the document's flags through policyrun.
floor_run ()
{
  run docker run --rm --runtime=policyrun "${FLOOR_FLAGS[@]}" "$@"
}

@test "a plain docker run is told the whole fix first, each flag once" {
  run docker run --rm --runtime=policyrun "$BUSYBOX_IMAGE" true
  assert_docker_refused
  local msg
  msg=$(grep -o 'policyrun: refused by floor.*' <<< "$output")
  # The fix comes before the first violation, and names every missing flag.
  local fix=${msg%%|*}
  for flag in --read-only "--cap-drop ALL" "--security-opt no-new-privileges" \
    "--user 65534:65534"; do
    [[ "$fix" == *"$flag"* ]] || fail "the fix does not name $flag first: $msg"
    [ "$(grep -o -- "$flag" <<< "$fix" | wc -l)" -eq 1 ] || fail "$flag repeated in the fix: $msg"
  done
  [ "$(grep -o -- '--cap-drop ALL' <<< "$msg" | wc -l)" -le 2 ] \
    || fail "--cap-drop ALL repeated: $msg"
}

@test "--ulimit rtprio above 0 is refused, naming --ulimit" {
  # (Whether runc alone applies it is shown in runc-process.bats where the
  # host lets runc raise the limit.)
  floor_run --ulimit rtprio=99:99 "$BUSYBOX_IMAGE" sh -c 'ulimit -r'
  assert_docker_refused "RLIMIT_RTPRIO" "--ulimit"
}

@test "--ulimit nice above 20 is refused, naming --ulimit" {
  floor_run --ulimit nice=40:40 "$BUSYBOX_IMAGE" true
  assert_docker_refused "RLIMIT_NICE" "--ulimit"
}

@test "a bind over /etc/group naming group 65534 as gid 0: runc sets group 0, policyrun refuses" {
  local group=$BATS_TEST_TMPDIR/group
  printf '%s\n' '65534:x:0:' 'nogroup:x:65534:' > "$group"
  run docker run --rm --runtime=runc "${FLOOR_FLAGS[@]}" -v "$group:/etc/group:ro" \
    "$BUSYBOX_IMAGE" id -G
  [ "$status" -eq 0 ] || fail "runc alone: $output"
  [[ " $output " == *" 0 "* ]] || fail "runc alone did not set group 0 (the test proves nothing): $output"
  floor_run -v "$group:/etc/group:ro" "$BUSYBOX_IMAGE" id -G
  assert_docker_refused "additionalGids"
}

@test "--group-add of a privileged host group (disk) is refused" {
  local gid
  gid=$(getent group disk | cut -d: -f3) || skip "this host has no group disk"
  floor_run --group-add "$gid" "$BUSYBOX_IMAGE" true
  assert_docker_refused "additionalGids"
}

@test "a read-only bind of a directory holding a host unix socket is refused" {
  local dir=$BATS_TEST_TMPDIR/sockdir
  mkdir -p "$dir/sub"
  perl -e 'use Socket; socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die; bind($s, pack_sockaddr_un($ARGV[0])) or die; listen($s, 1); sleep 600' \
    "$dir/sub/daemon.sock" &
  SOCK_PID=$!
  local i
  for i in $(seq 50); do [ -S "$dir/sub/daemon.sock" ] && break; sleep 0.1; done
  [ -S "$dir/sub/daemon.sock" ] || fail "the listener did not start"
  # runc alone: the container reaches the socket through the read-only bind.
  run docker run --rm --runtime=runc "${FLOOR_FLAGS[@]}" -v "$dir:/data:ro" "$BUSYBOX_IMAGE" \
    sh -c 'test -S /data/sub/daemon.sock && echo visible'
  [ "$output" = visible ] || fail "runc alone: $output"
  floor_run -v "$dir:/data:ro" "$BUSYBOX_IMAGE" true
  assert_docker_refused "socket"
}

@test "--sysctl kernel.shmmax and --domainname stay in the container's namespaces: accepted" {
  floor_run --sysctl kernel.shmmax=1048576 --domainname example.test "$BUSYBOX_IMAGE" \
    sh -c 'cat /proc/sys/kernel/shmmax /proc/sys/kernel/domainname'
  [ "$status" -eq 0 ] || fail "refused: $output"
  [ "${lines[0]}" = 1048576 ]
  [ "${lines[1]}" = example.test ]
}

@test "--workdir /dev/shm is accepted" {
  floor_run --workdir /dev/shm "$BUSYBOX_IMAGE" pwd
  [ "$status" -eq 0 ] || fail "refused: $output"
  [ "$output" = /dev/shm ]
}

@test "--device-cgroup-rule 'a *:* rwm' is refused, naming --device-cgroup-rule" {
  floor_run --device-cgroup-rule 'a *:* rwm' "$BUSYBOX_IMAGE" true
  assert_docker_refused "--device-cgroup-rule"
  [[ "$output" != *"remove --privileged"* ]] || fail "told to remove --privileged: $output"
}

# A container whose CPU limit is a quota over a period (Docker refuses to
# update either beside --cpus).
run_quota_container ()
{
  local flags
  mapfile -d '' flags < <(floor_flags_without "--cpus 0.5")
  CID=$(docker run -d --runtime=policyrun "${flags[@]}" --cpu-period 100000 --cpu-quota 50000 \
    "$BUSYBOX_IMAGE" sleep 300)
}

@test "docker update of only --cpu-quota is described with the period the container keeps" {
  run_quota_container
  run docker update --cpu-quota 100000 "$CID"
  [ "$status" -ne 0 ] || fail "a whole CPU was accepted: $output"
  [[ "$output" == *"100000"* && "$output" == *"policyrun"* ]] || fail "$output"
  [[ "$output" == *"period"*"100000"* || "$output" == *"100000/100000"* ]] \
    || fail "the message does not show the period the container keeps: $output"
}

@test "docker update that only tightens the CPU ratio is accepted and applied" {
  run_quota_container
  run docker update --cpu-quota 25000 "$CID"
  [ "$status" -eq 0 ] || fail "refused: $output"
  local dir
  dir=$(docker_cgroup "$CID" cpu)
  [ "$(cat "$dir/cpu.cfs_quota_us")" = 25000 ]
}
