/* ferry-report-html.c — a report as one printable, self-contained page
 *
 * The page has everything inline: the style sheet, the charts and the
 * dependency graph (SVG). It needs no JavaScript, loads nothing, reads
 * in light and dark browsers, and prints on A4 with a section per page,
 * table headers repeated on every page and long names wrapped rather
 * than cut. It is well-formed XML (XHTML syntax in an HTML document)
 * and every string from the document is escaped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-report"

#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libpq-fe.h>

#include "ferry-report-private.h"

#define get_string  ferry_report_get_string
#define get_int     ferry_report_get_int
#define get_double  ferry_report_get_double
#define get_boolean ferry_report_get_boolean
#define get_object  ferry_report_get_object
#define get_array   ferry_report_get_array
#define has_value   ferry_report_has_value

/* Rows of a list shown in full; longer lists say how many more. */
#define MAX_ITEMS 25
/* The dependency graph draws every table up to this many. */
#define MAX_GRAPH_NODES 400

/* ------------------------------------------------------------------ */
/* Text                                                               */
/* ------------------------------------------------------------------ */

/* Appends @text escaped for XML: valid UTF-8, without the control
 * characters XML forbids, with <, >, &, ' and " as entities. */
static void
esc (GString    *out,
     const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *escaped = NULL;

  if (text == NULL)
    return;
  valid = g_utf8_make_valid (text, -1);
  for (char *p = valid; *p != '\0'; p++)
    if ((guchar)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
      *p = ' ';
  escaped = g_markup_escape_text (valid, -1);
  g_string_append (out, escaped);
}

/* The same, with line-break opportunities after dots and underscores,
 * so that a long "schema.table_name" wraps there rather than anywhere. */
static void
esc_breakable (GString    *out,
               const char *text)
{
  g_autoptr(GString) escaped = g_string_new (NULL);

  esc (escaped, text);
  for (const char *p = escaped->str; *p != '\0'; p++)
    {
      g_string_append_c (out, *p);
      if ((*p == '.' || *p == '_') && p[1] != '\0')
        g_string_append (out, "<wbr/>");
    }
}

static void escf (GString *out, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
escf (GString    *out,
      const char *format,
      ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  esc (out, text);
}

static void
element (GString    *out,
         const char *tag,
         const char *klass,
         const char *text)
{
  if (klass != NULL)
    g_string_append_printf (out, "<%s class=\"%s\">", tag, klass);
  else
    g_string_append_printf (out, "<%s>", tag);
  esc (out, text);
  g_string_append_printf (out, "</%s>", tag);
}

static char *
count (gint64 value)
{
  return ferry_report_format_count (value);
}

static char *
bytes_text (gint64 value)
{
  return ferry_format_bytes (value < 0 ? 0 : (guint64)value);
}

static char *
optional_count (JsonObject *object,
                const char *member)
{
  if (!has_value (object, member))
    return g_strdup ("—");
  return count (get_int (object, member, 0));
}

static char *
time_text (JsonObject *object,
           const char *member)
{
  return ferry_report_format_time (get_string (object, member));
}

/* "1:05" from the start of the migration, or "12.5 s" for short runs. */
static char *
offset_text (double seconds,
             double span)
{
  guint s;

  if (span < 20)
    return g_strdup_printf ("%.*f s", span < 2 ? 2 : 1, seconds);
  s = (guint)(seconds + 0.5);
  if (span >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", s / 3600, (s / 60) % 60, s % 60);
  return g_strdup_printf ("%u:%02u", s / 60, s % 60);
}

/* ------------------------------------------------------------------ */
/* Statuses: a colour, an icon and a word — never the colour alone    */
/* ------------------------------------------------------------------ */

typedef struct
{
  const char *id;
  const char *klass;
  const char *icon;
  const char *label;
} Status;

static const Status statuses[] = {
  { "success",        "ok",      "✓", N_("Success") },
  { "completed",      "ok",      "✓", N_("Completed") },
  { "pass",           "ok",      "✓", N_("Passed") },
  { "match",          "ok",      "✓", N_("Match") },
  { "count-only",     "ok",      "✓", N_("Counts match") },
  { "validated",      "ok",      "✓", N_("Validated") },
  { "restored",       "ok",      "✓", N_("Restored") },
  { "ready",          "ok",      "✓", N_("Ready") },
  { "warning",        "warn",    "!", N_("Warning") },
  { "skipped",        "warn",    "–", N_("Skipped") },
  { "incomplete",     "warn",    "◐", N_("Incomplete") },
  { "not-valid",      "warn",    "!", N_("Not valid") },
  { "stopped",        "warn",    "■", N_("Stopped") },
  { "paused",         "warn",    "‖", N_("Paused") },
  { "aborted",        "bad",     "■", N_("Aborted") },
  { "fail",           "bad",     "✗", N_("Failed") },
  { "failed",         "bad",     "✗", N_("Failed") },
  { "error",          "bad",     "✗", N_("Error") },
  { "mismatch",       "bad",     "✗", N_("Mismatch") },
  { "count-mismatch", "bad",     "✗", N_("Counts differ") },
  { "not-ready",      "bad",     "✗", N_("Not ready") },
  { "running",        "info",    "▶", N_("Running") },
  { "info",           "info",    "i", N_("Information") },
  { "initializing",   "info",    "…", N_("Starting") },
  { "pending",        "neutral", "○", N_("Pending") },
  { "not-checked",    "neutral", "–", N_("Not checked") },
  { "check-skipped",  "neutral", "–", N_("Skipped") },
};

static const Status *
lookup_status (const char *id)
{
  static const Status unknown = { "unknown", "neutral", "?", N_("Unknown") };

  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (statuses); i++)
    if (g_str_equal (statuses[i].id, id))
      return &statuses[i];
  return &unknown;
}

static void
pill (GString    *out,
      const char *status_id)
{
  const Status *status = lookup_status (status_id);

  g_string_append_printf (out, "<span class=\"pill %s\"><span class=\"icon\" aria-hidden=\"true\">%s</span>",
                          status->klass, status->icon);
  esc (out, _(status->label));
  g_string_append (out, "</span>");
}

/* ------------------------------------------------------------------ */
/* The page                                                           */
/* ------------------------------------------------------------------ */

#define LIGHT_COLOURS \
  "--bg:#ffffff;--fg:#1d2125;--muted:#5e6570;--line:#d5d9de;--soft:#f3f5f7;--card:#f7f8fa;" \
  "--accent:#1b5fb4;--ok:#17703a;--ok-bg:#dcf3e3;--warn:#8a5a00;--warn-bg:#fdf0c4;" \
  "--bad:#b3202b;--bad-bg:#fde3e4;--info:#1b5fb4;--info-bg:#deebfb;--neutral:#4f5660;" \
  "--neutral-bg:#eceef1;--grid:#e4e7eb;--series:#1b5fb4;--series-fill:rgba(27,95,180,.16);" \
  "--series2:#c35a00;--edge:#7d8590;"

static const char *style_sheet =
  ":root{" LIGHT_COLOURS "color-scheme:light dark}"
  "@media (prefers-color-scheme:dark){:root{"
  "--bg:#1c1d20;--fg:#e6e8eb;--muted:#a3a9b2;--line:#3b3f45;--soft:#26282c;--card:#24262a;"
  "--accent:#78aeed;--ok:#7fd69b;--ok-bg:#1f3b29;--warn:#f1c35b;--warn-bg:#3d3217;"
  "--bad:#ff8a8f;--bad-bg:#4a2327;--info:#8cbaf5;--info-bg:#1f3250;--neutral:#c0c5cc;"
  "--neutral-bg:#33363b;--grid:#34373c;--series:#78aeed;--series-fill:rgba(120,174,237,.2);"
  "--series2:#ffa348;--edge:#8a9099;}}"
  "@media print{:root{" LIGHT_COLOURS "}}"
  "*{box-sizing:border-box}"
  "html{background:var(--bg);color:var(--fg);-webkit-print-color-adjust:exact;print-color-adjust:exact}"
  "body{margin:0 auto;max-width:1120px;padding:28px 32px 40px;"
  "font:14px/1.45 Cantarell,Inter,'Segoe UI','DejaVu Sans','Helvetica Neue',Arial,sans-serif}"
  "h1,h2,h3{line-height:1.2;margin:0}"
  "h1{font-size:26px;font-weight:700;margin:2px 0 4px}"
  "h2{font-size:18px;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line);break-after:avoid}"
  "h3{font-size:14px;margin:18px 0 8px;break-after:avoid}"
  "p{margin:6px 0}"
  "code,.mono{font-family:'DejaVu Sans Mono','Noto Mono',monospace;font-size:.92em}"
  ".muted{color:var(--muted)}"
  ".small{font-size:12px}"
  "header.masthead{border-bottom:3px solid var(--accent);padding-bottom:14px;margin-bottom:18px}"
  ".brand{font-size:12px;font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:var(--accent)}"
  ".subtitle{font-size:15px;color:var(--muted);margin:0 0 10px;overflow-wrap:anywhere}"
  "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0 0;font-size:12.5px}"
  "dl.meta dt{color:var(--muted)}"
  "dl.meta dd{margin:0;overflow-wrap:anywhere}"
  "section{margin:22px 0 28px}"
  ".grouped{columns:2;column-gap:22px;font-size:11px;margin:4px 0 14px}"
  ".grouped div{break-inside:avoid;padding:2px 0;border-bottom:1px solid var(--line);overflow-wrap:anywhere}"
  ".pairs{columns:3;column-gap:20px;font-size:12px;margin:4px 0 14px}"
  ".pairs div{display:flex;justify-content:space-between;gap:8px;break-inside:avoid;border-bottom:1px solid var(--line);padding:2px 0}"
  ".pairs .key{overflow-wrap:anywhere;min-width:0}"
  ".pairs .value{font-variant-numeric:tabular-nums;white-space:nowrap}"
  "ol.batches{columns:4;column-gap:18px;font-size:12px;margin:4px 0 12px;padding-left:0;list-style:none}"
  "ol.batches li{break-inside:avoid;padding:1px 0}"
  "table.evidence td{padding:6px 8px;vertical-align:middle}"
  "table.evidence td.what{font-weight:600;width:34%}"
  "section.page{break-before:page;padding-top:4px}"
  ".banner{display:flex;gap:14px;align-items:flex-start;border:1px solid var(--line);"
  "border-left:6px solid var(--neutral);border-radius:6px;padding:12px 16px;margin:0 0 16px;background:var(--card);"
  "break-inside:avoid}"
  ".banner .big{font-size:26px;line-height:1;font-weight:700;width:30px;text-align:center}"
  ".banner strong{font-size:17px;display:block;margin-bottom:2px}"
  ".banner p{margin:0}"
  ".banner.ok{border-left-color:var(--ok)}.banner.ok .big{color:var(--ok)}"
  ".banner.warn{border-left-color:var(--warn)}.banner.warn .big{color:var(--warn)}"
  ".banner.bad{border-left-color:var(--bad)}.banner.bad .big{color:var(--bad)}"
  ".banner.info{border-left-color:var(--info)}.banner.info .big{color:var(--info)}"
  ".cards{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;margin:0 0 16px}"
  ".card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 11px;break-inside:avoid;min-width:0}"
  ".card .label{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}"
  ".card .value{font-size:19px;font-weight:700;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}"
  ".card .note{font-size:11.5px;color:var(--muted);overflow-wrap:anywhere}"
  ".pill{display:inline-flex;align-items:center;gap:4px;border-radius:10px;padding:0 8px 0 6px;"
  "font-size:12px;font-weight:600;white-space:nowrap;line-height:19px}"
  ".pill .icon{font-weight:700}"
  /* Status colours on words and figures only; a row keeps its text colour. */
  "span.ok,div.ok{color:var(--ok)}.pill.ok{background:var(--ok-bg);color:var(--ok)}"
  "span.warn,div.warn{color:var(--warn)}.pill.warn{background:var(--warn-bg);color:var(--warn)}"
  "span.bad,div.bad{color:var(--bad)}.pill.bad{background:var(--bad-bg);color:var(--bad)}"
  "span.info,div.info{color:var(--info)}.pill.info{background:var(--info-bg);color:var(--info)}"
  "span.neutral,div.neutral{color:var(--neutral)}.pill.neutral{background:var(--neutral-bg);color:var(--neutral)}"
  "div.banner{color:var(--fg)}"
  ".banner.ok strong{color:var(--ok)}.banner.warn strong{color:var(--warn)}"
  ".banner.bad strong{color:var(--bad)}.banner.info strong{color:var(--info)}"
  "table.data{width:100%;border-collapse:collapse;font-size:12.5px;margin:6px 0 12px}"
  "table.data caption{text-align:left;color:var(--muted);font-size:12px;padding-bottom:4px}"
  "table.data thead{display:table-header-group}"
  "table.data th{text-align:left;font-weight:600;background:var(--soft);border-bottom:2px solid var(--line);"
  "padding:5px 7px;vertical-align:bottom}"
  "table.data td{border-bottom:1px solid var(--line);padding:4px 7px;vertical-align:top;overflow-wrap:anywhere}"
  "table.data tr{break-inside:avoid}"
  "table.data tr.long{break-inside:auto}"
  "table.data tr.bad td{background:var(--bad-bg)}"
  "table.data tr.warn td{background:var(--warn-bg)}"
  "table.data tr.group td{background:var(--soft);font-weight:700;border-bottom:1px solid var(--line)}"
  "table.data .num,table.data th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
  "table.data td.name{min-width:9em}"
  "table.data th.name{width:30%}"
  "table.data th.num{white-space:normal}"
  "table.data .pill{font-size:11px;padding:0 6px 0 4px;line-height:17px}"
  "table.data td.nowrap{white-space:nowrap}"
  "table.data td.status{white-space:nowrap;width:1%}"
  "table.kv{border-collapse:collapse;font-size:13px;margin:4px 0 12px;max-width:100%}"
  "table.kv th{text-align:left;font-weight:600;color:var(--muted);padding:3px 18px 3px 0;white-space:nowrap;vertical-align:top}"
  "table.kv td{padding:3px 8px 3px 0;overflow-wrap:anywhere;vertical-align:top}"
  ".check-title{font-weight:600}"
  ".check-detail{margin:3px 0 0;font-size:12px}"
  ".check-detail .fix{color:var(--fg)}"
  "ul.items{margin:3px 0 0;padding-left:18px;font-size:12px;color:var(--muted)}"
  ".bar{height:8px;border-radius:4px;background:var(--neutral-bg);overflow:hidden;min-width:60px}"
  ".bar span{display:block;height:100%;background:var(--series)}"
  ".stack{display:flex;height:14px;border-radius:4px;overflow:hidden;margin:4px 0 6px;background:var(--neutral-bg)}"
  ".stack span{display:block;height:100%}"
  ".stack .ok{background:var(--ok)}.stack .warn{background:var(--warn)}.stack .bad{background:var(--bad)}"
  ".stack .neutral{background:var(--neutral)}.stack .info{background:var(--info)}"
  ".legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:var(--muted);margin:4px 0 8px}"
  ".legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}"
  "figure{margin:8px 0 14px;break-inside:avoid}"
  "figure svg{display:block;width:100%;height:auto}"
  "figcaption{font-size:12px;color:var(--muted);margin-top:4px}"
  "svg text{font-family:inherit;fill:var(--fg)}"
  "svg .axis{stroke:var(--line);stroke-width:1}"
  "svg .grid{stroke:var(--grid);stroke-width:1}"
  "svg .tick{font-size:10px;fill:var(--muted)}"
  "svg .series{fill:none;stroke:var(--series);stroke-width:1.8;stroke-linejoin:round}"
  "svg .series-fill{fill:var(--series-fill);stroke:none}"
  "svg .series2{fill:none;stroke:var(--series2);stroke-width:1.5}"
  "svg .limit{stroke:var(--bad);stroke-width:1;stroke-dasharray:4 3}"
  "svg .bar-fill{fill:var(--series)}"
  "svg .phase{fill:var(--series)}"
  "svg .phase.overlap{fill:var(--series2)}"
  "svg .edge{fill:none;stroke:var(--edge);stroke-opacity:.35;stroke-width:.8}"
  "svg .edge.breaking{stroke:var(--bad);stroke-opacity:.9;stroke-dasharray:3 2;stroke-width:1.1}"
  "svg .node rect{stroke:rgba(0,0,0,.25);stroke-width:.6}"
  "svg .node.failed rect{stroke:var(--bad);stroke-width:2}"
  "svg .node.skipped rect{stroke:var(--warn);stroke-width:2}"
  "svg .node text{font-size:8.5px;fill:#1d2125}"
  "svg .level-label{font-size:10px;fill:var(--muted);font-weight:600}"
  "svg .band{fill:var(--soft)}"
  ".note-box{border:1px dashed var(--line);border-radius:6px;padding:8px 12px;font-size:12.5px;color:var(--muted);margin:6px 0 12px}"
  "pre.config{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:10px 12px;"
  "font-size:11.5px;white-space:pre-wrap;overflow-wrap:anywhere}"
  ".signoff{display:grid;grid-template-columns:repeat(3,1fr);gap:18px;margin-top:22px;break-inside:avoid}"
  ".signoff div{border-top:1px solid var(--fg);padding-top:4px;font-size:12px;color:var(--muted)}"
  "footer{margin-top:14px;padding-top:8px;border-top:1px solid var(--line);font-size:11.5px;color:var(--muted)}"
  "@media (max-width:800px){.cards{grid-template-columns:repeat(2,1fr)}body{padding:16px}}"
  "@media print{"
  "body{max-width:none;padding:0;font-size:10pt}"
  "h1{font-size:20pt}h2{font-size:14pt}"
  ".cards{grid-template-columns:repeat(4,1fr)}"
  ".card .value{font-size:14pt}"
  "table.data{font-size:8.5pt}"
  "table.kv{font-size:9.5pt}"
  "table.data th,table.data td{padding:3px 5px}"
  "footer{break-inside:avoid}"
  "}";

/* A string for the style sheet: quoted, with what CSS and XML mind
 * escaped. */
static void
css_string (GString    *out,
            const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; p && *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\22 "); break;
        case '\\': g_string_append (out, "\\5c "); break;
        case '<': g_string_append (out, "\\3c "); break;
        case '>': g_string_append (out, "\\3e "); break;
        case '&': g_string_append (out, "\\26 "); break;
        case '\n': case '\r': g_string_append_c (out, ' '); break;
        default: g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

/* The running header and the page numbers of the printed pages. */
static void
page_style (GString    *out,
            const char *running_title,
            const char *generated)
{
  g_autofree char *valid_title = g_utf8_make_valid (running_title, -1);
  /* Translators: the page numbers at the bottom of a printed report;
   * keep {page} and {pages} */
  const char *numbers = _("Page {page} of {pages}");
  g_auto(GStrv) a = g_strsplit (numbers, "{page}", 2);

  g_string_append (out, "@page{size:A4;margin:16mm 13mm 17mm 13mm;");
  g_string_append (out, "@top-left{content:");
  css_string (out, valid_title);
  g_string_append (out, ";font:8pt Cantarell,'DejaVu Sans',sans-serif;color:#5e6570}");
  g_string_append (out, "@top-right{content:");
  css_string (out, generated);
  g_string_append (out, ";font:8pt Cantarell,'DejaVu Sans',sans-serif;color:#5e6570}");
  g_string_append (out, "@bottom-right{content:");
  if (a[0] != NULL && a[1] != NULL)
    {
      g_auto(GStrv) b = g_strsplit (a[1], "{pages}", 2);

      css_string (out, a[0]);
      g_string_append (out, " counter(page) ");
      css_string (out, b[0]);
      if (b[1] != NULL)
        {
          g_string_append (out, " counter(pages) ");
          css_string (out, b[1]);
        }
    }
  else
    g_string_append (out, "counter(page)");
  g_string_append (out, ";font:8pt Cantarell,'DejaVu Sans',sans-serif;color:#5e6570}");
  g_string_append (out, "@bottom-left{content:\"Ferry\";font:8pt Cantarell,'DejaVu Sans',sans-serif;color:#5e6570}");
  g_string_append (out, "}");
  g_string_append (out, "@page:first{@top-left{content:none}@top-right{content:none}}");
}

static void
begin_page (GString    *out,
            JsonObject *doc,
            const char *title,
            const char *running_title)
{
  g_autofree char *generated = time_text (doc, "generated_at");

  g_string_append (out, "<!DOCTYPE html>\n");
  /* Translators: the language of this translation, as an HTML lang
   * attribute value (e.g. "de", "pt-BR") */
  g_string_append (out, "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"");
  esc (out, C_("html-lang", "en"));
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\"/>\n");
  g_string_append (out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
  g_string_append (out, "<meta name=\"color-scheme\" content=\"light dark\"/>\n");
  g_string_append (out, "<meta name=\"generator\" content=\"");
  esc (out, get_string (doc, "generator"));
  g_string_append (out, "\"/>\n<title>");
  esc (out, title);
  g_string_append (out, "</title>\n<style>\n");
  g_string_append (out, style_sheet);
  g_string_append_c (out, '\n');
  page_style (out, running_title, generated);
  g_string_append (out, "\n</style>\n</head>\n");
  g_string_append_printf (out, "<body class=\"report-%s\">\n", get_string (doc, "kind"));
}

static void
end_page (GString *out)
{
  g_string_append (out, "</body>\n</html>\n");
}

/* "shop on db1.example.com": the database and the host, for the title. */
static char *
short_server (const char *display)
{
  PQconninfoOption *options;
  const char *db = NULL, *host = NULL, *service = NULL;
  char *text = NULL;

  if (display == NULL)
    return g_strdup ("?");
  options = PQconninfoParse (display, NULL);
  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    {
      if (o->val == NULL || *o->val == '\0')
        continue;
      if (g_str_equal (o->keyword, "dbname"))
        db = o->val;
      else if (g_str_equal (o->keyword, "host") || (host == NULL && g_str_equal (o->keyword, "hostaddr")))
        host = o->val;
      else if (g_str_equal (o->keyword, "service"))
        service = o->val;
    }
  if (db != NULL && host != NULL)
    /* Translators: a database on a server, e.g. "shop on db1.example.com" */
    text = g_strdup_printf (_("%s on %s"), db, host);
  else if (db != NULL || service != NULL)
    text = g_strdup (db ? db : service);
  else
    text = g_strdup (display);
  PQconninfoFree (options);
  return text;
}

static void
masthead (GString    *out,
          JsonObject *doc,
          const char *title)
{
  JsonObject *m = get_object (doc, "migration");
  JsonObject *servers = get_object (doc, "servers");
  const char *source = get_string (get_object (servers, "source"), "display");
  const char *target = get_string (get_object (servers, "target"), "display");
  g_autofree char *generated = time_text (doc, "generated_at");
  JsonObject *by = get_object (doc, "generated_by");

  g_string_append (out, "<header class=\"masthead\">\n<div class=\"brand\">");
  esc (out, _("Ferry · PostgreSQL migration"));
  g_string_append (out, "</div>\n");
  element (out, "h1", NULL, title);
  g_string_append (out, "\n<p class=\"subtitle\">");
  if (m != NULL && get_int (m, "id", 0) > 0)
    {
      escf (out, _("Migration %" PRId64), get_int (m, "id", 0));
      g_string_append (out, " · ");
    }
  {
    g_autofree char *from = short_server (source);
    g_autofree char *to = short_server (target);

    escf (out, "%s → %s", from, to);
  }
  g_string_append (out, "</p>\n<dl class=\"meta\">");

  if (m != NULL && has_value (m, "started_at"))
    {
      g_autofree char *started = time_text (m, "started_at");
      element (out, "dt", NULL, _("Started"));
      element (out, "dd", NULL, started);
    }
  if (m != NULL && has_value (m, "finished_at"))
    {
      g_autofree char *finished = time_text (m, "finished_at");
      element (out, "dt", NULL, _("Finished"));
      element (out, "dd", NULL, finished);
    }
  element (out, "dt", NULL, _("Generated"));
  g_string_append (out, "<dd>");
  escf (out, _("%s by %s@%s with %s"), generated,
        get_string (by, "user") ? get_string (by, "user") : "?",
        get_string (by, "host") ? get_string (by, "host") : "?",
        get_string (doc, "generator") ? get_string (doc, "generator") : "Ferry");
  g_string_append (out, "</dd>");
  element (out, "dt", NULL, _("From"));
  g_string_append (out, "<dd>");
  if (g_strcmp0 (get_string (doc, "kind"), "readiness") == 0)
    esc (out, _("the readiness checks, run against both servers; nothing was changed on either"));
  else
    esc (out, _("the journal Ferry keeps in the target database; “ferry-cli report” generates this report "
                "again at any time"));
  g_string_append (out, "</dd></dl>\n</header>\n");
}

static void
banner (GString    *out,
        const char *status_id,
        const char *headline,
        const char *text)
{
  const Status *status = lookup_status (status_id);

  g_string_append_printf (out, "<div class=\"banner %s\" role=\"status\"><div class=\"big\" aria-hidden=\"true\">%s</div><div>",
                          status->klass, status->icon);
  element (out, "strong", NULL, headline);
  if (text != NULL)
    element (out, "p", NULL, text);
  g_string_append (out, "</div></div>\n");
}

static void
cards_begin (GString *out)
{
  g_string_append (out, "<div class=\"cards\">\n");
}

static void
cards_end (GString *out)
{
  g_string_append (out, "</div>\n");
}

static void
card (GString    *out,
      const char *label,
      const char *value,
      const char *note,
      const char *klass)
{
  g_string_append (out, "<div class=\"card\">");
  element (out, "div", "label", label);
  if (klass != NULL)
    {
      g_autofree char *k = g_strconcat ("value ", klass, NULL);
      element (out, "div", k, value);
    }
  else
    element (out, "div", "value", value);
  if (note != NULL)
    element (out, "div", "note", note);
  g_string_append (out, "</div>\n");
}

/* A card for a moment: the time of day large, the date below. */
static void
time_card (GString    *out,
           const char *label,
           JsonObject *object,
           const char *member)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;
  g_autofree char *date = NULL;

  if (get_string (object, member) != NULL)
    utc = g_date_time_new_from_iso8601 (get_string (object, member), NULL);
  if (utc == NULL)
    {
      card (out, label, "—", NULL, NULL);
      return;
    }
  local = g_date_time_to_local (utc);
  time = g_date_time_format (local, "%H:%M:%S");
  date = g_date_time_format (local, "%Y-%m-%d %Z");
  card (out, label, time, date, NULL);
}

static void
section_begin (GString    *out,
               const char *id,
               const char *title,
               gboolean    new_page)
{
  g_string_append_printf (out, "<section id=\"%s\"%s>\n", id, new_page ? " class=\"page\"" : "");
  element (out, "h2", NULL, title);
  g_string_append_c (out, '\n');
}

static void
section_end (GString *out)
{
  g_string_append (out, "</section>\n");
}

/* A table: the header's cells say which columns hold numbers ("#" in
 * front of the title), so that they and their cells are right-aligned,
 * and which holds the names ("@"), which gets the room. */
static void
table_begin (GString            *out,
             const char         *caption,
             const char * const *columns)
{
  g_string_append (out, "<table class=\"data\">");
  if (caption != NULL)
    element (out, "caption", NULL, caption);
  g_string_append (out, "<thead><tr>");
  for (guint i = 0; columns[i] != NULL; i++)
    {
      if (columns[i][0] == '#')
        element (out, "th", "num", columns[i] + 1);
      else if (columns[i][0] == '@')
        element (out, "th", "name", columns[i] + 1);
      else
        element (out, "th", NULL, columns[i]);
    }
  g_string_append (out, "</tr></thead>\n<tbody>\n");
}

static void
table_end (GString *out)
{
  g_string_append (out, "</tbody></table>\n");
}

static void
td (GString    *out,
    const char *text)
{
  element (out, "td", NULL, text);
}

static void
td_num (GString    *out,
        const char *text)
{
  element (out, "td", "num", text);
}

static void
td_name (GString    *out,
         const char *text)
{
  g_string_append (out, "<td class=\"name\">");
  esc_breakable (out, text);
  g_string_append (out, "</td>");
}

static void
td_status (GString    *out,
           const char *status)
{
  g_string_append (out, "<td class=\"status\">");
  pill (out, status);
  g_string_append (out, "</td>");
}

static void
kv_row (GString    *out,
        const char *key,
        const char *value,
        const char *klass)
{
  g_string_append (out, "<tr>");
  element (out, "th", NULL, key);
  element (out, "td", klass, value ? value : "—");
  g_string_append (out, "</tr>\n");
}

static void
note_box (GString    *out,
          const char *text)
{
  element (out, "div", "note-box", text);
  g_string_append_c (out, '\n');
}

static void
legend_item (GString    *out,
             const char *colour,
             const char *label)
{
  g_string_append_printf (out, "<span><i style=\"background:%s\"></i>", colour);
  esc (out, label);
  g_string_append (out, "</span>");
}

/* A bar of proportions: status → count. */
static void
stack_bar (GString          *out,
           const char      **ids,
           const gint64     *values,
           guint             n)
{
  gint64 total = 0;

  for (guint i = 0; i < n; i++)
    total += values[i];
  g_string_append (out, "<div class=\"stack\" role=\"img\">");
  for (guint i = 0; i < n && total > 0; i++)
    if (values[i] > 0)
      g_string_append_printf (out, "<span class=\"%s\" style=\"width:%.3f%%\"></span>",
                              lookup_status (ids[i])->klass, 100.0 * values[i] / total);
  g_string_append (out, "</div>\n<div class=\"legend\">");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *c = count (values[i]);
      g_string_append (out, "<span>");
      pill (out, ids[i]);
      g_string_append (out, " ");
      esc (out, c);
      g_string_append (out, "</span>");
    }
  g_string_append (out, "</div>\n");
}

static void
servers_table (GString    *out,
               JsonObject *doc)
{
  JsonObject *servers = get_object (doc, "servers");
  JsonObject *s = get_object (servers, "source");
  JsonObject *t = get_object (servers, "target");
  const char *columns[] = { "", _("Source"), _("Target"), NULL };
  gboolean detailed = has_value (s, "reachable") || has_value (t, "reachable");

  table_begin (out, NULL, columns);
  g_string_append (out, "<tr>");
  td (out, _("Connection (password masked)"));
  element (out, "td", "mono", get_string (s, "display") ? get_string (s, "display") : "—");
  element (out, "td", "mono", get_string (t, "display") ? get_string (t, "display") : "—");
  g_string_append (out, "</tr>\n");

  if (detailed)
    {
      static const char * const keys[] = { "database", "version", "encoding", NULL };
      const char *labels[] = { _("Database"), _("Server version"), _("Encoding") };

      g_string_append (out, "<tr>");
      td (out, _("Reachable"));
      for (guint i = 0; i < 2; i++)
        {
          JsonObject *o = i == 0 ? s : t;
          g_string_append (out, "<td>");
          pill (out, get_boolean (o, "reachable", FALSE) ? "pass" : "fail");
          if (get_string (o, "error") != NULL)
            {
              g_string_append (out, " ");
              element (out, "span", "small", get_string (o, "error"));
            }
          g_string_append (out, "</td>");
        }
      g_string_append (out, "</tr>\n");

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_string_append (out, "<tr>");
          td (out, labels[k]);
          td (out, get_string (s, keys[k]) ? get_string (s, keys[k]) : "—");
          td (out, get_string (t, keys[k]) ? get_string (t, keys[k]) : "—");
          g_string_append (out, "</tr>\n");
        }

      g_string_append (out, "<tr>");
      td (out, _("Database size"));
      for (guint i = 0; i < 2; i++)
        {
          JsonObject *o = i == 0 ? s : t;
          g_autofree char *size = has_value (o, "size_bytes") ? bytes_text (get_int (o, "size_bytes", 0))
                                                               : g_strdup ("—");
          td (out, size);
        }
      g_string_append (out, "</tr>\n");
    }
  table_end (out);
}

/* ------------------------------------------------------------------ */
/* Charts                                                             */
/* ------------------------------------------------------------------ */

/* A round step for about @n ticks up to @max. */
static double
nice_step (double max,
           guint  n)
{
  double raw = max / n;
  double magnitude, residual;

  if (raw <= 0)
    return 1;
  magnitude = pow (10, floor (log10 (raw)));
  residual = raw / magnitude;
  if (residual > 5)
    return 10 * magnitude;
  if (residual > 2)
    return 5 * magnitude;
  if (residual > 1)
    return 2 * magnitude;
  return magnitude;
}

static char *
tick_text (double value)
{
  if (value >= 10 || value == floor (value))
    return g_strdup_printf ("%.0f", value);
  if (value >= 1)
    return g_strdup_printf ("%.1f", value);
  return g_strdup_printf ("%.2f", value);
}

static void
svg_begin (GString *out,
           double   width,
           double   height,
           const char *label)
{
  g_string_append_printf (out,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"",
                          width, height);
  esc (out, label);
  g_string_append (out, "\">");
}

/* Ticks of a time axis: round values from the start of the migration. */
static void
time_axis (GString *out,
           double   t0,
           double   span,
           double   left,
           double   plot_w,
           double   y)
{
  double step = nice_step (span, 6);

  for (double t = ceil (t0 / step - 1e-9) * step; t <= t0 + span + 1e-9; t += step)
    {
      double x = left + plot_w * (t - t0) / span;
      g_autofree char *label = offset_text (t, t0 + span);

      g_string_append_printf (out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                              x, y, x, y + 4);
      g_string_append_printf (out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                              x, y + 15);
      esc (out, label);
      g_string_append (out, "</text>");
    }
}

/* The throughput over time, with the chunks in flight below. */
static void
throughput_chart (GString    *out,
                  JsonObject *doc)
{
  JsonObject *throughput = get_object (doc, "throughput");
  JsonArray *points = get_array (throughput, "points");
  JsonObject *workers = get_object (doc, "workers");
  guint n = points ? json_array_get_length (points) : 0;
  const double W = 760, H = 262, left = 48, right = 62, top = 14, chart_h = 140, gap = 40, lane_h = 46;
  double plot_w = W - left - right;
  double t0, t1, span, max = 0, step, max_running, unit;
  double bucket = get_double (throughput, "bucket_seconds", 0);
  gint64 parallel = get_int (workers, "max_parallel", 1);
  const char *unit_name;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GString) area = g_string_new (NULL);
  g_autoptr(GString) lane = g_string_new (NULL);

  if (n < 2)
    {
      note_box (out, _("Too few chunks were copied to chart the throughput over time."));
      return;
    }

  t0 = get_double (json_array_get_object_element (points, 0), "offset_seconds", 0);
  t1 = get_double (json_array_get_object_element (points, n - 1), "offset_seconds", 0) + bucket;
  span = MAX (t1 - t0, 1e-3);
  for (guint i = 0; i < n; i++)
    max = MAX (max, get_double (json_array_get_object_element (points, i), "bytes_per_second", 0));

  /* MB/s, or kB/s for a slow stream; round ticks in that unit. */
  unit = max >= 1024.0 * 1024.0 ? 1024.0 * 1024.0 : 1024.0;
  unit_name = max >= 1024.0 * 1024.0 ? _("MB/s") : _("kB/s");
  max = MAX (max / unit, 0.01);
  step = nice_step (max, 4);
  max = step * ceil (max / step - 1e-9);
  max_running = MAX ((double)parallel, 1);

  g_string_append (out, "<figure>");
  svg_begin (out, W, H, _("Throughput over time"));

  for (double v = 0; v <= max + step / 2; v += step)
    {
      double y = top + chart_h - chart_h * v / max;
      g_autofree char *label = tick_text (v);

      g_string_append_printf (out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                              left, y, W - right, y);
      g_string_append_printf (out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 5, y + 3);
      esc (out, label);
      g_string_append (out, "</text>");
    }
  g_string_append_printf (out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" transform=\"rotate(-90 %.1f %.1f)\" text-anchor=\"middle\">",
                          12.0, top + chart_h / 2, 12.0, top + chart_h / 2);
  esc (out, unit_name);
  g_string_append (out, "</text>");

  /* A step per bucket. */
  for (guint i = 0; i < n; i++)
    {
      JsonObject *p = json_array_get_object_element (points, i);
      double t = get_double (p, "offset_seconds", 0);
      double x0 = left + plot_w * (t - t0) / span;
      double x1 = left + plot_w * MIN (t + bucket - t0, span) / span;
      double y = top + chart_h - chart_h * MIN (get_double (p, "bytes_per_second", 0) / unit, max) / max;
      double running = get_double (p, "running", 0);
      double ly = top + chart_h + gap + lane_h - lane_h * MIN (running, max_running) / max_running;

      g_string_append_printf (line, "%s%.1f,%.1f L%.1f,%.1f", i == 0 ? "M" : " L", x0, y, x1, y);
      g_string_append_printf (lane, "%s%.1f,%.1f L%.1f,%.1f", i == 0 ? "M" : " L", x0, ly, x1, ly);
    }
  g_string_append_printf (area, "M%.1f,%.1f %s L%.1f,%.1f Z", left, top + chart_h,
                          line->str + 1, left + plot_w, top + chart_h);
  g_string_append_printf (out, "<path class=\"series-fill\" d=\"%s\"/>", area->str);
  g_string_append_printf (out, "<path class=\"series\" d=\"%s\"/>", line->str);
  g_string_append_printf (out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                          left, top + chart_h, W - right, top + chart_h);
  time_axis (out, t0, span, left, plot_w, top + chart_h);

  /* The chunks in flight, against max_parallel. */
  {
    double lane_top = top + chart_h + gap;

    g_string_append_printf (out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                            left, lane_top + lane_h, W - right, lane_top + lane_h);
    g_string_append_printf (out, "<line class=\"limit\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                            left, lane_top, W - right, lane_top);
    g_string_append_printf (out, "<path class=\"series2\" d=\"%s\"/>", lane->str);
    g_string_append_printf (out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%" G_GINT64_FORMAT "</text>",
                            left - 5, lane_top + 3, parallel);
    g_string_append_printf (out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">0</text>",
                            left - 5, lane_top + lane_h + 3);
    g_string_append_printf (out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">", W - right + 5, lane_top + 3);
    esc (out, _("workers"));
    g_string_append (out, "</text>");
    g_string_append_printf (out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">", W - right + 5, lane_top + lane_h / 2 + 3);
    esc (out, _("in flight"));
    g_string_append (out, "</text>");
    time_axis (out, t0, span, left, plot_w, lane_top + lane_h);
  }

  g_string_append (out, "</svg><figcaption>");
  {
    g_autofree char *step_text = ferry_report_format_duration (bucket);

    escf (out, _("Top: data copied per second (%s), each chunk’s bytes spread over the time it ran, "
                 "in steps of %s. Bottom: chunks in flight against the %" PRId64
                 " workers (dashed). Times from the start of the migration."),
          unit_name, step_text, parallel);
  }
  g_string_append (out, "</figcaption></figure>\n");
}

/* The phases on a time line (a Gantt chart). */
static void
phase_chart (GString    *out,
             JsonObject *doc)
{
  JsonArray *phases = get_array (doc, "phases");
  JsonArray *timeline = get_array (doc, "timeline");
  guint n_rows = 0;
  const double W = 760, left = 168, right = 20, row_h = 22, top = 6;
  double span = 0, H, plot_w = W - left - right;

  if (timeline == NULL || json_array_get_length (timeline) == 0)
    return;

  for (guint i = 0; i < json_array_get_length (timeline); i++)
    span = MAX (span, get_double (json_array_get_object_element (timeline, i), "end_seconds", 0));
  span = MAX (span, 1e-3);
  for (guint i = 0; i < json_array_get_length (phases); i++)
    if (get_boolean (json_array_get_object_element (phases, i), "ran", FALSE))
      n_rows++;
  H = top + n_rows * row_h + 24;

  g_string_append (out, "<figure>");
  svg_begin (out, W, H, _("Phases on a time line"));

  /* Bands and labels, then the grid, then the bars over it. */
  for (guint pass = 0; pass < 2; pass++)
    {
      guint row = 0;

      if (pass == 1)
        {
          double tstep = nice_step (span, 6);
          double axis_y = top + n_rows * row_h;

          g_string_append_printf (out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                                  left, axis_y, W - right, axis_y);
          for (double t = 0; t <= span + 1e-9; t += tstep)
            {
              double x = left + plot_w * t / span;
              g_autofree char *label = offset_text (t, span);

              g_string_append_printf (out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                                      x, top, x, axis_y + 4);
              g_string_append_printf (out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                                      x, axis_y + 16);
              esc (out, label);
              g_string_append (out, "</text>");
            }
        }

      for (guint i = 0; i < json_array_get_length (phases); i++)
        {
          JsonObject *p = json_array_get_object_element (phases, i);
          const char *id = get_string (p, "phase");
          double y = top + row * row_h;

          if (!get_boolean (p, "ran", FALSE))
            continue;
          row++;
          if (pass == 0)
            {
              if (row % 2 == 1)
                g_string_append_printf (out, "<rect class=\"band\" x=\"0\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\"/>",
                                        y, W, row_h);
              g_string_append_printf (out, "<text x=\"6\" y=\"%.1f\" font-size=\"11\">", y + row_h / 2 + 4);
              esc (out, get_string (p, "label"));
              g_string_append (out, "</text>");
              continue;
            }
          for (guint j = 0; j < json_array_get_length (timeline); j++)
            {
              JsonObject *t = json_array_get_object_element (timeline, j);
              double s = get_double (t, "start_seconds", 0), e = get_double (t, "end_seconds", 0);
              double x = left + plot_w * s / span;
              double w = MAX (plot_w * (e - s) / span, 1.5);

              if (g_strcmp0 (get_string (t, "phase"), id) != 0)
                continue;
              g_string_append_printf (out, "<rect class=\"phase%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"2\"/>",
                                      get_boolean (p, "overlaps_data", FALSE) ? " overlap" : "",
                                      x, y + 5, w, row_h - 10);
            }
        }
    }
  g_string_append (out, "</svg><figcaption>");
  esc (out, _("Each bar is a stretch of time the phase ran, from the start of the migration. Indexes and "
              "constraints (orange) are put back while the data copy goes on, table by table."));
  g_string_append (out, "</figcaption></figure>\n");
}

/* Horizontal bars: the slowest tables. */
static void
bar_chart (GString    *out,
           JsonArray  *rows,
           const char *label_member,
           const char *value_member,
           const char *caption)
{
  guint n = rows ? json_array_get_length (rows) : 0;
  const double W = 760, left = 250, right = 70, row_h = 19;
  double max = 0, H = n * row_h + 6;

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    max = MAX (max, get_double (json_array_get_object_element (rows, i), value_member, 0));
  max = MAX (max, 1e-6);

  g_string_append (out, "<figure>");
  svg_begin (out, W, H, caption);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      double v = get_double (row, value_member, 0);
      double y = 3 + i * row_h;
      const char *name = get_string (row, label_member);
      g_autofree char *shown = NULL;
      g_autofree char *value = ferry_report_format_duration (v);

      if (name != NULL && g_utf8_strlen (name, -1) > 40)
        {
          g_autofree char *head = g_utf8_substring (name, 0, 39);
          shown = g_strconcat (head, "…", NULL);
        }
      else
        shown = g_strdup (name ? name : "");

      g_string_append_printf (out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\"><title>",
                              left - 8, y + 12);
      esc (out, name);
      g_string_append (out, "</title>");
      esc (out, shown);
      g_string_append (out, "</text>");
      g_string_append_printf (out, "<rect class=\"bar-fill\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"2\"/>",
                              left, y + 2, MAX ((W - left - right) * v / max, 1), row_h - 6);
      g_string_append_printf (out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">",
                              left + (W - left - right) * v / max + 5, y + 12);
      esc (out, value);
      g_string_append (out, "</text>");
    }
  g_string_append (out, "</svg><figcaption>");
  esc (out, caption);
  g_string_append (out, "</figcaption></figure>\n");
}

