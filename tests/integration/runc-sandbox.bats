#!/usr/bin/env bats
# Kubernetes' pod sandboxes and app containers at runc's level (issue 9,
# points 3 and 4; src/sandbox.c): a config annotated as a CRI sandbox may
# join a fresh network namespace (here one from `ip netns add`, holding only
# lo), and is recorded at start; a config annotated as an app container may
# join namespaces by path only when they are those policyrun recorded for
# the sandbox its io.kubernetes.cri.sandbox-id names.  The runtime root ends
# in /k8s.io, as containerd's CRI names it (the io.kubernetes.cri.*
# annotations are refused under any other).

load helpers

setup ()
{
  setup_bundle
  requires_ip_netns
  ROOT=$TMP/k8s.io
  mkdir -p "$ROOT"
  SID=sb$$-$BATS_TEST_NUMBER
  NETNS=policyrun-test-$$-$BATS_TEST_NUMBER
  APP=$BUNDLE-app
  cp -a "$BUNDLE" "$APP"
  ip netns add "$NETNS"
  sandbox_config "$BUNDLE" "/run/netns/$NETNS"
}

teardown ()
{
  local id
  for id in "$ID" "$SID"; do
    __runc kill "$id" KILL > /dev/null 2>&1 || true
    __runc delete -f "$id" > /dev/null 2>&1 || true
  done
  [ -z "${HOLDER:-}" ] || kill "$HOLDER" 2> /dev/null || true
  [ -z "${NETNS:-}" ] || ip netns delete "$NETNS" 2> /dev/null || true
  teardown_bundle
  if [ -n "${TMP:-}" ]; then poll_until no_helpers_left; fi
}

requires_ip_netns ()
{
  command -v ip > /dev/null || skip "test requires ip (iproute2) for a network namespace"
}

# sandbox_config DIR NETNS-PATH: a pause-like sandbox that joins NETNS-PATH.
sandbox_config ()
{
  update_config --arg sid "$SID" --arg ns "$2" '
      .process.args = ["sleep", "1000"]
    | .annotations = {"io.kubernetes.cri.container-type": "sandbox",
                      "io.kubernetes.cri.sandbox-id": $sid}
    | .linux.namespaces = [.linux.namespaces[] | if .type == "network" then .path = $ns else . end]' "$1"
}

# app_config PID [TYPES]: the app container of $SID, joining the network,
# ipc and uts namespaces (or TYPES, a jq array) of process PID by path.
app_config ()
{
  local types=${2:-'["network","ipc","uts"]'}
  update_config --arg sid "$SID" --arg pid "$1" --argjson types "$types" '
      .process.args = ["sh", "-c", "for t in net ipc uts; do readlink /proc/self/ns/$t; done; cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d \" \""]
    | .annotations = {"io.kubernetes.cri.container-type": "container",
                      "io.kubernetes.cri.sandbox-id": $sid}
    | .linux.namespaces = [.linux.namespaces[]
        | .type as $t
        | if ($types | index($t)) then
            .path = "/proc/" + $pid + "/ns/" + (if $t == "network" then "net" else $t end)
          else . end]' "$APP"
}

# Create and start the sandbox $SID through policyrun; prints nothing.
start_sandbox ()
{
  run_to_files policyrun create --bundle "$BUNDLE" "$SID"
  [ "$status" -eq 0 ] || fail "sandbox create failed ($status): $stderr"
  run --separate-stderr policyrun start "$SID"
  [ "$status" -eq 0 ] || fail "sandbox start failed ($status): $stderr"
  wait_for_status "$SID" running
  SANDBOX_PID=$(__runc state "$SID" | jq -r .pid)
}

@test "sandbox: a fresh netns holding only lo is joined, and the attested sandbox is recorded" {
  run_to_files policyrun create --bundle "$BUNDLE" "$SID"
  assert_success
  [ ! -e "$(private_bundle "$SID")/sandbox" ] || fail "recorded before its start attestation"
  run --separate-stderr policyrun start "$SID"
  assert_success
  local pid rec
  pid=$(__runc state "$SID" | jq -r .pid)
  [ "$(stat -L -c %i "/proc/$pid/ns/net")" = "$(stat -L -c %i "/run/netns/$NETNS")" ] \
    || fail "the sandbox is not in the netns it was given"
  rec=$(private_bundle "$SID")/sandbox
  [ "$(stat -c '%a %u' "$rec")" = "600 0" ] || fail "record mode/owner: $(stat -c '%a %u' "$rec")"
  grep -qx "pid $pid [0-9]*" "$rec" || fail "record: $(cat "$rec")"
  grep -qx "net $(stat -L -c '%d %i' "/proc/$pid/ns/net")" "$rec" \
    || fail "net identity: $(cat "$rec") vs $(stat -L -c '%d %i' "/proc/$pid/ns/net")"
  __runc kill "$SID" KILL
  wait_for_status "$SID" stopped
  run policyrun delete "$SID"
  assert_success
  [ ! -e "$(private_bundle "$SID")" ] || fail "the record outlived delete"
}

@test "sandbox: a netns another process is in is refused at create" {
  ip netns exec "$NETNS" sleep 1000 > /dev/null 2>&1 3>&- &
  HOLDER=$!
  # The holder is in the namespace once `ip` has exec'd sleep.
  poll_until holder_in_netns
  ID=$SID refuse_create network 'linux.namespaces\[[0-9]\]\.path'
  [[ "$stderr" == *"is in it already"* ]] || fail "reason: $stderr"
}

