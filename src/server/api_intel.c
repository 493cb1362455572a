/*
 * server/api_intel.c - the skills-demand service (intel_service.h) and
 * GET /api/v1/demand, /api/v1/demand/cooccurrence and /api/v1/supply.
 *
 * Measured (bench/intel.sh): building the aggregate from the database costs
 * about 25 microseconds of CPU per stored ad (2.5 s for 100,000 ads of 8
 * skills), while a demand query over the in-memory aggregate of 1 million
 * ads takes 20 to 40 ms.  Hence the cache: the aggregate is built once per
 * ads generation (sh_db_ads_generation, which only writes of ads change; not
 * PRAGMA data_version, which every session, profile or course write bumps)
 * or read from `serve --agg FILE`, and a request only queries it.
 */
#include "server/intel_service.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "intel/intel.h"
#include "intel/report.h"
#include "server/dbconn.h"
#include "store/db.h"

static struct {
	pthread_mutex_t  refresh;  /* one thread checks the ads generation at a time */
	pthread_rwlock_t data;     /* queries read agg and intel; a rebuild writes them */
	int              open;
	sh_db           *db;       /* the service's own read-only connection */
	int              from_file;
	int64_t          version;  /* ads generation the aggregate was built at */
	int64_t          generation;
	sh_intel        *intel;
	sh_agg          *agg;
} svc = { .refresh = PTHREAD_MUTEX_INITIALIZER, .data = PTHREAD_RWLOCK_INITIALIZER };

/* The ads generation, and whether it or the taxonomy changed since the last build. */
static int ads_version(int64_t *out, int *changed)
{
	int64_t gen;
	int rc = sh_db_ads_generation(svc.db, out);
	rc = rc ? rc : sh_db_generation(svc.db, &gen);
	*changed = !rc && (*out != svc.version || gen != svc.generation);
	return rc;
}

/* Rebuilds what changed since the last build (write lock held). */
static int rebuild(int64_t version)
{
	int64_t gen;
	int rc = sh_db_generation(svc.db, &gen);
	if (!rc && (!svc.intel || gen != svc.generation)) {
		sh_intel *intel;
		if (!(rc = sh_intel_open(&intel, svc.db, "en"))) {
			sh_intel_free(svc.intel);
			svc.intel = intel;
			svc.generation = gen;
		}
	}
	if (!rc && !svc.from_file) {
		sh_agg *agg;
		if (!(rc = sh_agg_from_db(&agg, svc.db, NULL))) {
			sh_agg_free(svc.agg);
			svc.agg = agg;
			svc.version = version;
		}
	}
	return rc;
}

int sh_intel_service_open(const char *db_path, const char *agg_path)
{
	int rc = sh_db_open(&svc.db, db_path, SH_DB_READONLY);
	if (rc)
		return rc;
	svc.from_file = agg_path != NULL;
	if (agg_path)
		rc = sh_agg_read(&svc.agg, agg_path);
	int64_t version = 0;
	if (!rc)
		rc = ads_version(&version, &(int){ 0 });
	if (!rc)
		rc = rebuild(version);
	if (rc) {
		sh_intel_service_close();
		return rc;
	}
	svc.open = 1;
	return SH_OK;
}

void sh_intel_service_close(void)
{
	sh_agg_free(svc.agg);
	sh_intel_free(svc.intel);
	sh_db_close(svc.db);
	svc.agg = NULL;
	svc.intel = NULL;
	svc.db = NULL;
	svc.open = 0;
}

int sh_intel_service_acquire(const sh_agg **agg, const sh_intel **intel)
{
	if (!svc.open)
		return sh_error(SH_ENOTFOUND, "skills-demand data is not loaded");
	int rc = SH_OK;
	pthread_mutex_lock(&svc.refresh);
	int64_t version;
	int changed;
	if (!svc.from_file && !(rc = ads_version(&version, &changed)) && changed) {
		pthread_rwlock_wrlock(&svc.data);
		rc = rebuild(version);
		pthread_rwlock_unlock(&svc.data);
	}
	pthread_mutex_unlock(&svc.refresh);
	if (rc)
		return rc;
	pthread_rwlock_rdlock(&svc.data);
	*agg = svc.agg;
	*intel = svc.intel;
	return SH_OK;
}

void sh_intel_service_release(void)
{
	pthread_rwlock_unlock(&svc.data);
}

