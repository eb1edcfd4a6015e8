#include "config.h"
#include "json.h"
#include "ospec-util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

/* ---- UTF-8 and Go's key folding ---------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0.
   Stricter than yajl: overlong forms, UTF-16 surrogates and code points
   above U+10FFFF are refused, since Go would turn them into U+FFFD and the
   two decoders would then read different keys.  */
static size_t
utf8_seq_len (const unsigned char *s, size_t n)
{
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF)
    {
      if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
        return 0;
      if (c == 0xE0 && s[1] < 0xA0)
        return 0;
      if (c == 0xED && s[1] >= 0xA0)
        return 0;
      return 3;
    }
  if (c >= 0xF0 && c <= 0xF4)
    {
      if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
        return 0;
      if (c == 0xF0 && s[1] < 0x90)
        return 0;
      if (c == 0xF4 && s[1] >= 0x90)
        return 0;
      return 4;
    }
  return 0;
}

/* Offset of the first byte that is not well-formed UTF-8, or n.  */
static size_t
utf8_invalid_at (const char *s, size_t n)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < n)
    {
      if (u[i] < 0x80)
        {
          i++;
          continue;
        }
      size_t l = utf8_seq_len (u + i, n - i);
      if (l == 0)
        return i;
      i += l;
    }
  return n;
}

/* The next unit of s under Go's struct-field folding: ASCII letters lowered,
   U+017F (C5 BF) read as 's', U+212A (E2 84 AA) read as 'k', every other
   byte as itself.  No other rune folds onto an ASCII letter, and struct
   field names are ASCII, so this is exactly the equivalence that decides
   which field a key lands in.  Advances *p.  */
static unsigned char
fold_next (const unsigned char **p, const unsigned char *end)
{
  const unsigned char *s = *p;
  unsigned char c = s[0];
  if (c >= 'A' && c <= 'Z')
    {
      *p = s + 1;
      return (unsigned char)(c - 'A' + 'a');
    }
  if (c == 0xC5 && end - s >= 2 && s[1] == 0xBF)
    {
      *p = s + 2;
      return 's';
    }
  if (c == 0xE2 && end - s >= 3 && s[1] == 0x84 && s[2] == 0xAA)
    {
      *p = s + 3;
      return 'k';
    }
  *p = s + 1;
  return c;
}

static bool
fold_equal_n (const char *a, size_t alen, const char *b, size_t blen)
{
  const unsigned char *pa = (const unsigned char *)a, *ea = pa + alen;
  const unsigned char *pb = (const unsigned char *)b, *eb = pb + blen;
  while (pa < ea && pb < eb)
    if (fold_next (&pa, ea) != fold_next (&pb, eb))
      return false;
  return pa == ea && pb == eb;
}

bool
json_key_fold_equal (const char *a, const char *b)
{
  return fold_equal_n (a, strlen (a), b, strlen (b));
}

/* ---- a keyed hash of folded keys --------------------------------------- */

/* SipHash-1-3 with a per-process random key: keys come from the caller, and
   an unkeyed hash would let a crafted object of 100k colliding keys make the
   duplicate check quadratic.  */
static uint64_t sip_k0, sip_k1;
static bool sip_ready;

static void
sip_init (void)
{
  uint64_t k[2];
  if (getrandom (k, sizeof k, GRND_NONBLOCK) != (ssize_t)sizeof k)
    {
      struct timespec ts;
      clock_gettime (CLOCK_MONOTONIC, &ts);
      k[0] = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid ();
      k[1] = (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)&ts;
    }
  sip_k0 = k[0];
  sip_k1 = k[1];
  sip_ready = true;
}

#define ROTL(x, b) (uint64_t) (((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
  do                                                                                               \
    {                                                                                              \
      v0 += v1;                                                                                    \
      v1 = ROTL (v1, 13);                                                                          \
      v1 ^= v0;                                                                                    \
      v0 = ROTL (v0, 32);                                                                          \
      v2 += v3;                                                                                    \
      v3 = ROTL (v3, 16);                                                                          \
      v3 ^= v2;                                                                                    \
      v0 += v3;                                                                                    \
      v3 = ROTL (v3, 21);                                                                          \
      v3 ^= v0;                                                                                    \
      v2 += v1;                                                                                    \
      v1 = ROTL (v1, 17);                                                                          \
      v1 ^= v2;                                                                                    \
      v2 = ROTL (v2, 32);                                                                          \
    }                                                                                              \
  while (0)

/* SipHash-1-3 over the folded form of key[0..len).  */
static uint64_t
fold_hash (const char *key, size_t len)
{
  uint64_t v0 = sip_k0 ^ 0x736f6d6570736575ull;
  uint64_t v1 = sip_k1 ^ 0x646f72616e646f6dull;
  uint64_t v2 = sip_k0 ^ 0x6c7967656e657261ull;
  uint64_t v3 = sip_k1 ^ 0x7465646279746573ull;
  const unsigned char *p = (const unsigned char *)key, *end = p + len;
  uint64_t m = 0, total = 0;
  unsigned fill = 0;
  while (p < end)
    {
      m |= (uint64_t)fold_next (&p, end) << (8 * fill);
      total++;
      if (++fill == 8)
        {
          v3 ^= m;
          SIPROUND;
          v0 ^= m;
          m = 0;
          fill = 0;
        }
    }
  m |= total << 56;
  v3 ^= m;
  SIPROUND;
  v0 ^= m;
  v2 ^= 0xff;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  return v0 ^ v1 ^ v2 ^ v3;
}

