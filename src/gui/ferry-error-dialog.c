/* ferry-error-dialog.c
 *
 * When a table fails with a data error, or the run escalates, this
 * dialog shows what the server said — table, chunk, class, SQLSTATE,
 * message, detail, hint — and offers the resolutions the core supports.
 * The choice goes to the migration's FerryFigureSource: to
 * ferry_coordinator_handle_error() for a local run, to the service's
 * resolve endpoint for one attached to; either records it in the
 * journal's audit trail. With a read-only token the dialog shows the
 * error with the resolutions disabled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-error-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-enum-types.h"
#include "ferry-error-dialog.h"
#include "ferry-error.h"

struct _FerryErrorDialog
{
  AdwWindow          parent_instance;

  GtkLabel          *heading;
  GtkLabel          *explanation;
  GtkListBox        *details;
  GtkLabel          *apply_error;
  GtkButton         *abort_button;
  GtkButton         *skip_button;
  GtkButton         *truncate_button;
  GtkButton         *retry_button;

  FerryFigureSource *source;
  FerryTable        *table;
  gboolean           closed;
};

G_DEFINE_FINAL_TYPE (FerryErrorDialog, ferry_error_dialog, ADW_TYPE_WINDOW)

static void
add_detail (FerryErrorDialog *self,
            const char       *title,
            const char       *value)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  {
    g_autofree char *escaped = g_markup_escape_text (value, -1);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  }
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  gtk_list_box_append (self->details, row);
}

static void
set_buttons_sensitive (FerryErrorDialog *self,
                       gboolean          sensitive)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->abort_button), sensitive);
  gtk_widget_set_sensitive (GTK_WIDGET (self->skip_button), sensitive);
  gtk_widget_set_sensitive (GTK_WIDGET (self->truncate_button), sensitive);
  gtk_widget_set_sensitive (GTK_WIDGET (self->retry_button), sensitive);
}

static void
show_apply_error (FerryErrorDialog *self,
                  const GError     *error)
{
  gtk_label_set_text (self->apply_error, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->apply_error), TRUE);
}

/* The answer: the dialog goes, or says why not. */
static void
applied (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(FerryErrorDialog) self = user_data;
  FerryFigureSource *source = FERRY_FIGURE_SOURCE (object);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->table == NULL)
    ok = ferry_figure_source_control_finish (source, result, &error);
  else
    ok = ferry_figure_source_resolve_finish (source, result, &error);

  if (self->closed)
    return;
  if (!ok)
    {
      show_apply_error (self, error);
      set_buttons_sensitive (self, TRUE);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

/**
 * ferry_error_dialog_apply:
 *
 * Sends @resolution to the migration; the dialog closes once it is
 * accepted, or shows why not. A local run takes it at once.
 *
 * Returns: %FALSE when it cannot be sent (a read-only token)
 */
gboolean
ferry_error_dialog_apply (FerryErrorDialog  *self,
                          FerryResolution    resolution,
                          GError           **error)
{
  g_return_val_if_fail (FERRY_IS_ERROR_DIALOG (self), FALSE);

  if (!ferry_figure_source_get_can_control (self->source))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_STATE,
                           _("This token may only watch the migration: resolve it with a control token"));
      return FALSE;
    }

  set_buttons_sensitive (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->apply_error), FALSE);
  if (self->table == NULL)
    /* An escalation: resume, or stop (abort). */
    ferry_figure_source_control_async (self->source,
                                       resolution == FERRY_RESOLUTION_ABORT ? FERRY_CONTROL_STOP : FERRY_CONTROL_RESUME,
                                       FALSE, NULL, applied, g_object_ref (self));
  else
    ferry_figure_source_resolve_async (self->source, self->table, resolution, NULL, applied, g_object_ref (self));
  return TRUE;
}

static void
respond (FerryErrorDialog *self,
         FerryResolution   resolution)
{
  g_autoptr(GError) error = NULL;

  if (!ferry_error_dialog_apply (self, resolution, &error))
    show_apply_error (self, error);
}

static void on_retry (FerryErrorDialog *self) { respond (self, FERRY_RESOLUTION_RETRY); }
static void on_skip (FerryErrorDialog *self) { respond (self, FERRY_RESOLUTION_SKIP); }
static void on_truncate (FerryErrorDialog *self) { respond (self, FERRY_RESOLUTION_TRUNCATE_RETRY); }
static void on_abort (FerryErrorDialog *self) { respond (self, FERRY_RESOLUTION_ABORT); }

static void
ferry_error_dialog_dispose (GObject *object)
{
  FerryErrorDialog *self = (FerryErrorDialog *)object;

  self->closed = TRUE;
  g_clear_object (&self->source);
  g_clear_object (&self->table);

  G_OBJECT_CLASS (ferry_error_dialog_parent_class)->dispose (object);
}

