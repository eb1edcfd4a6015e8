/* Unit tests for src/gosyntax.c: values read as Go reads them.  Each table
   row is one input and what Go's function makes of it (the value, or a
   refusal); rows marked "stricter" are accepted by Go and refused on
   purpose, as gosyntax.h says.  */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include "gosyntax.h"
#include "tap.h"

#define REFUSED false
#define READ true

/* s with control characters escaped, for a test's name (one line).  */
static const char *
shown (const char *s)
{
  static char buf[4][128];
  static int next;
  char *out = buf[next++ % 4];
  size_t n = 0;
  for (; *s != '\0' && n + 5 < sizeof buf[0]; s++)
    if ((unsigned char)*s < 0x20)
      n += (size_t)snprintf (out + n, 5, "\\x%02x", (unsigned char)*s);
    else
      out[n++] = *s;
  out[n] = '\0';
  return out;
}

static void
test_parse_bool (void)
{
  static const struct
  {
    const char *in;
    bool ok, value;
  } cases[] = {
    { "1", READ, true },         { "t", READ, true },         { "T", READ, true },
    { "TRUE", READ, true },      { "true", READ, true },      { "True", READ, true },
    { "0", READ, false },        { "f", READ, false },        { "F", READ, false },
    { "FALSE", READ, false },    { "false", READ, false },    { "False", READ, false },
    { "", REFUSED, false },      { "yes", REFUSED, false },   { "tRUE", REFUSED, false },
    { " true", REFUSED, false }, { "true ", REFUSED, false }, { "2", REFUSED, false },
    { "on", REFUSED, false },    { "00", REFUSED, false },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      bool b = !cases[i].value;
      int r = go_parse_bool (cases[i].in, &b);
      if (cases[i].ok)
        ok (r == 0 && b == cases[i].value, "ParseBool(\"%s\") is %s", cases[i].in,
            cases[i].value ? "true" : "false");
      else
        ok (r < 0, "ParseBool(\"%s\") is refused", cases[i].in);
    }
  bool b = false;
  ok (go_parse_bool (NULL, &b) < 0, "ParseBool(NULL) is refused");
}

/* strconv.Atoi, ParseInt(s, 10, 64) and ParseUint(s, 10, 64) side by side:
   the same input, three readings.  */
