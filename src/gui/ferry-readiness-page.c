/* ferry-readiness-page.c
 *
 * Every readiness check from the core, grouped (connectivity,
 * privileges, schema, data, dependencies, capacity), each an expander
 * row with its status icon and one-line result; expanded, it explains
 * itself, lists the objects concerned and offers the fix Ferry can
 * apply, if there is one.
 *
 * One fix needs a choice: where the foreign-key cycles are broken. It
 * opens a dialog, built here, that lists each cycle with the keys it
 * could be broken at (from the check's fix data); applying it sets
 * tables.break_cycles_at on the window's configuration and connects
 * again, so that the analysis, the plan and the checks follow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-readiness-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-enum-types.h"
#include "ferry-readiness-page.h"

#define MAX_ITEMS_SHOWN 25

struct _FerryReadinessPage
{
  AdwBin               parent_instance;

  GtkStack            *stack;
  AdwStatusPage       *busy_page;
  AdwStatusPage       *error_page;
  AdwPreferencesPage  *checks_page;
  GtkImage            *summary_icon;
  GtkLabel            *summary_title;
  GtkLabel            *summary_counts;
  GtkLevelBar         *score_bar;

  FerryValidator      *validator;
  GPtrArray           *groups;     /* AdwPreferencesGroup*, one per FerryCheckGroup */
};

G_DEFINE_FINAL_TYPE (FerryReadinessPage, ferry_readiness_page, ADW_TYPE_BIN)

const char *ferry_check_status_icon (FerryCheckStatus status);

const char *
ferry_check_status_icon (FerryCheckStatus status)
{
  switch (status)
    {
    case FERRY_CHECK_STATUS_PASS:    return "emblem-ok-symbolic";
    case FERRY_CHECK_STATUS_WARNING: return "dialog-warning-symbolic";
    case FERRY_CHECK_STATUS_FAIL:    return "dialog-error-symbolic";
    case FERRY_CHECK_STATUS_SKIPPED:
    default:                         return "content-loading-symbolic";
    }
}

static const char *
status_css (FerryCheckStatus status)
{
  switch (status)
    {
    case FERRY_CHECK_STATUS_PASS:    return "success";
    case FERRY_CHECK_STATUS_WARNING: return "warning";
    case FERRY_CHECK_STATUS_FAIL:    return "error";
    case FERRY_CHECK_STATUS_SKIPPED:
    default:                         return "dim-label";
    }
}

static const char *
group_description (FerryCheckGroup group)
{
  switch (group)
    {
    case FERRY_CHECK_GROUP_CONNECTIVITY: return _("Both servers, their versions, encodings and collations");
    case FERRY_CHECK_GROUP_PRIVILEGES:   return _("What the users may read and write");
    case FERRY_CHECK_GROUP_SCHEMA:       return _("Tables, columns and extensions on both sides");
    case FERRY_CHECK_GROUP_DATA:         return _("What is in the tables, and what is special about them");
    case FERRY_CHECK_GROUP_DEPENDENCIES: return _("Foreign keys: order, cycles and references");
    case FERRY_CHECK_GROUP_CAPACITY:     return _("Connections, size and time");
    default:                             return NULL;
    }
}

static GtkWidget *
wrapped_label (const char *text,
               const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

/* Choosing how cycles are broken */

typedef struct {
  FerryValidator *validator;
  GtkWidget      *page;       /* the readiness page, weak */
  GtkWidget      *window;
  GtkWidget      *title;      /* AdwWindowTitle */
  GPtrArray      *groups;     /* CycleGroup* */
  GHashTable     *pairs;      /* "child\x1fparent" → GPtrArray of GtkCheckButton* */
  gboolean        syncing;
} CycleChooser;

typedef struct {
  GPtrArray *checks;          /* GtkCheckButton*, borrowed */
  GtkWidget *count;           /* the group's header suffix */
  gboolean   had_preferred;   /* some key was chosen before */
} CycleGroup;

static void
cycle_group_free (CycleGroup *group)
{
  g_ptr_array_unref (group->checks);
  g_free (group);
}

static void
cycle_chooser_free (CycleChooser *chooser)
{
  g_clear_object (&chooser->validator);
  g_clear_weak_pointer (&chooser->page);
  g_ptr_array_unref (chooser->groups);
  g_hash_table_unref (chooser->pairs);
  g_free (chooser);
}

static void
update_group_count (CycleGroup *group)
{
  guint n = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < group->checks->len; i++)
    n += gtk_check_button_get_active (g_ptr_array_index (group->checks, i));

  text = n == 0
    ? g_strdup (_("Ferry chooses"))
    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u checked", "%u of %u checked",
                                    group->checks->len),
                       n, group->checks->len);
  gtk_label_set_text (GTK_LABEL (group->count), text);
}

