/* ferry-connection-form.c
 *
 * A server's connection as a form (host, port, database, user,
 * password, SSL mode) or as one connection string — a URI, key=value
 * pairs or service=NAME from pg_service.conf — with "Test Connection".
 * The password never becomes part of the connection string: the window
 * hands it to the core's in-memory password registry and the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-connection-form"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libpq-fe.h>

#include "ferry-catalog.h"
#include "ferry-connection-form.h"
#include "ferry-connection.h"

struct _FerryConnectionForm
{
  AdwPreferencesGroup  parent_instance;

  AdwComboRow         *mode_row;
  AdwEntryRow         *uri_row;
  AdwEntryRow         *host_row;
  AdwEntryRow         *port_row;
  AdwEntryRow         *dbname_row;
  AdwEntryRow         *user_row;
  AdwPasswordEntryRow *password_row;
  AdwComboRow         *sslmode_row;
  AdwActionRow        *test_row;
  GtkImage            *test_icon;
  GtkStack            *test_stack;

  GCancellable        *cancellable;
  gboolean             tested_ok;
};

G_DEFINE_FINAL_TYPE (FerryConnectionForm, ferry_connection_form, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_CONNINFO,
  PROP_VALID,
  PROP_TESTED,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const sslmodes[] = {
  "prefer", "disable", "allow", "require", "verify-ca", "verify-full", NULL
};

static gboolean
use_uri (FerryConnectionForm *self)
{
  return adw_combo_row_get_selected (self->mode_row) == 1;
}

char *
ferry_connection_form_get_conninfo (FerryConnectionForm *self)
{
  const char *keywords[] = { "host", "port", "dbname", "user", "sslmode", NULL };
  const char *values[6];
  guint sslmode;

  g_return_val_if_fail (FERRY_IS_CONNECTION_FORM (self), NULL);

  if (use_uri (self))
    return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->uri_row))));

  sslmode = adw_combo_row_get_selected (self->sslmode_row);
  values[0] = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  values[1] = gtk_editable_get_text (GTK_EDITABLE (self->port_row));
  values[2] = gtk_editable_get_text (GTK_EDITABLE (self->dbname_row));
  values[3] = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  /* "prefer" is libpq's default: say nothing rather than the default. */
  values[4] = sslmode > 0 && sslmode < G_N_ELEMENTS (sslmodes) - 1 ? sslmodes[sslmode] : NULL;
  values[5] = NULL;

  return ferry_conninfo_build (keywords, values);
}

/**
 * ferry_connection_form_set_conninfo:
 *
 * Fills the fields from a connection string when it only uses what the
 * fields show; anything else (a URI with options, a service) goes into
 * the connection-string row as it is.
 */
void
ferry_connection_form_set_conninfo (FerryConnectionForm *self,
                                    const char          *conninfo)
{
  PQconninfoOption *options;
  gboolean simple = TRUE;
  gboolean is_uri;

  g_return_if_fail (FERRY_IS_CONNECTION_FORM (self));

  conninfo = conninfo ? conninfo : "";
  is_uri = g_str_has_prefix (conninfo, "postgresql://") || g_str_has_prefix (conninfo, "postgres://");
  options = PQconninfoParse (conninfo, NULL);

  if (options != NULL && !is_uri)
    for (PQconninfoOption *o = options; o->keyword != NULL; o++)
      if (o->val != NULL && *o->val != '\0' &&
          !g_strv_contains ((const char *[]) { "host", "port", "dbname", "user", "sslmode", NULL }, o->keyword))
        simple = FALSE;

  if (options == NULL || is_uri || !simple)
    {
      adw_combo_row_set_selected (self->mode_row, 1);
      gtk_editable_set_text (GTK_EDITABLE (self->uri_row), conninfo);
    }
  else
    {
      adw_combo_row_set_selected (self->mode_row, 0);
      gtk_editable_set_text (GTK_EDITABLE (self->host_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->port_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->dbname_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->user_row), "");
      adw_combo_row_set_selected (self->sslmode_row, 0);

      for (PQconninfoOption *o = options; o->keyword != NULL; o++)
        {
          const char *v = o->val ? o->val : "";

          if (*v == '\0')
            continue;
          if (g_str_equal (o->keyword, "host"))
            gtk_editable_set_text (GTK_EDITABLE (self->host_row), v);
          else if (g_str_equal (o->keyword, "port"))
            gtk_editable_set_text (GTK_EDITABLE (self->port_row), v);
          else if (g_str_equal (o->keyword, "dbname"))
            gtk_editable_set_text (GTK_EDITABLE (self->dbname_row), v);
          else if (g_str_equal (o->keyword, "user"))
            gtk_editable_set_text (GTK_EDITABLE (self->user_row), v);
          else if (g_str_equal (o->keyword, "sslmode"))
            for (guint i = 0; sslmodes[i] != NULL; i++)
              if (g_str_equal (sslmodes[i], v))
                adw_combo_row_set_selected (self->sslmode_row, i);
        }
    }

  if (options != NULL)
    PQconninfoFree (options);
}

