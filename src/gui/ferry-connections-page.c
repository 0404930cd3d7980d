/* ferry-connections-page.c
 *
 * The first page: the source and the target, and saved profiles. A
 * profile is remembered in GSettings (name and both connection strings,
 * which never hold a password) and its passwords in the desktop keyring
 * through libsecret.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-connections-page"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "ferry-application.h"
#include "ferry-connection-form.h"
#include "ferry-connection.h"
#include "ferry-connections-page.h"

#define MAX_PROFILES 20

struct _FerryConnectionsPage
{
  AdwBin               parent_instance;

  AdwComboRow         *profile_row;
  AdwEntryRow         *profile_name_row;
  FerryConnectionForm *source_form;
  FerryConnectionForm *target_form;

  GSettings           *settings;
  GtkStringList       *profile_names;
  GCancellable        *cancellable;
  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (FerryConnectionsPage, ferry_connections_page, ADW_TYPE_BIN)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const SecretSchema *
password_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".Password", SECRET_SCHEMA_NONE,
    {
      { "conninfo", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static void
store_password (FerryConnectionsPage *self,
                const char           *conninfo,
                const char           *password,
                const char           *label)
{
  if (conninfo == NULL || *conninfo == '\0')
    return;

  if (password == NULL || *password == '\0')
    secret_password_clear (password_schema (), self->cancellable, NULL, NULL,
                           "conninfo", conninfo, NULL);
  else
    secret_password_store (password_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                           self->cancellable, NULL, NULL, "conninfo", conninfo, NULL);
}

typedef struct {
  FerryConnectionsPage *self;
  FerryConnectionForm  *form;
  char                 *conninfo;
} LookupData;

static void
password_found (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LookupData *data = user_data;
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error == NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *current = ferry_connection_form_get_conninfo (data->form);

      if (password != NULL && g_strcmp0 (current, data->conninfo) == 0)
        ferry_connection_form_set_password (data->form, password);
      if (error != NULL)
        g_debug ("No keyring: %s", error->message);
    }

  secret_password_free (password);
  g_object_unref (data->self);
  g_free (data->conninfo);
  g_free (data);
}

static void
lookup_password (FerryConnectionsPage *self,
                 FerryConnectionForm  *form,
                 const char           *conninfo)
{
  LookupData *data = g_new0 (LookupData, 1);

  data->self = g_object_ref (self);
  data->form = form;
  data->conninfo = g_strdup (conninfo);
  secret_password_lookup (password_schema (), self->cancellable, password_found, data,
                          "conninfo", conninfo, NULL);
}

/* Profiles */

static GVariant *
get_profiles (FerryConnectionsPage *self)
{
  return g_settings_get_value (self->settings, "recent-profiles");
}

static void
reload_profiles (FerryConnectionsPage *self)
{
  g_autoptr(GVariant) profiles = get_profiles (self);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GVariantIter iter;
  GVariant *profile;

  g_ptr_array_add (names, g_strdup (_("New connection")));
  g_variant_iter_init (&iter, profiles);
  while ((profile = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *name = NULL;
      g_variant_lookup (profile, "name", "&s", &name);
      g_ptr_array_add (names, g_strdup (name ? name : _("Unnamed")));
      g_variant_unref (profile);
    }
  g_ptr_array_add (names, NULL);

  self->loading = TRUE;
  gtk_string_list_splice (self->profile_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->profile_names)),
                          (const char * const *)names->pdata);
  self->loading = FALSE;
}

