#!/usr/bin/env bats
# Strict JSON, end to end: a config.json that Go's encoding/json (runc) and a
# lenient parser would read differently is refused before anything runs.

load helpers

setup ()
{
  setup_bundle
  # One line, so the edits below are plain text substitutions.
  jq -c . "$BUNDLE/config.json" > "$TMP/compact.json"
  grep -q '"readonly":true' "$TMP/compact.json"
}

teardown ()
{
  teardown_bundle
}

# write_config TEXT: the bundle's config.json, byte for byte.
write_config ()
{
  printf '%s' "$1" > "$BUNDLE/config.json"
}

compact ()
{
  cat "$TMP/compact.json"
}

# refuse_load REASON-REGEX...: create is refused as a load error naming the
# reason, in the documented shape, and nothing is created.
refuse_load ()
{
  rm -f "$LOG"
  run_to_files policyrun --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
  assert_error "$@"
  assert_log_line "$stderr"
  assert_nothing_created "$ID"
  # check says the same, without running anything.
  run --separate-stderr "$POLICYRUN" --policy "$POLICY" check "$BUNDLE"
  [ "$status" -eq 1 ]
}

@test "the compact re-write of the floor config is accepted (baseline)" {
  write_config "$(compact)"
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$(container_status "$ID")" = created ]
}

@test "a duplicate key (\"readonly\" twice, the last one false) is refused" {
  write_config "$(compact | sed 's/"readonly":true/"readonly":true,"readonly":false/')"
  refuse_load 'config\.json' 'duplicate' 'readonly'
}

@test "keys equal under Go's case folding (\"readonly\" and \"READONLY\") are refused" {
  write_config "$(compact | sed 's/"readonly":true/"readonly":true,"READONLY":false/')"
  refuse_load 'config\.json' 'readonly'
}

@test "keys equal under Go's Unicode folding (long s: \"noNewPrivilegeſ\") are refused" {
  write_config "$(compact | sed 's/"noNewPrivileges":true/"noNewPrivileges":true,"noNewPrivilege\xc5\xbf":false/')"
  grep -q 'noNewPrivilegeſ' "$BUNDLE/config.json"
  refuse_load 'config\.json'
}

@test "a key spelt only in another case (\"ReadOnly\": false) is read as runc reads it" {
  write_config "$(compact | sed 's/"readonly":true/"ReadOnly":false/')"
  # Go maps ReadOnly onto root.readonly, so this root is writable: refused.
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  assert_nothing_created "$ID"
}

@test "a comment is refused" {
  write_config "/* floor */ $(compact)"
  refuse_load 'config\.json' 'comment'
}

@test "a // comment inside the object is refused" {
  write_config "$(compact | sed 's/"readonly":true/"readonly":true \/\/ sure\n/')"
  refuse_load 'config\.json' 'comment'
}

@test "a second JSON document after the first is refused" {
  write_config "$(compact) {\"root\":{\"path\":\"rootfs\",\"readonly\":false}}"
  refuse_load 'config\.json' 'trailing|after|second|extra'
}

@test "a byte order mark is refused" {
  write_config "$(printf '\xef\xbb\xbf')$(compact)"
  refuse_load 'config\.json' 'BOM|byte order mark'
}

@test "invalid UTF-8 in a string is refused" {
  write_config "$(compact | sed 's/"hostname":"[^"]*"/"hostname":"bad\xff\xfename"/')"
  LC_ALL=C grep -q $'bad\xff\xfename' "$BUNDLE/config.json"
  refuse_load 'config\.json' 'UTF-8|UTF8'
}

@test "a non-integer where the spec has an integer (uid 65534.0) is refused" {
  write_config "$(compact | sed 's/"uid":65534/"uid":65534.0/')"
  grep -q '"uid":65534.0' "$BUNDLE/config.json"
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_error 'uid|integer'
  assert_nothing_created "$ID"
}

@test "a NUL escape in a key is refused" {
  write_config "$(compact | sed 's/"readonly":true/"readonly":true,"readonly\\u0000":false/')"
  refuse_load 'config\.json'
}
