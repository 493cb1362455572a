/*
 * index/index.c - compiling the database into the index file, opening it,
 * and reading concepts, labels and relations from the memory map.
 *
 * Build: sh_index_build() reads the database once into an sh_index_builder
 * and runs the section compilers of `compilers[]` in order; each adds its
 * sections to the writer.  Concepts are numbered 0..n-1 ordered by kind, then
 * English preferred label, then URI, so that a relation's targets (sorted by
 * cid) come out grouped by kind and alphabetical without sorting at read
 * time.  The layout of every section is in docs/index-format.md.
 *
 * Open: sh_index_open() maps the file and checks every section's size and
 * every offset it holds once (string offsets, cid values, monotone offset
 * arrays); after that, accessors index arrays directly without checks.  Load
 * time is the cost of those linear scans, a few milliseconds for the whole
 * of ESCO; nothing is parsed or allocated per concept.
 */
#include "index/index_internal.h"
#include "core/error.h"
#include "core/hash.h"
#include "match/matcher.h"
#include "match/rank_compile.h"
#include "store/db.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
	[SH_KIND_SKILL] = "skill",
	[SH_KIND_SKILL_GROUP] = "skill_group",
	[SH_KIND_OCCUPATION] = "occupation",
	[SH_KIND_ISCO_GROUP] = "isco_group",
	[SH_KIND_SCHEME] = "scheme",
};
#define NKINDS (sizeof kind_names / sizeof kind_names[0])

const char *sh_kind_name(sh_kind k)
{
	return (unsigned)k < NKINDS && kind_names[k] ? kind_names[k] : "unknown";
}

sh_kind sh_kind_from_name(const char *name)
{
	for (unsigned k = 1; k < NKINDS; k++)
		if (name && strcmp(name, kind_names[k]) == 0)
			return (sh_kind)k;
	return (sh_kind)0;
}

static const char *const text_kind_names[] = {
	[SH_TEXT_PREFERRED] = "preferred", [SH_TEXT_ALTERNATIVE] = "alternative",
	[SH_TEXT_HIDDEN] = "hidden", [SH_TEXT_DESCRIPTION] = "description",
	[SH_TEXT_DEFINITION] = "definition", [SH_TEXT_SCOPE_NOTE] = "scope_note",
};

