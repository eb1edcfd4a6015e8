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

/* ---- harden mode ------------------------------------------------------------ */

/* floor_harden_user on c's process, then the user rule: accepted.  Returns
   the process's user as JSON text.  */
static char *
harden_user (const char *name, json_value *c)
{
  run_process_rule (floor_harden_user, c);
  struct verdict changes = verdict;
  verdict = (struct verdict){ 0 };
  run_process_rule (floor_check_user, c);
  expect_accepted (name);
  verdict_free (&verdict);
  verdict = changes;
  json_value *user = NULL;
  spec_get (c, "process.user", JSON_OBJECT, &user);
  return user ? json_text (user) : xstrdup ("(none)");
}

/* floor_harden_user again: nothing changes, nothing recorded.  */
static void
expect_user_idempotent (const char *name, json_value *c)
{
  cleanup_free char *before = json_text (c);
  run_process_rule (floor_harden_user, c);
  cleanup_free char *after = json_text (c);
  ok (verdict.len == 0 && strcmp (before, after) == 0, "%s: hardening again changes nothing", name);
}

static void
test_harden_user (void)
{
  json_value *c;
  static const struct
  {
    const char *path, *literal, *field, *detail, *user;
  } fixed[] = {
    { "process.user.uid", "0", "process.user", "was uid 0 (root), gid 65534; now 65534:65534",
      "{\"uid\":65534,\"gid\":65534,\"additionalGids\":[65534]}" },
    { "process.user", "{\"uid\": 0, \"gid\": 0}", "process.user",
      "was uid 0 (root), gid 0 (the root group); now 65534:65534",
      "{\"uid\":65534,\"gid\":65534}" },
    { "process.user", "{\"uid\": 0, \"gid\": 1000, \"umask\": 18}", "process.user",
      "gid 1000; now 65534:65534", "{\"uid\":65534,\"gid\":65534,\"umask\":18}" },
    { "process.user", "{\"uid\": 1000, \"gid\": 0}", "process.user.gid",
      "was gid 0 (the root group); now 65534 (uid 1000 kept)", "{\"uid\":1000,\"gid\":65534}" },
    { "process.user", "{\"gid\": 65534}", "process.user", "uid absent (0: root)",
      "{\"gid\":65534,\"uid\":65534}" },
    { "process.user", "{\"uid\": null, \"gid\": null}", "process.user", "uid null (0: root)",
      "{\"uid\":65534,\"gid\":65534}" },
    { "process.user", "null", "process.user", "was null (root); now 65534:65534",
      "{\"uid\":65534,\"gid\":65534}" },
    { "process.user", "{\"Uid\": 0, \"GID\": 0, \"additionalGids\": [0, 65534, 0, 1000]}",
      "process.user", "now 65534:65534",
      "{\"Uid\":65534,\"GID\":65534,\"additionalGids\":[65534,1000]}" },
  };
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    {
      c = edited (fixed[i].path, fixed[i].literal);
      cleanup_free char *name = xasprintf ("harden %s %s", fixed[i].path, fixed[i].literal);
      cleanup_free char *user = harden_user (name, c);
      expect_tightened (name, "user", fixed[i].field, fixed[i].detail);
      is_str (user, fixed[i].user, "%s: the user", name);
      expect_user_idempotent (name, c);
      json_free (c);
    }

  c = load_ok_config ();
  json_object_remove (json_object_get (c, "process"), "user");
  cleanup_free char *user = harden_user ("harden user absent", c);
  expect_tightened ("harden user absent", "user", "process.user", "was absent (root)");
  is_str (user, "{\"uid\":65534,\"gid\":65534}", "harden user absent: 65534:65534");
  json_free (c);

  /* additionalGids: the refused entries dropped, the rest kept in order.  */
  c = edited ("process.user.additionalGids", "[0, 65534, 1000, 0]");
  free (user);
  user = harden_user ("harden additionalGids [0, 65534, 1000, 0]", c);
  expect_tightened ("harden additionalGids [0, 65534, 1000, 0]", "user",
                    "process.user.additionalGids",
                    "dropped 0 (the root group), 0 (the root group); kept [65534, 1000]");
  is_str (user, "{\"uid\":65534,\"gid\":65534,\"additionalGids\":[65534,1000]}",
          "harden additionalGids [0, 65534, 1000, 0]: the user");
  expect_user_idempotent ("harden additionalGids [0, 65534, 1000, 0]", c);
  json_free (c);

  /* What the rule accepts: byte-identical.  */
  static const char *const kept[] = {
    "{\"uid\": 65534, \"gid\": 65534, \"additionalGids\": [65534]}",
    "{\"uid\": 1000, \"gid\": 1000, \"additionalGids\": null, \"umask\": 18, \"username\": \"x\"}",
    "{\"uid\": 1000, \"gid\": 1000, \"additionalGids\": []}",
  };
  for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
    {
      c = edited ("process.user", kept[i]);
      cleanup_free char *before = json_text (c);
      run_process_rule (floor_harden_user, c);
      cleanup_free char *after = json_text (c);
      ok (verdict.len == 0 && strcmp (before, after) == 0, "harden user %s: unchanged", kept[i]);
      json_free (c);
    }
  test_policy.require_non_root = false;
  c = edited ("process.user.uid", "0");
  cleanup_free char *before = json_text (c);
  run_process_rule (floor_harden_user, c);
  cleanup_free char *after = json_text (c);
  ok (verdict.len == 0 && strcmp (before, after) == 0,
      "harden uid 0 when the policy allows root: unchanged");
  json_free (c);
  test_policy.require_non_root = true;

  /* Malformed: left as it is, for the rule to refuse.  */
  static const struct
  {
    const char *literal, *field;
  } malformed[] = {
    { "{\"uid\": -1, \"gid\": 0}", "process.user.uid" },
    { "{\"uid\": 0, \"gid\": \"0\"}", "process.user.gid" },
    { "{\"uid\": 65534, \"gid\": 65534, \"additionalGids\": [0, -1]}",
      "process.user.additionalGids[1]" },
    { "{\"uid\": 65534, \"gid\": 65534, \"additionalGids\": {}}", "process.user.additionalGids" },
    { "\"root\"", "process.user" },
  };
  for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++)
    {
      c = edited ("process.user", malformed[i].literal);
      free (before);
      before = json_text (c);
      run_process_rule (floor_harden_user, c);
      free (after);
      after = json_text (c);
      ok (verdict.len == 0 && strcmp (before, after) == 0, "harden user %s: left alone",
          malformed[i].literal);
      run_process_rule (floor_check_user, c);
      ok (exact_finding (FINDING_VIOLATION, "user", malformed[i].field) != NULL,
          "harden user %s: still refused at %s", malformed[i].literal, malformed[i].field);
      json_free (c);
    }

  /* Docker without --user, and docker exec -u 0 (through harden_exec).  */
  c = load_docker ("no-user");
  verdict_free (&verdict);
  floor_harden_config (c, &test_policy, &test_host, &verdict);
  ok (find_finding (&verdict, FINDING_VIOLATION, "user", NULL) == NULL
          && int_at (c, "process.user.uid") == 65534 && int_at (c, "process.user.gid") == 65534,
      "harden docker without --user: 65534:65534");
  json_free (c);
  json_value *p = load_docker ("exec-root");
  struct invocation inv = { .command = "exec", .process_file = true };
  verdict_free (&verdict);
  floor_harden_exec (p, &inv, &test_policy, &test_host, &verdict);
  ok (find_finding (&verdict, FINDING_VIOLATION, "user", NULL) == NULL
          && int_at (p, "user.uid") == 65534 && int_at (p, "user.gid") == 65534,
      "harden docker exec -u 0: 65534:65534");
  if (find_finding (&verdict, FINDING_VIOLATION, "user", NULL))
    print_verdict (&verdict);
  expect_tightened ("harden docker exec -u 0", "user", "user", "uid 0 (root)");
  json_free (p);
}

