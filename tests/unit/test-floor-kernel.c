/* The kernel rules: devices, masked and read-only paths, sysctl,
   intelRdt, personality, rootfsPropagation, cgroupsPath (devices.c,
   kernel.c, cgroups.c).  */
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

  /* Podman's lists: /proc/asound read-only instead of masked.  */
  fresh ();
  set_json (config, "linux.maskedPaths",
            "[\"/proc/acpi\", \"/proc/kcore\", \"/proc/keys\", \"/proc/latency_stats\", "
            "\"/proc/timer_list\", \"/proc/timer_stats\", \"/proc/sched_debug\", \"/proc/scsi\", "
            "\"/sys/firmware\", \"/sys/fs/selinux\", \"/sys/dev/block\"]");
  set_json (config, "linux.readonlyPaths",
            "[\"/proc/asound\", \"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", "
            "\"/proc/sysrq-trigger\"]");
  run (floor_check_masked_paths);
  expect_accepted ("masked-paths: Podman's lists");
  expect_tightened ("masked-paths: Podman's read-only /proc/asound", "masked-paths",
                    "linux.maskedPaths", "lacked /proc/asound, which linux.readonlyPaths");
  ok (array_has_string (get ("linux.maskedPaths", JSON_ARRAY), "/proc/asound")
          && array_has_string (get ("linux.maskedPaths", JSON_ARRAY), "/proc/interrupts"),
      "masked-paths: Podman's /proc/asound masked, newer Docker's paths added");

  /* --security-opt unmask=/proc/asound takes it out of both lists.  */
  fresh ();
  set_json (config, "annotations", "{\"io.container.manager\": \"libpod\"}");
  remove_item ("linux.maskedPaths", 0);
  run (floor_check_masked_paths);
  expect_violation ("masked-paths: Podman's unmask", "masked-paths", "linux.maskedPaths",
                    "remove --security-opt unmask and --privileged", "lacks /proc/asound");

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
  expect_violation ("masked-paths: spelled differently (runc mounts each as written)",
                    "masked-paths", "linux.readonlyPaths", fix, "lacks /proc/bus, /proc/fs");

  fresh ();
  append ("linux.readonlyPaths", "\"/proc/interrupts\"");
  append ("linux.maskedPaths", "\"/sys/devices/virtual/powercap\"");
  run (floor_check_masked_paths);
  expect_accepted ("masked-paths: more than Docker 20.10's");

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
            "2147483647\",\"net.ipv4.conf.eth0.forwarding\":\"0\"}");
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
    "net.ipv4.conf.eth0/100.forwarding",
    "net.ipv4/conf/all/forwarding",
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