/* The dependency graph: the tables by level (parents above the tables
 * that reference them), coloured by schema, with the foreign keys
 * between them; the keys that close a cycle dashed red. */
static const char * const schema_colours[] = {
  "#a8c8f0", "#f5c08a", "#b5e0b0", "#f2b0b8", "#d3c0ee", "#f3e19a",
  "#a6e0dc", "#e6c1a0", "#c9d3dd", "#f0b8e0", "#c7e6a0", "#b8c4f4",
};

typedef struct
{
  double x;
  double y;
} Point;

static void
graph_picture (GString    *out,
               JsonObject *doc,
               JsonObject *table_statuses)
{
  JsonObject *graph = get_object (doc, "graph");
  JsonArray *nodes = get_array (graph, "nodes");
  JsonArray *edges = get_array (graph, "edges");
  guint n = nodes ? json_array_get_length (nodes) : 0;
  gint64 levels = get_int (graph, "levels", 0);
  g_autoptr(GHashTable) positions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GHashTable) schema_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) schemas = g_ptr_array_new ();
  const double W = 760, left = 58, right = 4, box_w = 112, box_h = 15, gap_x = 4, gap_y = 5, band_gap = 14;
  guint per_row = (guint)((W - left - right + gap_x) / (box_w + gap_x));
  g_autofree guint *per_level = NULL;
  g_autofree double *level_top = NULL;
  double H;
  guint n_breaking = 0;

  if (n == 0 || levels <= 0)
    {
      note_box (out, _("The dependency graph is not available."));
      return;
    }

  per_level = g_new0 (guint, levels);
  level_top = g_new0 (double, levels + 1);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);
      gint64 level = CLAMP (get_int (node, "level", 0), 0, levels - 1);
      const char *schema = get_string (node, "schema");

      per_level[level]++;
      if (schema != NULL && !g_hash_table_contains (schema_index, schema))
        {
          g_hash_table_insert (schema_index, (gpointer)schema, GUINT_TO_POINTER (schemas->len));
          g_ptr_array_add (schemas, (gpointer)schema);
        }
    }

  if (n > MAX_GRAPH_NODES)
    {
      /* Too many tables to draw one by one: how many on each level. */
      const double row_h = 16;
      guint max = 1;

      for (gint64 l = 0; l < levels; l++)
        max = MAX (max, per_level[l]);
      H = levels * row_h + 8;
      g_string_append (out, "<figure>");
      svg_begin (out, W, H, _("Tables by dependency level"));
      for (gint64 l = 0; l < levels; l++)
        {
          double y = 4 + l * row_h;
          g_string_append_printf (out, "<text class=\"level-label\" x=\"0\" y=\"%.1f\">", y + 11);
          escf (out, _("Level %" PRId64), l);
          g_string_append (out, "</text>");
          g_string_append_printf (out, "<rect class=\"bar-fill\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"2\"/>",
                                  left + 10, y + 2, MAX ((W - left - 80) * per_level[l] / max, 1), row_h - 5);
          g_string_append_printf (out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">%u</text>",
                                  left + 16 + (W - left - 80) * per_level[l] / max, y + 11, per_level[l]);
        }
      g_string_append (out, "</svg><figcaption>");
      escf (out, _("%u tables on %" PRId64 " levels: too many to draw one by one. Level 0 holds "
                   "the tables that reference no other; each level waits for the ones above."),
            n, levels);
      g_string_append (out, "</figcaption></figure>\n");
      return;
    }

  /* Layout: each level a band of rows of boxes. */
  {
    double y = 4;

    for (gint64 l = 0; l < levels; l++)
      {
        guint rows = MAX (1, (per_level[l] + per_row - 1) / per_row);

        level_top[l] = y;
        y += rows * (box_h + gap_y) - gap_y + band_gap;
      }
    level_top[levels] = y;
    H = y;
  }
  /* Within a level, the tables sit under their parents (ordered by the
   * mean position of the parents above them, the barycentre heuristic),
   * filled column by column so that the order reads left to right. */
  {
    g_autoptr(GHashTable) parents = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                           (GDestroyNotify)g_ptr_array_unref);
    g_autofree double *weight = g_new0 (double, n);

    for (guint i = 0; edges != NULL && i < json_array_get_length (edges); i++)
      {
        JsonObject *e = json_array_get_object_element (edges, i);
        const char *child = get_string (e, "child");
        GPtrArray *list;

        if (child == NULL || get_string (e, "parent") == NULL || g_strcmp0 (get_string (e, "kind"), "kept") != 0)
          continue;
        list = g_hash_table_lookup (parents, child);
        if (list == NULL)
          {
            list = g_ptr_array_new ();
            g_hash_table_insert (parents, (gpointer)child, list);
          }
        g_ptr_array_add (list, (gpointer)get_string (e, "parent"));
      }

    for (gint64 l = 0; l < levels; l++)
      {
        g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (guint));
        guint rows = MAX (1, (per_level[l] + per_row - 1) / per_row);

        for (guint i = 0; i < n; i++)
          {
            JsonObject *node = json_array_get_object_element (nodes, i);
            GPtrArray *list;
            double sum = 0;
            guint found = 0;

            if (CLAMP (get_int (node, "level", 0), 0, levels - 1) != l)
              continue;
            list = g_hash_table_lookup (parents, get_string (node, "name") ? get_string (node, "name") : "");
            for (guint j = 0; list != NULL && j < list->len; j++)
              {
                Point *above = g_hash_table_lookup (positions, g_ptr_array_index (list, j));
                if (above != NULL)
                  {
                    sum += above->x;
                    found++;
                  }
              }
            /* Level 0: grouped by schema. */
            if (l == 0)
              weight[i] = GPOINTER_TO_UINT (g_hash_table_lookup (schema_index, get_string (node, "schema")
                                                                               ? get_string (node, "schema") : "")) * 1e4 + i;
            else
              weight[i] = found > 0 ? sum / found : 1e9 + i;
            g_array_append_val (members, i);
          }

        /* An insertion sort: levels are small. */
        for (guint a = 1; a < members->len; a++)
          for (guint b = a; b > 0 && weight[g_array_index (members, guint, b - 1)] > weight[g_array_index (members, guint, b)]; b--)
            {
              guint tmp = g_array_index (members, guint, b - 1);
              g_array_index (members, guint, b - 1) = g_array_index (members, guint, b);
              g_array_index (members, guint, b) = tmp;
            }

        for (guint k = 0; k < members->len; k++)
          {
            JsonObject *node = json_array_get_object_element (nodes, g_array_index (members, guint, k));
            Point *p = g_new (Point, 1);

            p->x = left + (k / rows) * (box_w + gap_x);
            p->y = level_top[l] + (k % rows) * (box_h + gap_y);
            g_hash_table_insert (positions, (gpointer)get_string (node, "name"), p);
          }
      }
  }

  g_string_append (out, "<figure>");
  svg_begin (out, W, H, _("Dependency graph"));

  for (gint64 l = 0; l < levels; l++)
    {
      if (l % 2 == 0)
        g_string_append_printf (out, "<rect class=\"band\" x=\"0\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\"/>",
                                level_top[l] - band_gap / 2 + 2, W, level_top[l + 1] - level_top[l]);
      g_string_append_printf (out, "<text class=\"level-label\" x=\"4\" y=\"%.1f\">", level_top[l] + 11);
      escf (out, _("Level %" PRId64), l);
      g_string_append (out, "</text>");
    }

  /* Edges under the boxes: from the bottom of the parent to the top of
   * the child. */
  for (guint i = 0; edges != NULL && i < json_array_get_length (edges); i++)
    {
      JsonObject *e = json_array_get_object_element (edges, i);
      const char *kind = get_string (e, "kind");
      Point *from = g_hash_table_lookup (positions, get_string (e, "parent") ? get_string (e, "parent") : "");
      Point *to = g_hash_table_lookup (positions, get_string (e, "child") ? get_string (e, "child") : "");
      double x1, y1, x2, y2, bend;

      if (from == NULL || to == NULL || g_strcmp0 (kind, "self") == 0 || g_strcmp0 (kind, "external") == 0)
        continue;
      if (g_strcmp0 (kind, "breaking") == 0)
        n_breaking++;
      x1 = from->x + box_w / 2;
      x2 = to->x + box_w / 2;
      if (to->y > from->y)
        y1 = from->y + box_h, y2 = to->y;
      else if (to->y < from->y)
        y1 = from->y, y2 = to->y + box_h;
      else
        y1 = from->y + box_h, y2 = to->y + box_h;
      bend = MAX (fabs (y2 - y1) / 2, 10);
      g_string_append_printf (out, "<path class=\"edge%s\" d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>",
                              g_strcmp0 (kind, "breaking") == 0 ? " breaking" : "",
                              x1, y1, x1, y1 + (y2 >= y1 ? bend : -bend),
                              x2, y2 - (y2 >= y1 ? bend : -bend), x2, y2);
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);
      const char *name = get_string (node, "name");
      const char *table = get_string (node, "table");
      const char *schema = get_string (node, "schema");
      Point *p = g_hash_table_lookup (positions, name);
      guint colour = schema ? GPOINTER_TO_UINT (g_hash_table_lookup (schema_index, schema)) : 0;
      const char *status = table_statuses ? get_string (table_statuses, name) : NULL;
      g_autofree char *shown = NULL;

      if (table == NULL)
        table = name ? name : "";
      if (g_utf8_strlen (table, -1) > 21)
        {
          g_autofree char *head = g_utf8_substring (table, 0, 20);
          shown = g_strconcat (head, "…", NULL);
        }
      else
        shown = g_strdup (table);

      g_string_append_printf (out, "<g class=\"node%s\"><title>",
                              g_strcmp0 (status, "failed") == 0 ? " failed"
                              : g_strcmp0 (status, "skipped") == 0 ? " skipped" : "");
      esc (out, name);
      if (status != NULL)
        {
          g_string_append (out, " — ");
          esc (out, _(lookup_status (status)->label));
        }
      g_string_append_printf (out, "</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" fill=\"%s\"/>",
                              p->x, p->y, box_w, box_h,
                              schema_colours[colour % G_N_ELEMENTS (schema_colours)]);
      g_string_append_printf (out, "<text x=\"%.1f\" y=\"%.1f\">", p->x + 4, p->y + 10.5);
      esc (out, shown);
      g_string_append (out, "</text></g>");
    }

  g_string_append (out, "</svg>\n<div class=\"legend\">");
  for (guint i = 0; i < schemas->len; i++)
    legend_item (out, schema_colours[i % G_N_ELEMENTS (schema_colours)], g_ptr_array_index (schemas, i));
  g_string_append (out, "</div><figcaption>");
  escf (out, _("%u tables on %" PRId64 " levels, coloured by schema. Level 0 holds the tables that "
               "reference no other; a line joins a referenced table (above) to a table that references it. "
               "Dashed red lines (%u) are the foreign keys dropped to break a cycle and added back afterwards."),
        n, levels, n_breaking);
  g_string_append (out, "</figcaption></figure>\n");
}

