/* The network and namespaces rules (network.c, namespaces.c).  */
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

int
main (void)
{
  floor_test_init ();
  setup_scratch ();
  setup_cgroups ();

  test_network ();
  test_namespaces ();

  return config_tests_done ();
}
