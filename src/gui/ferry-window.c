/* ferry-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-window.h"

struct _FerryWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (FerryWindow, ferry_window, ADW_TYPE_APPLICATION_WINDOW)

static void
ferry_window_class_init (FerryWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ferrydb/Ferry/ferry-window.ui");
}

static void
ferry_window_init (FerryWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

FerryWindow *
ferry_window_new (FerryApplication *application)
{
  return g_object_new (FERRY_TYPE_WINDOW, "application", application, NULL);
}
