/* The resource rules: memory, cpu, pids, unified (resources.c) and
   update's LinuxResources (update.c).  */
#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <grp.h>
#include <inttypes.h>
#include <pwd.h>

#include "floor-helpers.h"

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

  /* Podman writes its default 2048 into every container without
     --pids-limit; from a Podman caller it is lowered, not refused.  */
  c = edited ("annotations", "{\"io.container.manager\": \"libpod\"}");
  set_json (c, "linux.resources.pids.limit", "2048");
  run_config_rule (floor_check_pids, c);
  expect_accepted ("pids: Podman's default 2048");
  expect_tightened ("pids: Podman's default 2048", "pids", "linux.resources.pids.limit",
                    "Podman's default");
  ok (int_at (c, "linux.resources.pids.limit") == 256, "pids: Podman's 2048 lowered to 256");
  json_free (c);

  c = edited ("annotations", "{\"io.container.manager\": \"libpod\"}");
  set_json (c, "linux.resources.pids.limit", "4096");
  run_config_rule (floor_check_pids, c);
  expect_violation ("pids: Podman with --pids-limit 4096", "pids", "linux.resources.pids.limit",
                    fix, "is 4096");
  json_free (c);

  c = edited ("linux.resources.pids.limit", "2048");
  run_config_rule (floor_check_pids, c);
  expect_violation ("pids: 2048 from another caller", "pids", "linux.resources.pids.limit", fix,
                    "is 2048");
  json_free (c);

  c = edited ("annotations", "{\"io.container.manager\": \"cri-o\"}");
  set_json (c, "linux.resources.pids.limit", "2048");
  run_config_rule (floor_check_pids, c);
  expect_violation ("pids: 2048 from CRI-O", "pids", "linux.resources.pids.limit", fix, "is 2048");
  json_free (c);

  /* Podman's RLIMIT_NOFILE default 1048576:1048576 (rlimits.c).  */
  c = edited ("annotations", "{\"io.container.manager\": \"libpod\"}");
  set_json (c, "process.rlimits",
            "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1048576, \"soft\": 1048576},"
            " {\"type\": \"RLIMIT_NPROC\", \"hard\": 32768, \"soft\": 32768}]");
  run_process_rule (floor_check_rlimits, c);
  expect_accepted ("rlimits: Podman's default nofile");
  expect_tightened ("rlimits: Podman's default nofile", "process", "process.rlimits[0]",
                    "Podman's default");
  {
    json_value *rl = NULL;
    ok (spec_get (c, "process.rlimits", JSON_ARRAY, &rl) == SPEC_OK && rl->u.array.len == 2
            && int_at (rl->u.array.items[0], "hard") == 1024
            && int_at (rl->u.array.items[0], "soft") == 1024
            && int_at (rl->u.array.items[1], "hard") == 32768,
        "rlimits: Podman's nofile lowered to 1024, nproc kept");
  }
  json_free (c);

  c = edited ("annotations", "{\"io.container.manager\": \"libpod\"}");
  set_json (c, "process.rlimits",
            "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1048576, \"soft\": 4096}]");
  run_process_rule (floor_check_rlimits, c);
  expect_violation ("rlimits: Podman with --ulimit nofile=4096:1048576", "process",
                    "process.rlimits[0].hard", "run with --ulimit nofile=1024:1024", "1048576");
  json_free (c);

  c = edited ("process.rlimits",
              "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1048576, \"soft\": 1048576}]");
  run_process_rule (floor_check_rlimits, c);
  expect_violation ("rlimits: 1048576 from another caller", "process", "process.rlimits[0].hard",
                    "run with --ulimit nofile=1024:1024", "1048576");
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

/* ---- pids under gVisor --------------------------------------------------- */

/* Under gVisor the host's pids cgroup also counts the sandbox's own tasks:
   the ceiling and the filled-in value are gvisor_pids_limit.  */