char *sh_index_path_for_db(const char *db_path)
{
	size_t n = strlen(db_path);
	char *p = malloc(n + 5);
	if (!p) {
		sh_error(SH_ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(p, db_path, n);
	memcpy(p + n, ".idx", 5);
	return p;
}

/* ---- building ---------------------------------------------------------- */

int sh_index_builder_string(sh_index_builder *b, const char *s, size_t len, uint32_t *off)
{
	if (b->strings.len + len + 1 > UINT32_MAX)
		return sh_error(SH_EINVAL, "index string pool exceeds 4 GiB");
	*off = (uint32_t)b->strings.len;
	int rc = sh_buf_append(&b->strings, s, len);
	return rc ? rc : sh_buf_putc(&b->strings, '\0');
}

static int column_string(sh_index_builder *b, sqlite3_stmt *st, int col, uint32_t *off)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	if (!s || !*s) {
		*off = 0;
		return SH_OK;
	}
	return sh_index_builder_string(b, s, (size_t)sqlite3_column_bytes(st, col), off);
}

int sh_index_builder_cid(const sh_index_builder *b, int64_t db_id, sh_cid *out)
{
	size_t lo = 0, hi = b->nconcepts;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (b->db_ids[mid] < db_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == b->nconcepts || b->db_ids[lo] != db_id)
		return SH_ENOTFOUND;
	*out = b->db_cids[lo];
	return SH_OK;
}

typedef struct id_pair {
	int64_t db_id;
	sh_cid  cid;
} id_pair;

static int cmp_id_pair(const void *a, const void *b)
{
	const id_pair *x = a, *y = b;
	return (x->db_id > y->db_id) - (x->db_id < y->db_id);
}

/* CONC: one record per concept, numbered in the order of the query. */
static int compile_concepts(sh_index_builder *b)
{
	int64_t count;
	int rc = sh_db_int64(b->db, "SELECT count(*) FROM concept", &count);
	if (rc)
		return rc;
	if (count >= (int64_t)SH_CID_NONE)
		return sh_error(SH_EINVAL, "too many concepts for an index: %lld", (long long)count);
	sh_idx_concept *recs = calloc((size_t)count + 1, sizeof *recs);
	id_pair *pairs = calloc((size_t)count + 1, sizeof *pairs);
	b->db_ids = calloc((size_t)count + 1, sizeof *b->db_ids);
	b->db_cids = calloc((size_t)count + 1, sizeof *b->db_cids);
	if (!recs || !pairs || !b->db_ids || !b->db_cids) {
		free(recs);
		free(pairs);
		return sh_error(SH_ENOMEM, "out of memory (%lld concepts)", (long long)count);
	}
	sqlite3_stmt *st;
	rc = sh_db_prepare(b->db, &st,
		"SELECT c.id, c.uri, c.kind, c.code, c.skill_type, c.reuse_level, c.status FROM concept c "
		"ORDER BY CASE c.kind WHEN 'skill' THEN 1 WHEN 'skill_group' THEN 2 WHEN 'occupation' THEN 3 "
		"  WHEN 'isco_group' THEN 4 ELSE 5 END, "
		"  (SELECT l.text FROM label l WHERE l.concept = c.id AND l.lang = 'en' AND l.kind = 'preferred' "
		"   LIMIT 1) COLLATE NOCASE, c.uri");
	uint32_t n = 0;
	int s = SQLITE_DONE;
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == (uint32_t)count) { /* cannot happen inside the build's read transaction */
			rc = sh_error(SH_ERROR, "index build: the concept table changed while it was read");
			break;
		}
		sh_idx_concept *r = &recs[n];
		r->kind = sh_kind_from_name((const char *)sqlite3_column_text(st, 2));
		if ((rc = column_string(b, st, 1, &r->uri)) || (rc = column_string(b, st, 3, &r->code)) ||
		    (rc = column_string(b, st, 4, &r->skill_type)) ||
		    (rc = column_string(b, st, 5, &r->reuse_level)) || (rc = column_string(b, st, 6, &r->status)))
			break;
		pairs[n] = (id_pair){ sqlite3_column_int64(st, 0), n };
		n++;
	}
	if (!rc && s != SQLITE_DONE)
		rc = sh_db_error(b->db, "reading concepts");
	sqlite3_finalize(st);
	if (!rc) {
		qsort(pairs, n, sizeof *pairs, cmp_id_pair);
		for (uint32_t i = 0; i < n; i++) {
			b->db_ids[i] = pairs[i].db_id;
			b->db_cids[i] = pairs[i].cid;
		}
		b->nconcepts = n;
		rc = sh_idxw_add(b->out, SH_SEC_CONCEPTS, recs, n * sizeof *recs);
	}
	free(recs);
	free(pairs);
	return rc;
}

/* KEYS: full URI, last URI segment and code of every concept -> cid (first one wins). */
static int add_key(sh_idx_key *slots, uint32_t nbuckets, const char *pool, uint32_t key, sh_cid cid)
{
	const char *k = pool + key;
	uint32_t mask = nbuckets - 1;
	for (uint32_t i = (uint32_t)sh_hash64(k, strlen(k)) & mask;; i = (i + 1) & mask) {
		if (!slots[i].cid1) {
			slots[i] = (sh_idx_key){ key, cid + 1 };
			return SH_OK;
		}
		if (strcmp(pool + slots[i].key, k) == 0)
			return SH_OK;
	}
}

static int compile_keys(sh_index_builder *b)
{
	/* the concept records were copied into the writer; read them back from there */
	const sh_idx_section_entry *e = &b->out->dir[b->out->nsections - 1];
	if (e->id != SH_SEC_CONCEPTS)
		return sh_error(SH_ERROR, "index build: keys must follow concepts");
	const sh_idx_concept *c = (const sh_idx_concept *)(b->out->data.data + e->offset);
	uint32_t nbuckets = 16;
	while (nbuckets < b->nconcepts * 6u)
		nbuckets *= 2;
	size_t bytes = sizeof(uint32_t) * 2 + (size_t)nbuckets * sizeof(sh_idx_key);
	char *sec = calloc(1, bytes);
	if (!sec)
		return sh_error(SH_ENOMEM, "out of memory (lookup table)");
	memcpy(sec, &nbuckets, sizeof nbuckets);
	sh_idx_key *slots = (sh_idx_key *)(sec + 2 * sizeof(uint32_t));
	const char *pool = b->strings.data;
	for (int pass = 0; pass < 3; pass++) {
		for (uint32_t i = 0; i < b->nconcepts; i++) {
			uint32_t key = c[i].uri;
			if (pass == 1) {
				const char *slash = strrchr(pool + key, '/');
				key = slash && slash[1] ? (uint32_t)(slash + 1 - pool) : 0;
			} else if (pass == 2) {
				key = c[i].code;
			}
			if (key)
				add_key(slots, nbuckets, pool, key, i);
		}
	}
	int rc = sh_idxw_add(b->out, SH_SEC_KEYS, sec, bytes);
	free(sec);
	return rc;
}

