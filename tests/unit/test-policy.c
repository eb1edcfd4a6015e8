/* The policy loader: every key accepted and refused, unknown keys, wrong
   types, broken JSON, and files that someone other than the administrator
   could have written.  */
#include "config.h"
#include "policy.h"
#include "tap.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *tmpdir;

static char *
write_file (const char *name, const char *content, mode_t mode)
{
  char *path = xasprintf ("%s/%s", tmpdir, name);
  unlink (path);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      diag ("cannot create %s: %s", path, strerror (errno));
      exit (2);
    }
  size_t len = strlen (content);
  if (write (fd, content, len) != (ssize_t)len)
    exit (2);
  close (fd);
  chmod (path, mode);
  return path;
}

/* Load content over the defaults; returns load's result, *err and *p.  */
static int
load_text (const char *content, struct policy *p, char **err)
{
  cleanup_free char *path = write_file ("policy.json", content, 0644);
  policy_defaults (p);
  *err = NULL;
  return policy_load (p, path, err);
}

/* content must load.  */
static void
accepts (const char *content, const char *what)
{
  struct policy p;
  cleanup_free char *err = NULL;
  int r = load_text (content, &p, &err);
  ok (r == 0, "accepts %s", what);
  if (r != 0)
    diag ("error: %s", err);
  policy_free (&p);
}

/* content must be refused with a message naming the file and holding want;
   the policy must be left exactly at the defaults.  */
static void
refuses (const char *content, const char *want, const char *what)
{
  struct policy p;
  cleanup_free char *err = NULL;
  cleanup_free char *path = xasprintf ("%s/policy.json", tmpdir);
  int r = load_text (content, &p, &err);
  ok (r < 0, "refuses %s", what);
  has_str (err, want, "  message for %s", what);
  has_str (err, path, "  message names the file (%s)", what);
  ok (p.memory_bytes == 100 * 1024 * 1024 && strcmp (p.source, "built-in") == 0
          && p.syscall_denylist.len > 0 && p.mode == MODE_ENFORCE,
      "  policy left at the defaults (%s)", what);
  policy_free (&p);
}

static void
test_defaults (void)
{
  struct policy p;
  policy_defaults (&p);
  is_str (p.source, "built-in", "defaults: source is built-in");
  ok (p.mode == MODE_ENFORCE, "defaults: enforce");
  is_str (p.delegate, DEFAULT_DELEGATE, "defaults: delegate");
  is_str (p.state_dir, "/run/policyrun", "defaults: state_dir");
  ok (p.memory_bytes == 104857600, "defaults: memory 100 MiB");
  ok (p.cpu_quota == 50000 && p.cpu_period == 100000, "defaults: half a CPU");
  ok (p.pids_limit > 0 && p.nofile > 0 && p.timeout_seconds >= 0,
      "defaults: pids, nofile, timeout");
  ok (p.require_non_root, "defaults: non-root required");
  ok (p.rlimit_max[policy_rlimit_index ("RLIMIT_RTPRIO")] == 0
          && p.rlimit_max[policy_rlimit_index ("RLIMIT_NICE")] == 20
          && p.rlimit_max[policy_rlimit_index ("RLIMIT_CORE")] == POLICY_RLIMIT_UNLIMITED,
      "defaults: RTPRIO 0, NICE 20, CORE unlimited");
  ok (policy_rlimit_ceiling (&p, policy_rlimit_index ("RLIMIT_NOFILE")) == 1024,
      "defaults: RLIMIT_NOFILE's ceiling is nofile");
  ok (policy_rlimit_index ("RLIMIT_AS") >= 0 && policy_rlimit_index ("RLIMIT_RTTIME") >= 0
          && policy_rlimit_index ("RLIMIT_FOO") < 0 && policy_rlimit_index ("rlimit_as") < 0,
      "policy_rlimit_index: runc's 16 names, exactly");
  ok (string_list_contains (&p.syscall_denylist, "ptrace")
          && string_list_contains (&p.syscall_denylist, "io_uring_setup"),
      "defaults: ptrace and io_uring denied");
  ok (!string_list_contains (&p.syscall_denylist, "read"), "string_list_contains: absent name");
  policy_free (&p);
}