static void
test_pids_gvisor (void)
{
  int64_t saved = test_policy.gvisor_pids_limit;
  test_policy.gvisor_pids_limit = 1000;
  test_host.gvisor = true;
  static const char path[] = "linux.resources.pids.limit";
  json_value *c = edited (path, "1000");
  run_config_rule (floor_check_pids, c);
  expect_accepted ("gVisor: pids at gVisor's ceiling");
  json_free (c);

  c = edited (path, "1001");
  run_config_rule (floor_check_pids, c);
  expect_violation ("gVisor: pids above gVisor's ceiling", "pids", path,
                    "run with --pids-limit 1000",
                    "is 1001, above the floor of 1000 (gVisor's gvisor_pids_limit");
  json_free (c);

  c = edited (path, "-1");
  run_config_rule (floor_check_pids, c);
  expect_violation ("gVisor: pids -1", "pids", path, "run with --pids-limit 1000", "unlimited");
  json_free (c);

  c = load_ok_config ();
  json_object_remove (spec_ensure_object (c, "linux.resources", NULL), "pids");
  run_config_rule (floor_check_pids, c);
  expect_tightened ("gVisor: pids absent", "pids", path, "set to 1000 (gVisor's");
  ok (int_at (c, path) == 1000, "gVisor: pids absent: gvisor_pids_limit filled in");
  json_free (c);

  test_host.gvisor = false;
  c = edited (path, "1000");
  run_config_rule (floor_check_pids, c);
  expect_violation ("runc: gVisor's ceiling does not apply", "pids", path,
                    "run with --pids-limit 256", "is 1000, above the floor of 256");
  json_free (c);
  test_policy.gvisor_pids_limit = saved;
}

/* ---- policyrun.* annotations: per-container tightening ----------------- */

/* The fixture with the floor's limits and annotations as a JSON object.  */
static json_value *
annotated (const char *annotations)
{
  json_value *c = load_ok_config ();
  set_json (c, "annotations", annotations);
  return c;
}

