/* policyrun exec: the process that exec starts is held to the same floor as
   the container's own.  Without --process, runc builds the process from the
   bundle's config.json (the private one, already checked) and exec's flags;
   with --process it reads the file.  Both are rebuilt here the way runc
   builds them and the result is checked; the file the delegate reads is the
   checked one, re-emitted into the private bundle.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "commands.h"
#include "delegate.h"
#include "report.h"
#include "spec.h"
#include "util.h"

/* Go's strconv.Atoi for -u's numbers: an optional sign and decimal digits.  */
static int
parse_go_int (const char *s, int64_t *out)
{
  if (s == NULL || *s == '\0')
    return -1;
  char *end = NULL;
  errno = 0;
  long long v = strtoll (s, &end, 10);
  if (errno != 0 || *end != '\0' || s[0] == ' ' || s[0] == '\t' || s[0] == '\n')
    return -1;
  *out = v;
  return 0;
}

static json_value *
ensure_array (json_value *obj, const char *field)
{
  json_value *a = json_object_get (obj, field);
  if (a == NULL || a->type != JSON_ARRAY)
    a = json_object_set (obj, field, json_new_array ());
  return a;
}

/* Apply exec's flags to process as runc's getProcess does.  */
static int
apply_exec_flags (struct context *ctx, json_value *process, struct verdict *v, char **err)
{
  struct command_line *cl = ctx->cl;
  struct floor_ctx fctx = {
    .config = process, .policy = &ctx->policy, .host = &ctx->host, .verdict = v, .field_prefix = ""
  };
  for (size_t i = 0; i < cl->nflags; i++)
    {
      const struct cli_flag *f = &cl->flags[i];
      const char *val = f->value;
      if (strcmp (f->name, "cwd") == 0 && *val)
        json_object_set (process, "cwd", json_new_string (val));
      else if (strcmp (f->name, "apparmor") == 0 && *val)
        floor_violation (&fctx, "process", "apparmorProfile", "remove --apparmor from exec",
                         "would be changed to \"%s\" by exec --apparmor", val);
      else if (strcmp (f->name, "process-label") == 0 && *val)
        floor_violation (&fctx, "process", "selinuxLabel", "remove --process-label from exec",
                         "would be changed to \"%s\" by exec --process-label", val);
      else if (strcmp (f->name, "cap") == 0)
        {
          json_value *caps = json_object_get (process, "capabilities");
          if (caps == NULL || caps->type != JSON_OBJECT)
            caps = json_object_set (process, "capabilities", json_new_object ());
          static const char *const sets[] = { "bounding", "effective", "permitted", "ambient" };
          for (size_t k = 0; k < 4; k++)
            json_array_append (ensure_array (caps, sets[k]), json_new_string (val));
        }
      else if (strcmp (f->name, "no-new-privs") == 0)
        {
          bool b = false;
          if (cli_parse_go_bool (val, &b) < 0)
            return fail (err, "exec: invalid value \"%s\" for --no-new-privs", val);
          json_object_set (process, "noNewPrivileges", json_new_bool (b));
        }
      else if (strcmp (f->name, "user") == 0 && *val)
        {
          cleanup_free char *copy = xstrdup (val);
          char *colon = strchr (copy, ':');
          if (colon)
            *colon = '\0';
          int64_t uid = 0, gid = 0;
          if (parse_go_int (copy, &uid) < 0 || (colon && parse_go_int (colon + 1, &gid) < 0)
              || uid < 0 || uid > UINT32_MAX || gid < 0 || gid > UINT32_MAX)
            return fail (err, "exec: --user takes numeric uid[:gid], not \"%s\"", val);
          json_value *user = json_object_get (process, "user");
          if (user == NULL || user->type != JSON_OBJECT)
            user = json_object_set (process, "user", json_new_object ());
          json_object_set (user, "uid", json_new_int (uid));
          if (colon)
            json_object_set (user, "gid", json_new_int (gid));
        }
      else if (strcmp (f->name, "additional-gids") == 0)
        {
          int64_t gid = 0;
          if (parse_go_int (val, &gid) < 0 || gid < 0 || gid > UINT32_MAX)
            return fail (err, "exec: invalid --additional-gids \"%s\"", val);
          json_value *user = json_object_get (process, "user");
          if (user == NULL || user->type != JSON_OBJECT)
            user = json_object_set (process, "user", json_new_object ());
          json_array_append (ensure_array (user, "additionalGids"), json_new_int (gid));
        }
      else if (strcmp (f->name, "cgroup") == 0)
        floor_violation (&fctx, "process", "cgroup", "remove --cgroup from exec",
                         "would place the process in cgroup \"%s\"", val);
    }
  return 0;
}

/* The process runc would build without --process: the private config's
   process with the command words after the id.  */
