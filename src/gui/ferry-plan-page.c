/* ferry-plan-page.c
 *
 * The plan: the dependency graph (FerryGraphView) with search and zoom,
 * beside it the plan's figures, the selected table's details (columns,
 * size, rows, parents, children, chunks) and the batches in order.
 *
 * The plan comes from the migration's FerryFigureSource: made here, or
 * read back from a service (ferry-plan-document.c), whose batches and
 * chunks are shown as the service planned them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-plan-page"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "ferry-enum-types.h"
#include "ferry-graph-view.h"
#include "ferry-plan-document.h"
#include "ferry-plan-page.h"

struct _FerryPlanPage
{
  AdwBin          parent_instance;

  GtkStack       *stack;
  AdwBin         *graph_bin;
  GtkSearchEntry *search_entry;
  GtkLabel       *summary_label;
  GtkWidget      *details_box;
  GtkLabel       *details_label;
  GtkListView    *batches_list;

  FerryGraphView    *graph;
  FerryFigureSource *source;
  gulong             plan_id;
  FerryPlan         *plan;
  FerryTable     *selected;
  GtkStringList  *batch_rows;
};

G_DEFINE_FINAL_TYPE (FerryPlanPage, ferry_plan_page, ADW_TYPE_BIN)

static void
append_names (GString    *str,
              GPtrArray  *tables)
{
  if (tables == NULL || tables->len == 0)
    {
      g_string_append (str, _("none"));
      return;
    }
  for (guint i = 0; i < tables->len; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (ferry_table_get_display_name (g_ptr_array_index (tables, i)), -1);
      g_string_append_printf (str, "%s%s", i > 0 ? ", " : "", escaped);
    }
}

static void
show_details (FerryPlanPage *self)
{
  FerryTable *table = self->selected;
  FerryAnalyzer *analyzer;
  g_autoptr(GString) text = NULL;
  g_autoptr(GPtrArray) parents = NULL;
  g_autoptr(GPtrArray) children = NULL;
  GPtrArray *columns;
  GPtrArray *chunks;
  g_autofree char *name = NULL;
  g_autofree char *size = NULL;

  if (table == NULL || self->plan == NULL)
    {
      gtk_widget_set_visible (self->details_box, FALSE);
      return;
    }

  analyzer = ferry_plan_get_analyzer (self->plan);
  text = g_string_new (NULL);
  name = g_markup_escape_text (ferry_table_get_display_name (table), -1);
  size = ferry_format_bytes (ferry_table_get_size_bytes (table));
  parents = ferry_analyzer_dup_parents (analyzer, table);
  children = ferry_analyzer_dup_children (analyzer, table);
  columns = ferry_table_get_columns (table);
  chunks = ferry_plan_document_get_table_chunks (self->plan, table);

  g_string_append_printf (text, "<b>%s</b>\n", name);
  g_string_append_printf (text, _("%s · about %" PRId64 " rows · level %d · %s"),
                          size, MAX (ferry_table_get_row_estimate (table), 0),
                          ferry_table_get_level (table),
                          ferry_table_status_to_string (ferry_table_get_status (table)));
  g_string_append_printf (text, "\n\n<b>%s</b> ", _("Parents:"));
  append_names (text, parents);
  g_string_append_printf (text, "\n<b>%s</b> ", _("Children:"));
  append_names (text, children);

  g_string_append_printf (text, "\n\n<b>%s</b>", _("Chunks:"));
  for (guint i = 0; chunks != NULL && i < chunks->len; i++)
    {
      FerryChunk *chunk = g_ptr_array_index (chunks, i);
      g_autofree char *predicate = g_markup_escape_text (chunk->predicate, -1);
      g_autofree char *bytes = ferry_format_bytes (chunk->est_bytes);

      if (i == 12)
        {
          g_string_append_printf (text, "\n  … %u %s", chunks->len - i, _("more"));
          break;
        }
      g_string_append_printf (text, "\n  #%u <tt>%s</tt> (%s)", chunk->number, predicate, bytes);
    }

  /* A plan read from a service names no columns. */
  if (columns->len > 0)
    g_string_append_printf (text, "\n\n<b>%s</b>", _("Columns:"));
  for (guint i = 0; i < columns->len; i++)
    {
      FerryColumn *column = g_ptr_array_index (columns, i);
      g_autofree char *cname = g_markup_escape_text (column->name, -1);
      g_autofree char *ctype = g_markup_escape_text (column->type, -1);

      g_string_append_printf (text, "\n  %s <span alpha=\"60%%\">%s%s%s%s</span>", cname, ctype,
                              column->not_null ? " not null" : "",
                              column->generated ? _(" · generated, not copied") : "",
                              column->identity ? _(" · identity") : "");
    }

  gtk_label_set_markup (self->details_label, text->str);
  gtk_widget_set_visible (self->details_box, TRUE);
}

