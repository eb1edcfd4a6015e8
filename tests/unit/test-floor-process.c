/* The resource rules (memory, cpu, pids, unified, update) and the process
   rules (capabilities, no-new-privileges, user, process): accepted and
   refused cases, each refusal with its rule id, field and fix.  */
#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <grp.h>
#include <inttypes.h>
#include <pwd.h>

#include "floor-helpers.h"

typedef void (*rule_fn) (struct floor_ctx *ctx);

/* Run one config-level rule on config; the findings land in verdict.  */
static void
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
static void
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

static int64_t
int_at (const json_value *root, const char *path)
{
  int64_t v = INT64_MIN;
  spec_get_int (root, path, INT64_MIN, INT64_MAX, &v);
  return v;
}

/* ---- memory ------------------------------------------------------------- */

static void
test_memory (void)
{
  static const char mfix[] = "run with --memory 100m";
  static const char sfix[] = "run with --memory-swap equal to --memory";
  json_value *c;

  c = edited (NULL, NULL);
  run_config_rule (floor_check_memory, c);
  expect_accepted ("memory at the floor");
  ok (verdict.len == 0, "memory at the floor: nothing changed");
  json_free (c);

  c = edited ("linux.resources.memory", "{\"limit\": 52428800, \"swap\": 52428800}");
  run_config_rule (floor_check_memory, c);
  expect_accepted ("memory below the floor");
  json_free (c);

  c = edited ("linux.resources.memory.limit", "209715200");
  set_json (c, "linux.resources.memory.swap", "209715200");
  run_config_rule (floor_check_memory, c);
  expect_violation ("memory 200m", "memory", "linux.resources.memory.limit", mfix,
                    "is 209715200 (200 MiB), above the floor of 104857600 (100 MiB)");
  json_free (c);

  c = edited ("linux.resources.memory.limit", "-1");
  run_config_rule (floor_check_memory, c);
  expect_violation ("memory -1", "memory", "linux.resources.memory.limit", mfix, "unlimited");
  json_free (c);

  c = edited ("linux.resources.memory.limit", "0");
  run_config_rule (floor_check_memory, c);
  expect_violation ("memory 0", "memory", "linux.resources.memory.limit", mfix, "not set");
  json_free (c);

  c = edited ("linux.resources.memory.limit", "null");
  run_config_rule (floor_check_memory, c);
  expect_violation ("memory null", "memory", "linux.resources.memory.limit", mfix, "is null");
  json_free (c);

  c = edited ("linux.resources.memory", "null");
  run_config_rule (floor_check_memory, c);
  expect_violation ("memory object null", "memory", "linux.resources.memory", mfix, "is null");
  ok (verdict_violations (&verdict) == 1, "memory object null: one violation, not one per field");
  json_free (c);

  c = edited ("linux.resources", "null");
  run_config_rule (floor_check_memory, c);
  expect_violation ("resources null", "memory", "linux.resources", mfix, "is null");
  json_free (c);

  c = edited ("linux.resources.memory.limit", "\"100m\"");
  run_config_rule (floor_check_memory, c);
  expect_violation ("memory a string", "memory", "linux.resources.memory.limit", mfix,
                    "is not an integer");
  json_free (c);

  /* Absent: filled in with the floor, swap with it on a host with swap
     accounting.  */
  c = edited ("linux.resources.memory", "{}");
  run_config_rule (floor_check_memory, c);
  expect_accepted ("memory absent");
  expect_tightened ("memory absent", "memory", "linux.resources.memory.limit", "104857600");
  expect_tightened ("memory absent", "memory", "linux.resources.memory.swap", "104857600");
  ok (int_at (c, "linux.resources.memory.limit") == 104857600, "memory absent: limit filled in");
  ok (int_at (c, "linux.resources.memory.swap") == 104857600, "memory absent: swap filled in");
  json_free (c);

  c = load_ok_config ();
  json_object_remove (json_object_get (c, "linux"), "resources");
  run_config_rule (floor_check_memory, c);
  expect_accepted ("resources absent");
  ok (int_at (c, "linux.resources.memory.limit") == 104857600, "resources absent: limit filled");
  json_free (c);

  /* No swap accounting: Docker leaves swap out and runc would fail with it.  */
  test_host.swap_accounting = false;
  c = edited ("linux.resources.memory", "{\"limit\": 104857600}");
  run_config_rule (floor_check_memory, c);
  expect_accepted ("swap absent without swap accounting");
  ok (verdict.len == 0 && int_at (c, "linux.resources.memory.swap") == INT64_MIN,
      "swap absent without swap accounting: not filled in");
  json_free (c);
  c = edited ("linux.resources.memory", "{\"limit\": 104857600, \"swap\": 0}");
  run_config_rule (floor_check_memory, c);
  expect_accepted ("swap 0 without swap accounting");
  json_free (c);
  test_host.swap_accounting = true;

  c = edited ("linux.resources.memory", "{\"limit\": 104857600}");
  run_config_rule (floor_check_memory, c);
  expect_accepted ("swap absent with swap accounting");
  expect_tightened ("swap absent", "memory", "linux.resources.memory.swap", "equal to");
  json_free (c);

  c = edited ("linux.resources.memory.swap", "209715200");
  run_config_rule (floor_check_memory, c);
  expect_violation ("swap above memory", "memory", "linux.resources.memory.swap", sfix,
                    "not equal to memory.limit");
  json_free (c);

  c = edited ("linux.resources.memory.swap", "-1");
  run_config_rule (floor_check_memory, c);
  expect_violation ("swap -1", "memory", "linux.resources.memory.swap", sfix, "unlimited swap");
  json_free (c);

  c = edited ("linux.resources.memory.swap", "0");
  run_config_rule (floor_check_memory, c);
  expect_violation ("swap 0", "memory", "linux.resources.memory.swap", sfix, "is 0");
  json_free (c);

  c = edited ("linux.resources.memory.disableOOMKiller", "true");
  run_config_rule (floor_check_memory, c);
  expect_violation ("oom killer disabled", "memory", "linux.resources.memory.disableOOMKiller",
                    "remove --oom-kill-disable", "is true");
  json_free (c);

  c = edited ("linux.resources.memory.disableOOMKiller", "false");
  set_json (c, "linux.resources.memory.kernel", "-1");
  set_json (c, "linux.resources.memory.reservation", "1048576");
  set_json (c, "linux.resources.memory.swappiness", "0");
  run_config_rule (floor_check_memory, c);
  expect_accepted ("oom killer on, kernel/reservation/swappiness set");
  json_free (c);

  /* Every violation, not the first.  */
  c = edited ("linux.resources.memory",
              "{\"limit\": 1073741824, \"swap\": -1, \"disableOOMKiller\": true}");
  run_config_rule (floor_check_memory, c);
  ok (verdict_violations (&verdict) == 3, "memory: three loosenings, three violations");
  json_free (c);

  /* The fix follows the policy's value.  */
  int64_t saved = test_policy.memory_bytes;
  test_policy.memory_bytes = 512 * 1024 * 1024;
  c = edited ("linux.resources.memory.limit", "1073741824");
  run_config_rule (floor_check_memory, c);
  expect_violation ("memory above a 512m policy", "memory", "linux.resources.memory.limit",
                    "run with --memory 512m", "above the floor of 536870912 (512 MiB)");
  json_free (c);
  test_policy.memory_bytes = 1024 * 1024 * 1024;
  c = edited ("linux.resources.memory.limit", "2147483648");
  run_config_rule (floor_check_memory, c);
  expect_violation ("memory above a 1g policy", "memory", "linux.resources.memory.limit",
                    "run with --memory 1g", NULL);
  json_free (c);
  test_policy.memory_bytes = saved;
}

/* ---- cpu ---------------------------------------------------------------- */