/* ---- values ------------------------------------------------------------ */

static json_value *
new_value (json_type t)
{
  json_value *v = xcalloc (1, sizeof *v);
  v->type = t;
  return v;
}

json_value *
json_new_null (void)
{
  return new_value (JSON_NULL);
}

json_value *
json_new_bool (bool b)
{
  json_value *v = new_value (JSON_BOOL);
  v->u.boolean = b;
  return v;
}

json_value *
json_new_int (int64_t i)
{
  json_value *v = new_value (JSON_NUMBER);
  v->u.number.text = xasprintf ("%" PRId64, i);
  v->u.number.is_int = true;
  v->u.number.i = i;
  return v;
}

static json_value *
new_string_n (const char *s, size_t len)
{
  json_value *v = new_value (JSON_STRING);
  v->u.string.s = xmalloc (len + 1);
  memcpy (v->u.string.s, s, len);
  v->u.string.s[len] = '\0';
  v->u.string.len = len;
  return v;
}

json_value *
json_new_string (const char *s)
{
  return new_string_n (s, strlen (s));
}

json_value *
json_new_array (void)
{
  return new_value (JSON_ARRAY);
}

json_value *
json_new_object (void)
{
  return new_value (JSON_OBJECT);
}

void
json_free (json_value *v)
{
  if (v == NULL)
    return;
  switch (v->type)
    {
    case JSON_NUMBER:
      free (v->u.number.text);
      break;
    case JSON_STRING:
      free (v->u.string.s);
      break;
    case JSON_ARRAY:
      for (size_t i = 0; i < v->u.array.len; i++)
        json_free (v->u.array.items[i]);
      free (v->u.array.items);
      break;
    case JSON_OBJECT:
      for (size_t i = 0; i < v->u.object.len; i++)
        {
          free (v->u.object.members[i].key);
          json_free (v->u.object.members[i].value);
        }
      free (v->u.object.members);
      break;
    case JSON_NULL:
    case JSON_BOOL:
      break;
    }
  free (v);
}

void
json_freep (json_value **v)
{
  json_free (*v);
}

json_value *
json_clone (const json_value *v)
{
  if (v == NULL)
    return NULL;
  json_value *c = new_value (v->type);
  switch (v->type)
    {
    case JSON_NULL:
      break;
    case JSON_BOOL:
      c->u.boolean = v->u.boolean;
      break;
    case JSON_NUMBER:
      c->u.number.text = xstrdup (v->u.number.text);
      c->u.number.is_int = v->u.number.is_int;
      c->u.number.i = v->u.number.i;
      break;
    case JSON_STRING:
      free (c);
      return new_string_n (v->u.string.s, v->u.string.len);
    case JSON_ARRAY:
      for (size_t i = 0; i < v->u.array.len; i++)
        json_array_append (c, json_clone (v->u.array.items[i]));
      break;
    case JSON_OBJECT:
      c->u.object.cap = v->u.object.len;
      c->u.object.len = v->u.object.len;
      c->u.object.members = xcalloc (v->u.object.len, sizeof (struct json_member));
      for (size_t i = 0; i < v->u.object.len; i++)
        {
          c->u.object.members[i].key = xstrdup (v->u.object.members[i].key);
          c->u.object.members[i].value = json_clone (v->u.object.members[i].value);
        }
      break;
    }
  return c;
}

static struct json_member *
object_find (const json_value *obj, const char *field)
{
  if (obj == NULL || obj->type != JSON_OBJECT || field == NULL)
    return NULL;
  /* Go tries the exact name first, then the folded one.  */
  for (size_t i = 0; i < obj->u.object.len; i++)
    if (strcmp (obj->u.object.members[i].key, field) == 0)
      return &obj->u.object.members[i];
  for (size_t i = 0; i < obj->u.object.len; i++)
    if (json_key_fold_equal (obj->u.object.members[i].key, field))
      return &obj->u.object.members[i];
  return NULL;
}

json_value *
json_object_get (const json_value *obj, const char *field)
{
  struct json_member *m = object_find (obj, field);
  return m ? m->value : NULL;
}

json_value *
json_object_get_exact (const json_value *obj, const char *key)
{
  if (obj == NULL || obj->type != JSON_OBJECT || key == NULL)
    return NULL;
  for (size_t i = 0; i < obj->u.object.len; i++)
    if (strcmp (obj->u.object.members[i].key, key) == 0)
      return obj->u.object.members[i].value;
  return NULL;
}

static void
object_append (json_value *obj, char *key, json_value *v)
{
  if (obj->u.object.len == obj->u.object.cap)
    {
      obj->u.object.cap = obj->u.object.cap ? obj->u.object.cap * 2 : 8;
      obj->u.object.members
          = xrealloc (obj->u.object.members, obj->u.object.cap * sizeof (struct json_member));
    }
  obj->u.object.members[obj->u.object.len].key = key;
  obj->u.object.members[obj->u.object.len].value = v;
  obj->u.object.len++;
}

