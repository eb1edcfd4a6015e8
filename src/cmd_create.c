/* policyrun: create, run and restore.  The caller's config.json is loaded
   strictly, made self-contained, held to the floor and written, re-emitted,
   into a private bundle; the delegate is then given that bundle.  Under
   gVisor the checked tree gets one mount of policyrun's own: the loader
   that starts exec'd processes under the container's filter
   (seccomp-bpf.h).  */
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
#include "floor/view.h"
#include "report.h"
#include "seccomp-bpf.h"
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

/* The delegate's argv: every --bundle of the caller dropped, "--bundle DIR"
   placed after the command; a relative --console-socket or --pidfd-socket
   made absolute, since runc dials them after moving into the bundle.  */
static bool
is_bundle_flag (const char *name)
{
  return strcmp (name, "bundle") == 0;
}

static char **
create_argv (struct context *ctx, const char *caller, const char *private_dir, char ***keep,
             char **err)
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
  char **argv = delegate_argv_swapping (ctx, is_bundle_flag, "--bundle", private_dir, replace, err);
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

/* Whether the delegate knows container id (delegate_knows_container).  */
static int
delegate_knows (struct context *ctx, const char *id)
{
  struct delegate_globals g = delegate_globals_of (ctx);
  return delegate_knows_container (&g, id);
}

/* After a create that recorded its container, the cleaner becomes the
   first of the deadline's watchdogs, pre-forked for start, when the create
   handed it the socket start will dial (on chan) and runc's record names
   the created init (checked against its start time).  Otherwise it
   leaves: start forks a pair of its own.  */
static void __attribute__ ((noreturn))
prearm_deadline (struct context *ctx, const char *id, int chan)
{
  int listen_fd = deadline_take_fd (chan);
  close (chan);
  if (listen_fd < 0)
    _exit (0);
  struct delegate_globals g = delegate_globals_of (ctx);
  struct container_state st = { .pidfd = -1, .procfd = -1 };
  cleanup_free char *err = NULL;
  int known = g.dialect == DIALECT_RUNC ? delegate_runc_record (g.root, id, &st)
                                        : delegate_container_state (&g, id, &st, &err) == 0;
  if (known <= 0 || strcmp (st.status, "created") != 0)
    _exit (0);
  close (st.procfd);
  deadline_prearm (listen_fd, st.pidfd);
}

/* The cleaner: once the delegate's create or run (this very process, after
   execve) has exited, remove the private bundle if the delegate does not
   know the container.  It covers every way the main call can end without a
   container (the delegate failing, a read-only or full --root, a signal, a
   kill before or after execve) without policyrun waiting around the main
   call.  It holds the id's lock from before the execve (lock: its copy of
   the create's, the same open file) until it is done, so no other create of
   the id touches the bundle while the delegate's create records the
   container; the delegate itself never inherits the lock (runsc's gofer
   and sandbox would keep every inherited descriptor for the container's
   whole life).  */
static void __attribute__ ((noreturn))
clean_after (struct context *ctx, const char *id, int main_call, int lock, int chan)
{
  prctl (PR_SET_NAME, "policyrun-clean");
  struct pollfd p = { .fd = main_call, .events = POLLIN };
  while (poll (&p, 1, -1) <= 0)
    ;
  close (main_call);
  if (!bundle_private_exists (&ctx->policy, ctx->cl->root, id))
    _exit (0);
  int known = delegate_knows (ctx, id);
  if (known == 0 && bundle_remove_private (&ctx->policy, ctx->cl->root, id, NULL) == 0)
    bundle_lock_unlink (&ctx->policy, ctx->cl->root, id, lock);
  /* The lock is never held by a process that stays.  */
  close (lock);
  if (known == 1 && chan >= 0)
    prearm_deadline (ctx, id, chan);
  _exit (0);
}

/* chan: -1, or a socket on which the create will hand the cleaner the
   deadline's listening socket.  */
static int
spawn_cleaner (struct context *ctx, const char *id, int lock, int chan, char **err)
{
  /* Opened here, so it names this process whatever happens to it next.  */
  cleanup_close int self = (int)syscall (SYS_pidfd_open, getpid (), 0);
  if (self < 0)
    return fail (err, "cannot start the cleaner of container \"%s\": pidfd_open: %s", id,
                 strerror (errno));
  int keep[] = { self, lock, chan };
  int r = deadline_detach (keep, chan >= 0 ? 3 : 2, err);
  if (r == 1)
    clean_after (ctx, id, self, lock, chan);
  return r;
}

/* A create (with a deadline to keep) leaves the deadline's watchdogs
   waiting for start: the socket they listen on is made here, in the
   private bundle, before the delegate runs, so it is there whenever start
   comes; the cleaner, forked earlier, gets it on chan.  Best effort: start
   forks a pair of its own when there is none.  */