/* Keys between the same two tables are kept or broken together: the
 * checks of a pair follow each other. */
static void
on_cycle_check_toggled (GtkCheckButton *check,
                        CycleChooser   *chooser)
{
  GPtrArray *pair = g_hash_table_lookup (chooser->pairs, g_object_get_data (G_OBJECT (check), "pair"));
  gboolean active = gtk_check_button_get_active (check);

  if (!chooser->syncing)
    {
      chooser->syncing = TRUE;
      for (guint i = 0; pair != NULL && i < pair->len; i++)
        gtk_check_button_set_active (g_ptr_array_index (pair, i), active);
      chooser->syncing = FALSE;
    }

  update_group_count (g_object_get_data (G_OBJECT (check), "group"));
}

/* A group left as Ferry chose it adds nothing: Ferry would choose the
 * same again, and still will after the schema changes. */
static gboolean
group_is_ferrys_choice (CycleGroup *group)
{
  if (group->had_preferred)
    return FALSE;

  for (guint i = 0; i < group->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (group->checks, i);
      gboolean was = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "breaking"));

      if (gtk_check_button_get_active (check) != was)
        return FALSE;
    }
  return TRUE;
}

static void
on_cycle_chooser_apply (GtkButton    *button,
                        CycleChooser *chooser)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page;

  for (guint g = 0; g < chooser->groups->len; g++)
    {
      CycleGroup *group = g_ptr_array_index (chooser->groups, g);

      if (group_is_ferrys_choice (group))
        continue;
      for (guint i = 0; i < group->checks->len; i++)
        {
          GtkCheckButton *check = g_ptr_array_index (group->checks, i);

          if (gtk_check_button_get_active (check))
            g_strv_builder_add (builder, g_object_get_data (G_OBJECT (check), "fk-path"));
        }
    }
  names = g_strv_builder_end (builder);

  if (!ferry_validator_apply_cycle_breaks (chooser->validator, (const char * const *) names, &error))
    {
      adw_window_title_set_subtitle (ADW_WINDOW_TITLE (chooser->title), error->message);
      return;
    }

  /* Destroying the window frees the chooser. */
  page = chooser->page != NULL ? g_object_ref (chooser->page) : NULL;
  gtk_window_destroy (GTK_WINDOW (chooser->window));
  /* The choice changes the analysis and the plan: read everything again,
   * as after any other fix. */
  if (page != NULL && gtk_widget_get_root (page) != NULL)
    gtk_widget_activate_action (page, "win.connect", NULL);
  g_clear_object (&page);
}

static char *
fk_subtitle (JsonObject *fk)
{
  JsonArray *columns = json_object_get_array_member (fk, "columns");
  g_autoptr(GString) cols = g_string_new (NULL);
  const char *hint;

  for (guint i = 0; i < json_array_get_length (columns); i++)
    g_string_append_printf (cols, "%s%s", i > 0 ? ", " : "", json_array_get_string_element (columns, i));

  if (json_object_get_boolean_member (fk, "deferrable"))
    hint = _("Deferrable: a good key to break");
  else if (json_object_get_boolean_member (fk, "nullable"))
    hint = _("Nullable: a good key to break");
  else
    hint = _("NOT NULL, not deferrable: dropped, then re-added NOT VALID and validated");

  /* child → parent (columns) */
  return g_strdup_printf (_("%s → %s (%s)\n%s"),
                          json_object_get_string_member (fk, "child"),
                          json_object_get_string_member (fk, "parent"),
                          cols->str, hint);
}

