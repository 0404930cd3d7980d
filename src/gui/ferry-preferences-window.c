/* ferry-preferences-window.c
 *
 * Every configuration key, bound to a FerryConfig: numbers are spin
 * buttons with the key's own range, choices are combo rows, text is
 * checked as it is typed. The whole configuration is validated on every
 * change (e.g. the pool size against the workers) and the result shown
 * at the top. Open and Save As read and write the same YAML as
 * ferry-cli.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-enum-types.h"
#include "ferry-error.h"
#include "ferry-preferences-window.h"

struct _FerryPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwPreferencesPage   *migration_page;
  AdwPreferencesPage   *monitoring_page;
  AdwPreferencesPage   *database_page;
  AdwActionRow         *status_row;
  GtkImage             *status_icon;

  FerryConfig          *config;
  GHashTable           *rows;       /* property name → row */
  GtkFileChooserNative *chooser;
  gboolean              updating;
};

G_DEFINE_FINAL_TYPE (FerryPreferencesWindow, ferry_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

typedef enum {
  KIND_NUMBER,
  KIND_CHOICE,
  KIND_SWITCH,
  KIND_TEXT,
  KIND_LIST,
  KIND_SIZE,
} Kind;

typedef struct {
  const char *property;
  const char *page;     /* migration, monitoring, database */
  const char *group;
  const char *title;
  const char *subtitle;
  Kind        kind;
} Setting;

static const Setting settings[] = {
  { "batch-size", "migration", N_("Plan"), N_("Batch size"),
    N_("Tables per batch; a batch never mixes dependency levels"), KIND_NUMBER },
  { "chunk-size", "migration", N_("Plan"), N_("Chunk size"),
    N_("Tables larger than this are split into chunks, e.g. 256MB"), KIND_SIZE },
  { "constraints", "migration", N_("Plan"), N_("Constraints"),
    N_("keep: foreign keys stay and tables load parents first; rebuild: foreign keys and indexes are dropped and rebuilt after the load"), KIND_CHOICE },
  { "schema-mode", "migration", N_("Plan"), N_("Target schema"),
    N_("existing: the target’s tables are used as they are; copy: created from the source with pg_dump"), KIND_CHOICE },
  { "max-parallel", "migration", N_("Execution"), N_("Parallel workers"),
    N_("Chunks copied at once, each with its own connections"), KIND_NUMBER },
  { "retry-attempts", "migration", N_("Execution"), N_("Retry attempts"),
    N_("Retries of a chunk after a temporary failure, with exponential backoff"), KIND_NUMBER },
  { "timeout-seconds", "migration", N_("Execution"), N_("Chunk time limit (seconds)"),
    N_("A chunk that runs longer is cancelled, split and retried"), KIND_NUMBER },
  { "copy-format", "migration", N_("Execution"), N_("COPY format"),
    N_("binary is faster; tables with user-defined types always use text"), KIND_CHOICE },
  { "fire-triggers", "migration", N_("Execution"), N_("Fire target triggers"),
    N_("Off: user triggers on the target are disabled during the load and enabled again afterwards"), KIND_SWITCH },
  { "validation", "migration", N_("Execution"), N_("Validation"),
    N_("After the load: none, row counts, or counts and checksums on both servers"), KIND_CHOICE },
  { "include", "migration", N_("Tables"), N_("Include"),
    N_("Patterns on schema.table, comma-separated (e.g. sales.*, core.customers); empty: every table"), KIND_LIST },
  { "exclude", "migration", N_("Tables"), N_("Exclude"),
    N_("Patterns of tables to leave out, comma-separated"), KIND_LIST },
  { "break-cycles-at", "migration", N_("Tables"), N_("Break cycles at"),
    N_("Foreign keys as schema.table.constraint, comma-separated; empty: Ferry chooses"), KIND_LIST },
  { "interval-seconds", "monitoring", N_("Monitoring"), N_("Interval (seconds)"),
    N_("How often both servers are probed; the dashboard updates every second regardless"), KIND_NUMBER },
  { "real-time-enabled", "monitoring", N_("Monitoring"), N_("Real-time monitoring"), NULL, KIND_SWITCH },
  { "dashboard-enabled", "monitoring", N_("Monitoring"), N_("Dashboard"), NULL, KIND_SWITCH },
  { "notifications-enabled", "monitoring", N_("Notifications"), N_("Notifications"),
    N_("Desktop notifications on completion and when the migration needs you"), KIND_SWITCH },
  { "email-enabled", "monitoring", N_("Notifications"), N_("E-mail"), NULL, KIND_SWITCH },
  { "slack-enabled", "monitoring", N_("Notifications"), N_("Slack"), NULL, KIND_SWITCH },
  { "webhooks", "monitoring", N_("Notifications"), N_("Webhook URLs"),
    N_("http(s) URLs, comma-separated; each receives a JSON POST on state changes"), KIND_LIST },
  { "connection-pool-size", "database", N_("Connections"), N_("Connections per server"),
    N_("At least the number of workers plus two: the coordinator and the snapshot"), KIND_NUMBER },
  { "connect-timeout", "database", N_("Connections"), N_("Connect timeout (seconds)"), NULL, KIND_NUMBER },
  { "query-timeout", "database", N_("Connections"), N_("Query timeout (seconds)"),
    N_("For catalog and control queries; 0 for none"), KIND_NUMBER },
  { "journal-schema", "database", N_("Journal"), N_("Journal schema"),
    N_("Where on the target Ferry keeps its journal"), KIND_TEXT },
};

static AdwPreferencesPage *
page_for (FerryPreferencesWindow *self,
          const char             *name)
{
  if (g_str_equal (name, "monitoring"))
    return self->monitoring_page;
  if (g_str_equal (name, "database"))
    return self->database_page;
  return self->migration_page;
}

static void
validate_all (FerryPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *icon = GTK_WIDGET (self->status_icon);

  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "error");

  if (ferry_config_validate (self->config, &error))
    {
      const char *file = ferry_config_get_filename (self->config);
      g_autofree char *text = file ? g_strdup_printf (_("Valid · from %s"), file) : g_strdup (_("Valid"));

      gtk_image_set_from_icon_name (self->status_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
      adw_action_row_set_subtitle (self->status_row, text);
    }
  else
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      gtk_image_set_from_icon_name (self->status_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "error");
      adw_action_row_set_subtitle (self->status_row, escaped);
    }
}