json_value *
json_object_set (json_value *obj, const char *field, json_value *v)
{
  if (obj == NULL || obj->type != JSON_OBJECT || field == NULL)
    {
      /* A caller bug; never leave a half-edited tree behind.  */
      json_free (v);
      return NULL;
    }
  struct json_member *m = object_find (obj, field);
  if (m != NULL)
    {
      if (m->value != v)
        json_free (m->value);
      m->value = v;
      return v;
    }
  object_append (obj, xstrdup (field), v);
  return v;
}

bool
json_object_remove (json_value *obj, const char *field)
{
  struct json_member *m = object_find (obj, field);
  if (m == NULL)
    return false;
  size_t idx = (size_t)(m - obj->u.object.members);
  free (m->key);
  json_free (m->value);
  memmove (m, m + 1, (obj->u.object.len - idx - 1) * sizeof *m);
  obj->u.object.len--;
  return true;
}

void
json_array_append (json_value *arr, json_value *v)
{
  if (arr == NULL || arr->type != JSON_ARRAY)
    {
      json_free (v);
      return;
    }
  if (arr->u.array.len == arr->u.array.cap)
    {
      arr->u.array.cap = arr->u.array.cap ? arr->u.array.cap * 2 : 8;
      arr->u.array.items = xrealloc (arr->u.array.items, arr->u.array.cap * sizeof (json_value *));
    }
  arr->u.array.items[arr->u.array.len++] = v;
}

void
json_array_remove (json_value *arr, size_t idx)
{
  if (arr == NULL || arr->type != JSON_ARRAY || idx >= arr->u.array.len)
    return;
  json_free (arr->u.array.items[idx]);
  memmove (&arr->u.array.items[idx], &arr->u.array.items[idx + 1],
           (arr->u.array.len - idx - 1) * sizeof (json_value *));
  arr->u.array.len--;
}

const char *
json_type_name (json_type t)
{
  switch (t)
    {
    case JSON_NULL:
      return "null";
    case JSON_BOOL:
      return "boolean";
    case JSON_NUMBER:
      return "number";
    case JSON_STRING:
      return "string";
    case JSON_ARRAY:
      return "array";
    case JSON_OBJECT:
      return "object";
    }
  return "unknown";
}

/* ---- numbers ----------------------------------------------------------- */

/* True if s[0..n) is a JSON number (RFC 8259 grammar, no leading zeros).
   Sets *is_int for integer syntax.  */
static bool
number_syntax (const char *s, size_t n, bool *is_int)
{
  size_t i = 0;
  *is_int = true;
  if (i < n && s[i] == '-')
    i++;
  if (i >= n)
    return false;
  if (s[i] == '0')
    i++;
  else if (s[i] >= '1' && s[i] <= '9')
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++;
  else
    return false;
  if (i < n && s[i] == '.')
    {
      *is_int = false;
      i++;
      if (i >= n || s[i] < '0' || s[i] > '9')
        return false;
      while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    }
  if (i < n && (s[i] == 'e' || s[i] == 'E'))
    {
      *is_int = false;
      i++;
      if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
      if (i >= n || s[i] < '0' || s[i] > '9')
        return false;
      while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    }
  return i == n;
}

/* Integer text (already checked by number_syntax) to int64, false on
   overflow.  */
static bool
number_to_int64 (const char *s, size_t n, int64_t *out)
{
  bool neg = s[0] == '-';
  size_t i = neg ? 1 : 0;
  /* Accumulate as a negative number so that INT64_MIN fits.  */
  int64_t acc = 0;
  for (; i < n; i++)
    {
      int d = s[i] - '0';
      if (acc < (INT64_MIN + d) / 10)
        return false;
      acc = acc * 10 - d;
    }
  if (!neg)
    {
      if (acc == INT64_MIN)
        return false;
      acc = -acc;
    }
  *out = acc;
  return true;
}

/* ---- the parser -------------------------------------------------------- */

#define SMALL_OBJECT 8

struct slot
{
  uint64_t hash;
  uint32_t idx1; /* member index + 1; 0 for an empty slot */
};

struct frame
{
  json_value *v;
  struct slot *slots; /* objects only: folded-key table */
  size_t nslots;
};

struct parser
{
  yajl_handle h;
  const char *buf;
  size_t len;
  json_value *root;
  struct frame *stack;
  size_t depth, cap;
  char *err;
  bool finishing;  /* inside yajl_complete_parse, where yajl's offsets are its own */
  bool root_done;  /* the document's value is complete */
  size_t root_end; /* offset just after it */
};

