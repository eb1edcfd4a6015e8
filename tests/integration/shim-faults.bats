#!/usr/bin/env bats
# Faults policyrun must survive with the real runc behind it: creates of one
# id at once, creates killed midway or failing, a read-only --root, the
# deadline's watchdogs killed, extreme deadlines; and Docker's setkey hook
# naming another container.

load helpers

setup () { setup_bundle; }

teardown ()
{
  teardown_bundle
  if [ -n "${RO_ROOT:-}" ] && mountpoint -q "$RO_ROOT"; then umount "$RO_ROOT"; fi
  # No process of policyrun outlives the test's containers.
  if [ -n "${TMP:-}" ]; then poll_until no_helpers_left; fi
}

# A delegate script DIR/NAME whose create does BODY, everything else is runc.
fault_delegate ()
{
  local name=$1 body=$2
  cat > "$TMP/$name" << SH
#!/bin/sh
for a in "\$@"; do
  if [ "\$a" = create ]; then
    $body
  fi
done
exec "$RUNC" "\$@"
SH
  chmod 0755 "$TMP/$name"
}

# Create $ID through policyrun and real runc; assert it exists, with its
# private bundle.
create_works ()
{
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$(container_status "$ID")" = created ]
  [ -f "$(private_bundle "$ID")/config.json" ]
}

# assert_watchdog_basics PID: a watchdog is root's (the container's user
# can neither signal nor trace it), its oom_score_adj is lowered where the
# kernel lets policyrun (CAP_SYS_RESOURCE) and never raised, and its standard
# descriptors are /dev/null.
assert_watchdog_basics ()
{
  local w=$1 fd
  [ "$(awk '/^Uid:/ { print $2 }' "/proc/$w/status")" -eq 0 ]
  [ "$(cat "/proc/$w/oom_score_adj")" -le 0 ]
  for fd in 0 1 2; do
    [ "$(readlink "/proc/$w/fd/$fd")" = /dev/null ]
  done
}

@test "parallel creates of one id: exactly one wins, the others say the id is in use and touch nothing" {
  update_config '.process.args = ["sleep", "1000"] | .root.path = "'"$BUNDLE/rootfs"'"'
  local n=12 round i winner wins id
  for i in $(seq $n); do
    mkdir "$TMP/b$i"
    jq --arg h "c$i" '.hostname = $h' "$BUNDLE/config.json" > "$TMP/b$i/config.json"
  done
  for round in 1 2 3; do
    # A new id each round: the last one's cgroup may linger a moment.
    id=$ID-$round
    for i in $(seq $n); do
      (
        st=0
        policyrun create --bundle "$TMP/b$i" "$id" > "$TMP/out$i" 2> "$TMP/err$i" < /dev/null || st=$?
        echo "$st" > "$TMP/st$i"
      ) &
    done
    wait
    wins=0
    winner=
    for i in $(seq $n); do
      if [ "$(cat "$TMP/st$i")" -eq 0 ]; then
        wins=$((wins + 1))
        winner=$i
      else
        grep -q 'in use' "$TMP/err$i" || fail "round $round, create $i: $(cat "$TMP/err$i")"
      fi
    done
    [ "$wins" -eq 1 ] || fail "round $round: $wins creates won"
    # runc has the winner's container, and it runs from the winner's
    # private bundle, intact.
    [ "$(container_status "$id")" = created ]
    [ "$(__runc state "$id" | jq -r .bundle)" = "$(private_bundle "$id")" ]
    [ "$(jq -r .hostname "$(private_bundle "$id")/config.json")" = "c$winner" ]
    run --separate-stderr policyrun start "$id"
    assert_success
    wait_for_status "$id" running
    run --separate-stderr policyrun delete --force "$id"
    assert_success
    [ "$(container_status "$id")" = absent ]
    no_private_bundle "$id"
    [ ! -e "$(bundle_lock_file "$id")" ]
  done
}

@test "a create whose delegate is killed right after policyrun handed over leaves nothing in the way" {
  fault_delegate kill-self 'kill -9 $$'
  run_to_files "$POLICYRUN" --policy "$POLICY" --delegate "$TMP/kill-self" --root "$ROOT" \
    create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 137 ] || fail "status $status: $stderr"
  # The cleaner removes what the killed create wrote.
  poll_until no_private_bundle "$ID"
  update_config '.process.args = ["sleep", "1000"]'
  create_works
}

