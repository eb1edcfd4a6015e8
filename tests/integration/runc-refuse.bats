#!/usr/bin/env bats
# Each loosening of the floor is refused at create, in the documented shape:
# exit 1, nothing on stdout, one stderr line naming the rule, the field and
# the fix, one json line in --log, and nothing created.

load helpers

setup ()
{
  setup_bundle
  mkdir -p "$TMP/data"
}

teardown ()
{
  teardown_bundle
}

# A bind mount appended to the spec's seven mounts lands at mounts[7].
add_mount ()
{
  update_config --argjson m "$1" '.mounts += [$m]'
}

@test "the unchanged floor config is accepted (baseline for every refusal below)" {
  run_to_files policyrun --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
  assert_success
  [ -z "$output" ]
  [ "$(container_status "$ID")" = created ]
  [ ! -s "$LOG" ]
}

@test "network: no network namespace (host network) is refused" {
  update_config '.linux.namespaces |= map(select(.type != "network"))'
  refuse_create network 'linux\.namespaces' '--network none'
}

@test "network: a network namespace joined by path is refused" {
  update_config '(.linux.namespaces[] | select(.type == "network")) += {path: "/proc/1/ns/net"}'
  refuse_create network 'linux\.namespaces' '--network none'
}

@test "namespaces: the host pid namespace is refused" {
  update_config '.linux.namespaces |= map(select(.type != "pid"))'
  refuse_create namespaces 'linux\.namespaces' '--pid'
}

@test "namespaces: the host ipc namespace is refused" {
  update_config '.linux.namespaces |= map(select(.type != "ipc"))'
  refuse_create namespaces 'linux\.namespaces' '--ipc'
}

@test "namespaces: the host uts namespace is refused" {
  update_config '.linux.namespaces |= map(select(.type != "uts"))'
  refuse_create namespaces 'linux\.namespaces' '--uts'
}

@test "filesystem: a writable root is refused" {
  update_config '.root.readonly = false'
  refuse_create filesystem 'root\.readonly' '--read-only'
}

@test "filesystem: an absent root.readonly is refused" {
  update_config 'del(.root.readonly)'
  refuse_create filesystem 'root\.readonly' '--read-only'
}

@test "mounts: a writable bind mount is refused" {
  add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$TMP/data\", \"options\": [\"rbind\"]}"
  refuse_create '(mounts|filesystem)' 'mounts\[7\]' ':ro'
}

@test "mounts: a bind of / is refused even read-only" {
  add_mount '{"destination": "/host", "type": "bind", "source": "/", "options": ["rbind", "ro"]}'
  refuse_create '(mounts|filesystem)' 'mounts\[7\]'
}

@test "mounts: a bind of /etc is refused even read-only" {
  add_mount '{"destination": "/hostetc", "type": "bind", "source": "/etc", "options": ["rbind", "ro"]}'
  refuse_create '(mounts|filesystem)' 'mounts\[7\]'
}

@test "mounts: shared propagation on a bind is refused" {
  add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$TMP/data\", \"options\": [\"rbind\", \"ro\", \"rshared\"]}"
  refuse_create '(mounts|filesystem)' 'mounts\[7\]'
}

@test "mounts: an extra proc mount is refused" {
  add_mount '{"destination": "/mnt", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]}'
  refuse_create '(mounts|filesystem)' 'mounts\[7\]'
}

@test "mounts: a tmpfs without noexec is refused" {
  add_mount '{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "size=65536k"]}'
  refuse_create '(mounts|filesystem)' 'mounts\[7\]'
}

@test "mounts: a tmpfs without size= is refused" {
  add_mount '{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "noexec"]}'
  refuse_create '(mounts|filesystem)' 'mounts\[7\]'
}

@test "memory: a limit above the floor is refused" {
  update_config '.linux.resources.memory = {limit: 209715200, swap: 209715200}'
  refuse_create memory 'linux\.resources\.memory\.limit' '--memory'
}

@test "memory: limit -1 (unlimited) is refused" {
  update_config '.linux.resources.memory = {limit: -1, swap: -1}'
  refuse_create memory 'linux\.resources\.memory\.limit' '--memory'
}

@test "memory: swap above the limit is refused" {
  update_config '.linux.resources.memory.swap = 209715200'
  refuse_create memory 'linux\.resources\.memory\.swap' '--memory'
}

