#!/bin/bash
# Helpers for policyrun's integration tests against real runc.
#
# Every test gets its own temporary directory ($TMP) holding a busybox bundle
# ($BUNDLE, config.json from `runc spec` edited to hold the floor), a policy
# file ($POLICY, pointing state_dir at $TMP/state), a private runc root
# ($ROOT) and a log file ($LOG).  `policyrun ARGS` runs the binary under test
# with that policy and root; `__runc ARGS` runs the real runc on the same root.
# teardown_bundle kills and deletes whatever a test left behind.

bats_require_minimum_version 1.5.0

INTEGRATION_ROOT=$(cd "$BATS_TEST_DIRNAME" && pwd)
POLICYRUN=${POLICYRUN:-$INTEGRATION_ROOT/../../policyrun}
RUNC=${RUNC:-$(command -v runc || true)}
BUSYBOX=${BUSYBOX:-$(command -v busybox || true)}
RECORDER=$INTEGRATION_ROOT/recorder.sh

# The floor's compiled-in values (src/policy.c).
FLOOR_MEMORY=104857600
FLOOR_CPU_QUOTA=50000
FLOOR_CPU_PERIOD=100000
FLOOR_PIDS=256

# Syscalls a busybox shell and runc's own init need after the filter is
# loaded.  None of the floor's deny-list (mount, unshare, setns, bpf, keyctl,
# ptrace, io_uring_*, ...) is here, and clone, clone3 and socket come with the
# conditions the floor asks for (seccomp_profile), so policyrun has nothing to
# change.
SECCOMP_ALLOW=(
  accept accept4 access alarm arch_prctl bind brk capget chdir chmod chown
  clock_getres clock_gettime clock_nanosleep close close_range
  connect copy_file_range creat dup dup2 dup3 epoll_create epoll_create1
  epoll_ctl epoll_pwait epoll_wait eventfd eventfd2 execve execveat exit
  exit_group faccessat faccessat2 fadvise64 fallocate fchdir fchmod fchmodat
  fchown fchownat fcntl fdatasync fgetxattr flistxattr flock fork fstat
  fstatfs fsync ftruncate futex getcwd getdents getdents64 getegid geteuid
  getgid getgroups getitimer getpeername getpgid getpgrp getpid getppid
  getpriority getrandom getresgid getresuid getrlimit get_robust_list
  getrusage getsid getsockname getsockopt gettid gettimeofday getuid getxattr
  inotify_add_watch inotify_init inotify_init1 inotify_rm_watch ioctl kill
  lchown lgetxattr link linkat listen listxattr llistxattr lseek lstat
  madvise membarrier mincore mkdir mkdirat mknod mknodat mlock mmap mprotect
  mremap msync munlock munmap nanosleep newfstatat open openat openat2 pause
  pipe pipe2 poll ppoll prctl pread64 preadv preadv2 prlimit64 pselect6
  pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv
  recvfrom recvmmsg recvmsg rename renameat renameat2 restart_syscall rmdir
  rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn
  rt_sigsuspend rt_sigtimedwait rt_tgsigqueueinfo sched_getaffinity
  sched_getparam sched_get_priority_max sched_get_priority_min
  sched_getscheduler sched_yield select sendfile sendmmsg sendmsg sendto
  setitimer setpgid setsid setsockopt set_robust_list set_tid_address
  shutdown sigaltstack socketpair splice stat statfs statx symlink
  symlinkat sync sysinfo tee tgkill time timer_create timer_delete
  timer_getoverrun timer_gettime timer_settime timerfd_create timerfd_gettime
  timerfd_settime times tkill truncate umask uname unlink unlinkat utime
  utimensat utimes vfork wait4 waitid write writev
)

# requires NAME...: skip (saying why) when the machine lacks something.
requires ()
{
  local req
  for req in "$@"; do
    case $req in
      root)
        [ "$(id -u)" -eq 0 ] || skip "test requires root (running as uid $(id -u))"
        ;;
      runc)
        [ -n "$RUNC" ] && [ -x "$RUNC" ] || skip "test requires runc (${RUNC:-none in PATH} is not executable)"
        ;;
      busybox)
        [ -n "$BUSYBOX" ] && [ -x "$BUSYBOX" ] \
          || skip "test requires a static busybox (apt-get install busybox-static)"
        ;;
      jq)
        command -v jq > /dev/null || skip "test requires jq"
        ;;
      cgroups_v1)
        [ -e /sys/fs/cgroup/memory/memory.limit_in_bytes ] \
          || skip "test requires the cgroup v1 memory controller at /sys/fs/cgroup/memory"
        ;;
      swap_accounting)
        [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ] \
          || skip "test requires swap accounting (memory.memsw.*)"
        ;;
      *)
        fail "requires: unknown requirement $req"
        ;;
    esac
  done
}

