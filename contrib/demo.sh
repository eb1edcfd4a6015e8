#!/bin/bash
# Run a real container through policyrun and show a refusal:
#   sudo contrib/demo.sh [POLICYRUN]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
policyrun=${1:-$(command -v policyrun || echo /usr/local/sbin/policyrun)}
work=$(mktemp -d /tmp/policyrun-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
id=policyrun-demo-$$

"$here/make-bundle.sh" "$work/bundle" sh -c 'echo "hello from policyrun: uid=$(id -u) gid=$(id -g)"; (echo x > /written) 2>/dev/null && echo "root filesystem writable" || echo "root filesystem is read-only"'

echo "== policyrun check $work/bundle"
"$policyrun" check "$work/bundle"
echo "== policyrun run $id (a floor-holding container, run by runc)"
"$policyrun" run --bundle "$work/bundle" "$id"

echo "== the same bundle with root as its user and CAP_NET_RAW is refused:"
jq '.process.user.uid = 0 | .process.capabilities.bounding = ["CAP_NET_RAW"]' \
  "$work/bundle/config.json" > "$work/loose.json"
mkdir "$work/loose" && mv "$work/loose.json" "$work/loose/config.json" && ln -s ../bundle/rootfs "$work/loose/rootfs"
if "$policyrun" run --bundle "$work/loose" "$id-loose"; then
  echo "demo: the loose bundle was NOT refused" >&2
  exit 1
fi
echo "== demo done: the first container ran, the loose one was refused"
