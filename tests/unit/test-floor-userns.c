/* Harden's user namespace (userns.c): the policy's mapping added where
   runc can start the container in it, mappings onto host root replaced,
   Docker's ping_group_range clamped, and everything else left alone.  */
#include "config.h"

#include <grp.h>

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle.h"
#include "floor-helpers.h"

/* userns.c's seam: the host's /dev/null.  */
extern const char *floor_userns_dev_null;

static char *scratch;   /* removed at the end */
static char *open_root; /* scratch/open/rootfs: every step searchable */
static char *shut_root; /* scratch/shut/rootfs: shut is 0710 root:root, as Docker's data root */
/* Where create would relocate a root (bundle_relocation_dir): below
   scratch (reachable), or below shut (not: such roots stay unfit).  The
   tests use reloc_shut unless they say otherwise.  */
static char *reloc_open, *reloc_shut;

/* An image as Docker's vfs layer holds it: the mount points of Docker's
   default mounts (its init layer adds the three /etc files).  */
static void
make_image (const char *root)
{
  static const char *const dirs[] = { "", "/proc", "/dev", "/sys", "/etc" };
  static const char *const files[]
      = { "/etc/resolv.conf", "/etc/hostname", "/etc/hosts", "/etc/passwd" };
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
    {
      cleanup_free char *d = xasprintf ("%s%s", root, dirs[i]);
      if (mkdir (d, 0755) < 0)
        {
          printf ("Bail out! cannot make %s\n", d);
          exit (1);
        }
    }
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
    {
      cleanup_free char *f = xasprintf ("%s%s", root, files[i]);
      FILE *fp = fopen (f, "we");
      if (fp == NULL)
        {
          printf ("Bail out! cannot make %s\n", f);
          exit (1);
        }
      fclose (fp);
    }
}

/* JSON text of v (the caller frees it).  */
static char *
text_of (const json_value *v)
{
  char *out = NULL, *err = NULL;
  size_t len = 0;
  if (json_write (v, &out, &len, &err) < 0)
    {
      printf ("Bail out! cannot write JSON: %s\n", err);
      exit (1);
    }
  return out;
}

/* Docker's captured plain config, its root moved to root.  */
static json_value *
docker_plain (const char *root)
{
  json_value *c = load_docker ("plain");
  json_value *s = json_new_string (root);
  cleanup_free char *err = NULL;
  if (spec_set (c, "root.path", s, &err) < 0)
    {
      printf ("Bail out! %s\n", err);
      exit (1);
    }
  return c;
}

static void
harden (json_value *c)
{
  run_config_rule (floor_harden_user_namespace, c);
}

static void
append_mount (json_value *c, const char *literal)
{
  json_value *mounts = NULL;
  if (spec_get (c, "mounts", JSON_ARRAY, &mounts) != SPEC_OK)
    {
      printf ("Bail out! no mounts\n");
      exit (1);
    }
  json_array_append (mounts, parse_json (literal));
}

/* harden changes nothing in c and reports nothing.  */
static void
expect_unchanged (const char *name, json_value *c)
{
  cleanup_free char *before = text_of (c);
  harden (c);
  cleanup_free char *after = text_of (c);
  is_str (after, before, "%s: the config is unchanged", name);
  ok (verdict.len == 0, "%s: no finding", name);
  if (verdict.len)
    print_verdict (&verdict);
}

/* The namespaces rule has nothing against c.  */
static void
expect_namespaces_accept (const char *name, json_value *c)
{
  run_config_rule (floor_check_namespaces, c);
  expect_accepted (name);
}

static bool
has_user_entry (const json_value *c)
{
  json_value *ns = NULL;
  if (spec_get (c, "linux.namespaces", JSON_ARRAY, &ns) != SPEC_OK)
    return false;
  size_t n = 0;
  for (size_t i = 0; i < ns->u.array.len; i++)
    {
      const char *type = NULL;
      if (spec_get_string (ns->u.array.items[i], "type", &type) == SPEC_OK
          && strcmp (type, "user") == 0)
        n++;
    }
  return n == 1;
}

static char *
mapping_text (const json_value *c, const char *name)
{
  json_value *m = NULL;
  if (spec_get (c, name, JSON_ARRAY, &m) != SPEC_OK)
    return xstrdup ("(none)");
  return text_of (m);
}

