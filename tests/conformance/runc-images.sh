#!/bin/bash
# runc-images.sh TESTDATA: the root filesystems runc's integration tests
# unpack (tests/integration/get-images.sh downloads them; this machine has
# no internet), built locally from Debian packages under the names
# get-images.sh looks for, so it finds them and downloads nothing.
#   busybox-ARCH.tar.xz  Debian's busybox-static, one hard link per applet,
#                        and the passwd/group of the busybox image
#   debian-ARCH.tar.xz   debootstrap --variant=minbase of this machine's
#                        release (only hooks.bats uses it), from the mirror
#                        apt already uses
# Both are required: get-images.sh, which every test file runs, would try
# to download a missing one.  debootstrap gets RUNC_IMAGES_TIMEOUT seconds
# (default 900): a mirror that stops answering fails the build, it does not
# hang it.
set -euo pipefail

testdata=$1
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tests/integration/lib/debian-mirror.sh
. "$here/../integration/lib/debian-mirror.sh"
arch=$(go env GOARCH)
mkdir -p "$testdata"

busybox_image ()
{
  local out=$testdata/busybox-$arch.tar.xz
  [ -e "$out" ] && return 0
  local busybox=/bin/busybox
  [ -x "$busybox" ] && "$busybox" --list > /dev/null \
    || { echo "runc-images.sh: install busybox-static" >&2; return 1; }
  if ldd "$busybox" > /dev/null 2>&1; then
    echo "runc-images.sh: $busybox is not static (install busybox-static)" >&2
    return 1
  fi
  local dir
  dir=$(mktemp -d)
  # The image's root is the container's /: mktemp's 0700 would keep every
  # user but root out of it.  No /proc or /sys, as in the busybox image:
  # mask.bats replaces them with symlinks and expects runc to refuse.
  chmod 0755 "$dir"
  mkdir -p "$dir"/{bin,dev,etc,home,root,tmp,usr/sbin,var/spool/mail,var/www}
  chmod 1777 "$dir/tmp"
  chmod 0700 "$dir/root"
  cp "$busybox" "$dir/bin/busybox"
  local applet
  for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln "$dir/bin/busybox" "$dir/bin/$applet"
  done
  cat > "$dir/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
PASSWD
  cat > "$dir/etc/group" <<'GROUP'
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
kmem:x:9:
wheel:x:10:root
cdrom:x:11:
dialout:x:18:
floppy:x:19:
video:x:28:
audio:x:29:
tape:x:32:
www-data:x:33:
operator:x:37:
utmp:x:43:
plugdev:x:46:
staff:x:50:
lock:x:54:
netdev:x:82:
users:x:100:
nobody:x:65534:
GROUP
  tar --numeric-owner --owner=0 --group=0 -C "$dir" -cJf "$out.tmp" .
  mv "$out.tmp" "$out"
  rm -rf "$dir"
}

debian_image ()
{
  local out=$testdata/debian-$arch.tar.xz suite mirror dir
  [ -e "$out" ] && return 0
  command -v debootstrap > /dev/null || { echo "runc-images.sh: install debootstrap" >&2; return 1; }
  suite=$(codename)
  mirror=$(find_mirror "$suite") \
    || { echo "runc-images.sh: no Debian mirror for $suite in apt's sources; set DEBIAN_MIRROR" >&2; return 1; }
  dir=$(mktemp -d)
  chmod 0755 "$dir"
  if timeout -k 30 "${RUNC_IMAGES_TIMEOUT:-900}" debootstrap --variant=minbase "$suite" "$dir" "$mirror" \
    > "$testdata/debootstrap.log" 2>&1; then
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    XZ_OPT=-T0 tar --numeric-owner -C "$dir" -cJf "$out.tmp" .
    mv "$out.tmp" "$out"
    remove_tree "$dir"
  else
    echo "runc-images.sh: debootstrap $suite from $mirror failed or timed out;" \
      "last lines of $testdata/debootstrap.log:" >&2
    tail -n 20 "$testdata/debootstrap.log" >&2
    remove_tree "$dir"
    return 1
  fi
}

# remove_tree DIR: what a killed debootstrap leaves mounted inside (proc,
# sys, a bind of the host's /dev) is unmounted first, and rm never crosses
# into a mount.
remove_tree ()
{
  local m
  awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r \
    | while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$1"
}

busybox_image
debian_image
