#!/bin/bash
# Stands in for runc behind policyrun: records what it was handed and runs
# nothing.  In RECORD_DIR it writes argv (NUL-separated, exactly as
# received), bundle (the --bundle value, or the working directory) and a
# copy of that bundle's config.json.
set -eu
: "${RECORD_DIR:?RECORD_DIR is not set}"

printf '%s\0' "$@" > "$RECORD_DIR/argv"

# The bundle flag as Go's flag package spells it; the last one wins.
bundle=
prev=
for a in "$@"; do
  case $prev in
    --bundle | -bundle | --b | -b) bundle=$a ;;
  esac
  case $a in
    --bundle=* | -bundle=* | --b=* | -b=*) bundle=${a#*=} ;;
  esac
  prev=$a
done
bundle=${bundle:-$PWD}
printf '%s' "$bundle" > "$RECORD_DIR/bundle"
cp -- "$bundle/config.json" "$RECORD_DIR/config.json"
