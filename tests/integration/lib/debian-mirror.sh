#!/bin/bash
# Sourced: the Debian release this machine runs and the mirror its apt
# already uses, for the tests that build root filesystems with debootstrap
# (lib/build-python-image.sh, tests/conformance/runc-images.sh).  The test
# machines reach no host but the package mirror, so debootstrap must use
# apt's own, never a name written here.

codename() {
	local c=""
	if [ -r /etc/os-release ]; then
		# shellcheck disable=SC1091
		c=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
	fi
	printf '%s' "${c:-bookworm}"
}

# The Debian mirror this machine already uses, read from apt's own sources
# (deb822 .sources files and one-line .list files): the first URI that
# serves the release's main suite.  DEBIAN_MIRROR overrides.
find_mirror() {
	local suite=$1 f uri
	if [ -n "${DEBIAN_MIRROR:-}" ]; then
		printf '%s' "$DEBIAN_MIRROR"
		return 0
	fi
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		uri=$(awk -v suite="$suite" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uris != "" && !done) {
					split(uris, u, " "); print u[1]; done = 1
				}
				types = ""; suites = ""; uris = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^[ \t]*#/ { next }
			tolower($1) == "types:" { $1 = ""; types = $0 }
			tolower($1) == "suites:" { $1 = ""; suites = $0 }
			tolower($1) == "uris:" { $1 = ""; sub(/^ +/, ""); uris = $0 }
			END { flush() }' "$f")
		if [ -n "$uri" ]; then
			printf '%s' "$uri"
			return 0
		fi
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		uri=$(awk -v suite="$suite" '
			$1 == "deb" {
				i = 2
				if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
				if ($(i + 1) == suite) { print $i; exit }
			}' "$f")
		if [ -n "$uri" ]; then
			printf '%s' "$uri"
			return 0
		fi
	done
	return 1
}
