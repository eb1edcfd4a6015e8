/* The strict loader, the tree and the writer (oci-spec/json.c).  */
#include "config.h"

#include <inttypes.h>
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "ospec-util.h"
#include "spec.h"

/* Literal with its exact length, NUL bytes included.  */
#define L(s) s, sizeof (s) - 1

static json_value *
parse_ok (const char *buf, size_t len, const char *name)
{
  json_value *v = NULL;
  char *err = NULL;
  int r = json_parse (buf, len, &v, &err);
  ok (r == 0 && v != NULL, "accepted: %s", name);
  if (r < 0)
    diag ("error: %s", err);
  free (err);
  return v;
}

static void
accepts (const char *buf, size_t len, const char *name)
{
  json_free (parse_ok (buf, len, name));
}

/* Refused, with a message that contains want.  */
static void
refuses (const char *buf, size_t len, const char *want, const char *name)
{
  json_value *v = NULL;
  char *err = NULL;
  int r = json_parse (buf, len, &v, &err);
  ok (r < 0 && v == NULL && err != NULL, "refused: %s", name);
  if (r < 0)
    has_str (err, want, "  message of '%s' names the problem", name);
  else
    ok (0, "  message of '%s' names the problem", name);
  free (err);
  json_free (v);
}

static bool
json_equal (const json_value *a, const json_value *b)
{
  if (a == NULL || b == NULL || a->type != b->type)
    return a == b;
  switch (a->type)
    {
    case JSON_NULL:
      return true;
    case JSON_BOOL:
      return a->u.boolean == b->u.boolean;
    case JSON_NUMBER:
      return strcmp (a->u.number.text, b->u.number.text) == 0
             && a->u.number.is_int == b->u.number.is_int
             && (!a->u.number.is_int || a->u.number.i == b->u.number.i);
    case JSON_STRING:
      return a->u.string.len == b->u.string.len
             && memcmp (a->u.string.s, b->u.string.s, a->u.string.len) == 0;
    case JSON_ARRAY:
      if (a->u.array.len != b->u.array.len)
        return false;
      for (size_t i = 0; i < a->u.array.len; i++)
        if (!json_equal (a->u.array.items[i], b->u.array.items[i]))
          return false;
      return true;
    case JSON_OBJECT:
      if (a->u.object.len != b->u.object.len)
        return false;
      for (size_t i = 0; i < a->u.object.len; i++)
        if (strcmp (a->u.object.members[i].key, b->u.object.members[i].key) != 0
            || !json_equal (a->u.object.members[i].value, b->u.object.members[i].value))
          return false;
      return true;
    }
  return false;
}

static char *
write_or_null (const json_value *v)
{
  char *out = NULL, *err = NULL;
  size_t len = 0;
  if (json_write (v, &out, &len, &err) < 0)
    {
      diag ("json_write: %s", err);
      free (err);
      return NULL;
    }
  if (strlen (out) != len)
    diag ("json_write: length %zu does not match the text", len);
  return out;
}

/* parse(write(parse(x))) equals parse(x), and write is idempotent.  */
static void
round_trip (const char *buf, size_t len, const char *name)
{
  json_value *a = NULL, *b = NULL, *c = NULL;
  char *err = NULL;
  if (json_parse (buf, len, &a, &err) < 0)
    {
      ok (0, "round trip %s: parses", name);
      diag ("%s", err);
      free (err);
      return;
    }
  char *w1 = write_or_null (a);
  bool reparsed = w1 && json_parse (w1, strlen (w1), &b, &err) == 0;
  ok (reparsed && json_equal (a, b), "round trip %s: parse(write(parse(x))) == parse(x)", name);
  char *w2 = reparsed ? write_or_null (b) : NULL;
  is_str (w2, w1, "round trip %s: write is idempotent", name);
  if (w2 && json_parse (w2, strlen (w2), &c, &err) == 0)
    ok (json_equal (b, c), "round trip %s: third parse equal", name);
  else
    ok (0, "round trip %s: third parse equal", name);
  free (err);
  free (w1);
  free (w2);
  json_free (a);
  json_free (b);
  json_free (c);
}