/* ------------------------------------------------------------------ */
/* Readiness                                                          */
/* ------------------------------------------------------------------ */

static void evidence_row (GString *out, const char *status, const char *what, const char *detail);

static void
check_detail (GString    *out,
              JsonObject *check)
{
  JsonArray *items = get_array (check, "items");
  const char *status = get_string (check, "status");
  gboolean passed = g_strcmp0 (status, "pass") == 0 || g_strcmp0 (status, "skipped") == 0;
  guint n = items ? json_array_get_length (items) : 0;

  element (out, "div", "check-title", get_string (check, "title"));
  if (get_string (check, "summary") != NULL)
    element (out, "div", "check-detail", get_string (check, "summary"));
  if (!passed && get_string (check, "explanation") != NULL)
    element (out, "div", "check-detail muted", get_string (check, "explanation"));
  if (!passed && get_string (check, "fix") != NULL)
    {
      g_string_append (out, "<div class=\"check-detail fix\"><strong>");
      esc (out, _("Fix:"));
      g_string_append (out, "</strong> ");
      esc (out, get_string (check, "fix"));
      g_string_append (out, "</div>");
    }
  if (n > 0 && (!passed || n <= 6))
    {
      g_string_append (out, "<ul class=\"items\">");
      for (guint i = 0; i < n && i < MAX_ITEMS; i++)
        element (out, "li", NULL, json_array_get_string_element (items, i));
      if (n > MAX_ITEMS)
        {
          g_string_append (out, "<li>");
          escf (out, ngettext ("and %u more", "and %u more", n - MAX_ITEMS), n - MAX_ITEMS);
          g_string_append (out, "</li>");
        }
      g_string_append (out, "</ul>");
    }
}

