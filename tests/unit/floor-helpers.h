/* Helpers for the floor's unit tests: load the floor-holding fixture, edit
   it with a JSON snippet, run the floor, look for findings.  */
#ifndef FLOOR_HELPERS_H
#define FLOOR_HELPERS_H

#include <stdlib.h>
#include <string.h>

#include "floor/floor.h"
#include "json.h"
#include "policy.h"
#include "spec.h"
#include "tap.h"
#include "util.h"

static struct policy test_policy;
static struct host_facts test_host = { .swap_accounting = true };

typedef void (*rule_fn) (struct floor_ctx *ctx);

static void __attribute__ ((unused)) floor_test_init (void) { policy_defaults (&test_policy); }

/* The Process rules other than capabilities, no-new-privileges and user,
   in the order floor.c runs them (tests that look at several at once).  */
static void __attribute__ ((unused)) check_process_rest (struct floor_ctx *ctx)
{
  floor_check_oom_score_adj (ctx);
  floor_check_scheduler (ctx);
  floor_check_io_priority (ctx);
  floor_check_cwd (ctx);
  floor_check_lsm (ctx);
  floor_check_args (ctx);
  floor_check_rlimits (ctx);
}

/* intelRdt, personality, cgroupsPath and rootfsPropagation, in order.  */
static void __attribute__ ((unused)) check_kernel_rest (struct floor_ctx *ctx)
{
  floor_check_intel_rdt (ctx);
  floor_check_personality (ctx);
  floor_check_cgroups_path (ctx);
  floor_check_rootfs_propagation (ctx);
}

/* Parse a JSON literal or abort the test program.  */
static json_value *__attribute__ ((unused)) parse_json (const char *text)
{
  json_value *v = NULL;
  char *err = NULL;
  if (json_parse (text, strlen (text), &v, &err) < 0)
    {
      printf ("Bail out! cannot parse test JSON: %s\n", err);
      exit (1);
    }
  return v;
}

/* The floor-holding Docker-shaped config (tests/fixtures/floor-ok.json).  */
static json_value *__attribute__ ((unused)) load_ok_config (void)
{
  const char *dir = getenv ("FIXTURES");
  char *path = xasprintf ("%s/floor-ok.json", dir ? dir : "tests/fixtures");
  json_value *v = NULL;
  char *err = NULL;
  if (json_load_file (path, &v, &err) < 0)
    {
      printf ("Bail out! cannot load %s: %s\n", path, err);
      exit (1);
    }
  free (path);
  return v;
}

/* Set path (dot-separated struct fields) of the config to a JSON literal.  */
static void __attribute__ ((unused))
set_json (json_value *root, const char *path, const char *literal)
{
  char *err = NULL;
  if (spec_set (root, path, parse_json (literal), &err) < 0)
    {
      printf ("Bail out! cannot set %s: %s\n", path, err);
      exit (1);
    }
}

/* The first finding of kind for rule whose field contains field_part (NULL: any).  */
static __attribute__ ((unused)) const struct finding *
find_finding (const struct verdict *v, enum finding_kind kind, const char *rule,
              const char *field_part)
{
  for (size_t i = 0; i < v->len; i++)
    if (v->items[i].kind == kind && strcmp (v->items[i].rule, rule) == 0
        && (field_part == NULL || strstr (v->items[i].field, field_part) != NULL))
      return &v->items[i];
  return NULL;
}

static void __attribute__ ((unused)) print_verdict (const struct verdict *v)
{
  for (size_t i = 0; i < v->len; i++)
    diag ("%s [%s] %s %s (fix: %s)",
          v->items[i].kind == FINDING_VIOLATION ? "violation" : "tightened", v->items[i].rule,
          v->items[i].field, v->items[i].detail, v->items[i].fix ? v->items[i].fix : "-");
}

/* The findings of the last rule run; each test program has one.  */
static struct verdict verdict;

/* The finding of kind for rule at exactly field, or NULL.  */
static __attribute__ ((unused)) const struct finding *
exact_finding (enum finding_kind kind, const char *rule, const char *field)
{
  for (size_t i = 0; i < verdict.len; i++)
    if (verdict.items[i].kind == kind && strcmp (verdict.items[i].rule, rule) == 0
        && strcmp (verdict.items[i].field, field) == 0)
      return &verdict.items[i];
  return NULL;
}

/* A violation of rule at field, with exactly this fix and a detail that
   holds detail_part (when not NULL).  */
