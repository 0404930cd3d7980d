/* test-gui.c — the app's real widgets against real clusters, under Xvfb
 *
 * A full migration of the sample database driven through the window:
 * connections → readiness → plan → migration → report, with a
 * screenshot of every page (FERRY_SCREENSHOT_DIR, default the build
 * directory's tests/screenshots). Also: every readiness check has its
 * row, the dashboard's column view follows table status changes, the
 * error dialog applies a resolution, and the readiness fix for cycles
 * lets the user choose where they break.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ferry-analyzer.h"
#include "ferry-application.h"
#include "ferry-dashboard-page.h"
#include "ferry-error-dialog.h"
#include "ferry-monitor.h"
#include "ferry-plan-page.h"
#include "ferry-readiness-page.h"
#include "ferry-test-cluster.h"
#include "ferry-test-gui.h"
#include "ferry-window.h"

typedef struct {
  FerryTestCluster *cluster;
  char             *source;
  char             *target;
} Fixture;

static FerryTestCluster *shared_cluster;
static guint db_counter;

static gboolean
ensure_cluster (void)
{
  g_autoptr(GError) error = NULL;

  if (ferry_test_skip_unless_postgres ())
    return FALSE;
  if (shared_cluster == NULL)
    {
      shared_cluster = ferry_test_cluster_start (&error);
      g_assert_no_error (error);
    }
  return TRUE;
}

/* pg_dump --schema-only SOURCE | psql TARGET */
static void
copy_schema (const char *source_db,
             const char *target_db)
{
  g_autofree char *source = ferry_test_cluster_conninfo (shared_cluster, source_db);
  g_autofree char *target = ferry_test_cluster_conninfo (shared_cluster, target_db);
  g_autofree char *qs = g_shell_quote (source);
  g_autofree char *qt = g_shell_quote (target);
  g_autofree char *command = g_strdup_printf ("/usr/lib/postgresql/15/bin/pg_dump --schema-only -d %s"
                                              " | /usr/lib/postgresql/15/bin/psql -X -q -v ON_ERROR_STOP=1 -d %s",
                                              qs, qt);
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static char *
make_database (gboolean with_sample)
{
  g_autoptr(GError) error = NULL;
  char *name = g_strdup_printf ("gui_%u", ++db_counter);

  g_assert_true (ferry_test_cluster_create_database (shared_cluster, name, &error));
  g_assert_no_error (error);
  if (with_sample)
    {
      g_assert_true (ferry_test_cluster_load_sample (shared_cluster, name, 1.0, &error));
      g_assert_no_error (error);
    }
  return name;
}

static FerryConfig *
make_config (const char *source_db,
             const char *target_db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = ferry_test_cluster_conninfo (shared_cluster, source_db);
  g_autofree char *target = ferry_test_cluster_conninfo (shared_cluster, target_db);
  g_autofree char *yaml = g_strdup_printf ("source: \"%s\"\n"
                                           "target: \"%s\"\n"
                                           "migration: {max_parallel: 2, chunk_size: 1MB, schema: copy,"
                                           " validation: counts}\n"
                                           "monitoring: {interval_seconds: 1}\n"
                                           "database: {connection_pool_size: 4}\n",
                                           source, target);
  FerryConfig *config = ferry_config_new_from_data (yaml, -1, "gui-test.yaml", &error);

  g_assert_no_error (error);
  return config;
}

typedef struct {
  FerryWindow *window;
} WindowData;

static gboolean
readiness_ready (gpointer data)
{
  FerryWindow *window = data;
  FerryCoordinator *c = ferry_window_get_coordinator (window);
  GtkWidget *page = ferry_window_get_page_widget (window, "readiness");

  return c != NULL && ferry_coordinator_get_state (c) == FERRY_STATE_READY &&
         ferry_readiness_page_get_validator (FERRY_READINESS_PAGE (page)) != NULL &&
         g_list_model_get_n_items (ferry_validator_get_checks (ferry_coordinator_get_validator (c))) > 0 &&
         gtk_widget_is_sensitive (GTK_WIDGET (window)) &&
         gtk_widget_get_visible (page);
}

static gboolean
is_resting (gpointer data)
{
  FerryCoordinator *c = ferry_window_get_coordinator (data);
  FerryState state = ferry_coordinator_get_state (c);

  return state == FERRY_STATE_COMPLETED || state == FERRY_STATE_ERROR || state == FERRY_STATE_STOPPED;
}

static void
count_expanders (GtkWidget *widget,
                 guint     *n)
{
  if (ADW_IS_EXPANDER_ROW (widget) && g_object_get_data (G_OBJECT (widget), "check") != NULL)
    (*n)++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    count_expanders (child, n);
}

static FerryWindow *
open_window (FerryConfig *config)
{
  FerryWindow *window = ferry_window_new (NULL, config);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 860);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL);
  ferry_test_spin_until (readiness_ready, window, 120, "the window to be ready");
  return window;
}

