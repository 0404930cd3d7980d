/* test-catalog.c — FerryCatalog against real databases
 *
 * Loads the bundled sample (166 tables) into a throwaway cluster and
 * checks what the catalog reads against what schema.sql declares; then a
 * tiny database of awkward identifiers, and the table filters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ferry-catalog.h"
#include "ferry-config.h"
#include "ferry-connection.h"
#include "ferry-table-private.h"
#include "ferry-test-cluster.h"

typedef struct
{
  FerryTestCluster *cluster;
} Fixture;

static Fixture fixture;

static FerryConnection *
connect_to (const char *dbname)
{
  g_autofree char *conninfo = ferry_test_cluster_conninfo (fixture.cluster, dbname);
  g_autoptr(FerryConnection) connection = ferry_connection_new (conninfo, "source");
  g_autoptr(GError) error = NULL;

  ferry_connection_open (connection, 10, 60, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&connection);
}

static FerryCatalog *
load_catalog (const char  *dbname,
              FerryConfig *config)
{
  g_autoptr(FerryConnection) connection = connect_to (dbname);
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(GError) error = NULL;

  ferry_catalog_load (catalog, connection, config, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&catalog);
}

static gint64
query_int (const char *dbname,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = ferry_test_cluster_query_value (fixture.cluster, dbname, sql, &error);

  g_assert_no_error (error);
  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

static void
exec_sql (const char *dbname,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  ferry_test_cluster_exec (fixture.cluster, dbname, sql, &error);
  g_assert_no_error (error);
}

static FerryTable *
lookup (FerryCatalog *catalog,
        const char   *schema,
        const char   *name)
{
  FerryTable *table = ferry_catalog_lookup (catalog, schema, name);

  if (table == NULL)
    g_error ("%s.%s is not in the catalog", schema, name);
  return table;
}

static FerryColumn *
column (FerryTable *table,
        const char *name)
{
  for (guint i = 0; i < table->columns->len; i++)
    {
      FerryColumn *c = g_ptr_array_index (table->columns, i);
      if (g_str_equal (c->name, name))
        return c;
    }
  g_error ("%s has no column %s", table->display_name, name);
  return NULL;
}

static FerryForeignKey *
foreign_key (FerryCatalog *catalog,
             const char   *name)
{
  GPtrArray *fks = ferry_catalog_get_foreign_keys (catalog);

  for (guint i = 0; i < fks->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);
      if (g_str_equal (fk->name, name))
        return fk;
    }
  g_error ("no foreign key %s", name);
  return NULL;
}

static FerrySequence *
sequence (FerryCatalog *catalog,
          const char   *schema,
          const char   *name)
{
  GPtrArray *seqs = ferry_catalog_get_sequences (catalog);

  for (guint i = 0; i < seqs->len; i++)
    {
      FerrySequence *seq = g_ptr_array_index (seqs, i);
      if (g_str_equal (seq->schema, schema) && g_str_equal (seq->name, name))
        return seq;
    }
  g_error ("no sequence %s.%s", schema, name);
  return NULL;
}

/* The sample */