static void __attribute__ ((unused))
expect_violation (const char *name, const char *rule, const char *field, const char *fix,
                  const char *detail_part)
{
  const struct finding *f = exact_finding (FINDING_VIOLATION, rule, field);
  ok (f != NULL, "%s: refused by %s at %s", name, rule, field);
  if (f == NULL)
    {
      print_verdict (&verdict);
      return;
    }
  is_str (f->fix, fix, "%s: fix", name);
  if (detail_part)
    has_str (f->detail, detail_part, "%s: detail", name);
}

static void __attribute__ ((unused)) expect_accepted (const char *name)
{
  size_t n = verdict_violations (&verdict);
  ok (n == 0, "%s: accepted", name);
  if (n)
    print_verdict (&verdict);
}

static void __attribute__ ((unused))
expect_tightened (const char *name, const char *rule, const char *field, const char *detail_part)
{
  const struct finding *f = exact_finding (FINDING_TIGHTENED, rule, field);
  ok (f != NULL, "%s: tightened by %s at %s", name, rule, field);
  if (f == NULL)
    print_verdict (&verdict);
  else if (detail_part)
    has_str (f->detail, detail_part, "%s: tightening detail", name);
}

/* The floor-holding fixture with one edit (path NULL: none).  */
static __attribute__ ((unused)) json_value *
edited (const char *path, const char *literal)
{
  json_value *c = load_ok_config ();
  if (path)
    set_json (c, path, literal);
  return c;
}

/* A config captured from Docker (tests/fixtures/docker/NAME.json).  */
static __attribute__ ((unused)) json_value *
load_docker (const char *name)
{
  const char *dir = getenv ("FIXTURES");
  cleanup_free char *path = xasprintf ("%s/docker/%s.json", dir ? dir : "tests/fixtures", name);
  json_value *v = NULL;
  cleanup_free char *err = NULL;
  if (json_load_file (path, &v, &err) < 0)
    {
      printf ("Bail out! cannot load %s: %s\n", path, err);
      exit (1);
    }
  return v;
}

#ifndef FLOOR_CONFIG_TESTS
/* ---- rule runners for tests that hold their own configs --------------- */

/* Run one config-level rule on config; the findings land in verdict.  */
static __attribute__ ((unused)) void
run_config_rule (rule_fn rule, json_value *config)
{
  verdict_free (&verdict);
  struct floor_ctx ctx = { .config = config,
                           .policy = &test_policy,
                           .host = &test_host,
                           .verdict = &verdict,
                           .field_prefix = "" };
  rule (&ctx);
}

/* Run one Process rule on config's process, as floor_check_config does.  */
static __attribute__ ((unused)) void
run_process_rule (rule_fn rule, json_value *config)
{
  verdict_free (&verdict);
  json_value *process = NULL;
  if (spec_get (config, "process", JSON_OBJECT, &process) != SPEC_OK)
    {
      printf ("Bail out! the test config has no process object\n");
      exit (1);
    }
  struct floor_ctx ctx = { .config = process,
                           .policy = &test_policy,
                           .host = &test_host,
                           .verdict = &verdict,
                           .field_prefix = "process.",
                           .spec = config };
  rule (&ctx);
}

/* Run one Process rule on exec's process.json, in the container whose
   config.json is spec, as floor_check_exec_process does.  */
static __attribute__ ((unused)) void
run_exec_process_rule (rule_fn rule, json_value *process, const json_value *spec)
{
  verdict_free (&verdict);
  struct floor_ctx ctx = { .config = process,
                           .policy = &test_policy,
                           .host = &test_host,
                           .verdict = &verdict,
                           .field_prefix = "",
                           .spec = spec };
  rule (&ctx);
}

static __attribute__ ((unused)) int64_t
int_at (const json_value *root, const char *path)
{
  int64_t v = INT64_MIN;
  spec_get_int (root, path, INT64_MIN, INT64_MAX, &v);
  return v;
}
#endif

/* ---- harden mode -------------------------------------------------------- */

/* The JSON text of v; the caller frees it.  */
static __attribute__ ((unused)) char *
json_text (const json_value *v)
{
  char *out = NULL, *err = NULL;
  size_t len = 0;
  if (json_write (v, &out, &len, &err) < 0)
    {
      printf ("Bail out! cannot write JSON: %s\n", err);
      exit (1);
    }
  return out;
}

