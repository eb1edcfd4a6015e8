#!/usr/bin/env bats
# The process rules against the real runc: the supplementary groups runc
# really sets (it looks additionalGids up by name in the container's own
# /etc/group), rlimits, and a working directory in /dev/shm.  Each refusal
# is paired with what runc alone does with the same bundle, so the test can
# fail.

load helpers

setup ()
{
  setup_bundle
}

teardown ()
{
  teardown_bundle
}

# A group named 65534 whose gid is 0: runc resolves the name first.
HOSTILE_GROUP=$'65534:x:0:\nnogroup:x:65534:'

# runc_alone_groups: run $BUNDLE with the real runc alone and print the
# Groups: line of /proc/self/status inside.
runc_alone_groups ()
{
  update_config '.process.args = ["grep", "^Groups:", "/proc/self/status"]'
  run --separate-stderr __runc run --bundle "$BUNDLE" "$ID-alone"
  [ "$status" -eq 0 ] || fail "runc alone failed ($status): $output $stderr"
}

@test "additionalGids [65534] in an image whose /etc/group names 65534 as gid 0: runc sets group 0, policyrun refuses" {
  printf '%s\n' "$HOSTILE_GROUP" > "$BUNDLE/rootfs/etc/group"
  update_config '.process.user.additionalGids = [65534]'
  runc_alone_groups
  [[ "$output" =~ ^Groups:[[:space:]]+0[[:space:]]*$ ]] \
    || fail "runc alone did not set group 0 (the test proves nothing): $output"
  refuse_create user 'process\.user\.additionalGids\[0\]'
  [[ "$stderr" == *"makes group 0"* ]] || fail "the reason is not the group file: $stderr"
}

@test "a bind over /etc/group naming 65534 as gid 0: runc sets group 0, policyrun refuses" {
  printf '%s\n' "$HOSTILE_GROUP" > "$TMP/group"
  update_config --arg g "$TMP/group" '.process.user.additionalGids = [65534]
    | .mounts += [{destination: "/etc/group", type: "bind", source: $g, options: ["rbind", "ro"]}]'
  runc_alone_groups
  [[ "$output" =~ ^Groups:[[:space:]]+0[[:space:]]*$ ]] \
    || fail "runc alone did not set group 0 (the test proves nothing): $output"
  refuse_create user 'process\.user\.additionalGids\[0\]'
}

@test "a bind over /etc whose group file names 65534 as gid 0 is refused" {
  mkdir -p "$TMP/etc"
  printf '%s\n' "$HOSTILE_GROUP" > "$TMP/etc/group"
  update_config --arg d "$TMP/etc" '.process.user.additionalGids = [65534]
    | .mounts += [{destination: "/etc", type: "bind", source: $d, options: ["rbind", "ro"]}]'
  runc_alone_groups
  [[ "$output" =~ ^Groups:[[:space:]]+0[[:space:]]*$ ]] \
    || fail "runc alone did not set group 0 (the test proves nothing): $output"
  refuse_create user 'process\.user\.additionalGids\[0\]'
}

@test "an image whose /etc is a symlink to a directory with a hostile group file is refused" {
  mkdir -p "$BUNDLE/rootfs/cfg"
  mv "$BUNDLE/rootfs/etc/passwd" "$BUNDLE/rootfs/cfg/passwd"
  printf '%s\n' "$HOSTILE_GROUP" > "$BUNDLE/rootfs/cfg/group"
  rm -rf "$BUNDLE/rootfs/etc"
  ln -s cfg "$BUNDLE/rootfs/etc"
  update_config '.process.user.additionalGids = [65534]'
  runc_alone_groups
  [[ "$output" =~ ^Groups:[[:space:]]+0[[:space:]]*$ ]] \
    || fail "runc alone did not set group 0 (the test proves nothing): $output"
  refuse_create user 'process\.user\.additionalGids\[0\]'
}

@test "additionalGids [65534] with a plain /etc/group runs through policyrun with group 65534" {
  update_config '.process.user.additionalGids = [65534]
    | .process.args = ["grep", "^Groups:", "/proc/self/status"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [[ "$output" =~ ^Groups:[[:space:]]+65534[[:space:]]*$ ]] || fail "groups: $output"
}

@test "a tmpfs over /etc hides a hostile image group file: runs with group 65534" {
  printf '%s\n' "$HOSTILE_GROUP" > "$BUNDLE/rootfs/etc/group"
  update_config '.process.user.additionalGids = [65534]
    | .process.args = ["grep", "^Groups:", "/proc/self/status"]
    | .mounts += [{destination: "/etc", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "noexec", "size=1m"]}]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [[ "$output" =~ ^Groups:[[:space:]]+65534[[:space:]]*$ ]] || fail "groups: $output"
}

