/*
 * server/intel_service.h - the skills-demand data behind /api/v1/demand,
 * /api/v1/demand/cooccurrence, /api/v1/supply, /intelligence and
 * /intelligence/supply, and those handlers.
 *
 * The service holds one taxonomy (sh_intel, labels in English) and one
 * aggregate, read either from a precomputed .agg file (`serve --agg FILE`,
 * never reloaded) or computed from the database's ads.  In the second mode
 * the aggregate is a cache keyed by the database's ads and taxonomy
 * generations (meta counters that only `ads ingest|reprocess` and taxonomy
 * imports bump, so sign-ins, profile edits and course reviews leave it
 * alone): the first request after a change rebuilds it, the others reuse
 * it.  Requests hold a read lock for their query; a
 * rebuild takes the write lock, so it waits for the queries in flight.
 */
#ifndef SH_SERVER_INTEL_SERVICE_H
#define SH_SERVER_INTEL_SERVICE_H

#include "server/request.h"
#include "skillhub/intel.h"

/* Opens the service over db_path, with the aggregate of agg_path (NULL: from the database). */
int  sh_intel_service_open(const char *db_path, const char *agg_path);
void sh_intel_service_close(void);

/* The current data, read-locked until sh_intel_service_release(); SH_ENOTFOUND when not open. */
int  sh_intel_service_acquire(const sh_agg **agg, const sh_intel **intel);
void sh_intel_service_release(void);

/* GET /api/v1/demand, /api/v1/demand/cooccurrence, /api/v1/supply (api_intel.c). */
int sh_api_demand(sh_request *req);
int sh_api_cooccurrence(sh_request *req);
int sh_api_supply(sh_request *req);
/* GET /intelligence and /intelligence/supply (pages_intel.c). */
int sh_page_intelligence(sh_request *req);
int sh_page_supply(sh_request *req);

/* The filter of a request's query parameters; replies 400 naming a bad one. */
int sh_intel_request_filter(sh_request *req, const sh_intel *intel, sh_intel_filter *f);

#endif