/* ---- kernel ---------------------------------------------------------------------------- */

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
  run (check_kernel_rest);
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
  run (check_kernel_rest);
  expect_accepted ("kernel: Docker's cgroupsPath, nothing else");

  fresh ();
  set_json (config, "linux.intelRdt", "{\"closID\":\"x\",\"l3CacheSchema\":\"L3:0=f\"}");
  run (check_kernel_rest);
  expect_violation ("kernel: intelRdt", "kernel", "linux.intelRdt", NULL, "present");

  fresh ();
  set_json (config, "linux.intelRdt", "null");
  run (check_kernel_rest);
  expect_violation ("kernel: intelRdt null", "kernel", "linux.intelRdt", NULL, "null");

  fresh ();
  set_json (config, "linux.personality", "{\"domain\":\"LINUX\"}");
  run (check_kernel_rest);
  expect_accepted ("kernel: personality LINUX");

  fresh ();
  set_json (config, "linux.personality", "{\"domain\":\"LINUX32\"}");
  run (check_kernel_rest);
  expect_violation ("kernel: personality LINUX32", "kernel", "linux.personality.domain", NULL,
                    "LINUX32");

  fresh ();
  set_json (config, "linux.personality",
            "{\"domain\":\"LINUX\",\"flags\":[\"ADDR_NO_RANDOMIZE\"]}");
  run (check_kernel_rest);
  expect_violation ("kernel: personality flags", "kernel", "linux.personality.flags", NULL,
                    "not empty");

  fresh ();
  set_json (config, "linux.personality", "{}");
  run (check_kernel_rest);
  expect_violation ("kernel: personality without domain", "kernel", "linux.personality.domain",
                    NULL, NULL);

  static const char *const root_like[] = { "/", "//", "/./" };
  for (size_t k = 0; k < sizeof root_like / sizeof root_like[0]; k++)
    {
      fresh ();
      char *literal = xasprintf ("\"%s\"", root_like[k]);
      set_json (config, "linux.cgroupsPath", literal);
      run (check_kernel_rest);
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
      run (check_kernel_rest);
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
      run (check_kernel_rest);
      char *name = xasprintf ("kernel: cgroupsPath \"%s\"", fine[k]);
      expect_accepted (name);
      free (name);
      free (literal);
    }
  fresh ();
  set_json (config, "linux.cgroupsPath", "5");
  run (check_kernel_rest);
  expect_violation ("kernel: cgroupsPath a number", "kernel", "linux.cgroupsPath", NULL,
                    "wrong type");

  fresh ();
  set_json (config, "linux.rootfsPropagation", "\"rshared\"");
  run (check_kernel_rest);
  expect_violation ("kernel: rootfsPropagation rshared", "kernel", "linux.rootfsPropagation",
                    "remove the shared/rshared propagation from -v/--mount", "rshared");

  fresh ();
  set_json (config, "linux.rootfsPropagation", "\"rslave\"");
  run (check_kernel_rest);
  expect_accepted ("kernel: rootfsPropagation rslave");

  fresh ();
  set_json (config, "linux.rootfsPropagation", "\"Shared\"");
  run (check_kernel_rest);
  expect_violation ("kernel: rootfsPropagation unknown", "kernel", "linux.rootfsPropagation",
                    "remove the shared/rshared propagation from -v/--mount", "Shared");

  fresh ();
  set_json (config, "linux.mountLabel", "\"system_u:object_r:container_file_t:s0:c1,c2\"");
  run (check_kernel_rest);
  expect_accepted ("kernel: a mountLabel");
}

/* ---- harden mode ---------------------------------------------------------------- */

static int64_t
int_value (const char *path)
{
  int64_t v = INT64_MIN;
  spec_get_int (config, path, INT64_MIN, INT64_MAX, &v);
  return v;
}

static void
test_harden_masked_paths (void)
{
  fresh ();
  remove_item ("linux.maskedPaths", 2); /* /proc/kcore */
  remove_item ("linux.maskedPaths", 0); /* /proc/asound */
  append ("linux.maskedPaths", "\"/proc/mine\"");
  remove_item ("linux.readonlyPaths", 3); /* /proc/sys */
  layer_harden (floor_harden_masked_paths, floor_check_masked_paths);
  expect_accepted ("harden masked-paths");
  expect_tightened ("harden masked-paths", "masked-paths", "linux.maskedPaths",
                    "lacked /proc/asound, /proc/kcore; added");
  expect_tightened ("harden masked-paths", "masked-paths", "linux.readonlyPaths",
                    "lacked /proc/sys; added");
  json_value *masked = get ("linux.maskedPaths", JSON_ARRAY);
  ok (array_has_string (masked, "/proc/kcore") && array_has_string (masked, "/proc/asound"),
      "harden masked-paths: the defaults are back");
  ok (array_has_string (masked, "/proc/mine"), "harden masked-paths: the caller's extra stays");
  ok (array_has_string (get ("linux.readonlyPaths", JSON_ARRAY), "/proc/sys"),
      "harden masked-paths: /proc/sys read-only again");
  expect_layer_idempotent ("harden masked-paths", floor_harden_masked_paths,
                           floor_check_masked_paths);

  /* Defaults spelled otherwise are written as the defaults (runc would
     mount "/proc/keys/" as written, and fail).  */
  fresh ();
  set_json (config, "linux.readonlyPaths",
            "[\"/proc//bus/\",\"/proc/./fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"]");
  layer_harden (floor_harden_masked_paths, floor_check_masked_paths);
  expect_accepted ("harden masked-paths: defaults spelled otherwise");
  expect_tightened ("harden masked-paths: defaults spelled otherwise", "masked-paths",
                    "linux.readonlyPaths", "spelled \"/proc//bus/\", \"/proc/./fs\" otherwise");
  json_value *ro = get ("linux.readonlyPaths", JSON_ARRAY);
  ok (ro->u.array.len == 5 && array_has_string (ro, "/proc/bus")
          && array_has_string (ro, "/proc/fs"),
      "harden masked-paths: respelled in place, nothing added twice");

  /* systempaths=unconfined: empty lists.  */
  fresh ();
  set_json (config, "linux.maskedPaths", "[]");
  set_json (config, "linux.readonlyPaths", "[]");
  layer_harden (floor_harden_masked_paths, floor_check_masked_paths);
  expect_accepted ("harden masked-paths: empty lists");
  ok (get ("linux.maskedPaths", JSON_ARRAY)->u.array.len >= 10
          && get ("linux.readonlyPaths", JSON_ARRAY)->u.array.len == 5,
      "harden masked-paths: empty lists filled with the defaults");

  /* Podman's /proc/asound read-only only: the rule's own tightening.  */
  fresh ();
  remove_item ("linux.maskedPaths", 0);
  append ("linux.readonlyPaths", "\"/proc/asound\"");
  layer_harden (floor_harden_masked_paths, NULL);
  ok (verdict.len == 0, "harden masked-paths: a read-only default is left to the rule");
  layer_harden (floor_check_masked_paths, NULL);
  expect_accepted ("harden masked-paths: a read-only default, then the rule");

  /* Unfixable: an entry that is not a path.  */
  fresh ();
  remove_item ("linux.maskedPaths", 0);
  append ("linux.maskedPaths", "42");
  layer_harden (floor_harden_masked_paths, floor_check_masked_paths);
  ok (verdict_violations (&verdict) > 0 && count_kind (FINDING_TIGHTENED) == 0,
      "harden masked-paths: a list with a number still refused, unchanged");
  fresh ();
  set_json (config, "linux.maskedPaths", "null");
  layer_harden (floor_harden_masked_paths, floor_check_masked_paths);
  expect_violation ("harden masked-paths null", "masked-paths", "linux.maskedPaths",
                    "remove --security-opt systempaths=unconfined and --privileged", "null");

  fresh ();
  expect_layer_unchanged ("harden masked-paths: Docker's lists", floor_harden_masked_paths);
  fresh ();
  remove_field ("linux.maskedPaths");
  expect_layer_unchanged ("harden masked-paths: absent (the rule fills it)",
                          floor_harden_masked_paths);
}

