/* Typed access to the runtime-spec and its Go type checks (oci-spec/spec.c).  */
#include "config.h"
#include "tap.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "ospec-util.h"
#include "spec.h"

static json_value *
parse (const char *text)
{
  json_value *v = NULL;
  char *err = NULL;
  if (json_parse (text, strlen (text), &v, &err) < 0)
    {
      printf ("Bail out! cannot parse test JSON %s: %s\n", text, err);
      exit (1);
    }
  return v;
}

static const char *
fixtures (void)
{
  const char *dir = getenv ("FIXTURES");
  return dir ? dir : "tests/fixtures";
}

static json_value *
load (const char *name)
{
  char *path = xasprintf ("%s/%s", fixtures (), name);
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

static void
test_spec_get (void)
{
  json_value *v = parse ("{\"LINUX\":{\"Resources\":{\"memory\":{\"limit\":104857600,"
                         "\"swap\":null,\"kernel\":\"x\",\"reservation\":1.5,"
                         "\"kernelTCP\":9223372036854775808,\"swappiness\":-1}},"
                         "\"seccomp\":null,\"sysctl\":[]},"
                         "\"root\":{\"readonly\":true,\"path\":\"/r\"},"
                         "\"process\":{\"user\":{\"uid\":4294967295,\"gid\":4294967296}}}");
  json_value *out = NULL;
  ok (spec_get (v, "linux.resources.memory", JSON_OBJECT, &out) == SPEC_OK && out != NULL,
      "spec_get walks folded keys (LINUX, Resources)");
  out = NULL;
  ok (spec_get (v, "linux.resources.cpu", JSON_OBJECT, &out) == SPEC_ABSENT && out == NULL,
      "absent leaf: SPEC_ABSENT, *out untouched");
  ok (spec_get (v, "linux.resources.cpu.quota", JSON_NUMBER, &out) == SPEC_ABSENT,
      "absent object on the way: SPEC_ABSENT");
  ok (spec_get (v, "linux.resources.memory.swap", JSON_NUMBER, &out) == SPEC_NULL,
      "null leaf: SPEC_NULL");
  ok (spec_get (v, "linux.seccomp.defaultAction", JSON_STRING, &out) == SPEC_NULL,
      "null object on the way: SPEC_NULL");
  ok (spec_get (v, "linux.sysctl.x", JSON_STRING, &out) == SPEC_BAD_TYPE,
      "non-object on the way: SPEC_BAD_TYPE");
  ok (spec_get (v, "linux.resources.memory.kernel", JSON_NUMBER, &out) == SPEC_BAD_TYPE,
      "leaf of another type: SPEC_BAD_TYPE");
  ok (spec_get (v, "linux.seccomp", JSON_NULL, &out) == SPEC_OK, "asking for null finds null");
  ok (spec_get (v, "", JSON_OBJECT, &out) == SPEC_OK && out == v, "the empty path is the root");
  ok (spec_get (NULL, "linux", JSON_OBJECT, &out) == SPEC_ABSENT, "a NULL root is absent");

  int64_t i = 0;
  ok (spec_get_int (v, "linux.resources.memory.limit", SPEC_INT64_MIN, SPEC_INT64_MAX, &i)
              == SPEC_OK
          && i == 104857600,
      "spec_get_int");
  ok (spec_get_int (v, "linux.resources.memory.limit", 0, 1000, &i) == SPEC_BAD_TYPE,
      "spec_get_int: above max is SPEC_BAD_TYPE");
  ok (spec_get_int (v, "linux.resources.memory.reservation", SPEC_INT64_MIN, SPEC_INT64_MAX, &i)
          == SPEC_BAD_TYPE,
      "spec_get_int: 1.5 is SPEC_BAD_TYPE");
  ok (spec_get_int (v, "linux.resources.memory.kernelTCP", SPEC_INT64_MIN, SPEC_INT64_MAX, &i)
          == SPEC_BAD_TYPE,
      "spec_get_int: beyond int64 is SPEC_BAD_TYPE");
  ok (spec_get_int (v, "linux.resources.memory.swappiness", 0, SPEC_INT64_MAX, &i) == SPEC_BAD_TYPE,
      "spec_get_int: below min is SPEC_BAD_TYPE");
  ok (spec_get_int (v, "linux.resources.memory.kernel", SPEC_INT64_MIN, SPEC_INT64_MAX, &i)
          == SPEC_BAD_TYPE,
      "spec_get_int: a string is SPEC_BAD_TYPE");
  ok (spec_get_int (v, "linux.resources.memory.swap", SPEC_INT64_MIN, SPEC_INT64_MAX, &i)
          == SPEC_NULL,
      "spec_get_int: null is SPEC_NULL");
  ok (spec_get_int (v, "linux.resources.pids.limit", SPEC_INT64_MIN, SPEC_INT64_MAX, &i)
          == SPEC_ABSENT,
      "spec_get_int: absent is SPEC_ABSENT");
  ok (spec_get_int (v, "process.user.uid", 0, SPEC_UINT32_MAX, &i) == SPEC_OK && i == UINT32_MAX,
      "spec_get_int: uint32 max");
  ok (spec_get_int (v, "process.user.gid", 0, SPEC_UINT32_MAX, &i) == SPEC_BAD_TYPE,
      "spec_get_int: above uint32 is SPEC_BAD_TYPE");

  bool b = false;
  ok (spec_get_bool (v, "root.readonly", &b) == SPEC_OK && b, "spec_get_bool");
  ok (spec_get_bool (v, "root.path", &b) == SPEC_BAD_TYPE, "spec_get_bool on a string");
  ok (spec_get_bool (v, "root.missing", &b) == SPEC_ABSENT, "spec_get_bool on an absent field");
  const char *s = NULL;
  ok (spec_get_string (v, "ROOT.PATH", &s) == SPEC_OK && s && strcmp (s, "/r") == 0,
      "spec_get_string (folded path)");
  ok (spec_get_string (v, "root.readonly", &s) == SPEC_BAD_TYPE, "spec_get_string on a boolean");
  json_free (v);

  is_str (spec_status_text (SPEC_ABSENT), "absent", "spec_status_text(ABSENT)");
  is_str (spec_status_text (SPEC_NULL), "null", "spec_status_text(NULL)");
  is_str (spec_status_text (SPEC_BAD_TYPE), "of the wrong type", "spec_status_text(BAD_TYPE)");
}

static void
test_spec_set (void)
{
  json_value *v = parse ("{\"Linux\":{\"RESOURCES\":{\"Memory\":{\"LIMIT\":1}},\"seccomp\":null,"
                         "\"sysctl\":\"x\"}}");
  char *err = NULL;
  json_value *mem = NULL;
  spec_get (v, "linux.resources.memory", JSON_OBJECT, &mem);
  ok (spec_ensure_object (v, "linux.resources.memory", &err) == mem && mem != NULL,
      "spec_ensure_object returns the existing object");
  json_value *pids = spec_ensure_object (v, "linux.resources.pids", &err);
  ok (pids && pids->type == JSON_OBJECT, "spec_ensure_object creates a missing object");
  json_value *deep = spec_ensure_object (v, "a.b.c", &err);
  ok (deep && spec_get (v, "a.b.c", JSON_OBJECT, NULL) == SPEC_OK,
      "spec_ensure_object creates every missing object on the way");

  ok (spec_ensure_object (v, "linux.seccomp", &err) == NULL, "spec_ensure_object refuses a null");
  has_str (err, "linux.seccomp is null", "  naming it");
  ok (spec_get (v, "linux.seccomp", JSON_NULL, NULL) == SPEC_OK, "  and leaves the null alone");
  free (err);
  err = NULL;
  ok (spec_ensure_object (v, "linux.sysctl.x", &err) == NULL,
      "spec_ensure_object refuses a non-object on the way");
  has_str (err, "linux.sysctl is string", "  naming it");
  free (err);
  err = NULL;

  ok (spec_set (v, "linux.resources.memory.limit", json_new_int (104857600), &err) == 0,
      "spec_set an existing folded field");
  json_value *m = json_object_get (v, "Linux");
  m = json_object_get (json_object_get (m, "RESOURCES"), "Memory");
  ok (m && m->u.object.len == 1 && strcmp (m->u.object.members[0].key, "LIMIT") == 0
          && m->u.object.members[0].value->u.number.i == 104857600,
      "  replaced in place, key spelling kept, no second member");
  ok (spec_set (v, "linux.resources.pids.limit", json_new_int (256), &err) == 0,
      "spec_set a new field");
  int64_t i = 0;
  ok (spec_get_int (v, "linux.resources.pids.limit", 0, SPEC_INT64_MAX, &i) == SPEC_OK && i == 256,
      "  readable back");
  ok (spec_set (v, "linux.seccomp.defaultAction", json_new_string ("x"), &err) < 0,
      "spec_set refuses to go through a null (value freed)");
  free (err);
  err = NULL;
  ok (spec_set (v, "hostname", json_new_string ("h"), &err) == 0, "spec_set a top-level field");
  ok (spec_set (v, "x.", json_new_null (), &err) < 0, "spec_set refuses an empty field name");
  free (err);
  err = NULL;
  json_value *arr = json_new_array ();
  ok (spec_ensure_object (arr, "x", &err) == NULL, "spec_ensure_object on a non-object root");
  free (err);
  err = NULL;
  ok (spec_set (arr, "x", json_new_null (), &err) < 0, "spec_set on a non-object root");
  free (err);
  json_free (arr);
  json_free (v);
}

static void
test_describe (void)
{
  json_value *v = json_new_string ("hello");
  char *d = spec_describe (v);
  is_str (d, "\"hello\"", "spec_describe quotes strings");
  free (d);
  json_free (v);

  v = parse ("\"0123456789012345678901234567890123456789012345678901234567890123456789\"");
  d = spec_describe (v);
  ok (d && strlen (d) <= 64 && strstr (d, "...") != NULL && d[0] == '"',
      "spec_describe cuts long strings (%s)", d ? d : "");
  free (d);
  json_free (v);

  /* 40 two-byte characters: the cut must not split one.  */
  struct strbuf b = { 0 };
  strbuf_add (&b, "\"");
  for (int k = 0; k < 40; k++)
    strbuf_add (&b, "\xc3\xa9");
  strbuf_add (&b, "\"");
  v = parse (b.s);
  d = spec_describe (v);
  size_t n = d ? strlen (d) : 0;
  ok (d && n > 3 && strcmp (d + n - 3, "...") == 0 && (unsigned char)d[n - 4] == 0xa9,
      "spec_describe never cuts inside a UTF-8 sequence");
  free (d);
  json_free (v);
  strbuf_free (&b);

  v = parse ("[1.50,true,null,{\"a\":\"b\\n\"}]");
  d = spec_describe (v);
  is_str (d, "[1.50,true,null,{\"a\":\"b\\n\"}]", "spec_describe renders compact JSON");
  free (d);
  json_free (v);

  d = spec_describe (NULL);
  is_str (d, "absent", "spec_describe(NULL)");
  free (d);
}

/* A copy of floor-ok.json with path set to literal, type-checked.  */
static void
config_refused (json_value *ok_config, const char *path, const char *literal, const char *want)
{
  json_value *c = json_clone (ok_config);
  char *err = NULL;
  if (spec_set (c, path, parse (literal), &err) < 0)
    {
      ok (0, "set %s", path);
      diag ("%s", err);
    }
  else
    {
      ok (spec_check_types_config (c, &err) < 0, "refused: %s = %s", path, literal);
      has_str (err, want, "  message for %s = %s", path, literal);
    }
  free (err);
  json_free (c);
}

static void
config_accepted (json_value *ok_config, const char *path, const char *literal)
{
  json_value *c = json_clone (ok_config);
  char *err = NULL;
  spec_set (c, path, parse (literal), &err);
  ok (spec_check_types_config (c, &err) == 0, "accepted: %s = %s", path, literal);
  if (err)
    diag ("%s", err);
  free (err);
  json_free (c);
}

static void
doc_refused (int (*check) (const json_value *, char **), const char *text, const char *want)
{
  json_value *v = parse (text);
  char *err = NULL;
  ok (check (v, &err) < 0, "refused: %s", text);
  has_str (err, want, "  message for %s", text);
  free (err);
  json_free (v);
}

static void
doc_accepted (int (*check) (const json_value *, char **), const char *text)
{
  json_value *v = parse (text);
  char *err = NULL;
  ok (check (v, &err) == 0, "accepted: %s", text);
  if (err)
    diag ("%s", err);
  free (err);
  json_free (v);
}

static void
test_type_checks (void)
{
  json_value *cfg = load ("floor-ok.json");
  char *err = NULL;
  ok (spec_check_types_config (cfg, &err) == 0, "floor-ok.json has the Go types");
  if (err)
    diag ("%s", err);
  free (err);

  config_refused (cfg, "linux.resources.memory.limit", "\"104857600\"",
                  "linux.resources.memory.limit: expected an integer, found a string");
  config_refused (cfg, "linux.resources.memory.limit", "1.5",
                  "linux.resources.memory.limit: expected an integer, found the number 1.5");
  config_refused (cfg, "linux.resources.memory.limit", "1e8", "found the number 1e8");
  config_refused (cfg, "linux.resources.memory.limit", "1.0", "found the number 1.0");
  config_refused (cfg, "linux.resources.memory.limit", "9223372036854775808",
                  "expected an integer from -9223372036854775808 to 9223372036854775807");
  config_refused (cfg, "linux.resources.memory.disableOOMKiller", "0",
                  "linux.resources.memory.disableOOMKiller: expected a boolean, found a number");
  config_refused (cfg, "process.user.uid", "-1",
                  "process.user.uid: expected an integer from 0 to 4294967295 (Go uint32)");
  config_refused (cfg, "process.user.uid", "4294967296", "(Go uint32), found 4294967296");
  config_refused (cfg, "process.user.uid", "-0", "process.user.uid");
  config_refused (cfg, "process.user.additionalGids", "[1,\"2\"]",
                  "process.user.additionalGids[1]: expected an integer, found a string");
  config_refused (cfg, "process.user", "[]", "process.user: expected an object, found an array");
  config_refused (cfg, "process.noNewPrivileges", "\"true\"",
                  "process.noNewPrivileges: expected a boolean, found a string");
  config_refused (cfg, "process.noNewPrivileges", "1", "expected a boolean, found a number 1");
  config_refused (cfg, "root.readonly", "\"false\"", "root.readonly: expected a boolean");
  config_refused (cfg, "root.path", "1", "root.path: expected a string, found a number");
  config_refused (cfg, "process.capabilities", "[]",
                  "process.capabilities: expected an object, found an array");
  config_refused (cfg, "process.capabilities.bounding", "\"CAP_SYS_ADMIN\"",
                  "process.capabilities.bounding: expected an array, found a string");
  config_refused (cfg, "process.args", "\"sh\"", "process.args: expected an array");
  config_refused (cfg, "process.env", "[1]", "process.env[0]: expected a string");
  config_refused (cfg, "process.oomScoreAdj", "1.0", "process.oomScoreAdj: expected an integer");
  config_refused (cfg, "process.scheduler", "{\"nice\":2147483648}",
                  "process.scheduler.nice: expected an integer from -2147483648 to 2147483647");
  config_refused (cfg, "process.rlimits", "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":-1}]",
                  "process.rlimits[0].hard: expected an integer from 0 to 18446744073709551615");
  config_refused (cfg, "process.rlimits", "[{\"hard\":18446744073709551616}]",
                  "process.rlimits[0].hard");
  config_refused (cfg, "mounts", "{}", "mounts: expected an array, found an object");
  config_refused (cfg, "linux.sysctl", "{\"net.ipv4.ip_forward\":1}",
                  "linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, found a number");
  config_refused (cfg, "annotations", "{\"a\":true}", "annotations[\"a\"]: expected a string");
  config_refused (cfg, "linux.resources.unified", "[]",
                  "linux.resources.unified: expected an object");
  config_refused (
      cfg, "linux.resources.blockIO.weight", "65536",
      "linux.resources.blockIO.weight: expected an integer from 0 to 65535 (Go uint16)");
  config_refused (cfg, "linux.resources.devices", "[{\"allow\":\"yes\"}]",
                  "linux.resources.devices[0].allow: expected a boolean");
  config_refused (cfg, "linux.resources.pids.limit", "\"max\"", "linux.resources.pids.limit");
  config_refused (cfg, "linux.resources.cpu.quota", "50000.5", "linux.resources.cpu.quota");
  config_refused (cfg, "linux.resources.cpu.period", "-100000",
                  "linux.resources.cpu.period: expected an integer from 0 to");
  config_refused (cfg, "linux.namespaces", "[{\"type\":1}]",
                  "linux.namespaces[0].type: expected a string");
  config_refused (cfg, "linux.seccomp",
                  "{\"syscalls\":[{\"names\":[\"x\"],\"args\":"
                  "[{\"index\":0,\"value\":-1}]}]}",
                  "linux.seccomp.syscalls[0].args[0].value");
  config_refused (cfg, "linux.seccomp.defaultAction", "0", "linux.seccomp.defaultAction");
  config_refused (cfg, "hooks.prestart", "[{\"path\":\"/x\",\"timeout\":\"5\"}]",
                  "hooks.prestart[0].timeout: expected an integer");
  config_refused (cfg, "linux.timeOffsets", "{\"monotonic\":{\"secs\":\"1\"}}",
                  "linux.timeOffsets[\"monotonic\"].secs");
  config_refused (cfg, "linux.netDevices", "{\"eth0\":{\"name\":1}}",
                  "linux.netDevices[\"eth0\"].name");
  config_refused (cfg, "linux.intelRdt.schemata", "[1]", "linux.intelRdt.schemata[0]");
  config_refused (cfg, "linux.devices", "[{\"fileMode\":-1}]", "linux.devices[0].fileMode");

  /* A type error in a mount's options, by index.  */
  {
    json_value *c = json_clone (cfg);
    json_value *mounts = json_object_get (c, "mounts");
    json_object_set (mounts->u.array.items[3], "options", parse ("[1]"));
    ok (spec_check_types_config (c, &err) < 0, "refused: a number in mounts[3].options");
    has_str (err, "mounts[3].options[0]: expected a string, found a number 1",
             "  message names the element");
    free (err);
    err = NULL;
    json_free (c);
  }

  config_accepted (cfg, "process.rlimits", "[{\"hard\":18446744073709551615,\"soft\":0}]");
  config_accepted (cfg, "process.user", "null");
  config_accepted (cfg, "process.user.additionalGids", "[null]");
  config_accepted (cfg, "linux.resources.memory.limit", "null");
  config_accepted (cfg, "linux.resources.memory.limit", "-0");
  config_accepted (cfg, "mounts", "[null]");
  config_accepted (cfg, "linux.seccomp", "null");
  config_accepted (cfg, "linux.unknownField", "[1,{\"x\":true}]");
  config_accepted (cfg, "linux.intelRdt.schemata", "\"L3:0=f\"");
  config_accepted (cfg, "linux.intelRdt.schemata", "[\"L3:0=f\"]");
  config_accepted (cfg, "windows.credentialSpec", "{\"anything\":[1]}");
  config_accepted (cfg, "process.scheduler", "{\"policy\":\"SCHED_OTHER\",\"nice\":-20}");
  json_free (cfg);

  /* Keys matched as Go matches them; the message uses the field's name.  */
  doc_refused (spec_check_types_config,
               "{\"LINUX\":{\"RESOURCES\":{\"MEMORY\":{\"LIMIT\":\"x\"}}}}",
               "linux.resources.memory.limit: expected an integer, found a string");
  doc_refused (spec_check_types_config, "{\"linux\":{\"\\u017Feccomp\":\"x\"}}",
               "linux.seccomp: expected an object, found a string");
  doc_refused (spec_check_types_config, "{\"process\":{\"\\u212Aeep\":1,\"NoNewPrivileges\":1}}",
               "process.noNewPrivileges: expected a boolean");
  doc_refused (spec_check_types_config, "[]", "expected an object, found an array");
  doc_refused (spec_check_types_config, "null", "expected an object, found null");
  doc_accepted (spec_check_types_config, "{\"unknown\":1,\"linux\":{\"nope\":[]}}");
  doc_accepted (spec_check_types_config, "{}");

  doc_refused (spec_check_types_process, "{\"user\":{\"uid\":\"0\"}}",
               "user.uid: expected an integer, found a string");
  doc_refused (spec_check_types_process, "{\"capabilities\":{\"bounding\":[\"A\",[]]}}",
               "capabilities.bounding[1]: expected a string, found an array");
  doc_accepted (spec_check_types_process, "{\"user\":{\"uid\":0},\"args\":[\"sh\"],\"cwd\":\"/\"}");
  doc_refused (spec_check_types_resources, "{\"memory\":{\"limit\":\"1\"}}",
               "memory.limit: expected an integer, found a string");
  doc_refused (spec_check_types_resources, "{\"cpu\":{\"shares\":-2}}", "cpu.shares");
  doc_accepted (spec_check_types_resources, "{\"memory\":{\"limit\":1073741824,\"swap\":-1}}");
}