/* linux.namespaces[i], or NULL.  */
static json_value *
item_of (const json_value *c, size_t i)
{
  json_value *ns = NULL;
  if (spec_get (c, "linux.namespaces", JSON_ARRAY, &ns) != SPEC_OK || i >= ns->u.array.len)
    return NULL;
  return ns->u.array.items[i];
}

static const char *policy_map = "[{\"containerID\":0,\"hostID\":1000000000,\"size\":65536}]";

static void
test_docker_plain (void)
{
  json_value *c = docker_plain (open_root);
  harden (c);
  ok (has_user_entry (c), "Docker plain: one \"user\" namespace added");
  cleanup_free char *uids = mapping_text (c, "linux.uidMappings");
  cleanup_free char *gids = mapping_text (c, "linux.gidMappings");
  is_str (uids, policy_map, "Docker plain: uidMappings are the policy's");
  is_str (gids, policy_map, "Docker plain: gidMappings are the policy's");
  expect_tightened ("Docker plain", "namespaces", "linux.namespaces", "added a new one");
  expect_tightened ("Docker plain", "namespaces", "linux.uidMappings",
                    "now container ids 0-65535 are host ids 1000000000-1000065535");
  expect_tightened ("Docker plain", "sysctl", "linux.sysctl.net.ipv4.ping_group_range",
                    "was \"0 2147483647\", now \"0 65535\"");
  json_value *sysctl = NULL;
  spec_get (c, "linux.sysctl", JSON_OBJECT, &sysctl);
  json_value *pgr = json_object_get_exact (sysctl, "net.ipv4.ping_group_range");
  is_str (pgr && pgr->type == JSON_STRING ? pgr->u.string.s : NULL, "0 65535",
          "Docker plain: ping_group_range clamped to the mapped gids");
  json_value *port = json_object_get_exact (sysctl, "net.ipv4.ip_unprivileged_port_start");
  is_str (port && port->type == JSON_STRING ? port->u.string.s : NULL, "0",
          "Docker plain: the other sysctl stays");
  expect_namespaces_accept ("Docker plain, hardened: the namespaces rule", c);
  expect_unchanged ("Docker plain, hardened again (idempotent)", c);
  json_free (c);

  /* Below Docker's 0710 data root: in a user namespace all the same, the
     root relocated by create.  */
  bundle_relocation_dir = reloc_open;
  c = docker_plain (shut_root);
  harden (c);
  ok (has_user_entry (c), "Docker plain below a 0710 data root: one \"user\" namespace added");
  ok (bundle_root_needs_relocation (c, &test_policy),
      "Docker plain below a 0710 data root: create relocates the root");
  expect_unchanged ("Docker plain below a 0710 data root, hardened again (idempotent)", c);
  json_free (c);
  c = docker_plain (open_root);
  harden (c);
  ok (!bundle_root_needs_relocation (c, &test_policy),
      "Docker plain, reachable root: create does not relocate it");
  json_free (c);
  bundle_relocation_dir = reloc_shut;

  /* The whole harden pipeline leaves nothing to refuse, user namespace in.  */
  c = docker_plain (open_root);
  verdict_free (&verdict);
  size_t n = floor_harden_config (c, &test_policy, &test_host, &verdict);
  ok (n == 0, "Docker plain through floor_harden_config: no violation");
  if (n)
    print_verdict (&verdict);
  ok (has_user_entry (c), "Docker plain through floor_harden_config: in a user namespace");
  json_free (c);
}

