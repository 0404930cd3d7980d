/* ferry-window.c — one migration, from connections to the report
 *
 * The window owns the migration's configuration and coordinator and
 * walks the user through the flow: Connections → Readiness → Plan →
 * Migration → Report. The header bar shows the migration's state and
 * the Start / Pause / Resume / Stop controls, enabled per state in one
 * place (ferry_window_update_actions). Every database call happens in
 * the core's threads; the window only reacts to results and signals.
 *
 * The pages and the controls read the migration through a
 * FerryFigureSource: a FerryLocalSource around the coordinator, or a
 * FerryRemote when the window is attached to `ferry-cli serve`
 * (ferry-window-remote.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-window"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "ferry-connections-page.h"
#include "ferry-dashboard-page.h"
#include "ferry-enum-types.h"
#include "ferry-error-dialog.h"
#include "ferry-error.h"
#include "ferry-local-source.h"
#include "ferry-plan-page.h"
#include "ferry-preferences-window.h"
#include "ferry-readiness-page.h"
#include "ferry-report-page.h"
#include "ferry-window.h"
#include "ferry-window-private.h"

G_DEFINE_FINAL_TYPE (FerryWindow, ferry_window, ADW_TYPE_APPLICATION_WINDOW)

/* The keys of the preferences that are also FerryConfig properties. */
static const char * const preference_keys[] = {
  "batch-size", "max-parallel", "retry-attempts", "timeout-seconds", "chunk-size",
  "constraints", "schema-mode", "validation", "copy-format", "fire-triggers",
  "journal-schema", "interval-seconds", "real-time-enabled", "dashboard-enabled",
  "notifications-enabled", "email-enabled", "slack-enabled", "webhooks",
  "connection-pool-size", "query-timeout", "connect-timeout", "include", "exclude",
  NULL
};

void
ferry_window_toast (FerryWindow *self,
                    const char  *message)
{
  AdwToast *t = adw_toast_new (message);
  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

void
ferry_window_show_page (FerryWindow *self,
                        const char  *name)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

const char *
ferry_window_get_page (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

/* The page itself, inside whatever holds it on the view stack. */
GtkWidget *
ferry_window_get_page_widget (FerryWindow *self,
                              const char  *name)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);

  if (g_strcmp0 (name, "connections") == 0)
    return GTK_WIDGET (self->connections_page);
  if (g_strcmp0 (name, "readiness") == 0)
    return GTK_WIDGET (self->readiness_page);
  return adw_view_stack_get_child_by_name (self->view_stack, name);
}

/* Preferences in GSettings are the defaults of a new migration; a
 * configuration opened from a file stands on its own. */
static void
bind_settings (FerryWindow *self,
               gboolean     bind)
{
  for (guint i = 0; preference_keys[i] != NULL; i++)
    {
      if (bind)
        g_settings_bind (self->settings, preference_keys[i], self->config, preference_keys[i],
                         G_SETTINGS_BIND_DEFAULT);
      else
        g_settings_unbind (self->config, preference_keys[i]);
    }
  self->settings_bound = bind;
}

/* State */

static const char *
state_css (FerryState state)
{
  switch (state)
    {
    case FERRY_STATE_RUNNING:   return "accent";
    case FERRY_STATE_COMPLETED: return "success";
    case FERRY_STATE_ERROR:     return "error";
    case FERRY_STATE_PAUSED:    return "warning";
    default:                    return NULL;
    }
}

/* What the controls say when the token may only watch. */
static void
set_control_tooltips (FerryWindow *self,
                      gboolean     read_only)
{
  GtkButton *buttons[] = { self->start_button, self->pause_button, self->resume_button, self->stop_button };

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    gtk_widget_set_tooltip_text (GTK_WIDGET (buttons[i]),
                                 read_only ? _("This token may only watch: starting, pausing, resuming and "
                                               "stopping need a control token")
                                           : self->control_tooltips[i]);
}

