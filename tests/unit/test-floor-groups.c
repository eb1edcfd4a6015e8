/* The user rule as runc applies it: additionalGids resolved in the
   container's /etc/group, and the host's privileged groups (groups.c,
   view.c).  */
#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <grp.h>
#include <inttypes.h>
#include <pwd.h>

#include "floor-helpers.h"

/* ---- supplementary groups as runc resolves them ---------------------------- */

static char group_dir[] = "/tmp/policyrun-groups-XXXXXX";
static int group_case;

/* Write content at dir/rel, creating the directories on the way.  */
static void
put_file (const char *dir, const char *rel, const char *content)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, rel);
  for (char *s = strchr (path + strlen (dir) + 1, '/'); s; s = strchr (s + 1, '/'))
    {
      *s = '\0';
      mkdir (path, 0755);
      *s = '/';
    }
  FILE *f = fopen (path, "we");
  if (f == NULL || fputs (content, f) < 0 || fclose (f) != 0)
    {
      printf ("Bail out! cannot write %s\n", path);
      exit (1);
    }
}

static void
put_link (const char *dir, const char *rel, const char *target)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, rel);
  cleanup_free char *parent = xstrdup (path);
  *strrchr (parent, '/') = '\0';
  mkdir (parent, 0755);
  if (symlink (target, path) < 0)
    {
      printf ("Bail out! cannot link %s\n", path);
      exit (1);
    }
}

/* A fresh directory for one case: DIR/rootfs is the image.  */
static char *
group_case_dir (void)
{
  char *d = xasprintf ("%s/%d", group_dir, ++group_case);
  mkdir (d, 0755);
  cleanup_free char *root = xasprintf ("%s/rootfs", d);
  mkdir (root, 0755);
  return d;
}

/* The fixture with root.path DIR/rootfs, and extra mounts (a JSON array's
   items with @ standing for DIR) appended to the fixture's.  */
static json_value *
group_config (const char *dir, const char *extra_mounts)
{
  json_value *c = load_ok_config ();
  cleanup_free char *root = xasprintf ("%s/rootfs", dir);
  spec_set (c, "root.path", json_new_string (root), NULL);
  if (extra_mounts != NULL)
    {
      struct strbuf b = { 0 };
      for (const char *s = extra_mounts; *s; s++)
        if (*s == '@')
          strbuf_add (&b, dir);
        else
          strbuf_addf (&b, "%c", *s);
      cleanup_free char *lit = xasprintf ("[%s]", b.s);
      strbuf_free (&b);
      json_value *more = parse_json (lit);
      json_value *mounts = NULL;
      spec_get (c, "mounts", JSON_ARRAY, &mounts);
      for (size_t i = 0; i < more->u.array.len; i++)
        {
          json_array_append (mounts, more->u.array.items[i]);
          more->u.array.items[i] = NULL;
        }
      more->u.array.len = 0;
      json_free (more);
    }
  return c;
}

/* The user rule on c; whether additionalGids was refused (any finding at
   or below process.user.additionalGids).  */
static bool
gids_refused (json_value *c)
{
  run_process_rule (floor_check_user, c);
  return find_finding (&verdict, FINDING_VIOLATION, "user", "process.user.additionalGids") != NULL;
}

