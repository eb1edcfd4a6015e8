/* policyrun: the invocation's rules.  What a container gets is not only its
   config.json: the command (run starts at once), flags that weaken what the
   config asks for (--no-pivot, --rootless true, exec's --apparmor), and the
   descriptors it inherits.  The command fills struct invocation with those
   facts (cmd_create.c, cmd_exec.c); these rules judge them.  */
#include "config.h"
#include "floor.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "util.h"

/* Rule RESTORE: a restored process comes back with the credentials,
   capabilities and seccomp filter of its checkpoint images, none of which
   is in config.json.  */
void
floor_check_restore (struct floor_ctx *ctx)
{
  if (ctx->invocation->restore)
    floor_violation (ctx, RULE_RESTORE, "the restored process", "start the container afresh",
                     "would keep the credentials, capabilities and seccomp filter of its "
                     "checkpoint, which the floor cannot check");
}

/* Rule HOOKS_WITHOUT_START: run and restore start the container in the
   same call, so start's network attestation never gets a look: hooks that
   could wire a network into the namespace between create and start are
   refused for them.  */
void
floor_check_hooks_without_start (struct floor_ctx *ctx)
{
  if (!ctx->invocation->starts_at_once)
    return;
  json_value *hooks = NULL;
  if (spec_get (ctx->config, "hooks", JSON_OBJECT, &hooks) != SPEC_OK)
    return;
  for (size_t i = 0; i < hooks->u.object.len; i++)
    {
      const json_value *list = hooks->u.object.members[i].value;
      if (list->type == JSON_ARRAY && list->u.array.len > 0)
        {
          floor_violation (ctx, RULE_HOOKS_WITHOUT_START, "hooks",
                           "use create and start instead of run",
                           "are present, and %s starts the container before its network can be "
                           "attested",
                           ctx->invocation->command);
          return;
        }
    }
}

/* Rule ROOTLESS: runc --rootless true ignores cgroup errors, so the limits
   could silently not apply.  */
void
floor_check_rootless (struct floor_ctx *ctx)
{
  if (ctx->invocation->rootless)
    floor_violation (ctx, RULE_ROOTLESS, "--rootless", "remove --rootless true",
                     "is true, and the runtime then ignores cgroup errors, so the limits may "
                     "not apply");
}

/* Rule NO_PIVOT: without pivot_root the host's root stays reachable in the
   container's mount namespace.  */
void
floor_check_no_pivot (struct floor_ctx *ctx)
{
  if (ctx->invocation->no_pivot)
    floor_violation (ctx, RULE_NO_PIVOT, "--no-pivot",
                     floor_caller_podman (ctx)
                         ? "remove --no-pivot (no_pivot_root in containers.conf)"
                         : "remove --no-pivot (DOCKER_RAMDISK)",
                     "is set, and the host's root filesystem then stays in the container's mount "
                     "namespace");
}

/* Rule MANAGE_CGROUPS_MODE: "ignore" restores a container into no cgroup.  */
void
floor_check_manage_cgroups_mode (struct floor_ctx *ctx)
{
  const char *mode = ctx->invocation->manage_cgroups_mode;
  if (mode != NULL && strcmp (mode, "ignore") == 0)
    floor_violation (ctx, RULE_MANAGE_CGROUPS_MODE, "--manage-cgroups-mode",
                     "remove --manage-cgroups-mode ignore",
                     "is \"ignore\", and the restored container would keep no limits");
}

/* Rule LSM_PROFILE: the profile config.json names is the one checked.  */
void
floor_check_lsm_profile (struct floor_ctx *ctx)
{
  if (ctx->invocation->lsm_profile != NULL)
    floor_violation (ctx, RULE_LSM_PROFILE, "--lsm-profile", "remove --lsm-profile",
                     "would replace the container's LSM profile");
}

/* Rule PRESERVE_FDS: descriptors 3.. of the caller (a host TCP socket, a
   directory handle) reach around the network and filesystem floors.  */
void
floor_check_preserve_fds (struct floor_ctx *ctx)
{
  const char *keep = ctx->invocation->preserve_fds;
  if (keep != NULL && strcmp (keep, "0") != 0 && *keep != '\0')
    floor_violation (ctx, RULE_PRESERVE_FDS, "--preserve-fds", "remove --preserve-fds",
                     "is %s: the container would inherit the caller's open descriptors", keep);
}