/* Quote s for a one-line message: JSON escapes, cut to about 60 bytes.  */
static char *
quote_for_message (const char *s, size_t n)
{
  struct strbuf b = { 0 };
  strbuf_add (&b, "\"");
  size_t i = 0;
  while (i < n && b.len < 62)
    {
      unsigned char c = (unsigned char)s[i];
      if (c == '"' || c == '\\')
        {
          strbuf_addf (&b, "\\%c", c);
          i++;
        }
      else if (c < 0x20 || c == 0x7f)
        {
          strbuf_addf (&b, "\\u%04x", c);
          i++;
        }
      else
        {
          size_t l = c < 0x80 ? 1 : utf8_seq_len ((const unsigned char *)s + i, n - i);
          if (l == 0)
            {
              strbuf_addf (&b, "\\x%02x", c);
              i++;
              continue;
            }
          char tmp[5] = { 0 };
          memcpy (tmp, s + i, l);
          strbuf_add (&b, tmp);
          i += l;
        }
    }
  strbuf_add (&b, i < n ? "\"..." : "\"");
  return b.s;
}

static int parse_fail (struct parser *p, size_t at, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

static int
parse_fail (struct parser *p, size_t at, const char *fmt, ...)
{
  if (p->err == NULL)
    {
      va_list ap;
      va_start (ap, fmt);
      cleanup_free char *m = xvasprintf (fmt, ap);
      va_end (ap);
      p->err = xasprintf ("%s at byte %zu", m, at);
    }
  return 0; /* cancels yajl */
}

static size_t
parser_offset (struct parser *p)
{
  return yajl_get_bytes_consumed (p->h);
}

/* Offset of the opening quote of the string token that ends just before
   end (yajl reports offsets after the token).  */
static size_t
string_start (struct parser *p, size_t end)
{
  if (end == 0 || end > p->len || p->buf[end - 1] != '"')
    return end;
  size_t i = end - 1;
  while (i > 0)
    {
      i--;
      if (p->buf[i] != '"')
        continue;
      size_t bs = 0;
      while (bs < i && p->buf[i - 1 - bs] == '\\')
        bs++;
      if (bs % 2 == 0)
        return i;
    }
  return end;
}

static int
attach (struct parser *p, json_value *v)
{
  if (p->depth == 0)
    {
      if (p->root != NULL)
        {
          json_free (v);
          return parse_fail (p, parser_offset (p), "more than one JSON document");
        }
      p->root = v;
      if (v->type != JSON_ARRAY && v->type != JSON_OBJECT)
        {
          p->root_done = true;
          /* Only a number ending the input is still pending at the finish.  */
          p->root_end = p->finishing ? p->len : parser_offset (p);
        }
    }
  else
    {
      json_value *c = p->stack[p->depth - 1].v;
      if (c->type == JSON_ARRAY)
        json_array_append (c, v);
      else if (c->u.object.len > 0 && c->u.object.members[c->u.object.len - 1].value == NULL)
        c->u.object.members[c->u.object.len - 1].value = v;
      else
        {
          json_free (v);
          return parse_fail (p, parser_offset (p), "value without a key");
        }
    }
  if (v->type == JSON_ARRAY || v->type == JSON_OBJECT)
    {
      if (p->depth >= JSON_MAX_DEPTH)
        return parse_fail (p, parser_offset (p) - 1, "nesting deeper than %d levels",
                           JSON_MAX_DEPTH);
      if (p->depth == p->cap)
        {
          p->cap = p->cap ? p->cap * 2 : 8;
          p->stack = xrealloc (p->stack, p->cap * sizeof *p->stack);
        }
      p->stack[p->depth++] = (struct frame){ .v = v };
    }
  return 1;
}

static int
cb_null (void *ctx)
{
  return attach (ctx, json_new_null ());
}

static int
cb_boolean (void *ctx, int b)
{
  return attach (ctx, json_new_bool (b != 0));
}

static int
cb_number (void *ctx, const char *s, size_t l)
{
  struct parser *p = ctx;
  bool is_int;
  if (!number_syntax (s, l, &is_int))
    return parse_fail (p, parser_offset (p) - l, "malformed number");
  json_value *v = new_value (JSON_NUMBER);
  v->u.number.text = xstrndup (s, l);
  v->u.number.is_int = is_int && number_to_int64 (s, l, &v->u.number.i);
  return attach (p, v);
}

static int
cb_string (void *ctx, const unsigned char *s, size_t l)
{
  struct parser *p = ctx;
  size_t end = parser_offset (p);
  if (memchr (s, '\0', l) != NULL)
    return parse_fail (p, string_start (p, end), "NUL character in a string");
  if (utf8_invalid_at ((const char *)s, l) != l)
    return parse_fail (p, string_start (p, end), "invalid UTF-8 in a string");
  return attach (p, new_string_n ((const char *)s, l));
}

static int
cb_start_map (void *ctx)
{
  return attach (ctx, json_new_object ());
}

static int
cb_start_array (void *ctx)
{
  return attach (ctx, json_new_array ());
}

static int
cb_end (void *ctx)
{
  struct parser *p = ctx;
  if (p->depth == 0)
    return parse_fail (p, parser_offset (p), "unbalanced container");
  struct frame *f = &p->stack[--p->depth];
  free (f->slots);
  f->slots = NULL;
  if (p->depth == 0)
    {
      p->root_done = true;
      p->root_end = parser_offset (p);
    }
  return 1;
}

static void
table_insert (struct frame *f, uint64_t hash, uint32_t idx1)
{
  size_t mask = f->nslots - 1;
  size_t i = (size_t)hash & mask;
  while (f->slots[i].idx1 != 0)
    i = (i + 1) & mask;
  f->slots[i].hash = hash;
  f->slots[i].idx1 = idx1;
}

static void
table_grow (struct frame *f)
{
  struct slot *old = f->slots;
  size_t n = f->nslots;
  f->nslots = n ? n * 2 : 16;
  f->slots = xcalloc (f->nslots, sizeof *f->slots);
  for (size_t i = 0; i < n; i++)
    if (old[i].idx1 != 0)
      table_insert (f, old[i].hash, old[i].idx1);
  free (old);
}

static int
cb_map_key (void *ctx, const unsigned char *key, size_t l)
{
  struct parser *p = ctx;
  struct frame *f = &p->stack[p->depth - 1];
  json_value *obj = f->v;
  const char *k = (const char *)key;
#define at string_start (p, parser_offset (p)) /* only on failure: it scans back */

  if (memchr (k, '\0', l) != NULL)
    return parse_fail (p, at, "NUL character in a key");
  if (utf8_invalid_at (k, l) != l)
    return parse_fail (p, at, "invalid UTF-8 in a key");
  if (obj->u.object.len >= UINT32_MAX - 1)
    return parse_fail (p, at, "too many keys in one object");

  /* Small objects (nearly all of a config) are scanned; the table of
     folded-key hashes starts at SMALL_OBJECT members.  */
  const char *other = NULL;
  uint64_t hash = 0;
  if (obj->u.object.len < SMALL_OBJECT)
    {
      for (size_t i = 0; i < obj->u.object.len && other == NULL; i++)
        {
          const char *o = obj->u.object.members[i].key;
          if (fold_equal_n (k, l, o, strlen (o)))
            other = o;
        }
    }
  else
    {
      if (f->nslots == 0)
        for (size_t i = 0; i < obj->u.object.len; i++)
          {
            const char *o = obj->u.object.members[i].key;
            if ((i + 1) * 2 > f->nslots)
              table_grow (f);
            table_insert (f, fold_hash (o, strlen (o)), (uint32_t)i + 1);
          }
      if ((obj->u.object.len + 1) * 2 > f->nslots)
        table_grow (f);
      hash = fold_hash (k, l);
      size_t mask = f->nslots - 1;
      for (size_t i = (size_t)hash & mask; f->slots[i].idx1 != 0 && other == NULL;
           i = (i + 1) & mask)
        {
          const char *o = obj->u.object.members[f->slots[i].idx1 - 1].key;
          if (f->slots[i].hash == hash && fold_equal_n (k, l, o, strlen (o)))
            other = o;
        }
    }
  if (other != NULL)
    {
      size_t olen = strlen (other);
      cleanup_free char *qk = quote_for_message (k, l);
      if (olen == l && memcmp (other, k, l) == 0)
        return parse_fail (p, at, "duplicate key %s", qk);
      cleanup_free char *qo = quote_for_message (other, olen);
      return parse_fail (
          p, at, "duplicate key %s (the same field as %s under Go's case-insensitive matching)", qk,
          qo);
    }
  object_append (obj, xstrndup (k, l), NULL);
  if (f->nslots != 0)
    table_insert (f, hash, (uint32_t)obj->u.object.len);
  return 1;
#undef at
}

static const yajl_callbacks parser_callbacks = {
  .yajl_null = cb_null,
  .yajl_boolean = cb_boolean,
  .yajl_number = cb_number,
  .yajl_string = cb_string,
  .yajl_start_map = cb_start_map,
  .yajl_map_key = cb_map_key,
  .yajl_end_map = cb_end,
  .yajl_start_array = cb_start_array,
  .yajl_end_array = cb_end,
};

static bool
hex4 (const char *s, unsigned *out)
{
  unsigned v = 0;
  for (int i = 0; i < 4; i++)
    {
      char c = s[i];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= (unsigned)(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= (unsigned)(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= (unsigned)(c - 'A' + 10);
      else
        return false;
    }
  *out = v;
  return true;
}

static bool
is_number_char (char c)
{
  return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
}

/* Whether the digit at buf[i] (outside strings, where digits occur only in
   numbers) begins a number's integer part rather than its fraction or
   exponent ("1e05" is valid JSON, "05" and "-05" are not).  */
static bool
starts_integer_part (const char *buf, size_t i)
{
  if (i == 0 || !is_number_char (buf[i - 1]))
    return true;
  if (buf[i - 1] == '-')
    return i == 1 || (buf[i - 2] != 'e' && buf[i - 2] != 'E');
  return false;
}

/* What yajl lets through or decodes lossily, checked on the raw bytes
   before yajl sees them: a BOM, malformed UTF-8 (yajl accepts overlong
   forms and encoded surrogates), \u0000, and surrogate escapes that do not
   form a pair (yajl turns a lone high surrogate into '?' and encodes a lone
   low one as invalid UTF-8).  Tracks only whether it is inside a string;
   everything else is yajl's job.  */
/* Bytes that end a run of ordinary bytes: bit 1 outside strings, bit 2
   inside.  Control characters other than JSON's whitespace end both (yajl
   takes \f and \v for whitespace; Go does not).  */
static const unsigned char special[256] = {
  [0x00 ... 0x08] = 3, ['\t'] = 2, ['\n'] = 2, [0x0B ... 0x0C] = 3, ['\r'] = 2,
  [0x0E ... 0x1F] = 3, ['"'] = 3,  ['0'] = 1,  ['\\'] = 2,          [0x80 ... 0xFF] = 3,
};

static int
prescan (const char *buf, size_t len, char **err)
{
  const unsigned char *u = (const unsigned char *)buf;
  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
    return fail (err, "a UTF-8 byte order mark (BOM) is not allowed at byte 0");
  bool in_string = false;
  size_t i = 0;
  while (i < len)
    {
      if (in_string)
        while (i < len && !(special[u[i]] & 2))
          i++;
      else
        while (i < len && !(special[u[i]] & 1))
          i++;
      if (i >= len)
        break;
      unsigned char c = u[i];
      if (c >= 0x80)
        {
          size_t l = utf8_seq_len (u + i, len - i);
          if (l == 0)
            return fail (err, "invalid UTF-8 at byte %zu", i);
          i += l;
          continue;
        }
      if (!in_string)
        {
          if (c < 0x20)
            return fail (err, "control character U+%04X outside a string at byte %zu", c, i);
          if (c == '"')
            in_string = true;
          else if (c == '0' && i + 1 < len && buf[i + 1] >= '0' && buf[i + 1] <= '9'
                   && starts_integer_part (buf, i))
            return fail (err, "number with a leading zero at byte %zu", i);
          i++;
          continue;
        }
      if (c == '"')
        {
          in_string = false;
          i++;
          continue;
        }
      if (c < 0x20)
        return fail (err, "control character U+%04X in a string at byte %zu", c, i);
      /* c is a backslash.  */
      if (i + 1 >= len)
        break;
      unsigned cp;
      if (buf[i + 1] != 'u' || i + 6 > len || !hex4 (buf + i + 2, &cp))
        {
          i += 2; /* yajl judges the other escapes */
          continue;
        }
      if (cp == 0)
        return fail (err, "NUL character (\\u0000) in a string at byte %zu", i);
      if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fail (err, "unpaired surrogate escape \\u%04x at byte %zu", cp, i);
      if (cp >= 0xD800 && cp <= 0xDBFF)
        {
          unsigned lo;
          if (i + 12 > len || buf[i + 6] != '\\' || buf[i + 7] != 'u' || !hex4 (buf + i + 8, &lo)
              || lo < 0xDC00 || lo > 0xDFFF)
            return fail (err, "unpaired surrogate escape \\u%04x at byte %zu", cp, i);
          i += 12;
          continue;
        }
      i += 6;
    }
  return 0;
}

static char *
yajl_message (yajl_handle h, const char *buf, size_t len)
{
  unsigned char *raw = yajl_get_error (h, 0, (const unsigned char *)buf, len);
  char *m = xstrdup (raw ? (const char *)raw : "parse error");
  if (raw)
    yajl_free_error (h, raw);
  size_t n = strlen (m);
  while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == '.' || m[n - 1] == ' '))
    m[--n] = '\0';
  /* yajl's words for a comment read as if comments could be switched on.  */
  if (strstr (m, "comment") != NULL)
    {
      free (m);
      m = xstrdup ("a comment, which JSON does not allow");
    }
  return m;
}

static bool
is_ws (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* yajl_complete_parse reports offsets into a buffer of its own; an error
   found there concerns the last token of the input.  */
static size_t
last_token_start (const char *buf, size_t len)
{
  size_t end = len;
  while (end > 0 && is_ws (buf[end - 1]))
    end--;
  size_t start = end;
  while (start > 0
         && (is_number_char (buf[start - 1]) || (buf[start - 1] >= 'a' && buf[start - 1] <= 'z')))
    start--;
  return start < end ? start : len;
}

/* yajl reports a parse error after the token it did not expect; name the
   token's first byte instead.  Lexical errors are reported where the lexer
   stopped, which is already the right place.  */
static size_t
yajl_error_offset (struct parser *p, const char *msg)
{
  size_t end = yajl_get_bytes_consumed (p->h);
  if (strncmp (msg, "parse error", 11) != 0 || end == 0 || end > p->len)
    return end;
  char c = p->buf[end - 1];
  if (c == '"')
    return string_start (p, end);
  size_t start = end - 1;
  if (is_number_char (c) || (c >= 'a' && c <= 'z'))
    while (start > 0
           && (is_number_char (p->buf[start - 1])
               || (p->buf[start - 1] >= 'a' && p->buf[start - 1] <= 'z')))
      start--;
  return start;
}

int
json_parse (const char *buf, size_t len, json_value **out, char **err)
{
  *out = NULL;
  if (len > JSON_MAX_BYTES)
    return fail (err, "document of %zu bytes is larger than the limit of %u bytes", len,
                 JSON_MAX_BYTES);
  size_t ws = 0;
  while (ws < len && is_ws (buf[ws]))
    ws++;
  if (ws == len)
    return fail (err, "empty document");
  if (prescan (buf, len, err) < 0)
    return -1;
  if (!sip_ready)
    sip_init ();

  struct parser p = { .buf = buf, .len = len };
  p.h = yajl_alloc (&parser_callbacks, NULL, &p);
  if (p.h == NULL)
    abort ();
  /* The defaults are already strict; spelled out because they are the
     point.  */
  yajl_config (p.h, yajl_allow_comments, 0);
  yajl_config (p.h, yajl_dont_validate_strings, 0);
  yajl_config (p.h, yajl_allow_trailing_garbage, 0);
  yajl_config (p.h, yajl_allow_multiple_values, 0);
  yajl_config (p.h, yajl_allow_partial_values, 0);

  yajl_status st = yajl_parse (p.h, (const unsigned char *)buf, len);
  bool in_finish = false;
  if (st == yajl_status_ok)
    {
      in_finish = p.finishing = true;
      st = yajl_complete_parse (p.h);
    }
  int ret = 0;
  if (st != yajl_status_ok || p.err != NULL || p.root == NULL || p.depth != 0)
    {
      if (p.err != NULL)
        {
          free (*err);
          *err = p.err;
          p.err = NULL;
        }
      else if (st == yajl_status_error)
        {
          cleanup_free char *m = yajl_message (p.h, buf, len);
          size_t next = p.root_end;
          while (next < len && is_ws (buf[next]))
            next++;
          size_t at = in_finish ? last_token_start (buf, len) : yajl_error_offset (&p, m);
          if (p.root_done && next < len)
            fail (err, "data after the end of the JSON document at byte %zu", next);
          else if (strstr (m, "trailing garbage") != NULL)
            fail (err, "data after the end of the JSON document at byte %zu", at);
          else
            fail (err, "%s at byte %zu", m, at);
        }
      else
        fail (err, "incomplete document at byte %zu", len);
      ret = -1;
    }
  for (size_t i = 0; i < p.depth; i++)
    free (p.stack[i].slots);
  free (p.stack);
  free (p.err);
  yajl_free (p.h);
  if (ret < 0)
    {
      json_free (p.root);
      return -1;
    }
  *out = p.root;
  return 0;
}

/* Reads at most JSON_MAX_BYTES + 1 bytes, whatever the fd is (a pipe from a
   caller that never stops writing included).  */
int
json_load_fd (int fd, json_value **out, char **err)
{
  /* A regular file says its size: an oversized one is refused unread.  */
  struct stat st;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > (off_t)JSON_MAX_BYTES)
    return fail (err, "larger than the limit of %u bytes", JSON_MAX_BYTES);
  size_t cap = 16384, used = 0;
  cleanup_free char *buf = xmalloc (cap);
  for (;;)
    {
      if (used == cap)
        {
          if (cap > JSON_MAX_BYTES)
            break;
          cap = cap * 2 > (size_t)JSON_MAX_BYTES + 1 ? (size_t)JSON_MAX_BYTES + 1 : cap * 2;
          buf = xrealloc (buf, cap);
        }
      ssize_t r = read (fd, buf + used, cap - used);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return fail (err, "read failed: %s", strerror (errno));
      if (r == 0)
        break;
      used += (size_t)r;
    }
  if (used > JSON_MAX_BYTES)
    return fail (err, "larger than the limit of %u bytes", JSON_MAX_BYTES);
  return json_parse (buf, used, out, err);
}

int
json_load_file (const char *path, json_value **out, char **err)
{
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return fail (err, "cannot open %s: %s", path, strerror (errno));
  struct stat st;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > (off_t)JSON_MAX_BYTES)
    return fail (err, "%s: %jd bytes is larger than the limit of %u bytes", path,
                 (intmax_t)st.st_size, JSON_MAX_BYTES);
  cleanup_free char *e = NULL;
  if (json_load_fd (fd, out, &e) < 0)
    return fail (err, "%s: %s", path, e);
  return 0;
}

