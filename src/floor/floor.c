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
      free (v->items[i].fix);
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

const struct floor_rule_info floor_rules[RULE_COUNT] = {
#define RULE(name, id, file, field, flag) [RULE_##name] = { id, file, field, flag },
#include "rules.def"
#undef RULE
};

static void
verdict_push (struct verdict *v, enum finding_kind kind, const char *rule, char *field, char *fix,
              char *detail)
{
  if (v->len == v->cap)
    {
      v->cap = v->cap ? v->cap * 2 : 8;
      v->items = xrealloc (v->items, v->cap * sizeof *v->items);
    }
  v->items[v->len++] = (struct finding){
    .kind = kind, .rule = rule, .field = field, .detail = detail, .fix = fix
  };
}

void
verdict_add (struct verdict *v, enum finding_kind kind, const char *rule, const char *field,
             const char *fix, const char *detail)
{
  verdict_push (v, kind, rule, xstrdup (field), fix ? xstrdup (fix) : NULL, xstrdup (detail));
}

static void
floor_add (struct floor_ctx *ctx, enum finding_kind kind, enum floor_rule rule, const char *field,
           const char *fix, char *detail)
{
  verdict_push (ctx->verdict, kind, floor_rules[rule].id,
                xasprintf ("%s%s", ctx->field_prefix ? ctx->field_prefix : "", field),
                fix ? xstrdup (fix) : NULL, detail);
}

void
floor_violation (struct floor_ctx *ctx, enum floor_rule rule, const char *field, const char *fix,
                 const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *detail = xvasprintf (fmt, ap);
  va_end (ap);
  floor_add (ctx, FINDING_VIOLATION, rule, field, fix, detail);
}

void
floor_tightened (struct floor_ctx *ctx, enum floor_rule rule, const char *field, const char *fmt,
                 ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *detail = xvasprintf (fmt, ap);
  va_end (ap);
  floor_add (ctx, FINDING_TIGHTENED, rule, field, NULL, detail);
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

/* /proc/self/oom_score_adj; 0 when it cannot be read (the kernel's
   default, and nothing is then tightened on its account).  */
static int
own_oom_score_adj (void)
{
  cleanup_fclose FILE *f = fopen ("/proc/self/oom_score_adj", "re");
  int adj = 0;
  if (f == NULL || fscanf (f, "%d", &adj) != 1)
    return 0;
  return adj;
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
  h->inherited_oom_score_adj = own_oom_score_adj ();
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
floor_report_unusable (struct floor_ctx *ctx, enum floor_rule rule, const char *path,
                       const char *fix, spec_status s, const char *want)
{
  cleanup_free char *field = failing_prefix (ctx->config, path);
  bool self = strcmp (field, path) == 0;
  /* memory.limit and memory.swap below a null memory are one finding.  */
  cleanup_free char *full = xasprintf ("%s%s", ctx->field_prefix ? ctx->field_prefix : "", field);
  for (size_t i = 0; !self && i < ctx->verdict->len; i++)
    if (ctx->verdict->items[i].kind == FINDING_VIOLATION
        && strcmp (ctx->verdict->items[i].rule, floor_rules[rule].id) == 0
        && strcmp (ctx->verdict->items[i].field, full) == 0)
      return;
  if (s == SPEC_NULL)
    floor_violation (ctx, rule, field, fix, "is null");
  else
    floor_violation (ctx, rule, field, fix, "is not %s", self ? want : "an object");
}

typedef void (*floor_rule_fn) (struct floor_ctx *ctx);

/* Rules that read the whole config.json.  */
static const floor_rule_fn config_rules[] = {
  floor_check_network,
  floor_check_namespaces,
  floor_check_root,
  floor_check_kubelet_binds,
  floor_check_mounts,
  floor_check_memory,
  floor_check_cpu,
  floor_check_pids,
  floor_check_unified,
  floor_check_devices,
  floor_check_masked_paths,
  floor_check_sysctl,
  floor_check_intel_rdt,
  floor_check_personality,
  floor_check_cgroups_path,
  floor_check_rootfs_propagation,
  floor_check_hooks,
  floor_check_annotations,
  floor_check_sandbox_join,
  floor_check_policyrun_annotations,
  floor_check_lowered_limits,
  floor_check_seccomp,
  floor_check_cwd_in_root,
};

/* Rules that read a Process: config.json's "process" or exec's file.  */
static const floor_rule_fn process_rules[] = {
  floor_check_capabilities, floor_check_no_new_privs, floor_check_user, floor_check_oom_score_adj,
  floor_check_scheduler,    floor_check_io_priority,  floor_check_cwd,  floor_check_lsm,
  floor_check_args,         floor_check_rlimits,
};

/* Rules that refuse a command whatever its files say.  */
static const floor_rule_fn command_rules[] = {
  floor_check_restore,
};

/* Rules over create's and run's invocation, after the config's.  */
static const floor_rule_fn create_rules[] = {
  floor_check_hooks_without_start,
  floor_check_rootless,
  floor_check_no_pivot,
  floor_check_manage_cgroups_mode,
  floor_check_lsm_profile,
  floor_check_preserve_fds,
  floor_check_stdio,
};

/* exec's flags come before its process (they shape it) ...  */
static const floor_rule_fn exec_flag_rules[] = {
  floor_check_exec_flags,
  floor_check_process_file_flags,
};

/* ... and what it inherits after.  */
static const floor_rule_fn exec_inherit_rules[] = {
  floor_check_preserve_fds,
  floor_check_stdio,
};

#define RUN_RULES(ctx, rules) run_rules (ctx, rules, sizeof rules / sizeof rules[0])

static void
run_rules (struct floor_ctx *ctx, const floor_rule_fn *rules, size_t n)
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
  RUN_RULES (&ctx, config_rules);

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
        RUN_RULES (&pctx, process_rules);
        break;
      }
    case SPEC_ABSENT:
      floor_violation (&ctx, RULE_PROCESS, "process", NULL,
                       "is absent; a container needs a process to run");
      break;
    default:
      floor_violation (&ctx, RULE_PROCESS, "process", NULL, "is not an object");
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
      floor_violation (&ctx, RULE_PROCESS, "process", NULL, "is not an object");
      return verdict_violations (out);
    }
  RUN_RULES (&ctx, process_rules);
  return verdict_violations (out);
}

