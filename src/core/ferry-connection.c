/* ferry-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-connection"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ferry-connection.h"

struct _FerryConnection
{
  GObject  parent_instance;

  char    *conninfo;
  char    *display_name;
  char    *label;
  char    *version_string;

  GMutex   cancel_lock;
  PGconn  *conn;
  PGcancel *cancel;
};

G_DEFINE_FINAL_TYPE (FerryConnection, ferry_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNINFO,
  PROP_DISPLAY_NAME,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ferry_connection_finalize (GObject *object)
{
  FerryConnection *self = (FerryConnection *)object;

  ferry_connection_close (self);
  g_mutex_clear (&self->cancel_lock);
  g_clear_pointer (&self->conninfo, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->version_string, g_free);

  G_OBJECT_CLASS (ferry_connection_parent_class)->finalize (object);
}

static void
ferry_connection_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FerryConnection *self = FERRY_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      g_value_set_string (value, self->conninfo);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_connection_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FerryConnection *self = FERRY_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      self->conninfo = g_value_dup_string (value);
      if (self->conninfo == NULL)
        self->conninfo = g_strdup ("");
      self->display_name = ferry_conninfo_mask (self->conninfo);
      break;
    case PROP_LABEL:
      self->label = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_connection_class_init (FerryConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_connection_finalize;
  object_class->get_property = ferry_connection_get_property;
  object_class->set_property = ferry_connection_set_property;

  properties[PROP_CONNINFO] =
    g_param_spec_string ("conninfo", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_connection_init (FerryConnection *self)
{
  g_mutex_init (&self->cancel_lock);
}

/**
 * ferry_connection_new:
 * @conninfo: a libpq URI or key/value connection string (may be empty:
 *   libpq's environment variables and defaults then apply)
 * @label: (nullable): what the connection is for, e.g. "source"; used in
 *   error messages
 */
FerryConnection *
ferry_connection_new (const char *conninfo,
                      const char *label)
{
  return g_object_new (FERRY_TYPE_CONNECTION,
                       "conninfo", conninfo ? conninfo : "",
                       "label", label ? label : _("database"),
                       NULL);
}

const char *
ferry_connection_get_conninfo (FerryConnection *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION (self), NULL);
  return self->conninfo;
}

const char *
ferry_connection_get_display_name (FerryConnection *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION (self), NULL);
  return self->display_name;
}

const char *
ferry_connection_get_label (FerryConnection *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION (self), NULL);
  return self->label;
}

static void
notice_processor (void       *arg,
                  const char *message)
{
  g_debug ("%s", message);
}

static gboolean
wait_socket (PGconn       *conn,
             gboolean      for_write,
             gint64        deadline,
             GCancellable *cancellable,
             GError      **error)
{
  for (;;)
    {
      struct pollfd pfd = { .fd = PQsocket (conn), .events = for_write ? POLLOUT : POLLIN };
      int timeout_ms = 100;
      int rc;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (deadline > 0)
        {
          gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
          if (left <= 0)
            {
              g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TIMEOUT,
                                   _("timed out while connecting"));
              return FALSE;
            }
          timeout_ms = MIN (timeout_ms, (int)left);
        }

      rc = poll (&pfd, 1, timeout_ms);
      if (rc > 0)
        return TRUE;
      if (rc < 0 && errno != EINTR)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONNECTION,
                       "poll: %s", g_strerror (errno));
          return FALSE;
        }
    }
}

/* TCP keepalives for every connection, unless its connection string
 * says otherwise: the first probe after 30 s of silence, then every
 * 10 s; six unanswered probes (about 90 s) and the connection is dead.
 * Unix sockets ignore them. */
static const struct {
  const char *keyword;
  const char *value;
} keepalives[] = {
  { "keepalives", "1" },
  { "keepalives_idle", "30" },
  { "keepalives_interval", "10" },
  { "keepalives_count", "6" },
};

/**
 * ferry_connection_open:
 * @connect_timeout: seconds to wait for the server, 0 for libpq's default
 * @query_timeout: statement_timeout in seconds for every query, 0 for none
 *
 * Connects. Blocks the calling thread (never call it from the main
 * loop of a GUI) but honours @cancellable while it waits.
 */
