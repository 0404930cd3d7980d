/* test-gui-remote.c — the app attached to a real `ferry-cli serve`, under Xvfb
 *
 * One throwaway cluster holds the source (the sample at scale 1 and two
 * bulk tables, so that 1 MB chunks make a run last a few seconds) and a
 * template with its schema; every case gets a fresh target made from it
 * and its own `ferry-cli serve`, run as a program with a token file of a
 * control and a read-only token, listening on a free port of 127.0.0.1.
 *
 * A real FerryWindow attaches through the Attach to Service dialog:
 *
 *  - a wrong token shows the 401 in the dialog, an address where nothing
 *    listens says so, and nothing is attached;
 *  - over https with a self-signed certificate (openssl), attaching fails
 *    on the untrusted certificate until its file is chosen;
 *  - a read-only token attaches, shows the plan and the tables, and the
 *    controls are disabled (with a tooltip that says why): the service
 *    stays ready;
 *  - a control token starts, pauses, resumes, stops and starts again from
 *    the header bar's actions, each checked on the service (GET status)
 *    and in the journal's audit trail; the dashboard's column view and
 *    figures follow the run, its counters by status always those of the
 *    rows; closing the window while paused leaves the migration there, and
 *    a window attached then has the run's samples and figures so far; a
 *    table held locked on the target makes the stop land mid-run; when
 *    the service goes away the window says it reconnects, and does once
 *    the service is back, which finds the migration unfinished: Start
 *    reads "Resume Migration"; at the end the dashboard's elapsed time,
 *    throughput, workers, chart and attempts are the service's, and the
 *    Report page shows its tables and validation;
 *  - a table that fails on the target (a row already there) brings up
 *    the error dialog, with the chunk it failed in, whose Skip goes to
 *    the service's resolve endpoint.
 *
 * Screenshots (FERRY_SCREENSHOT_DIR, default the build directory's
 * tests/screenshots): the attach dialog, its 401, the attached dashboard
 * running and done, the plan's graph and the server's readiness checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <libsoup/soup.h>

#include "ferry-application.h"
#include "ferry-attach-dialog.h"
#include "ferry-connection.h"
#include "ferry-dashboard-page.h"
#include "ferry-error-dialog.h"
#include "ferry-graph-view.h"
#include "ferry-plan-document.h"
#include "ferry-plan-page.h"
#include "ferry-remote.h"
#include "ferry-test-gui.h"
#include "ferry-test-migrate.h"
#include "ferry-test-service.h"
#include "ferry-window.h"

#define CONTROL_TOKEN "gui-control-token-0123456789abcdef"
#define READ_TOKEN    "gui-read-only-token-0123456789abcdef"

static FerryTestCluster *cluster;
static char *source;
static char *tmpdir;
static char *token_file;
static SoupSession *session;

/* ------------------------------------------------------------------ */
/* Waiting and looking                                                 */
/* ------------------------------------------------------------------ */

static gboolean
is_button_for (GtkWidget     *widget,
               gconstpointer  action)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static gboolean
is_label_with_class (GtkWidget     *widget,
                     gconstpointer  css_class)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class);
}

static gboolean
is_info_bar_revealed (GtkWidget     *widget,
                      gconstpointer  action)
{
  /* The reconnect bar: the info bar whose button detaches. */
  return GTK_IS_INFO_BAR (widget) && ferry_test_find_widget (widget, is_button_for, "win.detach") != NULL;
}

static GtkWidget *
header_button (FerryWindow *window,
               const char  *action)
{
  GtkWidget *button = ferry_test_find_widget (GTK_WIDGET (window), is_button_for, action);

  g_assert_nonnull (button);
  return button;
}

