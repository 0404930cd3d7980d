/* ferry-readiness-page.c
 *
 * Every readiness check from the core, grouped (connectivity,
 * privileges, schema, data, dependencies, capacity), each an expander
 * row with its status icon and one-line result; expanded, it explains
 * itself, lists the objects concerned and offers the fix Ferry can
 * apply, if there is one.
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

static void
on_fix_clicked (GtkButton *button,
                FerryCheck *check)
{
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
      GtkWidget *fix = gtk_button_new_with_mnemonic (_("_Fix"));
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
