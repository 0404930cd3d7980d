/* ferry-large-objects.c — copying the source's large objects
 *
 * Large objects (lo_import, lo_create) live in pg_largeobject, outside
 * every table; columns of type oid or lo hold their numbers. They are
 * copied after the tables, on the control connections, in the run's
 * snapshot of the source, keeping each object's OID, owner, grants and
 * comment.
 *
 * Exactly once: objects go in ascending OID order, in batches bounded
 * by count and bytes; each batch commits on the target in one
 * transaction together with its row in the journal's
 * large_object_batch. A resumed run starts after the highest OID the
 * journal has; a batch that was cut short rolled back and is copied
 * again. Data moves in pieces of at most PIECE_BYTES (lo_get on the
 * source, lo_from_bytea / lo_put on the target), so memory stays
 * bounded whatever an object's size, and a stop is honoured between
 * pieces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-large-objects"

#include "config.h"

#include "ferry-large-objects.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ferry-coordinator-private.h"

/* An object up to this size is read whole, together with others of its
 * batch (a group of up to GROUP_BYTES); a larger one in pieces. */
#define PIECE_BYTES  (1024 * 1024)
#define GROUP_BYTES  (4 * 1024 * 1024)
/* Source OIDs compared with the target's at once. */
#define SURVEY_PAGE  10000
#define VALIDATE_PAGE 1000

#define OID_ARRAY    1028   /* pg_type: _oid */
#define BYTEA_ARRAY  1001   /* pg_type: _bytea */
#define INV_READ     "262144"

/* The size of each object: lo_lseek64 to its end reads one index entry,
 * not the data. @FROM is a relation with an "oid" column. */
#define SIZE_LATERAL \
  " LATERAL (SELECT pg_catalog.lo_lseek64(d.fd, 0, 2) AS size, pg_catalog.lo_close(d.fd) AS closed" \
  "          FROM (SELECT pg_catalog.lo_open(m.oid, " INV_READ ") AS fd OFFSET 0) d) s"

/* Binary query helpers */

static PGresult *
query_binary (FerryConnection     *connection,
              const char          *sql,
              int                  n_params,
              const Oid           *types,
              const char * const  *values,
              const int           *lengths,
              const int           *formats,
              gboolean             binary_result,
              GError             **error)
{
  PGconn *conn = ferry_connection_get_pgconn (connection);
  PGresult *result;
  ExecStatusType status;

  if (conn == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONNECTION,
                   _("The %s connection is not open"), ferry_connection_get_label (connection));
      return NULL;
    }

  result = PQexecParams (conn, sql, n_params, types, values, lengths, formats, binary_result ? 1 : 0);
  status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
    return result;

  if (result == NULL || PQstatus (conn) == CONNECTION_BAD)
    {
      g_autofree char *what = g_strdup_printf (_("Lost the connection to the %s"),
                                               ferry_connection_get_label (connection));
      ferry_set_error_from_conn (error, conn, what);
    }
  else
    ferry_set_error_from_result (error, result, NULL);
  g_clear_pointer (&result, PQclear);
  return NULL;
}

static void
put_uint32 (GByteArray *buffer,
            guint32     value)
{
  guint32 be = GUINT32_TO_BE (value);
  g_byte_array_append (buffer, (const guint8 *)&be, sizeof be);
}

/* The binary form of a one-dimensional array without NULLs (array_recv). */
static GByteArray *
array_begin (guint32 element_type,
             guint   n_elements)
{
  GByteArray *buffer = g_byte_array_new ();

  put_uint32 (buffer, 1);             /* dimensions */
  put_uint32 (buffer, 0);             /* has NULLs */
  put_uint32 (buffer, element_type);
  put_uint32 (buffer, n_elements);
  put_uint32 (buffer, 1);             /* lower bound */
  return buffer;
}

static void
array_add (GByteArray   *buffer,
           const void   *data,
           guint32       length)
{
  put_uint32 (buffer, length);
  g_byte_array_append (buffer, data, length);
}

static GByteArray *
oid_array (const guint32 *oids,
           guint          n)
{
  GByteArray *buffer = array_begin (26, n);

  for (guint i = 0; i < n; i++)
    {
      guint32 be = GUINT32_TO_BE (oids[i]);
      array_add (buffer, &be, sizeof be);
    }
  return buffer;
}

static guint32
binary_oid (PGresult *result,
            int       row,
            int       column)
{
  guint32 be;

  g_assert (PQgetlength (result, row, column) == sizeof be);
  memcpy (&be, PQgetvalue (result, row, column), sizeof be);
  return GUINT32_FROM_BE (be);
}

static gint64
binary_int64 (PGresult *result,
              int       row,
              int       column)
{
  guint64 be;

  g_assert (PQgetlength (result, row, column) == sizeof be);
  memcpy (&be, PQgetvalue (result, row, column), sizeof be);
  return (gint64)GUINT64_FROM_BE (be);
}