static void
test_harden_sysctl (void)
{
  fresh ();
  set_json (config, "linux.sysctl",
            "{\"net.ipv4.ip_unprivileged_port_start\": \"0\", \"kernel.core_pattern\": \"|/x\", "
            "\"kernel.shmmax\": \"1000\", \"vm.overcommit_memory\": \"1\", "
            "\"net.ipv4.ping_group_range\": \"0 2147483647\"}");
  layer_harden (floor_harden_sysctl, floor_check_sysctl);
  expect_accepted ("harden sysctl");
  expect_tightened ("harden sysctl", "sysctl", "linux.sysctl.kernel.core_pattern",
                    "was \"|/x\"; removed (it is set; only net.*");
  expect_tightened ("harden sysctl", "sysctl", "linux.sysctl.vm.overcommit_memory", "removed");
  json_value *sysctl = get ("linux.sysctl", JSON_OBJECT);
  ok (sysctl->u.object.len == 3 && json_object_get_exact (sysctl, "kernel.shmmax") != NULL
          && json_object_get_exact (sysctl, "net.ipv4.ping_group_range") != NULL,
      "harden sysctl: the accepted keys stay");
  expect_layer_idempotent ("harden sysctl", floor_harden_sysctl, floor_check_sysctl);

  /* An IPC sysctl with the host's IPC namespace goes.  */
  fresh ();
  json_value *ns = get ("linux.namespaces", JSON_ARRAY);
  for (size_t i = 0; i < ns->u.array.len; i++)
    {
      const char *t = NULL;
      if (spec_get_string (ns->u.array.items[i], "type", &t) == SPEC_OK && strcmp (t, "ipc") == 0)
        {
          json_array_remove (ns, i);
          break;
        }
    }
  set_json (config, "linux.sysctl", "{\"kernel.shmmax\": \"1000\"}");
  layer_harden (floor_harden_sysctl, floor_check_sysctl);
  expect_accepted ("harden sysctl: IPC without an ipc namespace");
  expect_tightened ("harden sysctl: IPC without an ipc namespace", "sysctl",
                    "linux.sysctl.kernel.shmmax", "without an ipc namespace");

  /* Unfixable: a value that is not a string stays refused.  */
  fresh ();
  set_json (config, "linux.sysctl", "{\"kernel.core_pattern\": 1}");
  layer_harden (floor_harden_sysctl, floor_check_sysctl);
  ok (exact_finding (FINDING_VIOLATION, "sysctl", "linux.sysctl.kernel.core_pattern") != NULL
          && count_kind (FINDING_TIGHTENED) == 0,
      "harden sysctl: a number still refused, unchanged");
  fresh ();
  set_json (config, "linux.sysctl", "null");
  layer_harden (floor_harden_sysctl, floor_check_sysctl);
  ok (exact_finding (FINDING_VIOLATION, "sysctl", "linux.sysctl") != NULL,
      "harden sysctl: null still refused");

  fresh ();
  set_json (config, "linux.sysctl",
            "{\"net.ipv4.ip_unprivileged_port_start\": \"0\", \"fs.mqueue.msg_max\": \"10\", "
            "\"kernel.domainname\": \"x\"}");
  expect_layer_unchanged ("harden sysctl: Docker's", floor_harden_sysctl);
}

