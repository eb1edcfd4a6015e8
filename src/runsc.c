/* policyrun: the caller's runc command line in runsc's own syntax (gVisor
   release 20221219), and runsc's global flags judged by one table.

   Facts measured against /usr/bin/runsc 20221219 (see tests/unit/test-runsc.c
   for the call shapes): every subcommand parses its flags with Go's flag
   package and stops at its first argument, so all flags are written as
   --name=value before the arguments; runsc kill reads a signal as runc does
   (strconv.Atoi, else the name upper-cased with "SIG" added) and refuses
   what it does not know; runsc ps takes no ps options; runsc events takes
   --interval in whole seconds; runsc list knows "text" and "json", not
   "table"; runsc exec --user=UID gives gid 0 where runc keeps the process's
   gid; runsc delete takes several ids.  */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli-internal.h"
#include "gosyntax.h"
#include "runsc.h"
#include "util.h"

/* ------------------------------------------------------------------------ */
/* The forced settings and runsc's global flags.                             */

/* Each verified by hand on create, start, state, exec, ps, kill, pause,
   resume, events, list and delete with runsc 20221219, and a container
   still runs under all of them.  */
const char *const runsc_forced_globals[] = {
  "--network=none",              /* runsc's default "sandbox" network reaches the host's */
  "--oci-seccomp",               /* without it the spec's seccomp profile is ignored */
  "--host-uds=none",             /* no host Unix sockets opened or created */
  "--host-fifo=none",            /* no host FIFOs opened */
  "--fsgofer-host-uds=false",    /* the deprecated spelling of --host-uds=all */
  "--file-access=exclusive",     /* the root file system is not shared with the host */
  "--overlay2=none",             /* no overlay in memory or in a host directory */
  "--allow-flag-override=false", /* dev.gvisor.flag.* annotations change no flag */
  NULL,
};

#define RUNC(n, t)                                                                                 \
  {                                                                                                \
    .def = { n, NULL, t }, .verdict = EV_RUNC                                                      \
  }
#define PASS(n, t)                                                                                 \
  {                                                                                                \
    .def = { n, NULL, t }, .verdict = EV_PASS                                                      \
  }
#define FORCED(n, t, v, w)                                                                         \
  {                                                                                                \
    .def = { n, NULL, t }, .verdict = EV_FORCED, .value = v, .why = w                              \
  }
#define REFUSE(n, t, w)                                                                            \
  {                                                                                                \
    .def = { n, NULL, t }, .verdict = EV_REFUSE, .why = w                                          \
  }

#define NO_NETWORK "network tuning, and policyrun's sandbox has no network"
#define HOST_FD "hands one of the caller's host descriptors to the sandbox"
#define DEPRECATED "deprecated and without effect in runsc 20221219: remove it"
#define STRACE "traces the container's system calls into runsc's logs"
#define PROFILE "profiles need --profile, which loosens the sandbox's seccomp filter"

/* Every global flag of runsc 20221219 (`runsc flags`), with its Go type
   ("value" flags are string-like) and policyrun's verdict.  Passed through
   are only logging to files the caller names, and settings that neither open
   host access nor change what the sandbox enforces; everything else is
   refused (fail closed), each with its reason.  */