static void
test_accepted_basics (void)
{
  json_value *v = parse_ok (L ("{\"a\":[1,true,false,null,\"s\",{},[]],\"b\":{\"c\":-2.5e3}}"),
                            "every kind of value");
  if (v)
    {
      ok (v->type == JSON_OBJECT && v->u.object.len == 2, "object with two members");
      json_value *a = json_object_get (v, "a");
      ok (a && a->type == JSON_ARRAY && a->u.array.len == 7, "array of seven");
      ok (a && a->u.array.items[1]->type == JSON_BOOL && a->u.array.items[1]->u.boolean,
          "true is a true boolean");
      ok (a && a->u.array.items[3]->type == JSON_NULL, "null");
      json_value *c = json_object_get (json_object_get (v, "b"), "c");
      is_str (c ? c->u.number.text : NULL, "-2.5e3", "number text kept as written");
      ok (c && !c->u.number.is_int, "-2.5e3 is not an integer");
      json_free (v);
    }
  accepts (L (" \t\r\n{}"), "leading whitespace");
  accepts (L ("{} \n\t\r "), "trailing whitespace alone");
  accepts (L ("\"top\""), "a scalar document");
  accepts (L ("[\"\\t\\n\\\"\\\\\\/\\b\\f\\r\"]"), "escaped control characters");
  accepts (L ("[\"\xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9\"]"), "multi-byte UTF-8");
  accepts (L ("{\"\":1}"), "an empty key");
  accepts (L ("{\"a\":{\"x\":1},\"b\":{\"x\":1}}"), "one key in two objects");
  accepts (L ("[\"\x7f\"]"), "DEL is not a control character for JSON");

  v = parse_ok (L ("[\"\\ud83d\\ude00\"]"), "a surrogate pair");
  if (v)
    {
      json_value *s = v->u.array.items[0];
      ok (s->u.string.len == 4 && memcmp (s->u.string.s, "\xf0\x9f\x98\x80", 4) == 0,
          "surrogate pair decoded to U+1F600");
      json_free (v);
    }
}

static void
test_duplicates_and_folding (void)
{
  refuses (L ("{\"a\":1,\"a\":2}"), "duplicate key \"a\"", "duplicate key");
  refuses (L ("{\"a\":1,\"a\":2}"), "at byte 7", "duplicate key: offset of the second key");
  refuses (L ("{\"root\":{\"readonly\":true,\"readonly\":false}}"), "duplicate key \"readonly\"",
           "nested duplicate (reads true to yajl's tree, false to Go)");
  refuses (L ("{\"ReadOnly\":true,\"readonly\":false}"), "duplicate key \"readonly\"",
           "ReadOnly vs readonly");
  refuses (L ("{\"ReadOnly\":true,\"readonly\":false}"), "\"ReadOnly\"",
           "fold collision names both keys");
  refuses (L ("{\"readonly\":true,\"READONLY\":false}"), "duplicate key \"READONLY\"",
           "readonly vs READONLY");
  refuses (L ("{\"\xc5\xbf"
              "eccomp\":{},\"seccomp\":null}"),
           "duplicate key \"seccomp\"", "U+017F long s vs s (raw UTF-8)");
  refuses (L ("{\"seccomp\":null,\"\\u017Feccomp\":{}}"), "duplicate key",
           "s vs \\u017F long s (escaped)");
  refuses (L ("{\"\\u212Aernel\":1,\"kernel\":2}"), "duplicate key \"kernel\"",
           "\\u212A Kelvin sign vs k");
  refuses (L ("{\"KERNEL\":1,\"\xe2\x84\xaa"
              "ernel\":2}"),
           "duplicate key", "K vs raw Kelvin sign");
  refuses (L ("{\"\\u0072eadonly\":true,\"readonly\":false}"), "duplicate key \"readonly\"",
           "escaped \\u0072eadonly equals readonly");
  refuses (L ("{\"a\":{\"b\":[{\"x\":1,\"X\":2}]}}"), "duplicate key \"X\"",
           "collision deep inside arrays");
  refuses (L ("{\"mis\xc5\xbf\":1,\"MISS\":2}"), "duplicate key", "long s at the end of a key");

  /* Small objects are scanned, larger ones use the table: both must see a
     collision with any earlier key.  */
  static const size_t sizes[] = { 1, 2, 7, 8, 9, 15, 16, 17, 33, 1000 };
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
    for (size_t victim = 0; victim < sizes[k]; victim += sizes[k] / 3 + 1)
      for (int collide = 0; collide < 2; collide++)
        {
          struct strbuf b = { 0 };
          strbuf_add (&b, "{");
          for (size_t i = 0; i < sizes[k]; i++)
            strbuf_addf (&b, "\"field%zu\":%zu,", i, i);
          strbuf_addf (&b, "\"FIELD%zu%s\":0}", victim, collide ? "" : "x");
          char *name
              = xasprintf ("%s key %zu in an object of %zu",
                           collide ? "collision with" : "no collision with", victim, sizes[k] + 1);
          if (collide)
            refuses (b.s, b.len, "duplicate key", name);
          else
            accepts (b.s, b.len, name);
          free (name);
          strbuf_free (&b);
        }

  accepts (L ("{\"\xc3\xa9\":1,\"\xc3\x89\":2}"), "e-acute vs E-acute (no ASCII fold)");
  accepts (L ("{\"ss\":1,\"\xc3\x9f\":2}"), "ss vs sharp s (not a simple fold)");
  accepts (L ("{\"abc\":1,\"abcd\":2,\"ab\":3}"), "prefixes are distinct keys");
  accepts (L ("{\"s\":1,\"\xc5\xbf\xc5\xbf\":2}"), "one s vs two long s");

  ok (json_key_fold_equal ("ReadOnly", "readonly"), "fold: ReadOnly == readonly");
  ok (json_key_fold_equal ("\xc5\xbf"
                           "eccomp",
                           "SECCOMP"),
      "fold: long s == S");
  ok (json_key_fold_equal ("\xe2\x84\xaa", "k"), "fold: Kelvin == k");
  ok (!json_key_fold_equal ("\xe2\x84\xaa", "K\xe2\x84"), "fold: Kelvin != truncated bytes");
  ok (!json_key_fold_equal ("readonly", "readonl"), "fold: lengths differ");
  ok (!json_key_fold_equal ("\xc3\xa9", "\xc3\x89"), "fold: no non-ASCII case folding");
  ok (!json_key_fold_equal ("a_b", "a-b"), "fold: punctuation is exact");
}