static void
test_groups (void)
{
  if (mkdtemp (group_dir) == NULL)
    {
      ok (0, "mkdtemp");
      return;
    }
  /* /etc/group in the image: runc matches the NAME first, and parses a
     gid field it cannot read as 0.  */
  static const struct
  {
    const char *group;
    bool refused;
    const char *why;
  } images[] = {
    { "root:x:0:\nnogroup:x:65534:\n", false, "a plain /etc/group" },
    { "65534:x:0:\nnogroup:x:65534:\n", true, "a group named 65534 with gid 0" },
    { "65534:x:nogroup:\n", true, "a group named 65534 with a gid field that is not a number" },
    { "65534:x\n", true, "a group named 65534 without a gid field" },
    { "65534\n", true, "a line that is only the name 65534" },
    { "  65534:x:0:  \n", true, "spaces around the line (Go trims them)" },
    { "\t65534:x:0:\r\n", true, "a tab and CRLF" },
    { "\xe3\x80\x80"
      "65534:x:0:\n",
      true, "an ideographic space before the name (Go's unicode.IsSpace)" },
    { "#65534:x:0:\nnogroup:x:65534:\n", false, "a comment" },
    { "65534:x:+0:\n", true, "gid +0" },
    { "65534:x:-0:\n", true, "gid -0" },
    { "65534:x:0000:\n", true, "gid 0000" },
    { "65534:x:4294967296:\n", true, "gid 2^32 (truncated to 0 by runc)" },
    { "65534:x:99999999999999999999:\n", true, "a gid beyond int64" },
    { "65534:x:-4294967296:\n", true, "gid -2^32" },
    { "nogroup:x:65534:\n65534:x:0:\n", false, "the gid matched first by number" },
    { "nogroup:x:065534:\n", false, "gid 065534 matched by number" },
    { "65534:x:1234:\n", false, "a group named 65534 with gid 1234" },
    { "", false, "an empty /etc/group" },
  };
  for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
    {
      cleanup_free char *d = group_case_dir ();
      put_file (d, "rootfs/etc/group", images[i].group);
      json_value *c = group_config (d, NULL);
      bool refused = gids_refused (c);
      ok (refused == images[i].refused, "image with %s: %s", images[i].why,
          images[i].refused ? "refused" : "accepted");
      if (refused != images[i].refused)
        print_verdict (&verdict);
      json_free (c);
    }

  cleanup_free char *d = group_case_dir ();
  put_file (d, "rootfs/etc/group", "65534:x:0:\n");
  json_value *c = group_config (d, NULL);
  gids_refused (c);
  expect_violation ("the detail names the file and the line", "user",
                    "process.user.additionalGids[0]", NULL, "line 1) makes group 0");
  json_free (c);

  /* Several entries: each gid runc will set is checked once.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "rootfs/etc/group", "nogroup:x:65534:\nstaff2:x:0:\n");
  c = group_config (d, NULL);
  set_json (c, "process.user.additionalGids", "[65534, 1000]");
  ok (!gids_refused (c), "additionalGids [65534, 1000] with an unrelated group of gid 0: accepted");
  json_free (c);

  /* No /etc/group at all: runc takes the numbers as they are.  */
  free (d);
  d = group_case_dir ();
  c = group_config (d, NULL);
  ok (!gids_refused (c), "no /etc/group in the image: accepted");
  json_free (c);

  /* The image's symlinks.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "rootfs/x/group", "65534:x:0:\n");
  put_link (d, "rootfs/etc", "/x");
  c = group_config (d, NULL);
  ok (gids_refused (c), "/etc -> /x in the image: /x/group read and refused");
  json_free (c);

  free (d);
  d = group_case_dir ();
  put_file (d, "rootfs/data/g", "65534:x:0:\n");
  put_link (d, "rootfs/etc/group", "../data/./g");
  c = group_config (d, NULL);
  ok (gids_refused (c), "/etc/group -> ../data/./g in the image: refused");
  json_free (c);

  /* A bind over /etc/group, and over /etc: the host source is read.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "host/group", "65534:x:0:\n");
  put_file (d, "rootfs/etc/group", "nogroup:x:65534:\n");
  c = group_config (d, "{\"destination\": \"/etc/group\", \"type\": \"bind\", \"source\": "
                       "\"@/host/group\", \"options\": [\"rbind\", \"ro\"]}");
  ok (gids_refused (c), "a bind over /etc/group: its source read and refused");
  json_free (c);
  c = group_config (d, "{\"destination\": \"/etc\", \"type\": \"none\", \"source\": "
                       "\"@/host\", \"options\": [\"bind\"]}");
  ok (gids_refused (c), "a bind over /etc: its source's group read and refused");
  json_free (c);
  c = group_config (d, "{\"destination\": \"/etc/group\", \"type\": \"bind\", \"source\": "
                       "\"@/host/group\", \"options\": [\"rbind\"]},"
                       "{\"destination\": \"/etc\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}");
  ok (!gids_refused (c), "a tmpfs over /etc after the bind: no /etc/group, accepted");
  json_free (c);

  /* A bind that replaces a bad image file with a good one.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "host/group", "nogroup:x:65534:\n");
  put_file (d, "rootfs/etc/group", "65534:x:0:\n");
  c = group_config (d, "{\"destination\": \"/etc/group\", \"type\": \"bind\", \"source\": "
                       "\"@/host/group\", \"options\": [\"rbind\", \"ro\"]}");
  ok (!gids_refused (c), "a good bind over a bad image /etc/group: accepted");
  json_free (c);

  /* Mount destinations followed as runc follows them.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "host/group", "65534:x:0:\n");
  put_file (d, "rootfs/etc/group", "nogroup:x:65534:\n");
  put_link (d, "rootfs/cfg", "/etc");
  c = group_config (d, "{\"destination\": \"/cfg\", \"type\": \"bind\", \"source\": \"@/host\", "
                       "\"options\": [\"rbind\", \"ro\"]}");
  ok (gids_refused (c), "a bind at /cfg, a symlink to /etc in the image: refused");
  json_free (c);

  free (d);
  d = group_case_dir ();
  put_file (d, "evil/group", "65534:x:0:\n");
  put_file (d, "rootfs/etc/group", "nogroup:x:65534:\n");
  put_link (d, "a/b", "/etc");
  c = group_config (d, "{\"destination\": \"/a\", \"type\": \"bind\", \"source\": \"@/a\", "
                       "\"options\": [\"rbind\", \"ro\"]},"
                       "{\"destination\": \"/a/b\", \"type\": \"bind\", \"source\": \"@/evil\", "
                       "\"options\": [\"rbind\", \"ro\"]}");
  ok (gids_refused (c), "a bind at /a/b where an earlier bind's b links to /etc: refused");
  json_free (c);

  free (d);
  d = group_case_dir ();
  put_file (d, "host/group", "65534:x:0:\n");
  put_link (d, "rootfs/etc", "/dev/fd/3/etc");
  c = group_config (d, NULL);
  ok (gids_refused (c), "/etc -> /dev/fd/3/etc (runc's own links): refused as unreadable");
  expect_violation ("/etc into /dev", "user", "process.user.additionalGids", NULL, "/dev");
  json_free (c);

  /* Mounts policyrun cannot read.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "rootfs/etc/group", "nogroup:x:65534:\n");
  c = group_config (d, "{\"destination\": \"/etc\", \"type\": \"sysfs\", \"source\": \"sysfs\"}");
  ok (gids_refused (c), "sysfs over /etc: refused as unreadable");
  json_free (c);
  put_link (d, "rootfs/x", "/proc/self/root/etc");
  c = group_config (d, "{\"destination\": \"/x/y\", \"type\": \"bind\", \"source\": \"@/rootfs\", "
                       "\"options\": [\"rbind\"]}");
  ok (gids_refused (c), "a bind whose destination leads through /proc: refused");
  json_free (c);
  c = group_config (d, "{\"destination\": \"/etc/group\", \"type\": \"bind\", \"source\": "
                       "\"@/rootfs/etc\", \"options\": [\"rbind\"]}");
  ok (gids_refused (c), "a directory bound over /etc/group: refused");
  json_free (c);

  /* Docker's own mounts with a plain image, and the bound.  */
  c = group_config (d, NULL);
  ok (!gids_refused (c), "Docker's mounts and a plain /etc/group: accepted");
  json_value *mounts = NULL;
  spec_get (c, "mounts", JSON_ARRAY, &mounts);
  while (mounts->u.array.len <= 1024)
    json_array_append (mounts, parse_json ("{\"destination\": \"/tmp\", \"type\": \"tmpfs\", "
                                           "\"source\": \"tmpfs\"}"));
  ok (gids_refused (c), "more than 1024 mounts with additionalGids: refused");
  expect_violation ("too many mounts", "user", "process.user.additionalGids", NULL, "1024");
  json_free (c);

  /* exec: the container's config; a tmpfs over /etc may hold what the
     running container wrote.  */
  free (d);
  d = group_case_dir ();
  put_file (d, "rootfs/etc/group", "65534:x:0:\n");
  c = group_config (d, "{\"destination\": \"/etc\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}");
  ok (!gids_refused (c), "create with a tmpfs over /etc: no /etc/group, accepted");
  json_value *p = parse_json ("{\"args\":[\"id\"],\"cwd\":\"/\",\"capabilities\":{},"
                              "\"noNewPrivileges\":true,"
                              "\"user\":{\"uid\":65534,\"gid\":65534,\"additionalGids\":[65534]}}");
  test_host.container_config = c;
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_violation ("exec with a tmpfs over /etc", "user", "user.additionalGids", NULL, "tmpfs");
  json_free (c);
  c = group_config (d, NULL);
  test_host.container_config = c;
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_violation ("exec into an image with a group 65534 of gid 0", "user",
                    "user.additionalGids[0]", NULL, "makes group 0");
  test_host.container_config = NULL;
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_violation ("a lone process file with additionalGids", "user", "user.additionalGids", NULL,
                    "unknown");
  json_free (p);
  p = parse_json ("{\"args\":[\"id\"],\"cwd\":\"/\",\"capabilities\":{},\"noNewPrivileges\":true,"
                  "\"user\":{\"uid\":65534,\"gid\":65534}}");
  verdict_free (&verdict);
  floor_check_exec_process (p, &test_policy, &test_host, &verdict);
  expect_accepted ("a lone process file without additionalGids");
  json_free (p);
  json_free (c);

  cleanup_free char *cmd = xasprintf ("rm -rf '%s'", group_dir);
  if (system (cmd) != 0)
    diag ("cannot remove %s", group_dir);
}