static const char *
state_label (FerryWindow *window)
{
  GtkWidget *label = ferry_test_find_widget (GTK_WIDGET (window), is_label_with_class, "state-pill");

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
toplevel_shown (gpointer data)
{
  return ferry_test_get_toplevel (*(GType *)data) != NULL;
}

/* ------------------------------------------------------------------ */
/* The service: ferry-cli serve as a program                           */
/* ------------------------------------------------------------------ */

/* Serves the migration of a fresh target made from the template. */
static FerryTestService *
service_start_full (const char *name,
                    gboolean    tls)
{
  g_autoptr(FerryConfig) config = NULL;
  g_autofree char *target = ferry_test_new_database (cluster, name, "target_template");
  g_autofree char *config_name = g_strdup_printf ("%s.yaml", name);
  g_autofree char *config_path = NULL;
  g_autofree char *log_name = g_strdup_printf ("%s.log", name);
  g_autofree char *log = g_build_filename (tmpdir, log_name, NULL);
  FerryTestService *service;

  config = ferry_test_config_new (source, target);
  ferry_config_set_reports_directory (config, tmpdir);
  config_path = ferry_test_config_write (config, tmpdir, config_name);
  service = ferry_test_service_new (target, config_path, log, token_file);
  if (tls)
    {
      g_autofree char *cert = g_build_filename (tmpdir, "cert.pem", NULL);
      g_autofree char *key = g_build_filename (tmpdir, "key.pem", NULL);

      ferry_test_service_set_tls (service, cert, key);
    }
  ferry_test_service_spawn (service, 0);
  return service;
}

static FerryTestService *
service_start (const char *name)
{
  return service_start_full (name, FALSE);
}

/* GET @path with the read-only token, straight from the service (not
 * through the app). */
static JsonObject *
service_get (FerryTestService *service,
             const char       *path)
{
  return ferry_test_service_get (service, session, READ_TOKEN, path);
}

static char *
service_state (FerryTestService *service)
{
  g_autoptr(JsonObject) status = service_get (service, "status");

  return g_strdup (json_object_get_string_member (status, "state"));
}

typedef struct {
  FerryTestService *service;
  const char       *state;
} StateWait;

static gboolean
service_in_state (gpointer data)
{
  StateWait *wait = data;
  g_autofree char *state = service_state (wait->service);

  if (g_strcmp0 (state, wait->state) == 0)
    return TRUE;
  ferry_test_spin_for (100);
  return FALSE;
}

static void
wait_service_state (FerryTestService *service,
                    const char       *state,
                    guint             timeout_seconds)
{
  StateWait wait = { service, state };
  g_autofree char *what = g_strdup_printf ("the service to be %s", state);

  ferry_test_spin_until (service_in_state, &wait, timeout_seconds, what);
}

/* The audit trail: requests of @action by the control token. */
static gint64
journal_requests (FerryTestService *service,
                  const char       *action)
{
  return ferry_test_int_at (service->target,
                            "SELECT count(*) FROM ferry.event WHERE action = 'request' AND detail = '%s'"
                            " AND actor = 'api:control'", action);
}

/* ------------------------------------------------------------------ */
/* The window and the dialog                                           */
/* ------------------------------------------------------------------ */

static FerryWindow *
open_window (void)
{
  FerryWindow *window = ferry_window_new (NULL, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 860);
  ferry_config_set_reports_directory (ferry_window_get_config (window), tmpdir);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static FerryAttachDialog *
open_attach_dialog (FerryWindow *window)
{
  GType type = FERRY_TYPE_ATTACH_DIALOG;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.attach", NULL));
  ferry_test_spin_until (toplevel_shown, &type, 10, "the attach dialog");
  return FERRY_ATTACH_DIALOG (ferry_test_get_toplevel (type));
}

static gboolean
dialog_idle (gpointer data)
{
  return !ferry_attach_dialog_get_busy (data);
}

static gboolean
window_attached (gpointer data)
{
  return ferry_window_get_remote (data) != NULL;
}

/* Attaches @window to @service with @token through the dialog. */
static void
attach (FerryWindow      *window,
        FerryTestService *service,
        const char       *token,
        const char       *screenshot_name)
{
  FerryAttachDialog *dialog = open_attach_dialog (window);

  ferry_attach_dialog_set_url (dialog, service->root);
  ferry_attach_dialog_set_token (dialog, token);
  if (screenshot_name != NULL)
    ferry_test_screenshot (GTK_WIDGET (dialog), screenshot_name);
  ferry_attach_dialog_attach (dialog);
  ferry_test_spin_until (window_attached, window, 60, "the window to attach");
  g_assert_true (ferry_remote_get_connected (ferry_window_get_remote (window)));
}

static gboolean
graph_laid_out (gpointer data)
{
  GtkWidget *graph = ferry_plan_page_get_graph (FERRY_PLAN_PAGE (ferry_window_get_page_widget (data, "plan")));

  return ferry_graph_view_get_plan (FERRY_GRAPH_VIEW (graph)) != NULL &&
         !ferry_graph_view_get_loading (FERRY_GRAPH_VIEW (graph));
}

static gboolean
plan_loaded (gpointer data)
{
  return ferry_remote_get_plan (ferry_window_get_remote (data)) != NULL;
}

/* ------------------------------------------------------------------ */
/* The cases                                                           */
/* ------------------------------------------------------------------ */

/* Wrong token, nobody listening, read-only token. */
static void
test_attach_errors_and_read_only (void)
{
  g_autoptr(FerryTestService) service = service_start ("gui_remote_ro");
  g_autofree char *state = NULL;
  FerryWindow *window = open_window ();
  FerryAttachDialog *dialog;
  FerryRemote *remote;
  GtkColumnView *column_view;
  GtkWidget *graph;
  FerryPlan *plan;
  const char *error;

  /* A wrong token: the 401, said in the dialog; nothing attached. */
  dialog = open_attach_dialog (window);
  ferry_attach_dialog_set_url (dialog, service->root);
  ferry_attach_dialog_set_token (dialog, "not-a-token-of-this-service");
  ferry_attach_dialog_attach (dialog);
  ferry_test_spin_until (dialog_idle, dialog, 60, "the refused attach");
  error = ferry_attach_dialog_get_error (dialog);
  g_assert_nonnull (error);
  g_test_message ("401: %s", error);
  g_assert_nonnull (strstr (error, "Token Was Refused"));
  g_assert_nonnull (strstr (error, "401"));
  g_assert_null (ferry_window_get_remote (window));
  ferry_test_screenshot (GTK_WIDGET (dialog), "remote-2-attach-refused");

  /* Nobody listens there. */
  ferry_attach_dialog_set_url (dialog, "http://127.0.0.1:9");
  ferry_attach_dialog_set_token (dialog, READ_TOKEN);
  ferry_attach_dialog_attach (dialog);
  ferry_test_spin_until (dialog_idle, dialog, 60, "the unreachable attach");
  g_assert_nonnull (strstr (ferry_attach_dialog_get_error (dialog), "Cannot Be Reached"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  ferry_test_spin_for (100);

  /* A read-only token: it attaches, shows everything, steers nothing. */
  attach (window, service, READ_TOKEN, NULL);
  remote = ferry_window_get_remote (window);
  g_assert_false (ferry_remote_get_can_control (remote));
  g_assert_cmpint (ferry_remote_get_state (remote), ==, FERRY_STATE_READY);
  ferry_test_spin_until (plan_loaded, window, 60, "the plan");

  column_view = ferry_dashboard_page_get_column_view (FERRY_DASHBOARD_PAGE (ferry_window_get_page_widget (window, "migration")));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (column_view))), >, 100);

  /* The graph shows the service's plan, its tables the mirror's. */
  graph = ferry_plan_page_get_graph (FERRY_PLAN_PAGE (ferry_window_get_page_widget (window, "plan")));
  plan = ferry_graph_view_get_plan (FERRY_GRAPH_VIEW (graph));
  g_assert_true (plan == ferry_remote_get_plan (remote));
  g_assert_true (ferry_plan_document_is_loaded (plan));
  {
    GPtrArray *order = ferry_analyzer_get_order (ferry_plan_get_analyzer (plan));
    FerryTableList *tables = ferry_remote_get_tables (remote);
    guint shared = 0;

    g_assert_cmpuint (order->len, >, 100);
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (tables)); i++)
      for (guint j = 0; j < order->len; j++)
        if (g_ptr_array_index (order, j) == (gpointer)ferry_table_list_get_table (tables, i))
          {
            shared++;
            break;
          }
    g_assert_cmpuint (shared, ==, order->len);
  }

  /* The controls are disabled, and say why. */
  g_assert_false (gtk_widget_is_sensitive (header_button (window, "win.start")));
  g_assert_false (gtk_widget_is_sensitive (header_button (window, "win.pause")));
  g_assert_false (gtk_widget_is_sensitive (header_button (window, "win.stop")));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (header_button (window, "win.start")), "only watch"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  ferry_test_spin_for (1000);
  state = service_state (service);
  g_assert_cmpstr (state, ==, "ready");

  ferry_window_show_page (window, "readiness");
  ferry_test_spin_for (500);
  ferry_test_screenshot (GTK_WIDGET (window), "remote-4-readiness-read-only");

  /* Detaching leaves an empty window. */
  ferry_window_detach (window);
  g_assert_true (ferry_window_is_empty (window));
  gtk_window_destroy (GTK_WINDOW (window));
  ferry_test_spin_for (200);
}

