/* policyrun: create, run and restore.  The caller's config.json is loaded
   strictly, made self-contained, held to the floor and written, re-emitted,
   into a private bundle; the delegate is then given that bundle.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bundle.h"
#include "commands.h"
#include "deadline.h"
#include "delegate.h"
#include "report.h"
#include "spec.h"
#include "util.h"

/* The caller's bundle directory, absolute and resolved.  */
static int
caller_bundle (struct context *ctx, char **out, char **err)
{
  const char *b = cli_flag_value (ctx->cl, "bundle");
  cleanup_free char *cwd = NULL;
  if (b == NULL || *b == '\0')
    {
      cwd = getcwd (NULL, 0);
      if (cwd == NULL)
        return fail (err, "cannot read the working directory: %s", strerror (errno));
      b = cwd;
    }
  char *real = realpath (b, NULL);
  if (real == NULL)
    return fail (err, "cannot open bundle %s: %s", b,
                 errno == ENOENT ? "it does not exist" : strerror (errno));
  struct stat st;
  if (stat (real, &st) < 0 || !S_ISDIR (st.st_mode))
    {
      free (real);
      return fail (err, "bundle %s is not a directory", b);
    }
  *out = real;
  return 0;
}

int
load_checked_config (const char *bundle_dir, const char *config_path, json_value **out, char **err)
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

/* run and restore start the container in the same call, so start's network
   attestation never gets a look: hooks that could wire a network into the
   namespace between create and start are refused for them.  */
static void
check_no_hooks_without_start (struct context *ctx, json_value *config, struct verdict *v)
{
  if (ctx->cl->kind == CMD_CREATE)
    return;
  json_value *hooks = NULL;
  if (spec_get (config, "hooks", JSON_OBJECT, &hooks) != SPEC_OK)
    return;
  for (size_t i = 0; i < hooks->u.object.len; i++)
    {
      const json_value *list = hooks->u.object.members[i].value;
      if (list->type == JSON_ARRAY && list->u.array.len > 0)
        {
          struct floor_ctx fctx = { .config = config,
                                    .policy = &ctx->policy,
                                    .host = &ctx->host,
                                    .verdict = v,
                                    .field_prefix = "" };
          floor_violation (&fctx, "hooks", "hooks", "use create and start instead of run",
                           "are present, and %s starts the container before its network can be "
                           "attested",
                           ctx->cl->command);
          return;
        }
    }
}

/* What the container inherits besides its config: descriptors.  A host
   TCP socket or a directory handle in the container reaches around the
   network and filesystem floors, whatever config.json says.  */
