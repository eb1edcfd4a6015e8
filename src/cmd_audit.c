/* policyrun in audit mode ("mode": "audit"): every checked command is
   judged as enforce mode would judge it, the judgement goes to the trail
   with "mode": "audit" and "verdict": "accepted" or "would be refused",
   and then the delegate gets the caller's command line unchanged
   (exec_delegate_unchanged): no private bundle, no argv edit, no deadline,
   no kill.  The container runs exactly as under the delegate alone.

   Nothing judged here reaches the delegate: create's config.json is loaded
   into a copy (the delegate reads the caller's own file); exec and update
   are judged against the container's own config.json, found through the
   delegate's "state ID" (there is no private bundle in audit mode).  What
   cannot be read or judged is itself a finding (rule "audit"), never a
   refusal: runc gives its own error for a malformed file.  A trail that
   cannot be written is said in an info line of the caller's --log.  A
   command line policyrun's own parser refuses is runc's to answer too
   (cmd_audit_unparsed): runc's integration suite, run through audit mode,
   must give runc's results (tests/conformance/runc-suite.sh).  */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest.h"
#include "bundle.h"
#include "commands.h"
#include "delegate.h"
#include "policy.h"
#include "report.h"
#include "spec.h"
#include "trail.h"
#include "util.h"

/* The rule id of what audit mode could not judge; enforce mode would have
   refused the command for it, so it is a violation.  */
static const char AUDIT_RULE[] = "audit";

/* What one command's judgement needs for its record.  */
struct audit
{
  struct verdict v;
  json_value *config; /* the config judged against (may be NULL) */
  char *bundle;       /* the caller's or the container's bundle (may be NULL) */
  char *config_path;  /* its config.json (may be NULL) */
};

static void
audit_free (struct audit *a)
{
  verdict_free (&a->v);
  json_free (a->config);
  free (a->bundle);
  free (a->config_path);
}

static void
unjudged (struct audit *a, const char *field, const char *why)
{
  verdict_add (&a->v, FINDING_VIOLATION, AUDIT_RULE, field, NULL, why);
}

/* ---- create, run, restore ------------------------------------------------ */

static void
audit_create (struct context *ctx, const char *id, struct audit *a)
{
  struct invocation inv;
  create_invocation (ctx, &inv);
  floor_check_command (&inv, &ctx->policy, &ctx->host, &a->v);
  const char *b = cli_flag_value (ctx->cl, "bundle");
  a->bundle = realpath (b != NULL && *b != '\0' ? b : ".", NULL);
  if (a->bundle == NULL)
    {
      cleanup_free char *why
          = xasprintf ("the bundle %s cannot be opened: %s", b != NULL && *b ? b : ".",
                       errno == ENOENT ? "it does not exist" : strerror (errno));
      unjudged (a, "bundle", why);
      return;
    }
  a->config_path = xasprintf ("%s/config.json", a->bundle);
  cleanup_free char *lerr = NULL;
  if (command_load_config (a->bundle, a->config_path, &a->config, &lerr) < 0)
    {
      unjudged (a, "config.json", lerr);
      return;
    }
  ctx->host.container_id = id;
  ctx->host.systemd_cgroup = ctx->cl->systemd_cgroup;
  floor_check_create (a->config, &inv, &ctx->policy, &ctx->host, &a->v);
}

/* ---- the container's own config (exec, update) --------------------------- */

/* The container's bundle as the delegate records it ("state ID" prints
   its "bundle"), and its config.json loaded as create loads it.  */
static int
container_config (struct context *ctx, const char *id, struct audit *a, char **err)
{
  struct delegate_globals g = delegate_globals_of (ctx);
  const char *words[] = { "state", id };
  cleanup_free char **argv = delegate_call_argv (&g, words, 2);
  cleanup_free char *out = NULL;
  int status = delegate_capture (g.path, argv, 1 << 20, &out, err);
  if (status < 0)
    return -1;
  if (status != 0)
    return fail (err, "the delegate does not know container \"%s\" (state exited %d)", id, status);
  cleanup_json json_value *state = NULL;
  cleanup_free char *perr = NULL;
  if (json_parse (out, strlen (out), &state, &perr) < 0)
    return fail (err, "the delegate's state of \"%s\" cannot be read: %s", id, perr);
  const json_value *bundle = json_object_get_exact (state, "bundle");
  if (bundle == NULL || bundle->type != JSON_STRING || bundle->u.string.s[0] != '/')
    return fail (err, "the delegate's state of \"%s\" names no absolute bundle", id);
  a->bundle = xstrdup (bundle->u.string.s);
  a->config_path = xasprintf ("%s/config.json", a->bundle);
  /* A container created in harden mode may run from a relocated root
     (bundle.c): its private bundle keeps the original path.  */
  if (command_load_config (a->bundle, a->config_path, &a->config, err) < 0)
    return -1;
  return bundle_restore_root_origin (a->bundle, a->config, err);
}

