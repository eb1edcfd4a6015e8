/* The filesystem rules: root, mounts, mount options, host sockets below
   bind sources (filesystem.c, mount-options.c, bind-sockets.c).  */
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

static void test_bind_sockets (void);

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

  /* Podman: /etc/hosts, /etc/hostname and .containerenv from the run root,
     /dev/shm from the storage root, both ROOT/DRIVER-containers/ID/userdata.  */
  mount_accepted ("mounts: Podman's /dev/shm under /var/lib/containers",
                  "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/var/lib/"
                  "containers/storage/overlay-containers/0123/userdata/shm\","
                  "\"options\":[\"bind\",\"rprivate\",\"nosuid\",\"noexec\",\"nodev\"]}");
  mount_accepted ("mounts: Podman's vfs /dev/shm under /var/lib/containers",
                  "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/var/lib/"
                  "containers/storage/vfs-containers/0123/userdata/shm\","
                  "\"options\":[\"bind\",\"rprivate\",\"nosuid\",\"noexec\",\"nodev\"]}");
  mount_refused ("mounts: a look-alike without a driver name",
                 "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/var/lib/"
                 "containers/storage/-containers/0123/userdata/shm\","
                 "\"options\":[\"bind\",\"rprivate\",\"nosuid\",\"noexec\",\"nodev\"]}",
                 "source", rm_fix, NULL);
  mount_refused ("mounts: Podman's writable .containerenv",
                 "{\"destination\":\"/run/.containerenv\",\"type\":\"bind\",\"source\":"
                 "\"/run/containers/storage/overlay-containers/0123/userdata/.containerenv\","
                 "\"options\":[\"bind\",\"rprivate\"]}",
                 "options", "run with --read-only", "the engine's /run/.containerenv");
  mount_accepted ("mounts: Podman's read-only /etc/hosts",
                  "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":"
                  "\"/var/lib/containers/storage/overlay-containers/0123/userdata/hosts\","
                  "\"options\":[\"bind\",\"rprivate\",\"ro\",\"nosuid\",\"noexec\",\"nodev\"]}");

  /* A private --root: the shm is recognised by its tmpfs, whatever the
     root is called.  Needs mount(2).  */
  char *pshm = xasprintf ("%s/podroot/overlay-containers/abc/userdata/shm", tmp);
  char *pmk = xasprintf ("mkdir -p '%s'", pshm);
  if (system (pmk) == 0
      && mount ("shm", pshm, "tmpfs", MS_NOEXEC | MS_NOSUID | MS_NODEV, "size=1m") == 0)
    {
      char *literal = xasprintf ("{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":"
                                 "\"%s\",\"options\":[\"bind\",\"rprivate\",\"nosuid\","
                                 "\"noexec\",\"nodev\"]}",
                                 pshm);
      mount_accepted ("mounts: Podman's /dev/shm under a private --root", literal);
      umount (pshm);
      mount_refused ("mounts: the same directory once it is no tmpfs", literal, "options", ro_fix,
                     NULL);
      free (literal);
    }
  else
    diag ("skipped the private --root /dev/shm case: cannot mount a tmpfs here");
  free (pmk);
  free (pshm);

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

  /* Podman's tmpfs mounts (--read-only's /run, /tmp, /var/tmp and a plain
     --tmpfs) have neither noexec nor a size: filled in for a Podman caller.  */
  static const char podman_tmpfs[] = "{\"destination\":\"/run\",\"type\":\"tmpfs\","
                                     "\"source\":\"tmpfs\",\"options\":[\"rw\",\"rprivate\","
                                     "\"nosuid\",\"nodev\",\"tmpcopyup\"]}";
  fresh ();
  set_json (config, "annotations", "{\"io.container.manager\": \"libpod\"}");
  size_t pi = append ("mounts", podman_tmpfs);
  run (floor_check_mounts);
  expect_accepted ("mounts: Podman's --read-only tmpfs at /run");
  {
    char *f = mount_field (pi, "options");
    expect_tightened ("mounts: Podman's tmpfs gets noexec", "mounts", f, "size=64m");
    json_value *opts = json_object_get (get ("mounts", JSON_ARRAY)->u.array.items[pi], "options");
    ok (array_has_string (opts, "noexec") && array_has_string (opts, "size=64m"),
        "mounts: Podman's tmpfs now has noexec and size=64m");
    free (f);
  }
  run (floor_check_mounts);
  ok (verdict.len == 0, "mounts: Podman's tightened tmpfs holds the floor as it is");

  fresh ();
  set_json (config, "annotations", "{\"io.container.manager\": \"libpod\"}");
  pi = append ("mounts", "{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                         "\"options\":[\"rw\",\"exec\",\"nosuid\",\"nodev\",\"tmpcopyup\"]}");
  run (floor_check_mounts);
  {
    char *f = mount_field (pi, "options");
    expect_violation ("mounts: Podman's --tmpfs /x:exec", "mounts", f, tmpfs_fix, "noexec");
    free (f);
  }

  fresh ();
  set_json (config, "annotations", "{\"io.container.manager\": \"libpod\"}");
  pi = append ("mounts", "{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                         "\"options\":[\"rw\",\"size=0\",\"tmpcopyup\"]}");
  run (floor_check_mounts);
  {
    char *f = mount_field (pi, "options");
    expect_violation ("mounts: Podman's --tmpfs /x:size=0", "mounts", f, tmpfs_fix, "size=0");
    free (f);
  }

  mount_refused ("mounts: Podman's tmpfs shape from another caller", podman_tmpfs, "options",
                 tmpfs_fix, "noexec");

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

  /* A named pipe is a channel to a host process too: read-only does not
     stop a write to it.  In a tree, and bound as a file.  */
  char *pipes = xasprintf ("%s/pipes", root);
  make_dir (pipes);
  char *sub = xasprintf ("%s/sub", pipes);
  make_dir (sub);
  char *fifo = xasprintf ("%s/control", sub);
  if (mkfifo (fifo, 0600) < 0)
    {
      printf ("Bail out! mkfifo: %s\n", strerror (errno));
      exit (1);
    }
  bind_case ("sockets: a directory holding a named pipe", pipes, "holds the named pipe");
  bind_case ("sockets: ... named in the message", pipes, "sub/control");
  char *fifo_bind = ro_bind_of (fifo);
  mount_refused ("sockets: a named pipe bound as a file", fifo_bind, "source",
                 "remove the -v/--mount of this source", "a named pipe");
  free (fifo_bind);
  free (fifo);
  free (sub);
  free (pipes);

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