const struct engine_flag_def runsc_global_flags[] = {
  REFUSE ("EXPERIMENTAL-afxdp", FT_BOOL, NO_NETWORK),
  REFUSE ("TESTONLY-allow-packet-endpoint-write", FT_BOOL, "a test-only flag"),
  REFUSE ("TESTONLY-test-name-env", FT_STRING, "a test-only flag"),
  REFUSE ("TESTONLY-unsafe-nonroot", FT_BOOL,
          "a test-only flag that skips the sandbox's isolation from the host"),
  FORCED ("allow-flag-override", FT_BOOL, "false",
          "it lets dev.gvisor.flag.* annotations override runsc's flags"),
  PASS ("alsologtostderr", FT_BOOL),
  PASS ("buffer-pooling", FT_BOOL),
  REFUSE ("cgroupfs", FT_BOOL, "mounts a cgroup file system inside the sandbox"),
  REFUSE ("coverage-fd", FT_INT, HOST_FD),
  REFUSE ("coverage-report", FT_STRING, "for coverage builds of runsc only"),
  PASS ("cpu-num-from-quota", FT_BOOL),
  PASS ("dcache", FT_INT),
  RUNC ("debug", FT_BOOL),
  PASS ("debug-command", FT_STRING),
  PASS ("debug-log", FT_STRING),
  REFUSE ("debug-log-fd", FT_INT, HOST_FD "; use --debug-log"),
  PASS ("debug-log-format", FT_STRING),
  PASS ("enable-core-tags", FT_BOOL),
  PASS ("fdlimit", FT_INT),
  FORCED ("file-access", FT_STRING, "exclusive",
          "shared access lets the host change the root file system under the sandbox"),
  REFUSE ("file-access-mounts", FT_STRING, "changes how the sandbox shares volumes with the host"),
  FORCED ("fsgofer-host-uds", FT_BOOL, "false", "it lets the sandbox connect to host Unix sockets"),
  REFUSE ("fuse", FT_BOOL, DEPRECATED),
  REFUSE ("gso", FT_BOOL, NO_NETWORK),
  REFUSE ("gvisor-gro", FT_DURATION, NO_NETWORK),
  FORCED ("host-fifo", FT_STRING, "none", "it lets the sandbox open host FIFOs"),
  FORCED ("host-uds", FT_STRING, "none", "it lets the sandbox open or create host Unix sockets"),
  REFUSE ("ignore-cgroups", FT_BOOL, "runsc would apply no cgroup limits at all"),
  REFUSE ("lisafs", FT_BOOL, DEPRECATED),
  RUNC ("log", FT_STRING),
  REFUSE ("log-fd", FT_INT, HOST_FD " and hides --log; use --log"),
  RUNC ("log-format", FT_STRING),
  REFUSE ("log-packets", FT_BOOL, "logs the sandbox's network packets"),
  REFUSE ("net-raw", FT_BOOL, "gives the container raw sockets"),
  FORCED ("network", FT_STRING, "none",
          "runsc's sandbox and host networks reach the host's network"),
  REFUSE ("num-network-channels", FT_INT, NO_NETWORK),
  FORCED ("oci-seccomp", FT_BOOL, "true", "without it runsc ignores the spec's seccomp profile"),
  REFUSE ("overlay", FT_BOOL, "an overlay keeps the container's writes outside the floor's limits"),
  FORCED ("overlay2", FT_STRING, "none",
          "an overlay keeps the container's writes in memory or in a host directory"),
  PASS ("panic-log", FT_STRING),
  REFUSE ("panic-log-fd", FT_INT, HOST_FD "; use --panic-log"),
  REFUSE ("panic-signal", FT_INT, "lets a host signal make the sandbox panic (debugging)"),
  REFUSE ("pcap-log", FT_STRING, "records the sandbox's network packets"),
  REFUSE ("platform", FT_STRING, "policyrun runs gVisor on its default platform, ptrace"),
  REFUSE ("platform_device_path", FT_STRING, "opens a host device for the platform"),
  REFUSE ("pod-init-config", FT_STRING, "runs pod set-up steps from a host file"),
  REFUSE ("profile", FT_BOOL, "loosens the sandbox's seccomp filter for Go's profiler"),
  REFUSE ("profile-block", FT_STRING, PROFILE),
  REFUSE ("profile-cpu", FT_STRING, PROFILE),
  REFUSE ("profile-heap", FT_STRING, PROFILE),
  REFUSE ("profile-mutex", FT_STRING, PROFILE),
  REFUSE ("qdisc", FT_STRING, NO_NETWORK),
  REFUSE ("ref-leak-mode", FT_STRING, "a debugging aid that slows the sandbox"),
  RUNC ("root", FT_STRING),
  RUNC ("rootless", FT_BOOL),
  REFUSE ("rx-checksum-offload", FT_BOOL, NO_NETWORK),
  REFUSE ("software-gso", FT_BOOL, NO_NETWORK),
  REFUSE ("strace", FT_BOOL, STRACE),
  REFUSE ("strace-event", FT_BOOL, STRACE),
  REFUSE ("strace-log-size", FT_UINT, STRACE),
  REFUSE ("strace-syscalls", FT_STRING, STRACE),
  RUNC ("systemd-cgroup", FT_BOOL),
  REFUSE ("trace", FT_STRING, "writes a Go execution trace of the sandbox (debugging)"),
  REFUSE ("traceback", FT_STRING,
          "changes the Go runtime's traceback level (\"crash\" dumps the sandbox's memory)"),
  REFUSE ("tx-checksum-offload", FT_BOOL, NO_NETWORK),
  RUNC ("version", FT_BOOL),
  REFUSE ("vfs2", FT_BOOL, DEPRECATED),
  PASS ("watchdog-action", FT_STRING),
  { .def = { NULL, NULL, FT_BOOL } },
};

