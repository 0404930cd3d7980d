/* ferry-dashboard-page.c
 *
 * The migration as it runs: overall progress, figures, the throughput
 * chart, counters by table status and by error class, and every table
 * in a column view (status, name, progress, rows, size, speed,
 * attempts, last error) that can be sorted and filtered.
 *
 * The figures refresh when the migration's FerryFigureSource samples (at
 * least once a second), whether it runs here or in a service; table rows
 * follow their FerryTable's notifications through expressions, so only
 * the visible rows do any work. The counters by status (and "Tables
 * done") follow the table list itself, once per burst of changes, so
 * that they never disagree with the rows: a table changes between two
 * samples, and a service sends its tables apart from its figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-dashboard-page"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "ferry-dashboard-page.h"
#include "ferry-enum-types.h"
#include "ferry-throughput-chart.h"

struct _FerryDashboardPage
{
  AdwBin                parent_instance;

  GtkStack             *stack;
  GtkLabel             *percent_label;
  GtkProgressBar       *progress_bar;
  GtkLabel             *phase_label;
  GtkFlowBox           *stats_box;
  FerryThroughputChart *chart;
  GtkLabel             *table_counts;
  GtkLabel             *error_counts;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *filter_dropdown;
  GtkColumnView        *column_view;

  GtkLabel             *stat_values[7];

  FerryFigureSource    *source;
  FerryTableList       *tables;       /* the source's, while it is shown */
  GtkCustomFilter      *filter;
  GtkSortListModel     *sorted;
  gulong                sampled_id;
  gulong                state_id;
  gulong                tables_changed_id;
  gulong                items_changed_id;
  guint                 counts_id;
};

G_DEFINE_FINAL_TYPE (FerryDashboardPage, ferry_dashboard_page, ADW_TYPE_BIN)

enum {
  STAT_ROWS,
  STAT_DATA,
  STAT_TABLES,
  STAT_THROUGHPUT,
  STAT_ETA,
  STAT_ELAPSED,
  STAT_WORKERS,
};

static GQuark started_quark;

/* Formatting closures for the column view */

static char *
status_icon_name (GObject          *item,
                  FerryTableStatus  status)
{
  switch (status)
    {
    case FERRY_TABLE_STATUS_PENDING:   return g_strdup ("content-loading-symbolic");
    case FERRY_TABLE_STATUS_WAITING:   return g_strdup ("content-loading-symbolic");
    case FERRY_TABLE_STATUS_RUNNING:   return g_strdup ("media-playback-start-symbolic");
    case FERRY_TABLE_STATUS_COMPLETED: return g_strdup ("emblem-ok-symbolic");
    case FERRY_TABLE_STATUS_FAILED:    return g_strdup ("dialog-error-symbolic");
    case FERRY_TABLE_STATUS_SKIPPED:   return g_strdup ("action-unavailable-symbolic");
    case FERRY_TABLE_STATUS_EXCLUDED:
    default:                           return g_strdup ("list-remove-symbolic");
    }
}

static char *
status_text (GObject          *item,
             FerryTableStatus  status)
{
  return g_strdup (ferry_table_status_to_string (status));
}

static char *
count_text (GObject *item,
            guint64  value)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, value);
}

static char *
size_text (GObject *item,
           guint64  value)
{
  return ferry_format_bytes (value);
}

static char *
attempts_text (GObject *item,
               guint    value)
{
  return value > 0 ? g_strdup_printf ("%u", value) : g_strdup ("");
}

/* @this is the list item the expression is bound for; @status is a
 * parameter so that the speed goes when the table stops running, even
 * when its bytes do not move again (a service sends both at once). */
static char *
speed_text (GtkListItem      *list_item,
            guint64           bytes_done,
            FerryTableStatus  status)
{
  GObject *item = gtk_list_item_get_item (list_item);
  gint64 *started;
  double seconds;

  if (item == NULL)
    return g_strdup ("");
  started = g_object_get_qdata (item, started_quark);

  /* A speed is only meaningful while the table is being copied. */
  if (status != FERRY_TABLE_STATUS_RUNNING && started != NULL)
    return g_strdup ("");

  if (started == NULL)
    {
      if (status != FERRY_TABLE_STATUS_RUNNING)
        return g_strdup ("");
      started = g_new (gint64, 1);
      *started = g_get_monotonic_time ();
      g_object_set_qdata_full (item, started_quark, started, g_free);
      return g_strdup ("");
    }

  seconds = (g_get_monotonic_time () - *started) / (double)G_USEC_PER_SEC;
  if (seconds < 0.5 || bytes_done == 0)
    return g_strdup ("");

  {
    g_autofree char *size = ferry_format_bytes ((guint64)(bytes_done / seconds));
    return g_strdup_printf (_("%s/s"), size);
  }
}