/* ---- exec ---------------------------------------------------------------- */

/* The process exec starts: the --process file, or the container's
   process with the words after the id, --tty and the flags.  */
static int
exec_process (struct context *ctx, const json_value *config, json_value **out, char **err)
{
  const char *file = cli_flag_value (ctx->cl, "process");
  cleanup_free char *lerr = NULL;
  cleanup_json json_value *p = NULL;
  if (file != NULL && *file != '\0')
    {
      cleanup_close int fd = open_regular_file (file, &lerr);
      if (fd < 0 || json_load_fd (fd, &p, &lerr) < 0)
        return fail (err, "process file %s cannot be loaded: %s", file, lerr);
      if (p->type != JSON_OBJECT || spec_check_types_process (p, &lerr) < 0)
        return fail (err, "process file %s: %s", file, lerr ? lerr : "not a JSON object");
    }
  else
    {
      json_value *process = NULL;
      if (spec_get (config, "process", JSON_OBJECT, &process) != SPEC_OK)
        return fail (err, "the container's config.json has no process");
      p = json_clone (process);
      json_value *args = json_object_set (p, "args", json_new_array ());
      for (size_t i = 1; i < ctx->cl->nargs; i++)
        json_array_append (args, json_new_string (ctx->cl->args[i]));
      json_object_set (p, "terminal", json_new_bool (cli_flag_true (ctx->cl, "tty")));
      if (apply_exec_flags (ctx, p, err) < 0)
        return -1;
    }
  *out = p;
  p = NULL;
  return 0;
}

static void
audit_exec (struct context *ctx, const char *id, struct audit *a)
{
  cleanup_free char *lerr = NULL;
  if (container_config (ctx, id, a, &lerr) < 0)
    {
      cleanup_free char *why = xasprintf ("the exec'd process cannot be judged: %s", lerr);
      unjudged (a, "config.json", why);
      return;
    }
  cleanup_json json_value *process = NULL;
  if (exec_process (ctx, a->config, &process, &lerr) < 0)
    {
      unjudged (a, "process", lerr);
      return;
    }
  const char *file = cli_flag_value (ctx->cl, "process");
  struct command_line *cl = ctx->cl;
  static const int stdio[] = { 0, 1, 2 };
  cleanup_free struct invocation_flag *flags = xcalloc (cl->nflags + 1, sizeof *flags);
  for (size_t i = 0; i < cl->nflags; i++)
    flags[i] = (struct invocation_flag){ cl->flags[i].name, cl->flags[i].value };
  struct invocation inv = {
    .command = cl->command,
    .preserve_fds = cli_flag_value (cl, "preserve-fds"),
    .process_file = file != NULL && *file != '\0',
    .flags = flags,
    .nflags = cl->nflags,
    .stdio = stdio,
  };
  ctx->host.container_config = a->config;
  ctx->host.container_id = id;
  floor_check_exec (process, &inv, &ctx->policy, &ctx->host, &a->v);
  ctx->host.container_config = NULL;
}

/* ---- update -------------------------------------------------------------- */

/* The resources update asks for.  Flags that are no resource flag are
   findings (enforce mode refuses them).  "-r -" is not read: stdin is the
   delegate's.  */
static int
update_resources (struct context *ctx, struct audit *a, json_value **out, char **err)
{
  struct command_line *cl = ctx->cl;
  const char *in = cli_flag_value (cl, "resources");
  if (in == NULL)
    in = cli_flag_value (cl, "r");
  cleanup_json json_value *r = NULL;
  cleanup_free char *lerr = NULL;
  if (in != NULL && strcmp (in, "-") == 0)
    return fail (err, "resources read from stdin are the delegate's to read: not judged");
  if (in != NULL && *in != '\0')
    {
      cleanup_close int fd = open_regular_file (in, &lerr);
      if (fd < 0 || json_load_fd (fd, &r, &lerr) < 0)
        return fail (err, "resources %s cannot be loaded: %s", in, lerr);
      if (r->type != JSON_OBJECT || spec_check_types_resources (r, &lerr) < 0)
        return fail (err, "resources %s: %s", in, lerr ? lerr : "not a JSON object");
    }
  for (size_t i = 0; i < cl->nflags; i++)
    {
      const char *name = cl->flags[i].name;
      if (!update_is_resource_flag (name) && strcmp (name, "help") != 0)
        {
          cleanup_free char *why = xasprintf ("--%s would be refused by enforce mode", name);
          unjudged (a, name, why);
        }
    }
  /* runc ignores the flags when -r is given.  */
  if (r == NULL && resources_from_flags (ctx, &r, err) < 0)
    return -1;
  *out = r;
  r = NULL;
  return 0;
}