/* The whole flow, with screenshots. */
static void
test_full_migration (void)
{
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autoptr(FerryConfig) config = NULL;
  FerryWindow *window;
  FerryCoordinator *c;
  FerryValidator *validator;
  GtkWidget *readiness;
  GtkColumnView *column_view;
  GListModel *model;
  guint n_rows = 0;

  if (!ensure_cluster ())
    return;
  source = make_database (TRUE);
  target = make_database (FALSE);
  config = make_config (source, target);

  window = open_window (config);
  c = ferry_window_get_coordinator (window);
  validator = ferry_coordinator_get_validator (c);

  /* Connections page, as filled in from the configuration. */
  ferry_window_show_page (window, "connections");
  ferry_test_screenshot (GTK_WIDGET (window), "1-connections");

  /* Readiness: a row for every check. */
  ferry_window_show_page (window, "readiness");
  readiness = ferry_window_get_page_widget (window, "readiness");
  count_expanders (readiness, &n_rows);
  g_assert_cmpuint (n_rows, ==, g_list_model_get_n_items (ferry_validator_get_checks (validator)));
  g_assert_cmpuint (n_rows, >=, 20);
  ferry_test_screenshot (GTK_WIDGET (window), "2-readiness");

  ferry_window_show_page (window, "plan");
  ferry_test_screenshot (GTK_WIDGET (window), "3-plan");

  /* Start (the readiness may have warnings; failures are overridden by
   * starting directly, as the confirmation dialog would). */
  {
    g_autoptr(GError) error = NULL;
    g_assert_true (ferry_coordinator_start (c, &error));
    g_assert_no_error (error);
  }

  ferry_test_spin_for (1500);
  ferry_window_show_page (window, "migration");
  ferry_test_screenshot (GTK_WIDGET (window), "4-migration-running");

  ferry_test_spin_until (is_resting, window, 300, "the migration to rest");
  g_assert_cmpint (ferry_coordinator_get_state (c), ==, FERRY_STATE_COMPLETED);

  /* The column view lists every table, all completed now. */
  column_view = ferry_dashboard_page_get_column_view (FERRY_DASHBOARD_PAGE (ferry_window_get_page_widget (window, "migration")));
  model = G_LIST_MODEL (gtk_column_view_get_model (column_view));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (ferry_coordinator_get_tables (c))));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FerryTable) table = g_list_model_get_item (model, i);
      g_assert_cmpint (ferry_table_get_status (table), ==, FERRY_TABLE_STATUS_COMPLETED);
    }

  /* The failed filter shows nothing; the completed one everything. */
  ferry_dashboard_page_set_filter (FERRY_DASHBOARD_PAGE (ferry_window_get_page_widget (window, "migration")), "failed");
  ferry_test_spin_for (100);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  ferry_dashboard_page_set_filter (FERRY_DASHBOARD_PAGE (ferry_window_get_page_widget (window, "migration")), "all");
  ferry_test_spin_for (100);

  ferry_window_show_page (window, "migration");
  ferry_test_screenshot (GTK_WIDGET (window), "5-migration-done");

  g_assert_cmpstr (ferry_window_get_page (window), ==, "migration");
  ferry_window_show_page (window, "report");
  ferry_test_screenshot (GTK_WIDGET (window), "6-report");

  gtk_window_destroy (GTK_WINDOW (window));
  ferry_test_spin_for (200);
}

/* The dashboard follows status changes as they happen: after every
 * refresh, the "running" filter shows exactly the tables that run. */
typedef struct {
  GListModel     *model;
  FerryTableList *tables;
  guint           refreshes;
  guint           running_shown;
  guint           running_notified;
} Follow;

