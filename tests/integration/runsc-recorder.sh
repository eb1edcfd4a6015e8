#!/bin/bash
# recorder.sh under a name that starts with "runsc", so that policyrun takes
# it for runsc and speaks runsc's dialect to it (delegate_dialect_of).  Set
# RECORDER_EXEC to the real runsc to record the calls of a real container.
exec "$(dirname "$(readlink -f "$0")")/recorder.sh" "$@"
