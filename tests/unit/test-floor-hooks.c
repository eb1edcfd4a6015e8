/* The hooks and annotations rules (hooks.c, annotations.c).  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define FLOOR_CONFIG_TESTS
#include "floor-helpers.h"

/* ---- hooks ----------------------------------------------------------------------------- */

/* Set the fixture's hook to path and args.  */
static void
set_hook (const char *list, const char *path_literal, const char *args_literal)
{
  char *literal = xasprintf ("[{\"path\":%s,\"args\":%s}]", path_literal, args_literal);
  json_object_remove (get ("hooks", JSON_OBJECT), "prestart");
  char *field = xasprintf ("hooks.%s", list);
  set_json (config, field, literal);
  free (field);
  free (literal);
}

static bool
copy_file (const char *from, const char *to)
{
  char *cmd = xasprintf ("cp '%s' '%s'", from, to);
  bool ok_ = system (cmd) == 0;
  free (cmd);
  return ok_;
}

/* A process that runs "dir/dockerd" in a mount namespace of its own, where
   that name is another file than here: what a container running its own
   /usr/bin/dockerd looks like from the host.  Returns its pid, or -1.  */
static pid_t
spawn_lookalike (const char *dir, const char *decoy)
{
  int sync[2];
  if (pipe2 (sync, O_CLOEXEC) < 0)
    return -1;
  pid_t pid = fork ();
  if (pid == 0)
    {
      if (unshare (CLONE_NEWNS) < 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0
          || mount ("lookalike", dir, "tmpfs", 0, "size=64m") < 0)
        _exit (1);
      char *path = xasprintf ("%s/dockerd", dir);
      if (!copy_file ("/bin/sleep", path))
        _exit (1);
      if (write (sync[1], "x", 1) != 1)
        _exit (1);
      execl (path, "dockerd", "30", (char *)NULL);
      _exit (1);
    }
  close (sync[1]);
  char c;
  ssize_t n = read (sync[0], &c, 1);
  close (sync[0]);
  if (pid < 0 || n != 1)
    {
      if (pid > 0)
        waitpid (pid, NULL, 0);
      return -1;
    }
  /* Wait until the exec is done: the exe link then names the copy.  */
  char *link = xasprintf ("/proc/%d/exe", (int)pid);
  for (int tries = 0; tries < 200; tries++)
    {
      char target[4096];
      ssize_t len = readlink (link, target, sizeof target - 1);
      if (len > 0)
        {
          target[len] = '\0';
          if (strcmp (target, decoy) == 0)
            break;
        }
      usleep (10000);
    }
  free (link);
  return pid;
}

