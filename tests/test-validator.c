/* test-validator.c — the readiness checks against real servers
 *
 * One throwaway cluster: a source database with the bundled sample, and
 * target databases set up per case so that every check shows its failing
 * (or warning) outcome and its passing one. Targets start from a template
 * made with pg_dump --schema-only of the source, the way a DBA would
 * prepare one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ferry-analyzer.h"
#include "ferry-catalog.h"
#include "ferry-config.h"
#include "ferry-enum-types.h"
#include "ferry-validator.h"
#include "ferry-test-migrate.h"

static FerryTestCluster *cluster;

/* Helpers */

static char *
conninfo_as (const char *dbname,
             const char *user)
{
  g_autofree char *base = ferry_test_cluster_conninfo (cluster, dbname);

  /* In a key/value conninfo, a later keyword wins. */
  return user ? g_strdup_printf ("%s user=%s", base, user) : g_steal_pointer (&base);
}

static void
sql (const char *dbname,
     const char *format,
     ...) G_GNUC_PRINTF (2, 3);

static void
sql (const char *dbname,
     const char *format,
     ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  ferry_test_cluster_exec (cluster, dbname, text, &error);
  g_assert_no_error (error);
}

/* A target with the source's schema and no rows. */
static void
make_target (const char *name)
{
  sql ("postgres", "CREATE DATABASE \"%s\" TEMPLATE target_template", name);
}

static void
make_empty_database (const char *name)
{
  sql ("postgres", "CREATE DATABASE \"%s\" TEMPLATE template0", name);
}

static FerryConfig *
config_new (const char *source_db,
            const char *source_user,
            const char *target_db,
            const char *target_user)
{
  FerryConfig *config = ferry_config_new ();
  g_autofree char *source = conninfo_as (source_db, source_user);
  g_autofree char *target = conninfo_as (target_db, target_user);

  ferry_config_set_source (config, source);
  ferry_config_set_target (config, target);
  ferry_config_set_connect_timeout (config, 5);
  /* The sample has a composite column and an enum array, which binary
   * COPY cannot carry between databases (see /validator/binary-format). */
  ferry_config_set_copy_format (config, FERRY_COPY_FORMAT_TEXT);
  return config;
}

static FerryValidator *
validate (FerryConfig *config)
{
  g_autoptr(FerryValidator) validator = ferry_validator_new (config);
  g_autoptr(GError) error = NULL;

  ferry_validator_run (validator, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&validator);
}

static void
rerun (FerryValidator *validator)
{
  g_autoptr(GError) error = NULL;

  ferry_validator_run (validator, NULL, &error);
  g_assert_no_error (error);
}

static FerryCheck *
get_check (FerryValidator *validator,
           const char     *id)
{
  FerryCheck *check = ferry_validator_lookup_check (validator, id);

  if (check == NULL)
    g_error ("no check %s", id);
  return check;
}

static void
assert_status_impl (FerryValidator   *validator,
                    const char       *id,
                    FerryCheckStatus  expected,
                    const char       *where)
{
  FerryCheck *check = get_check (validator, id);

  if (ferry_check_get_status (check) != expected)
    {
      const char * const *items = ferry_check_get_items (check);
      g_autofree char *list = g_strjoinv ("\n  ", (char **)items);

      g_error ("%s: check %s is %s, expected %s: %s\n  %s", where, id,
               ferry_enum_to_nick (FERRY_TYPE_CHECK_STATUS, ferry_check_get_status (check)),
               ferry_enum_to_nick (FERRY_TYPE_CHECK_STATUS, expected),
               ferry_check_get_summary (check), list);
    }
}

#define assert_status(v, id, status) assert_status_impl (v, id, status, G_STRLOC)

