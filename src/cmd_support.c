/* policyrun: what the commands share (see cmd_support.h).  */
#include "config.h"
#include "cmd_support.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "delegate.h"
#include "gosyntax.h"
#include "report.h"
#include "runsc.h"
#include "spec.h"
#include "trail.h"
#include "util.h"

/* Podman runs the runtime from conmon (create) or from podman itself
   (start, exec, update, delete).  Only tightenings of Podman's defaults and
   the wording of fixes depend on it (floor_caller_podman).  */
static bool
started_by_podman (void)
{
  cleanup_free char *link = xasprintf ("/proc/%ld/exe", (long)getppid ());
  char exe[PATH_MAX];
  ssize_t n = readlink (link, exe, sizeof exe - 1);
  if (n <= 0)
    return false;
  exe[n] = '\0';
  const char *base = strrchr (exe, '/');
  base = base != NULL ? base + 1 : exe;
  return strcmp (base, "conmon") == 0 || strcmp (base, "podman") == 0;
}

/* The delegate's dialect and what follows from it.  runsc gets an explicit
   --root always (policyrun's state is keyed by it), runsc's own global
   flags only when runsc.c allows them, and the container the floor's
   gVisor rules.  A runc delegate gets none of runsc's flags.  */
static int
engine_prepare (struct context *ctx, char **err)
{
  struct command_line *cl = ctx->cl;
  const char *name = ctx->delegate;
  if (name == NULL) /* check: the delegate the call would have */
    name = cl->delegate ? cl->delegate
           : cl->gvisor ? ctx->policy.gvisor_delegate
                        : ctx->policy.delegate;
  ctx->dialect = delegate_dialect_of (name);
  if (ctx->dialect == DIALECT_RUNC)
    {
      if (cl->nengine_flags > 0)
        return fail (err, "--%s is a flag of runsc, and the delegate is runc (%s)",
                     cl->engine_flags[0].name, name);
      return 0;
    }
  ctx->host.gvisor = true;
  if (cl->root == NULL)
    cl->root = RUNSC_DEFAULT_ROOT;
  return runsc_check_engine_flags (cl, err);
}

int
context_prepare (struct context *ctx, char **err)
{
  /* Only the commands that check anything need to know the host.  */
  if (ctx->cl->kind != CMD_PASSTHROUGH && ctx->cl->kind != CMD_HELP)
    {
      host_facts_probe (&ctx->host);
      ctx->host.podman_caller = started_by_podman ();
    }
  if (ctx->cl->root != NULL && ctx->cl->root[0] != '/')
    {
      cleanup_free char *cwd = getcwd (NULL, 0);
      if (cwd == NULL)
        return fail (err, "cannot read the working directory");
      cleanup_free char *joined = xasprintf ("%s/%s", cwd, ctx->cl->root);
      ctx->root_abs = path_clean (joined);
      ctx->cl->root = ctx->root_abs;
    }
  if (engine_prepare (ctx, err) < 0)
    return -1;
  ctx->host.runtime_root = ctx->cl->root;
  /* containerd names the runtime root after its namespace; CRI's is k8s.io.  */
  const char *root = ctx->cl->root;
  const char *last = root ? strrchr (root, '/') : NULL;
  ctx->host.cri_caller = last != NULL && strcmp (last + 1, "k8s.io") == 0;
  return 0;
}

int
verdict_settle (struct verdict *v, char **err)
{
  int r = 0;
  if (verdict_violations (v) > 0)
    {
      free (*err);
      *err = report_refusal (v);
      r = -1;
    }
  verdict_free (v);
  return r;
}

/* The caller's bundle, for the record: create, run and restore name it
   (--bundle, else the working directory); exec and update name none.  */
static char *
trail_bundle (const struct context *ctx)
{
  enum cmd_kind k = ctx->cl->kind;
  if (k != CMD_CREATE && k != CMD_RUN && k != CMD_RESTORE)
    return NULL;
  const char *b = cli_flag_value (ctx->cl, "bundle");
  return realpath (b != NULL && *b != '\0' ? b : ".", NULL);
}

/* The decision's line in the trail.  A trail that cannot be written
   refuses the command, except in audit mode, where the failure goes to the
   caller's --log and the command runs.  */
