#!/usr/bin/env bats
# Choosing the engine: --gvisor, the policyrun-gvisor name and a policy's
# "delegate": "runsc" hand the container to runsc; plain policyrun with the
# default policy still hands it to runc.

load helpers
load gvisor-helpers

setup ()
{
  setup_gvisor
  update_config '.process.args = ["sleep", "1000"]'
}

teardown ()
{
  teardown_bundle
  teardown_gvisor
}

# ran_under_gvisor ID: runsc knows ID, runc does not, and the pid the
# engine is given is a gVisor sandbox.
ran_under_gvisor ()
{
  local id=$1 pid
  gv_has_status "$id" created || fail "runsc does not know $id (status $(gv_status "$id"))"
  [ "$(container_status "$id")" = absent ] || fail "runc knows $id"
  pid=$(sandbox_pid "$id")
  [ "$(tr '\0' ' ' < "/proc/$pid/cmdline" | cut -d' ' -f1)" = runsc-sandbox ] \
    || fail "pid $pid of $id is not a runsc sandbox: $(tr '\0' ' ' < "/proc/$pid/cmdline")"
}

@test "select: --gvisor hands the container to runsc" {
  run_to_files "$POLICYRUN" --gvisor --policy "$POLICY" --root "$ROOT" create --bundle "$BUNDLE" "$ID"
  assert_success
  ran_under_gvisor "$ID"
  run --separate-stderr "$POLICYRUN" --gvisor --policy "$POLICY" --root "$ROOT" delete --force "$ID"
  assert_success
  assert_nothing_left "$ID"
}

@test "select: --gvisor=true (Go's boolean syntax) hands the container to runsc" {
  run_to_files "$POLICYRUN" --gvisor=true --policy "$POLICY" --root "$ROOT" create --bundle "$BUNDLE" "$ID"
  assert_success
  ran_under_gvisor "$ID"
}

@test "select: the binary invoked as policyrun-gvisor hands the container to runsc" {
  local dir=$TMP/bin
  mkdir -m 0700 "$dir"
  [ "$(stat -c '%u %a' "$dir")" = "0 700" ]
  ln -s "$(readlink -f "$POLICYRUN")" "$dir/policyrun-gvisor"
  run_to_files "$dir/policyrun-gvisor" --policy "$POLICY" --root "$ROOT" create --bundle "$BUNDLE" "$ID"
  assert_success
  ran_under_gvisor "$ID"
  # Every later call through that name speaks to runsc too.
  run --separate-stderr "$dir/policyrun-gvisor" --policy "$POLICY" --root "$ROOT" state "$ID"
  assert_success
  [ "$(jq -r .status <<< "$output")" = created ]
  run --separate-stderr "$dir/policyrun-gvisor" --policy "$POLICY" --root "$ROOT" delete --force "$ID"
  assert_success
  assert_nothing_left "$ID"
}

@test "select: a policy with \"delegate\": \"runsc\" makes plain policyrun use runsc" {
  write_policy '{"delegate": "runsc"}'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  ran_under_gvisor "$ID"
  run --separate-stderr policyrun delete --force "$ID"
  assert_success
  assert_nothing_left "$ID"
}

@test "select: with the default policy plain policyrun uses runc" {
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  assert_success
  [ "$(container_status "$ID")" = created ]
  [ "$(gv_status "$ID")" = absent ]
  local pid
  pid=$(__runc state "$ID" | jq -r .pid)
  [ "$(cat "/proc/$pid/comm")" = "runc:[2:INIT]" ]
  no_runsc_left
}