/* Lists the target's large objects among @oids (all when @n_oids is 0
 * rows, none asked). Up to @max_listed go to @listed; returns how many
 * there are, or -1 with @error set. */
static gint64
find_on_target (FerryConnection  *target,
                const char       *journal_schema,
                const guint32    *oids,
                guint             n_oids,
                GArray           *listed,
                guint             max_listed,
                GError          **error)
{
  g_autoptr(GByteArray) array = oid_array (oids, n_oids);
  g_autoptr(GString) sql = g_string_new (NULL);
  const Oid types[] = { OID_ARRAY };
  const char *values[] = { (const char *)array->data };
  const int lengths[] = { (int)array->len };
  const int formats[] = { 1 };
  g_autoptr(PGresult) result = NULL;

  g_string_append (sql,
                   "SELECT u.o FROM pg_catalog.unnest($1::pg_catalog.oid[]) AS u(o)"
                   " JOIN pg_catalog.pg_largeobject_metadata m ON m.oid = u.o");
  /* Objects that an unfinished migration of this journal copied are its
   * own, not in the way: it resumes after them. */
  if (journal_schema != NULL)
    {
      g_autofree char *schema = ferry_quote_ident (journal_schema);

      g_string_append_printf (sql,
                              " WHERE NOT EXISTS (SELECT 1 FROM %s.large_object_batch b"
                              " JOIN %s.migration g ON g.migration_id = b.migration_id"
                              " WHERE g.state NOT IN ('completed', 'aborted')"
                              " AND u.o BETWEEN b.first_oid AND b.last_oid)",
                              schema, schema);
    }
  g_string_append (sql, " ORDER BY u.o");

  result = query_binary (target, sql->str, 1, types, values, lengths, formats, TRUE, error);
  if (result == NULL)
    return -1;

  for (int r = 0; r < PQntuples (result) && listed != NULL && listed->len < max_listed; r++)
    {
      guint32 oid = binary_oid (result, r, 0);
      g_array_append_val (listed, oid);
    }
  return PQntuples (result);
}

static char *
oid_list (GArray  *oids,
          guint64  total)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < oids->len; i++)
    g_string_append_printf (text, "%s%u", i > 0 ? ", " : "", g_array_index (oids, guint32, i));
  if (total > oids->len)
    g_string_append (text, ", …");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The readiness check */

void
ferry_large_objects_survey_clear (FerryLargeObjectsSurvey *survey)
{
  g_clear_pointer (&survey->on_target, g_array_unref);
  memset (survey, 0, sizeof *survey);
}

static gboolean
journal_has_batches (FerryConnection *target,
                     const char      *journal_schema)
{
  const char *params[] = { journal_schema };
  g_autoptr(PGresult) result = NULL;

  result = ferry_connection_query_params (target,
                                          "SELECT pg_catalog.to_regclass(pg_catalog.quote_ident($1) || '.large_object_batch') IS NOT NULL"
                                          " AND pg_catalog.to_regclass(pg_catalog.quote_ident($1) || '.migration') IS NOT NULL",
                                          1, params, NULL);
  return result != NULL && PQgetvalue (result, 0, 0)[0] == 't';
}

/**
 * ferry_large_objects_survey:
 * @target: (nullable): the target, to look for OIDs it already has
 * @journal_schema: (nullable): the journal's schema on the target: the
 *   objects an unfinished migration copied are not counted as in the way
 *
 * Counts the source's large objects and their size, and compares their
 * OIDs with the target's, SURVEY_PAGE at a time.
 */