static GtkExpression *
table_property (const char *property)
{
  return gtk_property_expression_new (FERRY_TYPE_TABLE,
                                      gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item"),
                                      property);
}

static GtkExpression *
formatted (const char *property,
           GCallback   func)
{
  GtkExpression *params[] = { table_property (property) };
  return gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params, func, NULL, NULL);
}

static void
on_status_icon_changed (GtkImage   *image,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  const char *icon = gtk_image_get_icon_name (image);
  GtkWidget *widget = GTK_WIDGET (image);

  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "error");
  gtk_widget_remove_css_class (widget, "accent");
  gtk_widget_remove_css_class (widget, "dim-label");
  if (g_strcmp0 (icon, "emblem-ok-symbolic") == 0)
    gtk_widget_add_css_class (widget, "success");
  else if (g_strcmp0 (icon, "dialog-error-symbolic") == 0)
    gtk_widget_add_css_class (widget, "error");
  else if (g_strcmp0 (icon, "media-playback-start-symbolic") == 0)
    gtk_widget_add_css_class (widget, "accent");
  else
    gtk_widget_add_css_class (widget, "dim-label");
}

static void
setup_status (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkWidget *image = gtk_image_new ();
  GtkExpression *icon;
  GtkExpression *params[] = { table_property ("status") };
  GtkExpression *params2[] = { table_property ("status") };
  GtkExpression *tooltip;

  g_signal_connect (image, "notify::icon-name", G_CALLBACK (on_status_icon_changed), NULL);
  icon = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params, G_CALLBACK (status_icon_name), NULL, NULL);
  tooltip = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params2, G_CALLBACK (status_text), NULL, NULL);
  gtk_expression_bind (icon, image, "icon-name", item);
  gtk_expression_bind (tooltip, image, "tooltip-text", item);
  gtk_list_item_set_child (item, image);
}

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  const char *what = user_data;
  GtkWidget *label = gtk_label_new (NULL);
  GtkExpression *expression;

  gtk_label_set_xalign (GTK_LABEL (label), g_str_equal (what, "name") || g_str_equal (what, "error") ? 0.0 : 1.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, g_str_equal (what, "name") || g_str_equal (what, "error") ? "body" : "numeric");

  if (g_str_equal (what, "name"))
    expression = table_property ("display-name");
  else if (g_str_equal (what, "rows"))
    expression = formatted ("rows-done", G_CALLBACK (count_text));
  else if (g_str_equal (what, "size"))
    expression = formatted ("size-bytes", G_CALLBACK (size_text));
  else if (g_str_equal (what, "speed"))
    {
      GtkExpression *params[] = { table_property ("bytes-done"), table_property ("status") };

      expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 2, params, G_CALLBACK (speed_text), NULL, NULL);
    }
  else if (g_str_equal (what, "attempts"))
    expression = formatted ("attempts", G_CALLBACK (attempts_text));
  else
    {
      expression = table_property ("last-error");
      gtk_widget_add_css_class (label, "error");
      gtk_expression_bind (gtk_expression_ref (expression), label, "tooltip-text", item);
    }

  gtk_expression_bind (expression, label, "label", item);
  gtk_list_item_set_child (item, label);
}

static void
setup_progress (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *bar = gtk_progress_bar_new ();

  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_expression_bind (table_property ("fraction"), bar, "fraction", item);
  gtk_list_item_set_child (item, bar);
}

static void
add_column (FerryDashboardPage *self,
            const char         *title,
            const char         *what,
            GtkSorter          *sorter,
            gboolean            expand,
            int                 fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  if (g_str_equal (what, "status"))
    g_signal_connect (factory, "setup", G_CALLBACK (setup_status), NULL);
  else if (g_str_equal (what, "progress"))
    g_signal_connect (factory, "setup", G_CALLBACK (setup_progress), NULL);
  else
    g_signal_connect (factory, "setup", G_CALLBACK (setup_label), (gpointer)what);

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  if (sorter != NULL)
    gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
  g_clear_object (&sorter);
}