static void
test_all_keys (void)
{
  struct policy p;
  cleanup_free char *err = NULL;
  int r = load_text ("{\"mode\": \"enforce\", \"delegate\": \"/usr/bin/runsc\","
                     " \"gvisor_delegate\": \"/opt/gvisor/runsc\", \"gvisor_pids_limit\": 300,"
                     " \"state_dir\": \"/var/run/pr\", \"memory_bytes\": 52428800,"
                     " \"cpu_quota\": 25000, \"cpu_period\": 50000, \"pids_limit\": 64,"
                     " \"nofile\": 256, \"timeout_seconds\": 30, \"require_non_root\": false,"
                     " \"syscall_denylist\": [\"ptrace\", \"bpf\"],"
                     " \"hook_allowlist\": [\"/usr/libexec/hook\"],"
                     " \"mount_denylist\": [\"/srv\", \"/opt/secret\", \"/\"],"
                     " \"annotation_denylist\": [\"com.example.\"]}",
                     &p, &err);
  ok (r == 0, "every key at once loads");
  if (r != 0)
    diag ("error: %s", err);
  cleanup_free char *path = xasprintf ("%s/policy.json", tmpdir);
  is_str (p.source, path, "source is the file");
  ok (p.mode == MODE_ENFORCE, "mode enforce");
  is_str (p.delegate, "/usr/bin/runsc", "delegate");
  is_str (p.gvisor_delegate, "/opt/gvisor/runsc", "gvisor_delegate");
  ok (p.gvisor_pids_limit == 300, "gvisor_pids_limit");
  is_str (p.state_dir, "/var/run/pr", "state_dir");
  ok (p.memory_bytes == 52428800, "memory_bytes");
  ok (p.cpu_quota == 25000, "cpu_quota");
  ok (p.cpu_period == 50000, "cpu_period");
  ok (p.pids_limit == 64, "pids_limit");
  ok (p.nofile == 256, "nofile");
  ok (p.timeout_seconds == 30, "timeout_seconds");
  ok (!p.require_non_root, "require_non_root false");
  ok (p.syscall_denylist.len == 2 && strcmp (p.syscall_denylist.items[1], "bpf") == 0
          && p.syscall_denylist.items[2] == NULL,
      "syscall_denylist replaced, NULL-terminated");
  ok (p.hook_allowlist.len == 1 && string_list_contains (&p.hook_allowlist, "/usr/libexec/hook")
          && !string_list_contains (&p.hook_allowlist, "/usr/sbin/dockerd"),
      "hook_allowlist replaced");
  ok (p.mount_denylist.len == 3 && string_list_contains (&p.mount_denylist, "/opt/secret"),
      "mount_denylist replaced");
  ok (p.annotation_denylist.len == 1
          && string_list_contains (&p.annotation_denylist, "com.example."),
      "annotation_denylist replaced");
  policy_free (&p);

  /* Keys not given keep their defaults.  */
  r = load_text ("{\"pids_limit\": 100}", &p, &err);
  ok (r == 0 && p.pids_limit == 100 && p.memory_bytes == 104857600
          && string_list_contains (&p.syscall_denylist, "ptrace")
          && strcmp (p.delegate, DEFAULT_DELEGATE) == 0 && strcmp (p.gvisor_delegate, "runsc") == 0
          && p.gvisor_pids_limit == 1024,
      "a single key changes only that key");
  policy_free (&p);

  r = load_text ("{}", &p, &err);
  ok (r == 0 && p.memory_bytes == 104857600 && p.cpu_quota == 50000, "{} is the built-in floor");
  policy_free (&p);
}