gboolean
ferry_large_objects_survey (FerryConnection          *source,
                            FerryConnection          *target,
                            const char               *journal_schema,
                            GCancellable             *cancellable,
                            FerryLargeObjectsSurvey  *survey,
                            GError                  **error)
{
  g_autofree char *page_size = g_strdup_printf ("%u", SURVEY_PAGE);
  g_autofree guint32 *oids = g_new (guint32, SURVEY_PAGE);
  gboolean use_journal;
  guint32 after = 0;

  g_return_val_if_fail (FERRY_IS_CONNECTION (source), FALSE);

  memset (survey, 0, sizeof *survey);
  survey->bytes_known = TRUE;
  survey->on_target = g_array_new (FALSE, FALSE, sizeof (guint32));
  use_journal = target != NULL && journal_schema != NULL && journal_has_batches (target, journal_schema);

  for (;;)
    {
      g_autofree char *after_text = g_strdup_printf ("%u", after);
      const char *params[] = { after_text, page_size };
      g_autoptr(PGresult) page = NULL;
      g_autoptr(GError) local_error = NULL;
      int n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      /* The size needs SELECT on each object: without it, the count. */
      if (survey->bytes_known)
        {
          page = ferry_connection_query_params (source,
                                                "SELECT m.oid, s.size FROM (SELECT oid FROM pg_catalog.pg_largeobject_metadata"
                                                " WHERE oid > $1::pg_catalog.oid ORDER BY oid LIMIT $2) m," SIZE_LATERAL
                                                " ORDER BY m.oid",
                                                2, params, &local_error);
          if (page == NULL && g_strcmp0 (ferry_error_get_sqlstate (local_error), "42501") == 0)
            {
              g_debug ("Large objects: sizes unknown: %s", local_error->message);
              g_clear_error (&local_error);
              survey->bytes_known = FALSE;
            }
        }
      if (!survey->bytes_known)
        page = ferry_connection_query_params (source,
                                              "SELECT oid, 0 FROM pg_catalog.pg_largeobject_metadata"
                                              " WHERE oid > $1::pg_catalog.oid ORDER BY oid LIMIT $2",
                                              2, params, &local_error);
      if (page == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      n = PQntuples (page);
      if (n == 0)
        break;

      for (int r = 0; r < n; r++)
        {
          oids[r] = (guint32)g_ascii_strtoull (PQgetvalue (page, r, 0), NULL, 10);
          survey->bytes += g_ascii_strtoull (PQgetvalue (page, r, 1), NULL, 10);
        }
      survey->n_objects += n;
      after = oids[n - 1];

      if (target != NULL)
        {
          gint64 found = find_on_target (target, use_journal ? journal_schema : NULL, oids, n,
                                         survey->on_target, 10, error);
          if (found < 0)
            return FALSE;
          survey->n_on_target += found;
        }

      if (n < SURVEY_PAGE)
        break;
    }

  return TRUE;
}

/* The copy */

typedef struct {
  guint32  oid;
  gint64   size;
  char    *owner;
  char    *comment;
  gboolean has_acl;
} LargeObject;

static void
large_object_clear (LargeObject *object)
{
  g_free (object->owner);
  g_free (object->comment);
}

typedef struct {
  FerryCoordinator *self;
  FerryConnection  *source;
  FerryConnection  *target;
  char             *target_user;
  GHashTable       *target_roles;    /* role names on the target */
  GHashTable       *missing_roles;   /* role name → objects it owns or may use (GUINT_TO_POINTER) */
  guint64           objects;         /* by this run */
  guint64           bytes;
  guint             batches;
  gint64            request_checked; /* monotonic µs: the journal's requests last looked at */
} Copy;

static void
copy_clear (Copy *copy)
{
  g_clear_pointer (&copy->target_user, g_free);
  g_clear_pointer (&copy->target_roles, g_hash_table_unref);
  g_clear_pointer (&copy->missing_roles, g_hash_table_unref);
}

/* Stop and the coordinator's end are honoured between pieces: the
 * batch rolls back, and a later run copies it again. */
static gboolean
check_stop (Copy    *copy,
            GError **error)
{
  FerryCoordinator *self = copy->self;
  gint64 now = g_get_monotonic_time ();

  /* `ferry-cli stop` asks through the journal, which the coordinator
   * reads on this thread: busy here. Looked at once a second, between
   * batches (the journal shares the target connection: not inside a
   * batch's transaction, whose rollback would put the request back). */
  if (now - copy->request_checked >= G_USEC_PER_SEC &&
      PQtransactionStatus (ferry_connection_get_pgconn (copy->target)) == PQTRANS_IDLE)
    {
      g_autoptr(GError) local_error = NULL;

      copy->request_checked = now;
      if (ferry_journal_take_request_if (self->journal, self->migration_id, "stop", &local_error))
        {
          ferry_journal_add_event (self->journal, self->migration_id, "request", "stop", NULL);
          g_atomic_int_set (&self->stop_from_journal, 1);
        }
      else if (local_error != NULL)
        g_debug ("Looking for a stop request: %s", local_error->message);
    }

  if (g_atomic_int_get (&self->stop_requested) || g_atomic_int_get (&self->stop_from_journal) ||
      g_cancellable_is_cancelled (self->cancellable))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CANCELLED,
                           _("Stopped while copying large objects; the batches already committed "
                             "are in the journal, and a later run goes on after them"));
      return FALSE;
    }
  return TRUE;
}

static void
count_missing_role (Copy       *copy,
                    const char *role)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (copy->missing_roles, role));
  g_hash_table_insert (copy->missing_roles, g_strdup (role), GUINT_TO_POINTER (n + 1));
}

static gboolean
load_target_roles (Copy    *copy,
                   GError **error)
{
  g_autoptr(PGresult) roles = ferry_connection_query (copy->target,
                                                      "SELECT rolname, rolname = current_user FROM pg_catalog.pg_roles",
                                                      error);
  if (roles == NULL)
    return FALSE;

  copy->target_roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  copy->missing_roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int r = 0; r < PQntuples (roles); r++)
    {
      g_hash_table_add (copy->target_roles, g_strdup (PQgetvalue (roles, r, 0)));
      if (PQgetvalue (roles, r, 1)[0] == 't')
        copy->target_user = g_strdup (PQgetvalue (roles, r, 0));
    }
  g_assert (copy->target_user != NULL);
  return TRUE;
}

/* The next objects after @after, in OID order, with what is kept of
 * them. Returns how many, up to FERRY_LARGE_OBJECTS_BATCH_OBJECTS. */