@test "cpu: a quota above half a CPU is refused" {
  update_config '.linux.resources.cpu.quota = 200000'
  refuse_create cpu 'linux\.resources\.cpu' '--cpus'
}

@test "pids: an unlimited pids limit is refused" {
  update_config '.linux.resources.pids.limit = -1'
  refuse_create pids 'linux\.resources\.pids\.limit' '--pids-limit'
}

@test "capabilities: null capabilities (no change at all: full root caps) are refused" {
  update_config '.process.capabilities = null'
  refuse_create capabilities 'process\.capabilities' '--cap-drop'
}

@test "capabilities: CAP_NET_RAW in the bounding set is refused" {
  update_config '.process.capabilities = {bounding: ["CAP_NET_RAW"]}'
  refuse_create capabilities 'process\.capabilities\.bounding' '--cap-drop'
}

@test "no-new-privileges: noNewPrivileges false is refused" {
  update_config '.process.noNewPrivileges = false'
  refuse_create no-new-privileges 'process\.noNewPrivileges' 'no-new-privileges'
}

@test "user: uid 0 is refused" {
  update_config '.process.user.uid = 0'
  refuse_create user 'process\.user\.uid' '--user'
}

@test "user: gid 0 is refused" {
  update_config '.process.user.gid = 0'
  refuse_create user 'process\.user\.gid' '--user'
}

@test "user: additionalGids holding 0 is refused" {
  update_config '.process.user.additionalGids = [65534, 0]'
  refuse_create user 'process\.user\.additionalGids' '--(user|group-add)'
}

@test "process: a negative oomScoreAdj is refused" {
  update_config '.process.oomScoreAdj = -500'
  refuse_create process 'process\.oomScoreAdj'
}

@test "process: cwd /proc/self/fd is refused (CVE-2024-21626)" {
  update_config '.process.cwd = "/proc/self/fd"'
  refuse_create process 'process\.cwd'
}

@test "devices: linux.devices is refused" {
  update_config '.linux.devices = [{path: "/dev/sda", type: "b", major: 8, minor: 0, fileMode: 432, uid: 0, gid: 0}]'
  refuse_create devices 'linux\.devices' '--(device|privileged)'
}

@test "devices: --device-cgroup-rule 'a *:* rwm' is refused, naming --device-cgroup-rule" {
  update_config '.linux.resources.devices += [{allow: true, type: "a", access: "rwm"}]'
  refuse_create devices 'linux\.resources\.devices' 'remove --device-cgroup-rule'
}

@test "sysctl: a host kernel sysctl is refused" {
  update_config '.linux.sysctl = {"kernel.core_pattern": "|/tmp/x"}'
  refuse_create sysctl 'linux\.sysctl' '--sysctl'
}

@test "sysctl: kernel.domainname without a uts namespace of its own is refused" {
  update_config '.linux.sysctl = {"kernel.domainname": "example"} | .linux.namespaces |= map(select(.type != "uts"))'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ]
  # One fix covers this and the missing uts namespace: the message groups them.
  [[ "$stderr" == *"sysctl: linux.sysctl.kernel.domainname is set without a uts namespace"* ]] \
    || fail "not refused by the sysctl rule: $stderr"
  [[ "$stderr" == *"remove --uts host"* ]] || fail "no fix named: $stderr"
  assert_nothing_created "$ID"
}

@test "kernel: a cgroupsPath that climbs with .. is refused" {
  update_config '.linux.cgroupsPath = "/docker/../../system.slice"'
  refuse_create kernel 'linux\.cgroupsPath' '--cgroup-parent'
}

@test "masked-paths: dropping the masked paths is refused" {
  update_config '.linux.maskedPaths = []'
  refuse_create masked-paths 'linux\.maskedPaths'
}

@test "masked-paths: a read-only paths list lacking Docker's defaults is refused" {
  update_config '.linux.readonlyPaths = ["/proc/bus"]'
  refuse_create masked-paths 'linux\.readonlyPaths'
}

@test "masked-paths: absent read-only paths are filled in with Docker's defaults" {
  update_config 'del(.linux.readonlyPaths) | .process.args = ["sleep", "1000"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  jq -e '.linux.readonlyPaths as $r
    | ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
    | all(. as $p | $r | index($p) != null)' "$(private_bundle "$ID")/config.json"
}

@test "kernel: intelRdt is refused" {
  update_config '.linux.intelRdt = {closID: "policyrun-test"}'
  refuse_create kernel 'linux\.intelRdt'
}