gboolean
ferry_connection_open (FerryConnection  *self,
                       guint             connect_timeout,
                       guint             query_timeout,
                       GCancellable     *cancellable,
                       GError          **error)
{
  g_autofree char *timeout_str = NULL;
  g_autofree char *options = NULL;
  const char *user_options = NULL;
  PQconninfoOption *parsed;
  char *parse_error = NULL;
  const char *keywords[8 + G_N_ELEMENTS (keepalives)];
  const char *values[8 + G_N_ELEMENTS (keepalives)];
  char *password = NULL;
  gint64 deadline = 0;
  PGconn *conn;
  guint n = 0;

  g_return_val_if_fail (FERRY_IS_CONNECTION (self), FALSE);

  ferry_connection_close (self);

  parsed = PQconninfoParse (self->conninfo, &parse_error);
  if (parsed == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONNECTION,
                   _("Invalid %s connection string: %s"),
                   self->label, parse_error ? g_strchomp (parse_error) : _("out of memory"));
      PQfreemem (parse_error);
      return FALSE;
    }
  for (PQconninfoOption *o = parsed; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "options") && o->val != NULL)
      user_options = o->val;

  /* TCP keepalives, before the user's connection string so that what it
   * says wins: a network that dies silently must not leave a COPY
   * waiting for a server that will never answer. */
  for (guint k = 0; k < G_N_ELEMENTS (keepalives); k++)
    {
      keywords[n] = keepalives[k].keyword;
      values[n++] = keepalives[k].value;
    }

  if (query_timeout > 0)
    options = g_strdup_printf ("%s%s-c statement_timeout=%us",
                               user_options ? user_options : "",
                               user_options ? " " : "",
                               query_timeout);
  else
    options = g_strdup (user_options);
  PQconninfoFree (parsed);

  keywords[n] = "dbname";                    values[n++] = self->conninfo;
  keywords[n] = "fallback_application_name"; values[n++] = "ferry";
  if (options != NULL)
    {
      keywords[n] = "options";
      values[n++] = options;
    }
  if (connect_timeout > 0)
    {
      timeout_str = g_strdup_printf ("%u", connect_timeout);
      keywords[n] = "connect_timeout";
      values[n++] = timeout_str;
      deadline = g_get_monotonic_time () + (gint64)connect_timeout * G_USEC_PER_SEC;
    }
  password = ferry_conninfo_lookup_password (self->conninfo);
  if (password != NULL)
    {
      keywords[n] = "password";
      values[n++] = password;
    }
  keywords[n] = NULL;
  values[n] = NULL;

  conn = PQconnectStartParams (keywords, values, 1);
  if (password != NULL)
    {
      explicit_bzero (password, strlen (password));
      g_clear_pointer (&password, g_free);
    }
  if (conn == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONNECTION,
                   _("Could not connect to the %s: out of memory"), self->label);
      return FALSE;
    }

  if (PQstatus (conn) != CONNECTION_BAD)
    {
      PostgresPollingStatusType status = PGRES_POLLING_WRITING;

      while (status != PGRES_POLLING_OK && status != PGRES_POLLING_FAILED)
        {
          g_autoptr(GError) wait_error = NULL;

          if (!wait_socket (conn, status == PGRES_POLLING_WRITING, deadline,
                            cancellable, &wait_error))
            {
              g_set_error (error, FERRY_ERROR,
                           wait_error->domain == G_IO_ERROR ? FERRY_ERROR_CANCELLED : wait_error->code,
                           _("Could not connect to the %s (%s): %s"),
                           self->label, self->display_name, wait_error->message);
              PQfinish (conn);
              return FALSE;
            }
          status = PQconnectPoll (conn);
        }
    }

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *what = g_strdup_printf (_("Could not connect to the %s (%s)"),
                                               self->label, self->display_name);
      ferry_set_error_from_conn (error, conn, what);
      PQfinish (conn);
      return FALSE;
    }

  PQsetNoticeProcessor (conn, notice_processor, NULL);

  g_mutex_lock (&self->cancel_lock);
  self->conn = conn;
  self->cancel = PQgetCancel (conn);
  g_mutex_unlock (&self->cancel_lock);

  g_clear_pointer (&self->version_string, g_free);
  self->version_string = g_strdup (PQparameterStatus (conn, "server_version"));

  /* Ferry always works in UTF-8 and with a known search path so that
   * the names it builds mean the same on both servers. */
  if (PQsetClientEncoding (conn, "UTF8") != 0 ||
      !ferry_connection_exec (self, "SELECT pg_catalog.set_config('search_path', '', false)", error))
    {
      if (error != NULL && *error == NULL)
        ferry_set_error_from_conn (error, conn, _("Could not set the client encoding"));
      ferry_connection_close (self);
      return FALSE;
    }

  return TRUE;
}