static void
render_readiness (GString    *out,
                  JsonObject *doc)
{
  JsonObject *r = get_object (doc, "readiness");
  JsonObject *counts = get_object (r, "counts");
  JsonObject *plan = get_object (doc, "plan");
  JsonObject *estimate = get_object (doc, "estimate");
  JsonArray *checks = get_array (r, "checks");
  JsonArray *tables = get_array (doc, "tables");
  gint64 fail = get_int (counts, "fail", 0), warn = get_int (counts, "warning", 0);
  gint64 pass = get_int (counts, "pass", 0), skipped = get_int (counts, "skipped", 0);
  gboolean ready = get_boolean (r, "ready", FALSE);
  g_autofree char *headline = NULL;
  g_autofree char *text = NULL;
  guint section = 0;

  masthead (out, doc, _("Readiness report"));

  if (!ready)
    headline = g_strdup_printf (ngettext ("Not ready: %" PRId64 " check failed",
                                          "Not ready: %" PRId64 " checks failed", fail), fail);
  else if (warn > 0)
    headline = g_strdup_printf (ngettext ("Ready, with %" PRId64 " warning",
                                          "Ready, with %" PRId64 " warnings", warn), warn);
  else
    headline = g_strdup (_("Ready to migrate"));
  text = g_strdup_printf (_("%" PRId64 " of %" PRId64 " checks passed (%.0f%%); "
                            "%" PRId64 " warnings, %" PRId64 " failed, %" PRId64 " skipped."),
                          pass, pass + warn + fail, get_double (r, "score", 0), warn, fail, skipped);
  banner (out, !ready ? "fail" : warn > 0 ? "warning" : "pass", headline, text);

  cards_begin (out);
  {
    g_autofree char *score = g_strdup_printf ("%.0f %%", get_double (r, "score", 0));
    g_autofree char *score_note = g_strdup_printf (_("%" PRId64 " of %" PRId64 " checks"),
                                                   pass, pass + warn + fail);
    g_autofree char *n_fail = count (fail);
    g_autofree char *n_warn = count (warn);
    g_autofree char *n_tables = count (get_int (plan, "tables", 0));
    g_autofree char *n_chunks = g_strdup_printf (_("in %" PRId64 " chunks, %" PRId64 " batches"),
                                                 get_int (plan, "chunks", 0), get_int (plan, "batches", 0));
    g_autofree char *size = bytes_text (get_int (estimate, "bytes", 0));
    g_autofree char *rows_n = count (get_int (estimate, "rows", 0));
    g_autofree char *rows = g_strdup_printf (_("about %s rows"), rows_n);
    g_autofree char *duration = ferry_report_format_duration (get_double (estimate, "seconds", -1));
    g_autofree char *workers = g_strdup_printf (_("with %" PRId64 " workers"), get_int (estimate, "workers", 1));

    card (out, _("Checks passed"), score, score_note, ready ? "ok" : "bad");
    card (out, _("Failed"), n_fail, _("must be fixed"), fail > 0 ? "bad" : NULL);
    card (out, _("Warnings"), n_warn, _("worth reading"), warn > 0 ? "warn" : NULL);
    card (out, _("Tables"), n_tables, n_chunks, NULL);
    card (out, _("Data to copy"), size, rows, NULL);
    card (out, _("Estimated duration"), duration, workers, NULL);
    card (out, _("Strategy"), get_string (plan, "strategy") ? get_string (plan, "strategy") : "—",
          _("for foreign keys"), NULL);
    {
      g_autofree char *edges = count (get_array (plan, "breaking_edges") ? json_array_get_length (get_array (plan, "breaking_edges")) : 0);
      g_autofree char *cycles = g_strdup_printf (_("%u cycles in the graph"),
                                                 get_array (plan, "cycles") ? json_array_get_length (get_array (plan, "cycles")) : 0);
      card (out, _("Cycle-breaking keys"), edges, cycles, NULL);
    }
  }
  cards_end (out);

  /* What needs attention, first: the failed checks, then the warnings. */
  if (fail + warn > 0)
    {
      element (out, "h2", NULL, _("Needs attention"));
      g_string_append (out, "<table class=\"data evidence\"><tbody>\n");
      for (guint round = 0; round < 2; round++)
        for (guint i = 0; checks != NULL && i < json_array_get_length (checks); i++)
          {
            JsonObject *c = json_array_get_object_element (checks, i);
            const char *status = get_string (c, "status");

            if (g_strcmp0 (status, round == 0 ? "fail" : "warning") != 0)
              continue;
            evidence_row (out, status, get_string (c, "title"),
                          get_string (c, "summary") ? get_string (c, "summary") : "");
          }
      g_string_append (out, "</tbody></table>\n");
    }

  section_begin (out, "servers", _("Servers"), FALSE);
  servers_table (out, doc);
  section_end (out);

  /* The checks, by group, failures first within the list of each. */
  {
    g_autofree char *title = g_strdup_printf (_("%u. Readiness checks"), ++section);
    const char *ids[] = { "pass", "warning", "fail", "check-skipped" };
    gint64 values[] = { pass, warn, fail, skipped };
    const char *columns[] = { _("Status"), _("Check"), NULL };
    const char *group = NULL;

    section_begin (out, "checks", title, TRUE);
    stack_bar (out, ids, values, 4);
    table_begin (out, NULL, columns);
    for (guint i = 0; checks != NULL && i < json_array_get_length (checks); i++)
      {
        JsonObject *c = json_array_get_object_element (checks, i);
        const char *status = get_string (c, "status");
        gboolean passed = g_strcmp0 (status, "pass") == 0;

        if (g_strcmp0 (group, get_string (c, "group")) != 0)
          {
            group = get_string (c, "group");
            g_string_append (out, "<tr class=\"group\"><td colspan=\"2\">");
            esc (out, get_string (c, "group_label"));
            g_string_append (out, "</td></tr>\n");
          }
        g_string_append_printf (out, "<tr class=\"%s\">",
                                g_strcmp0 (status, "fail") == 0 ? "bad long"
                                : g_strcmp0 (status, "warning") == 0 ? "warn long" : passed ? "" : "long");
        td_status (out, g_strcmp0 (status, "skipped") == 0 ? "check-skipped" : status);
        g_string_append (out, "<td>");
        check_detail (out, c);
        g_string_append (out, "</td></tr>\n");
      }
    table_end (out);
    section_end (out);
  }

  /* The plan. */
  {
    g_autofree char *title = g_strdup_printf (_("%u. Plan and estimate"), ++section);
    JsonArray *edges = get_array (plan, "breaking_edges");
    JsonArray *batches = get_array (plan, "batch_list");

    section_begin (out, "plan", title, TRUE);
    if (plan == NULL)
      note_box (out, _("No plan: the source could not be read."));
    else
      {
        g_autofree char *tables_n = count (get_int (plan, "tables", 0));
        g_autofree char *chunks_n = count (get_int (plan, "chunks", 0));
        g_autofree char *batches_n = count (get_int (plan, "batches", 0));
        g_autofree char *levels_n = count (get_int (plan, "levels", 0));
        g_autofree char *chunk_size = bytes_text (get_int (plan, "chunk_size", 0));
        g_autofree char *size = bytes_text (get_int (estimate, "bytes", 0));
        g_autofree char *rows = count (get_int (estimate, "rows", 0));
        g_autofree char *rate = ferry_report_format_rate (get_double (estimate, "bytes_per_second", -1));
        g_autofree char *duration = ferry_report_format_duration (get_double (estimate, "seconds", -1));
        g_autofree char *workers = count (get_int (estimate, "workers", 1));
        g_autofree char *self_refs = count (get_int (plan, "self_references", 0));

        g_string_append (out, "<table class=\"kv\"><tbody>");
        kv_row (out, _("Constraint strategy"), get_string (plan, "strategy"), NULL);
        kv_row (out, _("Tables"), tables_n, NULL);
        kv_row (out, _("Chunks"), chunks_n, NULL);
        kv_row (out, _("Chunk size"), chunk_size, NULL);
        kv_row (out, _("Batches"), batches_n, NULL);
        kv_row (out, _("Dependency levels"), levels_n, NULL);
        kv_row (out, _("Self-references"), self_refs, NULL);
        kv_row (out, _("Estimated size"), size, NULL);
        kv_row (out, _("Estimated rows"), rows, NULL);
        kv_row (out, _("Workers"), workers, NULL);
        kv_row (out, _("Assumed throughput"), rate, NULL);
        kv_row (out, _("Estimated duration"), duration, NULL);
        g_string_append (out, "</tbody></table>\n");
        note_box (out, _("The estimate is not a promise: it assumes each worker moves about 40 MB/s and "
                         "counts neither index builds, nor the validation, nor time spent waiting for "
                         "parent tables. Row counts come from the statistics (ANALYZE)."));

        {
          const char *columns[] = { _("Foreign key"), _("Table"), _("References"), _("Action"), NULL };

          element (out, "h3", NULL, _("Foreign keys that break a cycle"));
          if (edges == NULL || json_array_get_length (edges) == 0)
            element (out, "p", "muted", _("None: the foreign keys form no cycle."));
          else
            {
              table_begin (out, _("Dropped before the load, added back NOT VALID and validated afterwards."), columns);
              for (guint i = 0; i < json_array_get_length (edges); i++)
                {
                  JsonObject *e = json_array_get_object_element (edges, i);
                  g_string_append (out, "<tr>");
                  td_name (out, get_string (e, "name"));
                  td_name (out, get_string (e, "child"));
                  td_name (out, get_string (e, "parent"));
                  td (out, get_string (e, "action"));
                  g_string_append (out, "</tr>\n");
                }
              table_end (out);
            }
        }
        if (batches != NULL && json_array_get_length (batches) > 0)
          {
            element (out, "h3", NULL, _("Batches"));
            g_string_append (out, "<ol class=\"batches\">");
            for (guint i = 0; i < json_array_get_length (batches); i++)
              {
                JsonObject *b = json_array_get_object_element (batches, i);

                g_string_append (out, "<li>");
                /* Translators: one batch of the plan: "Batch 3: level 1, 10 tables" */
                escf (out, ngettext ("Batch %" PRId64 ": level %" PRId64 ", %" PRId64 " table",
                                     "Batch %" PRId64 ": level %" PRId64 ", %" PRId64 " tables",
                                     get_int (b, "tables", 0)),
                      get_int (b, "number", 0), get_int (b, "level", 0), get_int (b, "tables", 0));
                g_string_append (out, "</li>");
              }
            g_string_append (out, "</ol>\n");
          }
      }
    section_end (out);
  }

  {
    g_autofree char *title = g_strdup_printf (_("%u. Dependency graph"), ++section);

    section_begin (out, "graph", title, TRUE);
    graph_picture (out, doc, NULL);
    section_end (out);
  }

  {
    g_autofree char *title = g_strdup_printf (_("%u. Tables in load order"), ++section);
    const char *columns[] = { _("@Table"), _("#Level"), _("#Batch"), _("#Est. rows"), _("#Size"),
                              _("#Chunks"), _("Waits for"), NULL };

    section_begin (out, "tables", title, TRUE);
    table_begin (out, NULL, columns);
    for (guint i = 0; tables != NULL && i < json_array_get_length (tables); i++)
      {
        JsonObject *t = json_array_get_object_element (tables, i);
        JsonArray *parents = get_array (t, "parents");
        g_autofree char *level = count (get_int (t, "level", 0));
        g_autofree char *batch = count (get_int (t, "batch", 0));
        g_autofree char *rows = optional_count (t, "rows");
        g_autofree char *size = bytes_text (get_int (t, "size_bytes", 0));
        g_autofree char *chunks = count (get_int (t, "chunks", 0));
        g_autoptr(GString) waits = g_string_new (NULL);

        for (guint j = 0; parents != NULL && j < json_array_get_length (parents); j++)
          {
            if (j > 0)
              g_string_append (waits, ", ");
            g_string_append (waits, json_array_get_string_element (parents, j));
          }

        g_string_append (out, "<tr>");
        td_name (out, get_string (t, "name"));
        td_num (out, level);
        td_num (out, batch);
        td_num (out, rows);
        td_num (out, size);
        td_num (out, chunks);
        element (out, "td", "name small", waits->len > 0 ? waits->str : "—");
        g_string_append (out, "</tr>\n");
      }
    table_end (out);
    section_end (out);
  }
}