static GtkWidget *
cycle_fk_row (CycleChooser *chooser,
              CycleGroup   *group,
              JsonObject   *fk)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  gboolean breaking = json_object_get_boolean_member (fk, "breaking");
  gboolean preferred = json_object_get_boolean_member (fk, "preferred");
  g_autofree char *title = g_markup_escape_text (json_object_get_string_member (fk, "name"), -1);
  g_autofree char *subtitle_text = fk_subtitle (fk);
  g_autofree char *subtitle = g_markup_escape_text (subtitle_text, -1);
  g_autofree char *pair = g_strconcat (json_object_get_string_member (fk, "child"), "\x1f",
                                       json_object_get_string_member (fk, "parent"), NULL);
  GPtrArray *siblings;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), breaking);

  if (breaking)
    {
      GtkWidget *tag = gtk_label_new (preferred ? _("Your choice") : _("Ferry’s choice"));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "caption");
      gtk_widget_add_css_class (tag, preferred ? "accent" : "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
    }

  g_object_set_data_full (G_OBJECT (check), "fk-path",
                          g_strdup (json_object_get_string_member (fk, "path")), g_free);
  g_object_set_data (G_OBJECT (check), "breaking", GINT_TO_POINTER (breaking));
  g_object_set_data (G_OBJECT (check), "group", group);
  g_ptr_array_add (group->checks, check);
  group->had_preferred |= preferred;

  siblings = g_hash_table_lookup (chooser->pairs, pair);
  if (siblings == NULL)
    {
      siblings = g_ptr_array_new ();
      g_hash_table_insert (chooser->pairs, g_strdup (pair), siblings);
    }
  g_ptr_array_add (siblings, check);
  g_object_set_data_full (G_OBJECT (check), "pair", g_steal_pointer (&pair), g_free);
  g_signal_connect (check, "toggled", G_CALLBACK (on_cycle_check_toggled), chooser);

  return row;
}

/* The names tables.break_cycles_at lists that break nothing: applying
 * the dialog drops them. */
static GtkWidget *
unused_names_group (JsonArray *preferred)
{
  GtkWidget *group = NULL;

  for (guint i = 0; preferred != NULL && i < json_array_get_length (preferred); i++)
    {
      JsonObject *entry = json_array_get_object_element (preferred, i);
      const char *status = json_object_get_string_member (entry, "status");
      g_autofree char *title = NULL;
      GtkWidget *row, *icon;

      if (g_str_equal (status, "broken"))
        continue;

      if (group == NULL)
        {
          group = adw_preferences_group_new ();
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Listed but Unused"));
          adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                                 _("These names in tables.break_cycles_at break no cycle. "
                                                   "Applying your choice removes them."));
        }

      row = adw_action_row_new ();
      title = g_markup_escape_text (json_object_get_string_member (entry, "path"), -1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   g_str_equal (status, "unknown")
                                   ? _("The source has no such foreign key")
                                   : _("Not in a cycle: it stays in place"));
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  return group;
}