const struct engine_flag_def *
runsc_global_flag (const char *name, size_t len)
{
  for (const struct engine_flag_def *e = runsc_global_flags; e->def.name != NULL; e++)
    if (strlen (e->def.name) == len && memcmp (e->def.name, name, len) == 0)
      return e;
  return NULL;
}

/* The command that leads every message.  */
static const char *
command_of (const struct command_line *cl)
{
  return cl->command != NULL ? cl->command : "runsc";
}

int
runsc_check_engine_flags (const struct command_line *cl, char **err)
{
  const char *cmd = command_of (cl);
  for (size_t i = 0; i < cl->nengine_flags; i++)
    {
      const struct cli_flag *f = &cl->engine_flags[i];
      const struct engine_flag_def *e = runsc_global_flag (f->name, strlen (f->name));
      if (e == NULL || e->verdict == EV_RUNC)
        return fail (err, "%s: --%s is not a runsc flag policyrun knows", cmd, f->name);
      switch (e->verdict)
        {
        case EV_PASS:
          continue;
        case EV_FORCED:
          if (strcmp (f->value, e->value) == 0)
            continue;
          return fail (err, "%s: --%s=%s is refused under gVisor: only --%s=%s is taken (%s)", cmd,
                       f->name, f->value, f->name, e->value, e->why);
        case EV_REFUSE:
        case EV_RUNC:
          break;
        }
      return fail (err, "%s: --%s=%s is refused under gVisor: it %s", cmd, f->name, f->value,
                   e->why);
    }
  return 0;
}

/* ------------------------------------------------------------------------ */
/* A growing argv.                                                            */

struct argv_builder
{
  char **v;
  size_t n, cap;
};

static void
push (struct argv_builder *b, char *s)
{
  if (b->n + 2 > b->cap)
    {
      b->cap = b->cap ? b->cap * 2 : 16;
      b->v = xrealloc (b->v, b->cap * sizeof *b->v);
    }
  b->v[b->n++] = s;
  b->v[b->n] = NULL;
}

static void __attribute__ ((format (printf, 2, 3)))
pushf (struct argv_builder *b, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  push (b, xvasprintf (fmt, ap));
  va_end (ap);
}

static void
builder_release (struct argv_builder *b)
{
  strv_free (b->v);
  b->v = NULL;
}
#define cleanup_builder __attribute__ ((cleanup (builder_release)))

/* ------------------------------------------------------------------------ */
/* Each command's flags, and what becomes of them.                           */

enum xaction
{
  X_STRING,      /* runsc has it: the last value as --name=value ("" is runc's unset: dropped) */
  X_SLICE,       /* runsc has it and collects it too: every occurrence */
  X_BOOL,        /* runsc has it, false by default: --name when the last value is true */
  X_ABSENT,      /* runsc has no such flag: refused when it does anything in runc */
  X_GID,         /* exec's additional-gids: every occurrence, a plain uint32 */
  X_USER,        /* exec's user: UID:GID only (see user_word) */
  X_INTERVAL,    /* events: a Go duration of whole seconds becomes an int */
  X_PS_FORMAT,   /* ps: json and table, as runc */
  X_LIST_FORMAT, /* list: runc's table is runsc's text */
};

struct xflag
{
  const char *name;
  enum xaction act;
};

#define XFLAGS_END                                                                                 \
  {                                                                                                \
    NULL, X_STRING                                                                                 \
  }

static const struct xflag create_x[] = {
  { "bundle", X_STRING },       { "console-socket", X_STRING },
  { "pidfd-socket", X_ABSENT }, { "pid-file", X_STRING },
  { "no-pivot", X_ABSENT },     { "no-new-keyring", X_ABSENT },
  { "preserve-fds", X_ABSENT }, XFLAGS_END,
};

