/* policyrun floor: hooks.  A hook is a program the runtime starts as root on
   the host, outside every namespace of the container: only programs on the
   policy's allowlist may be hooks.

   Docker's own hook is special.  For a network namespace it asks runc to
   run "/proc/<daemon pid>/exe" with args[0] "libnetwork-setkey": the daemon
   binary re-executed (moby's reexec dispatches on argv[0]).  It is allowed
   when that pid's executable is, file for file, a binary on the allowlist;
   the hook is then rewritten to that binary's path, so the delegate runs
   exactly the file that was checked even if the pid is gone and reused by
   the time it runs.  */
#include "config.h"

#include <errno.h>
#include "floor.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec.h"
#include "util.h"

static const char *const hook_fix = "remove the hook (hooks run as root on the host)";

/* Where the process table is read.  Unit tests point it at a directory of
   their own making.  */
extern const char *floor_hooks_proc_dir;
const char *floor_hooks_proc_dir = "/proc";

/* Every hook list of runtime-spec 1.0-1.2.  */
static const char *const hook_lists[] = {
  "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

static const char *const docker_setkey = "libnetwork-setkey";

/* Variables the C library refuses to take from the environment of a setuid
   program (glibc's UNSECURE_ENVVARS): each loads code or data of the
   caller's choosing into a process that runs as root.  */
static const char *const unsecure_env[] = {
  "GCONV_PATH", "GETCONF_DIR", "HOSTALIASES",      "LOCALDOMAIN", "LOCPATH", "MALLOC_TRACE",
  "NIS_PATH",   "NLSPATH",     "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR",  "TZDIR",
};

/* The first entry of env that would steer the hook's program; NULL when
   none.  */
static const char *
unsecure_env_entry (const json_value *env)
{
  for (size_t i = 0; i < env->u.array.len; i++)
    {
      const json_value *e = env->u.array.items[i];
      if (e->type != JSON_STRING)
        return "(an entry that is not a string)";
      const char *s = e->u.string.s;
      size_t name = strcspn (s, "=");
      if (strncmp (s, "LD_", 3) == 0)
        return s;
      for (size_t k = 0; k < sizeof unsecure_env / sizeof unsecure_env[0]; k++)
        if (strlen (unsecure_env[k]) == name && strncmp (s, unsecure_env[k], name) == 0)
          return s;
    }
  return NULL;
}

/* "/proc/<pid>/exe" with a canonical decimal pid (the kernel takes no
   leading zeros); the pid's text, or NULL.  */
static char *
proc_exe_pid (const char *path)
{
  if (strncmp (path, "/proc/", 6) != 0)
    return NULL;
  const char *pid = path + 6;
  size_t n = strspn (pid, "0123456789");
  if (n == 0 || n > 10 || pid[0] == '0' || strcmp (pid + n, "/exe") != 0)
    return NULL;
  return xstrndup (pid, n);
}

/* The path of the binary process pid runs, when the path names the very
   file it runs: the link's text alone can name a file in another mount
   namespace (a container's own "/usr/bin/dockerd"), or one replaced or
   deleted since.  NULL otherwise, with *why saying which.  */
static char *
proc_exe_binary (const char *pid, const char **why, bool *gone)
{
  cleanup_free char *link = xasprintf ("%s/%s/exe", floor_hooks_proc_dir, pid);
  cleanup_free char *dir = xasprintf ("%s/%s", floor_hooks_proc_dir, pid);
  char target[PATH_MAX];
  *gone = false;
  ssize_t n = readlink (link, target, sizeof target);
  if (n <= 0 || (size_t)n >= sizeof target)
    {
      *gone = access (dir, F_OK) < 0 && errno == ENOENT;
      *why = "which names no running process's executable";
      return NULL;
    }
  target[n] = '\0';
  struct stat running, named;
  if (target[0] != '/' || stat (link, &running) < 0 || stat (target, &named) < 0
      || !S_ISREG (named.st_mode) || running.st_dev != named.st_dev
      || running.st_ino != named.st_ino)
    {
      *why = "whose executable is not the file its name says (deleted, replaced, or in another "
             "mount namespace)";
      return NULL;
    }
  return xstrdup (target);
}

static const char *
last_component (const char *p)
{
  const char *s = strrchr (p, '/');
  return s ? s + 1 : p;
}

/* Docker's setkey hook tells the daemon "this network namespace is
   container X's": args are exactly ["libnetwork-setkey",
   "-exec-root=DIR", X, CONTROLLER] (moby parses them with Go's flag
   package: the first word after the flags is the container).  X must be the
   container being created, or the hook would wire another container's
   network, and its interfaces, into this one; any other shape is refused.
   Without a container (policyrun check) there is nothing to compare.
   Returns whether the hook passed.  */
static bool
setkey_names_container (struct floor_ctx *ctx, const char *list, size_t i, const json_value *args)
{
  const char *want = ctx->host->container_id;
  if (want == NULL)
    return true;
  cleanup_free char *afield = xasprintf ("hooks.%s[%zu].args", list, i);
  json_value *const *a = args->u.array.items;
  size_t n = args->u.array.len;
  for (size_t k = 0; k < n; k++)
    if (a[k]->type != JSON_STRING)
      {
        floor_violation (ctx, RULE_HOOKS, afield, hook_fix,
                         "has an entry that is not a string; Docker's libnetwork-setkey hook has "
                         "only strings");
        return false;
      }
  if (n != 4 || strncmp (a[1]->u.string.s, "-exec-root=", 11) != 0)
    {
      floor_violation (ctx, RULE_HOOKS, afield, hook_fix,
                       "is not [\"%s\", \"-exec-root=DIR\", CONTAINER, CONTROLLER], the "
                       "shape of Docker's hook",
                       docker_setkey);
      return false;
    }
  if (strcmp (a[2]->u.string.s, want) != 0)
    {
      floor_violation (ctx, RULE_HOOKS, afield, hook_fix,
                       "names container \"%s\", not \"%s\", the container being created",
                       a[2]->u.string.s, want);
      return false;
    }
  return true;
}

/* Check one hook; true when it is to be taken out of its list.  */
static bool
check_hook (struct floor_ctx *ctx, const char *list, size_t i, json_value *hook)
{
  cleanup_free char *field = xasprintf ("hooks.%s[%zu]", list, i);
  cleanup_free char *pfield = xasprintf ("hooks.%s[%zu].path", list, i);
  if (hook->type != JSON_OBJECT)
    {
      cleanup_free char *value = spec_describe (hook);
      floor_violation (ctx, RULE_HOOKS, field, hook_fix, "is %s, not a hook", value);
      return false;
    }
  const char *path = NULL;
  spec_status st = spec_get_string (hook, "path", &path);
  if (st != SPEC_OK)
    {
      floor_violation (ctx, RULE_HOOKS, pfield, hook_fix, "is %s", spec_status_text (st));
      return false;
    }

  json_value *args = NULL;
  const char *arg0 = NULL;
  st = spec_get (hook, "args", JSON_ARRAY, &args);
  if (st == SPEC_OK && args->u.array.len > 0 && args->u.array.items[0]->type == JSON_STRING)
    arg0 = args->u.array.items[0]->u.string.s;
  else if (st != SPEC_OK && st != SPEC_ABSENT)
    {
      cleanup_free char *afield = xasprintf ("hooks.%s[%zu].args", list, i);
      floor_violation (ctx, RULE_HOOKS, afield, hook_fix, "is %s", spec_status_text (st));
      return false;
    }
  bool setkey = arg0 != NULL && strcmp (arg0, docker_setkey) == 0;

  /* Docker's hook carries no environment; any other allowlisted hook may,
     but nothing that makes a root program load the caller's code.  */
  json_value *env = NULL;
  cleanup_free char *efield = xasprintf ("hooks.%s[%zu].env", list, i);
  st = spec_get (hook, "env", JSON_ARRAY, &env);
  if (st != SPEC_OK && st != SPEC_ABSENT)
    {
      floor_violation (ctx, RULE_HOOKS, efield, hook_fix, "is %s", spec_status_text (st));
      return false;
    }
  if (st == SPEC_OK && setkey && env->u.array.len > 0)
    {
      floor_violation (ctx, RULE_HOOKS, efield, hook_fix,
                       "has %zu entries; Docker's libnetwork-setkey hook has none",
                       env->u.array.len);
      return false;
    }
  const char *bad_env = st == SPEC_OK ? unsecure_env_entry (env) : NULL;
  if (bad_env != NULL)
    {
      floor_violation (ctx, RULE_HOOKS, efield, hook_fix,
                       "has \"%s\", which would load code of the caller's choosing into a root "
                       "process",
                       bad_env);
      return false;
    }

  if (setkey && !setkey_names_container (ctx, list, i, args))
    return false;

  cleanup_free char *pid = proc_exe_pid (path);
  if (pid != NULL)
    {
      const char *why = NULL;
      bool gone = false;
      cleanup_free char *binary = proc_exe_binary (pid, &why, &gone);
      if (!setkey)
        floor_violation (ctx, RULE_HOOKS, pfield, hook_fix,
                         "is \"%s\" without args[0] \"%s\"; only Docker's own hook may run a "
                         "process's executable",
                         path, docker_setkey);
      else if (binary == NULL && gone)
        {
          /* The daemon that wrote the config is not running (a config saved
             and replayed): its hook has no daemon to talk to, and whatever
             process takes that pid before the hook runs must never run as
             root.  The hook goes.  */
          floor_tightened (ctx, RULE_HOOKS, field,
                           "was Docker's libnetwork-setkey hook \"%s\" of a daemon that is not "
                           "running; removed",
                           path);
          return true;
        }
      else if (binary == NULL)
        floor_violation (ctx, RULE_HOOKS, pfield, hook_fix, "is \"%s\", %s", path, why);
      else if (!string_list_contains (&ctx->policy->hook_allowlist, binary))
        floor_violation (ctx, RULE_HOOKS, pfield, hook_fix,
                         "is \"%s\", which runs \"%s\", not on the hook allowlist", path, binary);
      else
        {
          floor_tightened (ctx, RULE_HOOKS, pfield,
                           "was \"%s\" (Docker's libnetwork-setkey); set to \"%s\", the binary "
                           "it runs",
                           path, binary);
          json_object_set (hook, "path", json_new_string (binary));
        }
      return false;
    }

  if (!string_list_contains (&ctx->policy->hook_allowlist, path))
    floor_violation (ctx, RULE_HOOKS, pfield, hook_fix, "is \"%s\", not on the hook allowlist",
                     path);
  else if (strcmp (last_component (path), "dockerd") == 0 && !setkey)
    /* The Docker daemon binary with any other argv[0] is the daemon itself
       (or one of its other re-exec helpers), started as root.  */
    floor_violation (ctx, RULE_HOOKS, pfield, hook_fix,
                     "is the Docker daemon \"%s\" without args[0] \"%s\"", path, docker_setkey);
  return false;
}

/* Rule HOOKS ("hooks").
   Fields: hooks.prestart, createRuntime, createContainer, startContainer,
   poststart, poststop.
   Refused: any hook whose path is not on the policy's hook_allowlist, except
   Docker's libnetwork-setkey ("/proc/PID/exe", args[0]
   "libnetwork-setkey", PID's executable being, file for file, an
   allowlisted binary); the Docker daemon binary with any other args[0]; an
   env on Docker's hook, or one with LD_* or another variable glibc keeps
   from setuid programs (LD_PRELOAD runs the caller's code as root); a
   hook list policyrun does not know (fail closed); null, non-arrays,
   non-objects, a path that is not a string.
   Tightened: Docker's setkey hook gets the allowlisted binary's path in place
   of "/proc/PID/exe".
   Docker flag: none (hooks come from the daemon or a hostile bundle).  */
void
floor_check_hooks (struct floor_ctx *ctx)
{
  json_value *hooks = NULL;
  spec_status st = spec_get (ctx->config, "hooks", JSON_OBJECT, &hooks);
  if (st == SPEC_ABSENT)
    return;
  if (st != SPEC_OK)
    {
      floor_violation (ctx, RULE_HOOKS, "hooks", hook_fix, "is %s", spec_status_text (st));
      return;
    }
  for (size_t m = 0; m < hooks->u.object.len; m++)
    {
      const struct json_member *member = &hooks->u.object.members[m];
      const char *list = NULL;
      for (size_t k = 0; k < sizeof hook_lists / sizeof hook_lists[0]; k++)
        if (json_key_fold_equal (member->key, hook_lists[k]))
          list = hook_lists[k];
      cleanup_free char *field = xasprintf ("hooks.%s", list ? list : member->key);
      if (list == NULL)
        {
          floor_violation (ctx, RULE_HOOKS, field, hook_fix, "is not a hook list policyrun knows");
          continue;
        }
      json_value *entries = member->value;
      if (entries->type != JSON_ARRAY)
        {
          floor_violation (ctx, RULE_HOOKS, field, hook_fix, "is %s, not an array",
                           entries->type == JSON_NULL ? "null" : json_type_name (entries->type));
          continue;
        }
      /* Findings name a hook by its index in the caller's list.  */
      for (size_t i = 0, orig = 0; i < entries->u.array.len; orig++)
        if (check_hook (ctx, list, orig, entries->u.array.items[i]))
          json_array_remove (entries, i);
        else
          i++;
    }
}

/* The hook has the shape runc decodes (an object, a string path, args and
   env absent or arrays of strings), so it can be judged by what it runs;
   anything else stays for the rule to refuse.  */
static bool
hook_well_formed (const json_value *hook)
{
  const char *path = NULL;
  if (hook->type != JSON_OBJECT || spec_get_string (hook, "path", &path) != SPEC_OK)
    return false;
  static const char *const lists[] = { "args", "env" };
  for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
    {
      json_value *a = NULL;
      spec_status st = spec_get (hook, lists[k], JSON_ARRAY, &a);
      if (st == SPEC_ABSENT)
        continue;
      if (st != SPEC_OK)
        return false;
      for (size_t i = 0; i < a->u.array.len; i++)
        if (a->u.array.items[i]->type != JSON_STRING)
          return false;
    }
  return true;
}

/* Whether the rule refuses hook (list[i]), judged on a copy so that the
   rule's own tightenings (the setkey path, a gone daemon's hook) are left
   for the rule to make and record; *why is its first reason.  */
static bool
hook_refused (struct floor_ctx *ctx, const char *list, size_t i, const json_value *hook, char **why)
{
  struct verdict scratch = { 0 };
  struct floor_ctx c = *ctx;
  c.verdict = &scratch;
  cleanup_json json_value *copy = json_clone (hook);
  check_hook (&c, list, i, copy);
  bool refused = false;
  for (size_t k = 0; k < scratch.len && !refused; k++)
    if (scratch.items[k].kind == FINDING_VIOLATION)
      {
        refused = true;
        *why = xasprintf ("%s %s", scratch.items[k].field, scratch.items[k].detail);
      }
  verdict_free (&scratch);
  return refused;
}

/* Harden HOOKS: every hook the rule refuses for what it would run (a path
   off the hook_allowlist, the Docker daemon without args[0]
   "libnetwork-setkey", a process's executable that is not Docker's hook or
   not an allowlisted binary, Docker's hook naming another container, an env
   that loads the caller's code into a root program) is taken out; allowed
   hooks stay, Docker's setkey hook with its path rewritten by the rule.  A
   hook list policyrun does not know goes too (runc 1.1 ignores it; a later
   runc would run it as root).  Under run, which starts the container
   before its network can be attested (HOOKS_WITHOUT_START), every hook
   goes.  A hook or list of the wrong shape (not an object, a path that is
   not a string, null) stays for the rule to refuse.  */
void
floor_harden_hooks (struct floor_ctx *ctx)
{
  json_value *hooks = NULL;
  if (spec_get (ctx->config, "hooks", JSON_OBJECT, &hooks) != SPEC_OK)
    return;
  bool at_once = ctx->invocation != NULL && ctx->invocation->starts_at_once;
  for (size_t m = 0; m < hooks->u.object.len;)
    {
      struct json_member *member = &hooks->u.object.members[m];
      const char *list = NULL;
      for (size_t k = 0; k < sizeof hook_lists / sizeof hook_lists[0]; k++)
        if (json_key_fold_equal (member->key, hook_lists[k]))
          list = hook_lists[k];
      if (list == NULL)
        {
          cleanup_free char *field = xasprintf ("hooks.%s", member->key);
          cleanup_free char *key = xstrdup (member->key);
          json_object_remove (hooks, key);
          floor_tightened (ctx, RULE_HOOKS, field,
                           "is not a hook list policyrun knows; removed (runc 1.1 ignores it)");
          continue;
        }
      m++;
      json_value *entries = member->value;
      if (entries->type != JSON_ARRAY)
        continue;
      for (size_t i = 0, orig = 0; i < entries->u.array.len; orig++)
        {
          json_value *hook = entries->u.array.items[i];
          cleanup_free char *why = NULL;
          if (!hook_well_formed (hook))
            {
              i++;
              continue;
            }
          if (!at_once && !hook_refused (ctx, list, orig, hook, &why))
            {
              i++;
              continue;
            }
          const char *path = NULL;
          spec_get_string (hook, "path", &path);
          cleanup_free char *field = xasprintf ("hooks.%s[%zu]", list, orig);
          cleanup_free char *was = xstrdup (path);
          json_array_remove (entries, i);
          if (why != NULL)
            floor_tightened (ctx, RULE_HOOKS, field, "\"%s\" removed (%s)", was, why);
          else
            floor_tightened (ctx, RULE_HOOKS, field,
                             "\"%s\" removed (%s starts the container before its network can be "
                             "attested)",
                             was, ctx->invocation->command);
        }
    }
}
