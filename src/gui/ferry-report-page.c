/* ferry-report-page.c
 *
 * The end of the flow: the outcome and its figures, and the reports —
 * opened in the browser (where they print), or exported. The figures
 * come from the migration's FerryFigureSource, local or in a service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-report-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-enum-types.h"
#include "ferry-report-page.h"

struct _FerryReportPage
{
  AdwBin               parent_instance;

  GtkStack            *stack;
  GtkImage            *outcome_icon;
  GtkLabel            *outcome_title;
  GtkLabel            *outcome_description;
  AdwPreferencesGroup *figures_group;
  AdwActionRow        *last_report_row;

  FerryFigureSource   *source;
  GPtrArray           *figure_rows;
  gulong               state_id;
};

G_DEFINE_FINAL_TYPE (FerryReportPage, ferry_report_page, ADW_TYPE_BIN)

static void
add_figure (FerryReportPage *self,
            const char      *title,
            const char      *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (label, "numeric");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (self->figures_group, row);
  g_ptr_array_add (self->figure_rows, row);
}

void
ferry_report_page_refresh (FerryReportPage *self)
{
  FerryFigureSource *source = self->source;
  FerryFigures figures;
  FerryState state;
  FerryTableList *tables;
  g_autoptr(JsonNode) validation = NULL;
  JsonArray *parts = NULL;
  guint mismatches = 0;
  g_autofree char *rows = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *tables_text = NULL;
  g_autofree char *validation_text = NULL;
  g_autofree char *throughput = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *id = NULL;

  g_return_if_fail (FERRY_IS_REPORT_PAGE (self));

  for (guint i = 0; i < self->figure_rows->len; i++)
    adw_preferences_group_remove (self->figures_group, g_ptr_array_index (self->figure_rows, i));
  g_ptr_array_set_size (self->figure_rows, 0);

  if (source == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  state = ferry_figure_source_get_state (source);
  if (state != FERRY_STATE_COMPLETED && state != FERRY_STATE_STOPPED && state != FERRY_STATE_ERROR)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  ferry_figure_source_get_figures (source, &figures);
  tables = ferry_figure_source_get_tables (source);
  /* A service keeps its validation in the completion report. */
  validation = ferry_figure_source_dup_validation (source);
  if (validation != NULL && JSON_NODE_HOLDS_ARRAY (validation))
    parts = json_node_get_array (validation);
  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    if (!json_object_get_boolean_member (json_array_get_object_element (parts, i), "matches"))
      mismatches++;

  gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_icon), "warning");
  if (state == FERRY_STATE_COMPLETED)
    {
      gtk_image_set_from_icon_name (self->outcome_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->outcome_icon), "success");
      gtk_label_set_text (self->outcome_title, _("Migration Completed"));
      gtk_label_set_text (self->outcome_description,
                          parts != NULL && json_array_get_length (parts) > 0
                            ? _("Every table arrived, and both sides agree.")
                            : _("Every table arrived."));
    }
  else
    {
      const char *error = ferry_figure_source_get_last_error (source);

      gtk_image_set_from_icon_name (self->outcome_icon, state == FERRY_STATE_STOPPED ? "media-playback-stop-symbolic"
                                                                                      : "dialog-warning-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->outcome_icon), "warning");
      gtk_label_set_text (self->outcome_title, state == FERRY_STATE_STOPPED ? _("Migration Stopped")
                                                                              : _("Migration Needs Attention"));
      gtk_label_set_text (self->outcome_description, error ? error : _("Start again to resume from the journal."));
    }

  id = g_strdup_printf ("%" G_GINT64_FORMAT, figures.migration_id);
  rows = g_strdup_printf ("%" G_GUINT64_FORMAT, figures.rows_done);
  bytes = ferry_format_bytes (figures.bytes_done);
  tables_text = g_strdup_printf (_("%u completed · %u failed · %u skipped"),
                                 ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_COMPLETED),
                                 ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_FAILED),
                                 ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_SKIPPED));
  if (parts == NULL)
    validation_text = g_strdup (_("in the completion report"));
  else if (json_array_get_length (parts) > 0)
    validation_text = g_strdup_printf (_("%u parts match · %u differ"), json_array_get_length (parts) - mismatches,
                                       mismatches);
  else
    validation_text = g_strdup (_("not validated"));
  rate = ferry_format_bytes ((guint64)figures.average_bytes_per_second);
  throughput = g_strdup_printf (_("%s/s on average"), rate);

  add_figure (self, _("Journal id"), id);
  add_figure (self, _("Tables"), tables_text);
  add_figure (self, _("Rows copied"), rows);
  add_figure (self, _("Data copied"), bytes);
  add_figure (self, _("Throughput"), throughput);
  add_figure (self, _("Validation"), validation_text);

  gtk_stack_set_visible_child_name (self->stack, "report");
}

void
ferry_report_page_set_last_report (FerryReportPage *self,
                                   const char      *path)
{
  g_return_if_fail (FERRY_IS_REPORT_PAGE (self));
  adw_action_row_set_subtitle (self->last_report_row, path ? path : "—");
}

void
ferry_report_page_set_source (FerryReportPage   *self,
                              FerryFigureSource *source)
{
  g_return_if_fail (FERRY_IS_REPORT_PAGE (self));
  g_return_if_fail (source == NULL || FERRY_IS_FIGURE_SOURCE (source));

  if (self->source != NULL)
    g_clear_signal_handler (&self->state_id, self->source);
  g_set_object (&self->source, source);
  if (source != NULL)
    self->state_id = g_signal_connect_swapped (source, "state-changed", G_CALLBACK (ferry_report_page_refresh), self);
  ferry_report_page_refresh (self);
}

static void
ferry_report_page_dispose (GObject *object)
{
  FerryReportPage *self = (FerryReportPage *)object;

  ferry_report_page_set_source (self, NULL);
  g_clear_pointer (&self->figure_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ferry_report_page_parent_class)->dispose (object);
}

static void
ferry_report_page_class_init (FerryReportPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_report_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ferrydb/Ferry/ferry-report-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryReportPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryReportPage, outcome_icon);
  gtk_widget_class_bind_template_child (widget_class, FerryReportPage, outcome_title);
  gtk_widget_class_bind_template_child (widget_class, FerryReportPage, outcome_description);
  gtk_widget_class_bind_template_child (widget_class, FerryReportPage, figures_group);
  gtk_widget_class_bind_template_child (widget_class, FerryReportPage, last_report_row);
}

static void
ferry_report_page_init (FerryReportPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->figure_rows = g_ptr_array_new ();
}