/* ------------------------------------------------------------------ */
/* Progress                                                           */
/* ------------------------------------------------------------------ */

static void
render_progress (GString    *out,
                 JsonObject *doc)
{
  JsonObject *p = get_object (doc, "progress");
  JsonObject *by_status = get_object (p, "tables");
  JsonObject *errors = get_object (p, "errors");
  JsonArray *running = get_array (p, "running");
  JsonArray *failed = get_array (p, "failed_tables");
  JsonArray *recent = get_array (p, "recent_errors");
  JsonArray *tables = get_array (doc, "tables");
  const char *state = get_string (p, "state");
  double percent = get_double (p, "percent", 0);
  g_autofree char *headline = NULL;
  g_autofree char *text = NULL;
  g_autofree char *generated = time_text (doc, "generated_at");
  guint section = 0;

  masthead (out, doc, _("Progress report"));

  headline = g_strdup_printf (_("%s — %.1f%% done"), _(lookup_status (state)->label), percent);
  text = g_strdup_printf (_("As of %s, in the phase “%s”. %s"), generated,
                          ferry_report_phase_to_string (get_string (p, "phase")),
                          g_strcmp0 (get_string (p, "source"), "live") == 0
                            ? _("Figures from the running migration.")
                            : _("Figures from the journal: chunks count when they commit."));
  banner (out, g_strcmp0 (state, "completed") == 0 ? "completed"
               : g_strcmp0 (state, "error") == 0 ? "error"
               : g_strcmp0 (state, "running") == 0 ? "running" : "warning",
          headline, text);

  cards_begin (out);
  {
    g_autofree char *pct = g_strdup_printf ("%.1f %%", percent);
    g_autofree char *chunks_done = count (get_int (p, "chunks_done", 0));
    g_autofree char *chunks_total = count (get_int (p, "chunks_total", 0));
    g_autofree char *chunks = g_strdup_printf (_("%s of %s chunks"), chunks_done, chunks_total);
    g_autofree char *rows_total = count (get_int (p, "rows_total", 0));
    g_autofree char *size_total = bytes_text (get_int (p, "bytes_total", 0));
    g_autofree char *n_completed = count (get_int (by_status, "completed", 0));
    g_autofree char *n_tables = count (get_int (by_status, "total", 0));
    g_autofree char *average_rate = ferry_report_format_rate (get_double (p, "average_bytes_per_second", -1));
    g_autofree char *elapsed_time = ferry_report_format_duration (get_double (p, "elapsed_seconds", -1));
    g_autofree char *rows = count (get_int (p, "rows_done", 0));
    g_autofree char *rows_note = get_int (p, "rows_total", 0) > 0
                                   ? g_strdup_printf (_("of about %s"), rows_total)
                                   : NULL;
    g_autofree char *done = bytes_text (get_int (p, "bytes_done", 0));
    g_autofree char *total = g_strdup_printf (_("COPY data, of %s on the source’s disk"), size_total);
    g_autofree char *tables_done = g_strdup_printf ("%s / %s", n_completed, n_tables);
    g_autofree char *tables_note = g_strdup_printf (_("%" PRId64 " failed, %" PRId64 " skipped"),
                                                    get_int (by_status, "failed", 0), get_int (by_status, "skipped", 0));
    g_autofree char *now = ferry_report_format_rate (get_double (p, "bytes_per_second", -1));
    g_autofree char *average = g_strdup_printf (_("average %s"), average_rate);
    g_autofree char *eta = ferry_report_format_duration (get_double (p, "eta_seconds", -1));
    g_autofree char *elapsed = g_strdup_printf (_("%s elapsed"), elapsed_time);
    g_autofree char *n_errors = count (get_int (errors, "total", 0));
    g_autofree char *n_running = running ? count (json_array_get_length (running)) : g_strdup ("—");

    card (out, _("Done"), pct, chunks, NULL);
    card (out, _("Rows copied"), rows, rows_note, NULL);
    card (out, _("Data copied"), done, total, NULL);
    card (out, _("Tables complete"), tables_done, tables_note, get_int (by_status, "failed", 0) > 0 ? "bad" : NULL);
    card (out, _("Throughput now"), now, average, NULL);
    card (out, _("Time left (estimate)"), g_strcmp0 (state, "completed") == 0 ? _("none") : eta, elapsed, NULL);
    card (out, _("Chunks running"), get_boolean (p, "running_known", FALSE) ? n_running : "—",
          get_boolean (p, "running_known", FALSE) ? NULL : _("known to the running process only"), NULL);
    card (out, _("Errors so far"), n_errors, _("retried or escalated"), get_int (errors, "total", 0) > 0 ? "warn" : NULL);
  }
  cards_end (out);

  g_string_append_printf (out, "<div class=\"bar\" style=\"height:12px\"><span style=\"width:%.2f%%\"></span></div>\n",
                          CLAMP (percent, 0, 100));

  {
    const char *ids[] = { "completed", "running", "pending", "failed", "skipped", "incomplete" };
    gint64 values[6];

    for (guint i = 0; i < 6; i++)
      values[i] = get_int (by_status, ids[i], 0);
    element (out, "h3", NULL, _("Tables by status"));
    stack_bar (out, ids, values, g_strcmp0 (get_string (p, "source"), "live") == 0 ? 5 : 6);
  }

  /* Running chunks and errors. */
  {
    g_autofree char *title = g_strdup_printf (_("%u. Running chunks and errors"), ++section);
    JsonObject *by_class = get_object (errors, "by_class");
    GList *classes = by_class ? json_object_get_members (by_class) : NULL;

    section_begin (out, "activity", title, FALSE);
    element (out, "h3", NULL, _("Chunks in flight"));
    if (!get_boolean (p, "running_known", FALSE))
      note_box (out, _("The journal records a chunk when it commits: the chunks in flight are only known to "
                       "the process that runs the migration. Generate this report from the app or from "
                       "“ferry-cli run” to see them."));
    else if (running == NULL || json_array_get_length (running) == 0)
      element (out, "p", "muted", _("None at this moment."));
    else
      {
        const char *columns[] = { _("Table"), _("Work"), _("#Chunk"), _("#Rows so far"), _("#Bytes so far"), NULL };

        table_begin (out, NULL, columns);
        for (guint i = 0; i < json_array_get_length (running); i++)
          {
            JsonObject *r = json_array_get_object_element (running, i);
            g_autofree char *chunk = count (get_int (r, "chunk", 0));
            g_autofree char *rows = count (get_int (r, "rows", 0));
            g_autofree char *b = bytes_text (get_int (r, "bytes", 0));

            g_string_append (out, "<tr>");
            td_name (out, get_string (r, "table"));
            td (out, get_string (r, "kind"));
            td_num (out, chunk);
            td_num (out, rows);
            td_num (out, b);
            g_string_append (out, "</tr>\n");
          }
        table_end (out);
      }

    element (out, "h3", NULL, _("Errors by class"));
    if (get_int (errors, "total", 0) == 0)
      {
        g_string_append (out, "<p>");
        pill (out, "pass");
        g_string_append (out, " ");
        esc (out, _("No error so far."));
        g_string_append (out, "</p>\n");
      }
    else
      {
        g_string_append (out, "<div class=\"legend\">");
        for (GList *l = classes; l != NULL; l = l->next)
          {
            g_autofree char *n = count (get_int (by_class, l->data, 0));
            g_string_append (out, "<span>");
            esc (out, l->data);
            g_string_append (out, " <strong>");
            esc (out, n);
            g_string_append (out, "</strong></span>");
          }
        g_string_append (out, "</div>\n");
      }
    g_list_free (classes);

    if (failed != NULL && json_array_get_length (failed) > 0)
      {
        const char *columns[] = { _("Table"), _("Error"), NULL };

        element (out, "h3", NULL, _("Failed tables, waiting for a decision"));
        table_begin (out, NULL, columns);
        for (guint i = 0; i < json_array_get_length (failed); i++)
          {
            JsonObject *f = json_array_get_object_element (failed, i);
            g_string_append (out, "<tr class=\"bad\">");
            td_name (out, get_string (f, "table"));
            td (out, get_string (f, "message"));
            g_string_append (out, "</tr>\n");
          }
        table_end (out);
      }

    if (recent != NULL && json_array_get_length (recent) > 0)
      {
        const char *columns[] = { _("When"), _("What"), _("Detail"), NULL };

        element (out, "h3", NULL, _("Most recent errors"));
        table_begin (out, NULL, columns);
        for (guint i = 0; i < json_array_get_length (recent); i++)
          {
            JsonObject *e = json_array_get_object_element (recent, i);
            g_autofree char *at = time_text (e, "at");
            g_string_append (out, "<tr>");
            element (out, "td", "small nowrap", at);
            element (out, "td", "nowrap", get_string (e, "action"));
            td (out, get_string (e, "detail"));
            g_string_append (out, "</tr>\n");
          }
        table_end (out);
      }
    section_end (out);
    }

  {
    g_autofree char *title = g_strdup_printf (_("%u. Tables"), ++section);
    const char *columns[] = { _("@Table"), _("Status"), _("Progress"), _("#Rows"), _("#Copied"), _("#Size on disk"),
                              _("#Attempts"), _("Last error"), NULL };
    static const char * const order[] = { "failed", "running", "incomplete", "pending", "skipped", "completed", NULL };

    section_begin (out, "tables", title, TRUE);
    table_begin (out, _("Failed and running tables first, then the others in load order."), columns);
    for (guint pass = 0; order[pass] != NULL; pass++)
    for (guint i = 0; tables != NULL && i < json_array_get_length (tables); i++)
      {
        JsonObject *t = json_array_get_object_element (tables, i);
        const char *st = get_string (t, "status");
        double pct = get_double (t, "percent", 0);

        if (g_strcmp0 (st, order[pass]) != 0 &&
            !(order[pass + 1] == NULL && !g_strv_contains (order, st ? st : "")))
          continue;
        g_autofree char *rows = count (get_int (t, "rows_done", 0));
        g_autofree char *copied = bytes_text (get_int (t, "bytes_done", 0));
        g_autofree char *size = bytes_text (get_int (t, "bytes_total", 0));
        g_autofree char *attempts = count (get_int (t, "attempts", 0));

        g_string_append_printf (out, "<tr class=\"%s\">", g_strcmp0 (st, "failed") == 0 ? "bad" : "");
        td_name (out, get_string (t, "name"));
        td_status (out, st);
        g_string_append_printf (out, "<td><div class=\"bar\" title=\"%.1f%%\"><span style=\"width:%.1f%%\"></span></div></td>",
                                pct, CLAMP (pct, 0, 100));
        td_num (out, rows);
        td_num (out, copied);
        td_num (out, size);
        td_num (out, attempts);
        element (out, "td", "small", get_string (t, "last_error") ? get_string (t, "last_error") : "");
        g_string_append (out, "</tr>\n");
      }
    table_end (out);
    section_end (out);
  }
}