/* Enum ↔ combo row position */

static gboolean
enum_to_selected (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_uint (to, (guint)g_value_get_enum (from));
  return TRUE;
}

static gboolean
selected_to_enum (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_enum (to, (int)g_value_get_uint (from));
  return TRUE;
}

/* Lists are edited as "a, b, c". */

static char **
split_list (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static void
set_row_error (GtkWidget  *row,
               const char *message)
{
  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, message);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, NULL);
    }
}

/* Text rows are checked as they are typed; the config only changes when
 * the value is good. */
static void
on_text_changed (GtkEditable            *editable,
                 FerryPreferencesWindow *self)
{
  const char *property = g_object_get_data (G_OBJECT (editable), "property");
  Kind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (editable), "kind"));
  const char *text = gtk_editable_get_text (editable);
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;

  if (kind == KIND_SIZE)
    {
      guint64 bytes;

      if (ferry_parse_size (text, &bytes, &error) &&
          (bytes < FERRY_CONFIG_MIN_CHUNK_SIZE || bytes > FERRY_CONFIG_MAX_CHUNK_SIZE))
        g_set_error_literal (&error, FERRY_ERROR, FERRY_ERROR_CONFIG, _("must be between 1 MB and 64 GB"));
      if (error == NULL)
        ferry_config_set_chunk_size (self->config, bytes);
    }
  else if (kind == KIND_TEXT)
    {
      if (ferry_config_check_journal_schema (text, &error))
        ferry_config_set_journal_schema (self->config, text);
    }
  else if (kind == KIND_LIST)
    {
      g_auto(GStrv) items = split_list (text);

      for (guint i = 0; items[i] != NULL && error == NULL; i++)
        if (g_str_equal (property, "webhooks"))
          ferry_config_check_webhook (items[i], &error);
        else if (g_str_equal (property, "break-cycles-at"))
          ferry_config_check_foreign_key (items[i], &error);
        else
          ferry_config_check_pattern (items[i], &error);

      if (error == NULL)
        g_object_set (self->config, property, items, NULL);
    }

  set_row_error (GTK_WIDGET (editable), error ? error->message : NULL);
  validate_all (self);
}