static int
process_from_config (struct context *ctx, const char *id, json_value **out, char **err)
{
  cleanup_json json_value *config = NULL;
  if (bundle_load_private (&ctx->policy, ctx->cl->root, id, &config, err) < 0)
    return -1;
  json_value *process = NULL;
  if (spec_get (config, "process", JSON_OBJECT, &process) != SPEC_OK)
    return fail (err, "the private bundle of container \"%s\" has no process", id);
  json_value *copy = json_clone (process);
  json_value *args = json_new_array ();
  for (size_t i = 1; i < ctx->cl->nargs; i++)
    json_array_append (args, json_new_string (ctx->cl->args[i]));
  json_object_set (copy, "args", args);
  /* runc sets terminal from --tty only.  */
  json_object_set (copy, "terminal", json_new_bool (cli_flag_true (ctx->cl, "tty")));
  *out = copy;
  return 0;
}

static int
process_from_file (const char *path, json_value **out, char **err)
{
  cleanup_free char *lerr = NULL;
  cleanup_close int fd = open_regular_file (path, &lerr);
  if (fd < 0)
    return fail (err, "exec: cannot load process file %s: %s", path, lerr);
  cleanup_json json_value *p = NULL;
  if (json_load_fd (fd, &p, &lerr) < 0)
    return fail (err, "exec: cannot load process file %s: %s", path, lerr);
  if (p->type != JSON_OBJECT)
    return fail (err, "exec: process file %s is not a JSON object", path);
  if (spec_check_types_process (p, &lerr) < 0)
    return fail (err, "exec: process file %s: %s", path, lerr);
  *out = p;
  p = NULL;
  return 0;
}

static bool
is_process_flag (const char *name)
{
  return strcmp (name, "process") == 0;
}

/* With --process, runc 1.1-1.5 ignore every flag that shapes the process:
   refuse them rather than check a process that will not run.  */
static void
refuse_flags_beside_process_file (struct context *ctx, json_value *process, struct verdict *v)
{
  static const char *const shaping[]
      = { "user", "cwd", "cap", "no-new-privs", "additional-gids", "apparmor", "process-label" };
  struct floor_ctx fctx = {
    .config = process, .policy = &ctx->policy, .host = &ctx->host, .verdict = v, .field_prefix = ""
  };
  for (size_t i = 0; i < ctx->cl->nflags; i++)
    for (size_t k = 0; k < sizeof shaping / sizeof shaping[0]; k++)
      if (strcmp (ctx->cl->flags[i].name, shaping[k]) == 0)
        {
          cleanup_free char *field = xasprintf ("--%s", shaping[k]);
          floor_violation (&fctx, "process", field, "put it in the --process file instead",
                           "is given with --process, which makes the runtime ignore it");
          break;
        }
  /* runc applies --cgroup with or without --process.  */
  const char *cg = cli_flag_value (ctx->cl, "cgroup");
  if (cg != NULL)
    floor_violation (&fctx, "process", "--cgroup", "remove --cgroup from exec",
                     "would place the process in cgroup \"%s\"", cg);
}

/* The exec'd process's cwd, followed through the container's image like the
   container's own (floor_check_cwd_in_root needs root.path beside it).  */
static void
check_cwd_in_container (struct context *ctx, const json_value *config, const json_value *process,
                        struct verdict *v)
{
  cleanup_json json_value *view = json_clone (config);
  json_object_set (view, "process", json_clone (process));
  struct floor_ctx fctx = {
    .config = view, .policy = &ctx->policy, .host = &ctx->host, .verdict = v, .field_prefix = ""
  };
  floor_check_cwd_in_root (&fctx);
}

int
cmd_exec (struct context *ctx, char **err)
{
  if (cli_flag_true (ctx->cl, "help"))
    return exec_delegate_unchanged (ctx, err);
  const char *id = NULL;
  if (require_container_id (ctx, &id, err) < 0)
    return -1;
  /* The container must have come through policyrun: its bundle is the one
     runc builds an exec'd process from.  */
  cleanup_json json_value *config = NULL;
  if (bundle_load_private (&ctx->policy, ctx->cl->root, id, &config, err) < 0)
    return -1;
  const char *file = cli_flag_value (ctx->cl, "process");
  bool from_file = file != NULL && *file != '\0';
  cleanup_json json_value *process = NULL;
  if (from_file ? process_from_file (file, &process, err) < 0
                : process_from_config (ctx, id, &process, err) < 0)
    return -1;

  struct verdict v = { 0 };
  if (from_file)
    refuse_flags_beside_process_file (ctx, process, &v);
  else if (apply_exec_flags (ctx, process, &v, err) < 0)
    {
      verdict_free (&v);
      return -1;
    }
  ctx->host.container_config = config;
  ctx->host.container_id = id;
  floor_check_exec_process (process, &ctx->policy, &ctx->host, &v);
  ctx->host.container_config = NULL;
  check_cwd_in_container (ctx, config, process, &v);
  check_inherited_fds (ctx, process, &v);
  if (verdict_settle (&v, err) < 0)
    return -1;
  if (!from_file)
    return exec_delegate_unchanged (ctx, err);
  /* The delegate reads the file as checked, with what the floor filled in.  */
  cleanup_free char *private_file = NULL;
  if (bundle_write_file (&ctx->policy, ctx->cl->root, id, "exec", process, &private_file, err) < 0)
    return -1;
  cleanup_free char **argv
      = delegate_argv_swapping (ctx, is_process_flag, "--process", private_file, NULL);
  return delegate_exec (ctx->delegate, argv, err);
}