void
ferry_window_update_actions (FerryWindow *self)
{
  FerryCoordinator *c = self->coordinator;
  FerryFigureSource *source = self->source;
  FerryState state = source ? ferry_figure_source_get_state (source) : FERRY_STATE_INITIALIZING;
  gboolean pausing = source && ferry_figure_source_is_pausing (source);
  gboolean attached = self->remote != NULL;
  gboolean reachable = !attached || ferry_remote_get_connected (self->remote);
  gboolean control = source != NULL && ferry_figure_source_get_can_control (source) && reachable;
  FerryFigures figures = { 0 };
  gboolean has_work;
  g_autofree char *label = NULL;
  const char *css;

  if (source != NULL)
    ferry_figure_source_get_figures (source, &figures);
  has_work = figures.migration_id > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect", !attached && !self->busy &&
                                 (c == NULL || (state != FERRY_STATE_RUNNING && state != FERRY_STATE_PAUSED)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-config", !attached);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.detach", attached);
  /* Checks re-read both catalogs: only before a run holds them. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.rerun-checks", !self->busy && c != NULL &&
                                 ferry_coordinator_get_validator (c) != NULL &&
                                 state == FERRY_STATE_READY);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.apply-fix", !self->busy && c != NULL &&
                                 state == FERRY_STATE_READY);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", !self->busy && control &&
                                 (state == FERRY_STATE_READY || state == FERRY_STATE_STOPPED));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause", control && state == FERRY_STATE_RUNNING && !pausing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume", control &&
                                 (state == FERRY_STATE_PAUSED || state == FERRY_STATE_ERROR || pausing) && has_work);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", control &&
                                 (state == FERRY_STATE_RUNNING || state == FERRY_STATE_PAUSED ||
                                  state == FERRY_STATE_ERROR) && has_work);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-report", has_work && reachable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-report", has_work && reachable);
  set_control_tooltips (self, source != NULL && !ferry_figure_source_get_can_control (source));

  /* Pause and Resume share the place. */
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), !(state == FERRY_STATE_PAUSED || state == FERRY_STATE_ERROR || pausing));
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), state == FERRY_STATE_PAUSED || state == FERRY_STATE_ERROR || pausing);
  gtk_widget_set_visible (GTK_WIDGET (self->start_button), state != FERRY_STATE_RUNNING && state != FERRY_STATE_PAUSED &&
                          state != FERRY_STATE_ERROR && state != FERRY_STATE_COMPLETED);
  gtk_button_set_label (self->start_button,
                        source && ferry_figure_source_get_resuming (source) ? _("_Resume Migration") : _("_Start"));

  if (source == NULL)
    label = g_strdup (self->busy ? _("Connecting…") : _("Not connected"));
  else if (!reachable)
    label = g_strdup (_("Reconnecting…"));
  else if (self->busy)
    label = g_strdup (_("Checking…"));
  else if (pausing)
    label = g_strdup (_("Pausing…"));
  else if (state == FERRY_STATE_RUNNING)
    label = g_strdup_printf ("%s · %.0f%%", ferry_state_to_string (state), 100.0 * ferry_figure_source_get_fraction (source));
  else
    label = g_strdup (ferry_state_to_string (state));
  gtk_label_set_text (self->state_label, label);

  for (guint i = 0; i < 4; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label),
                                 (const char *[]) { "accent", "success", "error", "warning" }[i]);
  css = source && reachable ? state_css (state) : NULL;
  if (css != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), css);
}

/* Error resolution */

static void show_next_error (FerryWindow *self);
static void on_rest_close (FerryWindow *self, FerryState old_state, FerryState new_state);

static void
on_error_dialog_destroyed (FerryWindow *self)
{
  self->error_dialog = NULL;
  ferry_window_update_actions (self);
  show_next_error (self);
}