void
ferry_connection_close (FerryConnection *self)
{
  PGconn *conn;
  PGcancel *cancel;

  g_return_if_fail (FERRY_IS_CONNECTION (self));

  g_mutex_lock (&self->cancel_lock);
  conn = g_steal_pointer (&self->conn);
  cancel = g_steal_pointer (&self->cancel);
  g_mutex_unlock (&self->cancel_lock);

  if (cancel != NULL)
    PQfreeCancel (cancel);
  if (conn != NULL)
    PQfinish (conn);
}

gboolean
ferry_connection_is_open (FerryConnection *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION (self), FALSE);
  return self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK;
}

PGconn *
ferry_connection_get_pgconn (FerryConnection *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION (self), NULL);
  return self->conn;
}

int
ferry_connection_get_server_version (FerryConnection *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION (self), 0);
  return self->conn ? PQserverVersion (self->conn) : 0;
}

const char *
ferry_connection_get_server_version_string (FerryConnection *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION (self), NULL);
  return self->version_string;
}

int
ferry_connection_get_backend_pid (FerryConnection *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION (self), 0);
  return self->conn ? PQbackendPID (self->conn) : 0;
}

/**
 * ferry_connection_cancel:
 *
 * Asks the server to cancel the query running on this connection. Safe
 * to call from any thread.
 */
gboolean
ferry_connection_cancel (FerryConnection *self)
{
  char errbuf[256];
  gboolean ret = FALSE;

  g_return_val_if_fail (FERRY_IS_CONNECTION (self), FALSE);

  g_mutex_lock (&self->cancel_lock);
  if (self->cancel != NULL)
    ret = PQcancel (self->cancel, errbuf, sizeof errbuf) == 1;
  g_mutex_unlock (&self->cancel_lock);

  return ret;
}

static gboolean
check_open (FerryConnection  *self,
            GError          **error)
{
  if (self->conn == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONNECTION,
                   _("The %s connection is not open"), self->label);
      return FALSE;
    }
  return TRUE;
}

static PGresult *
check_result (FerryConnection  *self,
              PGresult         *result,
              GError          **error)
{
  ExecStatusType status = result ? PQresultStatus (result) : PGRES_FATAL_ERROR;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ||
      status == PGRES_COPY_IN || status == PGRES_COPY_OUT)
    return result;

  if (result == NULL || PQstatus (self->conn) == CONNECTION_BAD)
    {
      g_autofree char *what = g_strdup_printf (_("Lost the connection to the %s"), self->label);
      ferry_set_error_from_conn (error, self->conn, what);
    }
  else
    ferry_set_error_from_result (error, result, NULL);

  g_clear_pointer (&result, PQclear);
  return NULL;
}

/**
 * ferry_connection_query:
 *
 * Runs @sql and returns its result, or %NULL with @error set (keeping
 * the server's SQLSTATE, detail and hint).
 */
PGresult *
ferry_connection_query (FerryConnection  *self,
                        const char       *sql,
                        GError          **error)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  if (!check_open (self, error))
    return NULL;

  return check_result (self, PQexec (self->conn, sql), error);
}

PGresult *
ferry_connection_query_params (FerryConnection    *self,
                               const char         *sql,
                               int                 n_params,
                               const char *const  *values,
                               GError            **error)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  if (!check_open (self, error))
    return NULL;

  return check_result (self,
                       PQexecParams (self->conn, sql, n_params, NULL,
                                     values, NULL, NULL, 0),
                       error);
}

gboolean
ferry_connection_exec (FerryConnection  *self,
                       const char       *sql,
                       GError          **error)
{
  g_autoptr(PGresult) result = ferry_connection_query (self, sql, error);
  return result != NULL;
}

/**
 * ferry_connection_rollback_quietly:
 *
 * Ends the connection's transaction, if one is open, with a ROLLBACK
 * whose own failure does not matter: the caller already has the error
 * that brought it here, and a broken connection is found by its next
 * use. Does nothing on a closed connection.
 */
