/* policyrun floor: the network layer.  The container gets a network
   namespace of its own, created for it, and no host interface moved in.

   No config field tells `--network none` from Docker's default bridge (both
   are {"type":"network"}); start looks into the created namespace for that.
   This rule refuses what the config itself gives away: the host's network
   (no network entry at all), a namespace joined by path (the host's, another
   container's or a CNI one), and linux.netDevices.

   Kubernetes is the exception, held to the same floor in the form CRI can
   meet (sandbox.h): a pod sandbox (pause) joins the namespace CNI prepared,
   accepted only when it is fresh (only lo, no socket, no process: as good
   as --network none), and an app container joins its sandbox's, accepted
   only when policyrun's own record of that attested sandbox says it is.
   Neither exception applies under gVisor (runsc makes its own network).  */
#include "config.h"
#include "floor.h"

#include <string.h>

#include "../sandbox.h"
#include "spec.h"
#include "util.h"

static const char *const network_fix = "run with --network none";

/* The fix for a namespace joined by path: a pod's sandbox needs a fresh one
   from its CNI, and an app container its own pod (hostNetwork has nothing
   to do with either); anything else, --network none.  */
static const char *
join_fix (const struct floor_ctx *ctx)
{
  const char *type
      = ctx->host->gvisor || !ctx->host->cri_caller ? NULL : sandbox_cri_type (ctx->config);
  if (type != NULL && strcmp (type, "sandbox") == 0)
    return "give the pod a fresh network namespace from a CNI that adds only lo";
  if (type != NULL && strcmp (type, "container") == 0)
    return "run the container in a pod whose sandbox policyrun created";
  return network_fix;
}

/* Why the network namespace at path may not be joined by this config, or
   NULL when it may (a fresh one for a pod sandbox, its sandbox's for an
   app container).  */
static char *
join_refused (struct floor_ctx *ctx, const char *path)
{
  /* Only containerd's CRI gives these annotations (floor_check_annotations
     refuses them from any other caller); never under gVisor.  */
  const char *type
      = ctx->host->gvisor || !ctx->host->cri_caller ? NULL : sandbox_cri_type (ctx->config);
  char *why = NULL;
  if (type == NULL || (strcmp (type, "sandbox") != 0 && strcmp (type, "container") != 0))
    return xstrdup ("the container would join an existing network namespace");
  if (strcmp (type, "sandbox") == 0)
    {
      if (sandbox_netns_fresh (path, &why) == 0)
        return NULL;
      char *r = xasprintf ("a pod sandbox may join only a fresh network namespace, and %s", why);
      free (why);
      return r;
    }
  const char *sandbox_id = sandbox_cri_sandbox_id (ctx->config);
  if (sandbox_join_allowed (ctx->policy, ctx->host->runtime_root, sandbox_id, SANDBOX_NS_NET, path,
                            &why)
      == 0)
    return NULL;
  char *r = xasprintf ("an app container may join only the network namespace of a pod sandbox "
                       "that policyrun created and attested, and %s",
                       why);
  free (why);
  return r;
}

/* Rule NETWORK ("network").
   Fields: linux.namespaces (the "network" entry), linux.netDevices.
   Refused: linux or linux.namespaces absent, null or not an array; no
   "network" entry (--network host); more than one; a "path" on it (joins an
   existing namespace: --network container:X, the host's, a CNI netns); a
   linux.netDevices that names any device (runtime-spec 1.2 moves host
   interfaces into the container), null, or of the wrong type.
   Accepted by path (not under gVisor): a config annotated
   io.kubernetes.cri.container-type "sandbox" joining a fresh network
   namespace (sandbox_netns_fresh), and one annotated "container" joining
   the namespace policyrun recorded for the attested sandbox its
   io.kubernetes.cri.sandbox-id names (sandbox_join_allowed).
   Filled in: nothing.
   Docker flag: --network none.  */
