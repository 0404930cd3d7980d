/* ferry-table-list.c
 *
 * A GListModel of FerryTable that keeps the migration's totals current
 * as tables change: counts per status, rows and bytes done. The app's
 * column view and dashboard bind to it; the CLI reads the totals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-table-list"

#include "config.h"

#include <string.h>

#include "ferry-table-list.h"
#include "ferry-table-private.h"

struct _FerryTableList
{
  GObject    parent_instance;

  GPtrArray *tables;
  guint      status_counts[FERRY_TABLE_STATUS_LAST];
  guint64    total_bytes;
  guint64    bytes_done;
  gint64     total_rows;
  guint64    rows_done;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryTableList, ferry_table_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_FRACTION,
  PROP_ROWS_DONE,
  PROP_BYTES_DONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return FERRY_TYPE_TABLE;
}

static guint
get_n_items (GListModel *model)
{
  return FERRY_TABLE_LIST (model)->tables->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  FerryTableList *self = FERRY_TABLE_LIST (model);

  if (position >= self->tables->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->tables, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Each table remembers what it last contributed to the totals, so that
 * a change can be applied as a difference without walking the list. */
typedef struct {
  FerryTableStatus status;
  guint64          rows_done;
  guint64          bytes_done;
} Contribution;

static GQuark contribution_quark;

static void
table_changed (FerryTable     *table,
               GParamSpec     *pspec,
               FerryTableList *self)
{
  Contribution *c = g_object_get_qdata (G_OBJECT (table), contribution_quark);
  guint64 old_rows = self->rows_done;
  guint64 old_bytes = self->bytes_done;

  g_assert (c != NULL);

  self->status_counts[c->status]--;
  self->status_counts[table->status]++;
  c->status = table->status;

  self->rows_done = self->rows_done - c->rows_done + table->rows_done;
  self->bytes_done = self->bytes_done - c->bytes_done + table->bytes_done;
  c->rows_done = table->rows_done;
  c->bytes_done = table->bytes_done;

  g_object_freeze_notify (G_OBJECT (self));
  if (old_rows != self->rows_done)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROWS_DONE]);
  if (old_bytes != self->bytes_done)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
track (FerryTableList *self,
       FerryTable     *table)
{
  Contribution *c = g_new0 (Contribution, 1);

  c->status = table->status;
  c->rows_done = table->rows_done;
  c->bytes_done = table->bytes_done;
  g_object_set_qdata_full (G_OBJECT (table), contribution_quark, c, g_free);

  self->status_counts[c->status]++;
  self->rows_done += c->rows_done;
  self->bytes_done += c->bytes_done;
  self->total_bytes += table->size_bytes;
  self->total_rows += MAX (table->row_estimate, 0);

  g_signal_connect_object (table, "notify::status", G_CALLBACK (table_changed), self, 0);
  g_signal_connect_object (table, "notify::rows-done", G_CALLBACK (table_changed), self, 0);
  g_signal_connect_object (table, "notify::bytes-done", G_CALLBACK (table_changed), self, 0);
}

static void
untrack (FerryTableList *self,
         FerryTable     *table)
{
  g_signal_handlers_disconnect_by_data (table, self);
  g_object_set_qdata (G_OBJECT (table), contribution_quark, NULL);
}

static void
ferry_table_list_dispose (GObject *object)
{
  FerryTableList *self = (FerryTableList *)object;

  if (self->tables != NULL)
    for (guint i = 0; i < self->tables->len; i++)
      untrack (self, g_ptr_array_index (self->tables, i));
  g_clear_pointer (&self->tables, g_ptr_array_unref);

  G_OBJECT_CLASS (ferry_table_list_parent_class)->dispose (object);
}

static void
ferry_table_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FerryTableList *self = FERRY_TABLE_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->tables->len);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, ferry_table_list_get_fraction (self));
      break;
    case PROP_ROWS_DONE:
      g_value_set_uint64 (value, self->rows_done);
      break;
    case PROP_BYTES_DONE:
      g_value_set_uint64 (value, self->bytes_done);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_table_list_class_init (FerryTableListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_table_list_dispose;
  object_class->get_property = ferry_table_list_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROWS_DONE] =
    g_param_spec_uint64 ("rows-done", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES_DONE] =
    g_param_spec_uint64 ("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  contribution_quark = g_quark_from_static_string ("ferry-table-list-contribution");
}

