/* policyrun floor: host namespaces.  Every namespace that isolates the
   container from the host is created for it; none is joined by path; and
   no user-namespace mapping makes a container id the host's root.

   The network namespace has its own rule (network.c); this one only makes
   sure its entry is well formed, like every other.

   Kubernetes' app containers join their pod sandbox's ipc and uts (and pid,
   with shareProcessNamespace) namespaces by path: accepted only when the
   path's namespace is the one policyrun recorded for the sandbox it created
   and attested (sandbox.h), never on the caller's say-so.  */
#include "config.h"
#include "floor.h"

#include <inttypes.h>
#include <string.h>

#include "../sandbox.h"
#include "spec.h"
#include "util.h"

struct ns_kind
{
  const char *type;       /* runtime-spec's name, compared exactly as runc does */
  bool required;          /* the floor needs the container to have its own */
  const char *fix_absent; /* the docker flag that drops it */
  const char *fix_path;   /* the docker flag that joins another one */
};

/* Every type that runc 1.1-1.5 knows.  "user", "cgroup" and "time" only
   isolate further and may be there or not, but never by path.  */
static const struct ns_kind ns_kinds[] = {
  { "pid", true, "remove --pid host", "remove --pid container:..." },
  { "ipc", true, "remove --ipc host", "remove --ipc container:..." },
  { "uts", true, "remove --uts host", NULL },
  { "mount", true, NULL, NULL },
  { "network", true, NULL, NULL }, /* network.c reports absence and path */
  { "user", false, NULL, NULL },
  { "cgroup", false, NULL, NULL },
  { "time", false, NULL, NULL },
};
#define N_KINDS (sizeof ns_kinds / sizeof ns_kinds[0])

static const struct ns_kind *
ns_kind_find (const char *type)
{
  for (size_t i = 0; i < N_KINDS; i++)
    if (strcmp (ns_kinds[i].type, type) == 0)
      return &ns_kinds[i];
  return NULL;
}

/* linux.uidMappings / linux.gidMappings: [{containerID, hostID, size}], Go
   uint32s.  A range starting at host id 0 (ranges cannot wrap) makes the
   container id mapped there the host's root: files it creates belong to
   root, files only root may read are its own, whatever process.user says.  */
static void
check_mappings (struct floor_ctx *ctx, const char *name)
{
  json_value *maps = NULL;
  spec_status st = spec_get (ctx->config, name, JSON_ARRAY, &maps);
  if (st == SPEC_ABSENT)
    return;
  if (st != SPEC_OK)
    {
      floor_violation (ctx, RULE_NAMESPACES, name, NULL, "is %s", spec_status_text (st));
      return;
    }
  for (size_t i = 0; i < maps->u.array.len; i++)
    {
      const json_value *m = maps->u.array.items[i];
      cleanup_free char *field = xasprintf ("%s[%zu]", name, i);
      int64_t host = 0, container = 0, size = 0;
      spec_status sh = spec_get_int (m, "hostID", 0, SPEC_UINT32_MAX, &host);
      spec_status sc = spec_get_int (m, "containerID", 0, SPEC_UINT32_MAX, &container);
      spec_status ss = spec_get_int (m, "size", 0, SPEC_UINT32_MAX, &size);
      if (m->type != JSON_OBJECT)
        {
          cleanup_free char *value = spec_describe (m);
          floor_violation (ctx, RULE_NAMESPACES, field, NULL, "is %s, not a mapping", value);
        }
      else if (sh != SPEC_OK || sc != SPEC_OK || ss != SPEC_OK)
        floor_violation (ctx, RULE_NAMESPACES, field, NULL,
                         "has hostID %s, containerID %s and size %s; each must be a uint32",
                         spec_status_text (sh), spec_status_text (sc), spec_status_text (ss));
      else if (host == 0)
        floor_violation (ctx, RULE_NAMESPACES, field, NULL,
                         "maps container id %" PRId64 " onto host id 0 (root)", container);
    }
}

/* An app container (io.kubernetes.cri.container-type "container", not
   under gVisor) joining namespace type at path of the sandbox policyrun
   recorded for its io.kubernetes.cri.sandbox-id: NULL.  Else why not.  */