static void
test_sample_tables (void)
{
  g_autoptr(FerryCatalog) catalog = load_catalog ("sample", NULL);
  GPtrArray *tables = ferry_catalog_get_tables (catalog);
  FerryTable *events, *tracking;
  guint64 sum = 0;

  g_assert_cmpuint (tables->len, ==, 166);
  g_assert_cmpuint (tables->len, ==,
                    query_int ("sample",
                               "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                               "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                               "AND n.nspname NOT LIKE 'pg_toast%'"));
  g_assert_cmpstr (ferry_catalog_get_database (catalog), ==, "sample");
  g_assert_cmpstr (ferry_catalog_get_encoding (catalog), ==, "UTF8");
  g_assert_cmpint (ferry_catalog_get_server_version (catalog), >=, 120000);
  g_assert_cmpuint (ferry_catalog_get_database_size (catalog), >, 0);
  g_assert_true (g_strv_contains (ferry_catalog_get_schemas (catalog), "Reporting Ümlaut"));
  g_assert_false (g_strv_contains (ferry_catalog_get_schemas (catalog), "pg_catalog"));

  /* Every table is included without filters, and indexed by position. */
  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);
      g_assert_true (table->included);
      g_assert_cmpuint (table->index, ==, i);
      g_assert_cmpuint (table->oid, !=, 0);
      g_assert_true (ferry_catalog_find (catalog, table->display_name) == table);
    }

  /* Range partitioning: five partitions linked to their root, whose size
   * is theirs summed. */
  events = lookup (catalog, "sales", "events");
  g_assert_cmpint (events->kind, ==, FERRY_TABLE_KIND_PARTITIONED);
  g_assert_cmpuint (events->partitions->len, ==, 5);
  for (guint i = 0; i < events->partitions->len; i++)
    {
      FerryTable *partition = g_ptr_array_index (events->partitions, i);

      g_assert_cmpint (partition->kind, ==, FERRY_TABLE_KIND_PARTITION);
      g_assert_true (partition->partition_parent == events);
      g_assert_true (g_str_has_prefix (partition->name, "events_"));
      sum += partition->size_bytes;
    }
  g_assert_cmpuint (events->size_bytes, ==, sum);
  g_assert_cmpuint (events->size_bytes, >, 0);
  g_assert_true (lookup (catalog, "sales", "events_default")->partition_parent == events);

  tracking = lookup (catalog, "logistics", "tracking_events");
  g_assert_cmpint (tracking->kind, ==, FERRY_TABLE_KIND_PARTITIONED);
  g_assert_cmpuint (tracking->partitions->len, ==, 4);
  g_assert_nonnull (tracking->primary_key);
  g_assert_cmpuint (g_strv_length (tracking->primary_key->columns), ==, 3);

  /* Legacy inheritance: the child is an ordinary table of its own. */
  {
    FerryTable *legacy = lookup (catalog, "crm", "contacts_legacy");

    g_assert_cmpint (legacy->kind, ==, FERRY_TABLE_KIND_ORDINARY);
    g_assert_null (legacy->partition_parent);
    g_assert_true (g_strv_contains ((const char * const *)legacy->inherits, "crm.contacts"));
    g_assert_cmpuint (g_strv_length (lookup (catalog, "crm", "contacts")->inherits), ==, 0);
  }

  /* Unlogged */
  g_assert_true (lookup (catalog, "core", "sessions")->unlogged);
  g_assert_false (lookup (catalog, "core", "users")->unlogged);

  /* The extension's table */
  g_assert_cmpstr (lookup (catalog, "public", "citext_locale_rules")->extension, ==, "citext");
  g_assert_null (lookup (catalog, "public", "schema_migrations")->extension);

  /* Row-level security */
  {
    FerryTable *tickets = lookup (catalog, "support", "tickets");

    g_assert_true (tickets->rls_enabled);
    g_assert_false (tickets->rls_forced);
    g_assert_cmpuint (tickets->n_policies, ==, 1);
    g_assert_false (lookup (catalog, "support", "ticket_messages")->rls_enabled);
  }

  /* Triggers (user triggers only, not the ones behind foreign keys) */
  {
    FerryTable *customers = lookup (catalog, "crm", "customers");

    g_assert_true (g_strv_contains ((const char * const *)customers->triggers, "customers_set_search_key"));
    g_assert_true (g_strv_contains ((const char * const *)lookup (catalog, "billing", "invoices")->triggers,
                                    "invoices_record_change"));
    g_assert_cmpuint (g_strv_length (lookup (catalog, "core", "countries")->triggers), ==, 0);
  }

  /* Large objects */
  g_assert_cmpuint (ferry_catalog_get_n_large_objects (catalog), >, 0);
  g_assert_cmpuint (ferry_catalog_get_n_large_objects (catalog), ==,
                    query_int ("sample", "SELECT count(*) FROM pg_largeobject_metadata"));

  /* Totals leave out the partitioned roots (their partitions count) and
   * the extension's table. */
  g_assert_cmpuint (ferry_catalog_get_total_bytes (catalog), >, 0);
  g_assert_cmpuint (ferry_catalog_get_total_bytes (catalog), <=, ferry_catalog_get_database_size (catalog));
  g_assert_cmpint (ferry_catalog_get_total_rows (catalog), >, 0);
}