static void
test_lexical_rules (void)
{
  refuses (L ("/*c*/{}"), "comment", "a block comment");
  refuses (L ("{}//c"), "after the end of the JSON document at byte 2",
           "a line comment after the document");
  refuses (L ("{\"a\":1 /* x */}"), "comment", "a comment inside an object");
  refuses (L ("{} {}"), "after the end of the JSON document", "a second document");
  refuses (L ("{}\n\n{}"), "at byte 4", "a second document after whitespace: offset");
  refuses (L ("{}x"), "after the end", "trailing garbage");
  refuses (L ("1 2"), "after the end", "two scalars");
  refuses (L ("{},"), "after the end", "a trailing comma after the document");
  refuses (L ("\xef\xbb\xbf{}"), "byte order mark", "a UTF-8 BOM");
  refuses (L (""), "empty", "empty input");
  refuses (L (" \n\t"), "empty", "whitespace only");
  refuses (L ("{\"a\":"), "byte", "an incomplete document");
  refuses (L ("[1,2"), "byte", "an unterminated array");
  refuses (L ("\"abc"), "byte", "an unterminated string");
  refuses (L ("{\"a\":1,}"), "byte", "a trailing comma in an object");
  refuses (L ("[1,]"), "byte", "a trailing comma in an array");
  refuses (L ("{'a':1}"), "byte", "single quotes");
  refuses (L ("{a:1}"), "byte", "an unquoted key");
  refuses (L ("[tru]"), "byte", "a misspelt literal");
  refuses (L ("[True]"), "byte", "a capitalised literal");

  /* UTF-8 */
  refuses (L ("[\"\xff\"]"), "invalid UTF-8 at byte 2", "byte 0xFF");
  refuses (L ("[\"\xc0\xaf\"]"), "invalid UTF-8", "an overlong two-byte form");
  refuses (L ("[\"\xe0\x80\xaf\"]"), "invalid UTF-8", "an overlong three-byte form");
  refuses (L ("[\"\xf0\x80\x80\xaf\"]"), "invalid UTF-8", "an overlong four-byte form");
  refuses (L ("[\"\xed\xa0\x80\"]"), "invalid UTF-8", "an encoded surrogate");
  refuses (L ("[\"\xf4\x90\x80\x80\"]"), "invalid UTF-8", "above U+10FFFF");
  refuses (L ("[\"\xe2\x82\"]"), "invalid UTF-8", "a truncated sequence");
  refuses (L ("[\"\x80\"]"), "invalid UTF-8", "a lone continuation byte");
  refuses (L ("{\"k\xfe\":1}"), "invalid UTF-8", "invalid UTF-8 in a key");
  refuses (L ("[1]\xc3"), "invalid UTF-8", "invalid UTF-8 after the document");

  /* Surrogate escapes: yajl would turn these into '?' or into invalid UTF-8.  */
  refuses (L ("[\"\\ud800\"]"), "unpaired surrogate", "a lone high surrogate");
  refuses (L ("[\"\\udc00\"]"), "unpaired surrogate", "a lone low surrogate");
  refuses (L ("[\"\\udc00\\ud800\"]"), "unpaired surrogate", "a reversed pair");
  refuses (L ("[\"\\ud800\\u0041\"]"), "unpaired surrogate", "a high surrogate then a letter");
  refuses (L ("[\"\\ud800x\"]"), "unpaired surrogate", "a high surrogate then a raw byte");
  refuses (L ("[\"\\uD800\\uD800\"]"), "unpaired surrogate", "two high surrogates");
  refuses (L ("{\"\\uDFFF\":1}"), "unpaired surrogate", "a lone surrogate in a key");
  accepts (L ("[\"\\\\ud800\"]"), "an escaped backslash before 'ud800' is no escape");

  /* NUL and control characters.  */
  refuses (L ("[\"a\\u0000b\"]"), "NUL", "\\u0000 in a string");
  refuses (L ("{\"a\\u0000\":1}"), "NUL", "\\u0000 in a key");
  refuses (L ("[\"a\0b\"]"), "control character", "a raw NUL byte in a string");
  refuses (L ("[1]\0"), "byte", "a raw NUL byte after the document");
  refuses (L ("[\"a\tb\"]"), "control character U+0009", "a raw tab in a string");
  refuses (L ("[\"a\nb\"]"), "control character", "a raw newline in a string");
  refuses (L ("{\"a\x01\":1}"), "control character", "a raw control character in a key");
  refuses (L ("{\f}"), "control character U+000C outside a string", "form feed as whitespace");
  refuses (L ("[1,\v2]"), "control character U+000B outside", "vertical tab as whitespace");
  refuses (L ("\f1"), "control character", "form feed before a scalar");
  accepts (L ("\r\n[\t1 ,\r\n 2\t]\n"), "JSON's four whitespace characters");
}