static void
ferry_table_list_init (FerryTableList *self)
{
  self->tables = g_ptr_array_new_with_free_func (g_object_unref);
}

FerryTableList *
ferry_table_list_new (void)
{
  return g_object_new (FERRY_TYPE_TABLE_LIST, NULL);
}

void
ferry_table_list_append (FerryTableList *self,
                         FerryTable     *table)
{
  g_return_if_fail (FERRY_IS_TABLE_LIST (self));
  g_return_if_fail (FERRY_IS_TABLE (table));

  g_ptr_array_add (self->tables, g_object_ref (table));
  track (self, table);
  g_list_model_items_changed (G_LIST_MODEL (self), self->tables->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/**
 * ferry_table_list_splice:
 * @tables: (element-type FerryTable): the new contents
 *
 * Replaces the whole list in one change.
 */
void
ferry_table_list_splice (FerryTableList *self,
                         GPtrArray      *tables)
{
  guint removed;

  g_return_if_fail (FERRY_IS_TABLE_LIST (self));
  g_return_if_fail (tables != NULL);

  removed = self->tables->len;
  for (guint i = 0; i < self->tables->len; i++)
    untrack (self, g_ptr_array_index (self->tables, i));
  g_ptr_array_set_size (self->tables, 0);
  memset (self->status_counts, 0, sizeof self->status_counts);
  self->total_bytes = self->bytes_done = self->rows_done = 0;
  self->total_rows = 0;

  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);
      g_ptr_array_add (self->tables, g_object_ref (table));
      track (self, table);
    }

  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->tables->len);
  if (removed != self->tables->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

FerryTable *
ferry_table_list_get_table (FerryTableList *self,
                            guint           position)
{
  g_return_val_if_fail (FERRY_IS_TABLE_LIST (self), NULL);
  g_return_val_if_fail (position < self->tables->len, NULL);

  return g_ptr_array_index (self->tables, position);
}

guint
ferry_table_list_count_status (FerryTableList   *self,
                               FerryTableStatus  status)
{
  g_return_val_if_fail (FERRY_IS_TABLE_LIST (self), 0);
  g_return_val_if_fail (status < FERRY_TABLE_STATUS_LAST, 0);

  return self->status_counts[status];
}

guint64
ferry_table_list_get_total_bytes (FerryTableList *self)
{
  g_return_val_if_fail (FERRY_IS_TABLE_LIST (self), 0);
  return self->total_bytes;
}

guint64
ferry_table_list_get_bytes_done (FerryTableList *self)
{
  g_return_val_if_fail (FERRY_IS_TABLE_LIST (self), 0);
  return self->bytes_done;
}

gint64
ferry_table_list_get_total_rows (FerryTableList *self)
{
  g_return_val_if_fail (FERRY_IS_TABLE_LIST (self), 0);
  return self->total_rows;
}

guint64
ferry_table_list_get_rows_done (FerryTableList *self)
{
  g_return_val_if_fail (FERRY_IS_TABLE_LIST (self), 0);
  return self->rows_done;
}

/**
 * ferry_table_list_get_fraction:
 *
 * Overall progress from 0 to 1, weighted by table size (finished and
 * skipped tables count in full).
 */
double
ferry_table_list_get_fraction (FerryTableList *self)
{
  double done = 0.0;
  double total = 0.0;

  g_return_val_if_fail (FERRY_IS_TABLE_LIST (self), 0.0);

  for (guint i = 0; i < self->tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (self->tables, i);
      double weight = MAX ((double)table->size_bytes, 8192.0);

      if (table->status == FERRY_TABLE_STATUS_EXCLUDED)
        continue;
      total += weight;
      done += weight * ferry_table_get_fraction (table);
    }

  return total > 0.0 ? done / total : 0.0;
}