static void
test_lowered_limits (void)
{
  static const char mpath[] = "linux.resources.memory.limit";
  static const char spath[] = "linux.resources.memory.swap";
  static const char qpath[] = "linux.resources.cpu.quota";
  static const char ppath[] = "linux.resources.pids.limit";
  json_value *c;

  c = annotated ("{\"policyrun.memory\": \"64m\"}");
  run_config_rule (floor_check_lowered_limits, c);
  expect_accepted ("policyrun.memory 64m");
  expect_tightened ("policyrun.memory 64m", "annotations", mpath,
                    "was 104857600; lowered to 67108864 by annotations.policyrun.memory");
  ok (int_at (c, mpath) == 67108864 && int_at (c, spath) == 67108864,
      "policyrun.memory 64m: limit and swap lowered (still no swap)");
  json_free (c);

  /* At the config's own value: nothing to lower, nothing refused.  */
  c = annotated ("{\"policyrun.memory\": \"100m\", \"policyrun.pids\": \"256\"}");
  run_config_rule (floor_check_lowered_limits, c);
  expect_accepted ("annotations at the config's values");
  ok (verdict.len == 0, "annotations at the config's values: nothing changed");
  json_free (c);

  c = annotated ("{\"policyrun.memory\": \"1g\"}");
  run_config_rule (floor_check_lowered_limits, c);
  expect_violation ("policyrun.memory 1g", "annotations", "annotations.policyrun.memory",
                    "remove that --annotation",
                    "is 1073741824 (1024 MiB), above the floor of 104857600 (100 MiB) (an "
                    "annotation only lowers a limit)");
  ok (int_at (c, mpath) == 104857600, "policyrun.memory 1g: the limit is left alone");
  json_free (c);

  /* Below the floor but above what the bundle asks: a raise too.  */
  c = annotated ("{\"policyrun.memory\": \"80m\", \"policyrun.cpus\": \"0.4\", "
                 "\"policyrun.pids\": \"100\"}");
  set_json (c, "linux.resources.memory", "{\"limit\": 52428800, \"swap\": 52428800}");
  set_json (c, "linux.resources.cpu", "{\"quota\": 25000, \"period\": 100000}");
  set_json (c, ppath, "50");
  run_config_rule (floor_check_lowered_limits, c);
  expect_violation ("memory above the config's", "annotations", "annotations.policyrun.memory",
                    "remove that --annotation",
                    "above linux.resources.memory.limit, which is 52428800 (50 MiB)");
  expect_violation ("cpus above the config's", "annotations", "annotations.policyrun.cpus",
                    "remove that --annotation",
                    "is 0.4 CPUs, above linux.resources.cpu.quota 25000 per period of 100000 "
                    "(--cpus 0.25)");
  expect_violation ("pids above the config's", "annotations", "annotations.policyrun.pids",
                    "remove that --annotation",
                    "is 100, above linux.resources.pids.limit, which is 50");
  ok (int_at (c, mpath) == 52428800 && int_at (c, qpath) == 25000 && int_at (c, ppath) == 50,
      "raises: nothing applied");
  json_free (c);

  c = annotated ("{\"policyrun.cpus\": \"0.6\", \"policyrun.pids\": \"257\"}");
  run_config_rule (floor_check_lowered_limits, c);
  expect_violation ("cpus above the floor", "annotations", "annotations.policyrun.cpus",
                    "remove that --annotation", "above the floor of 0.5 CPUs");
  expect_violation ("pids above the floor", "annotations", "annotations.policyrun.pids",
                    "remove that --annotation", "is 257, above the floor of 256");
  json_free (c);

  /* The config's period stays; the quota is rounded down.  */
  c = annotated ("{\"policyrun.cpus\": \"0.3333\"}");
  set_json (c, "linux.resources.cpu", "{\"quota\": 150000, \"period\": 300000}");
  run_config_rule (floor_check_lowered_limits, c);
  expect_accepted ("cpus 0.3333 with period 300000");
  ok (int_at (c, qpath) == 99990 && int_at (c, "linux.resources.cpu.period") == 300000,
      "cpus 0.3333: quota 99990 in the config's period");
  json_free (c);

  /* Under the kernel's least quota: runc would fail.  */
  c = annotated ("{\"policyrun.cpus\": \"0.005\"}");
  run_config_rule (floor_check_lowered_limits, c);
  expect_violation ("cpus 0.005", "annotations", "annotations.policyrun.cpus",
                    "remove that --annotation", "under the kernel's least quota of 1000");
  json_free (c);

  /* Swap that is not the limit is MEMORY's to refuse: left alone.  */
  c = annotated ("{\"policyrun.memory\": \"64m\"}");
  set_json (c, spath, "-1");
  run_config_rule (floor_check_lowered_limits, c);
  ok (int_at (c, spath) == -1 && int_at (c, mpath) == 67108864,
      "swap -1: the limit lowered, swap left for MEMORY");
  json_free (c);

  /* An unlimited limit is PIDS' to refuse, not reported twice.  */
  c = annotated ("{\"policyrun.pids\": \"10\"}");
  set_json (c, ppath, "-1");
  run_config_rule (floor_check_lowered_limits, c);
  ok (verdict.len == 0 && int_at (c, ppath) == -1, "pids -1: left for PIDS");
  json_free (c);

  /* Values that do not read are POLICYRUN_ANNOTATIONS': nothing here.  */
  c = annotated ("{\"policyrun.memory\": \"64m\", \"policyrun.bogus\": \"1\"}");
  run_config_rule (floor_check_lowered_limits, c);
  ok (verdict.len == 0 && int_at (c, mpath) == 104857600,
      "unknown key: nothing lowered, nothing reported here");
  json_free (c);

  /* gVisor's own ceiling.  */
  test_host.gvisor = true;
  c = annotated ("{\"policyrun.pids\": \"600\"}");
  set_json (c, ppath, "1024");
  run_config_rule (floor_check_lowered_limits, c);
  expect_accepted ("gVisor: pids 600 under gvisor_pids_limit");
  ok (int_at (c, ppath) == 600, "gVisor: pids lowered to 600");
  json_free (c);
  test_host.gvisor = false;
}