fail ()
{
  echo "$@" >&2
  return 1
}

# The binary under test must exist: a missing binary is a failure, not a skip.
check_policyrun ()
{
  [ -x "$POLICYRUN" ] || fail "policyrun binary under test not found: $POLICYRUN (run make, or set POLICYRUN)"
}

# Build the busybox rootfs once per bats run; tests copy it.
busybox_rootfs ()
{
  local dir=$BATS_RUN_TMPDIR/busybox-rootfs
  if [ ! -x "$dir/bin/busybox" ]; then
    local tmp app
    tmp=$(mktemp -d "$BATS_RUN_TMPDIR/rootfs.XXXXXX")
    chmod 0755 "$tmp"
    mkdir -p "$tmp"/{bin,dev,proc,sys,etc,tmp,root,mnt}
    cp "$BUSYBOX" "$tmp/bin/busybox"
    for app in $("$tmp/bin/busybox" --list); do
      [ "$app" = busybox ] || ln -s busybox "$tmp/bin/$app"
    done
    printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/:/bin/false' \
      > "$tmp/etc/passwd"
    printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' > "$tmp/etc/group"
    mv -T "$tmp" "$dir" 2> /dev/null || rm -rf "$tmp"
  fi
  echo "$dir"
}

seccomp_profile ()
{
  printf '%s\n' "${SECCOMP_ALLOW[@]}" | jq -R . | jq -s '{
    defaultAction: "SCMP_ACT_ERRNO",
    defaultErrnoRet: 1,
    architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X32"],
    syscalls: [{names: ., action: "SCMP_ACT_ALLOW"},
      {names: ["clone"], action: "SCMP_ACT_ALLOW",
       args: [{index: 0, value: 2114060288, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ"}]},
      {names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38},
      {names: ["socket"], action: "SCMP_ACT_ALLOW",
       args: [1, 2, 10, 16 | {index: 0, value: ., valueTwo: 0, op: "SCMP_CMP_EQ"}]}]
  }'
}

# A floor-holding config.json in DIR: `runc spec` edited with jq.
floor_config ()
{
  local dir=$1 seccomp masked
  seccomp=$(seccomp_profile)
  # The paths newer Dockers mask besides runc's defaults (each CPU's
  # thermal_throttle where this host has one).
  masked=$(printf '%s\n' /proc/interrupts /sys/devices/virtual/powercap \
    /sys/devices/system/cpu/cpu[0-9]*/thermal_throttle | grep -v '\*' | jq -R . | jq -s .)
  (cd "$dir" && "$RUNC" spec) || return 1
  update_config --argjson sc "$seccomp" --argjson masked "$masked" '
      .process.terminal = false
    | .process.args = ["echo", "hello"]
    | .process.user = {uid: 65534, gid: 65534}
    | .process.capabilities = {}
    | .process.noNewPrivileges = true
    | .root.readonly = true
    | .linux.resources.memory = {limit: '$FLOOR_MEMORY', swap: '$FLOOR_MEMORY'}
    | .linux.resources.cpu = {quota: '$FLOOR_CPU_QUOTA', period: '$FLOOR_CPU_PERIOD'}
    | .linux.resources.pids = {limit: '$FLOOR_PIDS'}
    | .linux.maskedPaths = (.linux.maskedPaths + $masked | unique)
    | .linux.seccomp = $sc' "$dir"
}

# update_config [JQ-OPTIONS...] FILTER [BUNDLE]: edit BUNDLE's config.json
# (default $BUNDLE) in place, like runc's own helper.
update_config ()
{
  local args=("$@") dir=$BUNDLE
  if [ ${#args[@]} -ge 2 ] && [ -d "${args[-1]}" ]; then
    dir=${args[-1]}
    unset 'args[-1]'
  fi
  local f=$dir/config.json
  jq "${args[@]}" "$f" > "$f.tmp" && mv "$f.tmp" "$f"
}

# The private bundle policyrun keeps for container ID under runc root R
# (default $ROOT): STATE/ROOTKEY/ID, ROOTKEY being R with '%' -> %25 and
# '/' -> %2F.
root_key ()
{
  local r=$1
  r=${r//%/%25}
  r=${r//\//%2F}
  echo "$r"
}
private_bundle ()
{
  echo "$STATE/$(root_key "${2:-$ROOT}")/$1"
}

setup_bundle ()
{
  requires root runc busybox jq
  check_policyrun
  TMP=$BATS_TEST_TMPDIR
  BUNDLE=$TMP/bundle
  ROOT=$TMP/root
  STATE=$TMP/state
  POLICY=$TMP/policy.json
  LOG=$TMP/log.json
  ID=pr$$-$BATS_TEST_NUMBER
  mkdir -p "$BUNDLE" "$ROOT"
  cp -a "$(busybox_rootfs)" "$BUNDLE/rootfs"
  floor_config "$BUNDLE"
  write_policy "{}"
}

# write_policy JSON: the test's policy file, state_dir always added.
write_policy ()
{
  jq -n --arg s "$STATE" --arg t "$TMP/trail/decisions.jsonl" --argjson p "$1" \
    '{trail_file: $t} + $p + {state_dir: $s}' > "$POLICY"
}

teardown_bundle ()
{
  [ -n "${ROOT:-}" ] && [ -d "$ROOT" ] || return 0
  local id
  for id in $("$RUNC" --root "$ROOT" list -q 2> /dev/null); do
    "$RUNC" --root "$ROOT" kill "$id" KILL > /dev/null 2>&1 || true
    "$RUNC" --root "$ROOT" delete -f "$id" > /dev/null 2>&1 || true
  done
}

# policyrun ARGS...: the binary under test with this test's policy and root.
policyrun ()
{
  "$POLICYRUN" --policy "$POLICY" --root "$ROOT" "$@"
}

# __runc ARGS...: the real runc on this test's root.
__runc ()
{
  "$RUNC" --root "$ROOT" "$@"
}

# The container's status as runc reports it, or "absent".
container_status ()
{
  local state
  if state=$(__runc state "$1" 2> /dev/null); then
    jq -r .status <<< "$state"
  else
    echo absent
  fi
}

wait_for_status ()
{
  local id=$1 want=$2 i
  for i in $(seq 50); do
    [ "$(container_status "$id")" = "$want" ] && return 0
    sleep 0.1
  done
  fail "container $id did not reach status $want (is $(container_status "$id"))"
}

# The container's cgroup directory for CONTROLLER, from its init's /proc/PID/cgroup.
container_cgroup ()
{
  local id=$1 ctrl=$2 pid path
  pid=$(__runc state "$id" | jq -r .pid) || return 1
  path=$(awk -F: -v c="$ctrl" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' \
    "/proc/$pid/cgroup")
  [ -n "$path" ] || fail "no $ctrl cgroup for pid $pid"
  echo "/sys/fs/cgroup/$ctrl$path"
}

# No container and no private bundle exist for ID.
assert_nothing_created ()
{
  local id=${1:-$ID} listed
  listed=$(__runc list -q 2> /dev/null || true)
  if grep -qx -- "$id" <<< "$listed"; then
    fail "container $id exists after a refusal: $(__runc state "$id")"
  fi
  [ ! -e "$(private_bundle "$id")" ] || fail "private bundle $(private_bundle "$id") exists after a refusal"
}

# assert_log_line [MSG]: $LOG holds exactly one line, runc's json log shape:
# {"level":"error","msg":"policyrun: ...","time":"RFC 3339"}, msg == MSG if given.
assert_log_line ()
{
  [ -s "$LOG" ] || fail "no line in --log $LOG"
  local n
  n=$(wc -l < "$LOG")
  [ "$n" -eq 1 ] || fail "--log has $n lines, want exactly 1: $(cat "$LOG")"
  jq -e '
      type == "object"
    and (keys == ["level", "msg", "time"])
    and .level == "error"
    and (.msg | type == "string" and startswith("policyrun:"))
    and (.time | type == "string"
         and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"))
  ' "$LOG" > /dev/null || fail "--log line has the wrong shape: $(cat "$LOG")"
  if [ $# -ge 1 ]; then
    local msg
    msg=$(jq -r .msg "$LOG")
    [ "$msg" = "$1" ] || fail "--log msg differs from stderr: log '$msg' stderr '$1'"
  fi
}

# assert_error REASON...: after `run --separate-stderr`, a non-floor refusal:
# exit 1, nothing on stdout, one stderr line "policyrun: ..." holding every
# REASON (extended regexps, case-insensitive).
assert_error ()
{
  [ "$status" -eq 1 ] || fail "exit status $status, want 1 (stdout: $output; stderr: $stderr)"
  [ -z "$output" ] || fail "stdout not empty: $output"
  [ "${#stderr_lines[@]}" -eq 1 ] || fail "stderr has ${#stderr_lines[@]} lines, want 1: $stderr"
  [[ "$stderr" == "policyrun: "* ]] || fail "stderr does not start with 'policyrun: ': $stderr"
  local re
  for re in "$@"; do
    grep -Eqi -- "$re" <<< "$stderr" || fail "stderr does not match /$re/: $stderr"
  done
}

# assert_violation RULE FIELD-REGEX [FIX-REGEX]: the refusal line has a
# violation of RULE on a field matching FIELD-REGEX (anchored at the start of
# the field), whose fix (after the last "; ") matches FIX-REGEX.
assert_violation ()
{
  local rule=$1 field=$2 fix=${3:-} body item found=
  [[ "$stderr" =~ ^policyrun:\ refused\ by\ floor\ \(([0-9]+)\ violations?\):\ (.*)$ ]] \
    || fail "not a floor refusal: $stderr"
  body=${BASH_REMATCH[2]}
  while IFS= read -r item; do
    if [[ "$item" =~ ^$rule:\ ($field)[^\ ]*\ (.*)$ ]]; then
      if [ -z "$fix" ]; then
        found=1
      elif [[ "$item" == *"; "* ]] && grep -Eq -- "$fix" <<< "${item##*; }"; then
        found=1
      fi
    fi
  done < <(violation_items "$body")
  [ -n "$found" ] || fail "no '$rule: $field ... ; $fix' in: $stderr"
}

# violation_items BODY: one line per violation of a refusal's body, each
# ending in "; FIX" when its group has one.  Groups are " | "-separated; in a
# group, violations are "; "-separated: "rule: field detail", or "field
# detail" of the rule before; the group's fix (when it has one) is its last
# "; " segment that is not an item.
violation_items ()
{
  local group
  while IFS= read -r group; do
    awk -v g="$group" 'BEGIN {
      n = split(g, seg, "; ")
      fix = ""
      if (n > 1 && seg[n] !~ /^[a-z-]+: /) { fix = seg[n]; n-- }
      cur = ""; rule = ""
      for (i = 1; i <= n; i++) {
        item = ""
        if (seg[i] ~ /^[a-z-]+: /) { rule = substr(seg[i], 1, index(seg[i], ":")); item = seg[i] }
        else if (rule != "" && seg[i] ~ /^[A-Za-z_-]+[.[][^ ]* /) item = rule " " seg[i]
        if (item != "") { if (cur != "") print cur (fix != "" ? "; " fix : ""); cur = item }
        else cur = (cur == "" ? seg[i] : cur "; " seg[i])
      }
      if (cur != "") print cur (fix != "" ? "; " fix : "")
    }'
  done < <(sed 's/ | /\n/g' <<< "$1")
}

# The number of violations the refusal line announces.
violation_count ()
{
  [[ "$stderr" =~ ^policyrun:\ refused\ by\ floor\ \(([0-9]+)\ violations?\): ]] || return 1
  echo "${BASH_REMATCH[1]}"
}

# refuse_create RULE FIELD-REGEX [FIX-REGEX]: `policyrun create` of $BUNDLE
# must be refused for that rule, in the documented shape, creating nothing.
refuse_create ()
{
  rm -f "$LOG"
  run_to_files policyrun --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
  assert_error "^policyrun: refused by floor \([0-9]+ violations?\): "
  assert_violation "$@"
  assert_log_line "$stderr"
  assert_nothing_created "$ID"
}

# run_to_files CMD...: like `run --separate-stderr`, for commands whose
# children keep stdout open (create, run -d): bats' `run` would wait for the
# container to exit.  Sets status, output, lines, stderr, stderr_lines.
run_to_files ()
{
  local o=$BATS_TEST_TMPDIR/.stdout e=$BATS_TEST_TMPDIR/.stderr
  status=0
  "$@" > "$o" 2> "$e" < /dev/null || status=$?
  output=$(cat "$o")
  stderr=$(cat "$e")
  mapfile -t lines < "$o"
  mapfile -t stderr_lines < "$e"
}

# Create and start $ID (args `sleep 1000`) through policyrun.
start_container ()
{
  update_config '.process.args = ["sleep", "1000"]'
  run_to_files policyrun create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "policyrun create failed ($status): $stderr"
  run --separate-stderr policyrun start "$ID"
  [ "$status" -eq 0 ] || fail "policyrun start failed ($status): $stderr"
  wait_for_status "$ID" running
}

# Docker maps these phrases in a runtime's error to exit codes 126/127.
refute_docker_phrases ()
{
  if grep -Eqi 'permission denied|no such file or directory|executable file not found' <<< "$1"; then
    fail "message holds a phrase Docker maps to 126/127: $1"
  fi
}

# After `run` or run_to_files: exit status 0, else show what was said.
assert_success ()
{
  [ "$status" -eq 0 ] || fail "exit status $status, want 0; stdout: $output; stderr: ${stderr:-}"
}

# The recorder's calls other than helper "state ID" calls (the watchdog's
# and the cleaner's, which come after the main call).
main_calls ()
{
  jq -s 'map(select(length < 2 or .[-2] != "state")) | length' "$RECORDER_LOG"
}

# poll_until CMD...: run CMD every 0.1 s until it succeeds; fail after 60 s.
# For outcomes another process brings about (a watchdog, a cleaner): the
# bound only ends a test that would otherwise hang, it asserts no timing.
poll_until ()
{
  local i
  for i in $(seq 600); do
    "$@" && return 0
    sleep 0.1
  done
  fail "still not true after 60 s: $*"
}

# The private bundle of ID (under root R, default $ROOT) does not exist.
no_private_bundle ()
{
  [ ! -e "$(private_bundle "$1" "${2:-$ROOT}")" ]
}

# The container is gone or stopped.
container_stopped ()
{
  local s
  s=$(container_status "$1")
  [ "$s" = stopped ] || [ "$s" = absent ]
}

# The pids of policyrun's deadline watchdogs that hold a pidfd of process PID.
watchdogs_of ()
{
  local pid=$1 f p
  for f in /proc/[0-9]*/fdinfo/*; do
    p=${f#/proc/}
    p=${p%%/*}
    [ "$(cat "/proc/$p/comm" 2> /dev/null)" = policyrun-watch ] || continue
    grep -qx "Pid:[[:space:]]*$pid" "$f" 2> /dev/null && echo "$p"
  done | sort -u
}

# The lock file of ID under root R (default $ROOT): beside its private bundle.
bundle_lock_file ()
{
  echo "$(private_bundle "$1" "${2:-$ROOT}")@lock"
}

# policyrun's detached helpers (cleaners, watchdogs) of this test that still
# live: their command line is the policyrun call they were forked from,
# which names this test's files.
helpers_alive ()
{
  local p
  for p in /proc/[0-9]*; do
    [[ "$(cat "$p/comm" 2> /dev/null)" == policyrun-* ]] || continue
    [ "$(awk '{ print $3 }' "$p/stat" 2> /dev/null)" != Z ] || continue
    tr '\0' ' ' < "$p/cmdline" 2> /dev/null | grep -qF -- "$TMP/" && echo "${p#/proc/}"
  done
  return 0
}

no_helpers_left ()
{
  [ -z "$(helpers_alive)" ]
}

# ---- the probe's table (tests/probe) -------------------------------------

# table_value NAME [TEXT]: the value of row NAME in TEXT (default $output),
# or MISSING.
table_value ()
{
  awk -v n="$1" '$1 == n { print $2; found = 1; exit } END { if (!found) print "MISSING" }' \
    <<< "${2-$output}"
}

# expect_row NAME VALUE [TEXT]: the table has NAME = VALUE.
expect_row ()
{
  local v
  v=$(table_value "$1" "${3-$output}")
  [ "$v" = "$2" ] || fail "$1 is '$v', want '$2'"
}

# expect_row_not NAME VALUE: NAME is in the table and differs from VALUE.
expect_row_not ()
{
  local v
  v=$(table_value "$1")
  [ "$v" != MISSING ] || fail "$1 missing from the table"
  [ "$v" != "$2" ] || fail "$1 is '$v', want anything else"
}

# The seccomp escape program's output (runc-seccomp.bats,
# runc-harden-seccomp.bats) in $output.
# expect NAME RESULT: the program's line for NAME starts with RESULT.
expect ()
{
  grep -qx -- "$1 $2.*" <<< "$output" || fail "expected '$1 $2', got: $(grep -- "^$1 " <<< "$output")"
}

# fails NAME: the attempt did not succeed (an errno or the filter's kill).
fails ()
{
  grep -q -- "^$1 " <<< "$output" || fail "no line for $1"
  ! grep -qx -- "$1 ok" <<< "$output" || fail "$1 succeeded through policyrun"
}
