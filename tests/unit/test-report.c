/* report.c: the refusal message and the --log line a caller shows.  */
#include "config.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "report.h"
#include "spec.h"
#include "tap.h"
#include "util.h"

static void
add (struct verdict *v, enum finding_kind kind, const char *rule, const char *field,
     const char *detail, const char *fix)
{
  verdict_add (v, kind, rule, field, kind == FINDING_VIOLATION ? fix : NULL, detail);
}

static char *
read_file (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  char *buf = NULL, *err = NULL;
  size_t len = 0;
  if (fd < 0 || read_all_fd (fd, 1 << 20, &buf, &len, &err) < 0)
    buf = xstrdup ("");
  if (fd >= 0)
    close (fd);
  free (err);
  return buf;
}

static void
test_refusal_lists_every_violation (void)
{
  struct verdict v = { 0 };
  add (&v, FINDING_VIOLATION, "memory", "linux.resources.memory.limit",
       "is 209715200 (200 MiB), above the floor of 104857600 (100 MiB)", "run with --memory 100m");
  add (&v, FINDING_TIGHTENED, "pids", "linux.resources.pids.limit", "was absent; set to 256", NULL);
  add (&v, FINDING_VIOLATION, "user", "process.user.uid", "is 0 (root)",
       "run with --user 65534:65534");
  char *msg = report_refusal (&v);
  has_str (msg, "refused by floor (2 violations): ", "the count of violations leads");
  has_str (msg,
           "memory: linux.resources.memory.limit is 209715200 (200 MiB), above the floor of "
           "104857600 (100 MiB); run with --memory 100m",
           "rule, field, value and fix");
  has_str (msg, " | user: process.user.uid is 0 (root); run with --user 65534:65534",
           "the second violation follows");
  ok (strstr (msg, "pids") == NULL, "tightenings are not reported as refusals");
  free (msg);
  verdict_free (&v);
}

static void
test_json_log_line (void)
{
  char path[] = "/tmp/policyrun-test-report-XXXXXX";
  int fd = mkstemp (path);
  close (fd);
  if (freopen ("/dev/null", "w", stderr) == NULL)
    diag ("cannot silence stderr");
  report_error (path, "json", "refused by floor (1 violation): \"quoted\"\nline");
  char *text = read_file (path);
  size_t lines = 0;
  for (char *p = text; *p; p++)
    lines += *p == '\n';
  ok (lines == 1, "exactly one line appended (%zu)", lines);
  json_value *line = NULL;
  char *err = NULL;
  ok (json_parse (text, strlen (text), &line, &err) == 0, "the line is JSON");
  const char *level = NULL, *msg = NULL, *when = NULL;
  ok (line && spec_get_string (line, "level", &level) == SPEC_OK && strcmp (level, "error") == 0,
      "level is error");
  ok (line && spec_get_string (line, "msg", &msg) == SPEC_OK
          && strncmp (msg, "policyrun: refused by floor", 27) == 0,
      "msg starts with policyrun:");
  ok (msg && strchr (msg, '\n') == NULL, "no newline inside msg");
  ok (line && spec_get_string (line, "time", &when) == SPEC_OK && strlen (when) == 20
          && when[4] == '-' && when[10] == 'T' && when[19] == 'Z',
      "time is RFC 3339 (%s)", when ? when : "-");
  json_free (line);
  free (text);
  free (err);

  report_error (path, "json", "second");
  text = read_file (path);
  lines = 0;
  for (char *p = text; *p; p++)
    lines += *p == '\n';
  ok (lines == 2, "a second error appends, never truncates");
  free (text);
  unlink (path);
}

static void
test_text_log_line (void)
{
  char path[] = "/tmp/policyrun-test-report-XXXXXX";
  int fd = mkstemp (path);
  close (fd);
  report_error (path, "text", "say \"no\"");
  char *text = read_file (path);
  has_str (text, "level=error msg=\"policyrun: say \\\"no\\\"\"",
           "logrus text format, quotes escaped");
  ok (strncmp (text, "time=\"", 6) == 0, "text line starts with time=");
  free (text);
  unlink (path);
}