/* ---- the writer -------------------------------------------------------- */

static int
gen_string (yajl_gen g, const char *s, size_t len, char **err)
{
  if (memchr (s, '\0', len) != NULL)
    return fail (err, "cannot write a string with a NUL character");
  if (utf8_invalid_at (s, len) != len)
    return fail (err, "cannot write a string that is not valid UTF-8");
  if (yajl_gen_string (g, (const unsigned char *)s, len) != yajl_gen_status_ok)
    return fail (err, "cannot write a string");
  return 0;
}

static int
gen_value (yajl_gen g, const json_value *v, char **err)
{
  if (v == NULL)
    return fail (err, "cannot write a missing value");
  yajl_gen_status st = yajl_gen_status_ok;
  switch (v->type)
    {
    case JSON_NULL:
      st = yajl_gen_null (g);
      break;
    case JSON_BOOL:
      st = yajl_gen_bool (g, v->u.boolean);
      break;
    case JSON_NUMBER:
      {
        bool is_int;
        const char *t = v->u.number.text;
        if (t == NULL || !number_syntax (t, strlen (t), &is_int))
          return fail (err, "cannot write a malformed number");
        st = yajl_gen_number (g, t, strlen (t));
        break;
      }
    case JSON_STRING:
      return gen_string (g, v->u.string.s, v->u.string.len, err);
    case JSON_ARRAY:
      st = yajl_gen_array_open (g);
      for (size_t i = 0; st == yajl_gen_status_ok && i < v->u.array.len; i++)
        if (gen_value (g, v->u.array.items[i], err) < 0)
          return -1;
      if (st == yajl_gen_status_ok)
        st = yajl_gen_array_close (g);
      break;
    case JSON_OBJECT:
      st = yajl_gen_map_open (g);
      for (size_t i = 0; st == yajl_gen_status_ok && i < v->u.object.len; i++)
        {
          const struct json_member *m = &v->u.object.members[i];
          if (m->key == NULL)
            return fail (err, "cannot write a member without a key");
          if (gen_string (g, m->key, strlen (m->key), err) < 0 || gen_value (g, m->value, err) < 0)
            return -1;
        }
      if (st == yajl_gen_status_ok)
        st = yajl_gen_map_close (g);
      break;
    }
  if (st != yajl_gen_status_ok)
    return fail (err, "cannot write JSON (yajl_gen status %d)", (int)st);
  return 0;
}