static void
test_cpu (void)
{
  static const char fix[] = "run with --cpus 0.5";
  json_value *c;

  c = edited (NULL, NULL);
  run_config_rule (floor_check_cpu, c);
  expect_accepted ("cpu at the floor");
  ok (verdict.len == 0, "cpu at the floor: nothing changed");
  json_free (c);

  c = edited ("linux.resources.cpu", "{\"quota\": 25000, \"period\": 100000, \"cpus\": \"0\", "
                                     "\"mems\": \"0\", \"shares\": 2, \"idle\": 1}");
  run_config_rule (floor_check_cpu, c);
  expect_accepted ("quarter cpu with cpuset, shares, idle");
  json_free (c);

  /* Same ratio, other period.  */
  c = edited ("linux.resources.cpu", "{\"quota\": 5000, \"period\": 10000}");
  run_config_rule (floor_check_cpu, c);
  expect_accepted ("5000/10000");
  json_free (c);

  c = edited ("linux.resources.cpu", "{\"quota\": 5001, \"period\": 10000}");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("5001/10000", "cpu", "linux.resources.cpu.quota", fix, "above the floor");
  json_free (c);

  c = edited ("linux.resources.cpu", "{\"quota\": 200000, \"period\": 100000}");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("cpus 2", "cpu", "linux.resources.cpu.quota", fix, "(--cpus 2)");
  json_free (c);

  /* Period absent: runc's default 100000.  */
  c = edited ("linux.resources.cpu", "{\"quota\": 50000}");
  run_config_rule (floor_check_cpu, c);
  expect_accepted ("quota 50000 without period");
  json_free (c);
  c = edited ("linux.resources.cpu", "{\"quota\": 60000, \"period\": 0}");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("quota 60000, period 0", "cpu", "linux.resources.cpu.quota", fix,
                    "per period of 100000");
  json_free (c);

  /* Huge values: compared exactly, no overflow.  */
  c = edited ("linux.resources.cpu",
              "{\"quota\": 9223372036854775807, \"period\": 9223372036854775806}");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("huge quota", "cpu", "linux.resources.cpu.quota", fix, NULL);
  json_free (c);
  c = edited ("linux.resources.cpu",
              "{\"quota\": 4611686018427387903, \"period\": 9223372036854775807}");
  run_config_rule (floor_check_cpu, c);
  expect_accepted ("huge quota and period just under half");
  json_free (c);
  c = edited ("linux.resources.cpu",
              "{\"quota\": 4611686018427387904, \"period\": 9223372036854775807}");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("huge quota and period just over half", "cpu", "linux.resources.cpu.quota", fix,
                    NULL);
  json_free (c);

  c = edited ("linux.resources.cpu.quota", "-1");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("quota -1", "cpu", "linux.resources.cpu.quota", fix, "unlimited");
  json_free (c);

  c = edited ("linux.resources.cpu.quota", "0");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("quota 0", "cpu", "linux.resources.cpu.quota", fix, "not set");
  json_free (c);

  c = edited ("linux.resources.cpu.quota", "null");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("quota null", "cpu", "linux.resources.cpu.quota", fix, "is null");
  json_free (c);

  c = edited ("linux.resources.cpu", "null");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("cpu null", "cpu", "linux.resources.cpu", fix, "is null");
  ok (verdict_violations (&verdict) == 1, "cpu null: one violation");
  json_free (c);

  c = edited ("linux.resources.cpu.period", "-5");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("period negative", "cpu", "linux.resources.cpu.period", fix, "is not");
  json_free (c);

  /* Absent: filled with the floor's pair.  */
  c = edited ("linux.resources.cpu", "{\"shares\": 0}");
  run_config_rule (floor_check_cpu, c);
  expect_accepted ("quota absent");
  expect_tightened ("quota absent", "cpu", "linux.resources.cpu.quota", "50000");
  ok (int_at (c, "linux.resources.cpu.quota") == 50000
          && int_at (c, "linux.resources.cpu.period") == 100000,
      "quota absent: 50000/100000 filled in");
  json_free (c);

  c = edited ("linux.resources.cpu", "{\"period\": 20000}");
  run_config_rule (floor_check_cpu, c);
  expect_accepted ("period without quota");
  expect_tightened ("period without quota", "cpu", "linux.resources.cpu.period",
                    "was 20000 without a quota; set to 100000");
  ok (int_at (c, "linux.resources.cpu.quota") == 50000
          && int_at (c, "linux.resources.cpu.period") == 100000,
      "period without quota: the floor's pair replaces it");
  json_free (c);

  c = edited ("linux.resources.cpu.realtimeRuntime", "950000");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("realtime runtime", "cpu", "linux.resources.cpu.realtimeRuntime",
                    "remove --cpu-rt-runtime", "950000");
  json_free (c);

  c = edited ("linux.resources.cpu.realtimePeriod", "1000000");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("realtime period", "cpu", "linux.resources.cpu.realtimePeriod",
                    "remove --cpu-rt-period", NULL);
  json_free (c);

  c = edited ("linux.resources.cpu.realtimeRuntime", "0");
  set_json (c, "linux.resources.cpu.realtimePeriod", "0");
  set_json (c, "linux.resources.cpu.burst", "0");
  run_config_rule (floor_check_cpu, c);
  expect_accepted ("realtime and burst 0");
  json_free (c);

  c = edited ("linux.resources.cpu.burst", "100000");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("burst", "cpu", "linux.resources.cpu.burst", NULL, "beyond the quota");
  json_free (c);

  /* Fix text from the policy.  */
  int64_t q = test_policy.cpu_quota, p = test_policy.cpu_period;
  test_policy.cpu_quota = 150000;
  test_policy.cpu_period = 100000;
  c = edited ("linux.resources.cpu", "{\"quota\": 200000, \"period\": 100000}");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("cpus 2 over a 1.5 policy", "cpu", "linux.resources.cpu.quota",
                    "run with --cpus 1.5", NULL);
  json_free (c);
  test_policy.cpu_quota = 100000;
  test_policy.cpu_period = 300000;
  c = edited ("linux.resources.cpu", "{\"quota\": 200000, \"period\": 100000}");
  run_config_rule (floor_check_cpu, c);
  expect_violation ("cpus 2 over a third policy", "cpu", "linux.resources.cpu.quota",
                    "run with --cpus 0.333", NULL);
  json_free (c);
  c = edited ("linux.resources.cpu", "{\"quota\": 33333, \"period\": 100000}");
  run_config_rule (floor_check_cpu, c);
  expect_accepted ("0.33333 under a third");
  json_free (c);
  test_policy.cpu_quota = q;
  test_policy.cpu_period = p;
}

/* ---- pids and unified ----------------------------------------------------- */

static void
test_pids_unified (void)
{
  static const char fix[] = "run with --pids-limit 256";
  json_value *c;

  c = edited ("linux.resources.pids.limit", "256");
  run_config_rule (floor_check_pids, c);
  expect_accepted ("pids at the floor");
  ok (verdict.len == 0, "pids at the floor: nothing changed");
  json_free (c);

  c = edited ("linux.resources.pids.limit", "64");
  run_config_rule (floor_check_pids, c);
  expect_accepted ("pids below the floor");
  json_free (c);

  c = load_ok_config ();
  json_object_remove (spec_ensure_object (c, "linux.resources", NULL), "pids");
  run_config_rule (floor_check_pids, c);
  expect_accepted ("pids absent");
  expect_tightened ("pids absent", "pids", "linux.resources.pids.limit", "set to 256");
  ok (int_at (c, "linux.resources.pids.limit") == 256, "pids absent: 256 filled in");
  json_free (c);

  c = edited ("linux.resources.pids.limit", "4096");
  run_config_rule (floor_check_pids, c);
  expect_violation ("pids 4096", "pids", "linux.resources.pids.limit", fix,
                    "is 4096, above the floor of 256");
  json_free (c);

  c = edited ("linux.resources.pids.limit", "-1");
  run_config_rule (floor_check_pids, c);
  expect_violation ("pids -1", "pids", "linux.resources.pids.limit", fix, "unlimited");
  json_free (c);

  c = edited ("linux.resources.pids.limit", "0");
  run_config_rule (floor_check_pids, c);
  expect_violation ("pids 0", "pids", "linux.resources.pids.limit", fix, "not set");
  json_free (c);

  c = edited ("linux.resources.pids", "null");
  run_config_rule (floor_check_pids, c);
  expect_violation ("pids null", "pids", "linux.resources.pids", fix, "is null");
  json_free (c);

  c = edited ("linux.resources.pids.limit", "null");
  run_config_rule (floor_check_pids, c);
  expect_violation ("pids limit null", "pids", "linux.resources.pids.limit", fix, "is null");
  json_free (c);

  c = edited (NULL, NULL);
  run_config_rule (floor_check_unified, c);
  expect_accepted ("unified absent");
  json_free (c);
  c = edited ("linux.resources.unified", "{}");
  run_config_rule (floor_check_unified, c);
  expect_accepted ("unified empty");
  json_free (c);
  c = edited ("linux.resources.unified", "null");
  run_config_rule (floor_check_unified, c);
  expect_accepted ("unified null");
  json_free (c);
  c = edited ("linux.resources.unified", "{\"memory.max\": \"max\", \"pids.max\": \"max\"}");
  run_config_rule (floor_check_unified, c);
  expect_violation ("unified memory.max", "unified", "linux.resources.unified",
                    "remove --cgroup-conf / unified cgroup settings", "\"memory.max\"");
  json_free (c);
}

/* ---- update ------------------------------------------------------------- */

static void
check_update (const char *name, const char *json)
{
  verdict_free (&verdict);
  json_value *r = parse_json (json);
  size_t n = floor_check_update (r, &test_policy, &test_host, &verdict);
  ok (n == verdict_violations (&verdict), "%s: returns the number of violations", name);
  cleanup_free char *before = NULL, *after = NULL;
  size_t len;
  json_value *orig = parse_json (json);
  json_write (orig, &before, &len, NULL);
  json_write (r, &after, &len, NULL);
  is_str (after, before, "%s: update's resources are never changed", name);
  json_free (orig);
  json_free (r);
}

