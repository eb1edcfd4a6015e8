#!/usr/bin/env bats
# The command line is read exactly as runc reads it, so the bundle policyrun
# checks is the bundle runc runs; what cannot be read is refused.

load helpers

setup ()
{
  setup_bundle
  # A second bundle, loose (writable root, uid 0), beside the good one.
  LOOSE=$TMP/loose
  mkdir -p "$LOOSE"
  cp "$BUNDLE/config.json" "$LOOSE/config.json"
  ln -s "$BUNDLE/rootfs" "$LOOSE/rootfs"
  update_config '.root.readonly = false | .process.user.uid = 0' "$LOOSE"
  update_config '.process.args = ["sleep", "1000"]'
}

teardown ()
{
  teardown_bundle
}

@test "create ID --bundle DIR (flags after the id) checks DIR, not the working directory" {
  cd "$BUNDLE"
  run_to_files policyrun create "$ID" --bundle "$LOOSE"
  assert_error '^policyrun: refused by floor'
  assert_violation filesystem 'root\.readonly' '--read-only'
  assert_nothing_created "$ID"
}

@test "create ID --bundle GOOD from a loose working directory runs GOOD" {
  cd "$LOOSE"
  run_to_files policyrun create "$ID" --bundle "$BUNDLE"
  assert_success
  [ "$(jq -r .root.path "$(private_bundle "$ID")/config.json")" = "$BUNDLE/rootfs" ]
  [ "$(__runc state "$ID" | jq -r .bundle)" = "$(private_bundle "$ID")" ]
}

@test "every spelling of the bundle flag is read: -bundle, --bundle=, -b, -b=, --b" {
  local spelling n=0
  cd "$BUNDLE"
  for spelling in "-bundle $LOOSE" "--bundle=$LOOSE" "-b $LOOSE" "-b=$LOOSE" "--b $LOOSE" "-bundle=$LOOSE"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    run_to_files policyrun create $spelling "$ID-$n"
    echo "spelling: $spelling"
    assert_error '^policyrun: refused by floor'
    assert_violation filesystem 'root\.readonly'
    assert_nothing_created "$ID-$n"
  done
}

@test "-bundle DIR equals --bundle DIR for a good bundle too" {
  cd "$LOOSE"
  run_to_files policyrun create -bundle "$BUNDLE" "$ID"
  assert_success
  [ "$(jq -r .root.path "$(private_bundle "$ID")/config.json")" = "$BUNDLE/rootfs" ]
}

@test "a repeated --bundle: the last one wins, as in runc" {
  run_to_files policyrun create --bundle "$BUNDLE" --bundle "$LOOSE" "$ID"
  assert_error '^policyrun: refused by floor'
  assert_nothing_created "$ID"
  run_to_files policyrun create --bundle "$LOOSE" "$ID" --bundle "$BUNDLE"
  assert_success
  [ "$(jq -r .root.path "$(private_bundle "$ID")/config.json")" = "$BUNDLE/rootfs" ]
}

@test "a boolean flag never takes the next word: run --detach ID, run -d=true ID" {
  # runc reads --detach as a boolean and the next word as the id.
  cd "$BUNDLE"
  run_to_files policyrun run --detach "$ID"
  assert_success
  [ "$(container_status "$ID")" = running ]
  run_to_files policyrun run -d=true "$ID-2"
  assert_success
  [ "$(container_status "$ID-2")" = running ]
}

@test "create --no-pivot ID: the boolean is read as runc reads it (and refused by the floor)" {
  cd "$BUNDLE"
  run_to_files policyrun create --no-pivot "$ID"
  assert_error '^policyrun: refused by floor' 'no-pivot'
  assert_nothing_created "$ID"
}

@test "an unknown flag is refused" {
  run_to_files policyrun create --frobnicate --bundle "$BUNDLE" "$ID"
  assert_error 'frobnicate'
  assert_nothing_created "$ID"
}

@test "an unknown global flag is refused" {
  run_to_files policyrun --frobnicate create --bundle "$BUNDLE" "$ID"
  assert_error 'frobnicate'
  assert_nothing_created "$ID"
}

@test "an unknown subcommand is refused" {
  run_to_files policyrun frobnicate "$ID"
  assert_error 'frobnicate'
  assert_nothing_created "$ID"
}

@test "an unknown subcommand is refused with the json --log line" {
  run_to_files policyrun --log "$LOG" --log-format json frobnicate "$ID"
  assert_error 'frobnicate'
  assert_log_line "$stderr"
}

