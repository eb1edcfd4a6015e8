/* policyrun floor: user.  uid, gid and additionalGids, held to the floor as
   runc sets them: additionalGids looked up by name in the container's
   /etc/group (read through view.c), and the host's privileged groups
   resolved at every check.  */
#include "config.h"
#include "floor.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "spec.h"
#include "view.h"
#include "util.h"

/* ---- privileged groups of the host ---------------------------------------- */

/* The gids of the policy's privileged groups on this host, and the uids of
   their members (listed, or by primary group).  Names the host does not
   know are skipped: a group that does not exist grants nothing.  */
struct host_groups
{
  gid_t *gids;
  const char **gid_names; /* the policy's strings */
  size_t ngids;
  uid_t *uids;
  const char **uid_groups; /* the group that makes the uid privileged */
  size_t nuids;
};

static void
host_groups_free (struct host_groups *h)
{
  free (h->gids);
  free (h->gid_names);
  free (h->uids);
  free (h->uid_groups);
}

static void
host_groups_add_uid (struct host_groups *h, uid_t uid, const char *group)
{
  h->uids = xrealloc (h->uids, (h->nuids + 1) * sizeof *h->uids);
  h->uid_groups = xrealloc (h->uid_groups, (h->nuids + 1) * sizeof *h->uid_groups);
  h->uids[h->nuids] = uid;
  h->uid_groups[h->nuids++] = group;
}

/* getgrnam_r with a buffer that grows until the entry fits.  */
static bool
host_group_lookup (const char *name, struct group *gr, char **buf)
{
  struct group *res = NULL;
  for (size_t size = 4096; size <= (1u << 24); size *= 2)
    {
      free (*buf);
      *buf = xmalloc (size);
      int e = getgrnam_r (name, gr, *buf, size, &res);
      if (e != ERANGE)
        return e == 0 && res != NULL;
    }
  return false;
}

static bool
host_user_lookup (const char *name, uid_t *uid)
{
  struct passwd pw, *res = NULL;
  for (size_t size = 4096; size <= (1u << 24); size *= 2)
    {
      cleanup_free char *buf = xmalloc (size);
      int e = getpwnam_r (name, &pw, buf, size, &res);
      if (e == ERANGE)
        continue;
      if (e == 0 && res != NULL)
        *uid = pw.pw_uid;
      return e == 0 && res != NULL;
    }
  return false;
}

/* Record group gr (one of the policy's names) and its listed members.  */
static void
host_groups_add (struct host_groups *h, const struct group *gr, const char *name)
{
  h->gids = xrealloc (h->gids, (h->ngids + 1) * sizeof *h->gids);
  h->gid_names = xrealloc (h->gid_names, (h->ngids + 1) * sizeof *h->gid_names);
  h->gids[h->ngids] = gr->gr_gid;
  h->gid_names[h->ngids++] = name;
  for (char **m = gr->gr_mem; m != NULL && *m != NULL; m++)
    {
      uid_t uid;
      if (host_user_lookup (*m, &uid))
        host_groups_add_uid (h, uid, name);
    }
}

static const char *host_group_of_gid (const struct host_groups *h, int64_t gid);

/* Whether nsswitch.conf's line for database names local sources alone
   ("files", and systemd's dynamic users, which hold no privileged group):
   then /etc/group and /etc/passwd are the whole story and are read
   directly, without loading any NSS module.  */
static bool
nss_is_local (const char *database)
{
  cleanup_fclose FILE *f = fopen ("/etc/nsswitch.conf", "re");
  if (f == NULL)
    return false;
  char line[1024];
  size_t n = strlen (database);
  while (fgets (line, sizeof line, f) != NULL)
    {
      if (strncmp (line, database, n) != 0 || line[n] != ':')
        continue;
      for (char *w = strtok (line + n + 1, " \t\n"); w != NULL; w = strtok (NULL, " \t\n"))
        if (strcmp (w, "files") != 0 && strcmp (w, "systemd") != 0)
          return false;
      return true;
    }
  return false;
}

/* The index of name in the policy's list, or -1.  */
static long
policy_group_index (const struct string_list *names, const char *name)
{
  for (size_t i = 0; i < names->len; i++)
    if (strcmp (names->items[i], name) == 0)
      return (long)i;
  return -1;
}