static void
test_numbers (void)
{
  refuses (L ("01"), "leading zero at byte 0", "01");
  refuses (L ("[-01]"), "leading zero", "-01");
  refuses (L ("{\"a\":00}"), "leading zero", "00");
  refuses (L ("[0123.5]"), "leading zero", "0123.5");
  refuses (L ("[1.]"), "byte", "1.");
  refuses (L ("[.5]"), "byte", ".5");
  refuses (L ("[+1]"), "byte", "+1");
  refuses (L ("[1e]"), "byte", "1e");
  refuses (L ("[-]"), "byte", "a lone minus");
  refuses (L ("[0x10]"), "byte", "hexadecimal");
  refuses (L ("[NaN]"), "byte", "NaN");
  refuses (L ("[Infinity]"), "byte", "Infinity");
  refuses (L ("[-Infinity]"), "byte", "-Infinity");

  json_value *v = parse_ok (L ("[0,-0,0.5,1e05,1E-05,10,42,-9223372036854775808,"
                               "9223372036854775807,9223372036854775808,-9223372036854775809,"
                               "1.0,1e2,100000000000000000000000,1.50,1E+2]"),
                            "valid numbers");
  if (v == NULL)
    return;
  struct
  {
    const char *text;
    bool is_int;
    int64_t i;
  } want[] = {
    { "0", true, 0 },
    { "-0", true, 0 },
    { "0.5", false, 0 },
    { "1e05", false, 0 },
    { "1E-05", false, 0 },
    { "10", true, 10 },
    { "42", true, 42 },
    { "-9223372036854775808", true, INT64_MIN },
    { "9223372036854775807", true, INT64_MAX },
    { "9223372036854775808", false, 0 },
    { "-9223372036854775809", false, 0 },
    { "1.0", false, 0 },
    { "1e2", false, 0 },
    { "100000000000000000000000", false, 0 },
    { "1.50", false, 0 },
    { "1E+2", false, 0 },
  };
  ok (v->u.array.len == sizeof want / sizeof want[0], "all numbers parsed");
  size_t nwant = sizeof want / sizeof want[0];
  for (size_t i = 0; i < nwant; i++)
    {
      const char *text = want[i].text;
      json_value *n = i < v->u.array.len ? v->u.array.items[i] : NULL;
      if (n == NULL)
        break;
      is_str (n->u.number.text, text, "number text kept as written (#%zu)", i);
      ok (n->u.number.is_int == want[i].is_int && (!want[i].is_int || n->u.number.i == want[i].i),
          "%s: is_int %d", text, want[i].is_int);
    }
  char *w = write_or_null (v);
  is_str (w,
          "[0,-0,0.5,1e05,1E-05,10,42,-9223372036854775808,9223372036854775807,"
          "9223372036854775808,-9223372036854775809,1.0,1e2,100000000000000000000000,1.50,1E+2]",
          "numbers re-emitted verbatim");
  free (w);
  json_free (v);
}