static void
test_sample_columns_and_keys (void)
{
  g_autoptr(FerryCatalog) catalog = load_catalog ("sample", NULL);
  FerryTable *employees = lookup (catalog, "hr", "employees");
  FerryTable *accounts = lookup (catalog, "crm", "accounts");
  FerryColumn *c;

  /* Generated and identity columns */
  c = column (employees, "full_name");
  g_assert_true (c->generated);
  g_assert_cmpstr (c->type, ==, "text");
  c = column (employees, "id");
  g_assert_cmpint (c->identity, ==, 'a');
  g_assert_true (c->not_null);
  g_assert_cmpint (column (accounts, "id")->identity, ==, 'd');
  g_assert_cmpint (column (employees, "first_name")->identity, ==, '\0');
  g_assert_false (column (employees, "first_name")->generated);
  g_assert_cmpuint (ferry_table_count_copy_columns (employees), ==, employees->columns->len - 1);

  /* Types as format_type() writes them, qualified outside pg_catalog */
  g_assert_cmpstr (column (employees, "salary")->type, ==, "numeric(12,2)");
  g_assert_cmpstr (column (employees, "skills")->type, ==, "text[]");
  g_assert_cmpstr (column (employees, "status")->type, ==, "hr.employment_status");
  g_assert_cmpstr (column (lookup (catalog, "crm", "customers"), "credit_limit")->type, ==, "core.money_amount");
  g_assert_true (column (employees, "status")->has_default);

  /* A single integer primary key is the chunk key */
  g_assert_nonnull (employees->primary_key);
  g_assert_true (employees->primary_key->primary);
  g_assert_true (employees->chunk_key == column (employees, "id"));
  g_assert_true (accounts->chunk_key == column (accounts, "id"));

  /* Composite primary keys: no chunk key */
  {
    FerryTable *rates = NULL;
    GPtrArray *tables = ferry_catalog_get_tables (catalog);
    guint n_composite = 0;

    for (guint i = 0; i < tables->len; i++)
      {
        FerryTable *t = g_ptr_array_index (tables, i);
        if (t->primary_key != NULL && g_strv_length (t->primary_key->columns) > 1)
          {
            n_composite++;
            g_assert_null (t->chunk_key);
            if (rates == NULL && g_str_equal (t->schema, "sales") && g_str_equal (t->name, "events"))
              rates = t;
          }
      }
    g_assert_cmpuint (n_composite, >=, 10);
    g_assert_nonnull (rates);
    g_assert_cmpstr (rates->primary_key->columns[0], ==, "event_id");
    g_assert_cmpstr (rates->primary_key->columns[1], ==, "occurred_at");
  }

  /* Tables without a primary key exist, some with a unique key. */
  g_assert_null (lookup (catalog, "audit", "audit_log")->primary_key);
  g_assert_null (lookup (catalog, "audit", "login_attempts")->primary_key);
  g_assert_cmpuint (lookup (catalog, "audit", "login_attempts")->unique_keys->len, >=, 1);

  /* Unique keys besides the primary key */
  {
    GPtrArray *unique = employees->unique_keys;
    gboolean found = FALSE;

    for (guint i = 0; i < unique->len; i++)
      {
        FerryKey *key = g_ptr_array_index (unique, i);
        g_assert_false (key->primary);
        if (g_strv_length (key->columns) == 1 && g_str_equal (key->columns[0], "employee_no"))
          found = key->is_constraint;
      }
    g_assert_true (found);
  }
}