/* From /etc/group and /etc/passwd themselves: one pass over each.  */
static void
host_groups_load_files (const struct string_list *names, struct host_groups *h)
{
  /* Listed members by name, with the group that lists them.  */
  struct strbuf members = { 0 };
  cleanup_fclose FILE *g = fopen ("/etc/group", "re");
  struct group *gr;
  while (g != NULL && (gr = fgetgrent (g)) != NULL)
    {
      long i = policy_group_index (names, gr->gr_name);
      if (i < 0 || host_group_of_gid (h, gr->gr_gid) != NULL)
        continue;
      h->gids = xrealloc (h->gids, (h->ngids + 1) * sizeof *h->gids);
      h->gid_names = xrealloc (h->gid_names, (h->ngids + 1) * sizeof *h->gid_names);
      h->gids[h->ngids] = gr->gr_gid;
      h->gid_names[h->ngids++] = names->items[i];
      for (char **m = gr->gr_mem; m != NULL && *m != NULL; m++)
        strbuf_addf (&members, "%s:%ld\n", *m, i);
    }
  cleanup_fclose FILE *p = h->ngids ? fopen ("/etc/passwd", "re") : NULL;
  struct passwd *pw;
  while (p != NULL && (pw = fgetpwent (p)) != NULL)
    {
      const char *primary = host_group_of_gid (h, pw->pw_gid);
      if (primary != NULL)
        {
          host_groups_add_uid (h, pw->pw_uid, primary);
          continue;
        }
      cleanup_free char *key = xasprintf ("%s:", pw->pw_name);
      size_t klen = strlen (key);
      for (const char *line = members.s; line != NULL && *line != '\0';)
        {
          if (strncmp (line, key, klen) == 0)
            {
              host_groups_add_uid (h, pw->pw_uid, names->items[strtol (line + klen, NULL, 10)]);
              break;
            }
          const char *nl = strchr (line, '\n');
          line = nl ? nl + 1 : NULL;
        }
    }
  strbuf_free (&members);
}

/* Through NSS: one enumeration, then a lookup for each name it did not
   list (a directory service need not enumerate).  */
static void
host_groups_load_nss (const struct string_list *names, struct host_groups *h)
{
  bool *found = xcalloc (names->len + 1, sizeof *found);
  setgrent ();
  struct group *gr;
  while ((gr = getgrent ()) != NULL)
    {
      long i = policy_group_index (names, gr->gr_name);
      if (i >= 0 && !found[i])
        {
          found[i] = true;
          host_groups_add (h, gr, names->items[i]);
        }
    }
  endgrent ();
  for (size_t i = 0; i < names->len; i++)
    {
      struct group one;
      cleanup_free char *buf = NULL;
      if (!found[i] && host_group_lookup (names->items[i], &one, &buf))
        host_groups_add (h, &one, names->items[i]);
    }
  free (found);
  if (h->ngids == 0)
    return;
  /* Members by primary group are not listed in the group: every user.  */
  setpwent ();
  struct passwd *pw;
  while ((pw = getpwent ()) != NULL)
    {
      const char *primary = host_group_of_gid (h, pw->pw_gid);
      if (primary != NULL)
        host_groups_add_uid (h, pw->pw_uid, primary);
    }
  endpwent ();
}

static void
host_groups_load (const struct string_list *names, struct host_groups *h)
{
  memset (h, 0, sizeof *h);
  if (nss_is_local ("group") && nss_is_local ("passwd"))
    host_groups_load_files (names, h);
  else
    host_groups_load_nss (names, h);
}

static const char *
host_group_of_gid (const struct host_groups *h, int64_t gid)
{
  for (size_t k = 0; k < h->ngids; k++)
    if ((int64_t)h->gids[k] == gid)
      return h->gid_names[k];
  return NULL;
}

static const char *
host_group_of_uid (const struct host_groups *h, int64_t uid)
{
  for (size_t k = 0; k < h->nuids; k++)
    if ((int64_t)h->uids[k] == uid)
      return h->uid_groups[k];
  return NULL;
}

/* ---- /etc/group as runc reads it (libcontainer/user) ------------------------ */