static void
test_each_key (void)
{
  /* mode */
  accepts ("{\"mode\": \"enforce\"}", "mode enforce");
  {
    struct policy p;
    char *err = NULL;
    int r = load_text ("{\"mode\": \"harden\"}", &p, &err);
    ok (r == 0 && p.mode == MODE_HARDEN && p.userns_host_id == POLICY_USERNS_HOST_ID
            && p.userns_size == 65536,
        "mode harden loads as MODE_HARDEN, with the default user namespace range");
    policy_free (&p);
    free (err);
  }
  /* harden's user namespace range */
  accepts ("{\"userns_host_id\": 200000, \"userns_size\": 131072}", "a userns range");
  refuses ("{\"userns_host_id\": 0}", "\"userns_host_id\" is 0, must be between 1 and",
           "a userns range at host id 0");
  refuses ("{\"userns_size\": 65535}", "must be between 65536 and",
           "a userns range too small for nobody");
  refuses ("{\"userns_host_id\": 4294901760}", "reach past host id 4294967294",
           "a userns range past the last id");
  accepts ("{\"userns_host_id\": 4294901759}", "a userns range ending at the last id");
  {
    struct policy p;
    char *err = NULL;
    int r = load_text ("{\"mode\": \"audit\"}", &p, &err);
    ok (r == 0 && p.mode == MODE_AUDIT, "mode audit loads as MODE_AUDIT");
    policy_free (&p);
    free (err);
    r = load_text ("{\"mode\": \"audit\", \"memory_bytes\": 52428800}", &p, &err);
    ok (r == 0 && p.mode == MODE_AUDIT && p.memory_bytes == 52428800,
        "mode audit keeps the floor it audits against");
    policy_free (&p);
    free (err);
  }
  refuses ("{\"mode\": \"strict\"}", "\"mode\" is \"strict\", not one of enforce, harden, audit",
           "an unknown mode");
  refuses ("{\"mode\": \"Enforce\"}", "not one of", "a mode in the wrong case");
  refuses ("{\"mode\": 0}", "\"mode\" must be a string", "a numeric mode");
  refuses ("{\"mode\": null}", "\"mode\" must be a string, not null", "a null mode");

  /* delegate */
  accepts ("{\"delegate\": \"runsc\"}", "a bare delegate name");
  accepts ("{\"delegate\": \"/usr/sbin/runc\"}", "an absolute delegate");
  refuses ("{\"delegate\": \"bin/runc\"}", "neither an absolute path nor a bare program name",
           "a relative delegate path");
  refuses ("{\"delegate\": \"./runc\"}", "neither an absolute path", "a ./ delegate");
  refuses ("{\"delegate\": \"\"}", "\"delegate\" is an empty string", "an empty delegate");
  refuses ("{\"delegate\": [\"runc\"]}", "\"delegate\" must be a string, not array",
           "a delegate array");

  /* state_dir */
  accepts ("{\"state_dir\": \"/tmp/x/state\"}", "an absolute state_dir");
  refuses ("{\"state_dir\": \"run/policyrun\"}", "not an absolute path", "a relative state_dir");
  refuses ("{\"state_dir\": \"\"}", "\"state_dir\" is an empty string", "an empty state_dir");
  refuses ("{\"state_dir\": 1}", "\"state_dir\" must be a string, not number",
           "a numeric state_dir");

  /* integers */
  accepts ("{\"memory_bytes\": 1}", "memory_bytes 1");
  accepts ("{\"memory_bytes\": 9223372036854775807}", "memory_bytes INT64_MAX");
  refuses ("{\"memory_bytes\": 0}", "\"memory_bytes\" is 0, must be at least 1", "memory_bytes 0");
  refuses ("{\"memory_bytes\": -1}", "\"memory_bytes\" is -1, must be at least 1",
           "memory_bytes -1");
  refuses ("{\"memory_bytes\": 1e8}", "\"memory_bytes\" is 1e8, not an integer",
           "memory_bytes in exponent form");
  refuses ("{\"memory_bytes\": 100.0}", "not an integer", "memory_bytes with a fraction");
  refuses ("{\"memory_bytes\": 9223372036854775808}", "not an integer",
           "memory_bytes beyond int64");
  refuses ("{\"memory_bytes\": \"100m\"}", "\"memory_bytes\" must be an integer, not string",
           "memory_bytes as a string");
  refuses ("{\"memory_bytes\": true}", "must be an integer", "memory_bytes as a boolean");
  accepts ("{\"cpu_quota\": 1000}", "cpu_quota 1000");
  refuses ("{\"cpu_quota\": 0}", "\"cpu_quota\" is 0, must be at least 1", "cpu_quota 0");
  refuses ("{\"cpu_quota\": -1}", "\"cpu_quota\" is -1", "cpu_quota -1 (unlimited)");
  accepts ("{\"cpu_period\": 1000}", "cpu_period 1000");
  accepts ("{\"cpu_period\": 1000000}", "cpu_period 1000000");
  refuses ("{\"cpu_period\": 999}", "\"cpu_period\" is 999, must be between 1000 and 1000000",
           "cpu_period 999");
  refuses ("{\"cpu_period\": 1000001}", "must be between 1000 and 1000000", "cpu_period 1000001");
  accepts ("{\"pids_limit\": 1}", "pids_limit 1");
  refuses ("{\"pids_limit\": 0}", "\"pids_limit\" is 0", "pids_limit 0");
  refuses ("{\"pids_limit\": -1}", "\"pids_limit\" is -1", "pids_limit -1");
  accepts ("{\"gvisor_pids_limit\": 2048}", "gvisor_pids_limit 2048");
  refuses ("{\"gvisor_pids_limit\": 0}", "\"gvisor_pids_limit\" is 0", "gvisor_pids_limit 0");
  accepts ("{\"gvisor_delegate\": \"runsc\"}", "gvisor_delegate a bare name");
  refuses ("{\"gvisor_delegate\": \"bin/runsc\"}", "neither an absolute path nor a bare",
           "gvisor_delegate relative with a slash");
  accepts ("{\"nofile\": 64}", "nofile 64");
  refuses ("{\"nofile\": 0}", "\"nofile\" is 0", "nofile 0");
  accepts ("{\"timeout_seconds\": 0}", "timeout_seconds 0 (no deadline)");
  refuses ("{\"timeout_seconds\": -1}",
           "\"timeout_seconds\" is -1, must be between 0 and 315360000", "timeout_seconds -1");
  refuses ("{\"timeout_seconds\": null}", "must be an integer, not null", "timeout_seconds null");
  /* The watchdog counts whole seconds: ten years at most, never an
     overflow that kills every container before start.  */
  accepts ("{\"timeout_seconds\": 315360000}", "timeout_seconds of ten years");
  refuses ("{\"timeout_seconds\": 315360001}",
           "\"timeout_seconds\" is 315360001, must be between 0 and 315360000",
           "timeout_seconds beyond ten years");
  refuses ("{\"timeout_seconds\": 9223372036854775807}",
           "\"timeout_seconds\" is 9223372036854775807, must be between 0 and 315360000",
           "timeout_seconds INT64_MAX");
  refuses ("{\"timeout_seconds\": 18446744073709551616}",
           "\"timeout_seconds\" is "
           "18446744073709551616, not an integer",
           "timeout_seconds beyond uint64");

  /* rlimits: ceilings by name over the defaults */
  {
    struct policy p;
    cleanup_free char *err = NULL;
    int r = load_text ("{\"rlimits\": {\"RLIMIT_NICE\": 0, \"RLIMIT_CORE\": 0,"
                       " \"RLIMIT_MEMLOCK\": \"unlimited\"}}",
                       &p, &err);
    ok (r == 0, "accepts rlimits ceilings");
    ok (p.rlimit_max[policy_rlimit_index ("RLIMIT_NICE")] == 0
            && p.rlimit_max[policy_rlimit_index ("RLIMIT_CORE")] == 0
            && p.rlimit_max[policy_rlimit_index ("RLIMIT_MEMLOCK")] == POLICY_RLIMIT_UNLIMITED
            && p.rlimit_max[policy_rlimit_index ("RLIMIT_RTPRIO")] == 0
            && p.rlimit_max[policy_rlimit_index ("RLIMIT_MSGQUEUE")] == 819200,
        "rlimits: named ceilings set, the others kept");
    policy_free (&p);
  }
  accepts ("{\"rlimits\": {}}", "an empty rlimits object");
  refuses ("{\"rlimits\": {\"RLIMIT_FOO\": 1}}",
           "\"rlimits\" names \"RLIMIT_FOO\", not an rlimit runc knows", "an unknown rlimit");
  refuses ("{\"rlimits\": {\"rlimit_nice\": 1}}", "not an rlimit runc knows",
           "an rlimit in lower case");
  refuses ("{\"rlimits\": {\"RLIMIT_NOFILE\": 1}}", "the key \"nofile\"",
           "RLIMIT_NOFILE in rlimits");
  refuses ("{\"rlimits\": {\"RLIMIT_NICE\": -1}}", "\"rlimits\".\"RLIMIT_NICE\" is -1",
           "a negative ceiling");
  refuses ("{\"rlimits\": {\"RLIMIT_NICE\": \"20\"}}", "is \"20\", must be an integer",
           "a ceiling as a string");
  refuses ("{\"rlimits\": {\"RLIMIT_NICE\": 1.5}}", "is 1.5", "a fractional ceiling");
  refuses ("{\"rlimits\": {\"RLIMIT_NICE\": null}}", "is null", "a null ceiling");
  refuses ("{\"rlimits\": [\"RLIMIT_NICE\"]}", "\"rlimits\" must be an object, not array",
           "rlimits as an array");

  /* require_non_root */
  accepts ("{\"require_non_root\": true}", "require_non_root true");
  refuses ("{\"require_non_root\": \"no\"}", "\"require_non_root\" must be true or false",
           "require_non_root as a string");
  refuses ("{\"require_non_root\": 0}", "must be true or false", "require_non_root as 0");

  /* lists */
  accepts ("{\"syscall_denylist\": []}", "an empty syscall_denylist");
  accepts ("{\"syscall_denylist\": [\"io_uring_setup\", \"stime\"]}",
           "syscalls libseccomp knows, native or not");
  refuses ("{\"syscall_denylist\": [\"ptrace\", \"not_a_syscall\"]}",
           "\"syscall_denylist\"[1] is \"not_a_syscall\", not a system call known to libseccomp",
           "an unknown system call");
  refuses ("{\"syscall_denylist\": \"ptrace\"}",
           "\"syscall_denylist\" must be an array of strings, not string", "a list as a string");
  refuses ("{\"syscall_denylist\": [\"\"]}", "\"syscall_denylist\"[0] is an empty string",
           "an empty list item");
  refuses ("{\"syscall_denylist\": [1]}", "\"syscall_denylist\"[0] must be a string, not number",
           "a numeric list item");
  refuses ("{\"syscall_denylist\": null}", "must be an array of strings, not null", "a null list");
  accepts ("{\"hook_allowlist\": [\"/usr/sbin/dockerd\"]}", "an absolute hook");
  accepts ("{\"hook_allowlist\": []}", "no hooks at all");
  refuses ("{\"hook_allowlist\": [\"/usr/sbin/dockerd\", \"dockerd\"]}",
           "\"hook_allowlist\"[1] is \"dockerd\", not an absolute path", "a relative hook");
  refuses ("{\"hook_allowlist\": [null]}", "\"hook_allowlist\"[0] must be a string, not null",
           "a null hook");
  accepts ("{\"mount_denylist\": [\"/\", \"/var/lib/docker\"]}", "absolute mount denials");
  refuses ("{\"mount_denylist\": [\"etc\"]}", "\"mount_denylist\"[0] is \"etc\", not an absolute",
           "a relative mount denial");
  accepts ("{\"annotation_denylist\": [\"org.systemd.property.\", \"x\"]}", "annotation prefixes");
  refuses ("{\"annotation_denylist\": [\"\"]}", "\"annotation_denylist\"[0] is an empty string",
           "an empty annotation prefix (would match everything)");
  refuses ("{\"annotation_denylist\": {}}", "must be an array of strings, not object",
           "an annotation object");

  /* a valid key before a bad one must not leak into the result */
  refuses ("{\"memory_bytes\": 1, \"cpu_quota\": 0}", "\"cpu_quota\" is 0",
           "a good key followed by a bad one");
}

