/* ferry-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-error"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-error.h"

typedef struct {
  char *sqlstate;
  char *detail;
  char *hint;
  char *context;
} FerryErrorPrivate;

static void
ferry_error_private_init (FerryErrorPrivate *priv)
{
}

static void
ferry_error_private_copy (const FerryErrorPrivate *src,
                          FerryErrorPrivate       *dest)
{
  dest->sqlstate = g_strdup (src->sqlstate);
  dest->detail = g_strdup (src->detail);
  dest->hint = g_strdup (src->hint);
  dest->context = g_strdup (src->context);
}

static void
ferry_error_private_clear (FerryErrorPrivate *priv)
{
  g_clear_pointer (&priv->sqlstate, g_free);
  g_clear_pointer (&priv->detail, g_free);
  g_clear_pointer (&priv->hint, g_free);
  g_clear_pointer (&priv->context, g_free);
}

G_DEFINE_EXTENDED_ERROR (FerryError, ferry_error)

#define DEFINE_GETTER(field)                                         \
  const char *                                                       \
  ferry_error_get_##field (const GError *error)                      \
  {                                                                  \
    FerryErrorPrivate *priv;                                         \
                                                                     \
    if (error == NULL || error->domain != FERRY_ERROR)               \
      return NULL;                                                   \
    priv = ferry_error_get_private (error);                          \
    return priv != NULL ? priv->field : NULL;                        \
  }

DEFINE_GETTER (sqlstate)
DEFINE_GETTER (detail)
DEFINE_GETTER (hint)
DEFINE_GETTER (context)

static char *
dup_nonempty (const char *s)
{
  if (s == NULL || *s == '\0')
    return NULL;
  return g_strchomp (g_strdup (s));
}

void
ferry_error_set_pg_fields (GError     *error,
                           const char *sqlstate,
                           const char *detail,
                           const char *hint,
                           const char *context)
{
  FerryErrorPrivate *priv;

  g_return_if_fail (error != NULL);

  priv = ferry_error_get_private (error);
  g_return_if_fail (priv != NULL);

  ferry_error_private_clear (priv);
  priv->sqlstate = dup_nonempty (sqlstate);
  priv->detail = dup_nonempty (detail);
  priv->hint = dup_nonempty (hint);
  priv->context = dup_nonempty (context);
}

static FerryError
code_for_sqlstate (const char *sqlstate)
{
  if (sqlstate == NULL)
    return FERRY_ERROR_CONNECTION;
  if (g_str_has_prefix (sqlstate, "08"))
    return FERRY_ERROR_CONNECTION;
  if (g_str_equal (sqlstate, "57014"))
    return FERRY_ERROR_TIMEOUT;
  return FERRY_ERROR_QUERY;
}

/**
 * ferry_set_error_from_result:
 * @error: return location
 * @result: (nullable): a failed result
 * @what: a short description of what was being done, or %NULL
 *
 * Turns a server error into a GError that keeps the SQLSTATE, detail,
 * hint and context. The message is the server's primary message,
 * prefixed with @what.
 */
void
ferry_set_error_from_result (GError         **error,
                             const PGresult  *result,
                             const char      *what)
{
  const char *sqlstate = NULL;
  const char *primary = NULL;
  g_autofree char *message = NULL;
  GError *err;

  if (error == NULL)
    return;

  if (result != NULL)
    {
      sqlstate = PQresultErrorField (result, PG_DIAG_SQLSTATE);
      primary = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
      if (primary == NULL)
        primary = PQresultErrorMessage (result);
    }

  if (primary == NULL || *primary == '\0')
    primary = _("the server returned no error message");

  message = g_strchomp (g_strdup (primary));

  if (what != NULL)
    err = g_error_new (FERRY_ERROR, code_for_sqlstate (sqlstate), "%s: %s", what, message);
  else
    err = g_error_new_literal (FERRY_ERROR, code_for_sqlstate (sqlstate), message);

  if (result != NULL)
    ferry_error_set_pg_fields (err,
                               sqlstate,
                               PQresultErrorField (result, PG_DIAG_MESSAGE_DETAIL),
                               PQresultErrorField (result, PG_DIAG_MESSAGE_HINT),
                               PQresultErrorField (result, PG_DIAG_CONTEXT));

  g_propagate_error (error, err);
}

/**
 * ferry_set_error_from_conn:
 *
 * For failures that have no result: a connection that could not be
 * made, or was lost. The SQLSTATE is 08006 (connection failure) so that
 * the error handler treats it as temporary.
 */
void
ferry_set_error_from_conn (GError     **error,
                           PGconn      *conn,
                           const char  *what)
{
  g_autofree char *message = NULL;
  GError *err;

  if (error == NULL)
    return;

  message = g_strchomp (g_strdup (conn != NULL ? PQerrorMessage (conn) : ""));
  if (*message == '\0')
    {
      g_free (message);
      message = g_strdup (_("the connection was lost"));
    }

  if (what != NULL)
    err = g_error_new (FERRY_ERROR, FERRY_ERROR_CONNECTION, "%s: %s", what, message);
  else
    err = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_CONNECTION, message);

  ferry_error_set_pg_fields (err, "08006", NULL, NULL, NULL);
  g_propagate_error (error, err);
}
