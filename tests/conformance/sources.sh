#!/bin/bash
# sources.sh PACKAGE CACHEDIR: Debian's source of PACKAGE, unpacked under
# CACHEDIR (reused when already there); prints the unpacked directory.
#
# The source comes from a deb-src entry signed by Debian's archive keyring.
# The entry's file is shared with the other conformance suite and written
# with exactly the same content; apt-get update runs only when the file is
# new, so a second call (or the other suite) costs nothing.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 PACKAGE CACHEDIR" >&2
  exit 2
fi
package=$1 cache=$2
# A mirror that stops answering fails the fetch within minutes instead of
# holding the test run: apt's own timeout and retries, then a hard limit.
apt_opts=(-o Acquire::http::Timeout=60 -o Acquire::Retries=2)
limit=${SOURCES_TIMEOUT:-900}

list=/etc/apt/sources.list.d/policyrun-deb-src.sources
entry='Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg'

if [ ! -f "$list" ] || [ "$(cat "$list")" != "$entry" ]; then
  [ -f "$list" ] && new=changed || new=new
  tmp=$(mktemp "$list.XXXXXX")
  printf '%s\n' "$entry" > "$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$list"
  echo "sources.sh: $list is $new; apt-get update" >&2
  # The entry stays only once apt has read it: a failed update is tried
  # again by the next call.
  timeout -k 30 "$limit" apt-get "${apt_opts[@]}" update -qq >&2 \
    || { rm -f "$list"; echo "sources.sh: apt-get update failed" >&2; exit 1; }
fi

mkdir -p "$cache"
# apt-get source unpacks into PACKAGE-UPSTREAMVERSION; one stamp per
# package says which directory a finished unpack left.
stamp=$cache/.$package.dir
if [ -f "$stamp" ] && [ -d "$cache/$(cat "$stamp")" ]; then
  echo "$cache/$(cat "$stamp")"
  exit 0
fi
work=$(mktemp -d "$cache/.get-$package.XXXXXX")
trap 'rm -rf "$work"' EXIT
if ! (cd "$work" && timeout -k 30 "$limit" apt-get "${apt_opts[@]}" source -qq "$package" > "$work.log" 2>&1); then
  cat "$work.log" >&2
  rm -f "$work.log"
  echo "sources.sh: apt-get source $package failed" >&2
  exit 1
fi
rm -f "$work.log"
dir=$(find "$work" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | head -n1)
[ -n "$dir" ] || { echo "sources.sh: apt-get source $package unpacked nothing" >&2; exit 1; }
rm -rf "${cache:?}/$dir"
mv "$work/$dir" "$cache/$dir"
printf '%s\n' "$dir" > "$stamp"
echo "$cache/$dir"