static char *
nested (size_t depth, char open, char close)
{
  char *s = xmalloc (2 * depth + 1);
  memset (s, open, depth);
  memset (s + depth, close, depth);
  s[2 * depth] = '\0';
  return s;
}

static void
test_limits (void)
{
  char *s = nested (JSON_MAX_DEPTH, '[', ']');
  accepts (s, strlen (s), "nesting of exactly JSON_MAX_DEPTH arrays");
  free (s);
  s = nested (JSON_MAX_DEPTH + 1, '[', ']');
  refuses (s, strlen (s), "nesting deeper than 64", "nesting of JSON_MAX_DEPTH + 1 arrays");
  free (s);
  s = nested (200000, '[', ']');
  refuses (s, strlen (s), "nesting", "200000 nested arrays");
  free (s);

  struct strbuf b = { 0 };
  for (int i = 0; i < JSON_MAX_DEPTH; i++)
    strbuf_add (&b, "{\"a\":");
  strbuf_add (&b, "1");
  for (int i = 0; i < JSON_MAX_DEPTH; i++)
    strbuf_add (&b, "}");
  accepts (b.s, b.len, "nesting of exactly JSON_MAX_DEPTH objects");
  strbuf_free (&b);
  for (int i = 0; i < JSON_MAX_DEPTH + 1; i++)
    strbuf_add (&b, "{\"a\":");
  strbuf_add (&b, "1");
  for (int i = 0; i < JSON_MAX_DEPTH + 1; i++)
    strbuf_add (&b, "}");
  refuses (b.s, b.len, "nesting", "nesting of JSON_MAX_DEPTH + 1 objects");
  strbuf_free (&b);

  /* A string that makes the document exactly the limit, then one byte more.  */
  size_t n = JSON_MAX_BYTES;
  char *big = xmalloc (n + 2);
  big[0] = '"';
  memset (big + 1, 'x', n - 2);
  big[n - 1] = '"';
  big[n] = ' ';
  big[n + 1] = '\0';
  accepts (big, n, "a document of exactly JSON_MAX_BYTES");
  refuses (big, n + 1, "larger than the limit", "a document of JSON_MAX_BYTES + 1");

  /* json_load_fd reads at most JSON_MAX_BYTES + 1 bytes.  */
  char tmpl[] = "/tmp/test-json-XXXXXX";
  int fd = mkostemp (tmpl, O_CLOEXEC);
  ok (fd >= 0, "temporary file");
  if (fd >= 0)
    {
      unlink (tmpl);
      size_t total = 0;
      for (int i = 0; i < 3; i++)
        total += (size_t)write (fd, big, n);
      ok (total == 3 * n, "wrote three times the limit");
      lseek (fd, 0, SEEK_SET);
      json_value *v = NULL;
      char *err = NULL;
      ok (json_load_fd (fd, &v, &err) < 0 && v == NULL, "json_load_fd refuses an oversized file");
      has_str (err, "larger than the limit", "  and says why");
      off_t pos = lseek (fd, 0, SEEK_CUR);
      ok (pos >= 0 && (size_t)pos <= (size_t)JSON_MAX_BYTES + 1,
          "json_load_fd read at most JSON_MAX_BYTES + 1 bytes (read %lld)", (long long)pos);
      free (err);
      close (fd);
    }
  free (big);
}

