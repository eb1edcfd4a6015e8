#!/usr/bin/env bats
# The document's three security tests (code/*.py, byte for byte as the
# document prints them) run through `docker run --runtime=policyrun` with the
# document's flags plus --user, in a Python image built from Debian's
# packages, and each prints its PASS line.

load docker-helpers

setup_file ()
{
  docker_setup_file
}

teardown_file ()
{
  docker_teardown_file
}

teardown ()
{
  docker_debug
}

# run_document_test NAME: the document's command for code/NAME.py.
run_document_test ()
{
  run docker_run_floor -v "$CODE/$1.py:/code.py:ro" "$PYTHON_IMAGE" python3 /code.py
}

@test "the document's network test passes through policyrun" {
  run_document_test network
  [ "$status" -eq 0 ]
  [ "$output" = "✅ PASS: Network blocked" ]
}

@test "the document's filesystem test passes through policyrun" {
  run_document_test filesystem
  [ "$status" -eq 0 ]
  [ "$output" = "✅ PASS: Filesystem read-only" ]
}

@test "the document's capability test passes through policyrun" {
  run_document_test capability
  [ "$status" -eq 0 ]
  [ "$output" = "✅ PASS: Cannot change UID" ]
}

@test "the document's exact flags without --user are refused, naming --user" {
  local flags
  mapfile -d '' flags < <(floor_flags_without "--user 65534:65534")
  run docker run --rm --runtime=policyrun "${flags[@]}" -v "$CODE/capability.py:/code.py:ro" \
    "$PYTHON_IMAGE" python3 /code.py
  assert_docker_refused "--user"
  [[ "$output" != *"PASS"* ]]
  [ -z "$(private_bundles)" ]
}