static int cmp_text(const void *a, const void *b)
{
	const sh_idx_text *x = a, *y = b;
	if (x->concept != y->concept)
		return x->concept < y->concept ? -1 : 1;
	if (x->lang != y->lang)
		return x->lang < y->lang ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return (x->text > y->text) - (x->text < y->text);
}

static int text_kind(const char *name)
{
	for (int k = SH_TEXT_PREFERRED; k <= SH_TEXT_SCOPE_NOTE; k++)
		if (name && strcmp(name, text_kind_names[k]) == 0)
			return k;
	return 0;
}

static int read_languages(sh_index_builder *b)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(b->db, &st,
		"SELECT lang FROM label UNION SELECT lang FROM note ORDER BY 1");
	int s;
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
		if (b->nlangs == 255) {
			rc = sh_error(SH_EINVAL, "index build: more than 255 languages");
			break;
		}
		char **l = realloc(b->langs, (b->nlangs + 1) * sizeof *l);
		if (!l || !(l[b->nlangs] = strdup((const char *)sqlite3_column_text(st, 0)))) {
			if (l)
				b->langs = l;
			rc = sh_error(SH_ENOMEM, "out of memory");
			break;
		}
		b->langs = l;
		b->nlangs++;
	}
	if (!rc && s != SQLITE_DONE)
		rc = sh_db_error(b->db, "reading languages");
	sqlite3_finalize(st);
	return rc;
}

static int lang_of(const sh_index_builder *b, const char *lang)
{
	size_t lo = 0, hi = b->nlangs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(b->langs[mid], lang);
		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* LANG, TEXT, TOFF: every label and note, grouped by concept. */
static int compile_texts(sh_index_builder *b)
{
	int rc = read_languages(b);
	if (rc)
		return rc;
	size_t lsize = sizeof(uint32_t) * (b->nlangs + 1);
	uint32_t *lsec = calloc(1, lsize);
	if (!lsec)
		return sh_error(SH_ENOMEM, "out of memory");
	lsec[0] = (uint32_t)b->nlangs;
	for (size_t i = 0; i < b->nlangs && !rc; i++)
		rc = sh_index_builder_string(b, b->langs[i], strlen(b->langs[i]), &lsec[i + 1]);
	if (!rc)
		rc = sh_idxw_add(b->out, SH_SEC_LANGS, lsec, lsize);
	free(lsec);
	if (rc)
		return rc;

	sqlite3_stmt *st;
	if ((rc = sh_db_prepare(b->db, &st,
		"SELECT concept, lang, kind, text FROM label UNION ALL "
		"SELECT concept, lang, kind, text FROM note")))
		return rc;
	size_t cap = 0;
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		sh_cid cid;
		int lang = lang_of(b, (const char *)sqlite3_column_text(st, 1));
		int kind = text_kind((const char *)sqlite3_column_text(st, 2));
		if (sh_index_builder_cid(b, sqlite3_column_int64(st, 0), &cid) || lang < 0 || !kind)
			continue; /* cannot happen with the schema's constraints */
		if (b->ntexts == cap) {
			cap = cap ? cap * 2 : 4096;
			sh_idx_text *t = cap < UINT32_MAX ? realloc(b->texts, cap * sizeof *t) : NULL;
			if (!t) {
				rc = sh_error(SH_ENOMEM, "out of memory (text records)");
				break;
			}
			b->texts = t;
		}
		sh_idx_text *t = &b->texts[b->ntexts];
		*t = (sh_idx_text){ cid, 0, (uint8_t)kind, (uint8_t)lang, 0 };
		if ((rc = column_string(b, st, 3, &t->text)))
			break;
		b->ntexts++;
	}
	if (!rc && s != SQLITE_DONE)
		rc = sh_db_error(b->db, "reading labels and notes");
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (b->ntexts)
		qsort(b->texts, b->ntexts, sizeof *b->texts, cmp_text);
	uint32_t *off = calloc(b->nconcepts + 1, sizeof *off);
	if (!off)
		return sh_error(SH_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < b->ntexts; i++)
		off[b->texts[i].concept + 1]++;
	for (uint32_t i = 0; i < b->nconcepts; i++)
		off[i + 1] += off[i];
	rc = sh_idxw_add(b->out, SH_SEC_TEXTS, b->texts, b->ntexts * sizeof *b->texts);
	if (!rc)
		rc = sh_idxw_add(b->out, SH_SEC_TEXT_OFF, off, (b->nconcepts + 1) * sizeof *off);
	free(off);
	return rc;
}