static int
status_rank (GObject          *item,
             FerryTableStatus  status)
{
  /* Failed first, then running, waiting, done. */
  switch (status)
    {
    case FERRY_TABLE_STATUS_FAILED:    return 0;
    case FERRY_TABLE_STATUS_RUNNING:   return 1;
    case FERRY_TABLE_STATUS_WAITING:   return 2;
    case FERRY_TABLE_STATUS_PENDING:   return 3;
    case FERRY_TABLE_STATUS_COMPLETED: return 4;
    case FERRY_TABLE_STATUS_SKIPPED:   return 5;
    default:                           return 6;
    }
}

static GtkSorter *
status_sorter (void)
{
  GtkExpression *params[] = { gtk_property_expression_new (FERRY_TYPE_TABLE, NULL, "status") };

  return GTK_SORTER (gtk_numeric_sorter_new (gtk_cclosure_expression_new (G_TYPE_INT, NULL, 1, params,
                                                                           G_CALLBACK (status_rank),
                                                                           NULL, NULL)));
}

static GtkSorter *
numeric_sorter (const char *property)
{
  return GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (FERRY_TYPE_TABLE, NULL, property)));
}

/* Filtering */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  FerryDashboardPage *self = user_data;
  FerryTable *table = item;
  FerryTableStatus status = ferry_table_get_status (table);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (search != NULL && *search != '\0')
    {
      g_autofree char *haystack = g_utf8_casefold (ferry_table_get_display_name (table), -1);
      g_autofree char *needle = g_utf8_casefold (search, -1);
      if (strstr (haystack, needle) == NULL)
        return FALSE;
    }

  switch (gtk_drop_down_get_selected (self->filter_dropdown))
    {
    case 1:  return status == FERRY_TABLE_STATUS_RUNNING;
    case 2:  return status == FERRY_TABLE_STATUS_FAILED;
    case 3:  return status == FERRY_TABLE_STATUS_PENDING || status == FERRY_TABLE_STATUS_WAITING;
    case 4:  return status == FERRY_TABLE_STATUS_COMPLETED || status == FERRY_TABLE_STATUS_SKIPPED;
    default: return status != FERRY_TABLE_STATUS_EXCLUDED;
    }
}

static void
on_filter_changed (FerryDashboardPage *self)
{
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

void
ferry_dashboard_page_set_filter (FerryDashboardPage *self,
                                 const char         *filter)
{
  static const char * const names[] = { "all", "running", "failed", "waiting", "completed", NULL };

  g_return_if_fail (FERRY_IS_DASHBOARD_PAGE (self));

  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (filter, names[i]) == 0)
      gtk_drop_down_set_selected (self->filter_dropdown, i);
}

/* Figures */

static GtkLabel *
add_stat (FerryDashboardPage *self,
          const char         *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *caption = gtk_label_new (title);
  GtkWidget *value = gtk_label_new ("—");

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "stat");
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (value, "title-4");
  gtk_widget_add_css_class (value, "numeric");
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), value);
  gtk_flow_box_append (self->stats_box, box);

  return GTK_LABEL (value);
}

/* "Tables done" and the counters by status, from the list as it is. */
static void
update_table_counts (FerryDashboardPage *self)
{
  FerryTableList *tables = self->tables;
  g_autoptr(GString) status_counts = g_string_new (NULL);
  g_autofree char *table_text = NULL;
  guint n_tables, n_done;

  if (tables == NULL)
    return;

  n_tables = g_list_model_get_n_items (G_LIST_MODEL (tables)) -
             ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_EXCLUDED);
  n_done = ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_COMPLETED) +
           ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_SKIPPED);
  table_text = g_strdup_printf (_("%u of %u"), n_done, n_tables);
  gtk_label_set_text (self->stat_values[STAT_TABLES], table_text);

  for (guint s = 0; s < FERRY_TABLE_STATUS_LAST; s++)
    {
      guint n = ferry_table_list_count_status (tables, s);
      if (s == FERRY_TABLE_STATUS_EXCLUDED && n == 0)
        continue;
      g_string_append_printf (status_counts, "%s%s <b>%u</b>", status_counts->len ? "\n" : "",
                              ferry_table_status_to_string (s), n);
    }
  gtk_label_set_markup (self->table_counts, status_counts->str);
}

static gboolean
update_table_counts_idle (gpointer user_data)
{
  FerryDashboardPage *self = user_data;

  self->counts_id = 0;
  update_table_counts (self);
  return G_SOURCE_REMOVE;
}

static void
on_tables_changed (FerryDashboardPage *self)
{
  if (self->counts_id == 0)
    self->counts_id = g_idle_add (update_table_counts_idle, self);
}

/**
 * ferry_dashboard_page_update:
 *
 * Refreshes the figures; called on every sample of the source.
 */