/* update on a container whose private config lowered its limits.  */
static void
test_update_lowered (void)
{
  json_value *container = annotated ("{\"policyrun.memory\": \"64m\", \"policyrun.cpus\": "
                                     "\"0.25\", \"policyrun.pids\": \"32\"}");
  set_json (container, "linux.resources.memory", "{\"limit\": 67108864, \"swap\": 67108864}");
  set_json (container, "linux.resources.cpu", "{\"quota\": 25000, \"period\": 100000}");
  set_json (container, "linux.resources.pids.limit", "32");
  test_host.container_config = container;

  check_update ("lowered: memory 100m", "{\"memory\":{\"limit\":104857600,\"swap\":104857600}}");
  expect_violation ("lowered: memory 100m", "memory", "linux.resources.memory.limit",
                    "run with --memory 64m",
                    "above the floor of 67108864 (64 MiB) (given by --memory) (this container's "
                    "ceiling: its policyrun.memory annotation)");
  check_update ("lowered: memory 32m", "{\"memory\":{\"limit\":33554432,\"swap\":33554432}}");
  expect_accepted ("lowered: memory 32m");

  check_update ("lowered: cpus 0.5", "{\"cpu\":{\"quota\":50000,\"period\":100000}}");
  expect_violation ("lowered: cpus 0.5", "cpu", "linux.resources.cpu.quota", "run with --cpus 0.25",
                    "its policyrun.cpus annotation)");
  check_update ("lowered: cpus 0.25", "{\"cpu\":{\"quota\":25000,\"period\":100000}}");
  expect_accepted ("lowered: cpus 0.25");
  check_update ("lowered: quota alone", "{\"cpu\":{\"quota\":30000}}");
  expect_violation ("lowered: quota alone", "cpu", "linux.resources.cpu.quota",
                    "run with --cpus 0.25", "above the floor of 25000 per 100000");

  check_update ("lowered: pids 256", "{\"pids\":{\"limit\":256}}");
  expect_violation ("lowered: pids 256", "pids", "linux.resources.pids.limit",
                    "run with --pids-limit 32",
                    "is 256 (given by --pids-limit) (this container's ceiling: its "
                    "policyrun.pids annotation), above the floor of 32");
  check_update ("lowered: pids 16", "{\"pids\":{\"limit\":16}}");
  expect_accepted ("lowered: pids 16");

  /* A private config whose annotations no longer read: refused.  */
  set_json (container, "annotations", "{\"policyrun.memory\": \"lots\"}");
  check_update ("unreadable annotations", "{\"pids\":{\"limit\":16}}");
  expect_violation ("unreadable annotations", "update", "annotations", NULL,
                    "annotations.policyrun.memory is not a size");

  test_host.container_config = NULL;
  json_free (container);
}

/* ---- harden mode ---------------------------------------------------------------- */

/* One layer's harden function, then its rules over the result, as
   floor_harden_config runs them; returns the violations left.  */
static size_t
harden_with (const struct host_facts *h, rule_fn harden, const rule_fn *checks, size_t n,
             json_value *c)
{
  verdict_free (&verdict);
  struct floor_ctx ctx = { .config = c,
                           .policy = &test_policy,
                           .host = h,
                           .verdict = &verdict,
                           .field_prefix = "",
                           .spec = c };
  harden (&ctx);
  for (size_t i = 0; i < n; i++)
    checks[i](&ctx);
  return verdict_violations (&verdict);
}

static const rule_fn memory_checks[] = { floor_check_memory, floor_check_lowered_limits };
static const rule_fn cpu_checks[] = { floor_check_cpu, floor_check_lowered_limits };
static const rule_fn pids_checks[] = { floor_check_pids, floor_check_lowered_limits };
static const rule_fn unified_checks[] = { floor_check_unified };
#define CHECKS(a) a, sizeof a / sizeof a[0]

/* Refused before, held after: no violation, and the harden's own record.  */
static void
expect_hardened (const char *name, const char *rule, const char *field, const char *detail_part)
{
  expect_accepted (name);
  expect_tightened (name, rule, field, detail_part);
}

/* The harden function alone changes nothing in c and records nothing.  */
static void
expect_harden_unchanged (const char *name, const struct host_facts *h, rule_fn harden,
                         json_value *c)
{
  cleanup_free char *before = json_text (c);
  harden_with (h, harden, NULL, 0, c);
  cleanup_free char *after = json_text (c);
  is_str (after, before, "%s: harden leaves the JSON byte for byte", name);
  ok (verdict.len == 0, "%s: harden records nothing", name);
  if (verdict.len)
    print_verdict (&verdict);
}

