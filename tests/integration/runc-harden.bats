#!/usr/bin/env bats
# Harden mode end to end under the real runc: a config Docker 20.10 wrote
# for `docker run IMAGE` with none of the document's flags (uid 0, Docker's
# default capabilities, no no-new-privileges, a writable root, no limits,
# no user namespace) goes through policyrun with a harden policy, and the
# probe inside shows the floor: read-only root, no capabilities,
# NoNewPrivs, uid 65534, only lo, the cgroup limits, seccomp 2, and a user
# namespace mapping container id 0 onto the policy's host id.
#
# The bundle is laid out as Docker lays it out: the root below
# DATA/vfs/dir/ID, the hostname, hosts and resolv.conf binds in a 0710
# root:root DATA/containers/ID.  Docker 20.10.24 makes DATA, vfs and
# vfs/dir 0710 root:root too; most tests open those three (0711).  runc
# opens bind sources as host root before the container's init enters its
# user namespace, so the binds mount; the root is bind-mounted by the init
# itself, already the mapped root, which cannot walk through a 0710 data
# root: policyrun then binds the root onto /run/policyrun-userns in a mount
# namespace of runc's own and hands runc that path (bundle.h).

load helpers

FIXTURE=$INTEGRATION_ROOT/../fixtures/docker/plain.json

setup ()
{
  requires root runc busybox jq cgroups_v1
  check_policyrun
  [ -x "${PROBE:-}" ] || fail "the probe is not built: make tests/probe/probe and set PROBE"
  [ -f "$FIXTURE" ] || fail "Docker's captured config is missing: $FIXTURE"
  TMP=$BATS_TEST_TMPDIR
  BUNDLE=$TMP/bundle
  ROOT=$TMP/root
  STATE=$TMP/state
  POLICY=$TMP/policy.json
  LOG=$TMP/log.json
  ID=prh$$-$BATS_TEST_NUMBER
  mkdir -p "$BUNDLE" "$ROOT"
  # bats' own directories are 0700: Docker's layout goes where the mapped
  # root may walk, as it may walk /var/lib.
  DOCKER_DIR=$(mktemp -d /tmp/policyrun-harden.XXXXXX)
  chmod 0711 "$DOCKER_DIR"
  docker_layout 0711
  write_policy '{"mode": "harden"}'
}

teardown ()
{
  teardown_bundle
  [ -z "${DOCKER_DIR:-}" ] || rm -rf "$DOCKER_DIR"
}

# docker_layout MODE: DOCKER_DIR/data holding vfs/dir/ID (busybox and the
# probe; data, vfs and dir MODE, root:root) and containers/ID (both 0710,
# as Docker makes them: the three files Docker binds), and
# $BUNDLE/config.json: the captured config moved onto them (its cgroup
# named after ID), running the probe's table.  Nothing else of Docker's
# changes.
docker_layout ()
{
  local data=$DOCKER_DIR/data
  rm -rf "$data"
  mkdir -p "$data/vfs/dir" "$data/containers/$ID"
  cp -a "$(busybox_rootfs)" "$data/vfs/dir/$ID"
  cp "$PROBE" "$data/vfs/dir/$ID/probe"
  # Docker's init layer: the mount points of the files it binds.
  touch "$data/vfs/dir/$ID/etc/"{hostname,hosts,resolv.conf}
  printf '%s\n' "$ID" > "$data/containers/$ID/hostname"
  printf '%s\n' '127.0.0.1 localhost' > "$data/containers/$ID/hosts"
  : > "$data/containers/$ID/resolv.conf"
  chmod 0710 "$data/containers" "$data/containers/$ID"
  chmod "$1" "$data" "$data/vfs" "$data/vfs/dir"
  jq --arg r "$data/vfs/dir/$ID" --arg c "$data/containers/$ID" --arg id "$ID" '
      .root.path = $r
    | .linux.cgroupsPath = "/docker/" + $id
    | .mounts |= map(if .type == "bind" then .source = ($c + "/" + (.source | split("/") | last)) else . end)
    | .process.args = ["/probe", "table"]' "$FIXTURE" > "$BUNDLE/config.json"
}

# runc reopens /dev/null inside a user namespace as the mapped root
# (reOpenDevNull): a host /dev/null that is not 0666 keeps harden from
# adding one (userns.c), so the tests that expect one cannot pass.
requires_dev_null_666 ()
{
  local mode
  mode=$(stat -c %a /dev/null)
  [ "$mode" = 666 ] || fail "this host's /dev/null is mode $mode, not 666: no user namespace can start"
}

