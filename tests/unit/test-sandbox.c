/* Unit tests for the record of attested CRI sandboxes (src/sandbox.c):
   the record itself, who may join a recorded sandbox's namespaces, and
   which network namespaces a pod sandbox may join.  The namespaces are
   real: lab children (ns-lab.h) stand for pause processes and for
   processes policyrun never recorded.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle.h"
#include "json.h"
#include "ns-lab.h"
#include "policy.h"
#include "sandbox.h"
#include "tap.h"
#include "util.h"

#define ROOT "/run/test-containerd/k8s.io"

static struct policy pol;
static char *tmp;

static void
make_private_bundle (const char *id)
{
  cleanup_free char *err = NULL;
  cleanup_free char *dir = NULL;
  json_value *config = NULL;
  if (json_parse ("{}", 2, &config, &err) < 0
      || bundle_write_private (&pol, ROOT, id, config, &dir, &err) < 0)
    {
      printf ("Bail out! private bundle %s: %s\n", id, err ? err : "?");
      exit (1);
    }
  json_free (config);
}

static char *
record_path (const char *id)
{
  cleanup_free char *dir = bundle_private_dir (&pol, ROOT, id);
  return xasprintf ("%s/sandbox", dir);
}

/* Record the lab child pid as sandbox id.  */
static void
record (const char *id, pid_t pid)
{
  cleanup_free char *path = xasprintf ("/proc/%ld", (long)pid);
  cleanup_close int procfd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct sandbox_record r;
  cleanup_free char *err = NULL;
  if (procfd < 0 || sandbox_record_of_process (procfd, pid, &r, &err) < 0
      || sandbox_record_write (&pol, ROOT, id, &r, &err) < 0)
    {
      printf ("Bail out! record %s: %s\n", id, err ? err : strerror (errno));
      exit (1);
    }
}

static void
write_text (const char *path, const char *text, mode_t mode)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0 || write (fd, text, strlen (text)) != (ssize_t)strlen (text))
    lab_bail (path);
  fchmod (fd, mode);
  close (fd);
}

/* sandbox_join_allowed, its reason in *why (NULL when allowed).  */
static int
join (const char *sid, enum sandbox_ns k, const char *path, char **why)
{
  free (*why);
  *why = NULL;
  return sandbox_join_allowed (&pol, ROOT, sid, k, path, why);
}

static void
test_cri_annotations (void)
{
  json_value *c = NULL;
  cleanup_free char *err = NULL;
  const char *text
      = "{\"annotations\":{\"io.kubernetes.cri.container-type\":\"container\","
        "\"io.kubernetes.cri.sandbox-id\":\"abc\",\"io.kubernetes.cri.container-type2\":"
        "\"x\"}}";
  if (json_parse (text, strlen (text), &c, &err) < 0)
    lab_bail ("json");
  is_str (sandbox_cri_type (c), "container", "the container type is read by its exact key");
  is_str (sandbox_cri_sandbox_id (c), "abc", "the sandbox id is read by its exact key");
  json_free (c);
  const char *seven = "{\"annotations\":{\"io.kubernetes.cri.container-type\":7}}";
  if (json_parse (seven, strlen (seven), &c, &err) < 0)
    lab_bail ("json");
  ok (sandbox_cri_type (c) == NULL, "a type that is not a string is no type");
  json_free (c);
  ok (sandbox_ns_of_type ("network") == SANDBOX_NS_NET
          && sandbox_ns_of_type ("pid") == SANDBOX_NS_PID && sandbox_ns_of_type ("mount") == -1
          && sandbox_ns_of_type ("Network") == -1,
      "joinable types: network, ipc, uts, pid, compared exactly as runc does");
}