static int
read_page (Copy         *copy,
           guint32       after,
           LargeObject  *page,
           GError      **error)
{
  g_autofree char *after_text = g_strdup_printf ("%u", after);
  g_autofree char *limit = g_strdup_printf ("%u", FERRY_LARGE_OBJECTS_BATCH_OBJECTS);
  const char *params[] = { after_text, limit };
  g_autoptr(PGresult) result = NULL;
  int n;

  result = ferry_connection_query_params (copy->source,
                                          "SELECT m.oid, s.size, pg_catalog.pg_get_userbyid(m.lomowner),"
                                          " pg_catalog.obj_description(m.oid, 'pg_largeobject'), m.lomacl IS NOT NULL"
                                          " FROM (SELECT oid, lomowner, lomacl FROM pg_catalog.pg_largeobject_metadata"
                                          "       WHERE oid > $1::pg_catalog.oid ORDER BY oid LIMIT $2) m," SIZE_LATERAL
                                          " ORDER BY m.oid",
                                          2, params, error);
  if (result == NULL)
    return -1;

  n = PQntuples (result);
  for (int r = 0; r < n; r++)
    {
      page[r].oid = (guint32)g_ascii_strtoull (PQgetvalue (result, r, 0), NULL, 10);
      page[r].size = g_ascii_strtoll (PQgetvalue (result, r, 1), NULL, 10);
      page[r].owner = g_strdup (PQgetvalue (result, r, 2));
      page[r].comment = PQgetisnull (result, r, 3) ? NULL : g_strdup (PQgetvalue (result, r, 3));
      page[r].has_acl = PQgetvalue (result, r, 4)[0] == 't';
    }
  return n;
}

/* Objects of at most PIECE_BYTES, whole: one read on the source, one
 * write on the target. */
static gboolean
copy_group (Copy         *copy,
            LargeObject  *objects,
            guint         n,
            GError      **error)
{
  g_autofree guint32 *oids = g_new (guint32, n);
  g_autoptr(GByteArray) oid_param = NULL;
  g_autoptr(GByteArray) data_param = NULL;
  g_autoptr(PGresult) read = NULL;
  g_autoptr(PGresult) written = NULL;
  const Oid read_types[] = { OID_ARRAY };
  const Oid write_types[] = { OID_ARRAY, BYTEA_ARRAY };
  const int formats[] = { 1, 1 };

  for (guint i = 0; i < n; i++)
    oids[i] = objects[i].oid;
  oid_param = oid_array (oids, n);

  {
    const char *values[] = { (const char *)oid_param->data };
    const int lengths[] = { (int)oid_param->len };

    read = query_binary (copy->source,
                         "SELECT pg_catalog.lo_get(u.o) FROM pg_catalog.unnest($1::pg_catalog.oid[])"
                         " WITH ORDINALITY AS u(o, n) ORDER BY u.n",
                         1, read_types, values, lengths, formats, TRUE, error);
    if (read == NULL)
      return FALSE;
  }
  if ((guint)PQntuples (read) != n)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("The source returned %d of %u large objects"), PQntuples (read), n);
      return FALSE;
    }

  data_param = array_begin (17, n);
  for (guint i = 0; i < n; i++)
    {
      array_add (data_param, PQgetvalue (read, i, 0), PQgetlength (read, i, 0));
      copy->bytes += PQgetlength (read, i, 0);
    }
  g_clear_pointer (&read, PQclear);

  {
    const char *values[] = { (const char *)oid_param->data, (const char *)data_param->data };
    const int lengths[] = { (int)oid_param->len, (int)data_param->len };

    written = query_binary (copy->target,
                            "SELECT pg_catalog.count(pg_catalog.lo_from_bytea(u.o, u.d))"
                            " FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.oid[]), pg_catalog.unnest($2::pg_catalog.bytea[])) AS u(o, d)",
                            2, write_types, values, lengths, formats, FALSE, error);
  }
  return written != NULL;
}

/* An object larger than PIECE_BYTES, a piece at a time. */
static gboolean
copy_in_pieces (Copy         *copy,
                LargeObject  *object,
                GError      **error)
{
  g_autofree char *oid = g_strdup_printf ("%u", object->oid);
  g_autofree char *piece = g_strdup_printf ("%d", PIECE_BYTES);
  g_autoptr(PGresult) created = NULL;
  const char *create_params[] = { oid };

  created = ferry_connection_query_params (copy->target, "SELECT pg_catalog.lo_create($1::pg_catalog.oid)",
                                           1, create_params, error);
  if (created == NULL)
    return FALSE;

  for (gint64 offset = 0; offset < object->size; )
    {
      g_autofree char *offset_text = g_strdup_printf ("%" PRId64, offset);
      const char *read_params[] = { oid, offset_text, piece };
      g_autoptr(PGresult) read = NULL;
      g_autoptr(PGresult) written = NULL;
      int length;

      if (!check_stop (copy, error))
        return FALSE;

      read = query_binary (copy->source,
                           "SELECT pg_catalog.lo_get($1::pg_catalog.oid, $2::pg_catalog.int8, $3::pg_catalog.int4)",
                           3, NULL, read_params, NULL, NULL, TRUE, error);
      if (read == NULL)
        return FALSE;
      length = PQgetlength (read, 0, 0);
      if (length == 0)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                       _("Large object %u ended at %" PRId64 " bytes on the source, not %" PRId64),
                       object->oid, offset, object->size);
          return FALSE;
        }

      {
        const char *write_params[] = { oid, offset_text, PQgetvalue (read, 0, 0) };
        const int lengths[] = { 0, 0, length };
        const int formats[] = { 0, 0, 1 };

        written = query_binary (copy->target,
                                "SELECT pg_catalog.lo_put($1::pg_catalog.oid, $2::pg_catalog.int8, $3::pg_catalog.bytea)",
                                3, NULL, write_params, lengths, formats, FALSE, error);
        if (written == NULL)
          return FALSE;
      }
      offset += length;
      copy->bytes += length;
    }
  return TRUE;
}