/* RLxx: one adjacency array (CSR) per relation. */
static const struct {
	sh_rel      rel;
	const char *sql; /* (source concept.id, target concept.id) */
} relation_queries[] = {
	{ SH_REL_ESSENTIAL_SKILL, "SELECT occupation, skill FROM occupation_skill WHERE relation = 'essential'" },
	{ SH_REL_OPTIONAL_SKILL, "SELECT occupation, skill FROM occupation_skill WHERE relation = 'optional'" },
	{ SH_REL_ESSENTIAL_FOR, "SELECT skill, occupation FROM occupation_skill WHERE relation = 'essential'" },
	{ SH_REL_OPTIONAL_FOR, "SELECT skill, occupation FROM occupation_skill WHERE relation = 'optional'" },
	{ SH_REL_RELATED_ESSENTIAL, "SELECT skill, related FROM skill_skill WHERE relation = 'essential'" },
	{ SH_REL_RELATED_OPTIONAL, "SELECT skill, related FROM skill_skill WHERE relation = 'optional'" },
	{ SH_REL_BROADER, "SELECT concept, broader FROM broader" },
	{ SH_REL_NARROWER, "SELECT broader, concept FROM broader" },
	{ SH_REL_ISCO_GROUP, "SELECT id, isco_group FROM concept WHERE isco_group IS NOT NULL" },
	{ SH_REL_IN_SCHEME, "SELECT concept, scheme FROM scheme_member" },
};

typedef struct cid_pair {
	sh_cid src, dst;
} cid_pair;

static int cmp_cid_pair(const void *a, const void *b)
{
	const cid_pair *x = a, *y = b;
	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	return (x->dst > y->dst) - (x->dst < y->dst);
}

static int compile_relation(sh_index_builder *b, sh_rel rel, const char *sql)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(b->db, &st, sql);
	if (rc)
		return rc;
	cid_pair *pairs = NULL;
	size_t n = 0, cap = 0;
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		cid_pair p;
		if (sh_index_builder_cid(b, sqlite3_column_int64(st, 0), &p.src) ||
		    sh_index_builder_cid(b, sqlite3_column_int64(st, 1), &p.dst))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			cid_pair *np = realloc(pairs, cap * sizeof *np);
			if (!np) {
				rc = sh_error(SH_ENOMEM, "out of memory (relations)");
				break;
			}
			pairs = np;
		}
		pairs[n++] = p;
	}
	if (!rc && s != SQLITE_DONE)
		rc = sh_db_error(b->db, "reading relations");
	sqlite3_finalize(st);
	uint32_t *sec = NULL;
	size_t m = 0;
	if (!rc) {
		if (n)
			qsort(pairs, n, sizeof *pairs, cmp_cid_pair);
		sec = calloc(b->nconcepts + 1 + n, sizeof *sec);
		if (!sec)
			rc = sh_error(SH_ENOMEM, "out of memory (relations)");
	}
	if (!rc) {
		uint32_t *dst = sec + b->nconcepts + 1;
		for (size_t i = 0; i < n; i++) {
			if (i && pairs[i].src == pairs[i - 1].src && pairs[i].dst == pairs[i - 1].dst)
				continue;
			sec[pairs[i].src + 1]++;
			dst[m++] = pairs[i].dst;
		}
		for (uint32_t i = 0; i < b->nconcepts; i++)
			sec[i + 1] += sec[i];
		rc = sh_idxw_add(b->out, SH_SEC_REL(rel), sec, (b->nconcepts + 1 + m) * sizeof *sec);
	}
	free(sec);
	free(pairs);
	return rc;
}

