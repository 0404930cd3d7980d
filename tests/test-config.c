/* test-config.c — FerryConfig: loading, checking, writing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Besides the cases below, every file in config-corpus/good/ must load
 * and round-trip, and every file config-corpus/bad/NAME.yaml must fail
 * with a message that contains the text of NAME.expected. Adding a file
 * adds a case.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "ferry-config.h"
#include "ferry-connection.h"
#include "ferry-enum-types.h"
#include "ferry-error.h"

static char *
corpus_path (const char *kind,
             const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "config-corpus", kind, name, NULL);
}

static FerryConfig *
load_string (const char *yaml)
{
  g_autoptr(GError) error = NULL;
  FerryConfig *config = ferry_config_new_from_data (yaml, -1, "test.yaml", &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

static char *
load_error (const char *yaml)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConfig) config = ferry_config_new_from_data (yaml, -1, "test.yaml", &error);

  g_assert_null (config);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
  return g_strdup (error->message);
}

/* Every writable property of @a equals the one of @b */
static void
assert_same_settings (FerryConfig *a,
                      FerryConfig *b)
{
  guint n_pspecs;
  g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) va = G_VALUE_INIT;
      g_auto(GValue) vb = G_VALUE_INIT;

      if (!(pspecs[i]->flags & G_PARAM_WRITABLE))
        continue;

      g_value_init (&va, pspecs[i]->value_type);
      g_value_init (&vb, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (a), pspecs[i]->name, &va);
      g_object_get_property (G_OBJECT (b), pspecs[i]->name, &vb);

      if (pspecs[i]->value_type == G_TYPE_STRV)
        {
          if (!g_strv_equal (g_value_get_boxed (&va), g_value_get_boxed (&vb)))
            g_error ("property %s differs", pspecs[i]->name);
        }
      else if (g_param_values_cmp (pspecs[i], &va, &vb) != 0)
        {
          g_autofree char *sa = g_strdup_value_contents (&va);
          g_autofree char *sb = g_strdup_value_contents (&vb);

          g_error ("property %s differs: %s != %s", pspecs[i]->name, sa, sb);
        }
    }
}

/* to_yaml → load gives the same settings, and writing again the same text */
static void
assert_round_trips (FerryConfig *config)
{
  g_autofree char *yaml = ferry_config_to_yaml (config);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConfig) reloaded = ferry_config_new_from_data (yaml, -1, "written.yaml", &error);
  g_autofree char *again = NULL;

  if (error != NULL)
    g_printerr ("%s\n", yaml);
  g_assert_no_error (error);
  assert_same_settings (config, reloaded);

  again = ferry_config_to_yaml (reloaded);
  g_assert_cmpstr (yaml, ==, again);
}

static void
test_defaults (void)
{
  g_autoptr(FerryConfig) config = ferry_config_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (ferry_config_get_batch_size (config), ==, FERRY_CONFIG_DEFAULT_BATCH_SIZE);
  g_assert_cmpuint (ferry_config_get_max_parallel (config), ==, FERRY_CONFIG_DEFAULT_MAX_PARALLEL);
  g_assert_cmpuint (ferry_config_get_retry_attempts (config), ==, FERRY_CONFIG_DEFAULT_RETRY_ATTEMPTS);
  g_assert_cmpuint (ferry_config_get_timeout_seconds (config), ==, FERRY_CONFIG_DEFAULT_TIMEOUT_SECONDS);
  g_assert_cmpuint (ferry_config_get_chunk_size (config), ==, 256 * 1024 * 1024);
  g_assert_cmpint (ferry_config_get_constraints (config), ==, FERRY_CONSTRAINT_STRATEGY_KEEP);
  g_assert_cmpint (ferry_config_get_schema_mode (config), ==, FERRY_SCHEMA_MODE_EXISTING);
  g_assert_cmpint (ferry_config_get_validation (config), ==, FERRY_VALIDATION_MODE_COUNTS);
  g_assert_cmpint (ferry_config_get_copy_format (config), ==, FERRY_COPY_FORMAT_BINARY);
  g_assert_false (ferry_config_get_fire_triggers (config));
  g_assert_cmpuint (ferry_config_get_interval_seconds (config), ==, 30);
  g_assert_true (ferry_config_get_real_time_enabled (config));
  g_assert_true (ferry_config_get_dashboard_enabled (config));
  g_assert_true (ferry_config_get_notifications_enabled (config));
  g_assert_false (ferry_config_get_email_enabled (config));
  g_assert_false (ferry_config_get_slack_enabled (config));
  g_assert_cmpuint (g_strv_length ((char **) ferry_config_get_webhooks (config)), ==, 0);
  g_assert_cmpuint (ferry_config_get_connection_pool_size (config), ==, 10);
  g_assert_cmpuint (ferry_config_get_query_timeout (config), ==, 300);
  g_assert_cmpuint (ferry_config_get_connect_timeout (config), ==, 10);
  g_assert_cmpstr (ferry_config_get_source (config), ==, "");
  g_assert_cmpstr (ferry_config_get_target (config), ==, "");
  g_assert_cmpuint (g_strv_length ((char **) ferry_config_get_include (config)), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **) ferry_config_get_exclude (config)), ==, 0);
  g_assert_cmpstr (ferry_config_get_journal_schema (config), ==, "ferry");
  g_assert_null (ferry_config_get_filename (config));

  g_assert_true (ferry_config_validate (config, &error));
  g_assert_no_error (error);
  assert_round_trips (config);
}

/* The property defaults and the object's initial values agree */
static void
test_property_defaults (void)
{
  g_autoptr(FerryConfig) config = ferry_config_new ();
  guint n_pspecs;
  g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (config), &n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (pspecs[i]->value_type == G_TYPE_STRV || !(pspecs[i]->flags & G_PARAM_WRITABLE))
        continue;

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (config), pspecs[i]->name, &value);
      g_assert_true (g_param_value_defaults (pspecs[i], &value));
    }
}

static void
test_empty_files (void)
{
  const char *texts[] = { "", "# only a comment\n", "\n\n", "---\n", "---\n...\n", "~\n" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(FerryConfig) config = load_string (texts[i]);
      g_autoptr(FerryConfig) defaults = ferry_config_new ();

      assert_same_settings (config, defaults);
    }
}