static char *
sandbox_join_refused (struct floor_ctx *ctx, const char *type, const json_value *path)
{
  int k = sandbox_ns_of_type (type);
  const char *cri
      = ctx->host->gvisor || !ctx->host->cri_caller ? NULL : sandbox_cri_type (ctx->config);
  if (k < 0 || k == SANDBOX_NS_NET || cri == NULL || strcmp (cri, "container") != 0
      || path->type != JSON_STRING)
    return xasprintf ("the container would join an existing %s namespace", type);
  char *why = NULL;
  if (sandbox_join_allowed (ctx->policy, ctx->host->runtime_root,
                            sandbox_cri_sandbox_id (ctx->config), (enum sandbox_ns)k,
                            path->u.string.s, &why)
      == 0)
    return NULL;
  char *r = xasprintf ("an app container may join only the %s namespace of a pod sandbox that "
                       "policyrun created and attested, and %s",
                       type, why);
  free (why);
  return r;
}

/* Rule NAMESPACES ("namespaces").
   Fields: linux.namespaces, linux.uidMappings, linux.gidMappings.
   Refused: pid, ipc, uts or mount absent (the host's is shared: --pid host,
   --ipc host, --uts host); any entry with "path" (joins an existing
   namespace, --pid container:X, --ipc container:X); an entry that is not an
   object, has no string type, an unknown type or a type seen before (runc
   refuses duplicates too, but only after it has started); uid or gid
   mappings onto host id 0.
   Accepted by path (not under gVisor): ipc, uts and pid of a config
   annotated io.kubernetes.cri.container-type "container" when the path's
   namespace is the one policyrun recorded for the attested sandbox named by
   io.kubernetes.cri.sandbox-id (sandbox_join_allowed).
   Filled in: nothing.  A "user", "cgroup" or "time" namespace of its own is
   welcome: it only isolates further.
   Docker flags: remove --pid host, --ipc host, --uts host.  */
void
floor_check_namespaces (struct floor_ctx *ctx)
{
  check_mappings (ctx, "linux.uidMappings");
  check_mappings (ctx, "linux.gidMappings");

  json_value *namespaces = NULL;
  spec_status st = spec_get (ctx->config, "linux.namespaces", JSON_ARRAY, &namespaces);
  if (st != SPEC_OK)
    {
      floor_violation (ctx, RULE_NAMESPACES, "linux.namespaces", NULL,
                       "is %s; the container would share the host's pid, ipc, uts and mount "
                       "namespaces",
                       spec_status_text (st));
      return;
    }

  size_t seen[N_KINDS] = { 0 };
  for (size_t i = 0; i < namespaces->u.array.len; i++)
    {
      const json_value *ns = namespaces->u.array.items[i];
      cleanup_free char *field = xasprintf ("linux.namespaces[%zu]", i);
      if (ns->type != JSON_OBJECT)
        {
          cleanup_free char *value = spec_describe (ns);
          floor_violation (ctx, RULE_NAMESPACES, field, NULL, "is %s, not a namespace", value);
          continue;
        }
      const char *type = NULL;
      st = spec_get_string (ns, "type", &type);
      if (st != SPEC_OK)
        {
          floor_violation (ctx, RULE_NAMESPACES, field, NULL, "has a type that is %s",
                           spec_status_text (st));
          continue;
        }
      const struct ns_kind *kind = ns_kind_find (type);
      if (kind == NULL)
        {
          cleanup_free char *value = spec_describe (json_object_get (ns, "type"));
          floor_violation (ctx, RULE_NAMESPACES, field, NULL,
                           "has type %s, which is not a namespace type", value);
          continue;
        }
      size_t k = (size_t)(kind - ns_kinds);
      if (seen[k]++ > 0 && strcmp (type, "network") != 0)
        floor_violation (ctx, RULE_NAMESPACES, field, NULL, "repeats the \"%s\" namespace", type);
      json_value *path = json_object_get (ns, "path");
      if (path == NULL || strcmp (type, "network") == 0)
        continue;
      cleanup_free char *why = sandbox_join_refused (ctx, type, path);
      if (why != NULL)
        {
          cleanup_free char *pfield = xasprintf ("linux.namespaces[%zu].path", i);
          cleanup_free char *value = spec_describe (path);
          floor_violation (ctx, RULE_NAMESPACES, pfield, kind->fix_path, "is %s; %s", value, why);
        }
    }

  for (size_t k = 0; k < N_KINDS; k++)
    if (ns_kinds[k].required && seen[k] == 0 && strcmp (ns_kinds[k].type, "network") != 0)
      floor_violation (ctx, RULE_NAMESPACES, "linux.namespaces", ns_kinds[k].fix_absent,
                       "has no \"%s\" entry; the container would share the host's %s namespace",
                       ns_kinds[k].type, ns_kinds[k].type);
}