static void
ferry_error_dialog_class_init (FerryErrorDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_error_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ferrydb/Ferry/ferry-error-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryErrorDialog, heading);
  gtk_widget_class_bind_template_child (widget_class, FerryErrorDialog, explanation);
  gtk_widget_class_bind_template_child (widget_class, FerryErrorDialog, details);
  gtk_widget_class_bind_template_child (widget_class, FerryErrorDialog, apply_error);
  gtk_widget_class_bind_template_child (widget_class, FerryErrorDialog, abort_button);
  gtk_widget_class_bind_template_child (widget_class, FerryErrorDialog, skip_button);
  gtk_widget_class_bind_template_child (widget_class, FerryErrorDialog, truncate_button);
  gtk_widget_class_bind_template_child (widget_class, FerryErrorDialog, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, on_retry);
  gtk_widget_class_bind_template_callback (widget_class, on_skip);
  gtk_widget_class_bind_template_callback (widget_class, on_truncate);
  gtk_widget_class_bind_template_callback (widget_class, on_abort);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ferry_error_dialog_init (FerryErrorDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static const char *
class_explanation (FerryErrorClass error_class)
{
  switch (error_class)
    {
    case FERRY_ERROR_CLASS_DATA:
      return _("The target rejected rows of this table. The other tables go on; what was already copied stays. "
               "Fix the cause (often a constraint or a type that differs on the target), then retry — or skip "
               "the table, or empty it on the target and copy it again.");
    case FERRY_ERROR_CLASS_DEPENDENCY:
      return _("Rows of this table reference rows that are not on the target, although the tables they "
               "reference are complete.");
    case FERRY_ERROR_CLASS_TEMPORARY:
      return _("The server kept failing after every retry. Check that it is up, then retry.");
    case FERRY_ERROR_CLASS_PERFORMANCE:
      return _("A chunk of this table ran over the time limit even after being split.");
    case FERRY_ERROR_CLASS_CRITICAL:
    default:
      return _("Ferry cannot go on without your decision.");
    }
}

/* A read-only token sees the error, not the buttons' effect. */
static void
check_control (FerryErrorDialog *self)
{
  if (ferry_figure_source_get_can_control (self->source))
    return;

  set_buttons_sensitive (self, FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->retry_button), NULL);
  gtk_label_set_text (self->apply_error,
                      _("This token may only watch the migration: resolve it with a control token."));
  gtk_widget_set_visible (GTK_WIDGET (self->apply_error), TRUE);
}

FerryErrorDialog *
ferry_error_dialog_new_for_table (GtkWindow         *parent,
                                  FerryFigureSource *source,
                                  FerryTable        *table,
                                  const GError      *error,
                                  FerryErrorClass    error_class)
{
  FerryErrorDialog *self;
  g_autofree char *heading = NULL;
  g_autofree char *chunk = NULL;
  guint chunk_number;

  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (source), NULL);
  g_return_val_if_fail (FERRY_IS_TABLE (table), NULL);

  self = g_object_new (FERRY_TYPE_ERROR_DIALOG, "transient-for", parent, NULL);
  self->source = g_object_ref (source);
  self->table = g_object_ref (table);

  heading = g_strdup_printf (_("%s Failed"), ferry_table_get_display_name (table));
  gtk_label_set_text (self->heading, heading);
  gtk_label_set_text (self->explanation, class_explanation (error_class));

  if ((chunk_number = ferry_figure_source_get_failed_chunk (source, table)) > 0)
    chunk = g_strdup_printf ("%u", chunk_number);

  add_detail (self, _("Table"), ferry_table_get_display_name (table));
  add_detail (self, _("Chunk"), chunk);
  add_detail (self, _("Class"), ferry_error_class_to_string (error_class));
  add_detail (self, _("SQLSTATE"), ferry_error_get_sqlstate (error));
  add_detail (self, _("Message"), error->message);
  add_detail (self, _("Detail"), ferry_error_get_detail (error));
  add_detail (self, _("Hint"), ferry_error_get_hint (error));
  add_detail (self, _("Context"), ferry_error_get_context (error));

  check_control (self);
  return self;
}

FerryErrorDialog *
ferry_error_dialog_new_for_escalation (GtkWindow         *parent,
                                       FerryFigureSource *source,
                                       const GError      *error)
{
  FerryErrorDialog *self;

  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (source), NULL);

  self = g_object_new (FERRY_TYPE_ERROR_DIALOG, "transient-for", parent, NULL);
  self->source = g_object_ref (source);

  gtk_label_set_text (self->heading, _("The Migration Needs You"));
  gtk_label_set_text (self->explanation,
                      _("Nothing new starts until you decide. Fix the cause and resume, or stop the migration "
                        "(it can be resumed later from the journal). Failed tables can be resolved one by one "
                        "on the Migration page."));
  add_detail (self, _("Message"), error->message);
  add_detail (self, _("SQLSTATE"), ferry_error_get_sqlstate (error));
  add_detail (self, _("Detail"), ferry_error_get_detail (error));
  add_detail (self, _("Hint"), ferry_error_get_hint (error));

  gtk_widget_set_visible (GTK_WIDGET (self->skip_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->truncate_button), FALSE);
  gtk_button_set_label (self->retry_button, _("_Resume"));
  gtk_button_set_label (self->abort_button, _("_Stop Migration"));

  check_control (self);
  return self;
}

FerryTable *
ferry_error_dialog_get_table (FerryErrorDialog *self)
{
  g_return_val_if_fail (FERRY_IS_ERROR_DIALOG (self), NULL);
  return self->table;
}