static int compile_relations(sh_index_builder *b)
{
	int rc = SH_OK;
	for (size_t i = 0; i < sizeof relation_queries / sizeof relation_queries[0] && !rc; i++)
		rc = compile_relation(b, relation_queries[i].rel, relation_queries[i].sql);
	return rc;
}

/*
 * The section compilers, run in this order.  Each adds its sections to
 * b->out; later ones may use what earlier ones left in the builder (concept
 * numbering, text records).  To add a module's sections, add its compiler
 * here (after compile_texts if it needs labels).
 */
static int (*const compilers[])(sh_index_builder *b) = {
	compile_concepts,   /* CONC; cid numbering */
	compile_keys,       /* KEYS (reads CONC back; must follow it) */
	compile_texts,      /* LANG TEXT TOFF */
	compile_relations,  /* RL01..RL10 */
	sh_search_compile,  /* search.c: SRCH, per-language dictionaries and postings */
	sh_matcher_compile, /* match/matcher_compile.c: M* sections of the label matcher */
	sh_rank_compile,    /* match/rank_compile.c: RK* skill ranking, TL* title sections */
};

static void builder_free(sh_index_builder *b)
{
	sh_buf_free(&b->strings);
	free(b->db_ids);
	free(b->db_cids);
	free(b->texts);
	for (size_t i = 0; i < b->nlangs; i++)
		free(b->langs[i]);
	free(b->langs);
}

int sh_index_build(sh_db *db, const char *path)
{
	int64_t generation;
	int rc = sh_db_generation(db, &generation);
	if (rc)
		return rc;
	sh_idx_writer w;
	sh_idxw_init(&w);
	sh_index_builder b;
	memset(&b, 0, sizeof b);
	b.db = db;
	b.out = &w;
	/* one read transaction, so every compiler sees the same snapshot */
	if ((rc = sh_db_exec(db, "BEGIN")))
		goto out;
	rc = sh_buf_putc(&b.strings, '\0');
	for (size_t i = 0; i < sizeof compilers / sizeof compilers[0] && !rc; i++)
		rc = compilers[i](&b);
	sh_db_rollback(db);
	if (!rc)
		rc = sh_idxw_add(&w, SH_SEC_STRINGS, b.strings.data, b.strings.len);
	if (!rc)
		rc = sh_idxw_write(&w, path, generation);
out:
	builder_free(&b);
	sh_idxw_free(&w);
	return rc;
}

/* ---- opening ----------------------------------------------------------- */

static int corrupt(const char *path, const char *what)
{
	return sh_error(SH_EFORMAT, "%s: corrupt index: %s", path, what);
}

static const void *section(const sh_index *idx, uint32_t id, size_t *size)
{
	*size = 0;
	return sh_idxf_section(&idx->file, id, size);
}

/* Every offset in arr[0..n) is a valid string offset. */
static int strings_ok(const sh_index *idx, const uint32_t *arr, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (arr[i] >= idx->strings_size)
			return 0;
	return 1;
}

int sh_index_offsets_ok(const uint32_t *off, size_t n, size_t total)
{
	if (off[0] != 0 || off[n] != total)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (off[i] > off[i + 1])
			return 0;
	return 1;
}