static void
test_sample_foreign_keys (void)
{
  g_autoptr(FerryCatalog) catalog = load_catalog ("sample", NULL);
  GPtrArray *fks = ferry_catalog_get_foreign_keys (catalog);
  FerryForeignKey *fk;
  guint n_cross_schema = 0;
  guint n_self = 0;

  g_assert_cmpuint (fks->len, ==,
                    query_int ("sample",
                               "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conparentid = 0"));

  for (guint i = 0; i < fks->len; i++)
    {
      fk = g_ptr_array_index (fks, i);

      g_assert_nonnull (fk->child);
      g_assert_nonnull (fk->parent);
      g_assert_cmpuint (g_strv_length (fk->child_columns), ==, g_strv_length (fk->parent_columns));
      g_assert_cmpuint (g_strv_length (fk->child_columns), >=, 1);
      g_assert_true (g_ptr_array_find (fk->child->parents, fk, NULL));
      g_assert_true (g_ptr_array_find (fk->parent->children, fk, NULL));
      g_assert_true (g_str_has_prefix (fk->definition, "FOREIGN KEY"));
      if (!g_str_equal (fk->child->schema, fk->parent->schema))
        n_cross_schema++;
      if (fk->child == fk->parent)
        n_self++;
    }
  g_assert_cmpuint (n_cross_schema, >=, 20);
  g_assert_cmpuint (n_self, >=, 3);

  /* A reference to a unique key that is not the primary key */
  fk = foreign_key (catalog, "credit_notes_invoice_number_fkey");
  g_assert_false (fk->references_primary_key);
  g_assert_cmpstr (fk->parent->display_name, ==, "billing.invoices");
  g_assert_cmpstr (fk->parent_columns[0], ==, "invoice_number");
  g_assert_true (foreign_key (catalog, "employees_manager_id_fkey")->references_primary_key);

  /* Deferrable, initially deferred or immediate */
  fk = foreign_key (catalog, "accounts_primary_contact_id_fkey");
  g_assert_true (fk->deferrable);
  g_assert_true (fk->initially_deferred);
  g_assert_false (fk->nullable);
  g_assert_cmpstr (fk->child->display_name, ==, "crm.accounts");
  g_assert_cmpstr (fk->parent->display_name, ==, "crm.contacts");
  fk = foreign_key (catalog, "order_lines_order_id_fkey");
  g_assert_true (fk->deferrable);
  g_assert_false (fk->initially_deferred);
  fk = foreign_key (catalog, "employees_user_id_fkey");
  g_assert_false (fk->deferrable);
  g_assert_true (fk->nullable);

  /* Cross-schema */
  g_assert_cmpstr (fk->child->schema, ==, "hr");
  g_assert_cmpstr (fk->parent->schema, ==, "core");

  /* Self-reference */
  fk = foreign_key (catalog, "employees_manager_id_fkey");
  g_assert_true (fk->child == fk->parent);
  g_assert_cmpstr (fk->child_columns[0], ==, "manager_id");

  /* A foreign key from a quoted schema's table */
  fk = foreign_key (catalog, "report_runs_report_name_fkey");
  g_assert_cmpstr (fk->parent->name, ==, "report_definitions");
  g_assert_cmpstr (fk->parent->schema, ==, "Reporting Ümlaut");
}

