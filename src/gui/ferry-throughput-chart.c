/* ferry-throughput-chart.c
 *
 * The time series of a migration (its FerryFigureSource's samples: the
 * local monitor's, or those a service streams) as an area chart: MB/s
 * over elapsed time, with a light grid and labelled axes. The series is
 * reduced to one point per few pixels before drawing, so a long run
 * draws as fast as a short one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-throughput-chart"

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ferry-throughput-chart.h"

#define AXIS_LEFT   56.0  /* at least: wider when the rate labels are */
#define AXIS_BOTTOM 22.0
#define PAD_TOP     10.0
#define PAD_RIGHT   12.0

struct _FerryThroughputChart
{
  GtkWidget          parent_instance;

  FerryFigureSource *source;
  gulong             sampled_id;
};

G_DEFINE_FINAL_TYPE (FerryThroughputChart, ferry_throughput_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* 1, 2, 5 × 10^n at or above @value */
static double
nice_ceiling (double value)
{
  double magnitude, fraction;

  if (value <= 0)
    return 1.0;
  magnitude = pow (10.0, floor (log10 (value)));
  fraction = value / magnitude;
  if (fraction <= 1.0)
    return magnitude;
  if (fraction <= 2.0)
    return 2.0 * magnitude;
  if (fraction <= 5.0)
    return 5.0 * magnitude;
  return 10.0 * magnitude;
}

/* Labels as precise as the axis needs: 0.25 steps show two decimals. */
static char *
format_rate (double mb_per_second,
             double y_max)
{
  if (mb_per_second == 0 || y_max >= 20)
    return g_strdup_printf (_("%.0f MB/s"), mb_per_second);
  if (y_max >= 2)
    return g_strdup_printf (_("%.1f MB/s"), mb_per_second);
  return g_strdup_printf (_("%.2f MB/s"), mb_per_second);
}

static char *
format_elapsed (double seconds)
{
  guint s = (guint)seconds;

  if (s >= 3600)
    return g_strdup_printf ("%uh%02u", s / 3600, (s / 60) % 60);
  if (s >= 60)
    return g_strdup_printf ("%um%02u", s / 60, s % 60);
  return g_strdup_printf ("%us", s);
}

static void
draw_text (GtkSnapshot  *snapshot,
           GtkWidget    *widget,
           const char   *text,
           double        x,
           double        y,
           double        xalign,
           const GdkRGBA *color)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - xalign * width, y - height / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
ferry_throughput_chart_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  FerryThroughputChart *self = FERRY_THROUGHPUT_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double axis_left = AXIS_LEFT;
  double plot_w;
  double plot_h = height - AXIS_BOTTOM - PAD_TOP;
  GArray *samples = self->source ? ferry_figure_source_get_samples (self->source) : NULL;
  GdkRGBA fg, grid, accent, fill;
  double max_rate = 0, max_time = 0, y_max;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  grid = fg;
  grid.alpha = 0.12;
  fg.alpha = 0.7;
  gdk_rgba_parse (&accent, "#3584e4");
  fill = accent;
  fill.alpha = 0.25;

  if (samples != NULL)
    for (guint i = 0; i < samples->len; i++)
      {
        const FerrySample *s = &g_array_index (samples, FerrySample, i);
        max_rate = MAX (max_rate, s->bytes_per_second / (1024.0 * 1024.0));
        max_time = MAX (max_time, s->elapsed);
      }

  y_max = nice_ceiling (MAX (max_rate * 1.1, 1.0));
  max_time = MAX (max_time, 10.0);

  /* Room for the widest rate label ("1.00 MB/s" is wider than "0 MB/s"). */
  for (int i = 0; i <= 4; i++)
    {
      g_autofree char *label = format_rate (y_max * i / 4.0, y_max);
      PangoLayout *layout = gtk_widget_create_pango_layout (widget, label);
      int label_width;

      pango_layout_get_pixel_size (layout, &label_width, NULL);
      axis_left = MAX (axis_left, label_width + 12.0);
      g_object_unref (layout);
    }
  plot_w = width - axis_left - PAD_RIGHT;
  if (plot_w < 20 || plot_h < 20)
    return;

  /* Grid and axis labels: four horizontal lines. */
  for (int i = 0; i <= 4; i++)
    {
      double y = PAD_TOP + plot_h - plot_h * i / 4.0;
      g_autofree char *label = format_rate (y_max * i / 4.0, y_max);

      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (axis_left, y, plot_w, 1));
      draw_text (snapshot, widget, label, axis_left - 6, y, 1.0, &fg);
    }
  for (int i = 0; i <= 4; i++)
    {
      double x = axis_left + plot_w * i / 4.0;
      g_autofree char *label = format_elapsed (max_time * i / 4.0);

      draw_text (snapshot, widget, label, x, PAD_TOP + plot_h + AXIS_BOTTOM / 2 + 2,
                 i == 0 ? 0.0 : i == 4 ? 1.0 : 0.5, &fg);
    }

  if (samples == NULL || samples->len < 2)
    {
      draw_text (snapshot, widget, _("Throughput appears here as the migration runs"),
                 axis_left + plot_w / 2, PAD_TOP + plot_h / 2, 0.5, &fg);
      return;
    }

  /* The curve: one point per 2 px at most (the max of each bucket). */
  {
    cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
    guint buckets = MAX (2, (guint)(plot_w / 2));
    double last_x = axis_left, last_y = PAD_TOP + plot_h;
    gboolean started = FALSE;
    guint i = 0;

    cairo_move_to (cr, axis_left, PAD_TOP + plot_h);
    for (guint b = 0; b < buckets && i < samples->len; b++)
      {
        double bucket_end = max_time * (b + 1) / buckets;
        double peak = -1;
        double t = 0;

        for (; i < samples->len; i++)
          {
            const FerrySample *s = &g_array_index (samples, FerrySample, i);
            if (s->elapsed > bucket_end)
              break;
            peak = MAX (peak, s->bytes_per_second / (1024.0 * 1024.0));
            t = s->elapsed;
          }
        if (peak < 0)
          continue;

        last_x = axis_left + plot_w * (t / max_time);
        last_y = PAD_TOP + plot_h - plot_h * MIN (peak / y_max, 1.0);
        cairo_line_to (cr, last_x, last_y);
        started = TRUE;
      }

    if (started)
      {
        cairo_path_t *line = cairo_copy_path (cr);

        cairo_line_to (cr, last_x, PAD_TOP + plot_h);
        cairo_close_path (cr);
        gdk_cairo_set_source_rgba (cr, &fill);
        cairo_fill (cr);

        cairo_append_path (cr, line);
        cairo_path_destroy (line);
        gdk_cairo_set_source_rgba (cr, &accent);
        cairo_set_line_width (cr, 2.0);
        cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke (cr);
      }
    cairo_destroy (cr);
  }
}

