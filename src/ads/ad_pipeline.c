/*
 * ads/ad_pipeline.c - `ads ingest` and `ads reprocess` (ingest.h, docs/ads.md).
 *
 * Threads.  The calling thread produces batches of records (from an input
 * file, or from stored ads for reprocess) into a ring of SH_ADS_BATCHES
 * batches; jobs worker threads take records one at a time from the oldest
 * batch not fully handed out (so a slow record does not hold the others);
 * one writer thread writes each batch, once all its records are processed,
 * in order and in one transaction.  Counters filled >= claimed >= written
 * under one mutex say which batch is where; a batch is reused only after it
 * was written, so the ring bounds memory.
 *
 * Determinism.  Ads get their ids in input order (the writer inserts in
 * order) and duplicates are decided by the writer in that same order, so
 * the database content does not depend on the number of workers or on
 * timing.
 *
 * Duplicate window.  An ad is compared with the ads of two sh_dedup
 * indexes: the current window and the previous one.  Every opts->window
 * ads (counted over the whole database: the ad's ordinal is the number of
 * ads stored before it) the previous index is dropped, the current one
 * becomes the previous and a new one starts; an ad is added to both.  So an
 * ad is compared with at least the window ads before it and at most twice
 * as many, and memory stays below three windows of signatures (about 1 KB
 * per ad) whatever the number of ads.  The match taken is an exact one if
 * any (the previous window's first, it is older), else the more similar
 * (ties: the previous window's).
 *
 * Duplicates across runs.  The windows live in memory for one run.  Before
 * the first new ad of a run is looked up they are rebuilt from the stored
 * ads (signatures recomputed from the stored title, employer, region,
 * country and cleaned text, in id order, which is the order they were
 * added) from the first ad of the previous window on, replaying the same
 * rotations, so that an incremental or resumed run decides exactly as one
 * long run would have.  A run that adds nothing (re-ingest) never pays for
 * it, and the rebuild reads at most two windows of ads.
 *
 * Resume.  ad_file.records_done is updated in the transaction of each
 * batch, so after a crash the file is read again from the start and its
 * first records_done records are skipped without being processed.
 */
#include "ads/ingest.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/hash.h"
#include "skillhub/extract.h"
#include "skillhub/text.h"
#include "store/db.h"

/*
 * Bytes of an ad's text read by the language identifier (after the title).
 * A kilobyte is some 150 words, far more than the model needs
 * (docs/ads-langid-dedup.md: 95.8% right on 50 bytes, 99.8% on whole
 * texts), and classification cost a quarter of the CPU time of ingesting
 * the NHS ads at its 16 KB default (its table does not stay in cache).
 */
#define LANGID_BYTES 1024

/*
 * The writer's page cache, set by ingest.  SQLite's default (2 MB) is soon
 * smaller than the working set of the indexes whose keys arrive in random
 * order (UNIQUE (source, record_hash), ad_by_occupation, ad_skill_by_skill),
 * and every miss is a read from the operating system.  Measured on 200,000
 * synthetic ads (bench/ingest.sh's corpus, --jobs 2, two runs each): system
 * time 26-30 s with the default cache, its share of the CPU time rising from
 * 10% to 15% over the run, against 12.5-13.5 s (5-7%, flat) with 64 MB; peak
 * RSS 769 MB -> 834 MB.  The sizes are in KiB, as PRAGMA cache_size takes
 * them negated.
 */
#define INGEST_CACHE_KIB "65536"

typedef struct skill_hit {
	sh_cid c;
	float  score;
} skill_hit;

/* One record and what the workers made of it. */
typedef struct rec {
	size_t               line;
	int64_t              ad;        /* reprocess: the stored ad */
	const sh_ad_mapping *mapping;
	sh_buf               raw;       /* the record's JSON text */
	sh_buf               error;     /* non-empty: malformed (or, with fatal, failed), the reason */
	int                  fatal;     /* < 0: the engine failed on this record, the run stops */
	sh_ad_fields         f;         /* text and title cleaned */
	char                 hash[17];
	char                 lang[SH_LANG_CODE_MAX];
	int                  extracted; /* the language has labels: skills and occupation were looked for */
	sh_dedup_sig         sig;
	skill_hit           *skills;
	size_t               nskills, cap;
	int                  has_occ;
	sh_cid               occ;
	float                occ_score;
} rec;

typedef struct batch {
	rec     *recs;
	size_t   n;
	size_t   next;  /* next record to hand out */
	size_t   done;  /* records processed */
	uint64_t records_done; /* ingest: records of the file consumed once this batch is stored */
} batch;

typedef struct worker {
	struct pipeline *p;
	sh_extractor    *x;
	sh_buf           tmp;
	pthread_t        th;
} worker;

typedef struct pipeline {
	sh_db               *db;
	const sh_index      *idx;
	const sh_ads_opts   *opts;
	sh_ads_counts       *counts;
	void                *lid_blob;
	sh_langid           *lid;
	const char *const   *langs;    /* languages with labels in the index */
	size_t               nlangs;
	int64_t             *db_id;    /* concept.id of each sh_cid */
	size_t               nconcepts;
	int64_t              generation;
	sh_dedup            *dedup, *dedup_prev; /* current and previous window */
	uint64_t             dedup_n;    /* ads added to the windows so far (their ordinal) */
	int                  dedup_filled;
	int (*write)(struct pipeline *p, batch *b);
	/* current ingest file */
	int64_t              source_id, file_id;
	const char          *path;
	/* statements (writer thread) */
	sqlite3_stmt        *ins_ad, *ins_skill, *ins_error, *set_dup, *root_of, *file_progress;
	sqlite3_stmt        *upd_ad, *del_skills;
	/* synchronisation */
	pthread_mutex_t      mu;
	pthread_cond_t       cv;
	batch                ring[SH_ADS_BATCHES];
	uint64_t             filled, claimed, written;
	int                  eof, failed;
	int                  fail_rc;
	char                *fail_msg;
	worker              *workers;
	pthread_t            writer;
} pipeline;