/* Harden the namespaces (rule NAMESPACES): every namespace the rule
   refuses is made the container's own.  A pid, ipc, uts or mount
   namespace that is missing (--pid host, --ipc host, --uts host) is added;
   a path the rule refuses (sandbox_join_refused: --pid container:X, the
   host's, a sandbox policyrun did not record) is dropped, so runc makes a
   new one; a later entry repeating a type is dropped.  The user namespace
   is left as it is (floor_harden_user_namespace owns it; a fresh user
   namespace needs mappings), and so are the mappings onto host id 0, and
   what is malformed: linux.namespaces null or mistyped, an entry that is
   not an object or has no known type.  The network entry is network.c's.  */
void
floor_harden_namespaces (struct floor_ctx *ctx)
{
  json_value *namespaces = NULL;
  spec_status st = spec_get (ctx->config, "linux.namespaces", JSON_ARRAY, &namespaces);
  if (st == SPEC_ABSENT)
    {
      cleanup_free char *err = NULL;
      if (spec_set (ctx->config, "linux.namespaces", json_new_array (), &err) < 0
          || spec_get (ctx->config, "linux.namespaces", JSON_ARRAY, &namespaces) != SPEC_OK)
        return;
    }
  else if (st != SPEC_OK)
    return;

  size_t seen[N_KINDS] = { 0 };
  for (size_t i = 0; i < namespaces->u.array.len;)
    {
      json_value *ns = namespaces->u.array.items[i];
      const char *type = NULL;
      const struct ns_kind *kind = NULL;
      if (ns->type != JSON_OBJECT || spec_get_string (ns, "type", &type) != SPEC_OK
          || (kind = ns_kind_find (type)) == NULL || strcmp (type, "network") == 0
          || strcmp (type, "user") == 0)
        {
          i++;
          continue;
        }
      size_t k = (size_t)(kind - ns_kinds);
      json_value *path = json_object_get (ns, "path");
      cleanup_free char *value = path != NULL ? spec_describe (path) : NULL;
      if (seen[k]++ > 0)
        {
          /* type points into the entry removed: the table's name is kept.  */
          json_array_remove (namespaces, i);
          floor_tightened (ctx, RULE_NAMESPACES, "linux.namespaces",
                           "repeated the \"%s\" namespace%s%s; dropped the repeat", kind->type,
                           value ? " with path " : "", value ? value : "");
          continue;
        }
      if (path != NULL && path->type == JSON_STRING)
        {
          cleanup_free char *why = sandbox_join_refused (ctx, type, path);
          if (why != NULL)
            {
              json_object_remove (ns, "path");
              cleanup_free char *field = xasprintf ("linux.namespaces[%zu].path", i);
              floor_tightened (ctx, RULE_NAMESPACES, field, "was %s (%s), now a new %s namespace",
                               value, why, type);
            }
        }
      i++;
    }

  for (size_t k = 0; k < N_KINDS; k++)
    if (ns_kinds[k].required && seen[k] == 0 && strcmp (ns_kinds[k].type, "network") != 0)
      {
        json_value *ns = json_new_object ();
        json_object_set (ns, "type", json_new_string (ns_kinds[k].type));
        json_array_append (namespaces, ns);
        floor_tightened (ctx, RULE_NAMESPACES, "linux.namespaces",
                         "had no \"%s\" entry (the host's %s namespace); added a new one",
                         ns_kinds[k].type, ns_kinds[k].type);
      }
}