const char *
ferry_connection_form_get_password (FerryConnectionForm *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_FORM (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

void
ferry_connection_form_set_password (FerryConnectionForm *self,
                                    const char          *password)
{
  g_return_if_fail (FERRY_IS_CONNECTION_FORM (self));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password ? password : "");
}

gboolean
ferry_connection_form_is_valid (FerryConnectionForm *self)
{
  g_autofree char *conninfo = ferry_connection_form_get_conninfo (self);

  return ferry_conninfo_validate (conninfo, NULL) && !ferry_conninfo_has_password (conninfo);
}

static void
set_test_result (FerryConnectionForm *self,
                 const char          *icon,
                 const char          *css,
                 const char          *text)
{
  GtkWidget *image = GTK_WIDGET (self->test_icon);

  gtk_image_set_from_icon_name (self->test_icon, icon);
  gtk_widget_remove_css_class (image, "success");
  gtk_widget_remove_css_class (image, "error");
  gtk_widget_remove_css_class (image, "warning");
  if (css != NULL)
    gtk_widget_add_css_class (image, css);
  adw_action_row_set_subtitle (self->test_row, text);
}

static void
on_changed (FerryConnectionForm *self)
{
  g_autofree char *conninfo = ferry_connection_form_get_conninfo (self);
  g_autoptr(GError) error = NULL;

  if (self->tested_ok)
    {
      self->tested_ok = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TESTED]);
    }

  /* Validate as the user types: the row says what is wrong. */
  gtk_widget_remove_css_class (GTK_WIDGET (self->uri_row), "error");
  if (!ferry_conninfo_validate (conninfo, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->uri_row), "error");
      set_test_result (self, "dialog-warning-symbolic", "warning", error->message);
    }
  else if (ferry_conninfo_has_password (conninfo))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->uri_row), "error");
      set_test_result (self, "dialog-warning-symbolic", "warning",
                       _("Put the password in the password field, not in the connection string"));
    }
  else
    set_test_result (self, "network-server-symbolic", NULL, _("Not tested yet"));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNINFO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_mode_changed (FerryConnectionForm *self)
{
  gboolean uri = use_uri (self);

  gtk_widget_set_visible (GTK_WIDGET (self->uri_row), uri);
  gtk_widget_set_visible (GTK_WIDGET (self->host_row), !uri);
  gtk_widget_set_visible (GTK_WIDGET (self->port_row), !uri);
  gtk_widget_set_visible (GTK_WIDGET (self->dbname_row), !uri);
  gtk_widget_set_visible (GTK_WIDGET (self->user_row), !uri);
  gtk_widget_set_visible (GTK_WIDGET (self->sslmode_row), !uri);
  on_changed (self);
}

/* Test Connection */

typedef struct {
  char *conninfo;
  char *version;
  char *database;
  guint64 size;
} TestData;