/* ---- worker: one record ------------------------------------------------------------- */

static int in_index(const pipeline *p, const char *lang)
{
	for (size_t i = 0; i < p->nlangs; i++)
		if (strcmp(p->langs[i], lang) == 0)
			return 1;
	return 0;
}

static int clean_html(char **field)
{
	if (!*field)
		return SH_OK;
	char *text;
	size_t len;
	int rc = sh_html_to_text(*field, strlen(*field), &text, &len);
	if (rc)
		return rc;
	free(*field);
	*field = text;
	if (len == 0) {
		free(text);
		*field = NULL;
	}
	return SH_OK;
}

static int push_skill(rec *r, sh_cid c, float score)
{
	if (r->nskills == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		skill_hit *s = realloc(r->skills, cap * sizeof *s);
		if (!s)
			return sh_error(SH_ENOMEM, "out of memory");
		r->skills = s;
		r->cap = cap;
	}
	r->skills[r->nskills++] = (skill_hit){ c, score };
	return SH_OK;
}

static int extract(worker *w, rec *r)
{
	const char *title = r->f.v[SH_AD_TITLE], *text = r->f.v[SH_AD_TEXT];
	sh_extract_opts eo = { r->lang, 0, 0 };
	sh_extraction ex;
	const char *body = text ? text : title;
	int rc = sh_extract(w->x, body, strlen(body), &eo, &ex);
	for (size_t i = 0; rc == SH_OK && i < ex.nskills; i++)
		rc = push_skill(r, ex.skills[i].concept, ex.skills[i].score);
	if (rc)
		return rc;
	if (ex.noccupations) {
		r->has_occ = 1;
		r->occ = ex.occupations[0].concept;
		r->occ_score = ex.occupations[0].score;
	}
	if (title) {
		const sh_occupation_hit *hits;
		size_t n;
		eo.top = 1;
		if ((rc = sh_titles(w->x, title, strlen(title), &eo, &hits, &n)))
			return rc;
		if (n) {
			r->has_occ = 1;
			r->occ = hits[0].concept;
			r->occ_score = hits[0].score;
		}
	}
	return SH_OK;
}

/* The dedup key: the fields that name a vacancy. */
static void dedup_key(const char *const v[SH_AD_NFIELDS], sh_buf *key)
{
	static const sh_ad_field parts[] = { SH_AD_TITLE, SH_AD_EMPLOYER, SH_AD_REGION, SH_AD_COUNTRY };
	sh_buf_clear(key);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if (v[parts[i]])
			sh_buf_puts(key, v[parts[i]]);
		sh_buf_putc(key, '\n');
	}
}

/*
 * Parses, maps and cleans a record.  A failure here is the record's fault: it
 * becomes an error record (ad_error) and the run goes on.
 */
static int parse_record(rec *r)
{
	json_error_t jerr;
	json_t *obj = json_loadb(r->raw.data, r->raw.len, 0, &jerr);
	if (!obj)
		return sh_error(SH_EFORMAT, "malformed JSON at column %d: %s", jerr.column, jerr.text);
	int rc = sh_ad_fields_map(r->mapping, obj, &r->f);
	json_decref(obj);
	if (rc)
		return rc;
	snprintf(r->hash, sizeof r->hash, "%016llx", (unsigned long long)sh_hash64(r->raw.data, r->raw.len));
	if ((rc = clean_html(&r->f.v[SH_AD_TITLE])) || (rc = clean_html(&r->f.v[SH_AD_TEXT])))
		return rc;
	if (!r->f.v[SH_AD_TITLE] && !r->f.v[SH_AD_TEXT])
		return sh_error(SH_EFORMAT, "the title and the text are empty once HTML is removed");
	return SH_OK;
}

/*
 * Language, skills, occupation and signature of a parsed record.  A failure
 * here (a corrupt index, no memory) is not the record's fault: it stops the run.
 */
static int analyse(worker *w, rec *r)
{
	const pipeline *p = w->p;
	const char *title = r->f.v[SH_AD_TITLE], *text = r->f.v[SH_AD_TEXT];
	int rc;
	/* language: the title helps short texts; LANGID_BYTES of text decide it */
	sh_buf_clear(&w->tmp);
	if (title)
		sh_buf_puts(&w->tmp, title);
	sh_buf_putc(&w->tmp, '\n');
	if (text)
		sh_buf_append(&w->tmp, text, strnlen(text, LANGID_BYTES));
	sh_langid_result lr;
	sh_langid_classify(p->lid, w->tmp.data, w->tmp.len, &lr);
	memcpy(r->lang, lr.lang, sizeof r->lang);
	r->extracted = strcmp(r->lang, "und") != 0 && in_index(p, r->lang);
	if (r->extracted && (rc = extract(w, r)))
		return rc;
	dedup_key((const char *const *)r->f.v, &w->tmp);
	return sh_dedup_signature(w->tmp.data, w->tmp.len, text ? text : "", text ? strlen(text) : 0, &r->sig);
}

static void reset_rec(rec *r)
{
	sh_buf_clear(&r->raw);
	sh_buf_clear(&r->error);
	sh_ad_fields_free(&r->f);
	r->nskills = 0;
	r->has_occ = 0;
	r->extracted = 0;
	r->fatal = 0;
	r->lang[0] = '\0';
}