/* ------------------------------------------------------------------ */
/* Performance                                                        */
/* ------------------------------------------------------------------ */

static int
compare_busy_seconds (gconstpointer a,
                      gconstpointer b)
{
  double x = get_double (*(JsonObject **)a, "busy_seconds", 0);
  double y = get_double (*(JsonObject **)b, "busy_seconds", 0);

  return x < y ? 1 : x > y ? -1 : 0;
}

static void
render_performance (GString    *out,
                    JsonObject *doc)
{
  JsonObject *summary = get_object (doc, "summary");
  JsonObject *workers = get_object (doc, "workers");
  JsonObject *retries = get_object (doc, "retries");
  JsonArray *phases = get_array (doc, "phases");
  JsonArray *slowest = get_array (doc, "slowest");
  JsonArray *tables = get_array (doc, "tables");
  JsonArray *causes = get_array (retries, "causes");
  JsonArray *events = get_array (retries, "events");
  double wall = get_double (summary, "wall_seconds", -1);
  g_autofree char *wall_text = ferry_report_format_duration (wall);
  g_autofree char *data_text = ferry_report_format_duration (get_double (summary, "data_seconds", -1));
  g_autofree char *average = ferry_report_format_rate (get_double (summary, "average_bytes_per_second", -1));
  g_autofree char *headline = NULL;
  g_autofree char *text = NULL;
  guint section = 0;

  masthead (out, doc, _("Performance report"));

  {
    g_autofree char *rows = count (get_int (summary, "rows", 0));
    g_autofree char *size = bytes_text (get_int (summary, "bytes", 0));
    g_autofree char *chunks = count (get_int (summary, "chunks", 0));

    headline = g_strdup_printf (_("%s from start to end; data copied in %s at %s"), wall_text, data_text, average);
    text = g_strdup_printf (_("%s rows and %s in %s chunks, %.0f%% of the workers’ capacity used; "
                              "%" PRId64 " chunk errors, %" PRId64 " retries."),
                            rows, size, chunks, get_double (workers, "utilisation_percent", 0),
                            get_int (retries, "errors", 0), get_int (retries, "retries", 0));
  }
  banner (out, get_int (retries, "errors", 0) > 0 ? "warning" : "info", headline, text);

  cards_begin (out);
  {
    g_autofree char *peak = ferry_report_format_rate (get_double (summary, "peak_bytes_per_second", -1));
    g_autofree char *rows_per_second = count (get_int (summary, "average_rows_per_second", 0));
    g_autofree char *rows_rate = g_strdup_printf (_("%s rows/s"), rows_per_second);
    g_autofree char *util = g_strdup_printf ("%.0f %%", get_double (workers, "utilisation_percent", 0));
    g_autofree char *util_note = g_strdup_printf (_("of %" PRId64 " workers, %.1f busy on average"),
                                                  get_int (workers, "max_parallel", 0),
                                                  get_double (workers, "average_running", 0));
    g_autofree char *errs = count (get_int (retries, "errors", 0));
    g_autofree char *errs_note = g_strdup_printf (_("%" PRId64 " retries, %" PRId64 " splits"),
                                                  get_int (retries, "retries", 0), get_int (retries, "splits", 0));
    g_autofree char *started = time_text (summary, "started_at");

    card (out, _("Total duration"), wall_text, started, NULL);
    card (out, _("Data copy"), data_text, _("first chunk to last"), NULL);
    card (out, _("Average throughput"), average, rows_rate, NULL);
    card (out, _("Peak throughput"), peak, _("over one step of the chart"), NULL);
    card (out, _("Worker utilisation"), util, util_note, NULL);
    card (out, _("Chunk errors"), errs, errs_note, get_int (retries, "errors", 0) > 0 ? "warn" : NULL);
  }
  cards_end (out);

  {
    g_autofree char *title = g_strdup_printf (_("%u. Phases"), ++section);
    const char *columns[] = { _("Phase"), _("Started"), _("Finished"), _("#Duration"), _("#Share"), NULL };

    section_begin (out, "phases", title, FALSE);
    phase_chart (out, doc);
    table_begin (out, NULL, columns);
    for (guint i = 0; phases != NULL && i < json_array_get_length (phases); i++)
      {
        JsonObject *ph = json_array_get_object_element (phases, i);
        gboolean ran = get_boolean (ph, "ran", FALSE);
        g_autofree char *started = time_text (ph, "started_at");
        g_autofree char *finished = time_text (ph, "finished_at");
        g_autofree char *duration = ferry_report_format_duration (get_double (ph, "seconds", -1));
        g_autofree char *share = ran && wall > 0 && !get_boolean (ph, "overlaps_data", FALSE)
                                   ? g_strdup_printf ("%.0f %%", 100 * get_double (ph, "seconds", 0) / wall)
                                   : g_strdup (ran ? _("during the copy") : "—");

        g_string_append_printf (out, "<tr class=\"%s\">", ran ? "" : "muted");
        td (out, get_string (ph, "label"));
        td (out, ran ? started : _("did not run"));
        td (out, ran ? finished : "");
        td_num (out, duration);
        td_num (out, share);
        g_string_append (out, "</tr>\n");
      }
    table_end (out);
    section_end (out);
    }

  {
    g_autofree char *title = g_strdup_printf (_("%u. Throughput and workers"), ++section);
    g_autofree char *busy = ferry_report_format_duration (get_double (workers, "busy_seconds", -1));
    g_autofree char *capacity = ferry_report_format_duration (get_double (workers, "capacity_seconds", -1));
    g_autofree char *util = g_strdup_printf ("%.1f %%", get_double (workers, "utilisation_percent", 0));
    g_autofree char *avg = g_strdup_printf ("%.2f", get_double (workers, "average_running", 0));
    g_autofree char *peak = g_strdup_printf ("%.2f", get_double (workers, "peak_running", 0));
    g_autofree char *limit = count (get_int (workers, "max_parallel", 0));

    section_begin (out, "throughput", title, TRUE);
    throughput_chart (out, doc);
    element (out, "h3", NULL, _("Worker utilisation"));
    g_string_append (out, "<table class=\"kv\"><tbody>");
    kv_row (out, _("Workers (max_parallel)"), limit, NULL);
    kv_row (out, _("Time spent copying chunks, all workers"), busy, NULL);
    kv_row (out, _("Capacity during the data copy"), capacity, NULL);
    kv_row (out, _("Utilisation"), util, NULL);
    kv_row (out, _("Chunks in flight, on average"), avg, NULL);
    kv_row (out, _("Chunks in flight, at most (one step)"), peak, NULL);
    g_string_append (out, "</tbody></table>\n");
    if (get_double (workers, "utilisation_percent", 100) < 60)
      note_box (out, _("Workers were idle for much of the copy: tables waited for their parents, or a few "
                       "large tables ran last. A smaller chunk_size, more batches or the rebuild strategy "
                       "keep more workers busy."));
    section_end (out);
  }

  {
    g_autofree char *title = g_strdup_printf (_("%u. Slowest tables, retries and their causes"), ++section);
    const char *columns[] = { _("@Table"), _("#Time copying"), _("#Elapsed"), _("#Chunks"), _("#Rows"),
                              _("#Size"), _("#Throughput"), _("#Share"), NULL };

    section_begin (out, "slowest", title, TRUE);
    bar_chart (out, slowest, "name", "busy_seconds",
               _("Time spent copying each table, all its chunks together."));
    table_begin (out, NULL, columns);
    for (guint i = 0; slowest != NULL && i < json_array_get_length (slowest); i++)
      {
        JsonObject *t = json_array_get_object_element (slowest, i);
        g_autofree char *busy = ferry_report_format_duration (get_double (t, "busy_seconds", -1));
        g_autofree char *elapsed = ferry_report_format_duration (get_double (t, "elapsed_seconds", -1));
        g_autofree char *chunks = count (get_int (t, "chunks", 0));
        g_autofree char *rows = count (get_int (t, "rows", 0));
        g_autofree char *size = bytes_text (get_int (t, "bytes", 0));
        g_autofree char *rate = ferry_report_format_rate (get_double (t, "bytes_per_second", -1));
        g_autofree char *share = g_strdup_printf ("%.1f %%", get_double (t, "share", 0));

        g_string_append (out, "<tr>");
        td_name (out, get_string (t, "name"));
        td_num (out, busy);
        td_num (out, elapsed);
        td_num (out, chunks);
        td_num (out, rows);
        td_num (out, size);
        td_num (out, rate);
        td_num (out, share);
        g_string_append (out, "</tr>\n");
      }
    table_end (out);
  }

  {
    JsonObject *by_class = get_object (retries, "by_class");

    element (out, "h3", NULL, _("Retries and their causes"));
    if (get_int (retries, "errors", 0) == 0)
      banner (out, "pass", _("No chunk failed: nothing was retried."), NULL);
    else
      {
        GList *classes = json_object_get_members (by_class);
        const char *cause_columns[] = { _("Class"), _("Cause"), _("#Times"), _("Tables"), NULL };
        const char *event_columns[] = { _("When"), _("Table"), _("#Chunk"), _("#Attempt"), _("Class"), _("Message"), NULL };

        g_string_append (out, "<div class=\"legend\">");
        esc (out, _("Errors by class:"));
        for (GList *l = classes; l != NULL; l = l->next)
          {
            g_autofree char *n = count (get_int (by_class, l->data, 0));
            g_string_append (out, "<span>");
            esc (out, l->data);
            g_string_append (out, " <strong>");
            esc (out, n);
            g_string_append (out, "</strong></span>");
          }
        g_string_append (out, "</div>\n");
        g_list_free (classes);

        element (out, "h3", NULL, _("Causes"));
        table_begin (out, NULL, cause_columns);
        for (guint i = 0; causes != NULL && i < json_array_get_length (causes); i++)
          {
            JsonObject *c = json_array_get_object_element (causes, i);
            JsonArray *names = get_array (c, "tables");
            g_autofree char *n = count (get_int (c, "count", 0));
            g_autoptr(GString) list = g_string_new (NULL);

            for (guint j = 0; names != NULL && j < json_array_get_length (names) && j < 8; j++)
              g_string_append_printf (list, "%s%s", j > 0 ? ", " : "", json_array_get_string_element (names, j));
            if (names != NULL && json_array_get_length (names) > 8)
              g_string_append_printf (list, ngettext (" and %u more", " and %u more", json_array_get_length (names) - 8),
                                      json_array_get_length (names) - 8);
            g_string_append (out, "<tr class=\"long\">");
            element (out, "td", "nowrap", get_string (c, "class"));
            td (out, get_string (c, "message"));
            td_num (out, n);
            element (out, "td", "name small", list->str);
            g_string_append (out, "</tr>\n");
          }
        table_end (out);

        element (out, "h3", NULL, _("Every error"));
        table_begin (out, get_boolean (retries, "events_truncated", FALSE) ? _("The first 200 errors.") : NULL,
                     event_columns);
        for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
          {
            JsonObject *e = json_array_get_object_element (events, i);
            g_autofree char *at = time_text (e, "at");
            g_autofree char *chunk = count (get_int (e, "chunk", 0));
            g_autofree char *attempt = count (get_int (e, "attempt", 0));

            g_string_append (out, "<tr>");
            element (out, "td", "small nowrap", at);
            td_name (out, get_string (e, "table"));
            td_num (out, chunk);
            td_num (out, attempt);
            element (out, "td", "nowrap", get_string (e, "class"));
            element (out, "td", "small", get_string (e, "message"));
            g_string_append (out, "</tr>\n");
          }
        table_end (out);
      }
    section_end (out);
  }

  {
    g_autofree char *title = g_strdup_printf (_("%u. Timings per table"), ++section);
    const char *columns[] = { _("@Table"), _("#Chunks"), _("#Rows"), _("#Size"), _("#Started"),
                              _("#Elapsed"), _("#Copying"), _("#Throughput"), _("#Attempts"), NULL };
    g_autoptr(GPtrArray) order = g_ptr_array_new ();
    double span = get_double (summary, "wall_seconds", 0);

    /* The longest first: this table is a ranking. */
    for (guint i = 0; tables != NULL && i < json_array_get_length (tables); i++)
      g_ptr_array_add (order, json_array_get_object_element (tables, i));
    g_ptr_array_sort (order, compare_busy_seconds);

    section_begin (out, "tables", title, TRUE);
    table_begin (out, _("Started: after the start of the migration. Elapsed: from the table’s first chunk "
                        "to its last. Copying: the chunks’ own time, added up (several run at once). "
                        "The longest first."), columns);
    for (guint i = 0; i < order->len; i++)
      {
        JsonObject *t = g_ptr_array_index (order, i);
        g_autofree char *chunks = count (get_int (t, "chunks", 0));
        g_autofree char *rows = count (get_int (t, "rows", 0));
        g_autofree char *size = bytes_text (get_int (t, "bytes", 0));
        g_autofree char *started = has_value (t, "start_offset_seconds")
                                     ? offset_text (get_double (t, "start_offset_seconds", 0), span)
                                     : g_strdup ("—");
        g_autofree char *elapsed = ferry_report_format_duration (get_double (t, "elapsed_seconds", -1));
        g_autofree char *busy = ferry_report_format_duration (get_double (t, "busy_seconds", -1));
        g_autofree char *rate = ferry_report_format_rate (get_double (t, "bytes_per_second", -1));
        g_autofree char *attempts = count (get_int (t, "attempts", 0));

        g_string_append_printf (out, "<tr class=\"%s\">", get_int (t, "retries", 0) > 0 ? "warn" : "");
        td_name (out, get_string (t, "name"));
        td_num (out, chunks);
        td_num (out, rows);
        td_num (out, size);
        td_num (out, started);
        td_num (out, elapsed);
        td_num (out, busy);
        td_num (out, rate);
        td_num (out, attempts);
        g_string_append (out, "</tr>\n");
      }
    table_end (out);
    section_end (out);
  }
}

