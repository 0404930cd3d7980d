/* test-sample.c — the bundled sample database (data/sample)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loads the sample at scale 1 into two databases of one throwaway cluster
 * (and at scale 0.1 into a third), then checks with catalog queries that
 * every hard case README.md promises is really there, that the data
 * satisfies every foreign key, and that two loads are identical.
 */
#include "config.h"

#include <string.h>

#include <libpq-fe.h>

#include "ferry-error.h"
#include "ferry-test-cluster.h"

#define DB_A     "sample_a"
#define DB_B     "sample_b"
#define DB_SMALL "sample_small"

#define USER_TABLES \
  "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " \
  " WHERE c.relkind IN ('r', 'p') " \
  "   AND n.nspname NOT IN ('pg_catalog', 'information_schema') " \
  "   AND n.nspname NOT LIKE 'pg_%'"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

/* One cluster with the loaded databases for all the cases: loading is the
 * slow part. Made by the first case that needs it, freed at the end. */
static FerryTestCluster *sample_cluster;
static gboolean sample_failed;

static FerryTestCluster *
get_sample (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTestCluster) cluster = NULL;
  gint64 start;

  if (sample_cluster != NULL)
    return sample_cluster;
  if (sample_failed)
    g_error ("the sample database could not be loaded (see the first failure)");

  sample_failed = TRUE;

  cluster = ferry_test_cluster_start (&error);
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    {
      const char *db = (const char *[]) { DB_A, DB_B, DB_SMALL }[i];
      double scale = i < 2 ? 1.0 : 0.1;

      start = g_get_monotonic_time ();
      ferry_test_cluster_create_database (cluster, db, &error);
      g_assert_no_error (error);
      ferry_test_cluster_load_sample (cluster, db, scale, &error);
      g_assert_no_error (error);
      g_test_message ("loaded the sample at scale %g into %s in %.1f s",
                      scale, db, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
    }

  sample_failed = FALSE;
  sample_cluster = g_steal_pointer (&cluster);

  return sample_cluster;
}

/* --- query helpers ------------------------------------------------------ */

static PGconn *
connect_db (FerryTestCluster *cluster,
            const char       *db)
{
  g_autofree char *conninfo = ferry_test_cluster_conninfo (cluster, db);
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to %s: %s", db, PQerrorMessage (conn));

  return conn;
}

static PGresult *
query (PGconn     *conn,
       const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  /* Messages on one line: the TAP output must stay parseable. */
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("query failed: %s [%s]",
             PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY), sql);

  return result;
}

static char *
value (PGconn     *conn,
       const char *sql)
{
  g_autoptr(PGresult) result = query (conn, sql);

  if (PQntuples (result) != 1)
    g_error ("expected one row, got %d: %s", PQntuples (result), sql);

  return g_strdup (PQgetvalue (result, 0, 0));
}

static gint64
count (PGconn     *conn,
       const char *sql)
{
  g_autofree char *v = value (conn, sql);

  return g_ascii_strtoll (v, NULL, 10);
}

static gboolean
is_true (PGconn     *conn,
         const char *sql)
{
  g_autofree char *v = value (conn, sql);

  return g_str_equal (v, "t");
}

/* Asserts that a boolean catalog query holds, naming the case if not. */
#define assert_case(conn, what, sql)                                     \
  G_STMT_START {                                                         \
    if (!is_true ((conn), (sql)))                                        \
      g_error ("hard case missing: %s [%s]", (what), (sql));              \
  } G_STMT_END

/* --- cases -------------------------------------------------------------- */

