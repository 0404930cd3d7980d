/* ferry-copy.h — streaming COPY from one server to the other
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ferry-connection.h"
#include "ferry-types.h"

G_BEGIN_DECLS

typedef struct {
  guint64 rows;        /* as the target counted them */
  guint64 bytes;       /* COPY data moved */
  guint64 checksum;    /* of the COPY stream, for the journal */
} FerryCopyResult;

/* Where a copy in progress shows how far it got; read from any thread. */
typedef struct {
  gint64 rows;
  gint64 bytes;
} FerryCopyProgress;

char     *ferry_copy_select_sql  (const char          *quoted_heap,
                                  const char * const  *columns,
                                  const char          *predicate,
                                  FerryCopyFormat      format);
char     *ferry_copy_insert_sql  (const char          *quoted_heap,
                                  const char * const  *columns,
                                  FerryCopyFormat      format);
gboolean  ferry_copy_stream      (FerryConnection     *source,
                                  FerryConnection     *target,
                                  const char          *select_sql,
                                  const char          *insert_sql,
                                  FerryCopyProgress   *progress,
                                  FerryCopyResult     *result,
                                  GError             **error);

G_END_DECLS
