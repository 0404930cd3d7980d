/* ferry-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-check.h"
#include "ferry-enum-types.h"

struct _FerryCheck
{
  GObject           parent_instance;

  char             *id;
  FerryCheckGroup   group;
  char             *title;
  FerryCheckStatus  status;
  char             *summary;
  char             *explanation;
  char             *fix;
  char             *fix_id;
  JsonNode         *fix_data;
  GPtrArray        *items;
};

G_DEFINE_FINAL_TYPE (FerryCheck, ferry_check, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_GROUP,
  PROP_TITLE,
  PROP_STATUS,
  PROP_SUMMARY,
  PROP_EXPLANATION,
  PROP_FIX,
  PROP_FIX_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ferry_check_finalize (GObject *object)
{
  FerryCheck *self = (FerryCheck *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->explanation, g_free);
  g_clear_pointer (&self->fix, g_free);
  g_clear_pointer (&self->fix_id, g_free);
  g_clear_pointer (&self->fix_data, json_node_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (ferry_check_parent_class)->finalize (object);
}

static void
ferry_check_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  FerryCheck *self = FERRY_CHECK (object);

  switch (prop_id)
    {
    case PROP_ID:          g_value_set_string (value, self->id); break;
    case PROP_GROUP:       g_value_set_enum (value, self->group); break;
    case PROP_TITLE:       g_value_set_string (value, self->title); break;
    case PROP_STATUS:      g_value_set_enum (value, self->status); break;
    case PROP_SUMMARY:     g_value_set_string (value, self->summary); break;
    case PROP_EXPLANATION: g_value_set_string (value, self->explanation); break;
    case PROP_FIX:         g_value_set_string (value, self->fix); break;
    case PROP_FIX_ID:      g_value_set_string (value, self->fix_id); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_check_class_init (FerryCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ferry_check_finalize;
  object_class->get_property = ferry_check_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_GROUP] =
    g_param_spec_enum ("group", NULL, NULL, FERRY_TYPE_CHECK_GROUP,
                       FERRY_CHECK_GROUP_CONNECTIVITY, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, FERRY_TYPE_CHECK_STATUS,
                       FERRY_CHECK_STATUS_SKIPPED, flags);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  properties[PROP_EXPLANATION] = g_param_spec_string ("explanation", NULL, NULL, NULL, flags);
  properties[PROP_FIX] = g_param_spec_string ("fix", NULL, NULL, NULL, flags);
  properties[PROP_FIX_ID] = g_param_spec_string ("fix-id", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_check_init (FerryCheck *self)
{
  self->status = FERRY_CHECK_STATUS_SKIPPED;
  self->items = g_ptr_array_new_null_terminated (0, g_free, TRUE);
}

/**
 * ferry_check_new:
 * @id: a stable identifier, e.g. "target-tables-empty"
 * @title: what is checked, in words, e.g. "Target tables are empty"
 */
FerryCheck *
ferry_check_new (const char      *id,
                 FerryCheckGroup  group,
                 const char      *title)
{
  FerryCheck *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (FERRY_TYPE_CHECK, NULL);
  self->id = g_strdup (id);
  self->group = group;
  self->title = g_strdup (title);
  return self;
}

const char *ferry_check_get_id (FerryCheck *self) { g_return_val_if_fail (FERRY_IS_CHECK (self), NULL); return self->id; }
FerryCheckGroup ferry_check_get_group (FerryCheck *self) { g_return_val_if_fail (FERRY_IS_CHECK (self), 0); return self->group; }
const char *ferry_check_get_title (FerryCheck *self) { g_return_val_if_fail (FERRY_IS_CHECK (self), NULL); return self->title; }
FerryCheckStatus ferry_check_get_status (FerryCheck *self) { g_return_val_if_fail (FERRY_IS_CHECK (self), 0); return self->status; }
const char *ferry_check_get_summary (FerryCheck *self) { g_return_val_if_fail (FERRY_IS_CHECK (self), NULL); return self->summary; }
const char *ferry_check_get_explanation (FerryCheck *self) { g_return_val_if_fail (FERRY_IS_CHECK (self), NULL); return self->explanation; }
const char *ferry_check_get_fix (FerryCheck *self) { g_return_val_if_fail (FERRY_IS_CHECK (self), NULL); return self->fix; }
const char *ferry_check_get_fix_id (FerryCheck *self) { g_return_val_if_fail (FERRY_IS_CHECK (self), NULL); return self->fix_id; }

