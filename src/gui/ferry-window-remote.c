/* ferry-window-remote.c — the window attached to a service
 *
 * Attached, the window shows a migration that runs in `ferry-cli serve`
 * through a FerryRemote, the FerryFigureSource the pages read as they
 * read a local run: the dashboard, the chart, the plan's graph, the
 * header's state and controls (for a control token), the error dialog
 * and the reports. The header's subtitle names the service; the
 * Connections page says where the window is attached; the Readiness page
 * shows the checks as the service ran them (GET readiness). When the
 * event stream drops, a bar says that the window reconnects (FerryRemote
 * does) while the migration goes on there.
 *
 * Detaching, or closing the window, only lets go of the service: the
 * migration is never stopped from here but by Stop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-window"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "ferry-attach-dialog.h"
#include "ferry-check.h"
#include "ferry-enum-types.h"
#include "ferry-error.h"
#include "ferry-window-private.h"

/* --- readiness, as the service checked it ----------------------------- */

static void
clear_server_checks (FerryWindow *self)
{
  for (guint i = 0; i < self->server_check_rows->len; i++)
    adw_preferences_group_remove (self->server_checks_group, g_ptr_array_index (self->server_check_rows, i));
  g_ptr_array_set_size (self->server_check_rows, 0);
}

static const char *
member_string (JsonObject *o,
               const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static GtkWidget *
check_row (JsonObject *check)
{
  const char *status = member_string (check, "status");
  const char *summary = member_string (check, "summary");
  const char *explanation = member_string (check, "explanation");
  const char *fix = member_string (check, "fix");
  JsonArray *items = json_object_has_member (check, "items") &&
                     JSON_NODE_HOLDS_ARRAY (json_object_get_member (check, "items"))
                       ? json_object_get_array_member (check, "items") : NULL;
  g_autoptr(GString) more = g_string_new (NULL);
  GtkWidget *row;
  GtkWidget *icon;
  g_autofree char *title = g_markup_escape_text (member_string (check, "title") ? member_string (check, "title") : "", -1);
  g_autofree char *subtitle = g_markup_escape_text (summary ? summary : "", -1);
  const char *icon_name = "emblem-ok-symbolic";
  const char *css = "success";
  int value = FERRY_CHECK_STATUS_PASS;

  if (status != NULL)
    ferry_enum_from_nick (FERRY_TYPE_CHECK_STATUS, status, &value);
  switch (value)
    {
    case FERRY_CHECK_STATUS_WARNING:
      icon_name = "dialog-warning-symbolic";
      css = "warning";
      break;
    case FERRY_CHECK_STATUS_FAIL:
      icon_name = "dialog-error-symbolic";
      css = "error";
      break;
    case FERRY_CHECK_STATUS_SKIPPED:
      icon_name = "action-unavailable-symbolic";
      css = "dim-label";
      break;
    default:
      break;
    }

  if (explanation != NULL && *explanation != '\0')
    g_string_append (more, explanation);
  if (fix != NULL && *fix != '\0')
    g_string_append_printf (more, "%s%s %s", more->len ? "\n\n" : "", _("Fix:"), fix);
  for (guint i = 0; items != NULL && i < json_array_get_length (items) && i < 20; i++)
    g_string_append_printf (more, "%s• %s", more->len ? "\n" : "", json_array_get_string_element (items, i));

  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_add_css_class (icon, css);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ferry_check_status_to_string (value), -1);

  if (more->len == 0)
    {
      row = adw_action_row_new ();
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  else
    {
      GtkWidget *label = gtk_label_new (more->str);

      row = adw_expander_row_new ();
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), label);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

static void
show_server_readiness (FerryWindow *self,
                       JsonNode    *node)
{
  JsonObject *root = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonArray *checks = root != NULL && json_object_has_member (root, "checks") &&
                      JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "checks"))
                        ? json_object_get_array_member (root, "checks") : NULL;
  JsonObject *counts = root != NULL && json_object_has_member (root, "counts") &&
                       JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "counts"))
                         ? json_object_get_object_member (root, "counts") : NULL;
  gboolean ready = root != NULL && json_object_get_boolean_member_with_default (root, "ready", FALSE);
  g_autofree char *summary = NULL;

  clear_server_checks (self);
  g_clear_pointer (&self->server_readiness, json_node_unref);
  self->server_readiness = json_node_ref (node);

  /* Failed checks first, then warnings, then the rest, each in order. */
  for (int pass = 0; pass < 3 && checks != NULL; pass++)
    for (guint i = 0; i < json_array_get_length (checks); i++)
      {
        JsonObject *check = json_array_get_object_element (checks, i);
        const char *status = member_string (check, "status");
        int rank = g_strcmp0 (status, "fail") == 0 ? 0 : g_strcmp0 (status, "warning") == 0 ? 1 : 2;
        GtkWidget *row;

        if (rank != pass)
          continue;
        row = check_row (check);
        adw_preferences_group_add (self->server_checks_group, row);
        g_ptr_array_add (self->server_check_rows, row);
      }

  summary = g_strdup_printf (_("%s The service ran these checks against its own connections: %" PRId64
                               " passed, %" PRId64 " warnings, %" PRId64 " failed, %"
                               PRId64 " skipped."),
                             ready ? _("Ready to start.") : _("Not ready: some checks failed."),
                             counts ? json_object_get_int_member_with_default (counts, "pass", 0) : 0,
                             counts ? json_object_get_int_member_with_default (counts, "warning", 0) : 0,
                             counts ? json_object_get_int_member_with_default (counts, "fail", 0) : 0,
                             counts ? json_object_get_int_member_with_default (counts, "skipped", 0) : 0);
  gtk_label_set_text (self->server_readiness_summary, summary);
  gtk_stack_set_visible_child_name (self->readiness_stack, "server-checks");
}

