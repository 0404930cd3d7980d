/* ferry-catalog.h — what a database holds, read from pg_catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ferry-config.h"
#include "ferry-connection.h"
#include "ferry-table.h"

G_BEGIN_DECLS

typedef struct _FerrySequence  FerrySequence;
typedef struct _FerryExtension FerryExtension;

struct _FerrySequence
{
  char       *schema;
  char       *name;
  char       *quoted_name;
  FerryTable *owner_table;    /* borrowed, NULL when not owned by a column */
  char       *owner_column;
  gint64      last_value;
  gboolean    is_called;
  gboolean    has_value;      /* FALSE when the user may not read it */
};

struct _FerryExtension
{
  char *name;
  char *version;
  char *schema;
};

#define FERRY_TYPE_CATALOG (ferry_catalog_get_type ())

G_DECLARE_FINAL_TYPE (FerryCatalog, ferry_catalog, FERRY, CATALOG, GObject)

FerryCatalog    *ferry_catalog_new                (void);
gboolean         ferry_catalog_load               (FerryCatalog     *self,
                                                   FerryConnection  *connection,
                                                   FerryConfig      *config,
                                                   GCancellable     *cancellable,
                                                   GError          **error);
gboolean         ferry_catalog_load_key_ranges    (FerryCatalog     *self,
                                                   FerryConnection  *connection,
                                                   guint64           min_size,
                                                   GCancellable     *cancellable,
                                                   GError          **error);

/* Building a catalog by hand: for tests and benchmarks. */
FerryTable      *ferry_catalog_add_table          (FerryCatalog     *self,
                                                   const char       *schema,
                                                   const char       *name,
                                                   guint64           size_bytes,
                                                   gint64            rows);
FerryForeignKey *ferry_catalog_add_foreign_key    (FerryCatalog     *self,
                                                   const char       *name,
                                                   FerryTable       *child,
                                                   FerryTable       *parent,
                                                   gboolean          deferrable,
                                                   gboolean          nullable);
void             ferry_catalog_add_column         (FerryCatalog     *self,
                                                   FerryTable       *table,
                                                   const char       *name,
                                                   const char       *type,
                                                   gboolean          primary_key);

GPtrArray       *ferry_catalog_get_tables         (FerryCatalog     *self);
GPtrArray       *ferry_catalog_get_foreign_keys   (FerryCatalog     *self);
GPtrArray       *ferry_catalog_get_sequences      (FerryCatalog     *self);
GPtrArray       *ferry_catalog_get_extensions     (FerryCatalog     *self);
const char * const *
                 ferry_catalog_get_schemas        (FerryCatalog     *self);
FerryTable      *ferry_catalog_lookup             (FerryCatalog     *self,
                                                   const char       *schema,
                                                   const char       *name);
FerryTable      *ferry_catalog_find               (FerryCatalog     *self,
                                                   const char       *display_name);
guint            ferry_catalog_get_n_large_objects(FerryCatalog     *self);
const char      *ferry_catalog_get_database       (FerryCatalog     *self);
const char      *ferry_catalog_get_encoding       (FerryCatalog     *self);
const char      *ferry_catalog_get_collate        (FerryCatalog     *self);
const char      *ferry_catalog_get_ctype          (FerryCatalog     *self);
guint64          ferry_catalog_get_database_size  (FerryCatalog     *self);
int              ferry_catalog_get_server_version (FerryCatalog     *self);
guint64          ferry_catalog_get_total_bytes    (FerryCatalog     *self);
gint64           ferry_catalog_get_total_rows     (FerryCatalog     *self);

G_END_DECLS