static void
test_sample_sequences (void)
{
  g_autoptr(FerryCatalog) catalog = load_catalog ("sample", NULL);
  FerrySequence *seq;
  GPtrArray *exts = ferry_catalog_get_extensions (catalog);
  gboolean citext = FALSE;

  g_assert_cmpuint (ferry_catalog_get_sequences (catalog)->len, ==,
                    query_int ("sample",
                               "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                               "WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"));

  /* Standalone: no owner */
  seq = sequence (catalog, "billing", "invoice_number_seq");
  g_assert_null (seq->owner_table);
  g_assert_null (seq->owner_column);
  g_assert_true (seq->has_value);
  g_assert_cmpint (seq->last_value, ==,
                   query_int ("sample", "SELECT last_value FROM billing.invoice_number_seq"));
  g_assert_cmpstr (seq->quoted_name, ==, "\"billing\".\"invoice_number_seq\"");

  /* bigserial: owned by its column */
  seq = sequence (catalog, "crm", "contacts_id_seq");
  g_assert_nonnull (seq->owner_table);
  g_assert_cmpstr (seq->owner_table->display_name, ==, "crm.contacts");
  g_assert_cmpstr (seq->owner_column, ==, "id");

  /* Identity: owned too */
  seq = sequence (catalog, "hr", "employees_id_seq");
  g_assert_cmpstr (seq->owner_table->display_name, ==, "hr.employees");
  g_assert_cmpstr (seq->owner_column, ==, "id");
  g_assert_true (seq->is_called);
  g_assert_cmpint (seq->last_value, ==,
                   query_int ("sample", "SELECT last_value FROM hr.employees_id_seq"));

  for (guint i = 0; i < exts->len; i++)
    {
      FerryExtension *ext = g_ptr_array_index (exts, i);
      if (g_str_equal (ext->name, "citext"))
        {
          citext = TRUE;
          g_assert_cmpstr (ext->schema, ==, "public");
          g_assert_nonnull (ext->version);
        }
    }
  g_assert_true (citext);
}

static void
test_sample_identifiers (void)
{
  g_autoptr(FerryCatalog) catalog = load_catalog ("sample", NULL);
  const char *odd = "Quarterly \"Q4\" Summary; --";
  FerryTable *table;
  FerryTable *upper, *lower;

  table = lookup (catalog, "Reporting Ümlaut", odd);
  g_assert_cmpstr (table->schema, ==, "Reporting Ümlaut");
  g_assert_cmpstr (table->name, ==, odd);
  g_assert_cmpstr (table->quoted_name, ==, "\"Reporting Ümlaut\".\"Quarterly \"\"Q4\"\" Summary; --\"");
  g_assert_cmpstr (table->display_name, ==, "\"Reporting Ümlaut\".\"Quarterly \"\"Q4\"\" Summary; --\"");
  g_assert_true (ferry_catalog_find (catalog, table->display_name) == table);

  /* Names that differ only in case are different tables. */
  upper = lookup (catalog, "Reporting Ümlaut", "Sales");
  lower = lookup (catalog, "Reporting Ümlaut", "sales");
  g_assert_true (upper != lower);
  g_assert_cmpstr (upper->display_name, ==, "\"Reporting Ümlaut\".\"Sales\"");
  g_assert_cmpstr (lower->display_name, ==, "\"Reporting Ümlaut\".sales");
  g_assert_null (ferry_catalog_lookup (catalog, "reporting ümlaut", "sales"));

  table = lookup (catalog, "Reporting Ümlaut", "Ünïcødé Tàble");
  g_assert_cmpstr (column (table, "emoji 🚀")->type, ==, "text");
  g_assert_cmpstr (column (table, "日本語")->name, ==, "日本語");
  g_assert_cmpstr (column (table, "Größe")->type, ==, "double precision");

  /* A reserved word as a column name */
  g_assert_nonnull (column (lookup (catalog, "sales", "Order"), "select"));
}

static void
test_sample_key_ranges (void)
{
  g_autoptr(FerryConnection) connection = connect_to ("sample");
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *tables;
  FerryTable *employees;
  gint64 min, max;
  guint n_ranges = 0;

  ferry_catalog_load (catalog, connection, NULL, NULL, &error);
  g_assert_no_error (error);

  /* min_size 0: every table with a chunk key and some data */
  ferry_catalog_load_key_ranges (catalog, connection, 0, NULL, &error);
  g_assert_no_error (error);

  employees = lookup (catalog, "hr", "employees");
  g_assert_true (ferry_table_get_key_range (employees, &min, &max));
  g_assert_cmpint (min, ==, query_int ("sample", "SELECT min(id) FROM hr.employees"));
  g_assert_cmpint (max, ==, query_int ("sample", "SELECT max(id) FROM hr.employees"));

  tables = ferry_catalog_get_tables (catalog);
  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);

      if (table->has_key_range)
        {
          n_ranges++;
          g_assert_nonnull (table->chunk_key);
          g_assert_cmpint (table->key_min, <=, table->key_max);
          g_assert_cmpint (table->kind, !=, FERRY_TABLE_KIND_PARTITIONED);
        }
    }
  g_assert_cmpuint (n_ranges, >=, 20);

  /* A high min_size: no table needs a range. */
  {
    g_autoptr(FerryCatalog) other = ferry_catalog_new ();

    ferry_catalog_load (other, connection, NULL, NULL, &error);
    g_assert_no_error (error);
    ferry_catalog_load_key_ranges (other, connection, G_GUINT64_CONSTANT (1) << 40, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (ferry_table_get_key_range (lookup (other, "hr", "employees"), NULL, NULL));
  }
}

static void
test_sample_filters (void)
{
  g_autoptr(FerryConfig) config = ferry_config_new ();
  g_autoptr(FerryCatalog) catalog = NULL;
  const char *include[] = { "sales.*", "Reporting Ümlaut.*", NULL };
  const char *exclude[] = { "sales.events*", "Reporting Ümlaut.Sales", NULL };
  GPtrArray *tables;
  guint n_included = 0;

  ferry_config_set_include (config, include);
  ferry_config_set_exclude (config, exclude);
  catalog = load_catalog ("sample", config);
  tables = ferry_catalog_get_tables (catalog);

  /* Filters mark tables; they do not hide them. */
  g_assert_cmpuint (tables->len, ==, 166);
  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);

      if (table->included)
        {
          n_included++;
          g_assert_true (g_str_equal (table->schema, "sales") ||
                         g_str_equal (table->schema, "Reporting Ümlaut"));
        }
    }
  g_assert_cmpuint (n_included, >, 5);
  g_assert_true (lookup (catalog, "sales", "orders")->included);
  g_assert_false (lookup (catalog, "crm", "customers")->included);
  g_assert_false (lookup (catalog, "sales", "events")->included);
  /* A partition follows its root, whatever its own name matches. */
  g_assert_false (lookup (catalog, "sales", "events_2024")->included);
  /* Patterns match the raw names: case matters, no quoting. */
  g_assert_false (lookup (catalog, "Reporting Ümlaut", "Sales")->included);
  g_assert_true (lookup (catalog, "Reporting Ümlaut", "sales")->included);
  g_assert_true (lookup (catalog, "Reporting Ümlaut", "Quarterly \"Q4\" Summary; --")->included);

  /* Only the root counts: a partition whose root is included is included. */
  {
    g_autoptr(FerryConfig) only_root = ferry_config_new ();
    g_autoptr(FerryCatalog) other = NULL;
    const char *root[] = { "sales.events", NULL };

    ferry_config_set_include (only_root, root);
    other = load_catalog ("sample", only_root);
    g_assert_true (lookup (other, "sales", "events")->included);
    g_assert_true (lookup (other, "sales", "events_2024")->included);
    g_assert_false (lookup (other, "sales", "orders")->included);
  }
}

