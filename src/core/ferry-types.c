/* ferry-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-types"

#include "config.h"

#include <glib-object.h>

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