static void
check_spec_values (FerryConfig *config)
{
  g_assert_cmpuint (ferry_config_get_batch_size (config), ==, 10);
  g_assert_cmpuint (ferry_config_get_max_parallel (config), ==, 5);
  g_assert_cmpuint (ferry_config_get_retry_attempts (config), ==, 3);
  g_assert_cmpuint (ferry_config_get_timeout_seconds (config), ==, 3600);
  g_assert_cmpuint (ferry_config_get_interval_seconds (config), ==, 30);
  g_assert_true (ferry_config_get_real_time_enabled (config));
  g_assert_true (ferry_config_get_dashboard_enabled (config));
  g_assert_true (ferry_config_get_notifications_enabled (config));
  g_assert_false (ferry_config_get_email_enabled (config));
  g_assert_false (ferry_config_get_slack_enabled (config));
  g_assert_cmpuint (ferry_config_get_connection_pool_size (config), ==, 10);
  g_assert_cmpuint (ferry_config_get_query_timeout (config), ==, 300);
}

static void
test_spec_file (void)
{
  const char *names[] = { "spec.yaml", "spec-block.yaml" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = corpus_path ("good", names[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(FerryConfig) config = ferry_config_new_from_file (path, &error);

      g_assert_no_error (error);
      check_spec_values (config);
      g_assert_cmpstr (ferry_config_get_filename (config), ==, path);
    }
}

static void
test_full_file (void)
{
  g_autofree char *path = corpus_path ("good", "full.yaml");
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConfig) config = ferry_config_new_from_file (path, &error);
  const char * const include[] = { "sales.*", "core.customers", "core.order_?", NULL };
  const char * const exclude[] = { "audit.*", "*.tmp_*", NULL };
  const char * const webhooks[] = { "https://hooks.example.com/ferry",
                                    "http://localhost:8080/hook?team=dba#ops", NULL };
  const char * const break_at[] = { "sales.orders.orders_customer_id_fkey",
                                    "\"Sales\".\"Order Lines\".\"order lines → orders\"", NULL };

  g_assert_no_error (error);
  g_assert_cmpstr (ferry_config_get_source (config), ==,
                   "host=db1 port=5433 dbname=shop user=migrator sslmode=require");
  g_assert_cmpstr (ferry_config_get_target (config), ==,
                   "postgresql://migrator@db2.example.com:5432/shop?sslmode=verify-full");
  g_assert_true (g_strv_equal (ferry_config_get_include (config), include));
  g_assert_true (g_strv_equal (ferry_config_get_exclude (config), exclude));
  g_assert_true (g_strv_equal (ferry_config_get_break_cycles_at (config), break_at));
  g_assert_cmpuint (ferry_config_get_batch_size (config), ==, 25);
  g_assert_cmpuint (ferry_config_get_max_parallel (config), ==, 12);
  g_assert_cmpuint (ferry_config_get_retry_attempts (config), ==, 7);
  g_assert_cmpuint (ferry_config_get_timeout_seconds (config), ==, 7200);
  g_assert_cmpuint (ferry_config_get_chunk_size (config), ==, G_GUINT64_CONSTANT (3) << 29);
  g_assert_cmpint (ferry_config_get_constraints (config), ==, FERRY_CONSTRAINT_STRATEGY_REBUILD);
  g_assert_cmpint (ferry_config_get_schema_mode (config), ==, FERRY_SCHEMA_MODE_COPY);
  g_assert_cmpint (ferry_config_get_validation (config), ==, FERRY_VALIDATION_MODE_CHECKSUMS);
  g_assert_cmpint (ferry_config_get_copy_format (config), ==, FERRY_COPY_FORMAT_TEXT);
  g_assert_true (ferry_config_get_fire_triggers (config));
  g_assert_cmpuint (ferry_config_get_interval_seconds (config), ==, 5);
  g_assert_false (ferry_config_get_real_time_enabled (config));
  g_assert_false (ferry_config_get_dashboard_enabled (config));
  g_assert_false (ferry_config_get_notifications_enabled (config));
  g_assert_true (ferry_config_get_email_enabled (config));
  g_assert_true (ferry_config_get_slack_enabled (config));
  g_assert_true (g_strv_equal (ferry_config_get_webhooks (config), webhooks));
  g_assert_cmpuint (ferry_config_get_connection_pool_size (config), ==, 20);
  g_assert_cmpuint (ferry_config_get_query_timeout (config), ==, 0);
  g_assert_cmpuint (ferry_config_get_connect_timeout (config), ==, 30);
  g_assert_cmpstr (ferry_config_get_journal_schema (config), ==, "ferry_journal");
}

static void
test_conninfo_mapping (void)
{
  g_autofree char *path = corpus_path ("good", "conninfo-mapping.yaml");
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConfig) config = ferry_config_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (ferry_config_get_source (config), ==,
                   "host=db1.example.com port=5432 dbname=shop user=migrator sslmode=require "
                   "application_name='ferry source'");
  g_assert_cmpstr (ferry_config_get_target (config), ==,
                   "service=prod_new application_name='ferry \\'target\\''");
}

static void
test_anchors (void)
{
  g_autofree char *path = corpus_path ("good", "anchors.yaml");
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConfig) config = ferry_config_new_from_file (path, &error);
  const char * const exclude[] = { "tmp.*", "*.scratch_*", NULL };

  g_assert_no_error (error);
  g_assert_cmpuint (ferry_config_get_max_parallel (config), ==, 8);
  g_assert_cmpuint (ferry_config_get_retry_attempts (config), ==, 8);
  g_assert_true (g_strv_equal (ferry_config_get_exclude (config), exclude));
  g_assert_cmpstr (ferry_config_get_source (config), ==, "host=db1 dbname=shop user=migrator sslmode=require");
}

