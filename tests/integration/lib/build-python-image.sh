#!/bin/bash
# Builds the two images the Docker tests run, from this machine's own
# Debian packages, and imports them into the test dockerd:
#   policyrun-test/python  debootstrap --variant=minbase --include=python3
#   policyrun-test/busybox busybox-static, for tests that only need a shell
# The debootstrap tree is cached as a tarball (POLICYRUN_TEST_CACHE, default
# /var/cache/policyrun-test) so only the first run pays for it; an image that
# the daemon already has is not imported again.
#
# usage: build-python-image.sh [DOCKER_SOCKET]   (default: $POLICYRUN_TEST_ROOT/docker.sock)
set -euo pipefail

root=${POLICYRUN_TEST_ROOT:-/run/policyrun-test}
sock=${1:-$root/docker.sock}
cache=${POLICYRUN_TEST_CACHE:-/var/cache/policyrun-test}
docker_bin=${DOCKER_CLIENT:-/usr/bin/docker}
python_image=${POLICYRUN_PYTHON_IMAGE:-policyrun-test/python:bookworm}
busybox_image=${POLICYRUN_BUSYBOX_IMAGE:-policyrun-test/busybox:latest}

docker() { "$docker_bin" -H "unix://$sock" "$@"; }
log() { printf 'build-python-image: %s\n' "$*" >&2; }

# codename, find_mirror: this machine's release and the mirror apt uses.
# shellcheck source=tests/integration/lib/debian-mirror.sh
. "$(dirname "$(readlink -f "$0")")/debian-mirror.sh"

build_python_tarball() {
	local tarball=$1 suite mirror dir start
	suite=$(codename)
	if ! mirror=$(find_mirror "$suite"); then
		log "no Debian mirror for '$suite' found in /etc/apt/sources.list*; set DEBIAN_MIRROR"
		return 1
	fi
	dir=$(mktemp -d "$cache/rootfs.XXXXXX")
	chmod 0755 "$dir" # mktemp's 0700 would become the image's / and lock out non-root users
	start=$(date +%s)
	log "debootstrap --variant=minbase --include=python3 $suite from $mirror"
	if ! debootstrap --variant=minbase --include=python3 "$suite" "$dir" "$mirror" \
		>"$cache/debootstrap.log" 2>&1; then
		log "debootstrap failed; last lines of $cache/debootstrap.log:"
		tail -n 20 "$cache/debootstrap.log" >&2
		rm -rf "$dir"
		return 1
	fi
	# Nothing the tests need, and every container copies the tree (vfs).
	rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* \
		"$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/locale/* \
		"$dir"/usr/share/info/*
	tar --numeric-owner -C "$dir" -cf "$tarball.tmp" .
	mv "$tarball.tmp" "$tarball"
	rm -rf "$dir"
	log "python rootfs built in $(($(date +%s) - start))s: $tarball ($(du -h "$tarball" | cut -f1))"
}

build_busybox_tarball() {
	local tarball=$1 dir bb
	bb=$(command -v busybox)
	dir=$(mktemp -d "$cache/busybox.XXXXXX")
	chmod 0755 "$dir"
	mkdir -p "$dir"/{bin,etc,tmp,mnt,proc,sys,dev,root}
	cp "$bb" "$dir/bin/busybox"
	# The tree holds no libc: only a static busybox runs in it.
	if ! chroot "$dir" /bin/busybox true 2>/dev/null; then
		log "$bb does not run without a libc; install busybox-static"
		rm -rf "$dir"
		return 1
	fi
	local applet
	for applet in $("$bb" --list); do
		[ "$applet" = busybox ] || ln -s busybox "$dir/bin/$applet"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
		>"$dir/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
	chmod 1777 "$dir/tmp"
	tar --numeric-owner -C "$dir" -cf "$tarball.tmp" .
	mv "$tarball.tmp" "$tarball"
	rm -rf "$dir"
}

# The image carries the checksum of the tarball it came from, so a rebuilt
# tarball is imported again and an unchanged one is not.
import() {
	local image=$1 tarball=$2 cmd=$3 sum have
	if [ ! -s "$tarball.sha256" ] || [ "$tarball" -nt "$tarball.sha256" ]; then
		sha256sum "$tarball" | cut -d' ' -f1 >"$tarball.sha256"
	fi
	sum=$(cat "$tarball.sha256")
	have=$(docker image inspect --format '{{index .Config.Labels "policyrun.test.tarball"}}' "$image" \
		2>/dev/null || true)
	if [ "$have" = "$sum" ]; then
		return 0
	fi
	docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		--change "CMD [\"$cmd\"]" --change "LABEL policyrun.test.tarball=$sum" \
		"$tarball" "$image" >/dev/null
	# The image this one replaced, if any, is of no further use.
	docker image prune -f >/dev/null
	log "imported $image"
}

mkdir -p "$cache"
codename_tag=$(codename)
python_tar=$cache/python-$codename_tag-minbase.tar
busybox_tar=$cache/busybox.tar
[ -s "$python_tar" ] || build_python_tarball "$python_tar"
# The busybox tree is rebuilt when the host's busybox changes.
if [ ! -s "$busybox_tar" ] || [ "$(command -v busybox)" -nt "$busybox_tar" ]; then
	build_busybox_tarball "$busybox_tar"
fi
import "$python_image" "$python_tar" python3
import "$busybox_image" "$busybox_tar" sh
