/* policyrun update: new resources are held to the floor.  runc takes them
   either from -r FILE|- (and then ignores every resource flag) or from the
   flags; both are turned here into one LinuxResources object, checked, and
   handed to the delegate as "-r PRIVATE_FILE" with the flags removed, so
   the delegate applies exactly what was checked.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "cmd_support.h"
#include "commands.h"
#include "delegate.h"
#include "spec.h"
#include "util.h"

static int
resources_from_input (const char *in, json_value **out, char **err)
{
  cleanup_free char *lerr = NULL;
  cleanup_close int fd = -1;
  if (strcmp (in, "-") == 0)
    fd = fcntl (0, F_DUPFD_CLOEXEC, 3);
  else
    fd = open_regular_file (in, &lerr);
  if (fd < 0)
    return fail (err, "update: cannot read resources %s: %s", in, lerr ? lerr : strerror (errno));
  cleanup_json json_value *r = NULL;
  if (json_load_fd (fd, &r, &lerr) < 0)
    return fail (err, "update: cannot load resources from %s: %s",
                 strcmp (in, "-") == 0 ? "stdin" : in, lerr);
  if (r->type != JSON_OBJECT)
    return fail (err, "update: the resources are not a JSON object");
  if (spec_check_types_resources (r, &lerr) < 0)
    return fail (err, "update: resources: %s", lerr);
  *out = r;
  r = NULL;
  return 0;
}

/* The limits whose current value an update is merged with.  */
static const char *const tracked_limits[]
    = { "memory.limit", "memory.swap", "cpu.quota", "cpu.period", "pids.limit" };

/* The private bundle's record of the limits the last accepted update
   handed to the delegate (create's are in config.json).  A fixed name:
   bundle_write_file's clean-up only removes "PREFIX-*" files.  */
#define APPLIED_FILE "resources.json"

/* The container's config with its current limits: the private config.json
   (what create applied), with the limits of the last update over it.  */
static int
load_current (struct context *ctx, const char *id, json_value **out, char **err)
{
  cleanup_json json_value *config = NULL;
  if (bundle_load_private (&ctx->policy, ctx->cl->root, id, &config, err) < 0)
    return -1;
  cleanup_free char *dir = bundle_private_dir (&ctx->policy, ctx->cl->root, id);
  cleanup_free char *path = xasprintf ("%s/%s", dir, APPLIED_FILE);
  cleanup_close int fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno != ENOENT)
    return fail (err, "update: cannot read the container's last limits %s: %s", path,
                 strerror (errno));
  cleanup_json json_value *applied = NULL;
  cleanup_free char *lerr = NULL;
  if (fd >= 0 && json_load_fd (fd, &applied, &lerr) < 0)
    return fail (err, "update: cannot load the container's last limits %s: %s", path, lerr);
  for (size_t i = 0; applied != NULL && i < sizeof tracked_limits / sizeof tracked_limits[0]; i++)
    {
      json_value *v = NULL;
      if (spec_get (applied, tracked_limits[i], JSON_NUMBER, &v) != SPEC_OK)
        continue;
      cleanup_free char *at = xasprintf ("linux.resources.%s", tracked_limits[i]);
      if (spec_set (config, at, json_clone (v), err) < 0)
        return -1;
    }
  *out = config;
  config = NULL;
  return 0;
}

/* Record the limits the container has once the delegate applied the
   checked resources: each tracked limit the update sets (non-zero), else
   the current one.  Written before the delegate runs (execve does not
   return); a delegate that then fails leaves a record that also held the
   floor, and the next update hands the delegate a whole pair again.  */
static int
record_applied (struct context *ctx, const char *id, const json_value *current,
                const json_value *resources, char **err)
{
  cleanup_json json_value *applied = json_new_object ();
  const json_value *now = NULL;
  json_value *found = NULL;
  if (spec_get (current, "linux.resources", JSON_OBJECT, &found) == SPEC_OK)
    now = found;
  for (size_t i = 0; i < sizeof tracked_limits / sizeof tracked_limits[0]; i++)
    {
      int64_t n = 0;
      const json_value *from = NULL;
      if (spec_get_int (resources, tracked_limits[i], INT64_MIN, INT64_MAX, &n) == SPEC_OK
          && n != 0)
        from = resources;
      else if (now != NULL)
        from = now;
      json_value *v = NULL;
      if (from == NULL || spec_get (from, tracked_limits[i], JSON_NUMBER, &v) != SPEC_OK)
        continue;
      if (spec_set (applied, tracked_limits[i], json_clone (v), err) < 0)
        return -1;
    }
  cleanup_free char *tmp = NULL;
  if (bundle_write_file (&ctx->policy, ctx->cl->root, id, "resources", applied, &tmp, err) < 0)
    return -1;
  cleanup_free char *dir = bundle_private_dir (&ctx->policy, ctx->cl->root, id);
  cleanup_free char *path = xasprintf ("%s/%s", dir, APPLIED_FILE);
  if (rename (tmp, path) < 0)
    {
      unlink (tmp);
      return fail (err, "update: cannot record the container's limits in %s: %s", path,
                   strerror (errno));
    }
  return 0;
}

int
cmd_update (struct context *ctx, char **err)
{
  if (cli_flag_true (ctx->cl, "help"))
    return exec_delegate_unchanged (ctx, err);
  /* runsc has no update; refused before anything is written.  */
  if (ctx->dialect == DIALECT_RUNSC)
    return fail (err, "update: gVisor (runsc) cannot change a running sandbox's resources");
  const char *id = NULL;
  if (require_container_id (ctx, &id, err) < 0)
    return -1;
  struct command_line *cl = ctx->cl;
  for (size_t i = 0; i < cl->nflags; i++)
    if (!update_is_resource_flag (cl->flags[i].name) && strcmp (cl->flags[i].name, "help") != 0)
      return fail (err,
                   "update: --%s is refused by policyrun (it changes settings the floor "
                   "does not allow to change)",
                   cl->flags[i].name);
  const char *in = cli_flag_value (cl, "resources");
  if (in == NULL)
    in = cli_flag_value (cl, "r");
  cleanup_json json_value *resources = NULL;
  if (in != NULL && *in != '\0')
    {
      if (resources_from_input (in, &resources, err) < 0)
        return -1;
    }
  else
    {
      cleanup_free char *ferr = NULL;
      if (resources_from_flags (ctx, &resources, &ferr) < 0)
        return fail (err, "update: %s", ferr);
    }

  /* What is checked is the container's limits after the update: the
     request merged with its current ones.  */
  cleanup_json json_value *current = NULL;
  if (load_current (ctx, id, &current, err) < 0)
    return -1;
  ctx->host.container_config = current;
  struct verdict v = { 0 };
  floor_check_update (resources, &ctx->policy, &ctx->host, &v);
  ctx->host.container_config = NULL;
  if (verdict_settle_in (ctx, current, &v, err) < 0)
    return -1;
  if (record_applied (ctx, id, current, resources, err) < 0)
    return -1;
  cleanup_free char *file = NULL;
  if (bundle_write_file (&ctx->policy, cl->root, id, "update", resources, &file, err) < 0)
    return -1;
  cleanup_strv char **argv
      = delegate_argv_swapping (ctx, update_is_resource_flag, "-r", file, NULL, err);
  return argv == NULL ? -1 : delegate_exec (ctx->delegate, argv, err);
}