/* ---- CRI: kubelet's and containerd's binds (engine-binds.c) ------------- */

/* The options of mounts[i] as one comma-joined string.  */
static char *
options_text (size_t i)
{
  json_value *options = NULL;
  struct strbuf b = { 0 };
  strbuf_add (&b, "");
  if (spec_get (item ("mounts", i), "options", JSON_ARRAY, &options) == SPEC_OK)
    for (size_t k = 0; k < options->u.array.len; k++)
      strbuf_addf (&b, "%s%s", k ? "," : "", options->u.array.items[k]->u.string.s);
  return b.s;
}

static const char kubelet_hosts[]
    = "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/var/lib/kubelet/pods/"
      "96628d7f/etc-hosts\",\"options\":[\"rbind\",\"rprivate\",\"rw\"]}";
static const char kubelet_termination[]
    = "{\"destination\":\"/dev/termination-log\",\"type\":\"bind\",\"source\":\"/var/lib/"
      "kubelet/pods/96628d7f/containers/app/9afdee2e\",\"options\":[\"rbind\",\"rprivate\","
      "\"rw\"]}";
static const char cri_shm_rw[]
    = "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/run/containerd/"
      "io.containerd.grpc.v1.cri/sandboxes/657e6d67/shm\",\"options\":[\"rbind\",\"rprivate\","
      "\"rw\"]}";
static const char cri_shm_ro[]
    = "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/run/containerd/"
      "io.containerd.grpc.v1.cri/sandboxes/657e6d67/shm\",\"options\":[\"rbind\",\"ro\"]}";

/* A CRI-shaped config: the fixture without Docker's /dev/shm bind, with
   the container-type annotation and the given mounts appended; returns the
   first one's index.  */
static size_t
cri_config (const char *type, const char *const *mounts, size_t n)
{
  fresh ();
  json_value *all = get ("mounts", JSON_ARRAY);
  for (size_t k = all->u.array.len; k-- > 0;)
    {
      const char *d = NULL;
      if (spec_get_string (all->u.array.items[k], "destination", &d) == SPEC_OK
          && strcmp (d, "/dev/shm") == 0)
        remove_item ("mounts", k);
    }
  if (type != NULL)
    {
      cleanup_free char *a = xasprintf ("{\"io.kubernetes.cri.container-type\":\"%s\"}", type);
      set_json (config, "annotations", a);
    }
  size_t first = get ("mounts", JSON_ARRAY)->u.array.len;
  for (size_t i = 0; i < n; i++)
    append ("mounts", mounts[i]);
  return first;
}

