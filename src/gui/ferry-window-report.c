/* ferry-window-report.c — the window's reports: opened, exported, and
 * the completion report written at the end of every run
 *
 * Reports come from the migration's FerryFigureSource: rendered here
 * for a local run, fetched from the service (GET reports/KIND) for one
 * attached to; either way they are written to a file, then opened,
 * announced or listed on the Report page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ferry-enum-types.h"
#include "ferry-report.h"
#include "ferry-window-private.h"

typedef enum {
  AFTER_OPEN,
  AFTER_SAVE,
  AFTER_AUTO,
} After;

typedef struct {
  FerryWindow *window;
  char        *path;
  After        after;
} RenderData;

static void
render_data_free (RenderData *data)
{
  g_clear_object (&data->window);
  g_free (data->path);
  g_free (data);
}

static void
show_toast (FerryWindow *self,
            const char  *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static FerryReportKind
kind_from_nick (const char *nick)
{
  if (g_strcmp0 (nick, "readiness") == 0)
    return FERRY_REPORT_KIND_READINESS;
  if (g_strcmp0 (nick, "progress") == 0)
    return FERRY_REPORT_KIND_PROGRESS;
  if (g_strcmp0 (nick, "performance") == 0)
    return FERRY_REPORT_KIND_PERFORMANCE;
  return FERRY_REPORT_KIND_COMPLETION;
}

static FerryReportFormat
format_from_nick (const char *nick)
{
  if (g_strcmp0 (nick, "json") == 0)
    return FERRY_REPORT_FORMAT_JSON;
  if (g_strcmp0 (nick, "csv") == 0)
    return FERRY_REPORT_FORMAT_CSV;
  return FERRY_REPORT_FORMAT_HTML;
}

/* reports.directory of the configuration, created when missing. */
static char *
reports_directory (FerryWindow *self)
{
  char *dir = ferry_config_dup_reports_path (self->config);
  g_mkdir_with_parents (dir, 0700);
  return dir;
}

static void
rendered (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  RenderData *data = user_data;
  FerryWindow *self = data->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = ferry_figure_source_report_finish (FERRY_FIGURE_SOURCE (object), result, &error);

  if (bytes == NULL ||
      !g_file_set_contents_full (data->path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      show_toast (self, error->message);
      render_data_free (data);
      return;
    }

  switch (data->after)
    {
    case AFTER_OPEN:
      {
        g_autoptr(GFile) file = g_file_new_for_path (data->path);
        g_autofree char *uri = g_file_get_uri (file);

        /* The browser shows it and prints it (A4, see the report's
         * print stylesheet). */
        gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
      }
      break;

    case AFTER_SAVE:
      {
        g_autofree char *message = g_strdup_printf (_("Report saved to %s"), data->path);
        show_toast (self, message);
      }
      break;

    case AFTER_AUTO:
      ferry_report_page_set_last_report (self->report_page, data->path);
      break;

    default:
      break;
    }

  render_data_free (data);
}

static void
render_to (FerryWindow       *self,
           FerryReportKind    kind,
           FerryReportFormat  format,
           const char        *path,
           After              after)
{
  RenderData *data;

  if (self->source == NULL)
    return;

  data = g_new0 (RenderData, 1);
  data->window = g_object_ref (self);
  data->path = g_strdup (path);
  data->after = after;
  ferry_figure_source_report_async (self->source, kind, format, self->cancellable, rendered, data);
}

static char *
default_path (FerryWindow       *self,
              FerryReportKind    kind,
              FerryReportFormat  format)
{
  g_autofree char *dir = reports_directory (self);
  g_autofree char *name = ferry_figure_source_suggest_report_filename (self->source, kind, format);

  return g_build_filename (dir, name, NULL);
}

void
ferry_window_write_completion_report (FerryWindow *self)
{
  g_autofree char *path = NULL;

  g_return_if_fail (FERRY_IS_WINDOW (self));

  if (self->source == NULL)
    return;

  path = default_path (self, FERRY_REPORT_KIND_COMPLETION, FERRY_REPORT_FORMAT_HTML);
  render_to (self, FERRY_REPORT_KIND_COMPLETION, FERRY_REPORT_FORMAT_HTML, path, AFTER_AUTO);
}

void
ferry_window_open_report_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryReportKind kind = kind_from_nick (g_variant_get_string (parameter, NULL));
  g_autofree char *path = NULL;

  if (self->source == NULL)
    return;
  path = default_path (self, kind, FERRY_REPORT_FORMAT_HTML);
  render_to (self, kind, FERRY_REPORT_FORMAT_HTML, path, AFTER_OPEN);
}

typedef struct {
  FerryWindow       *window;
  FerryReportFormat  format;
} ExportData;

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    ExportData      *data)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      FerryFigureSource *source = data->window->source;
      FerryReportKind kind = source != NULL && ferry_figure_source_get_state (source) == FERRY_STATE_COMPLETED
                             ? FERRY_REPORT_KIND_COMPLETION : FERRY_REPORT_KIND_PROGRESS;

      render_to (data->window, kind, data->format, path, AFTER_SAVE);
    }

  g_object_unref (data->window);
  g_free (data);
  g_object_unref (dialog);
}

void
ferry_window_export_report_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryReportFormat format = format_from_nick (g_variant_get_string (parameter, NULL));
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  ExportData *data;
  FerryReportKind kind;

  if (self->source == NULL)
    return;

  kind = ferry_figure_source_get_state (self->source) == FERRY_STATE_COMPLETED
         ? FERRY_REPORT_KIND_COMPLETION : FERRY_REPORT_KIND_PROGRESS;
  name = ferry_figure_source_suggest_report_filename (self->source, kind, format);

  chooser = gtk_file_chooser_native_new (_("Export Report"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  data = g_new0 (ExportData, 1);
  data->window = g_object_ref (self);
  data->format = format;
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