typedef struct {
  FerryFigureSource *source;
  FerryState         state;
} SourceWait;

static gboolean
source_in_state (gpointer data)
{
  SourceWait *wait = data;

  return ferry_figure_source_get_state (wait->source) == wait->state;
}

static void
wait_remote_state (FerryRemote *remote,
                   FerryState   state,
                   guint        timeout_seconds)
{
  SourceWait wait = { FERRY_FIGURE_SOURCE (remote), state };

  ferry_test_spin_until (source_in_state, &wait, timeout_seconds, ferry_state_to_string (state));
}

static gboolean
remote_completed (gpointer data)
{
  return ferry_remote_get_state (data) == FERRY_STATE_COMPLETED;
}

static gboolean
remote_sampled_while_running (gpointer data)
{
  FerryRemote *remote = data;

  return ferry_remote_get_samples (remote)->len >= 2 && ferry_remote_get_rows_done (remote) > 0;
}

/* “Start Despite Failed Checks?”, when it is up: yes. */
static void
answer_start_anyway (void)
{
  GtkWindow *ask = ferry_test_get_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  if (ask != NULL)
    {
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (ask), "start");
      gtk_window_destroy (ask);
    }
}

static gboolean
running_or_asked (gpointer data)
{
  FerryWindow *window = data;

  if (ferry_remote_get_state (ferry_window_get_remote (window)) == FERRY_STATE_RUNNING)
    return TRUE;
  answer_start_anyway ();
  return FALSE;
}

static gboolean
is_label_with_digits_percent (GtkWidget     *widget,
                              gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "title-1") &&
         g_str_has_suffix (gtk_label_get_text (GTK_LABEL (widget)), "%");
}

static const char *
dashboard_percent (FerryWindow *window)
{
  GtkWidget *page = ferry_window_get_page_widget (window, "migration");
  GtkWidget *label = ferry_test_find_widget (page, is_label_with_digits_percent, NULL);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
is_speed_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_str_has_suffix (gtk_label_get_text (GTK_LABEL (widget)), "/s");
}

static gboolean
is_label_starting (GtkWidget     *widget,
                   gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix);
}

/* The value of the dashboard's figure under @caption ("Elapsed" …). */
static const char *
dashboard_stat (FerryWindow *window,
                const char  *caption)
{
  GtkWidget *page = ferry_window_get_page_widget (window, "migration");
  GtkWidget *label = ferry_test_find_widget (page, is_label_with_text, caption);

  g_assert_nonnull (label);
  g_assert_true (GTK_IS_LABEL (gtk_widget_get_next_sibling (label)));
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_next_sibling (label)));
}

/* The counters by status say what the rows say: every table's status,
 * counted now, and the tables done. */
static void
assert_counts_match_rows (FerryWindow *window)
{
  FerryTableList *tables = ferry_remote_get_tables (ferry_window_get_remote (window));
  GtkWidget *page = ferry_window_get_page_widget (window, "migration");
  GtkWidget *counts = ferry_test_find_widget (page, is_label_starting, ferry_table_status_to_string (FERRY_TABLE_STATUS_PENDING));
  guint n[FERRY_TABLE_STATUS_LAST] = { 0 };
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (tables));
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *done = NULL;

  for (guint i = 0; i < n_items; i++)
    n[ferry_table_get_status (ferry_table_list_get_table (tables, i))]++;
  for (guint s = 0; s < FERRY_TABLE_STATUS_LAST; s++)
    if (s != FERRY_TABLE_STATUS_EXCLUDED || n[s] > 0)
      g_string_append_printf (expected, "%s%s %u", expected->len ? "\n" : "", ferry_table_status_to_string (s), n[s]);
  g_assert_nonnull (counts);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (counts)), ==, expected->str);

  done = g_strdup_printf ("%u of %u", n[FERRY_TABLE_STATUS_COMPLETED] + n[FERRY_TABLE_STATUS_SKIPPED],
                          n_items - n[FERRY_TABLE_STATUS_EXCLUDED]);
  g_assert_cmpstr (dashboard_stat (window, "Tables done"), ==, done);
}