static void
test_load (void)
{
  int p[2];
  ok (pipe2 (p, O_CLOEXEC) == 0, "pipe");
  const char doc[] = "{\"a\":[1,2,3]}\n";
  ok (write (p[1], doc, sizeof doc - 1) == (ssize_t)(sizeof doc - 1), "wrote a document");
  close (p[1]);
  json_value *v = NULL;
  char *err = NULL;
  ok (json_load_fd (p[0], &v, &err) == 0 && v && v->type == JSON_OBJECT,
      "json_load_fd reads a pipe");
  close (p[0]);
  json_free (v);
  v = NULL;

  ok (json_load_file ("/nonexistent/policyrun-test.json", &v, &err) < 0 && v == NULL,
      "json_load_file: a missing file is an error");
  has_str (err, "/nonexistent/policyrun-test.json", "  naming the file");
  free (err);
  err = NULL;

  char tmpl[] = "/tmp/test-json-XXXXXX";
  int fd = mkostemp (tmpl, O_CLOEXEC);
  const char dup[] = "{\"x\":1,\"X\":2}";
  ok (fd >= 0 && write (fd, dup, sizeof dup - 1) == (ssize_t)(sizeof dup - 1), "temp file");
  close (fd);
  ok (json_load_file (tmpl, &v, &err) < 0, "json_load_file applies the strict rules");
  has_str (err, "duplicate key \"X\"", "  with the parser's message");
  free (err);
  unlink (tmpl);

  const char *dir = getenv ("FIXTURES");
  char *path = xasprintf ("%s/floor-ok.json", dir ? dir : "tests/fixtures");
  err = NULL;
  v = NULL;
  ok (json_load_file (path, &v, &err) == 0 && v != NULL, "loads floor-ok.json");
  if (err)
    diag ("%s", err);
  free (err);
  free (path);
  json_free (v);
}

static void
test_tree_edits (void)
{
  json_value *v = parse_ok (L ("{\"READONLY\":true,\"path\":\"/x\",\"\xc5\xbf"
                               "eccomp\":1}"),
                            "object for edits");
  if (v == NULL)
    return;
  json_value *r = json_object_get (v, "readonly");
  ok (r && r->type == JSON_BOOL && r->u.boolean, "json_object_get(readonly) finds READONLY");
  ok (json_object_get (v, "ReadOnly") == r, "json_object_get(ReadOnly) finds READONLY too");
  ok (json_object_get_exact (v, "readonly") == NULL, "json_object_get_exact is exact");
  ok (json_object_get_exact (v, "READONLY") == r, "json_object_get_exact finds the spelling");
  ok (json_object_get (v, "seccomp") != NULL, "json_object_get(seccomp) finds the long-s key");
  ok (json_object_get (v, "missing") == NULL, "missing field");
  ok (json_object_get (r, "x") == NULL, "json_object_get on a non-object");
  ok (json_object_get (NULL, "x") == NULL, "json_object_get on NULL");

  json_value *nv = json_new_bool (false);
  ok (json_object_set (v, "readonly", nv) == nv, "json_object_set returns the value");
  ok (v->u.object.len == 3, "json_object_set on READONLY replaced in place");
  is_str (v->u.object.members[0].key, "READONLY", "  keeping the key's spelling and position");
  ok (v->u.object.members[0].value == nv && !nv->u.boolean, "  with the new value");

  json_object_set (v, "hostname", json_new_string ("h"));
  ok (v->u.object.len == 4, "json_object_set appends a new field");
  is_str (v->u.object.members[3].key, "hostname", "  under the given key");

  ok (json_object_remove (v, "PATH"), "json_object_remove matches folded");
  ok (!json_object_remove (v, "path"), "  and only once");
  ok (v->u.object.len == 3, "  one member fewer");
  is_str (v->u.object.members[1].key,
          "\xc5\xbf"
          "eccomp",
          "  the rest keeps its order");
  is_str (v->u.object.members[2].key, "hostname", "  to the end");
  ok (json_object_set (r = json_new_array (), "x", json_new_null ()) == NULL,
      "json_object_set on a non-object refuses (and frees the value)");
  json_free (r);

  json_value *a = json_new_array ();
  for (int i = 0; i < 5; i++)
    json_array_append (a, json_new_int (i));
  json_array_remove (a, 1);
  json_array_remove (a, 99);
  ok (a->u.array.len == 4 && a->u.array.items[0]->u.number.i == 0
          && a->u.array.items[1]->u.number.i == 2 && a->u.array.items[3]->u.number.i == 4,
      "json_array_remove keeps the order of the rest; out of range is a no-op");
  json_object_set (v, "list", a);

  json_value *n = json_new_int (INT64_MIN);
  ok (n->u.number.is_int && n->u.number.i == INT64_MIN, "json_new_int(INT64_MIN)");
  is_str (n->u.number.text, "-9223372036854775808", "  with its text");
  json_object_set (v, "min", n);

  json_value *c = json_clone (v);
  ok (json_equal (c, v) && c != v, "json_clone is deep and equal");
  json_object_set (c, "hostname", json_new_string ("other"));
  ok (!json_equal (c, v), "  and independent");
  json_free (c);

  char *w = write_or_null (v);
  is_str (w,
          "{\"READONLY\":false,\"\xc5\xbf"
          "eccomp\":1,\"hostname\":\"h\",\"list\":[0,2,3,4],"
          "\"min\":-9223372036854775808}",
          "json_write of the edited tree");
  free (w);
  json_free (v);

  ok (strcmp (json_type_name (JSON_OBJECT), "object") == 0
          && strcmp (json_type_name (JSON_BOOL), "boolean") == 0,
      "json_type_name");
}

