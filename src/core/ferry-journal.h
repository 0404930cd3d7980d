/* ferry-journal.h — the durable record of a migration, in the target database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ferry-connection.h"
#include "ferry-types.h"

G_BEGIN_DECLS

#define FERRY_JOURNAL_VERSION 1

typedef struct _FerryJournalChunk FerryJournalChunk;
typedef struct _FerryJournalDdl   FerryJournalDdl;

/* A chunk as the journal knows it. The journal's chunk list is the
 * plan that was started: a resumed run works through the same chunks,
 * whatever the statistics say now. */
struct _FerryJournalChunk
{
  gint64    chunk_id;
  char     *table_schema;
  char     *table_name;
  char     *heap_schema;
  char     *heap_name;
  guint     number;
  char     *predicate;
  gint64    est_bytes;
  gboolean  done;
  gint64    rows;
  gint64    bytes;
  char     *checksum;
  guint     attempts;
  FerryChunkKind kind;
  char     *key_column;     /* for key ranges */
  gboolean  has_lo;
  gint64    lo;
  gboolean  has_hi;
  gint64    hi;
  gboolean  skipped;        /* the user chose to skip its table */
  char     *last_error;
};

/* A constraint, index or trigger state that was changed on the target
 * for the load and has to be put back — or, with schema: copy, an item
 * of the source's post-data section (index, constraint, trigger, rule,
 * policy, comment…) to create once the data it needs is there. */
struct _FerryJournalDdl
{
  gint64    ddl_id;
  char     *kind;          /* "foreign-key", "index", "constraint", "triggers";
                              post-data: also "trigger", "rule", "policy", "comment"… */
  char     *table_schema;
  char     *table_name;
  char     *object_name;
  char     *ref_schema;    /* foreign keys: the referenced table */
  char     *ref_name;
  char     *restore_sql;   /* one or more statements */
  char     *validate_sql;  /* may be NULL */
  gboolean  restored;
  gboolean  validated;

  /* post-data items only */
  char     *section;       /* "post-data"; NULL for what was dropped */
  GArray   *after;         /* gint64 ddl_ids to be done first; may be NULL */
  char    **wait_tables;   /* schema, name, schema, name…: tables whose data
                              must be complete first; may be NULL */
  gboolean  at_end;        /* after every chunk and every other item */
};

void ferry_journal_chunk_free (FerryJournalChunk *chunk);
void ferry_journal_ddl_free   (FerryJournalDdl   *ddl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryJournalChunk, ferry_journal_chunk_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryJournalDdl, ferry_journal_ddl_free)

#define FERRY_TYPE_JOURNAL (ferry_journal_get_type ())

G_DECLARE_FINAL_TYPE (FerryJournal, ferry_journal, FERRY, JOURNAL, GObject)

FerryJournal *ferry_journal_new                 (FerryConnection  *connection,
                                                 const char       *schema);
const char   *ferry_journal_get_schema          (FerryJournal     *self);
FerryConnection *
              ferry_journal_get_connection      (FerryJournal     *self);

gboolean      ferry_journal_exists              (FerryJournal     *self,
                                                 GError          **error);
gboolean      ferry_journal_ensure              (FerryJournal     *self,
                                                 GError          **error);

gint64        ferry_journal_create_migration    (FerryJournal     *self,
                                                 const char       *source_id,
                                                 const char       *source_display,
                                                 const char       *target_display,
                                                 JsonNode         *config,
                                                 JsonNode         *plan,
                                                 GError          **error);
gint64        ferry_journal_find_unfinished     (FerryJournal     *self,
                                                 const char       *source_id,
                                                 GError          **error);
gint64        ferry_journal_find_latest         (FerryJournal     *self,
                                                 GError          **error);
JsonNode     *ferry_journal_get_migration       (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 GError          **error);
gboolean      ferry_journal_set_state           (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 const char       *state,
                                                 GError          **error);
gboolean      ferry_journal_heartbeat           (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 GError          **error);
gboolean      ferry_journal_request             (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 const char       *action,
                                                 GError          **error);
