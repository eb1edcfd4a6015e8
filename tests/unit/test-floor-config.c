/* The config-level rules of the floor: network, namespaces, filesystem,
   mounts, devices, masked paths, sysctl, kernel, hooks and annotations.
   Each rule passes the floor-holding fixture; each refusal is found with its
   rule id, field and fix; each tightening is recorded and written into the
   tree that the delegate will read.  */
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

#include "floor-helpers.h"

/* hooks.c's seam: where /proc is read.  */
extern const char *floor_hooks_proc_dir;
/* kernel.c's seam: where systemd's unit directories are.  */
extern const char *floor_systemd_root;

typedef void (*rule_fn) (struct floor_ctx *ctx);

static json_value *config;
static char *tmp;          /* a scratch directory, removed at the end */
static char *fake_proc;    /* tmp/proc: 4242/exe -> tmp/bin/dockerd */
static char *fake_dockerd; /* tmp/bin/dockerd, on the test's hook allowlist */

/* ---- helpers ---------------------------------------------------------------- */

static void
fresh (void)
{
  json_free (config);
  config = load_ok_config ();
  verdict_free (&verdict);
}

static void
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

static void
count_violations (const char *name, size_t want)
{
  size_t n = verdict_violations (&verdict);
  ok (n == want, "%s: %zu violations", name, want);
  if (n != want)
    print_verdict (&verdict);
}

static json_value *
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

static json_value *
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
static void
set_item (const char *array_path, size_t i, const char *field, const char *literal)
{
  json_object_set (item (array_path, i), field, parse_json (literal));
}

static void
remove_item (const char *array_path, size_t i)
{
  json_array_remove (get (array_path, JSON_ARRAY), i);
}

/* Append a JSON literal to array_path; returns its index.  */
static size_t
append (const char *array_path, const char *literal)
{
  json_value *a = get (array_path, JSON_ARRAY);
  json_array_append (a, parse_json (literal));
  return a->u.array.len - 1;
}

static void
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

static bool
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
static char *
mount_field (size_t i, const char *what)
{
  return what[0] ? xasprintf ("mounts[%zu].%s", i, what) : xasprintf ("mounts[%zu]", i);
}

/* Append a mount and run the mounts rule.  Returns its index.  */
static size_t
with_mount (const char *literal)
{
  fresh ();
  size_t i = append ("mounts", literal);
  run (floor_check_mounts);
  return i;
}

static void
mount_refused (const char *name, const char *literal, const char *what, const char *fix,
               const char *detail_part)
{
  size_t i = with_mount (literal);
  char *field = mount_field (i, what);
  expect_violation (name, "mounts", field, fix, detail_part);
  free (field);
}

static void
mount_accepted (const char *name, const char *literal)
{
  with_mount (literal);
  expect_accepted (name);
}

static void test_bind_sockets (void);

static void
write_file (const char *path, const char *text)
{
  FILE *f = fopen (path, "we");
  if (f == NULL || fputs (text, f) < 0 || fclose (f) != 0)
    {
      printf ("Bail out! cannot write %s\n", path);
      exit (1);
    }
}

static void
add_hook_allowlist (const char *path)
{
  struct string_list *l = &test_policy.hook_allowlist;
  l->items = xrealloc (l->items, (l->len + 2) * sizeof *l->items);
  l->items[l->len++] = xstrdup (path);
  l->items[l->len] = NULL;
}

static void
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

/* ---- the fixture ---------------------------------------------------------------- */

static void
test_fixture (void)
{
  static const char *const rules[] = {
    "network",      "namespaces", "filesystem", "mounts", "devices",
    "masked-paths", "sysctl",     "kernel",     "hooks",  "annotations",
  };
  fresh ();
  floor_check_config (config, &test_policy, &test_host, &verdict);
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
    {
      const struct finding *f = find_finding (&verdict, FINDING_VIOLATION, rules[i], NULL);
      ok (f == NULL, "fixture: no %s violation", rules[i]);
      if (f)
        print_verdict (&verdict);
    }
  count_violations ("fixture: the whole floor", 0);
}

/* ---- network ---------------------------------------------------------------------- */

static void
test_network (void)
{
  const char *fix = "run with --network none";

  fresh ();
  run (floor_check_network);
  expect_accepted ("network: Docker's fresh namespace");

  fresh ();
  remove_item ("linux.namespaces", 1);
  run (floor_check_network);
  expect_violation ("network: --network host (no entry)", "network", "linux.namespaces", fix,
                    "no \"network\" entry");

  fresh ();
  set_item ("linux.namespaces", 1, "path", "\"/var/run/netns/cni-1234\"");
  run (floor_check_network);
  expect_violation ("network: a CNI namespace by path", "network", "linux.namespaces[1].path", fix,
                    "cni-1234");

  fresh ();
  set_item ("linux.namespaces", 1, "path", "\"\"");
  run (floor_check_network);
  expect_violation ("network: even an empty path", "network", "linux.namespaces[1].path", fix,
                    NULL);

  fresh ();
  set_item ("linux.namespaces", 1, "Path", "\"/proc/1/ns/net\"");
  run (floor_check_network);
  expect_violation ("network: a path under Go's key folding", "network", "linux.namespaces[1].path",
                    fix, "/proc/1/ns/net");

  fresh ();
  append ("linux.namespaces", "{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"}");
  run (floor_check_network);
  expect_violation ("network: a second network entry", "network", "linux.namespaces", fix,
                    "2 \"network\" entries");
  expect_violation ("network: ... whose path joins the host", "network", "linux.namespaces[5].path",
                    fix, NULL);

  fresh ();
  set_json (config, "linux.netDevices", "{\"eth0\":{\"name\":\"eth0\"}}");
  run (floor_check_network);
  expect_violation ("network: linux.netDevices", "network", "linux.netDevices", fix, "eth0");

  fresh ();
  set_json (config, "linux.netDevices", "{}");
  run (floor_check_network);
  expect_accepted ("network: an empty linux.netDevices");

  fresh ();
  set_json (config, "linux.netDevices", "null");
  run (floor_check_network);
  expect_violation ("network: linux.netDevices null", "network", "linux.netDevices", fix, "null");

  fresh ();
  remove_field ("linux.namespaces");
  run (floor_check_network);
  expect_violation ("network: no namespaces at all", "network", "linux.namespaces", fix, "absent");

  fresh ();
  set_json (config, "linux.namespaces", "null");
  run (floor_check_network);
  expect_violation ("network: namespaces null", "network", "linux.namespaces", fix, "null");

  fresh ();
  json_object_remove (config, "linux");
  run (floor_check_network);
  expect_violation ("network: no linux object", "network", "linux.namespaces", fix, "absent");
}

/* ---- namespaces ------------------------------------------------------------------- */

static void
test_namespaces (void)
{
  fresh ();
  run (floor_check_namespaces);
  expect_accepted ("namespaces: Docker's five");

  /* fixture order: mount, network, uts, pid, ipc */
  static const struct
  {
    size_t index;
    const char *type, *fix;
  } dropped[] = {
    { 3, "pid", "remove --pid host" },
    { 4, "ipc", "remove --ipc host" },
    { 2, "uts", "remove --uts host" },
    { 0, "mount", NULL },
  };
  for (size_t k = 0; k < sizeof dropped / sizeof dropped[0]; k++)
    {
      fresh ();
      remove_item ("linux.namespaces", dropped[k].index);
      run (floor_check_namespaces);
      char *name = xasprintf ("namespaces: no %s namespace", dropped[k].type);
      char *detail = xasprintf ("no \"%s\" entry", dropped[k].type);
      expect_violation (name, "namespaces", "linux.namespaces", dropped[k].fix, detail);
      free (name);
      free (detail);
    }

  fresh ();
  set_item ("linux.namespaces", 3, "path", "\"/proc/1/ns/pid\"");
  run (floor_check_namespaces);
  expect_violation ("namespaces: --pid container:X", "namespaces", "linux.namespaces[3].path",
                    "remove --pid container:...", "/proc/1/ns/pid");

  fresh ();
  set_item ("linux.namespaces", 4, "path", "\"/proc/1/ns/ipc\"");
  run (floor_check_namespaces);
  expect_violation ("namespaces: --ipc container:X", "namespaces", "linux.namespaces[4].path",
                    "remove --ipc container:...", NULL);

  fresh ();
  set_item ("linux.namespaces", 0, "path", "\"/proc/1/ns/mnt\"");
  run (floor_check_namespaces);
  expect_violation ("namespaces: the host's mount namespace", "namespaces",
                    "linux.namespaces[0].path", NULL, "join an existing mount namespace");

  fresh ();
  append ("linux.namespaces", "{\"type\":\"user\"}");
  append ("linux.namespaces", "{\"type\":\"cgroup\"}");
  append ("linux.namespaces", "{\"type\":\"time\"}");
  set_json (config, "linux.uidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]");
  set_json (config, "linux.gidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]");
  run (floor_check_namespaces);
  expect_accepted ("namespaces: user, cgroup and time namespaces of its own");

  fresh ();
  append ("linux.namespaces", "{\"type\":\"user\",\"path\":\"/proc/1/ns/user\"}");
  run (floor_check_namespaces);
  expect_violation ("namespaces: a user namespace by path", "namespaces",
                    "linux.namespaces[5].path", NULL, NULL);

  fresh ();
  append ("linux.namespaces", "{\"type\":\"Pid\"}");
  run (floor_check_namespaces);
  expect_violation ("namespaces: an unknown type (runc compares exactly)", "namespaces",
                    "linux.namespaces[5]", NULL, "\"Pid\"");

  fresh ();
  append ("linux.namespaces", "{\"type\":\"pid\"}");
  run (floor_check_namespaces);
  expect_violation ("namespaces: a repeated type", "namespaces", "linux.namespaces[5]", NULL,
                    "repeats the \"pid\"");

  fresh ();
  append ("linux.namespaces", "null");
  run (floor_check_namespaces);
  expect_violation ("namespaces: a null entry", "namespaces", "linux.namespaces[5]", NULL, "null");

  fresh ();
  append ("linux.namespaces", "{\"path\":\"/proc/1/ns/pid\"}");
  run (floor_check_namespaces);
  expect_violation ("namespaces: an entry without type", "namespaces", "linux.namespaces[5]", NULL,
                    "absent");

  fresh ();
  append ("linux.namespaces", "{\"type\":7}");
  run (floor_check_namespaces);
  expect_violation ("namespaces: a numeric type", "namespaces", "linux.namespaces[5]", NULL,
                    "wrong type");

  fresh ();
  set_json (config, "linux.namespaces", "{}");
  run (floor_check_namespaces);
  expect_violation ("namespaces: not an array", "namespaces", "linux.namespaces", NULL,
                    "wrong type");

  fresh ();
  append ("linux.namespaces", "{\"type\":\"user\"}");
  set_json (config, "linux.uidMappings", "[{\"containerID\":65534,\"hostID\":0,\"size\":1}]");
  run (floor_check_namespaces);
  expect_violation ("namespaces: uid 65534 mapped onto host root", "namespaces",
                    "linux.uidMappings[0]", NULL, "host id 0");

  fresh ();
  set_json (config, "linux.gidMappings",
            "[{\"containerID\":0,\"hostID\":100000,\"size\":10},{\"containerID\":10,\"hostID\":0,"
            "\"size\":1}]");
  run (floor_check_namespaces);
  expect_violation ("namespaces: a gid mapping onto host root", "namespaces",
                    "linux.gidMappings[1]", NULL, "host id 0");

  fresh ();
  set_json (config, "linux.uidMappings", "[{\"containerID\":0,\"hostID\":\"0\",\"size\":1}]");
  run (floor_check_namespaces);
  expect_violation ("namespaces: a mapping of the wrong type", "namespaces", "linux.uidMappings[0]",
                    NULL, "uint32");

  fresh ();
  set_json (config, "linux.uidMappings", "null");
  run (floor_check_namespaces);
  expect_violation ("namespaces: uidMappings null", "namespaces", "linux.uidMappings", NULL,
                    "null");
}