/* The dashboard's figures, after each sample the remote gets. */
typedef struct {
  FerryWindow *window;
  guint        checked;
} Follow;

static void
check_figures (FerryRemote *remote,
               Follow      *follow)
{
  g_autofree char *expected = g_strdup_printf ("%.0f%%", 100.0 * ferry_remote_get_fraction (remote));
  g_autofree char *workers = g_strdup_printf ("%u of 2", ferry_remote_get_n_running (remote));

  g_assert_cmpstr (dashboard_percent (follow->window), ==, expected);
  g_assert_cmpstr (dashboard_stat (follow->window, "Workers busy"), ==, workers);
  assert_counts_match_rows (follow->window);
  follow->checked++;
}

/* Waits as spin_until() does; whenever the main context has nothing
 * more to do, the counters by status agree with the rows (a "tables"
 * message changes rows between two samples). */
static void
spin_until_checking_counts (gboolean   (*done) (gpointer),
                            gpointer     data,
                            FerryWindow *window,
                            guint        timeout_seconds,
                            const char  *what,
                            guint       *checks)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (!g_main_context_iteration (NULL, FALSE))
        {
          assert_counts_match_rows (window);
          (*checks)++;
          g_usleep (2000);
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %u s waiting for %s", timeout_seconds, what);
    }
}

/* The chunks of the run that the journal has still to copy */
#define CHUNKS_LEFT " FROM ferry.chunk WHERE migration_id = (SELECT max(migration_id) FROM ferry.migration)" \
                    " AND finished_at IS NULL AND skipped_at IS NULL"

/* Locks, on the target, a table whose chunks the run has still to copy,
 * so that the run cannot end before an action comes, however fast it
 * goes; COMMIT on the returned connection lets it go on. More than
 * @in_flight of its chunks are left under the lock: as many may be
 * running, blocked on it, and land as soon as it goes.
 *
 * LOCK waits for the COPYs already into the table, and a chunk is
 * journaled in its COPY's transaction: what the journal has still to
 * copy once the lock is granted cannot land before COMMIT. A table
 * chosen before the lock may have landed its last chunks while LOCK
 * waited for them, and then holds nothing back: the run goes on to its
 * end, where a pause is refused (it restores sequences and indexes) and
 * a stop comes too late. So the chunks are counted again under the
 * lock, and another table is tried when too few are left. */
static PGconn *
hold_table_with_work (FerryTestService *service,
                      guint             in_flight)
{
  PGconn *lock = ferry_test_connect (service->target);

  for (guint attempt = 0; attempt < 10; attempt++)
    {
      g_autofree char *table = NULL;
      g_autofree char *literal = NULL;
      gint64 left;

      table = ferry_test_value (lock, "SELECT (SELECT format('%%I.%%I', table_schema, table_name)" CHUNKS_LEFT
                                " GROUP BY table_schema, table_name HAVING count(*) > %u"
                                " ORDER BY count(*) DESC, 1 LIMIT 1)", in_flight);
      if (table == NULL)
        break;
      literal = ferry_quote_literal (table);
      ferry_test_sql (lock, "BEGIN; LOCK TABLE %s IN SHARE MODE", table);
      left = ferry_test_int (lock, "SELECT count(*)" CHUNKS_LEFT " AND format('%%I.%%I', table_schema, table_name) = %s",
                             literal);
      if (left > in_flight)
        {
          g_test_message ("holding %s, %" G_GINT64_FORMAT " chunks of it to copy", table, left);
          return lock;
        }
      g_test_message ("%s has %" G_GINT64_FORMAT " chunks left once locked: another table", table, left);
      ferry_test_sql (lock, "ROLLBACK");
    }
  g_error ("No table of the run has more than %u chunks to copy: it ends before anything can hold it", in_flight);
}

typedef struct {
  FerryTestService *service;
  const char       *action;
} Request;

static gboolean
request_journaled (gpointer data)
{
  Request *r = data;

  return journal_requests (r->service, r->action) >= 1;
}

static gboolean
service_chunks_running (gpointer data)
{
  g_autoptr(JsonObject) status = service_get (data, "status");

  if (json_array_get_length (json_object_get_array_member (status, "running")) > 0)
    return TRUE;
  ferry_test_spin_for (100);
  return FALSE;
}

static gboolean
reconnect_bar_revealed (gpointer data)
{
  GtkWidget *bar = ferry_test_find_widget (GTK_WIDGET (data), is_info_bar_revealed, NULL);

  return bar != NULL && gtk_info_bar_get_revealed (GTK_INFO_BAR (bar));
}

static gboolean
reconnected (gpointer data)
{
  FerryWindow *window = data;

  return ferry_remote_get_connected (ferry_window_get_remote (window)) && !reconnect_bar_revealed (window);
}