static void
test_update (void)
{
  static const char mfix[] = "run with --memory 100m";
  static const char sfix[] = "run with --memory-swap equal to --memory";
  static const char cfix[] = "run with --cpus 0.5";

  check_update ("empty update", "{}");
  expect_accepted ("empty update");

  /* What Docker sends for `docker update --cpus 0.25`.  */
  check_update (
      "docker update --cpus 0.25",
      "{\"memory\":{\"limit\":0,\"reservation\":0,\"kernel\":0},"
      "\"cpu\":{\"shares\":0,\"quota\":25000,\"period\":100000},\"blockIO\":{\"weight\":0}}");
  expect_accepted ("docker update --cpus 0.25");

  check_update ("docker update --memory 50m --memory-swap 50m",
                "{\"memory\":{\"limit\":52428800,\"reservation\":0,\"swap\":52428800,\"kernel\":0},"
                "\"cpu\":{\"shares\":0,\"quota\":0,\"period\":0},\"blockIO\":{\"weight\":0}}");
  expect_accepted ("docker update --memory 50m --memory-swap 50m");

  check_update ("update pids 100", "{\"pids\":{\"limit\":100}}");
  expect_accepted ("update pids 100");

  check_update ("update cpuset and blkio", "{\"cpu\":{\"cpus\":\"0\",\"mems\":\"0\"},"
                                           "\"blockIO\":{\"weight\":500},\"unified\":{}}");
  expect_accepted ("update cpuset and blkio");

  /* The real Docker captures.  */
  json_value *r = load_docker ("update-memory-1g");
  verdict_free (&verdict);
  floor_check_update (r, &test_policy, &test_host, &verdict);
  expect_violation ("docker update --memory 1g", "memory", "linux.resources.memory.limit", mfix,
                    "is 1073741824 (1024 MiB), above the floor");
  json_free (r);
  r = load_docker ("update-cpus-2");
  verdict_free (&verdict);
  floor_check_update (r, &test_policy, &test_host, &verdict);
  expect_violation ("docker update --cpus 2", "cpu", "linux.resources.cpu.quota", cfix,
                    "(--cpus 2)");
  ok (verdict_violations (&verdict) == 1, "docker update --cpus 2: only the cpu is refused");
  json_free (r);

  check_update ("update memory -1", "{\"memory\":{\"limit\":-1}}");
  expect_violation ("update memory -1", "memory", "linux.resources.memory.limit", mfix,
                    "unlimited");

  check_update ("update memory without swap", "{\"memory\":{\"limit\":52428800}}");
  expect_violation ("update memory without swap", "memory", "linux.resources.memory.swap", sfix,
                    "is absent while memory.limit changes");
  test_host.swap_accounting = false;
  check_update ("update memory without swap, no accounting", "{\"memory\":{\"limit\":52428800}}");
  expect_accepted ("update memory without swap, no accounting");
  test_host.swap_accounting = true;

  check_update ("update swap -1", "{\"memory\":{\"limit\":52428800,\"swap\":-1}}");
  expect_violation ("update swap -1", "memory", "linux.resources.memory.swap", sfix,
                    "unlimited swap");

  check_update ("update swap alone", "{\"memory\":{\"swap\":104857600}}");
  expect_violation ("update swap alone", "memory", "linux.resources.memory.swap", sfix,
                    "without memory.limit");

  check_update ("update swap above", "{\"memory\":{\"limit\":52428800,\"swap\":104857600}}");
  expect_violation ("update swap above", "memory", "linux.resources.memory.swap", sfix,
                    "not equal to memory.limit");

  check_update ("update memory null", "{\"memory\":null}");
  expect_violation ("update memory null", "memory", "linux.resources.memory", mfix, "is null");

  check_update ("update oom", "{\"memory\":{\"disableOOMKiller\":true}}");
  expect_violation ("update oom", "memory", "linux.resources.memory.disableOOMKiller",
                    "remove --oom-kill-disable", NULL);

  check_update ("update quota alone", "{\"cpu\":{\"quota\":50000}}");
  expect_violation ("update quota alone", "cpu", "linux.resources.cpu.period", cfix,
                    "is absent while cpu.quota is 50000");

  check_update ("update period alone", "{\"cpu\":{\"period\":1000}}");
  expect_violation ("update period alone", "cpu", "linux.resources.cpu.quota", cfix,
                    "is absent while cpu.period is 1000");

  check_update ("update quota 0 with period", "{\"cpu\":{\"quota\":0,\"period\":100000}}");
  expect_violation ("update quota 0 with period", "cpu", "linux.resources.cpu.quota", cfix,
                    "not set");

  check_update ("update quota -1", "{\"cpu\":{\"quota\":-1,\"period\":100000}}");
  expect_violation ("update quota -1", "cpu", "linux.resources.cpu.quota", cfix, "unlimited");

  check_update ("update period 0 with quota", "{\"cpu\":{\"quota\":50000,\"period\":0}}");
  expect_violation ("update period 0 with quota", "cpu", "linux.resources.cpu.period", cfix, NULL);

  check_update ("update realtime", "{\"cpu\":{\"realtimeRuntime\":1000}}");
  expect_violation ("update realtime", "cpu", "linux.resources.cpu.realtimeRuntime",
                    "remove --cpu-rt-runtime", NULL);

  check_update ("update burst", "{\"cpu\":{\"burst\":1000}}");
  expect_violation ("update burst", "cpu", "linux.resources.cpu.burst", NULL, NULL);

  check_update ("update pids -1", "{\"pids\":{\"limit\":-1}}");
  expect_violation ("update pids -1", "pids", "linux.resources.pids.limit",
                    "run with --pids-limit 256", "unlimited");
  check_update ("update pids 0", "{\"pids\":{\"limit\":0}}");
  expect_violation ("update pids 0", "pids", "linux.resources.pids.limit",
                    "run with --pids-limit 256", NULL);
  check_update ("update pids 1000", "{\"pids\":{\"limit\":1000}}");
  expect_violation ("update pids 1000", "pids", "linux.resources.pids.limit",
                    "run with --pids-limit 256", "above the floor");

  check_update ("update unified", "{\"unified\":{\"memory.max\":\"max\"}}");
  expect_violation ("update unified", "unified", "linux.resources.unified",
                    "remove --cgroup-conf / unified cgroup settings", NULL);

  check_update ("update devices", "{\"devices\":[{\"allow\":true,\"access\":\"rwm\"}]}");
  expect_violation ("update devices", "devices", "linux.resources.devices", NULL, NULL);

  check_update ("update not an object", "[]");
  ok (verdict_violations (&verdict) == 1, "update not an object: refused");
}

/* ---- capabilities ------------------------------------------------------- */

static void
test_capabilities (void)
{
  static const char fix[] = "run with --cap-drop ALL and no --cap-add";
  json_value *c;

  c = edited (NULL, NULL);
  run_process_rule (floor_check_capabilities, c);
  expect_accepted ("capabilities {}");
  json_free (c);

  c = edited ("process.capabilities", "{\"bounding\": [], \"effective\": null, "
                                      "\"inheritable\": [], \"permitted\": [], \"ambient\": []}");
  run_process_rule (floor_check_capabilities, c);
  expect_accepted ("capabilities empty and null sets");
  json_free (c);

  c = edited ("process.capabilities", "null");
  run_process_rule (floor_check_capabilities, c);
  expect_violation ("capabilities null", "capabilities", "process.capabilities",
                    "run with --cap-drop ALL", "every capability");
  json_free (c);

  c = load_ok_config ();
  json_object_remove (json_object_get (c, "process"), "capabilities");
  run_process_rule (floor_check_capabilities, c);
  expect_violation ("capabilities absent", "capabilities", "process.capabilities",
                    "run with --cap-drop ALL", "is absent");
  json_free (c);

  c = edited ("process.capabilities", "[]");
  run_process_rule (floor_check_capabilities, c);
  expect_violation ("capabilities an array", "capabilities", "process.capabilities",
                    "run with --cap-drop ALL", "not an object");
  json_free (c);

  c = edited ("process.capabilities.bounding", "[\"CAP_NET_RAW\"]");
  run_process_rule (floor_check_capabilities, c);
  expect_violation ("bounding NET_RAW", "capabilities", "process.capabilities.bounding", fix,
                    "has CAP_NET_RAW");
  json_free (c);

  c = edited ("process.capabilities.ambient", "[\"CAP_SYS_ADMIN\"]");
  set_json (c, "process.capabilities.inheritable", "[\"CAP_SYS_ADMIN\"]");
  run_process_rule (floor_check_capabilities, c);
  expect_violation ("ambient SYS_ADMIN", "capabilities", "process.capabilities.ambient", fix,
                    "CAP_SYS_ADMIN");
  expect_violation ("inheritable SYS_ADMIN", "capabilities", "process.capabilities.inheritable",
                    fix, "CAP_SYS_ADMIN");
  json_free (c);

  /* Case-folded key: runc reads "Permitted" as permitted.  */
  c = edited ("process.capabilities", "{\"Permitted\": [\"CAP_KILL\"]}");
  run_process_rule (floor_check_capabilities, c);
  expect_violation ("Permitted (folded key)", "capabilities", "process.capabilities.permitted", fix,
                    "CAP_KILL");
  json_free (c);

  static const char *const unknown[] = {
    "[\"CAP_FOO\"]", "[\"cap_chown\"]", "[\"chown\"]", "[\"CAP_CHOWN,CAP_KILL\"]",
    "[\"12\"]",      "[\"CAP_12\"]",    "[\"CAP_\"]",
  };
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
    {
      c = edited ("process.capabilities.effective", unknown[i]);
      run_process_rule (floor_check_capabilities, c);
      cleanup_free char *name = xasprintf ("effective %s", unknown[i]);
      expect_violation (name, "capabilities", "process.capabilities.effective", fix,
                        "unknown capability");
      json_free (c);
    }

  c = edited ("process.capabilities.effective", "[1]");
  run_process_rule (floor_check_capabilities, c);
  expect_violation ("effective [1]", "capabilities", "process.capabilities.effective", fix,
                    "a number");
  json_free (c);

  /* Docker's default set, and --privileged.  */
  c = load_docker ("no-cap-drop");
  run_process_rule (floor_check_capabilities, c);
  expect_violation ("docker without --cap-drop ALL", "capabilities",
                    "process.capabilities.bounding", fix, "CAP_CHOWN");
  const struct finding *f
      = exact_finding (FINDING_VIOLATION, "capabilities", "process.capabilities.bounding");
  has_str (f ? f->detail : NULL, "and 8 more", "docker default set: long list cut");
  json_free (c);

  c = load_docker ("cap-add-net-raw");
  run_process_rule (floor_check_capabilities, c);
  expect_violation ("docker --cap-add NET_RAW", "capabilities", "process.capabilities.bounding",
                    fix, "has CAP_NET_RAW");
  json_free (c);

  c = load_docker ("privileged");
  run_process_rule (floor_check_capabilities, c);
  expect_violation ("docker --privileged", "capabilities", "process.capabilities.bounding",
                    "remove --privileged (or --cap-add ALL)", "and 32 more");
  json_free (c);

  json_value *p = load_docker ("exec-privileged");
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_violation ("docker exec --privileged", "capabilities", "capabilities.bounding",
                    "remove --privileged (or --cap-add ALL)", NULL);
  json_free (p);
}