void
check_inherited_fds (struct context *ctx, json_value *config, struct verdict *v)
{
  struct floor_ctx fctx = {
    .config = config, .policy = &ctx->policy, .host = &ctx->host, .verdict = v, .field_prefix = ""
  };
  const char *keep = cli_flag_value (ctx->cl, "preserve-fds");
  if (keep != NULL && strcmp (keep, "0") != 0 && *keep != '\0')
    floor_violation (&fctx, "descriptors", "--preserve-fds", "remove --preserve-fds",
                     "is %s: the container would inherit the caller's open descriptors", keep);
  for (int fd = 0; fd <= 2; fd++)
    {
      struct stat st;
      if (fstat (fd, &st) < 0)
        continue;
      cleanup_free char *field = xasprintf ("stdio fd %d", fd);
      if (S_ISDIR (st.st_mode))
        floor_violation (&fctx, "descriptors", field, "give the container pipes or a terminal",
                         "is a directory, which the container could walk out of");
      else if (S_ISSOCK (st.st_mode))
        {
          int domain = 0;
          socklen_t len = sizeof domain;
          if (getsockopt (fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 || domain != AF_UNIX)
            floor_violation (&fctx, "descriptors", field, "give the container pipes or a terminal",
                             "is a network socket (family %d), a way around --network none",
                             domain);
        }
    }
}

/* Flags of create, run and restore that weaken what the config asked for.  */
static void
check_create_flags (struct context *ctx, json_value *config, struct verdict *v)
{
  struct command_line *cl = ctx->cl;
  struct floor_ctx fctx = {
    .config = config, .policy = &ctx->policy, .host = &ctx->host, .verdict = v, .field_prefix = ""
  };
  bool rootless = false;
  /* runc --rootless true ignores cgroup errors: the limits could silently
     not apply.  */
  if (cl->rootless != NULL && cli_parse_go_bool (cl->rootless, &rootless) == 0 && rootless)
    floor_violation (&fctx, "resources", "--rootless", "remove --rootless true",
                     "is true, and the runtime then ignores cgroup errors, so the limits may "
                     "not apply");
  /* Without pivot_root the host's root stays reachable in the container's
     mount namespace.  */
  if (cli_flag_true (cl, "no-pivot"))
    floor_violation (&fctx, "filesystem", "--no-pivot", "remove --no-pivot (DOCKER_RAMDISK)",
                     "is set, and the host's root filesystem then stays in the container's mount "
                     "namespace");
  const char *mode = cli_flag_value (cl, "manage-cgroups-mode");
  if (mode != NULL && strcmp (mode, "ignore") == 0)
    floor_violation (&fctx, "resources", "--manage-cgroups-mode",
                     "remove --manage-cgroups-mode ignore",
                     "is \"ignore\", and the restored container would keep no limits");
  if (cli_flag_value (cl, "lsm-profile") != NULL)
    floor_violation (&fctx, "process", "--lsm-profile", "remove --lsm-profile",
                     "would replace the container's LSM profile");
}

/* The delegate's argv: every --bundle of the caller dropped, "--bundle DIR"
   placed after the command; a relative --console-socket or --pidfd-socket
   made absolute, since runc dials them after moving into the bundle.  */
static bool
is_bundle_flag (const char *name)
{
  return strcmp (name, "bundle") == 0;
}

static char **
create_argv (struct context *ctx, const char *caller, const char *private_dir, char ***keep)
{
  struct command_line *cl = ctx->cl;
  const char **replace = xcalloc ((size_t)cl->argc + 1, sizeof *replace);
  char **owned = xcalloc (2 * cl->nflags + 1, sizeof *owned);
  size_t nowned = 0;
  for (size_t i = 0; i < cl->nflags; i++)
    {
      const struct cli_flag *f = &cl->flags[i];
      if ((strcmp (f->name, "console-socket") != 0 && strcmp (f->name, "pidfd-socket") != 0)
          || f->value[0] == '\0' || f->value[0] == '/')
        continue;
      char *abs = xasprintf ("%s/%s", caller, f->value);
      owned[nowned++] = abs;
      if (f->value_index >= 0)
        replace[f->value_index] = abs;
      else
        {
          char *word = xasprintf ("--%s=%s", f->name, abs);
          owned[nowned++] = word;
          replace[f->name_index] = word;
        }
    }
  char **argv = delegate_argv_swapping (ctx, is_bundle_flag, "--bundle", private_dir, replace);
  free (replace);
  *keep = owned;
  return argv;
}

/* Read the new argv back as runc will and make sure it names the same
   container and the private bundle: a mistake here must refuse, not run
   something else.  */
static int
verify_argv (char **argv, const char *id, const char *private_dir, char **err)
{
  int argc = 0;
  while (argv[argc] != NULL)
    argc++;
  struct command_line again = { 0 };
  cleanup_free char *perr = NULL;
  int ok = cli_parse (argc, argv, &again, &perr) == 0 && cli_container_id (&again) != NULL
           && strcmp (cli_container_id (&again), id) == 0
           && cli_flag_value (&again, "bundle") != NULL
           && strcmp (cli_flag_value (&again, "bundle"), private_dir) == 0;
  cli_free (&again);
  if (!ok)
    return fail (err,
                 "internal error: the delegate's command line would not name bundle %s "
                 "for container %s",
                 private_dir, id);
  return 0;
}

/* Whether the delegate knows container id: 1 yes, 0 no, -1 it cannot be
   told.  runc keeps ROOT/ID while it knows a container, so the common
   answer needs no call of the delegate; only without that directory is the
   delegate asked (exit status 0 of "state ID": it knows it).  */
static int
delegate_knows (struct context *ctx, const char *id)
{
  if (bundle_delegate_has_dir (ctx->cl->root, id))
    return 1;
  const char *words[] = { "state", id };
  cleanup_free char **argv = delegate_helper_argv (ctx, words, 2);
  cleanup_free char *out = NULL;
  cleanup_free char *err = NULL;
  int rc = delegate_capture (ctx->delegate, argv, 1 << 20, &out, &err);
  return rc < 0 ? -1 : rc == 0;
}

/* The cleaner: once the delegate's create or run (this very process, after
   execve) has exited, take the lock of id and remove the private bundle if
   the delegate does not know the container.  It covers every way the main
   call can end without a container (the delegate failing, a read-only or
   full --root, a signal, a kill before or after execve) without policyrun
   waiting around the main call.  A busy lock means another create of the
   id is at work, and that create looks after what it finds.  */
static void __attribute__ ((noreturn))
clean_after (struct context *ctx, const char *id, int main_call)
{
  prctl (PR_SET_NAME, "policyrun-clean");
  struct pollfd p = { .fd = main_call, .events = POLLIN };
  while (poll (&p, 1, -1) <= 0)
    ;
  bool busy = false;
  cleanup_free char *err = NULL;
  int lock = bundle_lock (&ctx->policy, ctx->cl->root, id, false, &busy, &err);
  if (lock < 0)
    _exit (0);
  if (bundle_private_exists (&ctx->policy, ctx->cl->root, id) && delegate_knows (ctx, id) == 0
      && bundle_remove_private (&ctx->policy, ctx->cl->root, id, NULL) == 0)
    bundle_lock_unlink (&ctx->policy, ctx->cl->root, id, lock);
  _exit (0);
}

static int
spawn_cleaner (struct context *ctx, const char *id, char **err)
{
  /* Opened here, so it names this process whatever happens to it next.  */
  cleanup_close int self = (int)syscall (SYS_pidfd_open, getpid (), 0);
  if (self < 0)
    return fail (err, "cannot start the cleaner of container \"%s\": pidfd_open: %s", id,
                 strerror (errno));
  int r = deadline_detach (&self, 1, err);
  if (r == 1)
    clean_after (ctx, id, self);
  return r;
}

/* Take the lock of id and clear the way: a container the delegate knows
   keeps the id; a private bundle it does not know is what a killed create
   left, and goes.  Returns the lock (close-on-exec).  */
static int
claim_id (struct context *ctx, const char *id, char **err)
{
  bool busy = false;
  int lock = bundle_lock (&ctx->policy, ctx->cl->root, id, true, &busy, err);
  if (lock < 0)
    return -1;
  int known = bundle_delegate_has_dir (ctx->cl->root, id) ? 1 : 0;
  if (!known && bundle_private_exists (&ctx->policy, ctx->cl->root, id))
    {
      known = delegate_knows (ctx, id);
      if (known == 0 && bundle_remove_private (&ctx->policy, ctx->cl->root, id, err) < 0)
        {
          close (lock);
          return -1;
        }
    }
  if (known != 0)
    {
      close (lock);
      if (known < 0)
        return fail (err,
                     "cannot tell whether container id \"%s\" is in use: the delegate "
                     "runtime cannot be asked",
                     id);
      return fail (err,
                   "container id \"%s\" is in use: the delegate runtime has a container of "
                   "that id",
                   id);
    }
  return lock;
}

/* Write the private bundle and hand over to the delegate; the lock of id
   goes with it (no close-on-exec), so no other create of the id can touch
   the bundle until the delegate's create has recorded the container.  */
static int
create_and_exec (struct context *ctx, const char *id, const char *caller, json_value *config,
                 int lock, const sigset_t *mask, char **err)
{
  if (spawn_cleaner (ctx, id, err) < 0)
    return -1;
  cleanup_free char *private_dir = NULL;
  if (bundle_write_private (&ctx->policy, ctx->cl->root, id, config, &private_dir, err) < 0)
    return -1;
  char **owned = NULL;
  cleanup_free char **argv = create_argv (ctx, caller, private_dir, &owned);
  int r = verify_argv (argv, id, private_dir, err);
  if (r == 0 && ctx->cl->kind == CMD_RUN)
    r = deadline_arm_for_run (ctx, id, err);
  if (r == 0 && fcntl (lock, F_SETFD, 0) < 0)
    r = fail (err, "cannot hand the lock of container \"%s\" on: %s", id, strerror (errno));
  if (r == 0)
    {
      sigprocmask (SIG_SETMASK, mask, NULL);
      delegate_exec (ctx->delegate, argv, err);
    }
  bundle_remove_private (&ctx->policy, ctx->cl->root, id, NULL);
  for (size_t i = 0; owned[i] != NULL; i++)
    free (owned[i]);
  free (owned);
  return -1;
}

int
cmd_create (struct context *ctx, char **err)
{
  const char *id = NULL;
  if (require_container_id (ctx, &id, err) < 0)
    return -1;
  if (cli_flag_true (ctx->cl, "help"))
    return exec_delegate_unchanged (ctx, err);
  /* A restored process comes back with the credentials, capabilities and
     seccomp filter of its checkpoint images, none of which is in config.json.  */
  if (ctx->cl->kind == CMD_RESTORE)
    return fail (err, "refused by floor (1 violation): restore: the restored process would keep "
                      "the credentials, capabilities and seccomp filter of its checkpoint, which "
                      "the floor cannot check; start the container afresh");
  cleanup_free char *caller = NULL;
  if (caller_bundle (ctx, &caller, err) < 0)
    return -1;
  cleanup_free char *config_path = xasprintf ("%s/config.json", caller);
  cleanup_json json_value *config = NULL;
  if (load_checked_config (caller, config_path, &config, err) < 0)
    return -1;

  struct verdict v = { 0 };
  ctx->host.container_id = id;
  ctx->host.systemd_cgroup = ctx->cl->systemd_cgroup;
  floor_check_config (config, &ctx->policy, &ctx->host, &v);
  check_no_hooks_without_start (ctx, config, &v);
  check_create_flags (ctx, config, &v);
  check_inherited_fds (ctx, config, &v);
  if (verdict_settle (&v, err) < 0)
    return -1;

  cleanup_close int lock = claim_id (ctx, id, err);
  if (lock < 0)
    return -1;
  /* From the private bundle's first byte to the execve(): a signal kills
     policyrun only where the cleaner (already running) sees it.  SIGKILL
     cannot be blocked; the cleaner, or the next create's leftover rule,
     handles it.  */
  sigset_t all, old;
  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, &old);
  int r = create_and_exec (ctx, id, caller, config, lock, &old, err);
  sigprocmask (SIG_SETMASK, &old, NULL);
  return r;
}