void
ferry_dashboard_page_update (FerryDashboardPage *self)
{
  FerryFigureSource *source = self->source;
  FerryFigures figures;
  g_autofree char *percent = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *data = NULL;
  g_autofree char *done_size = NULL;
  g_autofree char *total_size = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *rate_size = NULL;
  g_autofree char *eta = NULL;
  g_autofree char *elapsed = NULL;
  g_autofree char *workers = NULL;
  g_autoptr(GString) class_counts = g_string_new (NULL);
  double fraction;

  g_return_if_fail (FERRY_IS_DASHBOARD_PAGE (self));

  if (source == NULL)
    return;

  ferry_figure_source_get_figures (source, &figures);
  fraction = ferry_figure_source_get_fraction (source);

  percent = g_strdup_printf ("%.0f%%", 100.0 * fraction);
  gtk_label_set_text (self->percent_label, percent);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_label_set_text (self->phase_label, ferry_phase_to_string (ferry_figure_source_get_phase (source)));

  if (ferry_figure_source_get_state (source) == FERRY_STATE_COMPLETED)
    rows = g_strdup_printf ("%" G_GUINT64_FORMAT, figures.rows_done);
  else
    rows = g_strdup_printf (_("%" PRIu64 " of ~%" PRId64), figures.rows_done, figures.rows_total);
  done_size = ferry_format_bytes (figures.bytes_done);
  total_size = ferry_format_bytes (figures.bytes_total);
  data = g_strdup_printf (_("%s of %s"), done_size, total_size);
  rate_size = ferry_format_bytes ((guint64)figures.bytes_per_second);
  rate = g_strdup_printf (_("%s/s · %.0f rows/s"), rate_size, figures.rows_per_second);
  eta = ferry_format_clock (figures.eta_seconds, "—");
  elapsed = ferry_format_clock (figures.elapsed_seconds, "—");
  /* An older service does not say how many workers it may run. */
  if (figures.max_parallel > 0)
    workers = g_strdup_printf (_("%u of %u"), figures.n_running, figures.max_parallel);
  else
    workers = g_strdup_printf ("%u", figures.n_running);

  gtk_label_set_text (self->stat_values[STAT_ROWS], rows);
  gtk_label_set_text (self->stat_values[STAT_DATA], data);
  gtk_label_set_text (self->stat_values[STAT_THROUGHPUT], rate);
  gtk_label_set_text (self->stat_values[STAT_ETA], eta);
  gtk_label_set_text (self->stat_values[STAT_ELAPSED], elapsed);
  gtk_label_set_text (self->stat_values[STAT_WORKERS], workers);

  g_clear_handle_id (&self->counts_id, g_source_remove);
  update_table_counts (self);

  for (guint k = 0; k < FERRY_ERROR_CLASS_LAST; k++)
    g_string_append_printf (class_counts, "%s%s <b>%u</b>", class_counts->len ? "\n" : "",
                            ferry_error_class_to_string (k), figures.errors[k]);
  gtk_label_set_markup (self->error_counts, class_counts->str);

  /* Statuses move: keep the filter and the order true. */
  if (gtk_drop_down_get_selected (self->filter_dropdown) != 0)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (gtk_sort_list_model_get_sorter (self->sorted) != NULL)
    gtk_sorter_changed (gtk_sort_list_model_get_sorter (self->sorted), GTK_SORTER_CHANGE_DIFFERENT);
}

static void
on_state_changed (FerryDashboardPage *self,
                  FerryState          old_state,
                  FerryState          new_state)
{
  if (new_state == FERRY_STATE_RUNNING)
    gtk_stack_set_visible_child_name (self->stack, "dashboard");
  ferry_dashboard_page_update (self);
}

/**
 * ferry_dashboard_page_set_source:
 * @source: (nullable): the migration to show, local or in a service
 */