void
ferry_connection_rollback_quietly (FerryConnection *self)
{
  if (self == NULL || self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    return;
  if (PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    ferry_connection_exec (self, "ROLLBACK", NULL);
}

/**
 * ferry_connection_query_value:
 *
 * Returns the first column of the first row as a string, %NULL for a
 * SQL NULL or no row (with @error unset), or %NULL with @error set.
 */
char *
ferry_connection_query_value (FerryConnection  *self,
                              const char       *sql,
                              GError          **error)
{
  g_autoptr(PGresult) result = ferry_connection_query (self, sql, error);

  if (result == NULL || PQntuples (result) < 1 || PQnfields (result) < 1 ||
      PQgetisnull (result, 0, 0))
    return NULL;

  return g_strdup (PQgetvalue (result, 0, 0));
}

/* Passwords typed into the app (or read from the keyring) live in
 * memory only, keyed by the connection string they belong to, and reach
 * libpq as the "password" keyword: never in a file, a conninfo string
 * that could be shown, or the journal. */

G_LOCK_DEFINE_STATIC (passwords);
static GHashTable *passwords;

static void
password_free (gpointer data)
{
  char *password = data;

  explicit_bzero (password, strlen (password));
  g_free (password);
}

/**
 * ferry_conninfo_set_password:
 * @password: (nullable): the password, or %NULL to forget it
 *
 * Remembers @password, in this process only, for connections made with
 * exactly @conninfo.
 */
void
ferry_conninfo_set_password (const char *conninfo,
                             const char *password)
{
  g_return_if_fail (conninfo != NULL);

  G_LOCK (passwords);
  if (passwords == NULL)
    passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, password_free);
  if (password != NULL && *password != '\0')
    g_hash_table_insert (passwords, g_strdup (conninfo), g_strdup (password));
  else
    g_hash_table_remove (passwords, conninfo);
  G_UNLOCK (passwords);
}

/**
 * ferry_conninfo_lookup_password:
 *
 * Returns: (transfer full) (nullable): a copy of the password set for
 *   @conninfo; clear it with explicit_bzero() before freeing
 */
char *
ferry_conninfo_lookup_password (const char *conninfo)
{
  char *ret = NULL;

  if (conninfo == NULL)
    return NULL;

  G_LOCK (passwords);
  if (passwords != NULL)
    ret = g_strdup (g_hash_table_lookup (passwords, conninfo));
  G_UNLOCK (passwords);

  return ret;
}

/* Conninfo helpers */

gboolean
ferry_conninfo_validate (const char  *conninfo,
                         GError     **error)
{
  char *parse_error = NULL;
  PQconninfoOption *opts = PQconninfoParse (conninfo ? conninfo : "", &parse_error);

  if (opts == NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           parse_error ? g_strchomp (parse_error) : _("out of memory"));
      PQfreemem (parse_error);
      return FALSE;
    }
  PQconninfoFree (opts);
  return TRUE;
}

/**
 * ferry_conninfo_with_keepalives:
 *
 * For a client program (pg_dump, pg_restore) that connects with
 * @conninfo: the same string with Ferry's TCP keepalives added, each
 * only where @conninfo does not set it already.
 *
 * Returns: (transfer full): the connection string to pass
 */
char *
ferry_conninfo_with_keepalives (const char *conninfo)
{
  PQconninfoOption *opts = PQconninfoParse (conninfo ? conninfo : "", NULL);
  gboolean uri = conninfo != NULL && (g_str_has_prefix (conninfo, "postgresql://") ||
                                      g_str_has_prefix (conninfo, "postgres://"));
  GString *out = g_string_new (conninfo);

  if (opts == NULL)
    return g_string_free (out, FALSE);

  for (guint k = 0; k < G_N_ELEMENTS (keepalives); k++)
    {
      gboolean set = FALSE;

      for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
        if (g_str_equal (o->keyword, keepalives[k].keyword) && o->val != NULL)
          set = TRUE;
      if (set)
        continue;
      if (uri)
        g_string_append_printf (out, "%c%s=%s", strchr (out->str, '?') ? '&' : '?',
                                keepalives[k].keyword, keepalives[k].value);
      else
        g_string_append_printf (out, "%s%s=%s", out->len > 0 ? " " : "",
                                keepalives[k].keyword, keepalives[k].value);
    }
  PQconninfoFree (opts);
  return g_string_free (out, FALSE);
}

gboolean
ferry_conninfo_has_password (const char *conninfo)
{
  PQconninfoOption *opts = PQconninfoParse (conninfo ? conninfo : "", NULL);
  gboolean ret = FALSE;

  if (opts == NULL)
    return FALSE;
  for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "password") && o->val != NULL && *o->val != '\0')
      ret = TRUE;
  PQconninfoFree (opts);
  return ret;
}