static void
test_left_alone (void)
{
  json_value *c = docker_plain (open_root);
  struct host_facts gv = test_host;
  gv.gvisor = true;
  cleanup_free char *before = text_of (c);
  verdict_free (&verdict);
  struct floor_ctx ctx = {
    .config = c, .policy = &test_policy, .host = &gv, .verdict = &verdict, .field_prefix = ""
  };
  floor_harden_user_namespace (&ctx);
  cleanup_free char *after = text_of (c);
  is_str (after, before, "gVisor: no user namespace written (the sandbox has its own)");
  json_free (c);

  c = docker_plain (shut_root);
  expect_unchanged ("root.path below a 0710 root:root directory (Docker's data root), relocation "
                    "directory unreachable too",
                    c);
  json_free (c);

  c = docker_plain ("/nonexistent/policyrun-test-rootfs");
  expect_unchanged ("root.path that does not exist", c);
  json_free (c);

  /* A pod's container: the pod shares its sandbox's namespaces.  */
  c = docker_plain (open_root);
  set_json (c, "annotations", "{\"io.kubernetes.cri.container-type\":\"container\"}");
  expect_unchanged ("a Kubernetes pod's container", c);
  json_free (c);

  c = docker_plain (open_root);
  set_json (c, "process.user", "{\"uid\":70000,\"gid\":0}");
  expect_unchanged ("process uid 70000, outside the mapped range", c);
  json_free (c);

  c = docker_plain (open_root);
  set_json (c, "process.user", "{\"uid\":0,\"gid\":0,\"additionalGids\":[65536]}");
  expect_unchanged ("additional gid 65536, outside the mapped range", c);
  json_free (c);

  c = docker_plain (open_root);
  set_json (c, "linux.namespaces",
            "[{\"type\":\"mount\"},{\"type\":\"network\"},{\"type\":\"uts\"},{\"type\":\"pid\"},"
            "{\"type\":\"ipc\",\"path\":\"/proc/4242/ns/ipc\"}]");
  expect_unchanged ("a namespace joined by path (a CRI app container)", c);
  json_free (c);

  /* Docker's userns-remap: the caller's own mapping avoids host root.  */
  c = docker_plain (shut_root);
  set_json (c, "linux.namespaces",
            "[{\"type\":\"mount\"},{\"type\":\"network\"},{\"type\":\"uts\"},{\"type\":\"pid\"},"
            "{\"type\":\"ipc\"},{\"type\":\"user\"}]");
  set_json (c, "linux.uidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]");
  set_json (c, "linux.gidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]");
  expect_unchanged ("Docker userns-remap's mapping (host 100000)", c);
  expect_namespaces_accept ("Docker userns-remap's mapping: the namespaces rule", c);
  json_free (c);

  /* A mapping the rule refuses as malformed is not the harden's to guess.  */
  c = docker_plain (open_root);
  set_json (c, "linux.namespaces",
            "[{\"type\":\"mount\"},{\"type\":\"network\"},{\"type\":\"uts\"},{\"type\":\"pid\"},"
            "{\"type\":\"ipc\"},{\"type\":\"user\"}]");
  set_json (c, "linux.uidMappings", "[{\"containerID\":0,\"hostID\":\"0\",\"size\":1}]");
  set_json (c, "linux.gidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]");
  expect_unchanged ("a mapping with a string hostID", c);
  run_config_rule (floor_check_namespaces, c);
  ok (verdict_violations (&verdict) == 1, "a mapping with a string hostID: still refused");
  json_free (c);
}

