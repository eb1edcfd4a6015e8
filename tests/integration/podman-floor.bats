#!/usr/bin/env bats
# Podman 4.3 (Debian, with conmon) calling policyrun as its OCI runtime
# (`podman --runtime .../policyrun run`), with the flags a Podman user
# writes for the document's isolation and nothing Podman-specific.  Every
# container has --network none.

load podman-helpers

setup_file ()
{
  podman_setup_file
}

teardown_file ()
{
  podman_teardown_file
}

setup ()
{
  podman_requires
  check_policyrun
}

@test "podman: the document's three tests pass through policyrun, byte for byte" {
  local t
  for t in capability filesystem network; do
    run --separate-stderr pr run --rm "${PODMAN_FLOOR_FLAGS[@]}" -v "$CODE/$t.py:/code.py:ro" \
      "$PYTHON_IMAGE" python3 /code.py
    [ "$status" -eq 0 ] || fail "$t.py: exit $status: $output $stderr"
    grep -q '✅ PASS' <<< "$output" || fail "$t.py printed no PASS: $output"
    ! grep -q 'FAIL' <<< "$output" || fail "$t.py: $output"
  done
  podman_nothing_left
}

@test "podman: the natural command's container holds the floor Podman's defaults would loosen" {
  run --separate-stderr pr run --rm "${PODMAN_FLOOR_FLAGS[@]}" "$BUSYBOX_IMAGE" sh -c \
    'grep "open files" /proc/self/limits; grep -E " /(tmp|run|var/tmp|dev/shm) " /proc/mounts;
     cat /proc/asound/cards 2>&1 | head -c 100; echo; echo x > /tmp/x && chmod +x /tmp/x && /tmp/x; echo exec=$?'
  [ "$status" -eq 0 ] || fail "exit $status: $output $stderr"
  # RLIMIT_NOFILE: Podman's 1048576 lowered to the floor's 1024.
  [[ "$output" =~ Max\ open\ files\ +1024\ +1024 ]] || fail "nofile: $output"
  # --read-only's tmpfs mounts got noexec and a size; Podman's shm stays noexec.
  local d
  for d in /tmp /run /var/tmp; do
    grep -E "^tmpfs $d tmpfs .*noexec.*size=65536k" <<< "$output" || fail "$d: $output"
  done
  grep -E "^shm /dev/shm tmpfs .*noexec" <<< "$output" || fail "/dev/shm: $output"
  # A program written to /tmp does not run.
  grep -q 'exec=126' <<< "$output" || fail "a program ran from /tmp: $output"
  podman_nothing_left
}

@test "podman: limits read back from the cgroup; podman update that loosens is refused, one that tightens applies" {
  local name=upd$$
  pr run -d --name "$name" "${PODMAN_FLOOR_FLAGS[@]}" "$BUSYBOX_IMAGE" sleep 600
  [ "$(podman_cgroup_file "$name" memory memory.limit_in_bytes)" = 104857600 ]
  [ "$(podman_cgroup_file "$name" pids pids.max)" = "$FLOOR_PIDS" ]
  [ "$(podman_cgroup_file "$name" cpu cpu.cfs_quota_us)" = 50000 ]

  run --separate-stderr pm update --memory 200m "$name"
  [ "$status" -ne 0 ] || fail "podman update --memory 200m was accepted"
  # The user sees policyrun's reason and fix in podman's own output.
  [[ "$stderr" == *"policyrun: refused by floor (1 violation): add --memory 100m"* ]] \
    || fail "podman update's output lacks the refusal: $stderr"
  [ "$(podman_cgroup_file "$name" memory memory.limit_in_bytes)" = 104857600 ]

  run --separate-stderr pm update --cpus 2 "$name"
  [ "$status" -ne 0 ] || fail "podman update --cpus 2 was accepted"
  [[ "$stderr" == *"add --cpus 0.5"* ]] || fail "podman update --cpus 2: $stderr"
  [ "$(podman_cgroup_file "$name" cpu cpu.cfs_quota_us)" = 50000 ]

  pm update --memory 50m --memory-swap 50m "$name"
  [ "$(podman_cgroup_file "$name" memory memory.limit_in_bytes)" = 52428800 ]

  pm rm -f -t 0 "$name"
  podman_nothing_left
}

@test "podman: loosenings are refused with the Podman flag that fixes them, and leave nothing" {
  local -a cases=(
    "--read-only=false|add --read-only"
    "--memory 200m --memory-swap 200m|add --memory 100m"
    "--cap-add NET_RAW|remove --cap-add"
    "--user 0|add --user 65534:65534"
    "--pids-limit 4096|add --pids-limit $FLOOR_PIDS"
    "--ulimit nofile=4096:4096|add --ulimit nofile=1024:1024"
    "--security-opt unmask=/proc/kcore|remove --security-opt unmask"
    "--tmpfs /x:exec|use --tmpfs DST:noexec,size=64m"
  )
  local c extra want
  for c in "${cases[@]}"; do
    extra=${c%%|*}
    want=${c#*|}
    # shellcheck disable=SC2086 # extra is a list of words
    run --separate-stderr pr run --rm "${PODMAN_FLOOR_FLAGS[@]}" $extra "$BUSYBOX_IMAGE" true
    [ "$status" -ne 0 ] || fail "$extra was accepted"
    [[ "$stderr" == *"policyrun: refused by floor"*"$want"* ]] || fail "$extra: $stderr"
  done
  [ -z "$(pm ps -a -q)" ] || fail "containers left: $(pm ps -a)"
  podman_nothing_left
}
