/* test-report.c — the four reports, from real migrations of the sample
 *
 * One throwaway cluster: the sample at scale 1 in the source, with bulk
 * tables (so that 1 MB chunks make many chunks) and a table named
 * <script>, whose name must come out as text everywhere. A migration
 * runs with the coordinator while a second thread terminates some of the
 * target's COPY backends (retries), and the <script> table fails on a
 * duplicate key until it is truncated and retried (a failure, a
 * resolution). Every report is then generated in every format, from the
 * live coordinator and again from the journal alone, and checked: the
 * JSON against data/report.schema.json (a validator for the part of JSON
 * Schema it uses, and python3-jsonschema when it is installed), the HTML
 * for well-formedness and escaping, the CSV for its columns; and, when
 * Chromium is installed, the HTML printed to PDF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "ferry-enum-types.h"
#include "ferry-report.h"
#include "ferry-test-migrate.h"

#define SCRIPT_TABLE "public.\"<script>\""

static FerryTestCluster *cluster;
static char *source;
static char *outdir;
static JsonParser *schema_parser;
static gint64 main_migration;
static char *main_target;

/* ------------------------------------------------------------------ */
/* JSON Schema, the part report.schema.json uses                      */
/* ------------------------------------------------------------------ */

/* type, const, enum, minimum, format "date-time", required, properties,
 * additionalProperties, items, $ref "#/$defs/…", oneOf. Stricter than
 * JSON Schema in one way: a member that the schema does not declare
 * (no properties entry, no additionalProperties) is an error, so that
 * every field the reports write is documented. */
typedef struct {
  JsonObject *root;
  GPtrArray  *errors;
} SchemaCheck;

static void schema_validate (SchemaCheck *check, JsonObject *schema, JsonNode *node, const char *path);

static const char *
node_type (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:  return "string";
    case G_TYPE_BOOLEAN: return "boolean";
    case G_TYPE_INT64:   return "integer";
    case G_TYPE_DOUBLE:  return "number";
    default:             return "?";
    }
}

static gboolean
type_matches (JsonNode   *node,
              const char *type)
{
  const char *actual = node_type (node);

  return g_str_equal (actual, type) || (g_str_equal (type, "number") && g_str_equal (actual, "integer"));
}

static gboolean
values_equal (JsonNode *a,
              JsonNode *b)
{
  if (!JSON_NODE_HOLDS_VALUE (a) || !JSON_NODE_HOLDS_VALUE (b))
    return JSON_NODE_HOLDS_NULL (a) && JSON_NODE_HOLDS_NULL (b);
  if (json_node_get_value_type (a) != json_node_get_value_type (b))
    return FALSE;
  switch (json_node_get_value_type (a))
    {
    case G_TYPE_STRING:  return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
    case G_TYPE_INT64:   return json_node_get_int (a) == json_node_get_int (b);
    case G_TYPE_BOOLEAN: return json_node_get_boolean (a) == json_node_get_boolean (b);
    case G_TYPE_DOUBLE:  return json_node_get_double (a) == json_node_get_double (b);
    default:             return FALSE;
    }
}

static void
schema_error (SchemaCheck *check,
              const char  *path,
              const char  *format,
              ...) G_GNUC_PRINTF (3, 4);

static void
schema_error (SchemaCheck *check,
              const char  *path,
              const char  *format,
              ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (check->errors, g_strdup_printf ("%s: %s", *path ? path : "/", text));
}

static JsonObject *
schema_resolve (SchemaCheck *check,
                JsonObject  *schema)
{
  while (json_object_has_member (schema, "$ref"))
    {
      const char *ref = json_object_get_string_member (schema, "$ref");
      JsonObject *defs = json_object_get_object_member (check->root, "$defs");

      g_assert_true (g_str_has_prefix (ref, "#/$defs/"));
      g_assert_true (json_object_has_member (defs, ref + strlen ("#/$defs/")));
      schema = json_object_get_object_member (defs, ref + strlen ("#/$defs/"));
    }
  return schema;
}

static void
schema_validate (SchemaCheck *check,
                 JsonObject  *schema,
                 JsonNode    *node,
                 const char  *path)
{
  static const char * const known[] = {
    "$schema", "$id", "$ref", "$defs", "title", "description", "type", "const", "enum", "minimum",
    "format", "required", "properties", "additionalProperties", "items", "oneOf", NULL
  };
  GList *keywords;

  schema = schema_resolve (check, schema);

  /* A keyword this validator does not know would be silently ignored. */
  keywords = json_object_get_members (schema);
  for (GList *l = keywords; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      g_error ("report.schema.json uses “%s”, which test-report.c does not check", (const char *)l->data);
  g_list_free (keywords);

  if (json_object_has_member (schema, "type"))
    {
      JsonNode *type = json_object_get_member (schema, "type");
      gboolean ok = FALSE;

      if (JSON_NODE_HOLDS_ARRAY (type))
        {
          JsonArray *types = json_node_get_array (type);
          for (guint i = 0; i < json_array_get_length (types); i++)
            ok |= type_matches (node, json_array_get_string_element (types, i));
        }
      else
        ok = type_matches (node, json_node_get_string (type));
      if (!ok)
        {
          schema_error (check, path, "a %s where the schema wants another type", node_type (node));
          return;
        }
    }

  if (json_object_has_member (schema, "const") &&
      !values_equal (node, json_object_get_member (schema, "const")))
    schema_error (check, path, "not the constant value");

  if (json_object_has_member (schema, "enum"))
    {
      JsonArray *values = json_object_get_array_member (schema, "enum");
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (values); i++)
        found |= values_equal (node, json_array_get_element (values, i));
      if (!found)
        schema_error (check, path, "“%s” is not one of the values the schema allows",
                      JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                        ? json_node_get_string (node) : "(value)");
    }

  if (json_object_has_member (schema, "minimum") && JSON_NODE_HOLDS_VALUE (node) &&
      (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE))
    {
      double value = json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node)
                                                                      : json_node_get_double (node);
      if (value < json_object_get_double_member (schema, "minimum"))
        schema_error (check, path, "%g is below the minimum", value);
    }

  if (g_strcmp0 (json_object_get_string_member_with_default (schema, "format", NULL), "date-time") == 0 &&
      JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);
      if (time == NULL)
        schema_error (check, path, "“%s” is not an ISO 8601 time", json_node_get_string (node));
    }

  if (json_object_has_member (schema, "oneOf"))
    {
      JsonArray *options = json_object_get_array_member (schema, "oneOf");
      guint valid = 0;
      g_autoptr(GString) why = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (options); i++)
        {
          SchemaCheck sub = { check->root, g_ptr_array_new_with_free_func (g_free) };

          schema_validate (&sub, json_array_get_object_element (options, i), node, path);
          if (sub.errors->len == 0)
            valid++;
          else
            g_string_append_printf (why, "\n    option %u: %s", i, (char *)g_ptr_array_index (sub.errors, 0));
          g_ptr_array_unref (sub.errors);
        }
      if (valid != 1)
        schema_error (check, path, "matches %u of the oneOf options, not one:%s", valid, why->str);
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObject *properties = json_object_has_member (schema, "properties")
                               ? json_object_get_object_member (schema, "properties") : NULL;
      JsonNode *additional = json_object_get_member (schema, "additionalProperties");
      GList *members;

      if (json_object_has_member (schema, "required"))
        {
          JsonArray *required = json_object_get_array_member (schema, "required");
          for (guint i = 0; i < json_array_get_length (required); i++)
            if (!json_object_has_member (object, json_array_get_string_element (required, i)))
              schema_error (check, path, "“%s” is missing", json_array_get_string_element (required, i));
        }

      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *sub = g_strdup_printf ("%s/%s", path, (const char *)l->data);
          JsonNode *value = json_object_get_member (object, l->data);

          if (properties != NULL && json_object_has_member (properties, l->data))
            schema_validate (check, json_object_get_object_member (properties, l->data), value, sub);
          else if (additional != NULL && JSON_NODE_HOLDS_OBJECT (additional))
            schema_validate (check, json_node_get_object (additional), value, sub);
          else if (properties != NULL || additional != NULL)
            schema_error (check, sub, "not declared in the schema");
        }
      g_list_free (members);
    }

  if (JSON_NODE_HOLDS_ARRAY (node) && json_object_has_member (schema, "items"))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s/%u", path, i);
          schema_validate (check, json_object_get_object_member (schema, "items"),
                           json_array_get_element (array, i), sub);
        }
    }
}