static void
test_kubelet_binds (void)
{
  const char *const app[] = { kubelet_hosts, kubelet_termination, cri_shm_rw };
  size_t i = cri_config ("container", app, 3);
  run (floor_check_kubelet_binds);
  expect_accepted ("kubelet binds: nothing refused");
  cleanup_free char *hosts = mount_field (i, "options");
  cleanup_free char *term = mount_field (i + 1, "options");
  cleanup_free char *shm = mount_field (i + 2, "options");
  expect_tightened ("kubelet binds: /etc/hosts", "mounts", hosts, "kubelet's /etc/hosts");
  expect_tightened ("kubelet binds: termination log", "mounts", term,
                    "kubelet's /dev/termination-log; added \"ro\"");
  expect_tightened ("kubelet binds: shm", "mounts", shm, "added noexec, nosuid, nodev");
  cleanup_free char *o0 = options_text (i);
  cleanup_free char *o1 = options_text (i + 1);
  cleanup_free char *o2 = options_text (i + 2);
  is_str (o0, "rbind,rprivate,rw,ro", "kubelet binds: \"ro\" comes after kubelet's \"rw\"");
  is_str (o1, "rbind,rprivate,rw,ro", "kubelet binds: the termination log too");
  is_str (o2, "rbind,rprivate,rw,noexec,nosuid,nodev", "kubelet binds: shm options");
  run (floor_check_mounts);
  expect_accepted ("kubelet binds: the mounts rule accepts them afterwards");

  /* Without the tightening the same binds are refused (what the rig saw).  */
  cri_config ("container", app, 3);
  run (floor_check_mounts);
  ok (verdict_violations (&verdict) == 2, "kubelet binds: refused when not tightened (%zu)",
      verdict_violations (&verdict));

  /* The sandbox's "rbind,ro" shm: runc remounts it without noexec.  */
  const char *const sandbox[] = { cri_shm_ro };
  i = cri_config ("sandbox", sandbox, 1);
  run (floor_check_mounts);
  cleanup_free char *sfield = mount_field (i, "options");
  expect_violation ("sandbox shm: refused untightened", "mounts", sfield, NULL, "executable");
  cri_config ("sandbox", sandbox, 1);
  run (floor_check_kubelet_binds);
  expect_tightened ("sandbox shm: tightened", "mounts", sfield, "without \"noexec\"");
  cleanup_free char *so = options_text (i);
  is_str (so, "rbind,ro,noexec,nosuid,nodev", "sandbox shm: options");
  run (floor_check_mounts);
  expect_accepted ("sandbox shm: accepted once noexec");

  /* Not a CRI caller: nothing changes.  */
  cri_config (NULL, app, 3);
  run (floor_check_kubelet_binds);
  ok (verdict.len == 0, "kubelet binds: nothing tightened without a CRI caller");
  cleanup_free char *untouched = options_text (i);
  is_str (untouched, "rbind,rprivate,rw", "kubelet binds: options untouched without a CRI caller");

  /* The runtime root's k8s.io namespace alone also counts.  */
  cri_config (NULL, app, 3);
  test_host.cri_caller = true;
  run (floor_check_kubelet_binds);
  test_host.cri_caller = false;
  ok (verdict.len == 3, "kubelet binds: host->cri_caller tightens too (%zu)", verdict.len);

  /* What is not kubelet's shape is left to the mounts rule.  */
  const char *const other[] = {
    "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/srv/hosts\","
    "\"options\":[\"rbind\",\"rw\"]}",
    "{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"/var/lib/kubelet/pods/x/"
    "etc-hosts\",\"options\":[\"rbind\",\"rw\"]}",
    "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/var/lib/kubelet/pods/x/"
    "etc-hosts\",\"options\":[\"rbind\",\"rrw\",\"ro\"]}",
    "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/run/containerd/"
    "io.containerd.grpc.v1.cri/sandboxes/x/shm\",\"options\":[\"rbind\",\"rexec\"]}",
  };
  i = cri_config ("container", other, 4);
  run (floor_check_kubelet_binds);
  ok (verdict.len == 0, "kubelet binds: other sources, destinations, rrw, rexec untouched");
  run (floor_check_mounts);
  for (size_t k = 0; k < 4; k++)
    {
      cleanup_free char *at = xasprintf ("mounts[%zu]", i + k);
      ok (find_finding (&verdict, FINDING_VIOLATION, "mounts", at) != NULL,
          "kubelet binds: other mount %zu refused by the mounts rule", k);
    }

  /* The rig's pod directory (not deny-listed) is recognised by its tail.  */
  const char *const rig[] = {
    "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/run/policyrun-cri/pods/f2/"
    "etc-hosts\",\"options\":[\"rbind\",\"rprivate\",\"rw\"]}",
    "{\"destination\":\"/dev/termination-log\",\"type\":\"bind\",\"source\":\"/run/"
    "policyrun-cri/pods/f2/containers/app/9afdee2e\",\"options\":[\"rbind\",\"rprivate\","
    "\"rw\"]}",
  };
  i = cri_config ("container", rig, 2);
  run (floor_check_kubelet_binds);
  ok (verdict.len == 2, "kubelet binds: the rig's pod directory");
  run (floor_check_mounts);
  expect_accepted ("kubelet binds: the rig's binds accepted once read-only");

  /* A terminationMessagePath of the pod's own choosing.  */
  const char *const elsewhere[] = {
    "{\"destination\":\"/tmp/done\",\"type\":\"bind\",\"source\":\"/var/lib/kubelet/pods/"
    "96628d7f/containers/app/0c1d2e3f\",\"options\":[\"rbind\",\"rprivate\",\"rw\"]}",
  };
  i = cri_config ("container", elsewhere, 1);
  run (floor_check_kubelet_binds);
  cleanup_free char *efield = mount_field (i, "options");
  expect_tightened ("kubelet binds: termination log elsewhere", "mounts", efield,
                    "kubelet's /dev/termination-log at /tmp/done; added \"ro\"");
}

/* ---- harden: root, mounts, devices ------------------------------------------------- */

/* v as canonical JSON (freed by the caller).  */
static char *
value_text (const json_value *v)
{
  char *out = NULL, *err = NULL;
  size_t len = 0;
  if (json_write (v, &out, &len, &err) < 0)
    {
      printf ("Bail out! cannot write the test config: %s\n", err);
      exit (1);
    }
  return out;
}

