#!/usr/bin/env bats
# Commands that create nothing and grant nothing reach runc unchanged: their
# output is runc's own.

load helpers

setup ()
{
  setup_bundle
}

teardown ()
{
  teardown_bundle
}

@test "state: the same JSON as runc state for the same container" {
  start_container
  run --separate-stderr policyrun state "$ID"
  assert_success
  local ours theirs
  ours=$(jq -S . <<< "$output")
  theirs=$(__runc state "$ID" | jq -S .)
  [ "$ours" = "$theirs" ]
  for field in ociVersion id pid status bundle rootfs created owner; do
    [ "$(jq -c ".$field" <<< "$output")" = "$(jq -c ".$field" <<< "$theirs")" ]
  done
  [ "$(jq -r .status <<< "$output")" = running ]
}

@test "state of an unknown container fails as runc's does" {
  run --separate-stderr policyrun state no-such-container
  local ours=$status
  run --separate-stderr __runc state no-such-container
  [ "$ours" -eq "$status" ]
  [ "$ours" -ne 0 ]
}

@test "kill: the container stops" {
  start_container
  run --separate-stderr policyrun kill "$ID" KILL
  assert_success
  wait_for_status "$ID" stopped
}

@test "delete: a stopped container and its private bundle are removed" {
  start_container
  __runc kill "$ID" KILL
  wait_for_status "$ID" stopped
  [ -d "$(private_bundle "$ID")" ]
  run --separate-stderr policyrun delete "$ID"
  assert_success
  [ "$(container_status "$ID")" = absent ]
  [ ! -e "$(private_bundle "$ID")" ]
}

@test "delete --force: a running container and its private bundle are removed" {
  start_container
  run --separate-stderr policyrun delete --force "$ID"
  assert_success
  [ "$(container_status "$ID")" = absent ]
  [ ! -e "$(private_bundle "$ID")" ]
}

@test "delete of a running container without --force fails as runc's does and keeps it" {
  start_container
  run --separate-stderr policyrun delete "$ID"
  [ "$status" -ne 0 ]
  [ "$(container_status "$ID")" = running ]
}

@test "delete of a created (never started) container removes it and its private bundle" {
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  run --separate-stderr policyrun delete "$ID"
  assert_success
  [ "$(container_status "$ID")" = absent ]
  [ ! -e "$(private_bundle "$ID")" ]
}

@test "ps: the same processes as runc ps" {
  start_container
  run --separate-stderr policyrun ps --format json "$ID"
  assert_success
  [ "$output" = "$(__runc ps --format json "$ID")" ]
  [ "$(jq length <<< "$output")" -eq 1 ]
  [ "$(jq '.[0]' <<< "$output")" -eq "$(__runc state "$ID" | jq .pid)" ]
  run --separate-stderr policyrun ps "$ID"
  assert_success
  [[ "${lines[0]}" == UID* ]]
  [[ "$output" == *"sleep 1000"* ]]
}

@test "ps: words after the id are ps options, as in runc" {
  start_container
  run --separate-stderr policyrun ps "$ID" -e -o pid,comm
  assert_success
  [ "$output" = "$(__runc ps "$ID" -e -o pid,comm)" ]
  [[ "$output" == *sleep* ]]
}

@test "pause/resume: the container is frozen and thawed" {
  start_container
  run --separate-stderr policyrun pause "$ID"
  assert_success
  [ "$(container_status "$ID")" = paused ]
  run --separate-stderr policyrun resume "$ID"
  assert_success
  [ "$(container_status "$ID")" = running ]
}

@test "list: the same as runc list" {
  start_container
  run --separate-stderr policyrun list --format json
  assert_success
  [ "$(jq -S . <<< "$output")" = "$(__runc list --format json | jq -S .)" ]
  [ "$(jq -r '.[0].id' <<< "$output")" = "$ID" ]
  run --separate-stderr policyrun list -q
  assert_success
  [ "$output" = "$ID" ]
}

@test "events --stats: one stats event for the container" {
  start_container
  run --separate-stderr policyrun events --stats "$ID"
  assert_success
  [ "$(jq -r .type <<< "$output")" = stats ]
  [ "$(jq -r .id <<< "$output")" = "$ID" ]
}

@test "features: the same as runc features" {
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" features
  assert_success
  [ "$output" = "$("$RUNC" features)" ]
}

@test "spec: the same config.json as runc spec, in a temporary directory" {
  mkdir "$TMP/ours" "$TMP/theirs"
  (cd "$TMP/ours" && "$POLICYRUN" --policy "$POLICY" spec)
  (cd "$TMP/theirs" && "$RUNC" spec)
  cmp "$TMP/ours/config.json" "$TMP/theirs/config.json"
}

@test "spec --bundle DIR writes there" {
  mkdir "$TMP/specdir"
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" spec --bundle "$TMP/specdir"
  assert_success
  jq -e .ociVersion "$TMP/specdir/config.json"
}

@test "--version: runc's lines first, then policyrun's" {
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" --version
  assert_success
  local theirs n
  theirs=$("$RUNC" --version)
  n=$(wc -l <<< "$theirs")
  [ "$(head -n "$n" <<< "$output")" = "$theirs" ]
  [[ "${lines[0]}" == "runc version "* ]]
  [[ "${lines[-1]}" =~ ^policyrun\ version\ [0-9] ]]
  [ "${#lines[@]}" -eq $((n + 1)) ]
}

@test "-v is --version" {
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" -v
  assert_success
  [[ "${lines[0]}" == "runc version "* ]]
  [[ "${lines[-1]}" =~ ^policyrun\ version\ [0-9] ]]
}

@test "--version with the recorder: the delegate is asked, its lines come first" {
  cat > "$TMP/fake-runtime" <<'SH'
#!/bin/sh
[ "$1" = --version ] || exit 9
echo "runc version 9.9.9"
echo "spec: 1.2.0"
SH
  chmod +x "$TMP/fake-runtime"
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" --delegate "$TMP/fake-runtime" --version
  assert_success
  [ "${lines[0]}" = "runc version 9.9.9" ]
  [ "${lines[1]}" = "spec: 1.2.0" ]
  [[ "${lines[2]}" =~ ^policyrun\ version\ [0-9] ]]
}

@test "passthrough: global flags and the command reach the delegate unchanged" {
  export RECORDER_LOG=$TMP/recorder.log RECORDER_DIR=$TMP/recorder
  mkdir -p "$RECORDER_DIR"
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" --delegate "$RECORDER" --root "$ROOT" \
    --log "$LOG" --log-format json kill "$ID" 9
  assert_success
  [ "$(cat "$RECORDER_LOG")" = "$(jq -nc '$ARGS.positional' --args -- --root "$ROOT" --log "$LOG" \
    --log-format json kill "$ID" 9)" ]
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" --delegate "$RECORDER" --root "$ROOT" \
    pause "$ID"
  assert_success
  [ "$(tail -n1 "$RECORDER_LOG")" = "$(jq -nc '$ARGS.positional' --args -- --root "$ROOT" pause "$ID")" ]
}