static void
test_structure (void)
{
  refuses ("{\"memory\": 1}", "unknown key \"memory\"", "an unknown key");
  refuses ("{\"Mode\": \"enforce\"}", "unknown key \"Mode\"", "a key in the wrong case");
  refuses ("{\"mode\": \"enforce\", \"_comment\": \"x\"}", "unknown key \"_comment\"",
           "a comment key");
  refuses ("[]", "must hold a JSON object, not array", "a top-level array");
  refuses ("\"enforce\"", "must hold a JSON object, not string", "a top-level string");
  refuses ("null", "must hold a JSON object, not null", "a top-level null");
  refuses ("{\"mode\": \"enforce\",}", "policy ", "a trailing comma");
  refuses ("{\"mode\": \"audit\", \"mode\": \"enforce\"}", "duplicate", "a duplicate key");
  refuses ("/* x */ {}", "policy ", "a comment");
  refuses ("{} {}", "policy ", "trailing data");
  refuses ("", "policy ", "an empty file");
  refuses ("{\"mode\": \"enf", "policy ", "a truncated file");
}

static void
test_files (void)
{
  struct policy p;
  char *err = NULL;
  int r;

  /* A missing explicit path is an error, worded without the C library's
     "No such file or directory".  */
  cleanup_free char *missing = xasprintf ("%s/absent.json", tmpdir);
  policy_defaults (&p);
  r = policy_load (&p, missing, &err);
  ok (r < 0, "a missing explicit --policy is refused");
  has_str (err, missing, "  message names the file");
  has_str (err, "does not exist", "  message says it does not exist");
  ok (err != NULL && strstr (err, "No such file") == NULL, "  without the libc phrase");
  policy_free (&p);
  free (err);
  err = NULL;

  /* NULL: the default path, and its absence is the built-in floor.  */
  if (access (POLICY_DEFAULT_PATH, F_OK) < 0 && errno == ENOENT)
    {
      policy_defaults (&p);
      r = policy_load (&p, NULL, &err);
      ok (r == 0 && strcmp (p.source, "built-in") == 0,
          "no file at " POLICY_DEFAULT_PATH ": the built-in floor");
      policy_free (&p);
      free (err);
      err = NULL;
    }
  else
    ok (1, "# SKIP " POLICY_DEFAULT_PATH " exists on this machine");

  /* Mode bits.  */
  cleanup_free char *ww = write_file ("ww.json", "{}", 0666);
  policy_defaults (&p);
  r = policy_load (&p, ww, &err);
  ok (r < 0, "a world-writable policy file is refused");
  has_str (err, ww, "  message names the file");
  has_str (err, "writable by others (mode 0666)", "  message says who can write it");
  policy_free (&p);
  free (err);
  err = NULL;

  cleanup_free char *gw = write_file ("gw.json", "{}", 0620);
  policy_defaults (&p);
  r = policy_load (&p, gw, &err);
  ok (r < 0, "a group-writable policy file is refused");
  has_str (err, "writable by its group (mode 0620)", "  message says its group");
  policy_free (&p);
  free (err);
  err = NULL;

  cleanup_free char *ro = write_file ("ro.json", "{\"pids_limit\": 7}", 0400);
  policy_defaults (&p);
  r = policy_load (&p, ro, &err);
  ok (r == 0 && p.pids_limit == 7, "a read-only (0400) file loads");
  policy_free (&p);
  free (err);
  err = NULL;

  /* Ownership.  */
  if (geteuid () == 0)
    {
      cleanup_free char *other = write_file ("other.json", "{}", 0644);
      if (chown (other, 65534, 65534) < 0)
        diag ("chown: %s", strerror (errno));
      policy_defaults (&p);
      r = policy_load (&p, other, &err);
      ok (r < 0, "a policy file not owned by root is refused when running as root");
      has_str (err, "owned by uid 65534, not by root", "  message names the owner");
      policy_free (&p);
      free (err);
      err = NULL;
    }
  else
    ok (1, "# SKIP ownership needs root");

  /* Not a regular file: a directory, and a FIFO (which must not hang).  */
  cleanup_free char *dir = xasprintf ("%s/adir", tmpdir);
  mkdir (dir, 0755);
  policy_defaults (&p);
  r = policy_load (&p, dir, &err);
  ok (r < 0, "a directory is refused");
  has_str (err, "is not a regular file", "  message says not a regular file");
  policy_free (&p);
  free (err);
  err = NULL;

  cleanup_free char *fifo = xasprintf ("%s/fifo", tmpdir);
  unlink (fifo);
  if (mkfifo (fifo, 0644) == 0)
    {
      policy_defaults (&p);
      r = policy_load (&p, fifo, &err);
      ok (r < 0, "a FIFO is refused without blocking");
      has_str (err, "is not a regular file", "  message says not a regular file");
      policy_free (&p);
      free (err);
      err = NULL;
    }
  else
    ok (0, "mkfifo: %s", strerror (errno));

  /* Symbolic links: followed to a good file, refused when dangling.  */
  cleanup_free char *target = write_file ("target.json", "{\"nofile\": 99}", 0644);
  cleanup_free char *link = xasprintf ("%s/link.json", tmpdir);
  unlink (link);
  if (symlink (target, link) < 0)
    diag ("symlink: %s", strerror (errno));
  policy_defaults (&p);
  r = policy_load (&p, link, &err);
  ok (r == 0 && p.nofile == 99, "a symbolic link to a good file loads");
  policy_free (&p);
  free (err);
  err = NULL;

  cleanup_free char *dangling = xasprintf ("%s/dangling.json", tmpdir);
  unlink (dangling);
  if (symlink ("/nonexistent/policy.json", dangling) < 0)
    diag ("symlink: %s", strerror (errno));
  policy_defaults (&p);
  r = policy_load (&p, dangling, &err);
  ok (r < 0, "a dangling symbolic link is refused");
  has_str (err, "dangling symbolic link", "  message says dangling");
  policy_free (&p);
  free (err);
  err = NULL;

  /* The directory: someone who can write it can replace the file.  */
  cleanup_free char *open_dir = xasprintf ("%s/open", tmpdir);
  mkdir (open_dir, 0755);
  cleanup_free char *in_open = xasprintf ("%s/policy.json", open_dir);
  int fd = open (in_open, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd >= 0)
    {
      if (write (fd, "{}", 2) != 2)
        diag ("short write");
      close (fd);
    }
  chmod (open_dir, 0777);
  policy_defaults (&p);
  r = policy_load (&p, in_open, &err);
  ok (r < 0, "a policy file in a world-writable directory is refused");
  has_str (err, "its directory", "  message names the directory");
  has_str (err, "writable by others (mode 0777)", "  message says who can write it");
  policy_free (&p);
  free (err);
  err = NULL;

  chmod (open_dir, 01777);
  policy_defaults (&p);
  r = policy_load (&p, in_open, &err);
  ok (r == 0, "a policy file in a sticky directory (like /tmp) loads");
  if (r < 0)
    diag ("error: %s", err);
  policy_free (&p);
  free (err);
  err = NULL;
}