/* Harden once more changes nothing (idempotence).  */
static void
expect_idempotent (const char *name, const struct host_facts *h, rule_fn harden,
                   const rule_fn *checks, size_t n, json_value *c)
{
  cleanup_free char *before = json_text (c);
  harden_with (h, harden, checks, n, c);
  cleanup_free char *after = json_text (c);
  is_str (after, before, "%s: hardening again changes nothing", name);
  ok (count_kind (FINDING_TIGHTENED) == 0, "%s: hardening again records nothing", name);
}

static void
test_harden_memory (void)
{
  json_value *c;
  struct host_facts noswap = { .swap_accounting = false };

  c = edited ("linux.resources.memory", "{\"limit\": 1073741824, \"swap\": 1073741824}");
  ok (harden_with (&test_host, floor_harden_memory, CHECKS (memory_checks), c) == 0,
      "harden memory 1g: no violation left");
  expect_hardened ("harden memory 1g", "memory", "linux.resources.memory.limit",
                   "was 1073741824, above the floor; set to 104857600");
  expect_tightened ("harden memory 1g", "memory", "linux.resources.memory.swap",
                    "was 1073741824; set to 104857600");
  ok (int_at (c, "linux.resources.memory.limit") == 104857600
          && int_at (c, "linux.resources.memory.swap") == 104857600,
      "harden memory 1g: limit and swap at the floor");
  expect_idempotent ("harden memory 1g", &test_host, floor_harden_memory, CHECKS (memory_checks),
                     c);
  json_free (c);

  c = edited ("linux.resources.memory", "{\"limit\": -1, \"swap\": -1}");
  harden_with (&test_host, floor_harden_memory, CHECKS (memory_checks), c);
  expect_hardened ("harden memory -1", "memory", "linux.resources.memory.limit",
                   "was -1 (unlimited); set to 104857600");
  expect_tightened ("harden memory -1", "memory", "linux.resources.memory.swap",
                    "was -1 (unlimited swap); set to 104857600");
  json_free (c);

  c = edited ("linux.resources.memory", "{\"limit\": 0}");
  harden_with (&test_host, floor_harden_memory, CHECKS (memory_checks), c);
  expect_hardened ("harden memory 0", "memory", "linux.resources.memory.limit",
                   "was 0 (not set); set to 104857600");
  ok (int_at (c, "linux.resources.memory.swap") == 104857600,
      "harden memory 0: swap filled in by the rule, equal to the limit");
  json_free (c);

  /* A limit below the floor stays; swap follows it.  */
  c = edited ("linux.resources.memory", "{\"limit\": 52428800, \"swap\": -1}");
  harden_with (&test_host, floor_harden_memory, CHECKS (memory_checks), c);
  expect_hardened ("harden memory swap -1", "memory", "linux.resources.memory.swap",
                   "set to 52428800");
  ok (int_at (c, "linux.resources.memory.limit") == 52428800,
      "harden memory swap -1: the lower limit stays");
  ok (exact_finding (FINDING_TIGHTENED, "memory", "linux.resources.memory.limit") == NULL,
      "harden memory swap -1: the limit is not touched");
  json_free (c);

  /* No swap accounting: a refused swap goes, runc could not set it.  */
  c = edited ("linux.resources.memory", "{\"limit\": 209715200, \"swap\": 419430400}");
  harden_with (&noswap, floor_harden_memory, CHECKS (memory_checks), c);
  expect_hardened ("harden memory without swap accounting", "memory", "linux.resources.memory.swap",
                   "removed (this host cannot limit swap)");
  ok (spec_get (c, "linux.resources.memory.swap", JSON_NUMBER, NULL) == SPEC_ABSENT,
      "harden memory without swap accounting: swap absent");
  json_free (c);

  c = edited ("linux.resources.memory.disableOOMKiller", "true");
  harden_with (&test_host, floor_harden_memory, CHECKS (memory_checks), c);
  expect_hardened ("harden oom killer", "memory", "linux.resources.memory.disableOOMKiller",
                   "was true; set to false");
  json_free (c);

  /* policyrun.memory lowers the floor's value further; harden never
     lifts it, and one above the floor is still refused.  */
  c = edited ("linux.resources.memory", "{\"limit\": 1073741824, \"swap\": 1073741824}");
  set_json (c, "annotations", "{\"policyrun.memory\": \"50m\"}");
  ok (harden_with (&test_host, floor_harden_memory, CHECKS (memory_checks), c) == 0,
      "harden memory with policyrun.memory: accepted");
  ok (int_at (c, "linux.resources.memory.limit") == 52428800
          && int_at (c, "linux.resources.memory.swap") == 52428800,
      "harden memory with policyrun.memory: lowered to the annotation");
  expect_idempotent ("harden memory with policyrun.memory", &test_host, floor_harden_memory,
                     CHECKS (memory_checks), c);
  json_free (c);

  c = edited ("linux.resources.memory", "{\"limit\": 52428800, \"swap\": 52428800}");
  set_json (c, "annotations", "{\"policyrun.memory\": \"40m\"}");
  harden_with (&test_host, floor_harden_memory, CHECKS (memory_checks), c);
  expect_harden_unchanged ("harden memory already lowered", &test_host, floor_harden_memory, c);
  json_free (c);

  c = edited ("linux.resources.memory", "{\"limit\": 1073741824}");
  set_json (c, "annotations", "{\"policyrun.memory\": \"200m\"}");
  harden_with (&test_host, floor_harden_memory, CHECKS (memory_checks), c);
  ok (exact_finding (FINDING_VIOLATION, "annotations", "annotations.policyrun.memory") != NULL,
      "harden memory: a policyrun.memory above the floor is still refused");
  json_free (c);

  /* Unfixable: a limit of the wrong type stays refused.  */
  c = edited ("linux.resources.memory.limit", "\"1g\"");
  harden_with (&test_host, floor_harden_memory, CHECKS (memory_checks), c);
  expect_violation ("harden memory a string", "memory", "linux.resources.memory.limit",
                    "run with --memory 100m", "is not an integer");
  ok (count_kind (FINDING_TIGHTENED) == 0, "harden memory a string: nothing changed");
  json_free (c);

  c = edited ("linux.resources.memory", "null");
  harden_with (&test_host, floor_harden_memory, CHECKS (memory_checks), c);
  expect_violation ("harden memory null", "memory", "linux.resources.memory",
                    "run with --memory 100m", "is null");
  json_free (c);

  /* Accepted: unchanged.  */
  c = edited (NULL, NULL);
  expect_harden_unchanged ("harden memory at the floor", &test_host, floor_harden_memory, c);
  json_free (c);
  c = edited ("linux.resources.memory",
              "{\"limit\": 52428800, \"swap\": 52428800, \"reservation\": 1048576, "
              "\"swappiness\": 0, \"kernel\": 10485760}");
  expect_harden_unchanged ("harden memory below the floor", &test_host, floor_harden_memory, c);
  json_free (c);
  c = edited ("linux.resources.memory", "{\"limit\": 52428800, \"swap\": 0}");
  expect_harden_unchanged ("harden memory swap 0 without swap accounting", &noswap,
                           floor_harden_memory, c);
  json_free (c);
}