static void
on_profile_selected (FerryConnectionsPage *self)
{
  guint selected = adw_combo_row_get_selected (self->profile_row);
  g_autoptr(GVariant) profiles = NULL;
  g_autoptr(GVariant) profile = NULL;
  const char *name = NULL, *source = NULL, *target = NULL;

  if (self->loading || selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return;

  profiles = get_profiles (self);
  if (selected - 1 >= g_variant_n_children (profiles))
    return;
  profile = g_variant_get_child_value (profiles, selected - 1);
  g_variant_lookup (profile, "name", "&s", &name);
  g_variant_lookup (profile, "source", "&s", &source);
  g_variant_lookup (profile, "target", "&s", &target);

  gtk_editable_set_text (GTK_EDITABLE (self->profile_name_row), name ? name : "");
  ferry_connections_page_set_conninfo (self, source, target);
}

static void
on_save_profile (FerryConnectionsPage *self)
{
  g_autofree char *source = ferry_connections_page_get_source (self);
  g_autofree char *target = ferry_connections_page_get_target (self);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->profile_name_row));
  g_autoptr(GVariant) old = get_profiles (self);
  GVariantBuilder builder;
  GVariantIter iter;
  GVariant *profile;
  g_autofree char *label_source = NULL;
  g_autofree char *label_target = NULL;
  g_autofree char *default_name = NULL;
  guint n = 1;

  if (name == NULL || *name == '\0')
    {
      default_name = g_strdup_printf (_("Profile %u"), (guint)g_variant_n_children (old) + 1);
      name = default_name;
    }

  /* Newest first; a profile of the same name is replaced. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{ss}"));
  g_variant_builder_open (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&builder, "{ss}", "name", name);
  g_variant_builder_add (&builder, "{ss}", "source", source);
  g_variant_builder_add (&builder, "{ss}", "target", target);
  g_variant_builder_close (&builder);

  g_variant_iter_init (&iter, old);
  while ((profile = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *other = NULL;

      g_variant_lookup (profile, "name", "&s", &other);
      if (g_strcmp0 (other, name) != 0 && n < MAX_PROFILES)
        {
          g_variant_builder_add_value (&builder, profile);
          n++;
        }
      g_variant_unref (profile);
    }

  g_settings_set_value (self->settings, "recent-profiles", g_variant_builder_end (&builder));

  label_source = g_strdup_printf (_("Ferry: %s (source)"), name);
  label_target = g_strdup_printf (_("Ferry: %s (target)"), name);
  store_password (self, source, ferry_connection_form_get_password (self->source_form), label_source);
  store_password (self, target, ferry_connection_form_get_password (self->target_form), label_target);

  reload_profiles (self);
  self->loading = TRUE;
  adw_combo_row_set_selected (self->profile_row, 1);
  self->loading = FALSE;
}

static void
on_forget_profile (FerryConnectionsPage *self)
{
  guint selected = adw_combo_row_get_selected (self->profile_row);
  g_autoptr(GVariant) old = get_profiles (self);
  GVariantBuilder builder;

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected - 1 >= g_variant_n_children (old))
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{ss}"));
  for (gsize i = 0; i < g_variant_n_children (old); i++)
    {
      g_autoptr(GVariant) profile = g_variant_get_child_value (old, i);

      if (i == selected - 1)
        {
          const char *source = NULL, *target = NULL;
          g_variant_lookup (profile, "source", "&s", &source);
          g_variant_lookup (profile, "target", "&s", &target);
          store_password (self, source, NULL, NULL);
          store_password (self, target, NULL, NULL);
          continue;
        }
      g_variant_builder_add_value (&builder, profile);
    }

  g_settings_set_value (self->settings, "recent-profiles", g_variant_builder_end (&builder));
  reload_profiles (self);
  adw_combo_row_set_selected (self->profile_row, 0);
}

static void
on_form_changed (FerryConnectionsPage *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* API */

char *
ferry_connections_page_get_source (FerryConnectionsPage *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTIONS_PAGE (self), NULL);
  return ferry_connection_form_get_conninfo (self->source_form);
}

char *
ferry_connections_page_get_target (FerryConnectionsPage *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTIONS_PAGE (self), NULL);
  return ferry_connection_form_get_conninfo (self->target_form);
}

void
ferry_connections_page_set_conninfo (FerryConnectionsPage *self,
                                     const char           *source,
                                     const char           *target)
{
  g_return_if_fail (FERRY_IS_CONNECTIONS_PAGE (self));

  ferry_connection_form_set_conninfo (self->source_form, source);
  ferry_connection_form_set_conninfo (self->target_form, target);
  ferry_connection_form_set_password (self->source_form, NULL);
  ferry_connection_form_set_password (self->target_form, NULL);

  if (source != NULL && *source != '\0')
    lookup_password (self, self->source_form, source);
  if (target != NULL && *target != '\0')
    lookup_password (self, self->target_form, target);
}

/**
 * ferry_connections_page_apply_passwords:
 *
 * Hands the typed passwords to the core, in memory, for the current
 * connection strings.
 */
void
ferry_connections_page_apply_passwords (FerryConnectionsPage *self)
{
  g_autofree char *source = ferry_connections_page_get_source (self);
  g_autofree char *target = ferry_connections_page_get_target (self);

  g_return_if_fail (FERRY_IS_CONNECTIONS_PAGE (self));

  ferry_conninfo_set_password (source, ferry_connection_form_get_password (self->source_form));
  ferry_conninfo_set_password (target, ferry_connection_form_get_password (self->target_form));
}

gboolean
ferry_connections_page_is_valid (FerryConnectionsPage *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTIONS_PAGE (self), FALSE);

  return ferry_connection_form_is_valid (self->source_form) &&
         ferry_connection_form_is_valid (self->target_form);
}

static void
ferry_connections_page_dispose (GObject *object)
{
  FerryConnectionsPage *self = (FerryConnectionsPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_connections_page_parent_class)->dispose (object);
}

static void
ferry_connections_page_class_init (FerryConnectionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_connections_page_dispose;

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (FERRY_TYPE_CONNECTION_FORM);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferrydb/Ferry/ferry-connections-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionsPage, profile_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionsPage, profile_name_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionsPage, source_form);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectionsPage, target_form);
  gtk_widget_class_bind_template_callback (widget_class, on_save_profile);
  gtk_widget_class_bind_template_callback (widget_class, on_forget_profile);
}

static void
ferry_connections_page_init (FerryConnectionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = ferry_settings_new ();
  self->profile_names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->profile_row, G_LIST_MODEL (self->profile_names));
  g_object_unref (self->profile_names);
  reload_profiles (self);

  g_signal_connect_swapped (self->profile_row, "notify::selected", G_CALLBACK (on_profile_selected), self);
  g_signal_connect_swapped (self->source_form, "changed", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->target_form, "changed", G_CALLBACK (on_form_changed), self);
}