static char *
config_text (void)
{
  return value_text (config);
}

static void
harden_fs (struct floor_ctx *ctx)
{
  floor_harden_root (ctx);
  floor_harden_mounts (ctx);
  floor_harden_devices (ctx);
}

/* This layer's harden functions leave config byte-identical and say
   nothing.  */
static void
expect_harden_unchanged (const char *name)
{
  cleanup_free char *before = config_text ();
  run (harden_fs);
  cleanup_free char *after = config_text ();
  ok (strcmp (before, after) == 0 && verdict.len == 0, "%s: unchanged by harden", name);
  if (strcmp (before, after) != 0)
    diag ("before %s\nafter  %s", before, after);
  if (verdict.len != 0)
    print_verdict (&verdict);
}

/* Hardening what harden_all made changes nothing more.  */
static void
expect_idempotent (const char *name)
{
  expect_harden_unchanged (name);
}

/* Append a mount, harden, and expect the mounts rule satisfied, one
   tightening at its options holding detail_part, and options equal to
   want (the checks may add "rro" after them: rro_suffix).  */
static void
mount_hardened (const char *name, const char *literal, const char *detail_part, const char *want)
{
  fresh ();
  size_t i = append ("mounts", literal);
  harden_all ();
  expect_no_violation (name, "mounts");
  cleanup_free char *field = mount_field (i, "options");
  expect_tightened (name, "mounts", field, detail_part);
  cleanup_free char *got = options_text (i);
  is_str (got, want, "%s: options", name);
  expect_idempotent (name);
}

/* Append a mount, harden: the mounts rule still refuses it at what.  */
static void
mount_still_refused (const char *name, const char *literal, const char *what)
{
  fresh ();
  size_t i = append ("mounts", literal);
  harden_all ();
  cleanup_free char *field = mount_field (i, what);
  ok (exact_finding (FINDING_VIOLATION, "mounts", field) != NULL, "%s: still refused at %s", name,
      field);
}

static void
test_harden_root (void)
{
  fresh ();
  expect_harden_unchanged ("harden: Docker's read-only root, mounts and devices");

  fresh ();
  set_json (config, "root.readonly", "false");
  harden_all ();
  expect_no_violation ("harden root: readonly false", "filesystem");
  expect_tightened ("harden root: readonly false", "filesystem", "root.readonly",
                    "was false, now true");
  bool ro = false;
  ok (spec_get_bool (config, "root.readonly", &ro) == SPEC_OK && ro,
      "harden root: readonly false: now true");
  expect_idempotent ("harden root: readonly false");

  json_free (config);
  config = load_docker ("no-read-only");
  harden_all ();
  expect_no_violation ("harden root: Docker without --read-only", "filesystem");
  expect_tightened ("harden root: Docker without --read-only", "filesystem", "root.readonly",
                    "was absent");
  /* Docker's /etc/hosts, /etc/hostname and /etc/resolv.conf binds come
     writable without --read-only: made read-only too.  */
  expect_no_violation ("harden root: Docker without --read-only", "mounts");
  expect_idempotent ("harden root: Docker without --read-only");

  /* A null reads as absent in runc: harden (floor.c) removes it, then the
     layer fills it in.  */
  fresh ();
  set_json (config, "root.readonly", "null");
  harden_all ();
  expect_no_violation ("harden root: readonly null", "filesystem");
  ro = false;
  ok (spec_get_bool (config, "root.readonly", &ro) == SPEC_OK && ro,
      "harden root: readonly null: now true");

  fresh ();
  set_json (config, "root.path", "\"/var\"");
  harden_all ();
  expect_violation ("harden root: a deny-listed root still refused", "filesystem", "root.path",
                    NULL, "/var/lib/docker");
}