static void
test_attached_run (void)
{
  g_autoptr(FerryTestService) service = service_start ("gui_remote_run");
  g_autoptr(FerryRemote) kept = NULL;
  FerryWindow *window = open_window ();
  FerryRemote *remote;
  GtkColumnView *column_view;
  GListModel *model;
  Follow follow = { 0 };
  gulong follow_id;
  guint counts_checked = 0;
  PGconn *lock = NULL;
  g_autoptr(GHashTable) copied_last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 started_at;
  double wall;

  /* The largest table takes its time, whatever the machine: each of
   * its chunks waits half a second on the target (ENABLE ALWAYS, so
   * Ferry leaves the trigger on). When the first samples are in, it
   * still has chunks left for the lock below to hold; on a fast machine
   * the run could otherwise be nearly through by then. */
  ferry_test_sql_at (service->target,
    "CREATE FUNCTION public.ferry_slow_statement() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM pg_catalog.pg_sleep(0.5); RETURN NULL; END $$;"
    "CREATE TRIGGER slow_statement BEFORE INSERT ON ferry_bulk.heap"
    "  FOR EACH STATEMENT EXECUTE FUNCTION public.ferry_slow_statement();"
    "ALTER TABLE ferry_bulk.heap ENABLE ALWAYS TRIGGER slow_statement;");

  attach (window, service, CONTROL_TOKEN, "remote-1-attach-dialog");
  remote = ferry_window_get_remote (window);
  g_assert_true (ferry_remote_get_can_control (remote));
  ferry_test_spin_until (plan_loaded, window, 60, "the plan");
  g_assert_true (gtk_widget_is_sensitive (header_button (window, "win.start")));
  g_assert_nonnull (strstr (state_label (window), "Ready"));

  /* The graph's plan is the service's: its levels, and its cycles
   * broken at the same foreign keys. */
  {
    FerryPlan *plan = ferry_remote_get_plan (remote);
    FerryAnalyzer *analyzer = ferry_plan_get_analyzer (plan);
    FerryPlanFigures figures;

    ferry_plan_document_get_figures (plan, &figures);
    g_assert_cmpuint (figures.n_breaking_edges, >, 0);
    g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, figures.n_breaking_edges);
    g_assert_cmpuint (ferry_analyzer_get_n_levels (analyzer), ==, figures.n_levels);
    g_assert_cmpuint (ferry_analyzer_get_order (analyzer)->len, ==, figures.n_tables);
  }

  ferry_window_show_page (window, "migration");
  ferry_window_show_page (window, "plan");
  ferry_test_spin_until (graph_laid_out, window, 60, "the graph's layout");
  ferry_test_spin_for (3000);  /* the edges' tiles are drawn in a worker once in view */
  ferry_test_screenshot (GTK_WIDGET (window), "remote-3-plan");

  /* Start from the header bar; the dashboard follows every sample. */
  follow.window = window;
  follow_id = g_signal_connect_after (remote, "sampled", G_CALLBACK (check_figures), &follow);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  ferry_test_spin_until (running_or_asked, window, 120, "the start");
  g_assert_cmpstr (ferry_window_get_page (window), ==, "migration");
  spin_until_checking_counts (remote_sampled_while_running, remote, window, 60, "progress samples", &counts_checked);
  /* The same as for the stop below: a table not yet copied waits until
   * the pause request is in, so the run cannot complete first. (Not
   * before the start: the preparation's DDL would wait for it.) More of
   * its chunks are left than can run at once: those that do land once
   * it goes, and the pause leaves the others for the stop below. */
  {
    g_autoptr(JsonObject) status = service_get (service, "status");

    lock = hold_table_with_work (service, json_object_get_int_member (status, "max_parallel"));
  }
  assert_counts_match_rows (window);
  ferry_test_screenshot (GTK_WIDGET (window), "remote-5-dashboard-running");

  /* Pause: the service pauses. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL));
  {
    Request request = { service, "pause" };

    ferry_test_spin_until (request_journaled, &request, 60, "the pause request");
  }
  ferry_test_sql (lock, "COMMIT");
  g_clear_pointer (&lock, PQfinish);
  wait_service_state (service, "paused", 120);
  wait_remote_state (remote, FERRY_STATE_PAUSED, 30);
  g_assert_cmpstr (state_label (window), ==, "Paused");
  g_assert_true (gtk_widget_get_visible (header_button (window, "win.resume")));
  g_assert_cmpint (journal_requests (service, "pause"), ==, 1);

  /* Closing the window only detaches: the migration stays paused there,
   * and goes on when another window resumes it. */
  kept = g_object_ref (remote);
  g_signal_handler_disconnect (kept, follow_id);
  gtk_window_close (GTK_WINDOW (window));
  ferry_test_spin_for (1500);
  {
    g_autofree char *state = service_state (service);
    g_assert_cmpstr (state, ==, "paused");
  }
  g_assert_false (ferry_remote_get_connected (kept));
  g_assert_cmpint (ferry_test_int_at (service->target, "SELECT count(*) FROM ferry.event WHERE action = 'request'"
                                      " AND detail = 'stop'"), ==, 0);
  g_clear_object (&kept);

  window = open_window ();
  attach (window, service, CONTROL_TOKEN, NULL);
  remote = ferry_window_get_remote (window);
  follow.window = window;
  follow_id = g_signal_connect_after (remote, "sampled", G_CALLBACK (check_figures), &follow);
  g_assert_cmpstr (ferry_window_get_page (window), ==, "migration");

  /* Attached mid-run, the window has the run's figures and samples so
   * far, as a window of a local run would: the stream's hello brings them. */
  ferry_test_spin_until (remote_sampled_while_running, remote, 30, "the samples so far");
  {
    g_autoptr(JsonObject) status = service_get (service, "status");
    GArray *samples = ferry_remote_get_samples (remote);
    double elapsed = json_object_get_double_member (status, "elapsed_seconds");

    g_test_message ("attached while paused: the service's elapsed %.2f s, the window's %.2f s, %u samples",
                    elapsed, ferry_remote_get_elapsed_seconds (remote), samples->len);
    g_assert_cmpfloat (fabs (ferry_remote_get_elapsed_seconds (remote) - elapsed), <, 1.5);
    g_assert_cmpfloat (g_array_index (samples, FerrySample, 0).elapsed, <, 0.5);
    g_assert_cmpuint (samples->len, >=, (guint)elapsed);
  }
  assert_counts_match_rows (window);

  /* A table the run has not finished is locked on the target, so that
   * the run cannot end before the stop comes, however fast it goes.
   * Paused, nothing runs: any chunk of it left holds the run. */
  lock = hold_table_with_work (service, 0);

  /* Resume, then stop: each reaches the service and the journal. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.resume", NULL));
  wait_service_state (service, "running", 60);
  wait_remote_state (remote, FERRY_STATE_RUNNING, 30);
  g_assert_cmpint (journal_requests (service, "resume"), ==, 1);
  ferry_test_spin_until (service_chunks_running, service, 60, "chunks to run again");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
  wait_service_state (service, "stopped", 120);
  wait_remote_state (remote, FERRY_STATE_STOPPED, 30);
  g_assert_cmpint (journal_requests (service, "stop"), ==, 1);
  ferry_test_sql (lock, "COMMIT");
  g_clear_pointer (&lock, PQfinish);

  /* The tables the final run copies: every one not done at the stop. */
  {
    g_autoptr(JsonObject) page = service_get (service, "tables?status=pending,waiting,running,failed&limit=1000");
    JsonArray *left = json_object_get_array_member (page, "tables");

    g_autoptr(JsonObject) status = service_get (service, "status");

    g_test_message ("stopped after %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " chunks",
                    json_object_get_int_member (status, "chunks_done"), json_object_get_int_member (status, "chunks_total"));
    g_assert_cmpint (json_object_get_int_member (status, "chunks_done"), <, json_object_get_int_member (status, "chunks_total"));
    assert_counts_match_rows (window);
    for (guint i = 0; i < json_array_get_length (left); i++)
      g_hash_table_add (copied_last, g_strdup (json_object_get_string_member (json_array_get_object_element (left, i), "name")));
    g_assert_cmpuint (g_hash_table_size (copied_last), >, 0);
  }

  /* The service goes away: the window says it reconnects; and does. The
   * new service finds the stopped migration in the journal, unfinished:
   * Start resumes it, and says so. */
  ferry_test_service_terminate (service);
  ferry_test_spin_until (reconnect_bar_revealed, window, 60, "the reconnect bar");
  g_assert_cmpstr (state_label (window), ==, "Reconnecting…");
  g_assert_false (gtk_widget_is_sensitive (header_button (window, "win.start")));
  ferry_test_screenshot (GTK_WIDGET (window), "remote-7-reconnecting");
  assert_counts_match_rows (window);
  ferry_test_service_spawn (service, service->port);
  ferry_test_spin_until (reconnected, window, 120, "the window to reconnect");
  wait_remote_state (remote, FERRY_STATE_READY, 30);
  g_assert_cmpstr (ferry_window_get_page (window), ==, "migration");
  {
    g_autoptr(JsonObject) status = service_get (service, "status");

    g_assert_true (json_object_get_boolean_member (status, "resuming"));
    g_assert_true (ferry_figure_source_get_resuming (FERRY_FIGURE_SOURCE (remote)));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (header_button (window, "win.start"))), ==, "_Resume Migration");
    g_assert_true (gtk_widget_is_sensitive (header_button (window, "win.start")));
  }

  /* Start again: it resumes from the journal and completes. */
  started_at = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  spin_until_checking_counts (remote_completed, remote, window, 300, "the migration to complete", &counts_checked);
  wall = (g_get_monotonic_time () - started_at) / (double)G_USEC_PER_SEC;
  wait_service_state (service, "completed", 30);
  ferry_test_spin_for (1500);
  g_assert_cmpuint (follow.checked, >, 0);
  g_assert_cmpuint (counts_checked, >, 0);
  g_signal_handler_disconnect (remote, follow_id);

  /* The dashboard: 100 %, every table completed, the rows the service says. */
  ferry_window_show_page (window, "migration");
  g_assert_cmpstr (dashboard_percent (window), ==, "100%");
  column_view = ferry_dashboard_page_get_column_view (FERRY_DASHBOARD_PAGE (ferry_window_get_page_widget (window, "migration")));
  model = G_LIST_MODEL (gtk_column_view_get_model (column_view));
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 100);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FerryTable) table = g_list_model_get_item (model, i);
      g_assert_cmpint (ferry_table_get_status (table), ==, FERRY_TABLE_STATUS_COMPLETED);
    }
  assert_counts_match_rows (window);
  /* No table runs: no row says how fast it goes. */
  g_assert_null (ferry_test_find_widget (GTK_WIDGET (column_view), is_speed_label, NULL));
  {
    g_autoptr(JsonObject) status = service_get (service, "status");
    g_autoptr(JsonObject) all = service_get (service, "tables?limit=1000");
    g_autoptr(JsonNode) validation = ferry_figure_source_dup_validation (FERRY_FIGURE_SOURCE (remote));
    JsonArray *served = json_object_get_array_member (all, "tables");
    FerryTableList *tables = ferry_remote_get_tables (remote);
    double elapsed = json_object_get_double_member (status, "elapsed_seconds");
    g_autofree char *elapsed_text = ferry_format_clock (elapsed, "—");  /* as the dashboard shows it */
    g_autofree char *rate_size = ferry_format_bytes ((guint64)json_object_get_double_member (status, "bytes_per_second"));
    g_autofree char *rate = g_strdup_printf ("%s/s · %.0f rows/s", rate_size,
                                             json_object_get_double_member (status, "rows_per_second"));
    GArray *samples = ferry_remote_get_samples (remote);
    guint unattempted = 0;

    g_assert_cmpint (ferry_remote_get_rows_done (remote), ==, json_object_get_int_member (status, "rows_done"));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (status, "tables"), "completed"), ==,
                     g_list_model_get_n_items (model));

    /* Elapsed: the final run's, as the service's monitor counts it, and
     * as long as it took by the wall. */
    g_test_message ("elapsed: the service's %.2f s, the window's %.2f s, %.2f s by the wall; %u samples charted",
                    elapsed, ferry_remote_get_elapsed_seconds (remote), wall, samples->len);
    g_assert_cmpfloat_with_epsilon (ferry_remote_get_elapsed_seconds (remote), elapsed, 1e-6);
    g_assert_cmpfloat (fabs (elapsed - wall), <, 3.0);
    g_assert_cmpstr (dashboard_stat (window, "Elapsed"), ==, elapsed_text);

    /* Throughput: the monitor's last rates, not zeros. */
    g_assert_cmpfloat (json_object_get_double_member (status, "bytes_per_second"), >, 0);
    g_assert_cmpstr (dashboard_stat (window, "Throughput"), ==, rate);
    g_assert_cmpstr (dashboard_stat (window, "Workers busy"), ==, "0 of 2");

    /* The chart: a sample a second, the whole final run. */
    g_assert_cmpuint (samples->len, >=, (guint)elapsed);
    g_assert_cmpfloat_with_epsilon (g_array_index (samples, FerrySample, samples->len - 1).elapsed, elapsed, 1e-6);

    /* Attempts: the service's, at least one for a table the final run copied. */
    g_assert_cmpuint (json_array_get_length (served), ==, g_list_model_get_n_items (G_LIST_MODEL (tables)));
    for (guint i = 0; i < json_array_get_length (served); i++)
      {
        JsonObject *t = json_array_get_object_element (served, i);
        const char *name = json_object_get_string_member (t, "name");
        FerryTable *mirror = NULL;

        for (guint j = 0; mirror == NULL && j < g_list_model_get_n_items (G_LIST_MODEL (tables)); j++)
          if (g_str_equal (ferry_table_get_display_name (ferry_table_list_get_table (tables, j)), name))
            mirror = ferry_table_list_get_table (tables, j);
        g_assert_nonnull (mirror);
        g_assert_cmpint (ferry_table_get_attempts (mirror), ==, json_object_get_int_member (t, "attempts"));
        if (g_hash_table_contains (copied_last, name))
          g_assert_cmpuint (ferry_table_get_attempts (mirror), >=, 1);
        else if (ferry_table_get_attempts (mirror) == 0)
          unattempted++;
      }
    /* A table done before the stop: the core's resumed run does not
     * count its attempts again (a local window shows the same). */
    g_test_message ("%u table(s) copied before the stop show no attempts; %u copied after it",
                    unattempted, g_hash_table_size (copied_last));

    /* The validation, for the Report page, as the service has it. */
    g_assert_nonnull (validation);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (validation)), >, 0);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (validation)), ==,
                      json_array_get_length (json_object_get_array_member (status, "validation")));
  }
  ferry_test_screenshot (GTK_WIDGET (window), "remote-6-dashboard-done");
  {
    FerryTestCompare options = { 0 };
    const char *ignore[] = { "ferry_bulk.heap slow_statement", NULL };

    options.ignore_objects = ignore;
    ferry_test_assert_same (source, service->target, &options);
  }
  /* The Report page: the tables and the validation, as the service has them. */
  ferry_window_show_page (window, "report");
  {
    g_autoptr(JsonObject) status = service_get (service, "status");
    JsonArray *validation = json_object_get_array_member (status, "validation");
    GtkWidget *page = ferry_window_get_page_widget (window, "report");
    g_autofree char *tables_text = g_strdup_printf ("%" G_GINT64_FORMAT " completed · 0 failed · 0 skipped",
                                                    json_object_get_int_member (json_object_get_object_member (status, "tables"),
                                                                                "completed"));
    g_autofree char *validation_text = g_strdup_printf ("%u parts match · 0 differ", json_array_get_length (validation));

    g_assert_nonnull (ferry_test_find_widget (page, is_label_with_text, tables_text));
    g_assert_nonnull (ferry_test_find_widget (page, is_label_with_text, validation_text));
  }
  ferry_test_screenshot (GTK_WIDGET (window), "remote-9-report");

  /* The completion report came from the service into the reports directory. */
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;
    guint reports = 0;

    ferry_test_spin_for (1000);
    while ((name = g_dir_read_name (dir)) != NULL)
      if (g_str_has_prefix (name, "ferry-completion-") && g_str_has_suffix (name, ".html"))
        reports++;
    g_assert_cmpuint (reports, >=, 1);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ferry_test_spin_for (300);
}

