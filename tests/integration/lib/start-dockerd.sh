#!/bin/bash
# Starts a dockerd of the tests' own, with policyrun registered as the
# runtimes "policyrun" (runc) and "policyrun-gvisor" (runsc), and prints its
# socket once it answers.
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
# policyrun (a copy of the binary under test), policyrun-gvisor (a link to it),
# policy.json, policy-harden.json (the same in harden mode), policyrun-wrapper
# (what dockerd runs: exec policyrun --policy POLICY "$@"),
# policyrun-wrapper-gvisor (the same through policyrun-gvisor, for ctr),
# policyrun-wrapper-harden (policyrun with the policy that Docker's
# runtimeArgs name: the runtime "policyrun-harden"), daemon.json, wrapper.log
# (one line per call: the arguments), env (shell assignments for all of the
# above), exec/containerd/containerd.sock.
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
	runsc=$(command -v runsc || echo runsc)
	printf '{"state_dir": "%s", "trail_file": "%s", "delegate": "%s", "gvisor_delegate": "%s"}\n' \
		"$root/state" "$root/decisions.jsonl" "$runc" "$runsc" >"$policy"
fi

# The daemon runs a copy, so that rebuilding the binary while a test file
# runs cannot make a container's runtime call fail half-way.
cp "$policyrun" "$root/policyrun.tmp"
mv "$root/policyrun.tmp" "$root/policyrun"
# gVisor's exec'd processes start through the loader found beside policyrun.
loader=$(dirname "$policyrun")/policyrun-exec-seccomp
if [ -x "$loader" ]; then
	cp "$loader" "$root/policyrun-exec-seccomp.tmp"
	mv "$root/policyrun-exec-seccomp.tmp" "$root/policyrun-exec-seccomp"
fi
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

# Harden mode: the same policy with "mode": "harden", named by the runtime
# "policyrun-harden" through its runtimeArgs (dockerd puts them before the
# runtime's own arguments), run by a wrapper that names no policy itself.
policy_harden=$root/policy-harden.json
command -v jq >/dev/null || die "jq not found (it writes $policy_harden)"
jq '. + {"mode": "harden"}' "$policy" >"$policy_harden.tmp"
mv "$policy_harden.tmp" "$policy_harden"
cat >"$wrapper-harden.tmp" <<EOF
#!/bin/sh
printf 'harden %s\n' "\$*" >>'$root/wrapper.log'
exec '$policyrun' "\$@"
EOF
chmod 0755 "$wrapper-harden.tmp"
mv "$wrapper-harden.tmp" "$wrapper-harden"

# ctr's --runc-binary and containerd's BinaryName take a path and no
# arguments: gVisor is chosen by the binary's name, policyrun-gvisor (as
# `make install` links it).
ln -sfn policyrun "$root/policyrun-gvisor"
cat >"$wrapper-gvisor.tmp" <<EOF
#!/bin/sh
printf 'gvisor %s\n' "\$*" >>'$root/wrapper.log'
exec '$root/policyrun-gvisor' --policy '$policy' "\$@"
EOF
chmod 0755 "$wrapper-gvisor.tmp"
mv "$wrapper-gvisor.tmp" "$wrapper-gvisor"

# No daemon.json of the host's may change this daemon's settings.  The
# runtimes are registered here, as contrib/docker/daemon.json registers
# them: "policyrun" (runc), "policyrun-gvisor" (runsc, through Docker's
# runtimeArgs) and "policyrun-harden" (runc, the harden policy named by its
# runtimeArgs).  The "loose-gvisor-*" runtimes pass one runsc flag that
# loosens the sandbox each, as an operator's runtimeArgs might: policyrun
# must refuse every one of them.
loose_args=(--network=host --net-raw --host-uds=all --oci-seccomp=false --ignore-cgroups
	--overlay2=root:memory --TESTONLY-unsafe-nonroot --platform=kvm)
{
	printf '{"runtimes": {\n'
	printf '  "policyrun": {"path": "%s"},\n' "$wrapper"
	printf '  "policyrun-gvisor": {"path": "%s", "runtimeArgs": ["--gvisor"]},\n' "$wrapper"
	printf '  "policyrun-harden": {"path": "%s", "runtimeArgs": ["--policy", "%s"]}' \
		"$wrapper-harden" "$policy_harden"
	i=0
	for a in "${loose_args[@]}"; do
		printf ',\n  "loose-gvisor-%d": {"path": "%s", "runtimeArgs": ["--gvisor", "%s"]}' \
			"$i" "$wrapper" "$a"
		i=$((i + 1))
	done
	printf '\n}}\n'
} >"$root/daemon.json"
printf '%s\n' "${loose_args[@]}" >"$root/loose-gvisor-args"

# fd 3 is closed so that bats, which waits for it, does not wait for the daemon.
# Every image is built here: a pull of a missing one goes to a proxy on a
# closed loopback port and fails at once, never to a registry.
HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY='' \
	setsid dockerd \
	--config-file "$root/daemon.json" \
	--data-root "$data" \
	--exec-root "$exec_root" \
	--pidfile "$root/dockerd.pid" \
	-H "unix://$sock" \
	--iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
	--bridge=none --userland-proxy=false \
	--storage-driver=vfs \
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
POLICYRUN_GVISOR_WRAPPER='$wrapper-gvisor'
POLICYRUN_HARDEN_WRAPPER='$wrapper-harden'
POLICYRUN_TEST_HARDEN_POLICY='$policy_harden'
POLICYRUN_TEST_POLICY='$policy'
POLICYRUN_TEST_STATE='$root/state'
DOCKER_EXEC_ROOT='$exec_root'
DOCKER_DATA_ROOT='$data'
EOF
printf '%s\n' "$sock"