static void
assert_valid_document (JsonNode   *document,
                       const char *what)
{
  SchemaCheck check = { json_node_get_object (json_parser_get_root (schema_parser)),
                        g_ptr_array_new_with_free_func (g_free) };

  schema_validate (&check, check.root, document, "");
  if (check.errors->len > 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < check.errors->len && i < 20; i++)
        g_string_append_printf (text, "\n  %s", (char *)g_ptr_array_index (check.errors, i));
      g_error ("%s does not follow data/report.schema.json:%s", what, text->str);
    }
  g_ptr_array_unref (check.errors);
}

static gboolean
python_jsonschema_available (void)
{
  static int available = -1;

  if (available < 0)
    {
      const char *argv[] = { "/usr/bin/python3", "-c", "import jsonschema", NULL };
      int status = 1;

      available = g_file_test (argv[0], G_FILE_TEST_IS_EXECUTABLE) &&
                  g_spawn_sync (NULL, (char **)argv, NULL,
                                G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, NULL, NULL, &status, NULL) &&
                  g_spawn_check_wait_status (status, NULL);
      if (!available)
        g_test_message ("python3-jsonschema is not installed: the C validator only");
    }
  return available;
}

/* The same with python3-jsonschema (Draft 2020-12), the reference. */
static void
assert_valid_with_python (const char *path)
{
  const char *script =
    "import json, sys, jsonschema\n"
    "schema = json.load(open(sys.argv[1]))\n"
    "jsonschema.Draft202012Validator.check_schema(schema)\n"
    "errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))\n"
    "for e in errors[:10]:\n"
    "    print(list(e.absolute_path), e.message[:300])\n"
    "sys.exit(1 if errors else 0)\n";
  g_autofree char *schema_path = g_build_filename (g_getenv ("FERRY_SOURCE_ROOT"), "data",
                                                   "report.schema.json", NULL);
  const char *argv[] = { "/usr/bin/python3", "-c", script, schema_path, path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!python_jsonschema_available ())
    return;
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python3 -m jsonschema: %s does not validate:\n%s%s", path, out, err);
}

/* ------------------------------------------------------------------ */
/* HTML and CSV                                                       */
/* ------------------------------------------------------------------ */

typedef struct {
  GString *text;
  guint    elements;
  guint    svgs;
  guint    tables;
  gboolean in_style;
} HtmlCheck;

static void
html_start (GMarkupParseContext  *context,
            const char           *name,
            const char          **attribute_names,
            const char          **attribute_values,
            gpointer              user_data,
            GError              **error)
{
  HtmlCheck *check = user_data;

  check->elements++;
  if (g_ascii_strcasecmp (name, "script") == 0 || g_ascii_strcasecmp (name, "iframe") == 0 ||
      g_ascii_strcasecmp (name, "link") == 0 || g_ascii_strcasecmp (name, "img") == 0 ||
      g_ascii_strcasecmp (name, "object") == 0)
    g_error ("the report has a <%s> element", name);
  if (g_str_equal (name, "svg"))
    check->svgs++;
  if (g_str_equal (name, "table"))
    check->tables++;
  check->in_style = g_str_equal (name, "style");

  /* Nothing loads from elsewhere, nothing runs. */
  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      if (g_ascii_strncasecmp (attribute_names[i], "on", 2) == 0)
        g_error ("the report has an event handler: %s", attribute_names[i]);
      if (g_ascii_strcasecmp (attribute_names[i], "src") == 0 ||
          g_ascii_strcasecmp (attribute_names[i], "href") == 0)
        g_error ("the report refers to %s", attribute_values[i]);
    }
}

static void
html_end (GMarkupParseContext  *context,
          const char           *name,
          gpointer              user_data,
          GError              **error)
{
  ((HtmlCheck *)user_data)->in_style = FALSE;
}

static void
html_text (GMarkupParseContext  *context,
           const char           *text,
           gsize                 length,
           gpointer              user_data,
           GError              **error)
{
  HtmlCheck *check = user_data;

  if (check->in_style)
    {
      /* No url(), no @import: the style sheet loads nothing either. */
      g_autofree char *css = g_strndup (text, length);
      g_assert_null (strstr (css, "url("));
      g_assert_null (strstr (css, "@import"));
      return;
    }
  g_string_append_len (check->text, text, length);
}