static void *work(void *arg)
{
	worker *w = arg;
	pipeline *p = w->p;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->failed && p->claimed == p->filled && !p->eof)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->failed || p->claimed == p->filled)
			break;
		batch *b = &p->ring[p->claimed % SH_ADS_BATCHES];
		size_t i = b->next++;
		if (b->next == b->n)
			p->claimed++;
		pthread_mutex_unlock(&p->mu);
		rec *r = &b->recs[i];
		int rc = r->error.len ? SH_OK : parse_record(r);
		if (rc == SH_OK && r->error.len == 0)
			r->fatal = rc = analyse(w, r);
		if (rc < 0) {
			sh_buf_clear(&r->error);
			sh_buf_puts(&r->error, sh_errmsg());
		}
		pthread_mutex_lock(&p->mu);
		if (++b->done == b->n)
			pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* ---- writer -------------------------------------------------------------------------- */

static void fail(pipeline *p, int rc)
{
	pthread_mutex_lock(&p->mu);
	if (!p->failed) {
		p->failed = 1;
		p->fail_rc = rc;
		p->fail_msg = strdup(sh_errmsg());
	}
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void *write_batches(void *arg)
{
	pipeline *p = arg;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		batch *b = &p->ring[p->written % SH_ADS_BATCHES];
		while (!p->failed && !(p->written < p->filled && b->done == b->n) && !(p->eof && p->written == p->filled))
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->failed || p->written == p->filled)
			break;
		pthread_mutex_unlock(&p->mu);
		int rc = p->write(p, b);
		if (rc) {
			sh_db_rollback(p->db);
			fail(p, rc);
		}
		pthread_mutex_lock(&p->mu);
		if (!rc)
			p->written++;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static int step_done(pipeline *p, sqlite3_stmt *st, const char *what)
{
	int s = sqlite3_step(st);
	sqlite3_reset(st);
	return s == SQLITE_DONE || s == SQLITE_ROW ? SH_OK : sh_db_error(p->db, what);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void count_lang(sh_ads_counts *c, const char *lang)
{
	size_t i = 0;
	while (i < c->nlang && strcmp(c->langs[i].lang, lang) != 0)
		i++;
	if (i == c->nlang) {
		if (c->nlang == sizeof c->langs / sizeof c->langs[0])
			return;
		memcpy(c->langs[c->nlang++].lang, lang, SH_LANG_CODE_MAX);
	}
	c->langs[i].n++;
}

static int store_skills(pipeline *p, int64_t ad, const rec *r)
{
	int rc = SH_OK;
	for (size_t i = 0; rc == SH_OK && i < r->nskills; i++) {
		sqlite3_bind_int64(p->ins_skill, 1, ad);
		sqlite3_bind_int64(p->ins_skill, 2, p->db_id[r->skills[i].c]);
		sqlite3_bind_double(p->ins_skill, 3, r->skills[i].score);
		rc = step_done(p, p->ins_skill, "storing a skill");
	}
	return rc;
}

static void bind_occupation(pipeline *p, sqlite3_stmt *st, int col, const rec *r)
{
	if (r->has_occ) {
		sqlite3_bind_int64(st, col, p->db_id[r->occ]);
		sqlite3_bind_double(st, col + 1, r->occ_score);
	} else {
		sqlite3_bind_null(st, col);
		sqlite3_bind_null(st, col + 1);
	}
}

/* Adds an ad to the duplicate windows (see the top of the file); m may be NULL. */
static int window_add(pipeline *p, uint64_t id, const sh_dedup_sig *sig, sh_dedup_match *m)
{
	if (p->dedup_n > 0 && p->dedup_n % p->opts->window == 0) {
		sh_dedup *fresh;
		int rc = sh_dedup_new(&fresh, SH_DEDUP_DEFAULT_THRESHOLD);
		if (rc)
			return rc;
		sh_dedup_free(p->dedup_prev);
		p->dedup_prev = p->dedup;
		p->dedup = fresh;
	}
	p->dedup_n++;
	sh_dedup_match cur, prev = { 0, 0, 0 };
	int rc = sh_dedup_add_sig(p->dedup, id, sig, &cur);
	if (rc == SH_OK && p->dedup_prev)
		rc = sh_dedup_add_sig(p->dedup_prev, id, sig, &prev);
	if (m && rc == SH_OK) {
		int take_prev = prev.id && (prev.exact || (!cur.exact && prev.similarity >= cur.similarity));
		*m = take_prev || !cur.id ? prev : cur;
	}
	return rc;
}

/* Rebuilds the duplicate windows from the ads stored before ad (see the top of the file). */
static int fill_dedup(pipeline *p, int64_t ad)
{
	sqlite3_stmt *st;
	int64_t before;
	int rc = sh_db_prepare(p->db, &st, "SELECT count(*) FROM ad WHERE id < ?1");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, ad);
	before = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	uint64_t w = p->opts->window, start = (uint64_t)before / w >= 1 ? ((uint64_t)before / w - 1) * w : 0;
	p->dedup_n = start;
	if ((rc = sh_db_prepare(p->db, &st,
		"SELECT id, title, employer, region, country, text FROM ad WHERE id < ?1 ORDER BY id LIMIT -1 OFFSET ?2")))
		return rc;
	sqlite3_bind_int64(st, 1, ad);
	sqlite3_bind_int64(st, 2, (int64_t)start);
	sh_buf key = SH_BUF_INIT;
	int s;
	while (rc == SH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v[SH_AD_NFIELDS] = { 0 };
		v[SH_AD_TITLE] = (const char *)sqlite3_column_text(st, 1);
		v[SH_AD_EMPLOYER] = (const char *)sqlite3_column_text(st, 2);
		v[SH_AD_REGION] = (const char *)sqlite3_column_text(st, 3);
		v[SH_AD_COUNTRY] = (const char *)sqlite3_column_text(st, 4);
		const char *text = (const char *)sqlite3_column_text(st, 5);
		dedup_key(v, &key);
		sh_dedup_sig sig;
		rc = sh_dedup_signature(key.data, key.len, text ? text : "", text ? strlen(text) : 0, &sig);
		if (rc == SH_OK)
			rc = window_add(p, (uint64_t)sqlite3_column_int64(st, 0), &sig, NULL);
	}
	if (rc == SH_OK && s != SQLITE_DONE)
		rc = sh_db_error(p->db, "reading stored ads");
	sqlite3_finalize(st);
	sh_buf_free(&key);
	p->dedup_filled = 1;
	return rc;
}

/* Marks ad as a duplicate of the first ad of match's cluster. */
static int mark_duplicate(pipeline *p, int64_t ad, uint64_t match)
{
	sqlite3_bind_int64(p->root_of, 1, (int64_t)match);
	int s = sqlite3_step(p->root_of);
	int64_t root = s == SQLITE_ROW ? sqlite3_column_int64(p->root_of, 0) : (int64_t)match;
	sqlite3_reset(p->root_of);
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		return sh_db_error(p->db, "finding a duplicate's cluster");
	sqlite3_bind_int64(p->set_dup, 1, root);
	sqlite3_bind_int64(p->set_dup, 2, ad);
	return step_done(p, p->set_dup, "marking a duplicate");
}

static int store_ad(pipeline *p, const rec *r)
{
	sqlite3_stmt *st = p->ins_ad;
	sqlite3_bind_int64(st, 1, p->source_id);
	bind_text(st, 2, r->f.v[SH_AD_SOURCE_ID]);
	sqlite3_bind_text(st, 3, r->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->raw.data, (int)r->raw.len, SQLITE_STATIC);
	bind_text(st, 5, r->f.v[SH_AD_TITLE]);
	bind_text(st, 6, r->f.v[SH_AD_TEXT]);
	sqlite3_bind_text(st, 7, r->lang, -1, SQLITE_STATIC);
	static const sh_ad_field rest[] = { SH_AD_DATE, SH_AD_COUNTRY, SH_AD_REGION, SH_AD_EMPLOYER,
	                                    SH_AD_SECTOR, SH_AD_CONTRACT, SH_AD_SALARY, SH_AD_URL };
	for (int i = 0; i < 8; i++)
		bind_text(st, 8 + i, r->f.v[rest[i]]);
	bind_occupation(p, st, 16, r);
	sqlite3_bind_int64(st, 18, p->generation);
	int rc = step_done(p, st, "storing an ad");
	if (rc)
		return rc;
	sh_ads_counts *c = p->counts;
	if (sqlite3_changes(p->db->sql) == 0) {
		c->present++;
		return SH_OK;
	}
	int64_t ad = sqlite3_last_insert_rowid(p->db->sql);
	c->added++;
	count_lang(c, r->lang);
	c->unextracted += !r->extracted;
	c->with_skills += r->nskills > 0;
	if (!p->dedup_filled && (rc = fill_dedup(p, ad)))
		return rc;
	sh_dedup_match m;
	if ((rc = window_add(p, (uint64_t)ad, &r->sig, &m)))
		return rc;
	if (m.id) {
		c->duplicates++;
		if ((rc = mark_duplicate(p, ad, m.id)))
			return rc;
	}
	return store_skills(p, ad, r);
}

static char *now_iso(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static int write_ingest(pipeline *p, batch *b)
{
	int rc = sh_db_begin(p->db);
	uint64_t added0 = p->counts->added, errors0 = p->counts->errors;
	for (size_t i = 0; rc == SH_OK && i < b->n; i++) {
		rec *r = &b->recs[i];
		if (r->fatal) {
			rc = sh_error(r->fatal, "%s:%zu: %s", p->path, r->line, r->error.data);
		} else if (r->error.len) {
			fprintf(stderr, "%s:%zu: %s\n", p->path, r->line, r->error.data);
			p->counts->errors++;
			sqlite3_bind_int64(p->ins_error, 1, p->file_id);
			sqlite3_bind_int64(p->ins_error, 2, (int64_t)r->line);
			sqlite3_bind_text(p->ins_error, 3, r->error.data, (int)r->error.len, SQLITE_STATIC);
			rc = step_done(p, p->ins_error, "storing an error");
		} else {
			rc = store_ad(p, r);
		}
	}
	if (rc == SH_OK) {
		sqlite3_stmt *st = p->file_progress;
		sqlite3_bind_int64(st, 1, (int64_t)b->records_done);
		sqlite3_bind_int64(st, 2, (int64_t)(p->counts->added - added0));
		sqlite3_bind_int64(st, 3, (int64_t)(p->counts->errors - errors0));
		sqlite3_bind_int64(st, 4, p->file_id);
		rc = step_done(p, st, "recording progress");
	}
	if (rc == SH_OK && p->counts->added != added0)
		rc = sh_db_bump_ads_generation(p->db);
	if (rc == SH_OK)
		rc = sh_db_commit(p->db);
	p->counts->records += b->n;
	if (rc == SH_OK && p->opts->progress)
		fprintf(stderr, "\r%s: %llu records, %llu ads added", p->path,
		        (unsigned long long)b->records_done, (unsigned long long)p->counts->added);
	return rc;
}

static int write_reprocess(pipeline *p, batch *b)
{
	int rc = sh_db_begin(p->db);
	for (size_t i = 0; rc == SH_OK && i < b->n; i++) {
		rec *r = &b->recs[i];
		p->counts->records++;
		if (r->fatal) {
			rc = sh_error(r->fatal, "ad %lld: %s", (long long)r->ad, r->error.data);
			break;
		}
		if (r->error.len) {
			fprintf(stderr, "ad %lld: %s\n", (long long)r->ad, r->error.data);
			p->counts->errors++;
			continue;
		}
		sqlite3_stmt *st = p->upd_ad;
		bind_text(st, 1, r->f.v[SH_AD_TITLE]);
		bind_text(st, 2, r->f.v[SH_AD_TEXT]);
		sqlite3_bind_text(st, 3, r->lang, -1, SQLITE_STATIC);
		static const sh_ad_field rest[] = { SH_AD_DATE, SH_AD_COUNTRY, SH_AD_REGION, SH_AD_EMPLOYER,
		                                    SH_AD_SECTOR, SH_AD_CONTRACT, SH_AD_SALARY, SH_AD_URL,
		                                    SH_AD_SOURCE_ID };
		for (int k = 0; k < 9; k++)
			bind_text(st, 4 + k, r->f.v[rest[k]]);
		bind_occupation(p, st, 13, r);
		sqlite3_bind_int64(st, 15, p->generation);
		sqlite3_bind_int64(st, 16, r->ad);
		if ((rc = step_done(p, st, "updating an ad")))
			break;
		sqlite3_bind_int64(p->del_skills, 1, r->ad);
		if ((rc = step_done(p, p->del_skills, "updating an ad's skills")) || (rc = store_skills(p, r->ad, r)))
			break;
		p->counts->added++;
		count_lang(p->counts, r->lang);
		p->counts->unextracted += !r->extracted;
		p->counts->with_skills += r->nskills > 0;
	}
	if (rc == SH_OK)
		rc = sh_db_bump_ads_generation(p->db);
	if (rc == SH_OK)
		rc = sh_db_commit(p->db);
	if (rc == SH_OK && p->opts->progress)
		fprintf(stderr, "\rreprocess: %llu ads", (unsigned long long)p->counts->records);
	return rc;
}

/* ---- setup, batches, threads --------------------------------------------------------- */

static int map_concepts(pipeline *p)
{
	p->nconcepts = sh_index_concept_count(p->idx);
	if (!(p->db_id = calloc(p->nconcepts ? p->nconcepts : 1, sizeof *p->db_id)))
		return sh_error(SH_ENOMEM, "out of memory");
	sqlite3_stmt *st;
	int rc = sh_db_prepare(p->db, &st, "SELECT id, uri FROM concept");
	if (rc)
		return rc;
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		sh_cid c;
		if (sh_index_lookup(p->idx, (const char *)sqlite3_column_text(st, 1), &c) == SH_OK && c < p->nconcepts)
			p->db_id[c] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return s == SQLITE_DONE ? SH_OK : sh_db_error(p->db, "reading concepts");
}

static int pipeline_init(pipeline *p, sh_db *db, const sh_index *idx, const sh_ads_opts *opts,
                         sh_ads_counts *counts)
{
	memset(p, 0, sizeof *p);
	memset(counts, 0, sizeof *counts);
	p->db = db;
	p->idx = idx;
	p->opts = opts;
	p->counts = counts;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->nlangs = sh_index_languages(idx, &p->langs);
	int rc = sh_db_generation(db, &p->generation);
	if (rc == SH_OK)
		rc = sh_dedup_new(&p->dedup, SH_DEDUP_DEFAULT_THRESHOLD);
	for (size_t i = 0; rc == SH_OK && i < SH_ADS_BATCHES; i++)
		if (!(p->ring[i].recs = calloc(opts->batch, sizeof(rec))))
			rc = sh_error(SH_ENOMEM, "out of memory");
	if (rc == SH_OK && !(p->workers = calloc(opts->jobs, sizeof *p->workers)))
		rc = sh_error(SH_ENOMEM, "out of memory");
	return rc;
}

/*
 * Trains the language model and opens the extractors, the first time records
 * are to be processed: a run that finds every file already ingested costs
 * no training (about a second on the full ESCO database).
 */
static int start_engine(pipeline *p)
{
	if (p->lid)
		return SH_OK;
	size_t size;
	int rc = sh_langid_train_from_db(p->db, &p->lid_blob, &size);
	if (rc == SH_OK)
		rc = sh_langid_load(&p->lid, p->lid_blob, size);
	if (rc == SH_OK)
		rc = map_concepts(p);
	for (size_t i = 0; rc == SH_OK && i < p->opts->jobs; i++) {
		p->workers[i].p = p;
		rc = sh_extractor_new(&p->workers[i].x, p->idx);
	}
	return rc;
}

static void pipeline_free(pipeline *p)
{
	for (size_t i = 0; i < SH_ADS_BATCHES; i++) {
		for (size_t k = 0; p->ring[i].recs && k < p->opts->batch; k++) {
			rec *r = &p->ring[i].recs[k];
			sh_buf_free(&r->raw);
			sh_buf_free(&r->error);
			sh_ad_fields_free(&r->f);
			free(r->skills);
		}
		free(p->ring[i].recs);
	}
	for (size_t i = 0; p->workers && i < p->opts->jobs; i++) {
		sh_extractor_free(p->workers[i].x);
		sh_buf_free(&p->workers[i].tmp);
	}
	free(p->workers);
	sqlite3_stmt *sts[] = { p->ins_ad, p->ins_skill, p->ins_error, p->set_dup, p->root_of,
	                        p->file_progress, p->upd_ad, p->del_skills };
	for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++)
		sqlite3_finalize(sts[i]);
	sh_dedup_free(p->dedup);
	sh_dedup_free(p->dedup_prev);
	sh_langid_free(p->lid);
	free(p->lid_blob);
	free(p->db_id);
	free(p->fail_msg);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
}

/* Starts the workers and the writer for one run of batches. */
static int start_threads(pipeline *p)
{
	int rc = start_engine(p);
	if (rc)
		return rc;
	p->filled = p->claimed = p->written = 0;
	p->eof = 0;
	for (size_t i = 0; i < p->opts->jobs; i++)
		if (pthread_create(&p->workers[i].th, NULL, work, &p->workers[i]) != 0) {
			pthread_mutex_lock(&p->mu);
			p->failed = 1;
			pthread_cond_broadcast(&p->cv);
			pthread_mutex_unlock(&p->mu);
			for (size_t k = 0; k < i; k++)
				pthread_join(p->workers[k].th, NULL);
			return sh_error(SH_ERROR, "cannot start a worker thread");
		}
	if (pthread_create(&p->writer, NULL, write_batches, p) != 0) {
		fail(p, sh_error(SH_ERROR, "cannot start the writer thread"));
		for (size_t k = 0; k < p->opts->jobs; k++)
			pthread_join(p->workers[k].th, NULL);
		return SH_ERROR;
	}
	return SH_OK;
}

/* Signals the end of input, joins the threads; returns the writer's failure, if any. */
static int stop_threads(pipeline *p)
{
	pthread_mutex_lock(&p->mu);
	p->eof = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (size_t i = 0; i < p->opts->jobs; i++)
		pthread_join(p->workers[i].th, NULL);
	pthread_join(p->writer, NULL);
	if (p->failed)
		return sh_error(p->fail_rc, "%s", p->fail_msg ? p->fail_msg : "the writer failed");
	return SH_OK;
}

/* The next free batch (NULL when the run failed); fill it, then push_batch. */
static batch *free_batch(pipeline *p)
{
	pthread_mutex_lock(&p->mu);
	while (!p->failed && p->filled - p->written == SH_ADS_BATCHES)
		pthread_cond_wait(&p->cv, &p->mu);
	batch *b = p->failed ? NULL : &p->ring[p->filled % SH_ADS_BATCHES];
	pthread_mutex_unlock(&p->mu);
	if (b)
		b->n = b->next = b->done = 0;
	return b;
}

static void push_batch(pipeline *p)
{
	pthread_mutex_lock(&p->mu);
	p->filled++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* ---- ingest ---------------------------------------------------------------------------- */

/* The default source name: the file name without directory and extensions. */
static char *source_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strcspn(base, ".");
	return strndup(base, len ? len : strlen(base));
}

static int source_row(pipeline *p, const char *name, int64_t *id)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(p->db, &st, "INSERT INTO ad_source(name) VALUES(?1) ON CONFLICT(name) DO NOTHING");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = step_done(p, st, "adding a source");
	sqlite3_finalize(st);
	if (rc || (rc = sh_db_prepare(p->db, &st, "SELECT id FROM ad_source WHERE name = ?1")))
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_ROW ? SH_OK : sh_db_error(p->db, "reading a source");
	*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

/* The mapping for a source: opts->mapping (then stored as the source's), else the stored one, else the defaults. */
static int source_mapping(pipeline *p, const char *source, sh_ad_mapping **out)
{
	char key[300];
	snprintf(key, sizeof key, "ads.mapping:%s", source);
	int rc = sh_ad_mapping_new(out);
	sqlite3_stmt *st;
	if (rc || (rc = sh_db_prepare(p->db, &st, "SELECT value FROM meta WHERE key = ?1")))
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && !p->opts->mapping)
		rc = sh_ad_mapping_from_json(*out, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc || !p->opts->mapping)
		return rc;
	char *json = sh_ad_mapping_to_json(p->opts->mapping);
	if (!json || (rc = sh_ad_mapping_from_json(*out, json)) ||
	    (rc = sh_db_prepare(p->db, &st, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)"))) {
		free(json);
		return rc ? rc : sh_error(SH_ENOMEM, "out of memory");
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, json, -1, SQLITE_STATIC);
	rc = step_done(p, st, "storing the mapping");
	sqlite3_finalize(st);
	free(json);
	return rc;
}

/* Finds or creates the ad_file row; *skip = records already stored, *complete = nothing left. */
static int file_row(pipeline *p, const char *path, const char *hash, uint64_t *skip, int *complete)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(p->db, &st,
		"SELECT id, records_done, complete FROM ad_file WHERE source = ?1 AND content_hash = ?2");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, p->source_id);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		p->file_id = sqlite3_column_int64(st, 0);
		*skip = (uint64_t)sqlite3_column_int64(st, 1);
		*complete = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	if (s == SQLITE_ROW)
		return SH_OK;
	if (s != SQLITE_DONE)
		return sh_db_error(p->db, "reading ad_file");
	*skip = 0;
	*complete = 0;
	char now[32];
	if ((rc = sh_db_prepare(p->db, &st,
		"INSERT INTO ad_file(source, path, content_hash, started_at) VALUES(?1, ?2, ?3, ?4)")))
		return rc;
	sqlite3_bind_int64(st, 1, p->source_id);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now_iso(now), -1, SQLITE_STATIC);
	rc = step_done(p, st, "adding ad_file");
	sqlite3_finalize(st);
	p->file_id = sqlite3_last_insert_rowid(p->db->sql);
	return rc;
}