/* Every key set away from its default survives to_yaml → load */
static void
test_round_trip_every_key (void)
{
  g_autoptr(FerryConfig) config = ferry_config_new ();
  const char * const include[] = { "sales.*", "core.customers", NULL };
  const char * const exclude[] = { "audit.*", NULL };
  const char * const break_at[] = { "crm.accounts.accounts_primary_contact_id_fkey",
                                    "\"Sales\".\"Order Lines\".fk", "a.b.c.d", NULL };
  const char * const webhooks[] = { "https://hooks.example.com/ferry", NULL };

  g_object_set (config,
                "source", "host=db1 dbname=shop user=migrator",
                "target", "postgresql://db2/shop",
                "include", include,
                "exclude", exclude,
                "break-cycles-at", break_at,
                "batch-size", 77,
                "max-parallel", 9,
                "retry-attempts", 0,
                "timeout-seconds", 604800,
                "chunk-size", G_GUINT64_CONSTANT (64) << 30,
                "constraints", FERRY_CONSTRAINT_STRATEGY_REBUILD,
                "schema-mode", FERRY_SCHEMA_MODE_COPY,
                "validation", FERRY_VALIDATION_MODE_NONE,
                "copy-format", FERRY_COPY_FORMAT_TEXT,
                "fire-triggers", TRUE,
                "interval-seconds", 3600,
                "real-time-enabled", FALSE,
                "dashboard-enabled", FALSE,
                "notifications-enabled", FALSE,
                "email-enabled", TRUE,
                "slack-enabled", TRUE,
                "webhooks", webhooks,
                "connection-pool-size", 1000,
                "query-timeout", 0,
                "connect-timeout", 3600,
                "journal-schema", "ferry_$journal_2",
                NULL);

  assert_round_trips (config);

  /* and every value of every enum */
  for (int v = FERRY_VALIDATION_MODE_NONE; v <= FERRY_VALIDATION_MODE_CHECKSUMS; v++)
    {
      ferry_config_set_validation (config, v);
      assert_round_trips (config);
    }
  ferry_config_set_constraints (config, FERRY_CONSTRAINT_STRATEGY_KEEP);
  ferry_config_set_schema_mode (config, FERRY_SCHEMA_MODE_EXISTING);
  ferry_config_set_copy_format (config, FERRY_COPY_FORMAT_BINARY);
  assert_round_trips (config);
}

/* Strings that a naive writer would break: quotes, colons, '#', leading
 * and trailing spaces, YAML indicators, unicode, control characters */
static void
test_round_trip_strings (void)
{
  const char *conninfos[] = {
    "host=db1 application_name='a \"quoted\" name: #1'",
    "host=db1 dbname='Fähre ⛴' user='o\\'brien'",
    "host=db1 options='-c search_path=\"$user\",public'",
    "service=prod",
    "postgresql://migrator@[::1]:5432/shop?application_name=ferry%20%231&sslmode=disable",
    "host=/var/run/postgresql dbname=x application_name='tab\there\\\\'",
    "  host=db1  ",
    "host=db1 application_name='- [not] {a} list, & *alias !tag %dir @at `tick` |pipe >fold'",
    "host=db1 application_name='line\nbreak\r\x01\x7f\xc2\x85 \xe2\x80\xa8 \xef\xbb\xbf end'",
    "dbname=true",
    "dbname=null",
  };
  const char * const patterns[] = {
    "public.\"Order Lines\"", "*.tmp_*", "sales.?", "verkäufe.*", "a.b#c", "x.y: z",
    "'single'.quoted", "-.dash", "~.tilde", NULL,
  };
  const char * const webhooks[] = {
    "https://hooks.example.com/services/T000/B000/XXXX?x=1&y=\"2\"#frag",
    "http://[::1]:8080/ferry", NULL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (conninfos); i++)
    {
      g_autoptr(FerryConfig) config = ferry_config_new ();

      ferry_config_set_source (config, conninfos[i]);
      ferry_config_set_include (config, patterns);
      ferry_config_set_exclude (config, patterns);
      ferry_config_set_webhooks (config, webhooks);
      assert_round_trips (config);
    }
}

static void
test_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ferry-config-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(FerryConfig) config = ferry_config_new ();
  g_autoptr(FerryConfig) loaded = NULL;
  GStatBuf st;

  g_assert_no_error (error);
  path = g_build_filename (dir, "migration.yaml", NULL);

  ferry_config_set_source (config, "host=db1 dbname='shop: #1'");
  ferry_config_set_max_parallel (config, 7);
  ferry_config_set_chunk_size (config, 3 * 1024 * 1024);

  g_assert_true (ferry_config_save (config, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ferry_config_get_filename (config), ==, path);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  loaded = ferry_config_new_from_file (path, &error);
  g_assert_no_error (error);
  assert_same_settings (config, loaded);
  g_assert_cmpstr (ferry_config_get_filename (loaded), ==, path);

  /* Overwriting keeps the mode */
  ferry_config_set_max_parallel (config, 3);
  g_assert_true (ferry_config_save (config, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* A configuration that does not validate is not written */
  ferry_config_set_max_parallel (config, 64);
  g_assert_false (ferry_config_save (config, path, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
  g_clear_error (&error);
  g_clear_object (&loaded);
  loaded = ferry_config_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ferry_config_get_max_parallel (loaded), ==, 3);

  /* An unwritable place is an I/O error */
  ferry_config_set_max_parallel (config, 5);
  {
    g_autofree char *bad = g_build_filename (dir, "no-such-dir", "x.yaml", NULL);

    g_assert_false (ferry_config_save (config, bad, &error));
    g_assert_error (error, FERRY_ERROR, FERRY_ERROR_IO);
    g_clear_error (&error);
  }

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = corpus_path ("bad", "there-is-no-such-file.yaml");
  g_autoptr(FerryConfig) config = ferry_config_new_from_file (path, &error);

  g_assert_null (config);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "there-is-no-such-file.yaml"));
  g_clear_error (&error);

  /* A directory is no better */
  {
    g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "config-corpus", NULL);
    g_autoptr(FerryConfig) from_dir = ferry_config_new_from_file (dir, &error);

    g_assert_null (from_dir);
    g_assert_error (error, FERRY_ERROR, FERRY_ERROR_IO);
  }
}