static void
test_harden_mounts (void)
{
  /* fixture: mounts[6] is Docker's writable /dev/shm bind, mounts[7] the
     read-only code bind.  */
  fresh ();
  set_item ("mounts", 7, "options", "[\"rbind\",\"rprivate\"]");
  harden_all ();
  expect_no_violation ("harden mounts: a writable bind", "mounts");
  expect_tightened ("harden mounts: a writable bind", "mounts", "mounts[7].options", "now \"ro\"");
  cleanup_free char *code = options_text (7);
  ok (strncmp (code, "rbind,rprivate,ro", 17) == 0,
      "harden mounts: a writable bind: \"ro\" added (%s)", code);
  expect_idempotent ("harden mounts: a writable bind");

  json_free (config);
  config = load_docker ("writable-bind");
  harden_all ();
  expect_no_violation ("harden mounts: Docker's -v SRC:DST", "mounts");
  expect_idempotent ("harden mounts: Docker's -v SRC:DST");

  mount_hardened ("harden mounts: a bind made writable again by rw",
                  "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                  "\"options\":[\"bind\",\"ro\",\"rw\"]}",
                  "now \"ro\"", "bind,ro,rw,ro");
  mount_hardened ("harden mounts: a bind with rrw",
                  "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                  "\"options\":[\"bind\",\"ro\",\"rrw\"]}",
                  "now \"ro\"", "bind,ro");
  mount_hardened ("harden mounts: a bind without options",
                  "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\"}", "now \"ro\"",
                  "ro");
  mount_hardened ("harden mounts: rshared",
                  "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                  "\"options\":[\"bind\",\"ro\",\"rshared\"]}",
                  "had \"rshared\", now \"rprivate\"", "bind,ro,rprivate");
  mount_hardened ("harden mounts: shared",
                  "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                  "\"options\":[\"bind\",\"shared\",\"ro\"]}",
                  "had \"shared\", now \"private\"", "bind,private,ro");
  mount_hardened ("harden mounts: remount",
                  "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                  "\"options\":[\"bind\",\"remount\",\"ro\"]}",
                  "dropped it", "bind,ro");

  /* The engine's /dev/shm bind stays writable, and gets noexec when its
     options would make runc remount it without.  */
  fresh ();
  set_item ("mounts", 6, "options", "[\"rbind\",\"rprivate\",\"nosuid\"]");
  harden_all ();
  expect_no_violation ("harden mounts: the engine's /dev/shm remounted", "mounts");
  cleanup_free char *shm = options_text (6);
  is_str (shm, "rbind,rprivate,nosuid,noexec", "harden mounts: /dev/shm: noexec, not ro");
  expect_idempotent ("harden mounts: the engine's /dev/shm remounted");

  fresh ();
  set_item ("mounts", 6, "options", "[\"rbind\",\"rexec\"]");
  harden_all ();
  expect_no_violation ("harden mounts: the engine's /dev/shm with rexec", "mounts");
  cleanup_free char *shm2 = options_text (6);
  is_str (shm2, "rbind", "harden mounts: /dev/shm: rexec dropped");

  /* tmpfs: noexec and a size.  */
  mount_hardened ("harden mounts: a tmpfs without options",
                  "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}",
                  "\"noexec\", \"size=64m\" (was unbounded)", "noexec,size=64m");
  mount_hardened ("harden mounts: a tmpfs with exec and size=0",
                  "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                  "\"options\":[\"exec\",\"size=0\"]}",
                  "(was \"size=0\")", "exec,size=0,noexec,size=64m");
  mount_hardened ("harden mounts: a tmpfs with rexec",
                  "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                  "\"options\":[\"rexec\",\"size=1m\"]}",
                  "\"noexec\"", "size=1m,noexec");

  json_free (config);
  config = load_docker ("tmpfs");
  expect_harden_unchanged ("harden mounts: Docker's --tmpfs /tmp:noexec,size=16m");

  /* --privileged: sysfs and cgroup writable.  */
  json_free (config);
  config = load_docker ("privileged");
  harden_all ();
  expect_no_violation ("harden mounts: --privileged's sysfs and cgroup", "mounts");
  json_value *mounts = get ("mounts", JSON_ARRAY);
  size_t made_ro = 0;
  for (size_t i = 0; i < mounts->u.array.len; i++)
    {
      const char *type = NULL;
      spec_get_string (mounts->u.array.items[i], "type", &type);
      if (type != NULL && (strcmp (type, "sysfs") == 0 || strcmp (type, "cgroup") == 0))
        made_ro += array_has_string (json_object_get (mounts->u.array.items[i], "options"), "ro");
    }
  ok (made_ro == 2, "harden mounts: --privileged's sysfs and cgroup are \"ro\"");
  expect_violation ("harden: --privileged's host devices still refused", "devices", "linux.devices",
                    "remove --device", "devices to the container");
  expect_idempotent ("harden mounts: --privileged");

  /* Left to refuse: what no option makes safe.  */
  mount_still_refused ("harden mounts: a bind of /var/lib/docker",
                       "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/var/lib/docker\","
                       "\"options\":[\"rbind\"]}",
                       "source");
  mount_still_refused ("harden mounts: a bind of /",
                       "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/\","
                       "\"options\":[\"rbind\",\"ro\"]}",
                       "source");
  mount_still_refused ("harden mounts: an overlay",
                       "{\"destination\":\"/x\",\"type\":\"overlay\",\"source\":\"overlay\"}",
                       "type");
  {
    /* --ipc host's bind of the host's /dev/shm: a private tmpfs instead.  */
    fresh ();
    size_t shm_i
        = append ("mounts", "{\"destination\":\"/dev/shm\",\"type\":\"bind\","
                            "\"source\":\"/dev/shm\",\"options\":[\"rbind\",\"rprivate\"]}");
    harden_all ();
    expect_no_violation ("harden mounts: --ipc host's /dev/shm", "mounts");
    cleanup_free char *shm_field = xasprintf ("mounts[%zu]", shm_i);
    expect_tightened ("harden mounts: --ipc host's /dev/shm", "mounts", shm_field,
                      "now a private tmpfs");
    json_value *shm_mount = NULL;
    spec_get (config, "mounts", JSON_ARRAY, &shm_mount);
    shm_mount = shm_mount->u.array.items[shm_i];
    const char *shm_type = NULL, *shm_source = NULL;
    ok (spec_get_string (shm_mount, "type", &shm_type) == SPEC_OK && strcmp (shm_type, "tmpfs") == 0
            && spec_get_string (shm_mount, "source", &shm_source) == SPEC_OK
            && strcmp (shm_source, "shm") == 0,
        "harden mounts: --ipc host's /dev/shm: a tmpfs, not the host's");
    cleanup_free char *shm_opts = options_text (shm_i);
    is_str (shm_opts, "nosuid,noexec,nodev,mode=1777,size=65536k",
            "harden mounts: --ipc host's /dev/shm: options");
    expect_idempotent ("harden mounts: --ipc host's /dev/shm");
    /* The same bind elsewhere is the host's /dev/shm still: refused.  */
    mount_still_refused ("harden mounts: the host's /dev/shm at /x",
                         "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/dev/shm\","
                         "\"options\":[\"rbind\",\"ro\"]}",
                         "source");
  }
  mount_still_refused ("harden mounts: a bind into /proc",
                       "{\"destination\":\"/proc/sys\",\"type\":\"bind\",\"source\":\"/srv/x\","
                       "\"options\":[\"rbind\",\"ro\"]}",
                       "destination");
  mount_still_refused ("harden mounts: a second sysfs",
                       "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\"}", "");
  /* options null reads as none: a writable bind, made read-only.  */
  fresh ();
  append ("mounts", "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                    "\"options\":null}");
  harden_all ();
  expect_no_violation ("harden mounts: options null", "mounts");
  mount_still_refused ("harden mounts: an idmapped mount of host root",
                       "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/x\","
                       "\"options\":[\"rbind\",\"ro\"],\"uidMappings\":[{\"containerID\":0,"
                       "\"hostID\":0,\"size\":1}]}",
                       "uidMappings");

  /* Host sockets below a bind: read-only does not stop connect().  */
  cleanup_free char *dir = xasprintf ("%s/harden-sockets", tmp);
  make_dir (dir);
  make_socket (dir, "daemon.sock");
  cleanup_free char *literal
      = xasprintf ("{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\","
                   "\"options\":[\"rbind\"]}",
                   dir);
  mount_still_refused ("harden mounts: a bind holding a host socket", literal, "source");
}

