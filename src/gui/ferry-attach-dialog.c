/* ferry-attach-dialog.c
 *
 * Attach to Service: the URL of a `ferry-cli serve`, a token of its
 * token file and, for https with a self-signed certificate, the
 * certificate to trust. "Attach" connects a FerryRemote (the token is
 * checked, the status and tables read, the event stream opened) and
 * hands it over through ::attached; until then the dialog says what went
 * wrong in words that point at the field to fix: a refused token (401),
 * a certificate that is not trusted, a service that cannot be reached.
 *
 * The token is never written to a file: it is remembered, when asked
 * to, in the desktop keyring (libsecret), as connection passwords are.
 * The URLs used last are remembered in GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-attach-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "ferry-application.h"
#include "ferry-attach-dialog.h"
#include "ferry-error.h"

#define MAX_RECENT 8

struct _FerryAttachDialog
{
  AdwWindow             parent_instance;

  GtkButton            *attach_button;
  GtkSpinner           *spinner;
  AdwEntryRow          *url_row;
  AdwEntryRow          *token_row;
  AdwActionRow         *certificate_row;
  GtkButton            *certificate_clear_button;
  GtkSwitch            *remember_switch;
  AdwPreferencesGroup  *error_group;
  GtkLabel             *error_title;
  GtkLabel             *error_label;
  AdwPreferencesGroup  *recent_group;

  GSettings            *settings;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  GPtrArray            *recent_rows;
  GTlsCertificate      *certificate;
  FerryRemote          *remote;        /* while it connects */
  char                 *error_text;
};

G_DEFINE_FINAL_TYPE (FerryAttachDialog, ferry_attach_dialog, ADW_TYPE_WINDOW)

enum {
  ATTACHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".ServiceToken", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

/* "host:8431" → "http://host:8431"; NULL when it is no http(s) URL. */
static char *
normalize_url (const char *text)
{
  g_autofree char *url = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autoptr(GUri) uri = NULL;

  if (*url == '\0')
    return NULL;
  if (strstr (url, "://") == NULL)
    {
      char *with_scheme = g_strconcat ("http://", url, NULL);
      g_free (url);
      url = with_scheme;
    }
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    return NULL;
  return g_steal_pointer (&url);
}

/* --- errors -------------------------------------------------------------- */

static void
clear_error (FerryAttachDialog *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->token_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->certificate_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_group), FALSE);
  g_clear_pointer (&self->error_text, g_free);
}

static void
show_error (FerryAttachDialog *self,
            GtkWidget         *row,
            const char        *title,
            const char        *text)
{
  clear_error (self);
  if (row != NULL)
    gtk_widget_add_css_class (row, "error");
  gtk_label_set_text (self->error_title, title);
  gtk_label_set_text (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_group), TRUE);
  self->error_text = g_strdup_printf ("%s: %s", title, text);
  if (row != NULL)
    gtk_widget_grab_focus (row);
}

/* Why the connection failed, told by what to change. */
static void
explain (FerryAttachDialog *self,
         FerryRemote       *remote,
         const GError      *error)
{
  g_autofree char *text = NULL;

  if (ferry_remote_get_tls_errors (remote) != 0)
    show_error (self, GTK_WIDGET (self->certificate_row), _("The Certificate Is Not Trusted"),
                self->certificate != NULL
                  ? _("The service presented another certificate than the one chosen. Choose the file given to "
                      "“ferry-cli serve --tls-cert”.")
                  : _("No authority this computer trusts vouches for the service’s certificate. If it is the "
                      "service’s own self-signed certificate, choose that file — the one given to "
                      "“ferry-cli serve --tls-cert” — to trust exactly that certificate."));
  else if (ferry_remote_get_http_status (remote) == 401)
    show_error (self, GTK_WIDGET (self->token_row), _("The Token Was Refused"),
                _("The service does not know this token (HTTP 401). Its tokens are in its token file, by default "
                  "~/.config/ferry/service-tokens.json on the server."));
  else if (ferry_remote_get_http_status (remote) == 0)
    {
      text = g_strdup_printf (_("%s. Check the address, and that “ferry-cli serve” runs there: it listens on "
                                "127.0.0.1:8431 unless --listen says otherwise."), error->message);
      show_error (self, GTK_WIDGET (self->url_row), _("The Service Cannot Be Reached"), text);
    }
  else
    show_error (self, GTK_WIDGET (self->url_row), _("Not a Ferry Service"), error->message);
}

/* --- the keyring and the recent services ---------------------------------- */

static void
token_found (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FerryAttachDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (token != NULL && *gtk_editable_get_text (GTK_EDITABLE (self->token_row)) == '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->token_row), token);
      gtk_switch_set_active (self->remember_switch, TRUE);
    }
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("No keyring: %s", error->message);
  secret_password_free (token);
}

