#!/usr/bin/env bats
# The exact argv runsc gets: a recording stand-in named runsc-recorder.sh
# (policyrun speaks runsc's dialect to a delegate whose name starts with
# "runsc") records every call and hands it on to the real runsc, while the
# test drives a container as the runc.v2 shim does.

load helpers
load gvisor-helpers

setup ()
{
  setup_gvisor
  export RECORDER_LOG=$TMP/recorder.log RECORDER_DIR=$TMP/recorder RECORDER_EXEC=$RUNSC
  mkdir -p "$RECORDER_DIR"
  # The stand-in must be trusted as a delegate is: root's, not writable by
  # others, in directories nobody else can write.
  [ "$(stat -c '%u' "$RUNSC_RECORDER")" = 0 ]
  [ $((0$(stat -c '%a' "$RUNSC_RECORDER") & 022)) -eq 0 ]
  write_policy "$(jq -n --arg d "$RUNSC_RECORDER" '{gvisor_delegate: $d}')"
}

teardown ()
{
  teardown_gvisor
}

# shim ARGS...: policyrun called as the runc.v2 shim calls the runtime.
shim ()
{
  gvisor --log "$LOG" --log-format json "$@"
}

# calls_of WORD: the recorded argv (JSON arrays, one a line) whose command
# (first word not starting with "-") is WORD.
calls_of ()
{
  jq -c --arg w "$1" 'select(map(select(startswith("-") | not)) | .[0] == $w)' "$RECORDER_LOG"
}

# assert_runsc_globals ARGV-JSON: the globals (before the command) are all
# --name=value or --name, hold --root=ROOT and runsc's forced settings, and
# Go's last-value rule leaves the forced ones in force.
assert_runsc_globals ()
{
  jq -e --arg root "--root=$ROOT" '
      (map(startswith("-") | not) | index(true)) as $c
    | .[0:$c] as $g
    | ($g | all(test("^--[A-Za-z0-9_-]+(=.*)?$")))
    and ($g | index($root) != null)
    and ($g | map(select(startswith("--root"))) | length == 1)
    and ($g | map(select(startswith("--network"))) | last == "--network=none")
    and ($g | map(select(startswith("--oci-seccomp"))) | last | . == "--oci-seccomp" or . == "--oci-seccomp=true")
    and ($g | map(select(startswith("--host-uds"))) | last == "--host-uds=none")
    and ($g | map(select(startswith("--host-fifo"))) | last == "--host-fifo=none")
  ' <<< "$1" > /dev/null || fail "globals not as runsc must get them: $1"
}

# assert_command ARGV-JSON WORD N: after the command WORD come only
# --name[=value] flags, then exactly N arguments.
assert_command ()
{
  jq -e --arg w "$2" --argjson n "$3" '
      (map(startswith("-") | not) | index(true)) as $c
    | .[$c] == $w
    and (.[$c + 1:length - $n] | all(test("^--[A-Za-z0-9_-]+(=.*)?$")))
    and (.[length - $n:] | all(startswith("-") | not))
  ' <<< "$1" > /dev/null || fail "not '$2 --flags... ($3 args)': $1"
}

# The flags of the command (after WORD) as one JSON array.
command_flags ()
{
  jq -c '(map(startswith("-") | not) | index(true)) as $c | .[$c + 1:]' <<< "$1"
}

