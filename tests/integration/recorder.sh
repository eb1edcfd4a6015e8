#!/bin/bash
# A recording OCI runtime for the tests: used as policyrun's --delegate, it
# shows exactly what policyrun hands on.
#
#   RECORDER_LOG   each call appends its argv as one JSON array line
#   RECORDER_DIR   for create/run/restore, the config.json of the bundle it
#                  was given (--bundle/-b, else the working directory) is
#                  copied to RECORDER_DIR/config-N.json, N being the call's
#                  line number in RECORDER_LOG; for exec, the --process file
#                  to RECORDER_DIR/process-N.json
#   RECORDER_EXEC  when set, exec this runtime with the same arguments;
#                  otherwise exit 0
set -eu

: "${RECORDER_LOG:?RECORDER_LOG is not set}"
: "${RECORDER_DIR:=$(dirname "$RECORDER_LOG")}"

jq -nc '$ARGS.positional' --args -- "$@" >> "$RECORDER_LOG"
n=$(wc -l < "$RECORDER_LOG")

# Find the subcommand behind runc's global flags, then the bundle or process
# flag anywhere after it, spelt as Go's flag package accepts it.
command=
bundle=
process=
i=0
args=("$@")
while [ $i -lt ${#args[@]} ]; do
  a=${args[$i]}
  if [ -z "$command" ]; then
    case $a in
      --root | -root | --log | -log | --log-format | -log-format | --criu | -criu | --rootless | -rootless)
        i=$((i + 2))
        continue
        ;;
      -*) ;;
      *) command=$a ;;
    esac
  else
    case $a in
      --bundle | -bundle | -b | --b) bundle=${args[$((i + 1))]:-} ;;
      --bundle=* | -bundle=* | -b=* | --b=*) bundle=${a#*=} ;;
      --process | -process | -p | --p) process=${args[$((i + 1))]:-} ;;
      --process=* | -process=* | -p=* | --p=*) process=${a#*=} ;;
      --) break ;;
    esac
  fi
  i=$((i + 1))
done

case $command in
  create | run | restore)
    cp -- "${bundle:-.}/config.json" "$RECORDER_DIR/config-$n.json"
    ;;
  exec)
    if [ -n "$process" ]; then
      cp -- "$process" "$RECORDER_DIR/process-$n.json"
    fi
    ;;
esac

if [ -n "${RECORDER_EXEC:-}" ]; then
  exec "$RECORDER_EXEC" "$@"
fi
exit 0
