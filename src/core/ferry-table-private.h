/* ferry-table-private.h — FerryTable's fields, for the core only
 *
 * The catalog fills these in; the analyzer and the plan read them. The
 * app and the CLI use the accessors in ferry-table.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#ifndef FERRY_CORE_COMPILATION
# error "ferry-table-private.h is for the core only"
#endif

#include "ferry-table.h"

G_BEGIN_DECLS

struct _FerryTable
{
  GObject           parent_instance;

  /* Identity */
  char             *schema;
  char             *name;
  char             *display_name;   /* schema.name, quoted only where needed */
  char             *quoted_name;    /* "schema"."name" for SQL */
  guint32           oid;
  guint             index;          /* position in the catalog's table array */
  FerryTableKind    kind;
  gboolean          unlogged;
  gboolean          included;       /* matches the config's table filters */
  char             *extension;      /* owning extension: never copied */

  /* Partitioning and inheritance */
  FerryTable       *partition_parent;  /* borrowed; the top partitioned table */
  GPtrArray        *partitions;        /* FerryTable*, borrowed: every leaf */
  char            **inherits;          /* display names of inheritance parents */

  /* Shape */
  GPtrArray        *columns;        /* FerryColumn*, owned */
  FerryKey         *primary_key;    /* owned, may be NULL */
  GPtrArray        *unique_keys;    /* FerryKey*, owned */
  GPtrArray        *parents;        /* FerryForeignKey* where child == self, borrowed */
  GPtrArray        *children;       /* FerryForeignKey* where parent == self, borrowed */
  char            **triggers;       /* user (non-internal) triggers */
  gboolean          rls_enabled;
  gboolean          rls_forced;
  guint             n_policies;

  /* Size */
  guint64           size_bytes;     /* pg_table_size(): heap + TOAST */
  gint64            row_estimate;   /* reltuples, -1 when never analyzed */
  guint64           pages;          /* relpages */

  /* Chunking: a single-column integer primary key, and its range when
   * the catalog read it (only for tables that need more than one chunk). */
  FerryColumn      *chunk_key;      /* borrowed from columns */
  gboolean          has_key_range;
  gint64            key_min;
  gint64            key_max;

  /* Set by the analyzer */
  int               level;

  /* Live state */
  FerryTableStatus  status;
  guint64           rows_done;
  guint64           bytes_done;
  guint             attempts;
  char             *last_error;
};

void ferry_column_free       (FerryColumn     *column);
void ferry_key_free          (FerryKey        *key);
void ferry_foreign_key_free  (FerryForeignKey *fk);

G_END_DECLS