/* ------------------------------------------------------------------ */
/* Completion                                                         */
/* ------------------------------------------------------------------ */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **)a, *(const char **)b);
}

static void
evidence_row (GString    *out,
              const char *status,
              const char *what,
              const char *detail)
{
  g_string_append (out, "<tr>");
  td_status (out, status);
  element (out, "td", "what", what);
  td (out, detail);
  g_string_append (out, "</tr>\n");
}

/* The page a reviewer reads first: each claim, its status and its
 * figures. */
static void
evidence (GString    *out,
          JsonObject *doc)
{
  JsonObject *totals = get_object (doc, "totals");
  JsonObject *sequences = get_object (doc, "sequences");
  JsonObject *ddl_totals = get_object (doc, "ddl_totals");
  JsonObject *omitted = get_object (doc, "audit_omitted");
  JsonArray *audit = get_array (doc, "audit");
  const char *mode = get_string (totals, "validation");
  gint64 n_tables = get_int (totals, "tables", 0);
  gint64 completed = get_int (totals, "completed", 0);
  gint64 failed = get_int (totals, "failed", 0);
  gint64 skipped = get_int (totals, "skipped", 0);
  gint64 validated = get_int (totals, "validated_tables", 0);
  gint64 parts = get_int (totals, "validated_parts", 0);
  gint64 bad_parts = get_int (totals, "mismatched_parts", 0);
  gint64 errors = get_int (omitted, "chunk-error", 0);
  gint64 retries = get_int (omitted, "retry", 0);

  element (out, "h2", NULL, _("Evidence"));
  g_string_append (out, "<table class=\"data evidence\"><tbody>\n");

  {
    g_autofree char *a = count (completed);
    g_autofree char *b = count (n_tables);
    g_autofree char *detail = g_strdup_printf (_("%s of %s tables; %" PRId64 " failed, %" PRId64
                                                 " skipped."), a, b, failed, skipped);
    evidence_row (out, failed > 0 ? "fail" : skipped > 0 || completed < n_tables ? "warning" : "pass",
                  _("Every table was copied"), detail);
  }

  if (validated > 0)
    {
      g_autofree char *source = count (get_int (totals, "source_rows", 0));
      g_autofree char *target = count (get_int (totals, "target_rows", 0));
      g_autofree char *detail = g_strdup_printf (_("%s rows on the source, %s on the target, counted in the "
                                                   "snapshot the copy read (%" PRId64 " tables)."),
                                                 source, target, validated);
      gboolean equal = get_int (totals, "source_rows", 0) == get_int (totals, "target_rows", 0) &&
                       (g_strcmp0 (mode, "checksums") == 0 || bad_parts == 0);

      evidence_row (out, equal ? "pass" : "fail", _("Row counts are equal on both sides"), detail);
    }
  else
    evidence_row (out, "not-checked", _("Row counts are equal on both sides"),
                  _("Not compared: the migration ran without validation."));

  if (g_strcmp0 (mode, "checksums") == 0 && parts > 0)
    {
      g_autofree char *a = count (parts - bad_parts);
      g_autofree char *b = count (parts);
      g_autofree char *detail = g_strdup_printf (_("%s of %s parts (tables or key ranges) have the same checksum "
                                                   "on both sides."), a, b);
      evidence_row (out, bad_parts > 0 ? "fail" : "pass", _("Checksums match"), detail);
    }
  else
    {
      g_autofree char *detail = g_strdup_printf (_("Not compared: the validation was “%s”."), mode ? mode : "none");
      evidence_row (out, "not-checked", _("Checksums match"), detail);
    }

  if (has_value (sequences, "set"))
    {
      g_autofree char *detail = g_strdup_printf (_("%" PRId64 " of %" PRId64
                                                   " sequences set to the source’s values."),
                                                 get_int (sequences, "set", 0), get_int (sequences, "total", 0));
      evidence_row (out, get_int (sequences, "set", 0) == get_int (sequences, "total", 0) ? "pass" : "warning",
                    _("Sequences were carried over"), detail);
    }
  else
    evidence_row (out, "fail", _("Sequences were carried over"), _("Not done: the run did not get that far."));

  /* Large objects: a row only when the source had some. */
  {
    JsonObject *lo = get_object (doc, "large_objects");
    gint64 copied = lo != NULL ? get_int (lo, "copied", 0) : 0;

    if (copied > 0)
      {
        g_autofree char *size = ferry_format_bytes ((guint64)get_int (lo, "bytes", 0));
        g_autofree char *detail = NULL;
        const char *check = NULL;
        const char *status = "pass";

        if (!get_boolean (lo, "validated", FALSE))
          check = _("Not compared: no validation was configured.");
        else if (get_boolean (lo, "matches", FALSE))
          check = _("Their count and size (and, with checksums, their data) match on both sides.");
        else
          {
            check = _("The validation found a difference between the source’s and the target’s.");
            status = "fail";
          }
        detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%" PRId64 " large object (%s) copied with its OID, owner, grants and comment. %s",
                                               "%" PRId64 " large objects (%s) copied with their OIDs, owners, grants and comments. %s",
                                               (gulong)copied),
                                  copied, size, check);
        evidence_row (out, status, _("Large objects were copied"), detail);
      }
  }

  {
    gint64 total = get_int (ddl_totals, "total", 0);
    gint64 pending = get_int (ddl_totals, "pending", 0);
    gint64 not_valid = get_int (ddl_totals, "not_valid", 0);
    g_autofree char *detail = total == 0
      ? g_strdup (_("Nothing was dropped for the load."))
      : g_strdup_printf (_("%" PRId64 " of %" PRId64 " put back (%" PRId64
                           " validated); %" PRId64 " pending, %" PRId64 " left NOT VALID."),
                         get_int (ddl_totals, "restored", 0), total, get_int (ddl_totals, "validated", 0),
                         pending, not_valid);

    evidence_row (out, pending > 0 ? "fail" : not_valid > 0 ? "warning" : "pass",
                  _("Constraints, indexes and triggers are back"), detail);
  }

  {
    g_autofree char *detail = errors == 0
      ? g_strdup (_("No chunk failed."))
      : g_strdup_printf (_("%" PRId64 " chunk errors, %" PRId64 " retries: see the "
                           "performance report for their causes."), errors, retries);

    evidence_row (out, errors == 0 ? "pass" : "warning", _("The copy ran without errors"), detail);
  }

  for (guint i = 0; audit != NULL && i < json_array_get_length (audit); i++)
    {
      JsonObject *e = json_array_get_object_element (audit, i);

      if (g_strcmp0 (get_string (e, "action"), "start") == 0)
        {
          g_autofree char *at = time_text (e, "at");
          g_autofree char *detail = g_strdup_printf (_("by %s (database user %s) on %s, %s."),
                                                     get_string (e, "actor") ? get_string (e, "actor") : "?",
                                                     get_string (e, "db_user") ? get_string (e, "db_user") : "?",
                                                     get_string (e, "host") ? get_string (e, "host") : "?", at);
          evidence_row (out, "info", _("Started"), detail);
          break;
        }
    }

  g_string_append (out, "</tbody></table>\n");
}