static void
test_harden_kernel (void)
{
  fresh ();
  set_json (config, "linux.intelRdt", "{\"closID\": \"x\", \"l3CacheSchema\": \"L3:0=ff\"}");
  set_json (config, "linux.personality", "{\"domain\": \"LINUX32\", \"flags\": []}");
  set_json (config, "linux.rootfsPropagation", "\"rshared\"");
  layer_harden (floor_harden_kernel, check_kernel_rest);
  expect_accepted ("harden kernel");
  expect_tightened ("harden kernel", "kernel", "linux.intelRdt", "removed");
  expect_tightened ("harden kernel", "kernel", "linux.personality", "\"LINUX32\"");
  expect_tightened ("harden kernel", "kernel", "linux.rootfsPropagation",
                    "was \"rshared\"; removed");
  json_value *lin = get ("linux", JSON_OBJECT);
  ok (json_object_get (lin, "intelRdt") == NULL && json_object_get (lin, "personality") == NULL
          && json_object_get (lin, "rootfsPropagation") == NULL,
      "harden kernel: the three are gone");
  expect_layer_idempotent ("harden kernel", floor_harden_kernel, check_kernel_rest);

  fresh ();
  set_json (config, "linux.personality",
            "{\"domain\": \"LINUX\", \"flags\": [\"ADDR_NO_RANDOMIZE\"]}");
  set_json (config, "linux.rootfsPropagation", "\"bogus\"");
  layer_harden (floor_harden_kernel, check_kernel_rest);
  expect_accepted ("harden kernel: personality flags, unknown propagation");

  /* Unfixable: wrongly typed stays refused.  */
  fresh ();
  set_json (config, "linux.personality", "{\"domain\": 7}");
  set_json (config, "linux.rootfsPropagation", "null");
  set_json (config, "linux.intelRdt", "null");
  layer_harden (floor_harden_kernel, check_kernel_rest);
  ok (count_kind (FINDING_TIGHTENED) == 0 && verdict_violations (&verdict) == 3,
      "harden kernel: wrongly typed fields still refused, unchanged");
  if (verdict_violations (&verdict) != 3)
    print_verdict (&verdict);

  fresh ();
  set_json (config, "linux.personality", "{\"domain\": \"LINUX\"}");
  set_json (config, "linux.rootfsPropagation", "\"rprivate\"");
  expect_layer_unchanged ("harden kernel: accepted values", floor_harden_kernel);
}

/* cgroupsPath: harden, then the rule, with this driver and id.  */
static void
harden_cgroup (bool systemd, const char *path_literal, const char *id)
{
  fresh ();
  set_json (config, "linux.cgroupsPath", path_literal);
  test_host.systemd_cgroup = systemd;
  test_host.container_id = id;
  layer_harden (floor_harden_cgroups_path, floor_check_cgroups_path);
}

static void
cgroups_path_done (void)
{
  test_host.systemd_cgroup = false;
  test_host.container_id = NULL;
  test_host.gvisor = false;
}

