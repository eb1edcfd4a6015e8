#!/bin/bash
# Imports the two test images into a private Podman store, from the root
# filesystem tarballs that lib/build-python-image.sh keeps in its cache
# (POLICYRUN_TEST_CACHE, default /var/cache/policyrun-test):
#   policyrun-test/python:bookworm  python-CODENAME-minbase.tar (debootstrap)
#   policyrun-test/busybox:latest   busybox.tar (busybox-static)
# The busybox tarball is built here when it is missing; the python one needs
# debootstrap and a mirror, which build-python-image.sh handles: exit 2 (and
# say so) when it is missing.
#
# usage: import-podman-images.sh PODMAN_GLOBAL_FLAGS...
#   e.g. import-podman-images.sh --root R --runroot RR --tmpdir T
set -euo pipefail

cache=${POLICYRUN_TEST_CACHE:-/var/cache/policyrun-test}
python_image=${POLICYRUN_PYTHON_IMAGE:-policyrun-test/python:bookworm}
busybox_image=${POLICYRUN_BUSYBOX_IMAGE:-policyrun-test/busybox:latest}
log() { printf 'import-podman-images: %s\n' "$*" >&2; }
pm() { podman "$@"; }

codename=bookworm
if [ -r /etc/os-release ]; then
	# shellcheck disable=SC1091
	codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-bookworm}")
fi
python_tar=$cache/python-$codename-minbase.tar
busybox_tar=$cache/busybox.tar

if [ ! -s "$busybox_tar" ]; then
	bb=$(command -v busybox)
	dir=$(mktemp -d)
	chmod 0755 "$dir"
	mkdir -p "$dir"/{bin,etc,tmp,mnt,proc,sys,dev,root}
	cp "$bb" "$dir/bin/busybox"
	for applet in $("$bb" --list); do
		[ "$applet" = busybox ] || ln -s busybox "$dir/bin/$applet"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
		>"$dir/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
	chmod 1777 "$dir/tmp"
	mkdir -p "$cache"
	tar --numeric-owner -C "$dir" -cf "$busybox_tar.tmp" .
	mv "$busybox_tar.tmp" "$busybox_tar"
	rm -rf "$dir"
fi
if [ ! -s "$python_tar" ]; then
	log "no $python_tar: build it with tests/integration/lib/build-python-image.sh (debootstrap)"
	exit 2
fi

import() {
	local image=$1 tarball=$2 cmd=$3
	pm "${flags[@]}" image exists "$image" && return 0
	pm "${flags[@]}" import \
		--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		--change "CMD [\"$cmd\"]" "$tarball" "$image" >/dev/null
}

flags=("$@")
import "localhost/$busybox_image" "$busybox_tar" sh
import "localhost/$python_image" "$python_tar" python3