/* additionalGids resolved in the image, and a process file with no image
   to resolve them in.  */
static void
test_harden_gids_image (void)
{
  strcpy (group_dir, "/tmp/policyrun-groups-XXXXXX");
  if (mkdtemp (group_dir) == NULL)
    {
      ok (0, "mkdtemp");
      return;
    }
  cleanup_free char *d = group_case_dir ();
  put_file (d, "rootfs/etc/group", "65534:x:0:\nnogroup:x:65534:\n");
  json_value *c = group_config (d, NULL);
  set_json (c, "process.user.additionalGids", "[65534, 1000]");
  cleanup_free char *user = harden_user ("harden a group named 65534 of gid 0", c);
  expect_tightened ("harden a group named 65534 of gid 0", "user", "process.user.additionalGids",
                    "dropped 65534, which the container's /etc/group");
  is_str (user, "{\"uid\":65534,\"gid\":65534,\"additionalGids\":[1000]}",
          "harden a group named 65534 of gid 0: 1000 kept");
  json_free (c);

  /* exec without the container's config: no entry can be judged.  */
  json_value *p = parse_json ("{\"args\":[\"id\"],\"cwd\":\"/\",\"capabilities\":{},"
                              "\"noNewPrivileges\":true,"
                              "\"user\":{\"uid\":65534,\"gid\":65534,\"additionalGids\":[65534]}}");
  struct invocation inv = { .command = "exec", .process_file = true };
  verdict_free (&verdict);
  floor_harden_exec (p, &inv, &test_policy, &test_host, &verdict);
  ok (find_finding (&verdict, FINDING_VIOLATION, "user", NULL) == NULL,
      "harden a lone process file with additionalGids: accepted");
  expect_tightened ("harden a lone process file with additionalGids", "user", "user.additionalGids",
                    "was [65534], which cannot be checked");
  json_value *gids = NULL;
  ok (spec_get (p, "user.additionalGids", JSON_ARRAY, &gids) == SPEC_OK && gids->u.array.len == 0,
      "harden a lone process file: additionalGids emptied");
  json_free (p);

  cleanup_free char *cmd = xasprintf ("rm -rf '%s'", group_dir);
  if (system (cmd) != 0)
    diag ("cannot remove %s", group_dir);
}

