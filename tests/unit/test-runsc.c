/* The caller's runc command line rewritten for runsc 20221219, and runsc's
   global flags judged.  Cases marked "measured" were run by hand against
   /usr/bin/runsc 20221219 (a busybox bundle, --root under /tmp).  */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli-helpers.h"
#include "cli-internal.h"
#include "cli.h"
#include "runsc.h"
#include "tap.h"
#include "util.h"

#define ROOT "/run/runsc-test"
/* Docker's (containerd runc.v2 shim's) global flags.  */
#define DOCKER                                                                                     \
  "--root /run/docker/runtime-runc/moby --log "                                                    \
  "/run/containerd/io.containerd.runtime.v2.task/moby/ID/log.json --log-format json "
#define DOCKER_X                                                                                   \
  "--log=/run/containerd/io.containerd.runtime.v2.task/moby/ID/log.json --log-format=json "

/* "FORCED" in a wanted line stands for runsc_forced_globals.  */
static char *
expand_forced (const char *want)
{
  struct strbuf forced = { 0 };
  for (size_t i = 0; runsc_forced_globals[i] != NULL; i++)
    strbuf_addf (&forced, "%s%s", i ? " " : "", runsc_forced_globals[i]);
  struct strbuf out = { 0 };
  strbuf_add (&out, "");
  const char *at = strstr (want, "FORCED");
  if (at == NULL)
    strbuf_add (&out, want);
  else
    {
      cleanup_free char *head = xstrndup (want, (size_t)(at - want));
      strbuf_add (&out, head);
      strbuf_add (&out, forced.s);
      strbuf_add (&out, at + strlen ("FORCED"));
    }
  strbuf_free (&forced);
  return out.s;
}

static char *
join_from (char **argv, size_t from)
{
  struct strbuf b = { 0 };
  strbuf_add (&b, "");
  for (size_t i = from; argv[i] != NULL; i++)
    strbuf_addf (&b, "%s%s", i > from ? " " : "", argv[i]);
  return b.s;
}

static bool
message_is_clean (const char *msg)
{
  return strchr (msg, '\n') == NULL && strstr (msg, "permission denied") == NULL
         && strstr (msg, "no such file or directory") == NULL
         && strstr (msg, "executable file not found") == NULL;
}

/* runsc's argv for LINE (swapping as given), or NULL and *err.  */
static char **
translate (struct parsed *p, const struct runsc_swap *swaps, size_t n, char **err)
{
  char **argv = NULL;
  if (p->ret < 0)
    {
      *err = xstrdup (p->err);
      return NULL;
    }
  if (runsc_argv (&p->c, "/usr/bin/runsc", ROOT, swaps, n, &argv, err) < 0)
    return NULL;
  return argv;
}

/* LINE becomes "/usr/bin/runsc --root=ROOT " WANT.  */
static void
becomes_swapped (const char *line, const struct runsc_swap *swaps, size_t n, const char *want)
{
  struct parsed *p = parse_as ("policyrun", line);
  cleanup_free char *err = NULL;
  cleanup_strv char **argv = translate (p, swaps, n, &err);
  cleanup_free char *w = expand_forced (want);
  if (argv == NULL)
    {
      ok (0, "translated: %s", line);
      diag ("refused: %s", err);
    }
  else
    {
      bool head = strcmp (argv[0], "/usr/bin/runsc") == 0 && argv[1] != NULL
                  && strcmp (argv[1], "--root=" ROOT) == 0;
      cleanup_free char *got = join_from (argv, 2);
      ok (head && strcmp (got, w) == 0, "translated: %s", line);
      if (!head || strcmp (got, w) != 0)
        diag ("got  '%s %s %s'\n# want '%s'", argv[0], argv[1] ? argv[1] : "", got, w);
    }
  parsed_free (p);
}

static void
becomes (const char *line, const char *want)
{
  becomes_swapped (line, NULL, 0, want);
}

/* LINE is refused, with a one-line message containing NEEDLE that starts
   with PREFIX (the command).  */