size_t
floor_check_command (const struct invocation *inv, const struct policy *p,
                     const struct host_facts *h, struct verdict *out)
{
  struct floor_ctx ctx
      = { .policy = p, .host = h, .verdict = out, .field_prefix = "", .invocation = inv };
  RUN_RULES (&ctx, command_rules);
  return verdict_violations (out);
}

size_t
floor_check_create (json_value *config, const struct invocation *inv, const struct policy *p,
                    const struct host_facts *h, struct verdict *out)
{
  floor_check_config (config, p, h, out);
  struct floor_ctx ctx = { .config = config,
                           .policy = p,
                           .host = h,
                           .verdict = out,
                           .field_prefix = "",
                           .spec = config,
                           .invocation = inv };
  RUN_RULES (&ctx, create_rules);
  return verdict_violations (out);
}

/* The exec'd process's cwd, followed through the container's image like the
   container's own (floor_check_cwd_in_root reads root.path beside it).  */
static void
check_exec_cwd_in_root (struct floor_ctx *ctx)
{
  if (ctx->spec == NULL)
    return;
  cleanup_json json_value *view = json_clone (ctx->spec);
  json_object_set (view, "process", json_clone (ctx->config));
  struct floor_ctx vctx = *ctx;
  vctx.config = view;
  vctx.spec = view;
  floor_check_cwd_in_root (&vctx);
}

size_t
floor_check_exec (json_value *process, const struct invocation *inv, const struct policy *p,
                  const struct host_facts *h, struct verdict *out)
{
  struct floor_ctx ctx = { .config = process,
                           .policy = p,
                           .host = h,
                           .verdict = out,
                           .field_prefix = "",
                           .spec = h->container_config,
                           .invocation = inv };
  RUN_RULES (&ctx, exec_flag_rules);
  floor_check_exec_process (process, p, h, out);
  check_exec_cwd_in_root (&ctx);
  RUN_RULES (&ctx, exec_inherit_rules);
  return verdict_violations (out);
}

/* Harden mode: config.json's rewrites, in the order of the rules they
   answer; the user namespace last, since it reads the user the process
   was given.  */
static const floor_rule_fn config_hardeners[] = {
  floor_harden_network,      floor_harden_namespaces, floor_harden_root,
  floor_harden_mounts,       floor_harden_devices,    floor_harden_memory,
  floor_harden_cpu,          floor_harden_pids,       floor_harden_unified,
  floor_harden_masked_paths, floor_harden_sysctl,     floor_harden_kernel,
  floor_harden_cgroups_path, floor_harden_hooks,      floor_harden_annotations,
  floor_harden_seccomp,
};