static int file_complete(pipeline *p)
{
	sqlite3_stmt *st;
	char now[32];
	int rc = sh_db_prepare(p->db, &st, "UPDATE ad_file SET complete = 1, finished_at = ?1 WHERE id = ?2");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, now_iso(now), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, p->file_id);
	rc = step_done(p, st, "completing ad_file");
	sqlite3_finalize(st);
	return rc;
}

static int prepare_ingest(pipeline *p)
{
	int rc;
	if ((rc = sh_db_exec(p->db, "PRAGMA cache_size = -" INGEST_CACHE_KIB)))
		return rc;
	if ((rc = sh_db_prepare(p->db, &p->ins_ad,
		"INSERT OR IGNORE INTO ad(source, source_id, record_hash, raw, title, text, lang, posted, country,"
		" region, employer, sector, contract, salary, url, occupation, occupation_score,"
		" processed_generation) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)")))
		return rc;
	if ((rc = sh_db_prepare(p->db, &p->ins_skill, "INSERT OR IGNORE INTO ad_skill(ad, skill, score) VALUES(?1,?2,?3)")) ||
	    (rc = sh_db_prepare(p->db, &p->ins_error, "INSERT OR IGNORE INTO ad_error(file, line, reason) VALUES(?1,?2,?3)")) ||
	    (rc = sh_db_prepare(p->db, &p->set_dup, "UPDATE ad SET duplicate_of = ?1 WHERE id = ?2")) ||
	    (rc = sh_db_prepare(p->db, &p->root_of, "SELECT coalesce(duplicate_of, id) FROM ad WHERE id = ?1")))
		return rc;
	return sh_db_prepare(p->db, &p->file_progress,
		"UPDATE ad_file SET records_done = ?1, ads_added = ads_added + ?2, errors = errors + ?3 WHERE id = ?4");
}