static void
refused_swapped (const char *line, const struct runsc_swap *swaps, size_t n, const char *prefix,
                 const char *needle)
{
  struct parsed *p = parse_as ("policyrun", line);
  cleanup_free char *err = NULL;
  cleanup_strv char **argv = translate (p, swaps, n, &err);
  ok (argv == NULL && err != NULL, "refused: %s", line);
  if (argv != NULL)
    {
      cleanup_free char *got = join_from (argv, 0);
      diag ("got '%s'", got);
    }
  else
    {
      has_str (err, needle, "  ... saying \"%s\"", needle);
      ok (strncmp (err, prefix, strlen (prefix)) == 0 && message_is_clean (err),
          "  ... one clean line starting with \"%s\"", prefix);
      if (strncmp (err, prefix, strlen (prefix)) != 0)
        diag ("message: %s", err);
    }
  parsed_free (p);
}

static void
refused (const char *line, const char *prefix, const char *needle)
{
  refused_swapped (line, NULL, 0, prefix, needle);
}

static void
test_docker_shapes (void)
{
  diag ("Docker's and containerd's runc.v2 shim's calls (measured)");
  becomes (DOCKER "create --bundle /b --pid-file /p/init.pid ID",
           DOCKER_X "FORCED create --bundle=/b --pid-file=/p/init.pid ID");
  becomes (DOCKER "create --bundle /b --console-socket /tmp/pty.sock --pid-file /p ID",
           DOCKER_X "FORCED create --bundle=/b --console-socket=/tmp/pty.sock --pid-file=/p ID");
  becomes (DOCKER "start ID", DOCKER_X "FORCED start ID");
  becomes (DOCKER "state ID", DOCKER_X "FORCED state ID");
  becomes (DOCKER "exec --process /tmp/x.json --detach --pid-file /p/e.pid ID",
           DOCKER_X "FORCED exec --process=/tmp/x.json --detach --pid-file=/p/e.pid ID");
  becomes (DOCKER "exec --process /tmp/x.json --console-socket /s --detach --pid-file /p ID",
           DOCKER_X
           "FORCED exec --console-socket=/s --process=/tmp/x.json --detach --pid-file=/p ID");
  becomes (DOCKER "kill ID 9", DOCKER_X "FORCED kill ID 9");
  becomes (DOCKER "kill --all ID 9", DOCKER_X "FORCED kill --all ID 9");
  becomes (DOCKER "kill ID 15", DOCKER_X "FORCED kill ID 15");
  becomes (DOCKER "delete --force ID", DOCKER_X "FORCED delete --force ID");
  becomes (DOCKER "delete ID", DOCKER_X "FORCED delete ID");
  becomes (DOCKER "ps --format json ID", DOCKER_X "FORCED ps --format=json ID");
  becomes (DOCKER "pause ID", DOCKER_X "FORCED pause ID");
  becomes (DOCKER "resume ID", DOCKER_X "FORCED resume ID");
  /* go-runc's events: --interval=%ds.  */
  becomes (DOCKER "events --interval=5s ID", DOCKER_X "FORCED events --interval=5 ID");
  becomes (DOCKER "events --stats ID", DOCKER_X "FORCED events --stats ID");
  /* go-runc's other globals: --systemd-cgroup, --rootless=false, --debug.  */
  becomes ("--root /r --systemd-cgroup --rootless=false --debug state ID",
           "--debug --systemd-cgroup FORCED state ID");
  /* Docker's runtimeArgs come first; the --root policyrun gives wins.  */
  becomes ("--gvisor --debug-log=/tmp/x/ " DOCKER "create --bundle /b --pid-file /p ID",
           DOCKER_X "--debug-log=/tmp/x/ FORCED create --bundle=/b --pid-file=/p ID");
  becomes ("--gvisor --debug-log /tmp/x/ --debug-log-format=json --root /r --debug start ID",
           "--debug --debug-log=/tmp/x/ --debug-log-format=json FORCED start ID");
}

static void
test_globals (void)
{
  diag ("runc's global flags in runsc's syntax");
  becomes ("state ID", "FORCED state ID");
  becomes ("--log /l --log-format text state ID", "--log=/l --log-format=text FORCED state ID");
  becomes ("--log \"\" --log-format \"\" state ID", "FORCED state ID");
  becomes ("--debug=false --systemd-cgroup=false state ID", "FORCED state ID");
  becomes ("--rootless false state ID", "FORCED state ID");
  becomes ("--rootless=0 state ID", "FORCED state ID");
  refused ("--rootless true create --bundle /b ID", "create: ", "--rootless=true");
  refused ("--rootless auto state ID", "state: ", "--rootless=auto");
  refused ("--rootless \"\" state ID", "state: ", "--rootless=");
  refused ("--criu /usr/sbin/criu state ID", "state: ", "--criu");
  refused ("--criu \"\" state ID", "state: ", "runsc has no such flag");
  /* The forced settings come after everything of the caller's: runsc's
     flag package takes the last.  */
  becomes ("--network=none --oci-seccomp --host-uds=none --host-fifo=none "
           "--fsgofer-host-uds=false --file-access=exclusive --overlay2=none "
           "--allow-flag-override=false state ID",
           "FORCED state ID");
  becomes ("-network=none -oci-seccomp=true state ID", "FORCED state ID");
  becomes ("--version", "FORCED --version");
}