static void
on_sampled (FerryMonitor *monitor,
            Follow       *follow)
{
  guint running = ferry_table_list_count_status (follow->tables, FERRY_TABLE_STATUS_RUNNING);

  g_assert_cmpuint (g_list_model_get_n_items (follow->model), ==, running);
  for (guint i = 0; i < g_list_model_get_n_items (follow->model); i++)
    {
      g_autoptr(FerryTable) table = g_list_model_get_item (follow->model, i);
      g_assert_cmpint (ferry_table_get_status (table), ==, FERRY_TABLE_STATUS_RUNNING);
    }
  follow->refreshes++;
  follow->running_shown += running;
}

static void
on_status_seen (FerryTable *table,
                GParamSpec *pspec,
                Follow     *follow)
{
  if (ferry_table_get_status (table) == FERRY_TABLE_STATUS_RUNNING)
    follow->running_notified++;
}

static void
test_dashboard_follows_status (void)
{
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  FerryDashboardPage *page;
  FerryWindow *window;
  FerryCoordinator *c;
  GtkColumnView *column_view;
  Follow follow = { 0 };

  if (!ensure_cluster ())
    return;
  source = make_database (TRUE);
  target = make_database (FALSE);
  config = make_config (source, target);

  window = open_window (config);
  c = ferry_window_get_coordinator (window);
  page = FERRY_DASHBOARD_PAGE (ferry_window_get_page_widget (window, "migration"));
  column_view = ferry_dashboard_page_get_column_view (page);
  follow.model = G_LIST_MODEL (gtk_column_view_get_model (column_view));
  follow.tables = ferry_coordinator_get_tables (c);
  g_assert_cmpuint (g_list_model_get_n_items (follow.model), >, 100);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (follow.tables)); i++)
    g_signal_connect (ferry_table_list_get_table (follow.tables, i), "notify::status",
                      G_CALLBACK (on_status_seen), &follow);

  /* The page refreshes on the monitor's samples; this runs after it. */
  ferry_dashboard_page_set_filter (page, "running");
  g_signal_connect_after (ferry_coordinator_get_monitor (c), "sampled", G_CALLBACK (on_sampled), &follow);

  g_assert_true (ferry_coordinator_start (c, &error));
  g_assert_no_error (error);
  ferry_test_spin_until (is_resting, window, 300, "the migration to rest");

  g_assert_cmpint (ferry_coordinator_get_state (c), ==, FERRY_STATE_COMPLETED);
  g_assert_cmpuint (follow.refreshes, >, 0);
  g_assert_cmpuint (follow.running_notified, >=, g_list_model_get_n_items (G_LIST_MODEL (follow.tables)) - 1);

  /* At rest, every table shows as completed. */
  ferry_dashboard_page_set_filter (page, "completed");
  ferry_test_spin_for (100);
  g_assert_cmpuint (g_list_model_get_n_items (follow.model), ==,
                    ferry_table_list_count_status (follow.tables, FERRY_TABLE_STATUS_COMPLETED));
  g_signal_handlers_disconnect_by_data (ferry_coordinator_get_monitor (c), &follow);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (follow.tables)); i++)
    g_signal_handlers_disconnect_by_data (ferry_table_list_get_table (follow.tables, i), &follow);

  gtk_window_destroy (GTK_WINDOW (window));
  ferry_test_spin_for (200);
}

/* A stricter constraint on the target: the table fails, the dialog
 * comes up, and skipping it lets the migration complete. */
static gboolean
dialog_shown (gpointer data)
{
  GtkWindow *dialog = ferry_test_get_toplevel (FERRY_TYPE_ERROR_DIALOG);

  if (dialog != NULL)
    *(FerryErrorDialog **)data = FERRY_ERROR_DIALOG (dialog);
  return dialog != NULL;
}

