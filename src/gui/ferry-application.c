/* ferry-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-application.h"
#include "ferry-config.h"
#include "ferry-resources.h"
#include "ferry-window.h"

struct _FerryApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (FerryApplication, ferry_application, ADW_TYPE_APPLICATION)

/**
 * ferry_settings_new:
 *
 * The app's settings. Installed, the schema is in the system's schema
 * directory; run from the build tree, it is next to the build's data.
 */
GSettings *
ferry_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema == NULL)
    {
      g_autoptr(GSettingsSchemaSource) build = NULL;
      g_autoptr(GError) error = NULL;

      build = g_settings_schema_source_new_from_directory (BUILD_SCHEMA_DIR, source, FALSE, &error);
      if (build != NULL)
        schema = g_settings_schema_source_lookup (build, APP_ID, FALSE);
      if (schema == NULL)
        g_error ("The settings schema %s is not installed (%s)", APP_ID,
                 error ? error->message : BUILD_SCHEMA_DIR);
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
ferry_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (ferry_window_new (FERRY_APPLICATION (app), NULL));

  gtk_window_present (window);
}

static void
ferry_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      FerryWindow *window = ferry_window_new (FERRY_APPLICATION (app), NULL);

      ferry_window_open_config (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static int
ferry_application_command_line (GApplication            *app,
                                GApplicationCommandLine *command_line)
{
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *config = NULL;
  gboolean start = FALSE;
  FerryWindow *window;

  g_variant_dict_lookup (options, "config", "^&ay", &config);
  g_variant_dict_lookup (options, "start", "b", &start);

  if (config == NULL)
    {
      g_application_activate (app);
      return 0;
    }

  window = ferry_window_new (FERRY_APPLICATION (app), NULL);
  {
    g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, config);
    ferry_window_open_config (window, file);
  }
  if (start)
    ferry_window_set_autostart (window, TRUE);
  gtk_window_present (GTK_WINDOW (window));

  return 0;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Each window asks what to do with a running migration. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  FerryWindow *window = ferry_window_new (FERRY_APPLICATION (user_data), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static void
activate_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Ferry developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Ferry"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Ferry developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Moves the data of a PostgreSQL database to another server, "
                                       "table by table, in dependency order, and proves every row arrived."),
                         "website", "https://github.com/ferrydb/ferry",
                         "issue-url", "https://github.com/ferrydb/ferry/issues",
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;

  gtk_show_uri (gtk_application_get_active_window (app), "help:ferry", GDK_CURRENT_TIME);
}

static void
ferry_application_startup (GApplication *app)
{
  FerryApplication *self = FERRY_APPLICATION (app);
  static const GActionEntry actions[] = {
    { "quit", quit_action },
    { "activate", activate_action },
    { "new-window", new_window_action },
    { "about", about_action },
    { "help", help_action },
  };
  const struct { const char *action; const char *accels[2]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.new-window", { "<Control>n", NULL } },
    { "app.help", { "F1", NULL } },
    { "win.start", { "<Control>Return", NULL } },
    { "win.pause", { "<Control>p", NULL } },
    { "win.stop", { "<Control>period", NULL } },
    { "win.rerun-checks", { "<Control>r", NULL } },
    { "win.preferences", { "<Control>comma", NULL } },
    { "win.open-config", { "<Control>o", NULL } },
    { "win.save-config", { "<Control>s", NULL } },
    { "win.find-table", { "<Control>f", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (ferry_application_parent_class)->startup (app);

  self->settings = ferry_settings_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);
}

static void
ferry_application_dispose (GObject *object)
{
  FerryApplication *self = (FerryApplication *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_application_parent_class)->dispose (object);
}

/**
 * ferry_gui_init:
 *
 * Registers the app's resources (UI files, CSS); the GUI tests call it
 * too, since they build the widgets without the application.
 */
void
ferry_gui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      ferry_register_resource ();
      g_once_init_leave (&initialized, 1);
    }
}

static void
ferry_application_class_init (FerryApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  ferry_gui_init ();

  object_class->dispose = ferry_application_dispose;
  app_class->activate = ferry_application_activate;
  app_class->open = ferry_application_open;
  app_class->startup = ferry_application_startup;
  app_class->command_line = ferry_application_command_line;
}

static void
ferry_application_init (FerryApplication *self)
{
  const GOptionEntry options[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open the migration configured in FILE"), N_("FILE") },
    { "start", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start the migration when every readiness check passes"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

FerryApplication *
ferry_application_new (void)
{
  return g_object_new (FERRY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/ferrydb/Ferry",
                       NULL);
}

GSettings *
ferry_application_get_settings (FerryApplication *self)
{
  g_return_val_if_fail (FERRY_IS_APPLICATION (self), NULL);
  return self->settings;
}

/**
 * ferry_application_notify:
 * @urgent: for escalations: the user must act
 *
 * A desktop notification (completion, escalation), shown whether or not
 * the window is visible; activating it raises the window.
 */
void
ferry_application_notify (FerryApplication *self,
                          const char       *id,
                          const char       *title,
                          const char       *body,
                          gboolean          urgent)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = NULL;

  g_return_if_fail (FERRY_IS_APPLICATION (self));

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  icon = g_themed_icon_new (APP_ID);
  g_notification_set_icon (notification, icon);
  g_notification_set_priority (notification, urgent ? G_NOTIFICATION_PRIORITY_URGENT
                                                    : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action (notification, "app.activate");
  g_application_send_notification (G_APPLICATION (self), id, notification);
}
