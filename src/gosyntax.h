/* policyrun: values read the way runc (Go) reads them, in one place.  A
   value that policyrun and runc could read differently must be refused, not
   guessed: each parser accepts exactly what its Go counterpart accepts, or
   less (and says so).  Each returns 0 and the value, or -1.  */
#ifndef POLICYRUN_GOSYNTAX_H
#define POLICYRUN_GOSYNTAX_H

#include <stdbool.h>
#include <stdint.h>

/* strconv.ParseBool: 1 t T TRUE true True, 0 f F FALSE false False.  */
int go_parse_bool (const char *s, bool *out);

/* strconv.Atoi (ParseInt base 10, 64 bits): an optional sign and decimal
   digits, nothing else (no spaces, no "0x", no "_").  */
int go_atoi (const char *s, int64_t *out);

/* strconv.ParseUint base 10, 64 bits: decimal digits only (no sign).  */
int go_parse_uint (const char *s, uint64_t *out);

/* A decimal int64 that every reader agrees on (Go's base-0 IntFlag,
   base-10 Int64SliceFlag, and C's strtoll): an optional sign, then "0" or
   digits without a leading zero.  Stricter than any of them on purpose.  */
bool go_plain_decimal_int64 (const char *s);

/* docker/go-units RAMInBytes as runc uses it for update's sizes: a decimal
   number with at most one fraction, an optional space, an optional
   k/m/g/t/p (binary multiples) and "i", an optional "b", case-insensitive;
   "-1" is unlimited (runc's own case).  What go-units v0.4 (runc 1.1) and
   v0.5 (runc 1.2+) both accept; sizes from 9.2e18 up are refused.  */
int go_ram_in_bytes (const char *s, int64_t *out);

/* time.ParseDuration's syntax: [-+]?([0-9]*(\.[0-9]*)?unit)+ or "0", units
   ns, us, µs (U+00B5), μs (U+03BC), ms, s, m, h, at most 1<<63-1 ns.  */
bool go_duration_valid (const char *s);

#endif
