/* ferry-catalog.c
 *
 * Reads what a database holds from pg_catalog in a handful of set-based
 * queries — one per kind of object, never one per table — so that a
 * catalog of ten thousand tables loads in a few round trips.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-catalog"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ferry-catalog.h"
#include "ferry-table-private.h"

struct _FerryCatalog
{
  GObject      parent_instance;

  GPtrArray   *tables;        /* FerryTable*, owned */
  GPtrArray   *foreign_keys;  /* FerryForeignKey*, owned */
  GPtrArray   *sequences;     /* FerrySequence*, owned */
  GPtrArray   *extensions;    /* FerryExtension*, owned */
  GStrv        schemas;
  GHashTable  *by_name;       /* "schema\037name" → FerryTable* */
  GHashTable  *by_oid;        /* oid → FerryTable* */
  GHashTable  *by_display;    /* display name → FerryTable* */

  char        *database;
  char        *encoding;
  char        *collate;
  char        *ctype;
  guint64      database_size;
  int          server_version;
  guint        n_large_objects;
};

G_DEFINE_FINAL_TYPE (FerryCatalog, ferry_catalog, G_TYPE_OBJECT)

static void
ferry_sequence_free (FerrySequence *seq)
{
  g_free (seq->schema);
  g_free (seq->name);
  g_free (seq->quoted_name);
  g_free (seq->owner_column);
  g_free (seq);
}

static void
ferry_extension_free (FerryExtension *ext)
{
  g_free (ext->name);
  g_free (ext->version);
  g_free (ext->schema);
  g_free (ext);
}

static char *
name_key (const char *schema,
          const char *name)
{
  return g_strconcat (schema, "\037", name, NULL);
}

static void
ferry_catalog_reset (FerryCatalog *self)
{
  g_hash_table_remove_all (self->by_name);
  g_hash_table_remove_all (self->by_oid);
  g_hash_table_remove_all (self->by_display);
  g_ptr_array_set_size (self->foreign_keys, 0);
  g_ptr_array_set_size (self->tables, 0);
  g_ptr_array_set_size (self->sequences, 0);
  g_ptr_array_set_size (self->extensions, 0);
  g_clear_pointer (&self->schemas, g_strfreev);
  self->schemas = g_new0 (char *, 1);
  g_clear_pointer (&self->database, g_free);
  g_clear_pointer (&self->encoding, g_free);
  g_clear_pointer (&self->collate, g_free);
  g_clear_pointer (&self->ctype, g_free);
  self->database_size = 0;
  self->server_version = 0;
  self->n_large_objects = 0;
}

static void
ferry_catalog_finalize (GObject *object)
{
  FerryCatalog *self = (FerryCatalog *)object;

  ferry_catalog_reset (self);
  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->by_oid, g_hash_table_unref);
  g_clear_pointer (&self->by_display, g_hash_table_unref);
  /* Foreign keys borrow tables: free them first. */
  g_clear_pointer (&self->foreign_keys, g_ptr_array_unref);
  g_clear_pointer (&self->tables, g_ptr_array_unref);
  g_clear_pointer (&self->sequences, g_ptr_array_unref);
  g_clear_pointer (&self->extensions, g_ptr_array_unref);
  g_clear_pointer (&self->schemas, g_strfreev);

  G_OBJECT_CLASS (ferry_catalog_parent_class)->finalize (object);
}

static void
ferry_catalog_class_init (FerryCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_catalog_finalize;
}

static void
ferry_catalog_init (FerryCatalog *self)
{
  self->tables = g_ptr_array_new_with_free_func (g_object_unref);
  self->foreign_keys = g_ptr_array_new_with_free_func ((GDestroyNotify)ferry_foreign_key_free);
  self->sequences = g_ptr_array_new_with_free_func ((GDestroyNotify)ferry_sequence_free);
  self->extensions = g_ptr_array_new_with_free_func ((GDestroyNotify)ferry_extension_free);
  self->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_oid = g_hash_table_new (NULL, NULL);
  self->by_display = g_hash_table_new (g_str_hash, g_str_equal);
  self->schemas = g_new0 (char *, 1);
}

FerryCatalog *
ferry_catalog_new (void)
{
  return g_object_new (FERRY_TYPE_CATALOG, NULL);
}

static gboolean
is_integer_type (guint32 type_oid)
{
  /* int2, int4, int8 */
  return type_oid == 21 || type_oid == 23 || type_oid == 20;
}