/**
 * ferry_conninfo_append_value:
 * @str: a key/value connection string being built
 * @value: a value, as libpq should read it back
 *
 * Appends @value as libpq's key/value syntax wants it: as it is when it
 * can be, otherwise in single quotes with every ' and \ escaped by a
 * backslash. An empty value, and one with white space, a quote or a
 * backslash, is quoted. Other bytes (UTF-8 included) pass unchanged.
 */
void
ferry_conninfo_append_value (GString    *str,
                             const char *value)
{
  gboolean needs_quotes;

  g_return_if_fail (str != NULL);
  g_return_if_fail (value != NULL);

  needs_quotes = *value == '\0';
  for (const char *p = value; *p != '\0' && !needs_quotes; p++)
    needs_quotes = g_ascii_isspace (*p) || *p == '\'' || *p == '\\';

  if (!needs_quotes)
    {
      g_string_append (str, value);
      return;
    }

  g_string_append_c (str, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (str, '\\');
      g_string_append_c (str, *p);
    }
  g_string_append_c (str, '\'');
}

/**
 * ferry_conninfo_build:
 * @keywords: libpq keywords, %NULL-terminated
 * @values: a value for each keyword; %NULL or empty ones are left out
 *
 * A key/value connection string from pairs, each value quoted by
 * ferry_conninfo_append_value().
 */
char *
ferry_conninfo_build (const char * const *keywords,
                      const char * const *values)
{
  GString *str;

  g_return_val_if_fail (keywords != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  str = g_string_new (NULL);
  for (guint i = 0; keywords[i] != NULL; i++)
    {
      if (values[i] == NULL || *values[i] == '\0')
        continue;
      if (str->len > 0)
        g_string_append_c (str, ' ');
      g_string_append_printf (str, "%s=", keywords[i]);
      ferry_conninfo_append_value (str, values[i]);
    }

  return g_string_free (str, FALSE);
}

/**
 * ferry_conninfo_mask:
 *
 * Returns @conninfo as a key/value string that names every option it
 * sets, with any password replaced by asterisks. Invalid strings are
 * not echoed (they might hold a password libpq could not parse).
 */
char *
ferry_conninfo_mask (const char *conninfo)
{
  PQconninfoOption *opts;
  GString *str;

  if (conninfo == NULL || *conninfo == '\0')
    return g_strdup (_("(defaults from the environment)"));

  opts = PQconninfoParse (conninfo, NULL);
  if (opts == NULL)
    return g_strdup (_("(invalid connection string)"));

  str = g_string_new (NULL);
  for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
    {
      if (o->val == NULL || *o->val == '\0')
        continue;
      if (str->len > 0)
        g_string_append_c (str, ' ');
      g_string_append (str, o->keyword);
      g_string_append_c (str, '=');
      if (g_str_equal (o->keyword, "password") || o->dispchar[0] == '*')
        g_string_append (str, "********");
      else
        ferry_conninfo_append_value (str, o->val);
    }
  PQconninfoFree (opts);

  if (str->len == 0)
    g_string_append (str, _("(defaults from the environment)"));

  return g_string_free (str, FALSE);
}

/* Quoting */

/**
 * ferry_quote_ident:
 *
 * Quotes an identifier for SQL. Always quotes, so that mixed case,
 * reserved words and any character survive; embedded double quotes are
 * doubled, as PQescapeIdentifier does.
 */
char *
ferry_quote_ident (const char *ident)
{
  GString *str = g_string_sized_new (strlen (ident) + 2);

  g_string_append_c (str, '"');
  for (const char *p = ident; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (str, '"');
      g_string_append_c (str, *p);
    }
  g_string_append_c (str, '"');

  return g_string_free (str, FALSE);
}

char *
ferry_quote_qualified (const char *schema,
                       const char *name)
{
  g_autofree char *s = ferry_quote_ident (schema);
  g_autofree char *n = ferry_quote_ident (name);

  return g_strconcat (s, ".", n, NULL);
}

/**
 * ferry_quote_literal:
 *
 * Quotes a string literal the way quote_literal() does, with E'' when
 * there are backslashes, so that it is right whatever
 * standard_conforming_strings says.
 */
char *
ferry_quote_literal (const char *value)
{
  GString *str = g_string_sized_new (strlen (value) + 3);

  if (strchr (value, '\\') != NULL)
    g_string_append_c (str, 'E');
  g_string_append_c (str, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (str, *p);
      g_string_append_c (str, *p);
    }
  g_string_append_c (str, '\'');

  return g_string_free (str, FALSE);
}