static void
lookup_token (FerryAttachDialog *self,
              const char        *url)
{
  secret_password_lookup (token_schema (), self->cancellable, token_found, g_object_ref (self), "url", url, NULL);
}

static void
on_recent_activated (AdwActionRow      *row,
                     FerryAttachDialog *self)
{
  const char *url = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  lookup_token (self, url);
  gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
}

static void
reload_recent (FerryAttachDialog *self)
{
  g_auto(GStrv) urls = g_settings_get_strv (self->settings, "recent-services");

  for (guint i = 0; i < self->recent_rows->len; i++)
    adw_preferences_group_remove (self->recent_group, g_ptr_array_index (self->recent_rows, i));
  g_ptr_array_set_size (self->recent_rows, 0);

  for (guint i = 0; urls[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), urls[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_signal_connect (row, "activated", G_CALLBACK (on_recent_activated), self);
      adw_preferences_group_add (self->recent_group, row);
      g_ptr_array_add (self->recent_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), self->recent_rows->len > 0);
}

static void
remember (FerryAttachDialog *self,
          const char        *url,
          const char        *token)
{
  g_auto(GStrv) urls = g_settings_get_strv (self->settings, "recent-services");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  g_strv_builder_add (builder, url);
  for (guint i = 0; urls[i] != NULL && n < MAX_RECENT; i++)
    if (g_strcmp0 (urls[i], url) != 0)
      {
        g_strv_builder_add (builder, urls[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-services", (const char * const *)updated);

  /* Not cancelled with the dialog: it closes now. */
  if (gtk_switch_get_active (self->remember_switch))
    {
      g_autofree char *label = g_strdup_printf (_("Ferry service token for %s"), url);
      secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, NULL, NULL, NULL,
                             "url", url, NULL);
    }
  else
    secret_password_clear (token_schema (), NULL, NULL, NULL, "url", url, NULL);
}

/* --- attaching ------------------------------------------------------------ */

static void
set_busy (FerryAttachDialog *self,
          gboolean           busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->certificate_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->attach_button), !busy &&
                            *gtk_editable_get_text (GTK_EDITABLE (self->url_row)) != '\0' &&
                            *gtk_editable_get_text (GTK_EDITABLE (self->token_row)) != '\0');
}

static void
on_changed (FerryAttachDialog *self)
{
  set_busy (self, self->remote != NULL);
}

static void
connected (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FerryAttachDialog) self = user_data;
  g_autoptr(FerryRemote) remote = FERRY_REMOTE (g_object_ref (object));
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (!ferry_remote_connect_finish (remote, result, &error))
    {
      /* No retrying behind the dialog's back. */
      ferry_remote_disconnect (remote);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->remote != remote)
        return;
      g_clear_object (&self->remote);
      set_busy (self, FALSE);
      explain (self, remote, error);
      return;
    }
  if (self->remote != remote)
    {
      ferry_remote_disconnect (remote);
      return;
    }

  g_clear_object (&self->remote);
  url = ferry_remote_dup_service_url (remote);
  remember (self, url, gtk_editable_get_text (GTK_EDITABLE (self->token_row)));

  g_signal_emit (self, signals[ATTACHED], 0, remote);
  gtk_window_destroy (GTK_WINDOW (self));
}

void
ferry_attach_dialog_attach (FerryAttachDialog *self)
{
  g_autofree char *url = NULL;
  const char *token;

  g_return_if_fail (FERRY_IS_ATTACH_DIALOG (self));

  if (self->remote != NULL)
    return;

  url = normalize_url (gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
  token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  if (url == NULL)
    {
      show_error (self, GTK_WIDGET (self->url_row), _("Not a Service URL"),
                  _("Write it as http://HOST:PORT or https://HOST:PORT, as “ferry-cli serve” prints it when it "
                    "starts."));
      return;
    }
  if (*token == '\0')
    {
      show_error (self, GTK_WIDGET (self->token_row), _("A Token Is Needed"),
                  _("Every request to the service carries one of the tokens of its token file: a control token "
                    "to steer the migration, a read-only one to watch it."));
      return;
    }

  clear_error (self);
  self->remote = ferry_remote_new (url, token);
  if (self->certificate != NULL)
    ferry_remote_set_trusted_certificate (self->remote, self->certificate);
  set_busy (self, TRUE);
  ferry_remote_connect_async (self->remote, self->cancellable, connected, g_object_ref (self));
}

static void
on_attach (FerryAttachDialog *self)
{
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->attach_button)))
    ferry_attach_dialog_attach (self);
}

/* --- the certificate ------------------------------------------------------- */