/* runsc's global flags, given among runc's.  */
static void
test_engine_flags (void)
{
  diag ("runsc's global flags: passed through");
  becomes ("--alsologtostderr --buffer-pooling=false --cpu-num-from-quota --dcache 100 "
           "--debug-command create,start --enable-core-tags --fdlimit=512 --panic-log /pl "
           "--watchdog-action panic state ID",
           "--alsologtostderr=true --buffer-pooling=false --cpu-num-from-quota=true "
           "--dcache=100 --debug-command=create,start --enable-core-tags=true --fdlimit=512 "
           "--panic-log=/pl --watchdog-action=panic FORCED state ID");
  /* In the caller's order, every repeat (runsc takes the last).  */
  becomes ("--debug-log=/a --debug-log /b state ID",
           "--debug-log=/a --debug-log=/b FORCED state ID");

  diag ("runsc's global flags: every loosening one refused, wherever it appears");
  static const struct
  {
    const char *flags;
    const char *needle;
  } loose[] = {
    { "--network=host", "--network=host" },
    { "--network sandbox", "--network=sandbox" },
    { "-network=host", "--network=host" },
    { "--net-raw", "--net-raw=true" },
    { "-net-raw", "--net-raw" },
    { "--net-raw=false", "--net-raw" },
    { "--host-uds=all", "--host-uds=all" },
    { "--host-uds open", "--host-uds=open" },
    { "--host-uds=create", "--host-uds=create" },
    { "--host-fifo=open", "--host-fifo=open" },
    { "--fsgofer-host-uds", "--fsgofer-host-uds=true" },
    { "--overlay", "--overlay=true" },
    { "--overlay2=root:memory", "--overlay2=root:memory" },
    { "--overlay2 all:/tmp/x", "--overlay2=all:/tmp/x" },
    { "--file-access=shared", "--file-access=shared" },
    { "--file-access-mounts=exclusive", "--file-access-mounts" },
    { "--file-access-mounts shared", "--file-access-mounts" },
    { "--allow-flag-override", "--allow-flag-override=true" },
    { "--TESTONLY-unsafe-nonroot", "--TESTONLY-unsafe-nonroot" },
    { "--TESTONLY-allow-packet-endpoint-write", "--TESTONLY-allow-packet-endpoint-write" },
    { "--TESTONLY-test-name-env=x", "--TESTONLY-test-name-env" },
    { "--ignore-cgroups", "--ignore-cgroups" },
    { "--platform=kvm", "--platform=kvm" },
    { "--platform ptrace", "--platform=ptrace" },
    { "--platform_device_path=/dev/kvm", "--platform_device_path" },
    { "--profile", "--profile" },
    { "--profile-cpu=/x", "--profile-cpu" },
    { "--profile-heap=/x", "--profile-heap" },
    { "--profile-block=/x", "--profile-block" },
    { "--profile-mutex=/x", "--profile-mutex" },
    { "--trace=/x", "--trace" },
    { "--strace", "--strace" },
    { "--strace-syscalls=open", "--strace-syscalls" },
    { "--strace-log-size=10", "--strace-log-size" },
    { "--strace-event", "--strace-event" },
    { "--log-packets", "--log-packets" },
    { "--pcap-log=/x", "--pcap-log" },
    { "--pod-init-config=/x", "--pod-init-config" },
    { "--oci-seccomp=false", "--oci-seccomp=false" },
    { "--debug-log-fd=3", "--debug-log-fd" },
    { "--log-fd 3", "--log-fd" },
    { "--panic-log-fd=3", "--panic-log-fd" },
    { "--coverage-fd=3", "--coverage-fd" },
    { "--coverage-report=/x", "--coverage-report" },
    { "--cgroupfs", "--cgroupfs" },
    { "--traceback=crash", "--traceback" },
    { "--panic-signal=12", "--panic-signal" },
    { "--ref-leak-mode=log-names", "--ref-leak-mode" },
    { "--EXPERIMENTAL-afxdp", "--EXPERIMENTAL-afxdp" },
    { "--gso=false", "--gso" },
    { "--software-gso=false", "--software-gso" },
    { "--gvisor-gro=1ms", "--gvisor-gro" },
    { "--qdisc=none", "--qdisc" },
    { "--num-network-channels=2", "--num-network-channels" },
    { "--rx-checksum-offload=false", "--rx-checksum-offload" },
    { "--tx-checksum-offload", "--tx-checksum-offload" },
    { "--vfs2", "--vfs2" },
    { "--fuse", "--fuse" },
    { "--lisafs=false", "--lisafs" },
  };
  for (size_t i = 0; i < sizeof loose / sizeof loose[0]; i++)
    {
      cleanup_free char *line
          = xasprintf ("--gvisor %s --root /r create --bundle /b ID", loose[i].flags);
      refused (line, "create: ", loose[i].needle);
      /* Also among runc's globals, after --root.  */
      cleanup_free char *line2 = xasprintf ("--root /r %s delete --force ID", loose[i].flags);
      refused (line2, "delete: ", "refused under gVisor");
    }
  /* runsc_check_engine_flags on its own, as the lead calls it.  */
  struct parsed *p = parse_as ("policyrun", "--debug-log=/d --network=none state ID");
  char *err = NULL;
  ok (p->ret == 0 && runsc_check_engine_flags (&p->c, &err) == 0 && p->c.nengine_flags == 2,
      "runsc_check_engine_flags: an allowed flag and a forced value pass");
  free (err);
  parsed_free (p);
  p = parse_as ("policyrun", "--debug-log=/d --network=host state ID");
  err = NULL;
  ok (p->ret == 0 && runsc_check_engine_flags (&p->c, &err) < 0,
      "runsc_check_engine_flags: --network=host refused");
  has_str (err, "state: --network=host is refused under gVisor", "  ... naming it");
  free (err);
  parsed_free (p);
}