static gboolean
has_item (FerryValidator *validator,
          const char     *id,
          const char     *needle)
{
  const char * const *items = ferry_check_get_items (get_check (validator, id));

  for (guint i = 0; items[i] != NULL; i++)
    if (strstr (items[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

#define assert_item(v, id, needle) \
  G_STMT_START { \
    if (!has_item (v, id, needle)) \
      g_error ("%s: check %s has no item containing “%s”", G_STRLOC, id, needle); \
  } G_STMT_END

static guint
n_items (FerryValidator *validator,
         const char     *id)
{
  return g_strv_length ((char **)ferry_check_get_items (get_check (validator, id)));
}

static void
assert_fix (FerryValidator *validator,
            const char     *id,
            const char     *fix_id)
{
  FerryCheck *check = get_check (validator, id);

  g_assert_nonnull (ferry_check_get_fix (check));
  g_assert_cmpstr (ferry_check_get_fix_id (check), ==, fix_id);
}

/* Checks that read the target. */
static const char *target_checks[] = {
  "distinct-databases", "server-versions", "encodings", "collations",
  "target-write-privileges", "target-table-ownership", "journal-schema", "sequences",
  "target-tables-exist", "column-compatibility", "target-partitioning", "schema-copy-target",
  "extensions", "target-tables-empty", "target-triggers", "target-connection-capacity",
  NULL
};

/* The happy path: a target made with pg_dump --schema-only */

static void
run_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  ferry_validator_run_finish (FERRY_VALIDATOR (object), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_happy_path (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "happy", NULL);
  g_autoptr(FerryValidator) validator = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *checks;
  JsonObject *root, *counts;
  gboolean done = FALSE;
  guint n_pass, n_warning, n_fail, n_skipped;
  const char *pass[] = {
    "source-reachable", "target-reachable", "distinct-databases", "server-versions",
    "encodings", "collations", "source-select-privilege", "source-row-level-security",
    "target-write-privileges", "target-table-ownership", "journal-schema", "sequences",
    "table-selection", "target-tables-exist", "column-compatibility", "target-partitioning",
    "extensions", "extension-tables", "target-tables-empty", "generated-columns",
    "identity-columns", "binary-copy-types", "self-references", "excluded-references",
    "source-connection-capacity", "target-connection-capacity", "connection-pool",
    "estimated-duration", "largest-chunk", "large-objects", NULL
  };
  const char *warning[] = {
    "primary-keys", "unlogged-tables", "target-triggers", "fk-cycles",
    "not-valid-constraints", NULL
  };

  make_target ("happy");

  validator = ferry_validator_new (config);
  ferry_validator_run_async (validator, NULL, run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  checks = ferry_validator_get_checks (validator);
  g_assert_cmpuint (g_list_model_get_n_items (checks), >=, 25);
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(FerryCheck) check = g_list_model_get_item (checks, i);
      const char *id = ferry_check_get_id (check);

      /* Stable kebab-case ids, each once, each explained. */
      g_assert_true (g_regex_match_simple ("^[a-z]+(-[a-z]+)*$", id, 0, 0));
      g_assert_false (g_hash_table_contains (ids, id));
      g_hash_table_add (ids, (gpointer)id);
      g_assert_true (ferry_validator_lookup_check (validator, id) == check);
      g_assert_nonnull (ferry_check_get_title (check));
      g_assert_nonnull (ferry_check_get_summary (check));
      g_assert_cmpstr (ferry_check_get_summary (check), !=, "");
      g_assert_nonnull (ferry_check_get_explanation (check));
    }

  for (guint i = 0; pass[i]; i++)
    assert_status (validator, pass[i], FERRY_CHECK_STATUS_PASS);
  for (guint i = 0; warning[i]; i++)
    assert_status (validator, warning[i], FERRY_CHECK_STATUS_WARNING);
  assert_status (validator, "schema-copy-target", FERRY_CHECK_STATUS_SKIPPED);

  n_pass = ferry_validator_count (validator, FERRY_CHECK_STATUS_PASS);
  n_warning = ferry_validator_count (validator, FERRY_CHECK_STATUS_WARNING);
  n_fail = ferry_validator_count (validator, FERRY_CHECK_STATUS_FAIL);
  n_skipped = ferry_validator_count (validator, FERRY_CHECK_STATUS_SKIPPED);
  g_assert_cmpuint (n_fail, ==, 0);
  g_assert_cmpuint (n_pass + n_warning + n_fail + n_skipped, ==, g_list_model_get_n_items (checks));
  g_assert_true (ferry_validator_is_ready (validator));
  g_assert_cmpfloat_with_epsilon (ferry_validator_get_score (validator),
                                  100.0 * n_pass / (n_pass + n_warning + n_fail), 0.001);

  /* What the checks say about the sample */
  g_assert_true (g_str_has_prefix (ferry_check_get_summary (get_check (validator, "table-selection")),
                                   "165 of 166 tables are selected"));
  assert_item (validator, "extension-tables", "public.citext_locale_rules (extension citext)");
  assert_item (validator, "primary-keys", "audit.audit_log");
  assert_item (validator, "generated-columns", "hr.employees.full_name");
  assert_item (validator, "identity-columns", "hr.employees.id (GENERATED ALWAYS)");
  assert_item (validator, "identity-columns", "crm.accounts.id (GENERATED BY DEFAULT)");
  assert_item (validator, "unlogged-tables", "core.sessions");
  assert_item (validator, "target-triggers", "crm.customers: customers_set_search_key");
  assert_item (validator, "fk-cycles", "accounts_primary_contact_id_fkey");
  assert_item (validator, "fk-cycles", "hr.employees");
  assert_item (validator, "self-references", "hr.employees: employees_manager_id_fkey");
  assert_item (validator, "not-valid-constraints", "customers_phone_format");
  assert_item (validator, "source-row-level-security", "support.tickets");
  assert_item (validator, "estimated-duration", "chunk");
  assert_item (validator, "largest-chunk", "chunk 1 of 1");
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "large-objects")),
                            "3 large objects ("));
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "large-objects")),
                            " kB) are copied after the tables"));
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "journal-schema")), "will be created"));
  g_assert_nonnull (strstr (ferry_check_get_explanation (get_check (validator, "estimated-duration")), "40 MB/s"));
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "distinct-databases")), "same server"));

  /* What prepare() left behind */
  g_assert_nonnull (ferry_validator_get_plan (validator));
  g_assert_nonnull (ferry_validator_get_analyzer (validator));
  g_assert_cmpuint (ferry_catalog_get_tables (ferry_validator_get_source_catalog (validator))->len, ==, 166);
  g_assert_nonnull (ferry_validator_get_target_catalog (validator));
  g_assert_true (ferry_connection_is_open (ferry_validator_get_source (validator)));
  g_assert_true (ferry_validator_get_config (validator) == config);

  /* JSON */
  node = ferry_validator_to_json (validator);
  json = json_to_string (node, FALSE);
  root = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (root, "format_version"), ==, 1);
  g_assert_true (json_object_get_boolean_member (root, "ready"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (root, "score"),
                                  ferry_validator_get_score (validator), 0.001);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "source"), "database"),
                   ==, "source");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "target"), "encoding"),
                   ==, "UTF8");
  g_assert_true (json_object_get_int_member (json_object_get_object_member (root, "source"), "size_bytes") > 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "source"), "display"),
                   ==, ferry_connection_get_display_name (ferry_validator_get_source (validator)));
  g_assert_nonnull (strstr (json, "\"checks\""));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "checks")), ==,
                    g_list_model_get_n_items (checks));
  counts = json_object_get_object_member (root, "counts");
  g_assert_cmpint (json_object_get_int_member (counts, "pass"), ==, n_pass);
  g_assert_cmpint (json_object_get_int_member (counts, "warning"), ==, n_warning);
  g_assert_cmpint (json_object_get_int_member (counts, "fail"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (counts, "skipped"), ==, n_skipped);

  /* A fix no check offered */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (ferry_validator_apply_fix (validator, FERRY_FIX_TRUNCATE_TARGET, NULL, &error));
    g_assert_error (error, FERRY_ERROR, FERRY_ERROR_STATE);
  }

  /* A second run replaces the checks. */
  rerun (validator);
  g_assert_cmpuint (g_list_model_get_n_items (checks), ==, n_pass + n_warning + n_fail + n_skipped);
}

static void
test_cancelled (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "happy", NULL);
  g_autoptr(FerryValidator) validator = ferry_validator_new (config);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (ferry_validator_run (validator, cancellable, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (g_list_model_get_n_items (ferry_validator_get_checks (validator)), ==, 0);
  g_assert_false (ferry_validator_is_ready (validator));
  g_assert_cmpfloat (ferry_validator_get_score (validator), ==, 0.0);
}

static void
test_binary_format (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "happy", NULL);
  g_autoptr(FerryValidator) validator = NULL;

  ferry_config_set_copy_format (config, FERRY_COPY_FORMAT_BINARY);
  validator = validate (config);

  /* The engine copies these tables in text format: a pass that names them. */
  assert_status (validator, "binary-copy-types", FERRY_CHECK_STATUS_PASS);
  assert_item (validator, "binary-copy-types", "crm.customers.credit_limit (core.money_amount)");
  assert_item (validator, "binary-copy-types", "support.tickets.labels (support.ticket_label[])");
  g_assert_false (has_item (validator, "binary-copy-types", "hr.employees.skills"));
  g_assert_null (ferry_check_get_fix (get_check (validator, "binary-copy-types")));
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "binary-copy-types")), "text format"));
}

/* Connectivity */

static void
test_unreachable_target (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "happy", NULL);
  g_autoptr(FerryValidator) validator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *nowhere = g_strdup_printf ("host=%s/nowhere port=5432 user=postgres dbname=happy",
                                              ferry_test_cluster_get_dir (cluster));
  g_autoptr(JsonNode) node = NULL;
  JsonObject *target;

  ferry_config_set_target (config, nowhere);
  validator = ferry_validator_new (config);

  /* The source is fine: prepare() succeeds and remembers the target. */
  g_assert_true (ferry_validator_prepare (validator, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (ferry_validator_get_target_catalog (validator));
  g_assert_nonnull (ferry_validator_get_plan (validator));

  rerun (validator);
  assert_status (validator, "source-reachable", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "target-reachable", FERRY_CHECK_STATUS_FAIL);
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "target-reachable")), "nowhere"));
  g_assert_nonnull (ferry_check_get_fix (get_check (validator, "target-reachable")));
  for (guint i = 0; target_checks[i]; i++)
    {
      assert_status (validator, target_checks[i], FERRY_CHECK_STATUS_SKIPPED);
      g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, target_checks[i])),
                                "the target could not be reached"));
    }
  /* What only needs the source still ran. */
  assert_status (validator, "primary-keys", FERRY_CHECK_STATUS_WARNING);
  assert_status (validator, "source-select-privilege", FERRY_CHECK_STATUS_PASS);
  g_assert_false (ferry_validator_is_ready (validator));

  node = ferry_validator_to_json (validator);
  target = json_object_get_object_member (json_node_get_object (node), "target");
  g_assert_false (json_object_get_boolean_member (target, "reachable"));
  g_assert_true (json_object_has_member (target, "error"));
  g_assert_false (json_object_has_member (target, "version"));
}

