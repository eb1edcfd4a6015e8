#!/bin/bash
# Stops the containerd that start-containerd.sh started and leaves nothing
# of it running or mounted: its pods are stopped and removed through the
# CRI (as kubelet would), then the daemon is asked to stop; whatever is
# still there is ended one by one by pid: containers in its runc root,
# shims naming its socket, the daemon.  Its mounts (rootfs, shm, network
# namespaces, all under its state and data directories) are unmounted and
# the cgroups its pods had under /kubepods are removed.
#
# Usage: stop-containerd.sh [--purge]   (--purge also removes the data
# root: images and snapshots; without it they stay for the next run)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=${POLICYRUN_CRI_ROOT:-/run/policyrun-cri}
data=${POLICYRUN_CRI_DATA:-/var/lib/policyrun-cri}
sock=$root/containerd.sock
pidfile=$root/containerd.pid
runc_root=$root/runc

if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
	pid=$(cat "$pidfile")
	if [ -S "$sock" ]; then
		timeout 120 /usr/bin/python3 "$here/cri.py" --sock "$sock" cleanup >&2 ||
			printf 'stop-containerd: removing the pods through the CRI failed\n' >&2
	fi
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 300); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		printf 'stop-containerd: containerd %s did not stop in 30s; killing it\n' "$pid" >&2
		kill -KILL "$pid" 2>/dev/null
	fi
fi

# Containers the CRI did not remove: killed and deleted by the real runc.
if [ -d "$runc_root" ]; then
	for ns in "$runc_root"/*/; do
		[ -d "$ns" ] || continue
		for c in "$ns"*/; do
			[ -d "$c" ] || continue
			id=$(basename "$c")
			runc --root "${ns%/}" kill "$id" KILL >/dev/null 2>&1
			runc --root "${ns%/}" delete -f "$id" >/dev/null 2>&1
		done
	done
fi

# Shims that belong to this daemon name its socket on their command line.
for p in /proc/[0-9]*; do
	cmd=$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
	case $cmd in
	*containerd-shim*" -address $sock "* | *containerd-shim*" -address $sock") kill -KILL "${p#/proc/}" 2>/dev/null ;;
	esac
done

for dir in "$root" "$data"; do
	awk -v r="$dir/" 'index($5, r) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
done

# The pod cgroups (kubelet's cgroupfs layout /kubepods/podUID/ID); rmdir
# removes only empty ones, so a cgroup still in use stays.
for ctl in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
	[ -d "$ctl" ] || continue
	find "$ctl" -depth -mindepth 1 -type d -exec rmdir {} \; 2>/dev/null
	rmdir "$ctl" 2>/dev/null
done

rm -rf "$root"
if [ "${1:-}" = --purge ]; then
	rm -rf "$data"
fi
exit 0