@test "kernel: a non-LINUX personality is refused" {
  update_config '.linux.personality = {domain: "LINUX32"}'
  refuse_create kernel 'linux\.personality'
}

@test "hooks: a hook that is not on the allowlist is refused" {
  update_config '.hooks = {prestart: [{path: "/bin/true"}]}'
  refuse_create hooks 'hooks\.prestart'
}

@test "hooks: a createRuntime hook is refused too" {
  update_config '.hooks = {createRuntime: [{path: "/bin/sh", args: ["sh", "-c", "true"]}]}'
  refuse_create hooks 'hooks\.createRuntime'
}

@test "annotations: org.systemd.property.* is refused" {
  update_config '.annotations = {"org.systemd.property.TimeoutStopUSec": "uint64 123456789"}'
  refuse_create annotations 'annotations'
}

@test "seccomp: an absent profile is refused" {
  update_config 'del(.linux.seccomp)'
  refuse_create seccomp 'linux\.seccomp' 'seccomp'
}

@test "seccomp: defaultAction SCMP_ACT_ALLOW is refused" {
  update_config '.linux.seccomp.defaultAction = "SCMP_ACT_ALLOW"'
  refuse_create seccomp 'linux\.seccomp\.defaultAction' 'seccomp'
}

@test "seccomp: a listenerPath is refused" {
  update_config '.linux.seccomp.listenerPath = "/run/seccomp-agent.sock"'
  refuse_create seccomp 'linux\.seccomp\.listenerPath'
}

@test "every violation is listed: three loosenings, three violations" {
  update_config '.root.readonly = false
    | .linux.resources.memory = {limit: 209715200, swap: 209715200}
    | .process.user.uid = 0'
  refuse_create filesystem 'root\.readonly' '--read-only'
  assert_violation memory 'linux\.resources\.memory\.limit' '--memory'
  assert_violation user 'process\.user\.uid' '--user'
  [ "$(violation_count)" -eq 3 ]
  # The count announced is the count listed, after the whole fix.
  [[ "$stderr" == *"): add "*" | "* ]] || fail "the message does not begin with the whole fix: $stderr"
  [ "$(grep -o ' | ' <<< "$stderr" | wc -l)" -eq 3 ]
}

@test "run is refused like create" {
  update_config '.process.user.uid = 0'
  rm -f "$LOG"
  run --separate-stderr policyrun --log "$LOG" --log-format json run --bundle "$BUNDLE" "$ID"
  assert_error '^policyrun: refused by floor'
  assert_violation user 'process\.user\.uid' '--user'
  assert_log_line "$stderr"
  assert_nothing_created "$ID"
}

@test "restore of a loose bundle is refused" {
  update_config '.process.user.uid = 0'
  mkdir "$TMP/checkpoint"
  run_to_files policyrun --log "$LOG" --log-format json restore --bundle "$BUNDLE" \
    --image-path "$TMP/checkpoint" "$ID"
  assert_error '^policyrun: refused by floor'
  assert_log_line "$stderr"
  assert_nothing_created "$ID"
}

@test "refusal with --log in text format: one logrus-style line" {
  update_config '.root.readonly = false'
  run_to_files policyrun --log "$LOG" create --bundle "$BUNDLE" "$ID"
  assert_error '^policyrun: refused by floor'
  [ "$(wc -l < "$LOG")" -eq 1 ]
  grep -Eq '^time="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})" level=error msg="policyrun: refused by floor .*"$' "$LOG"
  assert_nothing_created "$ID"
}

@test "refusal appends to an existing --log, one line" {
  update_config '.root.readonly = false'
  echo '{"level":"info","msg":"earlier","time":"2020-01-01T00:00:00Z"}' > "$LOG"
  run_to_files policyrun --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ]
  [ "$(wc -l < "$LOG")" -eq 2 ]
  [ "$(head -n1 "$LOG" | jq -r .msg)" = earlier ]
  tail -n1 "$LOG" | jq -e '.level == "error" and (.msg | startswith("policyrun: refused by floor"))'
}

@test "refusal messages avoid the phrases Docker maps to exit codes 126/127" {
  update_config '.root.readonly = false | .process.user.uid = 0 | del(.linux.seccomp)
    | .process.capabilities = null | .linux.namespaces |= map(select(.type != "network"))'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ]
  refute_docker_phrases "$stderr"
}