static void
test_table_count (void)
{
  FerryTestCluster *cluster;
  g_autoptr(PGconn) conn = NULL;

  if (ferry_test_skip_unless_postgres ())
    return;
  cluster = get_sample ();
  conn = connect_db (cluster, DB_A);

  g_assert_cmpint (count (conn, "SELECT count(*) FROM (" USER_TABLES ") t"), ==, 166);

  /* The schemas a real business system would have. */
  g_assert_cmpint (count (conn,
                          "SELECT count(*) FROM pg_namespace WHERE nspname IN "
                          "('core', 'hr', 'crm', 'inventory', 'sales', 'billing', "
                          " 'logistics', 'support', 'audit', 'Reporting Ümlaut')"), ==, 10);

  /* No Ferry journal yet. */
  g_assert_cmpint (count (conn, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"), ==, 0);
}

static void
test_every_table_has_rows (void)
{
  FerryTestCluster *cluster;
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(PGresult) tables = NULL;
  guint empty = 0;

  if (ferry_test_skip_unless_postgres ())
    return;
  cluster = get_sample ();
  conn = connect_db (cluster, DB_A);

  /* Exact counts (ONLY: an inheritance parent's own rows). Only
   * audit.export_jobs is empty, on purpose. */
  tables = query (conn,
                  "SELECT format('SELECT count(*) FROM ONLY %s', c.oid::regclass), c.oid::regclass "
                  "  FROM pg_class c WHERE c.oid IN (" USER_TABLES ") AND c.relkind = 'r' "
                  " ORDER BY 2::text");
  for (int i = 0; i < PQntuples (tables); i++)
    {
      if (count (conn, PQgetvalue (tables, i, 0)) == 0)
        {
          g_assert_cmpstr (PQgetvalue (tables, i, 1), ==, "audit.export_jobs");
          empty++;
        }
    }
  g_assert_cmpuint (empty, ==, 1);

  /* ANALYZE ran: the planner's statistics are there. */
  assert_case (conn, "reltuples and relpages set",
               "SELECT reltuples > 1000 AND relpages > 10 FROM pg_class "
               " WHERE oid = 'sales.order_lines'::regclass");
}

/* Every foreign key holds: for each constraint, no row whose key columns
 * are all set lacks its referenced row (MATCH SIMPLE, as declared). */
static void
check_foreign_keys (PGconn *conn)
{
  g_autoptr(PGresult) checks = NULL;

  checks = query (conn,
    "SELECT con.conname, con.conrelid::regclass,"
    "       format('SELECT count(*) FROM %s %s c WHERE %s AND NOT EXISTS "
    "               (SELECT 1 FROM %s %s p WHERE %s)',"
    "              CASE WHEN cr.relkind = 'r' THEN 'ONLY' ELSE '' END, con.conrelid::regclass,"
    "              string_agg(format('c.%I IS NOT NULL', ca.attname), ' AND ' ORDER BY k.n),"
    "              CASE WHEN fr.relkind = 'r' THEN 'ONLY' ELSE '' END, con.confrelid::regclass,"
    "              string_agg(format('p.%I = c.%I', fa.attname, ca.attname), ' AND ' ORDER BY k.n))"
    "  FROM pg_constraint con"
    "  JOIN pg_class cr ON cr.oid = con.conrelid"
    "  JOIN pg_class fr ON fr.oid = con.confrelid"
    " CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k (ck, fk, n)"
    "  JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.ck"
    "  JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fk"
    " WHERE con.contype = 'f' AND con.conparentid = 0"
    " GROUP BY con.oid, con.conname, con.conrelid, cr.relkind, con.confrelid, fr.relkind"
    " ORDER BY 2::text, 1");

  g_assert_cmpint (PQntuples (checks), >=, 250);

  for (int i = 0; i < PQntuples (checks); i++)
    {
      gint64 orphans = count (conn, PQgetvalue (checks, i, 2));

      if (orphans != 0)
        g_error ("%s.%s: %" G_GINT64_FORMAT " rows violate the foreign key",
                 PQgetvalue (checks, i, 1), PQgetvalue (checks, i, 0), orphans);
    }
}

static void
test_foreign_keys_hold (void)
{
  FerryTestCluster *cluster;
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(PGconn) small = NULL;

  if (ferry_test_skip_unless_postgres ())
    return;
  cluster = get_sample ();

  conn = connect_db (cluster, DB_A);
  check_foreign_keys (conn);

  /* A small scale is consistent too, and really smaller. */
  small = connect_db (cluster, DB_SMALL);
  check_foreign_keys (small);
  g_assert_cmpint (count (small, "SELECT count(*) FROM sales.order_lines"), <,
                   count (conn, "SELECT count(*) FROM sales.order_lines") / 3);
  g_assert_cmpint (count (small, "SELECT count(*) FROM (" USER_TABLES ") t"), ==, 166);
}

/* The foreign-key graph, analysed here independently of FerryAnalyzer:
 * transitive closure, strongly connected components, longest path. */
typedef struct {
  guint     n;
  char    **names;
  gboolean *edge;     /* n × n: edge[i * n + j], i references j */
  gboolean *reach;    /* n × n, transitive closure */
} Graph;

static void
graph_free (Graph *g)
{
  g_strfreev (g->names);
  g_free (g->edge);
  g_free (g->reach);
}

static guint
graph_depth (Graph *g,
             guint  i,
             int   *memo)
{
  /* Longest chain of references from i to tables outside its own
   * component (a component counts as one step). */
  int best = 0;

  if (memo[i] >= 0)
    return memo[i];

  for (guint j = 0; j < g->n; j++)
    {
      gboolean same = g->reach[i * g->n + j] && g->reach[j * g->n + i];

      if (g->edge[i * g->n + j] && !same)
        best = MAX (best, 1 + (int) graph_depth (g, j, memo));
      else if (same && j != i)
        {
          /* Leave the component through any of its members. */
          for (guint k = 0; k < g->n; k++)
            if (g->edge[j * g->n + k] && !(g->reach[k * g->n + j] && g->reach[j * g->n + k]))
              best = MAX (best, 1 + (int) graph_depth (g, k, memo));
        }
    }

  memo[i] = best;
  return best;
}

static void
test_foreign_key_graph (void)
{
  FerryTestCluster *cluster;
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(PGresult) nodes = NULL;
  g_autoptr(PGresult) edges = NULL;
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree int *memo = NULL;
  Graph g = { 0 };
  guint max_component = 0;
  guint components_2 = 0;
  guint depth = 0;

  if (ferry_test_skip_unless_postgres ())
    return;
  cluster = get_sample ();
  conn = connect_db (cluster, DB_A);

  nodes = query (conn, "SELECT c.oid::regclass FROM pg_class c WHERE c.oid IN (" USER_TABLES ") ORDER BY 1::text");
  edges = query (conn,
                 "SELECT conrelid::regclass, confrelid::regclass FROM pg_constraint "
                 " WHERE contype = 'f' AND conparentid = 0 AND conrelid <> confrelid");

  g.n = PQntuples (nodes);
  g.names = g_new0 (char *, g.n + 1);
  g.edge = g_new0 (gboolean, g.n * g.n);
  g.reach = g_new0 (gboolean, g.n * g.n);
  for (guint i = 0; i < g.n; i++)
    {
      g.names[i] = g_strdup (PQgetvalue (nodes, i, 0));
      g_hash_table_insert (index, g.names[i], GUINT_TO_POINTER (i));
    }
  for (int e = 0; e < PQntuples (edges); e++)
    {
      guint from = GPOINTER_TO_UINT (g_hash_table_lookup (index, PQgetvalue (edges, e, 0)));
      guint to = GPOINTER_TO_UINT (g_hash_table_lookup (index, PQgetvalue (edges, e, 1)));

      g.edge[from * g.n + to] = TRUE;
      g.reach[from * g.n + to] = TRUE;
    }

  /* Warshall. */
  for (guint k = 0; k < g.n; k++)
    for (guint i = 0; i < g.n; i++)
      if (g.reach[i * g.n + k])
        for (guint j = 0; j < g.n; j++)
          if (g.reach[k * g.n + j])
            g.reach[i * g.n + j] = TRUE;

  for (guint i = 0; i < g.n; i++)
    {
      guint size = 0;

      for (guint j = 0; j < g.n; j++)
        if (i == j || (g.reach[i * g.n + j] && g.reach[j * g.n + i]))
          size++;
      max_component = MAX (max_component, size);
      if (size == 2)
        components_2++;
    }

  memo = g_new (int, g.n);
  for (guint i = 0; i < g.n; i++)
    memo[i] = -1;
  for (guint i = 0; i < g.n; i++)
    depth = MAX (depth, graph_depth (&g, i, memo));

  g_test_message ("FK graph: %u tables, %d edges, largest cycle component %u tables, depth %u",
                  g.n, PQntuples (edges), max_component, depth);

  /* A cycle through at least three tables, a separate two-table cycle,
   * and chains of references at least six levels deep. */
  g_assert_cmpuint (max_component, >=, 3);
  g_assert_cmpuint (components_2, >=, 2);  /* both members of a 2-cycle count */
  g_assert_cmpuint (depth, >=, 6);

  graph_free (&g);
}

static void
test_keys_and_constraints (void)
{
  FerryTestCluster *cluster;
  g_autoptr(PGconn) conn = NULL;

  if (ferry_test_skip_unless_postgres ())
    return;
  cluster = get_sample ();
  conn = connect_db (cluster, DB_A);

  assert_case (conn, "composite primary key",
               "SELECT count(*) >= 10 FROM pg_constraint WHERE contype = 'p' AND cardinality(conkey) > 1");
  assert_case (conn, "composite foreign key (hr.payslip_lines -> hr.payslips)",
               "SELECT EXISTS (SELECT FROM pg_constraint WHERE contype = 'f' AND cardinality(conkey) = 2 "
               "   AND conrelid = 'hr.payslip_lines'::regclass AND confrelid = 'hr.payslips'::regclass)");
  assert_case (conn, "foreign key onto a UNIQUE key that is not the primary key",
               "SELECT EXISTS (SELECT FROM pg_constraint con JOIN pg_index i ON i.indexrelid = con.conindid "
               "  WHERE con.contype = 'f' AND NOT i.indisprimary "
               "    AND con.conrelid = 'billing.credit_notes'::regclass "
               "    AND con.confrelid = 'billing.invoices'::regclass)");
  assert_case (conn, "self-references",
               "SELECT count(*) FILTER (WHERE conrelid IN ('hr.employees'::regclass, "
               "                                          'inventory.categories'::regclass)) = 2 "
               "  FROM pg_constraint WHERE contype = 'f' AND conrelid = confrelid");
  assert_case (conn, "three-table cycle employees -> departments -> cost_centers -> employees",
               "SELECT count(*) = 3 FROM pg_constraint WHERE contype = 'f' AND (conrelid, confrelid) IN ("
               "  ('hr.employees'::regclass, 'hr.departments'::regclass),"
               "  ('hr.departments'::regclass, 'billing.cost_centers'::regclass),"
               "  ('billing.cost_centers'::regclass, 'hr.employees'::regclass))");
  assert_case (conn, "two-table cycle closed by a DEFERRABLE INITIALLY DEFERRED key",
               "SELECT EXISTS (SELECT FROM pg_constraint WHERE contype = 'f' AND condeferrable AND condeferred"
               "   AND conrelid = 'crm.accounts'::regclass AND confrelid = 'crm.contacts'::regclass)"
               "   AND EXISTS (SELECT FROM pg_constraint WHERE contype = 'f'"
               "   AND conrelid = 'crm.contacts'::regclass AND confrelid = 'crm.accounts'::regclass)");
  assert_case (conn, "other deferrable foreign keys",
               "SELECT count(*) >= 3 FROM pg_constraint WHERE contype = 'f' AND condeferrable");
  assert_case (conn, "cross-schema foreign keys",
               "SELECT count(*) >= 50 FROM pg_constraint con "
               "  JOIN pg_class a ON a.oid = con.conrelid JOIN pg_class b ON b.oid = con.confrelid "
               " WHERE con.contype = 'f' AND a.relnamespace <> b.relnamespace");
  assert_case (conn, "a log table without primary key or unique index",
               "SELECT NOT EXISTS (SELECT FROM pg_index WHERE indrelid = 'audit.audit_log'::regclass AND indisunique)"
               "   AND EXISTS (SELECT FROM pg_index WHERE indrelid = 'audit.audit_log'::regclass)");
  assert_case (conn, "a table whose only key is a unique index",
               "SELECT NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'audit.login_attempts'::regclass AND contype = 'p')"
               "   AND EXISTS (SELECT FROM pg_index WHERE indrelid = 'audit.login_attempts'::regclass AND indisunique)");
  assert_case (conn, "a table with no index and no constraint at all",
               "SELECT NOT EXISTS (SELECT FROM pg_index WHERE indrelid = 'audit.raw_syslog'::regclass)"
               "   AND NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'audit.raw_syslog'::regclass)");
  assert_case (conn, "text and uuid primary keys (no integer key)",
               "SELECT (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_constraint c "
               "          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
               "         WHERE c.conrelid = 'core.users'::regclass AND c.contype = 'p') = 'uuid'"
               "   AND (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_constraint c "
               "          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
               "         WHERE c.conrelid = 'public.schema_migrations'::regclass AND c.contype = 'p') = 'text'");
  assert_case (conn, "CHECK constraints on tables",
               "SELECT count(*) >= 20 FROM pg_constraint WHERE contype = 'c' AND conrelid <> 0");
  assert_case (conn, "a CHECK constraint that is NOT VALID",
               "SELECT EXISTS (SELECT FROM pg_constraint WHERE contype = 'c' AND NOT convalidated"
               "   AND conrelid = 'crm.customers'::regclass)");
  assert_case (conn, "an exclusion constraint",
               "SELECT EXISTS (SELECT FROM pg_constraint WHERE contype = 'x' AND conrelid = 'hr.payroll_runs'::regclass)");
}

static void
test_table_kinds (void)
{
  FerryTestCluster *cluster;
  g_autoptr(PGconn) conn = NULL;

  if (ferry_test_skip_unless_postgres ())
    return;
  cluster = get_sample ();
  conn = connect_db (cluster, DB_A);

  assert_case (conn, "range-partitioned sales.events with 4+ partitions and a default, all with rows",
               "SELECT p.partstrat = 'r' AND p.partdefid <> 0"
               "   AND (SELECT count(*) FROM pg_inherits WHERE inhparent = p.partrelid) >= 5"
               "   AND (SELECT count(*) FROM sales.events_default) > 0"
               "   AND (SELECT count(*) FROM sales.events_2025_h2) > 0"
               "  FROM pg_partitioned_table p WHERE p.partrelid = 'sales.events'::regclass");
  assert_case (conn, "list-partitioned logistics.tracking_events",
               "SELECT partstrat = 'l' FROM pg_partitioned_table"
               " WHERE partrelid = 'logistics.tracking_events'::regclass");
  assert_case (conn, "a foreign key onto a partitioned table",
               "SELECT EXISTS (SELECT FROM pg_constraint WHERE contype = 'f' AND conparentid = 0"
               "   AND confrelid = 'sales.events'::regclass)");
  assert_case (conn, "legacy inheritance child crm.contacts_legacy",
               "SELECT NOT c.relispartition AND i.inhparent = 'crm.contacts'::regclass"
               "   AND (SELECT count(*) FROM ONLY crm.contacts_legacy) > 0"
               "  FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid"
               " WHERE c.oid = 'crm.contacts_legacy'::regclass");
  assert_case (conn, "UNLOGGED table core.sessions",
               "SELECT relpersistence = 'u' FROM pg_class WHERE oid = 'core.sessions'::regclass");
  assert_case (conn, "extension-owned table public.citext_locale_rules (deptype e)",
               "SELECT EXISTS (SELECT FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid"
               "  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_extension'::regclass"
               "    AND d.objid = 'public.citext_locale_rules'::regclass"
               "    AND d.deptype = 'e' AND e.extname = 'citext')");
  assert_case (conn, "row level security with a policy on support.tickets",
               "SELECT c.relrowsecurity AND EXISTS (SELECT FROM pg_policy WHERE polrelid = c.oid)"
               "  FROM pg_class c WHERE c.oid = 'support.tickets'::regclass");
  assert_case (conn, "user triggers (one of them disabled)",
               "SELECT count(*) >= 3 AND bool_or(tgenabled = 'D')"
               "  FROM pg_trigger WHERE NOT tgisinternal");
  assert_case (conn, "a dropped column",
               "SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'crm.customers'::regclass AND attisdropped)");
  assert_case (conn, "a view and a populated materialized view",
               "SELECT EXISTS (SELECT FROM pg_class WHERE relkind = 'v' AND oid = 'sales.order_totals'::regclass)"
               "   AND (SELECT relispopulated FROM pg_class WHERE oid = '\"Reporting Ümlaut\".monthly_sales'::regclass)");
}

static void
test_columns_and_types (void)
{
  FerryTestCluster *cluster;
  g_autoptr(PGconn) conn = NULL;

  if (ferry_test_skip_unless_postgres ())
    return;
  cluster = get_sample ();
  conn = connect_db (cluster, DB_A);

#define HAS_COLUMN "SELECT EXISTS (SELECT FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid " \
                   " WHERE c.oid IN (" USER_TABLES ") AND a.attnum > 0 AND NOT a.attisdropped AND "

  assert_case (conn, "generated columns", HAS_COLUMN "a.attgenerated = 's')");
  assert_case (conn, "identity GENERATED ALWAYS", HAS_COLUMN "a.attidentity = 'a')");
  assert_case (conn, "identity GENERATED BY DEFAULT", HAS_COLUMN "a.attidentity = 'd')");
  assert_case (conn, "enum columns",
               HAS_COLUMN "EXISTS (SELECT FROM pg_type t WHERE t.oid = a.atttypid AND t.typtype = 'e'))");
  assert_case (conn, "an array of an enum",
               HAS_COLUMN "EXISTS (SELECT FROM pg_type t JOIN pg_type e ON e.oid = t.typelem "
               "  WHERE t.oid = a.atttypid AND e.typtype = 'e'))");
  assert_case (conn, "domain columns with CHECK constraints",
               HAS_COLUMN "EXISTS (SELECT FROM pg_type t JOIN pg_constraint k ON k.contypid = t.oid "
               "  WHERE t.oid = a.atttypid AND t.typtype = 'd' AND k.contype = 'c'))");
  assert_case (conn, "a composite-typed column",
               HAS_COLUMN "EXISTS (SELECT FROM pg_type t WHERE t.oid = a.atttypid AND t.typtype = 'c'))");
  assert_case (conn, "array columns", HAS_COLUMN "a.atttypid = 'text[]'::regtype)");
  assert_case (conn, "jsonb, numeric, timestamptz, interval, inet, uuid, citext, ranges, bytea",
               "SELECT count(DISTINCT a.atttypid) = 10 FROM pg_attribute a"
               " WHERE a.attrelid IN (" USER_TABLES ") AND a.atttypid IN ("
               "   'jsonb'::regtype, 'numeric'::regtype, 'timestamptz'::regtype, 'interval'::regtype,"
               "   'inet'::regtype, 'uuid'::regtype, 'citext'::regtype, 'daterange'::regtype,"
               "   'tstzrange'::regtype, 'bytea'::regtype)");
  assert_case (conn, "serial columns with owned sequences",
               "SELECT count(*) >= 20 FROM pg_depend d JOIN pg_class s ON s.oid = d.objid"
               " WHERE s.relkind = 'S' AND d.deptype = 'a' AND d.refclassid = 'pg_class'::regclass");
  assert_case (conn, "standalone sequences, used and advanced",
               "SELECT count(*) >= 3 AND bool_and(pg_sequence_last_value(s.oid) IS NOT NULL)"
               "  FROM pg_class s WHERE s.relkind = 'S' AND NOT EXISTS (SELECT FROM pg_depend d"
               "   WHERE d.objid = s.oid AND d.deptype IN ('a', 'i'))");
  assert_case (conn, "TOASTed bytea over 8 kB",
               "SELECT max(pg_column_size(image)) > 8192 FROM inventory.product_images");
  assert_case (conn, "large objects referenced by core.documents",
               "SELECT count(*) >= 2 AND bool_and(EXISTS (SELECT FROM pg_largeobject_metadata m WHERE m.oid = d.content_oid))"
               "  FROM core.documents d");
  assert_case (conn, "the large objects match their checksums",
               "SELECT bool_and(sha256(lo_get(content_oid)) = sha256) FROM core.documents");
  assert_case (conn, "text that COPY must escape",
               "SELECT count(*) = 3 FROM \"Reporting Ümlaut\".\"Ünïcødé Tàble\""
               " WHERE \"naïve text\" IN (E'tab\\there', E'back\\\\slash', '\\N')"
               "    OR \"Spalte mit Leerzeichen\" = E'new\\nline'");
  assert_case (conn, "NaN and infinities",
               "SELECT count(*) FILTER (WHERE \"Größe\" = 'NaN') = 1 AND count(*) FILTER (WHERE \"Zeitpunkt\" = 'infinity') = 1"
               "  FROM \"Reporting Ümlaut\".\"Ünïcødé Tàble\"");
#undef HAS_COLUMN
}

static void
test_identifiers (void)
{
  FerryTestCluster *cluster;
  g_autoptr(PGconn) conn = NULL;
  static const char * const tables[] = {
    "sales.\"Order\"",
    "sales.\"Order Lines; DROP\"",
    "\"Reporting Ümlaut\".\"Ünïcødé Tàble\"",
    "\"Reporting Ümlaut\".\"Quarterly \"\"Q4\"\" Summary; --\"",
    "\"Reporting Ümlaut\".\"Sales\"",
    "\"Reporting Ümlaut\".sales",
  };

  if (ferry_test_skip_unless_postgres ())
    return;
  cluster = get_sample ();
  conn = connect_db (cluster, DB_A);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);

      if (count (conn, sql) < 1)
        g_error ("%s is empty", tables[i]);
    }

  assert_case (conn, "a column named \"select\" and one with a space",
               "SELECT count(*) = 2 FROM pg_attribute WHERE attrelid = 'sales.\"Order\"'::regclass"
               "   AND attname IN ('select', 'unit price')");
  assert_case (conn, "a table name with a double quote and a semicolon",
               "SELECT EXISTS (SELECT FROM pg_class WHERE relname LIKE '%\"%;%')");
  assert_case (conn, "a non-ASCII, mixed-case schema name",
               "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'Reporting Ümlaut')");
}