static void
load_text (FerryPreferencesWindow *self,
           const Setting          *setting,
           GtkEditable            *editable)
{
  g_autofree char *text = NULL;

  if (setting->kind == KIND_SIZE)
    text = ferry_format_size (ferry_config_get_chunk_size (self->config));
  else if (setting->kind == KIND_TEXT)
    text = g_strdup (ferry_config_get_journal_schema (self->config));
  else
    {
      g_auto(GStrv) items = NULL;
      g_object_get (self->config, setting->property, &items, NULL);
      text = items ? g_strjoinv (", ", items) : g_strdup ("");
    }

  self->updating = TRUE;
  if (g_strcmp0 (gtk_editable_get_text (editable), text) != 0)
    gtk_editable_set_text (editable, text);
  set_row_error (GTK_WIDGET (editable), NULL);
  self->updating = FALSE;
}

static GtkWidget *
create_row (FerryPreferencesWindow *self,
            const Setting          *setting)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self->config), setting->property);
  GtkWidget *row = NULL;

  g_assert (pspec != NULL);

  switch (setting->kind)
    {
    case KIND_NUMBER:
      {
        GParamSpecUInt *uspec = G_PARAM_SPEC_UINT (pspec);
        GtkWidget *spin = gtk_spin_button_new_with_range (uspec->minimum, uspec->maximum, 1);

        row = adw_action_row_new ();
        gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
        gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
        adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
        g_object_bind_property (self->config, setting->property, spin, "value",
                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
        g_object_set_data (G_OBJECT (row), "editor", spin);
      }
      break;

    case KIND_SWITCH:
      {
        GtkWidget *toggle = gtk_switch_new ();

        row = adw_action_row_new ();
        gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
        adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
        g_object_bind_property (self->config, setting->property, toggle, "active",
                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
        g_object_set_data (G_OBJECT (row), "editor", toggle);
      }
      break;

    case KIND_CHOICE:
      {
        g_autoptr(GEnumClass) klass = g_type_class_ref (pspec->value_type);
        g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

        for (guint i = 0; i < klass->n_values; i++)
          gtk_string_list_append (list, klass->values[i].value_nick);

        row = adw_combo_row_new ();
        adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
        g_object_bind_property_full (self->config, setting->property, row, "selected",
                                     G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                     enum_to_selected, selected_to_enum, NULL, NULL);
      }
      break;

    case KIND_TEXT:
    case KIND_SIZE:
    case KIND_LIST:
      row = adw_entry_row_new ();
      g_object_set_data (G_OBJECT (row), "property", (gpointer)setting->property);
      g_object_set_data (G_OBJECT (row), "kind", GINT_TO_POINTER (setting->kind));
      load_text (self, setting, GTK_EDITABLE (row));
      g_signal_connect (row, "changed", G_CALLBACK (on_text_changed), self);
      break;

    default:
      g_assert_not_reached ();
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(setting->title));
  if (setting->subtitle != NULL && ADW_IS_ACTION_ROW (row))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(setting->subtitle));
  else if (setting->subtitle != NULL)
    gtk_widget_set_tooltip_text (row, _(setting->subtitle));

  g_hash_table_insert (self->rows, (gpointer)setting->property, row);
  return row;
}

static void
build_rows (FerryPreferencesWindow *self)
{
  GHashTable *groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      const Setting *s = &settings[i];
      g_autofree char *key = g_strconcat (s->page, "/", s->group, NULL);
      AdwPreferencesGroup *group = g_hash_table_lookup (groups, key);

      if (group == NULL)
        {
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, _(s->group));
          adw_preferences_page_add (page_for (self, s->page), group);
          g_hash_table_insert (groups, g_steal_pointer (&key), group);
        }
      adw_preferences_group_add (group, create_row (self, s));
    }

  g_hash_table_unref (groups);
}

static void
reload_text_rows (FerryPreferencesWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (settings[i].kind == KIND_TEXT || settings[i].kind == KIND_SIZE || settings[i].kind == KIND_LIST)
      load_text (self, &settings[i], GTK_EDITABLE (g_hash_table_lookup (self->rows, settings[i].property)));
}

/* Open and Save As */