static void
test_writer (void)
{
  json_value *v = json_new_object ();
  json_object_set (v, "s", json_new_string ("q\"b\\s/\n\t\x01 \xe2\x82\xac"));
  json_object_set (v, "e", json_new_array ());
  json_object_set (v, "o", json_new_object ());
  char *w = write_or_null (v);
  is_str (w, "{\"s\":\"q\\\"b\\\\s/\\n\\t\\u0001 \xe2\x82\xac\",\"e\":[],\"o\":{}}",
          "json_write escapes what JSON requires, compactly");
  free (w);

  char *out = NULL, *err = NULL;
  size_t len;
  json_object_set (v, "bad", json_new_string ("\xc0\xaf"));
  ok (json_write (v, &out, &len, &err) < 0 && out == NULL, "json_write refuses invalid UTF-8");
  has_str (err, "UTF-8", "  and says so");
  free (err);
  err = NULL;
  json_object_remove (v, "bad");

  json_value *s = json_new_string ("ab");
  s->u.string.s[1] = '\0'; /* a NUL inside the string's length */
  json_object_set (v, "nul", s);
  ok (json_write (v, &out, &len, &err) < 0, "json_write refuses a NUL inside a string");
  free (err);
  err = NULL;
  json_object_remove (v, "nul");

  json_value *n = json_new_int (1);
  free (n->u.number.text);
  n->u.number.text = xstrdup ("1; rm");
  json_object_set (v, "n", n);
  ok (json_write (v, &out, &len, &err) < 0, "json_write refuses a malformed number text");
  free (err);
  json_free (v);

  static const char *docs[] = {
    "{}",
    "[]",
    "null",
    "\"\"",
    "{\"a\":[1,2.50,-0,1E+2,{\"b\":null}],\"c\":\"\\u00e9\\ud83d\\ude00\\/\"}",
    "[\"\\u0001\\u001f\\u007f\\u2028\"]",
    "{\"k\\u212a\":true,\"s\\u017f\":false}",
    "  [ 1 , 2 ]  ",
  };
  for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
    round_trip (docs[i], strlen (docs[i]), docs[i]);

  const char *dir = getenv ("FIXTURES");
  char *path = xasprintf ("%s/floor-ok.json", dir ? dir : "tests/fixtures");
  FILE *f = fopen (path, "re");
  char *buf = xmalloc (JSON_MAX_BYTES + 1);
  size_t blen = f ? fread (buf, 1, JSON_MAX_BYTES + 1, f) : 0;
  if (f != NULL && ferror (f) == 0 && blen > 0 && blen <= JSON_MAX_BYTES)
    round_trip (buf, blen, "floor-ok.json");
  else
    ok (0, "read floor-ok.json");
  if (f != NULL)
    fclose (f);
  free (buf);
  free (path);
}

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
many_keys (size_t n, size_t *len)
{
  struct strbuf b = { 0 };
  strbuf_add (&b, "{");
  for (size_t i = 0; i < n; i++)
    strbuf_addf (&b, "%s\"Key%zu\":%zu", i ? "," : "", i, i);
  strbuf_add (&b, "}");
  *len = b.len;
  return b.s;
}