static void
test_unreachable_source (void)
{
  g_autoptr(FerryConfig) config = config_new ("no_such_database", NULL, "happy", NULL);
  g_autoptr(FerryValidator) validator = ferry_validator_new (config);
  g_autoptr(GError) error = NULL;
  GListModel *checks;

  g_assert_false (ferry_validator_prepare (validator, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONNECTION);
  g_assert_nonnull (strstr (error->message, "no_such_database"));
  g_clear_error (&error);

  /* run() reports it as the first failed check, and skips the rest. */
  g_assert_true (ferry_validator_run (validator, NULL, &error));
  g_assert_no_error (error);
  assert_status (validator, "source-reachable", FERRY_CHECK_STATUS_FAIL);
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "source-reachable")),
                            "no_such_database"));
  checks = ferry_validator_get_checks (validator);
  for (guint i = 1; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(FerryCheck) check = g_list_model_get_item (checks, i);
      g_assert_cmpint (ferry_check_get_status (check), ==, FERRY_CHECK_STATUS_SKIPPED);
    }
  g_assert_false (ferry_validator_is_ready (validator));
  g_assert_cmpfloat (ferry_validator_get_score (validator), ==, 0.0);
}

static void
test_same_database (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "source", NULL);
  g_autoptr(FerryValidator) validator = validate (config);

  assert_status (validator, "distinct-databases", FERRY_CHECK_STATUS_FAIL);
  assert_item (validator, "distinct-databases", "source");
  /* The same rows are "already there", of course. */
  assert_status (validator, "target-tables-empty", FERRY_CHECK_STATUS_FAIL);
  g_assert_false (ferry_validator_is_ready (validator));
}

static void
test_encodings (void)
{
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(FerryValidator) validator = NULL;

  /* UTF8 → LATIN1, another collation */
  sql ("postgres", "CREATE DATABASE latin1 TEMPLATE template0 ENCODING 'LATIN1' "
                   "LC_COLLATE 'C' LC_CTYPE 'C'");
  config = config_new ("source", NULL, "latin1", NULL);
  ferry_config_set_schema_mode (config, FERRY_SCHEMA_MODE_COPY);
  validator = validate (config);
  assert_status (validator, "encodings", FERRY_CHECK_STATUS_FAIL);
  assert_item (validator, "encodings", "LATIN1");
  assert_status (validator, "collations", FERRY_CHECK_STATUS_WARNING);
  assert_item (validator, "collations", "LC_COLLATE");
  g_clear_object (&validator);
  g_clear_object (&config);

  /* SQL_ASCII → UTF8 */
  sql ("postgres", "CREATE DATABASE ascii TEMPLATE template0 ENCODING 'SQL_ASCII' "
                   "LC_COLLATE 'C' LC_CTYPE 'C'");
  sql ("ascii", "CREATE TABLE t (id int PRIMARY KEY, note text)");
  make_empty_database ("utf8_empty");
  config = config_new ("ascii", NULL, "utf8_empty", NULL);
  ferry_config_set_schema_mode (config, FERRY_SCHEMA_MODE_COPY);
  validator = validate (config);
  assert_status (validator, "encodings", FERRY_CHECK_STATUS_WARNING);
  assert_status (validator, "collations", FERRY_CHECK_STATUS_WARNING);
}

/* Schema */

static void
test_schema_copy (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "copy_empty", NULL);
  g_autoptr(FerryValidator) validator = NULL;

  make_empty_database ("copy_empty");
  ferry_config_set_schema_mode (config, FERRY_SCHEMA_MODE_COPY);
  validator = validate (config);

  assert_status (validator, "schema-copy-target", FERRY_CHECK_STATUS_PASS);
  g_assert_nonnull (strstr (ferry_check_get_explanation (get_check (validator, "schema-copy-target")),
                            "pre-data"));
  assert_status (validator, "target-tables-exist", FERRY_CHECK_STATUS_SKIPPED);
  assert_status (validator, "column-compatibility", FERRY_CHECK_STATUS_SKIPPED);
  assert_status (validator, "target-partitioning", FERRY_CHECK_STATUS_SKIPPED);
  /* citext is available: pg_dump's schema creates it. */
  assert_status (validator, "extensions", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "target-triggers", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "target-tables-empty", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "target-write-privileges", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "target-table-ownership", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "sequences", FERRY_CHECK_STATUS_PASS);
  g_assert_true (ferry_validator_is_ready (validator));
  g_clear_object (&validator);

  /* A role that may not create schemas in the target database */
  sql ("postgres", "CREATE ROLE ferry_no_create LOGIN");
  {
    g_autofree char *as_role = conninfo_as ("copy_empty", "ferry_no_create");

    ferry_config_set_target (config, as_role);
    validator = validate (config);
    assert_status (validator, "schema-copy-target", FERRY_CHECK_STATUS_FAIL);
    assert_item (validator, "schema-copy-target", "schema Reporting Ümlaut");
    g_assert_nonnull (strstr (ferry_check_get_fix (get_check (validator, "schema-copy-target")),
                              "GRANT CREATE ON DATABASE \"copy_empty\" TO \"ferry_no_create\";"));
    g_clear_object (&validator);
  }

  /* The tables exist already: creating them again would fail. */
  {
    g_autofree char *happy = conninfo_as ("happy", NULL);
    ferry_config_set_target (config, happy);
  }
  validator = validate (config);
  assert_status (validator, "schema-copy-target", FERRY_CHECK_STATUS_WARNING);
  assert_item (validator, "schema-copy-target", "hr.employees");
  g_assert_cmpuint (n_items (validator, "schema-copy-target"), ==, 165);
}

static void
test_missing_tables_and_extensions (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "missing", NULL);
  g_autoptr(FerryValidator) validator = NULL;
  g_autoptr(GError) error = NULL;
  const char *odd = "\"Reporting Ümlaut\".\"Quarterly \"\"Q4\"\" Summary; --\"";

  make_empty_database ("missing");
  validator = validate (config);

  /* Nothing there */
  assert_status (validator, "target-tables-exist", FERRY_CHECK_STATUS_FAIL);
  assert_fix (validator, "target-tables-exist", FERRY_FIX_COPY_SCHEMA);
  g_assert_cmpuint (n_items (validator, "target-tables-exist"), ==, 165);
  assert_status (validator, "extensions", FERRY_CHECK_STATUS_FAIL);
  assert_fix (validator, "extensions", FERRY_FIX_CREATE_EXTENSIONS);
  assert_item (validator, "extensions", "citext");
  g_assert_nonnull (strstr (ferry_check_get_fix (get_check (validator, "extensions")),
                            "CREATE EXTENSION IF NOT EXISTS \"citext\" WITH SCHEMA \"public\""));

  /* Ferry creates the extension, then the whole schema. */
  ferry_validator_apply_fix (validator, FERRY_FIX_CREATE_EXTENSIONS, NULL, &error);
  g_assert_no_error (error);
  rerun (validator);
  assert_status (validator, "extensions", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "target-tables-exist", FERRY_CHECK_STATUS_FAIL);

  ferry_validator_apply_fix (validator, FERRY_FIX_COPY_SCHEMA, NULL, &error);
  g_assert_no_error (error);
  rerun (validator);
  assert_status (validator, "target-tables-exist", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "column-compatibility", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "target-partitioning", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "target-tables-empty", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "sequences", FERRY_CHECK_STATUS_PASS);
  g_assert_true (ferry_validator_is_ready (validator));

  /* Two tables go missing, one with an awkward name and one a partition:
   * Ferry creates just those. */
  sql ("missing", "DROP TABLE %s; DROP TABLE logistics.tracking_events_na", odd);
  rerun (validator);
  assert_status (validator, "target-tables-exist", FERRY_CHECK_STATUS_FAIL);
  g_assert_cmpuint (n_items (validator, "target-tables-exist"), ==, 2);
  assert_item (validator, "target-tables-exist", "logistics.tracking_events_na");
  assert_item (validator, "target-tables-exist", "Quarterly");
  ferry_validator_apply_fix (validator, FERRY_FIX_COPY_SCHEMA, NULL, &error);
  g_assert_no_error (error);
  rerun (validator);
  assert_status (validator, "target-tables-exist", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "target-partitioning", FERRY_CHECK_STATUS_PASS);
  g_assert_true (ferry_validator_is_ready (validator));
}