/* Rule STDIO: a standard descriptor that is a directory or a network
   socket is a way out of the root or around --network none.  */
void
floor_check_stdio (struct floor_ctx *ctx)
{
  const int *stdio = ctx->invocation->stdio;
  if (stdio == NULL)
    return;
  for (int i = 0; i <= 2; i++)
    {
      struct stat st;
      if (fstat (stdio[i], &st) < 0)
        continue;
      cleanup_free char *field = xasprintf ("stdio fd %d", i);
      if (S_ISDIR (st.st_mode))
        floor_violation (ctx, RULE_STDIO, field, "give the container pipes or a terminal",
                         "is a directory, which the container could walk out of");
      else if (S_ISSOCK (st.st_mode))
        {
          int domain = 0;
          socklen_t len = sizeof domain;
          if (getsockopt (stdio[i], SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 || domain != AF_UNIX)
            floor_violation (ctx, RULE_STDIO, field, "give the container pipes or a terminal",
                             "is a network socket (family %d), a way around --network none",
                             domain);
        }
    }
}

/* Rules EXEC_APPARMOR, EXEC_PROCESS_LABEL, EXEC_CGROUP: exec's flags that
   would take the process out of the container's LSM profile, label or
   cgroup, one finding per occurrence, in the order given.  */
static void
check_exec_apparmor (struct floor_ctx *ctx, const char *val)
{
  if (*val)
    floor_violation (ctx, RULE_EXEC_APPARMOR, "apparmorProfile", "remove --apparmor from exec",
                     "would be changed to \"%s\" by exec --apparmor", val);
}

static void
check_exec_process_label (struct floor_ctx *ctx, const char *val)
{
  if (*val)
    floor_violation (ctx, RULE_EXEC_PROCESS_LABEL, "selinuxLabel",
                     "remove --process-label from exec",
                     "would be changed to \"%s\" by exec --process-label", val);
}

static void
check_exec_cgroup (struct floor_ctx *ctx, const char *field, const char *val)
{
  floor_violation (ctx, RULE_EXEC_CGROUP, field, "remove --cgroup from exec",
                   "would place the process in cgroup \"%s\"", val);
}

void
floor_check_exec_flags (struct floor_ctx *ctx)
{
  const struct invocation *inv = ctx->invocation;
  if (inv->process_file)
    return;
  for (size_t i = 0; i < inv->nflags; i++)
    {
      const struct invocation_flag *f = &inv->flags[i];
      if (strcmp (f->name, "apparmor") == 0)
        check_exec_apparmor (ctx, f->value);
      else if (strcmp (f->name, "process-label") == 0)
        check_exec_process_label (ctx, f->value);
      else if (strcmp (f->name, "cgroup") == 0)
        check_exec_cgroup (ctx, "cgroup", f->value);
    }
}

/* Rule PROCESS_FILE_FLAGS: with --process, runc 1.1-1.5 ignore every flag
   that shapes the process: refuse them rather than check a process that
   will not run.  runc applies --cgroup with or without --process.  */
void
floor_check_process_file_flags (struct floor_ctx *ctx)
{
  static const char *const shaping[]
      = { "user", "cwd", "cap", "no-new-privs", "additional-gids", "apparmor", "process-label" };
  const struct invocation *inv = ctx->invocation;
  if (!inv->process_file)
    return;
  const char *cgroup = NULL;
  for (size_t i = 0; i < inv->nflags; i++)
    {
      const char *name = inv->flags[i].name;
      if (strcmp (name, "cgroup") == 0)
        cgroup = inv->flags[i].value;
      for (size_t k = 0; k < sizeof shaping / sizeof shaping[0]; k++)
        if (strcmp (name, shaping[k]) == 0)
          {
            cleanup_free char *field = xasprintf ("--%s", shaping[k]);
            floor_violation (ctx, RULE_PROCESS_FILE_FLAGS, field,
                             "put it in the --process file instead",
                             "is given with --process, which makes the runtime ignore it");
            break;
          }
    }
  if (cgroup != NULL)
    check_exec_cgroup (ctx, "--cgroup", cgroup);
}