static guint32
type_oid_for_name (const char *type)
{
  if (g_str_equal (type, "bigint") || g_str_equal (type, "int8"))
    return 20;
  if (g_str_equal (type, "integer") || g_str_equal (type, "int4") || g_str_equal (type, "int"))
    return 23;
  if (g_str_equal (type, "smallint") || g_str_equal (type, "int2"))
    return 21;
  return 25; /* text, for anything else */
}

static FerryTable *
insert_table (FerryCatalog *self,
              FerryTable   *table)
{
  table->index = self->tables->len;
  g_ptr_array_add (self->tables, table);
  g_hash_table_insert (self->by_name, name_key (table->schema, table->name), table);
  g_hash_table_insert (self->by_display, table->display_name, table);
  if (table->oid != 0)
    g_hash_table_insert (self->by_oid, GUINT_TO_POINTER (table->oid), table);
  return table;
}

static FerryForeignKey *
insert_foreign_key (FerryCatalog    *self,
                    FerryForeignKey *fk)
{
  g_ptr_array_add (self->foreign_keys, fk);
  g_ptr_array_add (fk->child->parents, fk);
  g_ptr_array_add (fk->parent->children, fk);
  return fk;
}

/* Building by hand */

FerryTable *
ferry_catalog_add_table (FerryCatalog *self,
                         const char   *schema,
                         const char   *name,
                         guint64       size_bytes,
                         gint64        rows)
{
  FerryTable *table;

  g_return_val_if_fail (FERRY_IS_CATALOG (self), NULL);
  g_return_val_if_fail (schema != NULL && name != NULL, NULL);

  table = ferry_table_new (schema, name);
  table->size_bytes = size_bytes;
  table->row_estimate = rows;
  table->pages = (size_bytes + 8191) / 8192;
  return insert_table (self, table);
}

FerryForeignKey *
ferry_catalog_add_foreign_key (FerryCatalog *self,
                               const char   *name,
                               FerryTable   *child,
                               FerryTable   *parent,
                               gboolean      deferrable,
                               gboolean      nullable)
{
  FerryForeignKey *fk;

  g_return_val_if_fail (FERRY_IS_CATALOG (self), NULL);
  g_return_val_if_fail (FERRY_IS_TABLE (child), NULL);
  g_return_val_if_fail (FERRY_IS_TABLE (parent), NULL);

  fk = g_new0 (FerryForeignKey, 1);
  fk->name = g_strdup (name);
  fk->child = child;
  fk->parent = parent;
  fk->child_columns = g_new0 (char *, 1);
  fk->parent_columns = g_new0 (char *, 1);
  fk->deferrable = deferrable;
  fk->nullable = nullable;
  fk->validated = TRUE;
  fk->references_primary_key = TRUE;
  fk->definition = g_strdup_printf ("FOREIGN KEY (…) REFERENCES %s", parent->quoted_name);
  return insert_foreign_key (self, fk);
}

void
ferry_catalog_add_column (FerryCatalog *self,
                          FerryTable   *table,
                          const char   *name,
                          const char   *type,
                          gboolean      primary_key)
{
  FerryColumn *column;

  g_return_if_fail (FERRY_IS_CATALOG (self));
  g_return_if_fail (FERRY_IS_TABLE (table));
  g_return_if_fail (name != NULL && type != NULL);

  column = g_new0 (FerryColumn, 1);
  column->name = g_strdup (name);
  column->type = g_strdup (type);
  column->type_oid = type_oid_for_name (type);
  column->attnum = table->columns->len + 1;
  column->not_null = primary_key;
  g_ptr_array_add (table->columns, column);

  if (primary_key)
    {
      if (table->primary_key == NULL)
        {
          const char *columns[] = { name, NULL };

          table->primary_key = g_new0 (FerryKey, 1);
          table->primary_key->name = g_strdup_printf ("%s_pkey", table->name);
          table->primary_key->primary = TRUE;
          table->primary_key->is_constraint = TRUE;
          table->primary_key->columns = g_strdupv ((char **)columns);
          table->chunk_key = is_integer_type (column->type_oid) ? column : NULL;
        }
      else
        {
          /* A composite key has no single chunk key. */
          guint n = g_strv_length (table->primary_key->columns);
          table->primary_key->columns = g_renew (char *, table->primary_key->columns, n + 2);
          table->primary_key->columns[n] = g_strdup (name);
          table->primary_key->columns[n + 1] = NULL;
          table->chunk_key = NULL;
        }
    }
}