/* Well-formed XML (the page is written in XHTML syntax); <script> is
 * text; nothing external. Returns the page's text. */
static char *
check_html (GBytes     *bytes,
            const char *what)
{
  const GMarkupParser parser = { html_start, html_end, html_text, NULL, NULL };
  HtmlCheck check = { g_string_new (NULL), 0, 0, 0, FALSE };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, &check, NULL);
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autofree char *lower = g_ascii_strdown (data, length);

  g_assert_true (g_utf8_validate (data, length, NULL));
  g_assert_true (g_str_has_prefix (data, "<!DOCTYPE html>"));
  if (!g_markup_parse_context_parse (context, data, length, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_error ("%s is not well-formed: %s", what, error->message);

  g_assert_null (strstr (lower, "<script"));
  g_assert_null (strstr (lower, "javascript:"));
  g_assert_null (strstr (lower, "http://www.example"));
  /* A print style sheet: A4, headers repeated, sections on new pages. */
  g_assert_nonnull (strstr (data, "size:A4"));
  g_assert_nonnull (strstr (data, "display:table-header-group"));
  g_assert_nonnull (strstr (data, "break-before:page"));
  g_assert_nonnull (strstr (data, "prefers-color-scheme:dark"));
  g_assert_cmpuint (check.tables, >=, 1);

  g_test_message ("%s: %u elements, %u tables, %u charts, %" G_GSIZE_FORMAT " bytes",
                  what, check.elements, check.tables, check.svgs, length);
  return g_string_free (check.text, FALSE);
}

/* RFC 4180: records of fields, "" for a quote inside a quoted field. */
static GPtrArray *
parse_csv (const char *data,
           gsize       length)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_autoptr(GStrvBuilder) record = g_strv_builder_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  gsize i = 0;

  while (i < length)
    {
      if (data[i] == '"')
        {
          g_assert_cmpuint (field->len, ==, 0);
          for (i++; ; i++)
            {
              g_assert_cmpuint (i, <, length);
              if (data[i] == '"' && i + 1 < length && data[i + 1] == '"')
                g_string_append_c (field, data[i++]);
              else if (data[i] == '"')
                break;
              else
                g_string_append_c (field, data[i]);
            }
          i++;
          g_assert_true (i >= length || data[i] == ',' || data[i] == '\r');
        }
      else if (data[i] == ',')
        {
          g_strv_builder_add (record, field->str);
          g_string_truncate (field, 0);
          i++;
        }
      else if (data[i] == '\r')
        {
          g_assert_cmpint (data[i + 1], ==, '\n');
          g_strv_builder_add (record, field->str);
          g_string_truncate (field, 0);
          g_ptr_array_add (records, g_strv_builder_end (record));
          g_clear_pointer (&record, g_strv_builder_unref);
          record = g_strv_builder_new ();
          i += 2;
        }
      else
        {
          /* A bare line feed would be a record break to a sloppy reader. */
          g_assert_cmpint (data[i], !=, '\n');
          g_string_append_c (field, data[i++]);
        }
    }
  g_assert_cmpuint (field->len, ==, 0);
  return records;
}

static void
check_csv (GBytes     *bytes,
           JsonNode   *document,
           const char *what)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autoptr(GPtrArray) records = parse_csv (data, length);
  JsonArray *tables = json_object_get_array_member (json_node_get_object (document), "tables");
  guint columns;
  gboolean script_seen = FALSE;

  g_assert_cmpuint (records->len, >=, 2);
  columns = g_strv_length (g_ptr_array_index (records, 0));
  g_assert_cmpuint (columns, >=, 5);
  g_assert_cmpstr (((char **)g_ptr_array_index (records, 0))[0], ==, "name");
  g_assert_cmpuint (records->len - 1, ==, json_array_get_length (tables));

  for (guint r = 1; r < records->len; r++)
    {
      char **record = g_ptr_array_index (records, r);

      if (g_strv_length (record) != columns)
        g_error ("%s: record %u has %u fields, the header %u", what, r, g_strv_length (record), columns);
      g_assert_cmpstr (record[0], ==,
                       json_object_get_string_member (json_array_get_object_element (tables, r - 1), "name"));
      script_seen |= g_str_equal (record[0], SCRIPT_TABLE);
    }
  g_assert_true (script_seen);
}

/* ------------------------------------------------------------------ */
/* Generating                                                         */
/* ------------------------------------------------------------------ */

static void
write_file (const char *name,
            GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (outdir, name, NULL);
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
}

/* Every format of one kind: checked, written to outdir as
 * LABEL-KIND.EXT; the document is returned. */
static JsonNode *
generate (FerryReport     *report,
          FerryReportKind  kind,
          const char      *label)
{
  const char *kind_name = ferry_enum_to_nick (FERRY_TYPE_REPORT_KIND, kind);
  g_autofree char *what = g_strdup_printf ("the %s %s report", label, kind_name);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = ferry_report_build (report, kind, &error);
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GBytes) html = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json_name = g_strdup_printf ("%s-%s.json", label, kind_name);
  g_autofree char *json_path = g_build_filename (outdir, json_name, NULL);
  g_autofree char *html_name = g_strdup_printf ("%s-%s.html", label, kind_name);
  g_autofree char *csv_name = g_strdup_printf ("%s-%s.csv", label, kind_name);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (document);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (document), "kind"), ==, kind_name);

  /* JSON: what build() returned, written and read back, valid. */
  json = ferry_report_render (report, kind, FERRY_REPORT_FORMAT_JSON, &error);
  g_assert_no_error (error);
  write_file (json_name, json);
  json_parser_load_from_data (parser, g_bytes_get_data (json, NULL), g_bytes_get_size (json), &error);
  g_assert_no_error (error);
  assert_valid_document (json_parser_get_root (parser), what);
  assert_valid_document (document, what);
  assert_valid_with_python (json_path);

  html = ferry_report_render_document (document, FERRY_REPORT_FORMAT_HTML, &error);
  g_assert_no_error (error);
  write_file (html_name, html);
  text = check_html (html, what);
  /* The table named <script> is in every report but progress-while-live
   * (it lists every table too) … all of them, as text. */
  g_assert_nonnull (strstr (text, "<script>"));
  g_assert_null (strstr (g_bytes_get_data (html, NULL), "\"<script>"));

  csv = ferry_report_render_document (document, FERRY_REPORT_FORMAT_CSV, &error);
  g_assert_no_error (error);
  write_file (csv_name, csv);
  check_csv (csv, document, what);

  /* Never a password, whatever the journal holds. */
  g_assert_null (strstr (g_bytes_get_data (json, NULL), "hunter2"));
  g_assert_null (strstr (g_bytes_get_data (html, NULL), "hunter2"));
  g_assert_null (strstr (g_bytes_get_data (csv, NULL), "hunter2"));

  return g_steal_pointer (&document);
}