/* ---- root ------------------------------------------------------------------------ */

static void
test_root (void)
{
  const char *fix = "run with --read-only";

  fresh ();
  run (floor_check_root);
  expect_accepted ("filesystem: Docker's read-only root");

  fresh ();
  set_json (config, "root.readonly", "false");
  run (floor_check_root);
  expect_violation ("filesystem: root.readonly false", "filesystem", "root.readonly", fix,
                    "is false");

  fresh ();
  remove_field ("root.readonly");
  run (floor_check_root);
  expect_violation ("filesystem: no --read-only (readonly left out)", "filesystem", "root.readonly",
                    fix, "absent");

  fresh ();
  set_json (config, "root.readonly", "null");
  run (floor_check_root);
  expect_violation ("filesystem: root.readonly null", "filesystem", "root.readonly", fix, "null");

  fresh ();
  set_json (config, "root.readonly", "\"true\"");
  run (floor_check_root);
  expect_violation ("filesystem: root.readonly a string", "filesystem", "root.readonly", fix,
                    "wrong type");

  fresh ();
  set_json (config, "root", "null");
  run (floor_check_root);
  expect_violation ("filesystem: root null", "filesystem", "root", fix, "null");

  fresh ();
  json_object_remove (config, "root");
  run (floor_check_root);
  expect_violation ("filesystem: root absent", "filesystem", "root", fix, "absent");

  fresh ();
  remove_field ("root.path");
  run (floor_check_root);
  expect_violation ("filesystem: root.path absent", "filesystem", "root.path", NULL, "absent");

  fresh ();
  set_json (config, "root.path", "\"\"");
  run (floor_check_root);
  expect_violation ("filesystem: root.path empty", "filesystem", "root.path", NULL, "empty");

  static const struct
  {
    const char *path, *detail;
  } bad[] = {
    { "/", "would show the container /" },    { "/var", "/var/lib/docker" },
    { "/var/lib/docker", "/var/lib/docker" }, { "/tmp/..//var/./lib/docker/", "/var/lib/docker" },
    { "/proc/1/root", "inside /proc" },       { "/sys/fs", "inside /sys" },
    { "/dev/../dev/shm", "inside /dev" },
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    {
      fresh ();
      char *literal = xasprintf ("\"%s\"", bad[k].path);
      set_json (config, "root.path", literal);
      run (floor_check_root);
      char *name = xasprintf ("filesystem: root.path %s", bad[k].path);
      expect_violation (name, "filesystem", "root.path", NULL, bad[k].detail);
      free (name);
      free (literal);
    }

  static const char *const good[] = {
    "/var/lib/docker/overlay2/0123/merged",
    "/run/containerd/io.containerd.runtime.v2.task/moby/0123/rootfs",
    "rootfs",
    "/home/user/.local/share/containers/storage/overlay/0123/merged",
  };
  for (size_t k = 0; k < sizeof good / sizeof good[0]; k++)
    {
      fresh ();
      char *literal = xasprintf ("\"%s\"", good[k]);
      set_json (config, "root.path", literal);
      run (floor_check_root);
      char *name = xasprintf ("filesystem: root.path %s", good[k]);
      expect_accepted (name);
      free (name);
      free (literal);
    }

  fresh ();
  set_json (config, "root.path", "\"../../../\"");
  run (floor_check_root);
  expect_violation ("filesystem: a relative root.path out of the bundle", "filesystem", "root.path",
                    NULL, "climbs out of the bundle");

  char *link = xasprintf ("%s/hostroot", tmp);
  if (symlink ("/", link) == 0)
    {
      fresh ();
      char *literal = xasprintf ("\"%s\"", link);
      set_json (config, "root.path", literal);
      run (floor_check_root);
      expect_violation ("filesystem: root.path a link to /", "filesystem", "root.path", NULL,
                        "resolves to \"/\"");
      free (literal);
    }
  free (link);
}

/* ---- mounts ---------------------------------------------------------------------- */

static void
test_mounts_binds (void)
{
  const char *ro_fix = "mount it read-only (-v SRC:DST:ro)";
  const char *rm_fix = "remove the -v/--mount of this source";

  fresh ();
  run (floor_check_mounts);
  expect_accepted ("mounts: Docker's mounts");

  fresh ();
  set_item ("mounts", 7, "options", "[\"rbind\",\"rprivate\"]");
  run (floor_check_mounts);
  expect_violation ("mounts: a writable bind (-v without :ro)", "mounts", "mounts[7].options",
                    ro_fix, "writable bind of \"/srv/code.py\"");

  mount_refused ("mounts: \"rw\" after \"ro\" (runc: last wins)",
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                 "\"options\":[\"rbind\",\"ro\",\"rw\"]}",
                 "options", ro_fix, "writable");
  mount_refused ("mounts: \"rrw\" undoes \"ro\"",
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                 "\"options\":[\"rbind\",\"ro\",\"rrw\"]}",
                 "options", ro_fix, NULL);
  mount_refused ("mounts: \"rro\" alone (data to older runtimes)",
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                 "\"options\":[\"rbind\",\"rro\"]}",
                 "options", ro_fix, NULL);
  mount_refused ("mounts: \"RO\" is data, not read-only",
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                 "\"options\":[\"rbind\",\"RO\"]}",
                 "options", ro_fix, NULL);
  mount_refused ("mounts: type bind without options",
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\"}", "options",
                 ro_fix, NULL);
  mount_refused ("mounts: a bind hidden in a tmpfs's options",
                 "{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"/srv/x\","
                 "\"options\":[\"bind\",\"noexec\",\"size=1m\"]}",
                 "options", ro_fix, NULL);
  mount_accepted ("mounts: ro, then a harmless rw-free option list",
                  "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                  "\"options\":[\"rw\",\"rbind\",\"ro\",\"nosuid\"]}");

  static const struct
  {
    const char *source, *detail;
  } denied[] = {
    { "/", "on the mount deny-list" },
    { "/etc", "on the mount deny-list" },
    { "/var", "holds /var/lib/docker" },
    { "/run", "holds /run/docker" },
    { "/var/lib/docker/volumes/x/_data", "inside /var/lib/docker" },
    { "/var/run/docker.sock", "on the mount deny-list" },
    { "/srv/../etc/passwd", "inside /etc" },
    { "//etc", "on the mount deny-list" },
    { "/proc/1/root", "inside /proc" },
    { "/dev/sda", "inside /dev" },
  };
  for (size_t k = 0; k < sizeof denied / sizeof denied[0]; k++)
    {
      char *literal = xasprintf ("{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\","
                                 "\"options\":[\"rbind\",\"ro\"]}",
                                 denied[k].source);
      char *name = xasprintf ("mounts: -v %s:/x:ro", denied[k].source);
      mount_refused (name, literal, "source", rm_fix, denied[k].detail);
      free (name);
      free (literal);
    }
  mount_accepted ("mounts: a source that only names /etc on the way",
                  "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/etc/../srv/x\","
                  "\"options\":[\"rbind\",\"ro\"]}");
  mount_accepted ("mounts: a relative source (inside the bundle)",
                  "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"data/x\","
                  "\"options\":[\"rbind\",\"ro\"]}");
  mount_refused ("mounts: a relative source out of the bundle",
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"data/../../../etc\","
                 "\"options\":[\"rbind\",\"ro\"]}",
                 "source", rm_fix, "climbs out of the bundle");
  mount_refused ("mounts: a bind without source",
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"options\":[\"rbind\",\"ro\"]}",
                 "source", NULL, "absent");

  char *link = xasprintf ("%s/etc-link", tmp);
  if (symlink ("/etc", link) == 0)
    {
      char *literal = xasprintf ("{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\","
                                 "\"options\":[\"rbind\",\"ro\"]}",
                                 link);
      mount_refused ("mounts: a link to /etc", literal, "source", rm_fix, "resolves to \"/etc\"");
      free (literal);
    }
  free (link);

  char *sock = xasprintf ("%s/some.sock", tmp);
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  snprintf (sa.sun_path, sizeof sa.sun_path, "%s", sock);
  if (fd >= 0 && bind (fd, (struct sockaddr *)&sa, sizeof sa) == 0)
    {
      char *literal = xasprintf ("{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\","
                                 "\"options\":[\"rbind\",\"ro\"]}",
                                 sock);
      mount_refused ("mounts: a socket", literal, "source", rm_fix, "a socket");
      free (literal);
    }
  if (fd >= 0)
    close (fd);
  free (sock);
  test_bind_sockets ();

  /* The engine's own binds.  */
  mount_refused ("mounts: /etc/hosts from another engine file",
                 "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/var/lib/"
                 "docker/containers/abc/config.v2.json\",\"options\":[\"rbind\",\"ro\"]}",
                 "source", rm_fix, NULL);
  mount_refused ("mounts: an engine file onto another destination",
                 "{\"destination\":\"/etc/passwd\",\"type\":\"bind\",\"source\":\"/var/lib/"
                 "docker/containers/abc/hosts\",\"options\":[\"rbind\",\"ro\"]}",
                 "source", rm_fix, NULL);
  mount_refused ("mounts: the engine's /etc/hosts, writable",
                 "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/var/lib/"
                 "docker/containers/abc/hosts\",\"options\":[\"rbind\",\"rprivate\"]}",
                 "options", "run with --read-only", "the engine's /etc/hosts");
  mount_refused ("mounts: a look-alike layout outside an engine's directory",
                 "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/etc/"
                 "containers/abc/hosts\",\"options\":[\"rbind\",\"ro\"]}",
                 "source", rm_fix, NULL);
  mount_accepted ("mounts: kubelet's /etc/hosts",
                  "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/var/lib/"
                  "kubelet/pods/0123/etc-hosts\",\"options\":[\"rbind\",\"ro\"]}");
  mount_accepted ("mounts: containerd CRI's resolv.conf",
                  "{\"destination\":\"/etc/resolv.conf\",\"type\":\"bind\",\"source\":\"/var/"
                  "lib/containerd/io.containerd.grpc.v1.cri/sandboxes/0123/resolv.conf\","
                  "\"options\":[\"rbind\",\"ro\"]}");
  mount_accepted ("mounts: containerd CRI's /dev/shm",
                  "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/run/"
                  "containerd/io.containerd.grpc.v1.cri/sandboxes/0123/shm\","
                  "\"options\":[\"rbind\",\"rprivate\"]}");
  mount_refused ("mounts: a writable /dev/shm from elsewhere in the engine",
                 "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/var/lib/docker/"
                 "volumes/x/_data\",\"options\":[\"rbind\",\"rprivate\"]}",
                 "options", ro_fix, NULL);
  mount_refused ("mounts: a writable /dev/shm from a user's directory",
                 "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/srv/containers/"
                 "abc/mounts/shm\",\"options\":[\"rbind\",\"rprivate\"]}",
                 "options", ro_fix, NULL);
  mount_refused ("mounts: the engine's /dev/shm remounted without noexec",
                 "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/var/lib/docker/"
                 "containers/abc/mounts/shm\",\"options\":[\"rbind\",\"nosuid\"]}",
                 "options", NULL, "executable");
  mount_refused ("mounts: the engine's /dev/shm with rexec",
                 "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/var/lib/docker/"
                 "containers/abc/mounts/shm\",\"options\":[\"rbind\",\"rexec\"]}",
                 "options", NULL, "executable");
  mount_accepted ("mounts: the engine's /dev/shm remounted with noexec",
                  "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/var/lib/docker/"
                  "containers/abc/mounts/shm\",\"options\":[\"rbind\",\"nosuid\",\"noexec\"]}");

  /* An engine with its state elsewhere (--data-root): its /dev/shm is a
     noexec tmpfs mounted right there.  Needs mount(2).  */
  char *shm = xasprintf ("%s/data/containers/abc/mounts/shm", tmp);
  char *mk = xasprintf ("mkdir -p '%s'", shm);
  if (system (mk) == 0
      && mount ("shm", shm, "tmpfs", MS_NOEXEC | MS_NOSUID | MS_NODEV, "size=1m") == 0)
    {
      char *literal = xasprintf ("{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":"
                                 "\"%s\",\"options\":[\"rbind\",\"rprivate\"]}",
                                 shm);
      mount_accepted ("mounts: a --data-root engine's /dev/shm tmpfs", literal);
      umount (shm);
      mount_refused ("mounts: the same directory once it is no tmpfs", literal, "options", ro_fix,
                     NULL);
      free (literal);
    }
  else
    diag ("skipped the --data-root /dev/shm case: cannot mount a tmpfs here");
  free (mk);
  free (shm);

  mount_refused ("mounts: rshared propagation",
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                 "\"options\":[\"rbind\",\"ro\",\"rshared\"]}",
                 "options", "remove the shared/rshared propagation from -v/--mount", "rshared");
  mount_refused ("mounts: shared propagation on a tmpfs",
                 "{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                 "\"options\":[\"noexec\",\"size=1m\",\"shared\"]}",
                 "options", "remove the shared/rshared propagation from -v/--mount", NULL);
  mount_accepted ("mounts: rslave propagation",
                  "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                  "\"options\":[\"rbind\",\"ro\",\"rslave\"]}");
  mount_refused ("mounts: remount",
                 "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\","
                 "\"options\":[\"remount\",\"ro\"]}",
                 "options", NULL, "remount");
  mount_refused ("mounts: an idmapped bind of host root",
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                 "\"options\":[\"rbind\",\"ro\"],\"uidMappings\":[{\"containerID\":65534,"
                 "\"hostID\":0,\"size\":1}]}",
                 "uidMappings", NULL, "host id 0");
}

static void
test_mounts_rro (void)
{
  fresh ();
  run (floor_check_mounts);
  expect_tightened ("mounts: rro added to the code bind", "mounts", "mounts[7].options", "\"rro\"");
  ok (array_has_string (json_object_get (item ("mounts", 7), "options"), "rro"),
      "mounts: \"rro\" is written into the tree");
  ok (exact_finding (FINDING_TIGHTENED, "mounts", "mounts[6].options") == NULL,
      "mounts: the writable /dev/shm gets no rro");

  fresh ();
  set_item ("mounts", 7, "options", "[\"rbind\",\"ro\",\"rro\"]");
  run (floor_check_mounts);
  ok (exact_finding (FINDING_TIGHTENED, "mounts", "mounts[7].options") == NULL,
      "mounts: rro already there: nothing to add");

  fresh ();
  set_item ("mounts", 7, "options", "[\"bind\",\"ro\"]");
  run (floor_check_mounts);
  ok (exact_finding (FINDING_TIGHTENED, "mounts", "mounts[7].options") == NULL,
      "mounts: a non-recursive bind needs no rro");

  /* A file or a directory that exists: only a directory can have mounts
     below it.  */
  char *file = xasprintf ("%s/bin/dockerd", tmp);
  char *literal = xasprintf ("{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\","
                             "\"options\":[\"rbind\",\"ro\"]}",
                             file);
  size_t i = with_mount (literal);
  char *field = mount_field (i, "options");
  ok (exact_finding (FINDING_TIGHTENED, "mounts", field) == NULL
          && !array_has_string (json_object_get (item ("mounts", i), "options"), "rro"),
      "mounts: no rro on a file");
  free (literal);
  free (field);
  literal = xasprintf ("{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\","
                       "\"options\":[\"rbind\",\"ro\"]}",
                       tmp);
  i = with_mount (literal);
  field = mount_field (i, "options");
  expect_tightened ("mounts: rro on a directory", "mounts", field, "below the source");
  ok (array_has_string (json_object_get (item ("mounts", i), "options"), "rro"),
      "mounts: ... written into the tree");
  free (literal);
  free (field);
  free (file);

  char *saved = test_policy.delegate;
  test_policy.delegate = (char *)"/usr/local/bin/runsc";
  fresh ();
  run (floor_check_mounts);
  ok (exact_finding (FINDING_TIGHTENED, "mounts", "mounts[7].options") == NULL,
      "mounts: no rro for runsc, which does not know it");
  expect_accepted ("mounts: Docker's mounts, runsc");
  test_policy.delegate = saved;
}

static void
test_mounts_filesystems (void)
{
  const char *tmpfs_fix = "use --tmpfs DST:noexec,size=64m";

  mount_accepted ("mounts: --tmpfs /tmp:noexec,size=64m",
                  "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                  "\"options\":[\"noexec\",\"nosuid\",\"nodev\",\"rprivate\",\"size=64m\"]}");
  mount_accepted ("mounts: a tmpfs sized in percent",
                  "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                  "\"options\":[\"noexec\",\"size=10%\"]}");
  mount_refused ("mounts: --tmpfs /tmp (exec)",
                 "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                 "\"options\":[\"nosuid\",\"size=64m\"]}",
                 "options", tmpfs_fix, "without \"noexec\"");
  mount_refused ("mounts: exec after noexec",
                 "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                 "\"options\":[\"noexec\",\"size=64m\",\"exec\"]}",
                 "options", tmpfs_fix, "without \"noexec\"");
  mount_refused ("mounts: rexec after noexec",
                 "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                 "\"options\":[\"noexec\",\"size=64m\",\"rexec\"]}",
                 "options", tmpfs_fix, "without \"noexec\"");
  mount_refused ("mounts: a tmpfs without size",
                 "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                 "\"options\":[\"noexec\"]}",
                 "options", tmpfs_fix, "without \"size=\"");
  mount_refused ("mounts: size=0 is unlimited",
                 "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                 "\"options\":[\"noexec\",\"size=0\"]}",
                 "options", tmpfs_fix, "does not bound it");
  mount_refused ("mounts: nr_blocks=0 after a size",
                 "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                 "\"options\":[\"noexec\",\"size=64m\",\"nr_blocks=0\"]}",
                 "options", tmpfs_fix, "nr_blocks=0");
  mount_accepted ("mounts: /dev/shm as Docker's private ipc makes it",
                  "{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\","
                  "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"size=67108864\"]}");
  fresh ();
  set_item ("mounts", 1, "options", "[\"nosuid\",\"strictatime\",\"mode=1777\",\"size=65536k\"]");
  run (floor_check_mounts);
  expect_violation ("mounts: a world-writable, exec-able /dev", "mounts", "mounts[1].options",
                    tmpfs_fix, "without \"noexec\"");
  fresh ();
  set_item ("mounts", 1, "options", "[\"nosuid\",\"size=65536k\"]");
  run (floor_check_mounts);
  expect_violation ("mounts: /dev without a mode (tmpfs makes it 1777)", "mounts",
                    "mounts[1].options", tmpfs_fix, "without \"noexec\"");
  fresh ();
  set_item ("mounts", 1, "options", "[\"nosuid\",\"mode=755\",\"uid=65534\",\"size=65536k\"]");
  run (floor_check_mounts);
  expect_violation ("mounts: /dev owned by the container's user", "mounts", "mounts[1].options",
                    tmpfs_fix, "without \"noexec\"");
  fresh ();
  set_item ("mounts", 1, "options", "[\"nosuid\",\"mode=0700\",\"uid=0\",\"size=1m\"]");
  run (floor_check_mounts);
  expect_accepted ("mounts: /dev root-only, spelled otherwise");
  mount_refused ("mounts: a second /dev tmpfs",
                 "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                 "\"options\":[\"mode=755\"]}",
                 "options", tmpfs_fix, "without \"noexec\"");

  mount_refused ("mounts: a second proc",
                 "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}", "", NULL,
                 "second proc");
  mount_refused ("mounts: a proc elsewhere",
                 "{\"destination\":\"/tmp/proc\",\"type\":\"proc\",\"source\":\"proc\"}",
                 "destination", NULL, "only go to /proc");
  mount_refused ("mounts: a sysfs elsewhere",
                 "{\"destination\":\"/mnt\",\"type\":\"sysfs\",\"source\":\"sysfs\","
                 "\"options\":[\"ro\"]}",
                 "destination", NULL, "only go to /sys");
  mount_refused ("mounts: a cgroup2 beside the cgroup",
                 "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup2\",\"source\":\"cgroup\","
                 "\"options\":[\"ro\"]}",
                 "", NULL, "second cgroup2");
  mount_refused ("mounts: mqueue elsewhere",
                 "{\"destination\":\"/mq\",\"type\":\"mqueue\",\"source\":\"mqueue\"}",
                 "destination", NULL, NULL);

  fresh ();
  set_item ("mounts", 3, "options", "[\"nosuid\",\"noexec\",\"nodev\"]");
  run (floor_check_mounts);
  expect_violation ("mounts: a writable sysfs (--privileged)", "mounts", "mounts[3].options",
                    "remove --privileged", "/sys");

  fresh ();
  set_item ("mounts", 4, "options", "[\"ro\",\"nosuid\",\"rw\"]");
  run (floor_check_mounts);
  expect_violation ("mounts: a writable cgroup", "mounts", "mounts[4].options",
                    "remove --privileged", "/sys/fs/cgroup");

  static const char *const types[] = { "overlay", "ext4", "nfs", "fuse.sshfs", "devtmpfs" };
  for (size_t k = 0; k < sizeof types / sizeof types[0]; k++)
    {
      char *literal = xasprintf ("{\"destination\":\"/x\",\"type\":\"%s\",\"source\":\"/dev/sda1\","
                                 "\"options\":[\"ro\"]}",
                                 types[k]);
      char *name = xasprintf ("mounts: type %s", types[k]);
      mount_refused (name, literal, "type", NULL, types[k]);
      free (name);
      free (literal);
    }
  mount_refused ("mounts: no type and no bind",
                 "{\"destination\":\"/x\",\"source\":\"/srv/x\",\"options\":[\"ro\"]}", "type",
                 NULL, "absent");

  const char *rm_fix = "remove the -v/--mount of this source";
  static const struct
  {
    const char *literal, *detail;
    bool bind;
  } dests[] = {
    { "{\"destination\":\"tmp\",\"type\":\"tmpfs\",\"options\":[\"noexec\",\"size=1m\"]}",
      "not an absolute path", false },
    { "{\"destination\":\"/\",\"type\":\"tmpfs\",\"options\":[\"noexec\",\"size=1m\"]}",
      "replaces it", false },
    { "{\"destination\":\"/tmp/..\",\"type\":\"bind\",\"source\":\"/srv\",\"options\":[\"rbind\","
      "\"ro\"]}",
      "replaces it", false },
    { "{\"destination\":\"/proc/sys\",\"type\":\"bind\",\"source\":\"/srv/sys\","
      "\"options\":[\"rbind\",\"ro\"]}",
      "inside /proc", true },
    { "{\"destination\":\"/proc/sysrq-trigger\",\"type\":\"tmpfs\",\"options\":[\"noexec\","
      "\"size=1m\"]}",
      "inside /proc", false },
    { "{\"destination\":\"/proc/meminfo\",\"type\":\"bind\",\"source\":\"/var/lib/lxcfs/proc/"
      "meminfo\",\"options\":[\"rbind\",\"ro\"]}",
      "inside /proc", true },
    { "{\"destination\":\"/tmp/../proc/kcore\",\"type\":\"bind\",\"source\":\"/srv/x\","
      "\"options\":[\"rbind\",\"ro\"]}",
      "inside /proc", true },
    { "{\"destination\":\"/sys/kernel\",\"type\":\"tmpfs\",\"options\":[\"noexec\",\"size=1m\"]}",
      "inside /sys", false },
    { "{\"destination\":null,\"type\":\"tmpfs\",\"options\":[\"noexec\",\"size=1m\"]}", "null",
      false },
  };
  for (size_t k = 0; k < sizeof dests / sizeof dests[0]; k++)
    {
      char *name = xasprintf ("mounts: destination case %zu", k);
      mount_refused (name, dests[k].literal, "destination", dests[k].bind ? rm_fix : NULL,
                     dests[k].detail);
      free (name);
    }

  fresh ();
  set_json (config, "mounts", "null");
  run (floor_check_mounts);
  expect_violation ("mounts: null", "mounts", "mounts", NULL, "null");

  fresh ();
  json_object_remove (config, "mounts");
  run (floor_check_mounts);
  expect_accepted ("mounts: none at all");

  mount_refused ("mounts: a null entry", "null", "", NULL, "not a mount");
  mount_refused ("mounts: options null",
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                 "\"options\":null}",
                 "options", NULL, "null");
  mount_refused ("mounts: an option that is not a string",
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                 "\"options\":[\"rbind\",\"ro\",1]}",
                 "options", NULL, "not a string");

  /* Every violation is reported, not only the first.  */
  fresh ();
  set_item ("mounts", 7, "options", "[\"rbind\"]");
  set_item ("mounts", 7, "source", "\"/etc/shadow\"");
  append ("mounts", "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"options\":[]}");
  run (floor_check_mounts);
  count_violations ("mounts: a writable /etc/shadow bind and a bare tmpfs", 4);
}

/* ---- devices ------------------------------------------------------------------------ */

static void
test_devices (void)
{
  const char *dev_fix = "remove --device and --device-cgroup-rule";

  fresh ();
  run (floor_check_devices);
  expect_accepted ("devices: Docker's device rules");

  fresh ();
  set_json (config, "linux.devices", "[]");
  run (floor_check_devices);
  expect_accepted ("devices: Docker's empty linux.devices");

  fresh ();
  set_json (config, "linux.devices",
            "[{\"path\":\"/dev/sda\",\"type\":\"b\",\"major\":8,\"minor\":0}]");
  append ("linux.resources.devices",
          "{\"allow\":true,\"type\":\"b\",\"major\":8,\"minor\":0,\"access\":\"rwm\"}");
  run (floor_check_devices);
  expect_violation ("devices: --device /dev/sda", "devices", "linux.devices", "remove --device",
                    "1 device to the container: \"/dev/sda\"");

  expect_violation ("devices: ... and its cgroup rule", "devices", "linux.resources.devices[8]",
                    dev_fix, "b 8:0 rwm");

  fresh ();
  set_json (config, "linux.devices",
            "[{\"path\":\"/dev/a\"},{\"path\":\"/dev/b\"},{\"path\":\"/dev/c\"},"
            "{\"path\":\"/dev/d\"},{\"path\":\"/dev/e\"}]");
  run (floor_check_devices);
  expect_violation (
      "devices: many devices, one finding", "devices", "linux.devices", "remove --device",
      "5 devices to the container: \"/dev/a\", \"/dev/b\", \"/dev/c\", \"/dev/d\", ...");
  count_violations ("devices: many devices, one finding", 1);

  fresh ();
  set_json (config, "linux.devices", "null");
  run (floor_check_devices);
  expect_violation ("devices: linux.devices null", "devices", "linux.devices", "remove --device",
                    "null");

  fresh ();
  remove_field ("linux.resources.devices");
  run (floor_check_devices);
  expect_accepted ("devices: no rules at all");
  expect_tightened ("devices: deny-all filled in", "devices", "linux.resources.devices",
                    "was absent");
  json_value *rules = get ("linux.resources.devices", JSON_ARRAY);
  bool allow = true;
  const char *access = NULL;
  ok (rules->u.array.len == 1 && spec_get_bool (rules->u.array.items[0], "allow", &allow) == SPEC_OK
          && !allow && spec_get_string (rules->u.array.items[0], "access", &access) == SPEC_OK
          && strcmp (access, "rwm") == 0,
      "devices: the tree now denies every device");

  fresh ();
  set_json (config, "linux.resources.devices", "[]");
  run (floor_check_devices);
  expect_tightened ("devices: an empty list is filled in too", "devices", "linux.resources.devices",
                    "was empty");

  fresh ();
  set_json (config, "linux.resources.devices", "[{\"allow\":true,\"access\":\"rwm\"}]");
  set_json (config, "process.capabilities.bounding", "[\"CAP_SYS_ADMIN\"]");
  run (floor_check_devices);
  expect_violation ("devices: --privileged (allow all)", "devices", "linux.resources.devices[0]",
                    "remove --privileged", "first rule must deny");

  fresh ();
  set_json (config, "linux.resources.devices", "[{\"allow\":true,\"access\":\"rwm\"}]");
  remove_field ("linux.maskedPaths");
  run (floor_check_devices);
  expect_violation ("devices: allow all, no masked paths: --privileged", "devices",
                    "linux.resources.devices[0]", "remove --privileged", "first rule must deny");

  fresh ();
  set_json (config, "linux.resources.devices", "[{\"allow\":true,\"access\":\"rwm\"}]");
  run (floor_check_devices);
  expect_violation ("devices: allow all without --privileged's signs", "devices",
                    "linux.resources.devices[0]", "remove --device-cgroup-rule",
                    "first rule must deny");

  fresh ();
  remove_item ("linux.resources.devices", 0);
  run (floor_check_devices);
  expect_violation ("devices: no deny-all first", "devices", "linux.resources.devices[0]",
                    "remove --device-cgroup-rule", "first rule must deny");

  fresh ();
  set_item ("linux.resources.devices", 0, "access", "\"r\"");
  run (floor_check_devices);
  expect_violation ("devices: a deny-all that denies reading only", "devices",
                    "linux.resources.devices[0]", "remove --device-cgroup-rule", NULL);

  fresh ();
  set_item ("linux.resources.devices", 0, "major", "8");
  run (floor_check_devices);
  expect_violation ("devices: a first rule for one major only", "devices",
                    "linux.resources.devices[0]", "remove --device-cgroup-rule", NULL);

  fresh ();
  append ("linux.resources.devices", "{\"allow\":true,\"access\":\"rwm\"}");
  run (floor_check_devices);
  expect_violation ("devices: --device-cgroup-rule 'a *:* rwm'", "devices",
                    "linux.resources.devices[8]", "remove --device-cgroup-rule", "every device");

  fresh ();
  append ("linux.resources.devices",
          "{\"allow\":true,\"type\":\"c\",\"major\":-1,\"access\":\"rwm\"}");
  run (floor_check_devices);
  expect_violation ("devices: every character device", "devices", "linux.resources.devices[8]",
                    "remove --device-cgroup-rule", "every character device");

  fresh ();
  append ("linux.resources.devices",
          "{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rwm\"}");
  run (floor_check_devices);
  expect_violation ("devices: fuse", "devices", "linux.resources.devices[8]", dev_fix, "c 10:229");

  fresh ();
  append ("linux.resources.devices",
          "{\"allow\":true,\"type\":\"c\",\"major\":1,\"access\":\"rwm\"}");
  run (floor_check_devices);
  expect_violation ("devices: c 1:* (takes in /dev/mem)", "devices", "linux.resources.devices[8]",
                    dev_fix, "c 1:*");

  fresh ();
  append ("linux.resources.devices",
          "{\"allow\":true,\"type\":\"c\",\"major\":136,\"access\":\"rwm\"}");
  append ("linux.resources.devices",
          "{\"allow\":true,\"type\":\"c\",\"major\":5,\"minor\":2,\"access\":\"rw\"}");
  append ("linux.resources.devices",
          "{\"allow\":false,\"type\":\"b\",\"major\":8,\"access\":\"rwm\"}");
  run (floor_check_devices);
  expect_accepted ("devices: pts, ptmx and a further deny");

  static const char *const malformed[] = {
    "{\"allow\":true,\"type\":\"x\",\"major\":1,\"minor\":3,\"access\":\"rwm\"}",
    "{\"allow\":true,\"type\":\"c\",\"major\":\"1\",\"minor\":3,\"access\":\"rwm\"}",
    "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwx\"}",
    "{\"allow\":\"true\",\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"}",
    "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":-2,\"access\":\"rwm\"}",
    "null",
  };
  for (size_t k = 0; k < sizeof malformed / sizeof malformed[0]; k++)
    {
      fresh ();
      append ("linux.resources.devices", malformed[k]);
      run (floor_check_devices);
      char *name = xasprintf ("devices: malformed rule %s", malformed[k]);
      expect_violation (name, "devices", "linux.resources.devices[8]", NULL, NULL);
      free (name);
    }

  fresh ();
  set_json (config, "linux.resources.devices", "null");
  run (floor_check_devices);
  expect_violation ("devices: rules null", "devices", "linux.resources.devices",
                    "remove --privileged", "null");
}