/* Reading from a server */

/* The relations Ferry considers: ordinary and partitioned tables outside
 * the system schemas and the journal's own schema ($1). */
#define RELS_SQL \
  "SELECT c.oid FROM pg_catalog.pg_class c " \
  "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " \
  "WHERE c.relkind IN ('r', 'p') " \
  "AND n.nspname NOT IN ('pg_catalog', 'information_schema') " \
  "AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)' " \
  "AND n.nspname <> $1"

static const char *database_sql =
  "SELECT pg_catalog.current_database(), "
  "       pg_catalog.pg_encoding_to_char(d.encoding), d.datcollate, d.datctype, "
  "       pg_catalog.pg_database_size(d.oid), "
  "       pg_catalog.current_setting('server_version_num')::int, "
  "       (SELECT count(*) FROM pg_catalog.pg_largeobject_metadata) "
  "FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()";

static const char *schemas_sql =
  "SELECT n.nspname FROM pg_catalog.pg_namespace n "
  "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
  "AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)' AND n.nspname <> $1 "
  "ORDER BY 1";

static const char *tables_sql =
  "SELECT c.oid, n.nspname, c.relname, c.relkind, c.relpersistence, "
  "       c.relispartition, c.relrowsecurity, c.relforcerowsecurity, "
  "       c.reltuples::bigint, c.relpages, "
  "       CASE WHEN c.relkind = 'r' THEN pg_catalog.pg_table_size(c.oid) ELSE 0 END, "
  "       (SELECT e.extname FROM pg_catalog.pg_depend d "
  "          JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid "
  "         WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid "
  "           AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass "
  "           AND d.deptype = 'e' LIMIT 1), "
  "       (SELECT count(*) FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid), "
  "       CASE WHEN c.relispartition THEN pg_catalog.pg_partition_root(c.oid)::oid END, "
  "       (SELECT pg_catalog.json_agg(pn.nspname || '.' || pc.relname ORDER BY i.inhseqno) "
  "          FROM pg_catalog.pg_inherits i "
  "          JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent "
  "          JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
  "         WHERE i.inhrelid = c.oid AND NOT c.relispartition) "
  "FROM pg_catalog.pg_class c "
  "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
  "WHERE c.oid IN (" RELS_SQL ") "
  "ORDER BY n.nspname, c.relname";

static const char *columns_sql =
  "SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
  "       a.atttypid, a.attnum, a.attnotnull, a.atthasdef, a.attgenerated <> '', "
  "       a.attidentity, "
  "       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END "
  "FROM pg_catalog.pg_attribute a "
  "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
  "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation "
  "WHERE a.attnum > 0 AND NOT a.attisdropped "
  "AND a.attrelid IN (" RELS_SQL ") "
  "ORDER BY a.attrelid, a.attnum";

static const char *keys_sql =
  "SELECT i.indrelid, ic.relname, i.indisprimary, con.oid IS NOT NULL, "
  "       (SELECT pg_catalog.json_agg(a.attname ORDER BY k.ord) "
  "          FROM unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, ord) "
  "          JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
  "         WHERE k.ord <= i.indnkeyatts), "
  "       pg_catalog.pg_get_indexdef(i.indexrelid) "
  "FROM pg_catalog.pg_index i "
  "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
  "LEFT JOIN pg_catalog.pg_constraint con "
  "       ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u') "
  "WHERE i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL "
  "AND i.indrelid IN (" RELS_SQL ") "
  "ORDER BY i.indrelid, i.indisprimary DESC, ic.relname";

static const char *foreign_keys_sql =
  "SELECT con.oid, con.conname, con.conrelid, con.confrelid, "
  "       (SELECT pg_catalog.json_agg(a.attname ORDER BY k.ord) "
  "          FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) "
  "          JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum), "
  "       (SELECT pg_catalog.json_agg(a.attname ORDER BY k.ord) "
  "          FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord) "
  "          JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum), "
  "       con.condeferrable, con.condeferred, con.convalidated, "
  "       pg_catalog.pg_get_constraintdef(con.oid), "
  "       COALESCE(ri.indisprimary, false), "
  "       (SELECT bool_or(NOT a.attnotnull) FROM pg_catalog.pg_attribute a "
  "         WHERE a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)) "
  "FROM pg_catalog.pg_constraint con "
  "LEFT JOIN pg_catalog.pg_index ri ON ri.indexrelid = con.conindid "
  "WHERE con.contype = 'f' AND con.conparentid = 0 "
  "AND con.conrelid IN (" RELS_SQL ") "
  "ORDER BY con.conrelid, con.conname";