static void
test_columns (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "columns", NULL);
  g_autoptr(FerryValidator) validator = NULL;

  make_target ("columns");
  sql ("columns",
       /* a different type; a wider type modifier */
       "ALTER TABLE hr.job_titles ALTER COLUMN grade TYPE integer;"
       "ALTER TABLE hr.employees ALTER COLUMN salary TYPE numeric(14,2);"
       /* an extra NOT NULL column without a default */
       "ALTER TABLE core.countries ADD COLUMN required_extra text NOT NULL;"
       /* a column the target lacks */
       "ALTER TABLE \"Reporting Ümlaut\".\"Top Customers\" DROP COLUMN revenue;"
       /* generated on the target only, and on the source only */
       "ALTER TABLE \"Reporting Ümlaut\".daily_revenue DROP COLUMN orders;"
       "ALTER TABLE \"Reporting Ümlaut\".daily_revenue ADD COLUMN orders integer GENERATED ALWAYS AS (1) STORED;"
       "ALTER TABLE hr.employees ALTER COLUMN full_name DROP EXPRESSION;"
       /* partitioned on the source, a plain table on the target */
       "DROP TABLE logistics.tracking_events;"
       "CREATE TABLE logistics.tracking_events (shipment_id bigint NOT NULL, seq smallint NOT NULL,"
       "  region text NOT NULL, status text NOT NULL, location text,"
       "  occurred_at timestamptz NOT NULL);"
       /* a standalone sequence the target lacks */
       "DROP SEQUENCE billing.invoice_number_seq CASCADE;");

  ferry_config_set_copy_format (config, FERRY_COPY_FORMAT_BINARY);
  validator = validate (config);
  assert_status (validator, "column-compatibility", FERRY_CHECK_STATUS_FAIL);
  assert_item (validator, "column-compatibility", "hr.job_titles.grade: smallint on the source, integer on the target");
  assert_item (validator, "column-compatibility", "hr.employees.salary: numeric(12,2) on the source, numeric(14,2) on the target (values that do not fit");
  assert_item (validator, "column-compatibility", "core.countries.required_extra: NOT NULL without a default");
  assert_item (validator, "column-compatibility", "\"Top Customers\".revenue: missing on the target");
  assert_item (validator, "column-compatibility", "daily_revenue.orders: a generated column on the target");
  assert_item (validator, "column-compatibility", "hr.employees.full_name: generated on the source, a plain column");
  assert_fix (validator, "column-compatibility", NULL);

  assert_status (validator, "target-partitioning", FERRY_CHECK_STATUS_WARNING);
  assert_item (validator, "target-partitioning", "logistics.tracking_events: partitioned on the source (4 partitions)");
  assert_status (validator, "target-tables-exist", FERRY_CHECK_STATUS_FAIL);
  g_assert_cmpuint (n_items (validator, "target-tables-exist"), ==, 4);

  assert_status (validator, "sequences", FERRY_CHECK_STATUS_WARNING);
  assert_item (validator, "sequences", "billing.invoice_number_seq: missing on the target");
  g_clear_object (&validator);

  /* In text format, a different type is converted: a warning. */
  ferry_config_set_copy_format (config, FERRY_COPY_FORMAT_TEXT);
  validator = validate (config);
  assert_item (validator, "column-compatibility", "hr.job_titles.grade: smallint on the source, integer on the target (converted as text");
  g_clear_object (&validator);

  /* Only differences COPY can handle: a warning. */
  sql ("columns",
       "ALTER TABLE core.countries DROP COLUMN required_extra;"
       "ALTER TABLE \"Reporting Ümlaut\".\"Top Customers\" ADD COLUMN revenue numeric(16,2) NOT NULL;"
       "ALTER TABLE \"Reporting Ümlaut\".daily_revenue DROP COLUMN orders;"
       "ALTER TABLE \"Reporting Ümlaut\".daily_revenue ADD COLUMN orders integer NOT NULL;"
       "ALTER TABLE hr.employees ALTER COLUMN full_name SET DEFAULT '';");
  validator = validate (config);
  assert_status (validator, "column-compatibility", FERRY_CHECK_STATUS_WARNING);
  g_assert_cmpuint (n_items (validator, "column-compatibility"), ==, 3);
}

static void
test_non_empty_target (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "rows", NULL);
  g_autoptr(FerryValidator) validator = NULL;
  g_autoptr(GError) error = NULL;
  const char *fix;

  make_target ("rows");
  sql ("rows",
       "INSERT INTO core.currencies (code, name) VALUES ('EUR', 'Euro');"
       "INSERT INTO \"Reporting Ümlaut\".daily_revenue VALUES ('2024-01-01', 1, 10, 'EUR');"
       "ANALYZE core.currencies;");

  validator = validate (config);
  assert_status (validator, "target-tables-empty", FERRY_CHECK_STATUS_FAIL);
  g_assert_true (g_str_has_prefix (ferry_check_get_summary (get_check (validator, "target-tables-empty")),
                                   "2 of 163 tables are not empty"));
  assert_item (validator, "target-tables-empty", "core.currencies (about 1 row)");
  assert_item (validator, "target-tables-empty", "\"Reporting Ümlaut\".daily_revenue");
  assert_fix (validator, "target-tables-empty", FERRY_FIX_TRUNCATE_TARGET);
  fix = ferry_check_get_fix (get_check (validator, "target-tables-empty"));
  /* The tables that reference them are emptied too, or TRUNCATE refuses. */
  g_assert_nonnull (strstr (fix, "ONLY \"core\".\"currencies\""));
  g_assert_nonnull (strstr (fix, "selected tables on the target that reference them"));
  g_assert_nonnull (strstr (fix, "tables in all);"));
  g_assert_false (ferry_validator_is_ready (validator));

  ferry_validator_apply_fix (validator, FERRY_FIX_TRUNCATE_TARGET, NULL, &error);
  g_assert_no_error (error);
  rerun (validator);
  assert_status (validator, "target-tables-empty", FERRY_CHECK_STATUS_PASS);
  g_assert_true (ferry_validator_is_ready (validator));
}