/* Every flag of the one table: its count is `runsc flags`', and each
   verdict is what runsc_argv does with it.  */
static void
test_table (void)
{
  diag ("runsc's global flags table (runsc 20221219: 68 flags)");
  size_t n = 0, pass = 0;
  for (const struct engine_flag_def *e = runsc_global_flags; e->def.name != NULL; e++, n++)
    {
      if (e->verdict == EV_RUNC)
        continue;
      const char *v = e->def.type == FT_BOOL ? "true" : e->def.type == FT_STRING ? "x" : "7";
      if (e->def.type == FT_DURATION)
        v = "1s";
      cleanup_free char *line = xasprintf ("--%s=%s state ID", e->def.name, v);
      struct parsed *p = parse_as ("policyrun", line);
      cleanup_free char *err = NULL;
      cleanup_strv char **argv = translate (p, NULL, 0, &err);
      cleanup_free char *needle = xasprintf ("--%s=%s", e->def.name, v);
      if (e->verdict == EV_PASS)
        {
          pass++;
          cleanup_free char *got = argv ? join_from (argv, 0) : NULL;
          ok (got != NULL && strstr (got, needle) != NULL, "passed: %s", needle);
        }
      else if (e->verdict == EV_FORCED && strcmp (v, e->value) == 0)
        ok (argv != NULL, "forced value taken: %s", needle);
      else
        ok (argv == NULL && err != NULL && strstr (err, needle) != NULL
                && strstr (err, "refused under gVisor") != NULL,
            "refused, naming it: %s", needle);
      parsed_free (p);
    }
  ok (n == 68, "the table has runsc's 68 global flags (%zu)", n);
  ok (pass == 11, "11 are passed through (%zu)", pass);
}