static void
test_integers (void)
{
  static const struct
  {
    const char *in;
    bool atoi_ok;
    int64_t atoi;
    bool uint_ok;
    uint64_t uint;
    bool plain; /* go_plain_decimal_int64 */
  } cases[] = {
    { "0", READ, 0, READ, 0, true },
    { "5", READ, 5, READ, 5, true },
    { "42", READ, 42, READ, 42, true },
    { "+5", READ, 5, REFUSED, 0, true },
    { "-5", READ, -5, REFUSED, 0, true },
    { "-0", READ, 0, REFUSED, 0, true },
    { "+0", READ, 0, REFUSED, 0, true },
    /* Base 10: a leading zero is decimal (Go's base-0 IntFlag would read
       octal 8, so a plain decimal refuses it: stricter).  */
    { "010", READ, 10, READ, 10, false },
    { "-010", READ, -10, REFUSED, 0, false },
    { "00", READ, 0, READ, 0, false },
    /* Base prefixes and underscores are base 0 only.  */
    { "0x10", REFUSED, 0, REFUSED, 0, false },
    { "0X10", REFUSED, 0, REFUSED, 0, false },
    { "0o7", REFUSED, 0, REFUSED, 0, false },
    { "0b1", REFUSED, 0, REFUSED, 0, false },
    { "1_000", REFUSED, 0, REFUSED, 0, false },
    /* No space anywhere, no empty string, no lone sign, no double sign.  */
    { "", REFUSED, 0, REFUSED, 0, false },
    { " 5", REFUSED, 0, REFUSED, 0, false },
    { "5 ", REFUSED, 0, REFUSED, 0, false },
    { "\t5", REFUSED, 0, REFUSED, 0, false },
    { "\r5", REFUSED, 0, REFUSED, 0, false },
    { "5\n", REFUSED, 0, REFUSED, 0, false },
    { "+", REFUSED, 0, REFUSED, 0, false },
    { "-", REFUSED, 0, REFUSED, 0, false },
    { "+-5", REFUSED, 0, REFUSED, 0, false },
    { "--5", REFUSED, 0, REFUSED, 0, false },
    { "1.5", REFUSED, 0, REFUSED, 0, false },
    { "1e3", REFUSED, 0, REFUSED, 0, false },
    { "5k", REFUSED, 0, REFUSED, 0, false },
    { "\xd9\xa3", REFUSED, 0, REFUSED, 0, false }, /* ARABIC-INDIC DIGIT THREE */
    /* The edges of int64 and uint64.  */
    { "9223372036854775807", READ, INT64_MAX, READ, 9223372036854775807ULL, true },
    { "-9223372036854775808", READ, INT64_MIN, REFUSED, 0, true },
    { "9223372036854775808", REFUSED, 0, READ, 9223372036854775808ULL, false },
    { "-9223372036854775809", REFUSED, 0, REFUSED, 0, false },
    { "18446744073709551615", REFUSED, 0, READ, UINT64_MAX, false },
    { "18446744073709551616", REFUSED, 0, REFUSED, 0, false },
    { "99999999999999999999999", REFUSED, 0, REFUSED, 0, false },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      const char *in = shown (cases[i].in);
      int64_t a = 7;
      int r = go_atoi (cases[i].in, &a);
      if (cases[i].atoi_ok)
        ok (r == 0 && a == cases[i].atoi, "Atoi(\"%s\") is %" PRId64 " (got %" PRId64 ")", in,
            cases[i].atoi, a);
      else
        ok (r < 0 && a == 7, "Atoi(\"%s\") is refused, the output untouched", in);
      uint64_t u = 7;
      r = go_parse_uint (cases[i].in, &u);
      if (cases[i].uint_ok)
        ok (r == 0 && u == cases[i].uint, "ParseUint(\"%s\") is %" PRIu64, in, cases[i].uint);
      else
        ok (r < 0 && u == 7, "ParseUint(\"%s\") is refused, the output untouched", in);
      ok (go_plain_decimal_int64 (cases[i].in) == cases[i].plain,
          "\"%s\" is %sa plain decimal int64", in, cases[i].plain ? "" : "not ");
    }
  int64_t a = 0;
  uint64_t u = 0;
  ok (go_atoi (NULL, &a) < 0 && go_parse_uint (NULL, &u) < 0, "NULL is no number");
}

#define KIB 1024LL
#define MIB (1024LL * KIB)
#define GIB (1024LL * MIB)
#define TIB (1024LL * GIB)
#define PIB (1024LL * TIB)