static void
readiness_fetched (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ferry_remote_get_finish (FERRY_REMOTE (object), result, &error);

  if (FERRY_REMOTE (object) != self->remote)
    return;

  if (node != NULL)
    {
      show_server_readiness (self, node);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* 409: the migration started without them; they are the service's. */
  adw_status_page_set_description (self->server_readiness_status,
                                   g_error_matches (error, FERRY_ERROR, FERRY_ERROR_STATE)
                                     ? _("The readiness checks did not run on the service before this migration "
                                         "started. They run there, against its own connections, before a start.")
                                     : error->message);
  gtk_stack_set_visible_child_name (self->readiness_stack, "server-status");
}

void
ferry_window_remote_reload_readiness (FerryWindow *self)
{
  if (self->remote == NULL)
    return;
  if (self->server_readiness == NULL)
    {
      adw_status_page_set_description (self->server_readiness_status,
                                       _("Reading the readiness checks from the service…"));
      gtk_stack_set_visible_child_name (self->readiness_stack, "server-status");
    }
  ferry_remote_get_async (self->remote, "readiness", self->cancellable, readiness_fetched, g_object_ref (self));
}

gboolean
ferry_window_remote_checks_failed (FerryWindow *self)
{
  return self->server_readiness != NULL && JSON_NODE_HOLDS_OBJECT (self->server_readiness) &&
         !json_object_get_boolean_member_with_default (json_node_get_object (self->server_readiness), "ready", TRUE);
}

/* --- failed tables waiting when the window attached ------------------------ */

static FerryTable *
find_table (FerryTableList *tables,
            const char     *name)
{
  for (guint i = 0; name != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (tables)); i++)
    {
      FerryTable *table = ferry_table_list_get_table (tables, i);

      if (g_strcmp0 (ferry_table_get_display_name (table), name) == 0)
        return table;
    }
  return NULL;
}