/* How many findings of kind the verdict holds.  */
static __attribute__ ((unused)) size_t
count_kind (enum finding_kind kind)
{
  size_t n = 0;
  for (size_t i = 0; i < verdict.len; i++)
    n += verdict.items[i].kind == kind;
  return n;
}

#ifdef FLOOR_CONFIG_TESTS
/* ---- config-level tests: one config (the fixture, edited), a scratch tree
   with a fake /proc for the Docker hook and a fake cgroup tree ---------- */

/* hooks.c's seam: where /proc is read.  */
extern const char *floor_hooks_proc_dir;
/* kernel.c's seam: where systemd's unit directories are.  */
extern const char *floor_systemd_root;

static json_value *config;
static char *tmp;          /* a scratch directory, removed at the end */
static char *fake_proc;    /* tmp/proc: 4242/exe -> tmp/bin/dockerd */
static char *fake_dockerd; /* tmp/bin/dockerd, on the test's hook allowlist */

/* ---- helpers ---------------------------------------------------------------- */

static __attribute__ ((unused)) void
fresh (void)
{
  json_free (config);
  config = load_ok_config ();
  verdict_free (&verdict);
}

static __attribute__ ((unused)) void
run (rule_fn rule)
{
  verdict_free (&verdict);
  struct floor_ctx ctx = { .config = config,
                           .policy = &test_policy,
                           .host = &test_host,
                           .verdict = &verdict,
                           .field_prefix = "" };
  rule (&ctx);
}

static __attribute__ ((unused)) void
count_violations (const char *name, size_t want)
{
  size_t n = verdict_violations (&verdict);
  ok (n == want, "%s: %zu violations", name, want);
  if (n != want)
    print_verdict (&verdict);
}

static __attribute__ ((unused)) json_value *
get (const char *path, json_type type)
{
  json_value *v = NULL;
  if (spec_get (config, path, type, &v) != SPEC_OK)
    {
      printf ("Bail out! the test config has no %s\n", path);
      exit (1);
    }
  return v;
}

static __attribute__ ((unused)) json_value *
item (const char *array_path, size_t i)
{
  json_value *a = get (array_path, JSON_ARRAY);
  if (i >= a->u.array.len)
    {
      printf ("Bail out! %s has no item %zu\n", array_path, i);
      exit (1);
    }
  return a->u.array.items[i];
}

/* Set field of array_path[i] (an object) to a JSON literal.  */
static __attribute__ ((unused)) void
set_item (const char *array_path, size_t i, const char *field, const char *literal)
{
  json_object_set (item (array_path, i), field, parse_json (literal));
}

static __attribute__ ((unused)) void
remove_item (const char *array_path, size_t i)
{
  json_array_remove (get (array_path, JSON_ARRAY), i);
}

/* Append a JSON literal to array_path; returns its index.  */
static __attribute__ ((unused)) size_t
append (const char *array_path, const char *literal)
{
  json_value *a = get (array_path, JSON_ARRAY);
  json_array_append (a, parse_json (literal));
  return a->u.array.len - 1;
}

static __attribute__ ((unused)) void
remove_field (const char *path)
{
  const char *dot = strrchr (path, '.');
  if (dot == NULL)
    json_object_remove (config, path);
  else
    {
      char *parent = xstrndup (path, (size_t)(dot - path));
      json_object_remove (get (parent, JSON_OBJECT), dot + 1);
      free (parent);
    }
}

static __attribute__ ((unused)) bool
array_has_string (const json_value *a, const char *s)
{
  if (a == NULL || a->type != JSON_ARRAY)
    return false;
  for (size_t i = 0; i < a->u.array.len; i++)
    if (a->u.array.items[i]->type == JSON_STRING
        && strcmp (a->u.array.items[i]->u.string.s, s) == 0)
      return true;
  return false;
}

/* "mounts[i].what", or "mounts[i]" for the entry itself ("").  */
static __attribute__ ((unused)) char *
mount_field (size_t i, const char *what)
{
  return what[0] ? xasprintf ("mounts[%zu].%s", i, what) : xasprintf ("mounts[%zu]", i);
}

/* Append a mount and run the mounts rule.  Returns its index.  */
static __attribute__ ((unused)) size_t
with_mount (const char *literal)
{
  fresh ();
  size_t i = append ("mounts", literal);
  run (floor_check_mounts);
  return i;
}