static void
audit_update (struct context *ctx, struct audit *a)
{
  cleanup_free char *lerr = NULL;
  cleanup_json json_value *resources = NULL;
  if (update_resources (ctx, a, &resources, &lerr) < 0)
    {
      unjudged (a, "resources", lerr);
      return;
    }
  const char *id = cli_container_id (ctx->cl);
  if (container_config (ctx, id, a, &lerr) < 0)
    {
      cleanup_free char *why = xasprintf ("the update cannot be judged: %s", lerr);
      unjudged (a, "config.json", why);
      return;
    }
  ctx->host.container_config = a->config;
  floor_check_update (resources, &ctx->policy, &ctx->host, &a->v);
  ctx->host.container_config = NULL;
}

/* ---- start --------------------------------------------------------------- */

/* The network attestation's result as a finding; the container is never
   killed.  Returns false when there is nothing to record (not a created
   container: the delegate gives its own answer).  */
static bool
audit_start (struct context *ctx, const char *id, struct audit *a)
{
  struct delegate_globals g = delegate_globals_of (ctx);
  cleanup_container_state struct container_state st = { .pidfd = -1, .procfd = -1 };
  cleanup_free char *lerr = NULL;
  if (delegate_container_state (&g, id, &st, &lerr) < 0 || strcmp (st.status, "created") != 0)
    return false;
  if (ctx->host.gvisor)
    {
      unjudged (a, "sandbox", "the gVisor sandbox's attestation is not run in audit mode");
      return true;
    }
  cleanup_free char *found = NULL;
  int r = attest_network_namespace (st.procfd, &found, &lerr);
  const struct floor_rule_info *net = &floor_rules[RULE_NETWORK];
  if (r > 0)
    verdict_add (&a->v, FINDING_VIOLATION, net->id, net->field, NULL, found);
  else if (r < 0)
    {
      cleanup_free char *why = xasprintf ("the network cannot be attested: %s", lerr);
      unjudged (a, net->field, why);
    }
  return true;
}

/* ---- the record ---------------------------------------------------------- */

static void
audit_record (const struct context *ctx, const struct audit *a)
{
  struct trail_decision d = { .command = ctx->cl->command,
                              .id = cli_container_id (ctx->cl),
                              .root = ctx->cl->root,
                              .bundle = a->bundle,
                              .config = a->config_path,
                              .mode = MODE_AUDIT,
                              .dialect = ctx->dialect,
                              .delegate = ctx->delegate,
                              .caller = trail_caller (&ctx->host, a->config),
                              .policy = ctx->policy.source,
                              .verdict = &a->v };
  cleanup_free char *terr = NULL;
  if (trail_write (ctx->policy.trail_file, &d, TRAIL_FAILURE_REPORTED, &terr) != 0 && terr != NULL)
    {
      cleanup_free char *line = xasprintf ("audit: %s", terr);
      report_info (ctx->cl->log, ctx->cl->log_format, line);
    }
}

int
cmd_audit (struct context *ctx, char **err)
{
  const char *id = cli_container_id (ctx->cl);
  enum cmd_kind k = ctx->cl->kind;
  /* What runc itself refuses before reading anything is runc's to say.  */
  if (cli_flag_true (ctx->cl, "help") || id == NULL
      || cli_check_container_id (ctx->cl->command, id, NULL) < 0)
    return exec_delegate_unchanged (ctx, err);
  struct audit a = { 0 };
  bool record = true;
  if (k == CMD_CREATE || k == CMD_RUN || k == CMD_RESTORE)
    audit_create (ctx, id, &a);
  else if (k == CMD_EXEC)
    audit_exec (ctx, id, &a);
  else if (k == CMD_UPDATE)
    audit_update (ctx, &a);
  else if (k == CMD_START)
    record = audit_start (ctx, id, &a);
  else
    record = false;
  if (record)
    audit_record (ctx, &a);
  audit_free (&a);
  return exec_delegate_unchanged (ctx, err);
}

/* A command line policyrun's own parser refuses (a command it does not
   know, a flag it does not take) is, in audit mode, runc's to answer: the
   delegate gets it unchanged and says what runc says.  Called by main()
   after cli_parse failed; policyrun's own flags (--policy, --delegate)
   must have been read.  Returns 0 with *err untouched when this is not an
   audit-mode runc call (the caller reports its parse error), -1 with *err
   replaced when the delegate cannot be run; never returns otherwise.  */
int
cmd_audit_unparsed (struct context *ctx, char **err)
{
  struct command_line *cl = ctx->cl;
  cleanup_free char *perr = NULL;
  if (cl->runc_start <= 0 || cl->gvisor || policy_load (&ctx->policy, cl->policy, &perr) < 0
      || ctx->policy.mode != MODE_AUDIT)
    return 0;
  const char *name = cl->delegate ? cl->delegate : ctx->policy.delegate;
  if (delegate_dialect_of (name) != DIALECT_RUNC
      || delegate_resolve (name, &ctx->delegate, &perr) < 0)
    return 0;
  ctx->dialect = DIALECT_RUNC;
  free (*err);
  *err = NULL;
  return exec_delegate_unchanged (ctx, err);
}