static const char *const filter_params[] = {
	"period_from", "period_to", "country", "region", "occupation", "sector", "collection"
};

/* The field of f that query parameter filter_params[i] sets. */
static const char **filter_field(sh_intel_filter *f, size_t i)
{
	const char **field[] = { &f->period_from, &f->period_to, &f->country, &f->region, &f->occupation,
	                         &f->sector, &f->collection };
	return field[i];
}

int sh_intel_request_filter(sh_request *req, const sh_intel *intel, sh_intel_filter *f)
{
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < sizeof filter_params / sizeof filter_params[0]; i++) {
		const char *v = sh_http_query_get(&req->query, filter_params[i]);
		if (!v || !*v)
			continue;
		if (strlen(v) > 512)
			return sh_reply_problem(req, 400, "invalid-parameter", filter_params[i], "longer than 512 bytes");
		/* Checked alone, so that the error names this parameter. */
		sh_intel_filter one = { 0 };
		*filter_field(&one, i) = v;
		if (sh_intel_filter_check(intel, &one))
			return sh_reply_problem(req, 400, "invalid-parameter", filter_params[i], "%s", sh_errmsg());
		*filter_field(f, i) = v;
	}
	return SH_OK;
}

/* Replies 200 with o as compact JSON (o is consumed; NULL = out of memory). */
static int reply_json(sh_request *req, json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	int rc = !s || sh_buf_puts(&req->body, s) || sh_buf_putc(&req->body, '\n')
	         ? sh_error(SH_ENOMEM, "out of memory (intelligence JSON)") : sh_reply_ok(req, "application/json");
	free(s);
	return rc;
}

int sh_api_demand(sh_request *req)
{
	const sh_agg *agg;
	const sh_intel *intel;
	size_t limit;
	int rc = sh_param_size(req, "limit", 20, 1, 1000, &limit);
	if (rc)
		return rc;
	if (sh_intel_service_acquire(&agg, &intel))
		return sh_reply_problem(req, 503, "unavailable", NULL, "%s", sh_errmsg());
	sh_intel_filter f;
	sh_demand d = { 0 };
	if (!(rc = sh_intel_request_filter(req, intel, &f)) && !(rc = sh_intel_demand(intel, agg, &f, limit, &d)))
		rc = reply_json(req, sh_report_demand_json(&d, &f));
	sh_demand_free(&d);
	sh_intel_service_release();
	return rc;
}

int sh_api_cooccurrence(sh_request *req)
{
	const sh_agg *agg;
	const sh_intel *intel;
	const char *skill;
	size_t limit;
	int rc = sh_param_size(req, "limit", 20, 1, 1000, &limit);
	if (rc || (rc = sh_param_text(req, "skill", 512, &skill)))
		return rc;
	if (sh_intel_service_acquire(&agg, &intel))
		return sh_reply_problem(req, 503, "unavailable", NULL, "%s", sh_errmsg());
	sh_intel_filter f;
	sh_demand d = { 0 };
	rc = sh_intel_request_filter(req, intel, &f);
	if (!rc && !sh_intel_skill_label(intel, skill))
		rc = sh_reply_problem(req, 400, "invalid-parameter", "skill", "skill '%s': no such ESCO skill", skill);
	if (!rc && !(rc = sh_intel_cooccur(intel, agg, skill, &f, limit, &d)))
		rc = reply_json(req, sh_report_cooccur_json(intel, skill, &d, &f));
	sh_demand_free(&d);
	sh_intel_service_release();
	return rc;
}

int sh_api_supply(sh_request *req)
{
	const sh_agg *agg;
	const sh_intel *intel;
	sh_db *db;
	size_t limit;
	int rc = sh_param_size(req, "limit", 20, 1, 1000, &limit);
	if (rc)
		return rc;
	if (sh_dbconn_get(&db) || sh_intel_service_acquire(&agg, &intel))
		return sh_reply_problem(req, 503, "unavailable", NULL, "%s", sh_errmsg());
	sh_intel_filter f;
	sh_supply s = { 0 };
	if (!(rc = sh_intel_request_filter(req, intel, &f)) && !(rc = sh_intel_supply(intel, agg, db, &f, limit, &s)))
		rc = reply_json(req, sh_report_supply_json(&s, &f));
	sh_supply_free(&s);
	sh_intel_service_release();
	return rc;
}