static JsonObject *
find_table (JsonNode   *document,
            const char *name)
{
  JsonArray *tables = json_object_get_array_member (json_node_get_object (document), "tables");

  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      JsonObject *t = json_array_get_object_element (tables, i);
      if (g_strcmp0 (json_object_get_string_member (t, "name"), name) == 0)
        return t;
    }
  g_error ("%s is not in the report", name);
}

static JsonObject *
member (JsonNode   *document,
        const char *name)
{
  return json_object_get_object_member (json_node_get_object (document), name);
}

/* ------------------------------------------------------------------ */
/* A migration with retries, a failure and a resolution               */
/* ------------------------------------------------------------------ */

typedef struct {
  char     *admin;
  char     *dbname;
  guint     wanted;
  guint     done;
  gint      stop;
} Killer;

static gpointer
killer_thread (gpointer user_data)
{
  Killer *k = user_data;
  g_autoptr(PGconn) conn = ferry_test_connect (k->admin);

  while (!g_atomic_int_get (&k->stop) && k->done < k->wanted)
    {
      g_autofree char *pid = ferry_test_value (conn,
        "SELECT a.pid::text FROM pg_catalog.pg_stat_activity a"
        " WHERE a.application_name = 'ferry' AND a.datname = '%s' AND a.state = 'active'"
        " AND a.query LIKE 'COPY %%FROM STDIN%%' AND now() - a.query_start > interval '20 ms'"
        " UNION ALL SELECT NULL LIMIT 1", k->dbname);

      if (pid != NULL)
        {
          g_autofree char *killed = ferry_test_value (conn, "SELECT pg_catalog.pg_terminate_backend(%s)", pid);
          if (g_strcmp0 (killed, "t") == 0)
            {
              k->done++;
              g_usleep (G_USEC_PER_SEC / 3);
            }
        }
      g_usleep (5000);
    }
  return NULL;
}