static void
test_copy (void)
{
  g_autofree char *path = corpus_path ("good", "full.yaml");
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConfig) config = ferry_config_new_from_file (path, &error);
  g_autoptr(FerryConfig) copy = NULL;

  g_assert_no_error (error);
  copy = ferry_config_copy (config);
  g_assert_true (copy != config);
  assert_same_settings (config, copy);
  g_assert_cmpstr (ferry_config_get_filename (copy), ==, path);

  /* Independent: changing the copy leaves the original alone */
  ferry_config_set_batch_size (copy, 1);
  g_assert_cmpuint (ferry_config_get_batch_size (config), ==, 25);
  g_assert_true (ferry_config_table_is_included (copy, "sales", "orders"));
  g_assert_false (ferry_config_table_is_included (copy, "audit", "log"));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_notify (void)
{
  g_autoptr(FerryConfig) config = ferry_config_new ();
  const char * const patterns[] = { "sales.*", NULL };
  const char * const same[] = { "sales.*", NULL };
  guint count = 0;

  g_signal_connect (config, "notify", G_CALLBACK (count_notify), &count);

  ferry_config_set_max_parallel (config, FERRY_CONFIG_DEFAULT_MAX_PARALLEL);
  ferry_config_set_source (config, "");
  ferry_config_set_source (config, NULL);
  ferry_config_set_include (config, NULL);
  ferry_config_set_fire_triggers (config, FALSE);
  ferry_config_set_journal_schema (config, "ferry");
  g_object_set (config, "batch-size", FERRY_CONFIG_DEFAULT_BATCH_SIZE, NULL);
  g_assert_cmpuint (count, ==, 0);

  ferry_config_set_max_parallel (config, 6);
  g_assert_cmpuint (count, ==, 1);
  ferry_config_set_max_parallel (config, 6);
  g_assert_cmpuint (count, ==, 1);

  ferry_config_set_include (config, patterns);
  ferry_config_set_include (config, same);
  g_assert_cmpuint (count, ==, 2);

  g_object_set (config, "chunk-size", G_GUINT64_CONSTANT (1) << 30, NULL);
  g_object_set (config, "chunk-size", G_GUINT64_CONSTANT (1) << 30, NULL);
  g_assert_cmpuint (count, ==, 3);

  ferry_config_set_source (config, "host=db1");
  ferry_config_set_source (config, "host=db1");
  g_assert_cmpuint (count, ==, 4);

  ferry_config_set_validation (config, FERRY_VALIDATION_MODE_CHECKSUMS);
  ferry_config_set_validation (config, FERRY_VALIDATION_MODE_CHECKSUMS);
  g_assert_cmpuint (count, ==, 5);
}

static void
test_properties (void)
{
  const struct {
    const char *name;
    GType       type;
  } expected[] = {
    { "batch-size", G_TYPE_UINT }, { "max-parallel", G_TYPE_UINT },
    { "retry-attempts", G_TYPE_UINT }, { "timeout-seconds", G_TYPE_UINT },
    { "chunk-size", G_TYPE_UINT64 }, { "fire-triggers", G_TYPE_BOOLEAN },
    { "journal-schema", G_TYPE_STRING }, { "interval-seconds", G_TYPE_UINT },
    { "real-time-enabled", G_TYPE_BOOLEAN }, { "dashboard-enabled", G_TYPE_BOOLEAN },
    { "notifications-enabled", G_TYPE_BOOLEAN }, { "email-enabled", G_TYPE_BOOLEAN },
    { "slack-enabled", G_TYPE_BOOLEAN }, { "webhooks", G_TYPE_STRV },
    { "connection-pool-size", G_TYPE_UINT }, { "query-timeout", G_TYPE_UINT },
    { "connect-timeout", G_TYPE_UINT }, { "source", G_TYPE_STRING },
    { "target", G_TYPE_STRING }, { "include", G_TYPE_STRV },
    { "exclude", G_TYPE_STRV }, { "break-cycles-at", G_TYPE_STRV },
    { "filename", G_TYPE_STRING },
  };
  g_autoptr(FerryConfig) config = ferry_config_new ();
  GObjectClass *klass = G_OBJECT_GET_CLASS (config);
  GParamSpec *pspec;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      pspec = g_object_class_find_property (klass, expected[i].name);
      g_assert_nonnull (pspec);
      g_assert_true (pspec->value_type == expected[i].type);
    }

  pspec = g_object_class_find_property (klass, "constraints");
  g_assert_true (pspec->value_type == FERRY_TYPE_CONSTRAINT_STRATEGY);
  pspec = g_object_class_find_property (klass, "schema-mode");
  g_assert_true (pspec->value_type == FERRY_TYPE_SCHEMA_MODE);
  pspec = g_object_class_find_property (klass, "validation");
  g_assert_true (pspec->value_type == FERRY_TYPE_VALIDATION_MODE);
  pspec = g_object_class_find_property (klass, "copy-format");
  g_assert_true (pspec->value_type == FERRY_TYPE_COPY_FORMAT);

  pspec = g_object_class_find_property (klass, "max-parallel");
  g_assert_cmpuint (G_PARAM_SPEC_UINT (pspec)->minimum, ==, 1);
  g_assert_cmpuint (G_PARAM_SPEC_UINT (pspec)->maximum, ==, 64);
  pspec = g_object_class_find_property (klass, "chunk-size");
  g_assert_cmpuint (G_PARAM_SPEC_UINT64 (pspec)->minimum, ==, 1024 * 1024);
  g_assert_cmpuint (G_PARAM_SPEC_UINT64 (pspec)->maximum, ==, G_GUINT64_CONSTANT (64) << 30);
}