static int open_core(sh_index *idx, const char *path)
{
	size_t size;
	idx->strings = section(idx, SH_SEC_STRINGS, &size);
	if (!idx->strings || size == 0 || idx->strings[size - 1] != '\0')
		return corrupt(path, "string pool");
	idx->strings_size = size;

	idx->concepts = section(idx, SH_SEC_CONCEPTS, &size);
	if (!idx->concepts || size % sizeof(sh_idx_concept))
		return corrupt(path, "concept records");
	idx->nconcepts = (uint32_t)(size / sizeof(sh_idx_concept));
	for (uint32_t i = 0; i < idx->nconcepts; i++) {
		const sh_idx_concept *c = &idx->concepts[i];
		const uint32_t strs[] = { c->uri, c->code, c->skill_type, c->reuse_level, c->status };
		if (!strings_ok(idx, strs, 5) || c->kind == 0 || c->kind >= NKINDS)
			return corrupt(path, "concept record");
	}

	const uint32_t *keys = section(idx, SH_SEC_KEYS, &size);
	if (!keys || size < 8 || keys[0] == 0 || (keys[0] & (keys[0] - 1)) ||
	    (size - 8) / sizeof(sh_idx_key) < keys[0])
		return corrupt(path, "lookup table");
	idx->nkeys = keys[0];
	idx->keys = (const sh_idx_key *)(keys + 2);
	for (uint32_t i = 0; i < idx->nkeys; i++)
		if (idx->keys[i].key >= idx->strings_size || idx->keys[i].cid1 > idx->nconcepts)
			return corrupt(path, "lookup table entry");

	const uint32_t *langs = section(idx, SH_SEC_LANGS, &size);
	if (!langs || size < 4 || (size - 4) / 4 < langs[0] || langs[0] > 255 ||
	    !strings_ok(idx, langs + 1, langs[0]))
		return corrupt(path, "language list");
	idx->nlangs = langs[0];
	idx->langs = calloc(idx->nlangs + 1, sizeof *idx->langs);
	if (!idx->langs)
		return sh_error(SH_ENOMEM, "out of memory");
	for (size_t i = 0; i < idx->nlangs; i++)
		idx->langs[i] = idx->strings + langs[i + 1];

	idx->texts = section(idx, SH_SEC_TEXTS, &size);
	if (!idx->texts || size % sizeof(sh_idx_text))
		return corrupt(path, "text records");
	idx->ntexts = (uint32_t)(size / sizeof(sh_idx_text));
	for (uint32_t i = 0; i < idx->ntexts; i++) {
		const sh_idx_text *t = &idx->texts[i];
		if (t->concept >= idx->nconcepts || t->text >= idx->strings_size || t->lang >= idx->nlangs ||
		    t->kind < SH_TEXT_PREFERRED || t->kind > SH_TEXT_SCOPE_NOTE ||
		    (i && t->concept < t[-1].concept))
			return corrupt(path, "text record");
	}
	idx->text_off = section(idx, SH_SEC_TEXT_OFF, &size);
	if (!idx->text_off || size != ((size_t)idx->nconcepts + 1) * 4 ||
	    !sh_index_offsets_ok(idx->text_off, idx->nconcepts, idx->ntexts))
		return corrupt(path, "text offsets");

	for (int rel = 1; rel <= SH_REL_MAX; rel++) {
		const uint32_t *sec = section(idx, SH_SEC_REL(rel), &size);
		size_t head = ((size_t)idx->nconcepts + 1) * 4;
		if (!sec || size < head || size % 4 ||
		    !sh_index_offsets_ok(sec, idx->nconcepts, (size - head) / 4))
			return corrupt(path, "relation offsets");
		const uint32_t *dst = sec + idx->nconcepts + 1;
		for (size_t i = 0; i < (size - head) / 4; i++)
			if (dst[i] >= idx->nconcepts)
				return corrupt(path, "relation target");
		idx->rel_off[rel] = sec;
		idx->rel_dst[rel] = dst;
	}
	return SH_OK;
}

int sh_index_open(sh_index **out, const char *path)
{
	*out = NULL;
	sh_index *idx = calloc(1, sizeof *idx);
	if (!idx)
		return sh_error(SH_ENOMEM, "out of memory");
	int rc = sh_idxf_open(&idx->file, path);
	if (!rc)
		rc = open_core(idx, path);
	if (!rc)
		rc = sh_search_open(idx);
	if (rc) {
		sh_index_close(idx);
		return rc;
	}
	*out = idx;
	return SH_OK;
}

int sh_index_open_fresh(sh_index **out, sh_db *db)
{
	*out = NULL;
	int64_t generation;
	int rc = sh_db_generation(db, &generation);
	if (rc)
		return rc;
	char *path = sh_index_path_for_db(sh_db_path(db));
	if (!path)
		return SH_ENOMEM;
	rc = sh_index_open(out, path);
	if (!rc && (*out)->file.generation == generation)
		goto done;
	/* missing, unreadable, corrupt or stale: rebuild */
	sh_index_close(*out);
	*out = NULL;
	rc = sh_index_build(db, path);
	if (rc) {
		sh_error_wrap(rc, "building %s", path);
		goto done;
	}
	rc = sh_index_open(out, path);
done:
	free(path);
	return rc;
}