static void
test_commands (void)
{
  diag ("create and run");
  becomes ("create ID --bundle /b", "FORCED create --bundle=/b ID");
  becomes ("create -b /b ID", "FORCED create --bundle=/b ID");
  becomes ("create --pid-file /p1 --bundle /b --pid-file /p2 ID",
           "FORCED create --bundle=/b --pid-file=/p2 ID");
  becomes ("create --no-pivot=false --no-new-keyring=false --preserve-fds 0 --pidfd-socket \"\" ID",
           "FORCED create ID");
  becomes ("create --no-pivot --no-pivot=false ID", "FORCED create ID");
  becomes ("create --console-socket \"\" --pid-file \"\" ID", "FORCED create ID");
  refused ("create --no-pivot ID",
           "create: ", "--no-pivot is refused under gVisor: runsc has no such flag");
  refused ("create --no-new-keyring ID",
           "create: ", "--no-new-keyring is refused under gVisor: runsc has no such flag");
  refused ("create --preserve-fds 3 ID",
           "create: ", "--preserve-fds is refused under gVisor: runsc has no such flag");
  refused ("create --pidfd-socket /s ID",
           "create: ", "--pidfd-socket is refused under gVisor: runsc has no such flag");
  becomes ("run --bundle /b -d ID", "FORCED run --bundle=/b --detach ID");
  becomes ("run --detach=false --keep=false --no-subreaper=false ID", "FORCED run ID");
  refused ("run --keep ID", "run: ", "--keep is refused under gVisor: runsc has no such flag");
  refused ("run --no-subreaper ID", "run: ", "--no-subreaper is refused");
  refused ("run --no-pivot -d ID", "run: ", "--no-pivot is refused");

  diag ("exec");
  becomes ("exec -u 1000:1000 -g 5 -g 6 -c CAP_CHOWN -e A=1 -e B=2 --cwd /w ID sh -c true",
           "FORCED exec --cwd=/w --env=A=1 --env=B=2 --user=1000:1000 --additional-gids=5 "
           "--additional-gids=6 --cap=CAP_CHOWN ID sh -c true");
  becomes ("exec --user \"\" --cwd \"\" ID true", "FORCED exec ID true");
  becomes ("exec --tty=false --no-new-privs=false --ignore-paused=false --preserve-fds=0 "
           "--process-label \"\" --apparmor \"\" ID true",
           "FORCED exec ID true");
  becomes ("exec ID sh -c --help", "FORCED exec ID sh -c --help");
  refused ("exec -t ID sh", "exec: ", "--tty is refused under gVisor: runsc has no such flag");
  refused ("exec --tty ID sh", "exec: ", "--tty is refused");
  refused ("exec --process-label x ID sh", "exec: ", "--process-label is refused");
  refused ("exec --apparmor p ID sh", "exec: ", "--apparmor is refused");
  refused ("exec --no-new-privs ID sh", "exec: ", "--no-new-privs is refused");
  refused ("exec --preserve-fds 1 ID sh", "exec: ", "--preserve-fds is refused");
  refused ("exec --cgroup a ID sh", "exec: ", "--cgroup is refused");
  refused ("exec --cgroup \"\" ID sh", "exec: ", "--cgroup is refused");
  refused ("exec --ignore-paused ID sh", "exec: ", "--ignore-paused is refused");
  refused ("exec --pidfd-socket /s ID sh", "exec: ", "--pidfd-socket is refused");
  /* measured: runsc exec --user=1000 runs with gid 0.  */
  refused ("exec --user 1000 ID id", "exec: ", "--user=1000 is refused");
  refused ("exec --user 0x10:0 ID id", "exec: ", "plain decimal");
  refused ("exec --user +1:0 ID id", "exec: ", "plain decimal");
  refused ("exec --user -1:0 ID id", "exec: ", "plain decimal");
  refused ("exec --user 4294967296:0 ID id", "exec: ", "plain decimal");
  refused ("exec --user 1:2:3 ID id", "exec: ", "plain decimal");
  refused ("exec --user 1: ID id", "exec: ", "plain decimal");
  becomes ("exec --user 4294967295:0 ID id", "FORCED exec --user=4294967295:0 ID id");
  refused ("exec --user 1:1 -g 4294967296 ID id", "exec: ", "--additional-gids=4294967296");
  refused ("exec --user 1:1 -g -1 ID id", "exec: ", "--additional-gids=-1");
  refused ("exec --process /p.json ID sh", "exec: ", "either --process or a command");

  diag ("kill, delete, state, ps, events, list, spec");
  becomes ("kill ID", "FORCED kill ID");
  becomes ("kill ID KILL", "FORCED kill ID KILL");
  becomes ("kill ID SIGKILL", "FORCED kill ID SIGKILL");
  becomes ("kill -a ID TERM", "FORCED kill --all ID TERM");
  becomes ("kill --all=false ID 9", "FORCED kill ID 9");
  refused ("kill ID 9 extra", "kill: ", "runc takes 1 to 2 argument(s)");
  refused ("kill", "kill: ", "runc takes 1 to 2");
  becomes ("delete -f ID", "FORCED delete --force ID");
  /* runsc delete takes several ids; runc one.  */
  refused ("pause ID1 ID2", "pause: ", "exactly 1 argument");
  refused ("kill --all ID1 ID2 9", "kill: ", "runc takes 1 to 2");
  refused ("state", "state: ", "exactly 1 argument");
  refused ("state a/b", "state: ", "invalid container id");
  becomes ("delete -- -x", "FORCED delete -- -x");
  becomes ("ps ID", "FORCED ps ID");
  becomes ("ps --format table ID", "FORCED ps --format=table ID");
  /* measured: runsc ps ID -ef is a usage error.  */
  refused ("ps ID -ef", "ps: ", "runsc ps takes no ps options");
  refused ("ps --format text ID", "ps: ", "--format=text is refused");
  becomes ("events --interval 1m30s ID", "FORCED events --interval=90 ID");
  becomes ("events --interval 2000ms ID", "FORCED events --interval=2 ID");
  becomes ("events --interval 1h ID", "FORCED events --interval=3600 ID");
  becomes ("events ID", "FORCED events ID");
  refused ("events --interval 1500ms ID", "events: ", "whole seconds");
  refused ("events --interval 0s ID", "events: ", "whole seconds");
  refused ("events --interval 0 ID", "events: ", "whole seconds");
  refused ("events --interval 1.5s ID", "events: ", "whole seconds");
  refused ("events --interval -5s ID", "events: ", "whole seconds");
  becomes ("list", "FORCED list");
  becomes ("list -q", "FORCED list --quiet");
  /* measured: runsc list knows text and json, not table.  */
  becomes ("list --format table", "FORCED list --format=text");
  becomes ("list --format json -q", "FORCED list --format=json --quiet");
  refused ("list --format yaml", "list: ", "--format=yaml is refused");
  refused ("list ID", "list: ", "exactly 0 argument");
  becomes ("spec --bundle /b", "FORCED spec --bundle=/b");
  becomes ("spec --rootless=false", "FORCED spec");
  refused ("spec --rootless",
           "spec: ", "--rootless is refused under gVisor: runsc has no such flag");
  becomes ("create --help", "FORCED help create");
  becomes ("create --help=false --bundle /b ID", "FORCED create --bundle=/b ID");
  becomes ("help create", "FORCED help create");

  diag ("commands runsc has not");
  refused ("update --memory 1g ID",
           "update: ", "gVisor cannot change a running sandbox's resources");
  refused ("update -r - ID", "update: ", "gVisor cannot change");
  refused ("checkpoint ID", "checkpoint: ", "refused under gVisor");
  refused ("restore --bundle /b ID", "restore: ", "refused under gVisor");
  refused ("features", "features: ", "runsc has no features command");
}