static const floor_rule_fn process_hardeners[] = {
  floor_harden_capabilities,   floor_harden_no_new_privs, floor_harden_user,
  floor_harden_process_extras, floor_harden_rlimits,
};

/* A process object, config.json's or exec's, rewritten to the floor.  */
static void
harden_process (json_value *process, const char *prefix, const json_value *spec,
                const struct policy *p, const struct host_facts *h, struct verdict *out)
{
  if (process == NULL || process->type != JSON_OBJECT)
    return; /* the check refuses it */
  struct floor_ctx ctx = {
    .config = process, .policy = p, .host = h, .verdict = out, .field_prefix = prefix, .spec = spec
  };
  RUN_RULES (&ctx, process_hardeners);
}

/* Harden, before the layers: runc reads a null member as absent (Go's
   decoder leaves the field unset), so it is removed and the layers fill in
   what the floor needs.  A null element of an array is dropped: one mount,
   group, path or mapping fewer (Go would read a zero value: group 0, host
   id 0, an empty path).  Except in args and env, the program's own, where
   dropping one would run another command: those stay for the rules.  */
static void
harden_nulls (struct floor_ctx *ctx, json_value *v, const char *path)
{
  if (v->type == JSON_OBJECT)
    for (size_t i = 0; i < v->u.object.len;)
      {
        struct json_member *m = &v->u.object.members[i];
        cleanup_free char *sub = *path ? xasprintf ("%s.%s", path, m->key) : xstrdup (m->key);
        if (m->value->type == JSON_NULL)
          {
            floor_tightened (ctx, RULE_NULLS, sub, "was null, removed (runc reads it as absent)");
            cleanup_free char *key = xstrdup (m->key);
            json_object_remove (v, key);
            continue;
          }
        /* Go matches keys without regard to case: "ARGS" is args.  */
        if (!json_key_fold_equal (m->key, "args") && !json_key_fold_equal (m->key, "env"))
          harden_nulls (ctx, m->value, sub);
        i++;
      }
  else if (v->type == JSON_ARRAY)
    for (size_t i = 0, orig = 0; i < v->u.array.len; orig++)
      {
        cleanup_free char *sub = xasprintf ("%s[%zu]", path, orig);
        if (v->u.array.items[i]->type == JSON_NULL)
          {
            floor_tightened (ctx, RULE_NULLS, sub, "was null, dropped");
            json_array_remove (v, i);
            continue;
          }
        harden_nulls (ctx, v->u.array.items[i], sub);
        i++;
      }
}

/* config.json and its process rewritten to the floor.  */
static void
harden_config (json_value *config, const struct invocation *inv, const struct policy *p,
               const struct host_facts *h, struct verdict *out)
{
  struct floor_ctx ctx = { .config = config,
                           .policy = p,
                           .host = h,
                           .verdict = out,
                           .field_prefix = "",
                           .spec = config,
                           .invocation = inv };
  harden_nulls (&ctx, config, "");
  RUN_RULES (&ctx, config_hardeners);
  json_value *process = NULL;
  if (spec_get (config, "process", JSON_OBJECT, &process) == SPEC_OK)
    harden_process (process, "process.", config, p, h, out);
  /* After the process's user is settled: the mapping must cover it.  */
  floor_harden_user_namespace (&ctx);
}

size_t
floor_harden_config (json_value *config, const struct policy *p, const struct host_facts *h,
                     struct verdict *out)
{
  harden_config (config, NULL, p, h, out);
  return floor_check_config (config, p, h, out);
}

size_t
floor_harden_create (json_value *config, const struct invocation *inv, const struct policy *p,
                     const struct host_facts *h, struct verdict *out)
{
  harden_config (config, inv, p, h, out);
  return floor_check_create (config, inv, p, h, out);
}

size_t
floor_harden_exec (json_value *process, const struct invocation *inv, const struct policy *p,
                   const struct host_facts *h, struct verdict *out)
{
  if (process->type == JSON_OBJECT)
    {
      struct floor_ctx ctx
          = { .config = process, .policy = p, .host = h, .verdict = out, .field_prefix = "" };
      harden_nulls (&ctx, process, "");
    }
  harden_process (process, "", h->container_config, p, h, out);
  return floor_check_exec (process, inv, p, h, out);
}