int
json_write (const json_value *v, char **out, size_t *len, char **err)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  if (g == NULL)
    abort ();
  yajl_gen_config (g, yajl_gen_beautify, 0);
  /* gen_string has already validated strictly (yajl would accept overlong
     forms); asking yajl again only costs time.  */
  yajl_gen_config (g, yajl_gen_validate_utf8, 0);
  int ret = gen_value (g, v, err);
  if (ret == 0)
    {
      const unsigned char *b;
      size_t n;
      yajl_gen_get_buf (g, &b, &n);
      char *s = xmalloc (n + 1);
      memcpy (s, b, n);
      s[n] = '\0';
      *out = s;
      if (len)
        *len = n;
    }
  yajl_gen_free (g);
  return ret;
}

/* ---- scanning a trusted record ------------------------------------------ */

struct top_scan
{
  const char *const *keys;
  size_t n;
  int64_t *vals;
  size_t seen; /* keys found */
  bool *found; /* per key */
  int depth;   /* 1 inside the top-level object */
  long want;   /* the key whose value comes next, or -1 */
};

static int
scan_value (struct top_scan *t)
{
  t->want = -1;
  return 1;
}

static int
scan_null (void *ctx)
{
  return scan_value (ctx);
}

static int
scan_bool (void *ctx, int b)
{
  (void)b;
  return scan_value (ctx);
}

