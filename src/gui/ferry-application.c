/* ferry-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-application.h"
#include "ferry-window.h"

struct _FerryApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (FerryApplication, ferry_application, ADW_TYPE_APPLICATION)

static void
ferry_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (ferry_window_new (FERRY_APPLICATION (app)));

  gtk_window_present (window);
}

static void
ferry_application_class_init (FerryApplicationClass *klass)
{
  G_APPLICATION_CLASS (klass)->activate = ferry_application_activate;
}

static void
ferry_application_init (FerryApplication *self)
{
}

FerryApplication *
ferry_application_new (void)
{
  return g_object_new (FERRY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/ferrydb/Ferry",
                       NULL);
}