static void
test_error_dialog_resolution (void)
{
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *skipped = NULL;
  FerryErrorDialog *dialog = NULL;
  FerryWindow *window;
  FerryCoordinator *c;
  FerryTable *table;

  if (!ensure_cluster ())
    return;
  source = make_database (TRUE);
  target = make_database (FALSE);
  config = make_config (source, target);

  /* The target gets the schema first (existing mode), with a CHECK the
   * source's data breaks. */
  ferry_config_set_schema_mode (config, FERRY_SCHEMA_MODE_EXISTING);
  copy_schema (source, target);
  g_assert_true (ferry_test_cluster_exec (shared_cluster, target,
                                          "ALTER TABLE inventory.warehouses ADD CONSTRAINT stricter"
                                          " CHECK (length(code) > 100) NOT VALID", &error));
  g_assert_no_error (error);

  window = open_window (config);
  c = ferry_window_get_coordinator (window);
  g_assert_true (ferry_coordinator_start (c, &error));
  g_assert_no_error (error);

  ferry_test_spin_until (dialog_shown, &dialog, 300, "the error dialog");
  table = ferry_error_dialog_get_table (dialog);
  g_assert_nonnull (table);
  g_assert_cmpstr (ferry_table_get_display_name (table), ==, "inventory.warehouses");
  ferry_test_screenshot (GTK_WIDGET (dialog), "7-error-dialog");

  g_assert_true (ferry_error_dialog_apply (dialog, FERRY_RESOLUTION_SKIP, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (dialog));

  ferry_test_spin_until (is_resting, window, 300, "the migration to rest");
  g_assert_cmpint (ferry_table_get_status (table), ==, FERRY_TABLE_STATUS_SKIPPED);

  /* The resolution is in the audit trail. */
  ferry_test_spin_for (500);
  skipped = ferry_test_cluster_query_value (shared_cluster, target,
                                            "SELECT count(*) FROM ferry.event WHERE action = 'resolve'"
                                            " AND detail LIKE 'inventory.warehouses: skip%'", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (skipped, ==, "1");

  gtk_window_destroy (GTK_WINDOW (window));
  ferry_test_spin_for (200);
}

/* The fk-cycles fix: a dialog lists the sample's cycles; choosing the
 * other key of crm.accounts ⇄ crm.contacts sets tables.break_cycles_at,
 * and the analysis, the plan and the checks that follow break there. */

#define ACCOUNT_CONTACT "crm.accounts.accounts_primary_contact_id_fkey"
#define CONTACT_ACCOUNT "crm.contacts.contacts_account_id_fkey"

static gboolean
is_fix_button (GtkWidget     *widget,
               gconstpointer  fix_id)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "fix-id"), fix_id) == 0;
}

static gboolean
is_fk_check (GtkWidget     *widget,
             gconstpointer  path)
{
  return GTK_IS_CHECK_BUTTON (widget) && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "fk-path"), path) == 0;
}

static gboolean
cycle_dialog_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ferry_test_widget_is_named (GTK_WIDGET (w), "cycle-breaks-dialog") && gtk_widget_get_mapped (GTK_WIDGET (w)))
        {
          *(GtkWidget **)data = GTK_WIDGET (w);
          return TRUE;
        }
    }
  return FALSE;
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

static gboolean
breaks_at (FerryValidator *validator,
           const char     *path)
{
  return ferry_analyzer_is_breaking_edge (ferry_validator_get_analyzer (validator), find_fk (validator, path));
}

typedef struct {
  FerryWindow      *window;
  FerryCoordinator *old;
} Reconnect;

static gboolean
reconnected (gpointer data)
{
  Reconnect *r = data;

  return ferry_window_get_coordinator (r->window) != r->old && readiness_ready (r->window);
}