static void
hand_listener (struct context *ctx, const char *id, int chan)
{
  cleanup_close int dir = bundle_open_private (&ctx->policy, ctx->cl->root, id);
  cleanup_free char *err = NULL;
  cleanup_close int listen_fd = dir >= 0 ? deadline_listen (dir, &err) : -1;
  if (listen_fd >= 0)
    deadline_send_fd (chan, listen_fd);
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
   stays with the cleaner, so no other create of the id can touch the
   bundle until the delegate's create has recorded the container.  */
static int
create_and_exec (struct context *ctx, const char *id, const char *caller, json_value *config,
                 const char *relocated_from, int lock, const sigset_t *mask, char **err)
{
  /* Only a create has a start to wait for.  */
  int chan[2] = { -1, -1 };
  if (ctx->cl->kind == CMD_CREATE && ctx->policy.timeout_seconds > 0
      && socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, chan) < 0)
    chan[0] = chan[1] = -1;
  int r = spawn_cleaner (ctx, id, lock, chan[1], err);
  if (chan[1] >= 0)
    close (chan[1]);
  cleanup_close int to_cleaner = chan[0];
  if (r < 0)
    return -1;
  cleanup_free char *private_dir = NULL;
  if (bundle_write_private (&ctx->policy, ctx->cl->root, id, config, &private_dir, err) < 0)
    return -1;
  r = relocated_from != NULL
          ? bundle_write_root_origin (&ctx->policy, ctx->cl->root, id, relocated_from, err)
          : 0;
  if (r == 0 && to_cleaner >= 0)
    hand_listener (ctx, id, to_cleaner);
  cleanup_strv char **owned = NULL;
  cleanup_strv char **argv = NULL;
  if (r == 0)
    {
      argv = create_argv (ctx, caller, private_dir, &owned, err);
      r = argv != NULL ? verify_argv (argv, id, private_dir, err) : -1;
    }
  if (r == 0 && ctx->cl->kind == CMD_RUN)
    {
      struct delegate_globals g = delegate_globals_of (ctx);
      struct floor_lowering l;
      cleanup_free char *lerr = NULL;
      if (floor_lowering_read (config, &l, &lerr) < 0)
        r = fail (err, "run: the container's deadline cannot be read: %s", lerr);
      else
        r = deadline_arm_run (&g, floor_lowering_deadline (&l, ctx->policy.timeout_seconds), id,
                              err);
    }
  /* Last, so that only runc (and what it starts) is ever in the mount
     namespace: the cleaner and the deadline's watchdogs are not.  */
  if (r == 0 && relocated_from != NULL)
    r = bundle_enter_relocated_root (relocated_from, err);
  if (r == 0)
    {
      sigprocmask (SIG_SETMASK, mask, NULL);
      delegate_exec (ctx->delegate, argv, err);
    }
  bundle_remove_private (&ctx->policy, ctx->cl->root, id, NULL);
  return -1;
}

/* Under gVisor, bind policyrun's exec loader read-only into the container
   (at EXEC_SECCOMP_LOADER_IN_CONTAINER, last, so nothing of the caller's
   covers it): runsc starts an exec'd process without the container's
   seccomp filter, and exec starts every process through the loader, which
   installs it.  Added after the floor judged the caller's mounts: it is
   policyrun's own.  No loader, no create: the container could not be
   exec'd into under its filter.  */
static int
bind_exec_loader (json_value *config, char **err)
{
  cleanup_free char *loader = NULL;
  if (exec_seccomp_loader (&loader, err) < 0)
    return -1;
  json_value *mounts = json_object_get (config, "mounts");
  if (mounts == NULL || mounts->type == JSON_NULL)
    mounts = json_object_set (config, "mounts", json_new_array ());
  if (mounts->type != JSON_ARRAY)
    return fail (err, "internal error: mounts is not an array after the floor");
  json_value *m = json_new_object ();
  json_object_set (m, "destination", json_new_string (EXEC_SECCOMP_LOADER_IN_CONTAINER));
  json_object_set (m, "type", json_new_string ("bind"));
  json_object_set (m, "source", json_new_string (loader));
  json_value *options = json_object_set (m, "options", json_new_array ());
  static const char *const opts[] = { "bind", "ro", "nosuid", "nodev" };
  for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
    json_array_append (options, json_new_string (opts[i]));
  json_array_append (mounts, m);
  return 0;
}

/* Harden's user namespace under runc: the mount points that land in the
   image itself (not below an earlier mount) are made there first, as host
   root, the way runc makes them without a user namespace (a file for a
   bind of a file, else a directory); runc, as the mapped root, may not
   write the image's directories (userns.c left such a container without a
   user namespace before).  The floor has accepted the config: the view is
   the one its rules followed.  */
