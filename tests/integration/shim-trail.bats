#!/usr/bin/env bats
# The decision trail (src/trail.c): one whole JSON line per decision,
# appended under a lock; a trail that cannot be written refuses the command
# and leaves nothing behind; `check --json` prints the same record.

load helpers

setup ()
{
  setup_bundle
  TRAIL_DIR=$TMP/trail
  TRAIL=$TRAIL_DIR/decisions.jsonl
  write_policy "$(jq -n --arg t "$TRAIL" '{trail_file: $t}')"
}

teardown () { teardown_bundle; }

# The members every record has, in order.
RECORD_KEYS='["time","command","id","root","bundle","config","mode","verdict","dialect",
  "delegate","caller","policy","violations","tightened"]'
FINDING_KEYS='["rule","kind","field","detail","fix","changed"]'

# assert_record_shape FILE: every line of FILE is one record of the
# documented shape (members in order, types, RFC 3339 time with fractions).
assert_record_shape ()
{
  jq -e --argjson rk "$RECORD_KEYS" --argjson fk "$FINDING_KEYS" '
      (keys_unsorted == $rk)
    and (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$"))
    and (.mode == "enforce") and (.verdict == "accepted" or .verdict == "refused")
    and (.dialect == "runc")
    and ([.violations[], .tightened[]] | all(keys_unsorted == $fk))
    and (.violations | all(.kind == "violation" and .changed == false))
    and (.tightened | all(.kind == "tightened" and .changed == true))
  ' "$1" > /dev/null || fail "a record has the wrong shape: $(cat "$1")"
}

@test "an accepted create appends one record: id, absolute root, bundle, what was changed" {
  update_config 'del(.linux.resources.pids)'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$(wc -l < "$TRAIL")" -eq 1 ] || fail "want one line: $(cat "$TRAIL")"
  assert_record_shape "$TRAIL"
  jq -e --arg id "$ID" --arg root "$ROOT" --arg b "$(realpath "$BUNDLE")" --arg p "$POLICY" '
      .command == "create" and .id == $id and .root == $root and .bundle == $b
    and .config == ($b + "/config.json") and .verdict == "accepted" and .policy == $p
    and .violations == []
    and any(.tightened[]; .rule == "pids" and .field == "linux.resources.pids.limit")
  ' "$TRAIL" > /dev/null || fail "wrong record: $(cat "$TRAIL")"
  [ "$(stat -c %a "$TRAIL_DIR")" = 700 ] || fail "directory mode $(stat -c %a "$TRAIL_DIR")"
  [ "$(stat -c %a "$TRAIL")" = 600 ] || fail "file mode $(stat -c %a "$TRAIL")"
}

@test "a relative --root is recorded absolute" {
  cd "$TMP"
  run_to_files "$POLICYRUN" --policy "$POLICY" --root root create --bundle bundle "$ID"
  assert_success
  jq -e --arg root "$ROOT" --arg b "$(realpath "$BUNDLE")" '.root == $root and .bundle == $b' \
    "$TRAIL" > /dev/null || fail "$(cat "$TRAIL")"
}

@test "a refused create's record lists every violation the refusal counts" {
  update_config '.root.readonly = false | .process.user = {uid: 0, gid: 0}
    | .linux.resources.memory.limit = 1073741824 | .process.noNewPrivileges = false'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_error "refused by floor"
  assert_nothing_created "$ID"
  local n
  n=$(violation_count)
  [ "$n" -ge 4 ] || fail "expected at least 4 violations: $stderr"
  assert_record_shape "$TRAIL"
  jq -e --argjson n "$n" '.verdict == "refused" and (.violations | length) == $n
    and any(.violations[]; .rule == "filesystem" and .field == "root.readonly" and (.fix | test("--read-only")))
    and any(.violations[]; .field == "process.noNewPrivileges")
    and any(.violations[]; .field == "linux.resources.memory.limit" and (.detail | test("1073741824")))
  ' "$TRAIL" > /dev/null || fail "the record does not list the $n violations: $(cat "$TRAIL")"
}

@test "20 creates at once: exactly one whole record each" {
  local i pids=() ids=()
  for i in $(seq 20); do
    ids+=("$ID-$i")
    "$POLICYRUN" --policy "$POLICY" --root "$ROOT" create --bundle "$BUNDLE" "$ID-$i" \
      > /dev/null 2> "$TMP/err-$i" < /dev/null &
    pids+=($!)
  done
  local failed=0
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { failed=1; echo "create $((i + 1)): $(cat "$TMP/err-$((i + 1))")" >&2; }
  done
  [ "$failed" -eq 0 ] || fail "a create failed"
  [ "$(wc -l < "$TRAIL")" -eq 20 ] || fail "$(wc -l < "$TRAIL") lines, want 20"
  # Each line parses on its own (a torn line would not).
  while IFS= read -r line; do
    jq -e . <<< "$line" > /dev/null || fail "torn line: ${line:0:200}"
  done < "$TRAIL"
  assert_record_shape "$TRAIL"
  diff <(printf '%s\n' "${ids[@]}" | sort) <(jq -r .id "$TRAIL" | sort) \
    || fail "not one record per container"
}

# refused_by_trail WHY-REGEX: create was refused because of the trail,
# in one line naming the file, and nothing was created.
refused_by_trail ()
{
  assert_error "cannot write the decision trail $TRAIL" "$1"
  refute_docker_phrases "$stderr"
  assert_log_line "$stderr"
  assert_nothing_created "$ID"
}

@test "a directory in the trail file's place refuses create and leaves nothing behind" {
  mkdir -p "$TRAIL"
  run_to_files policyrun --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
  refused_by_trail "is a directory"
}

@test "a read-only trail directory refuses create and leaves nothing behind" {
  requires root
  mkdir -m 0700 "$TRAIL_DIR"
  run_to_files unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift \
      && exec "$@"' sh "$TRAIL_DIR" \
    "$POLICYRUN" --policy "$POLICY" --root "$ROOT" --log "$LOG" --log-format json \
    create --bundle "$BUNDLE" "$ID"
  refused_by_trail "read-only"
  [ ! -e "$TRAIL" ] || fail "a trail was written: $(cat "$TRAIL")"
}

@test "a refused create with an unwritable trail says both, on one line" {
  mkdir -p "$TRAIL"
  update_config '.root.readonly = false'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_error "refused by floor" "root\.readonly" "cannot write the decision trail $TRAIL"
  assert_nothing_created "$ID"
}

@test "a symbolic link or a file others may write in the trail's place is refused" {
  mkdir -m 0700 "$TRAIL_DIR"
  ln -s "$TMP/elsewhere" "$TRAIL"
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_error "cannot write the decision trail $TRAIL" "symbolic link"
  [ ! -e "$TMP/elsewhere" ] || fail "the link was followed"
  rm "$TRAIL"
  install -m 0666 /dev/null "$TRAIL"
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_error "cannot write the decision trail $TRAIL" "writable by others"
  assert_nothing_created "$ID"
}

@test "exec and update are decisions too" {
  start_container
  run --separate-stderr policyrun exec "$ID" true
  assert_success
  run --separate-stderr policyrun update --pids-limit 100 "$ID"
  assert_success
  assert_record_shape "$TRAIL"
  jq -s -e --arg id "$ID" 'map(.command) == ["create", "exec", "update"]
    and all(.id == $id) and (.[1].bundle == null)' "$TRAIL" > /dev/null \
    || fail "$(cat "$TRAIL")"
}

@test "check --json prints the trail's record of the same verdict (and writes none)" {
  update_config '.root.readonly = false | del(.linux.resources.pids)'
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" --root "$ROOT" check --json "$BUNDLE"
  [ "$status" -eq 1 ] || fail "check: $status $stderr"
  [ ! -e "$TRAIL" ] || fail "check wrote the trail"
  echo "$output" > "$TMP/check.json"
  assert_record_shape "$TMP/check.json"
  # What check printed before is still there.
  jq -e '.verdict == "refused" and (.violations | length) == 1 and (.config | endswith("/config.json"))
    and .command == "check" and .id == null' "$TMP/check.json" > /dev/null \
    || fail "$output"
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_error "refused by floor"
  # The same findings, member for member.
  diff <(jq -S '{violations, tightened, root, bundle, config, verdict, mode}' "$TMP/check.json") \
    <(jq -S '{violations, tightened, root, bundle, config, verdict, mode}' "$TRAIL") \
    || fail "check --json and the trail differ"
}

@test "trail_file \"\" writes no file; a relative trail_file is refused by the loader" {
  write_policy '{"trail_file": ""}'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  [ ! -e "$TRAIL_DIR" ] || fail "a trail was written"
  write_policy '{"trail_file": "decisions.jsonl"}'
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" check "$BUNDLE"
  [ "$status" -eq 1 ] && [[ "$stderr" == *trail_file*"not an absolute file name"* ]] \
    || fail "$status $stderr"
}

@test "a config.json that does not load and a refused restore are decisions too" {
  printf '{"ociVersion": "1.0.2",' > "$BUNDLE/config.json"
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_error "config.json"
  [ "$(wc -l < "$TRAIL")" -eq 1 ] || fail "want one line: $(cat "$TRAIL")"
  jq -e --arg id "$ID" '.command == "create" and .id == $id and .verdict == "refused"
    and (.violations | length == 1) and .violations[0].rule == "config"
    and .violations[0].field == "config.json" and (.violations[0].detail | test("config.json"))' \
    "$TRAIL" > /dev/null || fail "wrong record: $(cat "$TRAIL")"
  : > "$TRAIL"
  run_to_files policyrun restore --bundle "$BUNDLE" --image-path "$TMP" "$ID"
  assert_error "restore"
  [ "$(wc -l < "$TRAIL")" -eq 1 ] || fail "want one line: $(cat "$TRAIL")"
  jq -e --arg id "$ID" '.command == "restore" and .id == $id and .verdict == "refused"
    and any(.violations[]; .rule == "restore")' "$TRAIL" > /dev/null \
    || fail "wrong record: $(cat "$TRAIL")"
}