/* ---- no-new-privileges and user ------------------------------------------ */

static void
test_nnp_user (void)
{
  static const char nfix[] = "run with --security-opt no-new-privileges";
  static const char ufix[] = "run with --user 65534:65534";
  json_value *c;

  c = edited (NULL, NULL);
  run_process_rule (floor_check_no_new_privs, c);
  expect_accepted ("noNewPrivileges true");
  run_process_rule (floor_check_user, c);
  expect_accepted ("user 65534:65534");
  json_free (c);

  static const struct
  {
    const char *literal, *detail;
  } nnp[] = { { "false", "is false" }, { "null", "is null" }, { "\"true\"", "is not a boolean" } };
  for (size_t i = 0; i < sizeof nnp / sizeof nnp[0]; i++)
    {
      c = edited ("process.noNewPrivileges", nnp[i].literal);
      run_process_rule (floor_check_no_new_privs, c);
      cleanup_free char *name = xasprintf ("noNewPrivileges %s", nnp[i].literal);
      expect_violation (name, "no-new-privileges", "process.noNewPrivileges", nfix, nnp[i].detail);
      json_free (c);
    }
  c = load_docker ("no-nnp");
  run_process_rule (floor_check_no_new_privs, c);
  expect_violation ("docker without no-new-privileges", "no-new-privileges",
                    "process.noNewPrivileges", nfix, "is absent");
  json_free (c);

  c = edited ("process.user.uid", "0");
  run_process_rule (floor_check_user, c);
  expect_violation ("uid 0", "user", "process.user.uid", ufix, "is 0 (root)");
  json_free (c);

  c = edited ("process.user.gid", "0");
  run_process_rule (floor_check_user, c);
  expect_violation ("gid 0", "user", "process.user.gid", ufix, "is 0");
  json_free (c);

  c = edited ("process.user", "{\"gid\": 65534}");
  run_process_rule (floor_check_user, c);
  expect_violation ("uid absent", "user", "process.user.uid", ufix, "is absent");
  json_free (c);

  c = edited ("process.user.uid", "null");
  run_process_rule (floor_check_user, c);
  expect_violation ("uid null", "user", "process.user.uid", ufix, "is null");
  json_free (c);

  c = edited ("process.user", "null");
  run_process_rule (floor_check_user, c);
  expect_violation ("user null", "user", "process.user", ufix, "is null");
  json_free (c);

  c = edited ("process.user.uid", "-1");
  run_process_rule (floor_check_user, c);
  expect_violation ("uid -1", "user", "process.user.uid", ufix, "is not an integer");
  json_free (c);

  c = edited ("process.user.additionalGids", "[65534, 0]");
  run_process_rule (floor_check_user, c);
  expect_violation ("additionalGids 0", "user", "process.user.additionalGids[1]",
                    "remove --group-add 0", "root group");
  ok (verdict_violations (&verdict) == 1, "additionalGids 0: only the root group entry");
  json_free (c);

  c = edited ("process.user", "{\"uid\": 1000, \"gid\": 1000, \"additionalGids\": null, "
                              "\"umask\": 18, \"username\": \"x\"}");
  run_process_rule (floor_check_user, c);
  expect_accepted ("user 1000:1000, umask, no groups");
  json_free (c);

  c = load_docker ("no-user");
  run_process_rule (floor_check_user, c);
  expect_violation ("docker without --user", "user", "process.user.uid", ufix, NULL);
  json_free (c);

  json_value *p = load_docker ("exec-root");
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_violation ("docker exec -u 0", "user", "user.uid", ufix, NULL);
  json_free (p);

  test_policy.require_non_root = false;
  c = edited ("process.user.uid", "0");
  run_process_rule (floor_check_user, c);
  expect_accepted ("uid 0 when the policy allows root");
  json_free (c);
  test_policy.require_non_root = true;
}

/* ---- process misc --------------------------------------------------------- */

static void
test_process_misc (void)
{
  static const char wfix[] = "run with --workdir inside the image";
  json_value *c;

  c = edited (NULL, NULL);
  run_process_rule (floor_check_process_misc, c);
  expect_accepted ("fixture process");
  expect_tightened ("no rlimits", "process", "process.rlimits", "RLIMIT_NOFILE");
  json_value *rl = NULL;
  ok (spec_get (c, "process.rlimits", JSON_ARRAY, &rl) == SPEC_OK && rl->u.array.len == 1
          && int_at (rl->u.array.items[0], "hard") == 1024
          && int_at (rl->u.array.items[0], "soft") == 1024,
      "no rlimits: RLIMIT_NOFILE 1024 filled in");
  json_free (c);

  c = edited ("process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1048576, "
                                 "\"soft\": 1048576}]");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("RLIMIT_NOFILE above the floor", "process", "process.rlimits[0].hard",
                    "run with --ulimit nofile=1024:1024", "above the floor of 1024");
  json_free (c);

  c = edited ("process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 512, "
                                 "\"soft\": 256}]");
  run_process_rule (floor_check_process_misc, c);
  expect_accepted ("RLIMIT_NOFILE within the floor kept");
  ok (verdict.len == 0, "present RLIMIT_NOFILE within the floor: nothing changed");
  json_free (c);

  c = edited ("process.rlimits", "[{\"type\": \"RLIMIT_CORE\", \"hard\": 0, \"soft\": 0}]");
  run_process_rule (floor_check_process_misc, c);
  ok (spec_get (c, "process.rlimits", JSON_ARRAY, &rl) == SPEC_OK && rl->u.array.len == 2,
      "other rlimits: RLIMIT_NOFILE appended");
  json_free (c);

  c = edited ("process.rlimits", "null");
  run_process_rule (floor_check_process_misc, c);
  ok (spec_get (c, "process.rlimits", JSON_ARRAY, &rl) == SPEC_OK && rl->u.array.len == 1,
      "rlimits null: RLIMIT_NOFILE filled in");
  json_free (c);

  c = edited ("process.oomScoreAdj", "-500");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("oomScoreAdj -500", "process", "process.oomScoreAdj", "remove --oom-score-adj",
                    "is -500");
  json_free (c);

  c = edited ("process.oomScoreAdj", "500");
  run_process_rule (floor_check_process_misc, c);
  expect_accepted ("oomScoreAdj 500");
  json_free (c);

  static const char *const bad_cwd[] = {
    "\"/proc/self/fd/7\"", "\"/proc\"",          "\"//proc/1/cwd\"",  "\"/tmp/../proc/self/cwd\"",
    "\"/../sys/fs\"",      "\"/dev/\"",          "\"/./dev/shm/..\"", "\"/dev/shmx\"",
    "\"/dev/pts\"",        "\"/dev/shm/../fd\"",
  };
  for (size_t i = 0; i < sizeof bad_cwd / sizeof bad_cwd[0]; i++)
    {
      c = edited ("process.cwd", bad_cwd[i]);
      run_process_rule (floor_check_process_misc, c);
      cleanup_free char *name = xasprintf ("cwd %s", bad_cwd[i]);
      expect_violation (name, "process", "process.cwd", wfix, "inside /");
      json_free (c);
    }
  static const char *const good_cwd[] = {
    "\"/\"",          "\"/work\"",         "\"/procfs\"",         "\"/srv/proc\"",
    "\"/device\"",    "\"/proc/../work\"", "\"/dev/shm\"",        "\"/dev/shm/build\"",
    "\"/dev//shm/\"", "\"/dev/mqueue\"",   "\"/dev/pts/../shm\"",
  };
  for (size_t i = 0; i < sizeof good_cwd / sizeof good_cwd[0]; i++)
    {
      c = edited ("process.cwd", good_cwd[i]);
      run_process_rule (floor_check_process_misc, c);
      cleanup_free char *name = xasprintf ("cwd %s", good_cwd[i]);
      expect_accepted (name);
      json_free (c);
    }
  c = edited ("process.cwd", "\"work\"");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("cwd relative", "process", "process.cwd", wfix, "not an absolute path");
  json_free (c);
  c = edited ("process.cwd", "\"\"");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("cwd empty", "process", "process.cwd", wfix, "is empty");
  json_free (c);

  c = edited ("process.scheduler", "{\"policy\": \"SCHED_FIFO\", \"priority\": 99}");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("SCHED_FIFO", "process", "process.scheduler.policy", NULL, "realtime");
  json_free (c);
  c = edited ("process.scheduler", "{\"policy\": \"SCHED_DEADLINE\", \"runtime\": 1000}");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("SCHED_DEADLINE", "process", "process.scheduler.policy", NULL, "realtime");
  json_free (c);
  c = edited ("process.scheduler", "{\"policy\": \"sched_rr\"}");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("sched_rr", "process", "process.scheduler.policy", NULL, "not a known");
  json_free (c);
  c = edited ("process.scheduler", "{\"policy\": \"SCHED_OTHER\", \"nice\": -20}");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("nice -20", "process", "process.scheduler.nice", NULL, "is -20");
  json_free (c);
  c = edited ("process.scheduler", "{\"policy\": \"SCHED_BATCH\", \"nice\": 10}");
  run_process_rule (floor_check_process_misc, c);
  expect_accepted ("SCHED_BATCH nice 10");
  json_free (c);

  c = edited ("process.ioPriority", "{\"class\": \"IOPRIO_CLASS_RT\", \"priority\": 0}");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("IOPRIO_CLASS_RT", "process", "process.ioPriority.class", NULL, "realtime");
  json_free (c);
  c = edited ("process.ioPriority", "{\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 4}");
  run_process_rule (floor_check_process_misc, c);
  expect_accepted ("IOPRIO_CLASS_BE");
  json_free (c);

  c = edited ("process.apparmorProfile", "\"unconfined\"");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("apparmor unconfined", "process", "process.apparmorProfile",
                    "remove --security-opt apparmor=unconfined", NULL);
  json_free (c);

  c = edited ("process.args", "[]");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("args empty", "process", "process.args", NULL, "is empty");
  json_free (c);
  c = edited ("process.args", "[\"sh\", 1]");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("args with a number", "process", "process.args[1]", NULL, "not a string");
  json_free (c);
  c = edited ("process.args", "null");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("args null", "process", "process.args", NULL, "is null");
  json_free (c);

  /* exec's process.json: fields without the "process." prefix.  */
  json_value *p = parse_json ("{\"args\":[\"id\"],\"cwd\":\"/proc/self/fd/9\","
                              "\"capabilities\":{},\"noNewPrivileges\":true,"
                              "\"user\":{\"uid\":1,\"gid\":1}}");
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_violation ("exec cwd in /proc", "process", "cwd", wfix, NULL);
  ok (verdict_violations (&verdict) == 1, "exec cwd in /proc: the only violation");
  json_free (p);
}