static void
test_harden_devices (void)
{
  /* --privileged: allow-all alone.  */
  fresh ();
  set_json (config, "linux.resources.devices", "[{\"allow\":true,\"access\":\"rwm\"}]");
  harden_all ();
  expect_no_violation ("harden devices: allow-all", "devices");
  expect_tightened ("harden devices: allow-all", "devices", "linux.resources.devices",
                    "dropped \"allow a *:* rwm\"");
  json_value *rules = get ("linux.resources.devices", JSON_ARRAY);
  cleanup_free char *first = spec_describe (rules->u.array.items[0]);
  ok (rules->u.array.len == 1 && strstr (first, "false") != NULL,
      "harden devices: allow-all becomes deny-all (%s)", first);
  expect_idempotent ("harden devices: allow-all");

  /* Docker's rules plus --device-cgroup-rule 'b 8:* rwm' and a fuse
     allowance: those two dropped, the rest kept in order.  */
  fresh ();
  append ("linux.resources.devices",
          "{\"allow\":true,\"type\":\"b\",\"major\":8,\"access\":\"rwm\"}");
  append ("linux.resources.devices",
          "{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rwm\"}");
  harden_all ();
  expect_no_violation ("harden devices: extra allow rules", "devices");
  expect_tightened ("harden devices: extra allow rules", "devices", "linux.resources.devices",
                    "\"allow b 8:* rwm\", \"allow c 10:229 rwm\"");
  json_value *kept = get ("linux.resources.devices", JSON_ARRAY);
  cleanup_json json_value *want = load_ok_config ();
  json_value *want_rules = NULL;
  spec_get (want, "linux.resources.devices", JSON_ARRAY, &want_rules);
  cleanup_free char *got_text = value_text (kept);
  cleanup_free char *want_text = value_text (want_rules);
  is_str (got_text, want_text, "harden devices: Docker's own rules kept, the extra ones dropped");

  /* A first rule that denies only one device: deny-all is put first.  */
  fresh ();
  set_json (config, "linux.resources.devices",
            "[{\"allow\":false,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"},"
            "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":5,\"access\":\"rwm\"}]");
  harden_all ();
  expect_no_violation ("harden devices: no deny-all first", "devices");
  expect_tightened ("harden devices: no deny-all first", "devices", "linux.resources.devices",
                    "added that rule first");
  ok (get ("linux.resources.devices", JSON_ARRAY)->u.array.len == 3,
      "harden devices: no deny-all first: both rules kept after it");
  expect_idempotent ("harden devices: no deny-all first");

  /* Left to refuse: host device nodes, rules runc would not take.  */
  json_free (config);
  config = load_docker ("device");
  harden_all ();
  expect_violation ("harden devices: --device still refused", "devices", "linux.devices",
                    "remove --device", NULL);

  fresh ();
  set_json (config, "linux.resources.devices",
            "[{\"allow\":true,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"x\"}]");
  cleanup_free char *before = value_text (get ("linux.resources.devices", JSON_ARRAY));
  harden_all ();
  cleanup_free char *after = value_text (get ("linux.resources.devices", JSON_ARRAY));
  ok (strcmp (before, after) == 0, "harden devices: a rule runc would not take: nothing rewritten");
  expect_violation ("harden devices: ... and refused", "devices", "linux.resources.devices[1]",
                    NULL, "not \"a\", \"b\" or \"c\"");

  /* null reads as absent: the check fills in the deny-all rule.  */
  fresh ();
  set_json (config, "linux.resources.devices", "null");
  harden_all ();
  expect_no_violation ("harden devices: null", "devices");
}