static GtkWidget *
cycle_chooser_new (FerryReadinessPage *self,
                   FerryCheck         *check)
{
  JsonObject *data = json_node_get_object (ferry_check_get_fix_data (check));
  JsonArray *cycles = json_object_get_array_member (data, "cycles");
  CycleChooser *chooser = g_new0 (CycleChooser, 1);
  GtkWidget *window, *box, *header, *cancel, *apply, *page, *intro, *unused;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  guint n_fks = 0;
  g_autofree char *subtitle = NULL;

  chooser->validator = g_object_ref (self->validator);
  g_set_weak_pointer (&chooser->page, GTK_WIDGET (self));
  chooser->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) cycle_group_free);
  chooser->pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);

  window = adw_window_new ();
  chooser->window = window;
  gtk_widget_set_name (window, "cycle-breaks-dialog");
  gtk_window_set_title (GTK_WINDOW (window), _("Choose How Cycles Are Broken"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 760);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  g_object_set_data_full (G_OBJECT (window), "chooser", chooser, (GDestroyNotify) cycle_chooser_free);

  header = adw_header_bar_new ();
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  apply = gtk_button_new_with_mnemonic (_("_Apply"));
  gtk_widget_set_name (apply, "apply");
  gtk_widget_add_css_class (apply, "suggested-action");
  g_signal_connect (apply, "clicked", G_CALLBACK (on_cycle_chooser_apply), chooser);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), apply);
  gtk_window_set_default_widget (GTK_WINDOW (window), apply);

  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);

  intro = adw_preferences_group_new ();
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (intro),
    _("Each cycle loses at least one foreign key during the load: Ferry drops the checked keys "
      "before it, then adds them back NOT VALID and validates them. Ferry’s own choice is "
      "checked to start with; a cycle that your keys leave unbroken is broken at as few other "
      "keys as possible. The choice is kept in the configuration as tables.break_cycles_at."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (intro));

  for (guint c = 0; c < json_array_get_length (cycles); c++)
    {
      JsonObject *cycle = json_array_get_object_element (cycles, c);
      JsonArray *tables = json_object_get_array_member (cycle, "tables");
      JsonArray *fks = json_object_get_array_member (cycle, "foreign_keys");
      GtkWidget *group = adw_preferences_group_new ();
      CycleGroup *cycle_group = g_new0 (CycleGroup, 1);
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *title = g_strdup_printf (_("Cycle %u"), c + 1);
      g_autofree char *description = NULL;

      for (guint t = 0; t < json_array_get_length (tables); t++)
        g_string_append_printf (names, "%s%s", t > 0 ? ", " : "", json_array_get_string_element (tables, t));
      description = g_markup_escape_text (names->str, -1);

      cycle_group->checks = g_ptr_array_new ();
      cycle_group->count = gtk_label_new (NULL);
      gtk_widget_add_css_class (cycle_group->count, "dim-label");
      gtk_widget_set_valign (cycle_group->count, GTK_ALIGN_END);
      g_ptr_array_add (chooser->groups, cycle_group);

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), cycle_group->count);

      for (guint k = 0; k < json_array_get_length (fks); k++)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   cycle_fk_row (chooser, cycle_group, json_array_get_object_element (fks, k)));
      n_fks += json_array_get_length (fks);
      update_group_count (cycle_group);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
    }

  unused = unused_names_group (json_object_get_array_member (data, "preferred"));
  if (unused != NULL)
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (unused));

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u cycle, %u foreign keys to choose from",
                                           "%u cycles, %u foreign keys to choose from",
                                           json_array_get_length (cycles)),
                              json_array_get_length (cycles), n_fks);
  chooser->title = adw_window_title_new (_("Break Cycles"), subtitle);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), chooser->title);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);

  return window;
}

static void
on_fix_clicked (GtkButton *button,
                FerryCheck *check)
{
  FerryReadinessPage *self = FERRY_READINESS_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                                            FERRY_TYPE_READINESS_PAGE));

  if (g_strcmp0 (ferry_check_get_fix_id (check), FERRY_FIX_CHOOSE_CYCLE_BREAKS) == 0)
    {
      if (self != NULL && self->validator != NULL && ferry_check_get_fix_data (check) != NULL)
        gtk_window_present (GTK_WINDOW (cycle_chooser_new (self, check)));
      return;
    }

  gtk_widget_activate_action (GTK_WIDGET (button), "win.apply-fix", "s", ferry_check_get_fix_id (check));
}