static double
best_parse_time (const char *buf, size_t len)
{
  double best = 1e9;
  for (int i = 0; i < 3; i++)
    {
      json_value *v = NULL;
      char *err = NULL;
      double t0 = now ();
      int r = json_parse (buf, len, &v, &err);
      double t = now () - t0;
      if (r < 0)
        diag ("%s", err);
      free (err);
      json_free (v);
      if (t < best)
        best = t;
    }
  return best;
}

/* Duplicate detection uses a hash of folded keys: ten times the keys must
   cost about ten times as much, never a hundred.  */
static void
test_scaling (void)
{
  size_t l1, l2;
  char *small = many_keys (10000, &l1);
  char *large = many_keys (100000, &l2);
  ok (l2 < JSON_MAX_BYTES, "100k keys fit in the size limit (%zu bytes)", l2);
  accepts (large, l2, "an object with 100k distinct keys");
  double t1 = best_parse_time (small, l1);
  double t2 = best_parse_time (large, l2);
  diag ("10k keys: %.2f ms, 100k keys: %.2f ms", t1 * 1e3, t2 * 1e3);
  /* Linear costs about 10x (more with cache misses on a busy machine);
     quadratic would be 100x and seconds.  */
  ok (t2 < 60 * t1 || t2 < 0.3, "100k keys cost about ten times 10k keys (ratio %.1f)", t2 / t1);

  /* The same keys folded: the last one collides with the first.  */
  struct strbuf b = { .s = large, .len = l2, .cap = l2 + 1 };
  b.s[--b.len] = '\0';
  strbuf_add (&b, ",\"KEY0\":1}");
  refuses (b.s, b.len, "duplicate key \"KEY0\"", "a collision after 100k keys");
  free (small);
  free (b.s);
}

static void
test_scan_top_ints (void)
{
  static const char *const keys[] = { "init_process_pid", "init_process_start" };
  static const struct
  {
    const char *doc;
    int ok;
    int64_t pid, start;
  } cases[] = {
    { "{\"id\":\"x\",\"init_process_pid\":42,\"init_process_start\":7,\"config\":{}}", 0, 42, 7 },
    /* Found before the rest is read: the garbage after them is never seen.  */
    { "{\"init_process_pid\":1,\"init_process_start\":2, !!!", 0, 1, 2 },
    /* Nested keys of the same name do not count.  */
    { "{\"c\":{\"init_process_pid\":9},\"init_process_pid\":3,\"init_process_start\":4}", 0, 3, 4 },
    /* The first occurrence counts.  */
    { "{\"init_process_pid\":5,\"init_process_pid\":6,\"init_process_start\":8}", 0, 5, 8 },
    { "{\"init_process_pid\":\"5\",\"init_process_start\":8}", -1, 0, 0 },
    { "{\"init_process_pid\":1.5,\"init_process_start\":8}", -1, 0, 0 },
    { "{\"init_process_pid\":5}", -1, 0, 0 },
    { "[1,2]", -1, 0, 0 },
    { "{\"init_process_pid\":5,", -1, 0, 0 },
    { "", -1, 0, 0 },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      int64_t v[2] = { 0, 0 };
      int r = json_scan_top_ints (cases[i].doc, strlen (cases[i].doc), keys, 2, v);
      ok (r == cases[i].ok && (r < 0 || (v[0] == cases[i].pid && v[1] == cases[i].start)),
          "scan of a trusted record: %s -> %d (%" PRId64 ", %" PRId64 ")", cases[i].doc, r, v[0],
          v[1]);
    }
}

int
main (void)
{
  test_accepted_basics ();
  test_duplicates_and_folding ();
  test_lexical_rules ();
  test_numbers ();
  test_limits ();
  test_load ();
  test_tree_edits ();
  test_writer ();
  test_scaling ();
  test_scan_top_ints ();
  return done_testing ();
}
