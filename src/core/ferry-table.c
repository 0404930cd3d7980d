/* ferry-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-table"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-connection.h"
#include "ferry-enum-types.h"
#include "ferry-table-private.h"

G_DEFINE_FINAL_TYPE (FerryTable, ferry_table, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SCHEMA,
  PROP_NAME,
  PROP_DISPLAY_NAME,
  PROP_KIND,
  PROP_SIZE_BYTES,
  PROP_ROW_ESTIMATE,
  PROP_LEVEL,
  PROP_STATUS,
  PROP_ROWS_DONE,
  PROP_BYTES_DONE,
  PROP_FRACTION,
  PROP_ATTEMPTS,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
ferry_column_free (FerryColumn *column)
{
  if (column == NULL)
    return;
  g_free (column->name);
  g_free (column->type);
  g_free (column->collation);
  g_free (column);
}

void
ferry_key_free (FerryKey *key)
{
  if (key == NULL)
    return;
  g_free (key->name);
  g_strfreev (key->columns);
  g_free (key->definition);
  g_free (key);
}

void
ferry_foreign_key_free (FerryForeignKey *fk)
{
  if (fk == NULL)
    return;
  g_free (fk->name);
  g_strfreev (fk->child_columns);
  g_strfreev (fk->parent_columns);
  g_free (fk->definition);
  g_free (fk);
}

static gboolean
is_plain_identifier (const char *ident)
{
  if (ident == NULL || *ident == '\0')
    return FALSE;
  if (!(g_ascii_islower (*ident) || *ident == '_'))
    return FALSE;
  for (const char *p = ident; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_' || *p == '$'))
      return FALSE;
  return TRUE;
}

static char *
display_ident (const char *ident)
{
  if (is_plain_identifier (ident))
    return g_strdup (ident);
  return ferry_quote_ident (ident);
}

static void
ferry_table_finalize (GObject *object)
{
  FerryTable *self = (FerryTable *)object;

  g_clear_pointer (&self->schema, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->quoted_name, g_free);
  g_clear_pointer (&self->extension, g_free);
  g_clear_pointer (&self->partitions, g_ptr_array_unref);
  g_clear_pointer (&self->inherits, g_strfreev);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->primary_key, ferry_key_free);
  g_clear_pointer (&self->unique_keys, g_ptr_array_unref);
  g_clear_pointer (&self->parents, g_ptr_array_unref);
  g_clear_pointer (&self->children, g_ptr_array_unref);
  g_clear_pointer (&self->triggers, g_strfreev);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (ferry_table_parent_class)->finalize (object);
}

static void
ferry_table_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  FerryTable *self = FERRY_TABLE (object);

  switch (prop_id)
    {
    case PROP_SCHEMA:
      g_value_set_string (value, self->schema);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_SIZE_BYTES:
      g_value_set_uint64 (value, self->size_bytes);
      break;
    case PROP_ROW_ESTIMATE:
      g_value_set_int64 (value, self->row_estimate);
      break;
    case PROP_LEVEL:
      g_value_set_int (value, self->level);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_ROWS_DONE:
      g_value_set_uint64 (value, self->rows_done);
      break;
    case PROP_BYTES_DONE:
      g_value_set_uint64 (value, self->bytes_done);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, ferry_table_get_fraction (self));
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_table_class_init (FerryTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_table_finalize;
  object_class->get_property = ferry_table_get_property;

  properties[PROP_SCHEMA] =
    g_param_spec_string ("schema", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       FERRY_TYPE_TABLE_KIND, FERRY_TABLE_KIND_ORDINARY,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE_BYTES] =
    g_param_spec_uint64 ("size-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROW_ESTIMATE] =
    g_param_spec_int64 ("row-estimate", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEVEL] =
    g_param_spec_int ("level", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       FERRY_TYPE_TABLE_STATUS, FERRY_TABLE_STATUS_PENDING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROWS_DONE] =
    g_param_spec_uint64 ("rows-done", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES_DONE] =
    g_param_spec_uint64 ("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ATTEMPTS] =
    g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_table_init (FerryTable *self)
{
  self->columns = g_ptr_array_new_with_free_func ((GDestroyNotify)ferry_column_free);
  self->unique_keys = g_ptr_array_new_with_free_func ((GDestroyNotify)ferry_key_free);
  self->partitions = g_ptr_array_new ();
  self->parents = g_ptr_array_new ();
  self->children = g_ptr_array_new ();
  self->inherits = g_new0 (char *, 1);
  self->triggers = g_new0 (char *, 1);
  self->row_estimate = -1;
  self->level = -1;
  self->included = TRUE;
}

FerryTable *
ferry_table_new (const char *schema,
                 const char *name)
{
  FerryTable *self;
  g_autofree char *s = NULL;
  g_autofree char *n = NULL;

  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (FERRY_TYPE_TABLE, NULL);
  self->schema = g_strdup (schema);
  self->name = g_strdup (name);
  self->quoted_name = ferry_quote_qualified (schema, name);
  s = display_ident (schema);
  n = display_ident (name);
  self->display_name = g_strconcat (s, ".", n, NULL);

  return self;
}

#define GETTER(type, field, fallback)                          \
  type                                                         \
  ferry_table_get_##field (FerryTable *self)                   \
  {                                                            \
    g_return_val_if_fail (FERRY_IS_TABLE (self), fallback);    \
    return self->field;                                        \
  }

GETTER (const char *, schema, NULL)
GETTER (const char *, name, NULL)
GETTER (const char *, display_name, NULL)
GETTER (const char *, quoted_name, NULL)
GETTER (guint32, oid, 0)
GETTER (guint, index, 0)
GETTER (FerryTableKind, kind, FERRY_TABLE_KIND_ORDINARY)
GETTER (gboolean, unlogged, FALSE)
GETTER (gboolean, included, FALSE)
GETTER (const char *, extension, NULL)
GETTER (FerryTable *, partition_parent, NULL)
GETTER (GPtrArray *, partitions, NULL)
GETTER (GPtrArray *, columns, NULL)
GETTER (FerryKey *, primary_key, NULL)
GETTER (GPtrArray *, unique_keys, NULL)
GETTER (GPtrArray *, parents, NULL)
GETTER (GPtrArray *, children, NULL)
GETTER (gboolean, rls_enabled, FALSE)
GETTER (gboolean, rls_forced, FALSE)
GETTER (guint, n_policies, 0)
GETTER (guint64, size_bytes, 0)
GETTER (gint64, row_estimate, -1)
GETTER (guint64, pages, 0)
GETTER (FerryColumn *, chunk_key, NULL)
GETTER (int, level, -1)
GETTER (FerryTableStatus, status, FERRY_TABLE_STATUS_PENDING)
GETTER (guint64, rows_done, 0)
GETTER (guint64, bytes_done, 0)
GETTER (guint, attempts, 0)
GETTER (const char *, last_error, NULL)

#undef GETTER

const char * const *
ferry_table_get_inherits (FerryTable *self)
{
  g_return_val_if_fail (FERRY_IS_TABLE (self), NULL);
  return (const char * const *)self->inherits;
}

const char * const *
ferry_table_get_triggers (FerryTable *self)
{
  g_return_val_if_fail (FERRY_IS_TABLE (self), NULL);
  return (const char * const *)self->triggers;
}

gboolean
ferry_table_get_key_range (FerryTable *self,
                           gint64     *min,
                           gint64     *max)
{
  g_return_val_if_fail (FERRY_IS_TABLE (self), FALSE);

  if (!self->has_key_range)
    return FALSE;
  if (min != NULL)
    *min = self->key_min;
  if (max != NULL)
    *max = self->key_max;
  return TRUE;
}

/**
 * ferry_table_count_copy_columns:
 *
 * The columns a COPY moves: all but the generated ones.
 */
