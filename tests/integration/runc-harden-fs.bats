#!/usr/bin/env bats
# Harden mode's filesystem, network, namespace and device rewrites with the
# real runc.  A Docker-shaped bundle with a writable root, a writable bind,
# the host's network and pid namespaces, an executable unbounded tmpfs and an
# allow-all device cgroup is refused in enforce mode; in harden mode it runs,
# and from inside the container the root and the bind are read-only (EROFS),
# only lo is there, /tmp holds no programs, and the device cgroup denies what
# it does not list.  Run by runc alone, the same bundle writes, sees the
# host's interfaces and executes from /tmp, so these tests can fail.

load helpers

setup ()
{
  setup_bundle
  mkdir -p "$TMP/data"
  chmod 0777 "$TMP/data"
  # runc 1.1 gives a tmpfs the mode of the directory it covers.
  chmod 1777 "$BUNDLE/rootfs/tmp"
  # Loose as `docker run -v DATA:/data --network host --pid host --tmpfs /tmp:exec`
  # without --read-only, plus --privileged's device cgroup.
  update_config --arg data "$TMP/data" '
      .root.readonly = false
    | .mounts += [{destination: "/data", type: "bind", source: $data,
                   options: ["rbind", "rprivate"]},
                  {destination: "/tmp", type: "tmpfs", source: "tmpfs",
                   options: ["nosuid", "nodev", "exec"]}]
    | .linux.namespaces |= map(select(.type != "network" and .type != "pid"))
    | .linux.resources.devices = [{allow: true, access: "rwm"}]'
  write_policy '{"mode": "harden"}'
}

teardown ()
{
  teardown_bundle
}

@test "enforce refuses the loose bundle (what harden answers)" {
  write_policy '{}'
  refuse_create filesystem 'root\.readonly' 'read-only'
  assert_violation mounts 'mounts\['
  assert_violation network 'linux\.namespaces'
  assert_violation namespaces 'linux\.namespaces'
  assert_violation devices 'linux\.resources\.devices'
}

@test "harden: the private config holds the floor for root, mounts, network, pid and devices" {
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "create failed: $stderr"
  local c
  c=$(private_bundle "$ID")/config.json
  jq -e '.root.readonly == true' "$c"
  jq -e '.mounts[] | select(.destination == "/data") | .options | index("ro") != null' "$c"
  jq -e '.mounts[] | select(.destination == "/tmp") | .options
         | index("noexec") != null and index("size=64m") != null' "$c"
  jq -e '[.linux.namespaces[] | select(.type == "network" and .path == null)] | length == 1' "$c"
  jq -e '[.linux.namespaces[] | select(.type == "pid" and .path == null)] | length == 1' "$c"
  jq -e '.linux.resources.devices == [{allow: false, access: "rwm"}]' "$c"
  [ "$(container_status "$ID")" = created ]
  # The device cgroup runc wrote: no allow-all.
  local list
  list=$(container_cgroup "$ID" devices)/devices.list
  ! grep -qx 'a \*:\* rwm' "$list" || fail "the device cgroup allows every device: $(cat "$list")"
}

@test "harden: inside, / and the bind are read-only, only lo, /tmp runs nothing, pid 1 is ours" {
  update_config '.process.args = ["sh", "-c",
    "touch /x 2>&1; touch /data/y 2>&1; echo net=$(ls /sys/class/net); cp /bin/busybox /tmp/true && echo copied; /tmp/true 2>&1 || echo noexec; echo pid1=$(cat /proc/1/comm)"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  echo "$stderr"
  [ "$status" -eq 0 ] || fail "run failed: $stderr"
  grep -q '^touch: /x: Read-only file system' <<< "$output"
  grep -q '^touch: /data/y: Read-only file system' <<< "$output"
  [ ! -e "$TMP/data/y" ]
  grep -qx 'net=lo' <<< "$output"
  grep -qx 'copied' <<< "$output"
  grep -qx 'noexec' <<< "$output"
  grep -q '/tmp/true: Permission denied' <<< "$output"
  grep -qx 'pid1=sh' <<< "$output"
}

@test "runc alone runs the same bundle writable, on the host's network, executing from /tmp" {
  update_config '.linux.resources.devices = [{allow: false, access: "rwm"}]
    | .process.args = ["sh", "-c",
    "touch /data/y && echo wrote; echo net=$(ls /sys/class/net); cp /bin/busybox /tmp/true && /tmp/true && echo exec"]'
  run --separate-stderr "$RUNC" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
  echo "$output"
  echo "$stderr"
  [ "$status" -eq 0 ]
  grep -qx 'wrote' <<< "$output"
  [ -e "$TMP/data/y" ]
  grep -qx 'exec' <<< "$output"
  # The host's interfaces, whatever they are.
  grep -qx "net=$(echo $(ls /sys/class/net))" <<< "$output"
}
