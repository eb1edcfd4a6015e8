#!/usr/bin/env bats
# What gVisor mode refuses: runsc flags that loosen the sandbox (wherever
# the caller puts them), runsc flags for a runc delegate, dev.gvisor.*
# annotations, update, an existing cgroup, and a start whose attestation
# fails, which leaves nothing behind.

load helpers
load gvisor-helpers

setup ()
{
  setup_gvisor
  update_config '.process.args = ["sleep", "1000"]'
}

teardown ()
{
  teardown_gvisor
}

# runsc's global flags that loosen the sandbox, as Docker's runtimeArgs
# would put them (before runc's globals).
LOOSENING=(
  --network=host --network=sandbox --net-raw --net-raw=true
  --host-uds=all --host-uds=open --host-fifo=open --fsgofer-host-uds
  --overlay --overlay2=root:memory --file-access=shared --file-access-mounts=shared
  --allow-flag-override --TESTONLY-unsafe-nonroot --TESTONLY-allow-packet-endpoint-write
  --ignore-cgroups --rootless=true --platform=kvm --platform_device_path=/dev/kvm
  --profile --profile-cpu=/tmp/cpu --trace=/tmp/trace --strace --strace-syscalls=open
  --log-packets --pcap-log=/tmp/pcap --pod-init-config=/tmp/pod.json
)

# The flag's name without dashes or value: what the refusal must name.
flag_name ()
{
  local f=${1%%=*}
  echo "${f#--}"
}

@test "refuse: each loosening runsc flag among the caller's globals is refused on create" {
  local flag
  for flag in "${LOOSENING[@]}"; do
    echo "flag: $flag"
    rm -f "$LOG"
    run_to_files "$POLICYRUN" --gvisor --policy "$POLICY" "$flag" --root "$ROOT" \
      --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
    assert_error "$(flag_name "$flag")"
    assert_log_line "$stderr"
    refute_docker_phrases "$stderr"
    [ "$(gv_status "$ID")" = absent ]
    no_private_bundle "$ID"
  done
  no_runsc_left
}

@test "refuse: each loosening runsc flag is refused on a passthrough command (state, kill, delete)" {
  gv_create "$ID"
  local flag cmd
  for flag in "${LOOSENING[@]}"; do
    for cmd in "state $ID" "kill $ID 9" "delete --force $ID"; do
      echo "flag: $flag, command: $cmd"
      # shellcheck disable=SC2086
      run --separate-stderr "$POLICYRUN" --gvisor --policy "$POLICY" "$flag" --root "$ROOT" $cmd
      assert_error "$(flag_name "$flag")"
    done
  done
  # None of them reached runsc: the container is still there, untouched.
  gv_has_status "$ID" created
}

@test "refuse: a runsc flag given to the runc delegate is refused" {
  local flag
  for flag in --network=none --oci-seccomp --host-uds=none --platform=ptrace --net-raw; do
    echo "flag: $flag"
    run_to_files "$POLICYRUN" --policy "$POLICY" "$flag" --root "$ROOT" create --bundle "$BUNDLE" "$ID"
    assert_error "$(flag_name "$flag")"
    assert_nothing_created "$ID"
  done
}

@test "refuse: dev.gvisor.* annotations are refused" {
  local ann
  for ann in '"dev.gvisor.flag.network": "host"' '"dev.gvisor.flag.net-raw": "true"' \
    '"dev.gvisor.spec.cgroup-parent": "/"' \
    '"dev.gvisor.spec.mount.data.share": "shared"' '"dev.gvisor.spec.mount.data.source": "/"' \
    '"dev.gvisor.internal.anything": "x"'; do
    echo "annotation: $ann"
    update_config ".annotations = {$ann}"
    run_to_files gvisor --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
    assert_error 'dev\.gvisor\.'
    [ "$(gv_status "$ID")" = absent ]
    no_private_bundle "$ID"
  done
  no_runsc_left
}

@test "refuse: update is refused under gVisor, and the limits stay" {
  gv_start "$ID"
  local pid mem
  pid=$(sandbox_pid "$ID")
  mem=$(pid_cgroup "$pid" memory)
  run --separate-stderr gvisor update --memory 1g "$ID"
  assert_error 'update'
  echo '{"memory": {"limit": 1073741824}}' > "$TMP/res.json"
  run --separate-stderr gvisor update -r "$TMP/res.json" "$ID"
  assert_error 'update'
  [ "$(cat "$mem/memory.limit_in_bytes")" -eq "$FLOOR_MEMORY" ]
  gv_has_status "$ID" running
}

@test "refuse: a cgroupsPath that already exists is refused (runsc would apply no limit to it)" {
  requires cgroups_v1
  local name=policyrun-gvtest-$$-$BATS_TEST_NUMBER
  mkdir "/sys/fs/cgroup/memory/$name"
  GV_CGROUPS+=("/sys/fs/cgroup/memory/$name")
  update_config --arg p "/$name" '.linux.cgroupsPath = $p'
  run_to_files gvisor --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
  assert_error 'cgroupsPath'
  [ "$(gv_status "$ID")" = absent ]
  no_private_bundle "$ID"
  no_runsc_left
  # The existing cgroup is left as it was: no limit written, nothing in it.
  [ -z "$(cat "/sys/fs/cgroup/memory/$name/cgroup.procs")" ]
}

# refuse_start: `start` of the created $ID is refused, and the sandbox,
# the gofer, the private bundle, runsc's state and the helpers are gone.
refuse_start ()
{
  run --separate-stderr gvisor --log "$LOG" --log-format json start "$ID"
  assert_error "$@"
  refute_docker_phrases "$stderr"
  # The user's process never ran (it would have printed).
  [ -z "$(cat "$TMP/$ID.out")" ]
  assert_nothing_left "$ID"
}

@test "refuse: start refuses a sandbox whose network namespace gained an interface after create" {
  update_config '.process.args = ["sh", "-c", "echo user-process-ran; exec sleep 1000"]'
  gv_create "$ID"
  local pid link=gv$$x$BATS_TEST_NUMBER
  pid=$(sandbox_pid "$ID")
  # What an engine's network setup could do between create and start: a
  # veth end moved into the sandbox's namespace.
  GV_LINKS+=("$link")
  ip link add "$link" type veth peer name "${link}p" || skip "cannot make a veth pair here"
  ip link set "${link}p" netns "$pid"
  grep -q "${link}p:" "/proc/$pid/net/dev"
  refuse_start 'lo|interface|network'
}

@test "refuse: start refuses a sandbox whose cgroup limits were loosened after create" {
  requires cgroups_v1
  update_config '.process.args = ["sh", "-c", "echo user-process-ran; exec sleep 1000"]'
  gv_create "$ID"
  local pid mem
  pid=$(sandbox_pid "$ID")
  mem=$(pid_cgroup "$pid" memory)
  [ "$(cat "$mem/memory.limit_in_bytes")" -eq "$FLOOR_MEMORY" ]
  # Root on the host lifts the memory limit between create and start.
  if [ -e "$mem/memory.memsw.limit_in_bytes" ]; then echo -1 > "$mem/memory.memsw.limit_in_bytes"; fi
  echo -1 > "$mem/memory.limit_in_bytes"
  [ "$(cat "$mem/memory.limit_in_bytes")" -gt "$FLOOR_MEMORY" ]
  refuse_start 'memory|limit|cgroup'
}
