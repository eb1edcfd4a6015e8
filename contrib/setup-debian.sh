#!/bin/bash
# Install what policyrun needs on Debian 12, from Debian's own packages.
#   contrib/setup-debian.sh          build and run dependencies
#   contrib/setup-debian.sh --test   also everything the test suite uses
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "setup-debian.sh: run as root (sudo)" >&2; exit 1; }
pkgs=(autoconf automake make gcc pkg-config libyajl-dev libseccomp-dev libcap-dev
      libc6-dev runc busybox-static jq file)
if [ "${1:-}" = --test ]; then
  pkgs+=(bats docker.io containerd golang-go golang-github-opencontainers-specs-dev
         debootstrap iproute2 util-linux procps psmisc clang-14 clang-format libclang-rt-14-dev valgrind
         ca-certificates xz-utils runsc podman conmon
         containernetworking-plugins python3-grpcio python3-grpc-tools
         # audit mode's conformance suites (tests/conformance): runc's and
         # runtime-tools' sources built with Debian's Go and libraries
         gawk dpkg-dev git golang-dbus-dev golang-github-cilium-ebpf-dev
         golang-github-containerd-console-dev golang-github-coreos-go-systemd-dev
         golang-github-cyphar-filepath-securejoin-dev golang-github-moby-sys-dev
         golang-github-seccomp-libseccomp-golang-dev golang-github-sirupsen-logrus-dev
         golang-github-urfave-cli-dev golang-golang-x-sys-dev
         golang-github-opencontainers-runtime-tools-dev golang-github-google-uuid-dev
         golang-gopkg-yaml.v2-dev)
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
echo "setup-debian.sh: installed ${#pkgs[@]} packages"