/* Every config Docker sent (tests/fixtures/docker): the process files of
   exec, the resources of update, and the bundles' config.json.  */
static void
test_docker_fixtures (void)
{
  char *dir = xasprintf ("%s/docker", fixtures ());
  DIR *d = opendir (dir);
  int n = 0;
  if (d == NULL)
    {
      ok (0, "open %s", dir);
      free (dir);
      return;
    }
  struct dirent *e;
  while ((e = readdir (d)) != NULL)
    {
      size_t l = strlen (e->d_name);
      if (l < 5 || strcmp (e->d_name + l - 5, ".json") != 0)
        continue;
      char *name = xasprintf ("docker/%s", e->d_name);
      json_value *v = load (name);
      char *err = NULL;
      int r;
      const char *kind;
      if (strncmp (e->d_name, "exec-", 5) == 0)
        r = spec_check_types_process (v, &err), kind = "process";
      else if (strncmp (e->d_name, "update-", 7) == 0)
        r = spec_check_types_resources (v, &err), kind = "resources";
      else
        r = spec_check_types_config (v, &err), kind = "config";
      ok (r == 0, "%s has the Go types of a %s", name, kind);
      if (err)
        diag ("%s", err);
      n++;
      free (err);
      free (name);
      json_free (v);
    }
  closedir (d);
  ok (n > 0, "found %d Docker fixtures", n);
  free (dir);
}

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Not a timing assertion (machines vary): the cost is reported, and only a
   gross regression fails.  */
static void
test_cost (void)
{
  char *path = xasprintf ("%s/docker/plain.json", fixtures ());
  json_value *probe = NULL;
  char *err = NULL;
  if (json_load_file (path, &probe, &err) < 0)
    {
      free (err);
      err = NULL;
      free (path);
      path = xasprintf ("%s/floor-ok.json", fixtures ());
    }
  json_free (probe);
  int rounds = 200, good = 0;
  double t0 = now ();
  for (int k = 0; k < rounds; k++)
    {
      json_value *v = NULL;
      char *out = NULL;
      size_t len;
      if (json_load_file (path, &v, &err) == 0 && spec_check_types_config (v, &err) == 0
          && json_write (v, &out, &len, &err) == 0)
        good++;
      free (out);
      json_free (v);
    }
  double per = (now () - t0) / rounds;
  free (err);
  ok (good == rounds, "load + type check + write of %s", path);
  diag ("load + check + write: %.1f us per config", per * 1e6);
  ok (per < 0.05, "well within budget (%.3f ms)", per * 1e3);
  free (path);
}

int
main (void)
{
  test_spec_get ();
  test_spec_set ();
  test_describe ();
  test_type_checks ();
  test_docker_fixtures ();
  test_cost ();
  return done_testing ();
}