static void
test_swaps (void)
{
  diag ("swapped values (the lead's private bundle, process, paths)");
  struct runsc_swap bundle = { "bundle", "/priv/b" };
  becomes_swapped ("create --bundle /b --pid-file /p ID", &bundle, 1,
                   "FORCED create --bundle=/priv/b --pid-file=/p ID");
  becomes_swapped ("create -b /b1 -b=/b2 ID", &bundle, 1, "FORCED create --bundle=/priv/b ID");
  /* Added when the caller gave none.  */
  becomes_swapped ("create ID", &bundle, 1, "FORCED create --bundle=/priv/b ID");
  struct runsc_swap two[] = { { "process", "/priv/p.json" }, { "console-socket", "/abs/s" } };
  becomes_swapped ("exec --process x.json --console-socket s --detach ID", two, 2,
                   "FORCED exec --console-socket=/abs/s --process=/priv/p.json --detach ID");
  struct runsc_swap last[] = { { "pid-file", "/a" }, { "pid-file", "/b" } };
  becomes_swapped ("create --pid-file p ID", last, 2, "FORCED create --pid-file=/b ID");
  struct runsc_swap drop = { "pid-file", NULL };
  becomes_swapped ("create --pid-file p ID", &drop, 1, "FORCED create ID");
  struct runsc_swap env = { "env", "A=1" };
  refused_swapped ("exec ID true", &env, 1, "exec: ", "--env cannot be given to runsc");
  struct runsc_swap nope = { "bundle", "/b" };
  refused_swapped ("start ID", &nope, 1, "start: ", "--bundle cannot be given to runsc");
}