@test "own flags --policy and --delegate come before runc's and are honoured" {
  export RECORDER_LOG=$TMP/recorder.log RECORDER_DIR=$TMP/recorder
  mkdir -p "$RECORDER_DIR"
  run_to_files "$POLICYRUN" --policy "$POLICY" --delegate "$RECORDER" --root "$ROOT" \
    create --bundle "$BUNDLE" "$ID"
  assert_success
  # The delegate named by --delegate ran, with runc's arguments only.
  [ "$(main_calls)" -eq 1 ]
  head -n1 "$RECORDER_LOG" | jq -e 'index("--policy") == null and index("--delegate") == null and .[0] == "--root"'
  # --policy was honoured: the private bundle is under its state_dir.
  [ -f "$(private_bundle "$ID")/config.json" ]
}

@test "own flags also read as --policy=FILE and --delegate=PATH" {
  export RECORDER_LOG=$TMP/recorder.log RECORDER_DIR=$TMP/recorder
  mkdir -p "$RECORDER_DIR"
  run_to_files "$POLICYRUN" --policy="$POLICY" --delegate="$RECORDER" --root "$ROOT" \
    create --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$(main_calls)" -eq 1 ]
  [ -f "$(private_bundle "$ID")/config.json" ]
}

@test "the policy's delegate is used when --delegate is absent" {
  export RECORDER_LOG=$TMP/recorder.log RECORDER_DIR=$TMP/recorder
  mkdir -p "$RECORDER_DIR"
  write_policy "$(jq -n --arg d "$RECORDER" '{delegate: $d}')"
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$(main_calls)" -eq 1 ]
}

@test "an own flag after runc's global flags is refused (runc does not know it)" {
  run_to_files "$POLICYRUN" --root "$ROOT" --policy "$POLICY" create --bundle "$BUNDLE" "$ID"
  assert_error 'policy'
  assert_nothing_created "$ID"
}

@test "a policy file with an unknown key refuses everything, even a good bundle" {
  echo "{\"state_dir\": \"$STATE\", \"memroy_bytes\": 1}" > "$POLICY"
  run_to_files policyrun --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
  assert_error 'polic' 'memroy_bytes'
  assert_log_line "$stderr"
  assert_nothing_created "$ID"
}

@test "a policy file that is not JSON refuses everything, passthrough commands too" {
  echo '{"state_dir": ' > "$POLICY"
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_error "$POLICY"
  assert_nothing_created "$ID"
  run --separate-stderr policyrun list
  assert_error "$POLICY"
  run --separate-stderr policyrun state "$ID"
  assert_error "$POLICY"
}

@test "a policy value looser than its type allows refuses everything" {
  echo "{\"state_dir\": \"$STATE\", \"memory_bytes\": -1}" > "$POLICY"
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_error 'memory_bytes'
  assert_nothing_created "$ID"
}

@test "a --policy path that does not exist refuses with its name" {
  run_to_files "$POLICYRUN" --policy "$TMP/absent-policy.json" --root "$ROOT" \
    create --bundle "$BUNDLE" "$ID"
  assert_error "$TMP/absent-policy.json"
  assert_nothing_created "$ID"
}

@test "a missing --delegate path refuses with a clear reason" {
  run_to_files "$POLICYRUN" --policy "$POLICY" --delegate "$TMP/no-runtime" --root "$ROOT" \
    --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
  assert_error "$TMP/no-runtime"
  refute_docker_phrases "$stderr"
  assert_log_line "$stderr"
  assert_nothing_created "$ID"
}

@test "a missing --delegate path refuses passthrough commands too" {
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" --delegate "$TMP/no-runtime" --root "$ROOT" list
  assert_error "$TMP/no-runtime"
}

@test "a missing bundle directory is refused with its name" {
  run_to_files policyrun --log "$LOG" --log-format json create --bundle "$TMP/no-bundle" "$ID"
  assert_error "$TMP/no-bundle"
  refute_docker_phrases "$stderr"
  assert_log_line "$stderr"
  assert_nothing_created "$ID"
}

@test "a bundle without config.json is refused" {
  mkdir "$TMP/empty"
  run_to_files policyrun create --bundle "$TMP/empty" "$ID"
  assert_error 'config\.json'
  assert_nothing_created "$ID"
}

@test "create without a container id is refused" {
  run_to_files policyrun create --bundle "$BUNDLE"
  [ "$status" -ne 0 ]
  [ -z "$(__runc list -q)" ]
}

@test "an invalid container id is refused before anything is written" {
  run_to_files policyrun create --bundle "$BUNDLE" "../escape"
  [ "$status" -ne 0 ]
  [ -z "$output" ]
  [ ! -e "$STATE/escape" ]
  [ ! -e "$STATE/$(root_key "$ROOT")/../escape" ]
}