static void
errors_fetched (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ferry_remote_get_finish (FERRY_REMOTE (object), result, &error);
  JsonObject *root;
  JsonArray *failed;
  const char *last_error;

  if (node == NULL || FERRY_REMOTE (object) != self->remote || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  root = json_node_get_object (node);
  failed = json_object_has_member (root, "failed_tables") &&
           JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "failed_tables"))
             ? json_object_get_array_member (root, "failed_tables") : NULL;
  for (guint i = 0; failed != NULL && i < json_array_get_length (failed); i++)
    {
      JsonObject *f = json_array_get_object_element (failed, i);
      FerryTable *table = find_table (ferry_remote_get_tables (self->remote), member_string (f, "table"));
      g_autoptr(GError) table_error = NULL;
      int error_class = FERRY_ERROR_CLASS_DATA;

      if (table == NULL || ferry_table_get_status (table) != FERRY_TABLE_STATUS_FAILED)
        continue;
      if (member_string (f, "class") != NULL)
        ferry_enum_from_nick (FERRY_TYPE_ERROR_CLASS, member_string (f, "class"), &error_class);
      table_error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_QUERY,
                                         member_string (f, "message") ? member_string (f, "message") : "");
      ferry_error_set_pg_fields (table_error, member_string (f, "sqlstate"), member_string (f, "detail"),
                                 member_string (f, "hint"), NULL);
      ferry_window_queue_failed_table (self, table, table_error, error_class);
    }

  /* Waiting for a decision on an escalation. */
  last_error = member_string (root, "last_error");
  if (ferry_remote_get_state (self->remote) == FERRY_STATE_ERROR && last_error != NULL)
    {
      g_autoptr(GError) escalation = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_FAILED, last_error);
      ferry_window_present_escalation (self, escalation);
    }
}

/* --- the connection ------------------------------------------------------- */

static void
on_connected_changed (FerryWindow *self)
{
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;

  if (self->remote == NULL)
    return;

  url = ferry_remote_dup_service_url (self->remote);
  text = g_strdup_printf (_("Reconnecting to %s… The migration goes on there; what it does meanwhile shows "
                            "once the connection is back."), url);
  gtk_label_set_text (self->reconnect_label, text);
  gtk_info_bar_set_revealed (self->reconnect_bar, !ferry_remote_get_connected (self->remote));
  ferry_window_update_actions (self);
}

static void
on_remote_state_changed (FerryWindow *self,
                         FerryState   old_state,
                         FerryState   new_state)
{
  /* The checks' results change only before the start. */
  if (new_state == FERRY_STATE_READY)
    ferry_window_remote_reload_readiness (self);
}

/**
 * ferry_window_attach:
 * @remote: connected (ferry_remote_connect_async() succeeded)
 *
 * Shows the service's migration in this window, which must be empty
 * (ferry_window_is_empty()).
 */