/* Go's unicode.IsSpace at the start of s: the length of the space, or 0.  */
static size_t
go_space_at (const unsigned char *s, size_t n)
{
  if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
    return 1;
  if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
    return 2;
  if (n >= 3
      && ((s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
          || (s[0] == 0xe2 && s[1] == 0x80
              && (s[2] <= 0x8a || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf) && s[2] >= 0x80)
          || (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
          || (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)))
    return 3;
  return 0;
}

/* bytes.TrimSpace.  */
static void
go_trim_space (const char **s, size_t *n)
{
  const unsigned char *p = (const unsigned char *)*s;
  size_t len = *n, k;
  while (len > 0 && (k = go_space_at (p, len)) > 0)
    {
      p += k;
      len -= k;
    }
  for (bool again = true; again && len > 0;)
    {
      again = false;
      for (size_t w = 1; w <= 3 && w <= len; w++)
        if (go_space_at (p + len - w, w) == w)
          {
            len -= w;
            again = true;
            break;
          }
    }
  *s = (const char *)p;
  *n = len;
}

/* strconv.Atoi on a 64-bit host with the error ignored, as parseLine does
   (not gosyntax.h's go_atoi, which refuses what this reads as 0):
   a syntax error reads as 0, a value out of range as the nearest end.  */
static int64_t
atoi_error_ignored (const char *s, size_t n)
{
  size_t i = 0;
  bool neg = false;
  if (n > 0 && (s[0] == '+' || s[0] == '-'))
    {
      neg = s[0] == '-';
      i = 1;
    }
  if (i == n)
    return 0;
  uint64_t acc = 0;
  for (; i < n; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return 0;
      unsigned d = (unsigned)(s[i] - '0');
      if (acc > (UINT64_MAX - d) / 10)
        return neg ? INT64_MIN : INT64_MAX;
      acc = acc * 10 + d;
    }
  if (!neg)
    return acc > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)acc;
  if (acc > (uint64_t)INT64_MAX)
    return INT64_MIN;
  return -(int64_t)acc;
}

struct group_line
{
  const char *name;
  size_t name_len;
  int64_t gid;
  size_t line; /* 1-based */
};

/* One gid runc will set for an additionalGids entry.  */
struct resolved_gid
{
  size_t index; /* in additionalGids */
  int64_t gid;
  size_t line; /* the /etc/group line it came from; 0: the number as given */
};

static bool
name_is (const struct group_line *g, const char *text)
{
  return g->name_len == strlen (text) && memcmp (g->name, text, g->name_len) == 0;
}

/* The lines of data (ParseGroupFilter) that match one of the wanted gids
   by name or by number, in file order.  */
static struct group_line *
group_lines (const char *data, size_t len, const int64_t *want, char (*want_text)[24], size_t nwant,
             size_t *count)
{
  struct group_line *out = NULL;
  size_t n = 0, lineno = 0;
  for (const char *p = data, *stop = data + len; p < stop;)
    {
      const char *nl = memchr (p, '\n', (size_t)(stop - p));
      const char *line = p;
      size_t line_len = (size_t)((nl ? nl : stop) - p);
      p = nl ? nl + 1 : stop;
      lineno++;
      go_trim_space (&line, &line_len);
      if (line_len == 0 || line[0] == '#')
        continue;
      /* name:password:GID:user_list; fields that are missing stay 0.  */
      const char *fields[3] = { NULL, NULL, NULL };
      size_t flen[3] = { 0, 0, 0 };
      const char *f = line, *lend = line + line_len;
      for (size_t k = 0; k < 3 && f <= lend; k++)
        {
          const char *colon = memchr (f, ':', (size_t)(lend - f));
          fields[k] = f;
          flen[k] = (size_t)((colon ? colon : lend) - f);
          if (colon == NULL)
            break;
          f = colon + 1;
        }
      struct group_line g = { .name = fields[0],
                              .name_len = flen[0],
                              .gid = fields[2] ? atoi_error_ignored (fields[2], flen[2]) : 0,
                              .line = lineno };
      bool match = false;
      for (size_t w = 0; w < nwant && !match; w++)
        match = name_is (&g, want_text[w]) || g.gid == want[w];
      if (!match)
        continue;
      out = xrealloc (out, (n + 1) * sizeof *out);
      out[n++] = g;
    }
  *count = n;
  return out;
}

/* GetAdditionalGroups: for each wanted gid, the first line that matches it
   by name or number and whose gid is not taken yet; else the number
   itself.  */
static struct resolved_gid *
resolve_additional (const struct group_line *lines, size_t nlines, const int64_t *want,
                    char (*want_text)[24], const size_t *index, size_t nwant, size_t *count)
{
  struct resolved_gid *out = xcalloc (nwant + 1, sizeof *out);
  size_t n = 0;
  for (size_t w = 0; w < nwant; w++)
    {
      bool found = false;
      for (size_t l = 0; l < nlines && !found; l++)
        {
          if (!name_is (&lines[l], want_text[w]) && lines[l].gid != want[w])
            continue;
          bool taken = false;
          for (size_t k = 0; k < n && !taken; k++)
            taken = out[k].gid == lines[l].gid;
          if (taken)
            continue;
          out[n++] = (struct resolved_gid){ index[w], lines[l].gid, lines[l].line };
          found = true;
        }
      if (found)
        continue;
      bool taken = false;
      for (size_t k = 0; k < n && !taken; k++)
        taken = out[k].gid == want[w];
      if (!taken)
        out[n++] = (struct resolved_gid){ index[w], want[w], 0 };
    }
  *count = n;
  return out;
}

/* Largest /etc/group read; runc reads any size, so a larger file refuses.  */
#define GROUP_FILE_MAX (16u << 20)

/* ---- user --------------------------------------------------------------- */

/* Read the container's /etc/group as runc will: through the image's
   symlinks and the mounts over it.  Returns NULL with *data the file
   (NULL when there is none: runc then takes every gid as a number), or why
   it cannot be known.  */
static const char *
container_group_file (const struct floor_ctx *ctx, char **data, size_t *len, char **where,
                      char **why_buf)
{
  *data = NULL;
  if (ctx->spec == NULL)
    return "the container's config.json is unknown here, so its /etc/group cannot be read";
  /* exec: the container has been running; what it wrote into its own
     tmpfs is out of policyrun's sight (the image and binds are read live).  */
  bool running = ctx->spec == ctx->host->container_config;
  struct view v;
  const char *why = view_build (ctx->spec, &v, why_buf);
  struct lookup_result r = { 0 };
  if (why == NULL)
    view_resolve (&v, v.len, "/etc/group", true, &r);
  view_free (&v);
  if (why != NULL)
    return why;
  switch (r.status)
    {
    case LOOKUP_UNRELIABLE:
      *why_buf = xasprintf ("the container's /etc/group (%s) cannot be read: %s", r.landed, r.why);
      lookup_result_free (&r);
      return *why_buf;
    case LOOKUP_ABSENT:
      why = running && r.in_tmpfs
                ? "the container's /etc/group would be in a tmpfs the running container may "
                  "have written"
                : NULL;
      lookup_result_free (&r);
      return why;
    case LOOKUP_FOUND:
      break;
    }
  cleanup_close int fd = open (r.host, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  struct stat st;
  cleanup_free char *err = NULL;
  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    *why_buf = xasprintf ("the container's /etc/group (%s on the host) is not a readable "
                          "regular file",
                          r.host);
  else if (read_all_fd (fd, GROUP_FILE_MAX, data, len, &err) < 0)
    *why_buf
        = xasprintf ("the container's /etc/group (%s on the host) cannot be read: %s", r.host, err);
  else
    {
      *where = r.host;
      r.host = NULL;
    }
  lookup_result_free (&r);
  return *data != NULL ? NULL : *why_buf;
}

static char *
user_fix_for (struct floor_ctx *ctx, int64_t gid)
{
  int64_t primary = -1;
  spec_get_int (ctx->config, "user.gid", 0, SPEC_UINT32_MAX, &primary);
  /* Docker repeats the primary gid in additionalGids.  */
  if (gid == primary)
    return xstrdup ("run with --user 65534:65534");
  return xasprintf ("remove --group-add %" PRId64, gid);
}

/* What the rule found in additionalGids (harden reads it).  */
struct gids_outcome
{
  bool malformed; /* the list, or one of its entries, is not a list of group ids */
  char *unjudged; /* why the container's /etc/group cannot be known (none can be
                     judged), or NULL */
  size_t len;     /* entries in the list */
  char **refused; /* per entry: why runc's gid for it is refused (malloc'd), or NULL */
};

static void
gids_outcome_free (struct gids_outcome *o)
{
  for (size_t i = 0; i < o->len; i++)
    free (o->refused[i]);
  free (o->refused);
  free (o->unjudged);
}

/* Hold each gid runc will set for additionalGids to the floor.  Returns
   why it is refused (malloc'd: "gid 0 (the root group)"), or NULL.  */
static char *
check_resolved_gid (struct floor_ctx *ctx, const struct host_groups *hg,
                    const struct resolved_gid *r, int64_t asked, const char *where)
{
  cleanup_free char *field = xasprintf ("user.additionalGids[%zu]", r->index);
  cleanup_free char *via
      = r->line == 0 ? xstrdup ("")
                     : xasprintf (", which the container's /etc/group (%s, line %zu) makes group "
                                  "%" PRId64,
                                  where, r->line, r->gid);
  /* A name resolved to another gid: only another image or bind fixes it.  */
  cleanup_free char *fix = r->line != 0 && r->gid != asked ? NULL : user_fix_for (ctx, asked);
  const char *group = NULL;
  char *why = NULL;
  if (r->gid < 0 || r->gid > SPEC_UINT32_MAX)
    why = xasprintf ("%" PRId64 "%s, outside 0..4294967295 (runc would truncate it)", asked, via);
  else if (r->gid == 0)
    why = xasprintf ("%" PRId64 "%s (the root group)", asked, via);
  else if ((group = host_group_of_gid (hg, r->gid)) != NULL)
    why = xasprintf ("%" PRId64 "%s, the host's privileged group \"%s\"", asked, via, group);
  if (why != NULL)
    floor_violation (ctx, RULE_ADDITIONAL_GIDS, field, fix, "is %s", why);
  return why;
}

/* The additionalGids rule; *out (when not NULL) receives what it found.  */
static void
check_additional_gids (struct floor_ctx *ctx, const struct host_groups *hg,
                       struct gids_outcome *out)
{
  struct gids_outcome ignored;
  if (out == NULL)
    out = &ignored;
  memset (out, 0, sizeof *out);
  json_value *gids = NULL;
  spec_status s = spec_get (ctx->config, "user.additionalGids", JSON_ARRAY, &gids);
  if (s == SPEC_BAD_TYPE)
    {
      out->malformed = true;
      floor_report_unusable (ctx, RULE_ADDITIONAL_GIDS, "user.additionalGids",
                             "run with --user 65534:65534", s, "an array");
    }
  if (s != SPEC_OK || gids->u.array.len == 0)
    return;
  size_t n = gids->u.array.len, nwant = 0;
  out->len = n;
  out->refused = xcalloc (n, sizeof *out->refused);
  cleanup_free int64_t *want = xcalloc (n, sizeof *want);
  cleanup_free size_t *index = xcalloc (n, sizeof *index);
  cleanup_free char (*text)[24] = xcalloc (n, sizeof *text);
  for (size_t i = 0; i < n; i++)
    {
      const json_value *g = gids->u.array.items[i];
      if (g->type != JSON_NUMBER || !g->u.number.is_int || g->u.number.i < 0
          || g->u.number.i > SPEC_UINT32_MAX)
        {
          cleanup_free char *field = xasprintf ("user.additionalGids[%zu]", i);
          floor_violation (ctx, RULE_ADDITIONAL_GIDS, field, "run with --user 65534:65534",
                           "is not a group id");
          out->malformed = true;
          continue;
        }
      want[nwant] = g->u.number.i;
      index[nwant] = i;
      snprintf (text[nwant], sizeof text[nwant], "%" PRId64, want[nwant]);
      nwant++;
    }

  /* runc looks every entry up in the container's /etc/group, by name
     first (libcontainer/user GetAdditionalGroups).  */
  cleanup_free char *data = NULL, *where = NULL, *why_buf = NULL;
  size_t len = 0;
  const char *why = nwant ? container_group_file (ctx, &data, &len, &where, &why_buf) : NULL;
  if (why != NULL)
    {
      out->unjudged = xstrdup (why);
      floor_violation (ctx, RULE_ADDITIONAL_GIDS, "user.additionalGids", NULL,
                       "cannot be checked as runc will resolve it: %s", why);
    }
  size_t nlines = 0, nres = 0;
  cleanup_free struct group_line *lines
      = data ? group_lines (data, len, want, text, nwant, &nlines) : NULL;
  cleanup_free struct resolved_gid *res
      = resolve_additional (lines, nlines, want, text, index, nwant, &nres);
  for (size_t k = 0; k < nres; k++)
    {
      int64_t asked = 0;
      for (size_t w = 0; w < nwant; w++)
        if (index[w] == res[k].index)
          asked = want[w];
      char *refused = check_resolved_gid (ctx, hg, &res[k], asked, where);
      if (refused != NULL && out->refused[res[k].index] == NULL)
        out->refused[res[k].index] = refused;
      else
        free (refused);
    }
  if (out == &ignored)
    gids_outcome_free (out);
}

/* What the rule makes of user.uid (is_uid) or user.gid.  */
enum id_verdict
{
  ID_ACCEPTED,
  ID_REFUSED,   /* 0, absent or null (0 to runc), or of a privileged host group */
  ID_MALFORMED, /* not an integer from 0 to 4294967295 */
};

/* The verdict on the id at path; sets *id (-1 when absent or null) and the
   host's privileged group that makes it refused (*group, or NULL).  */
static enum id_verdict
judge_id (const struct floor_ctx *ctx, const struct host_groups *hg, const char *path, bool is_uid,
          spec_status *status, int64_t *id, const char **group)
{
  *id = -1;
  *group = NULL;
  *status = spec_get_int (ctx->config, path, 0, SPEC_UINT32_MAX, id);
  switch (*status)
    {
    case SPEC_OK:
      /* runc 1.1 passes "uid:gid" to GetExecUser, which never takes a
         number for a name: the ids are used as they are.  */
      if (*id == 0)
        return ID_REFUSED;
      *group = is_uid ? host_group_of_uid (hg, *id) : host_group_of_gid (hg, *id);
      return *group != NULL ? ID_REFUSED : ID_ACCEPTED;
    case SPEC_ABSENT:
    case SPEC_NULL: /* Go leaves a uint32 untouched by null: 0.  */
      return ID_REFUSED;
    case SPEC_BAD_TYPE:
      break;
    }
  return ID_MALFORMED;
}

static void
check_id (struct floor_ctx *ctx, const struct host_groups *hg, const char *path, bool is_uid)
{
  static const char fix[] = "run with --user 65534:65534";
  const char *what = is_uid ? "root" : "the root group";
  spec_status s;
  int64_t id;
  const char *group;
  if (judge_id (ctx, hg, path, is_uid, &s, &id, &group) == ID_ACCEPTED)
    return;
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, RULE_USER, path, fix, s, "an integer from 0 to 4294967295");
  else if (s != SPEC_OK)
    floor_violation (ctx, RULE_USER, path, fix, "is %s (0: %s)", spec_status_text (s), what);
  else if (id == 0)
    floor_violation (ctx, RULE_USER, path, fix, "is 0 (%s)", what);
  else if (is_uid)
    floor_violation (ctx, RULE_USER, path, fix,
                     "is %" PRId64 ", a member of the host's privileged group \"%s\"", id, group);
  else
    floor_violation (ctx, RULE_USER, path, fix,
                     "is %" PRId64 ", the host's privileged group \"%s\"", id, group);
}

/* Rules USER and ADDITIONAL_GIDS ("user") (when the policy's require_non_root is set).
   process.user.uid, process.user.gid: present, not 0 (absent and null are
   0 to runc), not a privileged group of the host (policy
   privileged_groups, looked up on the host) nor a member of one.
   process.user.additionalGids: each gid runc will really set, after looking
   it up by name and number in the container's own /etc/group (through the
   image's symlinks and the mounts over it), not 0 and not a privileged
   host group; when that file cannot be known (a lone process file, a
   kernel filesystem or an unreadable file on the way), refused.  A process
   at uid 0 may always setuid(0), whatever its capabilities.
   user.username (Windows) and user.umask: fine.
   Docker: --user 65534:65534, no --group-add 0 (or of a host group).  */
/* The first privileged host id (a privileged group's gid, or a member's
   uid) in [first, first + count), in *id with its group.  */
static bool
range_privileged (const struct host_groups *hg, bool uids, int64_t first, int64_t count,
                  int64_t *id, const char **group)
{
  size_t n = uids ? hg->nuids : hg->ngids;
  for (size_t k = 0; k < n; k++)
    {
      int64_t h = uids ? (int64_t)hg->uids[k] : (int64_t)hg->gids[k];
      if (h >= first && h - first < count)
        {
          *id = h;
          *group = uids ? hg->uid_groups[k] : hg->gid_names[k];
          return true;
        }
    }
  return false;
}

/* Rule USER, in a user namespace: the ids the process has on the host are
   the mapped ones, so a mapping onto a privileged group's gid (or a
   member's uid) gives it that group whatever its container ids say.  A
   range that holds one is refused (host id 0 is the namespaces rule's);
   malformed ranges are the namespaces rule's too.  */
static void
check_mapped_ranges (struct floor_ctx *ctx, const struct host_groups *hg, const char *name,
                     bool uids)
{
  json_value *maps = NULL;
  if (ctx->spec == NULL || spec_get (ctx->spec, name, JSON_ARRAY, &maps) != SPEC_OK)
    return;
  struct floor_ctx top = *ctx;
  top.config = (json_value *)ctx->spec;
  top.field_prefix = "";
  for (size_t i = 0; i < maps->u.array.len; i++)
    {
      const json_value *m = maps->u.array.items[i];
      int64_t c = 0, h = 0, n = 0, id = 0;
      const char *group = NULL;
      if (spec_get_int (m, "containerID", 0, SPEC_UINT32_MAX, &c) != SPEC_OK
          || spec_get_int (m, "hostID", 0, SPEC_UINT32_MAX, &h) != SPEC_OK
          || spec_get_int (m, "size", 0, SPEC_UINT32_MAX, &n) != SPEC_OK
          || !range_privileged (hg, uids, h, n, &id, &group))
        continue;
      cleanup_free char *field = xasprintf ("%s[%zu]", name, i);
      floor_violation (&top, RULE_USER, field, "map no privileged host id into the container",
                       "maps container %s %" PRId64 " onto host %s %" PRId64
                       " (%sthe host's privileged group \"%s\")",
                       uids ? "uid" : "gid", c + (id - h), uids ? "uid" : "gid", id,
                       uids ? "a member of " : "", group);
    }
}

void
floor_check_user (struct floor_ctx *ctx)
{
  static const char fix[] = "run with --user 65534:65534";
  if (!ctx->policy->require_non_root)
    return;
  json_value *user = NULL;
  spec_status s = spec_get (ctx->config, "user", JSON_OBJECT, &user);
  if (s == SPEC_ABSENT || s == SPEC_NULL)
    {
      floor_violation (ctx, RULE_USER, "user", fix, "is %s (the process would run as root)",
                       spec_status_text (s));
      return;
    }
  if (s != SPEC_OK)
    {
      floor_report_unusable (ctx, RULE_USER, "user", fix, s, "an object");
      return;
    }
  struct host_groups hg;
  host_groups_load (&ctx->policy->privileged_groups, &hg);
  check_id (ctx, &hg, "user.uid", true);
  check_id (ctx, &hg, "user.gid", false);
  check_additional_gids (ctx, &hg, NULL);
  check_mapped_ranges (ctx, &hg, "linux.uidMappings", true);
  check_mapped_ranges (ctx, &hg, "linux.gidMappings", false);
  host_groups_free (&hg);
}

bool
floor_host_range_privileged (const struct policy *p, bool uids, int64_t first, int64_t count,
                             int64_t *id, const char **group)
{
  struct host_groups hg;
  host_groups_load (&p->privileged_groups, &hg);
  bool hit = range_privileged (&hg, uids, first, count, id, group);
  host_groups_free (&hg);
  return hit;
}

/* ---- harden ------------------------------------------------------------- */

/* "uid 0 (root)", "gid absent (0: the root group)", "uid 1001 (a member of
   the host's privileged group \"docker\")", "gid 1000".  */
static char *
describe_id (bool is_uid, spec_status s, int64_t id, const char *group)
{
  const char *name = is_uid ? "uid" : "gid";
  const char *what = is_uid ? "root" : "the root group";
  if (s != SPEC_OK)
    return xasprintf ("%s %s (0: %s)", name, spec_status_text (s), what);
  if (id == 0)
    return xasprintf ("%s 0 (%s)", name, what);
  if (group != NULL)
    return xasprintf ("%s %" PRId64 " (%sthe host's privileged group \"%s\")", name, id,
                      is_uid ? "a member of " : "", group);
  return xasprintf ("%s %" PRId64, name, id);
}

/* uid and gid: a process the rule refuses as root (or a member of a
   privileged host group) runs as 65534:65534, its gid included (a group
   chosen for root means nothing for nobody); a refused gid under an
   accepted uid becomes 65534 and the uid is kept.  An id of the wrong type
   is malformed: both are left for the rule to refuse.  */
static void
harden_ids (struct floor_ctx *ctx, json_value *user, const struct host_groups *hg)
{
  spec_status us, gs;
  int64_t uid, gid;
  const char *ugroup, *ggroup;
  enum id_verdict uv = judge_id (ctx, hg, "user.uid", true, &us, &uid, &ugroup);
  enum id_verdict gv = judge_id (ctx, hg, "user.gid", false, &gs, &gid, &ggroup);
  if (uv == ID_MALFORMED || gv == ID_MALFORMED || (uv == ID_ACCEPTED && gv == ID_ACCEPTED))
    return;
  cleanup_free char *was_uid = describe_id (true, us, uid, ugroup);
  cleanup_free char *was_gid = describe_id (false, gs, gid, ggroup);
  if (uv == ID_REFUSED)
    {
      json_object_set (user, "uid", json_new_int (65534));
      json_object_set (user, "gid", json_new_int (65534));
      floor_tightened (ctx, RULE_USER, "user", "was %s, %s; now 65534:65534", was_uid, was_gid);
      return;
    }
  json_object_set (user, "gid", json_new_int (65534));
  floor_tightened (ctx, RULE_USER, "user.gid", "was %s; now 65534 (%s kept)", was_gid, was_uid);
}

/* additionalGids: every entry whose gid (as runc resolves it in the
   container's /etc/group) the rule refuses is dropped, the others kept in
   order.  runc sets a repeated gid once, and the rule judges it once: the
   rule runs again after each round of drops, until it refuses none.  When
   the container's /etc/group cannot be known, no entry can be judged and
   every one is dropped (fewer groups never widen what the process
   reaches).  A list with an entry that is not a group id is malformed and
   left for the rule to refuse.  */
static void
harden_additional_gids (struct floor_ctx *ctx, const struct host_groups *hg)
{
  struct strbuf dropped = { 0 };
  cleanup_free char *unjudged = NULL;
  json_value *gids = NULL;
  for (bool again = true; again;)
    {
      again = false;
      struct gids_outcome o;
      struct verdict quiet = { 0 };
      struct floor_ctx judge = *ctx;
      judge.verdict = &quiet;
      check_additional_gids (&judge, hg, &o);
      verdict_free (&quiet);
      if (o.malformed
          || spec_get (ctx->config, "user.additionalGids", JSON_ARRAY, &gids) != SPEC_OK)
        {
          gids_outcome_free (&o);
          break;
        }
      for (size_t i = 0; i < o.len; i++)
        if (o.unjudged != NULL || o.refused[i] != NULL)
          strbuf_addf (&dropped, "%s%s", dropped.len ? ", " : "",
                       o.unjudged ? gids->u.array.items[i]->u.number.text : o.refused[i]);
      for (size_t i = o.len; i-- > 0;)
        if (o.unjudged != NULL || o.refused[i] != NULL)
          {
            json_array_remove (gids, i);
            again = o.unjudged == NULL;
          }
      if (o.unjudged != NULL)
        unjudged = xstrdup (o.unjudged);
      gids_outcome_free (&o);
    }
  if (unjudged != NULL)
    floor_tightened (ctx, RULE_ADDITIONAL_GIDS, "user.additionalGids",
                     "was [%s], which cannot be checked as runc will resolve it (%s); removed "
                     "every entry",
                     dropped.s, unjudged);
  else if (dropped.len > 0)
    {
      struct strbuf kept = { 0 };
      strbuf_add (&kept, "");
      for (size_t i = 0; i < gids->u.array.len; i++)
        strbuf_addf (&kept, "%s%s", i ? ", " : "", gids->u.array.items[i]->u.number.text);
      floor_tightened (ctx, RULE_ADDITIONAL_GIDS, "user.additionalGids", "dropped %s; kept [%s]",
                       dropped.s, kept.s);
      strbuf_free (&kept);
    }
  strbuf_free (&dropped);
}

/* Harden: the user (when the policy's require_non_root is set).  An absent
   or null user (root) becomes 65534:65534; uid, gid and additionalGids as
   harden_ids and harden_additional_gids say.  A user that is not an
   object is malformed and left for the rule to refuse.  */
void
floor_harden_user (struct floor_ctx *ctx)
{
  if (!ctx->policy->require_non_root)
    return;
  json_value *user = NULL;
  spec_status s = spec_get (ctx->config, "user", JSON_OBJECT, &user);
  if (s == SPEC_BAD_TYPE)
    return;
  if (s != SPEC_OK)
    {
      user = json_object_set (ctx->config, "user", json_new_object ());
      json_object_set (user, "uid", json_new_int (65534));
      json_object_set (user, "gid", json_new_int (65534));
      floor_tightened (ctx, RULE_USER, "user", "was %s (root); now 65534:65534",
                       spec_status_text (s));
      return;
    }
  struct host_groups hg;
  host_groups_load (&ctx->policy->privileged_groups, &hg);
  harden_ids (ctx, user, &hg);
  harden_additional_gids (ctx, &hg);
  host_groups_free (&hg);
}