/* path of v as canonical JSON, "absent" when it is not there.  */
static char *
field_text (const json_value *v, const char *path)
{
  json_value *f = NULL;
  for (json_type t = JSON_NULL; t <= JSON_OBJECT; t++)
    if (spec_get (v, path, t, &f) == SPEC_OK)
      return value_text (f);
  return xstrdup ("absent");
}

/* Docker's configs that enforce accepts come out of harden with the same
   root, mounts, namespaces (but the user namespace harden adds under runc:
   userns.c's) and device rules as out of enforce: harden changes only what
   the rules refuse.  */
static void
test_harden_keeps_accepted (void)
{
  static const char *const names[] = {
    "cap-add-net-raw",    "cpus-2",     "doc-flags",     "doc-flags-user", "memory-200m",
    "no-cap-drop",        "no-limits",  "no-nnp",        "no-user",        "plain",
    "seccomp-unconfined", "swap-above", "sysctl-kernel", "tmpfs",
  };
  static const char *const fields[]
      = { "root", "mounts", "linux.resources.devices", "linux.netDevices", "linux.namespaces" };
  size_t compared = 0;
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
    {
      cleanup_json json_value *enforced = load_docker (names[k]);
      cleanup_json json_value *hardened = load_docker (names[k]);
      struct verdict ve = { 0 }, vh = { 0 };
      size_t refused = floor_check_config (enforced, &test_policy, &test_host, &ve);
      floor_harden_config (hardened, &test_policy, &test_host, &vh);
      verdict_free (&ve);
      verdict_free (&vh);
      if (refused > 0)
        continue; /* refused for another layer's rule: harden may rightly differ */
      compared++;
      json_value *ns = NULL;
      if (spec_get (hardened, "linux.namespaces", JSON_ARRAY, &ns) == SPEC_OK)
        for (size_t i = ns->u.array.len; i-- > 0;)
          {
            const char *type = NULL;
            if (spec_get_string (ns->u.array.items[i], "type", &type) == SPEC_OK
                && strcmp (type, "user") == 0)
              json_array_remove (ns, i);
          }
      for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
        {
          cleanup_free char *a = field_text (enforced, fields[f]);
          cleanup_free char *b = field_text (hardened, fields[f]);
          is_str (b, a, "harden keeps Docker's accepted %s: %s", names[k], fields[f]);
        }
    }
  ok (compared >= 3, "harden keeps accepted configs: %zu of Docker's configs compared", compared);

  /* A CRI app container (containerd's CRI calls): kubelet's writable binds
     and the pod's /dev/shm, which enforce tightens (kubelet binds rule):
     harden writes the same options.  */
  const char *const app[] = { kubelet_hosts, kubelet_termination, cri_shm_ro };
  const char *const shm_only[] = { cri_shm_rw };
  const char *const *sets[] = { app, shm_only };
  static const size_t lens[] = { 3, 1 };
  test_host.cri_caller = true;
  for (size_t k = 0; k < 2; k++)
    {
      cri_config ("container", sets[k], lens[k]);
      cleanup_json json_value *enforced = json_clone (config);
      struct verdict ve = { 0 };
      size_t refused = floor_check_config (enforced, &test_policy, &test_host, &ve);
      verdict_free (&ve);
      harden_all ();
      cleanup_free char *a = field_text (enforced, "mounts");
      cleanup_free char *b = field_text (config, "mounts");
      ok (refused == 0 && strcmp (a, b) == 0,
          "harden keeps a CRI app's mounts as enforce tightens them (set %zu)", k);
      if (strcmp (a, b) != 0)
        diag ("enforce %s\nharden  %s", a, b);
    }
  test_host.cri_caller = false;

  /* The same CRI annotation from a caller that is not the CRI: harden
     drops the annotation (annotations.c), after which the kubelet binds
     rule no longer runs; the pod's /dev/shm must hold the floor anyway.  */
  const char *const ro_shm[] = { cri_shm_ro };
  size_t i = cri_config ("container", ro_shm, 1);
  harden_all ();
  expect_no_violation ("harden: a claimed CRI pod's read-only /dev/shm", "mounts");
  cleanup_free char *got = options_text (i);
  is_str (got, "rbind,ro,noexec,nosuid,nodev", "harden: ... gets noexec, nosuid, nodev");
}

/* Bail out unless r == 0 (a step of a test's own setup).  */
static void
setup_step (int r, const char *what)
{
  if (r < 0)
    {
      printf ("Bail out! %s: %s\n", what, strerror (errno));
      exit (1);
    }
}