static int
trail_settle (const struct context *ctx, const json_value *config, const struct verdict *v,
              char **err)
{
  cleanup_free char *bundle = trail_bundle (ctx);
  cleanup_free char *config_path = bundle ? xasprintf ("%s/config.json", bundle) : NULL;
  struct trail_decision d = { .command = ctx->cl->command,
                              .id = cli_container_id (ctx->cl),
                              .root = ctx->cl->root,
                              .bundle = bundle,
                              .config = config_path,
                              .mode = ctx->policy.mode,
                              .dialect = ctx->dialect,
                              .delegate = ctx->delegate,
                              .caller = trail_caller (&ctx->host, config),
                              .policy = ctx->policy.source,
                              .verdict = v };
  enum trail_failure f
      = ctx->policy.mode == MODE_AUDIT ? TRAIL_FAILURE_REPORTED : TRAIL_FAILURE_REFUSES;
  int r = trail_write (ctx->policy.trail_file, &d, f, err);
  if (r > 0)
    report_info (ctx->cl->log, ctx->cl->log_format, *err);
  return r < 0 ? -1 : 0;
}

int
verdict_judge (const struct context *ctx, json_value *config, struct verdict *v, char **err)
{
  struct floor_ctx fc = { .config = config, .spec = config, .host = &ctx->host };
  enum report_wording w = floor_caller_cri (&fc) ? REPORT_KUBERNETES : REPORT_DOCKER;
  int r = 0;
  if (verdict_violations (v) > 0)
    {
      free (*err);
      *err = report_refusal_for (v, w);
      r = -1;
    }
  cleanup_free char *terr = NULL;
  if (trail_settle (ctx, config, v, &terr) < 0)
    {
      /* One line: the refusal, then why the trail has no record of it.  */
      char *line = r < 0 ? xasprintf ("%s; and %s", *err, terr) : xstrdup (terr);
      free (*err);
      *err = line;
      r = -1;
    }
  return r;
}

int
verdict_settle_in (const struct context *ctx, json_value *config, struct verdict *v, char **err)
{
  int r = verdict_judge (ctx, config, v, err);
  if (r == 0)
    report_tightened_log (ctx->cl->log, ctx->cl->log_format, v);
  verdict_free (v);
  return r;
}

int
verdict_refuse_unjudged (const struct context *ctx, struct verdict *v, char **err)
{
  if (verdict_violations (v) == 0)
    {
      verdict_free (v);
      return 0;
    }
  return verdict_settle_in (ctx, NULL, v, err);
}

int
config_refuse_unread (const struct context *ctx, char **err)
{
  struct verdict v = { 0 };
  verdict_add (&v, FINDING_VIOLATION, "config", "config.json", NULL, *err ? *err : "unreadable");
  cleanup_free char *terr = NULL;
  if (trail_settle (ctx, NULL, &v, &terr) < 0)
    {
      char *line = xasprintf ("%s; and %s", *err ? *err : "unreadable", terr);
      free (*err);
      *err = line;
    }
  verdict_free (&v);
  return -1;
}

int
require_container_id (struct context *ctx, const char **id, char **err)
{
  const char *c = cli_container_id (ctx->cl);
  if (c == NULL)
    return fail (err, "%s: a container id is required", ctx->cl->command);
  if (cli_check_container_id (ctx->cl->command, c, err) < 0)
    return -1;
  *id = c;
  return 0;
}

int
command_load_config (const char *bundle_dir, const char *config_path, json_value **out, char **err)
{
  cleanup_free char *lerr = NULL;
  cleanup_close int fd = open_regular_file (config_path, &lerr);
  if (fd < 0)
    return fail (err, "cannot load %s: %s", config_path, lerr);
  cleanup_json json_value *config = NULL;
  if (json_load_fd (fd, &config, &lerr) < 0)
    return fail (err, "cannot load %s: %s", config_path, lerr);
  if (config->type != JSON_OBJECT)
    return fail (err, "cannot load %s: not a JSON object", config_path);
  if (spec_check_types_config (config, &lerr) < 0)
    return fail (err, "cannot load %s: %s", config_path, lerr);
  if (bundle_absolutize (config, bundle_dir, &lerr) < 0)
    return fail (err, "cannot load %s: %s", config_path, lerr);
  *out = config;
  config = NULL;
  return 0;
}

