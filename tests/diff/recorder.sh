#!/bin/bash
# Stands in for runc behind policyrun: records what it was handed and runs
# nothing.  In RECORD_DIR it writes argv (NUL-separated, exactly as
# received), bundle (the --bundle value, or the working directory) and a
# copy of that bundle's config.json.
set -eu
: "${RECORD_DIR:?RECORD_DIR is not set}"

# policyrun's own helper calls (its cleaner asks `state ID` after a create
# that left no runc state) are answered as runc answers for a created
# container, and are not the call under test.
for a in "$@"; do
  if [ "$a" = state ]; then
    printf '{"ociVersion":"1.0.2","id":"%s","pid":1,"status":"created","bundle":"/"}\n' "${!#}"
    exit 0
  fi
done

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