static void
present_error_dialog (FerryWindow      *self,
                      FerryErrorDialog *dialog)
{
  self->error_dialog = GTK_WINDOW (dialog);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_error_dialog_destroyed), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* One dialog at a time; tables that failed meanwhile wait their turn
 * (and are skipped if resolved some other way). */
static void
show_next_error (FerryWindow *self)
{
  FailedTable *failed;

  if (self->error_dialog != NULL || self->source == NULL)
    return;

  while ((failed = g_queue_pop_head (&self->failed_tables)) != NULL)
    {
      if (ferry_table_get_status (failed->table) == FERRY_TABLE_STATUS_FAILED)
        {
          present_error_dialog (self, ferry_error_dialog_new_for_table (GTK_WINDOW (self), self->source,
                                                                        failed->table, failed->error,
                                                                        failed->error_class));
          failed_table_free (failed);
          return;
        }
      failed_table_free (failed);
    }
}

void
failed_table_free (FailedTable *failed)
{
  g_clear_object (&failed->table);
  g_clear_error (&failed->error);
  g_free (failed);
}

/* A failed table waits its turn for the dialog. */
void
ferry_window_queue_failed_table (FerryWindow     *self,
                                 FerryTable      *table,
                                 const GError    *error,
                                 FerryErrorClass  error_class)
{
  FailedTable *failed = g_new0 (FailedTable, 1);

  failed->table = g_object_ref (table);
  failed->error = g_error_copy (error);
  failed->error_class = error_class;
  g_queue_push_tail (&self->failed_tables, failed);
  show_next_error (self);
}

static void
on_escalated (FerryWindow  *self,
              GError       *error)
{
  FerryApplication *app = FERRY_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (ferry_config_get_notifications_enabled (self->config) && app != NULL)
    ferry_application_notify (app, "escalated", _("Migration needs you"), error->message, TRUE);

  ferry_window_present_escalation (self, error);
}

/* The migration waits for the user: unless failed tables have their
 * own dialogs, ask to resume or stop. */
void
ferry_window_present_escalation (FerryWindow  *self,
                                 const GError *error)
{
  if (self->error_dialog != NULL || !g_queue_is_empty (&self->failed_tables) || self->source == NULL)
    return;
  if (ferry_table_list_count_status (ferry_figure_source_get_tables (self->source), FERRY_TABLE_STATUS_FAILED) > 0)
    return;

  present_error_dialog (self, ferry_error_dialog_new_for_escalation (GTK_WINDOW (self), self->source, error));
}

/* The migration */

static void
on_state_changed (FerryWindow *self,
                  FerryState   old_state,
                  FerryState   new_state)
{
  FerryApplication *app = FERRY_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  gboolean notify = ferry_config_get_notifications_enabled (self->config) && app != NULL;

  ferry_window_update_actions (self);

  switch (new_state)
    {
    case FERRY_STATE_RUNNING:
      gtk_info_bar_set_revealed (self->resume_bar, FALSE);
      if (old_state == FERRY_STATE_READY || old_state == FERRY_STATE_STOPPED)
        ferry_window_show_page (self, "migration");
      break;

    case FERRY_STATE_COMPLETED:
      ferry_window_write_completion_report (self);
      ferry_window_show_page (self, "report");
      if (notify)
        ferry_application_notify (app, "completed", _("Migration completed"),
                                  _("Every table arrived; the report is ready."), FALSE);
      break;

    case FERRY_STATE_STOPPED:
      if (notify)
        ferry_application_notify (app, "stopped", _("Migration stopped"),
                                  _("Start it again to resume from the journal."), FALSE);
      break;

    default:
      break;
    }

  /* A window hidden while the migration ran in the background goes
   * once the migration rests. */
  if (self->in_background && new_state != FERRY_STATE_RUNNING)
    {
      self->in_background = FALSE;
      g_application_release (G_APPLICATION (app));
      if (new_state == FERRY_STATE_COMPLETED || new_state == FERRY_STATE_STOPPED)
        {
          self->closing = TRUE;
          gtk_window_destroy (GTK_WINDOW (self));
        }
      else
        gtk_window_present (GTK_WINDOW (self));
    }
}

