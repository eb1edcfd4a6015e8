#!/usr/bin/env bats
# Each single loosening of the document's command is refused through Docker,
# and Docker's error carries policyrun's refusal naming the flag that fixes it.
# The code run is the document's capability test, which is harmless even if a
# refusal were missing (the network test is never run with a loosened
# network: it would reach outside).

load docker-helpers

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
}

# run_loosened [-d "FLAG [VALUE]"]... [-m MOUNT] [EXTRA...]: the document's
# command without each -d flag, with -v MOUNT for the code (default the
# read-only bind of code/capability.py) and EXTRA flags added.
run_loosened ()
{
  local drop=() mount="$CODE/capability.py:/code.py:ro" flags
  while [ $# -gt 0 ]; do
    case $1 in
      -d) drop+=("$2"); shift 2 ;;
      -m) mount=$2; shift 2 ;;
      *) break ;;
    esac
  done
  mapfile -d '' flags < <(floor_flags_without "${drop[@]}")
  run docker run --rm --runtime=policyrun "${flags[@]}" "$@" -v "$mount" \
    "$PYTHON_IMAGE" python3 /code.py
}

# A refused run printed nothing of the code's and left no private bundle.
assert_nothing_ran ()
{
  [[ "$output" != *"PASS"* && "$output" != *"FAIL:"* ]] || fail "the code ran: $output"
  [ -z "$(private_bundles)" ] || fail "private bundles left: $(private_bundles)"
}

@test "the document's command itself is accepted (baseline for the loosenings)" {
  run_loosened
  [ "$status" -eq 0 ]
  [ "$output" = "✅ PASS: Cannot change UID" ]
}

@test "--network host is refused, naming --network none" {
  run_loosened -d "--network none" --network host
  assert_docker_refused "network" "--network none"
  assert_nothing_ran
}

@test "no --read-only is refused, naming --read-only" {
  run_loosened -d "--read-only"
  assert_docker_refused "root.readonly" "--read-only"
  assert_nothing_ran
}

@test "--memory 200m is refused, naming --memory 100m" {
  run_loosened -d "--memory 100m" -d "--memory-swap 100m" --memory 200m --memory-swap 200m
  assert_docker_refused "memory.limit" "209715200" "--memory 100m"
  assert_nothing_ran
}

@test "--memory-swap above --memory is refused, naming --memory-swap" {
  run_loosened -d "--memory-swap 100m" --memory-swap 200m
  assert_docker_refused "memory.swap" "--memory-swap"
  assert_nothing_ran
}

@test "--cpus 2 is refused, naming --cpus 0.5" {
  run_loosened -d "--cpus 0.5" --cpus 2
  assert_docker_refused "cpu" "--cpus 0.5"
  assert_nothing_ran
}

@test "no --cap-drop ALL is refused, naming --cap-drop ALL" {
  run_loosened -d "--cap-drop ALL"
  assert_docker_refused "capabilities" "--cap-drop ALL"
  assert_nothing_ran
}

@test "--cap-add NET_RAW is refused, naming the capability and --cap-drop ALL" {
  run_loosened --cap-add NET_RAW
  assert_docker_refused "NET_RAW" "--cap-drop ALL"
  assert_nothing_ran
}

@test "no no-new-privileges is refused, naming no-new-privileges" {
  run_loosened -d "--security-opt no-new-privileges"
  assert_docker_refused "noNewPrivileges" "--security-opt no-new-privileges"
  assert_nothing_ran
}

@test "--privileged is refused, naming --privileged" {
  run_loosened --privileged
  assert_docker_refused "--privileged"
  assert_nothing_ran
}

@test "--pid host is refused, naming --pid" {
  run_loosened --pid host
  assert_docker_refused "namespaces" "--pid"
  assert_nothing_ran
}

@test "--ipc host is refused, naming --ipc" {
  run_loosened --ipc host
  assert_docker_refused "namespaces" "--ipc"
  assert_nothing_ran
}

@test "-v /:/host is refused, naming the bind" {
  run_loosened -v /:/host
  assert_docker_refused "mounts\[[0-9]+\]" '(-v|--volume|--mount)'
  assert_nothing_ran
}

@test "-v /:/host:ro is refused too (a read-only bind of / is still the host)" {
  run_loosened -v /:/host:ro
  assert_docker_refused "mounts\[[0-9]+\]" '(-v|--volume|--mount)'
  assert_nothing_ran
}

@test "a writable bind of the code is refused, naming :ro" {
  run_loosened -m "$CODE/capability.py:/code.py"
  assert_docker_refused "mounts\[[0-9]+\]" ":ro"
  assert_nothing_ran
}

@test "--security-opt seccomp=unconfined is refused, naming seccomp" {
  run_loosened --security-opt seccomp=unconfined
  assert_docker_refused "seccomp" "seccomp=unconfined"
  assert_nothing_ran
}

@test "--device is refused, naming --device" {
  run_loosened --device /dev/null:/dev/extra-null
  assert_docker_refused "devices" "--device"
  assert_nothing_ran
}

@test "--sysctl kernel.msgmax stays in the container's own IPC namespace: accepted and applied" {
  run docker run --rm --runtime=policyrun "${FLOOR_FLAGS[@]}" --sysctl kernel.msgmax=65536 \
    "$BUSYBOX_IMAGE" cat /proc/sys/kernel/msgmax
  [ "$status" -eq 0 ] || fail "refused: $output"
  [ "$output" = 65536 ]
}

@test "--sysctl kernel.msgmax with --ipc host is refused (Docker's or policyrun's word)" {
  run_loosened --ipc host --sysctl kernel.msgmax=65536
  [ "$status" -ne 0 ] || fail "accepted: $output"
  assert_nothing_ran
}