@test "a create killed while its delegate runs leaves nothing in the way" {
  fault_delegate wait-for-kill 'echo $$ > "'"$TMP"'/delegate.pid"; exec sleep 1000'
  "$POLICYRUN" --policy "$POLICY" --delegate "$TMP/wait-for-kill" --root "$ROOT" \
    create --bundle "$BUNDLE" "$ID" > /dev/null 2>&1 < /dev/null &
  local bg=$!
  poll_until test -s "$TMP/delegate.pid"
  # The delegate is policyrun's own process, execve()d.
  [ "$(cat "$TMP/delegate.pid")" = "$bg" ]
  [ -f "$(private_bundle "$ID")/config.json" ]
  kill -9 "$bg"
  wait "$bg" || true
  update_config '.process.args = ["sleep", "1000"]'
  # At once, without waiting for the cleaner: the id is free.
  create_works
}

@test "a leftover private bundle without a container is taken over by the next create" {
  # What a create killed between writing the bundle and its execve() leaves
  # when its cleaner was killed too.
  mkdir -p "$(private_bundle "$ID")"
  chmod 0700 "$STATE" "$(dirname "$(private_bundle "$ID")")" "$(private_bundle "$ID")"
  echo stale > "$(private_bundle "$ID")/config.json"
  update_config '.process.args = ["sleep", "1000"]'
  create_works
  [ "$(jq -r .root.path "$(private_bundle "$ID")/config.json")" = "$BUNDLE/rootfs" ]
}

@test "a delegate that fails leaves no private bundle" {
  fault_delegate fail-create 'echo "create failed" >&2; exit 1'
  run_to_files "$POLICYRUN" --policy "$POLICY" --delegate "$TMP/fail-create" --root "$ROOT" \
    create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ]
  [ "$stderr" = "create failed" ]
  poll_until no_private_bundle "$ID"
  [ "$(container_status "$ID")" = absent ]
}

@test "a read-only --root: runc fails, and no private bundle is left" {
  RO_ROOT=$TMP/ro-root
  mkdir -p "$RO_ROOT"
  mount -t tmpfs -o ro,size=1m tmpfs "$RO_ROOT"
  run_to_files "$POLICYRUN" --policy "$POLICY" --root "$RO_ROOT" create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  poll_until no_private_bundle "$ID" "$RO_ROOT"
}

@test "a full --root: runc fails, and no private bundle is left" {
  RO_ROOT=$TMP/full-root
  mkdir -p "$RO_ROOT"
  mount -t tmpfs -o size=64k,nr_inodes=3 tmpfs "$RO_ROOT"
  touch "$RO_ROOT/a" "$RO_ROOT/b" 2> /dev/null || true
  run_to_files "$POLICYRUN" --policy "$POLICY" --root "$RO_ROOT" create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  poll_until no_private_bundle "$ID" "$RO_ROOT"
}

@test "a read-only state directory refuses the create and writes nothing" {
  RO_ROOT=$STATE
  mkdir -p "$STATE"
  mount -t tmpfs -o ro,size=1m,mode=0700 tmpfs "$STATE"
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_error "cannot create .*read-only"
  [ "$(container_status "$ID")" = absent ]
}

# The container's init, and the two watchdogs that guard it.
started_with_watchdogs ()
{
  write_policy '{"timeout_seconds": 3600}'
  start_container
  INIT=$(__runc state "$ID" | jq -r .pid)
  mapfile -t WATCHDOGS < <(watchdogs_of "$INIT")
  [ "${#WATCHDOGS[@]}" -eq 2 ] || fail "watchdogs of $INIT: ${WATCHDOGS[*]}"
}

# The watchdog of the pair that is the other's parent (the first), or the child.
watchdog_role ()
{
  local want=$1 w ppid
  for w in "${WATCHDOGS[@]}"; do
    ppid=$(awk '{ print $4 }' "/proc/$w/stat")
    if { [ "$want" = first ] && ! printf '%s\n' "${WATCHDOGS[@]}" | grep -qx "$ppid"; } \
      || { [ "$want" = second ] && printf '%s\n' "${WATCHDOGS[@]}" | grep -qx "$ppid"; }; then
      echo "$w"
      return 0
    fi
  done
  fail "no $want watchdog among ${WATCHDOGS[*]}"
}