/* The setters refuse bad values loudly and change nothing */
static void
test_setter_guards (void)
{
  g_autoptr(FerryConfig) config = ferry_config_new ();
  const char * const empty_pattern[] = { "", NULL };
  const char * const ftp[] = { "ftp://example.com/x", NULL };

  g_test_expect_message ("ferry-config", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  ferry_config_set_max_parallel (config, 0);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (ferry_config_get_max_parallel (config), ==, FERRY_CONFIG_DEFAULT_MAX_PARALLEL);

  g_test_expect_message ("ferry-config", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  ferry_config_set_chunk_size (config, 1024);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (ferry_config_get_chunk_size (config), ==, FERRY_CONFIG_DEFAULT_CHUNK_SIZE);

  g_test_expect_message ("ferry-config", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  ferry_config_set_source (config, "host=db1 password=s3cret");
  g_test_assert_expected_messages ();
  g_assert_cmpstr (ferry_config_get_source (config), ==, "");

  g_test_expect_message ("ferry-config", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  ferry_config_set_journal_schema (config, "pg_catalog");
  g_test_assert_expected_messages ();
  g_assert_cmpstr (ferry_config_get_journal_schema (config), ==, "ferry");

  g_test_expect_message ("ferry-config", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  ferry_config_set_include (config, empty_pattern);
  g_test_assert_expected_messages ();

  g_test_expect_message ("ferry-config", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  ferry_config_set_webhooks (config, ftp);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (g_strv_length ((char **) ferry_config_get_webhooks (config)), ==, 0);
}

static void
test_validate (void)
{
  g_autoptr(FerryConfig) config = ferry_config_new ();
  g_autoptr(GError) error = NULL;

  /* On the source: a connection per worker, the coordinator's and the
   * snapshot's (ferry-coordinator.c, worker_limit()). */
  ferry_config_set_max_parallel (config, 8);
  g_assert_true (ferry_config_validate (config, &error));
  g_assert_no_error (error);

  ferry_config_set_max_parallel (config, 9);
  g_assert_false (ferry_config_validate (config, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "database.connection_pool_size: must be at least migration.max_parallel + 2 = 11 (got 10)"));
  g_assert_nonnull (strstr (error->message, "raise connection_pool_size to 11 or lower migration.max_parallel to 8"));
  g_clear_error (&error);

  ferry_config_set_connection_pool_size (config, 11);
  g_assert_true (ferry_config_validate (config, &error));

  /* An invalid connection string is accepted by the setter (the GUI edits
   * it a character at a time), and reported here */
  ferry_config_set_target (config, "host=db2 dbname");
  g_assert_false (ferry_config_validate (config, &error));
  g_assert_nonnull (strstr (error->message, "target: not a valid connection string"));
  g_clear_error (&error);

  ferry_config_set_source (config, "host=db2 dbname=x");
  ferry_config_set_target (config, "host=db2 dbname=x");
  g_assert_false (ferry_config_validate (config, &error));
  g_assert_nonnull (strstr (error->message, "same connection string"));
}

/* A password is refused in every form, and never quoted back */
static void
test_password_not_echoed (void)
{
  const char *files[] = {
    "source: \"host=db1 password=s3cret\"\n",
    "source: \"host=db1 password='s3cret'\"\n",
    "source: \"host=db1 password=s3cret dbname\"\n",
    "source: \"host=db1 password='s3cret\"\n",
    "target: \"postgresql://migrator:s3cret@db2/shop\"\n",
    "target: \"postgresql://migrator@db2/shop?password=s3cret\"\n",
    "target: \"postgresql://migrator:s3cret@db2/shop?bogus=1\"\n",
    "target: \"host=db2 dbname='host=db3 password=s3cret'\"\n",
    "source: {host: db1, password: s3cret}\n",
    "source: {host: db1, PASSWORD: s3cret}\n",
    "source: {host: db1, sslpassword: s3cret}\n",
    "source:\n  host: db1\n  password: s3cret\n  passwrod: s3cret\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *message = load_error (files[i]);

      if (strstr (message, "s3cret") != NULL || strstr (message, "~/.pgpass") == NULL)
        g_error ("for %s: %s", files[i], message);
    }
}

/* The loader keeps going after a problem and reports them all, in order */
static void
test_every_problem_reported (void)
{
  g_autofree char *message = load_error ("migration:\n"
                                         "  batch_size: 0\n"
                                         "  max_paralel: 5\n"
                                         "  chunk_size: 12 parsecs\n"
                                         "journal: {schema: \"Bad Name\"}\n");
  g_auto(GStrv) lines = g_strsplit (message, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_true (g_str_has_prefix (lines[0], "test.yaml:2:15: migration.batch_size: must be between 1 and 10000 (got 0)"));
  g_assert_true (g_str_has_prefix (lines[1], "test.yaml:3:3: migration.max_paralel: unknown key; did you mean max_parallel?"));
  g_assert_true (g_str_has_prefix (lines[2], "test.yaml:4:15: migration.chunk_size: unknown unit “parsecs”"));
  g_assert_true (g_str_has_prefix (lines[3], "test.yaml:5:19: journal.schema: “Bad Name” is not a valid schema name"));
}

static void
test_many_problems_capped (void)
{
  g_autoptr(GString) yaml = g_string_new ("migration:\n");
  g_autofree char *message = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < 50; i++)
    g_string_append_printf (yaml, "  unknown_%u: 1\n", i);

  message = load_error (yaml->str);
  lines = g_strsplit (message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 21);
  g_assert_cmpstr (lines[20], ==, "test.yaml: and 30 more problems");
}

static void
test_data_without_filename (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConfig) config = ferry_config_new_from_data ("migration: {batch_size: x}", -1, NULL, &error);
  g_autoptr(FerryConfig) sized = NULL;

  g_assert_null (config);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "<data>:1:25: migration.batch_size:"));
  g_clear_error (&error);

  /* @length bounds the text; what follows is not read */
  sized = ferry_config_new_from_data ("migration: {batch_size: 42}GARBAGE", 27, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ferry_config_get_batch_size (sized), ==, 42);
  g_assert_null (ferry_config_get_filename (sized));
}

static void
test_table_filter (void)
{
  g_autoptr(FerryConfig) config = ferry_config_new ();
  const char * const include[] = { "sales.*", "core.customers", "core.order_?", "*.Order Lines", NULL };
  const char * const exclude[] = { "sales.tmp_*", "*.audit", NULL };
  const char * const only_exclude[] = { "audit.*", NULL };

  /* No patterns: everything */
  g_assert_true (ferry_config_table_is_included (config, "public", "anything"));

  ferry_config_set_include (config, include);
  ferry_config_set_exclude (config, exclude);

  g_assert_true (ferry_config_table_is_included (config, "sales", "orders"));
  g_assert_true (ferry_config_table_is_included (config, "sales", "order.lines"));
  g_assert_true (ferry_config_table_is_included (config, "core", "customers"));
  g_assert_true (ferry_config_table_is_included (config, "core", "order_1"));
  g_assert_true (ferry_config_table_is_included (config, "Fancy Schema", "Order Lines"));
  g_assert_false (ferry_config_table_is_included (config, "core", "order_10"));
  g_assert_false (ferry_config_table_is_included (config, "core", "customers_old"));
  g_assert_false (ferry_config_table_is_included (config, "Core", "customers"));
  g_assert_false (ferry_config_table_is_included (config, "public", "customers"));
  g_assert_false (ferry_config_table_is_included (config, "sales", "tmp_load"));
  g_assert_false (ferry_config_table_is_included (config, "sales", "audit"));

  /* Exclude alone */
  ferry_config_set_include (config, NULL);
  ferry_config_set_exclude (config, only_exclude);
  g_assert_true (ferry_config_table_is_included (config, "public", "orders"));
  g_assert_false (ferry_config_table_is_included (config, "audit", "log"));
}

static void
test_parse_size (void)
{
  static const struct {
    const char *text;
    guint64     bytes;
  } good[] = {
    { "0", 0 },
    { "65536", 65536 },
    { "1B", 1 },
    { "1kB", 1024 }, { "1KB", 1024 }, { "1KiB", 1024 },
    { "256MB", G_GUINT64_CONSTANT (256) << 20 },
    { "256 MB", G_GUINT64_CONSTANT (256) << 20 },
    { "  256  MiB  ", G_GUINT64_CONSTANT (256) << 20 },
    { "+1GB", G_GUINT64_CONSTANT (1) << 30 },
    { "1.5GB", G_GUINT64_CONSTANT (3) << 29 },
    { "1.5 GiB", G_GUINT64_CONSTANT (3) << 29 },
    { "0.5kB", 512 },
    { "1.0B", 1 },
    { "0.1kB", 102 },        /* 102.4, rounded */
    { "0.5MB", 512 * 1024 },
    { "0.001kB", 1 },        /* 1.024, rounded */
    { "2TB", G_GUINT64_CONSTANT (2) << 40 },
    { "1TiB", G_GUINT64_CONSTANT (1) << 40 },
    { "16777215TB", G_GUINT64_CONSTANT (16777215) << 40 },
    { "18446744073709551615", G_MAXUINT64 },
  };
  static const char *bad[] = {
    "", "   ", "MB", "256 potatoes", "-1MB", "-0", "1.5.5GB", "1.5B", "1.GB", ".5GB",
    "1,5GB", "256 mb", "10 20MB", "1e3MB", "0x10", "16777216TB", "18446744073709551616",
    "1.0000000001GB", "256MBs",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 bytes = 42;

      if (!ferry_parse_size (good[i].text, &bytes, &error))
        g_error ("“%s”: %s", good[i].text, error->message);
      g_assert_cmpuint (bytes, ==, good[i].bytes);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 bytes = 42;

      if (ferry_parse_size (bad[i], &bytes, &error))
        g_error ("“%s” parsed as %" G_GUINT64_FORMAT, bad[i], bytes);
      g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
      g_assert_cmpuint (bytes, ==, 42);
    }
}

static void
test_format_size (void)
{
  static const struct {
    guint64     bytes;
    const char *text;
  } cases[] = {
    { 0, "0 B" },
    { 1, "1 B" },
    { 1023, "1023 B" },
    { 1024, "1 kB" },
    { 1536, "1.5 kB" },
    { 1000000, "1000000 B" },
    { G_GUINT64_CONSTANT (256) << 20, "256 MB" },
    { G_GUINT64_CONSTANT (3) << 29, "1.5 GB" },
    { (G_GUINT64_CONSTANT (1) << 30) + (G_GUINT64_CONSTANT (1) << 28), "1.25 GB" },
    { (G_GUINT64_CONSTANT (1) << 30) + (G_GUINT64_CONSTANT (1) << 27), "1.125 GB" },
    { (G_GUINT64_CONSTANT (1) << 30) + (G_GUINT64_CONSTANT (1) << 20), "1025 MB" },
    { (G_GUINT64_CONSTANT (1) << 30) + 1, "1073741825 B" },
    { G_GUINT64_CONSTANT (64) << 30, "64 GB" },
    { G_GUINT64_CONSTANT (2) << 40, "2 TB" },
    { G_MAXUINT64, "18446744073709551615 B" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ferry_format_size (cases[i].bytes);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* Exact: whatever it writes parses back to the same number */
  for (guint64 bytes = 1; bytes < G_MAXUINT64 / 3; bytes = bytes * 3 + (bytes & 7))
    {
      g_autofree char *text = ferry_format_size (bytes);
      guint64 back = 0;

      g_assert_true (ferry_parse_size (text, &back, NULL));
      g_assert_cmpuint (back, ==, bytes);
    }
  for (guint shift = 10; shift <= 40; shift += 10)
    for (guint64 eighths = 1; eighths < 8 * 1024; eighths++)
      {
        guint64 bytes = (eighths << shift) / 8;
        g_autofree char *text = ferry_format_size (bytes);
        guint64 back = 0;

        g_assert_true (ferry_parse_size (text, &back, NULL));
        g_assert_cmpuint (back, ==, bytes);
      }
}

/* Values in key/value connection strings, quoted as libpq reads them:
 * what ferry_conninfo_append_value() writes, PQconninfoParse() gives
 * back unchanged. */
static char *
parsed_value (const char *conninfo,
              const char *keyword)
{
  char *message = NULL;
  PQconninfoOption *options;
  char *value = NULL;

  options = PQconninfoParse (conninfo, &message);
  if (options == NULL)
    g_error ("PQconninfoParse (%s): %s", conninfo, message);
  PQfreemem (message);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, keyword))
      value = g_strdup (o->val);
  PQconninfoFree (options);
  return value;
}

static void
test_conninfo_quoting (void)
{
  const struct {
    const char *value;
    const char *written;
  } cases[] = {
    { "db1",                 "db1" },
    { "",                    "''" },
    { "my db",               "'my db'" },
    { " leading",            "' leading'" },
    { "trailing ",           "'trailing '" },
    { "tab\there",           "'tab\there'" },
    { "new\nline",           "'new\nline'" },
    { "it's",                "'it\\'s'" },
    { "'",                   "'\\''" },
    { "C:\\data",            "'C:\\\\data'" },
    { "end\\",               "'end\\\\'" },
    { "\\'",                 "'\\\\\\''" },
    { "a=b",                 "a=b" },
    { "\"double\"",          "\"double\"" },
    { "/var/run/postgresql", "/var/run/postgresql" },
    { "Zürich",              "Zürich" },
    { "日本語 データ",       "'日本語 データ'" },
    { "naïve 'ö' \\ ✓",      "'naïve \\'ö\\' \\\\ ✓'" },
  };
  const char * const keywords[] = { "host", "port", "dbname", "user", "application_name", "sslmode", NULL };
  const char * const values[] = { "/tmp/my sockets", "5433", "", "o'brien", "Ferry ✓ \\ test", NULL, NULL };
  g_autofree char *built = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) str = g_string_new ("dbname=");
      g_autofree char *back = NULL;

      ferry_conninfo_append_value (str, cases[i].value);
      g_assert_cmpstr (str->str + strlen ("dbname="), ==, cases[i].written);

      /* The round trip, alone and among other options. */
      back = parsed_value (str->str, "dbname");
      g_assert_cmpstr (back, ==, cases[i].value);
      g_string_prepend (str, "host=db1 ");
      g_string_append (str, " user=ferry");
      g_clear_pointer (&back, g_free);
      back = parsed_value (str->str, "dbname");
      g_assert_cmpstr (back, ==, cases[i].value);
      g_clear_pointer (&back, g_free);
      back = parsed_value (str->str, "user");
      g_assert_cmpstr (back, ==, "ferry");
    }

  /* Pairs: empty and missing values are left out, the others quoted. */
  built = ferry_conninfo_build (keywords, values);
  g_assert_cmpstr (built, ==, "host='/tmp/my sockets' port=5433 user='o\\'brien'"
                              " application_name='Ferry ✓ \\\\ test'");
  for (guint i = 0; keywords[i] != NULL; i++)
    {
      g_autofree char *back = parsed_value (built, keywords[i]);

      if (values[i] == NULL || *values[i] == '\0')
        g_assert_null (back);
      else
        g_assert_cmpstr (back, ==, values[i]);
    }

  /* Nothing at all: an empty string, which libpq reads as the defaults. */
  {
    const char * const none[] = { NULL };
    g_autofree char *empty = ferry_conninfo_build (none, none);

    g_assert_cmpstr (empty, ==, "");
  }

  /* The masked form quotes the same way. */
  {
    g_autofree char *masked = ferry_conninfo_mask ("host=db1 dbname='my db' password='se cret'");

    g_assert_cmpstr (masked, ==, "password=******** dbname='my db' host=db1");
  }
}

static void
test_check_functions (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_config_check_conninfo ("", NULL));
  g_assert_true (ferry_config_check_conninfo ("service=prod", NULL));
  g_assert_true (ferry_config_check_conninfo ("postgresql://db2/shop", NULL));
  g_assert_true (ferry_config_check_conninfo ("host=db1 passfile=/etc/ferry/pgpass", NULL));
  g_assert_false (ferry_config_check_conninfo ("host=db1 password=x", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
  g_clear_error (&error);

  g_assert_true (ferry_config_check_journal_schema ("ferry", NULL));
  g_assert_true (ferry_config_check_journal_schema ("_f3rry$", NULL));
  g_assert_false (ferry_config_check_journal_schema ("", NULL));
  g_assert_false (ferry_config_check_journal_schema ("3ferry", NULL));
  g_assert_false (ferry_config_check_journal_schema ("fer-ry", NULL));
  g_assert_false (ferry_config_check_journal_schema ("\"ferry\"", NULL));
  g_assert_false (ferry_config_check_journal_schema ("pg_temp", NULL));
  g_assert_true (ferry_config_check_journal_schema ("a23456789012345678901234567890123456789012345678901234567890123", NULL));
  g_assert_false (ferry_config_check_journal_schema ("a234567890123456789012345678901234567890123456789012345678901234", NULL));

  g_assert_true (ferry_config_check_pattern ("*", NULL));
  g_assert_true (ferry_config_check_pattern ("public.orders", NULL));
  g_assert_false (ferry_config_check_pattern ("", NULL));
  g_assert_false (ferry_config_check_pattern ("orders", NULL));

  g_assert_true (ferry_config_check_foreign_key ("crm.accounts.accounts_primary_contact_id_fkey", NULL));
  g_assert_true (ferry_config_check_foreign_key ("\"Sales\".\"Order Lines\".\"lines.fk\"", NULL));
  g_assert_true (ferry_config_check_foreign_key ("Reporting Ümlaut.Top Customers.fk", NULL));
  g_assert_false (ferry_config_check_foreign_key ("", NULL));
  g_assert_false (ferry_config_check_foreign_key ("accounts_primary_contact_id_fkey", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "schema.table.accounts_primary_contact_id_fkey"));
  g_clear_error (&error);
  /* Dots inside quotes do not separate the parts. */
  g_assert_false (ferry_config_check_foreign_key ("\"a.b\".\"c.d\"", NULL));
  g_assert_false (ferry_config_check_foreign_key ("a.\xff.c", NULL));

  g_assert_true (ferry_config_check_webhook ("https://hooks.example.com/x", NULL));
  g_assert_true (ferry_config_check_webhook ("HTTP://localhost:8080/", NULL));
  g_assert_false (ferry_config_check_webhook ("", NULL));
  g_assert_false (ferry_config_check_webhook ("mailto:dba@example.com", NULL));
  g_assert_false (ferry_config_check_webhook ("https:///path-only", NULL));
  g_assert_false (ferry_config_check_webhook ("/relative", NULL));
  g_assert_false (ferry_config_check_webhook ("https://exa mple.com/", NULL));
}

/* reports.directory: empty for $XDG_DATA_HOME/ferry/reports, an
 * absolute path, or one from the home directory. */
static void
test_reports_directory (void)
{
  g_autoptr(FerryConfig) config = ferry_config_new ();
  g_autoptr(FerryConfig) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpstr (ferry_config_get_reports_directory (config), ==, "");
  path = ferry_config_dup_reports_path (config);
  expected = g_build_filename (g_get_user_data_dir (), "ferry", "reports", NULL);
  g_assert_cmpstr (path, ==, expected);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&expected, g_free);

  ferry_config_set_reports_directory (config, "~/change records");
  path = ferry_config_dup_reports_path (config);
  expected = g_build_filename (g_get_home_dir (), "change records", NULL);
  g_assert_cmpstr (path, ==, expected);
  assert_round_trips (config);
  g_clear_pointer (&path, g_free);

  ferry_config_set_reports_directory (config, "/srv/ferry/reports: \"quoted\" #1");
  path = ferry_config_dup_reports_path (config);
  g_assert_cmpstr (path, ==, "/srv/ferry/reports: \"quoted\" #1");
  assert_round_trips (config);

  ferry_config_set_reports_directory (config, NULL);
  g_assert_cmpstr (ferry_config_get_reports_directory (config), ==, "");

  loaded = ferry_config_new_from_data ("reports:\n  directory: /var/lib/ferry/reports\n", -1, "r.yaml", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ferry_config_get_reports_directory (loaded), ==, "/var/lib/ferry/reports");
  g_clear_object (&loaded);

  loaded = ferry_config_new_from_data ("reports: {directory: 42}\n", -1, "r.yaml", &error);
  g_assert_null (loaded);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
  g_clear_error (&error);

  g_assert_true (ferry_config_check_reports_directory ("", NULL));
  g_assert_true (ferry_config_check_reports_directory ("~", NULL));
  g_assert_true (ferry_config_check_reports_directory ("/tmp/x", NULL));
  g_assert_false (ferry_config_check_reports_directory ("x", NULL));
  g_assert_false (ferry_config_check_reports_directory ("~user/x", NULL));
  g_assert_false (ferry_config_check_reports_directory ("/tmp/a\nb", NULL));
  g_assert_false (ferry_config_check_reports_directory ("/tmp/\xff", NULL));
}

static void
test_example_file (void)
{
  const char *root = g_getenv ("FERRY_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConfig) config = NULL;

  if (root == NULL)
    {
      g_test_skip ("FERRY_SOURCE_ROOT is not set");
      return;
    }

  path = g_build_filename (root, "data", "ferry.example.yaml", NULL);
  config = ferry_config_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (ferry_config_validate (config, &error));
  g_assert_cmpuint (g_strv_length ((char **) ferry_config_get_exclude (config)), ==, 2);
  assert_round_trips (config);
}

static void
test_good_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConfig) config = ferry_config_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  g_assert_true (ferry_config_validate (config, &error));
  g_assert_no_error (error);
  assert_round_trips (config);
}

