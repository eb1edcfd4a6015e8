/* policyrun: Go-semantics parsing (see gosyntax.h).  Each function names
   the Go function whose reading it reproduces; the cases are in
   tests/unit/test-gosyntax.c.  */
#include "config.h"
#include "gosyntax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static char
ascii_lower (char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int
go_parse_bool (const char *s, bool *out)
{
  static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
  static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };
  if (s == NULL)
    return -1;
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
    if (strcmp (s, yes[i]) == 0)
      {
        *out = true;
        return 0;
      }
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
    if (strcmp (s, no[i]) == 0)
      {
        *out = false;
        return 0;
      }
  return -1;
}

/* Decimal digits up to the end of s, at most limit: strconv's base-10 digit
   loop (no "_": Go allows it only with base 0).  */
static int
decimal_digits (const char *p, uint64_t limit, uint64_t *out)
{
  if (!is_digit (*p))
    return -1;
  uint64_t v = 0;
  for (; *p != '\0'; p++)
    {
      if (!is_digit (*p))
        return -1;
      unsigned d = (unsigned)(*p - '0');
      if (v > (limit - d) / 10)
        return -1;
      v = v * 10 + d;
    }
  *out = v;
  return 0;
}

int
go_parse_uint (const char *s, uint64_t *out)
{
  if (s == NULL)
    return -1;
  return decimal_digits (s, UINT64_MAX, out);
}

int
go_atoi (const char *s, int64_t *out)
{
  if (s == NULL)
    return -1;
  const char *p = s;
  bool neg = false;
  if (*p == '+' || *p == '-')
    neg = *p++ == '-';
  uint64_t v = 0;
  if (decimal_digits (p, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &v) < 0)
    return -1;
  /* -(INT64_MAX + 1) without overflowing int64 on the way.  */
  *out = neg ? (v == 0 ? 0 : -(int64_t)(v - 1) - 1) : (int64_t)v;
  return 0;
}

/* Go's IntFlag parses with base 0 ("0x10", "0o7", "010" (octal 8), "1_000"
   are all numbers) and Int64SliceFlag with base 10 ("010" is ten), while
   whoever reads the value after us (strtoll, base 10) would take "0x10" as
   0.  Only the forms on which all of them agree pass: go_atoi's, without a
   leading zero.  */
bool
go_plain_decimal_int64 (const char *s)
{
  int64_t v = 0;
  if (go_atoi (s, &v) < 0)
    return false;
  const char *p = s + (*s == '+' || *s == '-');
  return !(*p == '0' && p[1] != '\0');
}

/* docker/go-units reads the number with strconv.ParseFloat after matching
   it: v0.4 (runc 1.1) with the pattern ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$,
   v0.5 (runc 1.2 and later) by hand.  What both accept: digits with at most
   one fraction ("1.2.3" matches v0.4's pattern and then fails ParseFloat),
   a unit "i" only after a prefix (v0.4 would take "5i", v0.5 refuses it).  */
int
go_ram_in_bytes (const char *s, int64_t *out)
{
  if (s == NULL)
    return -1;
  if (strcmp (s, "-1") == 0)
    {
      *out = -1;
      return 0;
    }
  const char *p = s;
  if (!is_digit (*p))
    return -1;
  while (is_digit (*p))
    p++;
  if (*p == '.' && is_digit (p[1]))
    for (p++; is_digit (*p); p++)
      ;
  size_t numlen = (size_t)(p - s);
  if (*p == ' ')
    p++;
  static const char prefixes[] = "kmgtp";
  double mult = 1;
  const char *unit = *p != '\0' ? strchr (prefixes, ascii_lower (*p)) : NULL;
  if (unit != NULL)
    {
      for (const char *u = prefixes; u <= unit; u++)
        mult *= 1024.0;
      p++;
      if (ascii_lower (*p) == 'i')
        p++;
    }
  if (ascii_lower (*p) == 'b')
    p++;
  if (*p != '\0')
    return -1;
  /* The syntax above leaves strtod nothing to read past the number; check
     it all the same.  */
  char *end = NULL;
  double v = strtod (s, &end) * mult;
  if (end != s + numlen)
    return -1;
  /* Go's int64(float64) is undefined past 2^63: refuse well before.  */
  if (!isfinite (v) || v >= 9.2e18)
    return -1;
  *out = (int64_t)v;
  return 0;
}

bool
go_duration_valid (const char *s)
{
  static const struct
  {
    const char *name;
    uint64_t ns;
  } units[] = {
    { "ns", 1ULL },           { "us", 1000ULL },         { "\xc2\xb5s", 1000ULL },
    { "\xce\xbcs", 1000ULL }, { "ms", 1000000ULL },      { "s", 1000000000ULL },
    { "m", 60000000000ULL },  { "h", 3600000000000ULL },
  };
  const uint64_t top = 1ULL << 63;
  if (s == NULL)
    return false;
  const char *p = s;
  bool neg = false;
  if (*p == '-' || *p == '+')
    neg = *p++ == '-';
  if (strcmp (p, "0") == 0)
    return true;
  if (*p == '\0')
    return false;
  uint64_t total = 0;
  while (*p != '\0')
    {
      if (!(*p == '.' || is_digit (*p)))
        return false;
      uint64_t v = 0;
      bool pre = false;
      for (; is_digit (*p); p++)
        {
          if (v > top / 10)
            return false;
          v = v * 10 + (uint64_t)(*p - '0');
          if (v > top)
            return false;
          pre = true;
        }
      uint64_t f = 0;
      double scale = 1;
      bool post = false, overflow = false;
      if (*p == '.')
        for (p++; is_digit (*p); p++)
          {
            post = true;
            if (overflow)
              continue;
            if (f > (top - 1) / 10)
              {
                overflow = true;
                continue;
              }
            uint64_t y = f * 10 + (uint64_t)(*p - '0');
            if (y > top)
              {
                overflow = true;
                continue;
              }
            f = y;
            scale *= 10;
          }
      if (!pre && !post)
        return false;
      size_t ulen = 0;
      while (p[ulen] != '\0' && p[ulen] != '.' && !is_digit (p[ulen]))
        ulen++;
      if (ulen == 0)
        return false;
      uint64_t unit = 0;
      for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen (units[i].name) == ulen && memcmp (units[i].name, p, ulen) == 0)
          unit = units[i].ns;
      if (unit == 0)
        return false;
      p += ulen;
      if (v > top / unit)
        return false;
      v *= unit;
      if (f > 0)
        {
          v += (uint64_t)((double)f * ((double)unit / scale));
          if (v > top)
            return false;
        }
      total += v;
      if (total > top)
        return false;
    }
  return neg || total <= top - 1;
}