/* https with a self-signed certificate: refused until it is trusted. */
static void
test_attach_tls (void)
{
  g_autofree char *cert = g_build_filename (tmpdir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (tmpdir, "key.pem", NULL);
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                         "-keyout", key, "-out", cert, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTestService) service = NULL;
  g_autoptr(GFile) file = NULL;
  FerryAttachDialog *dialog;
  FerryWindow *window;
  int status = -1;

  if (g_find_program_in_path ("openssl") == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return;
    }
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  service = service_start_full ("gui_remote_tls", TRUE);
  g_assert_true (g_str_has_prefix (service->root, "https://"));
  window = open_window ();

  dialog = open_attach_dialog (window);
  ferry_attach_dialog_set_url (dialog, service->root);
  ferry_attach_dialog_set_token (dialog, READ_TOKEN);
  ferry_attach_dialog_attach (dialog);
  ferry_test_spin_until (dialog_idle, dialog, 60, "the untrusted attach");
  g_test_message ("TLS: %s", ferry_attach_dialog_get_error (dialog));
  g_assert_nonnull (strstr (ferry_attach_dialog_get_error (dialog), "Certificate Is Not Trusted"));
  g_assert_null (ferry_window_get_remote (window));

  /* The service's own certificate, chosen: trusted, and only it. */
  file = g_file_new_for_path (service->tls_cert);
  g_assert_true (ferry_attach_dialog_set_certificate_file (dialog, file, &error));
  g_assert_no_error (error);
  ferry_attach_dialog_attach (dialog);
  ferry_test_spin_until (window_attached, window, 60, "the window to attach over https");
  g_assert_cmpint (ferry_remote_get_state (ferry_window_get_remote (window)), ==, FERRY_STATE_READY);
  ferry_test_spin_until (plan_loaded, window, 60, "the plan over https");

  gtk_window_destroy (GTK_WINDOW (window));
  ferry_test_spin_for (200);
}

