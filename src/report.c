/* policyrun: refusal messages, the --log line and check's reports.  */
#include "config.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "util.h"

void
report_time_rfc3339 (char *buf, size_t len)
{
  time_t now = time (NULL);
  struct tm tm;
  gmtime_r (&now, &tm);
  strftime (buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- the refusal ---------------------------------------------------------

   "refused by floor (N violations): add FLAGS; remove FLAGS | GROUP | ..."
   The whole fix comes first, each flag once, so that the line can be acted
   on without reading further; then one group per fix, in the order the
   rules ran: "rule: field detail; field detail; FIX".  A group lists at most
   GROUP_SHOWN different violations (the rest are counted), and violations
   that differ only in their field are listed as one ("(also .effective)"),
   so the line stays short whatever the config holds; check --json and the
   audit record keep every violation.  */

#define GROUP_SHOWN 8

struct words
{
  char **v;
  size_t n, cap;
};

static void
words_add_unique (struct words *w, const char *s)
{
  for (size_t i = 0; i < w->n; i++)
    if (strcmp (w->v[i], s) == 0)
      return;
  if (w->n == w->cap)
    {
      w->cap = w->cap ? w->cap * 2 : 8;
      w->v = xrealloc (w->v, w->cap * sizeof *w->v);
    }
  w->v[w->n++] = xstrdup (s);
}

static void
words_free (struct words *w)
{
  for (size_t i = 0; i < w->n; i++)
    free (w->v[i]);
  free (w->v);
  *w = (struct words){ 0 };
}

/* A flag's value: a plain word, not a connective and not a remark.  */
static bool
is_flag_value (const char *t)
{
  return *t != '\0' && *t != '-' && *t != '(' && strcmp (t, "and") != 0 && strcmp (t, "no") != 0
         && strpbrk (t, "();") == NULL;
}

/* Split a fix of the form "run with FLAGS" or "remove FLAGS" into the flags
   it adds and the flags it removes ("--user 65534:65534", "--cap-add").
   FLAGS are "--flag [VALUE]" items joined by spaces, "," or "and"; in
   "run with", "and no ITEM" removes ITEM.  Anything else ("run with
   --workdir inside the image", "remove --privileged (or --cap-add ALL)")
   is not a flag list: false, and the fix is shown as written.  */
static bool
fix_flags (const char *fix, struct words *add, struct words *remove)
{
  bool removing;
  if (strncmp (fix, "run with ", 9) == 0)
    removing = false, fix += 9;
  else if (strncmp (fix, "remove ", 7) == 0)
    removing = true, fix += 7;
  else
    return false;
  struct words found[2] = { { 0 }, { 0 } }; /* [0] added, [1] removed */
  cleanup_free char *copy = xstrdup (fix);
  char *save = NULL;
  char *item = NULL;         /* "--flag" or "--flag value", being read */
  bool item_removes = false; /* the mode item was read in */
  bool have_value = false, want_flag = true, ok = true;
  for (char *t = strtok_r (copy, " ", &save); ok && t != NULL; t = strtok_r (NULL, " ", &save))
    {
      size_t len = strlen (t);
      bool comma = len > 1 && t[len - 1] == ',';
      if (comma)
        t[len - 1] = '\0';
      if (t[0] == '-' && t[1] != '\0' && strpbrk (t, "();") == NULL)
        {
          if (item != NULL)
            words_add_unique (&found[item_removes], item);
          free (item);
          item = xstrdup (t);
          item_removes = removing;
          have_value = false;
          want_flag = false;
        }
      else if (want_flag && !removing && strcmp (t, "no") == 0 && !comma)
        removing = true;
      else if (!want_flag && strcmp (t, "and") == 0 && !comma)
        want_flag = true;
      else if (!want_flag && !have_value && is_flag_value (t))
        {
          char *with = xasprintf ("%s %s", item, t);
          free (item);
          item = with;
          have_value = true;
        }
      else
        ok = false;
      if (comma)
        want_flag = true;
    }
  if (ok && item != NULL && !want_flag)
    words_add_unique (&found[item_removes], item);
  else
    ok = false;
  free (item);
  for (int k = 0; ok && k < 2; k++)
    for (size_t i = 0; i < found[k].n; i++)
      words_add_unique (k == 0 ? add : remove, found[k].v[i]);
  words_free (&found[0]);
  words_free (&found[1]);
  return ok;
}

struct shown
{
  const struct finding *f;
  struct strbuf also; /* the other fields with the same rule and detail */
};

struct group
{
  const char *fix;
  struct shown shown[GROUP_SHOWN];
  size_t nshown;
  size_t hidden; /* violations beyond GROUP_SHOWN */
};

static bool
same_text (const char *a, const char *b)
{
  return a == b || (a != NULL && b != NULL && strcmp (a, b) == 0);
}

/* g's part of the field f that differs from first: ".effective" for
   process.capabilities.effective after process.capabilities.bounding.  */
static const char *
field_suffix (const char *first, const char *f)
{
  size_t dot = 0;
  for (size_t i = 0; first[i] != '\0' && first[i] == f[i]; i++)
    if (f[i] == '.')
      dot = i;
  return dot > 0 ? f + dot : f;
}

static void
group_add (struct group *g, const struct finding *f)
{
  for (size_t i = 0; i < g->nshown; i++)
    {
      struct shown *s = &g->shown[i];
      if (strcmp (s->f->rule, f->rule) == 0 && same_text (s->f->detail, f->detail))
        {
          strbuf_addf (&s->also, "%s%s", s->also.len ? ", " : "",
                       field_suffix (s->f->field, f->field));
          return;
        }
    }
  if (g->nshown == GROUP_SHOWN)
    {
      g->hidden++;
      return;
    }
  g->shown[g->nshown++] = (struct shown){ .f = f };
}

static void
group_write (struct strbuf *b, const struct group *g)
{
  const char *rule = NULL;
  for (size_t i = 0; i < g->nshown; i++)
    {
      const struct finding *f = g->shown[i].f;
      if (i > 0)
        strbuf_add (b, "; ");
      if (rule == NULL || strcmp (rule, f->rule) != 0)
        strbuf_addf (b, "%s: ", f->rule);
      rule = f->rule;
      strbuf_add (b, f->field);
      if (g->shown[i].also.len > 0)
        strbuf_addf (b, " (also %s)", g->shown[i].also.s);
      strbuf_addf (b, " %s", f->detail);
    }
  if (g->hidden > 0)
    strbuf_addf (b, "; and %zu more", g->hidden);
  if (g->fix != NULL)
    strbuf_addf (b, "; %s", g->fix);
}

static void
words_write (struct strbuf *b, const char *label, const struct words *w)
{
  strbuf_add (b, label);
  for (size_t i = 0; i < w->n; i++)
    strbuf_addf (b, " %s", w->v[i]);
}

/* ---- Kubernetes' words ---------------------------------------------------

   When the caller is Kubernetes' CRI, a fix names what the pod's author
   (or the node's operator) changes, not a docker flag.  Whole fixes that
   are not flag lists are looked up as written; flag lists ("run with
   FLAGS", "remove FLAGS") item by item, an item matching a key exactly,
   followed by its value, or (keys ending in "=" or ":") as a prefix.  A
   phrase's "%s" gets the item's value (units turned into the pod's).  */

enum k8s_value
{
  K8S_PLAIN,  /* the value as written */
  K8S_MEMORY, /* docker's 100m (MiB) as the pod's 100Mi */
  K8S_USER,   /* "UID:GID" as runAsUser and runAsGroup */
};

struct k8s_fix
{
  const char *docker;
  const char *k8s;
  enum k8s_value value;
};

/* Fixes that are not flag lists, as the rules write them.  */
static const struct k8s_fix k8s_whole_fixes[] = {
  { "mount it read-only (-v SRC:DST:ro)", "set readOnly: true on its volumeMount", K8S_PLAIN },
  { "remove the -v/--mount of this source", "remove the volume (hostPath) of this source",
    K8S_PLAIN },
  { "use --tmpfs DST:noexec,size=64m", "use an emptyDir volume instead of this tmpfs", K8S_PLAIN },
  { "remove the shared/rshared propagation from -v/--mount",
    "set mountPropagation: None on the volumeMount", K8S_PLAIN },
  { "run with --workdir inside the image", "set workingDir inside the image", K8S_PLAIN },
  { "run with --cpus within the floor", "set resources.limits.cpu within the floor", K8S_PLAIN },
  { "run with --memory-swap equal to --memory",
    "set resources.limits.memory (containerd sets the swap limit from it)", K8S_PLAIN },
  { "remove --privileged (or --cap-add ALL)",
    "set securityContext.privileged: false; remove securityContext.capabilities.add", K8S_PLAIN },
  { "remove --security-opt seccomp=... (Docker's default profile holds the floor)",
    "set securityContext.seccompProfile.type: RuntimeDefault", K8S_PLAIN },
  { "remove --security-opt seccomp=unconfined (and --privileged)",
    "set securityContext.seccompProfile.type: RuntimeDefault; set securityContext.privileged: "
    "false",
    K8S_PLAIN },
  { "enable SELinux in the engine (dockerd --selinux-enabled)",
    "set enable_selinux = true in containerd's CRI configuration (a node setting)", K8S_PLAIN },
  { "remove --cgroup-conf / unified cgroup settings",
    "remove the unified cgroup settings (containerd's runtime configuration)", K8S_PLAIN },
  { "remove that --sysctl", "remove that sysctl from securityContext.sysctls", K8S_PLAIN },
  { "remove that --annotation", "remove that annotation from the pod", K8S_PLAIN },
  { "remove --no-pivot (DOCKER_RAMDISK)",
    "set NoPivotRoot = false in containerd's runc options (a node setting)", K8S_PLAIN },
  { "remove --apparmor from exec", "exec without an AppArmor profile of its own", K8S_PLAIN },
  { "remove --process-label from exec", "exec without an SELinux label of its own", K8S_PLAIN },
  { "remove --cgroup from exec", "exec without a cgroup of its own", K8S_PLAIN },
  { "use create and start instead of run", "use create and start (the CRI always does)",
    K8S_PLAIN },
};

/* Items of flag lists: [0] for "run with", [1] for "remove".  */
static const struct k8s_fix k8s_add_items[] = {
  { "--network none", "set hostNetwork: false", K8S_PLAIN },
  { "--read-only", "set securityContext.readOnlyRootFilesystem: true", K8S_PLAIN },
  { "--memory", "set resources.limits.memory: %s", K8S_MEMORY },
  { "--memory-swap", "set resources.limits.memory", K8S_PLAIN },
  { "--cpus", "set resources.limits.cpu: %s", K8S_PLAIN },
  { "--pids-limit", "set the kubelet's podPidsLimit to %s (a node setting)", K8S_PLAIN },
  { "--cap-drop ALL", "set securityContext.capabilities.drop: [ALL]", K8S_PLAIN },
  { "--security-opt no-new-privileges", "set securityContext.allowPrivilegeEscalation: false",
    K8S_PLAIN },
  { "--security-opt apparmor=", "set securityContext.appArmorProfile.type: RuntimeDefault",
    K8S_PLAIN },
  { "--user", "set securityContext.runAsNonRoot: true, %s", K8S_USER },
  { "--ulimit", "set the rlimit %s in containerd's base_runtime_spec (a node setting)", K8S_PLAIN },
};

static const struct k8s_fix k8s_remove_items[] = {
  { "--cap-add", "remove securityContext.capabilities.add", K8S_PLAIN },
  { "--privileged", "set securityContext.privileged: false", K8S_PLAIN },
  { "--pid host", "set hostPID: false", K8S_PLAIN },
  { "--pid container:", "set shareProcessNamespace: false", K8S_PLAIN },
  { "--ipc host", "set hostIPC: false", K8S_PLAIN },
  { "--ipc container:", "run the container in its own pod's sandbox", K8S_PLAIN },
  { "--uts host", "set hostNetwork: false", K8S_PLAIN },
  { "--userns host", "set hostUsers: false", K8S_PLAIN },
  { "--oom-score-adj", "remove the oomScoreAdj (kubelet's QoS score is clamped to 0)", K8S_PLAIN },
  { "--oom-kill-disable", "remove oom_kill_disable (containerd's runtime configuration)",
    K8S_PLAIN },
  { "--device", "set securityContext.privileged: false; request no device-plugin resources",
    K8S_PLAIN },
  { "--device-cgroup-rule",
    "set securityContext.privileged: false; request no device-plugin resources", K8S_PLAIN },
  { "--security-opt seccomp=", "set securityContext.seccompProfile.type: RuntimeDefault",
    K8S_PLAIN },
  { "--security-opt systempaths=unconfined", "set securityContext.procMount: Default", K8S_PLAIN },
  { "--security-opt unmask", "set securityContext.procMount: Default", K8S_PLAIN },
  { "--security-opt apparmor=unconfined",
    "set securityContext.appArmorProfile.type: RuntimeDefault", K8S_PLAIN },
  { "--cgroup-parent", "leave the cgroup to kubelet (one that does not exist yet)", K8S_PLAIN },
  { "--group-add", "remove %s from securityContext.supplementalGroups", K8S_PLAIN },
  { "--cpu-rt-runtime", "remove the real-time CPU time (containerd's runtime configuration)",
    K8S_PLAIN },
  { "--cpu-rt-period", "remove the real-time CPU time (containerd's runtime configuration)",
    K8S_PLAIN },
  { "--rootless true", "remove rootless from containerd's runtime configuration", K8S_PLAIN },
  { "--manage-cgroups-mode", "remove the cgroup manage mode from the runtime's options",
    K8S_PLAIN },
  { "--lsm-profile", "remove the runtime's --lsm-profile option", K8S_PLAIN },
  { "--preserve-fds", "pass no descriptors to the container", K8S_PLAIN },
};

/* The pod's spelling of value.  */
static char *
k8s_value (enum k8s_value how, const char *v)
{
  if (how == K8S_USER)
    {
      const char *colon = strchr (v, ':');
      if (colon == NULL)
        return xasprintf ("runAsUser: %s", v);
      return xasprintf ("runAsUser: %.*s, runAsGroup: %s", (int)(colon - v), v, colon + 1);
    }
  size_t n = strlen (v);
  /* docker's sizes are binary (k, m, g: KiB, MiB, GiB); "100m" in a pod
     would be a tenth of a byte.  */
  if (how == K8S_MEMORY && n > 1 && strchr ("kKmMgG", v[n - 1]) != NULL)
    return xasprintf ("%.*s%ci", (int)(n - 1), v, v[n - 1] == 'k' ? 'K' : (v[n - 1] & ~0x20));
  return xstrdup (v);
}

/* The phrase for one flag item ("--memory 100m"), or NULL.  */
static char *
k8s_item (const char *item, bool removing)
{
  const struct k8s_fix *t = removing ? k8s_remove_items : k8s_add_items;
  size_t n = removing ? sizeof k8s_remove_items / sizeof k8s_remove_items[0]
                      : sizeof k8s_add_items / sizeof k8s_add_items[0];
  for (size_t i = 0; i < n; i++)
    {
      size_t kn = strlen (t[i].docker);
      if (strncmp (item, t[i].docker, kn) != 0)
        continue;
      const char *value = NULL;
      if (item[kn] == '\0')
        value = "";
      else if (item[kn] == ' ')
        value = item + kn + 1;
      else if (t[i].docker[kn - 1] == '=' || t[i].docker[kn - 1] == ':')
        value = item + kn;
      if (value == NULL)
        continue;
      if (strstr (t[i].k8s, "%s") == NULL)
        return xstrdup (t[i].k8s);
      if (*value == '\0')
        continue; /* a phrase that needs the value, and none given */
      cleanup_free char *shown = k8s_value (t[i].value, value);
      const char *at = strstr (t[i].k8s, "%s");
      return xasprintf ("%.*s%s%s", (int)(at - t[i].k8s), t[i].k8s, shown, at + 2);
    }
  return NULL;
}

/* "remove --x" items of words w, translated, into out (each once).  */
static void
k8s_items (const struct words *w, bool removing, struct words *out)
{
  for (size_t i = 0; i < w->n; i++)
    {
      cleanup_free char *phrase = k8s_item (w->v[i], removing);
      if (phrase == NULL)
        phrase = xasprintf ("%s %s", removing ? "remove" : "run with", w->v[i]);
      words_add_unique (out, phrase);
    }
}

char *
report_fix_kubernetes (const char *fix)
{
  if (fix == NULL)
    return NULL;
  for (size_t i = 0; i < sizeof k8s_whole_fixes / sizeof k8s_whole_fixes[0]; i++)
    if (strcmp (fix, k8s_whole_fixes[i].docker) == 0)
      return xstrdup (k8s_whole_fixes[i].k8s);
  struct words add = { 0 }, remove = { 0 }, phrases = { 0 };
  if (!fix_flags (fix, &add, &remove))
    {
      words_free (&add);
      words_free (&remove);
      return xstrdup (fix);
    }
  k8s_items (&add, false, &phrases);
  k8s_items (&remove, true, &phrases);
  struct strbuf b = { 0 };
  strbuf_add (&b, "");
  for (size_t i = 0; i < phrases.n; i++)
    strbuf_addf (&b, "%s%s", i ? "; " : "", phrases.v[i]);
  words_free (&add);
  words_free (&remove);
  words_free (&phrases);
  return b.s;
}

/* The lead of a refusal in the pod's words: every phrase once.  */
static void
k8s_lead (struct strbuf *b, char *const *fixes, size_t n)
{
  struct words phrases = { 0 };
  for (size_t i = 0; i < n; i++)
    {
      if (fixes[i] == NULL)
        continue;
      cleanup_free char *copy = xstrdup (fixes[i]);
      char *save = NULL;
      for (char *p = strtok_r (copy, ";", &save); p != NULL; p = strtok_r (NULL, ";", &save))
        words_add_unique (&phrases, p[0] == ' ' ? p + 1 : p);
    }
  if (phrases.n > 0)
    strbuf_add (b, "in the pod,");
  for (size_t i = 0; i < phrases.n; i++)
    strbuf_addf (b, "%s %s", i ? ";" : "", phrases.v[i]);
  words_free (&phrases);
}

char *
report_refusal (const struct verdict *v)
{
  return report_refusal_for (v, REPORT_DOCKER);
}

char *
report_refusal_for (const struct verdict *v, enum report_wording wording)
{
  size_t n = verdict_violations (v);
  struct group *groups = xcalloc (n + 1, sizeof *groups);
  /* The fix each group shows: the rule's own, or its Kubernetes phrase.  */
  char **fixes = xcalloc (n + 1, sizeof *fixes);
  size_t ngroups = 0;
  for (size_t i = 0; i < v->len; i++)
    {
      const struct finding *f = &v->items[i];
      if (f->kind != FINDING_VIOLATION)
        continue;
      cleanup_free char *k8s = wording == REPORT_KUBERNETES ? report_fix_kubernetes (f->fix) : NULL;
      const char *fix = wording == REPORT_KUBERNETES ? k8s : f->fix;
      /* Fixes are a handful of distinct texts, so this stays linear in the
         number of findings.  */
      size_t k = 0;
      while (k < ngroups && !same_text (fixes[k], fix))
        k++;
      if (k == ngroups)
        {
          fixes[ngroups] = fix ? xstrdup (fix) : NULL;
          groups[ngroups++].fix = fixes[k];
        }
      group_add (&groups[k], f);
    }

  struct strbuf b = { 0 };
  strbuf_addf (&b, "refused by floor (%zu violation%s): ", n, n == 1 ? "" : "s");
  size_t lead = b.len;
  if (wording == REPORT_KUBERNETES)
    k8s_lead (&b, fixes, ngroups);
  else
    {
      struct words add = { 0 }, remove = { 0 };
      for (size_t k = 0; k < ngroups; k++)
        if (groups[k].fix != NULL)
          fix_flags (groups[k].fix, &add, &remove);
      if (add.n > 0)
        words_write (&b, "add", &add);
      if (remove.n > 0)
        words_write (&b, add.n > 0 ? "; remove" : "remove", &remove);
      words_free (&add);
      words_free (&remove);
    }
  bool led = b.len > lead;
  for (size_t k = 0; k < ngroups; k++)
    {
      if (k > 0 || led)
        strbuf_add (&b, " | ");
      group_write (&b, &groups[k]);
      for (size_t i = 0; i < groups[k].nshown; i++)
        strbuf_free (&groups[k].shown[i].also);
      free (fixes[k]);
    }
  free (fixes);
  free (groups);
  return b.s;
}

/* ---- what was tightened ---------------------------------------------------

   "tightened (3): capabilities: process.capabilities gave ...; mounts:
   mounts[6].options ...; process: process.oomScoreAdj was -998 ...; set to
   0", at most TIGHTENED_SHOWN findings (the rest counted).  */

#define TIGHTENED_SHOWN 16

char *
report_tightened (const struct verdict *v)
{
  size_t n = 0;
  for (size_t i = 0; i < v->len; i++)
    n += v->items[i].kind == FINDING_TIGHTENED;
  if (n == 0)
    return NULL;
  struct strbuf b = { 0 };
  strbuf_addf (&b, "tightened (%zu): ", n);
  const char *rule = NULL;
  size_t shown = 0;
  for (size_t i = 0; i < v->len && shown < TIGHTENED_SHOWN; i++)
    {
      const struct finding *f = &v->items[i];
      if (f->kind != FINDING_TIGHTENED)
        continue;
      if (shown++ > 0)
        strbuf_add (&b, "; ");
      if (rule == NULL || strcmp (rule, f->rule) != 0)
        strbuf_addf (&b, "%s: ", f->rule);
      rule = f->rule;
      strbuf_addf (&b, "%s %s", f->field, f->detail);
    }
  if (n > shown)
    strbuf_addf (&b, "; and %zu more", n - shown);
  return b.s;
}

/* A C1 control character (U+0080 to U+009F) starts at p.  */
static bool
is_c1_control (const unsigned char *p)
{
  return p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
}

/* logrus' text formatter quotes a value with Go's strconv.Quote: quotes and
   backslashes escaped, control characters as \n, \t, \x01, \u0085.  */
static char *
logrus_quote (const char *s)
{
  struct strbuf b = { 0 };
  strbuf_add (&b, "\"");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    {
      static const char named[] = "\a\b\f\n\r\t\v";
      static const char letter[] = "abfnrtv";
      const char *k = *p ? strchr (named, *p) : NULL;
      if (*p == '"' || *p == '\\')
        strbuf_addf (&b, "\\%c", *p);
      else if (k != NULL)
        strbuf_addf (&b, "\\%c", letter[k - named]);
      else if (*p < 0x20 || *p == 0x7f)
        strbuf_addf (&b, "\\x%02x", *p);
      else if (is_c1_control (p))
        strbuf_addf (&b, "\\u%04x", *++p);
      else
        {
          char c[2] = { (char)*p, 0 };
          strbuf_add (&b, c);
        }
    }
  strbuf_add (&b, "\"");
  return b.s;
}

/* stderr reaches a terminal: control characters of a caller's bytes (an
   id, a path, a value from config.json) are escaped the way the JSON log
   line escapes them ("\u0001", "\t"), and DEL and C1 controls too, so that
   no caller-given byte can move the cursor or change the terminal.  */
char *
report_escape_controls (const char *s)
{
  struct strbuf b = { 0 };
  strbuf_add (&b, "");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    {
      static const char named[] = "\b\f\n\r\t";
      static const char letter[] = "bfnrt";
      const char *k = strchr (named, *p);
      if (k != NULL)
        strbuf_addf (&b, "\\%c", letter[k - named]);
      else if (*p < 0x20 || *p == 0x7f)
        strbuf_addf (&b, "\\u%04X", *p);
      else if (is_c1_control (p))
        strbuf_addf (&b, "\\u%04X", *++p);
      else
        {
          char c[2] = { (char)*p, 0 };
          strbuf_add (&b, c);
        }
    }
  return b.s;
}

static char *
log_line (const char *log_format, const char *level, const char *msg, const char *when)
{
  if (log_format != NULL && strcmp (log_format, "json") == 0)
    {
      cleanup_json json_value *o = json_new_object ();
      json_object_set (o, "level", json_new_string (level));
      json_object_set (o, "msg", json_new_string (msg));
      json_object_set (o, "time", json_new_string (when));
      char *out = NULL, *err = NULL;
      size_t len;
      if (json_write (o, &out, &len, &err) < 0)
        {
          free (err);
          return NULL;
        }
      return out;
    }
  cleanup_free char *q = logrus_quote (msg);
  return xasprintf ("time=\"%s\" level=%s msg=%s", when, level, q);
}

/* Bytes that are not UTF-8 become U+FFFD, as Go's encoding/json does:
   a message quoting a caller's bytes must still make a valid log line.  */
static char *
utf8_sanitize (const char *s)
{
  struct strbuf b = { 0 };
  strbuf_add (&b, "");
  const unsigned char *p = (const unsigned char *)s;
  while (*p)
    {
      size_t n = 0;
      if (*p < 0x80)
        n = 1;
      else if ((*p & 0xE0) == 0xC0 && *p >= 0xC2)
        n = 2;
      else if ((*p & 0xF0) == 0xE0)
        n = 3;
      else if ((*p & 0xF8) == 0xF0 && *p <= 0xF4)
        n = 4;
      bool valid = n > 0;
      for (size_t k = 1; valid && k < n; k++)
        valid = (p[k] & 0xC0) == 0x80;
      if (valid && n == 3)
        valid = !(p[0] == 0xE0 && p[1] < 0xA0) && !(p[0] == 0xED && p[1] >= 0xA0);
      if (valid && n == 4)
        valid = !(p[0] == 0xF0 && p[1] < 0x90) && !(p[0] == 0xF4 && p[1] >= 0x90);
      if (!valid)
        {
          strbuf_add (&b, "\xEF\xBF\xBD");
          p++;
          continue;
        }
      char chunk[5] = { 0 };
      memcpy (chunk, p, n);
      /* A message must stay on one line: a newline would split the log line.  */
      if (chunk[0] == '\n' || chunk[0] == '\r')
        chunk[0] = ' ';
      strbuf_add (&b, chunk);
      p += n;
    }
  return b.s;
}

/* Append one line at level to log_path as runc would; full is already
   sanitized.  */
static void
log_append (const char *log_path, const char *log_format, const char *level, const char *full)
{
  char when[64];
  report_time_rfc3339 (when, sizeof when);
  cleanup_free char *line = log_line (log_format, level, full, when);
  if (line == NULL)
    line = xasprintf ("{\"level\":\"%s\",\"msg\":\"policyrun: %s (the reason could not be "
                      "encoded)\",\"time\":\"%s\"}",
                      level, strcmp (level, "error") == 0 ? "refused" : "tightened", when);
  cleanup_close int fd
      = open (log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
  if (fd < 0)
    {
      cleanup_free char *path = report_escape_controls (log_path);
      fprintf (stderr, "policyrun: cannot open log file %s: %s\n", path, strerror (errno));
      return;
    }
  cleanup_free char *withnl = xasprintf ("%s\n", line);
  size_t len = strlen (withnl);
  /* One write(2) with O_APPEND keeps the line whole even if runc or another
     writer appends at the same time.  */
  if (write (fd, withnl, len) != (ssize_t)len)
    {
      cleanup_free char *path = report_escape_controls (log_path);
      fprintf (stderr, "policyrun: cannot write log file %s\n", path);
    }
}

void
report_error (const char *log_path, const char *log_format, const char *msg)
{
  cleanup_free char *raw = xasprintf ("policyrun: %s", msg);
  cleanup_free char *full = utf8_sanitize (raw);
  cleanup_free char *shown = report_escape_controls (full);
  fprintf (stderr, "%s\n", shown);
  fflush (stderr);
  if (log_path == NULL || *log_path == '\0')
    return;
  log_append (log_path, log_format, "error", full);
}

void
report_info (const char *log_path, const char *log_format, const char *msg)
{
  if (log_path == NULL || *log_path == '\0')
    return;
  cleanup_free char *raw = xasprintf ("policyrun: %s", msg);
  cleanup_free char *full = utf8_sanitize (raw);
  log_append (log_path, log_format, "info", full);
}

void
report_tightened_log (const char *log_path, const char *log_format, const struct verdict *v)
{
  cleanup_free char *msg = report_tightened (v);
  if (msg != NULL)
    report_info (log_path, log_format, msg);
}

char *
report_check_text (const char *what, const struct verdict *v)
{
  struct strbuf b = { 0 };
  size_t n = verdict_violations (v);
  if (n == 0)
    strbuf_addf (&b, "%s: accepted: holds the floor\n", what);
  else
    strbuf_addf (&b, "%s: refused: %zu violation%s\n", what, n, n == 1 ? "" : "s");
  for (size_t i = 0; i < v->len; i++)
    {
      const struct finding *f = &v->items[i];
      strbuf_addf (&b, "  %s %s: %s %s", f->kind == FINDING_VIOLATION ? "violation" : "tightened",
                   f->rule, f->field, f->detail);
      if (f->fix != NULL)
        strbuf_addf (&b, "; %s", f->fix);
      strbuf_add (&b, "\n");
    }
  return b.s;
}

static json_value *
finding_json (const struct finding *f)
{
  json_value *o = json_new_object ();
  json_object_set (o, "rule", json_new_string (f->rule));
  json_object_set (o, "field", json_new_string (f->field));
  json_object_set (o, "detail", json_new_string (f->detail));
  if (f->fix != NULL)
    json_object_set (o, "fix", json_new_string (f->fix));
  return o;
}

char *
report_check_json (const char *what, const struct verdict *v)
{
  cleanup_json json_value *o = json_new_object ();
  json_value *viol = json_new_array ();
  json_value *tight = json_new_array ();
  for (size_t i = 0; i < v->len; i++)
    json_array_append (v->items[i].kind == FINDING_VIOLATION ? viol : tight,
                       finding_json (&v->items[i]));
  json_object_set (o, "config", json_new_string (what));
  json_object_set (o, "verdict", json_new_string (verdict_violations (v) ? "refused" : "accepted"));
  json_object_set (o, "violations", viol);
  json_object_set (o, "tightened", tight);
  char *out = NULL, *err = NULL;
  size_t len;
  if (json_write (o, &out, &len, &err) < 0)
    {
      free (err);
      return xstrdup ("{\"verdict\":\"refused\",\"violations\":[]}\n");
    }
  char *withnl = xasprintf ("%s\n", out);
  free (out);
  return withnl;
}