/* Two loads of the same scale are identical: rows, sequences and large
 * objects. One line per table (and one for the sequences, one for the
 * large objects), so that a difference names its table. */
static GPtrArray *
fingerprint (PGconn *conn)
{
  g_autoptr(PGresult) tables = NULL;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sequences = NULL;
  g_autofree char *large_objects = NULL;

  tables = query (conn,
                  "SELECT c.oid::regclass, format('SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L))"
                  "                                 FROM ONLY %s t', ',', '', c.oid::regclass)"
                  "  FROM pg_class c WHERE c.oid IN (" USER_TABLES ") AND c.relkind = 'r'"
                  " ORDER BY 1::text");
  for (int i = 0; i < PQntuples (tables); i++)
    {
      g_autofree char *hash = value (conn, PQgetvalue (tables, i, 1));

      g_ptr_array_add (lines, g_strdup_printf ("%s %s", PQgetvalue (tables, i, 0), hash));
    }

  sequences = value (conn,
                     "SELECT md5(string_agg(format('%s.%s=%s', schemaname, sequencename, last_value), ','"
                     "                      ORDER BY schemaname, sequencename)) FROM pg_sequences");
  g_ptr_array_add (lines, g_strdup_printf ("sequences %s", sequences));

  large_objects = value (conn,
                         "SELECT string_agg(oid || ':' || md5(lo_get(oid)), ',' ORDER BY oid)"
                         "  FROM pg_largeobject_metadata");
  g_ptr_array_add (lines, g_strdup_printf ("large objects %s", large_objects));

  return lines;
}