guint
ferry_table_count_copy_columns (FerryTable *self)
{
  guint n = 0;

  g_return_val_if_fail (FERRY_IS_TABLE (self), 0);

  for (guint i = 0; i < self->columns->len; i++)
    {
      FerryColumn *column = g_ptr_array_index (self->columns, i);
      if (!column->generated)
        n++;
    }
  return n;
}

/**
 * ferry_table_get_fraction:
 *
 * How much of the table is done, from 0 to 1: by bytes when the size is
 * known, by rows otherwise; 1 for a completed table.
 */
double
ferry_table_get_fraction (FerryTable *self)
{
  g_return_val_if_fail (FERRY_IS_TABLE (self), 0.0);

  if (self->status == FERRY_TABLE_STATUS_COMPLETED ||
      self->status == FERRY_TABLE_STATUS_SKIPPED)
    return 1.0;
  if (self->size_bytes > 0)
    return CLAMP ((double)self->bytes_done / (double)self->size_bytes, 0.0, 0.99);
  if (self->row_estimate > 0)
    return CLAMP ((double)self->rows_done / (double)self->row_estimate, 0.0, 0.99);
  return 0.0;
}

void
ferry_table_set_status (FerryTable       *self,
                        FerryTableStatus  status)
{
  g_return_if_fail (FERRY_IS_TABLE (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

void
ferry_table_set_progress (FerryTable *self,
                          guint64     rows_done,
                          guint64     bytes_done)
{
  gboolean changed = FALSE;

  g_return_if_fail (FERRY_IS_TABLE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->rows_done != rows_done)
    {
      self->rows_done = rows_done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROWS_DONE]);
      changed = TRUE;
    }
  if (self->bytes_done != bytes_done)
    {
      self->bytes_done = bytes_done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DONE]);
      changed = TRUE;
    }
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * ferry_table_set_shape:
 *
 * What the catalog and the analyzer would have said, for a table that
 * mirrors one of a migration that runs elsewhere (the app attached to
 * `ferry-cli serve`): its kind, size (which ferry_table_get_fraction()
 * needs), row estimate and dependency level.
 */
