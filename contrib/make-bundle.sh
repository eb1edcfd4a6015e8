#!/bin/bash
# Build a busybox OCI bundle that holds policyrun's floor:
#   contrib/make-bundle.sh DIR [COMMAND ARGS...]
# DIR/rootfs comes from Debian's busybox-static, DIR/config.json from
# `runc spec` edited with jq: read-only root, uid/gid 65534, no
# capabilities, no-new-privileges, 100 MiB without swap, half a CPU, 256
# pids, a fresh network namespace and a deny-by-default seccomp profile.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: make-bundle.sh DIR [COMMAND ARGS...]}
shift
[ $# -gt 0 ] || set -- echo "hello from a policyrun container"
busybox=$(command -v busybox || true)
[ -n "$busybox" ] && file -L "$busybox" 2>/dev/null | grep -q static || busybox=/bin/busybox
[ -x "$busybox" ] || { echo "make-bundle.sh: busybox-static is needed (apt-get install busybox-static)" >&2; exit 1; }
mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/sys" "$dir/rootfs/dev" "$dir/rootfs/tmp" "$dir/rootfs/etc"
cp "$busybox" "$dir/rootfs/bin/busybox"
for applet in $("$dir/rootfs/bin/busybox" --list); do
  [ -e "$dir/rootfs/bin/$applet" ] || ln -s busybox "$dir/rootfs/bin/$applet"
done
echo "nobody:x:65534:65534:nobody:/:/bin/sh" > "$dir/rootfs/etc/passwd"
echo "nogroup:x:65534:" > "$dir/rootfs/etc/group"
rm -f "$dir/config.json"
(cd "$dir" && runc spec)
args=$(printf '%s\n' "$@" | jq -R . | jq -s .)
jq --argjson args "$args" --slurpfile seccomp "$here/seccomp.json" '
  .process.terminal = false
  | .process.args = $args
  | .process.user = {"uid": 65534, "gid": 65534}
  | .process.capabilities = {}
  | .process.noNewPrivileges = true
  | .root.readonly = true
  | .hostname = "policyrun"
  | .linux.resources.memory = {"limit": 104857600, "swap": 104857600}
  | .linux.resources.cpu = {"quota": 50000, "period": 100000}
  | .linux.resources.pids = {"limit": 256}
  | .linux.seccomp = $seccomp[0]
' "$dir/config.json" > "$dir/config.json.new"
mv "$dir/config.json.new" "$dir/config.json"
