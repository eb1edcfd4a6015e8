#!/usr/bin/env bats
# Kubernetes pods through containerd's CRI, sent as kubelet sends them
# (tests/cri: a private containerd 1.6 with the CRI plugin, the loopback CNI
# plugin alone, locally built pause and busybox images, cri.py).
#
# A pod that follows the Pod Security Standard "restricted" with memory
# 100Mi and cpu 500m runs under the plain `runc` handler and under the
# `policyrun` handler alike: its output, its cgroup limits, its network
# namespace (only lo) are read back, and stopping and removing it leaves
# nothing.  Through policyrun the pod's sandbox is recorded as attested at
# its start (src/sandbox.c), and an app container may join only the
# namespaces of such a sandbox; several containers in a pod, and two pods at
# once (one sharing its pid namespace), each stay in their own pod.

load helpers
load ../cri/helpers

setup_file ()
{
  cri_setup_file
}

teardown_file ()
{
  cri_teardown_file
}

setup ()
{
  POD_DIR=$CRI_ROOT/pods/$BATS_TEST_NUMBER
}

teardown ()
{
  cri_debug
  cri_teardown
}

# The private bundle policyrun keeps for container or sandbox ID (any root).
cri_private_bundle ()
{
  find "$CRI_STATE" -mindepth 2 -maxdepth 2 -name "$1" 2> /dev/null
}

# spec_variant SPEC JQ-FILTER: a copy of the spec file SPEC edited with
# JQ-FILTER, in the test's temporary directory; prints its path.
spec_variant ()
{
  local out
  out=$(mktemp "$BATS_TEST_TMPDIR/spec.XXXXXX")
  jq "$2" "$CRI_SPECS/$1" > "$out" || return 1
  echo "$out"
}

# restricted_pod HANDLER: the restricted pod's whole life under HANDLER.
restricted_pod ()
{
  local handler=$1 pod cid pid ppid net netns cgroup own_oom want_oom
  local -a out

  run cri run-pod --spec "$CRI_SPECS/restricted-pod.json" --pod-dir "$POD_DIR" --handler "$handler"
  [ "$status" -eq 0 ] || fail "RunPodSandbox under $handler failed: $output"
  pod=$output
  if [ "$handler" = policyrun ]; then
    [ -f "$(cri_private_bundle "$pod")/sandbox" ] \
      || fail "policyrun did not record the attested sandbox $pod"
  fi
  cid=$(cri create --pod-dir "$POD_DIR" --spec "$CRI_SPECS/restricted-container.json")
  run cri start "$cid"
  [ "$status" -eq 0 ] || fail "StartContainer under $handler failed: $output"

  # What the container says of itself.
  cri_poll_log "$cid" app-done
  mapfile -t out < <(cri logs "$cid")
  # containerd's restrict_oom_score_adj raises a score below its own to its own.
  own_oom=$(cat "/proc/$CRI_PID/oom_score_adj")
  want_oom=$((own_oom > -997 ? own_oom : -997))
  [ "${out[0]}" = "uid=1000 gid=1000 groups=1000" ] || fail "id: ${out[0]}"
  [ "${out[1]}" = 104857600 ] || fail "memory limit: ${out[1]}"
  [ "${out[2]}" = 50000 ] || fail "cpu quota: ${out[2]}"
  [ "${out[3]}" = 100000 ] || fail "cpu period: ${out[3]}"
  [ "${out[4]}" = "$want_oom" ] || fail "oom_score_adj: ${out[4]}, want $want_oom"
  [ "${out[5]}" = $'CapEff:\t0000000000000000' ] || fail "capabilities: ${out[5]}"
  [ "${out[6]}" = $'NoNewPrivs:\t1' ] || fail "no_new_privs: ${out[6]}"
  [ "${out[7]}" = $'Seccomp:\t2' ] || fail "seccomp: ${out[7]}"
  [ "${out[8]}" = rootfs-read-only ] || fail "root filesystem: ${out[8]}"

  # Its network namespace is the sandbox's, not the host's, and has lo alone.
  pid=$(cri pid "$cid")
  ppid=$(cri pod-pid "$pod")
  net=$(readlink "/proc/$pid/ns/net")
  [ "$net" = "$(readlink "/proc/$ppid/ns/net")" ] || fail "the app is not in its sandbox's network namespace"
  [ "$net" != "$(readlink /proc/1/ns/net)" ] || fail "the pod is in the host's network namespace"
  [ "$(cri_interfaces "$pid")" = lo ] || fail "interfaces in the pod: $(cri_interfaces "$pid" | xargs)"
  netns=$(cri pod-status "$pod" \
    | jq -r '.info.info.runtimeSpec.linux.namespaces[] | select(.type == "network") | .path')
  [ -e "$netns" ] || fail "the pod's network namespace file $netns does not exist"

  # The limits, read back on the host from the container's cgroup.
  cgroup=/sys/fs/cgroup/memory$(cri status "$cid" | jq -r .info.info.runtimeSpec.linux.cgroupsPath)
  [ "$(cat "$cgroup/memory.limit_in_bytes")" = 104857600 ] || fail "host-side memory limit"

  # Stopped and removed as kubelet does it, nothing is left.
  cri stop "$cid"
  run cri wait "$cid" --timeout 30
  [ "$status" -eq 0 ] || fail "the container did not exit: $output"
  [ "$output" = 137 ] || fail "exit code $output, want 137 (SIGKILL)"
  cri rm "$cid"
  cri stop-pod "$pod"
  cri rm-pod "$pod"
  [ -z "$(cri ps)" ] || fail "containers left: $(cri ps)"
  [ -z "$(cri pods)" ] || fail "pods left: $(cri pods)"
  [ "$(readlink "/proc/$pid/ns/net" 2> /dev/null)" != "$net" ] || fail "the app's process is left"
  [ "$(readlink "/proc/$ppid/ns/net" 2> /dev/null)" != "$net" ] || fail "the sandbox's process is left"
  [ ! -e "$netns" ] || fail "the network namespace $netns is left"
  [ ! -d "$cgroup" ] || fail "the cgroup $cgroup is left"
  [ -z "$(ls -A "$CRI_RUNC_ROOT/k8s.io")" ] || fail "runc state left: $(ls "$CRI_RUNC_ROOT/k8s.io")"
  ! grep -qE "$pod|$cid" /proc/self/mountinfo || fail "mounts left: $(grep -E "$pod|$cid" /proc/self/mountinfo)"
  ! pgrep -f "containerd-shim-runc-v2 .*-id $pod" > /dev/null || fail "the pod's shim is left"
  [ -z "$(cri_private_bundles)" ] || fail "private bundles left: $(cri_private_bundles)"
}