void
ferry_plan_page_select_table (FerryPlanPage *self,
                              FerryTable    *table)
{
  g_return_if_fail (FERRY_IS_PLAN_PAGE (self));

  if (!g_set_object (&self->selected, table))
    return;
  show_details (self);
}

static void
on_graph_selected (FerryGraphView *graph,
                   GParamSpec     *pspec,
                   FerryPlanPage  *self)
{
  ferry_plan_page_select_table (self, ferry_graph_view_get_selected_table (graph));
}

static FerryTable *
find_table (FerryPlanPage *self,
            const char    *text,
            gboolean       exact)
{
  GPtrArray *order;
  g_autofree char *needle = NULL;

  if (self->plan == NULL || text == NULL || *text == '\0')
    return NULL;

  order = ferry_analyzer_get_order (ferry_plan_get_analyzer (self->plan));
  needle = g_utf8_casefold (text, -1);

  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < order->len; i++)
      {
        FerryTable *table = g_ptr_array_index (order, i);
        g_autofree char *name = g_utf8_casefold (ferry_table_get_display_name (table), -1);
        g_autofree char *bare = g_utf8_casefold (ferry_table_get_name (table), -1);

        if (pass == 0 && (g_str_equal (name, needle) || g_str_equal (bare, needle)))
          return table;
        if (pass == 1 && !exact && strstr (name, needle) != NULL)
          return table;
      }

  return NULL;
}

static void
focus (FerryPlanPage *self,
       FerryTable    *table)
{
  if (table == NULL)
    return;
  ferry_graph_view_focus_table (self->graph, table);
  ferry_plan_page_select_table (self, table);
}

static void
on_search_activate (FerryPlanPage *self)
{
  focus (self, find_table (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), FALSE));
}

static void
on_search_changed (FerryPlanPage *self)
{
  FerryTable *table = find_table (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), FALSE);

  gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  if (table == NULL && *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  else
    focus (self, table);
}

static void on_zoom_in (FerryPlanPage *self) { ferry_graph_view_zoom_in (self->graph); }
static void on_zoom_out (FerryPlanPage *self) { ferry_graph_view_zoom_out (self->graph); }
static void on_zoom_fit (FerryPlanPage *self) { ferry_graph_view_zoom_fit (self->graph); }

static void
on_batch_activate (FerryPlanPage *self,
                   guint          position)
{
  GPtrArray *batches;
  FerryBatch *batch;

  if (self->plan == NULL)
    return;
  batches = ferry_plan_document_get_batches (self->plan);
  if (position >= batches->len)
    return;
  batch = g_ptr_array_index (batches, position);
  if (batch->tables->len > 0)
    focus (self, g_ptr_array_index (batch->tables, 0));
}

static void
setup_batch_row (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_use_markup (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

static void
bind_batch_row (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  gtk_label_set_markup (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (string));
}

void
ferry_plan_page_set_plan (FerryPlanPage *self,
                          FerryPlan     *plan)
{
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *batches;
  FerryPlanFigures figures;
  g_autofree char *size = NULL;
  g_autofree char *summary = NULL;

  g_return_if_fail (FERRY_IS_PLAN_PAGE (self));

  if (!g_set_object (&self->plan, plan) && plan != NULL)
    return;
  g_clear_object (&self->selected);
  show_details (self);

  ferry_graph_view_set_plan (self->graph, plan);

  if (plan == NULL)
    {
      gtk_string_list_splice (self->batch_rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->batch_rows)), NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  batches = ferry_plan_document_get_batches (plan);
  ferry_plan_document_get_figures (plan, &figures);
  size = ferry_format_bytes (figures.total_bytes);
  summary = g_strdup_printf (_("<b>%u tables</b> · %s · %u dependency levels\n"
                               "%u batches · %u chunks · %u cycles broken at %u foreign keys"),
                             figures.n_tables, size, figures.n_levels, figures.n_batches, figures.n_chunks,
                             figures.n_cycles, figures.n_breaking_edges);
  gtk_label_set_markup (self->summary_label, summary);

  rows = g_ptr_array_new_with_free_func (g_free);
  for (guint b = 0; b < batches->len; b++)
    {
      FerryBatch *batch = g_ptr_array_index (batches, b);
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint t = 0; t < batch->tables->len; t++)
        {
          g_autofree char *escaped = g_markup_escape_text (ferry_table_get_display_name (g_ptr_array_index (batch->tables, t)), -1);
          g_string_append_printf (names, "%s%s", t > 0 ? ", " : "", escaped);
        }
      g_ptr_array_add (rows, g_strdup_printf (_("<b>Batch %u</b> <span alpha=\"60%%\">level %d · %u tables</span>\n%s"),
                                              batch->number, batch->level, batch->tables->len, names->str));
    }
  g_ptr_array_add (rows, NULL);
  gtk_string_list_splice (self->batch_rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->batch_rows)),
                          (const char * const *)rows->pdata);

  gtk_stack_set_visible_child_name (self->stack, "plan");
}