static const char *triggers_sql =
  "SELECT t.tgrelid, pg_catalog.json_agg(t.tgname ORDER BY t.tgname) "
  "FROM pg_catalog.pg_trigger t "
  "WHERE NOT t.tgisinternal AND t.tgparentid = 0 "
  "AND t.tgrelid IN (" RELS_SQL ") "
  "GROUP BY t.tgrelid";

static const char *sequences_sql =
  "SELECT n.nspname, c.relname, d.refobjid, a.attname, "
  "       pg_catalog.has_sequence_privilege(c.oid, 'SELECT'), "
  "       CASE WHEN pg_catalog.has_sequence_privilege(c.oid, 'SELECT') "
  "            THEN (SELECT s.last_value FROM pg_catalog.pg_sequences s "
  "                   WHERE s.schemaname = n.nspname AND s.sequencename = c.relname) END, "
  "       sq.seqstart "
  "FROM pg_catalog.pg_class c "
  "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
  "JOIN pg_catalog.pg_sequence sq ON sq.seqrelid = c.oid "
  "LEFT JOIN pg_catalog.pg_depend d "
  "       ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid "
  "      AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i') "
  "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
  "WHERE c.relkind = 'S' "
  "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
  "AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)' AND n.nspname <> $1 "
  "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e "
  "                 WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND e.objid = c.oid "
  "                   AND e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e') "
  "ORDER BY n.nspname, c.relname";

static const char *extensions_sql =
  "SELECT e.extname, e.extversion, n.nspname "
  "FROM pg_catalog.pg_extension e "
  "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
  "ORDER BY e.extname";

static PGresult *
run (FerryConnection  *connection,
     const char       *sql,
     const char       *journal_schema,
     const char       *what,
     GCancellable     *cancellable,
     GError          **error)
{
  const char *params[] = { journal_schema };
  g_autoptr(GError) local_error = NULL;
  PGresult *result;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (strstr (sql, "$1") != NULL)
    result = ferry_connection_query_params (connection, sql, 1, params, &local_error);
  else
    result = ferry_connection_query (connection, sql, &local_error);

  if (result == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the %s of the %s: "),
                                  what, ferry_connection_get_label (connection));
      return NULL;
    }
  return result;
}

static inline const char *
value (PGresult *result,
       int       row,
       int       col)
{
  return PQgetisnull (result, row, col) ? NULL : PQgetvalue (result, row, col);
}

static inline gboolean
bool_value (PGresult *result,
            int       row,
            int       col)
{
  const char *v = value (result, row, col);
  return v != NULL && v[0] == 't';
}

static inline gint64
int_value (PGresult *result,
           int       row,
           int       col,
           gint64    fallback)
{
  const char *v = value (result, row, col);
  return v != NULL ? g_ascii_strtoll (v, NULL, 10) : fallback;
}

static inline guint32
oid_value (PGresult *result,
           int       row,
           int       col)
{
  const char *v = value (result, row, col);
  return v != NULL ? (guint32)g_ascii_strtoull (v, NULL, 10) : 0;
}

/* Arrays of names come back as JSON, which keeps any character intact. */
static GStrv
strv_value (PGresult *result,
            int       row,
            int       col)
{
  const char *v = value (result, row, col);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *root;

  if (v != NULL)
    {
      parser = json_parser_new ();
      if (json_parser_load_from_data (parser, v, -1, NULL) &&
          (root = json_parser_get_root (parser)) != NULL &&
          JSON_NODE_HOLDS_ARRAY (root))
        {
          JsonArray *array = json_node_get_array (root);
          for (guint i = 0; i < json_array_get_length (array); i++)
            g_strv_builder_add (builder, json_array_get_string_element (array, i));
        }
    }

  return g_strv_builder_end (builder);
}

static FerryTable *
table_for_oid (FerryCatalog *self,
               guint32       oid)
{
  return g_hash_table_lookup (self->by_oid, GUINT_TO_POINTER (oid));
}