void
ferry_dashboard_page_set_source (FerryDashboardPage *self,
                                 FerryFigureSource  *source)
{
  g_autoptr(GtkFilterListModel) filtered = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;
  FerryFigures figures;

  g_return_if_fail (FERRY_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (source == NULL || FERRY_IS_FIGURE_SOURCE (source));

  if (self->source == source)
    return;

  if (self->source != NULL)
    {
      g_clear_signal_handler (&self->sampled_id, self->source);
      g_clear_signal_handler (&self->state_id, self->source);
    }
  if (self->tables != NULL)
    {
      g_clear_signal_handler (&self->tables_changed_id, self->tables);
      g_clear_signal_handler (&self->items_changed_id, self->tables);
      g_clear_object (&self->tables);
    }
  g_clear_handle_id (&self->counts_id, g_source_remove);
  g_set_object (&self->source, source);

  ferry_throughput_chart_set_source (self->chart, source);

  if (source == NULL)
    {
      gtk_column_view_set_model (self->column_view, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  self->sampled_id = g_signal_connect_swapped (source, "sampled", G_CALLBACK (ferry_dashboard_page_update), self);
  self->state_id = g_signal_connect_swapped (source, "state-changed", G_CALLBACK (on_state_changed), self);
  /* A table's status, rows or bytes moved, or the list was replaced. */
  self->tables = g_object_ref (ferry_figure_source_get_tables (source));
  self->tables_changed_id = g_signal_connect_swapped (self->tables, "notify::fraction",
                                                      G_CALLBACK (on_tables_changed), self);
  self->items_changed_id = g_signal_connect_swapped (self->tables, "items-changed",
                                                     G_CALLBACK (on_tables_changed), self);

  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (ferry_figure_source_get_tables (source))),
                                        g_object_ref (GTK_FILTER (self->filter)));
  g_clear_object (&self->sorted);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  ferry_figure_source_get_figures (source, &figures);
  if (ferry_figure_source_get_state (source) == FERRY_STATE_RUNNING || figures.chunks_done > 0)
    gtk_stack_set_visible_child_name (self->stack, "dashboard");
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");

  ferry_dashboard_page_update (self);
}

FerryFigureSource *
ferry_dashboard_page_get_source (FerryDashboardPage *self)
{
  g_return_val_if_fail (FERRY_IS_DASHBOARD_PAGE (self), NULL);
  return self->source;
}

GtkColumnView *
ferry_dashboard_page_get_column_view (FerryDashboardPage *self)
{
  g_return_val_if_fail (FERRY_IS_DASHBOARD_PAGE (self), NULL);
  return self->column_view;
}

static void
ferry_dashboard_page_dispose (GObject *object)
{
  FerryDashboardPage *self = (FerryDashboardPage *)object;

  ferry_dashboard_page_set_source (self, NULL);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filter);

  G_OBJECT_CLASS (ferry_dashboard_page_parent_class)->dispose (object);
}

static void
ferry_dashboard_page_class_init (FerryDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_dashboard_page_dispose;

  started_quark = g_quark_from_static_string ("ferry-dashboard-started");

  g_type_ensure (FERRY_TYPE_THROUGHPUT_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferrydb/Ferry/ferry-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryDashboardPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryDashboardPage, percent_label);
  gtk_widget_class_bind_template_child (widget_class, FerryDashboardPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryDashboardPage, phase_label);
  gtk_widget_class_bind_template_child (widget_class, FerryDashboardPage, stats_box);
  gtk_widget_class_bind_template_child (widget_class, FerryDashboardPage, chart);
  gtk_widget_class_bind_template_child (widget_class, FerryDashboardPage, table_counts);
  gtk_widget_class_bind_template_child (widget_class, FerryDashboardPage, error_counts);
  gtk_widget_class_bind_template_child (widget_class, FerryDashboardPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FerryDashboardPage, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FerryDashboardPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
}

static void
ferry_dashboard_page_init (FerryDashboardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->stat_values[STAT_ROWS] = add_stat (self, _("Rows"));
  self->stat_values[STAT_DATA] = add_stat (self, _("Data"));
  self->stat_values[STAT_TABLES] = add_stat (self, _("Tables done"));
  self->stat_values[STAT_THROUGHPUT] = add_stat (self, _("Throughput"));
  self->stat_values[STAT_ETA] = add_stat (self, _("Time left"));
  self->stat_values[STAT_ELAPSED] = add_stat (self, _("Elapsed"));
  self->stat_values[STAT_WORKERS] = add_stat (self, _("Workers busy"));

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);

  add_column (self, "", "status", status_sorter (), FALSE, 40);
  add_column (self, _("Table"), "name",
              GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (FERRY_TYPE_TABLE, NULL, "display-name"))),
              TRUE, -1);
  add_column (self, _("Progress"), "progress", numeric_sorter ("fraction"), FALSE, 140);
  add_column (self, _("Rows"), "rows", numeric_sorter ("rows-done"), FALSE, 100);
  add_column (self, _("Size"), "size", numeric_sorter ("size-bytes"), FALSE, 90);
  add_column (self, _("Speed"), "speed", NULL, FALSE, 100);
  add_column (self, _("Attempts"), "attempts", numeric_sorter ("attempts"), FALSE, 80);
  add_column (self, _("Last error"), "error", NULL, TRUE, -1);
}