static void
test_choose_cycle_breaks (void)
{
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(FerryCoordinator) old = NULL;
  const char * const chosen[] = { CONTACT_ACCOUNT, NULL };
  GtkWidget *readiness, *button, *dialog = NULL, *contact, *account, *apply;
  FerryValidator *validator;
  FerryWindow *window;
  FerryPlan *plan;
  Reconnect r;

  if (!ensure_cluster ())
    return;
  source = make_database (TRUE);
  target = make_database (FALSE);
  config = make_config (source, target);
  /* With schema: copy the foreign keys come after the load and no cycle
   * needs breaking; loading into existing tables, cycles must break. */
  ferry_config_set_schema_mode (config, FERRY_SCHEMA_MODE_EXISTING);

  window = open_window (config);
  old = g_object_ref (ferry_window_get_coordinator (window));
  validator = ferry_coordinator_get_validator (old);
  /* Left alone, Ferry breaks the deferrable key. */
  g_assert_true (breaks_at (validator, ACCOUNT_CONTACT));
  g_assert_false (breaks_at (validator, CONTACT_ACCOUNT));

  /* The fk-cycles row offers the choice; it opens the dialog. */
  ferry_window_show_page (window, "readiness");
  readiness = ferry_window_get_page_widget (window, "readiness");
  button = ferry_test_find_widget (readiness, is_fix_button, FERRY_FIX_CHOOSE_CYCLE_BREAKS);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  ferry_test_spin_until (cycle_dialog_shown, &dialog, 30, "the cycle-breaks dialog");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));

  /* Ferry's choice is checked; the other key of the pair is not. */
  account = ferry_test_find_widget (dialog, is_fk_check, ACCOUNT_CONTACT);
  contact = ferry_test_find_widget (dialog, is_fk_check, CONTACT_ACCOUNT);
  g_assert_nonnull (account);
  g_assert_nonnull (contact);
  g_assert_nonnull (ferry_test_find_widget (dialog, is_fk_check, "hr.employees.employees_department_id_fkey"));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (account)));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (contact)));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (contact), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (account), FALSE);
  ferry_test_screenshot (dialog, "8-cycle-breaks-dialog");

  /* Apply: only the cycle that changed is written down. */
  apply = ferry_test_find_widget (dialog, ferry_test_widget_is_named, "apply");
  g_assert_nonnull (apply);
  g_signal_emit_by_name (apply, "clicked");
  g_assert_cmpstrv (ferry_config_get_break_cycles_at (ferry_window_get_config (window)), chosen);
  g_assert_false (cycle_dialog_shown (&dialog));

  /* The window reads everything again: the analysis breaks at the chosen
   * key, the plan drops and re-adds it, the check says so. */
  r.window = window;
  r.old = old;
  ferry_test_spin_until (reconnected, &r, 120, "the window to read everything again");
  validator = ferry_coordinator_get_validator (ferry_window_get_coordinator (window));
  g_assert_true (breaks_at (validator, CONTACT_ACCOUNT));
  g_assert_false (breaks_at (validator, ACCOUNT_CONTACT));
  g_assert_true (ferry_analyzer_is_preferred_break (ferry_validator_get_analyzer (validator),
                                                    find_fk (validator, CONTACT_ACCOUNT)));
  /* The other cycle is still Ferry's own choice. */
  g_assert_true (breaks_at (validator, "hr.departments.departments_head_employee_id_fkey"));
  plan = ferry_validator_get_plan (validator);
  g_assert_true (ferry_plan_page_get_plan (FERRY_PLAN_PAGE (ferry_window_get_page_widget (window, "plan"))) == plan);
  g_assert_cmpint (ferry_plan_get_fk_action (plan, find_fk (validator, CONTACT_ACCOUNT)), ==,
                   FERRY_FK_ACTION_DROP_READD);
  g_assert_cmpint (ferry_plan_get_fk_action (plan, find_fk (validator, ACCOUNT_CONTACT)), ==,
                   FERRY_FK_ACTION_KEEP);
  g_assert_nonnull (strstr (ferry_check_get_summary (ferry_validator_lookup_check (validator, "fk-cycles")),
                            "1 as configured"));

  /* Opened again, the dialog shows the new choice as the user's. */
  readiness = ferry_window_get_page_widget (window, "readiness");
  button = ferry_test_find_widget (readiness, is_fix_button, FERRY_FIX_CHOOSE_CYCLE_BREAKS);
  g_signal_emit_by_name (button, "clicked");
  ferry_test_spin_until (cycle_dialog_shown, &dialog, 30, "the cycle-breaks dialog");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (ferry_test_find_widget (dialog, is_fk_check, CONTACT_ACCOUNT))));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (ferry_test_find_widget (dialog, is_fk_check, ACCOUNT_CONTACT))));
  gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (window));
  ferry_test_spin_for (200);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  ferry_gui_init ();

  g_test_add_func ("/gui/full-migration", test_full_migration);
  g_test_add_func ("/gui/dashboard-follows-status", test_dashboard_follows_status);
  g_test_add_func ("/gui/error-dialog-resolution", test_error_dialog_resolution);
  g_test_add_func ("/gui/choose-cycle-breaks", test_choose_cycle_breaks);

  ret = g_test_run ();
  g_clear_pointer (&shared_cluster, ferry_test_cluster_free);
  return ret;
}