static gboolean
load_database (FerryCatalog     *self,
               FerryConnection  *connection,
               const char       *journal,
               GCancellable     *cancellable,
               GError          **error)
{
  g_autoptr(PGresult) db = NULL;
  g_autoptr(PGresult) schemas = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!(db = run (connection, database_sql, journal, _("database settings"), cancellable, error)) ||
      !(schemas = run (connection, schemas_sql, journal, _("schemas"), cancellable, error)))
    return FALSE;

  self->database = g_strdup (value (db, 0, 0));
  self->encoding = g_strdup (value (db, 0, 1));
  self->collate = g_strdup (value (db, 0, 2));
  self->ctype = g_strdup (value (db, 0, 3));
  self->database_size = int_value (db, 0, 4, 0);
  self->server_version = int_value (db, 0, 5, 0);
  self->n_large_objects = int_value (db, 0, 6, 0);

  for (int i = 0; i < PQntuples (schemas); i++)
    g_strv_builder_add (builder, value (schemas, i, 0));
  g_strfreev (self->schemas);
  self->schemas = g_strv_builder_end (builder);

  return TRUE;
}

static gboolean
load_tables (FerryCatalog     *self,
             FerryConnection  *connection,
             FerryConfig      *config,
             const char       *journal,
             GCancellable     *cancellable,
             GError          **error)
{
  g_autoptr(PGresult) result = NULL;
  int n;

  if (!(result = run (connection, tables_sql, journal, _("tables"), cancellable, error)))
    return FALSE;

  n = PQntuples (result);
  for (int i = 0; i < n; i++)
    {
      FerryTable *table = ferry_table_new (value (result, i, 1), value (result, i, 2));
      const char *relkind = value (result, i, 3);
      gint64 reltuples = int_value (result, i, 8, -1);

      table->oid = oid_value (result, i, 0);
      if (bool_value (result, i, 5))
        table->kind = FERRY_TABLE_KIND_PARTITION;
      else if (relkind[0] == 'p')
        table->kind = FERRY_TABLE_KIND_PARTITIONED;
      else
        table->kind = FERRY_TABLE_KIND_ORDINARY;
      table->unlogged = g_strcmp0 (value (result, i, 4), "u") == 0;
      table->rls_enabled = bool_value (result, i, 6);
      table->rls_forced = bool_value (result, i, 7);
      table->row_estimate = reltuples < 0 ? -1 : reltuples;
      table->pages = int_value (result, i, 9, 0);
      table->size_bytes = int_value (result, i, 10, 0);
      table->extension = g_strdup (value (result, i, 11));
      table->n_policies = int_value (result, i, 12, 0);
      g_strfreev (table->inherits);
      table->inherits = strv_value (result, i, 14);
      table->included = config == NULL ||
                        ferry_config_table_is_included (config, table->schema, table->name);
      insert_table (self, table);
    }

  /* Partitions: link every leaf to its top-level partitioned table,
   * which stands for them in the plan; the partitioned table's size and
   * row estimate are the sums of its leaves'. A partition is included
   * when its root is. */
  for (int i = 0; i < n; i++)
    {
      FerryTable *table = g_ptr_array_index (self->tables, i);
      FerryTable *root;

      if (table->kind != FERRY_TABLE_KIND_PARTITION)
        continue;

      root = table_for_oid (self, oid_value (result, i, 13));
      if (root == NULL || root == table)
        continue;

      table->partition_parent = root;
      table->included = root->included;
      if (value (result, i, 3)[0] == 'r')
        {
          g_ptr_array_add (root->partitions, table);
          root->size_bytes += table->size_bytes;
          root->pages += table->pages;
          if (table->row_estimate > 0)
            root->row_estimate = MAX (root->row_estimate, 0) + table->row_estimate;
        }
    }

  return TRUE;
}

static gboolean
load_columns (FerryCatalog     *self,
              FerryConnection  *connection,
              const char       *journal,
              GCancellable     *cancellable,
              GError          **error)
{
  g_autoptr(PGresult) result = NULL;

  if (!(result = run (connection, columns_sql, journal, _("columns"), cancellable, error)))
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      FerryTable *table = table_for_oid (self, oid_value (result, i, 0));
      FerryColumn *column;
      const char *identity;

      if (table == NULL)
        continue;

      column = g_new0 (FerryColumn, 1);
      column->name = g_strdup (value (result, i, 1));
      column->type = g_strdup (value (result, i, 2));
      column->type_oid = oid_value (result, i, 3);
      column->attnum = int_value (result, i, 4, 0);
      column->not_null = bool_value (result, i, 5);
      column->has_default = bool_value (result, i, 6);
      column->generated = bool_value (result, i, 7);
      identity = value (result, i, 8);
      column->identity = identity != NULL ? identity[0] : '\0';
      column->collation = g_strdup (value (result, i, 9));
      g_ptr_array_add (table->columns, column);
    }

  return TRUE;
}