static void
test_record_and_join (void)
{
  pid_t pause_pid = lab_spawn (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS, -1);
  pid_t stranger = lab_spawn (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS, -1);
  make_private_bundle ("sb1");
  make_private_bundle ("sb-unstarted");
  record ("sb1", pause_pid);

  cleanup_free char *rec = record_path ("sb1");
  struct stat st;
  ok (stat (rec, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0777) == 0600 && st.st_uid == 0,
      "the record is a 0600 file of root's in the sandbox's private bundle");

  struct sandbox_record r;
  cleanup_free char *why = NULL;
  ok (sandbox_record_read (&pol, ROOT, "sb1", &r, &why) == 1 && r.pid == pause_pid,
      "the record reads back with the pause pid");
  struct stat ns;
  cleanup_free char *netpath = xasprintf ("/proc/%ld/ns/net", (long)pause_pid);
  ok (stat (netpath, &ns) == 0 && r.ns[SANDBOX_NS_NET].ino == (uint64_t)ns.st_ino
          && r.ns[SANDBOX_NS_NET].dev == (uint64_t)ns.st_dev,
      "it holds the pause process's network namespace identity");

  static const char *const kinds[] = { "net", "ipc", "uts" };
  for (int k = 0; k < 3; k++)
    {
      cleanup_free char *p = xasprintf ("/proc/%ld/ns/%s", (long)pause_pid, kinds[k]);
      int allowed = join ("sb1", (enum sandbox_ns)k, p, &why);
      ok (allowed == 0, "an app container may join the recorded sandbox's %s namespace (%s)",
          kinds[k], why ? why : "allowed");
      cleanup_free char *s = xasprintf ("/proc/%ld/ns/%s", (long)stranger, kinds[k]);
      join ("sb1", (enum sandbox_ns)k, s, &why);
      has_str (why, "is not the", "a process policyrun did not record: its %s namespace is refused",
               kinds[k]);
      cleanup_free char *own = xasprintf ("/proc/self/ns/%s", kinds[k]);
      join ("sb1", (enum sandbox_ns)k, own, &why);
      has_str (why, "is not the", "policyrun's own (the host's) %s namespace is refused", kinds[k]);
    }
  cleanup_free char *ipcpath = xasprintf ("/proc/%ld/ns/ipc", (long)pause_pid);
  join ("sb1", SANDBOX_NS_NET, ipcpath, &why);
  has_str (why, "is not the network namespace",
           "the sandbox's ipc namespace is not its network one");
  cleanup_free char *pidpath = xasprintf ("/proc/%ld/ns/pid", (long)pause_pid);
  ok (join ("sb1", SANDBOX_NS_PID, pidpath, &why) == 0,
      "its pid namespace, for shareProcessNamespace");

  cleanup_free char *sp = xasprintf ("/proc/%ld/ns/net", (long)stranger);
  join ("nosuch", SANDBOX_NS_NET, sp, &why);
  has_str (why, "policyrun created no sandbox \"nosuch\"", "an id policyrun never created");
  join ("sb-unstarted", SANDBOX_NS_NET, sp, &why);
  has_str (why, "never attested", "a sandbox created but not started through policyrun");
  join (NULL, SANDBOX_NS_NET, netpath, &why);
  has_str (why, "no valid io.kubernetes.cri.sandbox-id", "no sandbox id");
  join ("..", SANDBOX_NS_NET, netpath, &why);
  has_str (why, "no valid", "a sandbox id that is a path step");
  join ("sb1", SANDBOX_NS_NET, "/nonexistent/ns", &why);
  has_str (why, "cannot be inspected", "a path that does not exist");

  /* The same sandbox id under another root is another sandbox.  */
  free (why);
  why = NULL;
  ok (sandbox_join_allowed (&pol, "/run/test-containerd/other/k8s.io", "sb1", SANDBOX_NS_NET,
                            netpath, &why)
              == 1
          && why && strstr (why, "created no sandbox"),
      "a record counts only under the root it was made under");

  /* A record that is not policyrun's own, or not a record.  */
  chmod (rec, 0644);
  join ("sb1", SANDBOX_NS_NET, netpath, &why);
  has_str (why, "not policyrun's own", "a record others may read is not trusted");
  chmod (rec, 0600);
  cleanup_free char *saved = NULL;
  {
    cleanup_close int fd = open (rec, O_RDONLY | O_CLOEXEC);
    size_t len = 0;
    cleanup_free char *err = NULL;
    if (fd < 0 || read_all_fd (fd, 4096, &saved, &len, &err) < 0)
      lab_bail ("read record");
  }
  write_text (rec, "policyrun-sandbox 1\npid 1 2\nnet 1 2\n", 0600);
  join ("sb1", SANDBOX_NS_NET, netpath, &why);
  has_str (why, "cannot be read", "a truncated record is refused");
  /* The same namespaces, the pause pid's start time one tick off: the pid
     was reused.  */
  {
    struct sandbox_record off = r;
    off.start_time++;
    cleanup_free char *err = NULL;
    sandbox_record_write (&pol, ROOT, "sb1", &off, &err);
  }
  join ("sb1", SANDBOX_NS_NET, netpath, &why);
  has_str (why, "is gone", "a pause pid with another start time is not the pause process");
  write_text (rec, saved, 0600);
  ok (join ("sb1", SANDBOX_NS_NET, netpath, &why) == 0, "the restored record is joinable again");

  /* start: the created app's namespaces against the record.  */
  cleanup_close int pause_net = lab_ns_fd (pause_pid, "net");
  pid_t app = lab_spawn (0, pause_net);
  cleanup_free char *app_dir = xasprintf ("/proc/%ld", (long)app);
  cleanup_close int app_fd = open (app_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool joined[SANDBOX_NS_COUNT] = { [SANDBOX_NS_NET] = true };
  free (why);
  why = NULL;
  ok (sandbox_joined_check (&pol, ROOT, "sb1", app_fd, joined, &why) == 0,
      "start: an app in the sandbox's network namespace holds (%s)", why ? why : "ok");
  joined[SANDBOX_NS_IPC] = true;
  ok (sandbox_joined_check (&pol, ROOT, "sb1", app_fd, joined, &why) == 1 && why
          && strstr (why, "ipc namespace that is not"),
      "start: an app claiming the ipc namespace it is not in is refused");
  lab_kill (app);

  /* The pause process dies: a zombie first, then reaped.  */
  kill (pause_pid, SIGKILL);
  siginfo_t si;
  waitid (P_PID, (id_t)pause_pid, &si, WEXITED | WNOWAIT);
  join ("sb1", SANDBOX_NS_NET, netpath, &why);
  has_str (why, "is gone", "a dead (zombie) pause process cannot be joined");
  waitpid (pause_pid, NULL, 0);
  join ("sb1", SANDBOX_NS_NET, netpath, &why);
  has_str (why, "is gone", "a reaped pause process cannot be joined");

  cleanup_free char *err = NULL;
  bundle_remove_private (&pol, ROOT, "sb1", &err);
  ok (access (rec, F_OK) != 0, "removing the private bundle removes the record");
  lab_kill (stranger);
}

static int
fresh (const char *path, char **why)
{
  free (*why);
  *why = NULL;
  return sandbox_netns_fresh (path, why);
}

/* ip (iproute2) adding a bridge inside the namespace nsfd: 0, or -1 when
   this host cannot.  */
static int
add_interface (int nsfd)
{
  pid_t pid = fork ();
  if (pid == 0)
    {
      int devnull = open ("/dev/null", O_WRONLY);
      dup2 (devnull, 1);
      dup2 (devnull, 2);
      if (setns (nsfd, CLONE_NEWNET) < 0)
        _exit (2);
      execlp ("ip", "ip", "link", "add", "policyrun0", "type", "bridge", (char *)NULL);
      _exit (3);
    }
  int status = 0;
  waitpid (pid, &status, 0);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0 ? 0 : -1;
}

static void
test_fresh_netns (void)
{
  cleanup_free char *why = NULL;
  cleanup_free char *dir = xasprintf ("%s/ns", tmp);
  /* The binds go on a tmpfs of the test's own mount namespace, detached
     whole at the end.  */
  if (mkdir (dir, 0700) < 0 || mount ("lab", dir, "tmpfs", 0, "mode=0700") < 0)
    lab_bail ("tmpfs for the lab's binds");

  cleanup_close int empty = lab_empty_netns ();
  cleanup_free char *cni = lab_bind (dir, "cni-1", empty);
  int r = fresh (cni, &why);
  ok (r == 0, "a bind-mounted netns with only lo and no process is fresh (%s)",
      why ? why : "accepted");
  cleanup_free char *link = xasprintf ("%s/link-to-cni", dir);
  symlink (cni, link);
  r = fresh (link, &why);
  ok (r == 0, "... also through a symlink (%s)", why ? why : "accepted");

  fresh ("relative/ns", &why);
  has_str (why, "not an absolute path", "a relative path");
  fresh ("/proc/self/ns/net", &why);
  has_str (why, "under /proc", "a /proc path (another process for runc)");
  fresh ("/proc/../proc/1/ns/net", &why);
  has_str (why, "under /proc", "a /proc path spelled with ..");
  cleanup_free char *plink = xasprintf ("%s/link-to-proc", dir);
  symlink ("/proc/self/ns/net", plink);
  fresh (plink, &why);
  has_str (why, "cannot be resolved (it does not exist)",
           "a symlink into /proc (its target is no path outside /proc)");
  fresh ("/nonexistent/cni-2", &why);
  has_str (why, "cannot be resolved", "a path that does not exist");
  cleanup_free char *plain = xasprintf ("%s/plain", dir);
  write_text (plain, "", 0600);
  fresh (plain, &why);
  has_str (why, "not a namespace file", "a regular file");

  cleanup_close int own_net = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  cleanup_free char *own = lab_bind (dir, "own", own_net);
  fresh (own, &why);
  has_str (why, "policyrun's own", "policyrun's own (the host's) netns, bound elsewhere");

  pid_t ipc_child = lab_spawn (CLONE_NEWIPC, -1);
  cleanup_close int ipcfd = lab_ns_fd (ipc_child, "ipc");
  lab_kill (ipc_child);
  cleanup_free char *ipc = lab_bind (dir, "ipc", ipcfd);
  fresh (ipc, &why);
  has_str (why, "not a network namespace", "an ipc namespace");

  /* A process in it: a namespace another container uses.  */
  cleanup_close int used = lab_empty_netns ();
  cleanup_free char *usedp = lab_bind (dir, "used", used);
  pid_t tenant = lab_spawn (0, used);
  fresh (usedp, &why);
  cleanup_free char *want = xasprintf ("process %ld is in it already", (long)tenant);
  has_str (why, want, "a netns a process is in");
  lab_kill (tenant);
  r = fresh (usedp, &why);
  ok (r == 0, "the same netns once that process is gone (%s)", why ? why : "accepted");

  /* Sockets left in it by a process outside.  */
  cleanup_close int sock_ns = lab_empty_netns ();
  cleanup_free char *sockp = lab_bind (dir, "sockets", sock_ns);
  cleanup_close int back = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  int sv[2] = { -1, -1 };
  if (setns (sock_ns, CLONE_NEWNET) < 0 || socketpair (AF_UNIX, SOCK_STREAM, 0, sv) < 0
      || setns (back, CLONE_NEWNET) < 0)
    lab_bail ("sockets in a netns");
  fresh (sockp, &why);
  has_str (why, "holds 2 sockets", "a netns holding sockets of a process outside it");
  close (sv[0]);
  close (sv[1]);

  /* An interface besides lo.  */
  cleanup_close int if_ns = lab_empty_netns ();
  cleanup_free char *ifp = lab_bind (dir, "ifaces", if_ns);
  if (add_interface (if_ns) == 0)
    {
      fresh (ifp, &why);
      has_str (why, "interfaces [policyrun0]", "a netns with a bridge besides lo");
    }
  else
    printf ("ok %d - # SKIP no bridge interfaces here (ip link add ... type bridge failed)\n",
            ++tap_n);

  struct stat a, b;
  ok (stat ("/proc/self/ns/net", &a) == 0 && fstat (back, &b) == 0 && a.st_ino == b.st_ino,
      "the checks leave policyrun in its own network namespace");
  if (umount2 (dir, MNT_DETACH) < 0)
    lab_bail ("umount of the lab's binds");
}

static void
test_alone (void)
{
  cleanup_free char *why = NULL;
  pid_t pause_pid = lab_spawn (CLONE_NEWNET, -1);
  cleanup_free char *dir = xasprintf ("/proc/%ld", (long)pause_pid);
  cleanup_close int procfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ok (sandbox_netns_alone (procfd, pause_pid, &why) == 0, "start: the pause process alone (%s)",
      why ? why : "holds");
  cleanup_close int nsfd = lab_ns_fd (pause_pid, "net");
  pid_t other = lab_spawn (0, nsfd);
  ok (sandbox_netns_alone (procfd, pause_pid, &why) == 1 && why
          && strstr (why, "shares the sandbox's network namespace"),
      "start: another process in the sandbox's netns is refused");
  lab_kill (other);
  lab_kill (pause_pid);
}

int
main (void)
{
  const char *no = lab_unavailable ();
  if (no != NULL)
    {
      printf ("1..0 # SKIP the sandbox tests %s\n", no);
      return 0;
    }
  char templ[] = "/tmp/policyrun-test-sandbox.XXXXXX";
  if (mkdtemp (templ) == NULL)
    lab_bail ("mkdtemp");
  tmp = xstrdup (templ);
  policy_defaults (&pol);
  free (pol.state_dir);
  pol.state_dir = xasprintf ("%s/state", tmp);
  lab_private_mounts ();

  test_cri_annotations ();
  test_record_and_join ();
  test_fresh_netns ();
  test_alone ();

  policy_free (&pol);
  cleanup_free char *rm = xasprintf ("rm -rf '%s'", tmp);
  if (system (rm) != 0)
    diag ("could not remove %s", tmp);
  free (tmp);
  return done_testing ();
}