char         *ferry_journal_take_request        (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 GError          **error);
gboolean      ferry_journal_take_request_if (FerryJournal  *self,
                                             gint64         migration_id,
                                             const char    *request,
                                             GError       **error);
gboolean      ferry_journal_has_event           (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 const char       *action,
                                                 GError          **error);
gboolean      ferry_journal_add_event           (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 const char       *action,
                                                 const char       *detail,
                                                 GError          **error);
gboolean      ferry_journal_add_event_as        (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 const char       *actor,
                                                 const char       *host,
                                                 const char       *action,
                                                 const char       *detail,
                                                 GError          **error);
JsonNode     *ferry_journal_list_events         (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 GError          **error);

gboolean      ferry_journal_replace_chunk       (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 gint64            chunk_id,
                                                 GPtrArray        *replacements,
                                                 GError          **error);
gboolean      ferry_journal_skip_table          (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 const char       *schema,
                                                 const char       *name,
                                                 GError          **error);
gboolean      ferry_journal_record_chunk_error  (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 gint64            chunk_id,
                                                 guint             attempts,
                                                 const char       *message,
                                                 GError          **error);
gboolean      ferry_journal_record_validation   (FerryJournal     *self,
                                                 FerryConnection  *connection,
                                                 gint64            migration_id,
                                                 const char       *schema,
                                                 const char       *name,
                                                 const char       *part,
                                                 gint64            source_rows,
                                                 gint64            target_rows,
                                                 const char       *source_checksum,
                                                 const char       *target_checksum,
                                                 gboolean          matches,
                                                 GError          **error);
gboolean      ferry_journal_add_chunks          (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 GPtrArray        *chunks,
                                                 GError          **error);
GPtrArray    *ferry_journal_list_chunks         (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 GError          **error);
gboolean      ferry_journal_reset_table_chunks  (FerryJournal     *self,
                                                 FerryConnection  *connection,
                                                 gint64            migration_id,
                                                 const char       *schema,
                                                 const char       *name,
                                                 GError          **error);
char         *ferry_journal_chunk_done_sql      (FerryJournal     *self);

gboolean      ferry_journal_add_large_object_batch (FerryJournal  *self,
                                                 FerryConnection  *connection,
                                                 gint64            migration_id,
                                                 guint32           first_oid,
                                                 guint32           last_oid,
                                                 guint64           objects,
                                                 guint64           bytes,
                                                 GError          **error);
gboolean      ferry_journal_get_large_objects   (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 guint32          *last_oid,
                                                 guint64          *objects,
                                                 guint64          *bytes,
                                                 guint            *batches,
                                                 GError          **error);

gint64        ferry_journal_add_ddl             (FerryJournal     *self,
                                                 FerryConnection  *connection,
                                                 gint64            migration_id,
                                                 const char       *kind,
                                                 const char       *schema,
                                                 const char       *table,
                                                 const char       *object,
                                                 const char       *ref_schema,
                                                 const char       *ref_name,
                                                 const char       *restore_sql,
                                                 const char       *validate_sql,
                                                 GError          **error);
GPtrArray    *ferry_journal_list_ddl            (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 gboolean          pending_only,
                                                 GError          **error);
GArray       *ferry_journal_reserve_ddl_ids     (FerryJournal     *self,
                                                 FerryConnection  *connection,
                                                 guint             n,
                                                 GError          **error);
gboolean      ferry_journal_add_ddl_items       (FerryJournal     *self,
                                                 FerryConnection  *connection,
                                                 gint64            migration_id,
                                                 GPtrArray        *items,
                                                 GError          **error);
char         *ferry_journal_lock_ddl_sql        (FerryJournal     *self,
                                                 gint64            ddl_id);
char         *ferry_journal_mark_ddl_sql        (FerryJournal     *self,
                                                 gint64            ddl_id,
                                                 gboolean          validated);
gboolean      ferry_journal_mark_ddl            (FerryJournal     *self,
                                                 FerryConnection  *connection,
                                                 gint64            ddl_id,
                                                 gboolean          validated,
                                                 GError          **error);

gboolean      ferry_journal_restore_pending     (FerryJournal     *self,
                                                 gint64            migration_id,
                                                 GError          **error);

G_END_DECLS