static const struct xflag run_x[] = {
  { "bundle", X_STRING },
  { "console-socket", X_STRING },
  { "pidfd-socket", X_ABSENT },
  { "detach", X_BOOL },
  { "keep", X_ABSENT },
  { "pid-file", X_STRING },
  { "no-subreaper", X_ABSENT },
  { "no-pivot", X_ABSENT },
  { "no-new-keyring", X_ABSENT },
  { "preserve-fds", X_ABSENT },
  XFLAGS_END,
};

static const struct xflag delete_x[] = { { "force", X_BOOL }, XFLAGS_END };
static const struct xflag events_x[]
    = { { "interval", X_INTERVAL }, { "stats", X_BOOL }, XFLAGS_END };

static const struct xflag exec_x[] = {
  { "console-socket", X_STRING },
  { "pidfd-socket", X_ABSENT },
  { "cwd", X_STRING },
  { "env", X_SLICE },
  { "tty", X_ABSENT },
  { "user", X_USER },
  { "additional-gids", X_GID },
  { "process", X_STRING },
  { "detach", X_BOOL },
  { "pid-file", X_STRING },
  { "process-label", X_ABSENT },
  { "apparmor", X_ABSENT },
  { "no-new-privs", X_ABSENT },
  { "cap", X_SLICE },
  { "preserve-fds", X_ABSENT },
  { "cgroup", X_ABSENT },
  { "ignore-paused", X_ABSENT },
  XFLAGS_END,
};

/* exec's flags that shape the process: a process file policyrun built from
   the container's config and these flags carries them instead (runsc.h).  */
static const char *const exec_in_process[] = {
  "cwd",           "env",      "tty",          "user", "additional-gids",
  "process-label", "apparmor", "no-new-privs", "cap",  NULL,
};

static bool
in_process_file (const char *flag)
{
  for (size_t i = 0; exec_in_process[i] != NULL; i++)
    if (strcmp (exec_in_process[i], flag) == 0)
      return true;
  return false;
}

static const struct xflag kill_x[] = { { "all", X_BOOL }, XFLAGS_END };
static const struct xflag list_x[]
    = { { "format", X_LIST_FORMAT }, { "quiet", X_BOOL }, XFLAGS_END };
static const struct xflag ps_x[] = { { "format", X_PS_FORMAT }, XFLAGS_END };
static const struct xflag spec_x[]
    = { { "bundle", X_STRING }, { "rootless", X_ABSENT }, XFLAGS_END };
static const struct xflag no_x[] = { XFLAGS_END };

struct xcommand
{
  const char *name;
  const struct xflag *flags; /* NULL: refused with why */
  const char *why;
};

static const struct xcommand xcommands[] = {
  { "create", create_x, NULL },
  { "run", run_x, NULL },
  { "start", no_x, NULL },
  { "state", no_x, NULL },
  { "delete", delete_x, NULL },
  { "kill", kill_x, NULL },
  { "pause", no_x, NULL },
  { "resume", no_x, NULL },
  { "ps", ps_x, NULL },
  { "events", events_x, NULL },
  { "list", list_x, NULL },
  { "exec", exec_x, NULL },
  { "spec", spec_x, NULL },
  { "help", no_x, NULL },
  { "update", NULL, "gVisor cannot change a running sandbox's resources" },
  { "checkpoint", NULL, "runsc's checkpoint is experimental and policyrun does not pass it on" },
  { "restore", NULL, "runsc's restore is experimental and policyrun does not pass it on" },
  { "features", NULL, "runsc has no features command" },
};

static const struct xcommand *
find_xcommand (const char *name)
{
  for (size_t i = 0; i < sizeof xcommands / sizeof xcommands[0]; i++)
    if (strcmp (xcommands[i].name, name) == 0)
      return &xcommands[i];
  return NULL;
}

static const struct command_def *
find_runc_command (const char *name)
{
  for (size_t i = 0; i < cli_ncommands; i++)
    if (strcmp (cli_commands[i].name, name) == 0)
      return &cli_commands[i];
  return NULL;
}