/* ---- rlimits -------------------------------------------------------------- */

/* The process rule on the fixture with process.rlimits set to literal.  */
static json_value *
run_rlimits (const char *literal)
{
  json_value *c = edited ("process.rlimits", literal);
  run_process_rule (floor_check_process_misc, c);
  return c;
}

static void
test_rlimits (void)
{
  json_value *c;
  static const struct
  {
    const char *type, *fix;
    uint64_t ceiling;
  } capped[] = {
    { "RLIMIT_RTPRIO", "run with --ulimit rtprio=0:0", 0 },
    { "RLIMIT_NICE", "run with --ulimit nice=20:20", 20 },
    { "RLIMIT_MSGQUEUE", "run with --ulimit msgqueue=819200:819200", 819200 },
    { "RLIMIT_SIGPENDING", "run with --ulimit sigpending=65536:65536", 65536 },
    { "RLIMIT_MEMLOCK", "run with --ulimit memlock=67108864:67108864", 67108864 },
    { "RLIMIT_NOFILE", "run with --ulimit nofile=1024:1024", 1024 },
  };
  for (size_t i = 0; i < sizeof capped / sizeof capped[0]; i++)
    {
      cleanup_free char *at
          = xasprintf ("[{\"type\": \"%s\", \"hard\": %" PRIu64 ", \"soft\": %" PRIu64 "}]",
                       capped[i].type, capped[i].ceiling, capped[i].ceiling);
      c = run_rlimits (at);
      cleanup_free char *name = xasprintf ("%s at its ceiling", capped[i].type);
      expect_accepted (name);
      json_free (c);

      cleanup_free char *hard
          = xasprintf ("[{\"type\": \"%s\", \"hard\": %" PRIu64 ", \"soft\": %" PRIu64 "}]",
                       capped[i].type, capped[i].ceiling + 1, capped[i].ceiling);
      c = run_rlimits (hard);
      free (name);
      name = xasprintf ("%s hard above its ceiling", capped[i].type);
      expect_violation (name, "process", "process.rlimits[0].hard", capped[i].fix, capped[i].type);
      ok (exact_finding (FINDING_VIOLATION, "process", "process.rlimits[0].soft") == NULL,
          "%s: soft at the ceiling is not reported", name);
      json_free (c);

      cleanup_free char *soft = xasprintf ("[{\"type\": \"%s\", \"hard\": 0, \"soft\": "
                                           "18446744073709551615}]",
                                           capped[i].type);
      c = run_rlimits (soft);
      free (name);
      name = xasprintf ("%s soft unlimited", capped[i].type);
      expect_violation (name, "process", "process.rlimits[0].soft", capped[i].fix, "unlimited");
      json_free (c);
    }

  /* What a Docker user sets for the limits that only restrict the process.  */
  static const char *const free_types[] = {
    "RLIMIT_AS",    "RLIMIT_CORE",  "RLIMIT_CPU", "RLIMIT_DATA",   "RLIMIT_FSIZE",
    "RLIMIT_LOCKS", "RLIMIT_NPROC", "RLIMIT_RSS", "RLIMIT_RTTIME", "RLIMIT_STACK",
  };
  for (size_t i = 0; i < sizeof free_types / sizeof free_types[0]; i++)
    {
      cleanup_free char *lit = xasprintf ("[{\"type\": \"%s\", \"hard\": 18446744073709551615, "
                                          "\"soft\": 0}]",
                                          free_types[i]);
      c = run_rlimits (lit);
      cleanup_free char *name = xasprintf ("%s unlimited", free_types[i]);
      expect_accepted (name);
      expect_tightened (name, "process", "process.rlimits", "RLIMIT_NOFILE");
      json_free (c);
    }

  /* Every entry is applied in order: a second RLIMIT_RTPRIO counts too.  */
  c = run_rlimits ("[{\"type\": \"RLIMIT_RTPRIO\", \"hard\": 0, \"soft\": 0},"
                   " {\"type\": \"RLIMIT_RTPRIO\", \"hard\": 99, \"soft\": 99}]");
  expect_violation ("second RLIMIT_RTPRIO", "process", "process.rlimits[1].hard",
                    "run with --ulimit rtprio=0:0", "is 99");
  json_free (c);

  /* Keys as Go reads them: case-folded.  */
  c = run_rlimits ("[{\"Type\": \"RLIMIT_NICE\", \"HARD\": 40, \"Soft\": 40}]");
  expect_violation ("folded keys", "process", "process.rlimits[0].hard",
                    "run with --ulimit nice=20:20", "RLIMIT_NICE");
  json_free (c);

  /* Types runc does not know: it refuses them, and so does the floor.  */
  static const char *const unknown[] = { "\"RLIMIT_FOO\"", "\"rlimit_rtprio\"", "\"\"", "null" };
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
    {
      cleanup_free char *lit = xasprintf ("[{\"type\": %s, \"hard\": 0, \"soft\": 0}]", unknown[i]);
      c = run_rlimits (lit);
      cleanup_free char *name = xasprintf ("rlimit type %s", unknown[i]);
      expect_violation (name, "process", "process.rlimits[0].type", NULL,
                        "not an rlimit runc knows");
      json_free (c);
    }
  c = run_rlimits ("[{\"hard\": 0, \"soft\": 0}]");
  expect_violation ("rlimit type absent", "process", "process.rlimits[0].type", NULL, "absent");
  json_free (c);
  c = run_rlimits ("[{\"type\": 7, \"hard\": 0, \"soft\": 0}]");
  expect_violation ("rlimit type a number", "process", "process.rlimits[0].type", NULL,
                    "not a string");
  json_free (c);
  c = run_rlimits ("[{\"type\": \"RLIMIT_RTPRIO\", \"hard\": -1, \"soft\": 0}]");
  expect_violation ("rlimit hard -1", "process", "process.rlimits[0].hard", NULL, "not an integer");
  json_free (c);
  c = run_rlimits ("[{\"type\": \"RLIMIT_RTPRIO\", \"hard\": 1.5, \"soft\": 0}]");
  expect_violation ("rlimit hard 1.5", "process", "process.rlimits[0].hard", NULL,
                    "not an integer");
  json_free (c);
  c = run_rlimits ("[{\"type\": \"RLIMIT_RTPRIO\", \"hard\": null}]");
  expect_accepted ("RLIMIT_RTPRIO null and absent (0 to Go)");
  json_free (c);
  c = run_rlimits ("[7]");
  expect_violation ("rlimit entry a number", "process", "process.rlimits[0]", NULL,
                    "not an object");
  json_free (c);

  /* The policy's ceilings.  */
  int nice = policy_rlimit_index ("RLIMIT_NICE");
  int core = policy_rlimit_index ("RLIMIT_CORE");
  uint64_t saved_nice = test_policy.rlimit_max[nice], saved_core = test_policy.rlimit_max[core];
  test_policy.rlimit_max[nice] = 30;
  test_policy.rlimit_max[core] = 0;
  c = run_rlimits ("[{\"type\": \"RLIMIT_NICE\", \"hard\": 30, \"soft\": 30}]");
  expect_accepted ("RLIMIT_NICE 30 under a policy ceiling of 30");
  json_free (c);
  c = run_rlimits ("[{\"type\": \"RLIMIT_CORE\", \"hard\": 1, \"soft\": 0}]");
  expect_violation ("RLIMIT_CORE 1 under a policy ceiling of 0", "process",
                    "process.rlimits[0].hard", "run with --ulimit core=0:0", "RLIMIT_CORE");
  json_free (c);
  test_policy.rlimit_max[nice] = saved_nice;
  test_policy.rlimit_max[core] = saved_core;

  /* exec's process.json: the same rule, without the prefix.  */
  json_value *p = parse_json ("{\"args\":[\"id\"],\"cwd\":\"/\",\"capabilities\":{},"
                              "\"noNewPrivileges\":true,\"user\":{\"uid\":1,\"gid\":1},"
                              "\"rlimits\":[{\"type\":\"RLIMIT_RTPRIO\",\"hard\":1,\"soft\":1}]}");
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_violation ("exec RLIMIT_RTPRIO 1", "process", "rlimits[0].hard",
                    "run with --ulimit rtprio=0:0", NULL);
  json_free (p);
}