/* exec given policyrun's own process file: the caller's process flags and
   command words are what the file was built from, so runsc gets none of
   them; the flags about the call itself stay.  */
static void
test_private_process (void)
{
  diag ("exec with policyrun's process file (a \"process\" swap)");
  static const struct runsc_swap proc[] = { { "process", "/priv/p.json" } };
  static const struct
  {
    const char *line;
    const char *want; /* NULL: refused, saying needle */
    const char *needle;
  } cases[] = {
    /* Docker's and containerd's shim.  */
    { DOCKER "exec --process /tmp/x.json --detach --pid-file /p/e.pid ID",
      DOCKER_X "FORCED exec --process=/priv/p.json --detach --pid-file=/p/e.pid ID", NULL },
    { DOCKER "exec --process /tmp/x.json --console-socket /s --detach --pid-file /p ID",
      DOCKER_X "FORCED exec --console-socket=/s --process=/priv/p.json --detach --pid-file=/p ID",
      NULL },
    /* The CLI's shape: every process flag dropped, even those refused
       without the file (-t, a --user without gid, --no-new-privs).  */
    { "exec -u 0 --env A=B --cwd /x -t ID sh -c id", "FORCED exec --process=/priv/p.json ID",
      NULL },
    { "exec -u 1000 -g 5 -g 4294967296 -c CAP_SYS_ADMIN -e A=1 --cwd /w --tty --no-new-privs "
      "--apparmor unconfined --process-label l -d ID sh -c true",
      "FORCED exec --process=/priv/p.json --detach ID", NULL },
    { "exec --pid-file /p --detach=false ID true",
      "FORCED exec --process=/priv/p.json --pid-file=/p ID", NULL },
    /* The caller's own --process, with words runc would ignore.  */
    { "exec --process /c.json ID sh", "FORCED exec --process=/priv/p.json ID", NULL },
    { "exec ID", "FORCED exec --process=/priv/p.json ID", NULL },
    { "exec -u 0:0 -- -x sh", "FORCED exec --process=/priv/p.json -- -x", NULL },
    /* Flags about the call that runsc lacks: still refused.  */
    { "exec --preserve-fds 1 ID sh", NULL, "--preserve-fds is refused" },
    { "exec --cgroup a ID sh", NULL, "--cgroup is refused" },
    { "exec --ignore-paused ID sh", NULL, "--ignore-paused is refused" },
    { "exec --pidfd-socket /s ID sh", NULL, "--pidfd-socket is refused" },
    { "exec --user 1000 --preserve-fds=0 --ignore-paused=false ID sh",
      "FORCED exec --process=/priv/p.json ID", NULL },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (cases[i].want != NULL)
      becomes_swapped (cases[i].line, proc, 1, cases[i].want);
    else
      refused_swapped (cases[i].line, proc, 1, "exec: ", cases[i].needle);

  /* The last process swap decides; NULL drops the flag and leaves the plain
     translation with its refusals.  */
  struct runsc_swap undone[] = { { "process", "/priv/p.json" }, { "process", NULL } };
  refused_swapped ("exec -t ID sh", undone, 2, "exec: ", "--tty is refused");
  becomes_swapped ("exec --user 1:1 ID id", undone, 2, "FORCED exec --user=1:1 ID id");
  struct runsc_swap redone[] = { { "process", NULL }, { "process", "/priv/q.json" } };
  becomes_swapped ("exec -t ID sh", redone, 2, "FORCED exec --process=/priv/q.json ID");
  /* Other swaps still apply to the flags that stay.  */
  struct runsc_swap more[] = { { "process", "/priv/p.json" }, { "pid-file", "/abs/p" } };
  becomes_swapped ("exec --process x --pid-file p -d ID", more, 2,
                   "FORCED exec --process=/priv/p.json --detach --pid-file=/abs/p ID");
  /* An empty file name would leave runsc the dropped flags' defaults.  */
  struct runsc_swap empty = { "process", "" };
  refused_swapped ("exec -u 0 ID sh", &empty, 1, "exec: ", "internal error: an empty --process");
  /* Not exec: a process swap is no flag of create.  */
  refused_swapped ("create --bundle /b ID", proc, 1,
                   "create: ", "--process cannot be given to runsc");
}

int
main (void)
{
  test_docker_shapes ();
  test_globals ();
  test_engine_flags ();
  test_table ();
  test_commands ();
  test_swaps ();
  test_private_process ();
  return done_testing ();
}
