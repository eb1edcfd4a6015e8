/* policyrun: runc's global flags, commands and each command's flags, as
   data: the union of runc 1.1 to 1.5 (see cli.c for the sources).  */
#include "config.h"

#include "cli-internal.h"

/* urfave/cli adds "help, h" to the app and to every command (HideHelp is
   never set by runc), and "version, v" to the app.  */
const struct flag_def cli_help_flag = { "help", "h", FT_BOOL };

/* Global flags, the union of runc 1.1 to 1.5.  --criu exists in 1.1 to 1.3
   (ignored with a warning since 1.2) and is gone in 1.4.  */
const struct flag_def cli_global_flags[] = {
  { "debug", NULL, FT_BOOL },        { "log", NULL, FT_STRING },
  { "log-format", NULL, FT_STRING }, { "root", NULL, FT_STRING },
  { "criu", NULL, FT_STRING },       { "systemd-cgroup", NULL, FT_BOOL },
  { "rootless", NULL, FT_STRING },   { "help", "h", FT_BOOL },
  { "version", "v", FT_BOOL },       FLAGS_END,
};

/* tcp-skip-in-flight and link-remap: 1.3+.  */
static const struct flag_def checkpoint_flags[] = {
  { "image-path", NULL, FT_STRING },
  { "work-path", NULL, FT_STRING },
  { "parent-path", NULL, FT_STRING },
  { "leave-running", NULL, FT_BOOL },
  { "tcp-established", NULL, FT_BOOL },
  { "tcp-skip-in-flight", NULL, FT_BOOL },
  { "link-remap", NULL, FT_BOOL },
  { "ext-unix-sk", NULL, FT_BOOL },
  { "shell-job", NULL, FT_BOOL },
  { "lazy-pages", NULL, FT_BOOL },
  { "status-fd", NULL, FT_INT },
  { "page-server", NULL, FT_STRING },
  { "file-locks", NULL, FT_BOOL },
  { "pre-dump", NULL, FT_BOOL },
  { "manage-cgroups-mode", NULL, FT_STRING },
  { "empty-ns", NULL, FT_STRING_SLICE },
  { "auto-dedup", NULL, FT_BOOL },
  FLAGS_END,
};

/* pidfd-socket: 1.2+.  runc after 1.5 (urfave/cli v3) adds --config, a
   second path to the spec: it is deliberately unknown here, so refused.  */
static const struct flag_def create_flags[] = {
  { "bundle", "b", FT_STRING },        { "console-socket", NULL, FT_STRING },
  { "pidfd-socket", NULL, FT_STRING }, { "pid-file", NULL, FT_STRING },
  { "no-pivot", NULL, FT_BOOL },       { "no-new-keyring", NULL, FT_BOOL },
  { "preserve-fds", NULL, FT_INT },    FLAGS_END,
};

static const struct flag_def delete_flags[] = {
  { "force", "f", FT_BOOL },
  FLAGS_END,
};

static const struct flag_def events_flags[] = {
  { "interval", NULL, FT_DURATION },
  { "stats", NULL, FT_BOOL },
  FLAGS_END,
};

/* pidfd-socket: 1.2+.  */
static const struct flag_def exec_flags[] = {
  { "console-socket", NULL, FT_STRING },
  { "pidfd-socket", NULL, FT_STRING },
  { "cwd", NULL, FT_STRING },
  { "env", "e", FT_STRING_SLICE },
  { "tty", "t", FT_BOOL },
  { "user", "u", FT_STRING },
  { "additional-gids", "g", FT_INT64_SLICE },
  { "process", "p", FT_STRING },
  { "detach", "d", FT_BOOL },
  { "pid-file", NULL, FT_STRING },
  { "process-label", NULL, FT_STRING },
  { "apparmor", NULL, FT_STRING },
  { "no-new-privs", NULL, FT_BOOL },
  { "cap", "c", FT_STRING_SLICE },
  { "preserve-fds", NULL, FT_INT },
  { "cgroup", NULL, FT_STRING_SLICE },
  { "ignore-paused", NULL, FT_BOOL },
  FLAGS_END,
};

/* -a is deprecated since 1.2 but still accepted.  */
static const struct flag_def kill_flags[] = {
  { "all", "a", FT_BOOL },
  FLAGS_END,
};

static const struct flag_def list_flags[] = {
  { "format", "f", FT_STRING },
  { "quiet", "q", FT_BOOL },
  FLAGS_END,
};

static const struct flag_def ps_flags[] = {
  { "format", "f", FT_STRING },
  FLAGS_END,
};

