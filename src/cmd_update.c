/* policyrun update: new resources are held to the floor.  runc takes them
   either from -r FILE|- (and then ignores every resource flag) or from the
   flags; both are turned here into one LinuxResources object, checked, and
   handed to the delegate as "-r PRIVATE_FILE" with the flags removed, so
   the delegate applies exactly what was checked.  */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "commands.h"
#include "delegate.h"
#include "report.h"
#include "spec.h"
#include "util.h"

/* docker/go-units RAMInBytes, as runc uses it: a decimal number, an
   optional space, an optional k/m/g/t/p (binary multiples), an optional
   "i" and "b", case-insensitive.  runc itself maps "-1" to unlimited.  */
static int
parse_ram (const char *s, int64_t *out)
{
  if (strcmp (s, "-1") == 0)
    {
      *out = -1;
      return 0;
    }
  const char *p = s;
  if (!isdigit ((unsigned char)*p))
    return -1;
  while (isdigit ((unsigned char)*p))
    p++;
  while (*p == '.' && isdigit ((unsigned char)p[1]))
    {
      p++;
      while (isdigit ((unsigned char)*p))
        p++;
    }
  cleanup_free char *num = xstrndup (s, (size_t)(p - s));
  if (*p == ' ')
    p++;
  double mult = 1;
  switch (tolower ((unsigned char)*p))
    {
    case 'k':
      mult = 1024.0;
      p++;
      break;
    case 'm':
      mult = 1024.0 * 1024;
      p++;
      break;
    case 'g':
      mult = 1024.0 * 1024 * 1024;
      p++;
      break;
    case 't':
      mult = 1024.0 * 1024 * 1024 * 1024;
      p++;
      break;
    case 'p':
      mult = 1024.0 * 1024 * 1024 * 1024 * 1024;
      p++;
      break;
    default:
      break;
    }
  if (mult > 1 && tolower ((unsigned char)*p) == 'i')
    p++;
  if (tolower ((unsigned char)*p) == 'b')
    p++;
  if (*p != '\0')
    return -1;
  double v = strtod (num, NULL) * mult;
  if (!isfinite (v) || v >= 9.2e18)
    return -1;
  *out = (int64_t)v;
  return 0;
}

static int
parse_int_strict (const char *s, bool is_unsigned, int64_t *out)
{
  if (*s == '\0' || isspace ((unsigned char)*s) || (is_unsigned && (*s == '-' || *s == '+')))
    return -1;
  char *end = NULL;
  errno = 0;
  long long v = strtoll (s, &end, 10);
  if (errno != 0 || *end != '\0')
    return -1;
  *out = v;
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

static int
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
            if (parse_ram (val, &n) < 0)
              return fail (err, "update: invalid size \"%s\" for --%s", val, update_flags[k].flag);
            v = json_new_int (n);
            break;
          case V_UINT:
          case V_INT:
            if (parse_int_strict (val, update_flags[k].kind == V_UINT, &n) < 0)
              return fail (err, "update: invalid number \"%s\" for --%s", val,
                           update_flags[k].flag);
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

static bool
is_resource_flag (const char *name)
{
  if (strcmp (name, "r") == 0 || strcmp (name, "resources") == 0)
    return true;
  for (size_t k = 0; k < sizeof update_flags / sizeof update_flags[0]; k++)
    if (strcmp (name, update_flags[k].flag) == 0)
      return true;
  return false;
}

int
cmd_update (struct context *ctx, char **err)
{
  if (cli_flag_true (ctx->cl, "help"))
    return exec_delegate_unchanged (ctx, err);
  const char *id = NULL;
  if (require_container_id (ctx, &id, err) < 0)
    return -1;
  struct command_line *cl = ctx->cl;
  for (size_t i = 0; i < cl->nflags; i++)
    if (!is_resource_flag (cl->flags[i].name) && strcmp (cl->flags[i].name, "help") != 0)
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
  else if (resources_from_flags (ctx, &resources, err) < 0)
    return -1;

  struct verdict v = { 0 };
  floor_check_update (resources, &ctx->policy, &ctx->host, &v);
  if (verdict_settle (&v, err) < 0)
    return -1;
  cleanup_free char *file = NULL;
  if (bundle_write_file (&ctx->policy, cl->root, id, "update", resources, &file, err) < 0)
    return -1;
  cleanup_free char **argv = delegate_argv_swapping (ctx, is_resource_flag, "-r", file, NULL);
  return delegate_exec (ctx->delegate, argv, err);
}
