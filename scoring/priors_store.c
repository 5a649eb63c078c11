/*
 * priors_store.c - priors for a prompt over files of an indexed revision: bytes, graphs and
 * resolved call edges come from the store (so offsets match what was indexed); for the working
 * tree, every file on disk is hashed and must still be the blob that was indexed.
 */
#include "cc_common.h"
#include "cc_priors.h"
#include "cc_store.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

/* The file on disk must hash to the indexed blob. */
static int check_fresh(const char *repo, const cc_store_file *f)
{
	char *buf = NULL, hex[GIT_OID_HEXSZ + 1];
	size_t len = 0;
	git_oid oid;
	int rc;

	/* beneath the repository, no symlink followed, never blocking on a FIFO or device */
	rc = cc_read_regular_file(&buf, &len, repo, f->path, 0, NULL);
	if (rc) {
		rc = cc_error_set(CC_ESTALE,
		                  "%s: indexed but now unreadable on disk (%s); "
		                  "re-index (codecomp index)",
		                  f->path, cc_error_last());
		goto out;
	}
	git_libgit2_init();
	if (git_odb_hash(&oid, buf, len, GIT_OBJECT_BLOB) != 0) {
		rc = cc_error_set(CC_EGIT, "%s: cannot hash", f->path);
		goto out;
	}
	git_oid_tostr(hex, sizeof(hex), &oid);
	if (strcmp(hex, f->oid) != 0)
		rc = cc_error_set(CC_ESTALE,
		                  "%s changed since it was indexed (blob %.12s on disk, %.12s indexed); "
		                  "re-index with `codecomp index`",
		                  f->path, hex, f->oid);
out:
	free(buf);
	return rc;
}

int cc_priors_from_store(cc_priors **out, struct cc_store *s, const char *repo_path,
                         const char *rev, const cc_tokenizer *tok, const cc_prompt_item *items,
                         size_t n, const cc_priors_opts *opts, const cc_priors_config *cfg)
{
	cc_store_rev *r = NULL;
	cc_store_file **files = NULL;
	cc_prior_call **calls = NULL;
	cc_prompt_segment *segs = NULL;
	int rc;
	int worktree = rev && !strcmp(rev, CC_STORE_WORKTREE);

	*out = NULL;
	if ((rc = cc_store_rev_open(&r, s, repo_path, rev)))
		return rc;
	files = calloc(n ? n : 1, sizeof(*files));
	calls = calloc(n ? n : 1, sizeof(*calls));
	segs = calloc(n ? n : 1, sizeof(*segs));
	if (!files || !calls || !segs) {
		rc = cc_error_set(CC_ENOMEM, "priors: out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (!items[i].path) {
			segs[i].content = items[i].text ? items[i].text : "";
			segs[i].len = strlen(segs[i].content);
			continue;
		}
		cc_store_file *f = NULL;
		for (size_t j = 0; j < i; j++)
			if (files[j] && !strcmp(items[j].path, items[i].path))
				f = files[j];
		if (!f) {
			if ((rc = cc_store_rev_file(&files[i], r, items[i].path)))
				goto out;
			f = files[i];
			if (worktree && (rc = check_fresh(repo_path, f)))
				goto out;
			calls[i] = calloc(f->n_calls + 1, sizeof(cc_prior_call));
			if (!calls[i]) {
				rc = cc_error_set(CC_ENOMEM, "priors: out of memory");
				goto out;
			}
			for (size_t k = 0; k < f->n_calls; k++) {
				const cc_store_call *c = &f->calls[k];
				calls[i][k].src_index = (uint32_t)(c->src - f->base_id);
				calls[i][k].dst_path = c->dst_path;
				calls[i][k].dst_index = c->dst_index;
				calls[i][k].confidence = c->confidence;
			}
		}
		if (items[i].end && (items[i].start > items[i].end || items[i].end > f->len)) {
			rc = cc_error_set(CC_EINVAL, "%s: byte range %u-%u is outside the file (%zu bytes)",
			                  f->path, items[i].start, items[i].end, f->len);
			goto out;
		}
		segs[i].path = f->path;
		segs[i].content = f->content;
		segs[i].len = f->len;
		segs[i].start = items[i].end ? items[i].start : 0;
		segs[i].end = items[i].end;
		segs[i].graph = f->graph;
		/* the store resolved the calls: an empty list means "none", not "by name" */
		for (size_t j = 0; j <= i; j++)
			if (calls[j] && files[j] == f) {
				segs[i].calls = calls[j];
				segs[i].n_calls = f->n_calls;
			}
	}
	rc = cc_priors_compute(out, tok, segs, n, opts, cfg);
out:
	for (size_t i = 0; i < n; i++) {
		cc_store_file_free(files ? files[i] : NULL);
		free(calls ? calls[i] : NULL);
	}
	free(files);
	free(calls);
	free(segs);
	cc_store_rev_free(r);
	return rc;
}