void
ferry_table_set_shape (FerryTable     *self,
                       FerryTableKind  kind,
                       guint64         size_bytes,
                       gint64          row_estimate,
                       int             level)
{
  g_return_if_fail (FERRY_IS_TABLE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->kind != kind)
    {
      self->kind = kind;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
    }
  if (self->size_bytes != size_bytes)
    {
      self->size_bytes = size_bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE_BYTES]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  if (self->row_estimate != row_estimate)
    {
      self->row_estimate = row_estimate;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROW_ESTIMATE]);
    }
  if (self->level != level)
    {
      self->level = level;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
ferry_table_set_attempts (FerryTable *self,
                          guint       attempts)
{
  g_return_if_fail (FERRY_IS_TABLE (self));

  if (self->attempts == attempts)
    return;

  self->attempts = attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPTS]);
}

void
ferry_table_set_last_error (FerryTable *self,
                            const char *message)
{
  g_return_if_fail (FERRY_IS_TABLE (self));

  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

const char *
ferry_table_status_to_string (FerryTableStatus status)
{
  switch (status)
    {
    case FERRY_TABLE_STATUS_PENDING:   return _("Pending");
    case FERRY_TABLE_STATUS_WAITING:   return _("Waiting");
    case FERRY_TABLE_STATUS_RUNNING:   return _("Running");
    case FERRY_TABLE_STATUS_COMPLETED: return _("Completed");
    case FERRY_TABLE_STATUS_FAILED:    return _("Failed");
    case FERRY_TABLE_STATUS_SKIPPED:   return _("Skipped");
    case FERRY_TABLE_STATUS_EXCLUDED:  return _("Excluded");
    default:                           return _("Unknown");
    }
}