static FerryColumn *
find_column (FerryTable *table,
             const char *name)
{
  for (guint i = 0; i < table->columns->len; i++)
    {
      FerryColumn *column = g_ptr_array_index (table->columns, i);
      if (g_str_equal (column->name, name))
        return column;
    }
  return NULL;
}

static gboolean
load_keys (FerryCatalog     *self,
           FerryConnection  *connection,
           const char       *journal,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr(PGresult) result = NULL;

  if (!(result = run (connection, keys_sql, journal, _("keys"), cancellable, error)))
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      FerryTable *table = table_for_oid (self, oid_value (result, i, 0));
      FerryKey *key;

      if (table == NULL)
        continue;

      key = g_new0 (FerryKey, 1);
      key->name = g_strdup (value (result, i, 1));
      key->primary = bool_value (result, i, 2);
      key->is_constraint = bool_value (result, i, 3);
      key->columns = strv_value (result, i, 4);
      key->definition = g_strdup (value (result, i, 5));

      if (key->primary && table->primary_key == NULL)
        {
          table->primary_key = key;
          /* A single integer column makes a chunk key. */
          if (g_strv_length (key->columns) == 1)
            {
              FerryColumn *column = find_column (table, key->columns[0]);
              if (column != NULL && is_integer_type (column->type_oid))
                table->chunk_key = column;
            }
        }
      else
        g_ptr_array_add (table->unique_keys, key);
    }

  return TRUE;
}

static gboolean
load_foreign_keys (FerryCatalog     *self,
                   FerryConnection  *connection,
                   const char       *journal,
                   GCancellable     *cancellable,
                   GError          **error)
{
  g_autoptr(PGresult) result = NULL;

  if (!(result = run (connection, foreign_keys_sql, journal, _("foreign keys"), cancellable, error)))
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      FerryTable *child = table_for_oid (self, oid_value (result, i, 2));
      FerryTable *parent = table_for_oid (self, oid_value (result, i, 3));
      FerryForeignKey *fk;

      if (child == NULL)
        continue;
      if (parent == NULL)
        {
          /* The parent is outside what Ferry reads (a system schema or
           * the journal): nothing to order by. */
          g_debug ("Ignoring foreign key %s on %s: its parent is not a user table",
                   value (result, i, 1), child->display_name);
          continue;
        }

      fk = g_new0 (FerryForeignKey, 1);
      fk->oid = oid_value (result, i, 0);
      fk->name = g_strdup (value (result, i, 1));
      fk->child = child;
      fk->parent = parent;
      fk->child_columns = strv_value (result, i, 4);
      fk->parent_columns = strv_value (result, i, 5);
      fk->deferrable = bool_value (result, i, 6);
      fk->initially_deferred = bool_value (result, i, 7);
      fk->validated = bool_value (result, i, 8);
      fk->definition = g_strdup (value (result, i, 9));
      fk->references_primary_key = bool_value (result, i, 10);
      fk->nullable = bool_value (result, i, 11);
      insert_foreign_key (self, fk);
    }

  return TRUE;
}

static gboolean
load_triggers (FerryCatalog     *self,
               FerryConnection  *connection,
               const char       *journal,
               GCancellable     *cancellable,
               GError          **error)
{
  g_autoptr(PGresult) result = NULL;

  if (!(result = run (connection, triggers_sql, journal, _("triggers"), cancellable, error)))
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      FerryTable *table = table_for_oid (self, oid_value (result, i, 0));

      if (table == NULL)
        continue;
      g_strfreev (table->triggers);
      table->triggers = strv_value (result, i, 1);
    }

  return TRUE;
}

static gboolean
load_sequences (FerryCatalog     *self,
                FerryConnection  *connection,
                const char       *journal,
                GCancellable     *cancellable,
                GError          **error)
{
  g_autoptr(PGresult) result = NULL;

  if (!(result = run (connection, sequences_sql, journal, _("sequences"), cancellable, error)))
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      FerrySequence *seq = g_new0 (FerrySequence, 1);

      seq->schema = g_strdup (value (result, i, 0));
      seq->name = g_strdup (value (result, i, 1));
      seq->quoted_name = ferry_quote_qualified (seq->schema, seq->name);
      seq->owner_table = table_for_oid (self, oid_value (result, i, 2));
      seq->owner_column = g_strdup (value (result, i, 3));
      seq->has_value = bool_value (result, i, 4);
      seq->is_called = value (result, i, 5) != NULL;
      seq->last_value = seq->is_called ? int_value (result, i, 5, 0) : int_value (result, i, 6, 1);
      g_ptr_array_add (self->sequences, seq);
    }

  return TRUE;
}