static void
ferry_throughput_chart_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 140;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 200;
}

static void
ferry_throughput_chart_dispose (GObject *object)
{
  FerryThroughputChart *self = (FerryThroughputChart *)object;

  ferry_throughput_chart_set_source (self, NULL);

  G_OBJECT_CLASS (ferry_throughput_chart_parent_class)->dispose (object);
}

static void
ferry_throughput_chart_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  FerryThroughputChart *self = FERRY_THROUGHPUT_CHART (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_throughput_chart_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  FerryThroughputChart *self = FERRY_THROUGHPUT_CHART (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      ferry_throughput_chart_set_source (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_throughput_chart_class_init (FerryThroughputChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_throughput_chart_dispose;
  object_class->get_property = ferry_throughput_chart_get_property;
  object_class->set_property = ferry_throughput_chart_set_property;
  widget_class->snapshot = ferry_throughput_chart_snapshot;
  widget_class->measure = ferry_throughput_chart_measure;

  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, FERRY_TYPE_FIGURE_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "throughputchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ferry_throughput_chart_init (FerryThroughputChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Throughput over time"), -1);
}

GtkWidget *
ferry_throughput_chart_new (void)
{
  return g_object_new (FERRY_TYPE_THROUGHPUT_CHART, NULL);
}

void
ferry_throughput_chart_set_source (FerryThroughputChart *self,
                                   FerryFigureSource    *source)
{
  g_return_if_fail (FERRY_IS_THROUGHPUT_CHART (self));
  g_return_if_fail (source == NULL || FERRY_IS_FIGURE_SOURCE (source));

  if (self->source == source)
    return;

  if (self->source != NULL)
    g_clear_signal_handler (&self->sampled_id, self->source);
  g_set_object (&self->source, source);
  if (source != NULL)
    self->sampled_id = g_signal_connect_swapped (source, "sampled", G_CALLBACK (gtk_widget_queue_draw), self);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

FerryFigureSource *
ferry_throughput_chart_get_source (FerryThroughputChart *self)
{
  g_return_val_if_fail (FERRY_IS_THROUGHPUT_CHART (self), NULL);
  return self->source;
}
