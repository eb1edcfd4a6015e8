/* policyrun: the floor's entry points, the rule tables and the verdict.  The
   rules themselves live one per function in the file of their layer.  */
#include "config.h"
#include "floor.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spec.h"
#include "util.h"

void
verdict_free (struct verdict *v)
{
  for (size_t i = 0; i < v->len; i++)
    {
      free (v->items[i].field);
      free (v->items[i].detail);
    }
  free (v->items);
  v->items = NULL;
  v->len = v->cap = 0;
}

size_t
verdict_violations (const struct verdict *v)
{
  size_t n = 0;
  for (size_t i = 0; i < v->len; i++)
    if (v->items[i].kind == FINDING_VIOLATION)
      n++;
  return n;
}

static void
verdict_add (struct floor_ctx *ctx, enum finding_kind kind, const char *rule, const char *field,
             const char *fix, char *detail)
{
  struct verdict *v = ctx->verdict;
  if (v->len == v->cap)
    {
      v->cap = v->cap ? v->cap * 2 : 8;
      v->items = xrealloc (v->items, v->cap * sizeof *v->items);
    }
  v->items[v->len++] = (struct finding){
    .kind = kind,
    .rule = rule,
    .field = xasprintf ("%s%s", ctx->field_prefix ? ctx->field_prefix : "", field),
    .detail = detail,
    .fix = fix,
  };
}

void
floor_violation (struct floor_ctx *ctx, const char *rule, const char *field, const char *fix,
                 const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *detail = xvasprintf (fmt, ap);
  va_end (ap);
  verdict_add (ctx, FINDING_VIOLATION, rule, field, fix, detail);
}

void
floor_tightened (struct floor_ctx *ctx, const char *rule, const char *field, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *detail = xvasprintf (fmt, ap);
  va_end (ap);
  verdict_add (ctx, FINDING_TIGHTENED, rule, field, NULL, detail);
}

static bool
first_byte_is (const char *path, char want)
{
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  char c = 0;
  return fd >= 0 && read (fd, &c, 1) == 1 && c == want;
}

/* Whether a line of path begins with prefix (AppArmor lists loaded profiles
   as "NAME (MODE)").  */
static bool
file_has_line_prefix (const char *path, const char *prefix)
{
  cleanup_fclose FILE *f = fopen (path, "re");
  if (f == NULL)
    return false;
  char line[4096];
  size_t n = strlen (prefix);
  while (fgets (line, sizeof line, f) != NULL)
    if (strncmp (line, prefix, n) == 0)
      return true;
  return false;
}

void
host_facts_probe (struct host_facts *h)
{
  /* cgroup v1 exposes memory+swap as memsw; v2 as memory.swap.max in every
     non-root cgroup, present when the kernel accounts swap at all.  */
  h->swap_accounting = access ("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", F_OK) == 0
                       || access ("/sys/fs/cgroup/unified/memory.swap.max", F_OK) == 0
                       || access ("/sys/fs/cgroup/system.slice/memory.swap.max", F_OK) == 0
                       || access ("/sys/fs/cgroup/init.scope/memory.swap.max", F_OK) == 0;
  h->apparmor_enabled = first_byte_is ("/sys/module/apparmor/parameters/enabled", 'Y')
                        && access ("/sys/kernel/security/apparmor", F_OK) == 0;
  h->apparmor_docker_default
      = h->apparmor_enabled
        && file_has_line_prefix ("/sys/kernel/security/apparmor/profiles", "docker-default ");
  h->selinux_enforcing = first_byte_is ("/sys/fs/selinux/enforce", '1');
}

/* The first prefix of path (whole dot-separated steps) that is not an
   object, for naming what is null: "linux.resources" when resources is
   null and the rule asked for linux.resources.memory.limit.  */