/* ------------------------------------------------------------------------ */
/* The delegate hand-off (to move to delegate.c).                            */

char **
delegate_argv_runsc (struct context *ctx, const struct runsc_swap *swaps, size_t n, char **err)
{
  char **argv = NULL;
  if (runsc_argv (ctx->cl, ctx->delegate, ctx->cl->root, swaps, n, &argv, err) < 0)
    return NULL;
  return argv;
}

int
exec_delegate_unchanged (struct context *ctx, char **err)
{
  /* Audit mode hands the delegate the caller's environment too: runc passes
     the descriptors of systemd's socket activation (LISTEN_FDS) to the
     container, and enforce mode's dropping of them would be a difference.  */
  int (*exec_fn) (const char *, char **, char **)
      = ctx->policy.mode == MODE_AUDIT ? delegate_exec_as_given : delegate_exec;
  if (ctx->dialect == DIALECT_RUNSC && ctx->cl->kind == CMD_HELP)
    {
      /* runsc's own help: its commands are runsc's, its flags are not what
         policyrun passes on (runsc.c translates runc's).  */
      char *argv[] = { ctx->delegate, (char *)"--help", NULL };
      return exec_fn (ctx->delegate, argv, err);
    }
  if (ctx->dialect == DIALECT_RUNSC)
    {
      cleanup_strv char **argv = delegate_argv_runsc (ctx, NULL, 0, err);
      return argv == NULL ? -1 : exec_fn (ctx->delegate, argv, err);
    }
  struct argv_edit e = { .argc = ctx->cl->argc,
                         .argv = ctx->cl->argv,
                         .from = ctx->cl->runc_start,
                         .delegate = ctx->delegate,
                         .after = -1 };
  cleanup_free char **argv = delegate_argv (&e);
  return exec_fn (ctx->delegate, argv, err);
}

/* For runsc: the swapped flag and the words replace[] stands for, as
   runsc_swap pairs (a flag given as "--name=value" has its whole word
   replaced: its value is what follows '=').  */
static char **
runsc_swapping (struct context *ctx, bool (*swapped) (const char *flag), const char *flag,
                const char *value, const char **replace, char **err)
{
  struct command_line *cl = ctx->cl;
  cleanup_free struct runsc_swap *swaps = xcalloc (cl->nflags + 1, sizeof *swaps);
  size_t n = 0;
  swaps[n++] = (struct runsc_swap){ .flag = flag + strspn (flag, "-"), .value = value };
  for (size_t i = 0; i < cl->nflags; i++)
    {
      const struct cli_flag *f = &cl->flags[i];
      if (swapped (f->name) && strcmp (f->name, swaps[0].flag) != 0)
        {
          fail (err, "%s: --%s cannot be passed to runsc", cl->command, f->name);
          return NULL;
        }
      if (replace == NULL)
        continue;
      if (f->value_index >= 0 && replace[f->value_index] != NULL)
        swaps[n++] = (struct runsc_swap){ .flag = f->name, .value = replace[f->value_index] };
      else if (f->value_index < 0 && replace[f->name_index] != NULL)
        {
          const char *eq = strchr (replace[f->name_index], '=');
          if (eq == NULL)
            {
              fail (err, "internal error: --%s has no value for runsc", f->name);
              return NULL;
            }
          swaps[n++] = (struct runsc_swap){ .flag = f->name, .value = eq + 1 };
        }
    }
  return delegate_argv_runsc (ctx, swaps, n, err);
}

