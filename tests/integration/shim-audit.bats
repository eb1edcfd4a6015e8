#!/usr/bin/env bats
# Audit mode ("mode": "audit", src/cmd_audit.c): the delegate gets the
# caller's command line and the caller's own config.json, unchanged; the
# trail records what enforce mode would have refused, with "changed": false
# everywhere.  Real runc behind the recorder (recorder.sh).

load helpers

setup ()
{
  setup_bundle
  TRAIL=$TMP/trail/decisions.jsonl
  write_policy '{"mode": "audit"}'
  export RECORDER_LOG=$TMP/recorder.log RECORDER_DIR=$TMP/recorder RECORDER_EXEC=$RUNC
  mkdir -p "$RECORDER_DIR"
  # A loose bundle: plain `runc spec` (root, its default capabilities, no
  # limits, no seccomp), with a writable root.
  rm "$BUNDLE/config.json"
  (cd "$BUNDLE" && "$RUNC" spec)
  update_config '.process.terminal = false | .root.readonly = false
    | .process.args = ["sh", "-c", "id -u; grep CapEff /proc/self/status; touch /w && echo writable"]'
}

teardown () { teardown_bundle; }

# audited ARGS...: policyrun in audit mode with the recorder as delegate.
audited ()
{
  "$POLICYRUN" --policy "$POLICY" --delegate "$RECORDER" --root "$ROOT" "$@"
}

# The recorder's calls of COMMAND (helper "state" calls left out).
calls_of ()
{
  jq -c --arg c "$1" 'select(.[2] == $c)' "$RECORDER_LOG"
}

# Every record in the trail is an audit record that changed nothing.
assert_audit_records ()
{
  jq -e -s 'length > 0 and all(.mode == "audit"
      and (.verdict == "accepted" or .verdict == "would be refused")
      and ((.violations | length > 0) == (.verdict == "would be refused"))
      and ([.violations[], .tightened[]] | all(.changed == false)))' "$TRAIL" > /dev/null \
    || fail "not audit records: $(cat "$TRAIL")"
}

@test "audit: a loose bundle runs exactly as under runc; the delegate gets the caller's argv and config.json" {
  cp "$BUNDLE/config.json" "$TMP/caller-config.json"
  run --separate-stderr audited run --bundle "$BUNDLE" "$ID"
  local audit_status=$status audit_output=$output
  run --separate-stderr "$RUNC" --root "$ROOT" run --bundle "$BUNDLE" "$ID-plain"
  [ "$audit_status" -eq "$status" ] || fail "status $audit_status, runc's $status"
  [ "$audit_output" = "$output" ] || fail "output '$audit_output', runc's '$output'"
  [[ "$output" == "0"*"writable" ]] || fail "the control did not run as root, writable: $output"
  # Byte for byte: the caller's words after policyrun's own flags, and the
  # caller's own bundle, whose config.json was not touched.
  [ "$(calls_of run)" = "$(jq -nc --arg r "$ROOT" --arg b "$BUNDLE" --arg id "$ID" \
    '["--root", $r, "run", "--bundle", $b, $id]')" ] || fail "argv: $(cat "$RECORDER_LOG")"
  cmp "$TMP/caller-config.json" "$RECORDER_DIR/config-1.json"
  cmp "$TMP/caller-config.json" "$BUNDLE/config.json"
  [ ! -e "$STATE/$(root_key "$ROOT")/$ID" ] || fail "audit made a private bundle"
  # One record: what enforce would have refused or filled in (tightened),
  # nothing changed.
  [ "$(wc -l < "$TRAIL")" -eq 1 ] || fail "$(cat "$TRAIL")"
  assert_audit_records
  jq -e --arg b "$(realpath "$BUNDLE")" '.command == "run" and .verdict == "would be refused"
    and .bundle == $b and .config == ($b + "/config.json")
    and any(.violations[]; .field == "root.readonly")
    and any(.tightened[]; .field | test("^linux.resources.memory"))
    and any(.violations[]; .field | test("^process.user"))
    and any(.violations[]; .field | test("^process.capabilities"))' "$TRAIL" > /dev/null \
    || fail "record: $(cat "$TRAIL")"
}