static void
test_harden_cpu (void)
{
  json_value *c;

  c = edited ("linux.resources.cpu", "{\"quota\": -1}");
  ok (harden_with (&test_host, floor_harden_cpu, CHECKS (cpu_checks), c) == 0,
      "harden cpu -1: no violation left");
  expect_tightened ("harden cpu -1", "cpu", "linux.resources.cpu.quota",
                    "was -1 (unlimited); set to 50000");
  ok (int_at (c, "linux.resources.cpu.quota") == 50000
          && spec_get (c, "linux.resources.cpu.period", JSON_NUMBER, NULL) == SPEC_ABSENT,
      "harden cpu -1: the floor's quota with runc's default period");
  json_free (c);

  c = edited ("linux.resources.cpu", "{\"quota\": 250000, \"period\": 100000, \"shares\": 512, "
                                     "\"cpus\": \"0-1\", \"mems\": \"0\"}");
  harden_with (&test_host, floor_harden_cpu, CHECKS (cpu_checks), c);
  expect_hardened ("harden cpu 2.5", "cpu", "linux.resources.cpu.quota",
                   "was 250000 per period of 100000 (--cpus 2.5), above the floor; set to 50000");
  ok (int_at (c, "linux.resources.cpu.shares") == 512, "harden cpu 2.5: shares stay");
  expect_idempotent ("harden cpu 2.5", &test_host, floor_harden_cpu, CHECKS (cpu_checks), c);
  json_free (c);

  /* A short period: the floor's pair replaces both.  */
  c = edited ("linux.resources.cpu", "{\"quota\": 5000, \"period\": 2000}");
  harden_with (&test_host, floor_harden_cpu, CHECKS (cpu_checks), c);
  expect_hardened ("harden cpu short period", "cpu", "linux.resources.cpu.period",
                   "was 2000; set to 100000 with the floor's quota (--cpus 0.5)");
  ok (int_at (c, "linux.resources.cpu.quota") == 50000
          && int_at (c, "linux.resources.cpu.period") == 100000,
      "harden cpu short period: the floor's pair");
  json_free (c);

  c = edited ("linux.resources.cpu", "{\"quota\": 0, \"period\": 100000}");
  harden_with (&test_host, floor_harden_cpu, CHECKS (cpu_checks), c);
  expect_hardened ("harden cpu 0", "cpu", "linux.resources.cpu.quota", "was 0 (not set");
  json_free (c);

  c = edited ("linux.resources.cpu",
              "{\"quota\": 50000, \"realtimeRuntime\": 950000, \"realtimePeriod\": 1000000, "
              "\"burst\": 10000}");
  harden_with (&test_host, floor_harden_cpu, CHECKS (cpu_checks), c);
  expect_hardened ("harden cpu realtime", "cpu", "linux.resources.cpu.realtimeRuntime",
                   "was 950000 (realtime CPU time); removed");
  expect_tightened ("harden cpu realtime", "cpu", "linux.resources.cpu.realtimePeriod", "removed");
  expect_tightened ("harden cpu burst", "cpu", "linux.resources.cpu.burst", "removed");
  json_free (c);

  /* policyrun.cpus lowers the floor's quota further.  */
  c = edited ("linux.resources.cpu", "{\"quota\": 400000, \"period\": 100000}");
  set_json (c, "annotations", "{\"policyrun.cpus\": \"0.25\"}");
  ok (harden_with (&test_host, floor_harden_cpu, CHECKS (cpu_checks), c) == 0,
      "harden cpu with policyrun.cpus: accepted");
  ok (int_at (c, "linux.resources.cpu.quota") == 25000, "harden cpu with policyrun.cpus: 0.25");
  json_free (c);

  /* Unfixable: a period out of range stays refused, the quota untouched.  */
  c = edited ("linux.resources.cpu", "{\"quota\": 500000, \"period\": -5}");
  harden_with (&test_host, floor_harden_cpu, CHECKS (cpu_checks), c);
  ok (exact_finding (FINDING_VIOLATION, "cpu", "linux.resources.cpu.period") != NULL,
      "harden cpu bad period: still refused");
  ok (int_at (c, "linux.resources.cpu.quota") == 500000, "harden cpu bad period: quota untouched");
  json_free (c);

  c = edited (NULL, NULL);
  expect_harden_unchanged ("harden cpu at the floor", &test_host, floor_harden_cpu, c);
  json_free (c);
  c = edited ("linux.resources.cpu", "{\"quota\": 10000, \"period\": 100000, \"shares\": 2}");
  expect_harden_unchanged ("harden cpu below the floor", &test_host, floor_harden_cpu, c);
  json_free (c);
  c = edited ("linux.resources.cpu", "{}");
  expect_harden_unchanged ("harden cpu absent (the rule fills it)", &test_host, floor_harden_cpu,
                           c);
  json_free (c);
}