/* Reads one file through the pipeline.  *remaining: the run's --limit budget. */
static int ingest_file(pipeline *p, const char *path, uint64_t *remaining, int limited)
{
	char hash[17];
	int rc = sh_ad_file_hash(path, hash);
	char *source = p->opts->source ? strdup(p->opts->source) : source_from_path(path);
	sh_ad_mapping *mapping = NULL;
	sh_ad_reader *reader = NULL;
	uint64_t skip = 0;
	int complete = 0;
	if (!source)
		rc = rc ? rc : sh_error(SH_ENOMEM, "out of memory");
	if (rc == SH_OK && (rc = sh_db_begin(p->db)) == SH_OK) {
		if ((rc = source_row(p, source, &p->source_id)) == SH_OK &&
		    (rc = source_mapping(p, source, &mapping)) == SH_OK)
			rc = file_row(p, path, hash, &skip, &complete);
		rc = rc ? rc : sh_db_commit(p->db);
		if (rc)
			sh_db_rollback(p->db);
	}
	if (rc == SH_OK && complete) {
		p->counts->files_skipped++;
		goto done;
	}
	if (rc || (rc = sh_ad_reader_open(&reader, path)))
		goto done;
	p->counts->files++;
	p->path = path;
	sh_buf raw = SH_BUF_INIT, error = SH_BUF_INIT;
	size_t line;
	uint64_t consumed = 0;
	int got = 1;
	while (consumed < skip && (got = sh_ad_reader_next(reader, &raw, &line, &error)) == 1)
		consumed++;
	sh_buf_free(&raw);
	sh_buf_free(&error);
	if (got < 0) {
		rc = got;
		goto done;
	}
	if ((rc = start_threads(p)))
		goto done;
	while (got == 1 && !(limited && *remaining == 0)) {
		batch *b = free_batch(p);
		if (!b)
			break;
		while (b->n < p->opts->batch && !(limited && *remaining == 0)) {
			rec *r = &b->recs[b->n];
			reset_rec(r);
			got = sh_ad_reader_next(reader, &r->raw, &r->line, &r->error);
			if (got != 1)
				break;
			r->mapping = mapping;
			b->n++;
			consumed++;
			*remaining -= limited;
		}
		b->records_done = consumed;
		if (b->n)
			push_batch(p);
	}
	rc = stop_threads(p);
	if (rc == SH_OK && got < 0)
		rc = got;
	if (rc == SH_OK && got == 0)
		rc = file_complete(p);
	if (p->opts->progress)
		fputc('\n', stderr);
done:
	sh_ad_reader_close(reader);
	sh_ad_mapping_free(mapping);
	free(source);
	return rc;
}