static void
test_data_free (TestData *data)
{
  g_free (data->conninfo);
  g_free (data->version);
  g_free (data->database);
  g_free (data);
}

static void
test_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TestData *data = task_data;
  g_autoptr(FerryConnection) connection = ferry_connection_new (data->conninfo, _("server"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;

  if (!ferry_connection_open (connection, 10, 30, cancellable, &error) ||
      !(result = ferry_connection_query (connection,
                                         "SELECT pg_catalog.current_database(),"
                                         " pg_catalog.pg_database_size(pg_catalog.current_database())",
                                         &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->version = g_strdup (ferry_connection_get_server_version_string (connection));
  data->database = g_strdup (PQgetvalue (result, 0, 0));
  data->size = g_ascii_strtoull (PQgetvalue (result, 0, 1), NULL, 10);
  g_task_return_boolean (task, TRUE);
}

static void
test_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  FerryConnectionForm *self = FERRY_CONNECTION_FORM (object);
  TestData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  gtk_stack_set_visible_child_name (self->test_stack, "button");

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_test_result (self, "dialog-error-symbolic", "error", error->message);
      self->tested_ok = FALSE;
    }
  else
    {
      g_autofree char *size = ferry_format_bytes (data->size);
      /* Translators: "PostgreSQL 15.4 · database shop · 1.2 GB" */
      g_autofree char *text = g_strdup_printf (_("PostgreSQL %s · database %s · %s"),
                                               data->version, data->database, size);
      set_test_result (self, "emblem-ok-symbolic", "success", text);
      self->tested_ok = TRUE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TESTED]);
}

/**
 * ferry_connection_form_test:
 *
 * Connects in a thread and shows the server's version, or libpq's
 * error, in the form.
 */
void
ferry_connection_form_test (FerryConnectionForm *self)
{
  g_autoptr(GTask) task = NULL;
  TestData *data;

  g_return_if_fail (FERRY_IS_CONNECTION_FORM (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  data = g_new0 (TestData, 1);
  data->conninfo = ferry_connection_form_get_conninfo (self);
  ferry_conninfo_set_password (data->conninfo, ferry_connection_form_get_password (self));

  gtk_stack_set_visible_child_name (self->test_stack, "spinner");
  set_test_result (self, "network-server-symbolic", NULL, _("Connecting…"));

  task = g_task_new (self, self->cancellable, test_done, NULL);
  g_task_set_source_tag (task, ferry_connection_form_test);
  g_task_set_task_data (task, data, (GDestroyNotify)test_data_free);
  g_task_run_in_thread (task, test_thread);
}

static void
ferry_connection_form_dispose (GObject *object)
{
  FerryConnectionForm *self = (FerryConnectionForm *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ferry_connection_form_parent_class)->dispose (object);
}

static void
ferry_connection_form_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  FerryConnectionForm *self = FERRY_CONNECTION_FORM (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      g_value_take_string (value, ferry_connection_form_get_conninfo (self));
      break;
    case PROP_VALID:
      g_value_set_boolean (value, ferry_connection_form_is_valid (self));
      break;
    case PROP_TESTED:
      g_value_set_boolean (value, self->tested_ok);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_connection_form_class_init (FerryConnectionFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_connection_form_dispose;
  object_class->get_property = ferry_connection_form_get_property;

  properties[PROP_CONNINFO] =
    g_param_spec_string ("conninfo", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TESTED] =
    g_param_spec_boolean ("tested", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferrydb/Ferry/ferry-connection-form.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionForm, mode_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionForm, uri_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionForm, host_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionForm, port_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionForm, dbname_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionForm, user_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionForm, password_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionForm, sslmode_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionForm, test_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionForm, test_icon);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionForm, test_stack);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, ferry_connection_form_test);
}

static void
ferry_connection_form_init (FerryConnectionForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->mode_row, "notify::selected", G_CALLBACK (on_mode_changed), self);
  g_signal_connect_swapped (self->sslmode_row, "notify::selected", G_CALLBACK (on_changed), self);
}