/* ---- privileged groups of the host ----------------------------------------- */

static void
test_host_groups (void)
{
  json_value *c;
  struct group *disk = getgrnam ("disk");
  ok (disk != NULL, "this host has a group disk (for the next tests)");
  if (disk != NULL)
    {
      gid_t gid = disk->gr_gid;
      cleanup_free char *lit = xasprintf ("[65534, %u]", (unsigned)gid);
      c = edited ("process.user.additionalGids", lit);
      run_process_rule (floor_check_user, c);
      cleanup_free char *fix = xasprintf ("remove --group-add %u", (unsigned)gid);
      expect_violation ("--group-add disk", "user", "process.user.additionalGids[1]", fix,
                        "privileged group \"disk\"");
      json_free (c);
      cleanup_free char *g = xasprintf ("%u", (unsigned)gid);
      c = edited ("process.user.gid", g);
      run_process_rule (floor_check_user, c);
      expect_violation ("gid disk", "user", "process.user.gid", "run with --user 65534:65534",
                        "privileged group \"disk\"");
      json_free (c);
    }

  /* A user whose primary group is made privileged by the policy.  */
  struct passwd *pw;
  uid_t uid = 0;
  gid_t pgid = 0;
  setpwent ();
  while ((pw = getpwent ()) != NULL
         && (pw->pw_uid == 0 || pw->pw_gid == 0 || pw->pw_gid == 65534
             || getgrgid (pw->pw_gid) == NULL))
    ;
  if (pw != NULL)
    {
      uid = pw->pw_uid;
      pgid = pw->pw_gid;
    }
  endpwent ();
  ok (uid != 0, "this host has a user with a primary group of its own (for the next tests)");
  if (uid != 0)
    {
      struct string_list saved = test_policy.privileged_groups;
      char *names[]
          = { xstrdup ("no-such-group-on-any-host"), xstrdup (getgrgid (pgid)->gr_name), NULL };
      test_policy.privileged_groups = (struct string_list){ names, 2 };
      cleanup_free char *u = xasprintf ("%u", (unsigned)uid);
      c = edited ("process.user.uid", u);
      run_process_rule (floor_check_user, c);
      expect_violation ("uid of a member by primary group", "user", "process.user.uid",
                        "run with --user 65534:65534", "a member of the host's privileged group");
      json_free (c);
      c = edited (NULL, NULL);
      run_process_rule (floor_check_user, c);
      expect_accepted ("65534:65534 with a missing group in the policy");
      json_free (c);
      free (names[0]);
      free (names[1]);
      test_policy.privileged_groups = saved;
    }
}

int
main (void)
{
  floor_test_init ();
  test_groups ();
  test_host_groups ();
  verdict_free (&verdict);
  policy_free (&test_policy);
  return done_testing ();
}