/* docker/go-units RAMInBytes as runc 1.1 (v0.4) and 1.2+ (v0.5) read it.  */
static void
test_ram_in_bytes (void)
{
  static const struct
  {
    const char *in;
    bool ok;
    int64_t value;
  } cases[] = {
    { "-1", READ, -1 }, /* runc's own case: unlimited */
    { "0", READ, 0 },
    { "1", READ, 1 },
    { "010", READ, 10 },
    { "1b", READ, 1 },
    { "1B", READ, 1 },
    { "1k", READ, KIB },
    { "1K", READ, KIB },
    { "1kb", READ, KIB },
    { "1KiB", READ, KIB },
    { "1kIb", READ, KIB },
    { "64m", READ, 64 * MIB },
    { "64M", READ, 64 * MIB },
    { "64MiB", READ, 64 * MIB },
    { "1g", READ, GIB },
    { "1 GiB", READ, GIB },
    { "1 g", READ, GIB },
    { "1 ", READ, 1 },
    { "1 b", READ, 1 },
    { "2t", READ, 2 * TIB },
    { "3p", READ, 3 * PIB },
    { "1.5g", READ, GIB + GIB / 2 },
    { "0.5k", READ, 512 },
    { "1.0001", READ, 1 }, /* int64(float64) truncates */
    { "1.9", READ, 1 },
    /* Refused by both go-units versions.  */
    { "", REFUSED, 0 },
    { " 1g", REFUSED, 0 },
    { "1  g", REFUSED, 0 },
    { "1g ", REFUSED, 0 },
    { "-2", REFUSED, 0 },
    { "-1g", REFUSED, 0 },
    { "g", REFUSED, 0 },
    { "1x", REFUSED, 0 },
    { "0x10", REFUSED, 0 },
    { "1_000", REFUSED, 0 },
    { "1.2.3", REFUSED, 0 },
    { "1.2.3g", REFUSED, 0 },
    { "1gb2", REFUSED, 0 },
    { "1gg", REFUSED, 0 },
    { "1bb", REFUSED, 0 },
    { "1gib ", REFUSED, 0 },
    { "1e", REFUSED, 0 },
    /* Stricter: only one version accepts these.  */
    { "1.g", REFUSED, 0 }, /* v0.5 reads 1. */
    { ".5g", REFUSED, 0 }, /* v0.5 reads .5 */
    { "1.", REFUSED, 0 },  /* v0.5 reads 1. */
    { "5i", REFUSED, 0 },  /* v0.4's pattern takes "i" without a prefix */
    { "1ib", REFUSED, 0 }, /* the same */
    { "+1", REFUSED, 0 },  /* v0.5's ParseFloat takes the sign */
    { "1e3", REFUSED, 0 }, /* v0.5's ParseFloat reads an exponent */
    { "9e18", REFUSED, 0 },
    /* Too large to convert the way Go does on every platform.  */
    { "9223372036854775807", REFUSED, 0 },
    { "8192p", REFUSED, 0 },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      int64_t v = 7;
      int r = go_ram_in_bytes (cases[i].in, &v);
      if (cases[i].ok)
        ok (r == 0 && v == cases[i].value, "RAMInBytes(\"%s\") is %lld (got %lld)", cases[i].in,
            (long long)cases[i].value, (long long)v);
      else
        ok (r < 0 && v == 7, "RAMInBytes(\"%s\") is refused", cases[i].in);
    }
  int64_t v = 0;
  ok (go_ram_in_bytes ("8000000000000000000", &v) == 0 && v == 8000000000000000000LL,
      "RAMInBytes reads a size near the top of int64");
  ok (go_ram_in_bytes (NULL, &v) < 0, "RAMInBytes(NULL) is refused");
}

/* time.ParseDuration's syntax.  */
static void
test_duration (void)
{
  static const struct
  {
    const char *in;
    bool ok;
  } cases[] = {
    { "0", READ },
    { "-0", READ },
    { "+0", READ },
    { "5s", READ },
    { "1m30s", READ },
    { "1h2m3s4ms5us6ns", READ },
    { "1.5h", READ },
    { ".5s", READ },
    { "5.s", READ },
    { "-5s", READ },
    { "+5s", READ },
    { "1\xc2\xb5s", READ }, /* U+00B5 MICRO SIGN */
    { "1\xce\xbcs", READ }, /* U+03BC GREEK SMALL LETTER MU */
    { "2562047h", READ },
    { "9223372036854775807ns", READ },
    { "-9223372036854775808ns", READ },
    { "", REFUSED },
    { "5", REFUSED },
    { "s", REFUSED },
    { ".s", REFUSED },
    { "5 s", REFUSED },
    { " 5s", REFUSED },
    { "5s ", REFUSED },
    { "5d", REFUSED },
    { "5S", REFUSED },
    { "1_000s", REFUSED },
    { "0x10s", REFUSED },
    { "--5s", REFUSED },
    { "2562048h", REFUSED },
    { "9223372036854775808ns", REFUSED },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    ok (go_duration_valid (cases[i].in) == cases[i].ok, "ParseDuration(\"%s\") is %s", cases[i].in,
        cases[i].ok ? "read" : "refused");
  ok (!go_duration_valid (NULL), "ParseDuration(NULL) is refused");
}

int
main (void)
{
  test_parse_bool ();
  test_integers ();
  test_ram_in_bytes ();
  test_duration ();
  return done_testing ();
}
