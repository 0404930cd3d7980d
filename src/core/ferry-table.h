/* ferry-table.h — one table of a migration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ferry-types.h"

G_BEGIN_DECLS

typedef struct _FerryColumn     FerryColumn;
typedef struct _FerryKey        FerryKey;
typedef struct _FerryForeignKey FerryForeignKey;

#define FERRY_TYPE_TABLE (ferry_table_get_type ())

G_DECLARE_FINAL_TYPE (FerryTable, ferry_table, FERRY, TABLE, GObject)

/* One column, as the catalog describes it (dropped columns never appear). */
struct _FerryColumn
{
  char     *name;
  char     *type;          /* format_type(), e.g. "character varying(40)" */
  guint32   type_oid;
  int       attnum;
  gboolean  not_null;
  gboolean  has_default;
  gboolean  generated;     /* GENERATED ALWAYS AS (…) STORED: never copied */
  char      identity;      /* '\0', 'a' (ALWAYS) or 'd' (BY DEFAULT) */
  char     *collation;     /* NULL for the type's default */
};

/* A primary key or a unique key (constraint or plain unique index). */
struct _FerryKey
{
  char       *name;
  gboolean    primary;
  gboolean    is_constraint;
  char      **columns;
  char       *definition;   /* pg_get_indexdef() */
};

/* A foreign key. The catalog owns the tables; these are borrowed. */
struct _FerryForeignKey
{
  char       *name;
  guint32     oid;
  FerryTable *child;         /* the referencing table */
  FerryTable *parent;        /* the referenced table */
  char      **child_columns;
  char      **parent_columns;
  gboolean    deferrable;
  gboolean    initially_deferred;
  gboolean    references_primary_key; /* FALSE: a unique non-PK key */
  gboolean    nullable;      /* some referencing column allows NULL */
  gboolean    validated;
  char       *definition;    /* pg_get_constraintdef() */
};

FerryTable       *ferry_table_new               (const char     *schema,
                                                 const char     *name);

const char       *ferry_table_get_schema        (FerryTable     *self);
const char       *ferry_table_get_name          (FerryTable     *self);
const char       *ferry_table_get_display_name  (FerryTable     *self);
const char       *ferry_table_get_quoted_name   (FerryTable     *self);
guint32           ferry_table_get_oid           (FerryTable     *self);
guint             ferry_table_get_index         (FerryTable     *self);
FerryTableKind    ferry_table_get_kind          (FerryTable     *self);
gboolean          ferry_table_get_unlogged      (FerryTable     *self);
gboolean          ferry_table_get_included      (FerryTable     *self);
const char       *ferry_table_get_extension     (FerryTable     *self);
FerryTable       *ferry_table_get_partition_parent (FerryTable  *self);
GPtrArray        *ferry_table_get_partitions    (FerryTable     *self);
const char * const *
                  ferry_table_get_inherits      (FerryTable     *self);
GPtrArray        *ferry_table_get_columns       (FerryTable     *self);
FerryKey         *ferry_table_get_primary_key   (FerryTable     *self);
GPtrArray        *ferry_table_get_unique_keys   (FerryTable     *self);
GPtrArray        *ferry_table_get_parents       (FerryTable     *self);
GPtrArray        *ferry_table_get_children      (FerryTable     *self);
const char * const *
                  ferry_table_get_triggers      (FerryTable     *self);
gboolean          ferry_table_get_rls_enabled   (FerryTable     *self);
gboolean          ferry_table_get_rls_forced    (FerryTable     *self);
guint             ferry_table_get_n_policies    (FerryTable     *self);
guint64           ferry_table_get_size_bytes    (FerryTable     *self);
gint64            ferry_table_get_row_estimate  (FerryTable     *self);
guint64           ferry_table_get_pages         (FerryTable     *self);
FerryColumn      *ferry_table_get_chunk_key     (FerryTable     *self);
gboolean          ferry_table_get_key_range     (FerryTable     *self,
                                                 gint64         *min,
                                                 gint64         *max);
int               ferry_table_get_level         (FerryTable     *self);
guint             ferry_table_count_copy_columns(FerryTable     *self);

/* Live state, notified as properties change. */
FerryTableStatus  ferry_table_get_status        (FerryTable     *self);
void              ferry_table_set_status        (FerryTable     *self,
                                                 FerryTableStatus status);
guint64           ferry_table_get_rows_done     (FerryTable     *self);
guint64           ferry_table_get_bytes_done    (FerryTable     *self);
void              ferry_table_set_progress      (FerryTable     *self,
                                                 guint64         rows_done,
                                                 guint64         bytes_done);
guint             ferry_table_get_attempts      (FerryTable     *self);
void              ferry_table_set_shape         (FerryTable     *self,
                                                 FerryTableKind  kind,
                                                 guint64         size_bytes,
                                                 gint64          row_estimate,
                                                 int             level);
void              ferry_table_set_attempts      (FerryTable     *self,
                                                 guint           attempts);
const char       *ferry_table_get_last_error    (FerryTable     *self);
void              ferry_table_set_last_error    (FerryTable     *self,
                                                 const char     *message);
double            ferry_table_get_fraction      (FerryTable     *self);

const char       *ferry_table_status_to_string  (FerryTableStatus status);

G_END_DECLS