static gboolean
load_extensions (FerryCatalog     *self,
                 FerryConnection  *connection,
                 const char       *journal,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr(PGresult) result = NULL;

  if (!(result = run (connection, extensions_sql, journal, _("extensions"), cancellable, error)))
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      FerryExtension *ext = g_new0 (FerryExtension, 1);

      ext->name = g_strdup (value (result, i, 0));
      ext->version = g_strdup (value (result, i, 1));
      ext->schema = g_strdup (value (result, i, 2));
      g_ptr_array_add (self->extensions, ext);
    }

  return TRUE;
}

/**
 * ferry_catalog_load:
 * @connection: an open connection
 * @config: (nullable): for the table filters and the journal schema
 *
 * Reads the database behind @connection. All reads happen in one
 * REPEATABLE READ transaction, so they agree with each other. Blocks:
 * call it from a worker thread.
 */
gboolean
ferry_catalog_load (FerryCatalog     *self,
                    FerryConnection  *connection,
                    FerryConfig      *config,
                    GCancellable     *cancellable,
                    GError          **error)
{
  const char *journal = config ? ferry_config_get_journal_schema (config)
                               : FERRY_CONFIG_DEFAULT_JOURNAL_SCHEMA;
  gboolean ok;

  g_return_val_if_fail (FERRY_IS_CATALOG (self), FALSE);
  g_return_val_if_fail (FERRY_IS_CONNECTION (connection), FALSE);

  ferry_catalog_reset (self);

  if (!ferry_connection_exec (connection,
                              "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return FALSE;

  ok = load_database (self, connection, journal, cancellable, error) &&
       load_tables (self, connection, config, journal, cancellable, error) &&
       load_columns (self, connection, journal, cancellable, error) &&
       load_keys (self, connection, journal, cancellable, error) &&
       load_foreign_keys (self, connection, journal, cancellable, error) &&
       load_triggers (self, connection, journal, cancellable, error) &&
       load_sequences (self, connection, journal, cancellable, error) &&
       load_extensions (self, connection, journal, cancellable, error);

  if (!ferry_connection_exec (connection, ok ? "COMMIT" : "ROLLBACK", ok ? error : NULL))
    ok = FALSE;

  if (!ok)
    ferry_catalog_reset (self);

  return ok;
}

/**
 * ferry_catalog_load_key_ranges:
 * @min_size: only tables (or partitions) larger than this need a range
 *
 * Reads min() and max() of the chunk key of every heap larger than
 * @min_size, a few hundred tables per query. The plan splits those
 * ranges into chunks.
 */
gboolean
ferry_catalog_load_key_ranges (FerryCatalog     *self,
                               FerryConnection  *connection,
                               guint64           min_size,
                               GCancellable     *cancellable,
                               GError          **error)
{
  const guint per_query = 200;
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();

  g_return_val_if_fail (FERRY_IS_CATALOG (self), FALSE);
  g_return_val_if_fail (FERRY_IS_CONNECTION (connection), FALSE);

  for (guint i = 0; i < self->tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (self->tables, i);

      if (table->kind != FERRY_TABLE_KIND_PARTITIONED && table->chunk_key != NULL &&
          table->size_bytes > min_size && table->extension == NULL)
        g_ptr_array_add (wanted, table);
    }

  for (guint start = 0; start < wanted->len; start += per_query)
    {
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(PGresult) result = NULL;
      g_autoptr(GError) local_error = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      for (guint i = start; i < MIN (start + per_query, wanted->len); i++)
        {
          FerryTable *table = g_ptr_array_index (wanted, i);
          g_autofree char *column = ferry_quote_ident (table->chunk_key->name);

          if (sql->len > 0)
            g_string_append (sql, " UNION ALL ");
          g_string_append_printf (sql,
                                  "SELECT %u::pg_catalog.int4, min(%s)::pg_catalog.int8, max(%s)::pg_catalog.int8 FROM ONLY %s",
                                  i, column, column, table->quoted_name);
        }

      result = ferry_connection_query (connection, sql->str, &local_error);
      if (result == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Could not read the key ranges of the %s: "),
                                      ferry_connection_get_label (connection));
          return FALSE;
        }

      for (int row = 0; row < PQntuples (result); row++)
        {
          FerryTable *table = g_ptr_array_index (wanted, int_value (result, row, 0, 0));

          table->has_key_range = !PQgetisnull (result, row, 1);
          if (table->has_key_range)
            {
              table->key_min = int_value (result, row, 1, 0);
              table->key_max = int_value (result, row, 2, 0);
            }
        }
    }

  return TRUE;
}

GPtrArray *
ferry_catalog_get_tables (FerryCatalog *self)
{
  g_return_val_if_fail (FERRY_IS_CATALOG (self), NULL);
  return self->tables;
}

GPtrArray *
ferry_catalog_get_foreign_keys (FerryCatalog *self)
{
  g_return_val_if_fail (FERRY_IS_CATALOG (self), NULL);
  return self->foreign_keys;
}

GPtrArray *
ferry_catalog_get_sequences (FerryCatalog *self)
{
  g_return_val_if_fail (FERRY_IS_CATALOG (self), NULL);
  return self->sequences;
}

GPtrArray *
ferry_catalog_get_extensions (FerryCatalog *self)
{
  g_return_val_if_fail (FERRY_IS_CATALOG (self), NULL);
  return self->extensions;
}

const char * const *
ferry_catalog_get_schemas (FerryCatalog *self)
{
  g_return_val_if_fail (FERRY_IS_CATALOG (self), NULL);
  return (const char * const *)self->schemas;
}

FerryTable *
ferry_catalog_lookup (FerryCatalog *self,
                      const char   *schema,
                      const char   *name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (FERRY_IS_CATALOG (self), NULL);

  key = name_key (schema, name);
  return g_hash_table_lookup (self->by_name, key);
}

/**
 * ferry_catalog_find:
 * @display_name: a name as Ferry shows it (`sales.orders`,
 *   `"Mixed Case"."Order"`), or an unquoted `schema.name`
 */
FerryTable *
ferry_catalog_find (FerryCatalog *self,
                    const char   *display_name)
{
  FerryTable *table;
  const char *dot;

  g_return_val_if_fail (FERRY_IS_CATALOG (self), NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  if ((table = g_hash_table_lookup (self->by_display, display_name)) != NULL)
    return table;

  /* An unquoted schema.name: the first dot separates them. */
  if ((dot = strchr (display_name, '.')) != NULL)
    {
      g_autofree char *schema = g_strndup (display_name, dot - display_name);
      return ferry_catalog_lookup (self, schema, dot + 1);
    }

  return NULL;
}

guint
ferry_catalog_get_n_large_objects (FerryCatalog *self)
{
  g_return_val_if_fail (FERRY_IS_CATALOG (self), 0);
  return self->n_large_objects;
}

#define STRING_GETTER(field)                                  \
  const char *                                                \
  ferry_catalog_get_##field (FerryCatalog *self)              \
  {                                                           \
    g_return_val_if_fail (FERRY_IS_CATALOG (self), NULL);     \
    return self->field;                                       \
  }

STRING_GETTER (database)
STRING_GETTER (encoding)
STRING_GETTER (collate)
STRING_GETTER (ctype)

#undef STRING_GETTER

guint64
ferry_catalog_get_database_size (FerryCatalog *self)
{
  g_return_val_if_fail (FERRY_IS_CATALOG (self), 0);
  return self->database_size;
}

int
ferry_catalog_get_server_version (FerryCatalog *self)
{
  g_return_val_if_fail (FERRY_IS_CATALOG (self), 0);
  return self->server_version;
}

/* What a migration of the included tables would move. */
guint64
ferry_catalog_get_total_bytes (FerryCatalog *self)
{
  guint64 total = 0;

  g_return_val_if_fail (FERRY_IS_CATALOG (self), 0);

  for (guint i = 0; i < self->tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (self->tables, i);
      if (table->included && table->extension == NULL && table->kind != FERRY_TABLE_KIND_PARTITIONED)
        total += table->size_bytes;
    }
  return total;
}

gint64
ferry_catalog_get_total_rows (FerryCatalog *self)
{
  gint64 total = 0;

  g_return_val_if_fail (FERRY_IS_CATALOG (self), 0);

  for (guint i = 0; i < self->tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (self->tables, i);
      if (table->included && table->extension == NULL && table->kind != FERRY_TABLE_KIND_PARTITIONED)
        total += MAX (table->row_estimate, 0);
    }
  return total;
}