int sh_ads_ingest(sh_db *db, const sh_index *idx, const sh_ads_opts *opts, char **files, size_t nfiles,
                  sh_ads_counts *counts)
{
	pipeline p;
	int rc = pipeline_init(&p, db, idx, opts, counts);
	if (rc == SH_OK)
		rc = prepare_ingest(&p);
	p.write = write_ingest;
	uint64_t remaining = opts->limit;
	for (size_t i = 0; rc == SH_OK && i < nfiles && !(opts->limit && remaining == 0); i++)
		rc = ingest_file(&p, files[i], &remaining, opts->limit != 0);
	pipeline_free(&p);
	return rc;
}

/* ---- reprocess ------------------------------------------------------------------------- */

typedef struct source_map {
	int64_t        id;
	sh_ad_mapping *m;
} source_map;

static int load_source_maps(pipeline *p, source_map **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int64_t count;
	int rc = sh_db_int64(p->db, "SELECT count(*) FROM ad_source", &count);
	if (rc)
		return rc;
	if (!(*out = calloc((size_t)count + 1, sizeof **out)))
		return sh_error(SH_ENOMEM, "out of memory");
	sqlite3_stmt *st;
	if ((rc = sh_db_prepare(p->db, &st, "SELECT id, name FROM ad_source ORDER BY id")))
		return rc;
	while (rc == SH_OK && *n < (size_t)count && sqlite3_step(st) == SQLITE_ROW) {
		(*out)[*n].id = sqlite3_column_int64(st, 0);
		rc = source_mapping(p, (const char *)sqlite3_column_text(st, 1), &(*out)[*n].m);
		++*n;
	}
	sqlite3_finalize(st);
	return rc;
}

