/* ferry-table-list.h — the Table List Manager
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ferry-table.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TABLE_LIST (ferry_table_list_get_type ())

G_DECLARE_FINAL_TYPE (FerryTableList, ferry_table_list, FERRY, TABLE_LIST, GObject)

FerryTableList *ferry_table_list_new             (void);
void            ferry_table_list_append          (FerryTableList   *self,
                                                  FerryTable       *table);
void            ferry_table_list_splice          (FerryTableList   *self,
                                                  GPtrArray        *tables);
FerryTable     *ferry_table_list_get_table       (FerryTableList   *self,
                                                  guint             position);
guint           ferry_table_list_count_status    (FerryTableList   *self,
                                                  FerryTableStatus  status);
guint64         ferry_table_list_get_total_bytes (FerryTableList   *self);
guint64         ferry_table_list_get_bytes_done  (FerryTableList   *self);
gint64          ferry_table_list_get_total_rows  (FerryTableList   *self);
guint64         ferry_table_list_get_rows_done   (FerryTableList   *self);
double          ferry_table_list_get_fraction    (FerryTableList   *self);

G_END_DECLS