static void
on_progress (FerryWindow *self)
{
  /* The header's percentage; the dashboard refreshes itself. */
  if (self->source != NULL && ferry_figure_source_get_state (self->source) == FERRY_STATE_RUNNING)
    ferry_window_update_actions (self);
}

/**
 * ferry_window_set_source:
 * @source: (nullable): the migration the pages and the controls show
 */
void
ferry_window_set_source (FerryWindow       *self,
                         FerryFigureSource *source)
{
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);

  g_set_object (&self->source, source);
  g_queue_clear_full (&self->failed_tables, (GDestroyNotify)failed_table_free);

  if (source != NULL)
    {
      g_signal_connect_object (source, "state-changed", G_CALLBACK (on_state_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (source, "state-changed", G_CALLBACK (on_rest_close), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (source, "table-failed", G_CALLBACK (ferry_window_queue_failed_table), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (source, "escalated", G_CALLBACK (on_escalated), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (source, "notify::pausing", G_CALLBACK (ferry_window_update_actions), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (source, "notify::can-control", G_CALLBACK (ferry_window_update_actions), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (source, "sampled", G_CALLBACK (on_progress), self, G_CONNECT_SWAPPED);
    }

  ferry_dashboard_page_set_source (self->dashboard_page, source);
  ferry_report_page_set_source (self->report_page, source);
  ferry_plan_page_set_source (self->plan_page, source);
  ferry_window_update_actions (self);
}

static void
set_coordinator (FerryWindow      *self,
                 FerryCoordinator *coordinator)
{
  g_autoptr(FerryLocalSource) source = coordinator != NULL ? ferry_local_source_new (coordinator) : NULL;

  g_set_object (&self->coordinator, coordinator);
  ferry_readiness_page_set_validator (self->readiness_page, NULL);
  ferry_window_set_source (self, FERRY_FIGURE_SOURCE (source));
}

static void
readiness_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  FerryCoordinator *coordinator = FERRY_COORDINATOR (object);
  g_autoptr(GError) error = NULL;
  FerryValidator *validator;

  if (coordinator != self->coordinator)
    return;

  self->busy = FALSE;
  validator = ferry_coordinator_get_validator (coordinator);

  if (!ferry_coordinator_validate_readiness_finish (coordinator, result, &error))
    {
      ferry_readiness_page_show_error (self->readiness_page, error);
      ferry_window_update_actions (self);
      return;
    }

  ferry_readiness_page_set_validator (self->readiness_page, validator);
  ferry_window_update_actions (self);

  if (self->autostart && ferry_validator_is_ready (validator))
    {
      g_autoptr(GError) start_error = NULL;

      self->autostart = FALSE;
      if (!ferry_coordinator_start (coordinator, &start_error))
        ferry_window_toast (self, start_error->message);
    }
}

static void
run_checks (FerryWindow *self)
{
  self->busy = TRUE;
  ferry_readiness_page_set_busy (self->readiness_page, TRUE, _("Running the readiness checks…"));
  ferry_window_update_actions (self);
  ferry_coordinator_validate_readiness_async (self->coordinator, self->cancellable, readiness_done,
                                              g_object_ref (self));
}

static void
initialize_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  FerryCoordinator *coordinator = FERRY_COORDINATOR (object);
  g_autoptr(GError) error = NULL;

  if (coordinator != self->coordinator)
    return;

  if (!ferry_coordinator_initialize_finish (coordinator, result, &error))
    {
      self->busy = FALSE;
      ferry_readiness_page_show_error (self->readiness_page, error);
      ferry_window_update_actions (self);
      return;
    }

  if (ferry_coordinator_get_resuming (coordinator))
    {
      g_autofree char *text = g_strdup_printf (_("The target’s journal holds an unfinished migration (%" PRId64
                                                 ") of this source. Resuming copies only what is missing."),
                                               ferry_coordinator_get_migration_id (coordinator));
      gtk_label_set_text (self->resume_label, text);
      gtk_info_bar_set_revealed (self->resume_bar, TRUE);
    }

  run_checks (self);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autofree char *source = ferry_connections_page_get_source (self->connections_page);
  g_autofree char *target = ferry_connections_page_get_target (self->connections_page);
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(GError) error = NULL;

  if (!ferry_config_check_conninfo (source, &error) || !ferry_config_check_conninfo (target, &error))
    {
      ferry_window_toast (self, error->message);
      ferry_window_show_page (self, "connections");
      return;
    }

  ferry_connections_page_apply_passwords (self->connections_page);
  ferry_config_set_source (self->config, source);
  ferry_config_set_target (self->config, target);

  if (!ferry_config_validate (self->config, &error))
    {
      ferry_window_toast (self, error->message);
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  coordinator = ferry_coordinator_new (self->config);
  set_coordinator (self, coordinator);

  self->busy = TRUE;
  ferry_readiness_page_set_busy (self->readiness_page, TRUE, _("Reading both catalogs…"));
  ferry_window_show_page (self, "readiness");
  ferry_window_update_actions (self);

  ferry_coordinator_initialize_async (coordinator, self->cancellable, initialize_done, g_object_ref (self));
}

static void
rerun_checks_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  if (self->coordinator != NULL)
    run_checks (self);
}

typedef struct {
  FerryValidator *validator;
  char           *fix_id;
} FixData;

static void
fix_data_free (FixData *data)
{
  g_clear_object (&data->validator);
  g_free (data->fix_id);
  g_free (data);
}

static void
fix_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  FixData *data = task_data;
  GError *error = NULL;

  if (ferry_validator_apply_fix (data->validator, data->fix_id, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
fix_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  FerryWindow *self = FERRY_WINDOW (object);
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      ferry_window_toast (self, error->message);
      ferry_readiness_page_refresh (self->readiness_page);
      ferry_window_update_actions (self);
      return;
    }

  ferry_window_toast (self, _("Fixed; checking again"));
  /* A fix can change the target's tables: read everything again. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.connect", NULL);
}

static void
apply_fix_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(GTask) task = NULL;
  FixData *data;

  if (self->coordinator == NULL || ferry_coordinator_get_validator (self->coordinator) == NULL)
    return;

  data = g_new0 (FixData, 1);
  data->validator = g_object_ref (ferry_coordinator_get_validator (self->coordinator));
  data->fix_id = g_variant_dup_string (parameter, NULL);

  self->busy = TRUE;
  ferry_readiness_page_set_busy (self->readiness_page, TRUE, _("Applying the fix on the target…"));
  ferry_window_update_actions (self);

  task = g_task_new (self, self->cancellable, fix_done, NULL);
  g_task_set_source_tag (task, apply_fix_action);
  g_task_set_task_data (task, data, (GDestroyNotify)fix_data_free);
  g_task_run_in_thread (task, fix_thread);
}

typedef struct {
  FerryWindow  *window;
  FerryControl  control;
  gboolean      force;
} ControlData;

static void confirm_start (FerryWindow *self);

static void
control_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ControlData *data = user_data;
  FerryWindow *self = data->window;
  g_autoptr(GError) error = NULL;

  if (!ferry_figure_source_control_finish (FERRY_FIGURE_SOURCE (object), result, &error) &&
      FERRY_FIGURE_SOURCE (object) == self->source)
    {
      /* A service checks readiness before a start: when it refuses,
       * ask, as for a local run whose checks failed. */
      if (data->control == FERRY_CONTROL_START && !data->force && self->remote != NULL &&
          g_error_matches (error, FERRY_ERROR, FERRY_ERROR_STATE) &&
          ferry_figure_source_get_state (self->source) == FERRY_STATE_READY)
        {
          ferry_window_remote_reload_readiness (self);
          confirm_start (self);
        }
      else
        ferry_window_toast (self, error->message);
    }
  ferry_window_update_actions (self);
  g_object_unref (data->window);
  g_free (data);
}

static void
send_control (FerryWindow  *self,
              FerryControl  control,
              gboolean      force)
{
  ControlData *data;

  if (self->source == NULL)
    return;

  data = g_new0 (ControlData, 1);
  data->window = g_object_ref (self);
  data->control = control;
  data->force = force;
  ferry_figure_source_control_async (self->source, control, force, self->cancellable, control_done, data);
}

static void
on_start_anyway (AdwMessageDialog *dialog,
                 const char       *response,
                 FerryWindow      *self)
{
  if (g_str_equal (response, "start"))
    send_control (self, FERRY_CONTROL_START, TRUE);
}

static void
confirm_start (FerryWindow *self)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Start Despite Failed Checks?"),
                                   _("Some readiness checks failed. The migration may fail on them, "
                                     "or leave the target incomplete."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "start", _("_Start Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "start", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_start_anyway), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* TRUE when the last readiness checks failed: a start then asks first.
 * A resumed migration has its own rows on the target already. */
static gboolean
checks_failed (FerryWindow *self)
{
  FerryValidator *validator;

  if (ferry_figure_source_get_state (self->source) == FERRY_STATE_STOPPED ||
      ferry_figure_source_get_resuming (self->source))
    return FALSE;
  if (self->remote != NULL)
    return ferry_window_remote_checks_failed (self);

  validator = ferry_coordinator_get_validator (self->coordinator);
  return validator != NULL && !ferry_validator_is_ready (validator);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  if (self->source == NULL)
    return;

  /* Start is offered only when nothing fails, or on purpose. */
  if (checks_failed (self))
    confirm_start (self);
  else
    send_control (self, FERRY_CONTROL_START, FALSE);
}

static void
control_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  if (g_str_equal (action_name, "win.pause"))
    send_control (self, FERRY_CONTROL_PAUSE, FALSE);
  else if (g_str_equal (action_name, "win.resume"))
    send_control (self, FERRY_CONTROL_RESUME, FALSE);
  else if (g_str_equal (action_name, "win.stop"))
    send_control (self, FERRY_CONTROL_STOP, FALSE);
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryPreferencesWindow *prefs = ferry_preferences_window_new (GTK_WINDOW (self), self->config);

  gtk_window_present (GTK_WINDOW (prefs));
}

static void
find_table_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  ferry_window_show_page (self, "plan");
  ferry_plan_page_focus_search (self->plan_page);
}

/* Configuration files */

gboolean
ferry_window_open_config (FerryWindow *self,
                          GFile       *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(FerryConfig) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (FERRY_IS_WINDOW (self), FALSE);

  loaded = ferry_config_new_from_file (path, &error);
  if (loaded == NULL)
    {
      ferry_window_toast (self, error->message);
      return FALSE;
    }

  if (self->settings_bound)
    bind_settings (self, FALSE);
  g_set_object (&self->config, loaded);

  ferry_connections_page_set_conninfo (self->connections_page,
                                       ferry_config_get_source (loaded),
                                       ferry_config_get_target (loaded));
  g_settings_set_string (self->settings, "last-config", path);

  /* A configuration that names both servers goes straight to the checks. */
  if (*ferry_config_get_source (loaded) != '\0' && *ferry_config_get_target (loaded) != '\0')
    gtk_widget_activate_action (GTK_WIDGET (self), "win.connect", NULL);

  return TRUE;
}

static void
on_open_config_response (GtkNativeDialog *dialog,
                         int              response,
                         FerryWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      ferry_window_open_config (self, file);
    }
}

static void
on_save_config_response (GtkNativeDialog *dialog,
                         int              response,
                         FerryWindow     *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = g_file_get_path (file);
  if (!ferry_config_save (self->config, path, &error))
    ferry_window_toast (self, error->message);
  else
    ferry_window_toast (self, _("Configuration saved (passwords are never written)"));
}

static void
file_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  gboolean open = g_str_equal (action_name, "win.open-config");
  GtkFileFilter *filter = gtk_file_filter_new ();

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (open ? _("Open Configuration") : _("Save Configuration"),
                                               GTK_WINDOW (self),
                                               open ? GTK_FILE_CHOOSER_ACTION_OPEN : GTK_FILE_CHOOSER_ACTION_SAVE,
                                               NULL, NULL);
  gtk_file_filter_set_name (filter, _("YAML files"));
  gtk_file_filter_add_pattern (filter, "*.yaml");
  gtk_file_filter_add_pattern (filter, "*.yml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);

  if (!open)
    {
      /* What the connections page says is what gets saved. */
      g_autofree char *source = ferry_connections_page_get_source (self->connections_page);
      g_autofree char *target = ferry_connections_page_get_target (self->connections_page);

      if (ferry_config_check_conninfo (source, NULL))
        ferry_config_set_source (self->config, source);
      if (ferry_config_check_conninfo (target, NULL))
        ferry_config_set_target (self->config, target);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "migration.yaml");
    }

  g_signal_connect (self->chooser, "response",
                    open ? G_CALLBACK (on_open_config_response) : G_CALLBACK (on_save_config_response),
                    self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Closing during a run */

static void
on_close_response (AdwMessageDialog *dialog,
                   const char       *response,
                   FerryWindow      *self)
{
  g_autoptr(GError) error = NULL;
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (g_str_equal (response, "background"))
    {
      /* The application stays alive for the migration; the window comes
       * back when it needs the user, and goes when it is done. */
      self->in_background = TRUE;
      g_application_hold (app);
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  if (g_str_equal (response, "pause"))
    {
      if (ferry_coordinator_get_state (self->coordinator) == FERRY_STATE_RUNNING &&
          !ferry_coordinator_pause (self->coordinator, &error))
        ferry_window_toast (self, error->message);
      self->close_after_rest = TRUE;
    }
  else if (g_str_equal (response, "stop"))
    {
      if (!ferry_coordinator_stop (self->coordinator, &error))
        ferry_window_toast (self, error->message);
      self->close_after_rest = TRUE;
    }
}

static void
on_rest_close (FerryWindow *self,
               FerryState   old_state,
               FerryState   new_state)
{
  if (self->close_after_rest && new_state != FERRY_STATE_RUNNING && new_state != FERRY_STATE_INITIALIZING)
    {
      self->closing = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

static gboolean
ferry_window_close_request (GtkWindow *window)
{
  FerryWindow *self = FERRY_WINDOW (window);
  FerryState state;
  GtkWidget *dialog;

  /* Attached: closing only detaches; the migration goes on in the service. */
  if (self->closing || self->coordinator == NULL || self->remote != NULL)
    goto close;

  state = ferry_coordinator_get_state (self->coordinator);
  if (state != FERRY_STATE_RUNNING && state != FERRY_STATE_PAUSED)
    goto close;

  dialog = adw_message_dialog_new (window, _("The Migration Is Running"),
                                   _("It can keep running in the background, pause (running chunks finish), "
                                     "or stop (running chunks roll back). Either way, it can be resumed later "
                                     "from the target’s journal."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "stop", _("_Stop"),
                                    "pause", _("_Pause"),
                                    "background", _("Keep Running in _Background"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "background", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "background");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;

close:
  g_settings_set_int (self->settings, "window-width", gtk_widget_get_width (GTK_WIDGET (window)));
  g_settings_set_int (self->settings, "window-height", gtk_widget_get_height (GTK_WIDGET (window)));
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (ferry_window_parent_class)->close_request (window);
}

/* GObject */

static void
ferry_window_dispose (GObject *object)
{
  FerryWindow *self = (FerryWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->settings_bound)
    bind_settings (self, FALSE);
  ferry_window_remote_dispose (self);
  set_coordinator (self, NULL);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  for (guint i = 0; i < G_N_ELEMENTS (self->control_tooltips); i++)
    g_clear_pointer (&self->control_tooltips[i], g_free);

  G_OBJECT_CLASS (ferry_window_parent_class)->dispose (object);
}

static void
ferry_window_finalize (GObject *object)
{
  FerryWindow *self = (FerryWindow *)object;

  g_clear_object (&self->config);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_window_parent_class)->finalize (object);
}

static void
ferry_window_class_init (FerryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ferry_window_dispose;
  object_class->finalize = ferry_window_finalize;
  window_class->close_request = ferry_window_close_request;

  ferry_gui_init ();
  g_type_ensure (FERRY_TYPE_CONNECTIONS_PAGE);
  g_type_ensure (FERRY_TYPE_READINESS_PAGE);
  g_type_ensure (FERRY_TYPE_PLAN_PAGE);
  g_type_ensure (FERRY_TYPE_DASHBOARD_PAGE);
  g_type_ensure (FERRY_TYPE_REPORT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ferrydb/Ferry/ferry-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, service_box);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, service_label);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, resume_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, resume_label);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, reconnect_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, reconnect_label);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, connections_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, connections_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, attached_status);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, readiness_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, readiness_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, server_readiness_status);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, server_checks_group);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, server_readiness_summary);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, plan_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, dashboard_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, report_page);

  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "win.rerun-checks", NULL, rerun_checks_action);
  gtk_widget_class_install_action (widget_class, "win.apply-fix", "s", apply_fix_action);
  gtk_widget_class_install_action (widget_class, "win.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, control_action);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, control_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, control_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.open-config", NULL, file_action);
  gtk_widget_class_install_action (widget_class, "win.save-config", NULL, file_action);
  gtk_widget_class_install_action (widget_class, "win.find-table", NULL, find_table_action);
  gtk_widget_class_install_action (widget_class, "win.open-report", "s", ferry_window_open_report_action);
  gtk_widget_class_install_action (widget_class, "win.export-report", "s", ferry_window_export_report_action);
  ferry_window_remote_class_init (widget_class);
}