static const sh_ad_mapping *mapping_of(const source_map *maps, size_t n, int64_t source)
{
	for (size_t i = 0; i < n; i++)
		if (maps[i].id == source)
			return maps[i].m;
	return NULL;
}

int sh_ads_reprocess(sh_db *db, const sh_index *idx, const sh_ads_opts *opts, sh_ads_counts *counts)
{
	pipeline p;
	source_map *maps = NULL;
	size_t nmaps = 0;
	sh_db *reader = NULL;
	sqlite3_stmt *sel = NULL;
	int rc = pipeline_init(&p, db, idx, opts, counts);
	p.write = write_reprocess;
	if (rc == SH_OK)
		rc = load_source_maps(&p, &maps, &nmaps);
	if (rc == SH_OK)
		rc = sh_db_prepare(db, &p.upd_ad,
			"UPDATE ad SET title = ?1, text = ?2, lang = ?3, posted = ?4, country = ?5, region = ?6,"
			" employer = ?7, sector = ?8, contract = ?9, salary = ?10, url = ?11, source_id = ?12,"
			" occupation = ?13, occupation_score = ?14, processed_generation = ?15 WHERE id = ?16");
	if (rc == SH_OK)
		rc = sh_db_prepare(db, &p.del_skills, "DELETE FROM ad_skill WHERE ad = ?1");
	if (rc == SH_OK)
		rc = sh_db_prepare(db, &p.ins_skill, "INSERT OR IGNORE INTO ad_skill(ad, skill, score) VALUES(?1,?2,?3)");
	/* A second connection reads the ads while the writer thread updates them (WAL). */
	if (rc == SH_OK)
		rc = sh_db_open(&reader, sh_db_path(db), SH_DB_READONLY);
	if (rc == SH_OK)
		rc = sh_db_prepare(reader, &sel,
			"SELECT id, source, raw FROM ad WHERE id > ?1 AND (?2 OR processed_generation < ?3)"
			" ORDER BY id LIMIT ?4");
	if (rc == SH_OK)
		rc = start_threads(&p);
	if (rc) {
		sqlite3_finalize(sel);
		sh_db_close(reader);
		goto done;
	}
	int64_t last = 0;
	for (int more = 1; more;) {
		batch *b = free_batch(&p);
		if (!b)
			break;
		sqlite3_bind_int64(sel, 1, last);
		sqlite3_bind_int(sel, 2, opts->all != 0);
		sqlite3_bind_int64(sel, 3, p.generation);
		sqlite3_bind_int64(sel, 4, (int64_t)opts->batch);
		int s;
		while ((s = sqlite3_step(sel)) == SQLITE_ROW) {
			rec *r = &b->recs[b->n++];
			reset_rec(r);
			r->ad = last = sqlite3_column_int64(sel, 0);
			r->mapping = mapping_of(maps, nmaps, sqlite3_column_int64(sel, 1));
			sh_buf_append(&r->raw, sqlite3_column_blob(sel, 2), (size_t)sqlite3_column_bytes(sel, 2));
		}
		sqlite3_reset(sel);
		more = b->n == opts->batch;
		if (s != SQLITE_DONE) {
			fail(&p, sh_db_error(reader, "reading ads"));
			break;
		}
		if (b->n)
			push_batch(&p);
	}
	sqlite3_finalize(sel);
	rc = stop_threads(&p);
	sh_db_close(reader);
	if (opts->progress)
		fputc('\n', stderr);
done:
	for (size_t i = 0; i < nmaps; i++)
		sh_ad_mapping_free(maps[i].m);
	free(maps);
	pipeline_free(&p);
	return rc;
}

