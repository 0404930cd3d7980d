/* ferry-connection.h — one libpq connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

#include "ferry-error.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CONNECTION (ferry_connection_get_type ())

G_DECLARE_FINAL_TYPE (FerryConnection, ferry_connection, FERRY, CONNECTION, GObject)

FerryConnection *ferry_connection_new                (const char       *conninfo,
                                                      const char       *label);
gboolean         ferry_connection_open               (FerryConnection  *self,
                                                      guint             connect_timeout,
                                                      guint             query_timeout,
                                                      GCancellable     *cancellable,
                                                      GError          **error);
void             ferry_connection_close              (FerryConnection  *self);
gboolean         ferry_connection_is_open            (FerryConnection  *self);
const char      *ferry_connection_get_conninfo       (FerryConnection  *self);
const char      *ferry_connection_get_display_name   (FerryConnection  *self);
const char      *ferry_connection_get_label          (FerryConnection  *self);
int              ferry_connection_get_server_version (FerryConnection  *self);
const char      *ferry_connection_get_server_version_string
                                                     (FerryConnection  *self);
PGconn          *ferry_connection_get_pgconn         (FerryConnection  *self);
int              ferry_connection_get_backend_pid    (FerryConnection  *self);

PGresult        *ferry_connection_query              (FerryConnection  *self,
                                                      const char       *sql,
                                                      GError          **error);
PGresult        *ferry_connection_query_params       (FerryConnection  *self,
                                                      const char       *sql,
                                                      int               n_params,
                                                      const char *const *values,
                                                      GError          **error);
gboolean         ferry_connection_exec               (FerryConnection  *self,
                                                      const char       *sql,
                                                      GError          **error);
void             ferry_connection_rollback_quietly   (FerryConnection  *self);
char            *ferry_connection_query_value        (FerryConnection  *self,
                                                      const char       *sql,
                                                      GError          **error);
gboolean         ferry_connection_cancel             (FerryConnection  *self);

/* Conninfo helpers: work for URIs and key/value strings alike. */
gboolean         ferry_conninfo_validate             (const char       *conninfo,
                                                      GError          **error);
gboolean         ferry_conninfo_has_password         (const char       *conninfo);
char            *ferry_conninfo_with_keepalives      (const char       *conninfo);
char            *ferry_conninfo_mask                 (const char       *conninfo);
void             ferry_conninfo_set_password         (const char       *conninfo,
                                                      const char       *password);
char            *ferry_conninfo_lookup_password      (const char       *conninfo);
void             ferry_conninfo_append_value         (GString          *str,
                                                      const char       *value);
char            *ferry_conninfo_build                (const char * const *keywords,
                                                      const char * const *values);

/* Quoting: identifiers and literals for SQL built by Ferry. */
char            *ferry_quote_ident                   (const char       *ident);
char            *ferry_quote_qualified               (const char       *schema,
                                                      const char       *name);
char            *ferry_quote_literal                 (const char       *value);

G_END_DECLS