static int
make_mount_points (struct context *ctx, const json_value *config, char **err)
{
  const char *root = NULL;
  if (ctx->policy.mode != MODE_HARDEN || ctx->host.gvisor
      || !bundle_policy_userns (config, &ctx->policy)
      || spec_get_string (config, "root.path", &root) != SPEC_OK)
    return 0;
  struct view v = { 0 };
  cleanup_free char *why = NULL;
  /* A view the floor could not build kept harden from adding the user
     namespace (userns.c): runc makes what it can, as it would anyway.  */
  bool usable = view_build (config, &v, &why) == NULL;
  int r = 0;
  for (size_t i = 0; usable && r == 0 && i < v.len; i++)
    {
      struct lookup_result lr;
      view_resolve (&v, i, v.mounts[i].dest, false, &lr);
      bool in_image = lr.status == LOOKUP_ABSENT;
      for (size_t j = 0; in_image && j < i; j++)
        in_image = !path_at_or_under (lr.landed, v.mounts[j].dest);
      struct stat st;
      bool file = v.mounts[i].kind == PROVIDER_BIND && stat (v.mounts[i].source, &st) == 0
                  && !S_ISDIR (st.st_mode);
      if (in_image)
        r = bundle_make_mount_point (root, lr.landed, file, err);
      lookup_result_free (&lr);
    }
  view_free (&v);
  return r;
}

/* Harden's user namespace under runc, when its root (the mapped root) cannot
   walk to root.path: root.path becomes bundle_relocation_dir, where
   create_and_exec binds the original (returned in *from, NULL when nothing
   moves) just before runc runs.  After the floor, which judged the
   original: the bind shows runc the same directory, with its submounts, as
   runc would have resolved itself, so nothing is judged again; the
   relocated path is policyrun's own and holds nothing of the caller's.  */
static int
relocate_root (struct context *ctx, json_value *config, char **from, char **err)
{
  *from = NULL;
  const char *root = NULL;
  if (ctx->policy.mode != MODE_HARDEN || ctx->host.gvisor
      || !bundle_root_needs_relocation (config, &ctx->policy)
      || spec_get_string (config, "root.path", &root) != SPEC_OK)
    return 0;
  cleanup_free char *original = xstrdup (root);
  if (spec_set (config, "root.path", json_new_string (bundle_relocation_dir), err) < 0)
    return -1;
  *from = original;
  original = NULL;
  return 0;
}

int
cmd_create (struct context *ctx, char **err)
{
  const char *id = NULL;
  if (require_container_id (ctx, &id, err) < 0)
    return -1;
  if (cli_flag_true (ctx->cl, "help"))
    return exec_delegate_unchanged (ctx, err);
  struct invocation inv;
  create_invocation (ctx, &inv);
  struct verdict v = { 0 };
  floor_check_command (&inv, &ctx->policy, &ctx->host, &v);
  if (verdict_refuse_unjudged (ctx, &v, err) < 0)
    return -1;
  cleanup_free char *caller = NULL;
  if (caller_bundle (ctx, &caller, err) < 0)
    return -1;
  cleanup_free char *config_path = xasprintf ("%s/config.json", caller);
  cleanup_json json_value *config = NULL;
  if (command_load_config (caller, config_path, &config, err) < 0)
    return config_refuse_unread (ctx, err);

  /* The id first: the host-dependent rules (an existing cgroup of that
     name, say) must not see what a concurrent create of the same id is
     making, and such a create must be told the id is in use.  */
  cleanup_close int lock = claim_id (ctx, id, err);
  if (lock < 0)
    return -1;
  ctx->host.container_id = id;
  ctx->host.systemd_cgroup = ctx->cl->systemd_cgroup;
  if (ctx->policy.mode == MODE_HARDEN)
    floor_harden_create (config, &inv, &ctx->policy, &ctx->host, &v);
  else
    floor_check_create (config, &inv, &ctx->policy, &ctx->host, &v);
  cleanup_free char *relocated_from = NULL;
  if (verdict_judge (ctx, config, &v, err) < 0
      || (ctx->host.gvisor && bind_exec_loader (config, err) < 0)
      || make_mount_points (ctx, config, err) < 0
      || relocate_root (ctx, config, &relocated_from, err) < 0)
    {
      /* Nothing of this create is left: the id had no container and no
         bundle when it was claimed.  */
      verdict_free (&v);
      bundle_lock_unlink (&ctx->policy, ctx->cl->root, id, lock);
      return -1;
    }
  report_tightened_log (ctx->cl->log, ctx->cl->log_format, &v);
  verdict_free (&v);
  /* From the private bundle's first byte to the execve(): a signal kills
     policyrun only where the cleaner (already running) sees it.  SIGKILL
     cannot be blocked; the cleaner, or the next create's leftover rule,
     handles it.  */
  sigset_t all, old;
  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, &old);
  int r = create_and_exec (ctx, id, caller, config, relocated_from, lock, &old, err);
  sigprocmask (SIG_SETMASK, &old, NULL);
  return r;
}