static char *
failing_prefix (const json_value *root, const char *path)
{
  const char *dot = path;
  while ((dot = strchr (dot, '.')) != NULL)
    {
      cleanup_free char *prefix = xstrndup (path, (size_t)(dot - path));
      if (spec_get (root, prefix, JSON_OBJECT, NULL) != SPEC_OK)
        return xstrdup (prefix);
      dot++;
    }
  return xstrdup (path);
}

void
floor_report_unusable (struct floor_ctx *ctx, const char *rule, const char *path, const char *fix,
                       spec_status s, const char *want)
{
  cleanup_free char *field = failing_prefix (ctx->config, path);
  bool self = strcmp (field, path) == 0;
  /* memory.limit and memory.swap below a null memory are one finding.  */
  cleanup_free char *full = xasprintf ("%s%s", ctx->field_prefix ? ctx->field_prefix : "", field);
  for (size_t i = 0; !self && i < ctx->verdict->len; i++)
    if (ctx->verdict->items[i].kind == FINDING_VIOLATION
        && strcmp (ctx->verdict->items[i].rule, rule) == 0
        && strcmp (ctx->verdict->items[i].field, full) == 0)
      return;
  if (s == SPEC_NULL)
    floor_violation (ctx, rule, field, fix, "is null");
  else
    floor_violation (ctx, rule, field, fix, "is not %s", self ? want : "an object");
}

typedef void (*floor_rule) (struct floor_ctx *ctx);

/* Rules that read the whole config.json.  */
static const floor_rule config_rules[] = {
  floor_check_network, floor_check_namespaces,   floor_check_root,    floor_check_mounts,
  floor_check_memory,  floor_check_cpu,          floor_check_pids,    floor_check_unified,
  floor_check_devices, floor_check_masked_paths, floor_check_sysctl,  floor_check_kernel_misc,
  floor_check_hooks,   floor_check_annotations,  floor_check_seccomp, floor_check_cwd_in_root,
};

/* Rules that read a Process: config.json's "process" or exec's file.  */
static const floor_rule process_rules[] = {
  floor_check_capabilities,
  floor_check_no_new_privs,
  floor_check_user,
  floor_check_process_misc,
};

static void
run_rules (struct floor_ctx *ctx, const floor_rule *rules, size_t n)
{
  for (size_t i = 0; i < n; i++)
    rules[i](ctx);
}

size_t
floor_check_config (json_value *config, const struct policy *p, const struct host_facts *h,
                    struct verdict *out)
{
  struct floor_ctx ctx = {
    .config = config, .policy = p, .host = h, .verdict = out, .field_prefix = "", .spec = config
  };
  run_rules (&ctx, config_rules, sizeof config_rules / sizeof config_rules[0]);

  json_value *process = NULL;
  switch (spec_get (config, "process", JSON_OBJECT, &process))
    {
    case SPEC_OK:
      {
        struct floor_ctx pctx = {
          .config = process,
          .policy = p,
          .host = h,
          .verdict = out,
          .field_prefix = "process.",
          .spec = config,
        };
        run_rules (&pctx, process_rules, sizeof process_rules / sizeof process_rules[0]);
        break;
      }
    case SPEC_ABSENT:
      floor_violation (&ctx, "process", "process", NULL,
                       "is absent; a container needs a process to run");
      break;
    default:
      floor_violation (&ctx, "process", "process", NULL, "is not an object");
      break;
    }
  return verdict_violations (out);
}

size_t
floor_check_exec_process (json_value *process, const struct policy *p, const struct host_facts *h,
                          struct verdict *out)
{
  struct floor_ctx ctx = { .config = process,
                           .policy = p,
                           .host = h,
                           .verdict = out,
                           .field_prefix = "",
                           .spec = h->container_config };
  if (process->type != JSON_OBJECT)
    {
      floor_violation (&ctx, "process", "process", NULL, "is not an object");
      return verdict_violations (out);
    }
  run_rules (&ctx, process_rules, sizeof process_rules / sizeof process_rules[0]);
  return verdict_violations (out);
}