/* A table fails on the service: the same dialog as for a local run, its
 * resolution sent to the service. */
static gboolean
error_dialog_shown (gpointer data)
{
  GType type = FERRY_TYPE_ERROR_DIALOG;

  answer_start_anyway ();
  return toplevel_shown (&type);
}

static gboolean
error_dialog_gone (gpointer data)
{
  GType type = FERRY_TYPE_ERROR_DIALOG;

  return !toplevel_shown (&type);
}

static void
test_error_dialog_resolution (void)
{
  g_autoptr(FerryTestService) service = service_start ("gui_remote_fail");
  FerryWindow *window = open_window ();
  FerryErrorDialog *dialog;
  FerryRemote *remote;
  FerryTable *table;
  g_autoptr(GError) error = NULL;

  /* One of the source's rows is on the target already: 23505. */
  ferry_test_sql_at (service->target, "INSERT INTO public.gui_dup VALUES (1, 'already there')");

  attach (window, service, CONTROL_TOKEN, NULL);
  remote = ferry_window_get_remote (window);
  ferry_test_spin_until (plan_loaded, window, 60, "the plan");

  /* The checks fail on the service (a target table is not empty): the
   * window asks, and starts anyway. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  ferry_test_spin_until (error_dialog_shown, window, 300, "the error dialog");
  dialog = FERRY_ERROR_DIALOG (ferry_test_get_toplevel (FERRY_TYPE_ERROR_DIALOG));
  table = ferry_error_dialog_get_table (dialog);
  g_assert_nonnull (table);
  g_assert_cmpstr (ferry_table_get_display_name (table), ==, "public.gui_dup");
  g_assert_cmpint (ferry_table_get_status (table), ==, FERRY_TABLE_STATUS_FAILED);

  /* The chunk it failed in came with the stream's table-failed message,
   * and the dialog says it, as for a local run. */
  {
    g_autoptr(JsonObject) errors = service_get (service, "errors");
    JsonArray *failed = json_object_get_array_member (errors, "failed_tables");
    gint64 chunk;
    g_autofree char *chunk_text = NULL;
    GtkWidget *row;

    g_assert_cmpuint (json_array_get_length (failed), ==, 1);
    chunk = json_object_get_int_member (json_array_get_object_element (failed, 0), "chunk");
    g_assert_cmpint (chunk, >, 0);
    g_assert_cmpint (ferry_figure_source_get_failed_chunk (FERRY_FIGURE_SOURCE (remote), table), ==, chunk);
    row = ferry_test_find_widget (GTK_WIDGET (dialog), is_row_titled, "Chunk");
    g_assert_nonnull (row);
    chunk_text = g_strdup_printf ("%" G_GINT64_FORMAT, chunk);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, chunk_text);
  }
  ferry_test_screenshot (GTK_WIDGET (dialog), "remote-8-error-dialog");

  g_assert_true (ferry_error_dialog_apply (dialog, FERRY_RESOLUTION_SKIP, &error));
  g_assert_no_error (error);
  ferry_test_spin_until (error_dialog_gone, NULL, 60, "the dialog to close once the service took it");

  wait_remote_state (remote, FERRY_STATE_COMPLETED, 300);
  g_assert_cmpint (ferry_table_get_status (table), ==, FERRY_TABLE_STATUS_SKIPPED);
  g_assert_cmpint (journal_requests (service, "resolve skip public.gui_dup"), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  ferry_test_spin_for (200);
}