void
floor_check_network (struct floor_ctx *ctx)
{
  json_value *namespaces = NULL;
  spec_status st = spec_get (ctx->config, "linux.namespaces", JSON_ARRAY, &namespaces);
  if (st != SPEC_OK)
    floor_violation (ctx, RULE_NETWORK, "linux.namespaces", network_fix,
                     "is %s; without a network namespace the container shares the host's network",
                     spec_status_text (st));
  else
    {
      size_t found = 0;
      for (size_t i = 0; i < namespaces->u.array.len; i++)
        {
          const json_value *ns = namespaces->u.array.items[i];
          /* Entries that are not objects, or have no string type, are the
             namespaces rule's to report; here they simply are not a network
             namespace.  */
          const char *type = NULL;
          if (spec_get_string (ns, "type", &type) != SPEC_OK || strcmp (type, "network") != 0)
            continue;
          found++;
          json_value *path = json_object_get (ns, "path");
          if (path == NULL)
            continue;
          cleanup_free char *why = path->type == JSON_STRING
                                       ? join_refused (ctx, path->u.string.s)
                                       : xstrdup ("the container would join an existing network "
                                                  "namespace");
          if (why != NULL)
            {
              cleanup_free char *field = xasprintf ("linux.namespaces[%zu].path", i);
              cleanup_free char *value = spec_describe (path);
              floor_violation (ctx, RULE_NETWORK, field, join_fix (ctx), "is %s; %s", value, why);
            }
        }
      if (found == 0)
        floor_violation (ctx, RULE_NETWORK, "linux.namespaces", network_fix,
                         "has no \"network\" entry; the container would share the host's network");
      else if (found > 1)
        floor_violation (ctx, RULE_NETWORK, "linux.namespaces", network_fix,
                         "has %zu \"network\" entries; exactly one is allowed", found);
    }

  /* When linux itself is missing or null, the finding above says so.  */
  json_value *linux_obj = NULL;
  if (spec_get (ctx->config, "linux", JSON_OBJECT, &linux_obj) != SPEC_OK)
    return;
  json_value *devices = NULL;
  st = spec_get (linux_obj, "netDevices", JSON_OBJECT, &devices);
  if (st == SPEC_OK && devices->u.object.len > 0)
    floor_violation (ctx, RULE_NETWORK, "linux.netDevices", network_fix,
                     "moves %zu host interface%s (first \"%s\") into the container",
                     devices->u.object.len, devices->u.object.len == 1 ? "" : "s",
                     devices->u.object.members[0].key);
  else if (st == SPEC_NULL || st == SPEC_BAD_TYPE)
    floor_violation (ctx, RULE_NETWORK, "linux.netDevices", network_fix, "is %s",
                     spec_status_text (st));
}

/* Harden the network layer (rule NETWORK): the container gets a network
   namespace of its own where the rule refuses what it has.  No "network"
   entry (--network host) gains one; a path the rule refuses (join_refused:
   the host's, another container's, a CNI netns outside the CRI's
   exceptions) is dropped, so the entry makes a new namespace; entries
   after the first "network" are dropped; linux.netDevices that name host
   interfaces are dropped.  Left to refuse: linux.namespaces or
   linux.netDevices null or mistyped, a path that is not a string.
   A sandbox's fresh CNI netns and a verified join stay as they are.  */
void
floor_harden_network (struct floor_ctx *ctx)
{
  json_value *namespaces = NULL;
  spec_status st = spec_get (ctx->config, "linux.namespaces", JSON_ARRAY, &namespaces);
  if (st == SPEC_ABSENT)
    {
      cleanup_free char *err = NULL;
      if (spec_set (ctx->config, "linux.namespaces", json_new_array (), &err) < 0
          || spec_get (ctx->config, "linux.namespaces", JSON_ARRAY, &namespaces) != SPEC_OK)
        return; /* linux is null or mistyped: the rule refuses it */
    }
  else if (st != SPEC_OK)
    return;

  size_t found = 0;
  for (size_t i = 0; i < namespaces->u.array.len;)
    {
      json_value *ns = namespaces->u.array.items[i];
      const char *type = NULL;
      if (spec_get_string (ns, "type", &type) != SPEC_OK || strcmp (type, "network") != 0)
        {
          i++;
          continue;
        }
      json_value *path = json_object_get (ns, "path");
      cleanup_free char *value = path != NULL ? spec_describe (path) : NULL;
      if (found++ > 0)
        {
          json_array_remove (namespaces, i);
          floor_tightened (ctx, RULE_NETWORK, "linux.namespaces",
                           "had a second \"network\" entry%s%s; dropped it",
                           value ? " with path " : "", value ? value : "");
          continue;
        }
      if (path != NULL && path->type == JSON_STRING)
        {
          cleanup_free char *why = join_refused (ctx, path->u.string.s);
          if (why != NULL)
            {
              json_object_remove (ns, "path");
              cleanup_free char *field = xasprintf ("linux.namespaces[%zu].path", i);
              floor_tightened (ctx, RULE_NETWORK, field, "was %s (%s), now a new network namespace",
                               value, why);
            }
        }
      i++;
    }
  if (found == 0)
    {
      json_value *ns = json_new_object ();
      json_object_set (ns, "type", json_new_string ("network"));
      json_array_append (namespaces, ns);
      floor_tightened (ctx, RULE_NETWORK, "linux.namespaces",
                       "had no \"network\" entry (the host's network); added a new network "
                       "namespace");
    }

  json_value *linux_obj = NULL;
  json_value *devices = NULL;
  if (spec_get (ctx->config, "linux", JSON_OBJECT, &linux_obj) == SPEC_OK
      && spec_get (linux_obj, "netDevices", JSON_OBJECT, &devices) == SPEC_OK
      && devices->u.object.len > 0)
    {
      size_t n = devices->u.object.len;
      cleanup_free char *first = xstrdup (devices->u.object.members[0].key);
      json_object_remove (linux_obj, "netDevices");
      floor_tightened (ctx, RULE_NETWORK, "linux.netDevices",
                       "moved %zu host interface%s (first \"%s\") into the container; dropped", n,
                       n == 1 ? "" : "s", first);
    }
}
