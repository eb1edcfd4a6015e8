/* The process rules: capabilities (capabilities.c), no-new-privileges,
   oomScoreAdj, scheduler, ioPriority, cwd, LSM labels, args (privileges.c),
   rlimits (rlimits.c), and real Docker processes as a whole.  */
#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <grp.h>
#include <inttypes.h>
#include <pwd.h>

#include "floor-helpers.h"

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
  run_process_rule (check_process_rest, c);
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
  run_process_rule (check_process_rest, c);
  expect_violation ("RLIMIT_NOFILE above the floor", "process", "process.rlimits[0].hard",
                    "run with --ulimit nofile=1024:1024", "above the floor of 1024");
  json_free (c);

  c = edited ("process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 512, "
                                 "\"soft\": 256}]");
  run_process_rule (check_process_rest, c);
  expect_accepted ("RLIMIT_NOFILE within the floor kept");
  ok (verdict.len == 0, "present RLIMIT_NOFILE within the floor: nothing changed");
  json_free (c);

  c = edited ("process.rlimits", "[{\"type\": \"RLIMIT_CORE\", \"hard\": 0, \"soft\": 0}]");
  run_process_rule (check_process_rest, c);
  ok (spec_get (c, "process.rlimits", JSON_ARRAY, &rl) == SPEC_OK && rl->u.array.len == 2,
      "other rlimits: RLIMIT_NOFILE appended");
  json_free (c);

  c = edited ("process.rlimits", "null");
  run_process_rule (check_process_rest, c);
  ok (spec_get (c, "process.rlimits", JSON_ARRAY, &rl) == SPEC_OK && rl->u.array.len == 1,
      "rlimits null: RLIMIT_NOFILE filled in");
  json_free (c);

  c = edited ("process.oomScoreAdj", "-500");
  run_process_rule (check_process_rest, c);
  expect_violation ("oomScoreAdj -500", "process", "process.oomScoreAdj", "remove --oom-score-adj",
                    "is -500");
  json_free (c);

  c = edited ("process.oomScoreAdj", "500");
  run_process_rule (check_process_rest, c);
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
      run_process_rule (check_process_rest, c);
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
      run_process_rule (check_process_rest, c);
      cleanup_free char *name = xasprintf ("cwd %s", good_cwd[i]);
      expect_accepted (name);
      json_free (c);
    }
  c = edited ("process.cwd", "\"work\"");
  run_process_rule (check_process_rest, c);
  expect_violation ("cwd relative", "process", "process.cwd", wfix, "not an absolute path");
  json_free (c);
  c = edited ("process.cwd", "\"\"");
  run_process_rule (check_process_rest, c);
  expect_violation ("cwd empty", "process", "process.cwd", wfix, "is empty");
  json_free (c);

  c = edited ("process.scheduler", "{\"policy\": \"SCHED_FIFO\", \"priority\": 99}");
  run_process_rule (check_process_rest, c);
  expect_violation ("SCHED_FIFO", "process", "process.scheduler.policy", NULL, "realtime");
  json_free (c);
  c = edited ("process.scheduler", "{\"policy\": \"SCHED_DEADLINE\", \"runtime\": 1000}");
  run_process_rule (check_process_rest, c);
  expect_violation ("SCHED_DEADLINE", "process", "process.scheduler.policy", NULL, "realtime");
  json_free (c);
  c = edited ("process.scheduler", "{\"policy\": \"sched_rr\"}");
  run_process_rule (check_process_rest, c);
  expect_violation ("sched_rr", "process", "process.scheduler.policy", NULL, "not a known");
  json_free (c);
  c = edited ("process.scheduler", "{\"policy\": \"SCHED_OTHER\", \"nice\": -20}");
  run_process_rule (check_process_rest, c);
  expect_violation ("nice -20", "process", "process.scheduler.nice", NULL, "is -20");
  json_free (c);
  c = edited ("process.scheduler", "{\"policy\": \"SCHED_BATCH\", \"nice\": 10}");
  run_process_rule (check_process_rest, c);
  expect_accepted ("SCHED_BATCH nice 10");
  json_free (c);

  c = edited ("process.ioPriority", "{\"class\": \"IOPRIO_CLASS_RT\", \"priority\": 0}");
  run_process_rule (check_process_rest, c);
  expect_violation ("IOPRIO_CLASS_RT", "process", "process.ioPriority.class", NULL, "realtime");
  json_free (c);
  c = edited ("process.ioPriority", "{\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 4}");
  run_process_rule (check_process_rest, c);
  expect_accepted ("IOPRIO_CLASS_BE");
  json_free (c);

  c = edited ("process.apparmorProfile", "\"unconfined\"");
  run_process_rule (check_process_rest, c);
  expect_violation ("apparmor unconfined", "process", "process.apparmorProfile",
                    "remove --security-opt apparmor=unconfined", NULL);
  json_free (c);

  c = edited ("process.args", "[]");
  run_process_rule (check_process_rest, c);
  expect_violation ("args empty", "process", "process.args", NULL, "is empty");
  json_free (c);
  c = edited ("process.args", "[\"sh\", 1]");
  run_process_rule (check_process_rest, c);
  expect_violation ("args with a number", "process", "process.args[1]", NULL, "not a string");
  json_free (c);
  c = edited ("process.args", "null");
  run_process_rule (check_process_rest, c);
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
  run_process_rule (check_process_rest, c);
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
  run_process_rule (check_process_rest, c);
  expect_accepted ("no AppArmor profile on a host without AppArmor");
  json_free (c);

  test_host.apparmor_enabled = true;
  test_host.apparmor_docker_default = true;
  for (size_t i = 0; i < 3; i++)
    {
      c = none[i] ? edited ("process.apparmorProfile", none[i]) : edited (NULL, NULL);
      if (none[i] == NULL)
        json_object_remove (json_object_get (c, "process"), "apparmorProfile");
      run_process_rule (check_process_rest, c);
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
  run_process_rule (check_process_rest, c);
  expect_accepted ("an administrator's own profile");
  ok (exact_finding (FINDING_TIGHTENED, "process", "process.apparmorProfile") == NULL,
      "an administrator's own profile: kept");
  json_free (c);
  c = edited ("process.apparmorProfile", "\"unconfined\"");
  run_process_rule (check_process_rest, c);
  expect_violation ("apparmor unconfined on an AppArmor host", "process", "process.apparmorProfile",
                    "remove --security-opt apparmor=unconfined", NULL);
  json_free (c);

  test_host.apparmor_docker_default = false;
  for (size_t i = 0; i < 3; i++)
    {
      c = none[i] ? edited ("process.apparmorProfile", none[i]) : edited (NULL, NULL);
      if (none[i] == NULL)
        json_object_remove (json_object_get (c, "process"), "apparmorProfile");
      run_process_rule (check_process_rest, c);
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
      run_process_rule (check_process_rest, c);
      cleanup_free char *name
          = xasprintf ("selinuxLabel %s on an enforcing host", none[i] ? none[i] : "absent");
      expect_violation (name, "process", "process.selinuxLabel",
                        "enable SELinux in the engine (dockerd --selinux-enabled)", "SELinux");
      json_free (c);
    }
  c = edited ("process.selinuxLabel", "\"system_u:system_r:container_t:s0:c1,c2\"");
  run_process_rule (check_process_rest, c);
  expect_accepted ("selinuxLabel container_t on an enforcing host");
  json_free (c);
  test_host.selinux_enforcing = false;
  c = edited ("process.selinuxLabel", "7");
  run_process_rule (check_process_rest, c);
  expect_violation ("selinuxLabel a number", "process", "process.selinuxLabel", NULL,
                    "not a string");
  json_free (c);
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

/* CRI: what a pod's sandbox and kubelet's QoS score bring, tightened.  */
/* The floor-holding config with process.oomScoreAdj removed, or set to
   literal.  */
static json_value *
config_oom_unset (const char *literal)
{
  json_value *c = load_ok_config ();
  json_value *process = NULL;
  spec_get (c, "process", JSON_OBJECT, &process);
  json_object_remove (process, "oomScoreAdj");
  if (literal != NULL)
    set_json (c, "process.oomScoreAdj", literal);
  return c;
}

static void
test_cri (void)
{
  static const char sandbox[] = "{\"io.kubernetes.cri.container-type\":\"sandbox\"}";
  static const char container[] = "{\"io.kubernetes.cri.container-type\":\"container\"}";
  static const char cri_defaults[]
      = "[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_FSETID\",\"CAP_FOWNER\",\"CAP_MKNOD\","
        "\"CAP_NET_RAW\",\"CAP_SETGID\",\"CAP_SETUID\",\"CAP_SETFCAP\",\"CAP_SETPCAP\","
        "\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_CHROOT\",\"CAP_KILL\",\"CAP_AUDIT_WRITE\"]";
  cleanup_free char *caps = xasprintf ("{\"bounding\":%s,\"effective\":%s,\"permitted\":%s}",
                                       cri_defaults, cri_defaults, cri_defaults);
  json_value *c;

  c = edited ("process.capabilities", caps);
  set_json (c, "annotations", sandbox);
  run_process_rule (floor_check_capabilities, c);
  expect_accepted ("CRI sandbox: default capabilities");
  expect_tightened ("CRI sandbox: default capabilities", "capabilities", "process.capabilities",
                    "CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID and 11 more (in bounding, "
                    "effective, permitted)");
  json_value *set = NULL;
  ok (spec_get (c, "process.capabilities.bounding", JSON_ARRAY, &set) == SPEC_OK
          && set->u.array.len == 0,
      "CRI sandbox: bounding emptied");
  ok (spec_get (c, "process.capabilities.permitted", JSON_ARRAY, &set) == SPEC_OK
          && set->u.array.len == 0,
      "CRI sandbox: permitted emptied");
  json_free (c);

  c = edited ("process.capabilities", "null");
  set_json (c, "annotations", sandbox);
  run_process_rule (floor_check_capabilities, c);
  expect_accepted ("CRI sandbox: null capabilities");
  expect_tightened ("CRI sandbox: null capabilities", "capabilities", "process.capabilities",
                    "set every set empty");
  ok (spec_get (c, "process.capabilities.ambient", JSON_ARRAY, &set) == SPEC_OK
          && set->u.array.len == 0,
      "CRI sandbox: null capabilities become empty sets");
  json_free (c);

  /* An app container drops what the pod says: refused as any other.  */
  c = edited ("process.capabilities", caps);
  set_json (c, "annotations", container);
  run_process_rule (floor_check_capabilities, c);
  expect_violation ("CRI container: capabilities", "capabilities", "process.capabilities.bounding",
                    "run with --cap-drop ALL and no --cap-add", "CAP_CHOWN");
  json_free (c);

  c = edited ("process.capabilities", caps);
  test_host.cri_caller = true; /* the k8s.io root alone is no sandbox */
  run_process_rule (floor_check_capabilities, c);
  test_host.cri_caller = false;
  ok (verdict_violations (&verdict) == 3, "k8s.io root without the sandbox claim: refused");
  json_free (c);

  static const struct
  {
    const char *annotations;
    bool cri_root;
    const char *adj;
  } clamped[] = {
    { container, false, "-997" },
    { sandbox, false, "-998" },
    { NULL, true, "-500" },
    { container, false, "-1000" },
  };
  for (size_t i = 0; i < sizeof clamped / sizeof clamped[0]; i++)
    {
      c = edited ("process.oomScoreAdj", clamped[i].adj);
      if (clamped[i].annotations)
        set_json (c, "annotations", clamped[i].annotations);
      test_host.cri_caller = clamped[i].cri_root;
      run_process_rule (floor_check_oom_score_adj, c);
      test_host.cri_caller = false;
      cleanup_free char *name = xasprintf ("CRI oomScoreAdj %s", clamped[i].adj);
      expect_accepted (name);
      cleanup_free char *was = xasprintf ("was %s (kubelet's QoS score", clamped[i].adj);
      expect_tightened (name, "process", "process.oomScoreAdj", was);
      ok (int_at (c, "process.oomScoreAdj") == 0, "%s: set to 0", name);
      json_free (c);
    }

  c = edited ("process.oomScoreAdj", "500");
  set_json (c, "annotations", container);
  run_process_rule (floor_check_oom_score_adj, c);
  ok (verdict.len == 0 && int_at (c, "process.oomScoreAdj") == 500,
      "CRI oomScoreAdj 500: left alone");
  json_free (c);

  /* Absent or null: runc writes nothing and the container keeps what the
     delegate inherits; filled with 0 only when that is negative.  */
  static const char *const unset[] = { NULL, "null" };
  for (size_t i = 0; i < 2; i++)
    {
      const char *how = unset[i] ? "null" : "absent";
      c = config_oom_unset (unset[i]);
      test_host.inherited_oom_score_adj = -998;
      run_process_rule (floor_check_oom_score_adj, c);
      cleanup_free char *name = xasprintf ("oomScoreAdj %s, caller at -998", how);
      cleanup_free char *was
          = xasprintf ("was %s: the container would keep the caller's score, -998", how);
      expect_accepted (name);
      expect_tightened (name, "process", "process.oomScoreAdj", was);
      ok (int_at (c, "process.oomScoreAdj") == 0, "%s: set to 0", name);
      json_free (c);

      c = config_oom_unset (unset[i]);
      test_host.inherited_oom_score_adj = 300;
      run_process_rule (floor_check_oom_score_adj, c);
      ok (verdict.len == 0 && int_at (c, "process.oomScoreAdj") == INT64_MIN,
          "oomScoreAdj %s, caller at 300: left alone (the container keeps 300)", how);
      json_free (c);
    }

  /* exec's process.json: runc gives exec'd processes the container's value,
     so an absent one there changes nothing.  */
  c = config_oom_unset (NULL);
  json_value *process = NULL;
  spec_get (c, "process", JSON_OBJECT, &process);
  cleanup_json json_value *created = load_ok_config ();
  test_host.inherited_oom_score_adj = -998;
  run_exec_process_rule (floor_check_oom_score_adj, process, created);
  ok (verdict.len == 0 && json_object_get (process, "oomScoreAdj") == NULL,
      "exec's process.json without oomScoreAdj, caller at -998: left alone");
  test_host.inherited_oom_score_adj = 0;
  json_free (c);
}

/* ---- harden mode ------------------------------------------------------------ */

/* The Process hardeners, in floor.c's order.  */
static void
harden_process_rules (struct floor_ctx *ctx)
{
  floor_harden_capabilities (ctx);
  floor_harden_no_new_privs (ctx);
  floor_harden_user (ctx);
  floor_harden_process_extras (ctx);
  floor_harden_rlimits (ctx);
}

/* Violations of the Process rules this file tests.  */
static size_t
process_violations (void)
{
  static const char *const rules[] = { "capabilities", "no-new-privileges", "user", "process" };
  size_t n = 0;
  for (size_t i = 0; i < verdict.len; i++)
    for (size_t k = 0; k < sizeof rules / sizeof rules[0]; k++)
      n += verdict.items[i].kind == FINDING_VIOLATION
           && strcmp (verdict.items[i].rule, rules[k]) == 0;
  return n;
}

/* Tightened findings whose field starts with field_part (NULL: all).  */
static size_t
tightened_count (const char *field_part)
{
  size_t n = 0;
  for (size_t i = 0; i < verdict.len; i++)
    n += verdict.items[i].kind == FINDING_TIGHTENED
         && (field_part == NULL
             || strncmp (verdict.items[i].field, field_part, strlen (field_part)) == 0);
  return n;
}

/* The whole of harden (floor_harden_config) on c: none of the Process
   rules still refuses it.  */
static void
expect_hardened (const char *name, json_value *c)
{
  verdict_free (&verdict);
  floor_harden_config (c, &test_policy, &test_host, &verdict);
  ok (process_violations () == 0, "%s: hardened, no process rule refuses", name);
  if (process_violations ())
    print_verdict (&verdict);
}

/* Harden again what was hardened: nothing changes, nothing is recorded.  */
static void
expect_idempotent (const char *name, json_value *c)
{
  cleanup_free char *before = json_text (c);
  run_process_rule (harden_process_rules, c);
  cleanup_free char *after = json_text (c);
  ok (verdict.len == 0 && strcmp (before, after) == 0, "%s: hardening again changes nothing", name);
  if (verdict.len)
    print_verdict (&verdict);
}

/* A Process the rules accept comes out of the hardeners byte-identical.  */
static void
expect_unchanged (const char *name, json_value *c)
{
  cleanup_free char *before = json_text (c);
  run_process_rule (harden_process_rules, c);
  cleanup_free char *after = json_text (c);
  ok (verdict.len == 0 && strcmp (before, after) == 0, "%s: accepted, harden changes nothing",
      name);
  if (verdict.len)
    print_verdict (&verdict);
  run_process_rule (check_process_rest, c);
  expect_accepted (name);
}

/* The fixture with process.rlimits already at the floor (so the rule has
   nothing to fill in) and one edit.  */
static json_value *
at_floor (const char *path, const char *literal)
{
  json_value *c = edited ("process.rlimits", "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,"
                                             "\"soft\":1024}]");
  if (path)
    set_json (c, path, literal);
  return c;
}

static bool
all_sets_empty (const json_value *caps)
{
  static const char *const sets[]
      = { "bounding", "effective", "inheritable", "permitted", "ambient" };
  for (size_t i = 0; i < 5; i++)
    {
      const json_value *s = json_object_get (caps, sets[i]);
      if (s != NULL && s->type == JSON_ARRAY && s->u.array.len != 0)
        return false;
    }
  return true;
}

static void
test_harden_accepted (void)
{
  json_value *c;
  static const struct
  {
    const char *path, *literal;
  } kept[] = {
    { NULL, NULL },
    { "process.capabilities", "{\"bounding\": [], \"effective\": null, \"Permitted\": []}" },
    { "process.oomScoreAdj", "500" },
    { "process.scheduler", "{\"policy\": \"SCHED_BATCH\", \"nice\": 10}" },
    { "process.scheduler", "{\"policy\": \"SCHED_IDLE\"}" },
    { "process.ioPriority", "{\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 4}" },
    { "process.ioPriority", "{\"class\": \"IOPRIO_CLASS_IDLE\"}" },
    { "process.apparmorProfile", "\"my-profile\"" },
    { "process.rlimits", "[{\"type\": \"RLIMIT_CORE\", \"hard\": 18446744073709551615, "
                         "\"soft\": 0}, {\"Type\": \"RLIMIT_NOFILE\", \"HARD\": 1024, "
                         "\"soft\": 10}, {\"type\": \"RLIMIT_RTPRIO\", \"hard\": null}]" },
    { "process.user", "{\"uid\": 1000, \"gid\": 1000, \"umask\": 18}" },
  };
  for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
    {
      c = at_floor (kept[i].path, kept[i].literal);
      cleanup_free char *name = xasprintf ("harden %s %s", kept[i].path ? kept[i].path : "fixture",
                                           kept[i].literal ? kept[i].literal : "");
      expect_unchanged (name, c);
      json_free (c);
    }

  /* Docker's process with the document's flags: nothing but the rule's
     own RLIMIT_NOFILE.  */
  c = load_docker ("doc-flags-user");
  json_value *p = json_clone (json_object_get (c, "process"));
  run_process_rule (harden_process_rules, c);
  ok (verdict.len == 1, "docker doc flags: one change");
  expect_tightened ("docker doc flags", "process", "process.rlimits", "had no RLIMIT_NOFILE");
  json_object_remove (json_object_get (c, "process"), "rlimits");
  cleanup_free char *before = json_text (p), *after = json_text (json_object_get (c, "process"));
  is_str (after, before, "docker doc flags: the rest of the process unchanged");
  json_free (p);
  json_free (c);
}

static void
test_harden_capabilities (void)
{
  json_value *c, *caps;
  static const struct
  {
    const char *fixture, *names;
  } docker[] = {
    { "no-cap-drop", "CAP_CHOWN, CAP_DAC_OVERRIDE" },
    { "cap-add-net-raw", "CAP_NET_RAW" },
    { "privileged", "CAP_SYS_ADMIN" },
  };
  for (size_t i = 0; i < sizeof docker / sizeof docker[0]; i++)
    {
      c = load_docker (docker[i].fixture);
      cleanup_free char *name = xasprintf ("harden docker %s", docker[i].fixture);
      expect_hardened (name, c);
      spec_get (c, "process.capabilities", JSON_OBJECT, &caps);
      ok (caps != NULL && all_sets_empty (caps), "%s: every set empty", name);
      expect_tightened (name, "capabilities", "process.capabilities", docker[i].names);
      const struct finding *f
          = exact_finding (FINDING_TIGHTENED, "capabilities", "process.capabilities");
      const char *first = f ? strstr (f->detail, "CAP_") : NULL;
      cleanup_free char *cap = first ? xstrndup (first, strcspn (first, ", ")) : NULL;
      ok (f != NULL && strstr (f->detail, "bounding") && strstr (f->detail, "dropped") && cap
              && strstr (first + 1, cap) == NULL,
          "%s: each capability named once, with the sets emptied", name);
      expect_idempotent (name, c);
      json_free (c);
    }

  static const char *const none[] = { "null", NULL };
  for (size_t i = 0; i < 2; i++)
    {
      c = at_floor ("process.capabilities", none[i] ? none[i] : "{}");
      if (none[i] == NULL)
        json_object_remove (json_object_get (c, "process"), "capabilities");
      cleanup_free char *name = xasprintf ("harden capabilities %s", none[i] ? none[i] : "absent");
      expect_hardened (name, c);
      /* A null reads as absent: floor.c removes it before the layers.  */
      expect_tightened (name, "capabilities", "process.capabilities", "was absent");
      ok (spec_get (c, "process.capabilities", JSON_OBJECT, &caps) == SPEC_OK
              && caps->u.object.len == 5 && all_sets_empty (caps),
          "%s: five empty sets", name);
      expect_idempotent (name, c);
      json_free (c);
    }

  /* Folded keys, unknown names, a name repeated across sets.  */
  c = at_floor ("process.capabilities", "{\"Permitted\": [\"CAP_KILL\", \"CAP_FOO\"], "
                                        "\"ambient\": [\"CAP_KILL\"], \"effective\": null}");
  expect_hardened ("harden folded Permitted", c);
  expect_tightened ("harden folded Permitted", "capabilities", "process.capabilities",
                    "CAP_KILL, CAP_FOO dropped (permitted, ambient emptied)");
  spec_get (c, "process.capabilities", JSON_OBJECT, &caps);
  cleanup_free char *text = json_text (caps);
  is_str (text, "{\"Permitted\":[],\"ambient\":[]}",
          "harden folded Permitted: emptied in place, key spelling kept, null removed");
  json_free (c);

  /* Malformed: left for the rule to refuse.  */
  c = at_floor ("process.capabilities", "[]");
  verdict_free (&verdict);
  floor_harden_config (c, &test_policy, &test_host, &verdict);
  expect_violation ("harden capabilities []", "capabilities", "process.capabilities",
                    "run with --cap-drop ALL", "not an object");
  json_free (c);
  c = at_floor ("process.capabilities", "{\"bounding\": [\"CAP_KILL\"], \"effective\": [1]}");
  verdict_free (&verdict);
  floor_harden_config (c, &test_policy, &test_host, &verdict);
  expect_violation ("harden effective [1]", "capabilities", "process.capabilities.effective",
                    "run with --cap-drop ALL and no --cap-add", "a number");
  json_free (c);

  /* exec's process.json.  */
  json_value *p = load_docker ("exec-privileged");
  struct invocation inv = { .command = "exec", .process_file = true };
  verdict_free (&verdict);
  floor_harden_exec (p, &inv, &test_policy, &test_host, &verdict);
  ok (find_finding (&verdict, FINDING_VIOLATION, "capabilities", NULL) == NULL
          && all_sets_empty (json_object_get (p, "capabilities")),
      "harden docker exec --privileged: every set emptied");
  expect_tightened ("harden docker exec --privileged", "capabilities", "capabilities",
                    "CAP_SYS_ADMIN");
  json_free (p);
}

static void
test_harden_nnp_extras (void)
{
  json_value *c;
  static const char *const nnp[] = { "false", "null", NULL };
  for (size_t i = 0; i < 3; i++)
    {
      c = at_floor ("process.noNewPrivileges", nnp[i] ? nnp[i] : "false");
      if (nnp[i] == NULL)
        json_object_remove (json_object_get (c, "process"), "noNewPrivileges");
      cleanup_free char *name = xasprintf ("harden noNewPrivileges %s", nnp[i] ? nnp[i] : "absent");
      expect_hardened (name, c);
      /* A null reads as absent: floor.c removes it before the layers.  */
      cleanup_free char *was = xasprintf (
          "was %s, set to true", nnp[i] && strcmp (nnp[i], "null") != 0 ? nnp[i] : "absent");
      expect_tightened (name, "no-new-privileges", "process.noNewPrivileges", was);
      bool b = false;
      ok (spec_get_bool (c, "process.noNewPrivileges", &b) == SPEC_OK && b, "%s: true", name);
      expect_idempotent (name, c);
      json_free (c);
    }
  c = at_floor ("process.noNewPrivileges", "\"true\"");
  verdict_free (&verdict);
  floor_harden_config (c, &test_policy, &test_host, &verdict);
  expect_violation ("harden noNewPrivileges \"true\"", "no-new-privileges",
                    "process.noNewPrivileges", "run with --security-opt no-new-privileges",
                    "not a boolean");
  json_free (c);

  /* What the rules refuse and harden can bring to the floor.  */
  static const struct
  {
    const char *path, *literal, *field, *detail, *check, *want;
  } fixed[] = {
    { "process.oomScoreAdj", "-500", "process.oomScoreAdj", "was -500", "process.oomScoreAdj",
      "0" },
    { "process.oomScoreAdj", "-1000", "process.oomScoreAdj", "set to 0", "process.oomScoreAdj",
      "0" },
    { "process.scheduler", "{\"policy\": \"SCHED_FIFO\", \"priority\": 99}", "process.scheduler",
      "had policy \"SCHED_FIFO\" (realtime", "process.scheduler", NULL },
    { "process.scheduler", "{\"policy\": \"SCHED_DEADLINE\", \"runtime\": 1000}",
      "process.scheduler", "removed", "process.scheduler", NULL },
    { "process.scheduler", "{\"policy\": \"sched_rr\"}", "process.scheduler",
      "\"sched_rr\"; removed", "process.scheduler", NULL },
    { "process.scheduler", "{\"nice\": 5}", "process.scheduler", "had policy absent",
      "process.scheduler", NULL },
    { "process.scheduler", "{\"policy\": \"SCHED_OTHER\", \"nice\": -20}", "process.scheduler.nice",
      "was -20", "process.scheduler", "{\"policy\":\"SCHED_OTHER\",\"nice\":0}" },
    { "process.ioPriority", "{\"class\": \"IOPRIO_CLASS_RT\", \"priority\": 3}",
      "process.ioPriority.class", "set to \"IOPRIO_CLASS_BE\"", "process.ioPriority",
      "{\"class\":\"IOPRIO_CLASS_BE\",\"priority\":3}" },
    { "process.ioPriority", "{\"class\": \"IOPRIO_CLASS_NONE\"}", "process.ioPriority",
      "not a known I/O priority class; removed", "process.ioPriority", NULL },
    { "process.ioPriority", "{\"class\": null}", "process.ioPriority", "had class absent",
      "process.ioPriority", NULL },
    { "process.apparmorProfile", "\"unconfined\"", "process.apparmorProfile",
      "removed (this host has no AppArmor)", "process.apparmorProfile", NULL },
  };
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    {
      c = at_floor (fixed[i].path, fixed[i].literal);
      cleanup_free char *name = xasprintf ("harden %s %s", fixed[i].path, fixed[i].literal);
      expect_hardened (name, c);
      expect_tightened (name, "process", fixed[i].field, fixed[i].detail);
      json_value *v = NULL;
      spec_status s = spec_get (c, fixed[i].check, JSON_NULL, &v);
      if (fixed[i].want == NULL)
        ok (s == SPEC_ABSENT, "%s: %s removed", name, fixed[i].check);
      else
        {
          json_value *got = json_object_get (json_object_get (c, "process"), fixed[i].check + 8);
          cleanup_free char *text = got ? json_text (got) : NULL;
          is_str (text, fixed[i].want, "%s: %s", name, fixed[i].check);
        }
      expect_idempotent (name, c);
      json_free (c);
    }

  /* AppArmor: docker-default where it is loaded; refused where nothing
     can be supplied.  */
  test_host.apparmor_enabled = true;
  test_host.apparmor_docker_default = true;
  c = at_floor ("process.apparmorProfile", "\"unconfined\"");
  expect_hardened ("harden unconfined with docker-default", c);
  expect_tightened ("harden unconfined with docker-default", "process", "process.apparmorProfile",
                    "was \"unconfined\"; set to \"docker-default\"");
  const char *prof = NULL;
  ok (spec_get_string (c, "process.apparmorProfile", &prof) == SPEC_OK
          && strcmp (prof, "docker-default") == 0,
      "harden unconfined with docker-default: docker-default");
  expect_idempotent ("harden unconfined with docker-default", c);
  json_free (c);
  test_host.apparmor_docker_default = false;
  c = at_floor ("process.apparmorProfile", "\"unconfined\"");
  verdict_free (&verdict);
  floor_harden_config (c, &test_policy, &test_host, &verdict);
  expect_violation ("harden unconfined without docker-default", "process",
                    "process.apparmorProfile", "remove --security-opt apparmor=unconfined", NULL);
  json_free (c);
  test_host.apparmor_enabled = false;

  /* What cannot be made safe: refused still.  */
  static const struct
  {
    const char *path, *literal, *field, *detail;
  } refused[] = {
    { "process.cwd", "\"/proc/self/fd/7\"", "process.cwd", "inside /proc" },
    { "process.scheduler", "{\"policy\": 1}", "process.scheduler.policy", NULL },
    { "process.scheduler", "{\"policy\": \"SCHED_OTHER\", \"nice\": \"-1\"}",
      "process.scheduler.nice", NULL },
    { "process.ioPriority", "{\"class\": 2}", "process.ioPriority.class", NULL },
    { "process.args", "[]", "process.args", "is empty" },
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
    {
      c = at_floor (refused[i].path, refused[i].literal);
      verdict_free (&verdict);
      floor_harden_config (c, &test_policy, &test_host, &verdict);
      cleanup_free char *name = xasprintf ("harden %s %s", refused[i].path, refused[i].literal);
      ok (exact_finding (FINDING_VIOLATION, "process", refused[i].field) != NULL,
          "%s: still refused", name);
      json_free (c);
    }
  test_host.selinux_enforcing = true;
  c = at_floor (NULL, NULL);
  verdict_free (&verdict);
  floor_harden_config (c, &test_policy, &test_host, &verdict);
  expect_violation ("harden: no SELinux label on an enforcing host", "process",
                    "process.selinuxLabel",
                    "enable SELinux in the engine (dockerd --selinux-enabled)", NULL);
  json_free (c);
  test_host.selinux_enforcing = false;
}

static void
test_harden_rlimits (void)
{
  json_value *c, *rl;
  static const struct
  {
    const char *type;
    uint64_t ceiling;
  } capped[] = {
    { "RLIMIT_RTPRIO", 0 },         { "RLIMIT_NICE", 20 },          { "RLIMIT_MSGQUEUE", 819200 },
    { "RLIMIT_SIGPENDING", 65536 }, { "RLIMIT_MEMLOCK", 67108864 }, { "RLIMIT_NOFILE", 1024 },
  };
  for (size_t i = 0; i < sizeof capped / sizeof capped[0]; i++)
    {
      cleanup_free char *lit = xasprintf ("[{\"type\": \"RLIMIT_CORE\", \"hard\": 0, \"soft\": 0},"
                                          " {\"type\": \"%s\", \"hard\": 18446744073709551615, "
                                          "\"soft\": %" PRIu64 "}]",
                                          capped[i].type, capped[i].ceiling + 1);
      c = edited ("process.rlimits", lit);
      cleanup_free char *name = xasprintf ("harden %s above its ceiling", capped[i].type);
      expect_hardened (name, c);
      cleanup_free char *detail = xasprintf (
          "was %s soft %" PRIu64 ", hard unlimited; lowered to soft %" PRIu64 ", hard %" PRIu64,
          capped[i].type, capped[i].ceiling + 1, capped[i].ceiling, capped[i].ceiling);
      expect_tightened (name, "process", "process.rlimits[1]", detail);
      spec_get (c, "process.rlimits", JSON_ARRAY, &rl);
      ok (rl->u.array.len == (strcmp (capped[i].type, "RLIMIT_NOFILE") == 0 ? 2u : 3u)
              && int_at (rl->u.array.items[1], "hard") == (int64_t)capped[i].ceiling
              && int_at (rl->u.array.items[1], "soft") == (int64_t)capped[i].ceiling
              && int_at (rl->u.array.items[0], "hard") == 0,
          "%s: soft and hard at the ceiling, the other entry kept", name);
      expect_idempotent (name, c);
      json_free (c);
    }

  /* Only the bound above the ceiling moves; soft stays below hard.  */
  c = edited ("process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 4096, \"soft\": 512}]");
  expect_hardened ("harden nofile 512:4096", c);
  spec_get (c, "process.rlimits", JSON_ARRAY, &rl);
  ok (int_at (rl->u.array.items[0], "hard") == 1024 && int_at (rl->u.array.items[0], "soft") == 512,
      "harden nofile 512:4096: hard lowered to 1024, soft 512 kept");
  json_free (c);

  /* Soft above hard, within the ceiling or above it: soft comes down to
     hard (runc's prlimit refuses soft > hard, EINVAL).  */
  static const char *const inverted[] = {
    "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 10, \"soft\": 100}]",
    "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 10, \"soft\": 1048576}]",
  };
  for (size_t i = 0; i < 2; i++)
    {
      c = edited ("process.rlimits", inverted[i]);
      cleanup_free char *name = xasprintf ("harden nofile soft above hard %zu", i);
      expect_hardened (name, c);
      spec_get (c, "process.rlimits", JSON_ARRAY, &rl);
      ok (int_at (rl->u.array.items[0], "hard") == 10
              && int_at (rl->u.array.items[0], "soft") == 10,
          "%s: soft lowered to hard, 10", name);
      expect_idempotent (name, c);
      json_free (c);

      c = edited ("process.rlimits", inverted[i]);
      run_process_rule (floor_check_rlimits, c);
      cleanup_free char *ename = xasprintf ("nofile soft above hard %zu", i);
      /* Within the ceiling, the inversion is the refusal; above it, the
         ceiling's own fix (1024:1024) covers both.  */
      if (i == 0)
        expect_violation (ename, "process", "process.rlimits[0]", "run with --ulimit nofile=10:10",
                          "above hard 10");
      else
        expect_violation (ename, "process", "process.rlimits[0].soft",
                          "run with --ulimit nofile=1024:1024", "above the floor");
      ok (count_kind (FINDING_VIOLATION) == 1, "%s: one violation, one fix", ename);
      json_free (c);
    }

  /* Podman's default nofile: lowered like any other.  */
  c = edited ("process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1048576, "
                                 "\"soft\": 1048576}]");
  expect_hardened ("harden nofile 1048576", c);
  expect_tightened ("harden nofile 1048576", "process", "process.rlimits[0]",
                    "lowered to soft 1024, hard 1024");
  json_free (c);

  /* Types runc does not know: removed (runc would refuse them).  */
  c = edited ("process.rlimits", "[{\"type\": \"RLIMIT_FOO\", \"hard\": 0, \"soft\": 0},"
                                 " {\"type\": \"RLIMIT_CORE\", \"hard\": 0, \"soft\": 0},"
                                 " {\"type\": \"rlimit_rtprio\", \"hard\": 99, \"soft\": 99},"
                                 " {\"type\": null}, {\"hard\": 1}, {\"type\": \"\"}]");
  expect_hardened ("harden unknown rlimit types", c);
  expect_tightened ("harden unknown rlimit types", "process", "process.rlimits[0]",
                    "had type \"RLIMIT_FOO\", not an rlimit runc knows");
  expect_tightened ("harden unknown rlimit types", "process", "process.rlimits[2]",
                    "\"rlimit_rtprio\"");
  expect_tightened ("harden unknown rlimit types", "process", "process.rlimits[3]", "absent");
  expect_tightened ("harden unknown rlimit types", "process", "process.rlimits[4]", "absent");
  expect_tightened ("harden unknown rlimit types", "process", "process.rlimits[5]", "\"\"");
  spec_get (c, "process.rlimits", JSON_ARRAY, &rl);
  const char *t0 = NULL, *t1 = NULL;
  ok (rl->u.array.len == 2 && spec_get_string (rl->u.array.items[0], "type", &t0) == SPEC_OK
          && strcmp (t0, "RLIMIT_CORE") == 0
          && spec_get_string (rl->u.array.items[1], "type", &t1) == SPEC_OK
          && strcmp (t1, "RLIMIT_NOFILE") == 0,
      "harden unknown rlimit types: RLIMIT_CORE kept, RLIMIT_NOFILE filled in");
  expect_idempotent ("harden unknown rlimit types", c);
  json_free (c);

  /* Nothing at all: RLIMIT_NOFILE filled in, once.  */
  c = edited ("process.rlimits", "null");
  expect_hardened ("harden rlimits null", c);
  expect_tightened ("harden rlimits null", "process", "process.rlimits", "had no RLIMIT_NOFILE");
  size_t fills = 0;
  for (size_t i = 0; i < verdict.len; i++)
    fills += verdict.items[i].kind == FINDING_TIGHTENED
             && strcmp (verdict.items[i].rule, "process") == 0
             && strcmp (verdict.items[i].field, "process.rlimits") == 0;
  ok (fills == 1, "harden rlimits null: filled in once");
  json_free (c);

  /* Malformed: left for the rule to refuse.  */
  static const struct
  {
    const char *literal, *field;
  } malformed[] = {
    { "[{\"type\": 7, \"hard\": 0, \"soft\": 0}]", "process.rlimits[0].type" },
    { "[{\"type\": \"RLIMIT_RTPRIO\", \"hard\": -1, \"soft\": 5}]", "process.rlimits[0].hard" },
    { "[{\"type\": \"RLIMIT_RTPRIO\", \"hard\": 1.5, \"soft\": 0}]", "process.rlimits[0].hard" },
    { "[7]", "process.rlimits[0]" },
    { "{}", "process.rlimits" },
  };
  for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++)
    {
      c = edited ("process.rlimits", malformed[i].literal);
      verdict_free (&verdict);
      floor_harden_config (c, &test_policy, &test_host, &verdict);
      ok (exact_finding (FINDING_VIOLATION, "process", malformed[i].field) != NULL,
          "harden rlimits %s: still refused", malformed[i].literal);
      json_free (c);
    }

  /* exec's process.json.  */
  json_value *p = parse_json ("{\"args\":[\"id\"],\"cwd\":\"/\",\"capabilities\":{},"
                              "\"noNewPrivileges\":true,\"user\":{\"uid\":1,\"gid\":1},"
                              "\"rlimits\":[{\"type\":\"RLIMIT_RTPRIO\",\"hard\":99,\"soft\":99},"
                              "{\"type\":\"RLIMIT_NOFILE\",\"hard\":10,\"soft\":10}]}");
  struct invocation inv = { .command = "exec", .process_file = true };
  verdict_free (&verdict);
  floor_harden_exec (p, &inv, &test_policy, &test_host, &verdict);
  ok (verdict_violations (&verdict) == 0, "harden exec RLIMIT_RTPRIO 99: accepted");
  if (verdict_violations (&verdict))
    print_verdict (&verdict);
  expect_tightened ("harden exec RLIMIT_RTPRIO 99", "process", "rlimits[0]",
                    "lowered to soft 0, hard 0");
  json_free (p);
}

/* Everything at once, in a process.json for exec: one pass brings it to
   the floor, a second changes nothing.  */
static void
test_harden_exec_all (void)
{
  json_value *p = parse_json (
      "{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},"
      "\"capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\"],\"effective\":[\"CAP_SYS_ADMIN\"]},"
      "\"noNewPrivileges\":false,\"oomScoreAdj\":-999,"
      "\"scheduler\":{\"policy\":\"SCHED_RR\",\"priority\":50},"
      "\"ioPriority\":{\"class\":\"IOPRIO_CLASS_RT\",\"priority\":0},"
      "\"apparmorProfile\":\"unconfined\","
      "\"rlimits\":[{\"type\":\"RLIMIT_NICE\",\"hard\":40,\"soft\":40},{\"type\":\"X\"}]}");
  struct invocation inv = { .command = "exec", .process_file = true };
  verdict_free (&verdict);
  size_t n = floor_harden_exec (p, &inv, &test_policy, &test_host, &verdict);
  ok (n == 0, "harden exec, everything refused at once: accepted after harden");
  if (n)
    print_verdict (&verdict);
  cleanup_free char *text = json_text (p);
  is_str (text,
          "{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":65534,\"gid\":65534},"
          "\"capabilities\":{\"bounding\":[],\"effective\":[]},\"noNewPrivileges\":true,"
          "\"oomScoreAdj\":0,\"ioPriority\":{\"class\":\"IOPRIO_CLASS_BE\",\"priority\":0},"
          "\"rlimits\":[{\"type\":\"RLIMIT_NICE\",\"hard\":20,\"soft\":20},"
          "{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}]}",
          "harden exec, everything at once: the process at the floor");
  ok (tightened_count (NULL) == 10, "harden exec, everything at once: ten changes recorded");
  if (tightened_count (NULL) != 10)
    print_verdict (&verdict);
  verdict_free (&verdict);
  struct floor_ctx ctx = {
    .config = p, .policy = &test_policy, .host = &test_host, .verdict = &verdict, .field_prefix = ""
  };
  harden_process_rules (&ctx);
  cleanup_free char *again = json_text (p);
  ok (verdict.len == 0 && strcmp (text, again) == 0, "harden exec again: nothing changes");
  json_free (p);
}

int
main (void)
{
  floor_test_init ();
  test_capabilities ();
  test_nnp_user ();
  test_process_misc ();
  test_rlimits ();
  test_lsm ();
  test_docker ();
  test_cwd_in_root ();
  test_cri ();
  test_harden_accepted ();
  test_harden_capabilities ();
  test_harden_nnp_extras ();
  test_harden_rlimits ();
  test_harden_exec_all ();
  verdict_free (&verdict);
  policy_free (&test_policy);
  return done_testing ();
}
