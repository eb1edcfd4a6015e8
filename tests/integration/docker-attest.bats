#!/usr/bin/env bats
# Start-time network attestation, done the way a networked engine wires a
# container: `policyrun create` a real runc container (a fresh network
# namespace that passes every config rule), move one end of a veth pair into
# its namespace, then `policyrun start`.  No config field shows the link;
# only a look into the namespace does.  The link gets no address and carries
# no traffic.  (No dockerd here: Docker never wires a --network none
# container, and the tests never give Docker a bridge.)

load helpers

setup ()
{
  setup_bundle
  command -v ip > /dev/null || skip "test requires ip (iproute2)"
  update_config '.process.args = ["sleep", "300"]'
  # Interface names are at most 15 bytes; the pid keeps parallel runs apart.
  VETH=prv$$
  VETH_PEER=prp$$
}

teardown ()
{
  ip link del "$VETH" 2> /dev/null || true
  teardown_bundle
}

# The interfaces in the network namespace of PID, comma-separated.
netns_links ()
{
  nsenter -t "$1" -n ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | paste -sd, -
}

# A process that is gone or a zombie runs nothing.
assert_not_running ()
{
  local pid=$1 state
  state=$(awk '/^State:/ { print $2 }' "/proc/$pid/status" 2> /dev/null || true)
  [ -z "$state" ] || [ "$state" = Z ] || [ "$state" = X ] \
    || fail "process $pid is still alive (state $state): $(tr '\0' ' ' < "/proc/$pid/cmdline")"
}

@test "start refuses a created container whose network namespace was given a veth, and kills it" {
  policyrun create --bundle "$BUNDLE" "$ID"
  local pid
  pid=$(__runc state "$ID" | jq -r .pid)
  [ "$pid" -gt 0 ]
  [ "$(netns_links "$pid")" = lo ]
  local cg
  cg=$(container_cgroup "$ID" pids)

  ip link add "$VETH" type veth peer name "$VETH_PEER"
  ip link set "$VETH_PEER" netns "$pid"
  [ "$(netns_links "$pid")" = "lo,$VETH_PEER" ]

  rm -f "$LOG"
  run --separate-stderr policyrun --log "$LOG" --log-format json start "$ID"
  assert_error "^policyrun: refused by floor" "network" "$VETH_PEER" "--network none"
  assert_log_line "$stderr"

  # The user's process never ran and nothing of the container is left running.
  local i
  for i in $(seq 50); do
    [ "$(container_status "$ID")" != running ] && [ "$(container_status "$ID")" != created ] && break
    sleep 0.1
  done
  [ "$(container_status "$ID")" = stopped ] || [ "$(container_status "$ID")" = absent ]
  assert_not_running "$pid"
  if [ -e "$cg/cgroup.procs" ]; then
    [ -z "$(cat "$cg/cgroup.procs")" ] || fail "processes left in $cg: $(cat "$cg/cgroup.procs")"
  fi
}

@test "start runs the same container when its namespace holds only lo (a host veth is not its concern)" {
  # A veth on the host, not in the container: nothing the container can use.
  ip link add "$VETH" type veth peer name "$VETH_PEER"
  policyrun create --bundle "$BUNDLE" "$ID"
  local pid
  pid=$(__runc state "$ID" | jq -r .pid)

  run --separate-stderr policyrun start "$ID"
  [ "$status" -eq 0 ] || fail "start failed: $stderr"
  wait_for_status "$ID" running
  [ "$(netns_links "$pid")" = lo ]
  # The user's process is what runs now, with no address but loopback's.
  [ "$(tr '\0' ' ' < "/proc/$pid/cmdline")" = "sleep 300 " ]
  local addrs
  addrs=$(nsenter -t "$pid" -n ip -o addr show | awk '$2 != "lo"')
  [ -z "$addrs" ]
}