static const struct flag_def *
find_runc_flag (const struct command_def *cmd, const char *name)
{
  for (const struct flag_def *d = cmd->flags; d->name != NULL; d++)
    if (strcmp (d->name, name) == 0)
      return d;
  return NULL;
}

/* The words of one flag: the caller's occurrences, or a swap's value.  */
struct flag_words
{
  const char *command;
  const char *name;
  const struct flag_def *def;
  const struct cli_flag **occ; /* the caller's occurrences, in order */
  size_t nocc;
  const char *last; /* the effective value: the last occurrence or the swap; NULL if none */
};

/* A plain decimal uint32: digits only, no sign, no leading zero.  */
static bool
plain_u32 (const char *s)
{
  uint64_t v;
  return go_plain_decimal_int64 (s) && s[0] != '-' && s[0] != '+' && go_parse_uint (s, &v) == 0
         && v <= UINT32_MAX;
}

/* Does a flag runsc lacks do anything in runc with these occurrences?  runc
   reads booleans, ints and strings by their last value, where false, 0 and
   "" are its defaults; a slice does something with any occurrence.  */
static bool
absent_flag_matters (const struct flag_words *w)
{
  if (w->last == NULL)
    return false;
  switch (w->def->type)
    {
    case FT_BOOL:
      return strcmp (w->last, "false") != 0;
    case FT_INT:
    case FT_UINT:
      {
        int64_t v;
        return go_atoi (w->last, &v) < 0 || v != 0;
      }
    case FT_STRING:
    case FT_DURATION:
      return w->last[0] != '\0';
    case FT_STRING_SLICE:
    case FT_INT64_SLICE:
      return true;
    }
  return true;
}

/* runc: "UID[:GID]"; without GID runc keeps the process's gid, runsc sets
   0, so the GID is required.  Both read the numbers with strconv.Atoi and
   wrap them into uint32: only plain uint32s are taken.  */
static int
user_word (struct argv_builder *b, const struct flag_words *w, char **err)
{
  if (w->last == NULL || w->last[0] == '\0')
    return 0; /* runc ignores an empty --user */
  const char *colon = strchr (w->last, ':');
  if (colon == NULL)
    return fail (err,
                 "%s: --user=%s is refused: runsc runs it with gid 0 where runc keeps the "
                 "process's gid; give --user=UID:GID",
                 w->command, w->last);
  cleanup_free char *uid = xstrndup (w->last, (size_t)(colon - w->last));
  if (!plain_u32 (uid) || !plain_u32 (colon + 1))
    return fail (err, "%s: --user=%s is refused: give UID:GID as plain decimal numbers", w->command,
                 w->last);
  pushf (b, "--user=%s", w->last);
  return 0;
}

/* Whole seconds of a Go duration written as integer components (5s, 1m,
   1m30s, 2000ms), or -1: fractions, signs and parts of a second are not
   taken (runsc's --interval is an int of seconds).  */
static int64_t
whole_seconds (const char *s)
{
  static const struct
  {
    const char *unit;
    uint64_t ns;
  } units[] = {
    { "ns", 1 },
    { "us", 1000 },
    { "\xc2\xb5s", 1000 }, /* U+00B5 */
    { "\xce\xbcs", 1000 }, /* U+03BC */
    { "ms", 1000000 },
    { "s", 1000000000 },
    { "m", 60ULL * 1000000000 },
    { "h", 3600ULL * 1000000000 },
  };
  if (!go_duration_valid (s) || *s == '\0')
    return -1;
  uint64_t total = 0;
  const char *p = s;
  while (*p != '\0')
    {
      if (*p < '0' || *p > '9')
        return -1;
      uint64_t n = 0;
      while (*p >= '0' && *p <= '9')
        {
          if (__builtin_mul_overflow (n, 10, &n)
              || __builtin_add_overflow (n, (uint64_t)(*p - '0'), &n))
            return -1;
          p++;
        }
      size_t best = 0;
      uint64_t mult = 0;
      for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        {
          size_t len = strlen (units[i].unit);
          if (len > best && strncmp (p, units[i].unit, len) == 0)
            {
              best = len;
              mult = units[i].ns;
            }
        }
      if (best == 0)
        return -1;
      p += best;
      uint64_t part;
      if (__builtin_mul_overflow (n, mult, &part) || __builtin_add_overflow (total, part, &total)
          || total > (uint64_t)INT64_MAX)
        return -1;
    }
  if (total == 0 || total % 1000000000 != 0)
    return -1;
  return (int64_t)(total / 1000000000);
}

