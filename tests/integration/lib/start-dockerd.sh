#!/bin/bash
# Starts a dockerd of the tests' own, with policyrun registered as the
# runtime "policyrun", and prints its socket once it answers.
#
# The daemon never touches the host's network: no bridge, no iptables, so
# containers can only use --network none (or host, which the tests use only
# for a loose baseline that talks to a loopback listener).  Storage is vfs
# under a persistent data root so imported images survive between runs.
#
# Environment:
#   POLICYRUN            the binary under test (required)
#   POLICYRUN_TEST_ROOT  sockets, pid file, policy, state, logs (default /run/policyrun-test)
#   POLICYRUN_TEST_DATA  dockerd's data root (default /var/lib/policyrun-test-docker)
#   POLICYRUN_POLICY     a policy file to use as is; by default one is written
#                        with state_dir ROOT/state and the delegate runc from PATH
#
# Files it leaves in ROOT: docker.sock, dockerd.pid, dockerd.log,
# policyrun (a copy of the binary under test), policy.json, policyrun-wrapper (what dockerd runs: exec policyrun --policy
# POLICY "$@"), wrapper.log (one line per call: the arguments), env (shell
# assignments for all of the above), exec/containerd/containerd.sock.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=${POLICYRUN_TEST_ROOT:-/run/policyrun-test}
data=${POLICYRUN_TEST_DATA:-/var/lib/policyrun-test-docker}
docker_bin=${DOCKER_CLIENT:-/usr/bin/docker}
: "${POLICYRUN:?POLICYRUN must name the policyrun binary under test}"

die() {
	printf 'start-dockerd: %s\n' "$*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root"
command -v dockerd >/dev/null || die "dockerd not found (apt-get install docker.io)"
[ -x "$docker_bin" ] || die "docker client $docker_bin not found"
policyrun=$(readlink -f "$POLICYRUN")
[ -x "$policyrun" ] || die "policyrun binary not found: $POLICYRUN"
runc=$(command -v runc) || die "runc not found"

sock=$root/docker.sock
exec_root=$root/exec

# A daemon left over from an interrupted run would own the socket.
if [ -s "$root/dockerd.pid" ] && kill -0 "$(cat "$root/dockerd.pid")" 2>/dev/null; then
	"$here/stop-dockerd.sh" >&2 || die "a previous test dockerd is still running"
fi

mkdir -p "$root" "$data" "$exec_root" "$root/state"
chmod 0700 "$root"

policy=${POLICYRUN_POLICY:-$root/policy.json}
if [ -z "${POLICYRUN_POLICY:-}" ]; then
	printf '{"state_dir": "%s", "delegate": "%s"}\n' "$root/state" "$runc" >"$policy"
fi

# The daemon runs a copy, so that rebuilding the binary while a test file
# runs cannot make a container's runtime call fail half-way.
cp "$policyrun" "$root/policyrun.tmp"
mv "$root/policyrun.tmp" "$root/policyrun"
policyrun=$root/policyrun

# dockerd takes a runtime's path, not its arguments, so the policy is named
# by a one-line wrapper.  It logs its arguments so a failing test can show
# how Docker called the runtime.
wrapper=$root/policyrun-wrapper
cat >"$wrapper.tmp" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>'$root/wrapper.log'
exec '$policyrun' --policy '$policy' "\$@"
EOF
chmod 0755 "$wrapper.tmp"
mv "$wrapper.tmp" "$wrapper"
: >"$root/wrapper.log"

# No daemon.json of the host's may change this daemon's settings.
printf '{}\n' >"$root/daemon.json"

# fd 3 is closed so that bats, which waits for it, does not wait for the daemon.
setsid dockerd \
	--config-file "$root/daemon.json" \
	--data-root "$data" \
	--exec-root "$exec_root" \
	--pidfile "$root/dockerd.pid" \
	-H "unix://$sock" \
	--iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
	--bridge=none --userland-proxy=false \
	--storage-driver=vfs \
	--add-runtime "policyrun=$wrapper" \
	</dev/null >"$root/dockerd.log" 2>&1 3>&- &
daemon=$!

for _ in $(seq 600); do
	if "$docker_bin" -H "unix://$sock" version >/dev/null 2>&1; then
		break
	fi
	kill -0 "$daemon" 2>/dev/null || {
		tail -n 20 "$root/dockerd.log" >&2
		die "dockerd exited while starting (log: $root/dockerd.log)"
	}
	sleep 0.1
done
"$docker_bin" -H "unix://$sock" version >/dev/null 2>&1 || {
	tail -n 20 "$root/dockerd.log" >&2
	die "dockerd did not answer on $sock within 60s (log: $root/dockerd.log)"
}

# Containers an interrupted run left in the persistent data root go, and
# with them any private bundle, so every test file starts from nothing.
leftover=$("$docker_bin" -H "unix://$sock" ps -aq)
if [ -n "$leftover" ]; then
	# shellcheck disable=SC2086
	"$docker_bin" -H "unix://$sock" rm -f $leftover >/dev/null 2>&1 || true
fi
find "$root/state" -mindepth 1 -delete

cat >"$root/env" <<EOF
DOCKER_SOCK='$sock'
DOCKERD_PID='$daemon'
CONTAINERD_SOCK='$exec_root/containerd/containerd.sock'
POLICYRUN_WRAPPER='$wrapper'
POLICYRUN_TEST_POLICY='$policy'
POLICYRUN_TEST_STATE='$root/state'
DOCKER_EXEC_ROOT='$exec_root'
DOCKER_DATA_ROOT='$data'
EOF
printf '%s\n' "$sock"