/* ------------------------------------------------------------------ */

static void
write_token_file (void)
{
  const char *json =
    "{\"format_version\": 1, \"tokens\": ["
    "{\"name\": \"control\", \"kind\": \"control\", \"token\": \"" CONTROL_TOKEN "\"},"
    "{\"name\": \"read-only\", \"kind\": \"read-only\", \"token\": \"" READ_TOKEN "\"}]}\n";
  g_autoptr(GError) error = NULL;

  token_file = g_build_filename (tmpdir, "tokens.json", NULL);
  g_file_set_contents_full (token_file, json, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Nothing of the user's: settings in memory, data in the test's directory. */
  tmpdir = g_dir_make_tmp ("ferry-gui-remote-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  ferry_test_service_loopback_only ();

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  ferry_gui_init ();
  /* No cursor blink: its timeout warns, fatally in a test, when a text
   * lost the focus without a focus-out event, as can happen under Xvfb
   * when the attach dialog goes while its entry has the focus. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  if (ferry_test_skip_unless_postgres ())
    return g_test_run ();

  session = ferry_test_service_session_new ();
  write_token_file ();

  cluster = ferry_test_cluster_start (&error);
  g_assert_no_error (error);
  source = ferry_test_service_source_new (cluster, 12, "public.gui_dup");

  g_test_add_func ("/gui-remote/attach-errors-read-only", test_attach_errors_and_read_only);
  g_test_add_func ("/gui-remote/attach-tls", test_attach_tls);
  g_test_add_func ("/gui-remote/attached-run", test_attached_run);
  g_test_add_func ("/gui-remote/error-dialog-resolution", test_error_dialog_resolution);

  ret = g_test_run ();

  g_clear_object (&session);
  g_clear_pointer (&source, g_free);
  g_clear_pointer (&cluster, ferry_test_cluster_free);
  ferry_test_remove_dir (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
  g_clear_pointer (&token_file, g_free);
  return ret;
}
