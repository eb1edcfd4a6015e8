#!/bin/bash
# Builds the CRI rig's two images from this machine's own files and imports
# them into the rig's containerd (namespace k8s.io, where the CRI looks):
#   policyrun.test/pause:1    pause.c compiled with gcc -static, run as
#                             65535:65535 like Kubernetes' pause image
#   policyrun.test/busybox:1  Debian's busybox-static with its applet links
# Nothing is pulled from anywhere.
#
# Usage: build-images.sh SOCKET WORKDIR
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
sock=${1:?usage: build-images.sh SOCKET WORKDIR}
work=${2:?usage: build-images.sh SOCKET WORKDIR}
busybox=${BUSYBOX:-/bin/busybox}

die() {
	printf 'build-images: %s\n' "$*" >&2
	exit 1
}

command -v gcc >/dev/null || die "gcc not found (apt-get install gcc libc6-dev)"
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
	die "$busybox is not a static busybox (apt-get install busybox-static)"

rm -rf "$work"
mkdir -p "$work/pause/rootfs" "$work/busybox/rootfs"

# pause: one static binary and nothing else.
gcc -static -O2 -Wall -Wextra -Werror -o "$work/pause/rootfs/pause" "$here/pause.c"
"$here/mkimage.py" --rootfs "$work/pause/rootfs" --name policyrun.test/pause:1 \
	--entrypoint /pause --user 65535:65535 --out "$work/pause.tar" >/dev/null

# busybox: the binary, a link per applet, the directories a container's
# mounts land on, and the users the tests name.
bb=$work/busybox/rootfs
mkdir -p "$bb/bin" "$bb/etc" "$bb/proc" "$bb/sys" "$bb/dev" "$bb/tmp" "$bb/run" "$bb/var"
chmod 1777 "$bb/tmp"
cp "$busybox" "$bb/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$bb/bin/$applet"
done
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$bb/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$bb/etc/group"
"$here/mkimage.py" --rootfs "$bb" --name policyrun.test/busybox:1 \
	--cmd /bin/sh --out "$work/busybox.tar" >/dev/null

for img in pause busybox; do
	ctr -a "$sock" -n k8s.io images import --snapshotter overlayfs \
		"$work/$img.tar" >"$work/$img.import.log" 2>&1 ||
		die "ctr images import $img failed: $(cat "$work/$img.import.log")"
done