static void
test_harden_pids_unified (void)
{
  json_value *c;
  struct host_facts gvisor = { .swap_accounting = true, .gvisor = true };

  c = edited ("linux.resources.pids", "{\"limit\": -1}");
  ok (harden_with (&test_host, floor_harden_pids, CHECKS (pids_checks), c) == 0,
      "harden pids -1: no violation left");
  expect_tightened ("harden pids -1", "pids", "linux.resources.pids.limit",
                    "was -1 (unlimited); set to 256");
  json_free (c);

  c = edited ("linux.resources.pids", "{\"limit\": 100000}");
  harden_with (&test_host, floor_harden_pids, CHECKS (pids_checks), c);
  expect_hardened ("harden pids 100000", "pids", "linux.resources.pids.limit",
                   "was 100000, above the floor; set to 256");
  ok (int_at (c, "linux.resources.pids.limit") == 256, "harden pids 100000: at the floor");
  expect_idempotent ("harden pids 100000", &test_host, floor_harden_pids, CHECKS (pids_checks), c);
  json_free (c);

  c = edited ("linux.resources.pids", "{\"limit\": 100000}");
  harden_with (&gvisor, floor_harden_pids, CHECKS (pids_checks), c);
  expect_hardened ("harden pids under gVisor", "pids", "linux.resources.pids.limit", "set to 1024");
  ok (int_at (c, "linux.resources.pids.limit") == 1024,
      "harden pids under gVisor: gvisor_pids_limit");
  json_free (c);

  c = edited ("linux.resources.pids", "{\"limit\": 0}");
  set_json (c, "annotations", "{\"policyrun.pids\": \"32\"}");
  ok (harden_with (&test_host, floor_harden_pids, CHECKS (pids_checks), c) == 0,
      "harden pids with policyrun.pids: accepted");
  ok (int_at (c, "linux.resources.pids.limit") == 32, "harden pids with policyrun.pids: 32");
  json_free (c);

  c = edited ("linux.resources.pids", "{\"limit\": \"max\"}");
  harden_with (&test_host, floor_harden_pids, CHECKS (pids_checks), c);
  ok (exact_finding (FINDING_VIOLATION, "pids", "linux.resources.pids.limit") != NULL,
      "harden pids a string: still refused");
  json_free (c);

  c = edited ("linux.resources.pids", "{\"limit\": 10}");
  expect_harden_unchanged ("harden pids below the floor", &test_host, floor_harden_pids, c);
  json_free (c);
  c = edited ("linux.resources.pids", "{}");
  expect_harden_unchanged ("harden pids absent (the rule fills it)", &test_host, floor_harden_pids,
                           c);
  json_free (c);
  c = edited ("linux.resources.pids", "{\"limit\": 1024}");
  expect_harden_unchanged ("harden pids at gVisor's floor", &gvisor, floor_harden_pids, c);
  json_free (c);

  c = edited ("linux.resources.unified", "{\"memory.max\": \"max\", \"pids.max\": \"max\"}");
  ok (harden_with (&test_host, floor_harden_unified, CHECKS (unified_checks), c) == 0,
      "harden unified: no violation left");
  expect_tightened ("harden unified", "unified", "linux.resources.unified",
                    "had \"memory.max\", \"pids.max\"; removed");
  ok (spec_get (c, "linux.resources.unified", JSON_OBJECT, NULL) == SPEC_ABSENT,
      "harden unified: gone");
  json_free (c);

  c = edited ("linux.resources.unified", "[\"memory.max\"]");
  harden_with (&test_host, floor_harden_unified, CHECKS (unified_checks), c);
  ok (exact_finding (FINDING_VIOLATION, "unified", "linux.resources.unified") != NULL,
      "harden unified an array: still refused");
  json_free (c);

  c = edited ("linux.resources.unified", "{}");
  expect_harden_unchanged ("harden unified empty", &test_host, floor_harden_unified, c);
  json_free (c);
  c = edited ("linux.resources.unified", "null");
  expect_harden_unchanged ("harden unified null", &test_host, floor_harden_unified, c);
  json_free (c);
}

int
main (void)
{
  floor_test_init ();
  test_memory ();
  test_cpu ();
  test_pids_unified ();
  test_pids_gvisor ();
  test_update ();
  test_lowered_limits ();
  test_update_lowered ();
  test_harden_memory ();
  test_harden_cpu ();
  test_harden_pids_unified ();
  verdict_free (&verdict);
  policy_free (&test_policy);
  return done_testing ();
}