char **
delegate_argv_swapping (struct context *ctx, bool (*swapped) (const char *flag), const char *flag,
                        const char *value, const char **replace, char **err)
{
  if (ctx->dialect == DIALECT_RUNSC)
    return runsc_swapping (ctx, swapped, flag, value, replace, err);
  struct command_line *cl = ctx->cl;
  cleanup_free bool *drop = xcalloc ((size_t)cl->argc + 1, sizeof *drop);
  for (size_t i = 0; i < cl->nflags; i++)
    if (swapped (cl->flags[i].name))
      {
        drop[cl->flags[i].name_index] = true;
        if (cl->flags[i].value_index >= 0)
          drop[cl->flags[i].value_index] = true;
      }
  const char *insert[] = { flag, value };
  struct argv_edit e = { .argc = cl->argc,
                         .argv = cl->argv,
                         .from = cl->runc_start,
                         .delegate = ctx->delegate,
                         .drop = drop,
                         .replace = replace,
                         .after = cl->command_index,
                         .insert = insert,
                         .ninsert = 2 };
  cleanup_free char **borrowed = delegate_argv (&e);
  return strv_dup (borrowed);
}

struct delegate_globals
delegate_globals_of (const struct context *ctx)
{
  return (struct delegate_globals){ .path = ctx->delegate,
                                    .dialect = ctx->dialect,
                                    .root = ctx->cl->root,
                                    .systemd_cgroup = ctx->cl->systemd_cgroup,
                                    .rootless = ctx->cl->rootless };
}

/* ------------------------------------------------------------------------ */
/* How runc reads the commands' flags: one reading for the command and for
   audit mode, so that audit judges exactly what enforce mode would.  */

void
create_invocation (struct context *ctx, struct invocation *inv)
{
  static const int stdio[] = { 0, 1, 2 };
  struct command_line *cl = ctx->cl;
  bool rootless = false;
  *inv = (struct invocation){
    .command = cl->command,
    .restore = cl->kind == CMD_RESTORE,
    .starts_at_once = cl->kind != CMD_CREATE,
    .rootless = cl->rootless != NULL && go_parse_bool (cl->rootless, &rootless) == 0 && rootless,
    .no_pivot = cli_flag_true (cl, "no-pivot"),
    .manage_cgroups_mode = cli_flag_value (cl, "manage-cgroups-mode"),
    .lsm_profile = cli_flag_value (cl, "lsm-profile"),
    .preserve_fds = cli_flag_value (cl, "preserve-fds"),
    .stdio = stdio,
  };
}

/* OBJ's FIELD, first set to an empty array or object (TYPE) unless it
   is one already: what exec's flags add to.  */
static json_value *
ensure_member (json_value *obj, const char *field, json_type type)
{
  json_value *m = json_object_get (obj, field);
  if (m == NULL || m->type != type)
    m = json_object_set (obj, field, type == JSON_ARRAY ? json_new_array () : json_new_object ());
  return m;
}

int
apply_exec_flags (struct context *ctx, json_value *process, char **err)
{
  struct command_line *cl = ctx->cl;
  for (size_t i = 0; i < cl->nflags; i++)
    {
      const struct cli_flag *f = &cl->flags[i];
      const char *val = f->value;
      if (strcmp (f->name, "cwd") == 0 && *val)
        json_object_set (process, "cwd", json_new_string (val));
      else if (strcmp (f->name, "cap") == 0)
        {
          json_value *caps = ensure_member (process, "capabilities", JSON_OBJECT);
          static const char *const sets[] = { "bounding", "effective", "permitted", "ambient" };
          for (size_t k = 0; k < 4; k++)
            json_array_append (ensure_member (caps, sets[k], JSON_ARRAY), json_new_string (val));
        }
      else if (strcmp (f->name, "no-new-privs") == 0)
        {
          bool b = false;
          if (go_parse_bool (val, &b) < 0)
            return fail (err, "invalid value \"%s\" for --no-new-privs", val);
          json_object_set (process, "noNewPrivileges", json_new_bool (b));
        }
      else if (strcmp (f->name, "user") == 0 && *val)
        {
          cleanup_free char *copy = xstrdup (val);
          char *colon = strchr (copy, ':');
          if (colon)
            *colon = '\0';
          int64_t uid = 0, gid = 0;
          if (go_atoi (copy, &uid) < 0 || (colon && go_atoi (colon + 1, &gid) < 0) || uid < 0
              || uid > UINT32_MAX || gid < 0 || gid > UINT32_MAX)
            return fail (err, "--user takes numeric uid[:gid], not \"%s\"", val);
          json_value *user = ensure_member (process, "user", JSON_OBJECT);
          json_object_set (user, "uid", json_new_int (uid));
          if (colon)
            json_object_set (user, "gid", json_new_int (gid));
        }
      else if (strcmp (f->name, "additional-gids") == 0)
        {
          int64_t gid = 0;
          if (go_atoi (val, &gid) < 0 || gid < 0 || gid > UINT32_MAX)
            return fail (err, "invalid --additional-gids \"%s\"", val);
          json_array_append (ensure_member (ensure_member (process, "user", JSON_OBJECT),
                                            "additionalGids", JSON_ARRAY),
                             json_new_int (gid));
        }
    }
  return 0;
}