static void
test_migration (void)
{
  g_autofree char *target = ferry_test_new_database (cluster, "report_main", "target_template");
  g_autoptr(FerryConfig) config = ferry_test_config_new (source, target);
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(FerryReport) live = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) progress_failed = NULL;
  g_autoptr(JsonNode) readiness = NULL;
  g_autoptr(JsonNode) progress = NULL;
  g_autoptr(JsonNode) performance = NULL;
  g_autoptr(JsonNode) completion = NULL;
  FerryValidator *validator;
  FerryTable *script = NULL;
  Killer killer = { 0 };
  GThread *thread;
  FerryState state;

  /* A row the source has too: the <script> table fails on its key. */
  ferry_test_sql_at (target, "INSERT INTO public.\"<script>\" VALUES (1, 'already here')");

  ferry_config_set_constraints (config, FERRY_CONSTRAINT_STRATEGY_REBUILD);
  ferry_config_set_validation (config, FERRY_VALIDATION_MODE_CHECKSUMS);
  coordinator = ferry_test_coordinator_new_ready (config);

  /* The readiness checks, for the readiness report (the target is not
   * empty: a check fails, which the report must say). */
  validator = ferry_coordinator_get_validator (coordinator);
  ferry_validator_run (validator, NULL, &error);
  g_assert_no_error (error);

  live = ferry_report_new_from_coordinator (coordinator);
  g_assert_true (ferry_report_get_validator (live) == validator);
  g_assert_true (ferry_report_can_build (live, FERRY_REPORT_KIND_READINESS));
  readiness = generate (live, FERRY_REPORT_KIND_READINESS, "live");
  g_assert_false (json_object_get_boolean_member (member (readiness, "readiness"), "ready"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (member (readiness, "readiness"), "counts"),
                                               "fail"), >=, 1);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (json_node_get_object (readiness), "tables")),
                   >=, 150);
  find_table (readiness, SCRIPT_TABLE);
  g_assert_cmpint (json_object_get_int_member (member (readiness, "graph"), "levels"), >=, 10);

  /* No migration in the journal yet: the journal's reports say so. */
  g_assert_false (ferry_report_can_build (live, FERRY_REPORT_KIND_COMPLETION));
  {
    g_autoptr(JsonNode) none = ferry_report_build (live, FERRY_REPORT_KIND_COMPLETION, &error);
    g_assert_null (none);
    g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  killer.admin = ferry_test_cluster_conninfo (cluster, "postgres");
  killer.dbname = g_strdup ("report_main");
  killer.wanted = 2;

  ferry_coordinator_start (coordinator, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("killer", killer_thread, &killer);
  state = ferry_test_run_until_idle (coordinator, 300);
  g_atomic_int_set (&killer.stop, 1);
  g_thread_join (thread);
  g_test_message ("%u target backends terminated", killer.done);

  /* The <script> table failed and waits for a decision. */
  g_assert_cmpint (state, ==, FERRY_STATE_ERROR);
  main_migration = ferry_coordinator_get_migration_id (coordinator);
  g_assert_cmpint (main_migration, >, 0);
  progress_failed = generate (live, FERRY_REPORT_KIND_PROGRESS, "failed-live");
  {
    JsonObject *p = member (progress_failed, "progress");
    JsonArray *failed = json_object_get_array_member (p, "failed_tables");

    g_assert_cmpstr (json_object_get_string_member (p, "source"), ==, "live");
    g_assert_cmpstr (json_object_get_string_member (p, "state"), ==, "error");
    g_assert_cmpuint (json_array_get_length (failed), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (failed, 0), "table"), ==,
                     SCRIPT_TABLE);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (failed, 0), "sqlstate"), ==,
                     "23505");
    g_assert_cmpstr (json_object_get_string_member (find_table (progress_failed, SCRIPT_TABLE), "status"), ==,
                     "failed");
  }

  /* The same moment, from the journal alone (once the control thread
   * has written the transition to the audit trail). */
  for (guint i = 0; i < 100 && ferry_test_int_at (target, "SELECT count(*) FROM ferry.event"
                                                          " WHERE action = 'state' AND detail LIKE '%%→ error'") == 0; i++)
    g_usleep (G_USEC_PER_SEC / 10);
  {
    g_autoptr(FerryConnection) connection = ferry_connection_new (target, "target");
    g_autoptr(FerryJournal) journal = NULL;
    g_autoptr(FerryReport) report = NULL;
    g_autoptr(JsonNode) document = NULL;
    JsonObject *p;

    ferry_connection_open (connection, 5, 60, NULL, &error);
    g_assert_no_error (error);
    journal = ferry_journal_new (connection, "ferry");
    report = ferry_report_new_from_journal (journal, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpint (ferry_report_get_migration_id (report), ==, main_migration);
    document = generate (report, FERRY_REPORT_KIND_PROGRESS, "failed-journal");
    p = member (document, "progress");
    g_assert_cmpstr (json_object_get_string_member (p, "source"), ==, "journal");
    g_assert_cmpstr (json_object_get_string_member (p, "state"), ==, "error");
    g_assert_cmpstr (json_object_get_string_member (find_table (document, SCRIPT_TABLE), "status"), ==, "failed");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (p, "tables"), "failed"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (p, "errors"), "total"), >=, 1);
  }

  /* Truncate the target's table and copy it again: the run completes. */
  {
    FerryTableList *tables = ferry_coordinator_get_tables (coordinator);

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (tables)); i++)
      if (g_str_equal (ferry_table_get_display_name (ferry_table_list_get_table (tables, i)), SCRIPT_TABLE))
        script = ferry_table_list_get_table (tables, i);
  }
  g_assert_nonnull (script);
  ferry_coordinator_handle_error (coordinator, script, FERRY_RESOLUTION_TRUNCATE_RETRY, &error);
  g_assert_no_error (error);
  state = ferry_test_run_until_idle (coordinator, 300);
  if (state != FERRY_STATE_COMPLETED)
    {
      g_autofree char *status = ferry_test_status_text (coordinator);
      g_error ("the migration ended %s:\n%s", ferry_enum_to_nick (FERRY_TYPE_STATE, state), status);
    }

  /* Every kind from the coordinator that ran it. */
  progress = generate (live, FERRY_REPORT_KIND_PROGRESS, "live");
  performance = generate (live, FERRY_REPORT_KIND_PERFORMANCE, "live");
  completion = generate (live, FERRY_REPORT_KIND_COMPLETION, "live");

  g_assert_cmpfloat (json_object_get_double_member (member (progress, "progress"), "percent"), ==, 100.0);
  g_assert_cmpstr (json_object_get_string_member (member (progress, "progress"), "state"), ==, "completed");

  /* Completion: the evidence. */
  {
    JsonObject *doc = json_node_get_object (completion);
    JsonObject *outcome = member (completion, "outcome");
    JsonObject *totals = member (completion, "totals");
    JsonObject *sequences = member (completion, "sequences");
    JsonObject *script_row = find_table (completion, SCRIPT_TABLE);
    JsonArray *tables = json_object_get_array_member (doc, "tables");
    JsonArray *resolutions = json_object_get_array_member (script_row, "resolutions");
    JsonArray *audit = json_object_get_array_member (doc, "audit");
    JsonArray *ddl = json_object_get_array_member (doc, "ddl");
    JsonArray *settings = json_object_get_array_member (member (completion, "config"), "settings");
    gboolean resolve_seen = FALSE, start_seen = FALSE;

    g_assert_cmpstr (json_object_get_string_member (outcome, "status"), ==, "success");
    g_assert_cmpint (json_object_get_int_member (totals, "completed"), ==, json_array_get_length (tables));
    g_assert_cmpint (json_object_get_int_member (totals, "mismatched_parts"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (totals, "source_rows"), ==,
                     json_object_get_int_member (totals, "target_rows"));
    g_assert_cmpstr (json_object_get_string_member (totals, "validation"), ==, "checksums");
    for (guint i = 0; i < json_array_get_length (tables); i++)
      {
        JsonObject *t = json_array_get_object_element (tables, i);

        g_assert_cmpstr (json_object_get_string_member (t, "status"), ==, "completed");
        g_assert_cmpstr (json_object_get_string_member (t, "checksum"), ==, "match");
        g_assert_cmpint (json_object_get_int_member (t, "source_rows"), ==,
                         json_object_get_int_member (t, "target_rows"));
        /* By name: stable from one run to the next. */
        if (i > 0)
          g_assert_cmpint (strcmp (json_object_get_string_member (json_array_get_object_element (tables, i - 1), "name"),
                                   json_object_get_string_member (t, "name")), <, 0);
      }
    g_assert_cmpint (json_object_get_int_member (script_row, "source_rows"), ==, 10);
    g_assert_cmpuint (json_array_get_length (resolutions), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (resolutions, 0), ==, "truncate-retry");
    g_assert_cmpint (json_object_get_int_member (sequences, "set"), ==, json_object_get_int_member (sequences, "total"));
    g_assert_cmpint (json_object_get_int_member (sequences, "total"), >=, 1);

    /* rebuild: indexes and foreign keys dropped, all back, validated. */
    g_assert_cmpuint (json_array_get_length (ddl), >=, 10);
    for (guint i = 0; i < json_array_get_length (ddl); i++)
      {
        const char *st = json_object_get_string_member (json_array_get_object_element (ddl, i), "status");
        g_assert_true (g_str_equal (st, "restored") || g_str_equal (st, "validated"));
      }
    g_assert_cmpint (json_object_get_int_member (member (completion, "ddl_totals"), "pending"), ==, 0);

    for (guint i = 0; i < json_array_get_length (audit); i++)
      {
        JsonObject *e = json_array_get_object_element (audit, i);
        const char *action = json_object_get_string_member (e, "action");

        g_assert_cmpstr (json_object_get_string_member (e, "actor"), ==, g_get_user_name ());
        g_assert_cmpstr (json_object_get_string_member (e, "host"), ==, g_get_host_name ());
        start_seen |= g_str_equal (action, "start");
        if (g_str_equal (action, "resolve"))
          {
            resolve_seen = TRUE;
            g_assert_cmpstr (json_object_get_string_member (e, "detail"), ==, SCRIPT_TABLE ": truncate-retry");
          }
      }
    g_assert_true (start_seen);
    g_assert_true (resolve_seen);

    for (guint i = 0; i < json_array_get_length (settings); i++)
      {
        JsonObject *s = json_array_get_object_element (settings, i);
        if (g_str_equal (json_object_get_string_member (s, "key"), "migration.constraints"))
          g_assert_cmpstr (json_object_get_string_member (s, "value"), ==, "rebuild");
      }
    g_assert_cmpuint (json_array_get_length (settings), >=, 20);
  }

  /* Performance: phases, throughput, workers, retries and their causes. */
  {
    JsonObject *doc = json_node_get_object (performance);
    JsonObject *retries = member (performance, "retries");
    JsonObject *workers = member (performance, "workers");
    JsonArray *phases = json_object_get_array_member (doc, "phases");
    JsonArray *causes = json_object_get_array_member (retries, "causes");
    JsonArray *points = json_object_get_array_member (member (performance, "throughput"), "points");
    gboolean data_cause = FALSE;
    g_autoptr(PGconn) conn = ferry_test_connect (target);
    gint64 journal_errors = ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'chunk-error'");
    gint64 temporary = ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'chunk-error'"
                                             " AND detail LIKE '%%[temporary]%%'");

    for (guint i = 0; i < json_array_get_length (phases); i++)
      {
        JsonObject *ph = json_array_get_object_element (phases, i);
        const char *name = json_object_get_string_member (ph, "phase");

        if (g_str_equal (name, "data") || g_str_equal (name, "sequences") ||
            g_str_equal (name, "validation") || g_str_equal (name, "indexes"))
          {
            g_assert_true (json_object_get_boolean_member (ph, "ran"));
            g_assert_cmpfloat (json_object_get_double_member (ph, "seconds"), >=, 0);
          }
      }
    g_assert_cmpuint (json_array_get_length (points), >=, 10);
    g_assert_cmpint (json_object_get_int_member (workers, "max_parallel"), ==, 2);
    g_assert_cmpfloat (json_object_get_double_member (workers, "utilisation_percent"), >, 0);
    g_assert_cmpfloat (json_object_get_double_member (workers, "utilisation_percent"), <=, 100);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (doc, "slowest")), ==, 10);

    /* Every chunk error of the journal, each with its cause. */
    g_assert_cmpint (json_object_get_int_member (retries, "errors"), ==, journal_errors);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (retries, "by_class"), "temporary"),
                     ==, temporary);
    for (guint i = 0; i < json_array_get_length (causes); i++)
      {
        JsonObject *c = json_array_get_object_element (causes, i);
        JsonArray *names = json_object_get_array_member (c, "tables");

        if (g_str_equal (json_object_get_string_member (c, "class"), "data"))
          {
            data_cause = TRUE;
            g_assert_nonnull (strstr (json_object_get_string_member (c, "message"), "duplicate key"));
            g_assert_cmpstr (json_array_get_string_element (names, 0), ==, SCRIPT_TABLE);
          }
      }
    g_assert_true (data_cause);
    g_assert_cmpint (json_object_get_int_member (find_table (performance, SCRIPT_TABLE), "attempts"), >=, 1);
  }

  main_target = g_strdup (target);
  g_free (killer.admin);
  g_free (killer.dbname);
}