/* ---- AppArmor and SELinux --------------------------------------------------- */

static void
test_lsm (void)
{
  json_value *c;
  static const char *const none[] = { NULL, "\"\"", "null" };

  /* This host's facts: nothing to supply, nothing refused.  */
  c = edited (NULL, NULL);
  json_object_remove (json_object_get (c, "process"), "apparmorProfile");
  run_process_rule (floor_check_process_misc, c);
  expect_accepted ("no AppArmor profile on a host without AppArmor");
  json_free (c);

  test_host.apparmor_enabled = true;
  test_host.apparmor_docker_default = true;
  for (size_t i = 0; i < 3; i++)
    {
      c = none[i] ? edited ("process.apparmorProfile", none[i]) : edited (NULL, NULL);
      if (none[i] == NULL)
        json_object_remove (json_object_get (c, "process"), "apparmorProfile");
      run_process_rule (floor_check_process_misc, c);
      cleanup_free char *name = xasprintf ("apparmorProfile %s with docker-default loaded",
                                           none[i] ? none[i] : "absent");
      expect_accepted (name);
      expect_tightened (name, "process", "process.apparmorProfile", "docker-default");
      const char *prof = NULL;
      ok (spec_get_string (c, "process.apparmorProfile", &prof) == SPEC_OK
              && strcmp (prof, "docker-default") == 0,
          "%s: set to docker-default", name);
      json_free (c);
    }
  c = edited ("process.apparmorProfile", "\"my-profile\"");
  run_process_rule (floor_check_process_misc, c);
  expect_accepted ("an administrator's own profile");
  ok (exact_finding (FINDING_TIGHTENED, "process", "process.apparmorProfile") == NULL,
      "an administrator's own profile: kept");
  json_free (c);
  c = edited ("process.apparmorProfile", "\"unconfined\"");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("apparmor unconfined on an AppArmor host", "process", "process.apparmorProfile",
                    "remove --security-opt apparmor=unconfined", NULL);
  json_free (c);

  test_host.apparmor_docker_default = false;
  for (size_t i = 0; i < 3; i++)
    {
      c = none[i] ? edited ("process.apparmorProfile", none[i]) : edited (NULL, NULL);
      if (none[i] == NULL)
        json_object_remove (json_object_get (c, "process"), "apparmorProfile");
      run_process_rule (floor_check_process_misc, c);
      cleanup_free char *name
          = xasprintf ("apparmorProfile %s without docker-default", none[i] ? none[i] : "absent");
      expect_violation (name, "process", "process.apparmorProfile",
                        "run with --security-opt apparmor=docker-default", "no AppArmor");
      json_free (c);
    }
  json_value *p = parse_json ("{\"args\":[\"id\"],\"cwd\":\"/\",\"capabilities\":{},"
                              "\"noNewPrivileges\":true,\"user\":{\"uid\":1,\"gid\":1}}");
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_violation ("exec without a profile", "process", "apparmorProfile",
                    "run with --security-opt apparmor=docker-default", NULL);
  json_free (p);
  test_host.apparmor_enabled = false;

  test_host.selinux_enforcing = true;
  for (size_t i = 0; i < 3; i++)
    {
      c = none[i] ? edited ("process.selinuxLabel", none[i]) : edited (NULL, NULL);
      run_process_rule (floor_check_process_misc, c);
      cleanup_free char *name
          = xasprintf ("selinuxLabel %s on an enforcing host", none[i] ? none[i] : "absent");
      expect_violation (name, "process", "process.selinuxLabel",
                        "enable SELinux in the engine (dockerd --selinux-enabled)", "SELinux");
      json_free (c);
    }
  c = edited ("process.selinuxLabel", "\"system_u:system_r:container_t:s0:c1,c2\"");
  run_process_rule (floor_check_process_misc, c);
  expect_accepted ("selinuxLabel container_t on an enforcing host");
  json_free (c);
  test_host.selinux_enforcing = false;
  c = edited ("process.selinuxLabel", "7");
  run_process_rule (floor_check_process_misc, c);
  expect_violation ("selinuxLabel a number", "process", "process.selinuxLabel", NULL,
                    "not a string");
  json_free (c);
}

/* ---- supplementary groups as runc resolves them ---------------------------- */

static char group_dir[] = "/tmp/policyrun-groups-XXXXXX";
static int group_case;

/* Write content at dir/rel, creating the directories on the way.  */
static void
put_file (const char *dir, const char *rel, const char *content)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, rel);
  for (char *s = strchr (path + strlen (dir) + 1, '/'); s; s = strchr (s + 1, '/'))
    {
      *s = '\0';
      mkdir (path, 0755);
      *s = '/';
    }
  FILE *f = fopen (path, "we");
  if (f == NULL || fputs (content, f) < 0 || fclose (f) != 0)
    {
      printf ("Bail out! cannot write %s\n", path);
      exit (1);
    }
}

static void
put_link (const char *dir, const char *rel, const char *target)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, rel);
  cleanup_free char *parent = xstrdup (path);
  *strrchr (parent, '/') = '\0';
  mkdir (parent, 0755);
  if (symlink (target, path) < 0)
    {
      printf ("Bail out! cannot link %s\n", path);
      exit (1);
    }
}

/* A fresh directory for one case: DIR/rootfs is the image.  */
static char *
group_case_dir (void)
{
  char *d = xasprintf ("%s/%d", group_dir, ++group_case);
  mkdir (d, 0755);
  cleanup_free char *root = xasprintf ("%s/rootfs", d);
  mkdir (root, 0755);
  return d;
}

/* The fixture with root.path DIR/rootfs, and extra mounts (a JSON array's
   items with @ standing for DIR) appended to the fixture's.  */
static json_value *
group_config (const char *dir, const char *extra_mounts)
{
  json_value *c = load_ok_config ();
  cleanup_free char *root = xasprintf ("%s/rootfs", dir);
  spec_set (c, "root.path", json_new_string (root), NULL);
  if (extra_mounts != NULL)
    {
      struct strbuf b = { 0 };
      for (const char *s = extra_mounts; *s; s++)
        if (*s == '@')
          strbuf_add (&b, dir);
        else
          strbuf_addf (&b, "%c", *s);
      cleanup_free char *lit = xasprintf ("[%s]", b.s);
      strbuf_free (&b);
      json_value *more = parse_json (lit);
      json_value *mounts = NULL;
      spec_get (c, "mounts", JSON_ARRAY, &mounts);
      for (size_t i = 0; i < more->u.array.len; i++)
        {
          json_array_append (mounts, more->u.array.items[i]);
          more->u.array.items[i] = NULL;
        }
      more->u.array.len = 0;
      json_free (more);
    }
  return c;
}

/* The user rule on c; whether additionalGids was refused (any finding at
   or below process.user.additionalGids).  */
static bool
gids_refused (json_value *c)
{
  run_process_rule (floor_check_user, c);
  return find_finding (&verdict, FINDING_VIOLATION, "user", "process.user.additionalGids") != NULL;
}