static void
test_hooks (void)
{
  const char *fix = "remove the hook (hooks run as root on the host)";
  const char *field = "hooks.prestart[0].path";

  fresh ();
  run (floor_check_hooks);
  expect_accepted ("hooks: Docker's libnetwork-setkey");
  char *detail = xasprintf ("set to \"%s\"", fake_dockerd);
  expect_tightened ("hooks: setkey pinned to the daemon binary", "hooks", field, detail);
  free (detail);
  const char *path = NULL;
  ok (spec_get_string (item ("hooks.prestart", 0), "path", &path) == SPEC_OK
          && strcmp (path, fake_dockerd) == 0,
      "hooks: the tree now names the binary, not /proc/4242/exe");

  /* Run again over the rewritten tree: what the delegate gets still holds.  */
  run (floor_check_hooks);
  expect_accepted ("hooks: the rewritten hook passes again");

  static const struct
  {
    const char *path, *args, *detail;
  } bad[] = {
    { "\"/proc/self/exe\"", "[\"libnetwork-setkey\",\"-exec-root=/var/run/docker\",\"a\",\"b\"]",
      "not on the hook allowlist" },
    { "\"/proc/thread-self/exe\"", "[\"libnetwork-setkey\"]", "not on the hook allowlist" },
    { "\"/proc/4243/exe\"", "[\"libnetwork-setkey\"]", "not on the hook allowlist" },
    { "\"/proc/04242/exe\"", "[\"libnetwork-setkey\"]", "not on the hook allowlist" },
    { "\"/proc/4242/exe\"", "[\"dockerd\",\"-H\",\"unix:///tmp/d.sock\"]", "without args[0]" },
    { "\"/proc/4242/exe\"", "[]", "without args[0]" },
    { "\"/proc/4242/exe\"", "[\"Libnetwork-setkey\"]", "without args[0]" },
    { "\"/tmp/evil\"", "[\"libnetwork-setkey\"]", "not on the hook allowlist" },
    { "\"/usr/bin/dockerd\"", "[\"dockerd\",\"-H\",\"unix:///tmp/d.sock\"]", "Docker daemon" },
    { "\"/usr/bin//dockerd\"", "[\"libnetwork-setkey\"]", "not on the hook allowlist" },
    { "null", "[\"libnetwork-setkey\"]", "null" },
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    {
      fresh ();
      set_hook ("prestart", bad[k].path, bad[k].args);
      run (floor_check_hooks);
      char *name = xasprintf ("hooks: %s %s", bad[k].path, bad[k].args);
      expect_violation (name, "hooks", field, fix, bad[k].detail);
      free (name);
    }

  /* The hook must name the container being created (known at create, not
     at check): Docker's args are setkey, -exec-root=DIR, ID, CONTROLLER.  */
  static const struct
  {
    const char *args, *detail; /* detail NULL: accepted */
  } named[] = {
    { "[\"libnetwork-setkey\",\"-exec-root=/var/run/docker\",\"abc\",\"c0\"]", NULL },
    { "[\"libnetwork-setkey\",\"-exec-root=/var/run/docker\",\"other\",\"c0\"]", "\"other\"" },
    { "[\"libnetwork-setkey\",\"-exec-root=/var/run/docker\",\"abc\"]", "shape of Docker's hook" },
    { "[\"libnetwork-setkey\",\"abc\",\"c0\"]", "shape of Docker's hook" },
    { "[\"libnetwork-setkey\",\"-exec-root=/var/run/docker\",\"ABC\",\"c0\"]", "\"ABC\"" },
  };
  for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
    {
      fresh ();
      set_hook ("prestart", "\"/proc/4242/exe\"", named[k].args);
      test_host.container_id = "abc";
      run (floor_check_hooks);
      test_host.container_id = NULL;
      char *name = xasprintf ("hooks: setkey %s for container abc", named[k].args);
      if (named[k].detail == NULL)
        expect_accepted (name);
      else
        {
          bool hit = false;
          for (size_t i = 0; i < verdict.len; i++)
            hit = hit
                  || (verdict.items[i].kind == FINDING_VIOLATION
                      && strcmp (verdict.items[i].rule, "hooks") == 0
                      && strstr (verdict.items[i].detail, named[k].detail) != NULL);
          ok (hit, "%s: refused, naming %s", name, named[k].detail);
        }
      free (name);
    }
  /* check has no container id: the hook's id is not judged.  */
  fresh ();
  set_hook ("prestart", "\"/proc/4242/exe\"",
            "[\"libnetwork-setkey\",\"-exec-root=/var/run/docker\",\"other\",\"c0\"]");
  run (floor_check_hooks);
  expect_accepted ("hooks: setkey naming any container, without a container id (check)");

  /* A saved Docker config replayed after its daemon is gone: the hook runs
     the installed daemon binary, never whatever process takes that pid.  */
  fresh ();
  set_hook ("prestart", "\"/proc/99999999/exe\"", "[\"libnetwork-setkey\",\"a\"]");
  run (floor_check_hooks);
  expect_accepted ("hooks: setkey of a daemon that is not running");
  json_value *left = NULL;
  ok (exact_finding (FINDING_TIGHTENED, "hooks", "hooks.prestart[0]") != NULL
          && spec_get (config, "hooks.prestart", JSON_ARRAY, &left) == SPEC_OK
          && left->u.array.len == 0,
      "hooks: ... the hook is removed, never run through a pid another process may take");
  fresh ();
  set_hook ("prestart", "\"/proc/99999999/exe\"", "[\"sh\",\"-c\",\"id\"]");
  run (floor_check_hooks);
  expect_violation ("hooks: a dead pid's exe without setkey", "hooks", field, fix,
                    "without args[0]");

  fresh ();
  set_hook ("prestart", "\"/usr/bin/dockerd\"", "[\"libnetwork-setkey\",\"a\"]");
  run (floor_check_hooks);
  expect_accepted ("hooks: the daemon binary by its own path, as setkey");

  fresh ();
  set_json (config, "hooks.prestart",
            "[{\"path\":\"/usr/sbin/dockerd\",\"args\":[\"libnetwork-setkey\"],"
            "\"env\":[\"LD_PRELOAD=/tmp/evil.so\"]}]");
  run (floor_check_hooks);
  expect_violation ("hooks: setkey with LD_PRELOAD", "hooks", "hooks.prestart[0].env", fix,
                    "Docker's libnetwork-setkey hook has none");

  fresh ();
  set_item ("hooks.prestart", 0, "env", "[\"PATH=/usr/bin\"]");
  run (floor_check_hooks);
  expect_violation ("hooks: setkey through /proc with an env", "hooks", "hooks.prestart[0].env",
                    fix, NULL);
  ok (exact_finding (FINDING_TIGHTENED, "hooks", field) == NULL,
      "hooks: ... and its path is left alone");

  fresh ();
  set_item ("hooks.prestart", 0, "env", "[]");
  run (floor_check_hooks);
  expect_accepted ("hooks: setkey with an empty env");

  add_hook_allowlist ("/usr/bin/nvidia-container-runtime-hook");
  fresh ();
  set_hook ("prestart", "\"/usr/bin/nvidia-container-runtime-hook\"", "[\"x\",\"prestart\"]");
  run (floor_check_hooks);
  expect_accepted ("hooks: a hook on the allowlist");

  static const char *const envs[]
      = { "LD_PRELOAD=/tmp/x.so", "LD_LIBRARY_PATH=/tmp", "GCONV_PATH=/tmp", "LD_AUDIT=/tmp/a.so" };
  for (size_t k = 0; k < sizeof envs / sizeof envs[0]; k++)
    {
      fresh ();
      char *literal = xasprintf ("[{\"path\":\"/usr/bin/nvidia-container-runtime-hook\","
                                 "\"args\":[\"x\"],\"env\":[\"PATH=/bin\",\"%s\"]}]",
                                 envs[k]);
      set_json (config, "hooks.prestart", literal);
      run (floor_check_hooks);
      char *name = xasprintf ("hooks: an allowlisted hook with %s", envs[k]);
      expect_violation (name, "hooks", "hooks.prestart[0].env", fix, envs[k]);
      free (name);
      free (literal);
    }
  fresh ();
  set_json (config, "hooks.prestart",
            "[{\"path\":\"/usr/bin/nvidia-container-runtime-hook\",\"args\":[\"x\"],"
            "\"env\":[\"PATH=/bin\",\"NVIDIA_VISIBLE_DEVICES=none\"]}]");
  run (floor_check_hooks);
  expect_accepted ("hooks: an allowlisted hook with an ordinary env");

  static const char *const lists[]
      = { "createRuntime", "createContainer", "startContainer", "poststart", "poststop" };
  for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
    {
      fresh ();
      set_hook (lists[k], "\"/bin/sh\"", "[\"sh\",\"-c\",\"id\"]");
      run (floor_check_hooks);
      char *name = xasprintf ("hooks: a shell in %s", lists[k]);
      char *f = xasprintf ("hooks.%s[0].path", lists[k]);
      expect_violation (name, "hooks", f, fix, "/bin/sh");
      free (name);
      free (f);
    }

  fresh ();
  json_object_remove (config, "hooks");
  set_json (config, "hooks", "{\"PreStart\":[{\"path\":\"/bin/sh\"}]}");
  run (floor_check_hooks);
  expect_violation ("hooks: a list spelled as Go folds it", "hooks", field, fix, "/bin/sh");

  fresh ();
  set_json (config, "hooks.preStop", "[{\"path\":\"/bin/sh\"}]");
  run (floor_check_hooks);
  expect_violation ("hooks: a list policyrun does not know", "hooks", "hooks.preStop", fix,
                    "knows");

  fresh ();
  set_json (config, "hooks", "null");
  run (floor_check_hooks);
  expect_violation ("hooks: null", "hooks", "hooks", fix, "null");

  fresh ();
  set_json (config, "hooks.poststop", "null");
  run (floor_check_hooks);
  expect_violation ("hooks: a null list", "hooks", "hooks.poststop", fix, "null");

  fresh ();
  set_json (config, "hooks.poststop", "[\"/bin/sh\"]");
  run (floor_check_hooks);
  expect_violation ("hooks: an entry that is no object", "hooks", "hooks.poststop[0]", fix,
                    "not a hook");

  fresh ();
  json_object_remove (config, "hooks");
  run (floor_check_hooks);
  expect_accepted ("hooks: none");

  /* The real /proc: this very process, whose executable is the test.  */
  const char *saved_proc = floor_hooks_proc_dir;
  floor_hooks_proc_dir = "/proc";
  char self[4096];
  ssize_t n = readlink ("/proc/self/exe", self, sizeof self - 1);
  if (n > 0)
    {
      self[n] = '\0';
      char *me = xasprintf ("\"/proc/%d/exe\"", (int)getpid ());
      fresh ();
      set_hook ("prestart", me, "[\"libnetwork-setkey\"]");
      run (floor_check_hooks);
      expect_violation ("hooks: a live pid whose binary is not allowlisted", "hooks", field, fix,
                        "not on the hook allowlist");
      add_hook_allowlist (self);
      fresh ();
      set_hook ("prestart", me, "[\"libnetwork-setkey\"]");
      run (floor_check_hooks);
      expect_accepted ("hooks: a live pid whose binary is allowlisted");
      ok (spec_get_string (item ("hooks.prestart", 0), "path", &path) == SPEC_OK
              && strcmp (path, self) == 0,
          "hooks: ... pinned to that binary");
      free (me);
    }

  /* The look-alike: a process in another mount namespace running a file
     that bears an allowlisted name.  */
  char *dir = xasprintf ("%s/ns", tmp);
  char *decoy = xasprintf ("%s/dockerd", dir);
  if (geteuid () == 0 && mkdir (dir, 0700) == 0 && copy_file ("/bin/true", decoy))
    {
      add_hook_allowlist (decoy);
      pid_t pid = spawn_lookalike (dir, decoy);
      if (pid > 0)
        {
          char *lit = xasprintf ("\"/proc/%d/exe\"", (int)pid);
          fresh ();
          set_hook ("prestart", lit, "[\"libnetwork-setkey\"]");
          run (floor_check_hooks);
          expect_violation ("hooks: a dockerd look-alike in another mount namespace", "hooks",
                            field, fix, "another mount namespace");
          kill (pid, SIGKILL);
          waitpid (pid, NULL, 0);
          free (lit);
        }
      else
        diag ("skipped the mount-namespace look-alike: cannot unshare here");
    }
  else
    diag ("skipped the mount-namespace look-alike: needs root");
  free (dir);
  free (decoy);
  floor_hooks_proc_dir = saved_proc;
}

/* ---- annotations ------------------------------------------------------------------------ */

static void
test_annotations (void)
{
  const char *fix = "remove that --annotation";

  fresh ();
  set_json (config, "annotations",
            "{\"com.example.owner\":\"me\",\"org.opencontainers.image.title\":\"x\"}");
  run (floor_check_annotations);
  expect_accepted ("annotations: ordinary ones");

  /* CRI's own annotations pass only when the caller is containerd's CRI.  */
  fresh ();
  set_json (config, "annotations", "{\"io.kubernetes.cri.container-type\":\"sandbox\"}");
  run (floor_check_annotations);
  expect_violation ("annotations: io.kubernetes.cri.* from Docker", "annotations",
                    "annotations.io.kubernetes.cri.container-type", fix, "not Kubernetes' CRI");
  test_host.cri_caller = true;
  fresh ();
  set_json (config, "annotations", "{\"io.kubernetes.cri.container-type\":\"sandbox\"}");
  run (floor_check_annotations);
  expect_accepted ("annotations: io.kubernetes.cri.* from CRI");
  test_host.cri_caller = false;

  static const char *const bad[] = {
    "org.systemd.property.CPUQuota", "ORG.SYSTEMD.PROPERTY.TasksMax",
    "dev.gvisor.spec.mount.x",       "org.criu.config",
    "run.oci.keep_original_groups",
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    {
      fresh ();
      char *literal = xasprintf ("{\"a\":\"b\",\"%s\":\"x\"}", bad[k]);
      set_json (config, "annotations", literal);
      run (floor_check_annotations);
      char *name = xasprintf ("annotations: %s", bad[k]);
      char *field = xasprintf ("annotations.%s", bad[k]);
      expect_violation (name, "annotations", field, fix, "not allowed");
      count_violations (name, 1);
      free (name);
      free (field);
      free (literal);
    }

  fresh ();
  set_json (config, "annotations", "{\"a\":1}");
  run (floor_check_annotations);
  expect_violation ("annotations: a value that is not a string", "annotations", "annotations.a",
                    NULL, "not a string");

  fresh ();
  set_json (config, "annotations", "null");
  run (floor_check_annotations);
  expect_violation ("annotations: null", "annotations", "annotations", NULL, "null");
}

/* ---- harden mode ---------------------------------------------------------------- */

static void
test_harden_hooks (void)
{
  /* Docker's hook stays (pinned by the rule); a hook off the allowlist,
     the daemon without setkey and an LD_PRELOAD hook go.  */
  fresh ();
  append ("hooks.prestart", "{\"path\":\"/usr/bin/evil\",\"args\":[\"evil\"]}");
  char *dockerd = xasprintf ("{\"path\":\"%s\",\"args\":[\"dockerd\"]}", fake_dockerd);
  append ("hooks.prestart", dockerd);
  free (dockerd);
  add_hook_allowlist ("/usr/local/bin/allowed-hook");
  const char *preload
      = "{\"path\":\"/usr/local/bin/allowed-hook\",\"env\":[\"LD_PRELOAD=/tmp/x.so\"]}";
  set_json (config, "hooks.poststop", "[]");
  append ("hooks.poststop", preload);
  layer_harden (floor_harden_hooks, floor_check_hooks);
  expect_accepted ("harden hooks");
  expect_tightened ("harden hooks: off the allowlist", "hooks", "hooks.prestart[1]",
                    "\"/usr/bin/evil\" removed (hooks.prestart[1].path is \"/usr/bin/evil\", not "
                    "on the hook allowlist)");
  expect_tightened ("harden hooks: the daemon itself", "hooks", "hooks.prestart[2]",
                    "without args[0]");
  expect_tightened ("harden hooks: LD_PRELOAD", "hooks", "hooks.poststop[0]", "LD_PRELOAD");
  ok (get ("hooks.prestart", JSON_ARRAY)->u.array.len == 1
          && get ("hooks.poststop", JSON_ARRAY)->u.array.len == 0,
      "harden hooks: only Docker's hook is left");
  const char *path = NULL;
  ok (spec_get_string (item ("hooks.prestart", 0), "path", &path) == SPEC_OK
          && strcmp (path, fake_dockerd) == 0,
      "harden hooks: Docker's hook pinned by the rule");
  expect_layer_idempotent ("harden hooks", floor_harden_hooks, floor_check_hooks);

  /* Docker's hook naming another container goes.  */
  fresh ();
  test_host.container_id = "other";
  layer_harden (floor_harden_hooks, floor_check_hooks);
  test_host.container_id = NULL;
  expect_accepted ("harden hooks: setkey for another container");
  expect_tightened ("harden hooks: setkey for another container", "hooks", "hooks.prestart[0]",
                    "names container \"abc\"");

  /* An unknown hook list goes; runc 1.1 ignores it.  */
  fresh ();
  set_json (config, "hooks.preStartSoon", "[{\"path\":\"/bin/sh\"}]");
  layer_harden (floor_harden_hooks, floor_check_hooks);
  expect_accepted ("harden hooks: an unknown list");
  expect_tightened ("harden hooks: an unknown list", "hooks", "hooks.preStartSoon", "removed");

  /* run: every hook goes.  */
  fresh ();
  struct invocation run_inv = { .command = "run", .starts_at_once = true };
  layer_harden_inv (floor_harden_hooks, floor_check_hooks_without_start, &run_inv);
  expect_accepted ("harden hooks: run");
  expect_tightened ("harden hooks: run", "hooks", "hooks.prestart[0]", "run starts the container");

  /* Unfixable: the wrong shape stays refused.  */
  fresh ();
  append ("hooks.prestart", "{\"path\":7}");
  append ("hooks.prestart", "\"/bin/sh\"");
  layer_harden (floor_harden_hooks, floor_check_hooks);
  ok (exact_finding (FINDING_VIOLATION, "hooks", "hooks.prestart[1].path") != NULL
          && exact_finding (FINDING_VIOLATION, "hooks", "hooks.prestart[2]") != NULL,
      "harden hooks: malformed hooks still refused");
  ok (get ("hooks.prestart", JSON_ARRAY)->u.array.len == 3,
      "harden hooks: malformed hooks left in place");
  fresh ();
  set_json (config, "hooks.poststop", "null");
  layer_harden (floor_harden_hooks, floor_check_hooks);
  ok (exact_finding (FINDING_VIOLATION, "hooks", "hooks.poststop") != NULL,
      "harden hooks: a null list still refused");

  /* Accepted: unchanged (the rule's own pinning is not harden's).  */
  fresh ();
  expect_layer_unchanged ("harden hooks: Docker's hook", floor_harden_hooks);
  fresh ();
  set_json (config, "hooks.createRuntime",
            "[{\"path\":\"/usr/local/bin/allowed-hook\",\"args\":[\"x\"],\"env\":[\"A=1\"]}]");
  expect_layer_unchanged ("harden hooks: an allowlisted hook", floor_harden_hooks);
}

static void
test_harden_annotations (void)
{
  fresh ();
  set_json (config, "annotations",
            "{\"com.example.owner\":\"me\",\"org.systemd.property.CPUQuota\":\"200%\","
            "\"dev.gvisor.flag.network\":\"host\",\"run.oci.keep_original_groups\":\"1\","
            "\"io.kubernetes.cri.sandbox-id\":\"x\",\"policyrun.memory\":\"50m\"}");
  layer_harden (floor_harden_annotations, floor_check_annotations);
  expect_accepted ("harden annotations");
  expect_tightened ("harden annotations", "annotations",
                    "annotations.org.systemd.property.CPUQuota",
                    "was \"200%\"; removed (annotations starting with \"org.systemd.property.\"");
  expect_tightened ("harden annotations", "annotations", "annotations.dev.gvisor.flag.network",
                    "removed");
  expect_tightened ("harden annotations", "annotations", "annotations.run.oci.keep_original_groups",
                    "removed");
  expect_tightened ("harden annotations", "annotations", "annotations.io.kubernetes.cri.sandbox-id",
                    "not Kubernetes' CRI");
  json_value *a = get ("annotations", JSON_OBJECT);
  ok (a->u.object.len == 2 && json_object_get_exact (a, "com.example.owner") != NULL
          && json_object_get_exact (a, "policyrun.memory") != NULL,
      "harden annotations: the accepted ones and policyrun.* stay");
  expect_layer_idempotent ("harden annotations", floor_harden_annotations, floor_check_annotations);

  /* policyrun.* stays as it is: an unknown one is still refused.  */
  fresh ();
  set_json (config, "annotations", "{\"policyrun.memroy\":\"50m\"}");
  layer_harden (floor_harden_annotations, floor_check_policyrun_annotations);
  ok (exact_finding (FINDING_VIOLATION, "annotations", "annotations.policyrun.memroy") != NULL
          && count_kind (FINDING_TIGHTENED) == 0,
      "harden annotations: an unknown policyrun.* still refused, kept");

  /* Under gVisor the CRI's sandbox join stays for SANDBOX_JOIN.  */
  fresh ();
  test_host.gvisor = true;
  test_host.cri_caller = true;
  set_json (config, "annotations", "{\"io.kubernetes.cri.container-type\":\"container\"}");
  layer_harden (floor_harden_annotations, floor_check_sandbox_join);
  ok (exact_finding (FINDING_VIOLATION, "annotations",
                     "annotations.io.kubernetes.cri.container-type")
              != NULL
          && count_kind (FINDING_TIGHTENED) == 0,
      "harden annotations: the CRI's sandbox join under gVisor still refused");
  test_host.gvisor = false;
  test_host.cri_caller = false;

  /* Unfixable: a value that is not a string.  */
  fresh ();
  set_json (config, "annotations", "{\"org.systemd.property.x\":1}");
  layer_harden (floor_harden_annotations, floor_check_annotations);
  ok (verdict_violations (&verdict) > 0 && count_kind (FINDING_TIGHTENED) == 0,
      "harden annotations: a number still refused, kept");

  fresh ();
  set_json (config, "annotations",
            "{\"com.example.owner\":\"me\",\"org.opencontainers.image.title\":\"x\","
            "\"policyrun.pids\":\"20\"}");
  expect_layer_unchanged ("harden annotations: ordinary ones", floor_harden_annotations);
  test_host.cri_caller = true;
  set_json (config, "annotations", "{\"io.kubernetes.cri.container-type\":\"sandbox\"}");
  expect_layer_unchanged ("harden annotations: the CRI's own", floor_harden_annotations);
  test_host.cri_caller = false;
}

int
main (void)
{
  floor_test_init ();
  setup_scratch ();
  setup_cgroups ();

  test_hooks ();
  test_annotations ();
  test_harden_hooks ();
  test_harden_annotations ();

  return config_tests_done ();
}