static GtkWidget *
create_check_row (FerryCheck *check)
{
  FerryCheckStatus status = ferry_check_get_status (check);
  const char * const *items = ferry_check_get_items (check);
  guint n_items = items ? g_strv_length ((char **)items) : 0;
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (ferry_check_status_icon (status));
  GtkWidget *box;
  g_autofree char *title = g_markup_escape_text (ferry_check_get_title (check), -1);
  g_autofree char *summary = g_markup_escape_text (ferry_check_get_summary (check) ? ferry_check_get_summary (check) : "", -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), summary);
  gtk_widget_add_css_class (icon, status_css (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ferry_check_status_to_string (status), -1);
  gtk_widget_set_tooltip_text (icon, ferry_check_status_to_string (status));
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
  g_object_set_data_full (G_OBJECT (row), "check", g_object_ref (check), g_object_unref);

  if (ferry_check_get_fix_id (check) != NULL && status != FERRY_CHECK_STATUS_PASS)
    {
      gboolean choose = g_str_equal (ferry_check_get_fix_id (check), FERRY_FIX_CHOOSE_CYCLE_BREAKS);
      GtkWidget *fix = gtk_button_new_with_mnemonic (choose ? _("_Choose…") : _("_Fix"));

      g_object_set_data_full (G_OBJECT (fix), "fix-id", g_strdup (ferry_check_get_fix_id (check)), g_free);
      gtk_widget_set_valign (fix, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (fix, ferry_check_get_fix (check));
      gtk_widget_add_css_class (fix, status == FERRY_CHECK_STATUS_FAIL ? "suggested-action" : "flat");
      g_signal_connect_object (fix, "clicked", G_CALLBACK (on_fix_clicked), check, 0);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), fix);
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 12);

  if (ferry_check_get_explanation (check) != NULL)
    gtk_box_append (GTK_BOX (box), wrapped_label (ferry_check_get_explanation (check), NULL));

  if (n_items > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < n_items && i < MAX_ITEMS_SHOWN; i++)
        g_string_append_printf (list, "%s• %s", i > 0 ? "\n" : "", items[i]);
      if (n_items > MAX_ITEMS_SHOWN)
        {
          g_string_append_c (list, '\n');
          g_string_append_printf (list, g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more",
                                                     n_items - MAX_ITEMS_SHOWN),
                                  n_items - MAX_ITEMS_SHOWN);
        }
      gtk_box_append (GTK_BOX (box), wrapped_label (_("Concerned"), "heading"));
      gtk_box_append (GTK_BOX (box), wrapped_label (list->str, "monospace"));
    }

  if (ferry_check_get_fix (check) != NULL && status != FERRY_CHECK_STATUS_PASS)
    {
      gtk_box_append (GTK_BOX (box), wrapped_label (_("Fix"), "heading"));
      gtk_box_append (GTK_BOX (box), wrapped_label (ferry_check_get_fix (check), NULL));
    }

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), box);
  /* What needs attention is open from the start. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), status == FERRY_CHECK_STATUS_FAIL);

  return row;
}

static void
clear_groups (FerryReadinessPage *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->checks_page, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
}

/**
 * ferry_readiness_page_refresh:
 *
 * Shows the validator's checks as they are now.
 */