void
ferry_window_attach (FerryWindow *self,
                     FerryRemote *remote)
{
  g_autofree char *url = NULL;
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *description = NULL;
  FerryState state;

  g_return_if_fail (FERRY_IS_WINDOW (self));
  g_return_if_fail (FERRY_IS_REMOTE (remote));
  g_return_if_fail (ferry_window_is_empty (self));

  self->remote = g_object_ref (remote);
  g_signal_connect_object (remote, "notify::connected", G_CALLBACK (on_connected_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (remote, "state-changed", G_CALLBACK (on_remote_state_changed), self, G_CONNECT_SWAPPED);

  url = ferry_remote_dup_service_url (remote);
  adw_view_switcher_title_set_subtitle (self->switcher_title, url);
  title = g_strdup_printf (_("Ferry — %s"), url);
  gtk_window_set_title (GTK_WINDOW (self), title);
  {
    g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
    g_autofree char *where = uri != NULL && g_uri_get_port (uri) > 0
                               ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
                               : g_strdup (uri != NULL ? g_uri_get_host (uri) : url);
    g_autofree char *tooltip = NULL;

    if (ferry_remote_get_can_control (remote))
      tooltip = g_strdup_printf (_("Attached to %s with the control token “%s”"), url,
                                 ferry_remote_get_token_name (remote) ? ferry_remote_get_token_name (remote) : "");
    else
      tooltip = g_strdup_printf (_("Attached to %s with the read-only token “%s”: it watches only"), url,
                                 ferry_remote_get_token_name (remote) ? ferry_remote_get_token_name (remote) : "");
    gtk_label_set_text (self->service_label, where);
    gtk_widget_set_tooltip_text (self->service_box, tooltip);
    gtk_widget_set_visible (self->service_box, TRUE);
  }

  escaped = g_markup_escape_text (url, -1);
  if (ferry_remote_get_can_control (remote))
    description = g_strdup_printf (_("This window shows the migration that runs in the service at <b>%s</b>, "
                                     "and steers it with a control token. The service holds the connections; "
                                     "detaching or closing the window leaves the migration running there."),
                                   escaped);
  else
    description = g_strdup_printf (_("This window shows the migration that runs in the service at <b>%s</b>. "
                                     "Its token is read-only: it watches, it cannot start, pause, resume or "
                                     "stop. Detaching or closing the window leaves the migration running "
                                     "there."), escaped);
  adw_status_page_set_description (self->attached_status, description);
  gtk_stack_set_visible_child_name (self->connections_stack, "attached");

  ferry_window_set_source (self, FERRY_FIGURE_SOURCE (remote));
  on_connected_changed (self);
  ferry_window_remote_reload_readiness (self);
  ferry_remote_get_async (remote, "errors", self->cancellable, errors_fetched, g_object_ref (self));

  state = ferry_remote_get_state (remote);
  if (state == FERRY_STATE_COMPLETED)
    ferry_window_show_page (self, "report");
  else if (state == FERRY_STATE_READY || state == FERRY_STATE_INITIALIZING)
    ferry_window_show_page (self, "plan");
  else
    ferry_window_show_page (self, "migration");
}

/* Lets go of the service: nothing is sent to it. */
void
ferry_window_detach (FerryWindow *self)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));

  if (self->remote == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->remote, self);
  ferry_remote_disconnect (self->remote);
  ferry_window_set_source (self, NULL);
  g_clear_object (&self->remote);
  g_clear_pointer (&self->server_readiness, json_node_unref);
  clear_server_checks (self);

  gtk_info_bar_set_revealed (self->reconnect_bar, FALSE);
  gtk_widget_set_visible (self->service_box, FALSE);
  adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
  gtk_window_set_title (GTK_WINDOW (self), _("Ferry"));
  gtk_stack_set_visible_child_name (self->connections_stack, "local");
  gtk_stack_set_visible_child_name (self->readiness_stack, "local");
  ferry_window_show_page (self, "connections");
  ferry_window_update_actions (self);
}

FerryRemote *
ferry_window_get_remote (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return self->remote;
}

gboolean
ferry_window_is_empty (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), FALSE);
  return self->remote == NULL && self->coordinator == NULL && !self->busy;
}

/* --- actions ----------------------------------------------------------------- */

/* This window when it is empty, a new one otherwise. */
static void
on_attached (FerryAttachDialog *dialog,
             FerryRemote       *remote,
             FerryWindow       *self)
{
  FerryWindow *window = self;

  if (!ferry_window_is_empty (self))
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

      window = ferry_window_new (app != NULL ? FERRY_APPLICATION (app) : NULL, NULL);
      gtk_window_present (GTK_WINDOW (window));
    }
  ferry_window_attach (window, remote);
}

static void
attach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryAttachDialog *dialog = ferry_attach_dialog_new (GTK_WINDOW (self));

  g_signal_connect_object (dialog, "attached", G_CALLBACK (on_attached), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
detach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ferry_window_detach (FERRY_WINDOW (widget));
}

void
ferry_window_remote_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.attach", NULL, attach_action);
  gtk_widget_class_install_action (widget_class, "win.detach", NULL, detach_action);
}

void
ferry_window_remote_init (FerryWindow *self)
{
  self->server_check_rows = g_ptr_array_new ();
}

void
ferry_window_remote_dispose (FerryWindow *self)
{
  if (self->remote != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->remote, self);
      ferry_remote_disconnect (self->remote);
      ferry_window_set_source (self, NULL);
      g_clear_object (&self->remote);
    }
  g_clear_pointer (&self->server_readiness, json_node_unref);
  g_clear_pointer (&self->server_check_rows, g_ptr_array_unref);
}