# The floor's rows, user namespace aside.
expect_floor_rows ()
{
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
  expect_row cg_memory_limit "$FLOOR_MEMORY"
  expect_row cg_memsw_limit "$FLOOR_MEMORY"
  expect_row cg_cpu_quota "$FLOOR_CPU_QUOTA"
  expect_row cg_cpu_period "$FLOOR_CPU_PERIOD"
  expect_row cg_pids_max "$FLOOR_PIDS"
  expect_row write_root EROFS
  expect_row setuid_0 EPERM
  expect_row raw_socket EPERM
  expect_row unshare_user EPERM
}

@test "enforce refuses Docker's plain config (what harden answers)" {
  write_policy '{}'
  refuse_create capabilities 'process\.capabilities'
}

@test "harden: Docker's plain config runs under runc at the floor, in a user namespace onto the policy's host ids" {
  requires_dev_null_666
  # What Docker asked for, before: root, capabilities, no user namespace.
  jq -e '.process.user.uid == 0 and (.process.capabilities.bounding | length > 0)
         and ([.linux.namespaces[].type] | index("user") == null)
         and .linux.uidMappings == null' "$BUNDLE/config.json"
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  echo "$stderr"
  assert_success
  expect_floor_rows
  expect_row uid_map 0:1000000000:65536
  expect_row gid_map 0:1000000000:65536
}

@test "harden: the private config holds the mapping and the clamped ping_group_range, and enforce accepts it" {
  requires_dev_null_666
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  local priv
  priv=$(private_bundle "$ID")/config.json
  jq -e '.linux.uidMappings == [{containerID: 0, hostID: 1000000000, size: 65536}]
         and .linux.gidMappings == [{containerID: 0, hostID: 1000000000, size: 65536}]
         and ([.linux.namespaces[] | select(.type == "user")] == [{type: "user"}])' "$priv"
  # Docker's "0 2147483647" names gids the namespace does not map (runc's
  # write of it fails with EINVAL); the other sysctl is Docker's.
  jq -e '.linux.sysctl == {"net.ipv4.ip_unprivileged_port_start": "0",
                           "net.ipv4.ping_group_range": "0 65535"}' "$priv"
  [ "$(container_status "$ID")" = created ]
  # The trail names the changes.
  jq -e --arg id "$ID" 'select(.id == $id) | [.tightened[].field]
         | (index("linux.uidMappings") != null and index("linux.gidMappings") != null
            and index("linux.sysctl.net.ipv4.ping_group_range") != null)' \
    "$TMP/trail/decisions.jsonl"
  # The checks alone, in enforce mode, have nothing against what runc got
  # (once its cgroup is gone).
  mkdir -p "$TMP/again"
  cp "$priv" "$TMP/again/config.json"
  run --separate-stderr policyrun delete --force "$ID"
  assert_success
  write_policy '{}'
  run --separate-stderr policyrun check "$TMP/again"
  echo "$output"
  echo "$stderr"
  assert_success
}

@test "harden: the policy's userns_host_id and userns_size make the mapping" {
  requires_dev_null_666
  write_policy '{"mode": "harden", "userns_host_id": 2000000000, "userns_size": 70000}'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  assert_success
  expect_row uid 65534
  expect_row uid_map 0:2000000000:70000
  expect_row gid_map 0:2000000000:70000
}

@test "harden: a caller's mapping onto host root never reaches runc" {
  requires_dev_null_666
  update_config '.linux.namespaces += [{type: "user"}]
    | .linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}]
    | .linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}]'
  write_policy '{}'
  refuse_create namespaces 'linux\.uidMappings'
  write_policy '{"mode": "harden"}'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  assert_success
  expect_floor_rows
  expect_row uid_map 0:1000000000:65536
  expect_row gid_map 0:1000000000:65536
}

RELOCATED=/run/policyrun-userns

# Nothing of a relocation is seen on the host: no mount on the relocation
# directory, which stays empty.
assert_no_relocation_left ()
{
  ! grep -q " $RELOCATED " /proc/self/mountinfo || fail "a mount on $RELOCATED is left on the host"
  [ -z "$(ls -A "$RELOCATED")" ] || fail "$RELOCATED is not empty: $(ls -A "$RELOCATED")"
}