static void
show_toast (FerryPreferencesWindow *self,
            const char             *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static void
copy_config (FerryConfig *to,
             FerryConfig *from)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      GValue value = G_VALUE_INIT;
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (from), settings[i].property);

      g_value_init (&value, pspec->value_type);
      g_object_get_property (G_OBJECT (from), settings[i].property, &value);
      g_object_set_property (G_OBJECT (to), settings[i].property, &value);
      g_value_unset (&value);
    }
}

static void
on_open_response (GtkNativeDialog        *dialog,
                  int                     response,
                  FerryPreferencesWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConfig) loaded = NULL;
  g_autofree char *path = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = g_file_get_path (file);
  loaded = ferry_config_new_from_file (path, &error);
  if (loaded == NULL)
    {
      /* The message names the file, line, column and key. */
      show_toast (self, error->message);
      adw_action_row_set_subtitle (self->status_row, error->message);
      return;
    }

  copy_config (self->config, loaded);
  reload_text_rows (self);
  validate_all (self);
  show_toast (self, _("Configuration loaded"));
}

static void
on_save_response (GtkNativeDialog        *dialog,
                  int                     response,
                  FerryPreferencesWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = g_file_get_path (file);
  if (!ferry_config_save (self->config, path, &error))
    show_toast (self, error->message);
  else
    show_toast (self, _("Configuration saved (without passwords)"));
}

static void
run_chooser (FerryPreferencesWindow *self,
             GtkFileChooserAction    action)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (action == GTK_FILE_CHOOSER_ACTION_OPEN
                                                 ? _("Open Configuration") : _("Save Configuration"),
                                               GTK_WINDOW (self), action, NULL, NULL);
  gtk_file_filter_set_name (filter, _("YAML files"));
  gtk_file_filter_add_pattern (filter, "*.yaml");
  gtk_file_filter_add_pattern (filter, "*.yml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  if (action == GTK_FILE_CHOOSER_ACTION_SAVE)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "migration.yaml");

  g_signal_connect (self->chooser, "response",
                    action == GTK_FILE_CHOOSER_ACTION_OPEN ? G_CALLBACK (on_open_response)
                                                           : G_CALLBACK (on_save_response),
                    self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_open (FerryPreferencesWindow *self)
{
  run_chooser (self, GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
on_save (FerryPreferencesWindow *self)
{
  run_chooser (self, GTK_FILE_CHOOSER_ACTION_SAVE);
}

/* GObject */

static void
ferry_preferences_window_dispose (GObject *object)
{
  FerryPreferencesWindow *self = (FerryPreferencesWindow *)object;

  if (self->config != NULL)
    g_signal_handlers_disconnect_by_data (self->config, self);
  g_clear_object (&self->chooser);
  g_clear_object (&self->config);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (ferry_preferences_window_parent_class)->dispose (object);
}

static void
ferry_preferences_window_class_init (FerryPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferrydb/Ferry/ferry-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, migration_page);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, monitoring_page);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, database_page);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, status_row);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, status_icon);
  gtk_widget_class_bind_template_callback (widget_class, on_open);
  gtk_widget_class_bind_template_callback (widget_class, on_save);
}

static void
ferry_preferences_window_init (FerryPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * ferry_preferences_window_new:
 * @config: the configuration to edit, live
 */
FerryPreferencesWindow *
ferry_preferences_window_new (GtkWindow   *parent,
                              FerryConfig *config)
{
  FerryPreferencesWindow *self;

  g_return_val_if_fail (FERRY_IS_CONFIG (config), NULL);

  self = g_object_new (FERRY_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->config = g_object_ref (config);
  build_rows (self);
  g_signal_connect_swapped (config, "notify", G_CALLBACK (validate_all), self);
  validate_all (self);

  return self;
}

FerryConfig *
ferry_preferences_window_get_config (FerryPreferencesWindow *self)
{
  g_return_val_if_fail (FERRY_IS_PREFERENCES_WINDOW (self), NULL);
  return self->config;
}

GtkWidget *
ferry_preferences_window_get_row (FerryPreferencesWindow *self,
                                  const char             *property)
{
  g_return_val_if_fail (FERRY_IS_PREFERENCES_WINDOW (self), NULL);
  return g_hash_table_lookup (self->rows, property);
}
