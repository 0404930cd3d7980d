/* ferry-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-types"

#include "config.h"

#include <math.h>

#include <glib-object.h>
#include <glib/gi18n-lib.h>

#include "ferry-types.h"

const char *
ferry_enum_to_nick (GType enum_type,
                    int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return v != NULL ? v->value_nick : NULL;
}

gboolean
ferry_enum_from_nick (GType       enum_type,
                      const char *nick,
                      int        *value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  GEnumValue *v = nick ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (v == NULL)
    return FALSE;
  if (value != NULL)
    *value = v->value;
  return TRUE;
}

/**
 * ferry_format_bytes:
 *
 * A size for people to read, in PostgreSQL's units (1 kB = 1024 bytes):
 * "512 B", "7.4 MB", "12 GB". Not exact: configuration files use
 * ferry_format_size(), which is.
 */
char *
ferry_format_bytes (guint64 bytes)
{
  static const char * const units[] = { "B", "kB", "MB", "GB", "TB", "PB" };
  double value = (double)bytes;
  guint unit = 0;

  while (value >= 1024.0 && unit + 1 < G_N_ELEMENTS (units))
    {
      value /= 1024.0;
      unit++;
    }

  if (unit == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " B", bytes);
  if (value < 10.0)
    return g_strdup_printf ("%.1f %s", value, units[unit]);
  return g_strdup_printf ("%.0f %s", value, units[unit]);
}

/**
 * ferry_format_clock:
 * @seconds: a duration, negative when it is not known
 * @unknown: what to show for an unknown duration ("—", "--:--")
 *
 * A duration as a clock shows it: "04:09", "1:02:03".
 */
char *
ferry_format_clock (double      seconds,
                    const char *unknown)
{
  guint s;

  if (seconds < 0 || isnan (seconds))
    return g_strdup (unknown);
  s = (guint)(seconds + 0.5);
  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", s / 3600, (s / 60) % 60, s % 60);
  return g_strdup_printf ("%02u:%02u", s / 60, s % 60);
}

/**
 * ferry_phase_to_string:
 * @phase: a phase of a run, as FerryCoordinator:phase names it
 *
 * The phase in words, for people.
 */
const char *
ferry_phase_to_string (const char *phase)
{
  if (phase == NULL)
    return "";
  if (g_str_equal (phase, "prepare"))
    return _("preparing: journal, schema, constraints, snapshot");
  if (g_str_equal (phase, "data"))
    return _("copying the data");
  if (g_str_equal (phase, "sequences"))
    return _("copying large objects, setting sequences, restoring the rest of the schema");
  if (g_str_equal (phase, "validation"))
    return _("validating: comparing both sides");
  if (g_str_equal (phase, "done"))
    return _("done");
  return phase;
}

/**
 * ferry_average_rate:
 * @done: bytes (or rows) done, those of earlier runs included
 * @resumed: those of @done that earlier runs had copied
 * @elapsed: seconds this run has taken
 *
 * What this run copied, per second: a resumed run's speed leaves out
 * what it found already there.
 */
double
ferry_average_rate (guint64 done,
                    guint64 resumed,
                    double  elapsed)
{
  if (elapsed <= 0 || done <= resumed)
    return 0;
  return (done - resumed) / elapsed;
}