static void
ferry_window_init (FerryWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = ferry_settings_new ();
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->failed_tables);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_swapped (self->view_stack, "notify::visible-child", G_CALLBACK (ferry_window_update_actions), self);

  self->control_tooltips[0] = g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (self->start_button)));
  self->control_tooltips[1] = g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (self->pause_button)));
  self->control_tooltips[2] = g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (self->resume_button)));
  self->control_tooltips[3] = g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (self->stop_button)));
  ferry_window_remote_init (self);
}

/**
 * ferry_window_new:
 * @config: (nullable): the migration's configuration; %NULL for a new
 *   one with the preferences as defaults
 */
FerryWindow *
ferry_window_new (FerryApplication *application,
                  FerryConfig      *config)
{
  FerryWindow *self = g_object_new (FERRY_TYPE_WINDOW, "application", application, NULL);

  if (config != NULL)
    {
      self->config = g_object_ref (config);
      ferry_connections_page_set_conninfo (self->connections_page,
                                           ferry_config_get_source (config),
                                           ferry_config_get_target (config));
    }
  else
    {
      self->config = ferry_config_new ();
      bind_settings (self, TRUE);
    }

  ferry_window_update_actions (self);
  return self;
}

void
ferry_window_set_autostart (FerryWindow *self,
                            gboolean     autostart)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));
  self->autostart = autostart;
}

FerryConfig *
ferry_window_get_config (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return self->config;
}

FerryCoordinator *
ferry_window_get_coordinator (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return self->coordinator;
}