/* ALTER LARGE OBJECT … OWNER TO, GRANT, REVOKE, COMMENT ON: what makes
 * the target's objects the source's, beyond their data. */
static gboolean
append_metadata (Copy         *copy,
                 LargeObject  *objects,
                 guint         n,
                 GString      *sql,
                 GError      **error)
{
  g_autoptr(GArray) with_acl = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GHashTable) owners = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = 0; i < n; i++)
    {
      LargeObject *object = &objects[i];
      const char *owner = copy->target_user;

      if (g_strcmp0 (object->owner, copy->target_user) != 0)
        {
          if (g_hash_table_contains (copy->target_roles, object->owner))
            {
              g_autofree char *role = ferry_quote_ident (object->owner);

              g_string_append_printf (sql, "ALTER LARGE OBJECT %u OWNER TO %s;\n", object->oid, role);
              owner = object->owner;
            }
          else
            count_missing_role (copy, object->owner);
        }
      g_hash_table_insert (owners, GUINT_TO_POINTER (object->oid), (gpointer)owner);

      if (object->comment != NULL)
        {
          g_autofree char *literal = ferry_quote_literal (object->comment);
          g_string_append_printf (sql, "COMMENT ON LARGE OBJECT %u IS %s;\n", object->oid, literal);
        }
      if (object->has_acl)
        g_array_append_val (with_acl, object->oid);
    }

  if (with_acl->len > 0)
    {
      g_autoptr(GByteArray) array = oid_array ((guint32 *)with_acl->data, with_acl->len);
      const Oid types[] = { OID_ARRAY };
      const char *values[] = { (const char *)array->data };
      const int lengths[] = { (int)array->len };
      const int formats[] = { 1 };
      g_autoptr(PGresult) acl = NULL;
      guint32 current = 0;
      gboolean owner_select = TRUE, owner_update = TRUE;

      /* The entries in their order, so that lomacl reads the same on
       * both sides: the owner's own (implicit until revoked), then
       * the grants. */
      acl = query_binary (copy->source,
                          "SELECT u.o::pg_catalog.text, a.privilege_type, a.is_grantable, a.grantee = 0,"
                          " pg_catalog.pg_get_userbyid(a.grantee), a.grantee = m.lomowner"
                          " FROM pg_catalog.unnest($1::pg_catalog.oid[]) WITH ORDINALITY AS u(o, n)"
                          " JOIN pg_catalog.pg_largeobject_metadata m ON m.oid = u.o,"
                          " LATERAL pg_catalog.aclexplode(m.lomacl) WITH ORDINALITY AS a(grantor, grantee, privilege_type, is_grantable, k)"
                          " ORDER BY u.n, a.k",
                          1, types, values, lengths, formats, FALSE, error);
      if (acl == NULL)
        return FALSE;

      for (int r = 0; r <= PQntuples (acl); r++)
        {
          guint32 oid = r < PQntuples (acl) ? (guint32)g_ascii_strtoull (PQgetvalue (acl, r, 0), NULL, 10) : 0;

          if (oid != current)
            {
              /* The owner's privileges that the source's object lacks. */
              if (current != 0 && (!owner_select || !owner_update))
                {
                  g_autofree char *role = ferry_quote_ident (g_hash_table_lookup (owners, GUINT_TO_POINTER (current)));
                  g_string_append_printf (sql, "REVOKE %s ON LARGE OBJECT %u FROM %s;\n",
                                          !owner_select && !owner_update ? "ALL"
                                            : !owner_select ? "SELECT" : "UPDATE",
                                          current, role);
                }
              current = oid;
              owner_select = owner_update = FALSE;
            }
          if (r == PQntuples (acl))
            break;

          if (PQgetvalue (acl, r, 5)[0] == 't')
            {
              if (g_str_equal (PQgetvalue (acl, r, 1), "SELECT"))
                owner_select = TRUE;
              else if (g_str_equal (PQgetvalue (acl, r, 1), "UPDATE"))
                owner_update = TRUE;
              continue;
            }

          if (PQgetvalue (acl, r, 3)[0] == 't')
            g_string_append_printf (sql, "GRANT %s ON LARGE OBJECT %u TO PUBLIC%s;\n",
                                    PQgetvalue (acl, r, 1), oid,
                                    PQgetvalue (acl, r, 2)[0] == 't' ? " WITH GRANT OPTION" : "");
          else if (g_hash_table_contains (copy->target_roles, PQgetvalue (acl, r, 4)))
            {
              g_autofree char *role = ferry_quote_ident (PQgetvalue (acl, r, 4));
              g_string_append_printf (sql, "GRANT %s ON LARGE OBJECT %u TO %s%s;\n",
                                      PQgetvalue (acl, r, 1), oid, role,
                                      PQgetvalue (acl, r, 2)[0] == 't' ? " WITH GRANT OPTION" : "");
            }
          else
            count_missing_role (copy, PQgetvalue (acl, r, 4));
        }
    }
  return TRUE;
}