static void
test_check_reports (void)
{
  struct verdict v = { 0 };
  add (&v, FINDING_VIOLATION, "root", "root.readonly", "is false", "run with --read-only");
  add (&v, FINDING_TIGHTENED, "pids", "linux.resources.pids.limit", "was absent; set to 256", NULL);
  char *j = report_check_json ("config.json", &v);
  json_value *o = NULL;
  char *err = NULL;
  ok (json_parse (j, strlen (j), &o, &err) == 0, "check --json prints one JSON document");
  const char *verdict = NULL;
  ok (o && spec_get_string (o, "verdict", &verdict) == SPEC_OK && strcmp (verdict, "refused") == 0,
      "verdict refused");
  json_value *viol = NULL, *tight = NULL;
  ok (o && spec_get (o, "violations", JSON_ARRAY, &viol) == SPEC_OK && viol->u.array.len == 1,
      "one violation");
  ok (o && spec_get (o, "tightened", JSON_ARRAY, &tight) == SPEC_OK && tight->u.array.len == 1,
      "one tightening");
  json_free (o);
  free (j);
  free (err);
  char *t = report_check_text ("config.json", &v);
  has_str (t, "config.json: refused: 1 violation", "text verdict");
  has_str (t, "violation root: root.readonly is false; run with --read-only", "text finding");
  free (t);
  verdict_free (&v);

  struct verdict empty = { 0 };
  t = report_check_text ("b/config.json", &empty);
  has_str (t, "accepted", "an empty verdict is accepted");
  free (t);
}

/* Violations of one fix; the first part of msg up to " | ".  */
static char *
summary_of (const char *msg)
{
  const char *bar = strstr (msg, " | ");
  return xstrndup (msg, bar ? (size_t)(bar - msg) : strlen (msg));
}