static int
flag_words_emit (struct argv_builder *b, const struct flag_words *w, enum xaction act, char **err)
{
  switch (act)
    {
    case X_STRING:
      if (w->last != NULL && w->last[0] != '\0')
        pushf (b, "--%s=%s", w->name, w->last);
      return 0;
    case X_SLICE:
      for (size_t i = 0; i < w->nocc; i++)
        pushf (b, "--%s=%s", w->name, w->occ[i]->value);
      return 0;
    case X_GID:
      for (size_t i = 0; i < w->nocc; i++)
        {
          if (!plain_u32 (w->occ[i]->value))
            return fail (err, "%s: --%s=%s is refused: give a plain decimal group id", w->command,
                         w->name, w->occ[i]->value);
          pushf (b, "--%s=%s", w->name, w->occ[i]->value);
        }
      return 0;
    case X_BOOL:
      if (w->last != NULL && strcmp (w->last, "true") == 0)
        pushf (b, "--%s", w->name);
      return 0;
    case X_ABSENT:
      if (absent_flag_matters (w))
        return fail (err, "%s: --%s is refused under gVisor: runsc has no such flag", w->command,
                     w->name);
      return 0;
    case X_USER:
      return user_word (b, w, err);
    case X_INTERVAL:
      {
        if (w->last == NULL)
          return 0;
        int64_t secs = whole_seconds (w->last);
        if (secs < 1)
          return fail (err,
                       "%s: --interval=%s is refused: runsc takes whole seconds, such as 5s or 1m",
                       w->command, w->last);
        pushf (b, "--interval=%lld", (long long)secs);
        return 0;
      }
    case X_PS_FORMAT:
      if (w->last == NULL)
        return 0;
      if (strcmp (w->last, "json") != 0 && strcmp (w->last, "table") != 0)
        return fail (err, "%s: --format=%s is refused: use json or table", w->command, w->last);
      pushf (b, "--format=%s", w->last);
      return 0;
    case X_LIST_FORMAT:
      if (w->last == NULL)
        return 0;
      if (strcmp (w->last, "table") == 0)
        pushf (b, "--format=text"); /* runsc's name for runc's table */
      else if (strcmp (w->last, "json") == 0)
        pushf (b, "--format=json");
      else
        return fail (err, "%s: --format=%s is refused: use json or table", w->command, w->last);
      return 0;
    }
  return fail (err, "%s: internal error: --%s has no translation", w->command, w->name);
}

/* A swap must name a flag runsc takes as one string.  */
static int
check_swaps (const char *command, const struct xflag *xf, const struct runsc_swap *swaps,
             size_t nswaps, char **err)
{
  for (size_t i = 0; i < nswaps; i++)
    {
      const struct xflag *x = xf;
      while (x->name != NULL && strcmp (x->name, swaps[i].flag) != 0)
        x++;
      if (x->name == NULL || x->act != X_STRING)
        return fail (err, "%s: internal error: --%s cannot be given to runsc", command,
                     swaps[i].flag);
    }
  return 0;
}

/* The command's flags, in the order of its table; with private_process
   (exec given policyrun's process file) the flags that file carries are
   left out whatever their values.  */