holder_in_netns ()
{
  [ "$(readlink "/proc/$HOLDER/exe" 2> /dev/null)" != "$(readlink -f "$(command -v ip)")" ] \
    && [ "$(stat -L -c %i "/proc/$HOLDER/ns/net")" = "$(stat -L -c %i "/run/netns/$NETNS")" ]
}

@test "sandbox: the host's netns, a /proc path and a netns with an interface besides lo are refused" {
  sandbox_config "$BUNDLE" /proc/1/ns/net
  ID=$SID refuse_create network 'linux.namespaces\[[0-9]\]\.path'
  [[ "$stderr" == *"under /proc"* ]] || fail "reason: $stderr"

  ln -s /proc/1/ns/net "$TMP/hostnet"
  sandbox_config "$BUNDLE" "$TMP/hostnet"
  ID=$SID refuse_create network 'linux.namespaces\[[0-9]\]\.path'

  touch "$TMP/plain"
  sandbox_config "$BUNDLE" "$TMP/plain"
  ID=$SID refuse_create network 'linux.namespaces\[[0-9]\]\.path'
  [[ "$stderr" == *"not a namespace file"* ]] || fail "reason: $stderr"

  if ip -n "$NETNS" link add policyrun0 type dummy 2> /dev/null \
    || ip -n "$NETNS" link add policyrun0 type bridge 2> /dev/null; then
    sandbox_config "$BUNDLE" "/run/netns/$NETNS"
    ID=$SID refuse_create network 'linux.namespaces\[[0-9]\]\.path'
    [[ "$stderr" == *"interfaces [policyrun0]"* ]] || fail "reason: $stderr"
  else
    echo "# neither dummy nor bridge interfaces on this kernel: the interface case is left out" >&3
  fi
}

@test "sandbox: an app container joins its recorded sandbox's net, ipc and uts and runs" {
  start_sandbox
  app_config "$SANDBOX_PID"
  local out=$TMP/app.out
  policyrun create --bundle "$APP" "$ID" > "$out" 2> "$TMP/app.err" < /dev/null \
    || fail "app create refused: $(cat "$TMP/app.err")"
  run --separate-stderr policyrun start "$ID"
  assert_success
  wait_for_status "$ID" stopped
  mapfile -t lines < "$out"
  [ "${lines[0]}" = "$(readlink "/proc/$SANDBOX_PID/ns/net")" ] || fail "net: ${lines[*]}"
  [ "${lines[1]}" = "$(readlink "/proc/$SANDBOX_PID/ns/ipc")" ] || fail "ipc: ${lines[*]}"
  [ "${lines[2]}" = "$(readlink "/proc/$SANDBOX_PID/ns/uts")" ] || fail "uts: ${lines[*]}"
  [ "${lines[3]}" = lo ] && [ "${#lines[@]}" -eq 4 ] || fail "interfaces: ${lines[*]:3}"
}

@test "sandbox: an app container joining a process policyrun did not record is refused" {
  ip netns exec "$NETNS" sleep 1000 > /dev/null 2>&1 3>&- &
  HOLDER=$!
  poll_until holder_in_netns
  app_config "$HOLDER"
  # No sandbox of that id at all.
  BUNDLE=$APP refuse_create network 'linux.namespaces\[[0-9]\]\.path'
  [[ "$stderr" == *"policyrun created no sandbox \"$SID\""* ]] || fail "reason: $stderr"
  assert_violation namespaces 'linux.namespaces\[[0-9]\]\.path'

  # A recorded sandbox of that id, but the path is another process's.
  ip netns delete "$NETNS"
  ip netns add "$NETNS"
  start_sandbox
  BUNDLE=$APP refuse_create network 'linux.namespaces\[[0-9]\]\.path'
  [[ "$stderr" == *"is not the network namespace of sandbox \"$SID\""* ]] || fail "reason: $stderr"
}

@test "sandbox: a sandbox created but never started (not attested) cannot be joined" {
  run_to_files policyrun create --bundle "$BUNDLE" "$SID"
  assert_success
  app_config "$(__runc state "$SID" | jq -r .pid)"
  BUNDLE=$APP refuse_create network 'linux.namespaces\[[0-9]\]\.path'
  [[ "$stderr" == *"never attested"* ]] || fail "reason: $stderr"
}

@test "sandbox: the app's start is refused once its sandbox's pause process is gone" {
  start_sandbox
  app_config "$SANDBOX_PID" '["ipc","uts"]'
  run_to_files policyrun create --bundle "$APP" "$ID"
  assert_success
  __runc kill "$SID" KILL
  wait_for_status "$SID" stopped
  run --separate-stderr policyrun start "$ID"
  [ "$status" -ne 0 ] || fail "the app started after its sandbox was gone"
  [[ "$stderr" == *"namespaces: the pause process of sandbox \"$SID\""*"is gone"* ]] || fail "reason: $stderr"
  wait_for_status "$ID" stopped
}

@test "sandbox: the annotations mean nothing under a root that is not containerd's CRI" {
  ROOT=$TMP/moby
  mkdir -p "$ROOT"
  ID=$SID refuse_create annotations 'annotations\.io\.kubernetes\.cri\.container-type'
  assert_violation network 'linux.namespaces\[[0-9]\]\.path'
}