@test "CRI runc handler: a restricted pod runs, reads back its limits, has only lo, leaves nothing" {
  restricted_pod runc
}

@test "CRI policyrun handler: the restricted pod runs as under runc" {
  restricted_pod policyrun
}

# An app container whose sandbox policyrun did not create (the rig's
# sandbox-via-runc switch runs the sandbox with the real runc): policyrun
# must never start it (issue 9, point 4), and says why for each namespace.
@test "CRI policyrun handler: an app container joining a sandbox policyrun did not create is refused" {
  local pod cid refusal
  touch "$CRI_ROOT/sandbox-via-runc"
  pod=$(cri run-pod --spec "$CRI_SPECS/restricted-pod.json" --pod-dir "$POD_DIR" --handler policyrun)
  rm -f "$CRI_ROOT/sandbox-via-runc"
  grep -q '(via runc)' "$CRI_WRAPPER_LOG" || fail "the sandbox did not go to the real runc"
  cid=$(cri create --pod-dir "$POD_DIR" --spec "$CRI_SPECS/restricted-container.json")
  run cri start "$cid"
  [ "$status" -ne 0 ] || fail "policyrun started an app container in a sandbox it did not create"
  refusal=$(cri_refusal "$output")
  [ -n "$refusal" ] || fail "StartContainer failed, but not by policyrun's refusal: $output"
  grep -q " create .*$cid\$" "$CRI_WRAPPER_LOG" || fail "the app container did not reach policyrun"
  local want type
  for type in network ipc uts; do
    want="the $type namespace of a pod sandbox that policyrun created and attested, and policyrun created no sandbox \"$pod\""
    [[ "$refusal" == *"$want"* ]] || fail "no refusal of the $type namespace: $refusal"
  done
  [ -z "$(cri_private_bundles)" ] || fail "private bundles left after the refusal: $(cri_private_bundles)"
}

# pod_ns PID TYPE: the namespace of type TYPE (net, ipc, pid) of process PID.
pod_ns ()
{
  readlink "/proc/$1/ns/$2"
}