static int
translate_flags (struct argv_builder *b, const struct command_line *cl,
                 const struct command_def *rcmd, const struct xflag *xf,
                 const struct runsc_swap *swaps, size_t nswaps, bool private_process, char **err)
{
  if (check_swaps (cl->command, xf, swaps, nswaps, err) < 0)
    return -1;
  /* Every flag of the caller has a translation (help is handled before).  */
  for (size_t i = 0; i < cl->nflags; i++)
    {
      const struct xflag *x = xf;
      while (x->name != NULL && strcmp (x->name, cl->flags[i].name) != 0)
        x++;
      if (x->name == NULL && strcmp (cl->flags[i].name, "help") != 0)
        return fail (err, "%s: --%s is refused under gVisor: policyrun has no translation for it",
                     cl->command, cl->flags[i].name);
    }
  cleanup_free const struct cli_flag **occ = xcalloc (cl->nflags + 1, sizeof *occ);
  for (const struct xflag *x = xf; x->name != NULL; x++)
    {
      if (private_process && in_process_file (x->name))
        continue;
      struct flag_words w = { .command = cl->command, .name = x->name, .occ = occ };
      w.def = find_runc_flag (rcmd, x->name);
      if (w.def == NULL)
        return fail (err, "%s: internal error: runc has no --%s", cl->command, x->name);
      for (size_t i = 0; i < cl->nflags; i++)
        if (strcmp (cl->flags[i].name, x->name) == 0)
          {
            occ[w.nocc++] = &cl->flags[i];
            w.last = cl->flags[i].value;
          }
      for (size_t i = 0; i < nswaps; i++)
        if (strcmp (swaps[i].flag, x->name) == 0)
          w.last = swaps[i].value;
      if (flag_words_emit (b, &w, x->act, err) < 0)
        return -1;
    }
  return 0;
}

/* runc's argument counts (cli.c enforces them only for the commands it
   checks), and the container id rule: runsc delete, for one, takes several
   ids where runc takes one.  */
static int
check_args (const struct command_line *cl, const struct command_def *rcmd, char **err)
{
  if (strcmp (rcmd->name, "help") == 0)
    return 0;
  if (cl->nargs < (size_t)rcmd->min_args
      || (rcmd->max_args >= 0 && cl->nargs > (size_t)rcmd->max_args))
    {
      if (rcmd->min_args == rcmd->max_args)
        return fail (err, "%s: runc takes exactly %d argument(s) here, not %zu", cl->command,
                     rcmd->min_args, cl->nargs);
      return fail (err, "%s: runc takes %d to %d argument(s) here, not %zu", cl->command,
                   rcmd->min_args, rcmd->max_args, cl->nargs);
    }
  if (rcmd->min_args >= 1 && cli_check_container_id (cl->command, cl->args[0], err) < 0)
    return -1;
  if (strcmp (rcmd->name, "ps") == 0 && cl->nargs > 1)
    return fail (err, "ps: \"%s\" is refused under gVisor: runsc ps takes no ps options",
                 cl->args[1]);
  return 0;
}

/* The last swap of `flag`, or NULL when there is none.  */
static const struct runsc_swap *
last_swap (const struct runsc_swap *swaps, size_t nswaps, const char *flag)
{
  const struct runsc_swap *last = NULL;
  for (size_t i = 0; i < nswaps; i++)
    if (strcmp (swaps[i].flag, flag) == 0)
      last = &swaps[i];
  return last;
}

/* Is this exec given a process file of policyrun's own (a "process" swap
   with a value)?  An empty one would leave runsc the caller's process
   flags, which are dropped: an internal error, refused.  */
static int
private_process_of (const struct command_line *cl, const struct runsc_swap *swaps, size_t nswaps,
                    bool *private_process, char **err)
{
  *private_process = false;
  if (strcmp (cl->command, "exec") != 0)
    return 0;
  const struct runsc_swap *s = last_swap (swaps, nswaps, "process");
  if (s == NULL || s->value == NULL)
    return 0;
  if (s->value[0] == '\0')
    return fail (err, "exec: internal error: an empty --process for runsc");
  *private_process = true;
  return 0;
}

/* exec without policyrun's process file: with --process runc ignores the
   words after the id; whether runsc does too is not something to guess.  */
static int
check_exec (const struct command_line *cl, const struct runsc_swap *swaps, size_t nswaps,
            char **err)
{
  const char *process = cli_flag_value (cl, "process");
  const struct runsc_swap *s = last_swap (swaps, nswaps, "process");
  if (s != NULL)
    process = s->value;
  if (process != NULL && process[0] != '\0' && cl->nargs > 1)
    return fail (err, "exec: give either --process or a command, not both, under gVisor");
  return 0;
}