static void
overlap_error (GArray      *found,
               gint64       n_found,
               GError     **error)
{
  g_autofree char *list = oid_list (found, n_found);
  guint32 first = g_array_index (found, guint32, 0);

  g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
               g_dngettext (GETTEXT_PACKAGE,
                            "The target already has a large object with OID %s, which the source also "
                            "has: Ferry keeps each object’s OID, so it cannot copy it. If the target’s "
                            "object is a leftover, remove it (SELECT lo_unlink(%u);) and resume; "
                            "otherwise the two databases’ large objects collide and must be renumbered first",
                            "The target already has large objects with OIDs %s, which the source also "
                            "has: Ferry keeps each object’s OID, so it cannot copy them. If the target’s "
                            "objects are leftovers, remove them (SELECT lo_unlink(%u); …) and resume; "
                            "otherwise the two databases’ large objects collide and must be renumbered first",
                            (gulong)n_found),
               list, first);
}

/* One batch: from @page's first object, as many as the bounds allow.
 * Returns how many objects it committed, or -1. */
static int
copy_batch (Copy         *copy,
            LargeObject  *page,
            guint         n_page,
            GError      **error)
{
  FerryCoordinator *self = copy->self;
  g_autoptr(GString) metadata = g_string_new (NULL);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint32 *oids = NULL;
  guint64 batch_bytes = 0;
  guint64 bytes_before = copy->bytes;
  gint64 n_found;
  guint n = 0;
  guint start;

  /* The batch: at least one object, then up to the bounds. */
  while (n < n_page && (n == 0 || batch_bytes + page[n].size <= FERRY_LARGE_OBJECTS_BATCH_BYTES))
    batch_bytes += page[n++].size;

  oids = g_new (guint32, n);
  for (guint i = 0; i < n; i++)
    oids[i] = page[i].oid;
  n_found = find_on_target (copy->target, NULL, oids, n, found, 10, error);
  if (n_found < 0)
    return -1;
  if (n_found > 0)
    {
      overlap_error (found, n_found, error);
      return -1;
    }

  if (!ferry_connection_exec (copy->target, "BEGIN", error))
    return -1;

  for (start = 0; start < n; )
    {
      guint end = start;
      gint64 group_bytes = 0;

      if (!check_stop (copy, error))
        goto fail;

      if (page[start].size > PIECE_BYTES)
        {
          if (!copy_in_pieces (copy, &page[start], error))
            goto fail;
          start++;
          continue;
        }

      while (end < n && page[end].size <= PIECE_BYTES && group_bytes + page[end].size <= GROUP_BYTES)
        group_bytes += page[end++].size;
      if (!copy_group (copy, &page[start], end - start, error))
        goto fail;
      start = end;
    }

  if (!append_metadata (copy, page, n, metadata, error) ||
      (metadata->len > 0 && !ferry_connection_exec (copy->target, metadata->str, error)) ||
      !ferry_journal_add_large_object_batch (self->journal, copy->target, self->migration_id,
                                             page[0].oid, page[n - 1].oid, n,
                                             copy->bytes - bytes_before, error) ||
      !ferry_connection_exec (copy->target, "COMMIT", error))
    goto fail;

  copy->objects += n;
  copy->batches++;
  g_debug ("Large objects %u–%u: %u objects, %" PRIu64 " bytes committed",
           page[0].oid, page[n - 1].oid, n, copy->bytes - bytes_before);
  return n;

fail:
  copy->bytes = bytes_before;
  ferry_connection_rollback_quietly (copy->target);
  return -1;
}

/* The run's snapshot of the source, the one the tables were read in;
 * when it is gone (a run resumed after the tables, with the exporting
 * connection lost in between), a REPEATABLE READ transaction of its own:
 * the objects are then read as they are now, consistently with each
 * other but not with the tables. */