/* Later, from the journal alone: the same figures, and no password even
 * if the journal had one. */
static void
test_regenerate (void)
{
  g_autoptr(FerryConnection) connection = NULL;
  g_autoptr(FerryJournal) journal = NULL;
  g_autoptr(FerryReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) completion = NULL;
  g_autoptr(JsonNode) performance = NULL;
  g_autoptr(JsonNode) progress = NULL;
  g_autofree char *live_path = g_build_filename (outdir, "live-completion.json", NULL);
  g_autoptr(JsonParser) live = json_parser_new ();
  JsonArray *a, *b;

  if (main_target == NULL)
    {
      g_test_skip ("the migration did not run");
      return;
    }

  /* A journal written by an older, careless version. */
  ferry_test_sql_at (main_target,
                     "UPDATE ferry.migration SET config = config"
                     " || jsonb_build_object('source', (config->>'source') || ' password=hunter2',"
                     "                       'yaml', replace(config->>'yaml', 'source: \"', 'source: \"password=hunter2 '))"
                     " WHERE migration_id = %" G_GINT64_FORMAT, main_migration);

  connection = ferry_connection_new (main_target, "target");
  ferry_connection_open (connection, 5, 60, NULL, &error);
  g_assert_no_error (error);
  journal = ferry_journal_new (connection, "ferry");

  report = ferry_report_new_from_journal (journal, main_migration + 1000, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_assert_null (report);
  g_clear_error (&error);

  report = ferry_report_new_from_journal (journal, main_migration, &error);
  g_assert_no_error (error);
  g_assert_false (ferry_report_can_build (report, FERRY_REPORT_KIND_READINESS));
  {
    g_autoptr(JsonNode) none = ferry_report_build (report, FERRY_REPORT_KIND_READINESS, &error);
    g_assert_null (none);
    g_assert_error (error, FERRY_ERROR, FERRY_ERROR_STATE);
    g_clear_error (&error);
  }

  progress = generate (report, FERRY_REPORT_KIND_PROGRESS, "journal");
  performance = generate (report, FERRY_REPORT_KIND_PERFORMANCE, "journal");
  completion = generate (report, FERRY_REPORT_KIND_COMPLETION, "journal");

  /* The masked password marker, where the journal had the password. */
  {
    JsonObject *config = member (completion, "config");
    g_assert_nonnull (strstr (json_object_get_string_member (config, "source"), "password="));
  }

  /* The tables are what the coordinator's report said. */
  json_parser_load_from_file (live, live_path, &error);
  g_assert_no_error (error);
  a = json_object_get_array_member (json_node_get_object (json_parser_get_root (live)), "tables");
  b = json_object_get_array_member (json_node_get_object (completion), "tables");
  g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (b));
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *x = json_array_get_element (a, i);
      JsonNode *y = json_array_get_element (b, i);

      if (!json_node_equal (x, y))
        g_error ("table %u differs between the live and the journal's report", i);
    }
  g_assert_cmpstr (json_object_get_string_member (member (completion, "outcome"), "status"), ==, "success");
}