/* Privileges */

static void
test_limited_target_role (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "limited", "ferry_writer");
  g_autoptr(FerryValidator) validator = NULL;
  g_autoptr(GError) error = NULL;

  make_target ("limited");
  sql ("postgres", "CREATE ROLE ferry_writer LOGIN");

  validator = validate (config);
  /* No CREATE on the database: the journal cannot be created. */
  assert_status (validator, "journal-schema", FERRY_CHECK_STATUS_FAIL);
  assert_fix (validator, "journal-schema", FERRY_FIX_CREATE_JOURNAL_SCHEMA);
  g_assert_nonnull (strstr (ferry_check_get_fix (get_check (validator, "journal-schema")),
                            "CREATE SCHEMA \"ferry\" AUTHORIZATION \"ferry_writer\""));
  /* No privilege on the tables, no ownership, no sequences. */
  assert_status (validator, "target-write-privileges", FERRY_CHECK_STATUS_FAIL);
  assert_item (validator, "target-write-privileges", "hr.employees: no USAGE on schema hr");
  assert_status (validator, "target-table-ownership", FERRY_CHECK_STATUS_FAIL);
  assert_item (validator, "target-table-ownership", "crm.customers (owned by postgres): Ferry disables its triggers");
  assert_item (validator, "target-table-ownership", "crm.accounts (owned by postgres): Ferry drops and re-creates foreign keys");
  g_assert_nonnull (strstr (ferry_check_get_fix (get_check (validator, "target-table-ownership")),
                            "GRANT \"postgres\" TO \"ferry_writer\";"));
  assert_status (validator, "sequences", FERRY_CHECK_STATUS_FAIL);
  assert_item (validator, "sequences", "the target role may not set it");
  /* It cannot look into the tables either. */
  assert_status (validator, "target-tables-empty", FERRY_CHECK_STATUS_WARNING);
  assert_status (validator, "target-connection-capacity", FERRY_CHECK_STATUS_PASS);

  /* The fix runs as the same role: the server says no. */
  g_assert_false (ferry_validator_apply_fix (validator, FERRY_FIX_CREATE_JOURNAL_SCHEMA, NULL, &error));
  g_assert_cmpstr (ferry_error_get_sqlstate (error), ==, "42501");
  g_clear_error (&error);

  /* Granted: the journal will be created; the tables can be written. */
  sql ("limited",
       "GRANT CREATE ON DATABASE limited TO ferry_writer;"
       "DO $$ DECLARE s name; BEGIN"
       "  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' LOOP"
       "    EXECUTE format('GRANT USAGE ON SCHEMA %%I TO ferry_writer', s);"
       "    EXECUTE format('GRANT SELECT, INSERT, TRUNCATE ON ALL TABLES IN SCHEMA %%I TO ferry_writer', s);"
       "    EXECUTE format('GRANT UPDATE ON ALL SEQUENCES IN SCHEMA %%I TO ferry_writer', s);"
       "  END LOOP; END $$;");
  rerun (validator);
  assert_status (validator, "journal-schema", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "target-write-privileges", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "sequences", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "target-tables-empty", FERRY_CHECK_STATUS_PASS);

  /* Now the role may create it: the fix works. */
  g_assert_false (ferry_validator_apply_fix (validator, FERRY_FIX_CREATE_JOURNAL_SCHEMA, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_STATE);
  g_clear_error (&error);

  /* A journal schema someone else made, without privileges for the role */
  sql ("limited", "CREATE SCHEMA ferry; CREATE TABLE ferry.migration (id int)");
  rerun (validator);
  assert_status (validator, "journal-schema", FERRY_CHECK_STATUS_FAIL);
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "journal-schema")),
                            "may not use"));
  sql ("limited", "GRANT USAGE, CREATE ON SCHEMA ferry TO ferry_writer;"
                  "GRANT SELECT, INSERT, UPDATE, DELETE ON ferry.migration TO ferry_writer");
  rerun (validator);
  assert_status (validator, "journal-schema", FERRY_CHECK_STATUS_PASS);
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "journal-schema")),
                            "exists and is usable"));

  /* The database lets only three connections in: not enough for 5 + 1. */
  sql ("postgres", "ALTER DATABASE limited CONNECTION LIMIT 3");
  rerun (validator);
  assert_status (validator, "target-connection-capacity", FERRY_CHECK_STATUS_FAIL);
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "target-connection-capacity")),
                            "CONNECTION LIMIT"));
  assert_item (validator, "target-connection-capacity", "database connection limit 3");
  ferry_config_set_max_parallel (config, 2);
  ferry_config_set_connection_pool_size (config, 3);
  rerun (validator);
  assert_status (validator, "target-connection-capacity", FERRY_CHECK_STATUS_PASS);
  sql ("postgres", "ALTER DATABASE limited CONNECTION LIMIT -1");
}

static void
test_limited_source_role (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", "ferry_reader", "happy", NULL);
  g_autoptr(FerryValidator) validator = NULL;

  sql ("postgres", "CREATE ROLE ferry_reader LOGIN");
  sql ("source",
       "DO $$ DECLARE s name; BEGIN"
       "  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' LOOP"
       "    EXECUTE format('GRANT USAGE ON SCHEMA %%I TO ferry_reader', s);"
       "    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %%I TO ferry_reader', s);"
       "  END LOOP; END $$;"
       "REVOKE SELECT ON core.countries FROM ferry_reader;");

  validator = validate (config);
  assert_status (validator, "source-select-privilege", FERRY_CHECK_STATUS_FAIL);
  g_assert_cmpuint (n_items (validator, "source-select-privilege"), ==, 1);
  assert_item (validator, "source-select-privilege", "core.countries");
  g_assert_nonnull (strstr (ferry_check_get_fix (get_check (validator, "source-select-privilege")),
                            "GRANT SELECT ON \"core\".\"countries\" TO \"ferry_reader\";"));
  /* Row-level security filters support.tickets for this role. */
  assert_status (validator, "source-row-level-security", FERRY_CHECK_STATUS_FAIL);
  assert_item (validator, "source-row-level-security", "support.tickets (1 policy)");
  g_assert_nonnull (strstr (ferry_check_get_fix (get_check (validator, "source-row-level-security")),
                            "ALTER ROLE \"ferry_reader\" BYPASSRLS;"));
  /* The sequences' values cannot be read. */
  assert_status (validator, "sequences", FERRY_CHECK_STATUS_FAIL);
  assert_item (validator, "sequences", "the source role may not read its value");

  /* The role may hold two connections: not enough for 5 workers + 1. */
  assert_status (validator, "source-connection-capacity", FERRY_CHECK_STATUS_PASS);
  sql ("postgres", "ALTER ROLE ferry_reader CONNECTION LIMIT 2");
  rerun (validator);
  assert_status (validator, "source-connection-capacity", FERRY_CHECK_STATUS_FAIL);
  assert_item (validator, "source-connection-capacity", "role connection limit 2, 1 in use");
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "source-connection-capacity")),
                            "only 2 are free"));
  sql ("postgres", "ALTER ROLE ferry_reader CONNECTION LIMIT -1");

  sql ("source", "GRANT SELECT ON core.countries TO ferry_reader");
  sql ("postgres", "ALTER ROLE ferry_reader BYPASSRLS");
  rerun (validator);
  assert_status (validator, "source-select-privilege", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "source-connection-capacity", FERRY_CHECK_STATUS_PASS);
  assert_status (validator, "source-row-level-security", FERRY_CHECK_STATUS_PASS);
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "source-row-level-security")),
                            "bypasses"));
}