static void
test_deterministic (void)
{
  FerryTestCluster *cluster;
  g_autoptr(PGconn) a = NULL;
  g_autoptr(PGconn) b = NULL;
  g_autoptr(GPtrArray) print_a = NULL;
  g_autoptr(GPtrArray) print_b = NULL;

  if (ferry_test_skip_unless_postgres ())
    return;
  cluster = get_sample ();
  a = connect_db (cluster, DB_A);
  b = connect_db (cluster, DB_B);

  print_a = fingerprint (a);
  print_b = fingerprint (b);

  g_assert_cmpuint (print_a->len, ==, print_b->len);
  for (guint i = 0; i < print_a->len; i++)
    g_assert_cmpstr (g_ptr_array_index (print_a, i), ==, g_ptr_array_index (print_b, i));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sample/table-count", test_table_count);
  g_test_add_func ("/sample/every-table-has-rows", test_every_table_has_rows);
  g_test_add_func ("/sample/foreign-keys-hold", test_foreign_keys_hold);
  g_test_add_func ("/sample/foreign-key-graph", test_foreign_key_graph);
  g_test_add_func ("/sample/keys-and-constraints", test_keys_and_constraints);
  g_test_add_func ("/sample/table-kinds", test_table_kinds);
  g_test_add_func ("/sample/columns-and-types", test_columns_and_types);
  g_test_add_func ("/sample/identifiers", test_identifiers);
  g_test_add_func ("/sample/deterministic", test_deterministic);

  status = g_test_run ();

  g_clear_pointer (&sample_cluster, ferry_test_cluster_free);

  return status;
}