@test "CRI policyrun handler: several containers in a pod and a second pod at once stay in their own pods" {
  local pod1 pod2 c1 c2 c3 p1 p2 pid spec2 app2 app3 id
  local dir1=$POD_DIR-a dir2=$POD_DIR-b
  # The second pod shares its pid namespace (shareProcessNamespace).
  spec2=$(spec_variant restricted-pod.json \
    '.metadata.name = "restricted-2" | .linux.securityContext.namespaceOptions.pid = "POD"')
  app2=$(spec_variant restricted-container.json '.metadata.name = "app-2"')
  app3=$(spec_variant restricted-container.json '.linux.securityContext.namespaceOptions.pid = "POD"')

  run cri run-pod --spec "$CRI_SPECS/restricted-pod.json" --pod-dir "$dir1" --handler policyrun
  [ "$status" -eq 0 ] || fail "RunPodSandbox (first pod) failed: $output"
  pod1=$output
  run cri run-pod --spec "$spec2" --pod-dir "$dir2" --handler policyrun
  [ "$status" -eq 0 ] || fail "RunPodSandbox (second pod) failed: $output"
  pod2=$output
  c1=$(cri create --pod-dir "$dir1" --spec "$CRI_SPECS/restricted-container.json")
  c2=$(cri create --pod-dir "$dir1" --spec "$app2")
  c3=$(cri create --pod-dir "$dir2" --spec "$app3")
  for id in "$c1" "$c2" "$c3"; do
    run cri start "$id"
    [ "$status" -eq 0 ] || fail "StartContainer $id failed: $output"
  done
  for id in "$c1" "$c2" "$c3"; do
    cri_poll_log "$id" app-done
  done

  p1=$(cri pod-pid "$pod1")
  p2=$(cri pod-pid "$pod2")
  [ "$(pod_ns "$p1" net)" != "$(pod_ns "$p2" net)" ] || fail "the two pods share a network namespace"
  for id in "$c1" "$c2"; do
    pid=$(cri pid "$id")
    [ "$(pod_ns "$pid" net)" = "$(pod_ns "$p1" net)" ] || fail "$id is not in its pod's network"
    [ "$(pod_ns "$pid" ipc)" = "$(pod_ns "$p1" ipc)" ] || fail "$id is not in its pod's ipc"
    [ "$(pod_ns "$pid" pid)" != "$(pod_ns "$p1" pid)" ] || fail "$id shares the pause's pid namespace"
    [ "$(cri_interfaces "$pid")" = lo ] || fail "interfaces of $id: $(cri_interfaces "$pid" | xargs)"
  done
  pid=$(cri pid "$c3")
  [ "$(pod_ns "$pid" net)" = "$(pod_ns "$p2" net)" ] || fail "$c3 is not in its pod's network"
  [ "$(pod_ns "$pid" pid)" = "$(pod_ns "$p2" pid)" ] || fail "$c3 does not share its pod's pid namespace"
  [ "$(cri_interfaces "$pid")" = lo ] || fail "interfaces of $c3: $(cri_interfaces "$pid" | xargs)"

  for id in "$c1" "$c2" "$c3"; do
    cri stop "$id"
    cri rm "$id"
  done
  for id in "$pod1" "$pod2"; do
    cri stop-pod "$id"
    cri rm-pod "$id"
  done
  [ -z "$(cri ps)" ] || fail "containers left: $(cri ps)"
  [ -z "$(cri pods)" ] || fail "pods left: $(cri pods)"
  [ -z "$(ls -A "$CRI_RUNC_ROOT/k8s.io")" ] || fail "runc state left: $(ls "$CRI_RUNC_ROOT/k8s.io")"
  [ -z "$(cri_private_bundles)" ] || fail "private bundles left: $(cri_private_bundles)"
}

@test "CRI policyrun handler: loose pods are refused, every violation named in the pod's words" {
  local spec refusal pod cid word
  # hostNetwork: the sandbox itself is refused.
  spec=$(spec_variant restricted-pod.json '.linux.securityContext.namespaceOptions.network = "NODE"')
  run cri run-pod --spec "$spec" --pod-dir "$POD_DIR" --handler policyrun
  [ "$status" -ne 0 ] || fail "a hostNetwork pod ran"
  refusal=$(cri_refusal "$output")
  [ -n "$refusal" ] || fail "RunPodSandbox failed, but not by policyrun's refusal: $output"
  [[ "$refusal" == *hostNetwork* ]] || fail "the refusal does not name hostNetwork: $refusal"

  # Root, a writable root filesystem, capabilities kept: the app container.
  pod=$(cri run-pod --spec "$CRI_SPECS/restricted-pod.json" --pod-dir "$POD_DIR" --handler policyrun)
  spec=$(spec_variant restricted-container.json '
      .linux.securityContext.runAsUser.value = "0"
    | .linux.securityContext.runAsGroup.value = "0"
    | .linux.securityContext.readonlyRootfs = false
    | .linux.securityContext.noNewPrivs = false
    | del(.linux.securityContext.capabilities)')
  cid=$(cri create --pod-dir "$POD_DIR" --spec "$spec")
  run cri start "$cid"
  [ "$status" -ne 0 ] || fail "the loose container started"
  refusal=$(cri_refusal "$output")
  [ -n "$refusal" ] || fail "StartContainer failed, but not by policyrun's refusal: $output"
  for word in runAsNonRoot readOnlyRootFilesystem "capabilities.drop" allowPrivilegeEscalation; do
    [[ "$refusal" == *"$word"* ]] || fail "the refusal does not name $word: $refusal"
  done
  [[ "$refusal" != *"--user"* && "$refusal" != *"--read-only"* ]] \
    || fail "the refusal speaks Docker's flags to a pod: $refusal"
}