static void
on_plan_changed (FerryPlanPage *self)
{
  ferry_plan_page_set_plan (self, ferry_figure_source_get_plan (self->source));
}

/**
 * ferry_plan_page_set_source:
 * @source: (nullable): the migration whose plan to show, as it comes
 */
void
ferry_plan_page_set_source (FerryPlanPage     *self,
                            FerryFigureSource *source)
{
  g_return_if_fail (FERRY_IS_PLAN_PAGE (self));
  g_return_if_fail (source == NULL || FERRY_IS_FIGURE_SOURCE (source));

  if (self->source == source)
    return;

  if (self->source != NULL)
    g_clear_signal_handler (&self->plan_id, self->source);
  g_set_object (&self->source, source);
  if (source != NULL)
    self->plan_id = g_signal_connect_swapped (source, "notify::plan", G_CALLBACK (on_plan_changed), self);
  ferry_plan_page_set_plan (self, source != NULL ? ferry_figure_source_get_plan (source) : NULL);
}

FerryPlan *
ferry_plan_page_get_plan (FerryPlanPage *self)
{
  g_return_val_if_fail (FERRY_IS_PLAN_PAGE (self), NULL);
  return self->plan;
}

FerryTable *
ferry_plan_page_get_selected (FerryPlanPage *self)
{
  g_return_val_if_fail (FERRY_IS_PLAN_PAGE (self), NULL);
  return self->selected;
}

void
ferry_plan_page_focus_search (FerryPlanPage *self)
{
  g_return_if_fail (FERRY_IS_PLAN_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

GtkWidget *
ferry_plan_page_get_graph (FerryPlanPage *self)
{
  g_return_val_if_fail (FERRY_IS_PLAN_PAGE (self), NULL);
  return GTK_WIDGET (self->graph);
}

static void
ferry_plan_page_dispose (GObject *object)
{
  FerryPlanPage *self = (FerryPlanPage *)object;

  ferry_plan_page_set_source (self, NULL);
  g_clear_object (&self->plan);
  g_clear_object (&self->selected);

  G_OBJECT_CLASS (ferry_plan_page_parent_class)->dispose (object);
}

static void
ferry_plan_page_class_init (FerryPlanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_plan_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ferrydb/Ferry/ferry-plan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryPlanPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryPlanPage, graph_bin);
  gtk_widget_class_bind_template_child (widget_class, FerryPlanPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FerryPlanPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, FerryPlanPage, details_box);
  gtk_widget_class_bind_template_child (widget_class, FerryPlanPage, details_label);
  gtk_widget_class_bind_template_child (widget_class, FerryPlanPage, batches_list);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_in);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_out);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_fit);
  gtk_widget_class_bind_template_callback (widget_class, on_batch_activate);
}

static void
ferry_plan_page_init (FerryPlanPage *self)
{
  GtkListItemFactory *factory;
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->graph = FERRY_GRAPH_VIEW (ferry_graph_view_new ());
  adw_bin_set_child (self->graph_bin, GTK_WIDGET (self->graph));
  g_signal_connect (self->graph, "notify::selected-table", G_CALLBACK (on_graph_selected), self);

  self->batch_rows = gtk_string_list_new (NULL);
  selection = gtk_no_selection_new (G_LIST_MODEL (self->batch_rows));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_batch_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_batch_row), NULL);
  gtk_list_view_set_factory (self->batches_list, factory);
  gtk_list_view_set_model (self->batches_list, GTK_SELECTION_MODEL (selection));
  g_object_unref (factory);
}
