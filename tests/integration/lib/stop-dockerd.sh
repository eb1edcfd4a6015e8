#!/bin/bash
# Stops the dockerd that start-dockerd.sh started: removes its containers
# (so the vfs data root does not grow run after run), then asks the daemon to
# stop, and only if it does not, kills it and the containerd and shims that
# belong to it (found by their socket path, killed one by one by pid).
set -uo pipefail

root=${POLICYRUN_TEST_ROOT:-/run/policyrun-test}
docker_bin=${DOCKER_CLIENT:-/usr/bin/docker}
sock=$root/docker.sock
exec_root=$root/exec
pidfile=$root/dockerd.pid

[ -s "$pidfile" ] || exit 0
pid=$(cat "$pidfile")
if ! kill -0 "$pid" 2>/dev/null; then
	rm -f "$pidfile"
	exit 0
fi

if [ -S "$sock" ]; then
	ids=$(timeout 30 "$docker_bin" -H "unix://$sock" ps -aq 2>/dev/null || true)
	if [ -n "$ids" ]; then
		# shellcheck disable=SC2086
		timeout 60 "$docker_bin" -H "unix://$sock" rm -f $ids >/dev/null 2>&1 || true
	fi
fi

kill -TERM "$pid" 2>/dev/null
for _ in $(seq 300); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
	printf 'stop-dockerd: dockerd %s did not stop in 30s; killing it\n' "$pid" >&2
	kill -KILL "$pid" 2>/dev/null
fi

# Whatever still names this daemon's containerd socket (its containerd, its
# shims) is ours and is stopped.
for p in /proc/[0-9]*; do
	cmd=$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
	case $cmd in
	*"$exec_root/containerd/"*) kill -KILL "${p#/proc/}" 2>/dev/null ;;
	esac
done

# Network namespaces and mounts dockerd keeps under its exec root.
if [ -d "$exec_root" ]; then
	awk -v r="$exec_root" 'index($5, r) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
fi
rm -f "$pidfile" "$sock"
exit 0