/* Docker's mounts over the image at root: the /dev tmpfs accepted as it
   is, or refused for want of noexec.  */
static void
dev_over_image (const char *name, const char *root, bool accepted)
{
  fresh ();
  cleanup_free char *literal = xasprintf ("\"%s\"", root);
  set_json (config, "root.path", literal);
  run (floor_check_mounts);
  if (accepted)
    expect_accepted (name);
  else
    expect_violation (name, "mounts", "mounts[1].options", "use --tmpfs DST:noexec,size=64m",
                      "without \"noexec\"");
}

/* runc 1.1 chmods a tmpfs, once mounted, to the mode its mount point had:
   Docker's root-only /dev (mode=755) holds only over an image whose /dev,
   followed as runc follows it, is absent or root-only, with no mount at
   /dev before it.  */
static void
test_dev_tmpfs_mode (void)
{
  cleanup_free char *image = xasprintf ("%s/image-dev", tmp);
  cleanup_free char *dev = xasprintf ("%s/dev", image);
  cleanup_free char *wtmp = xasprintf ("%s/tmp", image);
  setup_step (mkdir (image, 0755), image);
  setup_step (mkdir (wtmp, 0755), wtmp);
  setup_step (chmod (wtmp, 01777), wtmp);

  dev_over_image ("/dev tmpfs mode=755, no /dev in the image (runc makes it 0755)", image, true);
  setup_step (mkdir (dev, 0755), dev);
  dev_over_image ("/dev tmpfs mode=755 over the image's 0755 /dev", image, true);
  setup_step (chmod (dev, 01777), dev);
  dev_over_image ("/dev tmpfs mode=755 over the image's 1777 /dev (runc chmods it 1777)", image,
                  false);
  setup_step (rmdir (dev), dev);
  setup_step (symlink ("tmp", dev), dev);
  dev_over_image ("/dev a link to the image's 1777 /tmp", image, false);

  /* Harden gives such a /dev noexec and a size.  */
  fresh ();
  cleanup_free char *literal = xasprintf ("\"%s\"", image);
  set_json (config, "root.path", literal);
  floor_harden_mounts (&(struct floor_ctx){ .config = config,
                                            .policy = &test_policy,
                                            .host = &test_host,
                                            .verdict = &verdict,
                                            .field_prefix = "",
                                            .spec = config });
  verdict_free (&verdict);
  run (floor_check_mounts);
  expect_accepted ("harden: /dev over a link to a 1777 directory made noexec");
  setup_step (unlink (dev), dev);

  /* A world-writable noexec tmpfs at /dev first: Docker's then takes its
     1777.  */
  fresh ();
  set_json (config, "root.path", literal);
  json_value *mounts = NULL;
  spec_get (config, "mounts", JSON_ARRAY, &mounts);
  json_value *with_first = json_new_array ();
  for (size_t k = 0; k < mounts->u.array.len; k++)
    {
      if (k == 1)
        {
          const char *first = "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":"
                              "\"tmpfs\",\"options\":[\"noexec\",\"mode=1777\",\"size=1m\"]}";
          json_value *m = NULL;
          if (json_parse (first, strlen (first), &m, NULL) < 0)
            {
              printf ("Bail out! cannot parse %s\n", first);
              exit (1);
            }
          json_array_append (with_first, m);
        }
      json_array_append (with_first, json_clone (mounts->u.array.items[k]));
    }
  json_object_set (config, "mounts", with_first);
  run (floor_check_mounts);
  expect_violation ("/dev tmpfs mode=755 after another tmpfs at /dev", "mounts",
                    "mounts[2].options", "use --tmpfs DST:noexec,size=64m", "without \"noexec\"");
}

/* runc joins the options it does not know into one data string, which the
   kernel reads left to right: an option holding commas is several.  */
static void
test_tmpfs_joined_options (void)
{
  const char *tmpfs_fix = "use --tmpfs DST:noexec,size=64m";
  mount_refused ("tmpfs: size=0 hidden after a comma (the last size wins)",
                 "{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                 "\"options\":[\"nosuid\",\"noexec\",\"size=64m\",\"mode=1777,size=0\"]}",
                 "options", tmpfs_fix, NULL);
  mount_refused ("tmpfs: size=64m followed by a comma is not read as bounded",
                 "{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                 "\"options\":[\"noexec\",\"size=64m,nr_blocks=0\"]}",
                 "options", tmpfs_fix, NULL);
  mount_accepted ("tmpfs: mode and size in one option, size last",
                  "{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                  "\"options\":[\"noexec\",\"mode=1777,size=1m\"]}");
}

int
main (void)
{
  floor_test_init ();
  setup_scratch ();
  setup_cgroups ();

  test_root ();
  test_mounts_binds ();
  test_mounts_rro ();
  test_mounts_filesystems ();
  test_kubelet_binds ();
  test_harden_root ();
  test_harden_mounts ();
  test_harden_devices ();
  test_harden_keeps_accepted ();
  test_dev_tmpfs_mode ();
  test_tmpfs_joined_options ();

  return config_tests_done ();
}