/* The host's privileged groups: a gid dropped, a uid replaced.  */
static void
test_harden_host_groups (void)
{
  struct group *disk = getgrnam ("disk");
  ok (disk != NULL, "this host has a group disk (for the next tests)");
  if (disk == NULL)
    return;
  gid_t gid = disk->gr_gid;
  cleanup_free char *lit = xasprintf ("[65534, %u]", (unsigned)gid);
  json_value *c = edited ("process.user.additionalGids", lit);
  cleanup_free char *user = harden_user ("harden --group-add disk", c);
  cleanup_free char *detail
      = xasprintf ("dropped %u, the host's privileged group \"disk\"; kept [65534]", (unsigned)gid);
  expect_tightened ("harden --group-add disk", "user", "process.user.additionalGids", detail);
  json_free (c);

  cleanup_free char *u = xasprintf ("{\"uid\": 1000, \"gid\": %u}", (unsigned)gid);
  c = edited ("process.user", u);
  free (user);
  user = harden_user ("harden gid disk", c);
  is_str (user, "{\"uid\":1000,\"gid\":65534}", "harden gid disk: gid replaced, uid kept");
  expect_tightened ("harden gid disk", "user", "process.user.gid",
                    "privileged group \"disk\"); now 65534");
  json_free (c);

  /* A member of a privileged group by its primary group.  */
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
  ok (uid != 0, "this host has a user with a primary group of its own (for the next test)");
  if (uid == 0)
    return;
  struct string_list saved = test_policy.privileged_groups;
  char *names[] = { xstrdup (getgrgid (pgid)->gr_name), NULL };
  test_policy.privileged_groups = (struct string_list){ names, 1 };
  cleanup_free char *uu = xasprintf ("{\"uid\": %u, \"gid\": 65534}", (unsigned)uid);
  c = edited ("process.user", uu);
  free (user);
  user = harden_user ("harden uid of a privileged group's member", c);
  is_str (user, "{\"uid\":65534,\"gid\":65534}", "harden uid of a privileged group's member");
  expect_tightened ("harden uid of a privileged group's member", "user", "process.user",
                    "a member of the host's privileged group");
  json_free (c);
  free (names[0]);
  test_policy.privileged_groups = saved;
}

int
main (void)
{
  floor_test_init ();
  test_groups ();
  test_host_groups ();
  test_harden_user ();
  test_harden_gids_image ();
  test_harden_host_groups ();
  verdict_free (&verdict);
  policy_free (&test_policy);
  return done_testing ();
}