/* Dependencies and settings */

static void
test_settings (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "happy", NULL);
  g_autoptr(FerryValidator) validator = NULL;
  const char *exclude[] = { "core.countries", NULL };
  const char *nothing[] = { "no_such_schema.*", NULL };

  /* A pool too small for the workers */
  ferry_config_set_connection_pool_size (config, 3);
  /* Triggers fire */
  ferry_config_set_fire_triggers (config, TRUE);
  /* rebuild: every foreign key is dropped anyway */
  ferry_config_set_constraints (config, FERRY_CONSTRAINT_STRATEGY_REBUILD);
  /* A parent left out */
  ferry_config_set_exclude (config, exclude);

  validator = validate (config);
  assert_status (validator, "connection-pool", FERRY_CHECK_STATUS_FAIL);
  assert_item (validator, "connection-pool", "connection_pool_size: 3");
  assert_status (validator, "target-triggers", FERRY_CHECK_STATUS_WARNING);
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "target-triggers")),
                            "for every copied row"));
  assert_status (validator, "fk-cycles", FERRY_CHECK_STATUS_PASS);
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "fk-cycles")), "rebuilt"));
  assert_status (validator, "excluded-references", FERRY_CHECK_STATUS_WARNING);
  assert_item (validator, "excluded-references", "→ core.countries");
  assert_status (validator, "table-selection", FERRY_CHECK_STATUS_PASS);
  assert_item (validator, "table-selection", "core.countries");
  g_assert_true (g_str_has_prefix (ferry_check_get_summary (get_check (validator, "table-selection")),
                                   "164 of 166 tables are selected (1 excluded"));
  g_clear_object (&validator);

  /* Filters that match nothing */
  ferry_config_set_include (config, nothing);
  validator = validate (config);
  assert_status (validator, "table-selection", FERRY_CHECK_STATUS_FAIL);
  assert_status (validator, "source-select-privilege", FERRY_CHECK_STATUS_PASS);
}

/* The pool covers every worker, the coordinator and the snapshot. */
static void
test_connection_pool_size (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "happy", NULL);
  g_autoptr(FerryValidator) validator = NULL;
  FerryCheck *check;

  ferry_config_set_max_parallel (config, 5);
  ferry_config_set_connection_pool_size (config, 6);
  validator = validate (config);
  check = get_check (validator, "connection-pool");
  assert_status (validator, "connection-pool", FERRY_CHECK_STATUS_FAIL);
  g_assert_cmpstr (ferry_check_get_summary (check), ==,
                   "database.connection_pool_size 6 is less than migration.max_parallel 5 + 2 = 7");
  g_assert_nonnull (strstr (ferry_check_get_fix (check),
                            "database.connection_pool_size to at least 7, or migration.max_parallel to at most 4"));
  g_assert_nonnull (strstr (ferry_check_get_explanation (check), "snapshot"));
  /* The source's capacity counts the same connections. */
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "source-connection-capacity")),
                            "needs 7 connections to the source"));
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "target-connection-capacity")),
                            "needs 6 connections to the target"));

  ferry_config_set_connection_pool_size (config, 7);
  rerun (validator);
  assert_status (validator, "connection-pool", FERRY_CHECK_STATUS_PASS);
}

/* Choosing where the sample's cycles break (tables.break_cycles_at) */

static JsonArray *
fix_data_cycles (FerryValidator *validator)
{
  FerryCheck *check = get_check (validator, "fk-cycles");
  JsonNode *data = ferry_check_get_fix_data (check);

  g_assert_nonnull (data);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (data), "key"), ==,
                   "tables.break_cycles_at");
  return json_object_get_array_member (json_node_get_object (data), "cycles");
}

/* The foreign key @path in the fix data's cycle @cycle, or NULL. */
static JsonObject *
fix_data_fk (FerryValidator *validator,
             guint           cycle,
             const char     *path)
{
  JsonArray *fks = json_object_get_array_member (json_array_get_object_element (fix_data_cycles (validator), cycle),
                                                 "foreign_keys");

  for (guint i = 0; i < json_array_get_length (fks); i++)
    {
      JsonObject *fk = json_array_get_object_element (fks, i);

      if (g_str_equal (json_object_get_string_member (fk, "path"), path))
        return fk;
    }
  return NULL;
}

static FerryForeignKey *
find_fk (FerryValidator *validator,
         const char     *path)
{
  GPtrArray *fks = ferry_catalog_get_foreign_keys (ferry_validator_get_source_catalog (validator));

  for (guint i = 0; i < fks->len; i++)
    if (ferry_foreign_key_has_path (g_ptr_array_index (fks, i), path))
      return g_ptr_array_index (fks, i);
  g_error ("no foreign key %s", path);
}

#define ACCOUNT_CONTACT "crm.accounts.accounts_primary_contact_id_fkey"
#define CONTACT_ACCOUNT "crm.contacts.contacts_account_id_fkey"
#define EMPLOYEE_DEPARTMENT "hr.employees.employees_department_id_fkey"
#define DEPARTMENT_HEAD "hr.departments.departments_head_employee_id_fkey"
#define COST_CENTER_OWNER "billing.cost_centers.cost_centers_owner_employee_id_fkey"
#define DEPARTMENT_COST_CENTER "hr.departments.departments_cost_center_id_fkey"

static gboolean
breaks_at (FerryValidator *validator,
           const char     *path)
{
  return ferry_analyzer_is_breaking_edge (ferry_validator_get_analyzer (validator), find_fk (validator, path));
}

