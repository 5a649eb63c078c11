/*
 * cc_store_reply.h - the store's answers as JSON (target cc_store_reply), written once here
 * for the CLI and the daemon so that both print the same: an index run's result, the nodes
 * and edges of one file, the status of the store. docs/protocol.md documents the methods.
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (or NULL where a function returns a
 * JSON value); nothing here aborts the process.
 */
#ifndef CC_STORE_REPLY_H
#define CC_STORE_REPLY_H

#include <jansson.h>

#include "cc_store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The `codecomp index --json` object: {files, bytes, nodes, edges, parsed_blobs, reused_blobs,
 * errors, error_files:[{path, errors}], skipped:[{path, reason}], seconds}. New reference;
 * NULL on allocation failure. */
json_t *cc_index_result_json(const cc_index_result *r);

/* `codecomp nodes --json`: array of {id, kind, name, start_byte, end_byte, start_line,
 * end_line} (name null when the node has none; lines 1-based, end inclusive) of one file of
 * an indexed revision (cc_store_file_nodes; rev as in cc_index_opts.rev). path is relative
 * to the repository root ("./" prefix or an absolute path inside the work tree accepted).
 * *out is a new reference;
 * equal scalar values inside it may be one shared jansson value, so treat it as read-only
 * (json_deep_copy it to change values in place). Fails with CC_EGIT, CC_ENOTFOUND (revision
 * missing or not indexed, path not in the revision or skipped: the message says which),
 * CC_EDB, CC_ENOMEM. */
int cc_store_nodes_json(json_t **out, cc_store *s, const char *repo_path, const char *rev,
                        const char *path);

/* `codecomp edges --json`: array of {kind, src, dst, var, confidence} for edges whose source
 * is in that file: intra-file edges in stored order, then call edges (which may end in other
 * files) ordered by src then descending confidence. var is the variable name of reaching_def
 * edges, null otherwise. Read-only like cc_store_nodes_json's answer; errors as there. */
int cc_store_edges_json(json_t **out, cc_store *s, const char *repo_path, const char *rev,
                        const char *path);

/* What the store holds: {db, db_bytes, schema_version, blobs, blob_bytes, repos:[{path,
 * revisions:[{rev, commit, files, bytes, nodes, edges, errors, indexed_at}]}]}. */
int cc_store_status_json(json_t **out, cc_store *s);
/* The same object from a status already read. New reference; NULL on allocation failure. */
json_t *cc_store_status_to_json(const cc_store_status *st);

#ifdef __cplusplus
}
#endif
#endif