static const struct flag_def restore_flags[] = {
  { "console-socket", NULL, FT_STRING },
  { "image-path", NULL, FT_STRING },
  { "work-path", NULL, FT_STRING },
  { "tcp-established", NULL, FT_BOOL },
  { "ext-unix-sk", NULL, FT_BOOL },
  { "shell-job", NULL, FT_BOOL },
  { "file-locks", NULL, FT_BOOL },
  { "manage-cgroups-mode", NULL, FT_STRING },
  { "bundle", "b", FT_STRING },
  { "detach", "d", FT_BOOL },
  { "pid-file", NULL, FT_STRING },
  { "no-subreaper", NULL, FT_BOOL },
  { "no-pivot", NULL, FT_BOOL },
  { "empty-ns", NULL, FT_STRING_SLICE },
  { "auto-dedup", NULL, FT_BOOL },
  { "lazy-pages", NULL, FT_BOOL },
  { "lsm-profile", NULL, FT_STRING },
  { "lsm-mount-context", NULL, FT_STRING },
  FLAGS_END,
};

/* pidfd-socket: 1.2+.  */
static const struct flag_def run_flags[] = {
  { "bundle", "b", FT_STRING },
  { "console-socket", NULL, FT_STRING },
  { "pidfd-socket", NULL, FT_STRING },
  { "detach", "d", FT_BOOL },
  { "keep", NULL, FT_BOOL },
  { "pid-file", NULL, FT_STRING },
  { "no-subreaper", NULL, FT_BOOL },
  { "no-pivot", NULL, FT_BOOL },
  { "no-new-keyring", NULL, FT_BOOL },
  { "preserve-fds", NULL, FT_INT },
  FLAGS_END,
};

static const struct flag_def spec_flags[] = {
  { "bundle", "b", FT_STRING },
  { "rootless", NULL, FT_BOOL },
  FLAGS_END,
};

/* cpu-burst and cpu-idle: 1.2+; kernel-memory and kernel-memory-tcp are
   hidden and ignored, but still parsed.  Most numbers are StringFlags that
   runc converts itself after parsing.  */
static const struct flag_def update_flags[] = {
  { "resources", "r", FT_STRING },
  { "blkio-weight", NULL, FT_INT },
  { "cpu-period", NULL, FT_STRING },
  { "cpu-quota", NULL, FT_STRING },
  { "cpu-burst", NULL, FT_STRING },
  { "cpu-share", NULL, FT_STRING },
  { "cpu-rt-period", NULL, FT_STRING },
  { "cpu-rt-runtime", NULL, FT_STRING },
  { "cpuset-cpus", NULL, FT_STRING },
  { "cpuset-mems", NULL, FT_STRING },
  { "kernel-memory", NULL, FT_STRING },
  { "kernel-memory-tcp", NULL, FT_STRING },
  { "memory", NULL, FT_STRING },
  { "cpu-idle", NULL, FT_STRING },
  { "memory-reservation", NULL, FT_STRING },
  { "memory-swap", NULL, FT_STRING },
  { "pids-limit", NULL, FT_INT },
  { "l3-cache-schema", NULL, FT_STRING },
  { "mem-bw-schema", NULL, FT_STRING },
  FLAGS_END,
};

static const struct flag_def no_flags[] = {
  FLAGS_END,
};

const struct command_def cli_commands[] = {
  { "checkpoint", NULL, CMD_PASSTHROUGH, false, 1, 1, checkpoint_flags },
  { "create", NULL, CMD_CREATE, false, 1, 1, create_flags },
  { "delete", NULL, CMD_DELETE, false, 1, 1, delete_flags },
  { "events", NULL, CMD_PASSTHROUGH, false, 1, 1, events_flags },
  { "exec", NULL, CMD_EXEC, true, 1, -1, exec_flags },
  { "kill", NULL, CMD_PASSTHROUGH, false, 1, 2, kill_flags },
  { "list", NULL, CMD_PASSTHROUGH, false, 0, 0, list_flags },
  { "pause", NULL, CMD_PASSTHROUGH, false, 1, 1, no_flags },
  { "ps", NULL, CMD_PASSTHROUGH, true, 1, -1, ps_flags },
  { "restore", NULL, CMD_RESTORE, false, 1, 1, restore_flags },
  { "resume", NULL, CMD_PASSTHROUGH, false, 1, 1, no_flags },
  { "run", NULL, CMD_RUN, false, 1, 1, run_flags },
  { "spec", NULL, CMD_PASSTHROUGH, false, 0, 0, spec_flags },
  { "start", NULL, CMD_START, false, 1, 1, no_flags },
  { "state", NULL, CMD_PASSTHROUGH, false, 1, 1, no_flags },
  { "update", NULL, CMD_UPDATE, false, 1, 1, update_flags },
  { "features", NULL, CMD_PASSTHROUGH, false, 0, 0, no_flags },
  /* urfave's own help command; it has only the help flag.  */
  { "help", "h", CMD_PASSTHROUGH, false, 0, -1, no_flags },
};

const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];