@test "harden: a root below a 0710 root:root data root (Docker 20.10's) runs at the floor in a user namespace" {
  requires_dev_null_666
  # runc's init, as the mapped root, could not walk to the root (EACCES):
  # policyrun relocates it, and the container gets its user namespace.
  docker_layout 0710
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  echo "$stderr"
  assert_success
  expect_floor_rows
  expect_row uid_map 0:1000000000:65536
  expect_row gid_map 0:1000000000:65536
  assert_no_relocation_left
  [ "$(stat -c '%a %u' "$RELOCATED")" = "711 0" ]
}

@test "harden: a relocated root's container is created, exec'd into, started and deleted" {
  requires_dev_null_666
  docker_layout 0710
  ln -s /proc "$DOCKER_DIR/data/vfs/dir/$ID/lnk"
  update_config '.process.args = ["/bin/sleep", "600"] | .process.cwd = "/etc"'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  echo "$stderr"
  assert_success
  local priv
  priv=$(private_bundle "$ID")
  # runc got the relocated path; the private bundle keeps the one the floor
  # judged, for exec's and update's reading of the image.
  jq -e --arg r "$RELOCATED" '.root.path == $r' "$priv/config.json"
  jq -e --arg r "$DOCKER_DIR/data/vfs/dir/$ID" '. == $r' "$priv/root.json"
  assert_no_relocation_left
  run --separate-stderr policyrun start "$ID"
  assert_success
  wait_for_status "$ID" running
  # runc exec starts from root.path in the host's mount namespace (the
  # empty relocation directory) and joins the container's.
  run --separate-stderr policyrun exec "$ID" /probe table
  echo "$output"
  echo "$stderr"
  assert_success
  expect_row uid 65534
  expect_row uid_map 0:1000000000:65536
  expect_row write_root EROFS
  # policyrun's exec reads the image where it is (root.json), not the
  # empty relocation directory: the image's /lnk leads a cwd into /proc.
  run --separate-stderr policyrun exec --cwd /lnk/self "$ID" /bin/true
  echo "$stderr"
  [ "$status" -ne 0 ]
  [[ "$stderr" == *"process.cwd"*"/proc"* ]] || fail "exec was not refused for its cwd: $stderr"
  run --separate-stderr policyrun delete --force "$ID"
  assert_success
  [ "$(container_status "$ID")" = absent ]
  [ ! -e "$priv" ]
  assert_no_relocation_left
}

@test "harden: a relocated create that runc fails leaves nothing behind" {
  requires_dev_null_666
  docker_layout 0710
  update_config '.process.args = ["/no-such-binary"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  echo "$stderr"
  [ "$status" -ne 0 ]
  # runc's own failure, after the relocation: not policyrun's refusal.
  [[ "$stderr" != *"policyrun:"* ]] || fail "policyrun refused it: $stderr"
  [ "$(container_status "$ID")" = absent ]
  poll_until no_private_bundle "$ID"
  assert_no_relocation_left
}

@test "harden: a bind onto a file the image lacks runs in a user namespace: policyrun makes the mount point" {
  requires_dev_null_666
  # runc would make /code.txt as the mapped root in the image's / (root's,
  # 0755): EACCES.  policyrun makes it first, as runc does without one.
  docker_layout 0710
  local c=$DOCKER_DIR/data/containers/$ID image=$DOCKER_DIR/data/vfs/dir/$ID
  echo CODE-OK > "$c/code.txt"
  update_config --arg s "$c/code.txt" '.mounts += [{destination: "/code.txt", type: "bind",
      source: $s, options: ["rbind", "ro"]}]
    | .process.args = ["/bin/sh", "-c", "cat /code.txt; /probe table"]'
  [ ! -e "$image/code.txt" ]
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  echo "$stderr"
  assert_success
  [ "${lines[0]}" = CODE-OK ]
  expect_row uid_map 0:1000000000:65536
  expect_row write_root EROFS
  [ "$(stat -c '%F %u' "$image/code.txt")" = "regular empty file 0" ]
}

@test "runc alone cannot start Docker's layout in a user namespace when the data root is 0710" {
  # Why the harden leaves it out: the same config with a user namespace,
  # straight to runc.
  docker_layout 0710
  update_config '.linux.namespaces += [{type: "user"}]
    | .linux.uidMappings = [{containerID: 0, hostID: 1000000000, size: 65536}]
    | .linux.gidMappings = [{containerID: 0, hostID: 1000000000, size: 65536}]
    | .linux.sysctl["net.ipv4.ping_group_range"] = "0 65535"'
  cd "$BUNDLE"
  run --separate-stderr "$RUNC" --root "$ROOT" run "$ID"
  echo "$stderr"
  [ "$status" -ne 0 ]
  [[ "$stderr" == *"error preparing rootfs"* ]]
}