/* ---- stats ----------------------------------------------------------------------------- */

static int stats_rows(sh_db *db, const char *title, const char *sql, int json, sh_buf *out)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, sql);
	if (rc)
		return rc;
	sh_buf_printf(out, json ? ",\"%s\":{" : "%s:\n", title);
	int s, first = 1;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		k = k ? k : "";
		long long n = sqlite3_column_int64(st, 1);
		if (json) {
			sh_buf_puts(out, first ? "\"" : ",\"");
			sh_buf_json_escape(out, k, strlen(k));
			sh_buf_printf(out, "\":%lld", n);
		} else {
			sh_buf_printf(out, "  %-20s %lld\n", k, n);
		}
		first = 0;
	}
	sqlite3_finalize(st);
	if (json)
		sh_buf_putc(out, '}');
	return s == SQLITE_DONE ? SH_OK : sh_db_error(db, title);
}

int sh_ads_stats(sh_db *db, int json, sh_buf *out)
{
	static const struct { const char *name, *sql; } totals[] = {
		{ "ads", "SELECT count(*) FROM ad" },
		{ "duplicates", "SELECT count(*) FROM ad WHERE duplicate_of IS NOT NULL" },
		{ "errors", "SELECT count(*) FROM ad_error" },
		{ "with_skills", "SELECT count(DISTINCT ad) FROM ad_skill" },
		{ "with_occupation", "SELECT count(*) FROM ad WHERE occupation IS NOT NULL" },
		{ "files", "SELECT count(*) FROM ad_file" },
		{ "files_incomplete", "SELECT count(*) FROM ad_file WHERE NOT complete" },
	};
	sh_buf_puts(out, json ? "{" : "");
	for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++) {
		int64_t n;
		int rc = sh_db_int64(db, totals[i].sql, &n);
		if (rc)
			return rc;
		sh_buf_printf(out, json ? "%s\"%s\":%lld" : "%s%s: %lld\n", json && i ? "," : "", totals[i].name,
		              (long long)n);
	}
	int rc = stats_rows(db, "languages",
		"SELECT coalesce(lang, 'und'), count(*) FROM ad GROUP BY 1 ORDER BY 2 DESC, 1", json, out);
	if (rc == SH_OK)
		rc = stats_rows(db, "sources",
			"SELECT s.name, count(a.id) FROM ad_source s LEFT JOIN ad a ON a.source = s.id"
			" GROUP BY s.id ORDER BY s.name", json, out);
	if (rc == SH_OK && json)
		sh_buf_puts(out, "}");
	return rc;
}