static void
render_completion (GString    *out,
                   JsonObject *doc)
{
  JsonObject *outcome = get_object (doc, "outcome");
  JsonObject *totals = get_object (doc, "totals");
  JsonObject *m = get_object (doc, "migration");
  JsonObject *sequences = get_object (doc, "sequences");
  JsonObject *ddl_totals = get_object (doc, "ddl_totals");
  JsonObject *config = get_object (doc, "config");
  JsonObject *omitted = get_object (doc, "audit_omitted");
  JsonArray *tables = get_array (doc, "tables");
  JsonArray *ddl = get_array (doc, "ddl");
  JsonArray *audit = get_array (doc, "audit");
  const char *status = get_string (outcome, "status");
  g_autoptr(JsonObject) table_statuses = json_object_new ();
  const char *headline;
  guint section = 0;

  masthead (out, doc, _("Completion report"));

  if (g_strcmp0 (status, "success") == 0)
    headline = _("Migration completed");
  else if (g_strcmp0 (status, "warning") == 0)
    headline = _("Migration completed, with exceptions");
  else if (g_strcmp0 (status, "running") == 0)
    headline = _("Migration not finished yet");
  else if (g_strcmp0 (status, "stopped") == 0)
    headline = _("Migration stopped before the end");
  else
    headline = _("Migration failed");
  banner (out, status, headline, get_string (outcome, "summary"));

  cards_begin (out);
  {
    g_autofree char *duration = ferry_report_format_duration (get_double (m, "duration_seconds", -1));
    g_autofree char *n_completed = count (get_int (totals, "completed", 0));
    g_autofree char *n_tables = count (get_int (totals, "tables", 0));
    g_autofree char *n_matching = count (get_int (totals, "validated_tables", 0) - get_int (totals, "mismatched_tables", 0));
    g_autofree char *n_validated = count (get_int (totals, "validated_tables", 0));
    g_autofree char *n_restored = count (get_int (ddl_totals, "restored", 0));
    g_autofree char *n_ddl = count (get_int (ddl_totals, "total", 0));
    g_autofree char *tables_done = g_strdup_printf ("%s / %s", n_completed, n_tables);
    g_autofree char *tables_note = g_strdup_printf (_("%" PRId64 " failed, %" PRId64 " skipped"),
                                                    get_int (totals, "failed", 0), get_int (totals, "skipped", 0));
    g_autofree char *rows = count (get_int (totals, "rows_copied", 0));
    g_autofree char *size = bytes_text (get_int (totals, "bytes_copied", 0));
    g_autofree char *validated = g_strdup_printf ("%s / %s", n_matching, n_validated);
    g_autofree char *validation_note = g_strdup_printf (_("tables match (%s)"),
                                                        get_string (totals, "validation") ? get_string (totals, "validation") : "—");
    g_autofree char *ddl_text = g_strdup_printf ("%s / %s", n_restored, n_ddl);

    card (out, _("Outcome"), _(lookup_status (status)->label), get_string (outcome, "state"),
          lookup_status (status)->klass);
    card (out, _("Duration"), duration, _("start to end, pauses included"), NULL);
    time_card (out, _("Started"), m, "started_at");
    time_card (out, _("Finished"), m, "finished_at");
    card (out, _("Tables complete"), tables_done, tables_note,
          get_int (totals, "failed", 0) > 0 ? "bad" : get_int (totals, "skipped", 0) > 0 ? "warn" : "ok");
    card (out, _("Rows copied"), rows, size, NULL);
    card (out, _("Validation"), validated, validation_note,
          get_int (totals, "mismatched_tables", 0) > 0 ? "bad" : get_int (totals, "validated_tables", 0) > 0 ? "ok" : NULL);
    card (out, _("Constraints and indexes"), ddl_text, _("dropped for the load and put back"),
          get_int (ddl_totals, "pending", 0) + get_int (ddl_totals, "not_valid", 0) > 0 ? "warn" : NULL);
  }
  cards_end (out);

  evidence (out, doc);

  g_string_append (out, "<div class=\"signoff\">");
  element (out, "div", NULL, _("Checked by"));
  element (out, "div", NULL, _("Date"));
  element (out, "div", NULL, _("Change record"));
  g_string_append (out, "</div>\n");

  {
    g_autofree char *title = g_strdup_printf (_("%u. Tables"), ++section);
    const char *columns[] = { _("@Table"), _("Status"), _("#Source rows"), _("#Target rows"), _("Checksum"),
                              _("#Duration"), _("#Attempts"), _("Resolution"), NULL };
    const char *ids[] = { "completed", "failed", "skipped", "incomplete" };
    gint64 values[] = { get_int (totals, "completed", 0), get_int (totals, "failed", 0),
                        get_int (totals, "skipped", 0), get_int (totals, "not_complete", 0) };

    section_begin (out, "tables", title, TRUE);
    stack_bar (out, ids, values, 4);
    table_begin (out, _("Source and target rows as the validation counted them, in the same snapshot "
                        "the copy read. Duration: from the table’s first chunk to its last."), columns);
    for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; tables != NULL && i < json_array_get_length (tables); i++)
      {
        JsonObject *t = json_array_get_object_element (tables, i);
        const char *st = get_string (t, "status");
        const char *checksum = get_string (t, "checksum");
        JsonArray *resolutions = get_array (t, "resolutions");
        g_autofree char *source_rows = optional_count (t, "source_rows");
        g_autofree char *target_rows = optional_count (t, "target_rows");
        g_autofree char *duration = ferry_report_format_duration (get_double (t, "duration_seconds", -1));
        g_autofree char *attempts = count (get_int (t, "attempts", 0));
        g_autoptr(GString) resolution = g_string_new (NULL);
        gboolean bad = g_strcmp0 (st, "failed") == 0 || g_strcmp0 (checksum, "mismatch") == 0 ||
                       g_strcmp0 (checksum, "count-mismatch") == 0;

        /* The tables that need attention first, then the others. */
        json_object_set_string_member (table_statuses, get_string (t, "name"), st ? st : "");
        if ((bad || g_strcmp0 (st, "completed") != 0) != (pass == 0))
          continue;
        for (guint j = 0; resolutions != NULL && j < json_array_get_length (resolutions); j++)
          g_string_append_printf (resolution, "%s%s", j > 0 ? ", " : "", json_array_get_string_element (resolutions, j));

        g_string_append_printf (out, "<tr class=\"%s\">", bad ? "bad" : g_strcmp0 (st, "completed") != 0 ? "warn" : "");
        g_string_append (out, "<td class=\"name\">");
        esc (out, get_string (t, "name"));
        if (get_string (t, "error") != NULL)
          element (out, "div", "small muted", get_string (t, "error"));
        g_string_append (out, "</td>");
        td_status (out, st);
        td_num (out, source_rows);
        td_num (out, target_rows);
        td_status (out, checksum);
        td_num (out, duration);
        td_num (out, attempts);
        td (out, resolution->len > 0 ? resolution->str : "—");
        g_string_append (out, "</tr>\n");
      }
    {
      g_autofree char *source_rows = count (get_int (totals, "source_rows", 0));
      g_autofree char *target_rows = count (get_int (totals, "target_rows", 0));

      g_string_append (out, "<tr class=\"group\">");
      td (out, _("All tables"));
      td (out, "");
      td_num (out, source_rows);
      td_num (out, target_rows);
      g_string_append (out, "<td colspan=\"4\"></td></tr>\n");
    }
    table_end (out);
    section_end (out);
  }

  {
    g_autofree char *title = g_strdup_printf (_("%u. Sequences, constraints and indexes"), ++section);
    JsonArray *on_target = get_array (sequences, "on_target");

    section_begin (out, "restored", title, TRUE);
    element (out, "h3", NULL, _("Sequences"));
    if (has_value (sequences, "set"))
      {
        g_autofree char *line = g_strdup_printf (_("%" PRId64 " of %" PRId64
                                                   " sequences were set to the source’s values."),
                                                 get_int (sequences, "set", 0), get_int (sequences, "total", 0));
        g_string_append (out, "<p>");
        pill (out, get_int (sequences, "set", 0) == get_int (sequences, "total", 0) ? "pass" : "warning");
        g_string_append (out, " ");
        esc (out, line);
        g_string_append (out, "</p>\n");
      }
    else
      element (out, "p", "muted", _("The sequences were not set (the migration did not get that far)."));
    if (on_target != NULL && json_array_get_length (on_target) > 0)
      {
        element (out, "p", "small muted", _("Their values on the target when this report was generated:"));
        g_string_append (out, "<div class=\"pairs\">");
        for (guint i = 0; i < json_array_get_length (on_target); i++)
          {
            JsonObject *seq = json_array_get_object_element (on_target, i);
            g_autofree char *value = optional_count (seq, "last_value");

            g_string_append (out, "<div><span class=\"key\">");
            esc_breakable (out, get_string (seq, "name"));
            g_string_append (out, "</span><span class=\"value\">");
            esc (out, value);
            g_string_append (out, "</span></div>");
          }
        g_string_append (out, "</div>\n");
      }

    element (out, "h3", NULL, _("Constraints, indexes and triggers put back"));
    if (ddl == NULL || json_array_get_length (ddl) == 0)
      element (out, "p", "muted", _("Nothing was dropped for the load."));
    else
      {
        static const char * const kinds[] = { "foreign-key", "index", "constraint", "triggers", NULL };
        const char *kind_labels[] = { _("Foreign keys"), _("Indexes"), _("Constraints"), _("Triggers (disabled for the load)") };
        const char *summary_columns[] = { _("Kind"), _("#Dropped"), _("#Put back"), _("#Validated"), _("#Pending"), NULL };
        const char *columns[] = { _("@Object"), _("@Table"), _("Kind"), _("#Restored at"), _("Status"), NULL };

        table_begin (out, _("Every definition was written to the journal before it was dropped."), summary_columns);
        for (guint k = 0; kinds[k] != NULL; k++)
          {
            guint n = 0, restored = 0, validated = 0, pending = 0;

            for (guint i = 0; i < json_array_get_length (ddl); i++)
              {
                JsonObject *d = json_array_get_object_element (ddl, i);
                const char *st = get_string (d, "status");

                if (g_strcmp0 (get_string (d, "kind"), kinds[k]) != 0)
                  continue;
                n++;
                restored += g_strcmp0 (st, "pending") != 0;
                validated += g_strcmp0 (st, "validated") == 0;
                pending += g_strcmp0 (st, "pending") == 0;
              }
            if (n == 0)
              continue;
            {
              g_autofree char *a = count (n);
              g_autofree char *b = count (restored);
              g_autofree char *c = count (validated);
              g_autofree char *d = count (pending);

              g_string_append_printf (out, "<tr class=\"%s\">", pending > 0 ? "bad" : "");
              td (out, kind_labels[k]);
              td_num (out, a);
              td_num (out, b);
              td_num (out, c);
              td_num (out, d);
              g_string_append (out, "</tr>\n");
            }
          }
        table_end (out);

        /* In full, the ones that need attention; the others as a list
         * (the JSON report has every one with its times). */
        {
          gboolean any_problem = FALSE;

          for (guint i = 0; i < json_array_get_length (ddl); i++)
            {
              const char *st = get_string (json_array_get_object_element (ddl, i), "status");
              any_problem |= g_strcmp0 (st, "pending") == 0 || g_strcmp0 (st, "not-valid") == 0;
            }

          if (any_problem)
            {
              table_begin (out, _("Not put back, or left NOT VALID:"), columns);
              for (guint i = 0; i < json_array_get_length (ddl); i++)
                {
                  JsonObject *d = json_array_get_object_element (ddl, i);
                  const char *st = get_string (d, "status");

                  if (g_strcmp0 (st, "pending") != 0 && g_strcmp0 (st, "not-valid") != 0)
                    continue;
                  g_string_append_printf (out, "<tr class=\"%s\">", g_strcmp0 (st, "pending") == 0 ? "bad" : "warn");
                  g_string_append (out, "<td class=\"name\">");
                  esc_breakable (out, get_string (d, "object") ? get_string (d, "object") : "—");
                  if (get_string (d, "references") != NULL)
                    {
                      g_string_append (out, "<div class=\"small muted\">→ ");
                      esc_breakable (out, get_string (d, "references"));
                      g_string_append (out, "</div>");
                    }
                  g_string_append (out, "</td>");
                  td_name (out, get_string (d, "table"));
                  element (out, "td", "nowrap small", get_string (d, "kind"));
                  td_num (out, "—");
                  td_status (out, st);
                  g_string_append (out, "</tr>\n");
                }
              table_end (out);
            }

          element (out, "p", "small muted", _("Put back, by table (✓ restored, ✓✓ restored and validated); the JSON report has each with its times:"));
          {
            /* Grouped by table: "table\x1fobject\x1fmark", sorted. */
            g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
            g_autofree char *current = NULL;

            for (guint i = 0; i < json_array_get_length (ddl); i++)
              {
                JsonObject *d = json_array_get_object_element (ddl, i);
                const char *st = get_string (d, "status");

                if (g_strcmp0 (st, "pending") == 0 || g_strcmp0 (st, "not-valid") == 0)
                  continue;
                g_ptr_array_add (entries, g_strdup_printf ("%s\x1f%s\x1f%s",
                                                           get_string (d, "table") ? get_string (d, "table") : "?",
                                                           get_string (d, "object") ? get_string (d, "object")
                                                           : get_string (d, "kind") ? get_string (d, "kind") : "?",
                                                           g_strcmp0 (st, "validated") == 0 ? "✓✓" : "✓"));
              }
            g_ptr_array_sort (entries, compare_strings);

            g_string_append (out, "<div class=\"grouped\">");
            for (guint i = 0; i < entries->len; i++)
              {
                g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (entries, i), "\x1f", 3);

                if (g_strcmp0 (current, parts[0]) != 0)
                  {
                    if (current != NULL)
                      g_string_append (out, "</div>");
                    g_free (current);
                    current = g_strdup (parts[0]);
                    g_string_append (out, "<div><strong>");
                    esc_breakable (out, parts[0]);
                    g_string_append (out, "</strong> ");
                  }
                else
                  g_string_append (out, " · ");
                esc_breakable (out, parts[1]);
                g_string_append (out, "\u00a0<span class=\"ok\">");
                esc (out, parts[2]);
                g_string_append (out, "</span>");
              }
            if (current != NULL)
              g_string_append (out, "</div>");
            g_string_append (out, "</div>\n");
          }
        }
      }
    section_end (out);
  }

  {
    g_autofree char *title = g_strdup_printf (_("%u. Audit trail"), ++section);
    const char *columns[] = { _("When"), _("Who"), _("From"), _("What"), _("Detail"), NULL };
    GList *members = omitted ? json_object_get_members (omitted) : NULL;

    section_begin (out, "audit", title, TRUE);
    table_begin (out, _("Who started, paused, resumed, resolved and stopped the migration, when and from "
                        "which host; operating-system user / database user."), columns);
    for (guint i = 0; audit != NULL && i < json_array_get_length (audit); i++)
      {
        JsonObject *e = json_array_get_object_element (audit, i);
        g_autofree char *at = time_text (e, "at");
        g_autofree char *who = g_strdup_printf ("%s / %s", get_string (e, "actor") ? get_string (e, "actor") : "?",
                                                get_string (e, "db_user") ? get_string (e, "db_user") : "?");
        g_autofree char *from = g_strdup_printf ("%s (pid %" G_GINT64_FORMAT ")",
                                                 get_string (e, "host") ? get_string (e, "host") : "?",
                                                 get_int (e, "pid", 0));

        g_string_append (out, "<tr>");
        element (out, "td", "small nowrap", at);
        element (out, "td", "small nowrap", who);
        element (out, "td", "small nowrap", from);
        element (out, "td", "nowrap", get_string (e, "action"));
        element (out, "td", "small", get_string (e, "detail") ? get_string (e, "detail") : "");
        g_string_append (out, "</tr>\n");
      }
    table_end (out);
    if (members != NULL)
      {
        g_autoptr(GString) text = g_string_new (_("Not listed here, and counted in the sections above:"));

        for (GList *l = members; l != NULL; l = l->next)
          g_string_append_printf (text, "%s %s × %" G_GINT64_FORMAT, l == members ? "" : ",",
                                  (const char *)l->data, get_int (omitted, l->data, 0));
        g_string_append_c (text, '.');
        element (out, "p", "small muted", text->str);
      }
    g_list_free (members);
    section_end (out);
  }

  {
    g_autofree char *title = g_strdup_printf (_("%u. Dependency graph"), ++section);

    section_begin (out, "graph", title, TRUE);
    graph_picture (out, doc, table_statuses);
    section_end (out);
  }

  {
    g_autofree char *title = g_strdup_printf (_("%u. Servers and configuration used"), ++section);
    JsonArray *settings = get_array (config, "settings");
    const char *columns[] = { _("Setting"), _("Value"), NULL };

    section_begin (out, "config", title, TRUE);
    element (out, "h3", NULL, _("Servers"));
    servers_table (out, doc);
    element (out, "h3", NULL, _("Settings"));
    element (out, "p", "muted", _("As the journal recorded them when the migration started. Connection strings "
                                  "are shown without passwords."));
    table_begin (out, NULL, columns);
    for (guint i = 0; settings != NULL && i < json_array_get_length (settings); i++)
      {
        JsonObject *s = json_array_get_object_element (settings, i);
        g_string_append (out, "<tr>");
        element (out, "td", "mono", get_string (s, "key"));
        element (out, "td", "mono", get_string (s, "value") && *get_string (s, "value") ? get_string (s, "value") : "—");
        g_string_append (out, "</tr>\n");
      }
    table_end (out);
    section_end (out);
  }
}

/**
 * ferry_report_render_html:
 *
 * Returns: (transfer full): the page, UTF-8
 */
GBytes *
ferry_report_render_html (JsonObject *doc)
{
  GString *out = g_string_sized_new (256 * 1024);
  const char *kind = get_string (doc, "kind");
  JsonObject *m = get_object (doc, "migration");
  const char *title = get_string (doc, "title");
  g_autofree char *full_title = NULL;
  g_autofree char *running = NULL;

  if (m != NULL && get_int (m, "id", 0) > 0)
    {
      /* Translators: the title of a report page: "Completion report — migration 12" */
      full_title = g_strdup_printf (_("%s — migration %" PRId64 " — Ferry"), title, get_int (m, "id", 0));
      running = g_strdup_printf (_("Ferry · %s · migration %" PRId64), title, get_int (m, "id", 0));
    }
  else
    {
      full_title = g_strdup_printf (_("%s — Ferry"), title);
      running = g_strdup_printf ("Ferry · %s", title);
    }

  begin_page (out, doc, full_title, running);

  if (g_strcmp0 (kind, "readiness") == 0)
    render_readiness (out, doc);
  else if (g_strcmp0 (kind, "progress") == 0)
    render_progress (out, doc);
  else if (g_strcmp0 (kind, "performance") == 0)
    render_performance (out, doc);
  else
    render_completion (out, doc);

  end_page (out);

  return g_string_free_to_bytes (out);
}