static __attribute__ ((unused)) void
mount_refused (const char *name, const char *literal, const char *what, const char *fix,
               const char *detail_part)
{
  size_t i = with_mount (literal);
  char *field = mount_field (i, what);
  expect_violation (name, "mounts", field, fix, detail_part);
  free (field);
}

static __attribute__ ((unused)) void
mount_accepted (const char *name, const char *literal)
{
  with_mount (literal);
  expect_accepted (name);
}

static __attribute__ ((unused)) void
write_file (const char *path, const char *text)
{
  FILE *f = fopen (path, "we");
  if (f == NULL || fputs (text, f) < 0 || fclose (f) != 0)
    {
      printf ("Bail out! cannot write %s\n", path);
      exit (1);
    }
}

static __attribute__ ((unused)) void
add_hook_allowlist (const char *path)
{
  struct string_list *l = &test_policy.hook_allowlist;
  l->items = xrealloc (l->items, (l->len + 2) * sizeof *l->items);
  l->items[l->len++] = xstrdup (path);
  l->items[l->len] = NULL;
}

static __attribute__ ((unused)) void
setup_scratch (void)
{
  char templ[] = "/tmp/policyrun-test-floor-config.XXXXXX";
  if (mkdtemp (templ) == NULL)
    {
      printf ("Bail out! mkdtemp: %s\n", strerror (errno));
      exit (1);
    }
  tmp = xstrdup (templ);
  char *bin = xasprintf ("%s/bin", tmp);
  fake_proc = xasprintf ("%s/proc", tmp);
  char *pid_dir = xasprintf ("%s/4242", fake_proc);
  char *other_pid_dir = xasprintf ("%s/4243", fake_proc);
  fake_dockerd = xasprintf ("%s/dockerd", bin);
  char *other = xasprintf ("%s/evil", bin);
  char *link = xasprintf ("%s/exe", pid_dir);
  char *other_link = xasprintf ("%s/exe", other_pid_dir);
  if (mkdir (bin, 0700) < 0 || mkdir (fake_proc, 0700) < 0 || mkdir (pid_dir, 0700) < 0
      || mkdir (other_pid_dir, 0700) < 0)
    {
      printf ("Bail out! mkdir: %s\n", strerror (errno));
      exit (1);
    }
  write_file (fake_dockerd, "not really dockerd\n");
  write_file (other, "not dockerd at all\n");
  if (symlink (fake_dockerd, link) < 0 || symlink (other, other_link) < 0)
    {
      printf ("Bail out! symlink: %s\n", strerror (errno));
      exit (1);
    }
  free (bin);
  free (pid_dir);
  free (other_pid_dir);
  free (other);
  free (link);
  free (other_link);

  /* The fixture's Docker hook is /proc/4242/exe: make 4242 a process whose
     executable is an allowlisted dockerd.  */
  floor_hooks_proc_dir = fake_proc;
  add_hook_allowlist (fake_dockerd);
}

/* A cgroup tree in tmp/cg (hierarchies memory, "cpu x" (a space in the
   mount point), name=systemd, and a cgroup2 one), the mountinfo and
   /proc/self/cgroup that describe it, and systemd unit directories below
   tmp/sysd.  */
static __attribute__ ((unused)) void
setup_cgroups (void)
{
  static const char *const dirs[] = {
    "cg",
    "cg/memory",
    "cg/memory/docker",
    "cg/memory/process_api",
    "cg/memory/process_api/abc",
    "cg/memory/process_api/abc/own-child",
    "cg/cpu x",
    "cg/cpu x/only-cpu",
    "cg/systemd",
    "cg/systemd/system.slice",
    "cg/systemd/system.slice/docker-exists.scope",
    "cg/systemd/system.slice/runc-exists.scope",
    "cg/systemd/user.slice",
    "cg/systemd/user.slice/user-1000.slice",
    "cg/unified",
    "cg/unified/outer",
    "cg/unified/outer/v2child",
    "sysd",
    "sysd/run",
    "sysd/run/systemd",
    "sysd/run/systemd/transient",
  };
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
    {
      char *d = xasprintf ("%s/%s", tmp, dirs[i]);
      if (mkdir (d, 0700) < 0)
        {
          printf ("Bail out! mkdir %s: %s\n", d, strerror (errno));
          exit (1);
        }
      free (d);
    }
  char *unit = xasprintf ("%s/sysd/run/systemd/transient/docker-transient.scope", tmp);
  write_file (unit, "[Scope]\n");
  free (unit);
  char *mi = xasprintf ("%s/mountinfo", tmp);
  char *text
      = xasprintf ("22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
                   "31 23 0:28 / %s/cg rw - tmpfs tmpfs rw,mode=755\n"
                   "35 31 0:32 / %s/cg/memory rw,relatime shared:9 - cgroup cgroup rw,memory\n"
                   "32 31 0:29 / %s/cg/cpu\\040x rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
                   "40 31 0:37 / %s/cg/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
                   "41 31 0:38 / %s/cg/unified rw,relatime - cgroup2 cgroup2 rw\n",
                   tmp, tmp, tmp, tmp, tmp);
  write_file (mi, text);
  free (text);
  char *pc = xasprintf ("%s/proc-cgroup", tmp);
  write_file (pc, "9:name=systemd:/\n4:memory:/process_api/abc\n1:cpu,cpuacct:/\n"
                  "0::/outer/inner\n");
  test_host.mountinfo_path = mi;
  test_host.proc_cgroup_path = pc;
  floor_systemd_root = xasprintf ("%s/sysd", tmp);
}