@test "audit: create, start, exec, update each leave one record and reach runc unchanged" {
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files audited create --bundle "$BUNDLE" "$ID"
  assert_success
  run --separate-stderr audited start "$ID"
  assert_success
  wait_for_status "$ID" running
  run --separate-stderr audited exec --cap CAP_SYS_ADMIN "$ID" id -u
  assert_success
  [ "$output" = 0 ]
  run --separate-stderr audited update --memory 2g --pids-limit 100000 "$ID"
  assert_success
  # runc applied what the caller asked.
  local cg
  cg=$(__runc state "$ID" | jq -r .pid)
  grep -q '^2147483648$' "/sys/fs/cgroup/memory$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' "/proc/$cg/cgroup")/memory.limit_in_bytes" \
    || fail "runc did not apply --memory 2g"
  [ "$(calls_of exec)" = "$(jq -nc --arg r "$ROOT" --arg id "$ID" \
    '["--root", $r, "exec", "--cap", "CAP_SYS_ADMIN", $id, "id", "-u"]')" ] \
    || fail "exec argv: $(cat "$RECORDER_LOG")"
  [ "$(calls_of update)" = "$(jq -nc --arg r "$ROOT" --arg id "$ID" \
    '["--root", $r, "update", "--memory", "2g", "--pids-limit", "100000", $id]')" ] \
    || fail "update argv: $(cat "$RECORDER_LOG")"
  [ "$(calls_of start)" = "$(jq -nc --arg r "$ROOT" --arg id "$ID" '["--root", $r, "start", $id]')" ]
  [ ! -e "$STATE/$(root_key "$ROOT")/$ID" ] || fail "audit made a private bundle"
  assert_audit_records
  [ "$(jq -s -c 'map(.command)' "$TRAIL")" = '["create","start","exec","update"]' ] \
    || fail "records: $(cat "$TRAIL")"
  # exec was judged against the container's own config.json, found through
  # runc's state: its --cap is a violation.
  jq -e -s --arg b "$(realpath "$BUNDLE")" '.[2] | .verdict == "would be refused" and .bundle == $b
    and any(.violations[]; .detail | test("CAP_SYS_ADMIN"))' "$TRAIL" > /dev/null \
    || fail "exec record: $(sed -n 3p "$TRAIL")"
  jq -e -s '.[3] | .verdict == "would be refused"
    and any(.violations[]; .field | test("memory"))
    and any(.violations[]; .field | test("pids"))' "$TRAIL" > /dev/null \
    || fail "update record: $(sed -n 4p "$TRAIL")"
  # The network attestation ran and found runc's fresh namespace.
  jq -e -s '.[1] | .verdict == "accepted" and .violations == []' "$TRAIL" > /dev/null \
    || fail "start record: $(sed -n 2p "$TRAIL")"
}

@test "audit: start records a failed network attestation and does not kill" {
  update_config '.process.args = ["sleep", "1000"]
    | .linux.namespaces |= map(select(.type != "network"))'
  run_to_files audited create --bundle "$BUNDLE" "$ID"
  assert_success
  run --separate-stderr audited start "$ID"
  assert_success
  [ "$(container_status "$ID")" = running ] || fail "status $(container_status "$ID")"
  jq -e -s '.[1] | .command == "start" and .verdict == "would be refused"
    and any(.violations[]; .rule == "network" and .changed == false)' "$TRAIL" > /dev/null \
    || fail "start record: $(cat "$TRAIL")"
}

@test "audit: exec into a container whose bundle runc cannot name is recorded as not judged" {
  run --separate-stderr audited exec "$ID" true
  # runc's own answer for an unknown container.
  [ "$status" -ne 0 ]
  grep -q "container does not exist" <<< "$stderr" || fail "not runc's error: $stderr"
  jq -e '.command == "exec" and .verdict == "would be refused"
    and any(.violations[]; .rule == "audit" and (.detail | test("cannot be judged")))' "$TRAIL" \
    > /dev/null || fail "record: $(cat "$TRAIL")"
}

@test "audit: a malformed config.json is recorded and handed to runc, which says why" {
  echo '{"ociVersion": ' > "$BUNDLE/config.json"
  run --separate-stderr audited run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [ "$(calls_of run | wc -l)" -eq 1 ] || fail "runc was not called: $(cat "$RECORDER_LOG")"
  [[ "$stderr" != policyrun:* ]] || fail "policyrun refused in audit mode: $stderr"
  jq -e '.verdict == "would be refused" and any(.violations[]; .rule == "audit"
    and .field == "config.json")' "$TRAIL" > /dev/null || fail "record: $(cat "$TRAIL")"
}

@test "audit: a trail that cannot be written does not refuse; the caller's --log says so" {
  touch "$TMP/not-a-dir"
  write_policy "$(jq -n --arg t "$TMP/not-a-dir/decisions.jsonl" '{mode: "audit", trail_file: $t}')"
  run --separate-stderr audited --log "$LOG" --log-format json run --bundle "$BUNDLE" "$ID"
  assert_success
  [[ "$output" == "0"*"writable" ]] || fail "output: $output"
  jq -e -s 'any(.[]; .level == "info" and (.msg | test("audit: cannot write the decision trail")))' \
    "$LOG" > /dev/null || fail "log: $(cat "$LOG")"
}

@test "control: enforce mode refuses the same bundle" {
  write_policy '{"mode": "enforce"}'
  run_to_files audited create --bundle "$BUNDLE" "$ID"
  assert_error "^policyrun: refused by floor"
  [ "$(calls_of create | wc -l)" -eq 0 ] || fail "the delegate ran: $(cat "$RECORDER_LOG")"
  jq -e '.mode == "enforce" and .verdict == "refused"' "$TRAIL" > /dev/null \
    || fail "record: $(cat "$TRAIL")"
}

@test "audit: socket-activated descriptors (LISTEN_FDS) reach the container as under runc" {
  update_config '.process.args = ["ls", "/proc/self/fd"]'
  local activated="exec 3</; LISTEN_PID=\$\$ LISTEN_FDS=1 exec"
  run --separate-stderr bash -c "$activated '$RUNC' --root '$ROOT' run --bundle '$BUNDLE' '$ID-plain'"
  [ "$status" -eq 0 ] || fail "runc alone: $stderr"
  local plain=$output
  # ls's own directory is one descriptor more than 0..2 and the socket's 3.
  [ "$(echo "$plain" | wc -l)" -eq 5 ] || fail "runc alone passed no fd 3: $plain"
  run --separate-stderr bash -c "$activated '$POLICYRUN' --policy '$POLICY' --root '$ROOT' run --bundle '$BUNDLE' '$ID'"
  [ "$status" -eq 0 ] || fail "policyrun: $stderr"
  [ "$output" = "$plain" ] || fail "descriptors under policyrun '$output', under runc '$plain'"
}