void sh_index_close(sh_index *idx)
{
	if (!idx)
		return;
	sh_search_close(idx);
	free(idx->langs);
	sh_idxf_close(&idx->file);
	free(idx);
}

/* ---- reading ----------------------------------------------------------- */

const sh_idx_file *sh_index_file(const sh_index *idx)
{
	return &idx->file;
}

int64_t sh_index_generation(const sh_index *idx)
{
	return idx->file.generation;
}

size_t sh_index_concept_count(const sh_index *idx)
{
	return idx->nconcepts;
}

size_t sh_index_languages(const sh_index *idx, const char *const **langs)
{
	*langs = idx->langs;
	return idx->nlangs;
}

int sh_index_lang_id(const sh_index *idx, const char *lang)
{
	for (size_t i = 0; lang && i < idx->nlangs; i++)
		if (strcmp(idx->langs[i], lang) == 0)
			return (int)i;
	return -1;
}

int sh_index_lookup(const sh_index *idx, const char *key, sh_cid *out)
{
	if (!key || !*key)
		return sh_error(SH_EINVAL, "empty concept key");
	uint32_t mask = idx->nkeys - 1;
	for (uint32_t i = (uint32_t)sh_hash64(key, strlen(key)) & mask, probes = 0; probes < idx->nkeys;
	     i = (i + 1) & mask, probes++) {
		const sh_idx_key *k = &idx->keys[i];
		if (!k->cid1)
			break;
		if (strcmp(idx->strings + k->key, key) == 0) {
			*out = k->cid1 - 1;
			return SH_OK;
		}
	}
	return sh_error(SH_ENOTFOUND, "no concept '%s'", key);
}

sh_kind sh_concept_kind(const sh_index *idx, sh_cid c)
{
	return c < idx->nconcepts ? (sh_kind)idx->concepts[c].kind : (sh_kind)0;
}

const char *sh_concept_uri(const sh_index *idx, sh_cid c)
{
	return c < idx->nconcepts ? idx->strings + idx->concepts[c].uri : "";
}

/* The first text of kind in language lang_id, or NULL. */
static const char *concept_text(const sh_index *idx, sh_cid c, int lang_id, int kind)
{
	if (lang_id < 0)
		return NULL;
	for (uint32_t i = idx->text_off[c]; i < idx->text_off[c + 1]; i++) {
		const sh_idx_text *t = &idx->texts[i];
		if (t->lang == lang_id && t->kind == kind)
			return idx->strings + t->text;
	}
	return NULL;
}

const char *sh_concept_label(const sh_index *idx, sh_cid c, const char *lang)
{
	if (c >= idx->nconcepts)
		return "";
	const char *s = concept_text(idx, c, sh_index_lang_id(idx, lang ? lang : "en"), SH_TEXT_PREFERRED);
	if (!s)
		s = concept_text(idx, c, sh_index_lang_id(idx, "en"), SH_TEXT_PREFERRED);
	for (uint32_t i = idx->text_off[c]; !s && i < idx->text_off[c + 1]; i++)
		if (idx->texts[i].kind == SH_TEXT_PREFERRED)
			s = idx->strings + idx->texts[i].text;
	return s ? s : idx->strings + idx->concepts[c].uri;
}

size_t sh_concept_related(const sh_index *idx, sh_cid c, sh_rel rel, const sh_cid **out)
{
	*out = NULL;
	if (c >= idx->nconcepts || rel < 1 || rel > SH_REL_MAX)
		return 0;
	const uint32_t *off = idx->rel_off[rel];
	*out = idx->rel_dst[rel] + off[c];
	return off[c + 1] - off[c];
}

/* ---- JSON -------------------------------------------------------------- */

static json_t *str_or_null(const sh_index *idx, uint32_t off)
{
	return off ? json_string(idx->strings + off) : json_null();
}