static void
test_groups (void)
{
  if (mkdtemp (group_dir) == NULL)
    {
      ok (0, "mkdtemp");
      return;
    }
  /* /etc/group in the image: runc matches the NAME first, and parses a
     gid field it cannot read as 0.  */
  static const struct
  {
    const char *group;
    bool refused;
    const char *why;
  } images[] = {
    { "root:x:0:\nnogroup:x:65534:\n", false, "a plain /etc/group" },
    { "65534:x:0:\nnogroup:x:65534:\n", true, "a group named 65534 with gid 0" },
    { "65534:x:nogroup:\n", true, "a group named 65534 with a gid field that is not a number" },
    { "65534:x\n", true, "a group named 65534 without a gid field" },
    { "65534\n", true, "a line that is only the name 65534" },
    { "  65534:x:0:  \n", true, "spaces around the line (Go trims them)" },
    { "\t65534:x:0:\r\n", true, "a tab and CRLF" },
    { "\xe3\x80\x80"
      "65534:x:0:\n",
      true, "an ideographic space before the name (Go's unicode.IsSpace)" },
    { "#65534:x:0:\nnogroup:x:65534:\n", false, "a comment" },
    { "65534:x:+0:\n", true, "gid +0" },
    { "65534:x:-0:\n", true, "gid -0" },
    { "65534:x:0000:\n", true, "gid 0000" },
    { "65534:x:4294967296:\n", true, "gid 2^32 (truncated to 0 by runc)" },
    { "65534:x:99999999999999999999:\n", true, "a gid beyond int64" },
    { "65534:x:-4294967296:\n", true, "gid -2^32" },
    { "nogroup:x:65534:\n65534:x:0:\n", false, "the gid matched first by number" },
    { "nogroup:x:065534:\n", false, "gid 065534 matched by number" },
    { "65534:x:1234:\n", false, "a group named 65534 with gid 1234" },
    { "", false, "an empty /etc/group" },
  };
  for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
    {
      cleanup_free char *d = group_case_dir ();
      put_file (d, "rootfs/etc/group", images[i].group);
      json_value *c = group_config (d, NULL);
      bool refused = gids_refused (c);
      ok (refused == images[i].refused, "image with %s: %s", images[i].why,
          images[i].refused ? "refused" : "accepted");
      if (refused != images[i].refused)
        print_verdict (&verdict);
      json_free (c);
    }

  cleanup_free char *d = group_case_dir ();
  put_file (d, "rootfs/etc/group", "65534:x:0:\n");
  json_value *c = group_config (d, NULL);
  gids_refused (c);
  expect_violation ("the detail names the file and the line", "user",
                    "process.user.additionalGids[0]", NULL, "line 1) makes group 0");
  json_free (c);

  /* Several entries: each gid runc will set is checked once.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "rootfs/etc/group", "nogroup:x:65534:\nstaff2:x:0:\n");
  c = group_config (d, NULL);
  set_json (c, "process.user.additionalGids", "[65534, 1000]");
  ok (!gids_refused (c), "additionalGids [65534, 1000] with an unrelated group of gid 0: accepted");
  json_free (c);

  /* No /etc/group at all: runc takes the numbers as they are.  */
  free (d);
  d = group_case_dir ();
  c = group_config (d, NULL);
  ok (!gids_refused (c), "no /etc/group in the image: accepted");
  json_free (c);

  /* The image's symlinks.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "rootfs/x/group", "65534:x:0:\n");
  put_link (d, "rootfs/etc", "/x");
  c = group_config (d, NULL);
  ok (gids_refused (c), "/etc -> /x in the image: /x/group read and refused");
  json_free (c);

  free (d);
  d = group_case_dir ();
  put_file (d, "rootfs/data/g", "65534:x:0:\n");
  put_link (d, "rootfs/etc/group", "../data/./g");
  c = group_config (d, NULL);
  ok (gids_refused (c), "/etc/group -> ../data/./g in the image: refused");
  json_free (c);

  /* A bind over /etc/group, and over /etc: the host source is read.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "host/group", "65534:x:0:\n");
  put_file (d, "rootfs/etc/group", "nogroup:x:65534:\n");
  c = group_config (d, "{\"destination\": \"/etc/group\", \"type\": \"bind\", \"source\": "
                       "\"@/host/group\", \"options\": [\"rbind\", \"ro\"]}");
  ok (gids_refused (c), "a bind over /etc/group: its source read and refused");
  json_free (c);
  c = group_config (d, "{\"destination\": \"/etc\", \"type\": \"none\", \"source\": "
                       "\"@/host\", \"options\": [\"bind\"]}");
  ok (gids_refused (c), "a bind over /etc: its source's group read and refused");
  json_free (c);
  c = group_config (d, "{\"destination\": \"/etc/group\", \"type\": \"bind\", \"source\": "
                       "\"@/host/group\", \"options\": [\"rbind\"]},"
                       "{\"destination\": \"/etc\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}");
  ok (!gids_refused (c), "a tmpfs over /etc after the bind: no /etc/group, accepted");
  json_free (c);

  /* A bind that replaces a bad image file with a good one.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "host/group", "nogroup:x:65534:\n");
  put_file (d, "rootfs/etc/group", "65534:x:0:\n");
  c = group_config (d, "{\"destination\": \"/etc/group\", \"type\": \"bind\", \"source\": "
                       "\"@/host/group\", \"options\": [\"rbind\", \"ro\"]}");
  ok (!gids_refused (c), "a good bind over a bad image /etc/group: accepted");
  json_free (c);

  /* Mount destinations followed as runc follows them.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "host/group", "65534:x:0:\n");
  put_file (d, "rootfs/etc/group", "nogroup:x:65534:\n");
  put_link (d, "rootfs/cfg", "/etc");
  c = group_config (d, "{\"destination\": \"/cfg\", \"type\": \"bind\", \"source\": \"@/host\", "
                       "\"options\": [\"rbind\", \"ro\"]}");
  ok (gids_refused (c), "a bind at /cfg, a symlink to /etc in the image: refused");
  json_free (c);

  free (d);
  d = group_case_dir ();
  put_file (d, "evil/group", "65534:x:0:\n");
  put_file (d, "rootfs/etc/group", "nogroup:x:65534:\n");
  put_link (d, "a/b", "/etc");
  c = group_config (d, "{\"destination\": \"/a\", \"type\": \"bind\", \"source\": \"@/a\", "
                       "\"options\": [\"rbind\", \"ro\"]},"
                       "{\"destination\": \"/a/b\", \"type\": \"bind\", \"source\": \"@/evil\", "
                       "\"options\": [\"rbind\", \"ro\"]}");
  ok (gids_refused (c), "a bind at /a/b where an earlier bind's b links to /etc: refused");
  json_free (c);

  free (d);
  d = group_case_dir ();
  put_file (d, "host/group", "65534:x:0:\n");
  put_link (d, "rootfs/etc", "/dev/fd/3/etc");
  c = group_config (d, NULL);
  ok (gids_refused (c), "/etc -> /dev/fd/3/etc (runc's own links): refused as unreadable");
  expect_violation ("/etc into /dev", "user", "process.user.additionalGids", NULL, "/dev");
  json_free (c);

  /* Mounts policyrun cannot read.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "rootfs/etc/group", "nogroup:x:65534:\n");
  c = group_config (d, "{\"destination\": \"/etc\", \"type\": \"sysfs\", \"source\": \"sysfs\"}");
  ok (gids_refused (c), "sysfs over /etc: refused as unreadable");
  json_free (c);
  put_link (d, "rootfs/x", "/proc/self/root/etc");
  c = group_config (d, "{\"destination\": \"/x/y\", \"type\": \"bind\", \"source\": \"@/rootfs\", "
                       "\"options\": [\"rbind\"]}");
  ok (gids_refused (c), "a bind whose destination leads through /proc: refused");
  json_free (c);
  c = group_config (d, "{\"destination\": \"/etc/group\", \"type\": \"bind\", \"source\": "
                       "\"@/rootfs/etc\", \"options\": [\"rbind\"]}");
  ok (gids_refused (c), "a directory bound over /etc/group: refused");
  json_free (c);

  /* Docker's own mounts with a plain image, and the bound.  */
  c = group_config (d, NULL);
  ok (!gids_refused (c), "Docker's mounts and a plain /etc/group: accepted");
  json_value *mounts = NULL;
  spec_get (c, "mounts", JSON_ARRAY, &mounts);
  while (mounts->u.array.len <= 1024)
    json_array_append (mounts, parse_json ("{\"destination\": \"/tmp\", \"type\": \"tmpfs\", "
                                           "\"source\": \"tmpfs\"}"));
  ok (gids_refused (c), "more than 1024 mounts with additionalGids: refused");
  expect_violation ("too many mounts", "user", "process.user.additionalGids", NULL, "1024");
  json_free (c);

  /* exec: the container's config; a tmpfs over /etc may hold what the
     running container wrote.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "rootfs/etc/group", "65534:x:0:\n");
  c = group_config (d, "{\"destination\": \"/etc\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}");
  ok (!gids_refused (c), "create with a tmpfs over /etc: no /etc/group, accepted");
  json_value *p = parse_json ("{\"args\":[\"id\"],\"cwd\":\"/\",\"capabilities\":{},"
                              "\"noNewPrivileges\":true,"
                              "\"user\":{\"uid\":65534,\"gid\":65534,\"additionalGids\":[65534]}}");
  test_host.container_config = c;
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_violation ("exec with a tmpfs over /etc", "user", "user.additionalGids", NULL, "tmpfs");
  json_free (c);
  c = group_config (d, NULL);
  test_host.container_config = c;
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_violation ("exec into an image with a group 65534 of gid 0", "user",
                    "user.additionalGids[0]", NULL, "makes group 0");
  test_host.container_config = NULL;
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_violation ("a lone process file with additionalGids", "user", "user.additionalGids", NULL,
                    "unknown");
  json_free (p);
  p = parse_json ("{\"args\":[\"id\"],\"cwd\":\"/\",\"capabilities\":{},\"noNewPrivileges\":true,"
                  "\"user\":{\"uid\":65534,\"gid\":65534}}");
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_accepted ("a lone process file without additionalGids");
  json_free (p);
  json_free (c);

  cleanup_free char *cmd = xasprintf ("rm -rf '%s'", group_dir);
  if (system (cmd) != 0)
    diag ("cannot remove %s", group_dir);
}

/* ---- privileged groups of the host ----------------------------------------- */

static void
test_host_groups (void)
{
  json_value *c;
  struct group *disk = getgrnam ("disk");
  ok (disk != NULL, "this host has a group disk (for the next tests)");
  if (disk != NULL)
    {
      gid_t gid = disk->gr_gid;
      cleanup_free char *lit = xasprintf ("[65534, %u]", (unsigned)gid);
      c = edited ("process.user.additionalGids", lit);
      run_process_rule (floor_check_user, c);
      cleanup_free char *fix = xasprintf ("remove --group-add %u", (unsigned)gid);
      expect_violation ("--group-add disk", "user", "process.user.additionalGids[1]", fix,
                        "privileged group \"disk\"");
      json_free (c);
      cleanup_free char *g = xasprintf ("%u", (unsigned)gid);
      c = edited ("process.user.gid", g);
      run_process_rule (floor_check_user, c);
      expect_violation ("gid disk", "user", "process.user.gid", "run with --user 65534:65534",
                        "privileged group \"disk\"");
      json_free (c);
    }

  /* A user whose primary group is made privileged by the policy.  */
  struct passwd *pw;
  uid_t uid = 0;
  gid_t pgid = 0;
  setpwent ();
  while ((pw = getpwent ()) != NULL
         && (pw->pw_uid == 0 || pw->pw_gid == 0 || pw->pw_gid == 65534
             || getgrgid (pw->pw_gid) == NULL))
    ;
  if (pw != NULL)
    {
      uid = pw->pw_uid;
      pgid = pw->pw_gid;
    }
  endpwent ();
  ok (uid != 0, "this host has a user with a primary group of its own (for the next tests)");
  if (uid != 0)
    {
      struct string_list saved = test_policy.privileged_groups;
      char *names[]
          = { xstrdup ("no-such-group-on-any-host"), xstrdup (getgrgid (pgid)->gr_name), NULL };
      test_policy.privileged_groups = (struct string_list){ names, 2 };
      cleanup_free char *u = xasprintf ("%u", (unsigned)uid);
      c = edited ("process.user.uid", u);
      run_process_rule (floor_check_user, c);
      expect_violation ("uid of a member by primary group", "user", "process.user.uid",
                        "run with --user 65534:65534", "a member of the host's privileged group");
      json_free (c);
      c = edited (NULL, NULL);
      run_process_rule (floor_check_user, c);
      expect_accepted ("65534:65534 with a missing group in the policy");
      json_free (c);
      free (names[0]);
      free (names[1]);
      test_policy.privileged_groups = saved;
    }
}

/* ---- the real Docker configurations --------------------------------------- */

static const char *const my_rules[] = {
  "memory", "cpu",     "pids",    "unified", "capabilities", "no-new-privileges",
  "user",   "process", "seccomp",
};

static size_t
my_violations (void)
{
  size_t n = 0;
  for (size_t i = 0; i < verdict.len; i++)
    for (size_t k = 0; k < sizeof my_rules / sizeof my_rules[0]; k++)
      if (verdict.items[i].kind == FINDING_VIOLATION
          && strcmp (verdict.items[i].rule, my_rules[k]) == 0)
        n++;
  return n;
}

static void
test_docker (void)
{
  json_value *c = load_docker ("doc-flags-user");
  verdict_free (&verdict);
  size_t n = floor_check_config (c, &test_policy, &test_host, &verdict);
  ok (my_violations () == 0, "docker with the document's flags and --user: no resource, process "
                             "or seccomp violation");
  if (n)
    print_verdict (&verdict);
  expect_tightened ("docker doc flags", "pids", "linux.resources.pids.limit", "256");
  json_free (c);

  c = load_docker ("no-limits");
  verdict_free (&verdict);
  floor_check_config (c, &test_policy, &test_host, &verdict);
  ok (find_finding (&verdict, FINDING_VIOLATION, "memory", NULL) == NULL
          && find_finding (&verdict, FINDING_VIOLATION, "cpu", NULL) == NULL
          && find_finding (&verdict, FINDING_VIOLATION, "pids", NULL) == NULL,
      "docker without --memory/--cpus/--pids-limit: no limit refused");
  ok (int_at (c, "linux.resources.memory.limit") == 104857600
          && int_at (c, "linux.resources.memory.swap") == 104857600
          && int_at (c, "linux.resources.cpu.quota") == 50000
          && int_at (c, "linux.resources.cpu.period") == 100000
          && int_at (c, "linux.resources.pids.limit") == 256,
      "docker without limits: the floor's limits filled in");
  json_free (c);

  static const struct
  {
    const char *fixture, *rule, *field, *fix;
  } refused[] = {
    { "memory-200m", "memory", "linux.resources.memory.limit", "run with --memory 100m" },
    { "swap-above", "memory", "linux.resources.memory.swap",
      "run with --memory-swap equal to --memory" },
    { "cpus-2", "cpu", "linux.resources.cpu.quota", "run with --cpus 0.5" },
    { "no-cap-drop", "capabilities", "process.capabilities.bounding",
      "run with --cap-drop ALL and no --cap-add" },
    { "no-nnp", "no-new-privileges", "process.noNewPrivileges",
      "run with --security-opt no-new-privileges" },
    { "no-user", "user", "process.user.uid", "run with --user 65534:65534" },
    { "seccomp-unconfined", "seccomp", "linux.seccomp",
      "remove --security-opt seccomp=unconfined (and --privileged)" },
    { "privileged", "seccomp", "linux.seccomp",
      "remove --security-opt seccomp=unconfined (and --privileged)" },
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
    {
      c = load_docker (refused[i].fixture);
      verdict_free (&verdict);
      floor_check_config (c, &test_policy, &test_host, &verdict);
      cleanup_free char *name = xasprintf ("docker %s", refused[i].fixture);
      expect_violation (name, refused[i].rule, refused[i].field, refused[i].fix, NULL);
      json_free (c);
    }
}

/* process.cwd followed through the image's symlinks (CVE-2024-21626).  */
static void
test_cwd_in_root (void)
{
  char dir[] = "/tmp/policyrun-cwd-XXXXXX";
  if (mkdtemp (dir) == NULL)
    {
      ok (0, "mkdtemp");
      return;
    }
  char *p = xasprintf ("%s/proc", dir);
  mkdir (p, 0755);
  free (p);
  p = xasprintf ("%s/a", dir);
  mkdir (p, 0755);
  free (p);
  p = xasprintf ("%s/work", dir);
  ok (symlink ("/proc/self/fd/7", p) == 0, "symlink work -> /proc/self/fd/7");
  free (p);
  p = xasprintf ("%s/a/rel", dir);
  ok (symlink ("../work", p) == 0, "symlink a/rel -> ../work");
  free (p);
  p = xasprintf ("%s/loop", dir);
  ok (symlink ("loop", p) == 0, "symlink loop -> loop");
  free (p);

  static const struct
  {
    const char *cwd;
    bool refused;
  } cases[] = {
    { "/work", true }, { "/a/rel", true },      { "/a/rel/", true },
    { "/loop", true }, { "/a/../a", false },    { "/a", false },
    { "/", false },    { "/missing/x", false }, { "/a/../work/x", true },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      json_value *config = load_ok_config ();
      spec_set (config, "root.path", json_new_string (dir), NULL);
      spec_set (config, "process.cwd", json_new_string (cases[i].cwd), NULL);
      struct floor_ctx ctx
          = { .config = config, .policy = &test_policy, .host = &test_host, .field_prefix = "" };
      struct verdict v = { 0 };
      ctx.verdict = &v;
      floor_check_cwd_in_root (&ctx);
      const struct finding *f = find_finding (&v, FINDING_VIOLATION, "process", "process.cwd");
      ok ((f != NULL) == cases[i].refused, "cwd %s through the image's symlinks: %s", cases[i].cwd,
          cases[i].refused ? "refused" : "accepted");
      if (f != NULL)
        is_str (f->fix, "run with --workdir inside the image", "  ... with the fix");
      verdict_free (&v);
      json_free (config);
    }
  char *cmd = xasprintf ("rm -rf '%s'", dir);
  if (system (cmd) != 0)
    diag ("cannot remove %s", dir);
  free (cmd);
}

int
main (void)
{
  floor_test_init ();
  test_memory ();
  test_cpu ();
  test_pids_unified ();
  test_update ();
  test_capabilities ();
  test_nnp_user ();
  test_process_misc ();
  test_rlimits ();
  test_lsm ();
  test_groups ();
  test_host_groups ();
  test_docker ();
  test_cwd_in_root ();
  verdict_free (&verdict);
  policy_free (&test_policy);
  return done_testing ();
}