/* The end of a config-level test program: remove the scratch tree, free
   what setup_scratch and setup_cgroups made.  */
static __attribute__ ((unused)) int
config_tests_done (void)
{
  json_free (config);
  verdict_free (&verdict);
  char *rm = xasprintf ("rm -rf '%s'", tmp);
  if (system (rm) != 0)
    diag ("could not remove %s", tmp);
  free (rm);
  free (tmp);
  free (fake_proc);
  free (fake_dockerd);
  free ((char *)test_host.mountinfo_path);
  free ((char *)test_host.proc_cgroup_path);
  free ((char *)floor_systemd_root);
  policy_free (&test_policy);
  return done_testing ();
}
/* The whole of harden mode over config (every layer's rewrite, then the
   checks), as `policyrun check` in harden mode.  */
static __attribute__ ((unused)) void
harden_all (void)
{
  verdict_free (&verdict);
  floor_harden_config (config, &test_policy, &test_host, &verdict);
}

/* No violation of rule is left.  */
static __attribute__ ((unused)) void
expect_no_violation (const char *name, const char *rule)
{
  const struct finding *f = find_finding (&verdict, FINDING_VIOLATION, rule, NULL);
  ok (f == NULL, "%s: no %s violation left", name, rule);
  if (f != NULL)
    print_verdict (&verdict);
}

/* One layer's harden function on config, then check (NULL: none) over the
   result, as floor_harden_config runs them; inv is the invocation (NULL:
   check).  */
static __attribute__ ((unused)) void
layer_harden_inv (rule_fn harden_fn, rule_fn check, const struct invocation *inv)
{
  verdict_free (&verdict);
  struct floor_ctx ctx = { .config = config,
                           .policy = &test_policy,
                           .host = &test_host,
                           .verdict = &verdict,
                           .field_prefix = "",
                           .spec = config,
                           .invocation = inv };
  harden_fn (&ctx);
  if (check)
    check (&ctx);
}

static __attribute__ ((unused)) void
layer_harden (rule_fn harden_fn, rule_fn check)
{
  layer_harden_inv (harden_fn, check, NULL);
}

/* harden_fn leaves config byte for byte and records nothing.  */
static __attribute__ ((unused)) void
expect_layer_unchanged (const char *name, rule_fn harden_fn)
{
  cleanup_free char *before = json_text (config);
  layer_harden (harden_fn, NULL);
  cleanup_free char *after = json_text (config);
  is_str (after, before, "%s: harden leaves the JSON byte for byte", name);
  ok (verdict.len == 0, "%s: harden records nothing", name);
  if (verdict.len)
    print_verdict (&verdict);
}

/* Hardening the hardened config again changes nothing, and check accepts
   it.  */
static __attribute__ ((unused)) void
expect_layer_idempotent (const char *name, rule_fn harden_fn, rule_fn check)
{
  cleanup_free char *before = json_text (config);
  layer_harden (harden_fn, check);
  cleanup_free char *after = json_text (config);
  is_str (after, before, "%s: hardening again changes nothing", name);
  ok (count_kind (FINDING_TIGHTENED) == 0, "%s: hardening again records nothing", name);
  expect_accepted (name);
}

#endif /* FLOOR_CONFIG_TESTS */

#endif