static void
test_bad_file (gconstpointer data)
{
  const char *path = data;
  g_autofree char *stem = g_strndup (path, strlen (path) - strlen (".yaml"));
  g_autofree char *expected_path = g_strconcat (stem, ".expected", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConfig) config = NULL;

  if (!g_file_get_contents (expected_path, &expected, NULL, &error))
    g_error ("%s: every bad file needs a .expected file: %s", path, error->message);
  g_strchomp (expected);
  g_assert_cmpstr (expected, !=, "");

  config = ferry_config_new_from_file (path, &error);
  g_assert_null (config);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
  if (strstr (error->message, expected) == NULL)
    g_error ("%s:\n  expected a message with: %s\n  got: %s", path, expected, error->message);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_corpus_tests (const char  *kind,
                  GTestDataFunc func)
{
  g_autofree char *dir_path = corpus_path (kind, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".yaml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *base = g_strndup (file, strlen (file) - strlen (".yaml"));
      g_autofree char *test_path = g_strdup_printf ("/config/%s/%s", kind, base);

      g_test_add_data_func_full (test_path, g_build_filename (dir_path, file, NULL), func, g_free);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/property-defaults", test_property_defaults);
  g_test_add_func ("/config/empty-files", test_empty_files);
  g_test_add_func ("/config/spec-file", test_spec_file);
  g_test_add_func ("/config/full-file", test_full_file);
  g_test_add_func ("/config/conninfo-mapping", test_conninfo_mapping);
  g_test_add_func ("/config/anchors", test_anchors);
  g_test_add_func ("/config/round-trip/every-key", test_round_trip_every_key);
  g_test_add_func ("/config/round-trip/strings", test_round_trip_strings);
  g_test_add_func ("/config/save", test_save);
  g_test_add_func ("/config/missing-file", test_missing_file);
  g_test_add_func ("/config/copy", test_copy);
  g_test_add_func ("/config/notify", test_notify);
  g_test_add_func ("/config/properties", test_properties);
  g_test_add_func ("/config/setter-guards", test_setter_guards);
  g_test_add_func ("/config/validate", test_validate);
  g_test_add_func ("/config/password-not-echoed", test_password_not_echoed);
  g_test_add_func ("/config/every-problem-reported", test_every_problem_reported);
  g_test_add_func ("/config/many-problems-capped", test_many_problems_capped);
  g_test_add_func ("/config/data-without-filename", test_data_without_filename);
  g_test_add_func ("/config/table-filter", test_table_filter);
  g_test_add_func ("/config/parse-size", test_parse_size);
  g_test_add_func ("/config/format-size", test_format_size);
  g_test_add_func ("/config/check-functions", test_check_functions);
  g_test_add_func ("/config/conninfo-quoting", test_conninfo_quoting);
  g_test_add_func ("/config/example-file", test_example_file);
  g_test_add_func ("/config/reports-directory", test_reports_directory);

  add_corpus_tests ("good", test_good_file);
  add_corpus_tests ("bad", test_bad_file);

  return g_test_run ();
}
