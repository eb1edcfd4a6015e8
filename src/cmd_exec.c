/* policyrun exec: the process that exec starts is held to the same floor as
   the container's own.  Without --process, runc builds the process from the
   bundle's config.json (the private one, already checked) and exec's flags;
   with --process it reads the file.  Both are rebuilt here the way runc
   builds them and the result is checked; the file the delegate reads is the
   checked one, re-emitted into the private bundle.

   Under gVisor the delegate always gets a process file: runsc (before
   2026) would start the process without the container's seccomp filter,
   and without --user as root.  The file is the checked process whose
   program is policyrun's loader (bound into the container at create),
   given the container's checked filter compiled to BPF and then the
   process's own args (seccomp-bpf.h).  */
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
#include "runsc.h"
#include "seccomp-bpf.h"
#include "spec.h"
#include "util.h"

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

/* The facts of exec that the floor's invocation rules read; flags is
   filled with exec's flags and freed by the caller.  */
static void
exec_invocation (struct context *ctx, bool from_file, struct invocation *inv,
                 struct invocation_flag **flags)
{
  static const int stdio[] = { 0, 1, 2 };
  struct command_line *cl = ctx->cl;
  *flags = xcalloc (cl->nflags + 1, sizeof **flags);
  for (size_t i = 0; i < cl->nflags; i++)
    (*flags)[i] = (struct invocation_flag){ cl->flags[i].name, cl->flags[i].value };
  *inv = (struct invocation){
    .command = cl->command,
    .preserve_fds = cli_flag_value (cl, "preserve-fds"),
    .process_file = from_file,
    .flags = *flags,
    .nflags = cl->nflags,
    .stdio = stdio,
  };
}

/* The checked process made to start through the loader: args become
   [LOADER, HEX, "--", args...], HEX being the container's checked filter
   (its private config's linux.seccomp) as BPF.  The loader installs it and
   execs args[0] as runc would, failing closed (exit 127) if it cannot.  */
static int
start_through_loader (const json_value *config, json_value *process, char **err)
{
  json_value *seccomp = NULL;
  spec_get (config, "linux.seccomp", JSON_OBJECT, &seccomp);
  struct seccomp_bpf bpf;
  cleanup_free char *cerr = NULL;
  if (seccomp_bpf_compile (seccomp, &bpf, &cerr) < 0)
    return fail (
        err, "exec under gVisor: cannot compile the container's filter for the process: %s", cerr);
  cleanup_free char *hex = seccomp_bpf_hex (&bpf);
  seccomp_bpf_free (&bpf);
  json_value *args = NULL;
  if (spec_get (process, "args", JSON_ARRAY, &args) != SPEC_OK || args->u.array.len == 0)
    return fail (err, "exec: the process has no args");
  json_value *through = json_new_array ();
  json_array_append (through, json_new_string (EXEC_SECCOMP_LOADER_IN_CONTAINER));
  json_array_append (through, json_new_string (hex));
  json_array_append (through, json_new_string ("--"));
  for (size_t i = 0; i < args->u.array.len; i++)
    json_array_append (through, json_clone (args->u.array.items[i]));
  json_object_set (process, "args", through);
  return 0;
}

/* runsc's exec with the private process file.  A detached exec without
   --pid-file gets one in the private bundle (swept with the process
   files): runsc 20221219 re-runs itself with its own --pid-file placed
   after the container id, where its flag package no longer reads it.  */
static int
exec_runsc (struct context *ctx, const char *private_file, char **err)
{
  struct runsc_swap swaps[2] = { { .flag = "process", .value = private_file } };
  size_t n = 1;
  cleanup_free char *pid_file = NULL;
  if (cli_flag_true (ctx->cl, "detach") && !cli_flag_set (ctx->cl, "pid-file"))
    {
      size_t len = strlen (private_file);
      pid_file = xasprintf ("%.*s.pid", (int)(len > 5 ? len - 5 : len), private_file);
      swaps[n++] = (struct runsc_swap){ .flag = "pid-file", .value = pid_file };
    }
  cleanup_strv char **argv = delegate_argv_runsc (ctx, swaps, n, err);
  return argv == NULL ? -1 : delegate_exec (ctx->delegate, argv, err);
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

  cleanup_free char *ferr = NULL;
  if (!from_file && apply_exec_flags (ctx, process, &ferr) < 0)
    return fail (err, "exec: %s", ferr);
  struct invocation inv;
  cleanup_free struct invocation_flag *flags = NULL;
  exec_invocation (ctx, from_file, &inv, &flags);
  struct verdict v = { 0 };
  ctx->host.container_config = config;
  ctx->host.container_id = id;
  bool harden = ctx->policy.mode == MODE_HARDEN;
  if (harden)
    floor_harden_exec (process, &inv, &ctx->policy, &ctx->host, &v);
  else
    floor_check_exec (process, &inv, &ctx->policy, &ctx->host, &v);
  ctx->host.container_config = NULL;
  if (verdict_settle_in (ctx, config, &v, err) < 0)
    return -1;
  if (ctx->host.gvisor && start_through_loader (config, process, err) < 0)
    return -1;
  if (!from_file && !ctx->host.gvisor && !harden)
    return exec_delegate_unchanged (ctx, err);
  /* The delegate reads the file as checked, with what the floor filled in
     (harden: what it rewrote; under gVisor, the loader in front).  */
  cleanup_free char *private_file = NULL;
  if (bundle_write_file (&ctx->policy, ctx->cl->root, id, "exec", process, &private_file, err) < 0)
    return -1;
  if (ctx->host.gvisor)
    return exec_runsc (ctx, private_file, err);
  cleanup_strv char **argv
      = delegate_argv_swapping (ctx, is_process_flag, "--process", private_file, NULL, err);
  return argv == NULL ? -1 : delegate_exec (ctx->delegate, argv, err);
}