static void
test_cycle_breaks (void)
{
  g_autoptr(FerryConfig) config = config_new ("source", NULL, "happy", NULL);
  g_autoptr(FerryValidator) validator = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) plan_json = NULL;
  const char * const chosen[] = { CONTACT_ACCOUNT, EMPLOYEE_DEPARTMENT, NULL };
  const char * const self_reference[] = { "hr.employees.employees_manager_id_fkey", NULL };
  const char * const wrong[] = {
    "crm.contacts.Contacts_Account_Id_Fkey",     /* case */
    "crm.accounts.contacts_account_id_fkey",     /* table */
    "crm.contacts.no_such_fkey",
    "hr.employees.employees_manager_id_fkey",    /* a self-reference */
    NULL,
  };
  FerryCheck *check;
  JsonArray *cycles, *tables, *array;
  JsonObject *fk, *cycle;
  FerryPlan *plan;
  gboolean found = FALSE;

  validator = validate (config);

  /* What Ferry chooses by itself: the deferrable key, the nullable ones. */
  check = get_check (validator, "fk-cycles");
  assert_status (validator, "fk-cycles", FERRY_CHECK_STATUS_WARNING);
  assert_fix (validator, "fk-cycles", FERRY_FIX_CHOOSE_CYCLE_BREAKS);
  g_assert_nonnull (strstr (ferry_check_get_explanation (check), "tables.break_cycles_at"));
  g_assert_true (breaks_at (validator, ACCOUNT_CONTACT));
  g_assert_true (breaks_at (validator, DEPARTMENT_HEAD));
  g_assert_true (breaks_at (validator, COST_CENTER_OWNER));
  g_assert_false (breaks_at (validator, CONTACT_ACCOUNT));
  g_assert_false (breaks_at (validator, EMPLOYEE_DEPARTMENT));

  /* The fix's data: each cycle, with every key it could break at. */
  cycles = fix_data_cycles (validator);
  g_assert_cmpuint (json_array_get_length (cycles), ==, 2);
  cycle = json_array_get_object_element (cycles, 0);
  tables = json_object_get_array_member (cycle, "tables");
  g_assert_cmpuint (json_array_get_length (tables), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (tables, 0), ==, "billing.cost_centers");
  g_assert_cmpstr (json_array_get_string_element (tables, 1), ==, "hr.departments");
  g_assert_cmpstr (json_array_get_string_element (tables, 2), ==, "hr.employees");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cycle, "foreign_keys")), ==, 4);
  g_assert_nonnull (fix_data_fk (validator, 0, EMPLOYEE_DEPARTMENT));
  g_assert_nonnull (fix_data_fk (validator, 0, DEPARTMENT_COST_CENTER));
  g_assert_true (json_object_get_boolean_member (fix_data_fk (validator, 0, DEPARTMENT_HEAD), "breaking"));
  g_assert_true (json_object_get_boolean_member (fix_data_fk (validator, 0, DEPARTMENT_HEAD), "nullable"));

  tables = json_object_get_array_member (json_array_get_object_element (cycles, 1), "tables");
  g_assert_cmpuint (json_array_get_length (tables), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (tables, 0), ==, "crm.accounts");
  g_assert_cmpstr (json_array_get_string_element (tables, 1), ==, "crm.contacts");
  fk = fix_data_fk (validator, 1, ACCOUNT_CONTACT);
  g_assert_nonnull (fk);
  g_assert_cmpstr (json_object_get_string_member (fk, "name"), ==, "accounts_primary_contact_id_fkey");
  g_assert_cmpstr (json_object_get_string_member (fk, "child"), ==, "crm.accounts");
  g_assert_cmpstr (json_object_get_string_member (fk, "parent"), ==, "crm.contacts");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (fk, "columns"), 0), ==,
                   "primary_contact_id");
  g_assert_true (json_object_get_boolean_member (fk, "deferrable"));
  g_assert_false (json_object_get_boolean_member (fk, "nullable"));
  g_assert_true (json_object_get_boolean_member (fk, "breaking"));
  g_assert_false (json_object_get_boolean_member (fk, "preferred"));
  fk = fix_data_fk (validator, 1, CONTACT_ACCOUNT);
  g_assert_false (json_object_get_boolean_member (fk, "breaking"));
  g_assert_false (json_object_get_boolean_member (fk, "deferrable"));
  g_assert_false (json_object_get_boolean_member (fk, "nullable"));

  /* It is not a fix for the target. */
  g_assert_false (ferry_validator_apply_fix (validator, FERRY_FIX_CHOOSE_CYCLE_BREAKS, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_STATE);
  g_clear_error (&error);

  /* Only keys of a cycle can be chosen. */
  g_assert_false (ferry_validator_apply_cycle_breaks (validator, self_reference, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "hr.employees.employees_manager_id_fkey"));
  g_clear_error (&error);
  g_assert_cmpuint (g_strv_length ((char **) ferry_config_get_break_cycles_at (config)), ==, 0);

  /* The NOT NULL keys instead: the choice goes into the configuration,
   * and the next run breaks there, and nowhere else. */
  g_assert_true (ferry_validator_apply_cycle_breaks (validator, chosen, &error));
  g_assert_no_error (error);
  g_assert_cmpstrv (ferry_config_get_break_cycles_at (config), chosen);
  rerun (validator);
  g_assert_true (breaks_at (validator, CONTACT_ACCOUNT));
  g_assert_true (breaks_at (validator, EMPLOYEE_DEPARTMENT));
  g_assert_false (breaks_at (validator, ACCOUNT_CONTACT));
  g_assert_false (breaks_at (validator, DEPARTMENT_HEAD));
  g_assert_false (breaks_at (validator, COST_CENTER_OWNER));
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (ferry_validator_get_analyzer (validator))->len, ==, 2);
  g_assert_true (ferry_analyzer_is_preferred_break (ferry_validator_get_analyzer (validator),
                                                    find_fk (validator, CONTACT_ACCOUNT)));
  assert_status (validator, "fk-cycles", FERRY_CHECK_STATUS_WARNING);
  check = get_check (validator, "fk-cycles");
  g_assert_cmpstr (ferry_check_get_summary (check), ==,
                   "2 foreign-key cycles, broken at 2 foreign keys (2 as configured)");
  assert_item (validator, "fk-cycles", "contacts_account_id_fkey (crm.contacts → crm.accounts, as configured)");
  fk = fix_data_fk (validator, 1, CONTACT_ACCOUNT);
  g_assert_true (json_object_get_boolean_member (fk, "breaking"));
  g_assert_true (json_object_get_boolean_member (fk, "preferred"));

  /* The plan follows: the chosen key is dropped and re-added, the other
   * one stays, and the JSON plan says which break was chosen. */
  plan = ferry_validator_get_plan (validator);
  g_assert_cmpint (ferry_plan_get_fk_action (plan, find_fk (validator, CONTACT_ACCOUNT)), ==,
                   FERRY_FK_ACTION_DROP_READD);
  g_assert_cmpint (ferry_plan_get_fk_action (plan, find_fk (validator, ACCOUNT_CONTACT)), ==,
                   FERRY_FK_ACTION_KEEP);
  g_assert_true (ferry_analyzer_validate_plan (ferry_validator_get_analyzer (validator), plan, &error));
  g_assert_no_error (error);
  plan_json = ferry_plan_to_json (plan);
  array = json_object_get_array_member (json_node_get_object (plan_json), "breaking_edges");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      fk = json_array_get_object_element (array, i);
      g_assert_true (json_object_get_boolean_member (fk, "preferred"));
      found |= g_str_equal (json_object_get_string_member (fk, "name"), "contacts_account_id_fkey");
    }
  g_assert_true (found);

  /* Names that break nothing: one the source does not have fails the
   * check (with a guess where there is one), a self-reference warns. */
  ferry_config_set_break_cycles_at (config, wrong);
  rerun (validator);
  assert_status (validator, "fk-cycles", FERRY_CHECK_STATUS_FAIL);
  check = get_check (validator, "fk-cycles");
  g_assert_cmpstr (ferry_check_get_summary (check), ==,
                   "tables.break_cycles_at names 3 foreign keys the source does not have");
  assert_item (validator, "fk-cycles", "crm.contacts.Contacts_Account_Id_Fkey is not a foreign key of the source; did you mean crm.contacts.contacts_account_id_fkey?");
  assert_item (validator, "fk-cycles", "crm.accounts.contacts_account_id_fkey is not a foreign key of the source; did you mean crm.contacts.contacts_account_id_fkey?");
  assert_item (validator, "fk-cycles", "crm.contacts.no_such_fkey is not a foreign key of the source");
  assert_item (validator, "fk-cycles", "hr.employees.employees_manager_id_fkey (hr.employees → hr.employees) is in no cycle");
  assert_fix (validator, "fk-cycles", FERRY_FIX_CHOOSE_CYCLE_BREAKS);
  array = json_object_get_array_member (json_node_get_object (ferry_check_get_fix_data (check)), "preferred");
  g_assert_cmpuint (json_array_get_length (array), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "status"), ==, "unknown");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 3), "status"), ==, "not-in-cycle");
  /* … and Ferry breaks the cycles by itself meanwhile. */
  g_assert_true (breaks_at (validator, ACCOUNT_CONTACT));
  g_assert_false (ferry_validator_is_ready (validator));

  /* Choosing again replaces the list; none lets Ferry choose. */
  g_assert_true (ferry_validator_apply_cycle_breaks (validator, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **) ferry_config_get_break_cycles_at (config)), ==, 0);
  rerun (validator);
  assert_status (validator, "fk-cycles", FERRY_CHECK_STATUS_WARNING);
  g_assert_true (breaks_at (validator, ACCOUNT_CONTACT));
  g_assert_false (breaks_at (validator, CONTACT_ACCOUNT));

  /* With constraints: rebuild, every key is rebuilt anyway: no choice. */
  ferry_config_set_constraints (config, FERRY_CONSTRAINT_STRATEGY_REBUILD);
  rerun (validator);
  assert_status (validator, "fk-cycles", FERRY_CHECK_STATUS_PASS);
  g_assert_null (ferry_check_get_fix_id (get_check (validator, "fk-cycles")));
}