static void
test_host_root_mappings (void)
{
  json_value *c = docker_plain (shut_root);
  set_json (c, "linux.namespaces",
            "[{\"type\":\"mount\"},{\"type\":\"network\"},{\"type\":\"uts\"},{\"type\":\"pid\"},"
            "{\"type\":\"ipc\"},{\"type\":\"user\"}]");
  set_json (c, "linux.uidMappings",
            "[{\"containerID\":0,\"hostID\":100000,\"size\":1000},"
            "{\"containerID\":1000,\"hostID\":0,\"size\":1}]");
  set_json (c, "linux.gidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]");
  harden (c);
  cleanup_free char *uids = mapping_text (c, "linux.uidMappings");
  cleanup_free char *gids = mapping_text (c, "linux.gidMappings");
  is_str (uids, policy_map, "uid mapping onto host root: replaced by the policy's");
  is_str (gids, "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]",
          "uid mapping onto host root: the caller's gid mapping stays");
  expect_tightened ("uid mapping onto host root", "namespaces", "linux.uidMappings",
                    "[1] mapped container id 1000 onto host id 0 (root)");
  ok (exact_finding (FINDING_TIGHTENED, "namespaces", "linux.gidMappings") == NULL,
      "uid mapping onto host root: nothing said of the gid mapping");
  expect_namespaces_accept ("uid mapping onto host root, hardened: the namespaces rule", c);
  expect_unchanged ("uid mapping onto host root, hardened again", c);
  json_free (c);

  /* A range onto a privileged host group's gid (disk): the process's
     container gid would be that group on the host.  Enforce refuses it
     (rule user); harden replaces the mapping.  */
  struct group *disk = getgrnam ("disk");
  if (disk == NULL)
    printf ("ok %d # SKIP this host has no group \"disk\"\n", ++tap_n);
  else
    {
      c = docker_plain (shut_root);
      set_json (c, "linux.namespaces",
                "[{\"type\":\"mount\"},{\"type\":\"network\"},{\"type\":\"uts\"},"
                "{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"user\"}]");
      set_json (c, "linux.uidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]");
      cleanup_free char *gmap = xasprintf ("[{\"containerID\":1000,\"hostID\":%u,\"size\":1},"
                                           "{\"containerID\":0,\"hostID\":100000,\"size\":1000}]",
                                           (unsigned)disk->gr_gid);
      set_json (c, "linux.gidMappings", gmap);
      set_json (c, "process.user", "{\"uid\":1000,\"gid\":1000}");
      verdict_free (&verdict);
      floor_check_config (c, &test_policy, &test_host, &verdict);
      ok (exact_finding (FINDING_VIOLATION, "user", "linux.gidMappings[0]") != NULL,
          "a gid mapping onto the host's disk group: refused by the user rule");
      harden (c);
      cleanup_free char *gids_disk = mapping_text (c, "linux.gidMappings");
      is_str (gids_disk, policy_map,
              "a gid mapping onto the host's disk group: replaced by harden");
      expect_tightened ("a gid mapping onto the host's disk group", "user", "linux.gidMappings",
                        "privileged group \"disk\"");
      verdict_free (&verdict);
      floor_check_config (c, &test_policy, &test_host, &verdict);
      ok (exact_finding (FINDING_VIOLATION, "user", "linux.gidMappings[0]") == NULL,
          "a gid mapping onto the host's disk group, hardened: the user rule accepts it");
      json_free (c);
    }

  /* An absent hostID is 0 in runc's reading: onto host root, replaced.  */
  c = docker_plain (shut_root);
  set_json (c, "linux.namespaces",
            "[{\"type\":\"mount\"},{\"type\":\"network\"},{\"type\":\"uts\"},{\"type\":\"pid\"},"
            "{\"type\":\"ipc\"},{\"type\":\"user\"}]");
  set_json (c, "linux.uidMappings", "[{\"containerID\":0,\"size\":65536}]");
  set_json (c, "linux.gidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]");
  harden (c);
  cleanup_free char *uids_absent = mapping_text (c, "linux.uidMappings");
  is_str (uids_absent, policy_map, "uid mapping without hostID: replaced by the policy's");
  expect_tightened ("uid mapping without hostID", "namespaces", "linux.uidMappings",
                    "[0] mapped container id 0 onto host id 0 (root)");
  expect_namespaces_accept ("uid mapping without hostID, hardened: the namespaces rule", c);
  json_free (c);

  /* Mappings without the namespace (runc refuses them): one onto host root
     still goes, even where no user namespace can be added.  */
  c = docker_plain (shut_root);
  set_json (c, "linux.gidMappings", "[{\"containerID\":0,\"hostID\":0,\"size\":1}]");
  harden (c);
  ok (!has_user_entry (c), "gid mapping onto host root, no user namespace: none added");
  cleanup_free char *g2 = mapping_text (c, "linux.gidMappings");
  is_str (g2, policy_map, "gid mapping onto host root, no user namespace: replaced");
  cleanup_free char *u2 = mapping_text (c, "linux.uidMappings");
  is_str (u2, "(none)", "gid mapping onto host root, no user namespace: no uid mapping added");
  expect_namespaces_accept ("gid mapping onto host root, no user namespace: the namespaces rule",
                            c);
  json_free (c);
}

static void
test_user_entries (void)
{
  json_value *c = docker_plain (shut_root);
  set_json (c, "linux.namespaces",
            "[{\"type\":\"mount\"},{\"type\":\"network\"},{\"type\":\"uts\"},{\"type\":\"pid\"},"
            "{\"type\":\"ipc\"},{\"type\":\"user\",\"path\":\"/proc/1/ns/user\"}]");
  run_config_rule (floor_check_namespaces, c);
  ok (verdict_violations (&verdict) == 1, "user namespace by path: refused by the rule");
  harden (c);
  json_value *user = item_of (c, 5);
  ok (user != NULL && json_object_get (user, "path") == NULL,
      "user namespace by path: the path is gone");
  expect_tightened ("user namespace by path", "namespaces", "linux.namespaces[5].path",
                    "was \"/proc/1/ns/user\", now a new user namespace");
  cleanup_free char *uids = mapping_text (c, "linux.uidMappings");
  is_str (uids, policy_map, "user namespace by path: the policy's uid mapping");
  expect_namespaces_accept ("user namespace by path, hardened: the namespaces rule", c);
  expect_unchanged ("user namespace by path, hardened again", c);
  json_free (c);

  c = docker_plain (open_root);
  set_json (c, "linux.namespaces",
            "[{\"type\":\"user\"},{\"type\":\"mount\"},{\"type\":\"network\"},{\"type\":\"uts\"},"
            "{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"user\"}]");
  harden (c);
  ok (has_user_entry (c), "repeated user namespace: one left");
  expect_tightened ("repeated user namespace", "namespaces", "linux.namespaces",
                    "dropped the repeat");
  expect_namespaces_accept ("repeated user namespace, hardened: the namespaces rule", c);
  json_free (c);
}