static void
test_harden_cgroups_path (void)
{
  harden_cgroup (false, "\"/docker\"", "abc");
  expect_accepted ("harden cgroupsPath: a shared parent");
  expect_tightened ("harden cgroupsPath: a shared parent", "kernel", "linux.cgroupsPath",
                    "was \"/docker\"; removed, so runc uses the new cgroup abc below its own");
  ok (spec_get (config, "linux.cgroupsPath", JSON_STRING, NULL) == SPEC_ABSENT,
      "harden cgroupsPath: a shared parent: absent");
  expect_layer_idempotent ("harden cgroupsPath", floor_harden_cgroups_path,
                           floor_check_cgroups_path);

  harden_cgroup (false, "\"/\"", "abc");
  expect_accepted ("harden cgroupsPath: the root cgroup");
  harden_cgroup (false, "\"a/../../x\"", "abc");
  expect_accepted ("harden cgroupsPath: ..");
  harden_cgroup (true, "\"system.slice:docker:exists\"", "abc");
  expect_accepted ("harden cgroupsPath: systemd, an existing scope");
  expect_tightened ("harden cgroupsPath: systemd", "kernel", "linux.cgroupsPath",
                    "runc uses the new unit runc-abc.scope in system.slice");
  harden_cgroup (true, "\"/docker/abc\"", "abc");
  expect_accepted ("harden cgroupsPath: systemd, not slice:prefix:name");

  /* The default would be refused too: the caller's path stays.  */
  harden_cgroup (false, "\"/docker\"", "own-child");
  expect_violation ("harden cgroupsPath: the default exists too", "kernel", "linux.cgroupsPath",
                    "remove --cgroup-parent", "\"/docker\"");
  ok (count_kind (FINDING_TIGHTENED) == 0, "harden cgroupsPath: the default exists too: kept");

  /* gVisor: runsc gives a sandbox without cgroupsPath no cgroup at all.  */
  test_host.gvisor = true;
  harden_cgroup (false, "\"/docker\"", "abc");
  ok (exact_finding (FINDING_VIOLATION, "kernel", "linux.cgroupsPath") != NULL
          && count_kind (FINDING_TIGHTENED) == 0,
      "harden cgroupsPath: under gVisor still refused, unchanged");
  test_host.gvisor = false;

  harden_cgroup (false, "7", "abc");
  ok (exact_finding (FINDING_VIOLATION, "kernel", "linux.cgroupsPath") != NULL
          && count_kind (FINDING_TIGHTENED) == 0,
      "harden cgroupsPath: a number still refused");

  fresh ();
  test_host.container_id = "abc";
  expect_layer_unchanged ("harden cgroupsPath: Docker's /docker/abc", floor_harden_cgroups_path);
  set_json (config, "linux.cgroupsPath", "\"system.slice:docker:abc\"");
  test_host.systemd_cgroup = true;
  expect_layer_unchanged ("harden cgroupsPath: Docker's systemd path", floor_harden_cgroups_path);
  cgroups_path_done ();
}

/* The whole of harden mode on one config refused by every rule of these
   layers: no violation of theirs is left.  */
static void
test_harden_config_kernel (void)
{
  static const char *const rules[]
      = { "memory", "cpu", "pids", "unified", "masked-paths", "sysctl", "kernel" };
  fresh ();
  set_json (config, "linux.resources.memory", "{\"limit\": 1073741824, \"swap\": -1}");
  set_json (config, "linux.resources.cpu", "{\"quota\": -1, \"realtimeRuntime\": 5}");
  set_json (config, "linux.resources.pids", "{\"limit\": -1}");
  set_json (config, "linux.resources.unified", "{\"memory.max\": \"max\"}");
  set_json (config, "linux.readonlyPaths", "[]");
  set_json (config, "linux.sysctl", "{\"kernel.core_pattern\": \"|/x\"}");
  set_json (config, "linux.intelRdt", "{}");
  set_json (config, "linux.rootfsPropagation", "\"shared\"");
  set_json (config, "linux.cgroupsPath", "\"/docker\"");
  test_host.container_id = "abc";
  verdict_free (&verdict);
  floor_harden_config (config, &test_policy, &test_host, &verdict);
  test_host.container_id = NULL;
  for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++)
    {
      bool clean = true;
      for (size_t i = 0; i < verdict.len; i++)
        if (verdict.items[i].kind == FINDING_VIOLATION
            && strcmp (verdict.items[i].rule, rules[r]) == 0)
          clean = false;
      ok (clean, "floor_harden_config: no %s violation left", rules[r]);
      if (!clean)
        print_verdict (&verdict);
    }
  ok (int_value ("linux.resources.memory.limit") == 104857600
          && int_value ("linux.resources.cpu.quota") == 50000
          && int_value ("linux.resources.pids.limit") == 256,
      "floor_harden_config: memory, cpu and pids at the floor");
}