/* ---- masked and read-only paths ----------------------------------------------------- */

static void
test_masked_paths (void)
{
  const char *fix = "remove --security-opt systempaths=unconfined and --privileged";

  fresh ();
  run (floor_check_masked_paths);
  expect_accepted ("masked-paths: Docker 20.10's lists");
  expect_tightened ("masked-paths: newer Docker's paths filled in", "masked-paths",
                    "linux.maskedPaths", "/proc/interrupts, /sys/devices/virtual/powercap");
  ok (array_has_string (get ("linux.maskedPaths", JSON_ARRAY), "/proc/interrupts")
          && array_has_string (get ("linux.maskedPaths", JSON_ARRAY),
                               "/sys/devices/virtual/powercap"),
      "masked-paths: the tree now masks newer Docker's paths too");
  run (floor_check_masked_paths);
  ok (exact_finding (FINDING_TIGHTENED, "masked-paths", "linux.maskedPaths") == NULL
          || strstr (exact_finding (FINDING_TIGHTENED, "masked-paths", "linux.maskedPaths")->detail,
                     "/proc/interrupts")
                 == NULL,
      "masked-paths: present newer paths are not added again");

  fresh ();
  remove_field ("linux.maskedPaths");
  remove_field ("linux.readonlyPaths");
  run (floor_check_masked_paths);
  expect_accepted ("masked-paths: absent lists");
  expect_tightened ("masked-paths: maskedPaths filled in", "masked-paths", "linux.maskedPaths",
                    "was absent");
  expect_tightened ("masked-paths: readonlyPaths filled in", "masked-paths", "linux.readonlyPaths",
                    "was absent");
  json_value *masked = get ("linux.maskedPaths", JSON_ARRAY);
  json_value *ro = get ("linux.readonlyPaths", JSON_ARRAY);
  ok (masked->u.array.len >= 12 && array_has_string (masked, "/proc/kcore")
          && array_has_string (masked, "/sys/firmware")
          && array_has_string (masked, "/proc/interrupts")
          && array_has_string (masked, "/sys/devices/virtual/powercap"),
      "masked-paths: the tree now masks Docker's paths");
  ok (ro->u.array.len == 5 && array_has_string (ro, "/proc/sys")
          && array_has_string (ro, "/proc/sysrq-trigger"),
      "masked-paths: the tree now makes Docker's paths read-only");

  fresh ();
  remove_item ("linux.maskedPaths", 2);
  run (floor_check_masked_paths);
  expect_violation ("masked-paths: /proc/kcore unmasked", "masked-paths", "linux.maskedPaths", fix,
                    "lacks /proc/kcore");

  fresh ();
  set_json (config, "linux.readonlyPaths", "[]");
  run (floor_check_masked_paths);
  expect_violation ("masked-paths: an empty read-only list", "masked-paths", "linux.readonlyPaths",
                    fix, "/proc/sys, /proc/sysrq-trigger");

  fresh ();
  set_json (config, "linux.readonlyPaths",
            "[\"/proc//bus/\",\"/proc/./fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\","
            "\"/proc/interrupts\"]");
  append ("linux.maskedPaths", "\"/sys/devices/virtual/powercap\"");
  run (floor_check_masked_paths);
  expect_accepted ("masked-paths: spelled differently, and more than Docker 20.10's");

  fresh ();
  set_json (
      config, "linux.readonlyPaths",
      "[\"/proc/../proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"]");
  run (floor_check_masked_paths);
  expect_violation ("masked-paths: an entry with .. does not count", "masked-paths",
                    "linux.readonlyPaths", fix, "lacks /proc/bus");

  fresh ();
  set_json (config, "linux.maskedPaths", "null");
  run (floor_check_masked_paths);
  expect_violation ("masked-paths: null", "masked-paths", "linux.maskedPaths", fix, "null");

  fresh ();
  append ("linux.maskedPaths", "5");
  run (floor_check_masked_paths);
  expect_violation ("masked-paths: a number", "masked-paths", "linux.maskedPaths[10]", fix,
                    "not a path");
}