static size_t
count_of (const char *hay, const char *needle)
{
  size_t n = 0;
  for (const char *p = hay; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

static void
test_refusal_groups (void)
{
  static const char ro[] = "run with --read-only";
  static const char caps[] = "run with --cap-drop ALL and no --cap-add";
  static const char user[] = "run with --user 65534:65534";
  struct verdict v = { 0 };
  add (&v, FINDING_VIOLATION, "filesystem", "root.readonly", "is absent", ro);
  add (&v, FINDING_VIOLATION, "mounts", "mounts[7].options", "make a writable bind of /etc/hosts",
       ro);
  add (&v, FINDING_VIOLATION, "mounts", "mounts[8].options",
       "make a writable bind of /etc/hostname", "run with --read-only");
  add (&v, FINDING_VIOLATION, "capabilities", "process.capabilities.bounding", "has CAP_CHOWN",
       caps);
  add (&v, FINDING_VIOLATION, "capabilities", "process.capabilities.effective", "has CAP_CHOWN",
       caps);
  add (&v, FINDING_VIOLATION, "capabilities", "process.capabilities.permitted", "has CAP_CHOWN",
       caps);
  add (&v, FINDING_TIGHTENED, "pids", "linux.resources.pids.limit", "was absent; set to 256", NULL);
  add (&v, FINDING_VIOLATION, "user", "process.user.uid", "is 0 (root)", user);
  add (&v, FINDING_VIOLATION, "user", "process.user.gid", "is 0 (the root group)", user);
  add (&v, FINDING_VIOLATION, "user", "process.user.additionalGids[0]", "is 0",
       "run with --user 65534:65534 and no --group-add 0");
  add (&v, FINDING_VIOLATION, "kernel", "linux.maskedPaths", "is empty", "remove --privileged");
  add (&v, FINDING_VIOLATION, "privileges", "process.cwd", "is /proc",
       "run with --workdir inside the image");
  add (&v, FINDING_VIOLATION, "cpu", "linux.resources.cpu.burst", "is 1000", NULL);
  add (&v, FINDING_VIOLATION, "devices", "linux.resources.devices[0]", "allows every device",
       "remove --device and --device-cgroup-rule");
  add (&v, FINDING_VIOLATION, "process", "process.rlimits[0]", "RLIMIT_RTPRIO is 99",
       "run with --ulimit rtprio=0:0");
  add (&v, FINDING_VIOLATION, "seccomp", "linux.seccomp", "is absent",
       "remove --security-opt seccomp=unconfined (and --privileged)");
  char *msg = report_refusal (&v);
  diag ("%s", msg);
  ok (strchr (msg, '\n') == NULL, "the refusal is one line");
  cleanup_free char *summary = summary_of (msg);
  is_str (summary,
          "refused by floor (15 violations): add --read-only --cap-drop ALL --user 65534:65534 "
          "--ulimit rtprio=0:0; remove --cap-add --group-add 0 --privileged --device "
          "--device-cgroup-rule",
          "the whole fix first: flags to add, then flags to remove, each once");
  ok (count_of (summary, "--read-only") == 1 && count_of (summary, "--user") == 1,
      "a flag repeated by several fixes is named once");
  has_str (msg,
           " | filesystem: root.readonly is absent; mounts: mounts[7].options make a writable "
           "bind of /etc/hosts; mounts[8].options make a writable bind of /etc/hostname; run "
           "with --read-only | ",
           "one group per fix, each rule named once");
  has_str (msg,
           "capabilities: process.capabilities.bounding (also .effective, .permitted) has "
           "CAP_CHOWN; run with --cap-drop ALL and no --cap-add",
           "violations that differ only in the field are listed as one");
  has_str (msg,
           "user: process.user.uid is 0 (root); process.user.gid is 0 (the root group); run with "
           "--user 65534:65534 | ",
           "the user's violations under one fix");
  has_str (msg, "privileges: process.cwd is /proc; run with --workdir inside the image",
           "a fix that is not a flag list stays as text in its group");
  ok (strstr (summary, "--workdir") == NULL && strstr (summary, "seccomp=unconfined") == NULL,
      "... and is not in the summary");
  has_str (msg, "cpu: linux.resources.cpu.burst is 1000 | ", "a violation without a fix");
  ok (strstr (msg, "pids") == NULL, "tightenings are not reported as refusals");
  free (msg);
  verdict_free (&v);

  /* Without any flag list, the groups follow the count directly.  */
  add (&v, FINDING_VIOLATION, "hooks", "hooks.prestart[0]", "is /bin/x",
       "remove the hook (hooks run as root on the host)");
  msg = report_refusal (&v);
  is_str (msg,
          "refused by floor (1 violation): hooks: hooks.prestart[0] is /bin/x; remove the hook "
          "(hooks run as root on the host)",
          "a free-text fix alone");
  free (msg);
  verdict_free (&v);

  /* However many violations, the line stays short: a group lists a few.  */
  for (int i = 0; i < 20000; i++)
    {
      char field[32], detail[64];
      snprintf (field, sizeof field, "mounts[%d].options", i);
      snprintf (detail, sizeof detail, "make a writable bind of /data/%d", i);
      add (&v, FINDING_VIOLATION, "mounts", field, detail, ro);
    }
  msg = report_refusal (&v);
  ok (strlen (msg) < 1024, "20000 violations: a short line (%zu bytes)", strlen (msg));
  has_str (msg, "; and 19992 more; run with --read-only", "the rest are counted");
  free (msg);
  cleanup_free char *json = report_check_json ("c", &v);
  ok (count_of (json, "\"rule\":\"mounts\"") == 20000, "check --json keeps every violation");
  verdict_free (&v);
}

static void
test_stderr_escaped (void)
{
  char path[] = "/tmp/policyrun-test-report-XXXXXX";
  int fd = mkstemp (path);
  close (fd);
  char log[] = "/tmp/policyrun-test-report-log-XXXXXX";
  fd = mkstemp (log);
  close (fd);
  if (freopen (path, "w", stderr) == NULL)
    diag ("cannot redirect stderr");
  report_error (log, "json",
                "delete: invalid container id \"a\x01"
                "b\x1b[31m\tc\x7f\"");
  fflush (stderr);
  char *text = read_file (path);
  is_str (text, "policyrun: delete: invalid container id \"a\\u0001b\\u001B[31m\\tc\\u007F\"\n",
          "stderr: control bytes escaped as in the JSON log line");
  char *line = read_file (log);
  has_str (line, "\"policyrun: delete: invalid container id \\\"a\\u0001b\\u001B[31m\\tc",
           "the JSON log line escapes them the same way");
  free (line);
  free (text);
  report_error (log, "text",
                "id \"a\x01"
                "b\tc\"");
  line = read_file (log);
  has_str (line, "msg=\"policyrun: id \\\"a\\x01b\\tc\\\"\"",
           "the text log line quotes control bytes as Go's strconv.Quote does");
  free (line);
  cleanup_free char *e = report_escape_controls ("x\xc2\x85y\n");
  is_str (e, "x\\u0085y\\n", "C1 controls and newlines are escaped too");
  if (freopen ("/dev/null", "w", stderr) == NULL)
    diag ("cannot silence stderr");
  unlink (path);
  unlink (log);
}

/* update: the floor checks the limits the container ends up with.  */
static void
test_update_messages (void)
{
  struct policy pol;
  policy_defaults (&pol);
  json_value *cfg = NULL;
  char *err = NULL;
  static const char now[]
      = "{\"linux\":{\"resources\":{\"memory\":{\"limit\":104857600,\"swap\":104857600},"
        "\"cpu\":{\"quota\":50000,\"period\":100000},\"pids\":{\"limit\":256}}}}";
  if (json_parse (now, strlen (now), &cfg, &err) < 0)
    {
      printf ("Bail out! cannot parse: %s\n", err);
      exit (1);
    }
  struct host_facts h = { .swap_accounting = true, .container_config = cfg };
  struct
  {
    const char *request, *field, *detail;
  } cases[] = {
    { "{\"cpu\":{\"quota\":0,\"period\":200000}}", NULL, "cpu.quota" },
    { "{\"cpu\":{\"quota\":25000}}", NULL, "cpu.period" },
    { "{\"cpu\":{\"quota\":0,\"period\":50000}}", "linux.resources.cpu.period",
      "is 50000 (given by --cpu-period) with the container's cpu.quota of 50000: 50000 per "
      "period of 50000 (--cpus 1), above the floor" },
    { "{\"cpu\":{\"quota\":80000}}", "linux.resources.cpu.quota",
      "is 80000 (given by --cpu-quota) with the container's cpu.period of 100000: 80000 per "
      "period of 100000 (--cpus 0.8)" },
    { "{\"memory\":{\"limit\":52428800}}", NULL, "memory.swap" },
    { "{\"memory\":{\"swap\":209715200}}", "linux.resources.memory.swap",
      "(given by --memory-swap, with the container's memory.limit of 104857600)" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      json_value *r = NULL;
      if (json_parse (cases[i].request, strlen (cases[i].request), &r, &err) < 0)
        {
          printf ("Bail out! cannot parse: %s\n", err);
          exit (1);
        }
      struct verdict v = { 0 };
      size_t n = floor_check_update (r, &pol, &h, &v);
      if (cases[i].field == NULL)
        {
          int64_t filled = 0;
          ok (n == 0 && spec_get_int (r, cases[i].detail, 1, INT64_MAX, &filled) == SPEC_OK,
              "update %s: accepted, %s filled in from the container (%" PRId64 ")",
              cases[i].request, cases[i].detail, filled);
        }
      else
        {
          cleanup_free char *msg = report_refusal (&v);
          ok (n == 1, "update %s: refused", cases[i].request);
          has_str (msg, cases[i].field, "  ... on %s", cases[i].field);
          has_str (msg, cases[i].detail, "  ... describing the merged values");
          ok (strstr (msg, "not set") == NULL, "  ... not as if a value were unset");
        }
      verdict_free (&v);
      json_free (r);
    }
  json_free (cfg);
  policy_free (&pol);
}

/* ---- Kubernetes' words ------------------------------------------------------ */

/* Every fix a rule with a docker flag writes (rules.def's flag column),
   and what a pod's author reads instead.  */
static const struct
{
  enum floor_rule rule;
  const char *fix;
  const char *k8s;
} k8s_rows[] = {
  { RULE_NETWORK, "run with --network none", "set hostNetwork: false" },
  { RULE_NAMESPACES, "remove --pid host", "set hostPID: false" },
  { RULE_NAMESPACES, "remove --ipc host", "set hostIPC: false" },
  { RULE_NAMESPACES, "remove --uts host", "set hostNetwork: false" },
  { RULE_NAMESPACES, "remove --pid container:...", "set shareProcessNamespace: false" },
  { RULE_NAMESPACES, "remove --ipc container:...", "run the container in its own pod's sandbox" },
  { RULE_ROOT, "run with --read-only", "set securityContext.readOnlyRootFilesystem: true" },
  { RULE_MOUNTS, "mount it read-only (-v SRC:DST:ro)", "set readOnly: true on its volumeMount" },
  { RULE_MOUNTS, "remove the -v/--mount of this source",
    "remove the volume (hostPath) of this source" },
  { RULE_MOUNTS, "use --tmpfs DST:noexec,size=64m",
    "use an emptyDir volume instead of this tmpfs" },
  { RULE_MOUNTS, "remove --privileged", "set securityContext.privileged: false" },
  { RULE_BIND_SOCKETS, "remove the -v/--mount of this source",
    "remove the volume (hostPath) of this source" },
  { RULE_MEMORY, "run with --memory 100m", "set resources.limits.memory: 100Mi" },
  { RULE_MEMORY, "run with --memory 1g", "set resources.limits.memory: 1Gi" },
  { RULE_MEMORY, "run with --memory-swap equal to --memory",
    "set resources.limits.memory (containerd sets the swap limit from it)" },
  { RULE_MEMORY, "remove --oom-kill-disable",
    "remove oom_kill_disable (containerd's runtime configuration)" },
  { RULE_CPU, "run with --cpus 0.5", "set resources.limits.cpu: 0.5" },
  { RULE_CPU, "run with --cpus within the floor", "set resources.limits.cpu within the floor" },
  { RULE_CPU, "remove --cpu-rt-runtime",
    "remove the real-time CPU time (containerd's runtime configuration)" },
  { RULE_PIDS, "run with --pids-limit 256",
    "set the kubelet's podPidsLimit to 256 (a node setting)" },
  { RULE_UNIFIED, "remove --cgroup-conf / unified cgroup settings",
    "remove the unified cgroup settings (containerd's runtime configuration)" },
  { RULE_DEVICES, "remove --device",
    "set securityContext.privileged: false; request no device-plugin resources" },
  { RULE_DEVICES, "remove --device and --device-cgroup-rule",
    "set securityContext.privileged: false; request no device-plugin resources" },
  { RULE_MASKED_PATHS, "remove --security-opt systempaths=unconfined and --privileged",
    "set securityContext.procMount: Default; set securityContext.privileged: false" },
  { RULE_MASKED_PATHS, "remove --security-opt unmask and --privileged",
    "set securityContext.procMount: Default; set securityContext.privileged: false" },
  { RULE_SYSCTL, "remove that --sysctl", "remove that sysctl from securityContext.sysctls" },
  { RULE_CGROUPS_PATH, "remove --cgroup-parent",
    "leave the cgroup to kubelet (one that does not exist yet)" },
  { RULE_ROOTFS_PROPAGATION, "remove the shared/rshared propagation from -v/--mount",
    "set mountPropagation: None on the volumeMount" },
  { RULE_ANNOTATIONS, "remove that --annotation", "remove that annotation from the pod" },
  { RULE_SANDBOX_JOIN, "remove that --annotation", "remove that annotation from the pod" },
  { RULE_POLICYRUN_ANNOTATIONS, "remove that --annotation", "remove that annotation from the pod" },
  { RULE_LOWERED_LIMITS, "remove that --annotation", "remove that annotation from the pod" },
  { RULE_SECCOMP, "remove --security-opt seccomp=... (Docker's default profile holds the floor)",
    "set securityContext.seccompProfile.type: RuntimeDefault" },
  { RULE_SECCOMP, "remove --security-opt seccomp=unconfined (and --privileged)",
    "set securityContext.seccompProfile.type: RuntimeDefault; set securityContext.privileged: "
    "false" },
  { RULE_CWD_IN_ROOT, "run with --workdir inside the image", "set workingDir inside the image" },
  { RULE_CAPABILITIES, "run with --cap-drop ALL and no --cap-add",
    "set securityContext.capabilities.drop: [ALL]; remove securityContext.capabilities.add" },
  { RULE_CAPABILITIES, "run with --cap-drop ALL", "set securityContext.capabilities.drop: [ALL]" },
  { RULE_CAPABILITIES, "remove --privileged (or --cap-add ALL)",
    "set securityContext.privileged: false; remove securityContext.capabilities.add" },
  { RULE_NO_NEW_PRIVILEGES, "run with --security-opt no-new-privileges",
    "set securityContext.allowPrivilegeEscalation: false" },
  { RULE_USER, "run with --user 65534:65534",
    "set securityContext.runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534" },
  { RULE_ADDITIONAL_GIDS, "remove --group-add 0",
    "remove 0 from securityContext.supplementalGroups" },
  { RULE_ADDITIONAL_GIDS, "run with --user 65534:65534 and no --group-add 27",
    "set securityContext.runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534; remove 27 "
    "from securityContext.supplementalGroups" },
  { RULE_OOM_SCORE_ADJ, "remove --oom-score-adj",
    "remove the oomScoreAdj (kubelet's QoS score is clamped to 0)" },
  { RULE_CWD, "run with --workdir inside the image", "set workingDir inside the image" },
  { RULE_LSM, "run with --security-opt apparmor=docker-default",
    "set securityContext.appArmorProfile.type: RuntimeDefault" },
  { RULE_LSM, "remove --security-opt apparmor=unconfined",
    "set securityContext.appArmorProfile.type: RuntimeDefault" },
  { RULE_LSM, "enable SELinux in the engine (dockerd --selinux-enabled)",
    "set enable_selinux = true in containerd's CRI configuration (a node setting)" },
  { RULE_RLIMITS, "run with --ulimit rtprio=0:0",
    "set the rlimit rtprio=0:0 in containerd's base_runtime_spec (a node setting)" },
  { RULE_HOOKS_WITHOUT_START, "use create and start instead of run",
    "use create and start (the CRI always does)" },
  { RULE_NO_PIVOT, "remove --no-pivot (DOCKER_RAMDISK)",
    "set NoPivotRoot = false in containerd's runc options (a node setting)" },
  { RULE_EXEC_APPARMOR, "remove --apparmor from exec",
    "exec without an AppArmor profile of its own" },
};
#define K8S_ROWS (sizeof k8s_rows / sizeof k8s_rows[0])

static void
test_kubernetes_wording (void)
{
  /* Every rule that names a docker flag has its pod's words.  */
  for (size_t r = 0; r < RULE_COUNT; r++)
    {
      if (floor_rules[r].flag == NULL)
        continue;
      size_t rows = 0;
      for (size_t k = 0; k < K8S_ROWS; k++)
        rows += k8s_rows[k].rule == r;
      ok (rows > 0, "k8s: rule %s (%s, %s) has a row", floor_rules[r].id, floor_rules[r].field,
          floor_rules[r].flag);
    }
  for (size_t k = 0; k < K8S_ROWS; k++)
    {
      cleanup_free char *got = report_fix_kubernetes (k8s_rows[k].fix);
      is_str (got, k8s_rows[k].k8s, "k8s: \"%s\"", k8s_rows[k].fix);
      ok (got != NULL && strstr (got, "--") == NULL, "k8s: no docker flag left in \"%s\"",
          got ? got : "(null)");
      /* ... and the refusal says it, in front and in its group.  */
      struct verdict v = { 0 };
      add (&v, FINDING_VIOLATION, floor_rules[k8s_rows[k].rule].id, "some.field", "is loose",
           k8s_rows[k].fix);
      cleanup_free char *msg = report_refusal_for (&v, REPORT_KUBERNETES);
      cleanup_free char *lead
          = xasprintf ("refused by floor (1 violation): in the pod, %s | ", k8s_rows[k].k8s);
      ok (strncmp (msg, lead, strlen (lead)) == 0, "k8s: the refusal leads with the pod's fix");
      if (strncmp (msg, lead, strlen (lead)) != 0)
        diag ("%s", msg);
      cleanup_free char *tail = xasprintf ("is loose; %s", k8s_rows[k].k8s);
      has_str (msg, tail, "k8s: the group names the pod's fix");
      verdict_free (&v);
    }
  ok (report_fix_kubernetes (NULL) == NULL, "k8s: no fix stays none");
  cleanup_free char *free_text = report_fix_kubernetes ("give the container pipes or a terminal");
  is_str (free_text, "give the container pipes or a terminal", "k8s: a fix without flags is kept");
  cleanup_free char *unknown = report_fix_kubernetes ("remove --frobnicate");
  is_str (unknown, "remove --frobnicate", "k8s: an unknown flag is kept as written");
}

/* A loose pod (root, no limits, hostNetwork, privileged): every violation
   named, and the lead says what to change in the pod.  */
static void
test_kubernetes_loose_pod (void)
{
  struct verdict v = { 0 };
  add (&v, FINDING_VIOLATION, "network", "linux.namespaces", "has no network namespace",
       "run with --network none");
  add (&v, FINDING_VIOLATION, "namespaces", "linux.namespaces", "has no uts namespace",
       "remove --uts host");
  add (&v, FINDING_VIOLATION, "filesystem", "root.readonly", "is false", "run with --read-only");
  add (&v, FINDING_VIOLATION, "memory", "linux.resources.memory.limit", "is absent",
       "run with --memory 100m");
  add (&v, FINDING_VIOLATION, "cpu", "linux.resources.cpu.quota", "is absent", "run with --cpus 1");
  add (&v, FINDING_VIOLATION, "capabilities", "process.capabilities.bounding",
       "has CAP_CHOWN and 40 more", "remove --privileged (or --cap-add ALL)");
  add (&v, FINDING_VIOLATION, "masked-paths", "linux.maskedPaths", "is empty",
       "remove --security-opt systempaths=unconfined and --privileged");
  add (&v, FINDING_VIOLATION, "devices", "linux.resources.devices[0]", "allows every device",
       "remove --privileged");
  add (&v, FINDING_VIOLATION, "user", "process.user.uid", "is 0 (root)",
       "run with --user 65534:65534");
  add (&v, FINDING_VIOLATION, "no-new-privileges", "process.noNewPrivileges", "is false",
       "run with --security-opt no-new-privileges");
  add (&v, FINDING_VIOLATION, "seccomp", "linux.seccomp", "is absent",
       "remove --security-opt seccomp=unconfined (and --privileged)");
  add (&v, FINDING_TIGHTENED, "process", "process.oomScoreAdj", "was -997; set to 0", NULL);
  char *msg = report_refusal_for (&v, REPORT_KUBERNETES);
  has_str (msg, "refused by floor (11 violations): in the pod, ", "loose pod: every violation");
  char *bar = strstr (msg, " | ");
  cleanup_free char *lead = bar ? xstrndup (msg, (size_t)(bar - msg)) : xstrdup (msg);
  static const char *const want[] = {
    "set hostNetwork: false",
    "set securityContext.readOnlyRootFilesystem: true",
    "set resources.limits.memory: 100Mi",
    "set resources.limits.cpu: 1",
    "set securityContext.privileged: false",
    "set securityContext.procMount: Default",
    "set securityContext.runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534",
    "set securityContext.allowPrivilegeEscalation: false",
    "set securityContext.seccompProfile.type: RuntimeDefault",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    has_str (lead, want[i], "loose pod: the lead says phrase %zu", i);
  ok (strstr (lead, "--") == NULL, "loose pod: no docker flag in the lead (%s)", lead);
  const char *p = strstr (lead, "set hostNetwork: false");
  ok (p != NULL && strstr (p + 1, "set hostNetwork: false") == NULL,
      "loose pod: a phrase two rules share is said once");
  static const char *const named[] = {
    "network: linux.namespaces has no network namespace",
    "namespaces: linux.namespaces has no uts namespace",
    "filesystem: root.readonly is false",
    "memory: linux.resources.memory.limit is absent",
    "cpu: linux.resources.cpu.quota is absent",
    "capabilities: process.capabilities.bounding has CAP_CHOWN",
    "masked-paths: linux.maskedPaths is empty",
    "devices: linux.resources.devices[0] allows every device",
    "user: process.user.uid is 0 (root)",
    "no-new-privileges: process.noNewPrivileges is false",
    "seccomp: linux.seccomp is absent",
  };
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
    has_str (msg, named[i], "loose pod: names violation %zu", i);
  ok (strstr (msg, "oomScoreAdj") == NULL, "loose pod: tightenings are no refusal");
  free (msg);
  /* The same verdict in docker's words is unchanged.  */
  msg = report_refusal_for (&v, REPORT_DOCKER);
  char *old = report_refusal (&v);
  is_str (msg, old, "report_refusal is REPORT_DOCKER");
  has_str (msg, "add --network none --read-only --memory 100m", "docker wording kept");
  free (msg);
  free (old);
  verdict_free (&v);
}

static void
test_tightened_line (void)
{
  struct verdict v = { 0 };
  add (&v, FINDING_VIOLATION, "memory", "linux.resources.memory.limit", "is absent",
       "run with --memory 100m");
  ok (report_tightened (&v) == NULL, "tightened: none, no line");
  add (&v, FINDING_TIGHTENED, "capabilities", "process.capabilities",
       "gave a pod's sandbox 42 capabilities; emptied every set", NULL);
  add (&v, FINDING_TIGHTENED, "mounts", "mounts[6].options", "added noexec", NULL);
  add (&v, FINDING_TIGHTENED, "mounts", "mounts[7].options", "added \"ro\"", NULL);
  add (&v, FINDING_TIGHTENED, "process", "process.oomScoreAdj", "was -998; set to 0", NULL);
  cleanup_free char *line = report_tightened (&v);
  is_str (line,
          "tightened (4): capabilities: process.capabilities gave a pod's sandbox 42 "
          "capabilities; emptied every set; mounts: mounts[6].options added noexec; "
          "mounts[7].options added \"ro\"; process: process.oomScoreAdj was -998; set to 0",
          "tightened: one line, grouped by rule");

  char path[] = "/tmp/policyrun-test-report-XXXXXX";
  int fd = mkstemp (path);
  close (fd);
  report_tightened_log (path, "json", &v);
  cleanup_free char *text = read_file (path);
  json_value *o = NULL;
  cleanup_free char *err = NULL;
  const char *level = NULL, *msg = NULL;
  ok (json_parse (text, strlen (text), &o, &err) == 0, "tightened: the log line is JSON");
  ok (o && spec_get_string (o, "level", &level) == SPEC_OK && strcmp (level, "info") == 0,
      "tightened: level info (containerd shows only error lines)");
  ok (o && spec_get_string (o, "msg", &msg) == SPEC_OK
          && strncmp (msg, "policyrun: tightened (4): ", 26) == 0,
      "tightened: msg");
  json_free (o);
  report_tightened_log (path, "text", &v);
  cleanup_free char *both = read_file (path);
  has_str (both, "level=info msg=\"policyrun: tightened (4): ", "tightened: logrus text");
  unlink (path);
  report_tightened_log (NULL, "json", &v); /* no --log: nothing, and no crash */
  ok (access (path, F_OK) != 0, "tightened: no --log, no file");
  verdict_free (&v);

  /* Many findings: the line stays bounded.  */
  for (int i = 0; i < 40; i++)
    add (&v, FINDING_TIGHTENED, "seccomp", "linux.seccomp.syscalls", "took clone3 out", NULL);
  cleanup_free char *many = report_tightened (&v);
  has_str (many, "tightened (40): ", "tightened: the count is every finding");
  has_str (many, "; and 24 more", "tightened: the rest counted");
  verdict_free (&v);
}

int
main (void)
{
  test_refusal_lists_every_violation ();
  test_json_log_line ();
  test_text_log_line ();
  test_check_reports ();
  test_refusal_groups ();
  test_stderr_escaped ();
  test_update_messages ();
  test_kubernetes_wording ();
  test_kubernetes_loose_pod ();
  test_tightened_line ();
  return done_testing ();
}