/* A tiny database with awkward identifiers, built here */

static void
test_odd_identifiers (void)
{
  g_autoptr(FerryCatalog) catalog = NULL;
  g_autoptr(FerryConfig) config = ferry_config_new ();
  g_autoptr(GError) error = NULL;
  FerryTable *orders, *lines, *plain;
  FerryForeignKey *fk;

  ferry_test_cluster_create_database (fixture.cluster, "odd", &error);
  g_assert_no_error (error);
  exec_sql ("odd",
            "CREATE SCHEMA \"My Schema\";"
            "CREATE TABLE \"My Schema\".\"Order\" ("
            "  \"ID\" bigint PRIMARY KEY, \"select\" text, \"a\"\"b\" int);"
            "CREATE TABLE \"My Schema\".\"Order Lines; DROP TABLE x; --\" ("
            "  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            "  \"Order\" bigint NOT NULL REFERENCES \"My Schema\".\"Order\","
            "  \"Ünïcødé\" text COLLATE \"C\");"
            "CREATE TABLE public.plain (id smallint PRIMARY KEY, note text);"
            "INSERT INTO public.plain SELECT g, 'x' FROM generate_series(1, 100) g;"
            "ANALYZE public.plain;"
            /* The journal's own schema is not part of any catalog. */
            "CREATE SCHEMA ferry; CREATE TABLE ferry.chunk (id int);"
            "CREATE SCHEMA elsewhere; CREATE TABLE elsewhere.t (id int);");

  catalog = load_catalog ("odd", config);
  g_assert_cmpuint (ferry_catalog_get_tables (catalog)->len, ==, 4);
  g_assert_null (ferry_catalog_lookup (catalog, "ferry", "chunk"));
  g_assert_false (g_strv_contains (ferry_catalog_get_schemas (catalog), "ferry"));

  /* Another journal schema: "ferry" is an ordinary schema then. */
  ferry_config_set_journal_schema (config, "elsewhere");
  g_clear_object (&catalog);
  catalog = load_catalog ("odd", config);
  g_assert_nonnull (ferry_catalog_lookup (catalog, "ferry", "chunk"));
  g_assert_null (ferry_catalog_lookup (catalog, "elsewhere", "t"));

  orders = lookup (catalog, "My Schema", "Order");
  lines = lookup (catalog, "My Schema", "Order Lines; DROP TABLE x; --");
  plain = lookup (catalog, "public", "plain");

  g_assert_cmpstr (orders->quoted_name, ==, "\"My Schema\".\"Order\"");
  g_assert_cmpstr (orders->display_name, ==, "\"My Schema\".\"Order\"");
  g_assert_cmpstr (lines->quoted_name, ==, "\"My Schema\".\"Order Lines; DROP TABLE x; --\"");
  g_assert_cmpstr (plain->display_name, ==, "public.plain");
  g_assert_cmpstr (plain->quoted_name, ==, "\"public\".\"plain\"");
  g_assert_true (ferry_catalog_find (catalog, "public.plain") == plain);
  g_assert_true (ferry_catalog_find (catalog, lines->display_name) == lines);

  g_assert_nonnull (column (orders, "a\"b"));
  g_assert_true (orders->chunk_key == column (orders, "ID"));
  g_assert_cmpstr (column (lines, "Ünïcødé")->collation, ==, "C");
  g_assert_null (column (lines, "Order")->collation);
  g_assert_cmpint (column (lines, "id")->identity, ==, 'a');

  g_assert_cmpuint (ferry_catalog_get_foreign_keys (catalog)->len, ==, 1);
  fk = g_ptr_array_index (ferry_catalog_get_foreign_keys (catalog), 0);
  g_assert_true (fk->child == lines);
  g_assert_true (fk->parent == orders);
  g_assert_cmpstr (fk->child_columns[0], ==, "Order");
  g_assert_cmpstr (fk->parent_columns[0], ==, "ID");
  g_assert_true (fk->references_primary_key);
  g_assert_true (fk->validated);

  g_assert_cmpint (plain->row_estimate, ==, 100);
  g_assert_cmpuint (plain->pages, >=, 1);
  g_assert_cmpuint (ferry_catalog_get_n_large_objects (catalog), ==, 0);

  /* Key ranges of quoted tables and columns */
  {
    g_autoptr(FerryConnection) connection = connect_to ("odd");
    gint64 min, max;

    exec_sql ("odd", "INSERT INTO \"My Schema\".\"Order\" (\"ID\") VALUES (-5), (42)");
    ferry_catalog_load_key_ranges (catalog, connection, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (ferry_table_get_key_range (orders, &min, &max));
    g_assert_cmpint (min, ==, -5);
    g_assert_cmpint (max, ==, 42);
    g_assert_true (ferry_table_get_key_range (plain, &min, &max));
    g_assert_cmpint (min, ==, 1);
    g_assert_cmpint (max, ==, 100);
  }
}

static void
test_load_errors (void)
{
  g_autoptr(FerryConnection) connection = NULL;
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(GError) error = NULL;

  ferry_test_cluster_create_database (fixture.cluster, "vanishing", &error);
  g_assert_no_error (error);
  connection = connect_to ("vanishing");

  /* A table dropped between the catalog and the key ranges: the error
   * keeps its SQLSTATE, and the connection stays usable. */
  exec_sql ("vanishing", "CREATE TABLE public.gone (id int PRIMARY KEY); INSERT INTO public.gone VALUES (1)");
  ferry_catalog_load (catalog, connection, NULL, NULL, &error);
  g_assert_no_error (error);
  exec_sql ("vanishing", "DROP TABLE public.gone");
  ferry_catalog_load_key_ranges (catalog, connection, 0, NULL, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_QUERY);
  g_assert_cmpstr (ferry_error_get_sqlstate (error), ==, "42P01");
  g_clear_error (&error);

  ferry_catalog_load (catalog, connection, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (ferry_catalog_lookup (catalog, "public", "gone"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (ferry_test_skip_unless_postgres ())
    return g_test_run ();

  fixture.cluster = ferry_test_cluster_start_with_sample ("sample", 1.0, NULL);

  g_test_add_func ("/catalog/sample/tables", test_sample_tables);
  g_test_add_func ("/catalog/sample/columns-and-keys", test_sample_columns_and_keys);
  g_test_add_func ("/catalog/sample/foreign-keys", test_sample_foreign_keys);
  g_test_add_func ("/catalog/sample/sequences-and-extensions", test_sample_sequences);
  g_test_add_func ("/catalog/sample/identifiers", test_sample_identifiers);
  g_test_add_func ("/catalog/sample/key-ranges", test_sample_key_ranges);
  g_test_add_func ("/catalog/sample/filters", test_sample_filters);
  g_test_add_func ("/catalog/odd-identifiers", test_odd_identifiers);
  g_test_add_func ("/catalog/load-errors", test_load_errors);

  ret = g_test_run ();

  g_clear_pointer (&fixture.cluster, ferry_test_cluster_free);
  return ret;
}