const char * const *
ferry_check_get_items (FerryCheck *self)
{
  g_return_val_if_fail (FERRY_IS_CHECK (self), NULL);
  return (const char * const *)self->items->pdata;
}

static void
set_string (FerryCheck  *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * ferry_check_set_result:
 * @summary: one line: what was found ("3 of 166 tables are not empty")
 * @explanation: (nullable): why it matters and what Ferry will do
 */
void
ferry_check_set_result (FerryCheck       *self,
                        FerryCheckStatus  status,
                        const char       *summary,
                        const char       *explanation)
{
  g_return_if_fail (FERRY_IS_CHECK (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  set_string (self, &self->summary, summary, PROP_SUMMARY);
  set_string (self, &self->explanation, explanation, PROP_EXPLANATION);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * ferry_check_set_fix:
 * @fix: what the user can do, in words (may include SQL)
 * @fix_id: (nullable): a FERRY_FIX_* that Ferry can apply itself
 */
void
ferry_check_set_fix (FerryCheck *self,
                     const char *fix,
                     const char *fix_id)
{
  g_return_if_fail (FERRY_IS_CHECK (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->fix, fix, PROP_FIX);
  set_string (self, &self->fix_id, fix_id, PROP_FIX_ID);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * ferry_check_get_fix_data:
 *
 * Returns: (transfer none) (nullable): what a fix that needs a choice
 *   offers to choose from (see FERRY_FIX_CHOOSE_CYCLE_BREAKS), or %NULL
 */
JsonNode *
ferry_check_get_fix_data (FerryCheck *self)
{
  g_return_val_if_fail (FERRY_IS_CHECK (self), NULL);
  return self->fix_data;
}

/**
 * ferry_check_set_fix_data:
 * @data: (nullable) (transfer none): a JSON object; the check keeps a
 *   reference and treats it as read-only
 */
void
ferry_check_set_fix_data (FerryCheck *self,
                          JsonNode   *data)
{
  g_return_if_fail (FERRY_IS_CHECK (self));

  if (data != NULL)
    json_node_seal (data);
  g_clear_pointer (&self->fix_data, json_node_unref);
  self->fix_data = data != NULL ? json_node_ref (data) : NULL;
}

void
ferry_check_add_item (FerryCheck *self,
                      const char *item)
{
  g_return_if_fail (FERRY_IS_CHECK (self));
  g_return_if_fail (item != NULL);

  g_ptr_array_add (self->items, g_strdup (item));
}

JsonNode *
ferry_check_to_json (FerryCheck *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (FERRY_IS_CHECK (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "group");
  json_builder_add_string_value (builder, ferry_enum_to_nick (FERRY_TYPE_CHECK_GROUP, self->group));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, self->title);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, ferry_enum_to_nick (FERRY_TYPE_CHECK_STATUS, self->status));
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, self->summary);
  json_builder_set_member_name (builder, "explanation");
  json_builder_add_string_value (builder, self->explanation);
  json_builder_set_member_name (builder, "fix");
  json_builder_add_string_value (builder, self->fix);
  json_builder_set_member_name (builder, "fix_id");
  json_builder_add_string_value (builder, self->fix_id);
  json_builder_set_member_name (builder, "fix_data");
  if (self->fix_data != NULL)
    json_builder_add_value (builder, json_node_copy (self->fix_data));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->items->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (self->items, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

const char *
ferry_check_status_to_string (FerryCheckStatus status)
{
  switch (status)
    {
    case FERRY_CHECK_STATUS_PASS:    return _("Passed");
    case FERRY_CHECK_STATUS_WARNING: return _("Warning");
    case FERRY_CHECK_STATUS_FAIL:    return _("Failed");
    case FERRY_CHECK_STATUS_SKIPPED: return _("Skipped");
    default:                         return _("Unknown");
    }
}

const char *
ferry_check_group_to_string (FerryCheckGroup group)
{
  switch (group)
    {
    case FERRY_CHECK_GROUP_CONNECTIVITY: return _("Connectivity");
    case FERRY_CHECK_GROUP_PRIVILEGES:   return _("Privileges");
    case FERRY_CHECK_GROUP_SCHEMA:       return _("Schema");
    case FERRY_CHECK_GROUP_DATA:         return _("Data");
    case FERRY_CHECK_GROUP_DEPENDENCIES: return _("Dependencies");
    case FERRY_CHECK_GROUP_CAPACITY:     return _("Capacity");
    default:                             return _("Other");
    }
}
