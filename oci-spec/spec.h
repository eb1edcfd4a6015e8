/* oci-spec/spec: typed access to config.json, process.json and update's
   resources by field path, the way runc's Go types see them.

   A path is a dot-separated list of struct field names ("linux.resources.
   memory.limit"); each step matches keys as Go does (json_object_get).
   Every accessor reports whether the field is absent, null, of the wrong
   type, or present and valid, so that a floor rule can tell "the caller
   asked for nothing" (fill in the floor) from "the caller sent null or
   garbage" (refuse).  */
#ifndef POLICYRUN_SPEC_H
#define POLICYRUN_SPEC_H

#include "json.h"

typedef enum
{
  SPEC_OK = 0,
  SPEC_ABSENT,   /* the field, or an object on the way to it, is missing */
  SPEC_NULL,     /* the field, or an object on the way to it, is null */
  SPEC_BAD_TYPE, /* the field, or an object on the way to it, has another type,
                    or an integer is out of the Go type's range */
} spec_status;

/* The field at path if it has type want.  *out is set only for SPEC_OK.  */
spec_status spec_get (const json_value *root, const char *path, json_type want, json_value **out);

/* Integer fields, checked against the Go type's range [min, max].  */
spec_status spec_get_int (const json_value *root, const char *path, int64_t min, int64_t max,
                          int64_t *out);
spec_status spec_get_bool (const json_value *root, const char *path, bool *out);
spec_status spec_get_string (const json_value *root, const char *path, const char **out);

/* Go type ranges.  */
#define SPEC_INT32_MIN INT32_MIN
#define SPEC_INT32_MAX INT32_MAX
#define SPEC_UINT32_MAX ((int64_t)UINT32_MAX)
#define SPEC_INT64_MIN INT64_MIN
#define SPEC_INT64_MAX INT64_MAX

/* The object at path, creating missing objects on the way.  Returns NULL
   (with *err) when something on the way exists but is not an object (null
   included: a null is never silently replaced).  */
json_value *spec_ensure_object (json_value *root, const char *path, char **err);

/* Set the field at path (creating objects on the way as spec_ensure_object)
   to v, taking ownership of v.  Returns 0, or -1 with *err (v is freed).  */
int spec_set (json_value *root, const char *path, json_value *v, char **err);

/* Short text for a status, e.g. "absent", "null", "of the wrong type".  */
const char *spec_status_text (spec_status s);

/* Render a value briefly for a message (strings quoted, long values cut to
   about 60 bytes).  Returns a malloc'd string.  */
char *spec_describe (const json_value *v);

/* Check the types of every field of the runtime-spec's Spec (config.json)
   that runc decodes into a typed Go field, as far as the floor or runc could
   be steered by a mistyped value.  Returns 0, or -1 with *err naming the
   first field of the wrong type ("linux.resources.memory.limit: expected an
   integer, found a string").  */
int spec_check_types_config (const json_value *root, char **err);
/* The same for a Process (exec's --process file) and LinuxResources
   (update's resources).  */
int spec_check_types_process (const json_value *process, char **err);
int spec_check_types_resources (const json_value *resources, char **err);

#endif