gboolean
ferry_attach_dialog_set_certificate_file (FerryAttachDialog  *self,
                                          GFile              *file,
                                          GError            **error)
{
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;

  g_return_val_if_fail (FERRY_IS_ATTACH_DIALOG (self), FALSE);

  if (file == NULL)
    {
      g_clear_object (&self->certificate);
      adw_action_row_set_subtitle (self->certificate_row,
                                   _("For https with a self-signed certificate: the service’s certificate file"));
      gtk_widget_set_visible (GTK_WIDGET (self->certificate_clear_button), FALSE);
      return TRUE;
    }

  path = g_file_get_path (file);
  certificate = path != NULL ? g_tls_certificate_new_from_file (path, error) : NULL;
  if (certificate == NULL)
    {
      if (path == NULL)
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_IO, _("Only local files can be trusted"));
      return FALSE;
    }

  g_set_object (&self->certificate, certificate);
  name = g_file_get_basename (file);
  adw_action_row_set_subtitle (self->certificate_row, name);
  gtk_widget_set_visible (GTK_WIDGET (self->certificate_clear_button), TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->certificate_row), "error");
  return TRUE;
}

static void
on_certificate_response (GtkNativeDialog   *chooser,
                         int                response,
                         FerryAttachDialog *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (!ferry_attach_dialog_set_certificate_file (self, file, &error))
    show_error (self, GTK_WIDGET (self->certificate_row), _("Not a Certificate"), error->message);
}

static void
on_certificate_choose (FerryAttachDialog *self)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Trusted Certificate"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Trust"), NULL);
  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_pattern (filter, "*.cert");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_certificate_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_certificate_clear (FerryAttachDialog *self)
{
  ferry_attach_dialog_set_certificate_file (self, NULL, NULL);
}

/* --- GObject ----------------------------------------------------------------- */

static void
ferry_attach_dialog_dispose (GObject *object)
{
  FerryAttachDialog *self = FERRY_ATTACH_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->remote != NULL)
    ferry_remote_disconnect (self->remote);
  g_clear_object (&self->remote);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->certificate);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->recent_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ferry_attach_dialog_parent_class)->dispose (object);
}

static void
ferry_attach_dialog_finalize (GObject *object)
{
  FerryAttachDialog *self = FERRY_ATTACH_DIALOG (object);

  g_free (self->error_text);

  G_OBJECT_CLASS (ferry_attach_dialog_parent_class)->finalize (object);
}

static void
ferry_attach_dialog_class_init (FerryAttachDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_attach_dialog_dispose;
  object_class->finalize = ferry_attach_dialog_finalize;

  /**
   * FerryAttachDialog::attached:
   * @remote: connected, following the service's event stream
   */
  signals[ATTACHED] =
    g_signal_new ("attached", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FERRY_TYPE_REMOTE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ferrydb/Ferry/ferry-attach-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryAttachDialog, attach_button);
  gtk_widget_class_bind_template_child (widget_class, FerryAttachDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, FerryAttachDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAttachDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAttachDialog, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAttachDialog, certificate_clear_button);
  gtk_widget_class_bind_template_child (widget_class, FerryAttachDialog, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, FerryAttachDialog, error_group);
  gtk_widget_class_bind_template_child (widget_class, FerryAttachDialog, error_title);
  gtk_widget_class_bind_template_child (widget_class, FerryAttachDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, FerryAttachDialog, recent_group);
  gtk_widget_class_bind_template_callback (widget_class, on_attach);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_certificate_choose);
  gtk_widget_class_bind_template_callback (widget_class, on_certificate_clear);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ferry_attach_dialog_init (FerryAttachDialog *self)
{
  g_auto(GStrv) urls = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = ferry_settings_new ();
  self->cancellable = g_cancellable_new ();
  self->recent_rows = g_ptr_array_new ();
  reload_recent (self);

  /* The service used last, its token from the keyring. */
  urls = g_settings_get_strv (self->settings, "recent-services");
  if (urls[0] != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->url_row), urls[0]);
      lookup_token (self, urls[0]);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->url_row), "http://127.0.0.1:8431");
}

FerryAttachDialog *
ferry_attach_dialog_new (GtkWindow *parent)
{
  return g_object_new (FERRY_TYPE_ATTACH_DIALOG, "transient-for", parent, NULL);
}

void
ferry_attach_dialog_set_url (FerryAttachDialog *self,
                             const char        *url)
{
  g_return_if_fail (FERRY_IS_ATTACH_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url != NULL ? url : "");
}

void
ferry_attach_dialog_set_token (FerryAttachDialog *self,
                               const char        *token)
{
  g_return_if_fail (FERRY_IS_ATTACH_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), token != NULL ? token : "");
}

gboolean
ferry_attach_dialog_get_busy (FerryAttachDialog *self)
{
  g_return_val_if_fail (FERRY_IS_ATTACH_DIALOG (self), FALSE);
  return self->remote != NULL;
}

const char *
ferry_attach_dialog_get_error (FerryAttachDialog *self)
{
  g_return_val_if_fail (FERRY_IS_ATTACH_DIALOG (self), NULL);
  return self->error_text;
}