static gboolean
begin_source (FerryCoordinator  *self,
              FerryConnection   *source,
              gboolean          *in_snapshot,
              GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean gone;

  if (ferry_coordinator_import_snapshot (self, source, in_snapshot, &gone, &local_error))
    return TRUE;
  if (!gone)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_message ("The run’s snapshot is gone (%s): large objects are read in a snapshot of their own",
             local_error->message);
  ferry_connection_rollback_quietly (source);
  return ferry_connection_exec (source, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error);
}

/* Validation: the count and the total size of the source's objects and
 * of the target's objects with the same OIDs; with checksums, also an
 * order-independent sum over (oid, md5 of the data). The md5 of an
 * object is that of its pieces' md5s, so that no server holds a whole
 * object in memory. */
typedef struct {
  guint64 objects;
  guint64 bytes;
  guint64 sum;
} Tally;

static gboolean
tally_add (Tally           *tally,
           FerryConnection *connection,
           const guint32   *oids,
           guint            n,
           gboolean         checksums,
           GError         **error)
{
  g_autoptr(GByteArray) array = oid_array (oids, n);
  const Oid types[] = { OID_ARRAY };
  const char *values[] = { (const char *)array->data };
  const int lengths[] = { (int)array->len };
  const int formats[] = { 1 };
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) result = NULL;

  sql = g_strdup_printf ("SELECT m.oid, s.size, %s FROM pg_catalog.unnest($1::pg_catalog.oid[]) AS u(o)"
                         " JOIN pg_catalog.pg_largeobject_metadata m ON m.oid = u.o," SIZE_LATERAL,
                         checksums
                           ? "(SELECT pg_catalog.md5(pg_catalog.string_agg(pg_catalog.md5(pg_catalog.lo_get(m.oid, p, "
                             G_STRINGIFY (PIECE_BYTES) ")), '' ORDER BY p))"
                             " FROM pg_catalog.generate_series(0, greatest(s.size - 1, 0), " G_STRINGIFY (PIECE_BYTES) ") AS p)"
                           : "NULL::pg_catalog.text");
  result = query_binary (connection, sql, 1, types, values, lengths, formats, TRUE, error);
  if (result == NULL)
    return FALSE;

  for (int r = 0; r < PQntuples (result); r++)
    {
      tally->objects++;
      tally->bytes += binary_int64 (result, r, 1);
      if (checksums)
        {
          g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
          guint8 digest[16];
          gsize length = sizeof digest;
          guint64 part;
          char oid[16];

          g_snprintf (oid, sizeof oid, "%u:", binary_oid (result, r, 0));
          g_checksum_update (md5, (const guchar *)oid, -1);
          g_checksum_update (md5, (const guchar *)PQgetvalue (result, r, 2), PQgetlength (result, r, 2));
          g_checksum_get_digest (md5, digest, &length);
          memcpy (&part, digest, sizeof part);
          tally->sum += part;
        }
    }
  return TRUE;
}

static char *
tally_checksum (const Tally *tally,
                gboolean     checksums)
{
  if (checksums)
    return g_strdup_printf ("%" PRIu64 " bytes, %016" G_GINT64_MODIFIER "x", tally->bytes, tally->sum);
  return g_strdup_printf ("%" PRIu64 " bytes", tally->bytes);
}

static gboolean
validate (Copy     *copy,
          gboolean  checksums,
          GError  **error)
{
  FerryCoordinator *self = copy->self;
  g_autofree char *page_size = g_strdup_printf ("%u", VALIDATE_PAGE);
  g_autofree guint32 *oids = g_new (guint32, VALIDATE_PAGE);
  g_autofree char *source_sum = NULL;
  g_autofree char *target_sum = NULL;
  Tally source = { 0, }, target = { 0, };
  gboolean matches;
  guint32 after = 0;

  for (;;)
    {
      g_autofree char *after_text = g_strdup_printf ("%u", after);
      const char *params[] = { after_text, page_size };
      g_autoptr(PGresult) page = NULL;
      int n;

      if (!check_stop (copy, error))
        return FALSE;

      page = ferry_connection_query_params (copy->source,
                                            "SELECT oid FROM pg_catalog.pg_largeobject_metadata"
                                            " WHERE oid > $1::pg_catalog.oid ORDER BY oid LIMIT $2",
                                            2, params, error);
      if (page == NULL)
        return FALSE;
      n = PQntuples (page);
      for (int r = 0; r < n; r++)
        oids[r] = (guint32)g_ascii_strtoull (PQgetvalue (page, r, 0), NULL, 10);
      if (n > 0 &&
          (!tally_add (&source, copy->source, oids, n, checksums, error) ||
           !tally_add (&target, copy->target, oids, n, checksums, error)))
        return FALSE;
      if (n < VALIDATE_PAGE)
        break;
      after = oids[n - 1];
    }

  matches = source.objects == target.objects && source.bytes == target.bytes && source.sum == target.sum;
  source_sum = tally_checksum (&source, checksums);
  target_sum = tally_checksum (&target, checksums);
  if (!ferry_journal_record_validation (self->journal, NULL, self->migration_id,
                                        "pg_catalog", "pg_largeobject", "large objects",
                                        source.objects, target.objects, source_sum, target_sum,
                                        matches, error))
    return FALSE;

  if (!matches)
    {
      g_autofree char *detail =
        g_strdup_printf (_("Large objects: source %" PRIu64 " objects %s, target %" PRIu64 " objects %s"),
                         source.objects, source_sum, target.objects, target_sum);

      ferry_journal_add_event (self->journal, self->migration_id, "validation-mismatch", detail, NULL);
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("The validation found a difference in the large objects: %s"), detail);
      return FALSE;
    }
  g_debug ("Large objects validated: %" PRIu64 " objects, %s", source.objects, source_sum);
  return TRUE;
}

