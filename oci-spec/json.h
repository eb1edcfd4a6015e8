/* oci-spec/json: a strict JSON loader, a mutable tree and a canonical writer.

   runc decodes config.json with Go's encoding/json, which matches object keys
   to struct fields case-insensitively with Unicode folding, keeps the last of
   duplicate keys, and ignores data after the first document.  This loader
   therefore refuses everything on which two decoders could disagree:
   duplicate keys, keys equal under Go's folding, comments, trailing data, a
   BOM, invalid UTF-8, unpaired surrogate escapes, NUL in strings, leading
   zeros, more than JSON_MAX_DEPTH levels and more than JSON_MAX_BYTES bytes.
   It knows JSON only, nothing of the runtime-spec and nothing of policy.  */
#ifndef POLICYRUN_JSON_H
#define POLICYRUN_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_BYTES (4u * 1024u * 1024u)
#define JSON_MAX_DEPTH 64

typedef enum
{
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT,
} json_type;

typedef struct json_value json_value;

struct json_member
{
  char *key; /* decoded, NUL-terminated (NUL inside keys is refused) */
  json_value *value;
};

struct json_value
{
  json_type type;
  union
  {
    bool boolean;
    struct
    {
      char *text;  /* the number exactly as written, re-emitted verbatim */
      bool is_int; /* integer syntax (no fraction, no exponent) and fits int64 */
      int64_t i;   /* the value when is_int */
    } number;
    struct
    {
      char *s; /* decoded UTF-8, NUL-terminated (NUL inside is refused) */
      size_t len;
    } string;
    struct
    {
      json_value **items;
      size_t len, cap;
    } array;
    struct
    {
      struct json_member *members; /* in document order */
      size_t len, cap;
    } object;
  } u;
};

/* Parse exactly one JSON document from buf[0..len).  Returns 0 and *out, or
   -1 with *err naming the problem and its byte offset.  */
int json_parse (const char *buf, size_t len, json_value **out, char **err);

/* Read (at most JSON_MAX_BYTES, refusing more) and parse.  */
int json_load_fd (int fd, json_value **out, char **err);
int json_load_file (const char *path, json_value **out, char **err);

/* The integers under the top-level keys keys[0..n) of the object in buf,
   read without building a tree and stopping as soon as every key was seen
   (a record written by a trusted program, such as runc's state.json, whose
   first members are the ones wanted: the rest is never scanned).  The
   first occurrence of a key counts.  Returns 0 when every key was found
   with an integer value (vals[i] set), -1 otherwise.  */
int json_scan_top_ints (const char *buf, size_t len, const char *const *keys, size_t n,
                        int64_t *vals);

void json_free (json_value *v);
void json_freep (json_value **v);
#define cleanup_json __attribute__ ((cleanup (json_freep)))

/* Go's struct-field key matching: ASCII case-insensitive, with U+017F (long
   s) equal to 's' and U+212A (Kelvin sign) equal to 'k'.  */
bool json_key_fold_equal (const char *a, const char *b);

/* The member of obj whose key matches field as Go matches struct fields
   (json_key_fold_equal).  NULL when obj is not an object or has no such
   member.  The loader guarantees at most one member matches.  */
json_value *json_object_get (const json_value *obj, const char *field);

/* The member with exactly this key (for Go maps: annotations, sysctl...).  */
json_value *json_object_get_exact (const json_value *obj, const char *key);

/* Constructors.  */
json_value *json_new_null (void);
json_value *json_new_bool (bool b);
json_value *json_new_int (int64_t i);
json_value *json_new_string (const char *s);
json_value *json_new_array (void);
json_value *json_new_object (void);
json_value *json_clone (const json_value *v);

/* Set field of obj to v (taking ownership).  An existing member matching
   field under Go folding is replaced in place (its key spelling kept);
   otherwise a member is appended with key field.  Returns v.  */
json_value *json_object_set (json_value *obj, const char *field, json_value *v);
/* Remove (and free) the member matching field; true if one was removed.  */
bool json_object_remove (json_value *obj, const char *field);
void json_array_append (json_value *arr, json_value *v);
/* Remove (and free) item idx, keeping the order of the rest.  */
void json_array_remove (json_value *arr, size_t idx);

/* Emit v as compact JSON (yajl_gen).  Returns 0 and a malloc'd,
   NUL-terminated buffer.  */
int json_write (const json_value *v, char **out, size_t *len, char **err);

const char *json_type_name (json_type t);

#endif