static void
test_ping_group_range (void)
{
  static const struct
  {
    const char *value, *want;
  } cases[] = {
    { "0 65535", "0 65535" },
    { "10 20", "10 20" },
    { "5 100000", "5 65535" },
    { "70000 80000", "1 0" },
    { "1 0", "1 0" },
    { "zero all", "zero all" },
    { "0 2147483647 9", "0 2147483647 9" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      json_value *c = docker_plain (open_root);
      cleanup_free char *lit = xasprintf ("{\"net.ipv4.ping_group_range\":\"%s\"}", cases[i].value);
      set_json (c, "linux.sysctl", lit);
      harden (c);
      json_value *sysctl = NULL;
      spec_get (c, "linux.sysctl", JSON_OBJECT, &sysctl);
      json_value *v = json_object_get_exact (sysctl, "net.ipv4.ping_group_range");
      is_str (v && v->type == JSON_STRING ? v->u.string.s : NULL, cases[i].want,
              "ping_group_range \"%s\" becomes \"%s\"", cases[i].value, cases[i].want);
      bool said
          = exact_finding (FINDING_TIGHTENED, "sysctl", "linux.sysctl.net.ipv4.ping_group_range")
            != NULL;
      ok (said == (strcmp (cases[i].value, cases[i].want) != 0),
          "ping_group_range \"%s\": a finding exactly when changed", cases[i].value);
      json_free (c);
    }
}

static void
test_policy_range (void)
{
  struct policy saved = test_policy;
  test_policy.userns_host_id = 200000;
  test_policy.userns_size = 100000;
  json_value *c = docker_plain (open_root);
  harden (c);
  cleanup_free char *uids = mapping_text (c, "linux.uidMappings");
  is_str (uids, "[{\"containerID\":0,\"hostID\":200000,\"size\":100000}]",
          "the policy's userns_host_id and userns_size are the mapping");
  json_value *sysctl = NULL;
  spec_get (c, "linux.sysctl", JSON_OBJECT, &sysctl);
  json_value *v = json_object_get_exact (sysctl, "net.ipv4.ping_group_range");
  is_str (v ? v->u.string.s : NULL, "0 99999", "ping_group_range clamped to the policy's size");
  json_free (c);
  test_policy = saved;
}

/* A root below a directory the mapped root may search only through its
   group (gid userns_host_id), or through its capabilities (owner and group
   both mapped), is reachable where it is; through neither it is not, and
   create relocates it (bundle.h): the user namespace is added all the
   same while the relocation directory's parents are searchable.  When
   they are not, only the reachable roots get one.  */
static void
test_reachability (void)
{
  static const struct
  {
    uid_t uid;
    gid_t gid;
    mode_t mode;
    bool reachable;
    const char *what;
  } cases[] = {
    { 0, 1000000000, 0710, true, "0710 root:<mapped root's gid>" },
    { 1000000000, 0, 0700, true, "0700 <mapped root>:root" },
    { 1000000005, 1000000005, 0700, true, "0700 owned by mapped ids (capabilities)" },
    { 1000000005, 0, 0700, false, "0700 owner mapped, group root" },
    { 0, 0, 0711, true, "0711 root:root" },
    { 0, 0, 0710, false, "0710 root:root" },
    { 1000000000, 0, 0670, false, "0670 <mapped root>:root (owner bits count)" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      cleanup_free char *dir = xasprintf ("%s/case%zu", scratch, i);
      cleanup_free char *root = xasprintf ("%s/rootfs", dir);
      if (mkdir (dir, 0700) < 0 || chown (dir, cases[i].uid, cases[i].gid) < 0
          || chmod (dir, cases[i].mode) < 0)
        {
          printf ("Bail out! cannot make %s\n", dir);
          exit (1);
        }
      make_image (root);
      bundle_relocation_dir = reloc_open;
      ok (bundle_mapped_root_reaches (root, &test_policy) == cases[i].reachable,
          "root below %s: %s where it is", cases[i].what,
          cases[i].reachable ? "reachable" : "unreachable");
      json_value *c = docker_plain (root);
      harden (c);
      ok (has_user_entry (c), "root below %s: user namespace added%s", cases[i].what,
          cases[i].reachable ? "" : " (create relocates the root)");
      ok (bundle_root_needs_relocation (c, &test_policy) == !cases[i].reachable,
          "root below %s: %s", cases[i].what,
          cases[i].reachable ? "not relocated" : "relocated by create");
      json_free (c);

      /* The relocation directory below a 0710 root:root directory: the
         mapped root could not reach a relocated root either.  */
      bundle_relocation_dir = reloc_shut;
      c = docker_plain (root);
      harden (c);
      ok (has_user_entry (c) == cases[i].reachable,
          "root below %s, relocation directory unreachable: %s", cases[i].what,
          cases[i].reachable ? "user namespace added" : "left without one");
      json_free (c);
    }
}

/* What relocation cannot help: a root directory the mapped root cannot
   enter itself, a config without a mount namespace of its own.  */
static void
test_not_relocatable (void)
{
  cleanup_free char *dir = xasprintf ("%s/closed", scratch);
  cleanup_free char *root = xasprintf ("%s/rootfs", dir);
  if (mkdir (dir, 0700) < 0)
    {
      printf ("Bail out! cannot make %s\n", dir);
      exit (1);
    }
  make_image (root);
  bundle_relocation_dir = reloc_open;
  ok (bundle_root_relocatable (root, &test_policy),
      "a 0755 root below a 0700 directory: relocatable");
  if (chmod (root, 0700) < 0)
    {
      printf ("Bail out! cannot chmod %s\n", root);
      exit (1);
    }
  ok (!bundle_root_relocatable (root, &test_policy), "a 0700 root:root root: not relocatable");
  json_value *c = docker_plain (root);
  expect_unchanged ("a 0700 root:root root below a 0700 directory", c);
  json_free (c);
  chmod (root, 0755);

  c = docker_plain (shut_root);
  json_value *ns = NULL;
  spec_get (c, "linux.namespaces", JSON_ARRAY, &ns);
  for (size_t i = 0; i < ns->u.array.len; i++)
    {
      const char *type = NULL;
      if (spec_get_string (ns->u.array.items[i], "type", &type) == SPEC_OK
          && strcmp (type, "mount") == 0)
        {
          json_array_remove (ns, i);
          break;
        }
    }
  expect_unchanged ("a root below 0710 root:root, no mount namespace (nothing to relocate in)", c);
  json_free (c);

  /* A user namespace that is not the policy's (the caller's own, avoiding
     host id 0) is never relocated: its root is not the policy's.  */
  c = docker_plain (shut_root);
  harden (c);
  ok (bundle_root_needs_relocation (c, &test_policy), "the policy's user namespace: relocated");
  cleanup_free char *err = NULL;
  spec_set (c, "linux.uidMappings",
            parse_json ("[{\"containerID\":0,\"hostID\":200000,\"size\":65536}]"), &err);
  ok (!bundle_root_needs_relocation (c, &test_policy), "the caller's own mapping: not relocated");
  json_free (c);
  bundle_relocation_dir = reloc_shut;
}

/* bundle_enter_relocated_root in a child (it unshares the mount
   namespace): 0 when the bind is made and root.path's directory is the
   original, else 1; the child's reason on stdout.  */
static int
relocate_in_child (const char *original)
{
  fflush (stdout);
  pid_t pid = fork ();
  if (pid == 0)
    {
      cleanup_free char *err = NULL;
      if (bundle_enter_relocated_root (original, &err) < 0)
        {
          printf ("# refused: %s\n", err);
          fflush (stdout);
          _exit (1);
        }
      struct stat a, b;
      cleanup_free char *passwd = xasprintf ("%s/etc/passwd", bundle_relocation_dir);
      _exit (stat (bundle_relocation_dir, &a) == 0 && stat (original, &b) == 0
                     && a.st_dev == b.st_dev && a.st_ino == b.st_ino && access (passwd, F_OK) == 0
                 ? 0
                 : 2);
    }
  int status = 0;
  waitpid (pid, &status, 0);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 3;
}

/* The relocation itself: made 0711 where missing, refused where the
   directory is not root's alone, and nothing of it on the host after.  */
static void
test_relocate (void)
{
  cleanup_free char *dir = xasprintf ("%s/userns-made", scratch);
  bundle_relocation_dir = dir;
  ok (relocate_in_child (shut_root) == 0, "relocation: the root is bound onto the directory");
  struct stat st;
  ok (stat (dir, &st) == 0 && S_ISDIR (st.st_mode) && (st.st_mode & 07777) == 0711
          && st.st_uid == 0,
      "relocation: the missing directory was made 0711, root's");
  cleanup_free char *passwd = xasprintf ("%s/etc/passwd", dir);
  ok (access (passwd, F_OK) < 0, "relocation: on the host the directory stays empty");
  ok (relocate_in_child (shut_root) == 0, "relocation: an existing 0711 directory is reused");

  chmod (dir, 0777);
  ok (relocate_in_child (shut_root) == 1, "relocation: a directory others may write is refused");
  chmod (dir, 0711);
  if (chown (dir, 1000, 0) == 0)
    ok (relocate_in_child (shut_root) == 1, "relocation: a directory of another user is refused");
  rmdir (dir);
  if (symlink (open_root, dir) == 0)
    ok (relocate_in_child (shut_root) == 1, "relocation: a symlink is refused");
  unlink (dir);
  cleanup_free char *nowhere = xasprintf ("%s/no-such-root", scratch);
  ok (relocate_in_child (nowhere) == 1, "relocation: a root that is not there is refused");
  bundle_relocation_dir = reloc_shut;
}

static void
test_dev_null (void)
{
  const char *saved = floor_userns_dev_null;
  cleanup_free char *shut = xasprintf ("%s/null-0644", scratch);
  if (mknod (shut, S_IFCHR | 0644, makedev (1, 3)) < 0)
    {
      printf ("Bail out! cannot make %s\n", shut);
      exit (1);
    }
  floor_userns_dev_null = shut;
  json_value *c = docker_plain (open_root);
  expect_unchanged ("a host /dev/null of mode 0644 (runc's reopen would fail)", c);
  json_free (c);
  floor_userns_dev_null = saved;
}

static void
test_mount_points (void)
{
  json_value *c = docker_plain (open_root);
  append_mount (c, "{\"destination\":\"/code.py\",\"type\":\"bind\",\"source\":\"/etc/hostname\","
                   "\"options\":[\"rbind\",\"ro\"]}");
  harden (c);
  ok (has_user_entry (c),
      "a bind onto /code.py, which the image lacks (create makes it first): user namespace added");
  json_free (c);

  /* Below an earlier bind of a host directory: runc would make it there as
     the mapped root.  */
  c = docker_plain (open_root);
  cleanup_free char *bind_dir = xasprintf ("{\"destination\":\"/data\",\"type\":\"bind\","
                                           "\"source\":\"%s\",\"options\":[\"rbind\",\"ro\"]}",
                                           scratch);
  append_mount (c, bind_dir);
  append_mount (c, "{\"destination\":\"/data/no-such-file\",\"type\":\"bind\","
                   "\"source\":\"/etc/hostname\",\"options\":[\"rbind\",\"ro\"]}");
  expect_unchanged ("a mount point missing below an earlier bind of a host directory", c);
  json_free (c);

  c = docker_plain (open_root);
  append_mount (c, "{\"destination\":\"/dev/termination-log\",\"type\":\"bind\","
                   "\"source\":\"/etc/hostname\",\"options\":[\"rbind\",\"ro\"]}");
  harden (c);
  ok (has_user_entry (c),
      "a bind onto a file runc creates in the /dev tmpfs: user namespace added");
  json_free (c);

  c = docker_plain (open_root);
  append_mount (c, "{\"destination\":\"/etc/passwd\",\"type\":\"bind\","
                   "\"source\":\"/etc/hostname\",\"options\":[\"rbind\",\"ro\"]}");
  harden (c);
  ok (has_user_entry (c), "a bind onto the image's /etc/passwd: user namespace added");
  json_free (c);
}

/* bundle_make_mount_point: what runc would make, inside the root only.  */
static void
test_make_mount_point (void)
{
  cleanup_free char *root = xasprintf ("%s/mp/rootfs", scratch);
  cleanup_free char *mp = xasprintf ("%s/mp", scratch);
  if (mkdir (mp, 0755) < 0)
    {
      printf ("Bail out! cannot make %s\n", mp);
      exit (1);
    }
  make_image (root);
  cleanup_free char *err = NULL;
  ok (bundle_make_mount_point (root, "/code.py", true, &err) == 0, "mount point: a file made");
  cleanup_free char *code = xasprintf ("%s/code.py", root);
  struct stat st;
  ok (stat (code, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == 0,
      "mount point: /code.py is a file of root's");
  ok (bundle_make_mount_point (root, "/a/b/c", false, &err) == 0, "mount point: directories made");
  cleanup_free char *abc = xasprintf ("%s/a/b/c", root);
  ok (stat (abc, &st) == 0 && S_ISDIR (st.st_mode) && (st.st_mode & 07777) == 0755,
      "mount point: /a/b/c is a 0755 directory");
  ok (bundle_make_mount_point (root, "/etc/passwd", true, &err) == 0,
      "mount point: an existing file is left as it is");

  /* An image symlink out of the root is never followed.  */
  cleanup_free char *out = xasprintf ("%s/outside", mp);
  cleanup_free char *link = xasprintf ("%s/lnk", root);
  if (mkdir (out, 0755) < 0 || symlink (out, link) < 0)
    {
      printf ("Bail out! cannot make %s\n", link);
      exit (1);
    }
  free (err);
  err = NULL;
  ok (bundle_make_mount_point (root, "/lnk/x", false, &err) < 0 && err != NULL,
      "mount point: a symlink on the way refuses");
  cleanup_free char *escaped = xasprintf ("%s/x", out);
  ok (access (escaped, F_OK) < 0, "mount point: nothing made outside the root");
  free (err);
  err = NULL;
  /* An existing name is never opened (O_EXCL): runc judges it, as it
     judges every mount destination, inside the root.  */
  struct stat lst;
  ok (bundle_make_mount_point (root, "/lnk", true, &err) == 0 && lstat (link, &lst) == 0
          && S_ISLNK (lst.st_mode),
      "mount point: an existing symlink as the file is left as it is, never opened");
  free (err);
  err = NULL;
  ok (bundle_make_mount_point (root, "/etc/passwd/x", false, &err) < 0,
      "mount point: a file on the way refuses");
  free (err);
  err = NULL;
  ok (bundle_make_mount_point (root, "/a/../../x", false, &err) < 0, "mount point: \"..\" refuses");
}

static int
remove_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st, (void)flag, (void)ftw;
  return remove (path);
}

int
main (void)
{
  floor_test_init ();
  if (geteuid () != 0)
    {
      /* chown(2) and the 0710 root directory need root.  */
      printf ("1..0 # SKIP test-floor-userns needs root (uid %u)\n", (unsigned)geteuid ());
      return 0;
    }
  char tmpl[] = "/tmp/policyrun-userns.XXXXXX";
  if (mkdtemp (tmpl) == NULL || chmod (tmpl, 0755) < 0)
    {
      printf ("Bail out! cannot make a scratch directory\n");
      return 1;
    }
  scratch = tmpl;
  open_root = xasprintf ("%s/open/rootfs", scratch);
  shut_root = xasprintf ("%s/shut/rootfs", scratch);
  cleanup_free char *open_dir = xasprintf ("%s/open", scratch);
  cleanup_free char *shut_dir = xasprintf ("%s/shut", scratch);
  if (mkdir (open_dir, 0755) < 0 || mkdir (shut_dir, 0710) < 0 || chmod (shut_dir, 0710) < 0)
    {
      printf ("Bail out! cannot make the scratch roots\n");
      return 1;
    }
  make_image (open_root);
  make_image (shut_root);
  reloc_open = xasprintf ("%s/policyrun-userns", scratch);
  reloc_shut = xasprintf ("%s/policyrun-userns", shut_dir);
  bundle_relocation_dir = reloc_shut;
  /* A /dev/null as hosts have it (0666), whatever this host's is.  */
  cleanup_free char *dev_null = xasprintf ("%s/null", scratch);
  if (mknod (dev_null, S_IFCHR | 0666, makedev (1, 3)) < 0 || chmod (dev_null, 0666) < 0)
    {
      printf ("Bail out! cannot make %s\n", dev_null);
      return 1;
    }
  floor_userns_dev_null = dev_null;

  test_docker_plain ();
  test_left_alone ();
  test_host_root_mappings ();
  test_user_entries ();
  test_ping_group_range ();
  test_policy_range ();
  test_reachability ();
  test_not_relocatable ();
  test_relocate ();
  test_mount_points ();
  test_make_mount_point ();
  test_dev_null ();

  nftw (scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  free (open_root);
  free (shut_root);
  free (reloc_open);
  free (reloc_shut);
  verdict_free (&verdict);
  policy_free (&test_policy);
  return done_testing ();
}
