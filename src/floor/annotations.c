/* policyrun floor: annotations.  Some runtimes and engines act on
   annotations (systemd unit properties through runc's systemd driver,
   gVisor's dev.gvisor.*, CRIU's config, crun's run.oci.*); a container
   that may set them changes how the host treats it.  */
#include "config.h"
#include "floor.h"

#include <string.h>
#include <strings.h>

#include "spec.h"
#include "util.h"

/* Rule ANNOTATIONS ("annotations").
   Field: annotations.
   Refused: a key that starts with a prefix on the policy's
   annotation_denylist (compared without regard to ASCII case), a value that
   is not a string, annotations null or not an object.
   Also refused: io.kubernetes.cri.* from a caller that is not containerd's
   CRI (whose runtime root is named after its "k8s.io" namespace): they
   make a container pass for a pod's sandbox or a CRI-managed one.
   Filled in: nothing.
   Docker flag: remove --annotation / --label KEY.  */
void
floor_check_annotations (struct floor_ctx *ctx)
{
  json_value *annotations = NULL;
  spec_status st = spec_get (ctx->config, "annotations", JSON_OBJECT, &annotations);
  if (st == SPEC_ABSENT)
    return;
  if (st != SPEC_OK)
    {
      floor_violation (ctx, RULE_ANNOTATIONS, "annotations", NULL, "is %s", spec_status_text (st));
      return;
    }
  const struct string_list *deny = &ctx->policy->annotation_denylist;
  for (size_t i = 0; i < annotations->u.object.len; i++)
    {
      const struct json_member *m = &annotations->u.object.members[i];
      cleanup_free char *field = xasprintf ("annotations.%s", m->key);
      for (size_t k = 0; k < deny->len; k++)
        if (deny->items[k][0] != '\0'
            && strncasecmp (m->key, deny->items[k], strlen (deny->items[k])) == 0)
          {
            floor_violation (ctx, RULE_ANNOTATIONS, field, "remove that --annotation",
                             "is set; annotations starting with \"%s\" are not allowed",
                             deny->items[k]);
            break;
          }
      if (!ctx->host->cri_caller && strncasecmp (m->key, "io.kubernetes.cri.", 18) == 0)
        floor_violation (ctx, RULE_ANNOTATIONS, field, "remove that --annotation",
                         "is set by a caller that is not Kubernetes' CRI");
      if (m->value->type != JSON_STRING)
        floor_violation (ctx, RULE_ANNOTATIONS, field, NULL, "is %s, not a string",
                         m->value->type == JSON_NULL ? "null" : json_type_name (m->value->type));
    }
}

/* Rule SANDBOX_JOIN ("annotations").
   Field: annotations["io.kubernetes.cri.container-type"],
   annotations["io.kubernetes.cri-o.ContainerType"].
   Under gVisor only.  runsc (20221219, runsc/specutils) reads these exact
   map keys: when one of them is "container" it does not create a sandbox
   for the container but joins the one named by io.kubernetes.cri.sandbox-id
   or io.kubernetes.cri-o.SandboxID, where only that sandbox's cgroup
   limits, network and deadline apply; so either key being "container" is
   refused.  "sandbox" (and any other value, which runsc takes for a new
   sandbox) is accepted, and so is a sandbox id without it (runsc reads it
   only to join).  With runc these annotations mean nothing to the runtime
   (floor_check_annotations holds io.kubernetes.cri.* to CRI callers).
   Filled in: nothing.
   Docker flag: remove --annotation KEY.  */
void
floor_check_sandbox_join (struct floor_ctx *ctx)
{
  static const char *const keys[] = {
    "io.kubernetes.cri.container-type",
    "io.kubernetes.cri-o.ContainerType",
  };
  json_value *annotations = NULL;
  if (!ctx->host->gvisor
      || spec_get (ctx->config, "annotations", JSON_OBJECT, &annotations) != SPEC_OK)
    return; /* absent, or refused by floor_check_annotations */
  for (size_t i = 0; i < annotations->u.object.len; i++)
    {
      const struct json_member *m = &annotations->u.object.members[i];
      bool type_key = strcmp (m->key, keys[0]) == 0 || strcmp (m->key, keys[1]) == 0;
      if (!type_key || m->value->type != JSON_STRING
          || strcmp (m->value->u.string.s, "container") != 0)
        continue;
      cleanup_free char *field = xasprintf ("annotations.%s", m->key);
      floor_violation (ctx, RULE_SANDBOX_JOIN, field, "remove that --annotation",
                       "is \"container\": runsc would run it inside another container's gVisor "
                       "sandbox, under that sandbox's limits, instead of a sandbox of its own");
    }
}