/* A number flag of update: ParseUint or ParseInt, base 10, as runc reads
   them.  The result is an int64 in the resources either way, so an unsigned
   value past INT64_MAX is refused.  */
static int
parse_update_int (const char *s, bool is_unsigned, int64_t *out)
{
  if (!is_unsigned)
    return go_atoi (s, out);
  uint64_t u = 0;
  if (go_parse_uint (s, &u) < 0 || u > INT64_MAX)
    return -1;
  *out = (int64_t)u;
  return 0;
}

/* Update's flags, the field each sets and how its value reads.  */
enum value_kind
{
  V_RAM,
  V_UINT,
  V_INT,
  V_STRING,
};
static const struct
{
  const char *flag;
  const char *field;
  enum value_kind kind;
} update_flags[] = {
  { "blkio-weight", "blockIO.weight", V_UINT },
  { "cpuset-cpus", "cpu.cpus", V_STRING },
  { "cpuset-mems", "cpu.mems", V_STRING },
  { "cpu-period", "cpu.period", V_UINT },
  { "cpu-rt-period", "cpu.realtimePeriod", V_UINT },
  { "cpu-share", "cpu.shares", V_UINT },
  { "cpu-quota", "cpu.quota", V_INT },
  { "cpu-rt-runtime", "cpu.realtimeRuntime", V_INT },
  { "cpu-idle", "cpu.idle", V_INT },
  { "cpu-burst", "cpu.burst", V_UINT },
  { "memory", "memory.limit", V_RAM },
  { "memory-swap", "memory.swap", V_RAM },
  { "kernel-memory", "memory.kernel", V_RAM },
  { "kernel-memory-tcp", "memory.kernelTCP", V_RAM },
  { "memory-reservation", "memory.reservation", V_RAM },
  { "pids-limit", "pids.limit", V_INT },
};

bool
update_is_resource_flag (const char *name)
{
  if (strcmp (name, "r") == 0 || strcmp (name, "resources") == 0)
    return true;
  for (size_t k = 0; k < sizeof update_flags / sizeof update_flags[0]; k++)
    if (strcmp (name, update_flags[k].flag) == 0)
      return true;
  return false;
}

int
resources_from_flags (struct context *ctx, json_value **out, char **err)
{
  cleanup_json json_value *r = json_new_object ();
  struct command_line *cl = ctx->cl;
  for (size_t i = 0; i < cl->nflags; i++)
    for (size_t k = 0; k < sizeof update_flags / sizeof update_flags[0]; k++)
      {
        if (strcmp (cl->flags[i].name, update_flags[k].flag) != 0)
          continue;
        const char *val = cl->flags[i].value;
        int64_t n = 0;
        json_value *v = NULL;
        /* runc leaves a field alone when its flag is empty or zero.  */
        if (*val == '\0')
          break;
        switch (update_flags[k].kind)
          {
          case V_RAM:
            if (go_ram_in_bytes (val, &n) < 0)
              return fail (err, "invalid size \"%s\" for --%s", val, update_flags[k].flag);
            v = json_new_int (n);
            break;
          case V_UINT:
          case V_INT:
            if (parse_update_int (val, update_flags[k].kind == V_UINT, &n) < 0)
              return fail (err, "invalid number \"%s\" for --%s", val, update_flags[k].flag);
            if (n == 0)
              goto next;
            v = json_new_int (n);
            break;
          case V_STRING:
            v = json_new_string (val);
            break;
          }
        if (spec_set (r, update_flags[k].field, v, err) < 0)
          return -1;
      next:
        break;
      }
  *out = r;
  r = NULL;
  return 0;
}