static void
on_rendered (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GBytes **bytes = user_data;
  g_autoptr(GError) error = NULL;

  *bytes = ferry_report_render_finish (FERRY_REPORT (object), result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autoptr(FerryConnection) connection = NULL;
  g_autoptr(FerryJournal) journal = NULL;
  g_autoptr(FerryReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) async_bytes = NULL;
  g_autoptr(GBytes) sync_bytes = NULL;

  if (main_target == NULL)
    {
      g_test_skip ("the migration did not run");
      return;
    }

  connection = ferry_connection_new (main_target, "target");
  ferry_connection_open (connection, 5, 60, NULL, &error);
  g_assert_no_error (error);
  journal = ferry_journal_new (connection, "ferry");
  report = ferry_report_new_from_journal (journal, main_migration, &error);
  g_assert_no_error (error);

  ferry_report_render_async (report, FERRY_REPORT_KIND_COMPLETION, FERRY_REPORT_FORMAT_CSV, NULL,
                             on_rendered, &async_bytes);
  while (async_bytes == NULL)
    g_main_context_iteration (NULL, TRUE);

  sync_bytes = ferry_report_render (report, FERRY_REPORT_KIND_COMPLETION, FERRY_REPORT_FORMAT_CSV, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (async_bytes, sync_bytes));
}

/* ------------------------------------------------------------------ */
/* ferry-cli                                                          */
/* ------------------------------------------------------------------ */

static int
run_cli (const char * const *args,
         char              **out)
{
  g_autofree char *cli = ferry_test_cli_path ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_strv_builder_add (builder, cli);
  g_strv_builder_addv (builder, (const char **)args);
  argv = g_strv_builder_end (builder);
  g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, &err, &status, &error);
  g_assert_no_error (error);
  if (err != NULL && *err != '\0')
    g_test_message ("ferry-cli: %s", err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli (void)
{
  g_autofree char *target = ferry_test_new_database (cluster, "report_cli", "target_template");
  g_autoptr(FerryConfig) config = ferry_test_config_new (source, target);
  g_autofree char *reports = g_build_filename (outdir, "reports", NULL);
  g_autofree char *config_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *written = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  static const char * const kinds[] = { "readiness", "progress", "performance", "completion", NULL };
  static const char * const formats[] = { "html", "json", "csv", NULL };

  ferry_config_set_include (config, (const char * const[]) { "core.*", "public.*", NULL });
  ferry_config_set_reports_directory (config, reports);
  config_path = ferry_test_config_write (config, outdir, "cli.yaml");

  /* run writes the completion report by itself. */
  {
    const char *args[] = { "run", "--config", config_path, "--no-check", NULL };
    g_autofree char *out = NULL;

    g_assert_cmpint (run_cli (args, &out), ==, 0);
    g_assert_nonnull (strstr (out, reports));
  }
  dir = g_dir_open (reports, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_true (g_str_has_prefix (name, "ferry-completion-"));
      g_assert_true (g_str_has_suffix (name, ".html"));
      g_assert_null (written);
      written = g_build_filename (reports, name, NULL);
    }
  g_assert_nonnull (written);
  {
    g_autofree char *contents = NULL;
    gsize length = 0;
    g_autoptr(GBytes) bytes = NULL;
    g_autofree char *text = NULL;

    g_file_get_contents (written, &contents, &length, &error);
    g_assert_no_error (error);
    bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
    text = check_html (bytes, written);
    g_assert_nonnull (strstr (text, "<script>"));
  }

  /* report, every kind in every format. */
  for (guint k = 0; kinds[k] != NULL; k++)
    for (guint f = 0; formats[f] != NULL; f++)
      {
        g_autofree char *file = g_strdup_printf ("cli-%s.%s", kinds[k], formats[f]);
        g_autofree char *path = g_build_filename (outdir, file, NULL);
        const char *args[] = { "report", "--config", config_path, "--kind", kinds[k],
                               "--format", formats[f], "--output", path, NULL };
        g_autofree char *out = NULL;

        g_assert_cmpint (run_cli (args, &out), ==, 0);
        g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
        if (g_str_equal (formats[f], "json"))
          {
            g_autoptr(JsonParser) parser = json_parser_new ();

            json_parser_load_from_file (parser, path, &error);
            g_assert_no_error (error);
            assert_valid_document (json_parser_get_root (parser), path);
          }
      }

  /* Bad arguments: exit status 2. */
  {
    const char *args[] = { "report", "--config", config_path, "--kind", "summary", NULL };
    g_autofree char *out = NULL;
    g_assert_cmpint (run_cli (args, &out), ==, 2);
  }
  {
    const char *args[] = { "report", "--config", config_path, "--migration", "99999", "-o", "-", NULL };
    g_autofree char *out = NULL;
    g_assert_cmpint (run_cli (args, &out), ==, 4);
  }
}

/* ------------------------------------------------------------------ */
/* Printed                                                            */
/* ------------------------------------------------------------------ */

static guint
pdf_pages (const char *pdf)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  guint pages = 0;

  if (g_file_test ("/usr/bin/pdfinfo", G_FILE_TEST_IS_EXECUTABLE))
    {
      const char *argv[] = { "/usr/bin/pdfinfo", pdf, NULL };
      g_autofree char *out = NULL;
      int status = 0;
      const char *line;

      g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
      g_assert_no_error (error);
      line = strstr (out, "Pages:");
      g_assert_nonnull (line);
      return (guint)g_ascii_strtoull (line + strlen ("Pages:") + strspn (line + strlen ("Pages:"), " "), NULL, 10);
    }

  /* Without poppler: the page objects. */
  g_file_get_contents (pdf, &contents, &length, &error);
  g_assert_no_error (error);
  for (const char *p = contents; (p = g_strstr_len (p, length - (p - contents), "/Type /Page")) != NULL; p++)
    if (p[strlen ("/Type /Page")] != 's')
      pages++;
  return pages;
}

static void
test_pdf (void)
{
  static const struct { const char *file; guint min; guint max; } reports[] = {
    { "live-readiness.html", 4, 40 },
    { "failed-live-progress.html", 2, 20 },
    { "live-performance.html", 3, 30 },
    { "live-completion.html", 5, 40 },
  };
  g_autofree char *profile = NULL;

  if (!g_file_test ("/usr/bin/chromium", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("Chromium is not installed (apt-get install chromium)");
      return;
    }
  if (main_target == NULL)
    {
      g_test_skip ("the migration did not run");
      return;
    }

  profile = g_build_filename (outdir, "chromium-profile", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (reports); i++)
    {
      g_autofree char *html = g_build_filename (outdir, reports[i].file, NULL);
      g_autofree char *url = g_filename_to_uri (html, NULL, NULL);
      g_autofree char *pdf = g_strconcat (html, ".pdf", NULL);
      g_autofree char *print = g_strconcat ("--print-to-pdf=", pdf, NULL);
      g_autofree char *user_data = g_strconcat ("--user-data-dir=", profile, NULL);
      const char *argv[] = { "/usr/bin/timeout", "120", "/usr/bin/chromium", "--headless", "--no-sandbox",
                             "--disable-gpu", "--no-first-run", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--no-pdf-header-footer",
                             user_data, print, url, NULL };
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;
      int status = 0;
      guint pages;

      g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error);
      g_assert_no_error (error);
      if (!g_file_test (pdf, G_FILE_TEST_IS_REGULAR))
        g_error ("Chromium made no PDF of %s: %s", html, err);

      pages = pdf_pages (pdf);
      g_test_message ("%s: %u pages", reports[i].file, pages);
      g_assert_cmpuint (pages, >=, reports[i].min);
      g_assert_cmpuint (pages, <=, reports[i].max);

      /* The text is there, <script> as text, nothing cut off the page. */
      if (g_file_test ("/usr/bin/pdftotext", G_FILE_TEST_IS_EXECUTABLE))
        {
          const char *args[] = { "/usr/bin/pdftotext", "-layout", pdf, "-", NULL };
          g_autofree char *text = NULL;

          g_spawn_sync (NULL, (char **)args, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &text, NULL,
                        &status, &error);
          g_assert_no_error (error);
          g_assert_nonnull (strstr (text, "Ferry"));
          g_assert_nonnull (strstr (text, "<script>"));
          g_assert_nonnull (strstr (text, "Page 1 of"));
        }
    }
}

/* ------------------------------------------------------------------ */

static void
test_schema (void)
{
  JsonObject *root = json_node_get_object (json_parser_get_root (schema_parser));
  JsonObject *defs = json_object_get_object_member (root, "$defs");

  g_assert_cmpstr (json_object_get_string_member (root, "$schema"), ==,
                   "https://json-schema.org/draft/2020-12/schema");
  for (guint i = 0; i < 4; i++)
    {
      const char *kind = ferry_enum_to_nick (FERRY_TYPE_REPORT_KIND, i);
      JsonObject *def = json_object_get_object_member (defs, kind);
      JsonObject *version = json_object_get_object_member (json_object_get_object_member (def, "properties"),
                                                           "format_version");

      g_assert_nonnull (def);
      g_assert_cmpint (json_object_get_int_member (version, "const"), ==, FERRY_REPORT_FORMAT_VERSION);
    }
}

static void
test_names (void)
{
  g_autoptr(FerryReport) report = ferry_report_new ();
  g_autofree char *name = ferry_report_suggest_filename (report, FERRY_REPORT_KIND_COMPLETION, FERRY_REPORT_FORMAT_HTML);

  g_assert_true (g_str_has_prefix (name, "ferry-completion-"));
  g_assert_true (g_str_has_suffix (name, ".html"));
  g_assert_cmpstr (ferry_report_format_get_content_type (FERRY_REPORT_FORMAT_CSV), ==, "text/csv");
  g_assert_false (ferry_report_can_build (report, FERRY_REPORT_KIND_PROGRESS));
  g_assert_false (ferry_report_can_build (report, FERRY_REPORT_KIND_READINESS));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *schema_path = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  schema_parser = json_parser_new ();
  schema_path = g_build_filename (g_getenv ("FERRY_SOURCE_ROOT") ? g_getenv ("FERRY_SOURCE_ROOT") : ".",
                                  "data", "report.schema.json", NULL);
  json_parser_load_from_file (schema_parser, schema_path, &error);
  g_assert_no_error (error);

  g_test_add_func ("/report/schema", test_schema);
  g_test_add_func ("/report/names", test_names);

  if (ferry_test_skip_unless_postgres ())
    return g_test_run ();

  outdir = g_dir_make_tmp ("ferry-report-XXXXXX", &error);
  g_assert_no_error (error);

  cluster = ferry_test_cluster_start_with_sample ("source", 1.0, &source);
  ferry_test_add_bulk (source, 3);
  ferry_test_sql_at (source,
                     "CREATE TABLE public.\"<script>\" (id integer PRIMARY KEY, \"<b>note</b>\" text);"
                     "INSERT INTO public.\"<script>\" SELECT i, '<script>alert(' || i || ')</script>'"
                     "  FROM generate_series(1, 10) AS i;"
                     "ANALYZE public.\"<script>\"");
  ferry_test_make_template (cluster, "target_template", source);

  g_test_add_func ("/report/migration", test_migration);
  g_test_add_func ("/report/regenerate", test_regenerate);
  g_test_add_func ("/report/async", test_async);
  g_test_add_func ("/report/pdf", test_pdf);
  g_test_add_func ("/report/cli", test_cli);

  ret = g_test_run ();

  g_test_message ("reports kept in %s", outdir);
  if (g_getenv ("FERRY_KEEP_REPORTS") == NULL)
    {
      g_autofree char *quoted = g_shell_quote (outdir);
      g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);
      const char *args[] = { "sh", "-c", command, NULL };
      g_spawn_sync (NULL, (char **)args, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    }

  g_clear_pointer (&main_target, g_free);
  g_clear_pointer (&source, g_free);
  g_clear_pointer (&outdir, g_free);
  g_clear_object (&schema_parser);
  g_clear_pointer (&cluster, ferry_test_cluster_free);
  return ret;
}