static void
record_missing_roles (Copy *copy)
{
  FerryCoordinator *self = copy->self;
  g_autoptr(GString) roles = g_string_new (NULL);
  g_autofree char *detail = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (copy->missing_roles) == 0)
    return;

  g_hash_table_iter_init (&iter, copy->missing_roles);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (roles, "%s%s (%u)", roles->len > 0 ? ", " : "", (char *)key, GPOINTER_TO_UINT (value));

  detail = g_strdup_printf (_("Roles of large objects that the target does not have: %s. Their objects "
                              "belong to %s on the target, and grants to them were left out"),
                            roles->str, copy->target_user);
  g_warning ("%s", detail);
  ferry_journal_add_event (self->journal, self->migration_id, "large-objects-roles", detail, NULL);
}

/**
 * ferry_large_objects_copy:
 *
 * On the control thread, in the finish job: copies the source's large
 * objects that the journal does not have yet, then (with validation on)
 * compares both sides. Records a "large-objects" event when the source
 * has any.
 */
gboolean
ferry_large_objects_copy (FerryCoordinator  *self,
                          GError           **error)
{
  FerryValidationMode mode = ferry_config_get_validation (self->config);
  Copy copy = { 0, };
  LargeObject *page = g_new0 (LargeObject, FERRY_LARGE_OBJECTS_BATCH_OBJECTS);
  gboolean in_snapshot = FALSE;
  gboolean ok = FALSE;
  guint64 before_objects = 0, before_bytes = 0;
  guint before_batches = 0;
  guint32 after = 0;
  gint64 started = g_get_monotonic_time ();
  int n_page = 0;

  copy.self = self;
  copy.source = self->control_source;
  copy.target = self->control_target;

  if (!ferry_journal_get_large_objects (self->journal, self->migration_id, &after,
                                        &before_objects, &before_bytes, &before_batches, error) ||
      !begin_source (self, copy.source, &in_snapshot, error))
    goto out;

  for (;;)
    {
      guint offset = 0;

      for (int i = 0; i < n_page; i++)
        large_object_clear (&page[i]);
      n_page = read_page (&copy, after, page, error);
      if (n_page < 0)
        goto out;
      if (n_page == 0)
        break;
      if (copy.target_roles == NULL && !load_target_roles (&copy, error))
        goto out;

      /* The page in batches, as the bounds cut it. */
      while (offset < (guint)n_page)
        {
          int done;

          /* Between two batches: also where a stop asked through the
           * journal is seen. */
          if (!check_stop (&copy, error))
            goto out;
          done = copy_batch (&copy, page + offset, n_page - offset, error);

          if (done < 0)
            goto out;
          offset += done;
          after = page[offset - 1].oid;
        }
      if (n_page < FERRY_LARGE_OBJECTS_BATCH_OBJECTS)
        break;
    }

  /* The source has none: nothing to record or compare. */
  if (before_batches == 0 && copy.batches == 0)
    {
      ok = TRUE;
      goto out;
    }

  if (copy.missing_roles != NULL)
    record_missing_roles (&copy);

  {
    guint64 objects = before_objects + copy.objects;
    guint64 bytes = before_bytes + copy.bytes;
    g_autofree char *size = ferry_format_bytes (bytes);
    g_autofree char *detail = NULL;
    double seconds = (g_get_monotonic_time () - started) / (double)G_USEC_PER_SEC;

    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%" PRIu64 " large object copied (%s) in %u batches",
                                           "%" PRIu64 " large objects copied (%s) in %u batches",
                                           objects),
                              objects, size, before_batches + copy.batches);
    g_debug ("Large objects: %" PRIu64 " objects, %" PRIu64 " bytes in this run, %.1f s%s",
             copy.objects, copy.bytes, seconds, in_snapshot ? "" : " (own snapshot)");
    if (copy.objects > 0 || !ferry_journal_has_event (self->journal, self->migration_id, "large-objects", NULL))
      ferry_journal_add_event (self->journal, self->migration_id, "large-objects", detail, NULL);
  }

  ok = mode == FERRY_VALIDATION_MODE_NONE || validate (&copy, mode == FERRY_VALIDATION_MODE_CHECKSUMS, error);

out:
  ferry_connection_rollback_quietly (copy.source);
  for (int i = 0; i < n_page; i++)
    large_object_clear (&page[i]);
  g_free (page);
  copy_clear (&copy);
  return ok;
}