/* ---- sysctl ---------------------------------------------------------------------------- */

static void
test_sysctl (void)
{
  const char *fix = "remove that --sysctl";

  fresh ();
  set_json (config, "linux.sysctl",
            "{\"net.ipv4.ip_unprivileged_port_start\":\"0\",\"net.ipv4.ping_group_range\":\"0 "
            "2147483647\",\"net.ipv4.conf.eth0/100.forwarding\":\"0\"}");
  run (floor_check_sysctl);
  expect_accepted ("sysctl: Docker's net.* sysctls");

  static const char *const bad[] = {
    "kernel.hostname",
    "kernel.core_pattern",
    "vm.overcommit_memory",
    "NET.ipv4.x",
    "net.",
    "net..ipv4",
    "net./../kernel",
    "net.ipv4.x.",
    "fs.../net.x",
    "net.ipv4 x",
    "kernel/shmmax",
    "fs.mqueue.",
    "fs.mqueue.a/b",
    "fs.mqueue..x",
    "fs.mqueue.x.y",
    "kernel.shmmax.x",
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    {
      fresh ();
      char *literal = xasprintf ("{\"%s\":\"1\"}", bad[k]);
      set_json (config, "linux.sysctl", literal);
      run (floor_check_sysctl);
      char *name = xasprintf ("sysctl: %s", bad[k]);
      char *field = xasprintf ("linux.sysctl.%s", bad[k]);
      expect_violation (name, "sysctl", field, fix, "only net.*");
      free (name);
      free (field);
      free (literal);
    }

  /* Docker's IPC sysctls and --domainname stay in the container's own
     namespaces.  */
  static const char *const ipc[] = {
    "kernel.shmmax",     "kernel.shmall",        "kernel.shmmni", "kernel.shm_rmid_forced",
    "kernel.msgmax",     "kernel.msgmnb",        "kernel.msgmni", "kernel.sem",
    "fs.mqueue.msg_max", "fs.mqueue.queues_max",
  };
  for (size_t k = 0; k < sizeof ipc / sizeof ipc[0]; k++)
    {
      char *literal = xasprintf ("{\"%s\":\"1\"}", ipc[k]);
      char *name = xasprintf ("sysctl: %s with its own ipc namespace", ipc[k]);
      char *field = xasprintf ("linux.sysctl.%s", ipc[k]);
      fresh ();
      set_json (config, "linux.sysctl", literal);
      run (floor_check_sysctl);
      expect_accepted (name);
      free (name);
      fresh ();
      set_json (config, "linux.sysctl", literal);
      set_json (config, "linux.namespaces",
                "[{\"type\":\"mount\"},{\"type\":\"network\"},{\"type\":\"uts\"},"
                "{\"type\":\"pid\"}]");
      run (floor_check_sysctl);
      name = xasprintf ("sysctl: %s in the host's ipc namespace", ipc[k]);
      expect_violation (name, "sysctl", field, "remove --ipc host", "ipc namespace");
      free (name);
      free (field);
      free (literal);
    }
  fresh ();
  set_json (config, "linux.sysctl", "{\"kernel.shmmax\":\"1\"}");
  set_item ("linux.namespaces", 4, "path", "\"/proc/1/ns/ipc\"");
  run (floor_check_sysctl);
  expect_violation ("sysctl: kernel.shmmax in a joined ipc namespace", "sysctl",
                    "linux.sysctl.kernel.shmmax", "remove --ipc host", NULL);

  fresh ();
  set_json (config, "linux.sysctl", "{\"kernel.domainname\":\"example.com\"}");
  run (floor_check_sysctl);
  expect_accepted ("sysctl: --domainname (kernel.domainname) with its own uts namespace");
  remove_item ("linux.namespaces", 2);
  run (floor_check_sysctl);
  expect_violation ("sysctl: kernel.domainname in the host's uts namespace", "sysctl",
                    "linux.sysctl.kernel.domainname", "remove --uts host", "uts namespace");

  fresh ();
  set_json (config, "linux.sysctl", "{\"kernel.sem\":5}");
  run (floor_check_sysctl);
  expect_violation ("sysctl: an IPC sysctl with a number value", "sysctl",
                    "linux.sysctl.kernel.sem", fix, "not a string");

  fresh ();
  set_json (config, "linux.sysctl", "{\"net.ipv4.ip_forward\":1}");
  run (floor_check_sysctl);
  expect_violation ("sysctl: a number value", "sysctl", "linux.sysctl.net.ipv4.ip_forward", fix,
                    "not a string");

  fresh ();
  set_json (config, "linux.sysctl", "null");
  run (floor_check_sysctl);
  expect_violation ("sysctl: null", "sysctl", "linux.sysctl", NULL, "null");
}

/* ---- host unix sockets below bind sources --------------------------------------------- */

/* Make a unix socket at dir/name (bound from inside dir, so that deep
   paths fit in sun_path); it stays until the scratch directory goes.  */
static void
make_socket (const char *dir, const char *name)
{
  int cwd = open (".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  snprintf (sa.sun_path, sizeof sa.sun_path, "%s", name);
  if (cwd < 0 || fd < 0 || chdir (dir) < 0 || bind (fd, (struct sockaddr *)&sa, sizeof sa) < 0
      || fchdir (cwd) < 0)
    {
      printf ("Bail out! cannot make a socket in %s: %s\n", dir, strerror (errno));
      exit (1);
    }
  close (fd);
  close (cwd);
}

static void
make_dir (const char *path)
{
  if (mkdir (path, 0700) < 0)
    {
      printf ("Bail out! mkdir %s: %s\n", path, strerror (errno));
      exit (1);
    }
}

static char *
ro_bind_of (const char *source)
{
  return xasprintf ("{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\","
                    "\"options\":[\"rbind\",\"ro\"]}",
                    source);
}

static void
bind_case (const char *name, const char *source, const char *detail_part)
{
  char *literal = ro_bind_of (source);
  if (detail_part == NULL)
    mount_accepted (name, literal);
  else
    mount_refused (name, literal, "source", "remove the -v/--mount of this source", detail_part);
  free (literal);
}

static void
test_bind_sockets (void)
{
  char *root = xasprintf ("%s/sockets", tmp);
  make_dir (root);

  /* A socket right in the bound directory.  */
  char *direct = xasprintf ("%s/direct", root);
  make_dir (direct);
  make_socket (direct, "daemon.sock");
  bind_case ("sockets: a directory holding a socket", direct, "holds the unix socket");
  bind_case ("sockets: ... named in the message", direct, "direct/daemon.sock");

  /* Nested deep (iterative walk), among other files.  */
  char *deep = xasprintf ("%s/deep", root);
  make_dir (deep);
  struct strbuf p = { 0 };
  strbuf_add (&p, deep);
  for (int i = 0; i < 300; i++)
    {
      strbuf_add (&p, "/d");
      make_dir (p.s);
    }
  char *file = xasprintf ("%s/plain", p.s);
  write_file (file, "x\n");
  free (file);
  char *clean_deep = xasprintf ("%s/deep-clean", root);
  make_dir (clean_deep);
  bind_case ("sockets: a deep tree, no socket yet", deep, NULL);
  make_socket (p.s, "s");
  bind_case ("sockets: a socket 300 directories down", deep, "/d/d/s\"");
  strbuf_free (&p);

  /* Links are not followed: a link inside resolves in the container.  */
  char *links = xasprintf ("%s/links", root);
  make_dir (links);
  char *l1 = xasprintf ("%s/to-sock", links);
  char *l2 = xasprintf ("%s/to-dir", links);
  char *target = xasprintf ("%s/daemon.sock", direct);
  if (symlink (target, l1) < 0 || symlink (direct, l2) < 0)
    {
      printf ("Bail out! symlink: %s\n", strerror (errno));
      exit (1);
    }
  bind_case ("sockets: links to a socket and its directory inside are not followed", links, NULL);
  /* ... but the source itself is resolved first.  */
  char *src_link = xasprintf ("%s/link-to-direct", root);
  if (symlink (direct, src_link) < 0)
    {
      printf ("Bail out! symlink: %s\n", strerror (errno));
      exit (1);
    }
  bind_case ("sockets: a source that is a link to such a directory", src_link,
             "holds the unix socket");

  /* The bound: entries counted, the key named.  */
  char *wide = xasprintf ("%s/wide", root);
  make_dir (wide);
  for (int i = 0; i < 6; i++)
    {
      char *f = xasprintf ("%s/f%d", wide, i);
      write_file (f, "x\n");
      free (f);
    }
  int64_t saved = test_policy.bind_scan_max_entries;
  test_policy.bind_scan_max_entries = 6;
  bind_case ("sockets: a tree at the bound", wide, NULL);
  test_policy.bind_scan_max_entries = 5;
  bind_case ("sockets: a tree over the bound", wide, "bind_scan_max_entries");
  bind_case ("sockets: ... says it is too large", wide, "more than 5 entries");
  test_policy.bind_scan_max_entries = saved;
  ok (saved == 10000, "sockets: the default bound is 10000 entries");

  /* A file bind is one stat: a plain file passes, whatever the bound.  */
  char *plain = xasprintf ("%s/plain-file", root);
  write_file (plain, "x\n");
  test_policy.bind_scan_max_entries = 0;
  bind_case ("sockets: a file bind is not walked", plain, NULL);
  test_policy.bind_scan_max_entries = saved;

  free (plain);
  free (wide);
  free (src_link);
  free (target);
  free (l1);
  free (l2);
  free (links);
  free (clean_deep);
  free (deep);
  free (direct);
  free (root);
}

/* ---- kernel ---------------------------------------------------------------------------- */

/* A cgroup tree in tmp/cg (hierarchies memory, "cpu x" (a space in the
   mount point), name=systemd, and a cgroup2 one), the mountinfo and
   /proc/self/cgroup that describe it, and systemd unit directories below
   tmp/sysd.  */
static void
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

/* cgroupsPath path_literal (NULL: absent) for container id, with or
   without --systemd-cgroup: refused with detail_part, or accepted
   (detail_part NULL).  */
static void
cgroup_case (const char *name, bool systemd, const char *path_literal, const char *id,
             const char *fix, const char *detail_part)
{
  fresh ();
  if (path_literal)
    set_json (config, "linux.cgroupsPath", path_literal);
  else
    remove_field ("linux.cgroupsPath");
  test_host.systemd_cgroup = systemd;
  test_host.container_id = id;
  run (floor_check_kernel_misc);
  test_host.systemd_cgroup = false;
  test_host.container_id = NULL;
  char *full = xasprintf ("kernel: cgroupsPath: %s", name);
  if (detail_part == NULL)
    expect_accepted (full);
  else
    {
      expect_violation (full, "kernel", "linux.cgroupsPath", fix, detail_part);
      count_violations (full, 1);
    }
  free (full);
}

static void
test_cgroups_path (void)
{
  const char *fix = "remove --cgroup-parent";
  const char *exists = "existing cgroup";

  /* cgroupfs, absolute: below every hierarchy's mount point.  */
  cgroup_case ("Docker's /docker/ID", false, "\"/docker/abc\"", "abc", NULL, NULL);
  cgroup_case ("a shared parent", false, "\"/docker\"", "abc", fix, exists);
  cgroup_case ("a shared parent, spelled //docker/.", false, "\"//docker/.\"", "abc", fix, exists);
  cgroup_case ("one that exists in one hierarchy only", false, "\"/only-cpu\"", "abc", fix,
               "cpu x/only-cpu");
  cgroup_case ("the delegate's own, named absolutely", false, "\"/process_api/abc\"", "abc", fix,
               exists);
  /* cgroupfs, relative: below the delegate's own cgroup of each hierarchy
     (v2: its parent).  */
  cgroup_case ("relative, new", false, "\"fresh/x\"", "abc", NULL, NULL);
  cgroup_case ("relative, existing below our own", false, "\"own-child\"", "abc", fix,
               "process_api/abc/own-child");
  cgroup_case ("relative, existing on v2 below our parent", false, "\"v2child\"", "abc", fix,
               "outer/v2child");
  cgroup_case ("relative \".\": our own cgroup", false, "\"./\"", "abc", fix, exists);
  cgroup_case ("relative with ..", false, "\"a/../../x\"", "abc", fix, "\"..\"");
  /* Absent: runc uses the container id below its own cgroup.  */
  cgroup_case ("absent, new id", false, NULL, "newid", NULL, NULL);
  cgroup_case ("absent, an id whose cgroup exists", false, NULL, "own-child", NULL, exists);
  cgroup_case ("empty is absent", false, "\"\"", "own-child", NULL, exists);
  cgroup_case ("absent, no id (check)", false, NULL, NULL, NULL, NULL);

  /* systemd: slice:prefix:name, the unit's cgroup and the unit itself.  */
  cgroup_case ("systemd: Docker's", true, "\"system.slice:docker:abc\"", "abc", NULL, NULL);
  cgroup_case ("systemd: the root slice", true, "\"-.slice:docker:abc\"", "abc", NULL, NULL);
  cgroup_case ("systemd: an existing scope", true, "\"system.slice:docker:exists\"", "abc", fix,
               exists);
  cgroup_case ("systemd: an existing scope, default slice", true, "\":docker:exists\"", "abc", fix,
               exists);
  cgroup_case ("systemd: a transient unit", true, "\"user.slice:docker:transient\"", "abc", fix,
               "existing systemd unit docker-transient.scope");
  cgroup_case ("systemd: system.slice itself", true, "\"system.slice:x:system.slice\"", "abc", fix,
               "system.slice, which always exists");
  cgroup_case ("systemd: -.slice itself", true, "\"system.slice:x:-.slice\"", "abc", fix,
               "always exists");
  cgroup_case ("systemd: an existing slice", true, "\"system.slice:x:user-1000.slice\"", "abc", fix,
               "user.slice/user-1000.slice");
  cgroup_case ("systemd: a new slice", true, "\"system.slice:x:mine-new.slice\"", "abc", NULL,
               NULL);
  cgroup_case ("systemd: absent, new id", true, NULL, "abc", NULL, NULL);
  cgroup_case ("systemd: absent, runc-ID.scope exists", true, NULL, "exists", NULL, exists);
  static const char *const malformed[] = {
    "\"/docker/abc\"",
    "\"a:b\"",
    "\"a.slice:b:c:d\"",
    "\"system.slice:do/cker:abc\"",
    "\"system.slice:docker:a/b\"",
    "\"sys/tem.slice:docker:abc\"",
    "\"system:docker:abc\"",
    "\"a--b.slice:docker:abc\"",
    "\"-a.slice:docker:abc\"",
    "\".slice:docker:abc\"",
    "\"system.slice:docker:\"",
    "\"system.slice:x:a--b.slice\"",
  };
  for (size_t k = 0; k < sizeof malformed / sizeof malformed[0]; k++)
    {
      char *name = xasprintf ("systemd: malformed %s", malformed[k]);
      cgroup_case (name, true, malformed[k], "abc", fix, "");
      free (name);
    }

  /* Unreadable facts fail closed.  */
  const char *mi = test_host.mountinfo_path;
  char *missing = xasprintf ("%s/no-such-mountinfo", tmp);
  test_host.mountinfo_path = missing;
  cgroup_case ("mountinfo unreadable", false, "\"/docker/abc\"", "abc", NULL, "cannot be read");
  test_host.mountinfo_path = mi;
  free (missing);
  const char *pc = test_host.proc_cgroup_path;
  char *partial = xasprintf ("%s/proc-cgroup-partial", tmp);
  write_file (partial, "4:memory:/process_api/abc\n");
  test_host.proc_cgroup_path = partial;
  cgroup_case ("relative, our cgroup unknown in a hierarchy", false, "\"new\"", "abc", fix,
               "does not give");
  cgroup_case ("absolute needs no own cgroup", false, "\"/new\"", "abc", NULL, NULL);
  test_host.proc_cgroup_path = pc;
  free (partial);
}

static void
test_kernel (void)
{
  fresh ();
  run (floor_check_kernel_misc);
  expect_accepted ("kernel: Docker's cgroupsPath, nothing else");

  fresh ();
  set_json (config, "linux.intelRdt", "{\"closID\":\"x\",\"l3CacheSchema\":\"L3:0=f\"}");
  run (floor_check_kernel_misc);
  expect_violation ("kernel: intelRdt", "kernel", "linux.intelRdt", NULL, "present");

  fresh ();
  set_json (config, "linux.intelRdt", "null");
  run (floor_check_kernel_misc);
  expect_violation ("kernel: intelRdt null", "kernel", "linux.intelRdt", NULL, "null");

  fresh ();
  set_json (config, "linux.personality", "{\"domain\":\"LINUX\"}");
  run (floor_check_kernel_misc);
  expect_accepted ("kernel: personality LINUX");

  fresh ();
  set_json (config, "linux.personality", "{\"domain\":\"LINUX32\"}");
  run (floor_check_kernel_misc);
  expect_violation ("kernel: personality LINUX32", "kernel", "linux.personality.domain", NULL,
                    "LINUX32");

  fresh ();
  set_json (config, "linux.personality",
            "{\"domain\":\"LINUX\",\"flags\":[\"ADDR_NO_RANDOMIZE\"]}");
  run (floor_check_kernel_misc);
  expect_violation ("kernel: personality flags", "kernel", "linux.personality.flags", NULL,
                    "not empty");

  fresh ();
  set_json (config, "linux.personality", "{}");
  run (floor_check_kernel_misc);
  expect_violation ("kernel: personality without domain", "kernel", "linux.personality.domain",
                    NULL, NULL);

  static const char *const root_like[] = { "/", "//", "/./" };
  for (size_t k = 0; k < sizeof root_like / sizeof root_like[0]; k++)
    {
      fresh ();
      char *literal = xasprintf ("\"%s\"", root_like[k]);
      set_json (config, "linux.cgroupsPath", literal);
      run (floor_check_kernel_misc);
      char *name = xasprintf ("kernel: cgroupsPath %s", root_like[k]);
      expect_violation (name, "kernel", "linux.cgroupsPath", "remove --cgroup-parent",
                        "root cgroup");
      free (name);
      free (literal);
    }
  static const char *const climbing[] = { "/docker/../..", "../system.slice", "user.slice:..:x" };
  for (size_t k = 0; k < sizeof climbing / sizeof climbing[0]; k++)
    {
      fresh ();
      char *literal = xasprintf ("\"%s\"", climbing[k]);
      set_json (config, "linux.cgroupsPath", literal);
      run (floor_check_kernel_misc);
      char *name = xasprintf ("kernel: cgroupsPath %s", climbing[k]);
      expect_violation (name, "kernel", "linux.cgroupsPath", "remove --cgroup-parent", "\"..\"");
      free (name);
      free (literal);
    }
  static const char *const fine[] = { "system.slice:docker:0123", "/docker/..abc", "", "docker/x" };
  for (size_t k = 0; k < sizeof fine / sizeof fine[0]; k++)
    {
      fresh ();
      char *literal = xasprintf ("\"%s\"", fine[k]);
      set_json (config, "linux.cgroupsPath", literal);
      run (floor_check_kernel_misc);
      char *name = xasprintf ("kernel: cgroupsPath \"%s\"", fine[k]);
      expect_accepted (name);
      free (name);
      free (literal);
    }
  fresh ();
  set_json (config, "linux.cgroupsPath", "5");
  run (floor_check_kernel_misc);
  expect_violation ("kernel: cgroupsPath a number", "kernel", "linux.cgroupsPath", NULL,
                    "wrong type");

  fresh ();
  set_json (config, "linux.rootfsPropagation", "\"rshared\"");
  run (floor_check_kernel_misc);
  expect_violation ("kernel: rootfsPropagation rshared", "kernel", "linux.rootfsPropagation",
                    "remove the shared/rshared propagation from -v/--mount", "rshared");

  fresh ();
  set_json (config, "linux.rootfsPropagation", "\"rslave\"");
  run (floor_check_kernel_misc);
  expect_accepted ("kernel: rootfsPropagation rslave");

  fresh ();
  set_json (config, "linux.rootfsPropagation", "\"Shared\"");
  run (floor_check_kernel_misc);
  expect_violation ("kernel: rootfsPropagation unknown", "kernel", "linux.rootfsPropagation",
                    "remove the shared/rshared propagation from -v/--mount", "Shared");

  fresh ();
  set_json (config, "linux.mountLabel", "\"system_u:object_r:container_file_t:s0:c1,c2\"");
  run (floor_check_kernel_misc);
  expect_accepted ("kernel: a mountLabel");
}

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

/* ---- fixtures captured from Docker ------------------------------------------------------ */

/* tests/fixtures/docker/ holds config.json files captured from real Docker
   20.10 runs (see its README).  doc-flags-user is the document's flags plus
   --user 65534:65534: it must pass every rule here.  Each loosening must be
   refused by the rule that owns it, and by nothing else of this file.  */
struct expected
{
  const char *rule, *field, *fix;
};

#define RO_BIND "mount it read-only (-v SRC:DST:ro)"
#define RM_BIND "remove the -v/--mount of this source"
#define READ_ONLY "run with --read-only"

static const struct
{
  const char *name;
  struct expected refusals[6];
} docker_cases[] = {
  { "doc-flags-user", { { NULL, NULL, NULL } } },
  { "doc-flags", { { NULL, NULL, NULL } } },
  { "no-user", { { NULL, NULL, NULL } } },
  { "no-limits", { { NULL, NULL, NULL } } },
  { "memory-200m", { { NULL, NULL, NULL } } },
  { "swap-above", { { NULL, NULL, NULL } } },
  { "cpus-2", { { NULL, NULL, NULL } } },
  { "no-cap-drop", { { NULL, NULL, NULL } } },
  { "cap-add-net-raw", { { NULL, NULL, NULL } } },
  { "no-nnp", { { NULL, NULL, NULL } } },
  { "seccomp-unconfined", { { NULL, NULL, NULL } } },
  { "tmpfs", { { NULL, NULL, NULL } } },
  { "network-host", { { "network", "linux.namespaces[1].path", "run with --network none" } } },
  { "pid-host", { { "namespaces", "linux.namespaces", "remove --pid host" } } },
  { "ipc-host",
    { { "namespaces", "linux.namespaces", "remove --ipc host" },
      { "mounts", "mounts[10].source", RM_BIND },
      { "mounts", "mounts[10].options", RO_BIND } } },
  { "no-read-only",
    { { "filesystem", "root.readonly", READ_ONLY },
      { "mounts", "mounts[8].options", READ_ONLY },
      { "mounts", "mounts[9].options", READ_ONLY },
      { "mounts", "mounts[10].options", READ_ONLY } } },
  { "plain",
    { { "filesystem", "root.readonly", READ_ONLY },
      { "mounts", "mounts[7].options", READ_ONLY },
      { "mounts", "mounts[8].options", READ_ONLY },
      { "mounts", "mounts[9].options", READ_ONLY } } },
  { "bind-root",
    { { "mounts", "mounts[8].source", RM_BIND }, { "mounts", "mounts[8].options", RO_BIND } } },
  { "writable-bind", { { "mounts", "mounts[7].options", RO_BIND } } },
  { "device", { { "devices", "linux.devices", "remove --device" } } },
  { "sysctl-kernel", { { NULL, NULL, NULL } } },
  { "privileged",
    { { "mounts", "mounts[3].options", "remove --privileged" },
      { "mounts", "mounts[4].options", "remove --privileged" },
      { "devices", "linux.devices", "remove --device" },
      { "devices", "linux.resources.devices[0]", "remove --privileged" } } },
};

/* The captured hook names the capturing dockerd's pid: make that pid, in
   the fake /proc, run the allowlisted fake dockerd.  */
static void
fake_hook_pid (json_value *v)
{
  json_value *hooks = NULL;
  if (spec_get (v, "hooks.prestart", JSON_ARRAY, &hooks) != SPEC_OK || hooks->u.array.len == 0)
    return;
  const char *path = NULL;
  unsigned pid = 0;
  if (spec_get_string (hooks->u.array.items[0], "path", &path) != SPEC_OK
      || sscanf (path, "/proc/%u/exe", &pid) != 1)
    return;
  char *dir = xasprintf ("%s/%u", fake_proc, pid);
  char *link = xasprintf ("%s/exe", dir);
  if (mkdir (dir, 0700) == 0 && symlink (fake_dockerd, link) < 0)
    diag ("cannot fake pid %u: %s", pid, strerror (errno));
  free (dir);
  free (link);
}

static void
test_docker_fixtures (void)
{
  static const rule_fn rules[] = {
    floor_check_network, floor_check_namespaces,   floor_check_root,   floor_check_mounts,
    floor_check_devices, floor_check_masked_paths, floor_check_sysctl, floor_check_kernel_misc,
    floor_check_hooks,   floor_check_annotations,
  };
  const char *dir = getenv ("FIXTURES");
  size_t seen = 0;
  for (size_t c = 0; c < sizeof docker_cases / sizeof docker_cases[0]; c++)
    {
      char *path
          = xasprintf ("%s/docker/%s.json", dir ? dir : "tests/fixtures", docker_cases[c].name);
      if (access (path, R_OK) < 0)
        {
          free (path);
          continue;
        }
      json_value *v = NULL;
      char *err = NULL;
      if (json_load_file (path, &v, &err) < 0)
        {
          ok (0, "docker/%s loads: %s", docker_cases[c].name, err);
          free (err);
          free (path);
          continue;
        }
      seen++;
      fake_hook_pid (v);
      verdict_free (&verdict);
      struct floor_ctx ctx = { .config = v,
                               .policy = &test_policy,
                               .host = &test_host,
                               .verdict = &verdict,
                               .field_prefix = "" };
      for (size_t k = 0; k < sizeof rules / sizeof rules[0]; k++)
        rules[k](&ctx);
      size_t want = 0;
      for (const struct expected *e = docker_cases[c].refusals; e->rule != NULL; e++, want++)
        {
          char *name = xasprintf ("docker/%s", docker_cases[c].name);
          expect_violation (name, e->rule, e->field, e->fix, NULL);
          free (name);
        }
      char *name = xasprintf ("docker/%s: nothing else refused", docker_cases[c].name);
      count_violations (name, want);
      free (name);
      json_free (v);
      free (path);
    }
  if (seen == 0)
    diag ("no captured Docker fixtures yet");
}

int
main (void)
{
  floor_test_init ();
  setup_scratch ();
  setup_cgroups ();

  test_fixture ();
  test_network ();
  test_namespaces ();
  test_root ();
  test_mounts_binds ();
  test_mounts_rro ();
  test_mounts_filesystems ();
  test_devices ();
  test_masked_paths ();
  test_sysctl ();
  test_kernel ();
  test_cgroups_path ();
  test_hooks ();
  test_annotations ();
  test_docker_fixtures ();

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