@test "the watchdogs are root's, hold no caller descriptor, and the container does not hold the lock" {
  started_with_watchdogs
  local w fd
  for w in "${WATCHDOGS[@]}"; do
    assert_watchdog_basics "$w"
    # Nothing but the pidfds and the timer.
    for fd in "/proc/$w"/fd/*; do
      case $(readlink "$fd") in
        /dev/null | anon_inode:\[pidfd\] | anon_inode:\[timerfd\] | anon_inode:pidfd) ;;
        *) fail "watchdog $w holds $(readlink "$fd")" ;;
      esac
    done
  done
  # runc marks every descriptor >= 3 close-on-exec before its init runs the
  # user's process: the id's lock (which the delegate's create inherited)
  # is not in the container.
  for fd in "/proc/$INIT"/fd/*; do
    [ "$(readlink "$fd")" != "$(bundle_lock_file "$ID")" ] || fail "the container holds the lock"
  done
}

@test "kill -9 of the first watchdog kills the container" {
  started_with_watchdogs
  kill -9 "$(watchdog_role first)"
  poll_until container_stopped "$ID"
}

@test "kill -9 of the second watchdog kills the container" {
  started_with_watchdogs
  kill -9 "$(watchdog_role second)"
  poll_until container_stopped "$ID"
}

@test "the watchdogs leave when the container exits, and touch nothing later" {
  started_with_watchdogs
  __runc kill "$ID" KILL
  poll_until container_stopped "$ID"
  local w
  for w in "${WATCHDOGS[@]}"; do
    poll_until test ! -e "/proc/$w/fdinfo"
  done
}

@test "run --detach: kill -9 of either watchdog kills the container" {
  write_policy '{"timeout_seconds": 3600}'
  update_config '.process.args = ["sleep", "1000"]'
  local which
  for which in first second; do
    run_to_files policyrun run --detach --bundle "$BUNDLE" "$ID"
    assert_success
    wait_for_status "$ID" running
    INIT=$(__runc state "$ID" | jq -r .pid)
    poll_until test "$(watchdogs_of "$INIT" | wc -l)" -eq 2
    mapfile -t WATCHDOGS < <(watchdogs_of "$INIT")
    kill -9 "$(watchdog_role "$which")"
    poll_until container_stopped "$ID"
    run --separate-stderr policyrun delete --force "$ID"
    assert_success
    no_private_bundle "$ID"
  done
}

@test "timeout_seconds 1 kills the container" {
  write_policy '{"timeout_seconds": 1}'
  start_container
  poll_until container_stopped "$ID"
}

@test "timeout_seconds of ten years arms and does not kill the container" {
  write_policy '{"timeout_seconds": 315360000}'
  start_container
  INIT=$(__runc state "$ID" | jq -r .pid)
  [ "$(watchdogs_of "$INIT" | wc -l)" -eq 2 ]
  [ "$(container_status "$ID")" = running ]
  # The timer is set ten years ahead (and is not already due).
  local w t
  w=$(watchdogs_of "$INIT" | head -n1)
  for t in "/proc/$w"/fd/*; do
    if [ "$(readlink "$t")" = 'anon_inode:[timerfd]' ]; then
      awk '/^it_value:/ { gsub(/[(),]/, " "); if ($2 < 315000000) exit 1 }' "/proc/$w/fdinfo/${t##*/}"
    fi
  done
  [ "$(container_status "$ID")" = running ]
}

# The pair the create's cleaner pre-forks for start: two policyrun-watch
# processes holding a pidfd of the created init, in WATCHDOGS.
prearmed_pair ()
{
  write_policy "{\"timeout_seconds\": $1}"
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  INIT=$(__runc state "$ID" | jq -r .pid)
  poll_until test "$(watchdogs_of "$INIT" | wc -l)" -eq 2
  mapfile -t WATCHDOGS < <(watchdogs_of "$INIT")
}

# Process PID has exited (a zombie its parent has not reaped counts).
process_gone ()
{
  [ ! -e "/proc/$1" ] || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2> /dev/null)" = Z ] \
    || [ ! -e "/proc/$1/stat" ]
}