/* runc's global flags in runsc's syntax.  */
static int
translate_globals (struct argv_builder *b, const struct command_line *cl, char **err)
{
  const char *cmd = command_of (cl);
  if (cl->criu != NULL)
    return fail (err, "%s: --criu is refused under gVisor: runsc has no such flag", cmd);
  if (cl->rootless != NULL)
    {
      bool v;
      if (go_parse_bool (cl->rootless, &v) < 0 || v)
        return fail (err,
                     "%s: --rootless=%s is refused under gVisor: runsc's rootless mode drops "
                     "the sandbox's host isolation",
                     cmd, cl->rootless);
      /* false: runsc's default, nothing to say.  */
    }
  if (cl->debug)
    push (b, xstrdup ("--debug"));
  if (cl->log != NULL && cl->log[0] != '\0')
    pushf (b, "--log=%s", cl->log);
  if (cl->log_format != NULL && cl->log_format[0] != '\0')
    pushf (b, "--log-format=%s", cl->log_format);
  if (cl->systemd_cgroup)
    push (b, xstrdup ("--systemd-cgroup"));
  return 0;
}

/* The caller's allowed engine flags (runsc_check_engine_flags passed):
   the forced ones are said again by runsc_forced_globals.  */
static void
translate_engine_flags (struct argv_builder *b, const struct command_line *cl)
{
  for (size_t i = 0; i < cl->nengine_flags; i++)
    {
      const struct cli_flag *f = &cl->engine_flags[i];
      const struct engine_flag_def *e = runsc_global_flag (f->name, strlen (f->name));
      if (e != NULL && e->verdict == EV_PASS)
        pushf (b, "--%s=%s", f->name, f->value);
    }
}

static bool
help_asked (const struct command_line *cl)
{
  return cli_flag_true (cl, "help");
}

int
runsc_argv (const struct command_line *cl, const char *path, const char *root,
            const struct runsc_swap *swaps, size_t nswaps, char ***argv, char **err)
{
  *argv = NULL;
  if (path == NULL || root == NULL)
    return fail (err, "%s: internal error: no runsc or no --root", command_of (cl));
  if (runsc_check_engine_flags (cl, err) < 0)
    return -1;

  const struct xcommand *xc = NULL;
  const struct command_def *rcmd = NULL;
  if (cl->kind != CMD_VERSION)
    {
      if (cl->command == NULL || cl->kind == CMD_HELP || cl->kind == CMD_CHECK)
        return fail (err, "%s: internal error: not a command for runsc", command_of (cl));
      xc = find_xcommand (cl->command);
      rcmd = find_runc_command (cl->command);
      if (xc == NULL || rcmd == NULL)
        return fail (err, "%s: refused under gVisor: runsc has no such command", cl->command);
      if (xc->flags == NULL)
        return fail (err, "%s: refused under gVisor: %s", cl->command, xc->why);
    }

  cleanup_builder struct argv_builder b = { 0 };
  push (&b, xstrdup (path));
  pushf (&b, "--root=%s", root);
  if (translate_globals (&b, cl, err) < 0)
    return -1;
  translate_engine_flags (&b, cl);
  for (size_t i = 0; runsc_forced_globals[i] != NULL; i++)
    push (&b, xstrdup (runsc_forced_globals[i]));

  if (cl->kind == CMD_VERSION)
    push (&b, xstrdup ("--version"));
  else if (help_asked (cl))
    {
      /* "create --help": runsc's help of that command; nothing runs.  */
      push (&b, xstrdup ("help"));
      push (&b, xstrdup (cl->command));
    }
  else
    {
      bool private_process;
      if (check_args (cl, rcmd, err) < 0
          || private_process_of (cl, swaps, nswaps, &private_process, err) < 0)
        return -1;
      if (strcmp (cl->command, "exec") == 0 && !private_process
          && check_exec (cl, swaps, nswaps, err) < 0)
        return -1;
      push (&b, xstrdup (cl->command));
      if (translate_flags (&b, cl, rcmd, xc->flags, swaps, nswaps, private_process, err) < 0)
        return -1;
      /* runsc's commands stop reading flags at their first argument; an
         id that looks like a flag needs the end of the flags said.  */
      if (cl->nargs > 0 && cl->args[0][0] == '-')
        push (&b, xstrdup ("--"));
      /* policyrun's process file carries the command words: only the id.  */
      size_t nargs = private_process ? 1 : cl->nargs;
      for (size_t i = 0; i < nargs; i++)
        push (&b, xstrdup (cl->args[i]));
    }
  *argv = b.v;
  b.v = NULL;
  return 0;
}