/* Every Docker config captured (tests/fixtures/docker): where the rules of
   these layers accept it, their harden functions leave it byte for byte;
   where they refuse it, nothing of theirs is refused after harden.  */
static void
test_harden_docker_fixtures (void)
{
  static const char *const names[] = {
    "bind-root",     "cap-add-net-raw", "cpus-2",
    "device",        "doc-flags-user",  "doc-flags",
    "ipc-host",      "memory-200m",     "network-host",
    "no-cap-drop",   "no-limits",       "no-nnp",
    "no-read-only",  "no-user",         "pid-host",
    "plain",         "privileged",      "seccomp-unconfined",
    "swap-above",    "sysctl-kernel",   "tmpfs",
    "writable-bind",
  };
  static const rule_fn hardeners[] = {
    floor_harden_memory,      floor_harden_cpu,          floor_harden_pids,
    floor_harden_unified,     floor_harden_masked_paths, floor_harden_sysctl,
    floor_harden_kernel,      floor_harden_cgroups_path, floor_harden_hooks,
    floor_harden_annotations,
  };
  static const rule_fn checks[] = {
    floor_check_memory,
    floor_check_cpu,
    floor_check_pids,
    floor_check_unified,
    floor_check_masked_paths,
    floor_check_sysctl,
    floor_check_intel_rdt,
    floor_check_personality,
    floor_check_cgroups_path,
    floor_check_rootfs_propagation,
    floor_check_hooks,
    floor_check_annotations,
    floor_check_policyrun_annotations,
    floor_check_lowered_limits,
  };
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
    {
      json_free (config);
      config = load_docker (names[k]);
      /* The id Docker's setkey hook names, when it has one.  */
      const char *id = NULL;
      json_value *prestart = NULL, *args = NULL;
      if (spec_get (config, "hooks.prestart", JSON_ARRAY, &prestart) == SPEC_OK
          && prestart->u.array.len > 0
          && spec_get (prestart->u.array.items[0], "args", JSON_ARRAY, &args) == SPEC_OK
          && args->u.array.len == 4 && args->u.array.items[2]->type == JSON_STRING)
        id = args->u.array.items[2]->u.string.s;
      test_host.container_id = id;
      cleanup_json json_value *enforced = json_clone (config);
      struct verdict enforce = { 0 };
      struct floor_ctx ectx = { .config = enforced,
                                .policy = &test_policy,
                                .host = &test_host,
                                .verdict = &enforce,
                                .field_prefix = "",
                                .spec = enforced };
      for (size_t c = 0; c < sizeof checks / sizeof checks[0]; c++)
        checks[c](&ectx);
      size_t refused = verdict_violations (&enforce);
      verdict_free (&enforce);

      cleanup_free char *before = json_text (config);
      verdict_free (&verdict);
      struct floor_ctx ctx = { .config = config,
                               .policy = &test_policy,
                               .host = &test_host,
                               .verdict = &verdict,
                               .field_prefix = "",
                               .spec = config };
      for (size_t h = 0; h < sizeof hardeners / sizeof hardeners[0]; h++)
        hardeners[h](&ctx);
      cleanup_free char *after = json_text (config);
      if (refused == 0)
        is_str (after, before, "harden, Docker's %s: accepted by these layers, left byte for byte",
                names[k]);
      for (size_t c = 0; c < sizeof checks / sizeof checks[0]; c++)
        checks[c](&ctx);
      ok (verdict_violations (&verdict) == 0,
          "harden, Docker's %s: nothing of these layers refused", names[k]);
      if (verdict_violations (&verdict))
        print_verdict (&verdict);
      test_host.container_id = NULL;
    }
}

int
main (void)
{
  floor_test_init ();
  setup_scratch ();
  setup_cgroups ();

  test_devices ();
  test_masked_paths ();
  test_sysctl ();
  test_kernel ();
  test_cgroups_path ();
  test_harden_masked_paths ();
  test_harden_sysctl ();
  test_harden_kernel ();
  test_harden_cgroups_path ();
  test_harden_config_kernel ();
  test_harden_docker_fixtures ();

  return config_tests_done ();
}