# PID holds a descriptor of KIND (timerfd, socket).
holds ()
{
  local fd
  for fd in "/proc/$1"/fd/*; do
    [[ "$(readlink "$fd")" == *"$2"* ]] && return 0
  done
  return 1
}

@test "create leaves the deadline's pair waiting, root's, without the lock; delete of the never-started container ends it" {
  prearmed_pair 3600
  [ "$(container_status "$ID")" = created ]
  local w fd inode
  for w in "${WATCHDOGS[@]}"; do
    assert_watchdog_basics "$w"
    # The pidfds, and the socket start dials in the private bundle: nothing
    # of the caller's.
    for fd in "/proc/$w"/fd/*; do
      case $(readlink "$fd") in
        /dev/null | anon_inode:\[pidfd\] | anon_inode:pidfd) ;;
        socket:*)
          inode=$(readlink "$fd" | tr -dc 0-9)
          awk -v i="$inode" '$7 == i && $8 ~ /deadline\.sock$/ { found = 1 } END { exit !found }' \
            /proc/net/unix || fail "watchdog $w holds socket $inode, not the deadline's" ;;
        *) fail "pre-forked watchdog $w holds $(readlink "$fd")" ;;
      esac
    done
  done
  [ -S "$(private_bundle "$ID")/deadline.sock" ]
  # Nobody holds the id's lock once the create has exited.
  flock -n "$(bundle_lock_file "$ID")" true
  run --separate-stderr policyrun delete "$ID"
  assert_success
  for w in "${WATCHDOGS[@]}"; do
    poll_until process_gone "$w"
  done
  no_private_bundle "$ID"
}

@test "start arms the pair the create left: the same two processes, now with the timer" {
  prearmed_pair 3600
  run --separate-stderr policyrun start "$ID"
  assert_success
  wait_for_status "$ID" running
  [ "$(watchdogs_of "$INIT" | tr '\n' ' ')" = "$(printf '%s\n' "${WATCHDOGS[@]}" | sort -u | tr '\n' ' ')" ]
  local w
  for w in "${WATCHDOGS[@]}"; do
    holds "$w" timerfd
    poll_until eval "! holds $w socket"
  done
  kill -9 "${WATCHDOGS[1]}"
  poll_until container_stopped "$ID"
}

@test "start after the pre-forked pair was killed forks its own pair, and the deadline holds" {
  prearmed_pair 3
  kill -9 "${WATCHDOGS[@]}"
  local w
  for w in "${WATCHDOGS[@]}"; do
    poll_until process_gone "$w"
  done
  [ "$(container_status "$ID")" = created ]
  run --separate-stderr policyrun start "$ID"
  assert_success
  local now
  now=$(watchdogs_of "$INIT")
  [ "$(wc -l <<< "$now")" -eq 2 ] || fail "watchdogs after start: $now"
  for w in "${WATCHDOGS[@]}"; do
    ! grep -qx "$w" <<< "$now"
  done
  poll_until container_stopped "$ID"
}

@test "kill -9 of one pre-forked watchdog: the other leaves, the container stays, start forks its own pair" {
  prearmed_pair 3600
  kill -9 "${WATCHDOGS[0]}"
  local w
  for w in "${WATCHDOGS[@]}"; do
    poll_until process_gone "$w"
  done
  # Not armed yet: the container is not killed for it.
  [ "$(container_status "$ID")" = created ]
  run --separate-stderr policyrun start "$ID"
  assert_success
  wait_for_status "$ID" running
  mapfile -t WATCHDOGS < <(watchdogs_of "$INIT")
  [ "${#WATCHDOGS[@]}" -eq 2 ]
  kill -9 "$(watchdog_role second)"
  poll_until container_stopped "$ID"
}

@test "a pre-forked pair that does not answer: start forks its own, and the late pair arms too" {
  prearmed_pair 3600
  kill -STOP "${WATCHDOGS[@]}"
  local w
  for w in "${WATCHDOGS[@]}"; do
    poll_until test "$(awk '{ print $3 }' "/proc/$w/stat")" = T
  done
  run --separate-stderr policyrun start "$ID"
  assert_success
  wait_for_status "$ID" running
  local now
  now=$(watchdogs_of "$INIT")
  [ "$(wc -l <<< "$now")" -eq 4 ] || fail "watchdogs after start: $now"
  kill -CONT "${WATCHDOGS[@]}"
  for w in "${WATCHDOGS[@]}"; do
    poll_until holds "$w" timerfd
  done
  [ "$(container_status "$ID")" = running ]
  run --separate-stderr policyrun delete --force "$ID"
  assert_success
  poll_until no_helpers_left
}

@test "Docker's setkey hook naming another container is refused" {
  write_policy '{"hook_allowlist": ["/usr/bin/dockerd"]}'
  update_config '.hooks = {prestart: [{path: "/usr/bin/dockerd",
    args: ["libnetwork-setkey", "-exec-root=/var/run/docker", "another-container", "a366431059aa"]}]}'
  refuse_create hooks 'hooks\.prestart\[0\]\.args' "remove the hook"
  [[ "$stderr" == *another-container* ]]
}

@test "Docker's setkey hook in any other shape is refused; naming this container passes" {
  write_policy '{"hook_allowlist": ["/usr/bin/dockerd"]}'
  update_config '.hooks = {prestart: [{path: "/usr/bin/dockerd",
    args: ["libnetwork-setkey", "'"$ID"'", "a366431059aa"]}]}'
  refuse_create hooks 'hooks\.prestart\[0\]\.args' "remove the hook"
  update_config '.hooks = {prestart: [{path: "/usr/bin/dockerd",
    args: ["libnetwork-setkey", "-exec-root=/var/run/docker", "'"$ID"'", "a366431059aa"]}]}'
  export RECORDER_LOG=$TMP/recorder.log RECORDER_DIR=$TMP/recorder
  mkdir -p "$RECORDER_DIR"
  run_to_files "$POLICYRUN" --policy "$POLICY" --delegate "$RECORDER" --root "$ROOT" \
    create --bundle "$BUNDLE" "$ID"
  assert_success
  jq -e --arg id "$ID" '.hooks.prestart[0].args[2] == $id' "$RECORDER_DIR/config-1.json"
  # policyrun check has no container to compare with.
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" check "$BUNDLE"
  [[ "$output$stderr" != *"not the container being created"* ]]
}