/* contrib/policy.json is the built-in floor written out: it must load and
   change nothing.  */
static void
test_contrib (void)
{
  const char *fixtures = getenv ("FIXTURES");
  cleanup_free char *path
      = xasprintf ("%s/../../contrib/policy.json", fixtures ? fixtures : "tests/fixtures");
  if (access (path, R_OK) < 0)
    {
      ok (0, "contrib/policy.json not found at %s", path);
      return;
    }
  /* Copy it into the private directory: the source tree may be writable by
     a group, and that is not what is under test here.  */
  FILE *f = fopen (path, "re");
  struct strbuf b = { 0 };
  char chunk[4096];
  size_t n;
  while (f && (n = fread (chunk, 1, sizeof chunk - 1, f)) > 0)
    {
      chunk[n] = '\0';
      strbuf_add (&b, chunk);
    }
  if (f)
    fclose (f);

  struct policy want, got;
  cleanup_free char *err = NULL;
  policy_defaults (&want);
  int r = load_text (b.s ? b.s : "", &got, &err);
  strbuf_free (&b);
  ok (r == 0, "contrib/policy.json loads");
  if (r < 0)
    diag ("error: %s", err);
  ok (got.mode == want.mode && strcmp (got.delegate, want.delegate) == 0
          && strcmp (got.gvisor_delegate, want.gvisor_delegate) == 0
          && strcmp (got.trail_file, want.trail_file) == 0
          && got.gvisor_pids_limit == want.gvisor_pids_limit
          && strcmp (got.state_dir, want.state_dir) == 0 && got.memory_bytes == want.memory_bytes
          && got.cpu_quota == want.cpu_quota && got.cpu_period == want.cpu_period
          && got.pids_limit == want.pids_limit && got.nofile == want.nofile
          && got.timeout_seconds == want.timeout_seconds
          && got.require_non_root == want.require_non_root
          && got.bind_scan_max_entries == want.bind_scan_max_entries
          && memcmp (got.rlimit_max, want.rlimit_max, sizeof got.rlimit_max) == 0,
      "contrib/policy.json holds the built-in values");
  const struct string_list *gl[]
      = { &got.syscall_denylist, &got.hook_allowlist, &got.mount_denylist, &got.annotation_denylist,
          &got.privileged_groups };
  const struct string_list *wl[]
      = { &want.syscall_denylist, &want.hook_allowlist, &want.mount_denylist,
          &want.annotation_denylist, &want.privileged_groups };
  const char *names[] = { "syscall_denylist", "hook_allowlist", "mount_denylist",
                          "annotation_denylist", "privileged_groups" };
  for (size_t i = 0; i < 5; i++)
    {
      bool same = gl[i]->len == wl[i]->len;
      for (size_t j = 0; same && j < wl[i]->len; j++)
        same = strcmp (gl[i]->items[j], wl[i]->items[j]) == 0;
      ok (same, "contrib/policy.json: %s is the built-in list", names[i]);
    }
  policy_free (&want);
  policy_free (&got);
}

static void
remove_tree (void)
{
  const char *names[]
      = { "policy.json", "ww.json",     "gw.json",   "ro.json",       "other.json",
          "fifo",        "target.json", "link.json", "dangling.json", "open/policy.json" };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    {
      cleanup_free char *p = xasprintf ("%s/%s", tmpdir, names[i]);
      unlink (p);
    }
  cleanup_free char *open_dir = xasprintf ("%s/open", tmpdir);
  cleanup_free char *dir = xasprintf ("%s/adir", tmpdir);
  rmdir (open_dir);
  rmdir (dir);
  rmdir (tmpdir);
}

int
main (void)
{
  const char *base = getenv ("TMPDIR");
  char *templ = xasprintf ("%s/test-policy.XXXXXX", base && *base ? base : "/tmp");
  tmpdir = mkdtemp (templ);
  if (tmpdir == NULL)
    {
      printf ("Bail out! mkdtemp: %s\n", strerror (errno));
      return 2;
    }
  /* mkdtemp makes it 0700 and ours: the directory check passes.  */
  test_defaults ();
  test_all_keys ();
  test_each_key ();
  test_structure ();
  test_files ();
  test_contrib ();
  remove_tree ();
  free (templ);
  return done_testing ();
}