void
ferry_readiness_page_refresh (FerryReadinessPage *self)
{
  GListModel *checks;
  guint passed, warnings, failed, skipped;
  g_autofree char *counts = NULL;
  double score;
  FerryCheckStatus overall;

  g_return_if_fail (FERRY_IS_READINESS_PAGE (self));

  clear_groups (self);

  if (self->validator == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  checks = ferry_validator_get_checks (self->validator);
  if (g_list_model_get_n_items (checks) == 0)
    return;

  for (guint g = FERRY_CHECK_GROUP_CONNECTIVITY; g <= FERRY_CHECK_GROUP_CAPACITY; g++)
    {
      GtkWidget *group = adw_preferences_group_new ();
      gboolean any = FALSE;

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), ferry_check_group_to_string (g));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), group_description (g));

      for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
        {
          g_autoptr(FerryCheck) check = g_list_model_get_item (checks, i);

          if (ferry_check_get_group (check) != g)
            continue;
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), create_check_row (check));
          any = TRUE;
        }

      if (!any)
        {
          g_object_ref_sink (group);
          g_object_unref (group);
          continue;
        }
      adw_preferences_page_add (self->checks_page, ADW_PREFERENCES_GROUP (group));
      g_ptr_array_add (self->groups, group);
    }

  passed = ferry_validator_count (self->validator, FERRY_CHECK_STATUS_PASS);
  warnings = ferry_validator_count (self->validator, FERRY_CHECK_STATUS_WARNING);
  failed = ferry_validator_count (self->validator, FERRY_CHECK_STATUS_FAIL);
  skipped = ferry_validator_count (self->validator, FERRY_CHECK_STATUS_SKIPPED);
  score = ferry_validator_get_score (self->validator);

  overall = failed > 0 ? FERRY_CHECK_STATUS_FAIL : warnings > 0 ? FERRY_CHECK_STATUS_WARNING : FERRY_CHECK_STATUS_PASS;
  gtk_image_set_from_icon_name (self->summary_icon, ferry_check_status_icon (overall));
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_icon), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_icon), status_css (overall));

  gtk_label_set_text (self->summary_title,
                      failed > 0 ? _("Not ready: fix what failed")
                      : warnings > 0 ? _("Ready, with warnings to read")
                      : _("Ready to migrate"));
  counts = g_strdup_printf (_("%u passed · %u warnings · %u failed · %u skipped — %.0f%% of the checks passed"),
                            passed, warnings, failed, skipped, score);
  gtk_label_set_text (self->summary_counts, counts);
  gtk_level_bar_set_value (self->score_bar, score);

  gtk_stack_set_visible_child_name (self->stack, "checks");
}

void
ferry_readiness_page_set_validator (FerryReadinessPage *self,
                                    FerryValidator     *validator)
{
  g_return_if_fail (FERRY_IS_READINESS_PAGE (self));

  g_set_object (&self->validator, validator);
  ferry_readiness_page_refresh (self);
}

FerryValidator *
ferry_readiness_page_get_validator (FerryReadinessPage *self)
{
  g_return_val_if_fail (FERRY_IS_READINESS_PAGE (self), NULL);
  return self->validator;
}

void
ferry_readiness_page_set_busy (FerryReadinessPage *self,
                               gboolean            busy,
                               const char         *message)
{
  g_return_if_fail (FERRY_IS_READINESS_PAGE (self));

  if (busy)
    {
      adw_status_page_set_title (self->busy_page, message ? message : _("Checking…"));
      gtk_stack_set_visible_child_name (self->stack, "busy");
    }
  else
    ferry_readiness_page_refresh (self);
}

void
ferry_readiness_page_show_error (FerryReadinessPage *self,
                                 const GError       *error)
{
  g_return_if_fail (FERRY_IS_READINESS_PAGE (self));

  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
ferry_readiness_page_dispose (GObject *object)
{
  FerryReadinessPage *self = (FerryReadinessPage *)object;

  g_clear_object (&self->validator);
  g_clear_pointer (&self->groups, g_ptr_array_unref);

  G_OBJECT_CLASS (ferry_readiness_page_parent_class)->dispose (object);
}

static void
ferry_readiness_page_class_init (FerryReadinessPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_readiness_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferrydb/Ferry/ferry-readiness-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryReadinessPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryReadinessPage, busy_page);
  gtk_widget_class_bind_template_child (widget_class, FerryReadinessPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, FerryReadinessPage, checks_page);
  gtk_widget_class_bind_template_child (widget_class, FerryReadinessPage, summary_icon);
  gtk_widget_class_bind_template_child (widget_class, FerryReadinessPage, summary_title);
  gtk_widget_class_bind_template_child (widget_class, FerryReadinessPage, summary_counts);
  gtk_widget_class_bind_template_child (widget_class, FerryReadinessPage, score_bar);
}

static void
ferry_readiness_page_init (FerryReadinessPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->groups = g_ptr_array_new ();
}
