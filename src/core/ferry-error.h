/* ferry-error.h — Ferry's error domains
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

#define FERRY_ERROR (ferry_error_quark ())

/**
 * FerryError:
 * @FERRY_ERROR_FAILED: a failure without a more specific code
 * @FERRY_ERROR_CONFIG: the configuration file or a value in it is invalid
 * @FERRY_ERROR_CONNECTION: a server could not be reached or the connection was lost
 * @FERRY_ERROR_QUERY: a query failed (see FERRY_PG_ERROR for the server's details)
 * @FERRY_ERROR_TIMEOUT: an operation ran over its time limit
 * @FERRY_ERROR_CANCELLED: an operation was cancelled
 * @FERRY_ERROR_CATALOG: the catalog could not be read or is inconsistent
 * @FERRY_ERROR_PLAN: a plan is invalid
 * @FERRY_ERROR_STATE: an action is not allowed in the current state
 * @FERRY_ERROR_NOT_FOUND: a named object does not exist
 * @FERRY_ERROR_IO: a file could not be read or written
 */
typedef enum {
  FERRY_ERROR_FAILED,
  FERRY_ERROR_CONFIG,
  FERRY_ERROR_CONNECTION,
  FERRY_ERROR_QUERY,
  FERRY_ERROR_TIMEOUT,
  FERRY_ERROR_CANCELLED,
  FERRY_ERROR_CATALOG,
  FERRY_ERROR_PLAN,
  FERRY_ERROR_STATE,
  FERRY_ERROR_NOT_FOUND,
  FERRY_ERROR_IO,
} FerryError;

GQuark ferry_error_quark (void);

/*
 * Errors reported by a PostgreSQL server keep what the server said:
 * the SQLSTATE, the primary message (the GError's message), the detail,
 * the hint and the context. They are GErrors in the FERRY_ERROR domain
 * (code QUERY, CONNECTION, TIMEOUT …) whose extra fields are read with
 * the accessors below; they return NULL for any other error.
 */
const char *ferry_error_get_sqlstate (const GError *error);
const char *ferry_error_get_detail   (const GError *error);
const char *ferry_error_get_hint     (const GError *error);
const char *ferry_error_get_context  (const GError *error);

void        ferry_set_error_from_result (GError         **error,
                                         const PGresult  *result,
                                         const char      *what);
void        ferry_set_error_from_conn   (GError         **error,
                                         PGconn          *conn,
                                         const char      *what);
void        ferry_error_set_pg_fields   (GError          *error,
                                         const char      *sqlstate,
                                         const char      *detail,
                                         const char      *hint,
                                         const char      *context);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

G_END_DECLS