@test "exec --additional-gids 65534 into a hostile image: runc sets group 0, policyrun refuses" {
  printf '%s\n' "$HOSTILE_GROUP" > "$BUNDLE/rootfs/etc/group"
  start_container
  run --separate-stderr __runc exec --additional-gids 65534 "$ID" grep '^Groups:' /proc/self/status
  [ "$status" -eq 0 ] || fail "runc alone exec failed: $output $stderr"
  [[ "$output" =~ ^Groups:.*[[:space:]]0([[:space:]]|$) ]] \
    || fail "runc alone did not set group 0 (the test proves nothing): $output"
  run --separate-stderr policyrun exec --additional-gids 65534 "$ID" true
  [ "$status" -eq 1 ] || fail "policyrun exec: status $status: $output $stderr"
  [[ "$stderr" == *"user.additionalGids[0]"* ]] || fail "not refused for the group: $stderr"
}

# Whether runc here may raise an rlimit above the test's own hard limit
# (CAP_SYS_RESOURCE, bit 24; a runtime inside another container may lack it).
can_raise_rlimits ()
{
  local eff
  eff=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
  (((0x$eff >> 24) & 1))
}

@test "RLIMIT_RTPRIO above 0 is refused, naming --ulimit rtprio" {
  update_config '.process.rlimits = [{type: "RLIMIT_RTPRIO", hard: 99, soft: 99}]'
  refuse_create process 'process\.rlimits\[0\]\.hard' '--ulimit rtprio=0:0'
  [ "$(violation_count)" -eq 2 ] || fail "hard and soft are both above the floor: $stderr"
}

@test "RLIMIT_NICE above 20 is refused, naming --ulimit nice" {
  update_config '.process.rlimits = [{type: "RLIMIT_NICE", hard: 21, soft: 20}]'
  refuse_create process 'process\.rlimits\[0\]\.hard' '--ulimit nice=20:20'
  [ "$(violation_count)" -eq 1 ] || fail "soft 20 is within the floor: $stderr"
}

@test "runc alone applies RLIMIT_RTPRIO 99 and RLIMIT_NICE 40 (what the two refusals above prevent)" {
  can_raise_rlimits || skip "runc here lacks CAP_SYS_RESOURCE and cannot raise rlimits above $(ulimit -Hr)"
  update_config '.process.rlimits = [{type: "RLIMIT_RTPRIO", hard: 99, soft: 99},
      {type: "RLIMIT_NICE", hard: 40, soft: 40}]
    | .process.args = ["grep", "-E", "Max (nice|realtime) priority", "/proc/self/limits"]'
  run --separate-stderr __runc run --bundle "$BUNDLE" "$ID-alone"
  [ "$status" -eq 0 ] || fail "runc alone failed: $output $stderr"
  [[ "${lines[0]}" =~ 40[[:space:]]+40 ]] || fail "nice: $output"
  [[ "${lines[1]}" =~ 99[[:space:]]+99 ]] || fail "rtprio: $output"
}

@test "RLIMIT_RTPRIO 0 and RLIMIT_NICE within the floor run, and the process gets them" {
  local nice=20
  can_raise_rlimits || nice=$(ulimit -He)
  update_config --argjson n "$nice" '.process.rlimits = [{type: "RLIMIT_NICE", hard: $n, soft: $n},
      {type: "RLIMIT_RTPRIO", hard: 0, soft: 0}]
    | .process.args = ["grep", "-E", "Max (nice|realtime) priority", "/proc/self/limits"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [[ "${lines[0]}" =~ [[:space:]]$nice[[:space:]]+$nice[[:space:]] ]] || fail "nice: $output"
  [[ "${lines[1]}" =~ [[:space:]]0[[:space:]]+0[[:space:]] ]] || fail "rtprio: $output"
}

@test "an rlimit type runc does not know is refused by policyrun as by runc" {
  update_config '.process.rlimits = [{type: "RLIMIT_FOO", hard: 1, soft: 1}]'
  run --separate-stderr __runc run --bundle "$BUNDLE" "$ID-alone"
  [ "$status" -ne 0 ] || fail "runc alone accepted RLIMIT_FOO"
  refuse_create process 'process\.rlimits\[0\]\.type'
}

@test "a working directory in /dev/shm runs; /dev/pts stays refused" {
  update_config '.process.cwd = "/dev/shm" | .process.args = ["pwd"]'
  run --separate-stderr policyrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$output" = /dev/shm ]
  update_config '.process.cwd = "/dev/pts"'
  refuse_create process 'process\.cwd' '--workdir'
}