@test "argv: every call of the shim's lifecycle reaches runsc in runsc's syntax with the forced settings" {
  update_config '.process.args = ["sh", "-c", "echo up; exec sleep 1000"]'
  echo '{"terminal": false, "user": {"uid": 65534, "gid": 65534}, "args": ["sleep", "1000"],
    "env": ["PATH=/bin"], "cwd": "/", "capabilities": {}, "noNewPrivileges": true}' > "$TMP/process.json"

  run_to_files shim create --bundle "$BUNDLE" --pid-file "$TMP/init.pid" "$ID"
  assert_success
  run --separate-stderr shim start "$ID"
  assert_success
  run --separate-stderr shim state "$ID"
  assert_success
  [ "$(jq -r .status <<< "$output")" = running ]
  run_to_files shim exec --process "$TMP/process.json" --detach --pid-file "$TMP/exec.pid" "$ID"
  assert_success
  run --separate-stderr shim ps --format json "$ID"
  assert_success
  run --separate-stderr shim kill --all "$ID" 9
  assert_success
  poll_until gv_stopped "$ID"
  run --separate-stderr shim kill "$ID" 9
  run --separate-stderr shim delete --force "$ID"
  assert_success
  assert_nothing_left "$ID"

  cat "$RECORDER_LOG"
  # Every call, policyrun's own helper calls included.
  local line priv
  priv=$(private_bundle "$ID")
  while IFS= read -r line; do
    assert_runsc_globals "$line"
    # Never runc's spellings: no "--root R", no "-b", no "--log L".
    jq -e 'index("--root") == null and index("--log") == null and index("-b") == null
           and index("--log-format") == null' <<< "$line" > /dev/null
  done < "$RECORDER_LOG"

  local create
  create=$(calls_of create)
  [ "$(wc -l <<< "$create")" -eq 1 ]
  assert_command "$create" create 1
  [ "$(jq -r '.[-1]' <<< "$create")" = "$ID" ]
  jq -e --arg l "--log=$LOG" 'index($l) != null and index("--log-format=json") != null' <<< "$create"
  diff -u <(jq -c --arg b "$priv" --arg p "$TMP/init.pid" -n '[("--bundle=" + $b), ("--pid-file=" + $p)] | sort') \
    <(command_flags "$create" | jq -c '.[:-1] | sort')

  local start
  start=$(calls_of start)
  [ "$(wc -l <<< "$start")" -eq 1 ]
  assert_command "$start" start 1
  [ "$(jq -r '.[-1]' <<< "$start")" = "$ID" ]

  local state
  state=$(calls_of state | tail -n 1)
  assert_command "$state" state 1

  local exec process
  exec=$(calls_of exec)
  [ "$(wc -l <<< "$exec")" -eq 1 ]
  assert_command "$exec" exec 1
  [ "$(jq -r '.[-1]' <<< "$exec")" = "$ID" ]
  process=$(command_flags "$exec" | jq -r '.[] | select(startswith("--process=")) | ltrimstr("--process=")')
  # The process file runsc reads is the checked one, in the private bundle.
  [[ "$process" == "$priv/"* ]]
  command_flags "$exec" | jq -e --arg p "$TMP/exec.pid" '
      index("--pid-file=" + $p) != null
    and (index("--detach") != null or index("--detach=true") != null)
    and (map(select(startswith("--process="))) | length == 1)'

  local ps
  ps=$(calls_of ps)
  assert_command "$ps" ps 1
  command_flags "$ps" | jq -e 'index("--format=json") != null'

  local kills
  kills=$(calls_of kill)
  [ "$(wc -l <<< "$kills")" -ge 2 ]
  while IFS= read -r line; do
    assert_command "$line" kill 2
    [ "$(jq -r '.[-2]' <<< "$line")" = "$ID" ]
  done <<< "$kills"
  grep -F -- '"--all' <<< "$kills" | jq -e '.[-1] == "9" or .[-1] == "KILL" or .[-1] == "SIGKILL"'

  local delete
  delete=$(calls_of delete | tail -n 1)
  assert_command "$delete" delete 1
  command_flags "$delete" | jq -e 'index("--force") != null or index("--force=true") != null'
}

@test "argv: runc's short flags and space-separated values are rewritten (create -b, --pid-file P; exec -d)" {
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files gvisor --log "$LOG" create -b "$BUNDLE" --pid-file "$TMP/init.pid" "$ID"
  assert_success
  local create
  create=$(calls_of create)
  assert_runsc_globals "$create"
  assert_command "$create" create 1
  command_flags "$create" | jq -e --arg b "--bundle=$(private_bundle "$ID")" 'index($b) != null and index("-b") == null'
  run --separate-stderr gvisor start "$ID"
  assert_success
  run_to_files gvisor exec -d --pid-file "$TMP/exec.pid" "$ID" sleep 1000
  assert_success
  [ -s "$TMP/exec.pid" ]
  local exec
  exec=$(calls_of exec)
  assert_runsc_globals "$exec"
  # runc's -d became runsc's --detach, the pid file --pid-file=P, the id
  # comes last, and nothing single-dashed is left.  The command travels in
  # policyrun's process file, behind the seccomp loader.
  jq -e --arg id "$ID" '.[-1] == $id' <<< "$exec"
  command_flags "$exec" | jq -e --arg p "--pid-file=$TMP/exec.pid" '
      (index("--detach") != null or index("--detach=true") != null)
    and index($p) != null and all(test("^-[^-]") | not)'
  local process
  process=$(command_flags "$exec" | jq -r '.[] | select(startswith("--process=")) | ltrimstr("--process=")')
  [[ "$process" == "$(private_bundle "$ID")/exec-"*.json ]] || fail "process file: $process"
  jq -e '.args[-3:] == ["--", "sleep", "1000"]' "$process" || fail "process args: $(cat "$process")"
}

@test "argv: exec --detach without --pid-file works (runsc 20221219 alone appends its own after the id)" {
  # runsc's detached exec re-runs itself with --pid-file=TMP added after the
  # caller's arguments, where Go's flag parsing no longer reads flags: the
  # exec then fails ("sleep: invalid number '--pid-file=...'", or with
  # --process "a container-id is required").  runc has no such limit.
  update_config '.process.args = ["sleep", "1000"]'
  gv_start "$ID"
  run_to_files gvisor exec -d "$ID" sleep 1000
  assert_success
  run --separate-stderr gvisor ps --format json "$ID"
  assert_success
  jq -e 'length >= 2' <<< "$output"
}