static int
scan_string (void *ctx, const unsigned char *s, size_t len)
{
  (void)s;
  (void)len;
  return scan_value (ctx);
}

static int
scan_number (void *ctx, const char *s, size_t len)
{
  struct top_scan *t = ctx;
  if (t->depth == 1 && t->want >= 0 && !t->found[t->want])
    {
      char buf[32];
      char *end = NULL;
      if (len == 0 || len >= sizeof buf)
        return scan_value (t);
      memcpy (buf, s, len);
      buf[len] = '\0';
      errno = 0;
      long long v = strtoll (buf, &end, 10);
      if (errno == 0 && *end == '\0')
        {
          t->vals[t->want] = v;
          t->found[t->want] = true;
          /* Every key seen: stop here, the rest is never read.  */
          if (++t->seen == t->n)
            return 0;
        }
    }
  return scan_value (t);
}

static int
scan_start (void *ctx)
{
  struct top_scan *t = ctx;
  t->depth++;
  t->want = -1;
  return 1;
}

static int
scan_end (void *ctx)
{
  struct top_scan *t = ctx;
  t->depth--;
  return 1;
}

static int
scan_key (void *ctx, const unsigned char *key, size_t len)
{
  struct top_scan *t = ctx;
  t->want = -1;
  if (t->depth != 1)
    return 1;
  for (size_t i = 0; i < t->n; i++)
    if (strlen (t->keys[i]) == len && memcmp (t->keys[i], key, len) == 0)
      {
        t->want = (long)i;
        break;
      }
  return 1;
}

static const yajl_callbacks scan_callbacks = {
  .yajl_null = scan_null,
  .yajl_boolean = scan_bool,
  .yajl_number = scan_number,
  .yajl_string = scan_string,
  .yajl_start_map = scan_start,
  .yajl_map_key = scan_key,
  .yajl_end_map = scan_end,
  .yajl_start_array = scan_start,
  .yajl_end_array = scan_end,
};

int
json_scan_top_ints (const char *buf, size_t len, const char *const *keys, size_t n, int64_t *vals)
{
  bool *found = xcalloc (n + 1, sizeof *found);
  struct top_scan t = { .keys = keys, .n = n, .vals = vals, .found = found, .want = -1 };
  yajl_handle h = yajl_alloc (&scan_callbacks, NULL, &t);
  if (h == NULL)
    abort ();
  yajl_status st = yajl_parse (h, (const unsigned char *)buf, len);
  if (st == yajl_status_ok)
    st = yajl_complete_parse (h);
  yajl_free (h);
  free (found);
  /* A cancel is how the scan stops once every key is seen.  */
  return t.seen == n && n > 0 ? 0 : -1;
}