static json_t *note_json(const sh_index *idx, sh_cid c, int lang_id, int kind)
{
	const char *s = concept_text(idx, c, lang_id, kind);
	if (!s)
		s = concept_text(idx, c, sh_index_lang_id(idx, "en"), kind);
	return s ? json_string(s) : json_null();
}

static json_t *labels_json(const sh_index *idx, sh_cid c, int lang_id, int kind)
{
	json_t *a = json_array();
	for (uint32_t i = idx->text_off[c]; a && i < idx->text_off[c + 1]; i++) {
		const sh_idx_text *t = &idx->texts[i];
		if (t->lang == lang_id && t->kind == kind)
			json_array_append_new(a, json_string(idx->strings + t->text));
	}
	return a;
}

static json_t *ref_json(const sh_index *idx, sh_cid c, const char *lang)
{
	return json_pack("{s:s,s:s,s:s}", "uri", sh_concept_uri(idx, c),
	                 "label", sh_concept_label(idx, c, lang),
	                 "type", sh_kind_name(sh_concept_kind(idx, c)));
}

static json_t *related_json(const sh_index *idx, sh_cid c, sh_rel rel, const char *lang)
{
	json_t *a = json_array();
	const sh_cid *r;
	size_t n = sh_concept_related(idx, c, rel, &r);
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, ref_json(idx, r[i], lang));
	return a;
}

int sh_concept_json(const sh_index *idx, sh_cid c, const char *lang, char **out)
{
	*out = NULL;
	if (c >= idx->nconcepts)
		return sh_error(SH_ENOTFOUND, "no concept number %u", c);
	if (!lang)
		lang = "en";
	int lang_id = sh_index_lang_id(idx, lang);
	const sh_idx_concept *r = &idx->concepts[c];
	const sh_cid *isco;
	json_t *isco_json = json_null();
	if (sh_concept_related(idx, c, SH_REL_ISCO_GROUP, &isco)) {
		json_decref(isco_json);
		isco_json = json_pack("{s:s,s:o,s:s}", "uri", sh_concept_uri(idx, isco[0]),
		                      "code", str_or_null(idx, idx->concepts[isco[0]].code),
		                      "label", sh_concept_label(idx, isco[0], lang));
	}
	json_t *o = json_pack(
		"{s:s,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:o,"
		"s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
		"uri", idx->strings + r->uri,
		"type", sh_kind_name((sh_kind)r->kind),
		"code", str_or_null(idx, r->code),
		"preferredLabel", sh_concept_label(idx, c, lang),
		"altLabels", labels_json(idx, c, lang_id, SH_TEXT_ALTERNATIVE),
		"hiddenLabels", labels_json(idx, c, lang_id, SH_TEXT_HIDDEN),
		"description", note_json(idx, c, lang_id, SH_TEXT_DESCRIPTION),
		"definition", note_json(idx, c, lang_id, SH_TEXT_DEFINITION),
		"scopeNote", note_json(idx, c, lang_id, SH_TEXT_SCOPE_NOTE),
		"skillType", str_or_null(idx, r->skill_type),
		"reuseLevel", str_or_null(idx, r->reuse_level),
		"status", str_or_null(idx, r->status),
		"iscoGroup", isco_json,
		"lang", lang,
		"essentialSkills", related_json(idx, c, SH_REL_ESSENTIAL_SKILL, lang),
		"optionalSkills", related_json(idx, c, SH_REL_OPTIONAL_SKILL, lang),
		"essentialForOccupations", related_json(idx, c, SH_REL_ESSENTIAL_FOR, lang),
		"optionalForOccupations", related_json(idx, c, SH_REL_OPTIONAL_FOR, lang),
		"relatedEssentialSkills", related_json(idx, c, SH_REL_RELATED_ESSENTIAL, lang),
		"relatedOptionalSkills", related_json(idx, c, SH_REL_RELATED_OPTIONAL, lang),
		"broader", related_json(idx, c, SH_REL_BROADER, lang),
		"narrower", related_json(idx, c, SH_REL_NARROWER, lang),
		"schemes", related_json(idx, c, SH_REL_IN_SCHEME, lang));
	if (!o)
		return sh_error(SH_ENOMEM, "out of memory (concept JSON)");
	*out = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return *out ? SH_OK : sh_error(SH_ENOMEM, "out of memory (concept JSON)");
}