/* A small source of our own, for the outcomes the sample never shows */

static void
test_small_source (void)
{
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(FerryValidator) validator = NULL;
  const char *pass[] = {
    "source-row-level-security", "primary-keys", "generated-columns", "identity-columns",
    "large-objects", "unlogged-tables", "binary-copy-types", "fk-cycles", "self-references",
    "excluded-references", "not-valid-constraints", "extension-tables", "sequences",
    "extensions", "estimated-duration", NULL
  };

  sql ("postgres", "CREATE ROLE ferry_owner LOGIN");
  sql ("postgres", "CREATE DATABASE small OWNER ferry_owner");
  sql ("small",
       "SET ROLE ferry_owner;"
       "CREATE TABLE public.big (id integer PRIMARY KEY, pad text NOT NULL);"
       "INSERT INTO public.big SELECT g, repeat('x', 1000) FROM generate_series(1, 50000) g;"
       "ANALYZE public.big;"
       "CREATE TABLE public.owned_secret (id integer PRIMARY KEY, tenant text NOT NULL);"
       "ALTER TABLE public.owned_secret ENABLE ROW LEVEL SECURITY;"
       "CREATE POLICY tenant ON public.owned_secret USING (tenant = current_user);");
  make_empty_database ("small_target");

  config = config_new ("small", "ferry_owner", "small_target", NULL);
  ferry_config_set_schema_mode (config, FERRY_SCHEMA_MODE_COPY);
  ferry_config_set_copy_format (config, FERRY_COPY_FORMAT_BINARY);
  ferry_config_set_timeout_seconds (config, 1);
  validator = validate (config);

  for (guint i = 0; pass[i]; i++)
    assert_status (validator, pass[i], FERRY_CHECK_STATUS_PASS);
  /* The owner of a table without FORCE is not filtered. */
  g_assert_nonnull (strstr (ferry_check_get_summary (get_check (validator, "source-row-level-security")),
                            "owns"));
  /* About 55 MB in one chunk: more than a second at 40 MB/s. */
  assert_status (validator, "largest-chunk", FERRY_CHECK_STATUS_WARNING);
  assert_item (validator, "largest-chunk", "public.big, chunk 1 of 1");
  g_assert_true (ferry_validator_is_ready (validator));
  g_clear_object (&validator);

  /* FORCE ROW LEVEL SECURITY applies the policies to the owner too. */
  sql ("small", "ALTER TABLE public.owned_secret FORCE ROW LEVEL SECURITY");
  ferry_config_set_timeout_seconds (config, 3600);
  validator = validate (config);
  assert_status (validator, "source-row-level-security", FERRY_CHECK_STATUS_FAIL);
  assert_item (validator, "source-row-level-security", "public.owned_secret (FORCE ROW LEVEL SECURITY, 1 policy)");
  assert_status (validator, "largest-chunk", FERRY_CHECK_STATUS_PASS);
}

static void
test_extension_configuration_table (void)
{
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(FerryValidator) validator = NULL;

  /* What pg_extension_config_dump() records, done by hand: an extension
   * table that users may add rows to. */
  make_empty_database ("extconfig");
  sql ("extconfig",
       "CREATE EXTENSION citext;"
       "CREATE TABLE public.citext_settings (name text PRIMARY KEY, value text);"
       "INSERT INTO public.citext_settings VALUES ('added by a user', 'x');"
       "ANALYZE public.citext_settings;"
       "ALTER EXTENSION citext ADD TABLE public.citext_settings;"
       "UPDATE pg_extension SET extconfig = ARRAY['public.citext_settings'::regclass::oid], "
       "       extcondition = ARRAY['']"
       " WHERE extname = 'citext';"
       "CREATE TABLE public.data (id int PRIMARY KEY);");
  make_empty_database ("extconfig_target");

  config = config_new ("extconfig", NULL, "extconfig_target", NULL);
  ferry_config_set_schema_mode (config, FERRY_SCHEMA_MODE_COPY);
  validator = validate (config);
  assert_status (validator, "extension-tables", FERRY_CHECK_STATUS_WARNING);
  assert_item (validator, "extension-tables", "public.citext_settings (extension citext; a configuration table");
  assert_status (validator, "table-selection", FERRY_CHECK_STATUS_PASS);
  g_assert_true (g_str_has_prefix (ferry_check_get_summary (get_check (validator, "table-selection")),
                                   "1 of 2 tables is selected"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *source = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (ferry_test_skip_unless_postgres ())
    return g_test_run ();

  cluster = ferry_test_cluster_start_with_sample ("source", 1.0, &source);
  ferry_test_make_template (cluster, "target_template", source);

  g_test_add_func ("/validator/happy-path", test_happy_path);
  g_test_add_func ("/validator/cancelled", test_cancelled);
  g_test_add_func ("/validator/binary-format", test_binary_format);
  g_test_add_func ("/validator/unreachable-target", test_unreachable_target);
  g_test_add_func ("/validator/unreachable-source", test_unreachable_source);
  g_test_add_func ("/validator/same-database", test_same_database);
  g_test_add_func ("/validator/encodings", test_encodings);
  g_test_add_func ("/validator/schema-copy", test_schema_copy);
  g_test_add_func ("/validator/missing-tables-and-extensions", test_missing_tables_and_extensions);
  g_test_add_func ("/validator/columns", test_columns);
  g_test_add_func ("/validator/non-empty-target", test_non_empty_target);
  g_test_add_func ("/validator/limited-target-role", test_limited_target_role);
  g_test_add_func ("/validator/limited-source-role", test_limited_source_role);
  g_test_add_func ("/validator/settings", test_settings);
  g_test_add_func ("/validator/connection-pool-size", test_connection_pool_size);
  g_test_add_func ("/validator/cycle-breaks", test_cycle_breaks);
  g_test_add_func ("/validator/small-source", test_small_source);
  g_test_add_func ("/validator/extension-configuration-table", test_extension_configuration_table);

  ret = g_test_run ();

  g_clear_pointer (&cluster, ferry_test_cluster_free);
  return ret;
}
